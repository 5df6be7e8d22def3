//! JSON without derived serde impls: every JSON text is parsed once into a [`serde_json::Value`]
//! (the SPA keeps API bodies as one anyway, for the JSON tree) and read field by field with the
//! small strict readers here ([`optional_text`], [`optional_number`], [`optional_flag`], [`text_list`]); records are
//! written with [`ObjectWriter`]. A derived `Deserialize` instantiates serde's visitor, field
//! matching and error formatting per type, code the wasm would carry for every type read.
//!
//! Text is parsed by [`parse`]: serde_json natively, the browser's `JSON.parse` in the wasm.

use std::fmt;

use serde_json::Value;

#[cfg(target_arch = "wasm32")]
mod engine;

/// JSON text that does not parse; the message says where and why (serde_json's words natively,
/// the JavaScript engine's in the browser). Engines may quote a piece of the text, so show the
/// message only for text that carries no secret (config.json); token and session readers drop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The one place JSON text becomes a [`Value`]. In the browser this is the engine's `JSON.parse`
/// (see `engine.rs`: the wasm carries no JSON parser of its own); elsewhere serde_json.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    #[cfg(target_arch = "wasm32")]
    return engine::parse(text);
    #[cfg(not(target_arch = "wasm32"))]
    serde_json::from_str(text).map_err(|e| ParseError {
        message: e.to_string(),
    })
}

/// Builds the text of a JSON object field by field, in order: what a derived `Serialize` would
/// write (session records, request bodies to the token proxy), without serde's per-type code.
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter {
            out: String::from("{"),
        }
    }
}

impl ObjectWriter {
    fn key(mut self, key: &str) -> Self {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_quoted(key, &mut self.out);
        self.out.push(':');
        self
    }

    pub fn text(self, key: &str, value: &str) -> Self {
        let mut this = self.key(key);
        push_quoted(value, &mut this.out);
        this
    }

    pub fn number(self, key: &str, value: u64) -> Self {
        let mut this = self.key(key);
        this.out.push_str(&value.to_string());
        this
    }

    /// `null` for `None`.
    pub fn optional_text(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.text(key, value),
            None => self.null(key),
        }
    }

    /// `null` for `None`.
    pub fn optional_number(self, key: &str, value: Option<u64>) -> Self {
        match value {
            Some(value) => self.number(key, value),
            None => self.null(key),
        }
    }

    pub fn texts(self, key: &str, values: &[String]) -> Self {
        let mut this = self.key(key);
        this.out.push('[');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                this.out.push(',');
            }
            push_quoted(value, &mut this.out);
        }
        this.out.push(']');
        this
    }

    pub fn boolean(self, key: &str, value: bool) -> Self {
        let mut this = self.key(key);
        this.out.push_str(if value { "true" } else { "false" });
        this
    }

    /// A value that is already JSON text (a nested object or array built by the caller).
    pub fn json(self, key: &str, json: &str) -> Self {
        let mut this = self.key(key);
        this.out.push_str(json);
        this
    }

    fn null(self, key: &str) -> Self {
        let mut this = self.key(key);
        this.out.push_str("null");
        this
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// A field that is present but of the wrong type (strict readers reject the whole record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongType;

/// `key` as a string: `Ok(None)` when missing or null.
pub fn optional_text(value: &Value, key: &str) -> Result<Option<String>, WrongType> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(WrongType),
    }
}

/// `key` as a non-negative integer: `Ok(None)` when missing or null.
pub fn optional_number(value: &Value, key: &str) -> Result<Option<u64>, WrongType> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(n) => n.as_u64().map(Some).ok_or(WrongType),
    }
}

/// `key` as a boolean: `Ok(None)` when missing or null.
pub fn optional_flag(value: &Value, key: &str) -> Result<Option<bool>, WrongType> {
    match value.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(flag) => flag.as_bool().map(Some).ok_or(WrongType),
    }
}

/// `key` as a string that must be there: missing or null is [`WrongType`] too.
pub fn required_text(value: &Value, key: &str) -> Result<String, WrongType> {
    optional_text(value, key)?.ok_or(WrongType)
}

/// `key` as a non-negative integer that must be there: missing or null is [`WrongType`] too.
pub fn required_number(value: &Value, key: &str) -> Result<u64, WrongType> {
    optional_number(value, key)?.ok_or(WrongType)
}

/// `key` as a list of strings; a missing field or any other item is [`WrongType`].
pub fn text_list(value: &Value, key: &str) -> Result<Vec<String>, WrongType> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or(WrongType)?
        .iter()
        .map(|item| item.as_str().map(str::to_string).ok_or(WrongType))
        .collect()
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

    #[test]
    fn object_writer_writes_what_serde_would() {
        let text = ObjectWriter::default()
            .number("v", 1)
            .text("s", "a\"b\\c ü\u{1}")
            .optional_text("none", None)
            .optional_number("n", Some(7))
            .texts("list", &["x".into(), "y\n".into()])
            .texts("empty", &[])
            .boolean("yes", true)
            .boolean("no", false)
            .json("nested", r#"{"a":[1]}"#)
            .finish();
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            serde_json::json!({"v": 1, "s": "a\"b\\c ü\u{1}", "none": null, "n": 7, "list": ["x", "y\n"], "empty": [], "yes": true, "no": false, "nested": {"a": [1]}})
        );
        assert_eq!(ObjectWriter::default().finish(), "{}");
    }

    #[test]
    fn strict_readers_tell_missing_from_wrong() {
        let v = serde_json::json!({"s": "x", "n": 3, "neg": -3, "null": null, "list": ["a"], "mixed": ["a", 1]});
        assert_eq!(optional_text(&v, "s"), Ok(Some("x".into())));
        assert_eq!(optional_text(&v, "missing"), Ok(None));
        assert_eq!(optional_text(&v, "null"), Ok(None));
        assert_eq!(optional_text(&v, "n"), Err(WrongType));
        assert_eq!(optional_number(&v, "n"), Ok(Some(3)));
        assert_eq!(optional_number(&v, "neg"), Err(WrongType));
        assert_eq!(optional_number(&v, "s"), Err(WrongType));
        let flags = serde_json::json!({"yes": true, "no": false, "null": null, "text": "true"});
        assert_eq!(optional_flag(&flags, "yes"), Ok(Some(true)));
        assert_eq!(optional_flag(&flags, "no"), Ok(Some(false)));
        assert_eq!(optional_flag(&flags, "null"), Ok(None));
        assert_eq!(optional_flag(&flags, "missing"), Ok(None));
        assert_eq!(optional_flag(&flags, "text"), Err(WrongType));
        assert_eq!(required_text(&v, "s"), Ok("x".into()));
        assert_eq!(required_text(&v, "missing"), Err(WrongType));
        assert_eq!(required_text(&v, "null"), Err(WrongType));
        assert_eq!(required_number(&v, "n"), Ok(3));
        assert_eq!(required_number(&v, "missing"), Err(WrongType));
        assert_eq!(required_number(&v, "neg"), Err(WrongType));
        assert_eq!(text_list(&v, "list"), Ok(vec!["a".to_string()]));
        assert_eq!(text_list(&v, "mixed"), Err(WrongType));
        assert_eq!(text_list(&v, "missing"), Err(WrongType));
    }
}
