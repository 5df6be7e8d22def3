//! `GET /v1/ewt`: a queue's estimated wait time. The sandbox's tasks are too sparse for a
//! lookback window of minutes, so the estimate is the mean time in queue of all the queue's seeded
//! tasks (assumed); an unknown queue, or one without tasks, answers 204 as the spec documents
//! ("For an Invalid queue value we return a 204", "Not enough valid samples").

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::analytics::org_tasks;
use super::error::ApiError;
use super::guard::{Caller, authorize_read, check_org};
use super::params::{int_param, last_param, query_pairs};
use crate::state::AppState;

/// An integer parameter within the spec's `minimum`..=`maximum`.
fn bounded(
    pairs: &[(String, String)],
    name: &str,
    range: std::ops::RangeInclusive<i64>,
    required: bool,
) -> Result<Option<i64>, ApiError> {
    match int_param(pairs, name)? {
        None if required => Err(ApiError::bad_request(format!(
            "{name} is required: an integer from {} to {}",
            range.start(),
            range.end()
        ))),
        Some(v) if !range.contains(&v) => Err(ApiError::bad_request(format!(
            "{name} must be from {} to {}, got {v}",
            range.start(),
            range.end()
        ))),
        other => Ok(other),
    }
}

pub async fn estimated_wait_time(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Response, ApiError> {
    authorize_read(&caller)?;
    let pairs = query_pairs(&uri)?;
    if let Some(org) = last_param(&pairs, "orgId") {
        check_org(&caller, org)?;
    }
    let queue = last_param(&pairs, "queueId")
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::bad_request("queueId is required"))?;
    bounded(&pairs, "lookbackMinutes", 5..=240, true)?;
    bounded(&pairs, "maxCV", 1..=100, false)?;
    bounded(&pairs, "minValidSamples", 1..=100, false)?;
    let waits: Vec<i64> = org_tasks(&state, &caller)
        .iter()
        .filter(|t| t.queue_id == queue)
        .map(|t| t.enqueued_ms)
        .collect();
    if waits.is_empty() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let mean_secs = waits.iter().sum::<i64>() as f64 / waits.len() as f64 / 1000.0;
    let rounded = (mean_secs * 10.0).round() / 10.0;
    Ok(Json(json!({"estimatedWaitTime": rounded})).into_response())
}
