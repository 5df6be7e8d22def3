//! The browser-facing half of a session: the `__Host-` cookie and the success body. Pure, no I/O.

use crate::request::SessionMode;
use crate::sealing::SealedSession;
use crate::upstream::IssuedTokens;
use serde::Serialize;
use wxcc_core::secret::Secret;

pub const COOKIE_NAME: &str = "__Host-wxcc_rt";

/// `__Host-` forces Secure, Path=/ and no Domain, so only this exact host ever gets the cookie back.
/// Without `max_age_seconds` it is a session cookie: the browser drops it when its session ends.
pub fn session_cookie(sealed: &Secret, max_age_seconds: Option<u64>) -> Secret {
    let max_age = max_age_seconds
        .map(|seconds| format!("; Max-Age={seconds}"))
        .unwrap_or_default();
    Secret::new(format!(
        "{COOKIE_NAME}={}{max_age}; Path=/; Secure; HttpOnly; SameSite=Strict",
        sealed.secret()
    ))
}

pub fn clear_cookie() -> &'static str {
    "__Host-wxcc_rt=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict"
}

/// Finds the session cookie among all `Cookie` header values.
pub fn find_session_cookie<'a>(
    cookie_headers: impl IntoIterator<Item = &'a str>,
) -> Option<Secret> {
    cookie_headers
        .into_iter()
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| Secret::new(value.trim_matches('"')))
        .filter(|value| !value.is_empty())
}

/// The success body. The raw refresh token is never part of it.
#[derive(Serialize)]
pub struct TokenBody<'a> {
    pub access_token: &'a str,
    pub expires_in: u64,
    /// Absent when the identity service did not list the granted scopes (RFC 6749 §5.1: then
    /// they are the requested ones); Webex often leaves it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    pub token_type: &'a str,
    /// Seconds until the refresh token expires.
    pub refresh_token_expires_in: u64,
    /// Seconds until the session's absolute end (never later than the refresh token's expiry).
    pub session_expires_in: u64,
    /// Whether the session outlives the browser session ("keep me signed in").
    pub session_persistent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_handle: Option<&'a str>,
}

impl<'a> TokenBody<'a> {
    /// The answer for `tokens`, with `session` sealed as `sealed`, at `now` (unix seconds).
    pub fn new(
        tokens: &'a IssuedTokens,
        session: &SealedSession,
        now: u64,
        mode: SessionMode,
        sealed: &'a Secret,
    ) -> Self {
        Self {
            access_token: tokens.access_token.secret(),
            expires_in: tokens.expires_in,
            scope: Some(tokens.scope.as_str()).filter(|s| !s.trim().is_empty()),
            token_type: &tokens.token_type,
            refresh_token_expires_in: session.refresh_expires_at.saturating_sub(now),
            session_expires_in: session.times.remaining(now),
            session_persistent: session.times.persistent,
            refresh_handle: (mode == SessionMode::Handle).then(|| sealed.secret()),
        }
    }
}

/// The answer to a quiet probe (`POST /refresh` with `"probe": true`) that finds no usable session.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct SignedOut {
    /// Always `false`: a live session gets the token body instead.
    pub signed_in: bool,
    /// Why a session that was presented is over (`session_expired` or `refresh_expired`); absent when
    /// there was none (a first visit, after sign-out, after the browser closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// For how many days the sign-in screen may offer "keep me signed in" (0: not offered).
    pub remember_days: u32,
}

impl SignedOut {
    pub fn new(reason: Option<&'static str>, remember_days: u32) -> Self {
        Self {
            signed_in: false,
            reason,
            remember_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_has_every_attribute() {
        let cookie = session_cookie(&Secret::new("abc"), None);
        assert_eq!(
            cookie.secret(),
            "__Host-wxcc_rt=abc; Path=/; Secure; HttpOnly; SameSite=Strict"
        );
        let cookie = session_cookie(&Secret::new("abc"), Some(60));
        assert_eq!(
            cookie.secret(),
            "__Host-wxcc_rt=abc; Max-Age=60; Path=/; Secure; HttpOnly; SameSite=Strict"
        );
        assert!(clear_cookie().contains("Max-Age=0"));
    }

    #[test]
    fn signed_out_answers() {
        assert_eq!(
            serde_json::to_string(&SignedOut::new(None, 30)).unwrap(),
            r#"{"signed_in":false,"remember_days":30}"#
        );
        assert_eq!(
            serde_json::to_string(&SignedOut::new(Some("session_expired"), 0)).unwrap(),
            r#"{"signed_in":false,"reason":"session_expired","remember_days":0}"#
        );
    }

    #[test]
    fn finds_the_cookie_among_others() {
        let found = find_session_cookie(["a=1; __Host-wxcc_rt=xyz; b=2"]).unwrap();
        assert_eq!(found.secret(), "xyz");
        let found = find_session_cookie(["a=1", "__Host-wxcc_rt=q"]).unwrap();
        assert_eq!(found.secret(), "q");
        assert!(find_session_cookie(["wxcc_rt=xyz"]).is_none());
        assert!(find_session_cookie(["__Host-wxcc_rt="]).is_none());
    }
}
