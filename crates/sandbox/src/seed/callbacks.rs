//! Scheduled callbacks (`CallbackSchedule`) in the week after the seed's anchor hour.

use serde_json::{Value, json};

use super::{Collection, DAY_MS, OrgData, calendar, field};
use crate::ids::SeededRng;

/// A scheduled callback and the instant it triggers; Webex lists only callbacks whose trigger
/// time has not passed.
#[derive(Debug, Clone)]
pub struct ScheduledCallback {
    pub trigger_ms: i64,
    /// The `CallbackSchedule` as sent.
    pub record: Value,
}

/// The customer number of the first callback: the spec's example, so the explorer's example finds it.
pub const EXAMPLE_CALLBACK_NUMBER: &str = "+1234567890";

/// Customers' time zones, all without daylight saving so a fixed offset converts them exactly.
const ZONES: &[(&str, i64)] = &[
    ("America/Phoenix", -420),
    ("UTC", 0),
    ("Asia/Kolkata", 330),
    ("Asia/Singapore", 480),
    ("Asia/Tokyo", 540),
    ("Australia/Brisbane", 600),
];
const CUSTOMERS: &[&str] = &[
    "Jordan Blake",
    "Priya Raman",
    "Mateo Silva",
    "Hannah Kim",
    "Lucas Martin",
    "Amara Obi",
    "Chloe Dupont",
    "Kenji Mori",
];
const REASONS: &[&str] = &[
    "Billing question",
    "Order status",
    "Technical follow-up",
    "Cancel subscription",
];
const WINDOW_MS: i64 = 30 * 60_000;
const HOUR_MS: i64 = 3_600_000;

pub(super) fn scheduled_callbacks(
    rng: &mut SeededRng,
    org: &str,
    data: &OrgData,
    now_ms: i64,
) -> Vec<ScheduledCallback> {
    let queues: Vec<&Value> = data
        .records(Collection::ContactServiceQueue)
        .iter()
        .filter(|q| field(q, "channelType") == "TELEPHONY")
        .collect();
    let agents: Vec<&Value> = data
        .records(Collection::User)
        .iter()
        .filter(|u| {
            u["contactCenterEnabled"] == json!(true)
                && u["userProfileType"] != json!("ADMINISTRATOR")
        })
        .collect();
    let calls: Vec<&str> = data
        .tasks
        .iter()
        .filter(|t| t.channel_type == "telephony")
        .map(|t| t.id.as_str())
        .collect();
    if queues.is_empty() || agents.is_empty() {
        return Vec::new();
    }
    let mut callbacks: Vec<ScheduledCallback> = (0..24)
        .map(|i| {
            let (timezone, offset) = *rng.pick(ZONES);
            let offset_ms = offset * 60_000;
            // A quarter-hour between 08:00 and 17:45 local time, one to seven days ahead.
            let local = now_ms + offset_ms + (1 + rng.below(7) as i64) * DAY_MS;
            let local_midnight = local - local.rem_euclid(DAY_MS);
            let start_local = local_midnight + 8 * HOUR_MS + rng.below(40) as i64 * 15 * 60_000;
            let trigger_ms = start_local - offset_ms;
            let created = now_ms - (1 + rng.below(72) as i64) * HOUR_MS;
            let number = if i == 0 {
                EXAMPLE_CALLBACK_NUMBER.to_string()
            } else {
                format!("+1555{:07}", rng.below(10_000_000))
            };
            let mut record = json!({
                "id": rng.uuid(), "customerName": *rng.pick(CUSTOMERS), "callbackNumber": number,
                "timezone": timezone, "scheduleDate": calendar::date(trigger_ms, offset),
                "startTime": calendar::time_of_day(trigger_ms, offset),
                "endTime": calendar::time_of_day(trigger_ms + WINDOW_MS, offset),
                "queueId": field(rng.pick::<&Value>(&queues), "id"), "callbackReason": *rng.pick(REASONS),
                "callbackOrigin": if calls.is_empty() || i % 3 == 0 { "api" } else { "livecall" },
                "createdTimestamp": created, "lastUpdatedTimestamp": created + rng.below(30) as i64 * 60_000,
                "orgId": org,
            });
            if record["callbackOrigin"] == "livecall" {
                record["sourceInteraction"] = json!(*rng.pick(&calls));
            }
            if i % 4 != 3 {
                let agent = field(rng.pick::<&Value>(&agents), "id");
                record["assigneeAgent"] = json!(agent);
                record["assignedTime"] = json!(created + 60_000);
            }
            ScheduledCallback { trigger_ms, record }
        })
        .collect();
    // The first agent (Sam Agent, who signs in, in the primary org) has callbacks of their own.
    let agent_user = data.records(Collection::User).iter().find(|u| {
        u["userProfileType"] != json!("ADMINISTRATOR") && u["contactCenterEnabled"] == json!(true)
    });
    if let Some(agent_user) = agent_user {
        for callback in callbacks.iter_mut().step_by(5) {
            callback.record["assigneeAgent"] = agent_user["id"].clone();
            let assigned = callback.record["createdTimestamp"]
                .as_i64()
                .unwrap_or_default()
                + 60_000;
            callback.record["assignedTime"] = json!(assigned);
        }
    }
    callbacks.sort_by_key(|c| c.trigger_ms);
    callbacks
}
