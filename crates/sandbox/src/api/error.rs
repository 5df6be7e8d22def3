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
        }
    }
}

/// The spec's `ApiErrorResponse`: `{"trackingId", "error": {"key", "reason", "message": [{"description"}]}}`.
#[derive(Debug)]
pub struct ApiErrorResponse {
    error: ApiError,
    tracking: TrackingId,
}

impl IntoResponse for ApiErrorResponse {
    fn into_response(self) -> Response {
        let ApiErrorResponse { error, tracking } = self;
        let body = json!({
            "trackingId": tracking.0,
            "error": {
                "key": error.status.as_u16().to_string(),
                "reason": error.reason,
                "message": [{"description": error.message}],
            }
        });
        let mut response = (error.status, Json(body)).into_response();
        if let Some(secs) = error.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
