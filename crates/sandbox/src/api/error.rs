//! The API port's errors and their wire form, the spec's `ApiErrorResponse` (with `Retry-After` on
//! 429s). Handlers return them with `?`; the tracking middleware writes the request's tracking id
//! into the body.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::tracking::{TrackedAnswer, TrackingId, awaiting_tracking_id};

/// Why an API request failed: status, the spec's `reason`, a message for the developer and, for
/// 429s, the seconds for `Retry-After`. It answers as the spec's `ApiErrorResponse`:
/// `{"trackingId", "error": {"key", "reason", "message": [{"description"}]}}`, or only the status
/// and headers after [`ApiError::without_body`].
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub reason: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
    with_body: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            reason,
            message: message.into(),
            retry_after: None,
            with_body: true,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "Bad Request", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    /// The same status and headers (`Retry-After`, the tracking id) with an empty body.
    pub fn without_body(self) -> Self {
        ApiError {
            with_body: false,
            ..self
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for ApiError {
    fn answer(&self, tracking: &TrackingId) -> Response {
        let mut response = if self.with_body {
            (self.status, Json(error_body(self, tracking))).into_response()
        } else {
            self.status.into_response()
        };
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// The spec's `ApiErrorResponse` for `error`, naming the request's tracking id.
pub fn error_body(error: &ApiError, tracking: &TrackingId) -> serde_json::Value {
    json!({
            "trackingId": tracking.0,
            "error": {
                "key": error.status.as_u16().to_string(),
                "reason": error.reason,
                "message": [{"description": error.message}],
            }
    })
}
