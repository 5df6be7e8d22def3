//! The control endpoint `/_sandbox/faults` (identity port, only with `control`): lets tests force
//! 429s and 5xx on the API port, add latency, expire tokens and change how tokens are issued.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http_util::TrackingId;
use crate::identity::WebexError;
use crate::state::{AppState, now_ms};

pub fn routes() -> Router<AppState> {
    Router::new().route("/_sandbox/faults", get(get_faults).post(set_faults))
}

/// Body of `POST /_sandbox/faults`; every field optional.
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
}

async fn get_faults(State(state): State<AppState>) -> Json<Value> {
    Json(fault_view(&state))
}

fn fault_view(state: &AppState) -> Value {
    let cfg = state.config();
    let store = state.store();
    json!({
        "force_429": store.faults.force_429,
        "force_5xx": store.faults.force_5xx,
        "latency_ms": store.faults.latency_ms.unwrap_or(cfg.latency_ms),
        "access_token_lifetime_secs": store.faults.access_token_lifetime_secs.unwrap_or(cfg.access_token_lifetime_secs),
        "opaque_tokens": store.faults.opaque_tokens,
        "config_force_429": cfg.force_429,
        "error_rate": cfg.error_rate,
        "rate_limit_per_minute": cfg.rate_limit_per_minute,
        "access_tokens": store.access_tokens.len(),
        "refresh_tokens": store.refresh_tokens.len(),
    })
}

async fn set_faults(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    body: Result<Json<FaultRequest>, JsonRejection>,
) -> Result<Json<Value>, WebexError> {
    let Json(req) = body.map_err(|e| {
        let d = format!(
            "Invalid fault request: {}. Send JSON with any of force_429, force_5xx, expire_access_tokens, expire_refresh_tokens, latency_ms, access_token_lifetime_secs, opaque_tokens.",
            e.body_text()
        );
        WebexError::new(StatusCode::BAD_REQUEST, d, &tracking)
    })?;
    {
        let now = now_ms();
        let mut store = state.store();
        if let Some(n) = req.force_429 {
            store.faults.force_429 = n;
        }
        if let Some(n) = req.force_5xx {
            store.faults.force_5xx = n;
        }
        if let Some(ms) = req.latency_ms {
            store.faults.latency_ms = Some(ms);
        }
        if let Some(secs) = req.access_token_lifetime_secs {
            store.faults.access_token_lifetime_secs = Some(secs);
        }
        if let Some(opaque) = req.opaque_tokens {
            store.faults.opaque_tokens = opaque;
        }
        if req.expire_access_tokens {
            store
                .access_tokens
                .values_mut()
                .for_each(|g| g.expires_at_ms = g.expires_at_ms.min(now));
        }
        if req.expire_refresh_tokens {
            store
                .refresh_tokens
                .values_mut()
                .for_each(|g| g.expires_at_ms = g.expires_at_ms.min(now));
        }
    }
    tracing::info!(?req, "faults updated");
    Ok(Json(fault_view(&state)))
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
