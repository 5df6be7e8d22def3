//! Typed JSON reading through one path: text → [`serde_json::Value`] → `T`.
//!
//! The SPA already parses every API body into a `Value` (for the JSON tree) and reads config and
//! session through one. Reading the remaining types the same way means each derived
//! `Deserialize` is compiled for one deserializer, not two (`&str` and `Value`), which keeps the
//! wasm smaller; the extra copy is of a few hundred bytes.

//!
//! Writing goes through [`compact`] and [`object_of_strings`] instead of `Value`'s `Display`:
//! serde_json formats fractional numbers with its own float printer (code and tables the wasm
//! would carry for the rare fractional number). Here the caller supplies that printer; the SPA
//! passes the browser's `Number#toString`.

use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str::<Value>(text).and_then(serde_json::from_value)
}

/// `value` as compact JSON text (what `value.to_string()` gives), with fractional numbers
/// written by `float`.
pub fn compact(value: &Value, float: &dyn Fn(f64) -> String) -> String {
    let mut out = String::new();
    write_compact(value, float, &mut out);
    out
}

fn write_compact(value: &Value, float: &dyn Fn(f64) -> String, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => out.push_str(&u.to_string()),
            (None, Some(i), _) => out.push_str(&i.to_string()),
            (None, None, Some(f)) => out.push_str(&float(f)),
            (None, None, None) => out.push_str("null"),
        },
        Value::String(s) => push_quoted(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, float, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_quoted(key, out);
                out.push(':');
                write_compact(item, float, out);
            }
            out.push('}');
        }
    }
}

/// A JSON object whose values are all strings, e.g. a request body.
pub fn object_of_strings(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_quoted(key, &mut out);
        out.push(':');
        push_quoted(value, &mut out);
    }
    out.push('}');
    out
}

/// A JSON string literal, escaped by serde_json (its string writer has no float code).
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn push_quoted(text: &str, out: &mut String) {
    out.push_str(&quote(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Pair {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[test]
    fn compact_matches_serde_json_display() {
        let value: Value = serde_json::from_str(
            r#"{"a":[1,-2,3.25,1e300,null,true,false],"b\"q":"line\nbreak \u2028 é","c":{},"d":[],"e":18446744073709551615}"#,
        )
        .unwrap();
        let serde_float = |f: f64| serde_json::Number::from_f64(f).unwrap().to_string();
        let ours = compact(&value, &serde_float);
        assert_eq!(ours, value.to_string());
        assert_eq!(
            serde_json::from_str::<Value>(&ours).unwrap(),
            value,
            "round-trips"
        );
    }

    #[test]
    fn compact_uses_the_given_float_printer_only_for_fractions() {
        let value: Value = serde_json::from_str("[7, -7, 0.5]").unwrap();
        assert_eq!(compact(&value, &|_| "F".into()), "[7,-7,F]");
    }

    #[test]
    fn object_of_strings_escapes_and_parses_back() {
        let text = object_of_strings(&[("code", "a\"b\\c"), ("code_verifier", "ü\u{1}")]);
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["code"], "a\"b\\c");
        assert_eq!(back["code_verifier"], "ü\u{1}");
        assert_eq!(object_of_strings(&[]), "{}");
    }

    #[test]
    fn reads_like_from_str() {
        assert_eq!(
            from_text::<Pair>(r#"{"a": 1, "b": "x", "extra": true}"#).unwrap(),
            Pair {
                a: 1,
                b: Some("x".into())
            }
        );
        assert!(from_text::<Pair>(r#"{"b": "x"}"#).is_err(), "missing field");
        assert!(from_text::<Pair>(r#"{"a": 1"#).is_err(), "broken JSON");
    }
}
