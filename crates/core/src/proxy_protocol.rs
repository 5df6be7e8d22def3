//! The wire contract between the SPA and the token proxy, written once: the endpoints, the policy
//! header, the field names of every body, the error codes, the request bodies the SPA writes and
//! the answers the proxy writes. The proxy serialises its answers and parses its requests through
//! these names; the SPA writes its requests and reads the answers through the functions here.
//!
//! The SPA's side is hand-written over [`serde_json::Value`] and [`crate::json::ObjectWriter`]
//! (see [`crate::json`] for why the wasm carries no derived serde code). The proxy's side is a
//! `Serialize` impl per answer, generic code the wasm never instantiates.

mod answers;
mod error_code;
mod requests;

pub use answers::{ErrorAnswer, ProbeAnswer, SignedOut, TokenResponse, TokenResponseError};
pub use error_code::ErrorCode;
pub use requests::{LogoutBody, RefreshBody, TokenRequestBody};

/// The code exchange: `POST` a [`TokenRequestBody`], answered with a [`TokenResponse`].
pub const TOKEN_PATH: &str = "/token";
/// A refresh or a quiet probe: `POST` a [`RefreshBody`], answered with a [`TokenResponse`] (or,
/// for a probe that finds no session, [`SignedOut`]).
pub const REFRESH_PATH: &str = "/refresh";
/// Sign-out: `POST` a [`LogoutBody`], answered with 204 and no body.
pub const LOGOUT_PATH: &str = "/logout";

/// The header every POST must carry: a custom header makes every cross-origin call need a CORS
/// preflight, so a cross-site form or image can never reach the proxy.
pub const REQUEST_HEADER: &str = "x-wxcc-request";
pub const REQUEST_HEADER_VALUE: &str = "1";
/// The only body type the proxy accepts.
pub const CONTENT_TYPE: &str = "application/json";

/// The field names of the bodies, each written once.
pub mod field {
    // The code exchange's request.
    pub const CODE: &str = "code";
    pub const CODE_VERIFIER: &str = "code_verifier";
    pub const REMEMBER: &str = "remember";
    /// The RFC 7638 thumbprint of the browser's key a handle-mode session is bound to.
    pub const KEY_THUMBPRINT: &str = "key_thumbprint";
    // The refresh request (the handle also travels in the token answer).
    pub const PROBE: &str = "probe";
    pub const REFRESH_HANDLE: &str = "refresh_handle";
    // The token answer.
    pub const ACCESS_TOKEN: &str = "access_token";
    pub const EXPIRES_IN: &str = "expires_in";
    pub const SCOPE: &str = "scope";
    pub const TOKEN_TYPE: &str = "token_type";
    pub const REFRESH_TOKEN_EXPIRES_IN: &str = "refresh_token_expires_in";
    pub const SESSION_EXPIRES_IN: &str = "session_expires_in";
    pub const SESSION_PERSISTENT: &str = "session_persistent";
    // The probe's signed-out answer.
    pub const SIGNED_IN: &str = "signed_in";
    pub const REASON: &str = "reason";
    pub const REMEMBER_DAYS: &str = "remember_days";
    // The error answer.
    pub const ERROR: &str = "error";
    pub const ERROR_DESCRIPTION: &str = "error_description";
    pub const TRACKING_ID: &str = "tracking_id";
}

#[cfg(test)]
mod tests;
