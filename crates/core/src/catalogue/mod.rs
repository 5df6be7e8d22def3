//! The explorer's catalogue of Contact Center GET endpoints, with their parameters and the scopes
//! that unlock them, and [`build_url`] to turn a filled-in form into the request URL.
//!
//! Every entry is taken from the official OpenAPI spec (`webex-contact-center.json`): `path` is
//! spelled exactly as there, and each parameter has the spec's name, location (`in`) and
//! `required`. The conformance test `tests/catalogue_conformance.rs` checks this against the spec
//! (`$WXCC_OPENAPI_SPEC`, else the copy beside the repository; see `crates/spec-fixture`).
//! Optional parameters are a useful subset, not all of them; header parameters (`TrackingId`) are
//! left out because the API client sets those itself.
//!
//! Which scopes an endpoint lists (any one of them suffices, the first is the one to ask for):
//! - [`ScopeSource::Spec`]: the operation's description in the spec names its scopes (subscriptions,
//!   callbacks, flows, journey); the catalogue lists exactly those, read scope first.
//! - [`ScopeSource::ConsoleRule`]: the spec names none (the configuration API, tasks, statistics).
//!   Then configuration reads list [`CONFIG_READ`] and tasks/activity/statistics list
//!   [`ACTIVITY_READ`], the same scopes that gate the matching views in [`crate::scopes`], so
//!   the explorer and the views never disagree.

use std::fmt;

mod build;
mod endpoints;
pub mod search;

pub use build::{BuildUrlError, build_url};
pub use endpoints::ENDPOINTS;

/// Where a parameter goes. Only path and query parameters are catalogued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamIn {
    Path,
    Query,
}

impl ParamIn {
    /// The spec's spelling (`"path"`, `"query"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
        }
    }
}

impl fmt::Display for ParamIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One parameter of a catalogued endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Name exactly as in the spec (`orgid`, `pageSize`).
    pub name: &'static str,
    pub location: ParamIn,
    pub required: bool,
    /// One line for the form.
    pub description: &'static str,
    /// A placeholder for the form; empty when there is no sensible one.
    pub example: &'static str,
}

impl Param {
    /// The organization ID, which [`build_url`] fills in from the sign-in when left blank. The
    /// configuration API spells it `orgid` (path), the others `orgId` (path or query).
    pub fn is_org_id(&self) -> bool {
        self.name == "orgid" || self.name == "orgId"
    }
}

/// Why the endpoint lists the scopes it does (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeSource {
    /// The operation's description in the spec names these scopes.
    Spec,
    /// The spec names none; the console's rule for this kind of endpoint applies.
    ConsoleRule,
}

/// One catalogued endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// Stable slug, used in deep links (`users-list`).
    pub id: &'static str,
    /// Menu group (`Users`, `Activity`…).
    pub group: &'static str,
    /// The spec's summary.
    pub summary: &'static str,
    /// Always `"GET"`: the explorer only reads.
    pub method: &'static str,
    /// Exactly as in the spec, e.g. `/organization/{orgid}/v2/user`.
    pub path: &'static str,
    /// Path parameters first, then query parameters in the order they are sent.
    pub params: &'static [Param],
    /// Any one of these unlocks the endpoint; the first is the one to ask for.
    pub scopes: &'static [&'static str],
    pub scope_source: ScopeSource,
    /// Why not to build on it, when Cisco has deprecated it (the explorer shows this beside it).
    pub deprecated: Option<&'static str>,
}

impl Endpoint {
    /// Whether one of the granted scopes unlocks the endpoint.
    pub fn is_available<S: AsRef<str>>(&self, granted: &[S]) -> bool {
        self.scopes
            .iter()
            .any(|needed| granted.iter().any(|g| g.as_ref() == *needed))
    }
}

/// Scopes of configuration reads where the spec names none (= `scopes::Feature::Users` etc.).
pub const CONFIG_READ: &[&str] = &["cjp:config_read", "cjp:config_write"];

/// Scopes of tasks, agent activity and statistics where the spec names none
/// (= `scopes::Feature::Activity`).
pub const ACTIVITY_READ: &[&str] = &["cjp:config_read", "cjds:admin_org_read", "cjp:config_write"];

/// The endpoint with this id.
pub fn find(id: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|endpoint| endpoint.id == id)
}

