//! Requests built from `wxcc_core::catalogue` the way the explorer builds them (`build_url`, its
//! default values), and where the ids they need come from.

use serde_json::Value;
use wxcc_core::catalogue::{ENDPOINTS, Endpoint, Param, ParamIn, build_url};

/// Path parameters whose value the spec fixes ("Always use: 5e5c9ad6d61f870d6d778c1b"): the
/// catalogue's example is the value.
const FIXED_PATH_PARAMS: &[&str] = &["projectId"];

/// Required query parameters that name a resource, and the catalogued list their ids come from.
pub const QUERY_ID_SOURCES: &[(&str, &str)] = &[("queueId", "queues-list")];

/// Endpoints that Webex answers with a documented non-200 status when sent only the explorer's
/// defaults (required parameters, the spec's examples), and the optional parameters whose
/// examples complete the request.
pub const EXPLORER_DEFAULT_ANSWERS: &[(&str, u16, &[&str], &str)] = &[
    (
        "scheduled-callbacks-list",
        400,
        &["callbackNumber"],
        "the spec: 400 when both assigneeAgent and callbackNumber are missing",
    ),
    (
        "estimated-wait-time",
        204,
        &[],
        "the spec: \"For an Invalid queue value we return a 204\" (the example queue is not in the org)",
    ),
];

/// Catalogue examples the sandbox refuses, with the status and why: each is a catalogue entry to
/// fix (reported to the owners of crates/core); the test fails once the example is accepted, so
/// the entry is removed when the catalogue is fixed.
pub const REFUSED_EXAMPLES: &[(&str, &str, u16, &str)] = &[];

pub fn endpoint(id: &str) -> &'static Endpoint {
    ENDPOINTS
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} is catalogued"))
}

pub fn is_fixed(param: &Param) -> bool {
    FIXED_PATH_PARAMS.contains(&param.name)
}

/// The path parameter a 404 is tested with: the last one that is neither the org nor fixed.
pub fn id_param(endpoint: &Endpoint) -> Option<&'static Param> {
    endpoint
        .params
        .iter()
        .rfind(|p| p.location == ParamIn::Path && !p.is_org_id() && !is_fixed(p))
}

/// The explorer's starting values: the last twelve hours for `from`/`to`, the spec's example for
/// other required parameters (fixed path parameters included), nothing for optional ones.
pub fn explorer_defaults(endpoint: &Endpoint, now_ms: i64) -> Vec<(&'static str, String)> {
    endpoint
        .params
        .iter()
        .filter_map(|p| match p.name {
            "from" => Some((p.name, (now_ms - 12 * 3_600_000).to_string())),
            "to" => Some((p.name, now_ms.to_string())),
            _ if p.required && !p.is_org_id() => Some((p.name, p.example.to_string())),
            _ => None,
        })
        .collect()
}

/// Sets `name` to `value` (replacing any value it had).
pub fn set(values: &mut Vec<(&'static str, String)>, name: &'static str, value: String) {
    values.retain(|(n, _)| *n != name);
    values.push((name, value));
}

/// The URL path and query the explorer sends for these values.
pub fn url(endpoint: &Endpoint, values: &[(&'static str, String)], org: &str) -> String {
    let refs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    build_url("", endpoint, &refs, org)
        .unwrap_or_else(|e| panic!("{}: the explorer cannot build the URL: {e}", endpoint.id))
}

/// The list a path parameter's value comes from, and the field to take (see
/// `wxcc_core::catalogue::id_source`, which the explorer uses too).
pub fn id_source(endpoint: &Endpoint, param: &Param) -> (&'static Endpoint, &'static str) {
    wxcc_core::catalogue::id_source(endpoint, param).unwrap_or_else(|| {
        panic!(
            "{}: no catalogued list in {:?} to take a {} from",
            endpoint.id, endpoint.group, param.name
        )
    })
}

/// The `field` of the first record of a list answer.
pub fn first_value(records: Option<&Vec<Value>>, field: &str) -> Option<String> {
    records?.first()?.get(field)?.as_str().map(str::to_string)
}
