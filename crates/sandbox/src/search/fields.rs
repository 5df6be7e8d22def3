//! The record fields of each query, as the reference notes list them from Cisco's data
//! dictionaries (CSR, CAR, ASR, AAR, CLR). One table per query drives everything else: the
//! GraphQL types (output, filter, aggregation inputs), which paths may be filtered, and which
//! paths go through a list (activities, channels).

/// GraphQL type of a leaf field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Long,
    Int,
    Bool,
    /// A String on output; filtered with an enum literal (`{equals: telephony}`), as the CSR
    /// samples write `channelType`.
    ChannelEnum,
    /// A String on output; filtered with an enum literal (`{equals: idle}`), as the ASR samples
    /// write `currentState`.
    StateEnum,
}

impl Ty {
    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Long | Ty::Int)
    }
}

/// A leaf field: its dotted path from the record, type and whether `filter` may name it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub path: &'static str,
    pub ty: Ty,
    pub filterable: bool,
}

const fn f(path: &'static str, ty: Ty) -> Field {
    Field {
        path,
        ty,
        filterable: true,
    }
}

/// Shown but not filterable (the dictionaries: use `from`/`to` for the times).
const fn shown(path: &'static str, ty: Ty) -> Field {
    Field {
        path,
        ty,
        filterable: false,
    }
}

use Ty::*;

/// CSR fields, then CAR fields under `activities.nodes`.
pub const TASK_FIELDS: &[Field] = &[
    f("id", Str),
    f("channelType", ChannelEnum),
    f("channelSubType", Str),
    f("status", Str),
    f("isActive", Bool),
    f("direction", Str),
    shown("createdTime", Long),
    f("endedTime", Long),
    f("origin", Str),
    f("destination", Str),
    f("terminationType", Str),
    f("terminationReason", Str),
    f("terminatingEnd", Str),
    f("contactHandleType", Str),
    f("abandonedType", Str),
    f("isContactOffered", Bool),
    f("isContactHandled", Bool),
    f("isWithInServiceLevel", Bool),
    f("lastQueue.id", Str),
    f("lastQueue.name", Str),
    f("lastQueue.duration", Long),
    f("firstQueueId", Str),
    f("firstQueueName", Str),
    f("previousQueue.id", Str),
    f("previousQueue.name", Str),
    f("lastAgent.id", Str),
    f("lastAgent.name", Str),
    f("lastAgent.signInId", Str),
    f("lastAgent.sessionId", Str),
    f("lastAgent.phoneNumber", Str),
    f("lastAgent.channelId", Str),
    f("owner.id", Str),
    f("owner.name", Str),
    f("lastTeam.id", Str),
    f("lastTeam.name", Str),
    f("lastSite.id", Str),
    f("lastSite.name", Str),
    f("lastEntryPoint.id", Str),
    f("lastEntryPoint.name", Str),
    f("totalDuration", Long),
    f("queueDuration", Long),
    f("queueCount", Int),
    f("connectedDuration", Long),
    f("connectedCount", Int),
    f("holdDuration", Long),
    f("holdCount", Int),
    f("wrapupDuration", Long),
    f("ringingDuration", Long),
    f("selfserviceDuration", Long),
    f("selfserviceCount", Int),
    f("consultCount", Int),
    f("conferenceCount", Int),
    f("transferCount", Int),
    f("blindTransferCount", Int),
    f("lastWrapupCodeName", Str),
    f("lastWrapUpCodeId", Str),
    shown("activities.totalCount", Int),
    f("activities.nodes.id", Str),
    f("activities.nodes.eventName", Str),
    f("activities.nodes.queueId", Str),
    f("activities.nodes.agentId", Str),
    f("activities.nodes.teamId", Str),
    f("activities.nodes.siteId", Str),
    f("activities.nodes.entrypointId", Str),
    f("activities.nodes.duration", Long),
    f("activities.nodes.createdTime", Long),
];

const CHANNEL_COUNTED: &[&str] = &[
    "available",
    "idle",
    "ringing",
    "connected",
    "hold",
    "wrapup",
    "notResponded",
    "consult",
    "conference",
];

