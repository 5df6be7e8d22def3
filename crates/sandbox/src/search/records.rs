//! The Search API's records as views over the seeded tasks, the same records `/v1/tasks` and
//! `/v1/agents/activities` serve, so every number agrees with those endpoints:
//! - a CSR per task, with CAR events for its life (new, parked, connected, wrap-up, ended);
//! - a CLR per task: the seed routes every task through one queue, so one leg each;
//! - an ASR per agent and UTC day, made of the agent's handled tasks created that day, with one
//!   `channelInfo` entry per channel and an AAR per connected and per wrap-up stretch (the
//!   agent-activity records of `/v1/agents/activities` are the connected ones).
//!
//! Views hold references and compute each field when asked, so nothing is copied per request.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::seed::TaskRecord;

/// Wrap-up time after each handled task; the agent-statistics endpoint counts the same.
pub const WRAPUP_MS: i64 = 20_000;
/// Queue wait within which a task counts as inside the service level (as queue statistics count).
pub const SERVICE_LEVEL_MS: i64 = 30_000;

/// A scalar field value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Val<'a> {
    Null,
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
}

impl Val<'_> {
    pub fn number(&self) -> Option<f64> {
        match self {
            Val::Int(n) => Some(*n as f64),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A total order for sorting group keys: null, booleans, numbers, strings.
    pub fn sort_key(&self) -> (u8, f64, &str) {
        match self {
            Val::Null => (0, 0.0, ""),
            Val::Bool(b) => (1, f64::from(u8::from(*b)), ""),
            Val::Int(n) => (2, *n as f64, ""),
            Val::Str(s) => (3, 0.0, s),
        }
    }

    /// The value as cursor and distinct-count text (`null` for null).
    pub fn key_text(&self) -> String {
        match self {
            Val::Null => "null".into(),
            Val::Str(s) => s.to_string(),
            Val::Int(n) => n.to_string(),
            Val::Bool(b) => b.to_string(),
        }
    }
}

fn s(text: &str) -> Val<'_> {
    Val::Str(Cow::Borrowed(text))
}

fn owned<'a>(text: String) -> Val<'a> {
    Val::Str(Cow::Owned(text))
}

/// An entry point of the org (id, name).
pub type EntryPoint = (String, String);

/// What the views read besides the tasks: the org's entry points.
pub struct Records<'a> {
    pub entry_points: &'a [EntryPoint],
}

/// An agent's login session: the agent's handled tasks created on one UTC day.
#[derive(Debug)]
pub struct Session<'a> {
    pub id: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// The agent's facts are read from the first task.
    pub first: &'a TaskRecord,
    /// One entry per channel type, its tasks in creation order.
    pub channels: Vec<(&'static str, Vec<&'a TaskRecord>)>,
}

impl Session<'_> {
    /// Time not spent connected or in wrap-up on any channel: counted as available on each
    /// channel, since a multimedia agent is available on all channels at once.
    fn available_ms(&self) -> i64 {
        let busy: i64 = self
            .channels
            .iter()
            .flat_map(|(_, tasks)| tasks)
            .map(|t| connected_ms(t) + WRAPUP_MS)
            .sum();
        (self.end_ms - self.start_ms - busy).max(0)
    }
}

const DAY_MS: i64 = 86_400_000;

/// A deterministic UUID-shaped id from text (FNV-1a), for records the seed has no id for.
fn derived_id(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut g: u64 = 0x8422_2325_cbf2_9ce4;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        g = (g ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x2);
    }
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        g >> 52,
        g & 0xffff_ffff_ffff
    )
}

/// The login session of `agent_id` on the UTC day containing `ms`.
pub fn session_id(agent_id: &str, ms: i64) -> String {
    derived_id(&format!("session/{agent_id}/{}", ms.div_euclid(DAY_MS)))
}

pub fn is_handled(t: &TaskRecord) -> bool {
    t.status == "completed"
}

pub fn connected_ms(t: &TaskRecord) -> i64 {
    if is_handled(t) {
        t.ended_ms - t.created_ms - t.enqueued_ms
    } else {
        0
    }
}

