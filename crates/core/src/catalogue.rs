//! The explorer's catalogue of Contact Center GET endpoints, with their parameters and the scopes
//! that unlock them, and [`build_url`] to turn a filled-in form into the request URL.
//!
//! Every entry is taken from the official OpenAPI spec (`webex-contact-center.json`): `path` is
//! spelled exactly as there, and each parameter has the spec's name, location (`in`) and
//! `required`. The conformance test `tests/catalogue_conformance.rs` checks this against the spec
//! (set `WXCC_OPENAPI_SPEC`). Optional parameters are a useful subset, not all of them; header
//! parameters (`TrackingId`) are left out because the API client sets those itself.
//!
//! Which scopes an endpoint lists (any one of them suffices, the first is the one to ask for):
//! - [`ScopeSource::Spec`]: the operation's description in the spec names its scopes (subscriptions,
//!   callbacks, flows, journey); the catalogue lists exactly those, read scope first.
//! - [`ScopeSource::ConsoleRule`]: the spec names none (the configuration API, tasks, statistics).
//!   Then configuration reads list [`CONFIG_READ`] and tasks/activity/statistics list
//!   [`ACTIVITY_READ`], the same scopes that gate the matching views in [`crate::scopes`], so
//!   the explorer and the views never disagree.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

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

// ---- Parameter building blocks -------------------------------------------------------------

const fn path(name: &'static str, description: &'static str, example: &'static str) -> Param {
    Param {
        name,
        location: ParamIn::Path,
        required: true,
        description,
        example,
    }
}

const fn query(name: &'static str, description: &'static str, example: &'static str) -> Param {
    Param {
        name,
        location: ParamIn::Query,
        required: false,
        description,
        example,
    }
}

const fn required_query(
    name: &'static str,
    description: &'static str,
    example: &'static str,
) -> Param {
    Param {
        required: true,
        ..query(name, description, example)
    }
}

const ORGID: Param = path(
    "orgid",
    "Organization ID; left blank, the one from your sign-in is used.",
    "",
);
const ID: Param = path(
    "id",
    "ID of the resource.",
    "2f9eecc5-0472-4549-9a83-2afdae0d4ba2",
);
const FILTER: Param = query(
    "filter",
    "RSQL filter: ==, !=, =in=(…), =out=(…); quote values with spaces.",
    "id==\"57efb0e6-5af0-4245-a67d-d3c5045cdb6e\"",
);
const ATTRIBUTES: Param = query(
    "attributes",
    "Comma-separated attributes to return (all when blank).",
    "id,name",
);
const SEARCH: Param = query("search", "Free-text search keyword.", "contact center");
const PAGE: Param = query("page", "Page number, starting from 0.", "0");
const PAGE_SIZE: Param = query("pageSize", "Items per page (capped by the API).", "100");
/// `orgId` as an optional query parameter (tasks, statistics, subscriptions).
const ORG_ID_QUERY: Param = query(
    "orgId",
    "Organization ID; left blank, the one from your sign-in is used.",
    "",
);
const FROM_MS: Param = required_query(
    "from",
    "Start of the time window, epoch milliseconds.",
    "1651395600000",
);
const TO_MS: Param = query(
    "to",
    "End of the time window, epoch milliseconds (now when blank).",
    "1651438800000",
);
const TO_MS_REQUIRED: Param = required_query(
    "to",
    "End of the time window, epoch milliseconds; less than 24 hours after from.",
    "1651438800000",
);
const INTERVAL: Param = query("interval", "Interval in minutes: 15, 30 or 60.", "15");
const CHANNEL_TYPES: Param = query(
    "channelTypes",
    "Comma-separated channels: email, chat, telephony, social.",
    "telephony,email",
);
const WORKSPACE_ID: Param = path(
    "workspaceId",
    "Journey workspace ID.",
    "6377dafe02e7cc19b03a71b7",
);
const FLOW_ORG_ID: Param = path(
    "orgId",
    "Organization ID; left blank, the one from your sign-in is used.",
    "",
);
const PROJECT_ID: Param = path(
    "projectId",
    "Flow project ID; always 5e5c9ad6d61f870d6d778c1b.",
    "5e5c9ad6d61f870d6d778c1b",
);