/// ASR fields, `channelInfo` entries, then AAR fields under `channelInfo.activities.nodes`.
/// The `*Duration`/`*Count` pairs of `channelInfo` are appended by [`agent_session_fields`].
const AGENT_SESSION_BASE: &[Field] = &[
    f("agentSessionId", Str),
    f("agentId", Str),
    f("agentName", Str),
    f("userLoginId", Str),
    f("teamId", Str),
    f("teamName", Str),
    f("siteId", Str),
    f("siteName", Str),
    shown("startTime", Long),
    f("endTime", Long),
    f("isActive", Bool),
    f("state", Str),
    f("agentSignOutReason", Str),
    f("multiMediaProfileType", Str),
    f("skillsProfile", Str),
    f("channelInfo.channelId", Str),
    f("channelInfo.channelType", Str),
    f("channelInfo.currentState", StateEnum),
    f("channelInfo.idleCodeName", Str),
    f("channelInfo.transferCount", Int),
    f("channelInfo.blindTransferCount", Int),
    f("channelInfo.agentToAgentTransferCount", Int),
    f("channelInfo.outdialCount", Int),
    f("channelInfo.totalDuration", Long),
    shown("channelInfo.activities.totalCount", Int),
    f("channelInfo.activities.nodes.id", Str),
    f("channelInfo.activities.nodes.state", Str),
    f("channelInfo.activities.nodes.startTime", Long),
    f("channelInfo.activities.nodes.endTime", Long),
    f("channelInfo.activities.nodes.duration", Long),
    f("channelInfo.activities.nodes.idleCode.id", Str),
    f("channelInfo.activities.nodes.idleCode.name", Str),
    f("channelInfo.activities.nodes.wrapupCode.id", Str),
    f("channelInfo.activities.nodes.wrapupCode.name", Str),
    f("channelInfo.activities.nodes.queue.id", Str),
    f("channelInfo.activities.nodes.queue.name", Str),
    f("channelInfo.activities.nodes.taskId", Str),
    f("channelInfo.activities.nodes.isCurrentActivity", Bool),
];

/// The ASR table with each counted state's `channelInfo.<state>Duration` and `…Count`, and the
/// `outdial*` variants of the call-handling ones.
pub fn agent_session_fields() -> Vec<Field> {
    let mut fields = AGENT_SESSION_BASE.to_vec();
    let outdial = [
        "ringing",
        "connected",
        "hold",
        "wrapup",
        "consult",
        "conference",
        "notResponded",
    ];
    let mut add = |name: String, ty: Ty| {
        fields.push(Field {
            path: Box::leak(format!("channelInfo.{name}").into_boxed_str()),
            ty,
            filterable: true,
        });
    };
    for state in CHANNEL_COUNTED {
        add(format!("{state}Duration"), Long);
        add(format!("{state}Count"), Int);
    }
    for state in outdial {
        let capital = format!("{}{}", &state[..1].to_uppercase(), &state[1..]);
        add(format!("outdial{capital}Duration"), Long);
        add(format!("outdial{capital}Count"), Int);
    }
    fields
}

/// CLR fields.
pub const TASK_LEG_FIELDS: &[Field] = &[
    f("id", Str),
    f("taskId", Str),
    shown("createdTime", Long),
    shown("endedTime", Long),
    f("isActive", Bool),
    f("status", Str),
    f("contactState", Str),
    f("channelType", Str),
    f("channelSubType", Str),
    f("direction", Str),
    f("origin", Str),
    f("destination", Str),
    f("queue.id", Str),
    f("queue.name", Str),
    f("queue.duration", Long),
    f("queueDuration", Long),
    f("owner.id", Str),
    f("owner.name", Str),
    f("owner.signInId", Str),
    f("owner.sessionId", Str),
    f("owner.phoneNumber", Str),
    f("owner.channelId", Str),
    f("team.id", Str),
    f("team.name", Str),
    f("site.id", Str),
    f("site.name", Str),
    f("entryPoint.id", Str),
    f("entryPoint.name", Str),
    f("handleType", Str),
    f("isTaskLegHandled", Bool),
    f("isWithinServiceLevel", Bool),
    f("slaValue", Str),
    f("abandonedType", Str),
    f("queueCount", Int),
    f("taskLegCount", Int),
    f("ringingDuration", Long),
    f("connectedDuration", Long),
    f("connectedCount", Int),
    f("holdDuration", Long),
    f("holdCount", Int),
    f("wrapupDuration", Long),
    f("handleTime", Long),
    f("consultSuccessCount", Int),
    f("interQueueBlindTransferCount", Int),
    f("interQueueConsultTransferCount", Int),
    f("consultToQueueCount", Int),
    f("nextDestination.agent.id", Str),
    f("nextDestination.agent.name", Str),
    f("nextDestination.team.id", Str),
    f("nextDestination.team.name", Str),
    f("nextDestination.queue.id", Str),
    f("nextDestination.queue.name", Str),
];