/// Sessions of every agent and day, in start order.
pub fn sessions<'a>(tasks: &'a [TaskRecord]) -> Vec<Session<'a>> {
    let mut by_agent_day: BTreeMap<(&str, i64), Vec<&TaskRecord>> = BTreeMap::new();
    for t in tasks.iter().filter(|t| is_handled(t)) {
        by_agent_day
            .entry((&t.agent_id, t.created_ms.div_euclid(DAY_MS)))
            .or_default()
            .push(t);
    }
    let mut sessions: Vec<Session> = by_agent_day
        .into_values()
        .map(|tasks| {
            let first = tasks[0];
            // Logged in at the start of the hour of the first task (never before the day began).
            let start_ms = first.created_ms - first.created_ms.rem_euclid(3_600_000);
            let end_ms = tasks.iter().map(|t| t.ended_ms).max().unwrap_or(start_ms) + WRAPUP_MS;
            let mut channels: Vec<(&'static str, Vec<&TaskRecord>)> = Vec::new();
            for t in tasks {
                match channels.iter_mut().find(|(c, _)| *c == t.channel_type) {
                    Some((_, list)) => list.push(t),
                    None => channels.push((t.channel_type, vec![t])),
                }
            }
            Session {
                id: session_id(&first.agent_id, first.created_ms),
                start_ms,
                end_ms,
                first,
                channels,
            }
        })
        .collect();
    sessions.sort_by(|a, b| a.start_ms.cmp(&b.start_ms).then(a.id.cmp(&b.id)));
    sessions
}

/// A CAR event of a task's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    New,
    Parked,
    Connected,
    Wrapup,
    Ended,
}

fn events(t: &TaskRecord) -> &'static [Event] {
    if is_handled(t) {
        &[
            Event::New,
            Event::Parked,
            Event::Connected,
            Event::Wrapup,
            Event::Ended,
        ]
    } else {
        &[Event::New, Event::Parked, Event::Ended]
    }
}

/// One record a query reads: a view over seeded data.
#[derive(Clone, Copy)]
pub enum Rec<'a> {
    Csr(&'a TaskRecord, &'a Records<'a>),
    Car(&'a TaskRecord, Event, usize),
    Asr(&'a Session<'a>, bool),
    /// A session's channel entry (index into `channels`); the flag: durations in seconds.
    Channel(&'a Session<'a>, usize, bool),
    /// A connected (`false`) or wrap-up (`true`) stretch of a task.
    Aar(&'a TaskRecord, bool),
    Clr(&'a TaskRecord, &'a Records<'a>),
}

fn entry_point<'a>(records: &'a Records, t: &TaskRecord) -> Option<&'a EntryPoint> {
    // A task's entry point is not seeded; pick one by its id, so it is the same on every request.
    let n = records.entry_points.len();
    let hash =
        t.id.bytes()
            .take(8)
            .fold(0usize, |h, b| h * 31 + b as usize);
    (n > 0).then(|| &records.entry_points[hash % n])
}

impl<'a> Rec<'a> {
    /// The list below this record that dotted paths may go through, e.g. `activities.nodes`.
    pub fn list_prefix(&self) -> Option<&'static str> {
        match self {
            Rec::Csr(..) => Some("activities.nodes"),
            Rec::Asr(..) => Some("channelInfo"),
            Rec::Channel(..) => Some("activities.nodes"),
            _ => None,
        }
    }

    /// The records of [`Rec::list_prefix`].
    pub fn children(&self) -> Vec<Rec<'a>> {
        match *self {
            Rec::Csr(t, _) => events(t)
                .iter()
                .enumerate()
                .map(|(i, e)| Rec::Car(t, *e, i))
                .collect(),
            Rec::Asr(session, seconds) => (0..session.channels.len())
                .map(|i| Rec::Channel(session, i, seconds))
                .collect(),
            Rec::Channel(session, i, _) => session.channels[i]
                .1
                .iter()
                .flat_map(|t| [Rec::Aar(t, false), Rec::Aar(t, true)])
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The value at `path` within this record (not through its list).
    pub fn scalar(&self, path: &str) -> Val<'a> {
        match *self {
            Rec::Csr(t, records) => csr(t, records, path),
            Rec::Car(t, event, index) => car(t, event, index, path),
            Rec::Asr(session, _) => asr(session, path),
            Rec::Channel(session, i, seconds) => channel(session, i, seconds, path),
            Rec::Aar(t, wrapup) => aar(t, wrapup, path),
            Rec::Clr(t, records) => clr(t, records, path),
        }
    }

    /// Every value at `path`, going through lists (a task's activities, a session's channels).
    pub fn values(&self, path: &str, out: &mut Vec<Val<'a>>) {
        if let Some(rest) = self
            .list_prefix()
            .and_then(|p| path.strip_prefix(p))
            .and_then(|r| r.strip_prefix('.'))
        {
            for child in self.children() {
                child.values(rest, out);
            }
        } else {
            out.push(self.scalar(path));
        }
    }
}

fn agent_part<'a>(t: &'a TaskRecord, part: &str) -> Val<'a> {
    match part {
        "id" => s(&t.agent_id),
        "name" => s(&t.agent_name),
        "signInId" => s(&t.agent_email),
        "sessionId" if is_handled(t) => owned(session_id(&t.agent_id, t.created_ms)),
        "channelId" => s(&t.id),
        _ => Val::Null,
    }
}

