//! The errors the proxy answers with: a stable machine code, an HTTP status, a sentence that says
//! what happened and what to do, and the upstream `trackingId` when there is one.

use serde::Serialize;
use std::fmt;

/// Stable error codes. The SPA switches on these strings, so never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body or a field in it is malformed.
    InvalidRequest,
    /// The `X-WXCC-Request: 1` header is missing or wrong.
    MissingRequestHeader,
    /// `Origin` is absent or not on the allow-list.
    OriginNotAllowed,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// The body is larger than the limit.
    PayloadTooLarge,
    /// Too many requests from this client IP.
    RateLimited,
    /// No route with that path.
    NotFound,
    /// The path exists but not with that method.
    MethodNotAllowed,
    /// The authorization code was rejected (expired, already used, wrong verifier or redirect URI).
    InvalidGrant,
    /// The refresh token has expired or was revoked: sign in again.
    RefreshExpired,
    /// There is no usable session (no cookie/handle, or one that cannot be opened): sign in again.
    SessionExpired,
    /// The identity service rejected the proxy's own client credentials: an operator must fix config.
    ProxyMisconfigured,
    /// The identity service is rate limiting the proxy.
    UpstreamRateLimited,
    /// The identity service failed, timed out, was unreachable or answered garbage.
    UpstreamUnavailable,
    /// A bug in the proxy.
    InternalError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::MissingRequestHeader => "missing_request_header",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RateLimited => "rate_limited",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::InvalidGrant => "invalid_grant",
            Self::RefreshExpired => "refresh_expired",
            Self::SessionExpired => "session_expired",
            Self::ProxyMisconfigured => "proxy_misconfigured",
            Self::UpstreamRateLimited => "upstream_rate_limited",
            Self::UpstreamUnavailable => "upstream_unavailable",
            Self::InternalError => "internal_error",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            Self::InvalidRequest | Self::MissingRequestHeader | Self::InvalidGrant => 400,
            Self::RefreshExpired | Self::SessionExpired => 401,
            Self::OriginNotAllowed => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::RateLimited => 429,
            Self::InternalError => 500,
            Self::ProxyMisconfigured | Self::UpstreamUnavailable => 502,
            Self::UpstreamRateLimited => 503,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer. `description` must never contain a secret or an upstream body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyError {
    pub code: ErrorCode,
    pub description: String,
    pub tracking_id: Option<String>,
    /// Seconds, forwarded as `Retry-After` for the two rate-limit codes.
    pub retry_after: Option<u64>,
    /// Overrides the code's default status (used for the upstream timeout: 504).
    pub status_override: Option<u16>,
}

impl ProxyError {
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            tracking_id: None,
            retry_after: None,
            status_override: None,
        }
    }

    pub fn with_tracking_id(mut self, tracking_id: Option<String>) -> Self {
        self.tracking_id = tracking_id;
        self
    }

    pub fn with_retry_after(mut self, seconds: Option<u64>) -> Self {
        self.retry_after = seconds;
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status_override = Some(status);
        self
    }

    pub fn status(&self) -> u16 {
        self.status_override.unwrap_or_else(|| self.code.status())
    }

    /// The JSON body sent to the browser.
    pub fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            error: self.code.as_str(),
            error_description: &self.description,
            tracking_id: self.tracking_id.as_deref(),
        }
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

impl std::error::Error for ProxyError {}

#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub error: &'static str,
    pub error_description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<&'a str>,
}
