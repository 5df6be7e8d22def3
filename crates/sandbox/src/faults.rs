//! The control endpoint `/_sandbox/faults` (identity port, only with `control`): lets tests force
//! 429s and 5xx on the API port, add latency, expire tokens, change how tokens are issued and
//! switch between the documented behaviours and their variants, and forget the API's writes.

use std::collections::HashMap;

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::config::check_activity_cap_status;
use crate::identity::WebexError;
use crate::state::{AppState, Faults, Grant, now_ms};

pub fn routes() -> Router<AppState> {
    Router::new().route("/_sandbox/faults", get(get_faults).post(set_faults))
}

/// The actions a fault request may ask for besides setting knobs: `true` expires every such token now.
const EXPIRE_ACCESS_TOKENS: &str = "expire_access_tokens";
const EXPIRE_REFRESH_TOKENS: &str = "expire_refresh_tokens";
/// `true` returns every org's configuration records to the seed's (forgets every write).
const RESET_WRITES: &str = "reset_writes";

async fn get_faults(State(state): State<AppState>) -> Json<Value> {
    Json(fault_view(&state))
}

/// The current knobs, the configuration's fixed ones and how many tokens exist.
fn fault_view(state: &AppState) -> Value {
    let cfg = state.config();
    let store = state.store();
    let mut view = serde_json::to_value(&store.faults).unwrap_or_else(|_| json!({}));
    if let Some(fields) = view.as_object_mut() {
        fields.insert("config_force_429".into(), json!(cfg.force_429));
        fields.insert("error_rate".into(), json!(cfg.error_rate));
        fields.insert(
            "rate_limit_per_minute".into(),
            json!(cfg.rate_limit_per_minute),
        );
        fields.insert("access_tokens".into(), json!(store.access_tokens.len()));
        fields.insert("refresh_tokens".into(), json!(store.refresh_tokens.len()));
    }
    view
}

/// `POST /_sandbox/faults`: a JSON object with any of the three actions and of the fields of
/// [`Faults`], each replacing the current value (`null` leaves it).
async fn set_faults(
    State(state): State<AppState>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Json<Value>, WebexError> {
    let invalid = |detail: &str| {
        WebexError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "Invalid fault request: {detail}. Send JSON with any of {}.",
                request_fields().join(", ")
            ),
        )
    };
    let Json(mut request) = body.map_err(|e| invalid(&e.body_text()))?;
    let logged = request.clone();
    let expire_access = take_action(&mut request, EXPIRE_ACCESS_TOKENS).map_err(|e| invalid(&e))?;
    let expire_refresh =
        take_action(&mut request, EXPIRE_REFRESH_TOKENS).map_err(|e| invalid(&e))?;
    let reset_writes = take_action(&mut request, RESET_WRITES).map_err(|e| invalid(&e))?;
    {
        let mut store = state.store();
        let faults = changed(&store.faults, request).map_err(|e| invalid(&e))?;
        check_activity_cap_status(faults.knobs.activity_cap_status)
            .and_then(|()| crate::config::check_search_knobs(&faults.knobs))
            .and_then(|()| crate::config::check_write_knobs(&faults.knobs))
            .map_err(|e| WebexError::new(StatusCode::BAD_REQUEST, e))?;
        store.faults = faults;
        let now = now_ms();
        let expire = |grants: &mut HashMap<String, Grant>| {
            grants
                .values_mut()
                .for_each(|g| g.expires_at_ms = g.expires_at_ms.min(now));
        };
        if expire_access {
            expire(&mut store.access_tokens);
        }
        if expire_refresh {
            expire(&mut store.refresh_tokens);
        }
    }
    if reset_writes {
        state.reset_writes();
    }
    tracing::info!(request = ?logged, "faults updated");
    Ok(Json(fault_view(&state)))
}

/// Every field a fault request may carry, for the error that names an unknown one.
fn request_fields() -> Vec<String> {
    let knobs = serde_json::to_value(Faults::from_config(&Default::default()));
    let knob_names = knobs.ok().and_then(|v| match v {
        Value::Object(fields) => Some(fields.into_iter().map(|(name, _)| name)),
        _ => None,
    });
    knob_names
        .into_iter()
        .flatten()
        .chain([EXPIRE_ACCESS_TOKENS, EXPIRE_REFRESH_TOKENS, RESET_WRITES].map(String::from))
        .collect()
}

/// Removes the action `name` from the request: whether it asks for it.
fn take_action(request: &mut Map<String, Value>, name: &str) -> Result<bool, String> {
    match request.remove(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(on)) => Ok(on),
        Some(other) => Err(format!("{name} must be true or false, got {other}")),
    }
}

/// `current` with the knobs the request names replaced, typed and checked as [`Faults`] is.
fn changed(current: &Faults, request: Map<String, Value>) -> Result<Faults, String> {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(current) else {
        return Err("the current knobs cannot be shown".into());
    };
    for (name, value) in request {
        if !fields.contains_key(&name) {
            return Err(format!("unknown field `{name}`"));
        }
        if !value.is_null() {
            fields.insert(name, value);
        }
    }
    serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Knobs, SandboxConfig};

    fn request(body: Value) -> Map<String, Value> {
        match body {
            Value::Object(fields) => fields,
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn a_request_replaces_the_knobs_it_names_and_keeps_the_others() {
        let current = Faults::from_config(&SandboxConfig::default());
        let next = changed(
            &current,
            request(json!({"force_429": 2, "json_429": true, "latency_ms": null})),
        )
        .unwrap();
        let expected = Faults {
            force_429: 2,
            knobs: Knobs {
                json_429: true,
                ..current.knobs.clone()
            },
            ..current
        };
        assert_eq!(next, expected);
    }

    #[test]
    fn a_fault_request_names_an_unknown_field_or_a_wrong_type() {
        let current = Faults::from_config(&SandboxConfig::default());
        let err = changed(&current, request(json!({"force_42": 1}))).unwrap_err();
        assert!(err.contains("force_42"), "{err}");
        let err = changed(&current, request(json!({"latency_ms": "slow"}))).unwrap_err();
        assert!(err.contains("invalid type"), "{err}");
        let mut expire = request(json!({"expire_access_tokens": 1}));
        let err = take_action(&mut expire, EXPIRE_ACCESS_TOKENS).unwrap_err();
        assert!(err.contains("expire_access_tokens"), "{err}");
    }

    #[test]
    fn the_error_lists_every_knob_and_action() {
        let fields = request_fields();
        for name in [
            "force_429",
            "opaque_tokens",
            "activity_cap_status",
            "token_latency_ms",
            "expire_refresh_tokens",
        ] {
            assert!(fields.iter().any(|f| f == name), "{name} in {fields:?}");
        }
    }
}
