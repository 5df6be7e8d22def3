//! Journey workspaces: `GET /admin/v1/api/workspace` and `…/workspace/workspace-id/{workspaceId}`,
//! in the caller's org. Errors take the Journey API's shape (`ApiError404` and its siblings:
//! `status`, `message`, `errors`, `timestamp`, `trackingId`).

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::config_lists::not_found;
use super::error::ApiError;
use super::guard::Caller;
use super::params::{int_param, last_param, query_pairs};
use crate::rsql;
use crate::seed::rfc3339;
use crate::state::{AppState, now_ms};
use crate::tracking::{TrackedAnswer, TrackingId, awaiting_tracking_id};

/// "It requires the appropriate cjds:admin_org_read or cjds:admin_org_write scopes or
/// cjp:config_read or cjp:config_write scopes" (the spec, both operations).
const JOURNEY_SCOPES: &[&str] = &[
    "cjds:admin_org_read",
    "cjds:admin_org_write",
    "cjp:config_read",
    "cjp:config_write",
];
/// Fields a workspace filter or sort may name (the spec's example spells them `workspaces.<field>`).
const FIELDS: &[&str] = &["id", "name"];

/// An [`ApiError`] answered in the Journey API's error shape.
#[derive(Debug)]
pub struct JourneyError(ApiError);

impl From<ApiError> for JourneyError {
    fn from(error: ApiError) -> Self {
        JourneyError(error)
    }
}

impl IntoResponse for JourneyError {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for JourneyError {
    fn answer(&self, tracking: &TrackingId) -> Response {
        let JourneyError(error) = self;
        let status = error.status;
        let body = json!({
            "status": format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or_default().to_uppercase().replace(' ', "_")),
            "message": error.message,
            "errors": [error.message],
            "timestamp": rfc3339(now_ms()),
            "trackingId": tracking.0,
        });
        (status, Json(body)).into_response()
    }
}

fn workspaces_of<'a>(state: &'a AppState, caller: &Caller) -> Result<&'a [Value], ApiError> {
    caller.require_scope(
        JOURNEY_SCOPES,
        "The access token needs one of cjds:admin_org_read, cjds:admin_org_write, cjp:config_read or cjp:config_write.",
    )?;
    Ok(state
        .seed()
        .orgs
        .get(&caller.org_id)
        .map(|o| o.workspaces.as_slice())
        .unwrap_or_default())
}

fn field_name(name: &str) -> Result<&str, ApiError> {
    let bare = name.strip_prefix("workspaces.").unwrap_or(name);
    if FIELDS.contains(&bare) {
        Ok(bare)
    } else {
        Err(ApiError::bad_request(format!(
            "Unknown workspace field {name:?}; use name or id (optionally as workspaces.name)."
        )))
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, JourneyError> {
    let all = workspaces_of(&state, &caller)?;
    Ok(Json(list_body(all, &caller, &uri)?))
}

fn list_body(all: &[Value], caller: &Caller, uri: &Uri) -> Result<Value, ApiError> {
    let pairs = query_pairs(uri)?;
    let filter = match last_param(&pairs, "filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => {
            let expr =
                rsql::parse(text).map_err(|e| ApiError::bad_request(format!("filter: {e}")))?;
            for f in expr.fields() {
                field_name(f)?;
            }
            Some(expr)
        }
    };
    let sort_by = field_name(last_param(&pairs, "sortBy").unwrap_or("name"))?.to_string();
    let descending = match last_param(&pairs, "sort")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("ASC") => false,
        Some("DESC") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "sort must be ASC or DESC, got {other:?}"
            )));
        }
    };
    let page = int_param(&pairs, "page")?.unwrap_or(0);
    let page_size = int_param(&pairs, "pageSize")?.unwrap_or(10);
    if page < 0 || page_size < 1 {
        return Err(ApiError::bad_request(format!(
            "page must be 0 or more and pageSize 1 or more, got {page} and {page_size}"
        )));
    }
    let resolve = |f: &str| f.strip_prefix("workspaces.").unwrap_or(f).to_string();
    let mut matching: Vec<&Value> = all
        .iter()
        .filter(|w| filter.as_ref().is_none_or(|e| e.matches(w, &resolve)))
        .collect();
    matching.sort_by(|a, b| a[&sort_by].as_str().cmp(&b[&sort_by].as_str()));
    if descending {
        matching.reverse();
    }
    let data: Vec<&Value> = matching
        .into_iter()
        .skip((page as usize).saturating_mul(page_size as usize))
        .take(page_size as usize)
        .collect();
    Ok(json!({"meta": {"organizationId": caller.org_id}, "data": data}))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, JourneyError> {
    let workspace = workspaces_of(&state, &caller)?
        .iter()
        .find(|w| w["id"] == json!(id))
        .ok_or_else(|| not_found("workspace", &id))?;
    Ok(Json(
        json!({"meta": {"organizationId": caller.org_id}, "data": workspace}),
    ))
}
