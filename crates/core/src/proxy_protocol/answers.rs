//! The answers the proxy sends: the token answer, the probe's signed-out answer and the error
//! answer. Each has the SPA's reader (over a parsed [`Value`]) and the proxy's `Serialize`, both
//! through the same [`field`] names.

use super::ErrorCode;
use super::field;
use crate::json::{
    WrongType, optional_flag, optional_number, optional_text, required_number, required_text,
};
use crate::secret::{AccessToken, RefreshHandle};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;
use std::fmt;

/// The token proxy's success JSON for a code exchange or a refresh. Unknown fields are ignored;
/// `Debug` redacts the token and the handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    /// Seconds.
    pub expires_in: u64,
    /// Space-separated granted scopes. Absent means "as requested" (RFC 6749 §5.1).
    pub scope: Option<String>,
    pub token_type: Option<String>,
    /// Seconds.
    pub refresh_token_expires_in: Option<u64>,
    /// Only in handle mode.
    pub refresh_handle: Option<RefreshHandle>,
    /// Seconds until the proxy ends the session whatever happens (its absolute lifetime), when the
    /// proxy says.
    pub session_expires_in: Option<u64>,
    /// Whether the sign-in outlives the browser session ("Keep me signed in"), when the proxy says.
    pub session_persistent: Option<bool>,
}

impl From<WrongType> for TokenResponseError {
    fn from(_: WrongType) -> Self {
        TokenResponseError
    }
}

impl TokenResponse {
    /// Parses the proxy's success body. The error never contains the body (it holds the token).
    pub fn from_json(body: &str) -> Result<TokenResponse, TokenResponseError> {
        let value = crate::json::parse(body).map_err(|_| TokenResponseError)?;
        TokenResponse::from_value(&value)
    }

    /// Reads an already parsed success body.
    pub fn from_value(value: &Value) -> Result<TokenResponse, TokenResponseError> {
        let response = TokenResponse {
            access_token: AccessToken::new(required_text(value, field::ACCESS_TOKEN)?),
            expires_in: required_number(value, field::EXPIRES_IN)?,
            // An empty list says as little as none (some servers send `"scope": ""`).
            scope: optional_text(value, field::SCOPE)?.filter(|s| !s.trim().is_empty()),
            token_type: optional_text(value, field::TOKEN_TYPE)?,
            refresh_token_expires_in: optional_number(value, field::REFRESH_TOKEN_EXPIRES_IN)?,
            refresh_handle: optional_text(value, field::REFRESH_HANDLE)?.map(RefreshHandle::new),
            session_expires_in: optional_number(value, field::SESSION_EXPIRES_IN)?,
            session_persistent: optional_flag(value, field::SESSION_PERSISTENT)?,
        };
        if response.access_token.is_empty() {
            return Err(TokenResponseError);
        }
        if let Some(kind) = &response.token_type
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(TokenResponseError);
        }
        Ok(response)
    }
}

/// The proxy's side: the fields in the order it has always sent them, absent ones left out.
impl Serialize for TokenResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(field::ACCESS_TOKEN, self.access_token.secret())?;
        map.serialize_entry(field::EXPIRES_IN, &self.expires_in)?;
        entry_if_some(&mut map, field::SCOPE, &self.scope)?;
        entry_if_some(&mut map, field::TOKEN_TYPE, &self.token_type)?;
        entry_if_some(
            &mut map,
            field::REFRESH_TOKEN_EXPIRES_IN,
            &self.refresh_token_expires_in,
        )?;
        entry_if_some(
            &mut map,
            field::SESSION_EXPIRES_IN,
            &self.session_expires_in,
        )?;
        entry_if_some(
            &mut map,
            field::SESSION_PERSISTENT,
            &self.session_persistent,
        )?;
        let handle = self.refresh_handle.as_ref().map(RefreshHandle::secret);
        entry_if_some(&mut map, field::REFRESH_HANDLE, &handle)?;
        map.end()
    }
}

/// The proxy answered 200 with a body that is not a usable token response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenResponseError;

impl fmt::Display for TokenResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the token proxy answered with something that is not a Bearer token response; \
             check that token_proxy_url in config.json points at the proxy, then sign in again",
        )
    }
}

impl std::error::Error for TokenResponseError {}

/// The answer to a quiet probe that finds no usable session. On the wire it also carries
/// `"signed_in": false`, which tells it from a token answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedOut {
    /// Why a session that was presented is over (`session_expired` or `refresh_expired`); `None`
    /// when there was none (a first visit, after sign-out, after the browser closed).
    pub reason: Option<ErrorCode>,
    /// For how many days the sign-in screen may offer "keep me signed in" (0: not offered).
    pub remember_days: u32,
}

impl SignedOut {
    /// A session that was presented has ended (rather than there having been none).
    pub fn ended(&self) -> bool {
        self.reason.is_some()
    }
}

impl Serialize for SignedOut {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(field::SIGNED_IN, &false)?;
        entry_if_some(&mut map, field::REASON, &self.reason)?;
        map.serialize_entry(field::REMEMBER_DAYS, &self.remember_days)?;
        map.end()
    }
}

/// What a probe (`POST /refresh` with `"probe": true`) answered with 200.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeAnswer {
    /// A live session: a fresh access token.
    SignedIn(TokenResponse),
    SignedOut(SignedOut),
}

impl ProbeAnswer {
    /// Reads an already parsed probe answer: `"signed_in": false` is [`SignedOut`], anything else
    /// must be a token answer.
    pub fn from_value(value: &Value) -> Result<ProbeAnswer, TokenResponseError> {
        if optional_flag(value, field::SIGNED_IN)? != Some(false) {
            return TokenResponse::from_value(value).map(ProbeAnswer::SignedIn);
        }
        let reason = optional_text(value, field::REASON)?
            // A reason this build does not know still says the presented session is over.
            .map(|name| ErrorCode::parse(&name).unwrap_or(ErrorCode::SessionExpired));
        let remember_days = optional_number(value, field::REMEMBER_DAYS)?.unwrap_or(0);
        Ok(ProbeAnswer::SignedOut(SignedOut {
            reason,
            remember_days: u32::try_from(remember_days).map_err(|_| TokenResponseError)?,
        }))
    }
}

/// The body of every error answer. `error_description` never holds a secret or an upstream body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorAnswer {
    pub error: ErrorCode,
    pub error_description: String,
    /// The identity service's `trackingId`, when the error came from there.
    pub tracking_id: Option<String>,
}

impl ErrorAnswer {
    /// Reads an already parsed error body; a code this build does not know is [`WrongType`].
    /// (The SPA shows errors through [`crate::api_error::ApiError`], which reads the same fields.)
    pub fn from_value(value: &Value) -> Result<ErrorAnswer, WrongType> {
        Ok(ErrorAnswer {
            error: ErrorCode::parse(&required_text(value, field::ERROR)?).ok_or(WrongType)?,
            error_description: required_text(value, field::ERROR_DESCRIPTION)?,
            tracking_id: optional_text(value, field::TRACKING_ID)?,
        })
    }
}

impl Serialize for ErrorAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(field::ERROR, &self.error)?;
        map.serialize_entry(field::ERROR_DESCRIPTION, &self.error_description)?;
        entry_if_some(&mut map, field::TRACKING_ID, &self.tracking_id)?;
        map.end()
    }
}

fn entry_if_some<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, value),
        None => Ok(()),
    }
}
