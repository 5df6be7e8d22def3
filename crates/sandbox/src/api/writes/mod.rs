//! The configuration writes the console's Provision page uses, as Cisco's spec describes them:
//! `PATCH /organization/{orgid}/user/bulk` (`patchAllConfig`), `PATCH …/user/{id}` (`patchConfig`),
//! `POST …/team` (`createConfig_3`), `POST …/team/bulk` (`saveAllConfig_3`) and `PUT …/team/{id}`
//! (`updateConfig_4`).
//!
//! Every write passes the API guard (faults, latency, token, rate limit) like a read, then needs
//! the scope `cjp:config_write`, the administrator role and the caller's own org (403 otherwise),
//! then a JSON body of the spec's shape (400 naming the field, see `schema`), then checks against
//! the org's records: referenced ids exist (400 `"<field>: <id> not found for given orgId."`, the
//! form of the spec's `BulkResponseItemDTO` example), the `version` sent is the record's (the
//! `stale_version` knob), fields the spec says cannot be modified are not. A write moves the
//! record's `version` (+1) and `lastUpdatedTime`; a user's `teamIds` and a team's `userIds` are two
//! views of one membership, so a write to either updates (and moves) the records on the other side.

mod bulk;
mod query_dto;
mod schema;
mod teams;
mod users;

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, FromRequest, FromRequestParts, Path, Request};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post, put};
use serde_json::{Map, Value, json};

use super::config_lists::not_found;
use super::error::ApiError;
use super::guard::{Caller, own_org};
use crate::config::Knobs;
use crate::live::OrgWrite;
use crate::seed::{Collection, OrgData};
use crate::state::AppState;

/// The scope configuration writes need.
pub const WRITE_SCOPE: &str = "cjp:config_write";

/// Adds the write routes to `router`, which serves the reads on the same paths
/// (`GET …/user/{id}`, `GET …/team`, `GET …/team/{id}`): axum joins the methods of one path.
pub fn add_routes(router: Router<AppState>) -> Router<AppState> {
    router
        .route("/organization/{orgid}/user/bulk", patch(users::bulk_patch))
        .route("/organization/{orgid}/user/{id}", patch(users::patch_one))
        .route("/organization/{orgid}/team", post(teams::create))
        .route("/organization/{orgid}/team/bulk", post(teams::bulk_save))
        .route("/organization/{orgid}/team/{id}", put(teams::replace))
}

/// Fields the server keeps whatever a write sends, on users and teams alike.
const SERVER_KEPT: &[&str] = &[
    "id",
    "organizationId",
    "version",
    "createdTime",
    "lastUpdatedTime",
];

/// A write request past the checks every write makes before its body is parsed: the caller may
/// write to the org in the path ([`authorize_write`]), with the knobs as they stood then. The body
/// is kept unparsed because the handlers read it differently (JSON, or a TeamDTO wherever the
/// `team_dto_in` knob says).
///
/// One extractor rather than the same lines atop each handler, so the order of checks the README
/// documents lives in one place. It takes the body itself, as the handlers' `Bytes` did, so a body
/// over axum's size limit is still refused before the caller is checked; it must therefore be a
/// handler's last argument.
struct WriteRequest {
    state: AppState,
    org: String,
    knobs: WriteKnobs,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
}

impl FromRequest<AppState> for WriteRequest {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Extension(caller) = Extension::<Caller>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        // Every write route has `{orgid}`; some have an `{id}` too, which their handlers extract.
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let org = params.get("orgid").cloned().unwrap_or_default();
        let (headers, uri) = (parts.headers.clone(), parts.uri.clone());
        let body = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        authorize_write(state, &caller, &org).map_err(IntoResponse::into_response)?;
        Ok(WriteRequest {
            state: state.clone(),
            org,
            knobs: WriteKnobs::of(state),
            headers,
            uri,
            body,
        })
    }
}

impl WriteRequest {
    /// The body as JSON ([`json_body`]).
    fn json(&self) -> Result<Value, ApiError> {
        json_body(&self.headers, &self.body)
    }

    /// The TeamDTO of a team create or replacement, from the body or the query string.
    fn team_dto(&self) -> Result<Value, ApiError> {
        query_dto::team_dto(
            self.knobs.team_in_query,
            &self.headers,
            &self.uri,
            &self.body,
        )
    }

    /// Runs `change` on the org's records ([`AppState::write`]). The org exists: it passed
    /// [`authorize_write`].
    fn write<R>(&self, change: impl FnOnce(&mut OrgWrite<'_>) -> R) -> Result<R, ApiError> {
        self.state
            .write(&self.org, change)
            .ok_or_else(|| ApiError::forbidden(format!("Unknown organization {}.", self.org)))
    }
}

/// Scope, role, then organization: what every write needs before its body is read.
fn authorize_write<'a>(
    state: &'a AppState,
    caller: &Caller,
    org: &str,
) -> Result<&'a OrgData, ApiError> {
    caller.require_scope(
        &[WRITE_SCOPE],
        "The access token is missing the required scope cjp:config_write. Sign in again requesting it.",
    )?;
    caller.require_admin(
        "The user is missing the admin role: only Contact Center administrators can change this resource.",
    )?;
    own_org(state, caller, org)
}

