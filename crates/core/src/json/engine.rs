//! In the browser, JSON text is parsed by the engine's own `JSON.parse` (native code the browser
//! already has) and the result copied into a [`Value`]. serde_json's parser — its number parsing
//! tables, error positions and `Value` visitor — would make the wasm carry code for work the page
//! can already do.
//!
//! What differs from serde_json (tested in the SPA's browser tests): numbers are JavaScript
//! numbers, so a whole number reads as an integer (`1.0` → `1`) and integers beyond 2^53 lose
//! precision (the Webex APIs send IDs as strings); objects list integer-like keys first, in
//! ascending order, as JavaScript objects do; a lone surrogate escape (`"\ud800"`) reads as
//! U+FFFD instead of failing; error messages are the engine's. Like serde_json, nesting deeper
//! than 128 levels is an error (the copy recurses, and the wasm stack is not unlimited).

use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use super::ParseError;

/// Numbers whose magnitude is below this are exact integers in an f64.
const SAFE_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// serde_json's recursion limit (the error message below names it).
const MAX_DEPTH: u32 = 128;

pub fn parse(text: &str) -> Result<Value, ParseError> {
    let parsed = js_sys::JSON::parse(text).map_err(|thrown| ParseError {
        message: thrown
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "not valid JSON".into()),
    })?;
    let mut too_deep = false;
    let value = to_value(&parsed, MAX_DEPTH, &mut too_deep);
    if too_deep {
        return Err(ParseError {
            message: "nested more than 128 levels deep".into(),
        });
    }
    Ok(value)
}

/// The copy of `js`; arrays and objects nested deeper than `depth` more levels are cut off and
/// set `too_deep` (a flag rather than a `Result`: the early-return plumbing costs the wasm more).
fn to_value(js: &JsValue, depth: u32, too_deep: &mut bool) -> Value {
    if let Some(text) = js.as_string() {
        Value::String(text)
    } else if let Some(n) = js.as_f64() {
        number(n)
    } else if let Some(b) = js.as_bool() {
        Value::Bool(b)
    } else if !js.is_object() {
        // JSON.parse gives nothing else: this is `null`.
        Value::Null
    } else if depth == 0 {
        *too_deep = true;
        Value::Null
    } else if js_sys::Array::is_array(js) {
        let array: &js_sys::Array = js.unchecked_ref();
        Value::Array(
            array
                .iter()
                .map(|item| to_value(&item, depth - 1, too_deep))
                .collect(),
        )
    } else {
        let mut map = Map::new();
        for entry in js_sys::Object::entries(js.unchecked_ref()).iter() {
            let pair: &js_sys::Array = entry.unchecked_ref();
            if let Some(key) = pair.get(0).as_string() {
                map.insert(key, to_value(&pair.get(1), depth - 1, too_deep));
            }
        }
        Value::Object(map)
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
