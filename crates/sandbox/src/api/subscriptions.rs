//! Webhook subscriptions made with the v2 API and the event types they can listen to:
//! `GET /v2/subscriptions`, `/v2/subscriptions/{id}` and `/v2/event-types`. Their errors take the
//! spec's `ErrorResult` shape (an integer `key`), not the configuration API's `ApiErrorResponse`.

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::config_lists::not_found;
use super::error::ApiError;
use super::guard::{Caller, check_org};
use super::params::{last_param, query_pairs};
use crate::seed::{OrgData, event_types};
use crate::state::AppState;
use crate::tracking::{TrackedAnswer, TrackingId, awaiting_tracking_id};

/// "Registering and managing Subscriptions requires an administrator role and the appropriate
/// cjp:config_read or cjp:config_write scopes" (developer.webex.com, Subscriptions).
const SUBSCRIPTION_SCOPES: &[&str] = &["cjp:config_read", "cjp:config_write"];

/// An [`ApiError`] answered as the spec's `ErrorResult`:
/// `{"trackingId", "error": {"key": <status>, "message": [{"description"}]}}`.
#[derive(Debug)]
pub struct ErrorResult(ApiError);

impl From<ApiError> for ErrorResult {
    fn from(error: ApiError) -> Self {
        ErrorResult(error)
    }
}

impl IntoResponse for ErrorResult {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for ErrorResult {
    fn answer(&self, tracking: &TrackingId) -> Response {
        let ErrorResult(error) = self;
        let body = json!({
            "trackingId": tracking.0,
            "error": {
                "key": error.status.as_u16(),
                "message": [{"description": error.message}],
            }
        });
        (error.status, Json(body)).into_response()
    }
}

/// Scope, role, then the optional `orgId` (the token's org when absent).
fn org_of_request<'a>(
    state: &'a AppState,
    caller: &Caller,
    uri: &Uri,
) -> Result<&'a OrgData, ApiError> {
    caller.require_scope(
        SUBSCRIPTION_SCOPES,
        "The access token is missing the required scope cjp:config_read (or cjp:config_write).",
    )?;
    caller.require_admin("Subscriptions can be read by administrators only.")?;
    let pairs = query_pairs(uri)?;
    if let Some(org) = last_param(&pairs, "orgId") {
        check_org(caller, org)?;
    }
    state
        .seed()
        .orgs
        .get(&caller.org_id)
        .ok_or_else(|| ApiError::forbidden("Unknown organization."))
}

/// `GET /v2/subscriptions`: `meta.subscriptionCount` counts every subscription of the org, as
/// the spec's description says (the sandbox has made none with the v1 API).
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, ErrorResult> {
    let data = org_of_request(&state, &caller, &uri)?;
    Ok(Json(json!({
        "meta": {"orgId": caller.org_id, "subscriptionCount": data.subscriptions.len()},
        "data": data.subscriptions,
    })))
}

/// `GET /v2/subscriptions/{id}`: 404 for an unknown id (a status the spec does not list for
/// this operation; the body keeps the operation's `ErrorResult` shape).
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Json<Value>, ErrorResult> {
    let data = org_of_request(&state, &caller, &uri)?;
    let subscription = data
        .subscriptions
        .iter()
        .find(|s| s["id"] == json!(id))
        .ok_or_else(|| not_found("subscription", &id))?;
    Ok(Json(
        json!({"meta": {"orgId": caller.org_id}, "data": subscription}),
    ))
}

/// `GET /v2/event-types`.
pub async fn event_types_list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, ErrorResult> {
    org_of_request(&state, &caller, &uri)?;
    let (types, versions) = event_types();
    Ok(Json(json!({
        "meta": {"orgId": caller.org_id, "resourceVersionList": versions},
        "data": types,
    })))
}
