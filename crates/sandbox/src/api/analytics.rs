//! The analytics endpoints: `/v1/tasks`, `/v1/agents/activities`, `/v1/agents/statistics` and
//! `/v1/queues/statistics`, computed from the seeded tasks.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{StatusCode, Uri};
use serde_json::{Value, json};

use super::error::ApiError;
use super::guard::{Caller, authorize_read, check_org};
use super::params::{int_param, last_param, query_pairs};
use crate::seed::TaskRecord;
use crate::state::{AppState, now_ms};

const CHANNEL_TYPES: &[&str] = &["email", "chat", "telephony", "social"];

/// The spec: activity and statistics windows must be shorter than a day.
const DAY_MS: i64 = 86_400_000;

/// The spec: at most this many agent-activity records can be fetched for one `from`/`to`.
const ACTIVITY_RECORD_CAP: usize = 10_000;

struct AnalyticsQuery {
    pairs: Vec<(String, String)>,
}

impl AnalyticsQuery {
    fn new(uri: &Uri, caller: &Caller) -> Result<Self, ApiError> {
        authorize_read(caller)?;
        let pairs = query_pairs(uri)?;
        if let Some(org) = last_param(&pairs, "orgId") {
            check_org(caller, org)?;
        }
        Ok(AnalyticsQuery { pairs })
    }

    fn required_ms(&self, name: &str) -> Result<i64, ApiError> {
        int_param(&self.pairs, name)?.ok_or_else(|| {
            ApiError::bad_request(format!(
                "{name} is required: an epoch timestamp in milliseconds"
            ))
        })
    }

    fn range(&self, to_required: bool) -> Result<(i64, i64), ApiError> {
        let from = self.required_ms("from")?;
        let to = if to_required {
            self.required_ms("to")?
        } else {
            int_param(&self.pairs, "to")?.unwrap_or_else(now_ms)
        };
        if from < 0 || to <= from {
            return Err(ApiError::bad_request(format!(
                "from ({from}) must be before to ({to}) and not negative"
            )));
        }
        Ok((from, to))
    }

    fn page_size(&self) -> Result<usize, ApiError> {
        let size = int_param(&self.pairs, "pageSize")?.unwrap_or(100);
        if !(1..=1000).contains(&size) {
            return Err(ApiError::bad_request(format!(
                "pageSize must be between 1 and 1000, got {size}"
            )));
        }
        Ok(size as usize)
    }

    fn list(&self, name: &str, max: usize) -> Result<Option<Vec<String>>, ApiError> {
        let Some(text) = last_param(&self.pairs, name) else {
            return Ok(None);
        };
        let items: Vec<String> = text
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if items.len() > max {
            return Err(ApiError::bad_request(format!(
                "{name} accepts at most {max} values, got {}",
                items.len()
            )));
        }
        Ok(Some(items))
    }

    fn channel_types(&self) -> Result<Option<Vec<String>>, ApiError> {
        let list = self.list("channelTypes", CHANNEL_TYPES.len() * 4)?;
        if let Some(bad) = list
            .iter()
            .flatten()
            .find(|c| !CHANNEL_TYPES.contains(&c.as_str()))
        {
            return Err(ApiError::bad_request(format!(
                "channelTypes: {bad:?} is not a channel type; use lowercase email, chat, telephony or social"
            )));
        }
        Ok(list)
    }

    fn interval_minutes(&self) -> Result<Option<i64>, ApiError> {
        match int_param(&self.pairs, "interval")? {
            None => Ok(None),
            Some(m @ (15 | 30 | 60)) => Ok(Some(m)),
            Some(m) => Err(ApiError::bad_request(format!(
                "interval must be 15, 30 or 60 (minutes), got {m}"
            ))),
        }
    }
}

/// The tasks of the caller's organization.
pub(super) fn org_tasks<'a>(state: &'a AppState, caller: &Caller) -> &'a [TaskRecord] {
    state
        .seed()
        .orgs
        .get(&caller.org_id)
        .map(|o| o.tasks.as_slice())
        .unwrap_or_default()
}

fn in_list(list: &Option<Vec<String>>, value: &str) -> bool {
    list.as_ref().is_none_or(|l| l.iter().any(|v| v == value))
}

pub async fn tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(tasks_body(&state, &caller, &uri)?))
}

