//! Contact-center tasks (calls, chats, emails) over the last days: the records the analytics
//! endpoints filter, page and aggregate.

use serde_json::{Value, json};

use super::profiles::WRAPUP_CODES;
use super::{DAY_MS, field};
use crate::ids::SeededRng;

/// A contact-center task (call, chat, email) with the facts statistics are derived from.
#[derive(Debug, Clone)]
pub struct TaskRecord {
    pub id: String,
    pub channel_type: &'static str,
    pub status: &'static str,
    pub created_ms: i64,
    pub ended_ms: i64,
    pub agent_id: String,
    pub agent_name: String,
    pub agent_email: String,
    pub team_id: String,
    pub team_name: String,
    pub site_id: String,
    pub site_name: String,
    pub queue_id: String,
    pub queue_name: String,
    pub origin: String,
    pub destination: String,
    pub wrapup_code: String,
    pub enqueued_ms: i64,
}

/// What every task handled by one agent repeats.
struct AgentFacts {
    id: String,
    name: String,
    email: String,
    team_id: String,
    team_name: String,
    site_id: String,
    site_name: String,
}

/// Channel of each generated task, drawn uniformly: repeats weight telephony and chat.
const TASK_CHANNELS: &[&str] = &[
    "telephony",
    "telephony",
    "telephony",
    "chat",
    "chat",
    "email",
    "social",
];
/// Days before `now_ms` that tasks are spread over: a month, so that windows of days and weeks
/// (which the Search API allows) show something.
pub const TASK_DAYS: i64 = 31;

/// `per_day` is the base daily volume; each org adds up to a tenth more, drawn once.
pub(super) fn generate_tasks(
    rng: &mut SeededRng,
    per_day: u64,
    users: &[Value],
    teams: &[Value],
    queues: &[Value],
    now_ms: i64,
) -> Vec<TaskRecord> {
    // Each agent's facts are looked up once: the history has tens of thousands of tasks.
    let agents: Vec<AgentFacts> = users
        .iter()
        .filter(|u| u["contactCenterEnabled"] == json!(true))
        .map(|user| {
            let team_id = user["teamIds"][0].as_str().unwrap_or_default();
            let team_name = teams
                .iter()
                .find(|t| field(t, "id") == team_id)
                .map(|t| field(t, "name"))
                .unwrap_or_default();
            AgentFacts {
                id: field(user, "id").to_string(),
                name: format!("{} {}", field(user, "firstName"), field(user, "lastName")),
                email: field(user, "email").to_string(),
                team_id: team_id.to_string(),
                team_name: team_name.to_string(),
                site_id: field(user, "siteId").to_string(),
                site_name: field(user, "siteName").to_string(),
            }
        })
        .collect();
    let queues: Vec<(String, String)> = queues
        .iter()
        .map(|q| (field(q, "id").to_string(), field(q, "name").to_string()))
        .collect();
    let start = now_ms - TASK_DAYS * DAY_MS;
    let count = (TASK_DAYS as u64) * (per_day + rng.below(per_day / 10 + 1));
    let mut tasks: Vec<TaskRecord> = (0..count)
        .map(|_| {
            let created_ms = start + rng.below((TASK_DAYS * DAY_MS) as u64 - 3_600_000) as i64;
            let agent = rng.pick(&agents);
            let (queue_id, queue_name) = rng.pick(&queues);
            let channel_type = *rng.pick(TASK_CHANNELS);
            let status = if rng.chance(8) {
                "abandoned"
            } else {
                "completed"
            };
            let enqueued_ms = 5_000 + rng.below(120_000) as i64;
            let ended_ms = created_ms + enqueued_ms + 60_000 + rng.below(900_000) as i64;
            let phone = format!("+1555{:07}", rng.below(10_000_000));
            let (origin, destination) = match channel_type {
                "telephony" => (phone, "+18005550100".to_string()),
                "email" => (
                    "customer@example.org".to_string(),
                    "support@wxcc-sandbox.example.com".to_string(),
                ),
                _ => (
                    "web-visitor".to_string(),
                    "chat.wxcc-sandbox.example.com".to_string(),
                ),
            };
            TaskRecord {
                id: rng.uuid(),
                channel_type,
                status,
                created_ms,
                ended_ms,
                agent_id: agent.id.clone(),
                agent_name: agent.name.clone(),
                agent_email: agent.email.clone(),
                team_id: agent.team_id.clone(),
                team_name: agent.team_name.clone(),
                site_id: agent.site_id.clone(),
                site_name: agent.site_name.clone(),
                queue_id: queue_id.clone(),
                queue_name: queue_name.clone(),
                origin,
                destination,
                wrapup_code: rng.pick(WRAPUP_CODES).to_string(),
                enqueued_ms,
            }
        })
        .collect();
    tasks.sort_by(|a, b| {
        a.created_ms
            .cmp(&b.created_ms)
            .then_with(|| a.id.cmp(&b.id))
    });
    tasks
}
