//! The browser-facing half of a session: the `__Host-` cookie and the success body. Pure, no I/O.

use crate::request::SessionMode;
use crate::upstream::IssuedTokens;
use serde::Serialize;
use wxcc_core::secret::Secret;

pub const COOKIE_NAME: &str = "__Host-wxcc_rt";

/// `__Host-` forces Secure, Path=/ and no Domain, so only this exact host ever gets the cookie back.
pub fn session_cookie(sealed: &Secret, max_age_seconds: u64) -> Secret {
    Secret::new(format!(
        "{COOKIE_NAME}={}; Max-Age={max_age_seconds}; Path=/; Secure; HttpOnly; SameSite=Strict",
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
    pub scope: &'a str,
    pub token_type: &'a str,
    pub refresh_token_expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_handle: Option<&'a str>,
}

impl<'a> TokenBody<'a> {
    pub fn new(
        tokens: &'a IssuedTokens,
        refresh_token_expires_in: u64,
        mode: SessionMode,
        sealed: &'a Secret,
    ) -> Self {
        Self {
            access_token: tokens.access_token.secret(),
            expires_in: tokens.expires_in,
            scope: &tokens.scope,
            token_type: &tokens.token_type,
            refresh_token_expires_in,
            refresh_handle: (mode == SessionMode::Handle).then(|| sealed.secret()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_has_every_attribute() {
        let cookie = session_cookie(&Secret::new("abc"), 60);
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
}
