//! Reading a success answer of the token endpoint into the tokens it issued, or saying which field
//! makes it unusable.

use super::Grant;
use serde_json::Value;
use std::fmt;
use wxcc_core::secret::Secret;

/// The tokens the identity service issued.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: Secret,
    pub expires_in: u64,
    pub scope: String,
    pub token_type: String,
    /// Absent only when a refresh answer keeps the current refresh token.
    pub refresh_token: Option<Secret>,
    /// Absent when the server does not say (standard OAuth 2.0 servers need not; Webex does).
    pub refresh_token_expires_in: Option<u64>,
}

/// Why a success answer from the token endpoint cannot be used. Names fields, never values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    NotJson,
    NotAnObject,
    Missing(&'static str),
    /// Present with the wrong type, empty, negative or fractional.
    Malformed(&'static str),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson => f.write_str("the body is not JSON"),
            Self::NotAnObject => f.write_str("the body is not a JSON object"),
            Self::Missing(field) => write!(f, "field `{field}` is missing"),
            Self::Malformed(field) => write!(
                f,
                "field `{field}` is malformed (wrong type, empty, or not a whole number of seconds)"
            ),
        }
    }
}

/// Reads a success answer. `refresh_token_expires_in` is Webex's own field: a standard OAuth 2.0 server
/// may leave it out (the caller then assumes the configured default lifetime), but a value that is there
/// must be a whole number of seconds.
pub(super) fn parse_tokens(grant: Grant, json: &Value) -> Result<IssuedTokens, Unreadable> {
    let object = json.as_object().ok_or(Unreadable::NotAnObject)?;
    let text = |name: &'static str| match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(Unreadable::Malformed(name)),
    };
    let number = |name: &'static str| match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or(Unreadable::Malformed(name)),
    };
    // Informational fields keep their lenient defaults: they never decide whether a session works.
    let lenient = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let tokens = IssuedTokens {
        access_token: Secret::new(
            text("access_token")?.ok_or(Unreadable::Missing("access_token"))?,
        ),
        expires_in: number("expires_in")?.ok_or(Unreadable::Missing("expires_in"))?,
        scope: lenient("scope").unwrap_or_default().to_owned(),
        token_type: lenient("token_type").unwrap_or("Bearer").to_owned(),
        refresh_token: text("refresh_token")?.map(Secret::new),
        refresh_token_expires_in: number("refresh_token_expires_in")?,
    };
    // A first sign-in without a refresh token would leave the SPA with a session it cannot renew.
    if grant == Grant::AuthorizationCode && tokens.refresh_token.is_none() {
        return Err(Unreadable::Missing("refresh_token"));
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standard_answer_without_refresh_token_expires_in_is_accepted() {
        let body =
            r#"{"access_token":"at","expires_in":3600,"refresh_token":"rt","token_type":"Bearer"}"#;
        let json: Value = serde_json::from_str(body).unwrap();
        let tokens = parse_tokens(Grant::AuthorizationCode, &json).unwrap();
        assert_eq!(tokens.refresh_token_expires_in, None);
        assert_eq!(tokens.refresh_token.unwrap().secret(), "rt");
    }

    #[test]
    fn an_unusable_answer_names_the_field() {
        let cases = [
            ("[1]", Unreadable::NotAnObject),
            (
                r#"{"expires_in":1,"refresh_token":"rt"}"#,
                Unreadable::Missing("access_token"),
            ),
            (
                r#"{"access_token":"","expires_in":1,"refresh_token":"rt"}"#,
                Unreadable::Malformed("access_token"),
            ),
            (
                r#"{"access_token":"at","refresh_token":"rt"}"#,
                Unreadable::Missing("expires_in"),
            ),
            (
                r#"{"access_token":"at","expires_in":"60","refresh_token":"rt"}"#,
                Unreadable::Malformed("expires_in"),
            ),
            (
                r#"{"access_token":"at","expires_in":1}"#,
                Unreadable::Missing("refresh_token"),
            ),
            (
                r#"{"access_token":"at","expires_in":1,"refresh_token":7}"#,
                Unreadable::Malformed("refresh_token"),
            ),
            (
                r#"{"access_token":"at","expires_in":1,"refresh_token":"rt","refresh_token_expires_in":-5}"#,
                Unreadable::Malformed("refresh_token_expires_in"),
            ),
            (
                r#"{"access_token":"at","expires_in":1,"refresh_token":"rt","refresh_token_expires_in":1.5}"#,
                Unreadable::Malformed("refresh_token_expires_in"),
            ),
        ];
        for (body, expected) in cases {
            let json: Value = serde_json::from_str(body).unwrap();
            let reason = parse_tokens(Grant::AuthorizationCode, &json).unwrap_err();
            assert_eq!(reason, expected, "{body}");
            if let Unreadable::Missing(field) | Unreadable::Malformed(field) = expected {
                assert!(reason.to_string().contains(field), "{reason}");
            }
        }
    }
}
