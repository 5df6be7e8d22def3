//! In the browser, JSON text is parsed by the engine's own `JSON.parse` (native code the browser
//! already has) and the result copied into a [`Value`]. serde_json's parser — its number parsing
//! tables, error positions and `Value` visitor — was 6 kB (brotli) of the wasm for work the page
//! can already do.
//!
//! What differs from serde_json (tested in the SPA's browser tests): numbers are JavaScript
//! numbers, so a whole number reads as an integer (`1.0` → `1`) and integers beyond 2^53 lose
//! precision (the Webex APIs send IDs as strings); objects list integer-like keys first, in
//! ascending order, as JavaScript objects do; error messages are the engine's.

use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use super::ParseError;

/// Numbers whose magnitude is below this are exact integers in an f64.
const SAFE_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

pub fn parse(text: &str) -> Result<Value, ParseError> {
    match js_sys::JSON::parse(text) {
        Ok(parsed) => Ok(to_value(&parsed)),
        Err(thrown) => Err(ParseError {
            message: thrown
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "not valid JSON".into()),
        }),
    }
}

fn to_value(js: &JsValue) -> Value {
    if let Some(text) = js.as_string() {
        Value::String(text)
    } else if let Some(n) = js.as_f64() {
        number(n)
    } else if let Some(b) = js.as_bool() {
        Value::Bool(b)
    } else if js_sys::Array::is_array(js) {
        let array: &js_sys::Array = js.unchecked_ref();
        Value::Array(array.iter().map(|item| to_value(&item)).collect())
    } else if js.is_object() {
        let mut map = Map::new();
        for entry in js_sys::Object::entries(js.unchecked_ref()).iter() {
            let pair: &js_sys::Array = entry.unchecked_ref();
            if let Some(key) = pair.get(0).as_string() {
                map.insert(key, to_value(&pair.get(1)));
            }
        }
        Value::Object(map)
    } else {
        // JSON.parse gives nothing else: this is `null`.
        Value::Null
    }
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < SAFE_INTEGER_LIMIT {
        // Exact: the integer the text spelled (an f64 below 2^53 holds it without loss).
        Value::Number(Number::from(n as i64))
    } else {
        // JSON.parse never yields NaN or infinity, so this is always a number.
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