/// The paging/filter/search parameters of every configuration list.
const LIST: &[Param] = &[ORGID, FILTER, ATTRIBUTES, SEARCH, PAGE, PAGE_SIZE];
/// One configuration resource by ID.
const ITEM: &[Param] = &[ORGID, ID];

// ---- Endpoint building blocks --------------------------------------------------------------

/// A configuration read the spec names no scope for.
const fn config(
    id: &'static str,
    group: &'static str,
    summary: &'static str,
    path: &'static str,
    params: &'static [Param],
) -> Endpoint {
    Endpoint {
        id,
        group,
        summary,
        method: "GET",
        path,
        params,
        scopes: CONFIG_READ,
        scope_source: ScopeSource::ConsoleRule,
    }
}

/// A task, activity or statistics read the spec names no scope for.
const fn activity(
    id: &'static str,
    summary: &'static str,
    path: &'static str,
    params: &'static [Param],
) -> Endpoint {
    Endpoint {
        scopes: ACTIVITY_READ,
        ..config(id, "Activity", summary, path, params)
    }
}

/// An endpoint whose description in the spec names its scopes.
const fn spec_scoped(
    id: &'static str,
    group: &'static str,
    summary: &'static str,
    path: &'static str,
    params: &'static [Param],
    scopes: &'static [&'static str],
) -> Endpoint {
    Endpoint {
        scopes,
        scope_source: ScopeSource::Spec,
        ..config(id, group, summary, path, params)
    }
}

// ---- The catalogue -------------------------------------------------------------------------

