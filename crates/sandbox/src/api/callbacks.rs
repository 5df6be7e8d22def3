//! Scheduled callbacks: `GET /v1/callbacks/organization/{orgId}/scheduled-callback` (by customer
//! number or assigned agent) and `…/scheduled-callback/{id}`. Callbacks whose trigger time has
//! passed are not listed, as the spec says. Errors use `ApiErrorResponse` (the spec documents no
//! body for them).

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::Uri;
use serde_json::{Value, json};

use super::config_lists::{not_found, page_links};
use super::error::ApiError;
use super::guard::{Caller, own_org};
use super::params::{int_param, last_param, link_query, query_pairs};
use crate::seed::{OrgData, ScheduledCallback};
use crate::state::{AppState, now_ms};

/// "Requires 'cjp:user' scope for authorization" (the spec, both operations).
const CALLBACK_SCOPES: &[&str] = &["cjp:user"];

/// The seeded data of `org` for a caller with the `cjp:user` scope (any role), in their own org.
fn user_scope_org<'a>(
    state: &'a AppState,
    caller: &Caller,
    org: &str,
) -> Result<&'a OrgData, ApiError> {
    caller.require_scope(
        CALLBACK_SCOPES,
        "The access token is missing the required scope cjp:user.",
    )?;
    own_org(state, caller, org)
}

/// Callbacks still to come.
fn upcoming(data: &OrgData) -> impl Iterator<Item = &ScheduledCallback> {
    let now = now_ms();
    data.callbacks.iter().filter(move |c| c.trigger_ms > now)
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn one_of<'a>(
    pairs: &'a [(String, String)],
    name: &str,
    allowed: &[&'a str],
    default: &'a str,
) -> Result<&'a str, ApiError> {
    match last_param(pairs, name) {
        None => Ok(default),
        Some(v) if allowed.contains(&v) => Ok(v),
        Some(v) => Err(ApiError::bad_request(format!(
            "{name} must be one of {}, got {v:?}",
            allowed.join(", ")
        ))),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(org): Path<String>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let data = user_scope_org(&state, &caller, &org)?;
    Ok(Json(list_body(data, &org, &uri)?))
}

fn list_body(data: &OrgData, org: &str, uri: &Uri) -> Result<Value, ApiError> {
    let pairs = query_pairs(uri)?;
    let number = last_param(&pairs, "callbackNumber").filter(|n| !n.is_empty());
    let agent = last_param(&pairs, "assigneeAgent").filter(|a| !a.is_empty());
    if number.is_none() && agent.is_none() {
        return Err(ApiError::bad_request(
            "At least one of assigneeAgent or callbackNumber must be provided.",
        ));
    }
    if let Some(agent) = agent.filter(|a| !is_uuid(a)) {
        return Err(ApiError::bad_request(format!(
            "assigneeAgent must be a UUID, got {agent:?}"
        )));
    }
    let page = int_param(&pairs, "page")?.unwrap_or(0);
    let page_size = int_param(&pairs, "pageSize")?.unwrap_or(50);
    if page < 0 || !(1..=100).contains(&page_size) {
        return Err(ApiError::bad_request(format!(
            "page must be 0 or more and pageSize between 1 and 100, got {page} and {page_size}"
        )));
    }
    let sort_by = one_of(
        &pairs,
        "sortBy",
        &["customerName", "scheduledTime", "assignedTime"],
        "scheduledTime",
    )?;
    let descending = one_of(&pairs, "sortOrder", &["asc", "desc"], "asc")? == "desc";
    if sort_by == "assignedTime" && agent.is_none() {
        return Err(ApiError::bad_request(
            "sortBy=assignedTime needs assigneeAgent.",
        ));
    }

    let mut matching: Vec<&ScheduledCallback> = upcoming(data)
        .filter(|c| number.is_none_or(|n| c.record["callbackNumber"] == json!(n)))
        .filter(|c| {
            agent.is_none_or(|a| {
                c.record["assigneeAgent"]
                    .as_str()
                    .is_some_and(|x| x.eq_ignore_ascii_case(a))
            })
        })
        .collect();
    matching.sort_by(|a, b| {
        let key = |c: &ScheduledCallback| match sort_by {
            "customerName" => (
                c.record["customerName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                c.trigger_ms,
            ),
            "assignedTime" => (
                String::new(),
                c.record["assignedTime"].as_i64().unwrap_or_default(),
            ),
            _ => (String::new(), c.trigger_ms),
        };
        key(a).cmp(&key(b))
    });
    if descending {
        matching.reverse();
    }
    let (page, page_size) = (page as usize, page_size as usize);
    let total = matching.len();
    let total_pages = total.div_ceil(page_size);
    let data: Vec<&Value> = matching
        .iter()
        .skip(page.saturating_mul(page_size))
        .take(page_size)
        .map(|c| &c.record)
        .collect();

    let filters = link_query(
        [("callbackNumber", number), ("assigneeAgent", agent)]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v))),
    );
    let links = page_links(page as u64, total_pages as u64, |p| {
        format!(
            "/v1/callbacks/organization/{org}/scheduled-callback?page={p}&pageSize={page_size}{filters}"
        )
    });
    Ok(json!({
        "meta": {"orgId": org, "page": page, "pageSize": page_size, "totalPages": total_pages,
                 "totalRecords": total, "links": links},
        "data": data,
    }))
}

/// A callback by id (UUIDs compare without regard to case); 404 when unknown or already triggered.
pub async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let data = user_scope_org(&state, &caller, &org)?;
    let callback = upcoming(data)
        .find(|c| {
            c.record["id"]
                .as_str()
                .is_some_and(|x| x.eq_ignore_ascii_case(&id))
        })
        .ok_or_else(|| not_found("scheduled callback", &id))?;
    Ok(Json(callback.record.clone()))
}