fn csr<'a>(t: &'a TaskRecord, records: &'a Records, path: &str) -> Val<'a> {
    let handled = is_handled(t);
    let ep = || entry_point(records, t);
    let count = |yes: bool| Val::Int(i64::from(yes));
    match path {
        "id" => s(&t.id),
        "channelType" => s(t.channel_type),
        "status" => s("ended"),
        "isActive" => Val::Bool(false),
        "direction" => s("inbound"),
        "createdTime" => Val::Int(t.created_ms),
        "endedTime" => Val::Int(t.ended_ms),
        "origin" => s(&t.origin),
        "destination" => s(&t.destination),
        "terminationType" => s("normal"),
        "terminationReason" => s(if handled {
            "Agent Ended"
        } else {
            "Customer Left"
        }),
        "terminatingEnd" => s(if handled { "agent" } else { "customer" }),
        "contactHandleType" => s(if handled { "normal" } else { "abandoned" }),
        "abandonedType" if !handled => s("queue"),
        "isContactOffered" | "isContactHandled" => Val::Bool(handled),
        "isWithInServiceLevel" => Val::Bool(t.enqueued_ms <= SERVICE_LEVEL_MS),
        "lastQueue.id" => s(&t.queue_id),
        "lastQueue.name" => s(&t.queue_name),
        "lastQueue.duration" | "queueDuration" => Val::Int(t.enqueued_ms),
        "firstQueueId" => s(&t.queue_id),
        "firstQueueName" => s(&t.queue_name),
        "owner.id" => s(&t.agent_id),
        "owner.name" => s(&t.agent_name),
        "lastTeam.id" => s(&t.team_id),
        "lastTeam.name" => s(&t.team_name),
        "lastSite.id" => s(&t.site_id),
        "lastSite.name" => s(&t.site_name),
        "lastEntryPoint.id" => ep().map_or(Val::Null, |e| s(&e.0)),
        "lastEntryPoint.name" => ep().map_or(Val::Null, |e| s(&e.1)),
        "totalDuration" => Val::Int(t.ended_ms - t.created_ms),
        "queueCount" => Val::Int(1),
        "connectedDuration" => Val::Int(connected_ms(t)),
        "connectedCount" => count(handled),
        "wrapupDuration" => Val::Int(if handled { WRAPUP_MS } else { 0 }),
        "holdDuration" | "ringingDuration" | "selfserviceDuration" => Val::Int(0),
        "holdCount" | "selfserviceCount" | "consultCount" | "conferenceCount" | "transferCount"
        | "blindTransferCount" => Val::Int(0),
        "lastWrapupCodeName" if handled => s(&t.wrapup_code),
        "activities.totalCount" => Val::Int(events(t).len() as i64),
        _ => match path.strip_prefix("lastAgent.") {
            Some(part) => agent_part(t, part),
            None => Val::Null,
        },
    }
}

fn car<'a>(t: &'a TaskRecord, event: Event, index: usize, path: &str) -> Val<'a> {
    let connect_ms = t.created_ms + t.enqueued_ms;
    let with_agent = matches!(event, Event::Connected | Event::Wrapup);
    match path {
        "id" => owned(format!("{}-{index}", t.id)),
        "eventName" => s(match event {
            Event::New => "new",
            Event::Parked => "parked",
            Event::Connected => "connected",
            Event::Wrapup => "wrapup",
            Event::Ended => "ended",
        }),
        "queueId" if event != Event::New => s(&t.queue_id),
        "agentId" if with_agent => s(&t.agent_id),
        "teamId" if with_agent => s(&t.team_id),
        "siteId" if with_agent => s(&t.site_id),
        "duration" => Val::Int(match event {
            Event::Parked => t.enqueued_ms,
            Event::Connected => connected_ms(t),
            Event::Wrapup => WRAPUP_MS,
            Event::New | Event::Ended => 0,
        }),
        "createdTime" => Val::Int(match event {
            Event::New | Event::Parked => t.created_ms,
            Event::Connected => connect_ms,
            Event::Wrapup | Event::Ended => t.ended_ms,
        }),
        _ => Val::Null,
    }
}

fn asr<'a>(session: &'a Session<'a>, path: &str) -> Val<'a> {
    let t = session.first;
    match path {
        "agentSessionId" => s(&session.id),
        "agentId" => s(&t.agent_id),
        "agentName" => s(&t.agent_name),
        "userLoginId" => s(&t.agent_email),
        "teamId" => s(&t.team_id),
        "teamName" => s(&t.team_name),
        "siteId" => s(&t.site_id),
        "siteName" => s(&t.site_name),
        "startTime" => Val::Int(session.start_ms),
        "endTime" => Val::Int(session.end_ms),
        "isActive" => Val::Bool(false),
        "state" => s("logged-out"),
        "agentSignOutReason" => s("Logout"),
        "multiMediaProfileType" => s("BLENDED"),
        _ => Val::Null,
    }
}