/// Every catalogued endpoint, in menu order (grouped).
pub const ENDPOINTS: &[Endpoint] = &[
    // Users
    config(
        "users-list",
        "Users",
        "List User(s)",
        "/organization/{orgid}/v2/user",
        LIST,
    ),
    config(
        "user-get",
        "Users",
        "Get specific User by ID",
        "/organization/{orgid}/user/{id}",
        ITEM,
    ),
    config(
        "user-by-ci-user-id",
        "Users",
        "Get specific User by CI User ID",
        "/organization/{orgid}/v2/user/by-ci-user-id/{id}",
        &[
            ORGID,
            path(
                "id",
                "Webex (CI) user ID of the user.",
                "2f9eecc5-0472-4549-9a83-2afdae0d4ba2",
            ),
            query(
                "includeUserProfile",
                "true to include the user profile.",
                "true",
            ),
        ],
    ),
    config(
        "user-profiles-list",
        "Users",
        "List user profiles",
        "/organization/{orgid}/v3/user-profile",
        LIST,
    ),
    config(
        "user-profile-get",
        "Users",
        "Get specific User Profile by ID",
        "/organization/{orgid}/v3/user-profile/{id}",
        ITEM,
    ),
    // Teams
    config(
        "teams-list",
        "Teams",
        "List Team(s)",
        "/organization/{orgid}/v2/team",
        LIST,
    ),
    config(
        "team-get",
        "Teams",
        "Get specific Team by ID",
        "/organization/{orgid}/team/{id}",
        ITEM,
    ),
    // Sites
    config(
        "sites-list",
        "Sites",
        "List Site(s)",
        "/organization/{orgid}/v2/site",
        LIST,
    ),
    config(
        "site-get",
        "Sites",
        "Get specific Site by ID",
        "/organization/{orgid}/site/{id}",
        ITEM,
    ),
    // Queues
    config(
        "queues-list",
        "Queues",
        "List Contact Service Queue(s)",
        "/organization/{orgid}/v2/contact-service-queue",
        LIST,
    ),
    config(
        "queues-list-v3",
        "Queues",
        "List Contact Service Queue(s) (v3)",
        "/organization/{orgid}/v3/contact-service-queue",
        LIST,
    ),
    config(
        "queue-get",
        "Queues",
        "Get specific Contact Service Queue by ID",
        "/organization/{orgid}/contact-service-queue/{id}",
        ITEM,
    ),
    // Entry points
    config(
        "entry-points-list",
        "Entry points",
        "List Entry Point(s)",
        "/organization/{orgid}/v2/entry-point",
        LIST,
    ),
    config(
        "entry-point-get",
        "Entry points",
        "Get specific Entry Point by ID",
        "/organization/{orgid}/entry-point/{id}",
        ITEM,
    ),
    // Profiles
    config(
        "desktop-profiles-list",
        "Profiles",
        "List Desktop Profile(s)",
        "/organization/{orgid}/v2/agent-profile",
        LIST,
    ),
    config(
        "desktop-profile-get",
        "Profiles",
        "Get specific Desktop Profile by ID",
        "/organization/{orgid}/agent-profile/{id}",
        ITEM,
    ),
    config(
        "skill-profiles-list",
        "Profiles",
        "List Skill Profile(s)",
        "/organization/{orgid}/v2/skill-profile",
        LIST,
    ),
    config(
        "skill-profile-get",
        "Profiles",
        "Get specific Skill Profile by ID",
        "/organization/{orgid}/skill-profile/{id}",
        &[
            ORGID,
            ID,
            query(
                "includeSkillDetails",
                "true to include the skill details.",
                "true",
            ),
        ],
    ),
    config(
        "multimedia-profiles-list",
        "Profiles",
        "List Multimedia Profile(s)",
        "/organization/{orgid}/v2/multimedia-profile",
        LIST,
    ),
    config(
        "multimedia-profile-get",
        "Profiles",
        "Get specific Multimedia Profile by ID",
        "/organization/{orgid}/multimedia-profile/{id}",
        ITEM,
    ),
    config(
        "desktop-layouts-list",
        "Profiles",
        "List Desktop Layout(s)",
        "/organization/{orgid}/v2/desktop-layout",
        LIST,
    ),
    config(
        "desktop-layout-get",
        "Profiles",
        "Get specific Desktop Layout by ID",
        "/organization/{orgid}/desktop-layout/{id}",
        ITEM,
    ),
    // Auxiliary codes
    config(
        "aux-codes-list",
        "Auxiliary codes",
        "List Auxiliary Code(s)",
        "/organization/{orgid}/v2/auxiliary-code",
        LIST,
    ),
    config(
        "aux-code-get",
        "Auxiliary codes",
        "Get specific Auxiliary Code by ID",
        "/organization/{orgid}/auxiliary-code/{id}",
        ITEM,
    ),
    // Address books
    config(
        "address-books-list",
        "Address books",
        "List Address Book(s)",
        "/organization/{orgid}/v3/address-book",
        LIST,
    ),
    config(
        "address-book-get",
        "Address books",
        "Get specific Address Book by ID",
        "/organization/{orgid}/address-book/{id}",
        ITEM,
    ),
    config(
        "address-book-get-v3",
        "Address books",
        "Get specific Address Book by ID (v3)",
        "/organization/{orgid}/v3/address-book/{id}",
        ITEM,
    ),
    config(
        "address-book-entries-list",
        "Address books",
        "List Address Book Entry(s)",
        "/organization/{orgid}/v2/address-book/{addressBookId}/entry",
        &[
            ORGID,
            path(
                "addressBookId",
                "ID of the address book.",
                "af9eecc5-0472-4549-9a83-2afdae0d4ba0",
            ),
            FILTER,
            ATTRIBUTES,
            SEARCH,
            PAGE,
            PAGE_SIZE,
        ],
    ),
    // Skills
    config(
        "skills-list",
        "Skills",
        "List Skill(s)",
        "/organization/{orgid}/v2/skill",
        LIST,
    ),
    config(
        "skill-get",
        "Skills",
        "Get specific Skill by ID",
        "/organization/{orgid}/skill/{id}",
        ITEM,
    ),
    // Routing
    config(
        "business-hours-list",
        "Routing",
        "List Business Hours resource(s)",
        "/organization/{orgid}/v2/business-hours",
        LIST,
    ),
    config(
        "business-hours-get",
        "Routing",
        "Get specific Business Hours resource by ID",
        "/organization/{orgid}/business-hours/{id}",
        ITEM,
    ),
    config(
        "holiday-lists-list",
        "Routing",
        "List Holiday List(s)",
        "/organization/{orgid}/v2/holiday-list",
        LIST,
    ),
    config(
        "holiday-list-get",
        "Routing",
        "Get specific Holiday List by ID",
        "/organization/{orgid}/holiday-list/{id}",
        ITEM,
    ),
    config(
        "dial-numbers-list",
        "Routing",
        "List Dialed Number Mapping(s)",
        "/organization/{orgid}/v2/dial-number",
        LIST,
    ),
    config(
        "dial-number-get",
        "Routing",
        "Get specific Dialed Number Mapping by ID",
        "/organization/{orgid}/dial-number/{id}",
        ITEM,
    ),
    config(
        "dial-plans-list",
        "Routing",
        "List Dial Plan(s)",
        "/organization/{orgid}/v2/dial-plan",
        LIST,
    ),
    config(
        "dial-plan-get",
        "Routing",
        "Get specific Dial Plan by ID",
        "/organization/{orgid}/dial-plan/{id}",
        ITEM,
    ),
    config(
        "outdial-anis-list",
        "Routing",
        "List Outdial ANI(s)",
        "/organization/{orgid}/v2/outdial-ani",
        LIST,
    ),
    config(
        "outdial-ani-get",
        "Routing",
        "Get specific Outdial ANI by ID",
        "/organization/{orgid}/outdial-ani/{id}",
        ITEM,
    ),
    config(
        "global-variables-list",
        "Routing",
        "List Global Variable(s)",
        "/organization/{orgid}/v2/cad-variable",
        LIST,
    ),
    config(
        "global-variable-get",
        "Routing",
        "Get specific Global Variable by ID",
        "/organization/{orgid}/cad-variable/{id}",
        ITEM,
    ),
    config(
        "work-types-list",
        "Routing",
        "List Work Type(s)",
        "/organization/{orgid}/v2/work-type",
        LIST,
    ),
    config(
        "work-type-get",
        "Routing",
        "Get specific Work Type by ID",
        "/organization/{orgid}/work-type/{id}",
        ITEM,
    ),
    config(
        "audio-files-list",
        "Routing",
        "List Audio File(s)",
        "/organization/{orgid}/v2/audio-file",
        LIST,
    ),
    config(
        "audio-file-get",
        "Routing",
        "Get specific Audio File by ID",
        "/organization/{orgid}/audio-file/{id}",
        ITEM,
    ),
    // Activity
    activity(
        "tasks-list",
        "Get Tasks",
        "/v1/tasks",
        &[CHANNEL_TYPES, FROM_MS, TO_MS, PAGE_SIZE, ORG_ID_QUERY],
    ),
    activity(
        "agent-activities",
        "Get Agent Activities",
        "/v1/agents/activities",
        &[
            query("agentIds", "Comma-separated agent IDs (at most 100).", ""),
            query("teamIds", "Comma-separated team IDs (at most 100).", ""),
            CHANNEL_TYPES,
            FROM_MS,
            TO_MS,
            PAGE_SIZE,
            PAGE,
            ORG_ID_QUERY,
        ],
    ),
    activity(
        "agent-statistics",
        "Get Agent Statistics",
        "/v1/agents/statistics",
        &[
            FROM_MS,
            TO_MS_REQUIRED,
            INTERVAL,
            query(
                "agentIds",
                "Comma-separated agent IDs (at most 100; all when blank).",
                "",
            ),
            ORG_ID_QUERY,
        ],
    ),
    activity(
        "queue-statistics",
        "Get Queue Statistics",
        "/v1/queues/statistics",
        &[
            FROM_MS,
            TO_MS_REQUIRED,
            INTERVAL,
            query(
                "queueIds",
                "Comma-separated queue IDs (at most 100; all when blank).",
                "",
            ),
            ORG_ID_QUERY,
        ],
    ),
    activity(
        "estimated-wait-time",
        "Get Estimated Wait Time",
        "/v1/ewt",
        &[
            required_query("queueId", "ID of the queue.", "AWpEGCi_SVK96XSm20PY"),
            required_query(
                "lookbackMinutes",
                "Minutes of history to look at, 5 to 240.",
                "15",
            ),
            query(
                "maxCV",
                "Maximum coefficient of variance of the samples.",
                "40",
            ),
            query(
                "minValidSamples",
                "Minimum percentage of valid samples.",
                "40",
            ),
            ORG_ID_QUERY,
        ],
    ),
    // Subscriptions (webhooks)
    spec_scoped(
        "subscriptions-list",
        "Subscriptions",
        "List Subscriptions",
        "/v2/subscriptions",
        &[ORG_ID_QUERY],
        &["cjp:config_read"],
    ),
    spec_scoped(
        "subscription-get",
        "Subscriptions",
        "Get Subscription",
        "/v2/subscriptions/{id}",
        &[
            path(
                "id",
                "ID of the subscription.",
                "10b4079b-5162-4526-b6a4-4472734fb69b",
            ),
            ORG_ID_QUERY,
        ],
        &["cjp:config_read"],
    ),
    spec_scoped(
        "event-types-list",
        "Subscriptions",
        "List Event Types",
        "/v2/event-types",
        &[ORG_ID_QUERY],
        &["cjp:config_read"],
    ),
    // Callbacks
    spec_scoped(
        "scheduled-callbacks-list",
        "Callbacks",
        "Get scheduled callbacks",
        "/v1/callbacks/organization/{orgId}/scheduled-callback",
        &[
            FLOW_ORG_ID,
            query(
                "callbackNumber",
                "Customer number, exact match.",
                "+1234567890",
            ),
            query("assigneeAgent", "ID of the assigned agent.", ""),
            query("page", "Page number.", "1"),
            query("pageSize", "Items per page.", "10"),
            query("sortBy", "Field to sort by.", "scheduledTime"),
            query("sortOrder", "asc or desc.", "asc"),
        ],
        &["cjp:user"],
    ),
    spec_scoped(
        "scheduled-callback-get",
        "Callbacks",
        "Get scheduled callback by Id",
        "/v1/callbacks/organization/{orgId}/scheduled-callback/{id}",
        &[
            FLOW_ORG_ID,
            path(
                "id",
                "ID of the scheduled callback.",
                "5C3E69AC-3695-4D51-899B-4B4CC3ED8ECF",
            ),
        ],
        &["cjp:user"],
    ),
    // Flows
    spec_scoped(
        "flows-list",
        "Flows",
        "List Flows or Subflows",
        "/flow-store/{orgId}/project/{projectId}/flows",
        &[
            FLOW_ORG_ID,
            PROJECT_ID,
            query("flowType", "FLOW or SUBFLOW.", "FLOW"),
            query("ids", "Comma-separated flow IDs.", ""),
            query("partialNameSearch", "Part of the flow name.", "flow1"),
            query("page", "Page number, starting from 0.", "0"),
            query("size", "Items per page.", "10"),
            query("includePagination", "true to get page metadata.", "true"),
        ],
        &["cjp:config_read"],
    ),
    spec_scoped(
        "flow-export",
        "Flows",
        "Export a Flow or Subflow",
        "/flow-store/{orgId}/project/{projectId}/flows/{flowId}:export",
        &[
            FLOW_ORG_ID,
            PROJECT_ID,
            path(
                "flowId",
                "ID of the flow or subflow.",
                "661c7bc712eaf357de7e4aeb",
            ),
            query(
                "version",
                "draft, latest (default) or a version ID.",
                "latest",
            ),
        ],
        &["cjp:config_read"],
    ),
    // Journey
    spec_scoped(
        "journey-workspaces-list",
        "Journey",
        "Get All Workspaces",
        "/admin/v1/api/workspace",
        &[
            query(
                "filter",
                "RSQL filter.",
                "workspaces.name==Customer-Journey-Widget",
            ),
            query("sortBy", "Field to sort by.", "name"),
            query("sort", "ASC or DESC.", "DESC"),
            query("page", "Page number, starting from 0.", "0"),
            query("pageSize", "Items per page.", "10"),
        ],
        JOURNEY_ADMIN,
    ),
    spec_scoped(
        "journey-workspace-get",
        "Journey",
        "Get Workspace",
        "/admin/v1/api/workspace/workspace-id/{workspaceId}",
        &[WORKSPACE_ID],
        JOURNEY_ADMIN,
    ),
];

