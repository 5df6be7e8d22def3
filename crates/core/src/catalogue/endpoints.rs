//! The catalogue's data: every endpoint, built from shared parameter and endpoint blocks.

use super::{ACTIVITY_READ, CONFIG_READ, Endpoint, Param, ParamIn, ScopeSource};

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
/// Users have no `name` attribute (UserResponseDTO: firstName, lastName).
const USER_LIST: &[Param] = &[
    ORGID,
    FILTER,
    attributes("id,firstName,lastName"),
    SEARCH,
    PAGE,
    PAGE_SIZE,
];
/// Dialled numbers have no `name` attribute (DialledNumberEntryPointDTO: dialledNumber).
const DIAL_NUMBER_LIST: &[Param] = &[
    ORGID,
    FILTER,
    attributes("id,dialledNumber"),
    SEARCH,
    PAGE,
    PAGE_SIZE,
];

const fn attributes(example: &'static str) -> Param {
    Param {
        example,
        ..ATTRIBUTES
    }
}
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
        deprecated: None,
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

/// What the explorer says beside the two statistics endpoints (Cisco's migration guide; the
/// spec copy does not mark them).
const STATISTICS_END_OF_LIFE: &str = "Deprecated by Cisco: end-of-life on 2027-03-31. Use the Search API \
     (POST /search, the explorer's GraphQL tab) instead; the Activity page already does.";

/// An endpoint Cisco has deprecated.
const fn deprecated(endpoint: Endpoint, why: &'static str) -> Endpoint {
    Endpoint {
        deprecated: Some(why),
        ..endpoint
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
        USER_LIST,
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
        DIAL_NUMBER_LIST,
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
    deprecated(
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
        STATISTICS_END_OF_LIFE,
    ),
    deprecated(
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
        STATISTICS_END_OF_LIFE,
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