fn tasks_body(state: &AppState, caller: &Caller, uri: &Uri) -> Result<Value, ApiError> {
    let q = AnalyticsQuery::new(uri, caller)?;
    let (from, to) = q.range(false)?;
    let channels = q.channel_types()?;
    let page_size = q.page_size()?;
    let data: Vec<Value> = org_tasks(state, caller)
        .iter()
        .filter(|t| t.created_ms >= from && t.created_ms < to && in_list(&channels, t.channel_type))
        .take(page_size)
        .map(|t| {
            json!({
                "id": t.id,
                "attributes": {
                    "owner": {"id": t.agent_id, "name": t.agent_name},
                    "queue": {"id": t.queue_id, "name": t.queue_name},
                    "channelType": t.channel_type,
                    "status": t.status,
                    "createdTime": t.created_ms,
                    "lastUpdatedTime": t.ended_ms,
                    "captureRequested": false,
                    "origin": t.origin,
                    "destination": t.destination,
                    "direction": "inbound",
                }
            })
        })
        .collect();
    Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
}

pub async fn agent_activities(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(agent_activities_body(&state, &caller, &uri)?))
}

fn agent_activities_body(state: &AppState, caller: &Caller, uri: &Uri) -> Result<Value, ApiError> {
    let q = AnalyticsQuery::new(uri, caller)?;
    let (from, to) = q.range(false)?;
    if to - from >= DAY_MS {
        return Err(under_a_day());
    }
    let agents = q.list("agentIds", 100)?;
    let teams = q.list("teamIds", 100)?;
    let channels = q.channel_types()?;
    let page_size = q.page_size()?;
    let page = int_param(&q.pairs, "page")?.unwrap_or(0);
    if page < 0 {
        return Err(ApiError::bad_request(format!(
            "page must be 0 or more, got {page}"
        )));
    }
    let first = usize::try_from(page)
        .unwrap_or(usize::MAX)
        .saturating_mul(page_size);
    if first >= ACTIVITY_RECORD_CAP {
        return Err(beyond_the_record_cap(state, page, page_size));
    }
    let data: Vec<Value> = org_tasks(state, caller)
        .iter()
        .filter(|t| t.status == "completed")
        .filter(|t| t.created_ms >= from && t.created_ms < to)
        .filter(|t| in_list(&agents, &t.agent_id) && in_list(&teams, &t.team_id) && in_list(&channels, t.channel_type))
        .skip(first)
        .take(page_size.min(ACTIVITY_RECORD_CAP - first))
        .map(|t| {
            json!({
                "active": false, "agentId": t.agent_id, "agentDn": "", "agentLogin": t.agent_email,
                "agentSessionId": format!("session-{}", &t.id[..8]), "agentName": t.agent_name,
                "currentState": "connected", "siteId": t.site_id, "siteName": t.site_name,
                "teamId": t.team_id, "teamName": t.team_name, "isLogin": 1, "taskId": t.id,
                "channelId": t.id, "channelType": t.channel_type, "subChannelType": "",
                "idleCodeName": "", "idleCode": "", "queueId": t.queue_id, "queueName": t.queue_name,
                "wrapupCodeName": t.wrapup_code, "reason": "", "startTime": t.created_ms + t.enqueued_ms,
                "endTime": t.ended_ms, "mmProfileType": "BLENDED",
            })
        })
        .collect();
    Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
}

fn under_a_day() -> ApiError {
    ApiError::bad_request(
        "The difference between to and from must be less than 24 hours (86400000 milliseconds)",
    )
}

/// A page that starts beyond the record cap, answered with the status of the `activity_cap_status` knob.
fn beyond_the_record_cap(state: &AppState, page: i64, page_size: usize) -> ApiError {
    let message = format!(
        "At most {ACTIVITY_RECORD_CAP} records can be fetched for one from/to: page {page} of size {page_size} starts beyond them. Narrow the window."
    );
    match state.store().faults.knobs.activity_cap_status {
        413 => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Content Too Large", message),
        _ => ApiError::bad_request(message),
    }
}

/// Statistics are bucketed on 15-minute boundaries; without an interval the whole range is one bucket.
fn buckets(q: &AnalyticsQuery) -> Result<(i64, i64, Option<i64>), ApiError> {
    let (from, to) = q.range(true)?;
    let interval = q.interval_minutes()?.map(|m| m * 60_000);
    let quarter = 15 * 60_000;
    let (start, end) = (from - from.rem_euclid(quarter), to - to.rem_euclid(quarter));
    // The spec limits to - from; refused when either the sent or the rounded range reaches a day.
    if to - from >= DAY_MS || end - start >= DAY_MS {
        return Err(under_a_day());
    }
    if end <= start {
        return Err(ApiError::bad_request(
            "from and to fall in the same 15-minute window; widen the range",
        ));
    }
    Ok((start, end, interval))
}

fn bucket_of(created: i64, from: i64, interval: Option<i64>) -> i64 {
    interval.map_or(from, |i| from + (created - from) / i * i)
}