fn channel<'a>(session: &'a Session<'a>, i: usize, seconds: bool, path: &str) -> Val<'a> {
    let (channel_type, tasks) = &session.channels[i];
    let handled = tasks.len() as i64;
    let connected: i64 = tasks.iter().map(|t| connected_ms(t)).sum();
    match path {
        "channelId" => owned(derived_id(&format!("{}/{channel_type}", session.id))),
        "channelType" => s(channel_type),
        "availableDuration" => Val::Int(session.available_ms()),
        "availableCount" => Val::Int(1),
        "connectedDuration" => Val::Int(connected),
        "wrapupDuration" => Val::Int(handled * WRAPUP_MS),
        "connectedCount" | "ringingCount" | "wrapupCount" => Val::Int(handled),
        "totalDuration" => {
            let total = connected + handled * WRAPUP_MS;
            Val::Int(if seconds { total / 1000 } else { total })
        }
        "activities.totalCount" => Val::Int(handled * 2),
        p if p.ends_with("Duration") || p.ends_with("Count") => Val::Int(0),
        _ => Val::Null,
    }
}

fn aar<'a>(t: &'a TaskRecord, wrapup: bool, path: &str) -> Val<'a> {
    let (start, end) = if wrapup {
        (t.ended_ms, t.ended_ms + WRAPUP_MS)
    } else {
        (t.created_ms + t.enqueued_ms, t.ended_ms)
    };
    match path {
        "id" => owned(format!(
            "{}-{}",
            t.id,
            if wrapup { "wrapup" } else { "connected" }
        )),
        "state" => s(if wrapup { "wrapup" } else { "connected" }),
        "startTime" => Val::Int(start),
        "endTime" => Val::Int(end),
        "duration" => Val::Int(end - start),
        "wrapupCode.name" => s(&t.wrapup_code),
        "queue.id" => s(&t.queue_id),
        "queue.name" => s(&t.queue_name),
        "taskId" => s(&t.id),
        "isCurrentActivity" => Val::Bool(false),
        _ => Val::Null,
    }
}

fn clr<'a>(t: &'a TaskRecord, records: &'a Records, path: &str) -> Val<'a> {
    let handled = is_handled(t);
    let ep = || entry_point(records, t);
    match path {
        "id" => owned(format!("{}-callLeg-{}", t.id, t.created_ms)),
        "taskId" => s(&t.id),
        "createdTime" => Val::Int(t.created_ms),
        "endedTime" => Val::Int(t.ended_ms),
        "isActive" => Val::Bool(false),
        "status" | "contactState" => s("ended"),
        "channelType" => s(t.channel_type),
        "direction" => s("inbound"),
        "origin" => s(&t.origin),
        "destination" => s(&t.destination),
        "queue.id" => s(&t.queue_id),
        "queue.name" => s(&t.queue_name),
        "queue.duration" | "queueDuration" => Val::Int(t.enqueued_ms),
        "team.id" => s(&t.team_id),
        "team.name" => s(&t.team_name),
        "site.id" => s(&t.site_id),
        "site.name" => s(&t.site_name),
        "entryPoint.id" => ep().map_or(Val::Null, |e| s(&e.0)),
        "entryPoint.name" => ep().map_or(Val::Null, |e| s(&e.1)),
        "handleType" => s(if handled { "normal" } else { "abandoned" }),
        "isTaskLegHandled" => Val::Bool(handled),
        "isWithinServiceLevel" => Val::Bool(t.enqueued_ms <= SERVICE_LEVEL_MS),
        "slaValue" => owned((SERVICE_LEVEL_MS / 1000).to_string()),
        "abandonedType" if !handled => s("queue"),
        "queueCount" | "taskLegCount" => Val::Int(1),
        "connectedDuration" => Val::Int(connected_ms(t)),
        "connectedCount" => Val::Int(i64::from(handled)),
        "wrapupDuration" => Val::Int(if handled { WRAPUP_MS } else { 0 }),
        "handleTime" => Val::Int(if handled {
            connected_ms(t) + WRAPUP_MS
        } else {
            0
        }),
        "ringingDuration" | "holdDuration" => Val::Int(0),
        "holdCount"
        | "consultSuccessCount"
        | "interQueueBlindTransferCount"
        | "interQueueConsultTransferCount"
        | "consultToQueueCount" => Val::Int(0),
        _ => match path.strip_prefix("owner.") {
            Some(part) => agent_part(t, part),
            None => Val::Null,
        },
    }
}