/// Which of the queries a request asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryKind {
    TaskDetails,
    /// The older `task` query of Cisco's wallboard samples: CSR records like `taskDetails`.
    Task,
    AgentSession,
    TaskLegDetails,
}

/// Everything that differs between the queries.
#[derive(Debug)]
pub struct Kind {
    pub query: QueryKind,
    /// The query's name, e.g. `taskDetails`.
    pub name: &'static str,
    /// The list field of the answer, e.g. `tasks`.
    pub list: &'static str,
    /// The answer's type, e.g. `TaskDetailsList`.
    pub container_type: &'static str,
    /// The record type; nested types and inputs are named after it.
    pub record_type: &'static str,
    pub filter_type: &'static str,
    /// The `extFilter` input's type, when the query has one.
    pub ext_filter_type: Option<&'static str>,
    pub aggregation_type: &'static str,
    pub fields: Vec<Field>,
    /// Paths of list fields, outermost first; `extFilter` names only fields under the last one.
    pub lists: &'static [&'static str],
    /// The `activities {totalCount nodes pageInfo}` objects that page a list with `first`/`after`.
    pub paged_lists: &'static [&'static str],
    pub has_time_comparator: bool,
    pub has_global_variables: bool,
    /// Raw records per page.
    pub page_size: usize,
    /// Raw records reachable by paging, when capped.
    pub record_cap: Option<usize>,
}

impl Kind {
    pub fn field(&self, path: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.path == path)
    }

    /// The list of activity records `extFilter` applies to (CAR or AAR).
    pub fn activity_list(&self) -> Option<&'static str> {
        self.ext_filter_type.and(self.lists.last().copied())
    }
}

/// The four queries, built once.
pub fn kinds() -> Vec<Kind> {
    let task_kind =
        |query, name, container_type, record_type, filter_type, ext, aggregation_type| Kind {
            query,
            name,
            list: "tasks",
            container_type,
            record_type,
            filter_type,
            ext_filter_type: ext,
            aggregation_type,
            fields: TASK_FIELDS.to_vec(),
            lists: &["activities.nodes"],
            paged_lists: &["activities"],
            has_time_comparator: true,
            has_global_variables: true,
            page_size: 250,
            record_cap: Some(100_000),
        };
    vec![
        task_kind(
            QueryKind::TaskDetails,
            "taskDetails",
            "TaskDetailsList",
            "TaskDetails",
            "TaskDetailsFilters",
            Some("TaskDetailsSpecificFilters"),
            "TaskV2Aggregation",
        ),
        task_kind(
            QueryKind::Task,
            "task",
            "TaskList",
            "Task",
            "TaskFilters",
            Some("TaskSpecificFilters"),
            "TaskAggregation",
        ),
        Kind {
            query: QueryKind::AgentSession,
            name: "agentSession",
            list: "agentSessions",
            container_type: "AgentSessions",
            record_type: "AgentSession",
            filter_type: "AgentSessionFilters",
            ext_filter_type: Some("AgentSessionSpecificFilters"),
            aggregation_type: "AgentSessionV2Aggregation",
            fields: agent_session_fields(),
            lists: &["channelInfo", "channelInfo.activities.nodes"],
            paged_lists: &["channelInfo.activities"],
            has_time_comparator: false,
            has_global_variables: false,
            page_size: 250,
            record_cap: None,
        },
        Kind {
            query: QueryKind::TaskLegDetails,
            name: "taskLegDetails",
            list: "taskLegs",
            container_type: "TaskLegDetailsList",
            record_type: "TaskLeg",
            filter_type: "TaskLegDetailsFilters",
            ext_filter_type: None,
            aggregation_type: "TaskLegV2Aggregation",
            fields: TASK_LEG_FIELDS.to_vec(),
            lists: &[],
            paged_lists: &[],
            has_time_comparator: true,
            has_global_variables: true,
            page_size: 500,
            record_cap: Some(100_000),
        },
    ]
}