/// "Use the cjp scope if you have a contact center license; otherwise, use the cjds scope."
const JOURNEY_ADMIN: &[&str] = &[
    "cjp:config_read",
    "cjds:admin_org_read",
    "cjp:config_write",
    "cjds:admin_org_write",
];

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

// ---- Building the URL ----------------------------------------------------------------------

/// Why a URL could not be built from the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildUrlError {
    /// A required parameter is blank.
    Missing {
        name: &'static str,
        location: ParamIn,
    },
    /// A path parameter is `.` or `..`: the browser would resolve it as a directory step and call
    /// a different endpoint, whatever the encoding.
    DotSegment { name: &'static str },
}

impl BuildUrlError {
    /// The parameter at fault, so the form can highlight it.
    pub fn param(&self) -> &'static str {
        match self {
            BuildUrlError::Missing { name, .. } | BuildUrlError::DotSegment { name } => name,
        }
    }
}

impl fmt::Display for BuildUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildUrlError::Missing { name, .. } if *name == "orgid" || *name == "orgId" => write!(
                f,
                "{name} is required and your organization ID is not known yet: type it in, or sign in again."
            ),
            BuildUrlError::Missing { name, location } => write!(
                f,
                "{name} ({location} parameter) is required: fill it in and send again."
            ),
            BuildUrlError::DotSegment { name } => write!(
                f,
                "{name} cannot be \".\" or \"..\": enter the resource ID instead."
            ),
        }
    }
}

