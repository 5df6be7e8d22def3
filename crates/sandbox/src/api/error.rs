//! The API port's errors and their wire form, the spec's `ApiErrorResponse` (with `Retry-After` on 429s).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::http_util::TrackingId;

/// Why an API request failed: status, the spec's `reason`, a message for the developer and, for
/// 429s, the seconds for `Retry-After`. It is sent with the request's tracking id, see [`ApiError::tracked`].
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub reason: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            reason,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "Bad Request", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    /// The response for the request with this tracking id.
    pub fn tracked(self, tracking: &TrackingId) -> ApiErrorResponse {
        ApiErrorResponse {
            error: self,
            tracking: tracking.clone(),
            with_body: true,
        }
    }
}

/// The spec's `ApiErrorResponse`: `{"trackingId", "error": {"key", "reason", "message": [{"description"}]}}`,
/// or only the status and headers when sent without a body.
#[derive(Debug)]
pub struct ApiErrorResponse {
    error: ApiError,
    tracking: TrackingId,
    with_body: bool,
}

impl ApiErrorResponse {
    pub fn status(&self) -> StatusCode {
        self.error.status
    }

    /// The same status and headers (`Retry-After`, the tracking id) with an empty body.
    pub fn without_body(self) -> Self {
        ApiErrorResponse {
            with_body: false,
            ..self
        }
    }
}

impl IntoResponse for ApiErrorResponse {
    fn into_response(self) -> Response {
        let ApiErrorResponse {
            error,
            tracking,
            with_body,
        } = self;
        let mut response = if with_body {
            (error.status, Json(error_body(&error, &tracking))).into_response()
        } else {
            error.status.into_response()
        };
        if let Some(secs) = error.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

fn error_body(error: &ApiError, tracking: &TrackingId) -> serde_json::Value {
    json!({
            "trackingId": tracking.0,
            "error": {
                "key": error.status.as_u16().to_string(),
                "reason": error.reason,
                "message": [{"description": error.message}],
            }
    })
}