/// The knobs a write reads, taken once per request.
#[derive(Debug, Clone)]
struct WriteKnobs {
    stale_version: String,
    refuse_unknown: bool,
    failure_rate: f64,
    max_items: u32,
    team_in_query: bool,
}

impl WriteKnobs {
    fn of(state: &AppState) -> WriteKnobs {
        let knobs: Knobs = state.store().faults.knobs.clone();
        WriteKnobs {
            stale_version: knobs.stale_version,
            refuse_unknown: knobs.write_unknown_fields == "refuse",
            failure_rate: knobs.bulk_item_failure_rate,
            max_items: knobs.bulk_max_items,
            team_in_query: knobs.team_dto_in == "query",
        }
    }
}

/// The request's JSON body: `Content-Type: application/json` (or another `+json` type) and JSON.
fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    if !(media.eq_ignore_ascii_case("application/json") || media.ends_with("+json")) {
        return Err(ApiError::bad_request(format!(
            "Content-Type must be application/json, got {:?}.",
            if media.is_empty() { "none" } else { media }
        )));
    }
    if body.is_empty() {
        return Err(ApiError::bad_request("The request body is required."));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}.")))
}

/// The value of `field` in a write's object unless absent or `null`.
fn given<'a>(object: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    object.get(field).filter(|v| !v.is_null())
}

/// A 400 for `field` naming `id` as not found, in the spec's example form.
fn not_found_for_org(field: &str, id: &str) -> ApiError {
    ApiError::bad_request(format!("{field}: {id} not found for given orgId."))
}

/// The record of `collection` that `field` names, or a 400 naming the field and the id.
fn referenced<'w>(
    w: &'w OrgWrite<'_>,
    collection: Collection,
    field: &str,
    value: &Value,
) -> Result<&'w Value, ApiError> {
    let id = value.as_str().unwrap_or_default();
    w.record(collection, id)
        .ok_or_else(|| not_found_for_org(field, id))
}

/// The `version` check: a write that names a version other than the record's is stale, answered
/// as the `stale_version` knob says (refused with 400 by default, or 409, or accepted).
fn check_version(
    knobs: &WriteKnobs,
    what: &str,
    current: &Value,
    sent: Option<&Value>,
) -> Result<(), ApiError> {
    let Some(sent) = sent.and_then(Value::as_i64) else {
        return Ok(());
    };
    let now = current["version"].as_i64().unwrap_or_default();
    if sent == now || knobs.stale_version == "accept" {
        return Ok(());
    }
    let message = format!(
        "version: the {what} is at version {now}, not {sent}: it changed since it was read. Read it again and retry."
    );
    Err(if knobs.stale_version == "refuse409" {
        ApiError::new(StatusCode::CONFLICT, "Conflict", message)
    } else {
        ApiError::bad_request(message)
    })
}

/// The record `id` of `collection` (a `what`, for the messages) that a write changes, as it
/// stands: a 404 when there is none, a stale `sent` version refused by [`check_version`].
fn record_at_version(
    w: &OrgWrite<'_>,
    (collection, what): (Collection, &str),
    id: &str,
    knobs: &WriteKnobs,
    sent: Option<&Value>,
) -> Result<Value, ApiError> {
    let current = w
        .record(collection, id)
        .cloned()
        .ok_or_else(|| not_found(what, id))?;
    check_version(knobs, what, &current, sent)?;
    Ok(current)
}

/// Moves a written record's `version` and `lastUpdatedTime`.
fn touch(record: &mut Value, stamp: i64) {
    let version = record["version"].as_i64().unwrap_or_default();
    record["version"] = json!(version + 1);
    record["lastUpdatedTime"] = json!(stamp);
}

/// The strings of an array field (empty when absent; items that are not strings are skipped).
/// Not `wxcc_core::json::text_list`: that one refuses a whole list for one such item.
fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Puts `member` in (or takes it out of) the `list` array of `collection`'s record `id`, moving
/// the record when that changes it.
fn set_membership(
    w: &mut OrgWrite<'_>,
    collection: Collection,
    id: &str,
    list: &str,
    member: &str,
    present: bool,
    stamp: i64,
) {
    let Some(record) = w.record_mut(collection, id) else {
        return;
    };
    let mut members = strings(record.get(list));
    let had = members.iter().any(|m| m == member);
    if had == present {
        return;
    }
    if present {
        members.push(member.to_string());
        members.sort();
    } else {
        members.retain(|m| m != member);
    }
    record[list] = json!(members);
    touch(record, stamp);
}

/// The other side of a membership change: `id` (a user or a team) moved from `before` to `after`.
fn sync_members(
    w: &mut OrgWrite<'_>,
    other: Collection,
    list: &str,
    id: &str,
    before: &[String],
    after: &[String],
    stamp: i64,
) {
    for gone in before.iter().filter(|b| !after.contains(b)) {
        set_membership(w, other, gone, list, id, false, stamp);
    }
    for new in after.iter().filter(|a| !before.contains(a)) {
        set_membership(w, other, new, list, id, true, stamp);
    }
}