impl std::error::Error for BuildUrlError {}

/// Builds the request URL: `base` (trailing `/` ignored) + the path with its parameters
/// percent-encoded + the non-blank query parameters, form-encoded in catalogue order.
///
/// `values` are (name, value) pairs from the form; values are trimmed, blank ones count as not
/// given, and names the endpoint does not have are ignored. An organization ID parameter
/// (`orgid`/`orgId`, see [`Param::is_org_id`]) left blank is filled from `org_id`.
pub fn build_url(
    base: &str,
    endpoint: &Endpoint,
    values: &[(&str, &str)],
    org_id: &str,
) -> Result<String, BuildUrlError> {
    let value_of = |param: &Param| -> Option<&str> {
        let given = values
            .iter()
            .find(|(name, _)| *name == param.name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty());
        let fallback = Some(org_id.trim()).filter(|id| param.is_org_id() && !id.is_empty());
        given.or(fallback)
    };

    let mut path = endpoint.path.to_owned();
    let mut query: Vec<(&str, &str)> = Vec::new();
    for param in endpoint.params {
        let value = value_of(param);
        if value.is_none() && param.required {
            return Err(BuildUrlError::Missing {
                name: param.name,
                location: param.location,
            });
        }
        let Some(value) = value else { continue };
        match param.location {
            ParamIn::Path => {
                if value == "." || value == ".." {
                    return Err(BuildUrlError::DotSegment { name: param.name });
                }
                path = path.replace(&format!("{{{}}}", param.name), &encode_path_segment(value));
            }
            ParamIn::Query => {
                query.push((param.name, value));
            }
        }
    }

    let mut url = format!("{}{path}", base.trim_end_matches('/'));
    if !query.is_empty() {
        url.push('?');
        url.push_str(&crate::route::form_encode(&query));
    }
    Ok(url)
}

