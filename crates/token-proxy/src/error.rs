//! The errors the proxy answers with: a stable machine code, an HTTP status, a sentence that says
//! what happened and what to do, and the upstream `trackingId` when there is one.

use std::fmt;
use wxcc_core::proxy_protocol::ErrorAnswer;
/// The codes, their wire names and default statuses are the SPA's too: one table in core.
pub use wxcc_core::proxy_protocol::ErrorCode;

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
    pub fn body(&self) -> ErrorAnswer {
        ErrorAnswer {
            error: self.code,
            error_description: self.description.clone(),
            tracking_id: self.tracking_id.clone(),
        }
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

impl std::error::Error for ProxyError {}