pub async fn agent_statistics(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(agent_statistics_body(&state, &caller, &uri)?))
}

fn agent_statistics_body(state: &AppState, caller: &Caller, uri: &Uri) -> Result<Value, ApiError> {
    let q = AnalyticsQuery::new(uri, caller)?;
    let (from, to, interval) = buckets(&q)?;
    let agents = q.list("agentIds", 100)?;
    let mut groups: BTreeMap<(i64, String), Vec<&TaskRecord>> = BTreeMap::new();
    for t in org_tasks(state, caller)
        .iter()
        .filter(|t| t.created_ms >= from && t.created_ms < to && in_list(&agents, &t.agent_id))
    {
        groups
            .entry((bucket_of(t.created_ms, from, interval), t.agent_id.clone()))
            .or_default()
            .push(t);
    }
    let data: Vec<Value> = groups
        .into_iter()
        .map(|((start, _), tasks)| {
            let first = tasks[0];
            let mut by_channel: BTreeMap<&str, Vec<&TaskRecord>> = BTreeMap::new();
            for t in &tasks {
                by_channel.entry(t.channel_type).or_default().push(t);
            }
            let channels: Vec<Value> = by_channel
                .into_iter()
                .map(|(channel, ts)| {
                    let handled: Vec<&&TaskRecord> = ts.iter().filter(|t| t.status == "completed").collect();
                    let engaged: i64 = handled.iter().map(|t| t.ended_ms - t.created_ms - t.enqueued_ms).sum();
                    let wrap = handled.len() as i64 * 20_000;
                    let avg = if handled.is_empty() { 0.0 } else { (engaged + wrap) as f64 / handled.len() as f64 };
                    json!({
                        "channelType": channel, "totalOfferedTasks": ts.len(), "totalAssignedTasks": handled.len(),
                        "totalAcceptedTasks": handled.len(), "totalRejectedTasks": 0, "totalTransferredTasks": 0,
                        "totalEngagedDuration": engaged.min(i32::MAX as i64), "totalHoldDuration": 0,
                        "totalWrapUpDuration": wrap, "totalAvailableTime": engaged / 2, "totalUnAvailableTime": 0,
                        "averageHandledTime": avg,
                    })
                })
                .collect();
            json!({
                "intervalStartTime": start, "agentId": first.agent_id, "agentName": first.agent_name,
                "teamId": first.team_id, "teamName": first.team_name, "channels": channels,
            })
        })
        .collect();
    Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
}

pub async fn queue_statistics(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(queue_statistics_body(&state, &caller, &uri)?))
}

fn queue_statistics_body(state: &AppState, caller: &Caller, uri: &Uri) -> Result<Value, ApiError> {
    let q = AnalyticsQuery::new(uri, caller)?;
    let (from, to, interval) = buckets(&q)?;
    let queues = q.list("queueIds", 100)?;
    let mut groups: BTreeMap<(i64, String, &str), Vec<&TaskRecord>> = BTreeMap::new();
    for t in org_tasks(state, caller)
        .iter()
        .filter(|t| t.created_ms >= from && t.created_ms < to && in_list(&queues, &t.queue_id))
    {
        groups
            .entry((
                bucket_of(t.created_ms, from, interval),
                t.queue_id.clone(),
                t.channel_type,
            ))
            .or_default()
            .push(t);
    }
    let data: Vec<Value> = groups
        .into_iter()
        .map(|((start, queue_id, channel), ts)| {
            let handled: Vec<&&TaskRecord> = ts.iter().filter(|t| t.status == "completed").collect();
            let n = ts.len() as f64;
            let avg_enqueued = ts.iter().map(|t| t.enqueued_ms).sum::<i64>() as f64 / n;
            let avg_handled = if handled.is_empty() {
                0.0
            } else {
                handled.iter().map(|t| t.ended_ms - t.created_ms - t.enqueued_ms).sum::<i64>() as f64 / handled.len() as f64
            };
            let within_sla = ts.iter().filter(|t| t.enqueued_ms <= 30_000).count() as f64;
            json!({
                "intervalStartTime": start, "queueId": queue_id, "queueName": ts[0].queue_name, "channelType": channel,
                "totalOfferedTasks": ts.len(), "totalEnqueuedTasks": ts.len(), "totalAssignedTasks": handled.len(),
                "totalAcceptedTasks": handled.len(), "totalRejectedTasks": 0,
                "totalAbandonedTasks": ts.len() - handled.len(), "averageEnqueuedTime": avg_enqueued,
                "averageHandledTime": avg_handled, "serviceLevelThresholdPercentage": within_sla * 100.0 / n,
            })
        })
        .collect();
    Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
}
