//! The proxy's error codes: one table gives the enum, each code's wire name and default status.

use std::fmt;

/// Defines [`ErrorCode`] from one table of `Variant => "wire_name", status`, so the name is
/// written once and `as_str`, `parse`, `status` and [`ErrorCode::ALL`] cannot drift apart.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $status:literal;)+) => {
        /// Stable error codes of the proxy's error answers (and the probe's `reason`). The SPA
        /// switches on them, so never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, in table order.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The name on the wire (the `error` field).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)+
                }
            }

            /// The HTTP status the proxy answers with this code, unless it overrides it (an
            /// upstream timeout is `upstream_unavailable` with 504).
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)+
                }
            }
        }
    };
}

error_codes! {
    /// The request body or a field in it is malformed.
    InvalidRequest => "invalid_request", 400;
    /// The `X-WXCC-Request: 1` header is missing or wrong.
    MissingRequestHeader => "missing_request_header", 400;
    /// `Origin` is absent or not on the allow-list.
    OriginNotAllowed => "origin_not_allowed", 403;
    /// The body is not `application/json`.
    UnsupportedMediaType => "unsupported_media_type", 415;
    /// The body is larger than the limit.
    PayloadTooLarge => "payload_too_large", 413;
    /// Too many requests from this client IP.
    RateLimited => "rate_limited", 429;
    /// No route with that path.
    NotFound => "not_found", 404;
    /// The path exists but not with that method.
    MethodNotAllowed => "method_not_allowed", 405;
    /// The authorization code was rejected (expired, already used, wrong verifier or redirect URI).
    InvalidGrant => "invalid_grant", 400;
    /// The refresh token has expired or was revoked: sign in again.
    RefreshExpired => "refresh_expired", 401;
    /// There is no usable session (no cookie/handle, or one that cannot be opened): sign in again.
    SessionExpired => "session_expired", 401;
    /// The identity service rejected the proxy's own client credentials: an operator must fix config.
    ProxyMisconfigured => "proxy_misconfigured", 502;
    /// The identity service is rate limiting the proxy.
    UpstreamRateLimited => "upstream_rate_limited", 503;
    /// The identity service failed, timed out, was unreachable or answered garbage.
    UpstreamUnavailable => "upstream_unavailable", 502;
    /// A bug in the proxy.
    InternalError => "internal_error", 500;
    /// The proxy is at its limit of requests in progress and sheds this one: retry after `Retry-After`.
    Overloaded => "overloaded", 503;
    /// The request (its body, or the whole exchange) took longer than the proxy waits.
    RequestTimeout => "request_timeout", 408;
    /// The request did not come through the deployment's CDN (its origin-verify header is missing or
    /// wrong): call the proxy at the console's own address.
    DirectAccessRefused => "direct_access_refused", 403;
    /// Handle mode: the handle is bound to a browser's key and the request carried no `DPoP` proof.
    DpopProofMissing => "dpop_proof_missing", 401;
    /// Handle mode: the proof is signed by another key than the one the handle is bound to (a
    /// handle copied out of the browser that signed in).
    DpopKeyMismatch => "dpop_key_mismatch", 401;
    /// Handle mode: the proof is malformed, badly signed, for another method or URL, outside the
    /// clock window, or already used.
    DpopProofInvalid => "dpop_proof_invalid", 400;
}

impl ErrorCode {
    /// The code with this wire name; `None` for a name this build does not know.
    pub fn parse(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|code| code.as_str() == name)
    }

    /// The session that was presented is over: the user must sign in again.
    pub fn ends_the_session(self) -> bool {
        matches!(self, ErrorCode::SessionExpired | ErrorCode::RefreshExpired)
    }

    /// The handle presented is bound to a key this browser does not hold: another browser signed
    /// in with it.
    pub fn bound_elsewhere(self) -> bool {
        matches!(
            self,
            ErrorCode::DpopProofMissing | ErrorCode::DpopKeyMismatch
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