/// The groups, in menu order.
pub fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for endpoint in ENDPOINTS {
        if !groups.contains(&endpoint.group) {
            groups.push(endpoint.group);
        }
    }
    groups
}

/// The catalogued endpoint with this id, for tests.
#[cfg(test)]
fn catalogued(id: &str) -> &'static Endpoint {
    find(id).unwrap_or_else(|| panic!("{id} is catalogued"))
}

/// For a path parameter that names one record (`{id}`, `{ciUserId}`), the catalogued list in the
/// same group whose records carry such values, and the field to take from its first record: the
/// explorer fills the parameter from it, so a by-id call answers with a record that exists.
pub fn id_source(endpoint: &Endpoint, param: &Param) -> Option<(&'static Endpoint, &'static str)> {
    let placeholder = format!("{{{}}}", param.name);
    let before: Vec<&str> = endpoint
        .path
        .split('/')
        .take_while(|s| !s.starts_with(&placeholder))
        .collect();
    // `/user/by-ci-user-id/{ciUserId}`: the resource is the segment before the lookup.
    let lookup = before.last().copied().filter(|s| s.ends_with("-id"));
    let resource = match lookup {
        Some(_) => before.get(before.len().checked_sub(2)?)?,
        None => before.last()?,
    };
    let field = match lookup {
        Some("by-ci-user-id") => "ciUserId",
        _ => "id",
    };
    // A list has no path parameter but the org and fixed ones (the flow store's projectId).
    let names_one = |e: &Endpoint| {
        e.params
            .iter()
            .any(|p| p.location == ParamIn::Path && !p.is_org_id() && p.name != "projectId")
    };
    ENDPOINTS
        .iter()
        .filter(|e| e.group == endpoint.group && !names_one(e))
        .find(|e| e.path.ends_with(&format!("/{resource}")))
        .map(|list| (list, field))
}

/// Query parameters that name a record, and the catalogued list their values come from (the
/// explorer fills them like path ids, so the call answers with data).
const QUERY_ID_SOURCES: [(&str, &str); 2] =
    [("queueId", "queues-list"), ("assigneeAgent", "users-list")];

