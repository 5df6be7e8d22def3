//! The control endpoint `/_sandbox/faults` (identity port, only with `control`): lets tests force
//! 429s and 5xx on the API port, add latency, expire tokens, change how tokens are issued and
//! switch between the documented behaviours and their variants.

use std::collections::HashMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::check_activity_cap_status;
use crate::http_util::TrackingId;
use crate::identity::WebexError;
use crate::state::{AppState, Grant, now_ms};

pub fn routes() -> Router<AppState> {
    Router::new().route("/_sandbox/faults", get(get_faults).post(set_faults))
}

/// Body of `POST /_sandbox/faults`; every field optional, each replaces the current value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    pub force_429: Option<u32>,
    pub force_5xx: Option<u32>,
    #[serde(default)]
    pub expire_access_tokens: bool,
    #[serde(default)]
    pub expire_refresh_tokens: bool,
    pub latency_ms: Option<u64>,
    pub access_token_lifetime_secs: Option<u64>,
    pub opaque_tokens: Option<bool>,
    pub json_429: Option<bool>,
    pub report_scope: Option<bool>,
    pub omit_refresh_token_expires_in: Option<bool>,
    pub stable_refresh_secs: Option<u64>,
    pub token_latency_ms: Option<u64>,
    pub activity_cap_status: Option<u16>,
}

/// Every field a fault request may carry, for the error that names an unknown one.
const FIELDS: &str = "force_429, force_5xx, expire_access_tokens, expire_refresh_tokens, latency_ms, \
    access_token_lifetime_secs, opaque_tokens, json_429, report_scope, omit_refresh_token_expires_in, \
    stable_refresh_secs, token_latency_ms, activity_cap_status";

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

async fn set_faults(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    body: Result<Json<FaultRequest>, JsonRejection>,
) -> Result<Json<Value>, WebexError> {
    let bad_request = |detail: String| WebexError::new(StatusCode::BAD_REQUEST, detail, &tracking);
    let Json(req) = body.map_err(|e| {
        bad_request(format!(
            "Invalid fault request: {}. Send JSON with any of {FIELDS}.",
            e.body_text()
        ))
    })?;
    if let Some(status) = req.activity_cap_status {
        check_activity_cap_status(status).map_err(bad_request)?;
    }
    apply(&state, &req);
    tracing::info!(?req, "faults updated");
    Ok(Json(fault_view(&state)))
}

fn apply(state: &AppState, req: &FaultRequest) {
    let now = now_ms();
    let mut store = state.store();
    let faults = &mut store.faults;
    replace(&mut faults.force_429, req.force_429);
    replace(&mut faults.force_5xx, req.force_5xx);
    replace(&mut faults.latency_ms, req.latency_ms);
    replace(
        &mut faults.access_token_lifetime_secs,
        req.access_token_lifetime_secs,
    );
    replace(&mut faults.opaque_tokens, req.opaque_tokens);
    replace(&mut faults.json_429, req.json_429);
    replace(&mut faults.report_scope, req.report_scope);
    replace(
        &mut faults.omit_refresh_token_expires_in,
        req.omit_refresh_token_expires_in,
    );
    replace(&mut faults.stable_refresh_secs, req.stable_refresh_secs);
    replace(&mut faults.token_latency_ms, req.token_latency_ms);
    replace(&mut faults.activity_cap_status, req.activity_cap_status);
    let expire = |grants: &mut HashMap<String, Grant>| {
        grants
            .values_mut()
            .for_each(|g| g.expires_at_ms = g.expires_at_ms.min(now));
    };
    if req.expire_access_tokens {
        expire(&mut store.access_tokens);
    }
    if req.expire_refresh_tokens {
        expire(&mut store.refresh_tokens);
    }
}

fn replace<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_request_names_an_unknown_field() {
        assert!(
            serde_json::from_str::<FaultRequest>("{\"force_42\": 1}")
                .unwrap_err()
                .to_string()
                .contains("force_42")
        );
    }
}
