//! The flow store: `GET /flow-store/{orgId}/project/{projectId}/flows` (flows or subflows, an
//! array of `BasicFlowDTO`, or a page object with `includePagination=true`) and
//! `…/flows/{flowId}:export` (a `FlowVersionRes`). Errors use `ApiErrorResponse` (the spec
//! documents no body for them).

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::Uri;
use serde_json::{Value, json};

use super::config_lists::not_found;
use super::error::ApiError;
use super::guard::{Caller, check_org};
use super::params::{bool_param, int_param, last_param, query_pairs};
use crate::seed::{FLOW_PROJECT_ID, Flow, OrgData};
use crate::state::AppState;

/// "Scope: `cjp:config_read`. Roles: [`Organizational Full Admin`, `Supervisor`, `Contact Center
/// Service Admin`, `User Admin`]" (the spec, both operations); the sandbox's admin stands for them.
const FLOW_SCOPES: &[&str] = &["cjp:config_read"];
/// Largest `size`; the spec says bigger values are adjusted down to "the max page size", which it
/// does not give (assumed).
const MAX_SIZE: i64 = 100;

fn flows_of<'a>(
    state: &'a AppState,
    caller: &Caller,
    org: &str,
    project: &str,
) -> Result<&'a [Flow], ApiError> {
    caller.require_scope(
        FLOW_SCOPES,
        "The access token is missing the required scope cjp:config_read.",
    )?;
    caller.require_admin("Flows can be read by administrators and supervisors only.")?;
    check_org(caller, org)?;
    if project != FLOW_PROJECT_ID {
        return Err(not_found("flow project", project));
    }
    Ok(state
        .seed()
        .orgs
        .get(org)
        .map(|o: &OrgData| o.flows.as_slice())
        .unwrap_or_default())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, project)): Path<(String, String)>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let flows = flows_of(&state, &caller, &org, &project)?;
    Ok(Json(list_body(flows, &uri)?))
}

fn list_body(flows: &[Flow], uri: &Uri) -> Result<Value, ApiError> {
    let pairs = query_pairs(uri)?;
    let flow_type = last_param(&pairs, "flowType").unwrap_or("FLOW");
    if !["FLOW", "SUBFLOW"].contains(&flow_type) {
        return Err(ApiError::bad_request(format!(
            "flowType must be FLOW or SUBFLOW, got {flow_type:?}"
        )));
    }
    let ids: Option<Vec<&str>> = last_param(&pairs, "ids")
        .filter(|ids| !ids.trim().is_empty())
        .map(|ids| ids.split(',').map(str::trim).collect());
    let name_part = last_param(&pairs, "partialNameSearch").map(str::to_lowercase);
    let page = int_param(&pairs, "page")?.unwrap_or(0);
    let size = int_param(&pairs, "size")?.unwrap_or(10);
    if page < 0 || size < 1 {
        return Err(ApiError::bad_request(format!(
            "page must be 0 or more and size 1 or more, got {page} and {size}"
        )));
    }
    bool_param(&pairs, "includePagination")?;
    let paginated = last_param(&pairs, "includePagination") == Some("true");
    let size = size.min(MAX_SIZE) as usize;

    let matching: Vec<&Value> = flows
        .iter()
        .map(|f| &f.basic)
        .filter(|f| f["flowType"] == json!(flow_type))
        .filter(|f| {
            ids.as_ref()
                .is_none_or(|ids| ids.iter().any(|id| f["id"] == json!(id)))
        })
        .filter(|f| {
            name_part.as_ref().is_none_or(|part| {
                f["name"]
                    .as_str()
                    .is_some_and(|n| n.to_lowercase().contains(part))
            })
        })
        .collect();
    let total = matching.len();
    let data: Vec<&Value> = matching
        .into_iter()
        .skip((page as usize).saturating_mul(size))
        .take(size)
        .collect();
    if paginated {
        // The spec's parameter description: "a different paginated response object containing the
        // page metadata (currentPage, totalRecords, pageSize, totalPages)" with the flows in "data".
        Ok(
            json!({"currentPage": page, "pageSize": size, "totalPages": total.div_ceil(size),
                  "totalRecords": total, "data": data}),
        )
    } else {
        Ok(json!(data))
    }
}

/// `…/flows/{flowId}:export`; the route captures the whole last segment.
pub async fn export(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, project, segment)): Path<(String, String, String)>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let flows = flows_of(&state, &caller, &org, &project)?;
    let Some(flow_id) = segment.strip_suffix(":export") else {
        return Err(not_found("flow-store operation", &segment));
    };
    let flow = flows
        .iter()
        .find(|f| f.id() == flow_id)
        .ok_or_else(|| not_found("flow", flow_id))?;
    let pairs = query_pairs(&uri)?;
    let version = match last_param(&pairs, "version").unwrap_or("latest") {
        "latest" => flow.versions.last(),
        "draft" => Some(&flow.draft),
        id => flow
            .versions
            .iter()
            .chain([&flow.draft])
            .find(|v| v["id"] == json!(id)),
    };
    let version = version.ok_or_else(|| {
        not_found(
            "flow version",
            last_param(&pairs, "version").unwrap_or_default(),
        )
    })?;
    Ok(Json(version.clone()))
}
