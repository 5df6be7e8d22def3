//! Data outside the configuration API: webhook subscriptions and their event types, flows in the
//! flow store, and Journey workspaces.

use serde_json::{Value, json};

use super::{CONFIG_EPOCH_MS, DAY_MS, OrgData, SignInUser, calendar, field, object_id};
use crate::ids::SeededRng;

/// The flow store's one project id, "the same across orgs and environments" (the spec).
pub const FLOW_PROJECT_ID: &str = "5e5c9ad6d61f870d6d778c1b";

/// Webhook event types as `(resource, action)`, after Webex's webhook event reference
/// (developer.webex.com, "Contact Center webhooks"). `task:new` is left out: its action is shorter
/// than the four characters the spec's `EventTypesResponse.action` requires.
const EVENT_TYPES: &[(&str, &str)] = &[
    ("agent", "login"),
    ("agent", "logout"),
    ("agent", "state_change"),
    ("task", "connect"),
    ("task", "parked"),
    ("task", "ended"),
    ("capture", "available"),
];
/// Resource versions a subscription can ask for.
const RESOURCE_VERSIONS: &[(&str, &str)] = &[
    ("agent", "1.0.0"),
    ("agent", "2.0.0"),
    ("task", "1.0.0"),
    ("capture", "1.0.0"),
];

/// The event types (`EventTypesResponse`) and the resource versions (`ResourceVersion`).
pub fn event_types() -> (Vec<Value>, Vec<Value>) {
    let types = EVENT_TYPES
        .iter()
        .map(|(resource, action)| {
            json!({"name": format!("{resource}:{action}"), "resource": resource, "action": action})
        })
        .collect();
    let versions = RESOURCE_VERSIONS
        .iter()
        .map(|(resource, version)| json!({"resource": resource, "version": version}))
        .collect();
    (types, versions)
}

/// Who created things in an org: its first sign-in user, or a stand-in administrator.
fn creator(people: &[&SignInUser]) -> String {
    people
        .first()
        .map(|p| p.email.clone())
        .unwrap_or_else(|| "admin@wxcc-sandbox.example.com".to_string())
}

/// Webhook subscriptions made with the v2 API; each listens to event types of one resource.
pub(super) fn subscriptions(rng: &mut SeededRng, people: &[&SignInUser]) -> Vec<Value> {
    let by = creator(people);
    [
        ("Agent Activity Sync", "agent:2.0.0", &["agent:login", "agent:logout", "agent:state_change"][..], "active"),
        ("Task Events Feed", "task:1.0.0", &["task:connect", "task:ended"][..], "active"),
        ("Recording Export", "capture:1.0.0", &["capture:available"][..], "inactive"),
    ]
    .into_iter()
    .map(|(name, version, events, status)| {
        let created = CONFIG_EPOCH_MS + rng.below(180) as i64 * DAY_MS;
        let slug = name.to_lowercase().replace(' ', "-");
        json!({
            "id": rng.uuid(), "name": name, "description": format!("{name} for the integration"),
            "eventTypes": events, "destinationUrl": format!("https://hooks.wxcc-sandbox.example.com/{slug}"),
            "createdTime": created, "createdBy": by, "status": status,
            "lastUpdatedTime": created + rng.below(60) as i64 * DAY_MS, "lastUpdatedBy": by,
            "resourceVersion": version,
        })
    })
    .collect()
}

/// A flow or subflow in the flow store, with its saved versions.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The `BasicFlowDTO` as listed.
    pub basic: Value,
    /// Published versions (`FlowVersionRes`), oldest first: the last is `latest`.
    pub versions: Vec<Value>,
    /// The unpublished working copy, exported for `version=draft`.
    pub draft: Value,
}

impl Flow {
    pub fn id(&self) -> &str {
        field(&self.basic, "id")
    }
}

pub(super) fn flows(rng: &mut SeededRng, org: &str, people: &[&SignInUser]) -> Vec<Flow> {
    let by = creator(people);
    let names = [
        ("Main_IVR_Flow", "FLOW"),
        ("Sales_Routing", "FLOW"),
        ("Support_Routing", "FLOW"),
        ("After_Hours", "FLOW"),
        ("Callback_Flow", "FLOW"),
        ("Survey_Flow", "FLOW"),
        ("Authenticate_Caller", "SUBFLOW"),
        ("Language_Menu", "SUBFLOW"),
        ("Queue_Treatment", "SUBFLOW"),
    ];
    names
        .into_iter()
        .map(|(name, flow_type)| {
            let id = object_id(rng);
            let created = CONFIG_EPOCH_MS + rng.below(120) as i64 * DAY_MS;
            let count = 1 + rng.below(3) as i64;
            let version = |rng: &mut SeededRng, number: i64, comment: String, persist: bool| {
                let saved = created + number * 7 * DAY_MS;
                json!({
                    "id": object_id(rng), "flowId": id, "name": name, "orgId": org, "flowType": flow_type,
                    "version": number, "comment": comment, "persist": persist, "validating": false,
                    "validationResults": [], "createdBy": by, "createdDate": calendar::rfc3339(saved),
                    "lastModifiedBy": by, "lastModifiedDate": calendar::rfc3339(saved),
                })
            };
            let versions: Vec<Value> = (1..=count)
                .map(|n| version(rng, n, format!("Published version {n}"), true))
                .collect();
            let draft = version(rng, count + 1, "Working copy".to_string(), false);
            let latest = versions.last().cloned().unwrap_or_default();
            let basic = json!({
                "id": id, "name": name, "flowType": flow_type, "orgId": org, "status": "PUBLISHED",
                "version": count, "createdBy": by, "createdDate": calendar::rfc3339(created),
                "lastModifiedBy": by, "lastModifiedDate": latest["lastModifiedDate"],
                "tags": [{"id": object_id(rng), "displayName": "Latest", "default": true,
                          "flowVersionId": latest["id"], "versionNumber": count}],
            });
            Flow {
                basic,
                versions,
                draft,
            }
        })
        .collect()
}

/// Journey workspaces; the widget's workspace is fed by the org's first subscription.
pub(super) fn workspaces(rng: &mut SeededRng, data: &OrgData) -> Vec<Value> {
    let feed: Vec<&str> = data
        .subscriptions
        .iter()
        .take(1)
        .map(|s| field(s, "id"))
        .collect();
    vec![
        // The spec's example filter, `workspaces.name==Customer-Journey-Widget`, finds this one.
        json!({"id": object_id(rng), "name": "Customer-Journey-Widget", "wxccSubscriptionIds": feed}),
        json!({"id": object_id(rng), "name": "Retail Journeys", "wxccSubscriptionIds": []}),
    ]
}
