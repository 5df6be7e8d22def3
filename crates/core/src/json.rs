//! Typed JSON reading through one path: text → [`serde_json::Value`] → `T`.
//!
//! The SPA already parses every API body into a `Value` (for the JSON tree) and reads config and
//! session through one. Reading the remaining types the same way means each derived
//! `Deserialize` is compiled for one deserializer, not two (`&str` and `Value`), which keeps the
//! wasm smaller; the extra copy is of a few hundred bytes.

use serde::de::DeserializeOwned;

pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str::<serde_json::Value>(text).and_then(serde_json::from_value)
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
