//! The browser-facing half of a session: the `__Host-` cookie and the success body (whose shape is
//! the SPA's [`TokenResponse`], in core's wire contract). Pure, no I/O.

use crate::mode::SessionMode;
use crate::sealing::SealedSession;
use crate::upstream::IssuedTokens;
use wxcc_core::proxy_protocol::TokenResponse;
use wxcc_core::secret::{AccessToken, RefreshHandle, Secret};

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

/// The success body: the access token (its lifetime capped at the session's end) and the session's times; the sealed handle only in handle
/// mode. The raw refresh token is never part of it. For `tokens`, with `session` sealed as
/// `sealed`, at `now` (unix seconds).
pub fn token_answer(
    tokens: &IssuedTokens,
    session: &SealedSession,
    now: u64,
    mode: SessionMode,
    sealed: &Secret,
) -> TokenResponse {
    TokenResponse {
        access_token: AccessToken::new(tokens.access_token.secret()),
        // Never past the session's end: the SPA stops using the token when the session ends, even
        // though Webex would accept it for longer.
        expires_in: tokens.expires_in.min(session.times.remaining(now)),
        // Absent when the identity service did not list the granted scopes (RFC 6749 §5.1: then
        // they are the requested ones); Webex often leaves it out.
        scope: Some(tokens.scope.clone()).filter(|s| !s.trim().is_empty()),
        token_type: Some(tokens.token_type.clone()),
        refresh_token_expires_in: Some(session.refresh_expires_at.saturating_sub(now)),
        // Never later than the refresh token's expiry.
        session_expires_in: Some(session.times.remaining(now)),
        session_persistent: Some(session.times.persistent),
        refresh_handle: (mode == SessionMode::Handle).then(|| RefreshHandle::new(sealed.secret())),
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
    fn finds_the_cookie_among_others() {
        let found = find_session_cookie(["a=1; __Host-wxcc_rt=xyz; b=2"]).unwrap();
        assert_eq!(found.secret(), "xyz");
        let found = find_session_cookie(["a=1", "__Host-wxcc_rt=q"]).unwrap();
        assert_eq!(found.secret(), "q");
        assert!(find_session_cookie(["wxcc_rt=xyz"]).is_none());
        assert!(find_session_cookie(["__Host-wxcc_rt="]).is_none());
    }

    #[test]
    fn the_access_token_lifetime_never_outlasts_the_session() {
        use crate::lifetime::SessionTimes;
        use crate::sealing::SessionId;
        let tokens = IssuedTokens {
            access_token: Secret::new("at"),
            expires_in: 1_209_599,
            scope: String::new(),
            token_type: "Bearer".into(),
            refresh_token: None,
            refresh_token_expires_in: None,
        };
        let session = |ends_at| SealedSession {
            refresh_token: Secret::new("rt"),
            refresh_expires_at: 10_000_000,
            times: SessionTimes {
                issued_at: 0,
                ends_at,
                persistent: false,
            },
            session_id: SessionId::random(),
            key_thumbprint: None,
        };
        let sealed = Secret::new("sealed");
        let answer = |ends_at| {
            token_answer(
                &tokens,
                &session(ends_at),
                1_000,
                SessionMode::Cookie,
                &sealed,
            )
        };
        assert_eq!(answer(44_200).expires_in, 43_200);
        assert_eq!(answer(44_200).session_expires_in, Some(43_200));
        // A session that outlives the token leaves the token's own lifetime alone.
        assert_eq!(answer(5_000_000).expires_in, 1_209_599);
    }
}
