//! The checks every POST passes before its body is read, in one place for all three endpoints.

use crate::error::ProxyError;
use crate::request::{self, MAX_BODY_BYTES, REQUEST_HEADER};
use crate::state::AppState;
use axum::body::Body;
use axum::http::header::{self, HeaderMap, HeaderName};

/// The policy every POST passes, in order: origin, custom header, content type, size. Returns the body.
pub(crate) async fn accept_post(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<bytes::Bytes, ProxyError> {
    // A repeated policy header is refused as a whole: proxies and frameworks disagree on which copy wins.
    let text = |name: HeaderName| {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => Some(value.to_str().unwrap_or("\u{fffd}")),
            (None, _) => None,
            (Some(_), Some(_)) => Some("\u{fffd}repeated"),
        }
    };
    request::check_origin(text(header::ORIGIN), &state.inner.allowed_origins)?;
    request::check_request_header(text(HeaderName::from_static(REQUEST_HEADER)))?;
    request::check_content_type(text(header::CONTENT_TYPE))?;
    let declared_too_large = text(header::CONTENT_LENGTH)
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES as u64);
    if declared_too_large {
        return Err(request::payload_too_large());
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| request::payload_too_large())
}