/// Everything but RFC 3986's unreserved characters (letters, digits, `-`, `.`, `_`, `~`), so a
/// path value can never add a segment (`/`), start the query (`?`) or the fragment (`#`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::Feature;
    use std::collections::HashSet;

    const BASE: &str = "https://api.wxcc-us1.cisco.com";
    const ORG: &str = "org-1";

    fn endpoint(id: &str) -> &'static Endpoint {
        find(id).unwrap_or_else(|| panic!("{id} is catalogued"))
    }

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
        let callbacks = endpoint("scheduled-callbacks-list");
        assert!(callbacks.is_available(&["spark:people_read", "cjp:user"]));
        assert!(!callbacks.is_available(&["cjp:config_read"]));
        assert!(endpoint("users-list").is_available(&["cjp:config_write"]));
        assert!(!endpoint("users-list").is_available::<&str>(&[]));
    }

    #[test]
    fn groups_keep_menu_order() {
        let groups = groups();
        assert_eq!(groups.first(), Some(&"Users"));
        assert!(groups.contains(&"Activity"));
        assert_eq!(groups.len(), groups.iter().collect::<HashSet<_>>().len());
    }

    #[test]
    fn fills_the_org_id_and_sends_query_params_in_catalogue_order() {
        let url = build_url(
            &format!("{BASE}/"),
            endpoint("users-list"),
            &[
                ("pageSize", "50"),
                ("page", "2"),
                ("filter", "firstName==\"Ann Lee\""),
            ],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/org-1/v2/user\
                ?filter=firstName%3D%3D%22Ann+Lee%22&page=2&pageSize=50")
        );
    }

    #[test]
    fn an_explicit_org_id_wins_over_the_sign_in() {
        let url = build_url(
            BASE,
            endpoint("team-get"),
            &[("orgid", "other"), ("id", "t1")],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/other/team/t1")
        );
    }

    #[test]
    fn fills_the_org_id_query_parameter_too() {
        let url = build_url(BASE, endpoint("tasks-list"), &[("from", "1000")], ORG);
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/v1/tasks?from=1000&orgId=org-1")
        );
        // No sign-in org and an optional orgId: left out, the API infers it from the token.
        let url = build_url(BASE, endpoint("tasks-list"), &[("from", "1000")], "");
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/v1/tasks?from=1000")
        );
    }

    #[test]
    fn path_values_are_percent_encoded() {
        let url = build_url(BASE, endpoint("team-get"), &[("id", "a/b?c#d e%")], ORG);
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/org-1/team/a%2Fb%3Fc%23d%20e%25")
        );
        let url = build_url(BASE, endpoint("user-get"), &[("id", "é")], "o r g");
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/o%20r%20g/user/%C3%A9")
        );
    }

    #[test]
    fn path_values_keep_only_unreserved_characters() {
        let kept: String = (0u8..=0x7f)
            .map(char::from)
            .filter(|c| encode_path_segment(&c.to_string()) == c.to_string())
            .collect();
        assert_eq!(
            kept,
            "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
        assert_eq!(encode_path_segment("\u{0}\u{7f}%"), "%00%7F%25");
    }

    #[test]
    fn literal_path_text_after_a_placeholder_is_kept() {
        let url = build_url(
            "",
            endpoint("flow-export"),
            &[
                ("projectId", "5e5c9ad6d61f870d6d778c1b"),
                ("flowId", "f1"),
                ("version", "draft"),
            ],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("/flow-store/org-1/project/5e5c9ad6d61f870d6d778c1b/flows/f1:export?version=draft")
        );
    }

    #[test]
    fn reports_a_missing_required_parameter_by_name() {
        let err = build_url(BASE, endpoint("team-get"), &[("id", "  ")], ORG).unwrap_err();
        assert_eq!(
            err,
            BuildUrlError::Missing {
                name: "id",
                location: ParamIn::Path
            }
        );
        assert_eq!(err.param(), "id");
        assert!(err.to_string().contains("fill it in"), "{err}");

        let err = build_url(BASE, endpoint("queue-statistics"), &[("from", "1")], ORG).unwrap_err();
        assert_eq!(err.param(), "to");

        let err = build_url(BASE, endpoint("users-list"), &[], " ").unwrap_err();
        assert_eq!(err.param(), "orgid");
        assert!(err.to_string().contains("sign in again"), "{err}");
    }

    #[test]
    fn blank_and_unknown_values_are_left_out() {
        let url = build_url(
            BASE,
            endpoint("sites-list"),
            &[("search", " "), ("bogus", "1"), ("attributes", " id ")],
            ORG,
        );
        assert_eq!(
            url.as_deref(),
            Ok("https://api.wxcc-us1.cisco.com/organization/org-1/v2/site?attributes=id")
        );
    }

    #[test]
    fn dot_segments_are_refused() {
        for dots in [".", ".."] {
            let err = build_url(BASE, endpoint("team-get"), &[("id", dots)], ORG).unwrap_err();
            assert_eq!(err, BuildUrlError::DotSegment { name: "id" });
        }
        // A dot inside an ID is fine.
        assert!(build_url(BASE, endpoint("team-get"), &[("id", "a.b")], ORG).is_ok());
    }
}