/// For a query parameter that names a record (`queueId`, `assigneeAgent`), the list to take its
/// value from and the field.
pub fn query_id_source(param: &Param) -> Option<(&'static Endpoint, &'static str)> {
    let (_, list) = QUERY_ID_SOURCES
        .iter()
        .find(|(name, _)| *name == param.name)?;
    Some((find(list)?, "id"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::Feature;
    use std::collections::HashSet;

    #[test]
    fn has_at_least_thirty_endpoints_with_unique_ids() {
        assert!(ENDPOINTS.len() >= 30, "only {} endpoints", ENDPOINTS.len());
        let mut seen = HashSet::new();
        for e in ENDPOINTS {
            assert!(seen.insert(e.id), "duplicate id {}", e.id);
            assert!(
                e.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "id {} is not a slug",
                e.id
            );
        }
    }

    #[test]
    fn the_statistics_endpoints_are_marked_deprecated_with_their_end_of_life() {
        for id in ["agent-statistics", "queue-statistics"] {
            let note = find(id).and_then(|e| e.deprecated).unwrap_or_default();
            assert!(
                note.contains("2027-03-31") && note.contains("/search"),
                "{id}"
            );
        }
        assert_eq!(
            ENDPOINTS.iter().filter(|e| e.deprecated.is_some()).count(),
            2
        );
    }

    #[test]
    fn method_path_pairs_are_unique_and_all_get() {
        let mut seen = HashSet::new();
        for e in ENDPOINTS {
            assert_eq!(e.method, "GET", "{}", e.id);
            assert!(seen.insert(e.path), "{} catalogued twice", e.path);
        }
    }

    #[test]
    fn the_views_endpoints_are_catalogued() {
        for path in [
            "/organization/{orgid}/v2/user",
            "/organization/{orgid}/v2/user/by-ci-user-id/{id}",
            "/organization/{orgid}/v2/team",
            "/organization/{orgid}/v2/site",
            "/organization/{orgid}/v2/contact-service-queue",
            "/organization/{orgid}/v3/contact-service-queue",
            "/organization/{orgid}/v2/entry-point",
            "/organization/{orgid}/v2/agent-profile",
            "/organization/{orgid}/v2/skill-profile",
            "/organization/{orgid}/v2/auxiliary-code",
            "/organization/{orgid}/v3/address-book",
            "/organization/{orgid}/user/{id}",
            "/organization/{orgid}/team/{id}",
            "/v1/tasks",
            "/v1/agents/activities",
            "/v1/agents/statistics",
            "/v1/queues/statistics",
        ] {
            assert!(ENDPOINTS.iter().any(|e| e.path == path), "{path} missing");
        }
    }

    #[test]
    fn path_placeholders_match_path_params_exactly() {
        for e in ENDPOINTS {
            let placeholders: HashSet<&str> = e
                .path
                .split('{')
                .skip(1)
                .map(|rest| rest.split('}').next().unwrap_or_default())
                .collect();
            let path_params: HashSet<&str> = e
                .params
                .iter()
                .filter(|p| p.location == ParamIn::Path)
                .map(|p| p.name)
                .collect();
            assert_eq!(placeholders, path_params, "{}", e.id);
            assert!(
                e.params
                    .iter()
                    .all(|p| p.location != ParamIn::Path || p.required),
                "{}: path parameters are always required",
                e.id
            );
            let mut names = HashSet::new();
            assert!(e.params.iter().all(|p| names.insert(p.name)), "{}", e.id);
        }
    }

    #[test]
    fn every_endpoint_has_scopes_and_console_rules_match_the_views() {
        assert_eq!(CONFIG_READ, Feature::Users.required_scopes());
        assert_eq!(ACTIVITY_READ, Feature::Activity.required_scopes());
        for e in ENDPOINTS {
            assert!(!e.scopes.is_empty(), "{}", e.id);
            if e.scope_source == ScopeSource::ConsoleRule {
                let expected = if e.group == "Activity" {
                    ACTIVITY_READ
                } else {
                    CONFIG_READ
                };
                assert_eq!(e.scopes, expected, "{}", e.id);
            }
        }
    }

    #[test]
    fn availability_follows_the_granted_scopes() {
        let callbacks = catalogued("scheduled-callbacks-list");
        assert!(callbacks.is_available(&["spark:people_read", "cjp:user"]));
        assert!(!callbacks.is_available(&["cjp:config_read"]));
        assert!(catalogued("users-list").is_available(&["cjp:config_write"]));
        assert!(!catalogued("users-list").is_available::<&str>(&[]));
    }

    #[test]
    fn groups_keep_menu_order() {
        let groups = groups();
        assert_eq!(groups.first(), Some(&"Users"));
        assert!(groups.contains(&"Activity"));
        assert_eq!(groups.len(), groups.iter().collect::<HashSet<_>>().len());
    }

    #[test]
    fn every_id_in_a_path_has_a_list_to_take_it_from() {
        for e in ENDPOINTS {
            for p in e
                .params
                .iter()
                .filter(|p| p.location == ParamIn::Path && !p.is_org_id() && p.name != "projectId")
            {
                let (list, field) =
                    id_source(e, p).unwrap_or_else(|| panic!("{}: {}", e.id, p.name));
                assert_eq!(list.group, e.group, "{}", e.id);
                assert!(!list.path.contains(&format!("{{{}}}", p.name)), "{}", e.id);
                assert!(field == "id" || field == "ciUserId");
            }
        }
        let by_ci = ENDPOINTS
            .iter()
            .find(|e| e.path.contains("by-ci-user-id"))
            .unwrap();
        let param = by_ci
            .params
            .iter()
            .find(|p| p.location == ParamIn::Path && !p.is_org_id())
            .unwrap();
        assert_eq!(id_source(by_ci, param).unwrap().1, "ciUserId");
    }

    #[test]
    fn query_ids_come_from_their_lists() {
        for e in ENDPOINTS {
            for p in e.params.iter().filter(|p| p.location == ParamIn::Query) {
                if let Some((list, field)) = query_id_source(p) {
                    assert_eq!(field, "id");
                    assert!(list.id.ends_with("-list"), "{}: {}", e.id, list.id);
                }
            }
        }
        let ewt = find("estimated-wait-time").unwrap();
        let queue = ewt.params.iter().find(|p| p.name == "queueId").unwrap();
        assert_eq!(query_id_source(queue).unwrap().0.id, "queues-list");
    }
}
