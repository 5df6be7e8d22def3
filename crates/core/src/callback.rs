//! The redirect back from the authorize endpoint: the pending sign-in kept in sessionStorage, and
//! the checks on the callback query before any code is exchanged.

use crate::json::{ObjectWriter, optional_text, required_number, required_text, text_list};
use crate::return_path::safe_return_path;
use crate::secret::{AuthCode, OAuthState, PkceVerifier};
use serde_json::Value;
use std::fmt;

const PENDING_VERSION: u32 = 1;

/// One sign-in attempt of this tab, kept in sessionStorage between the redirect to Webex and the
/// callback. It is consumed by [`check_callback`], which makes `state` single-use.
#[derive(Debug)]
pub struct PendingSignIn {
    pub state: OAuthState,
    pub verifier: PkceVerifier,
    pub started_at_ms: u64,
    pub requested_scopes: Vec<String>,
    /// Same-origin path to return to after sign-in (a deep link), checked by [`safe_return_path`].
    pub return_to: Option<String>,
    /// The user asked to stay signed in on this device ("Keep me signed in").
    pub remember: bool,
}

impl PendingSignIn {
    /// The sessionStorage form. This is the one place the verifier is written out; it stays in
    /// this tab's sessionStorage, which is what RFC 7636 expects of a public client.
    pub fn encode(&self) -> String {
        ObjectWriter::default()
            .number("version", u64::from(PENDING_VERSION))
            .text("state", self.state.secret())
            .text("verifier", self.verifier.secret())
            .number("started_at_ms", self.started_at_ms)
            .texts("requested_scopes", &self.requested_scopes)
            .optional_text("return_to", self.return_to.as_deref())
            .boolean("remember", self.remember)
            .finish()
    }

    /// Reads the sessionStorage form back. Anything unreadable, of another version, or with a
    /// malformed verifier is `None`: the callback then reports [`CallbackError::NoPendingSignIn`].
    pub fn decode(text: &str) -> Option<PendingSignIn> {
        let value: Value = crate::json::parse(text).ok()?;
        if required_number(&value, "version").ok()? != u64::from(PENDING_VERSION) {
            return None;
        }
        let state = required_text(&value, "state").ok()?;
        if state.is_empty() {
            return None;
        }
        Some(PendingSignIn {
            state: OAuthState::new(state),
            verifier: PkceVerifier::parse(required_text(&value, "verifier").ok()?).ok()?,
            started_at_ms: required_number(&value, "started_at_ms").ok()?,
            requested_scopes: text_list(&value, "requested_scopes").ok()?,
            return_to: optional_text(&value, "return_to")
                .ok()?
                .and_then(|p| safe_return_path(&p)),
            // Absent in records written before the option existed.
            remember: value
                .get("remember")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// Whether the attempt is older than `max_age_ms` (e.g. a tab left on the consent page).
    pub fn is_stale(&self, now_ms: u64, max_age_ms: u64) -> bool {
        now_ms.saturating_sub(self.started_at_ms) > max_age_ms
    }
}

/// Why sign-in could not complete. Each variant has its own screen with a "Sign in again" action.
/// None of them carries the code or the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackError {
    /// No sign-in was started in this tab: a replayed or bookmarked callback URL, the back button
    /// after sign-in (the attempt was already used), or a callback opened in another tab.
    NoPendingSignIn,
    /// The callback has no `state`.
    MissingState,
    /// The `state` is not this tab's (possible cross-site request forgery, or two sign-ins raced).
    StateMismatch,
    /// The user declined consent (`error=access_denied`).
    AccessDenied { description: Option<String> },
    /// Any other `error` from the authorization server.
    ProviderError {
        error: String,
        description: Option<String>,
    },
    /// The callback has neither `code` nor `error`.
    MissingCode,
    /// The token proxy could not be reached during the exchange: no answer at all (not produced by
    /// [`check_callback`]).
    ProxyUnreachable,
    /// The proxy answered that Webex's identity service failed, timed out or rate limited it.
    IdentityUnavailable {
        status: u16,
        tracking_id: Option<String>,
    },
    /// The proxy answered that its own configuration is wrong (Webex refused its client id or
    /// secret, or the token endpoint is wrong): only its operator can fix it.
    ProxyMisconfigured { tracking_id: Option<String> },
    /// The code was rejected (`invalid_grant`): expired, already used, or the verifier did not
    /// match (not produced by [`check_callback`]).
    InvalidGrant,
    /// The proxy answered the exchange with another error (not produced by [`check_callback`]).
    ExchangeFailed {
        status: u16,
        tracking_id: Option<String>,
    },
}

impl CallbackError {
    /// Stable kebab-case identifier for tests and CSS/test selectors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoPendingSignIn => "no-pending-sign-in",
            Self::MissingState => "missing-state",
            Self::StateMismatch => "state-mismatch",
            Self::AccessDenied { .. } => "access-denied",
            Self::ProviderError { .. } => "provider-error",
            Self::MissingCode => "missing-code",
            Self::ProxyUnreachable => "proxy-unreachable",
            Self::IdentityUnavailable { .. } => "identity-unavailable",
            Self::ProxyMisconfigured { .. } => "proxy-misconfigured",
            Self::InvalidGrant => "invalid-grant",
            Self::ExchangeFailed { .. } => "exchange-failed",
        }
    }

    /// Heading of the failure screen.
    pub fn title(&self) -> String {
        match self {
            Self::NoPendingSignIn => "This sign-in link has already been used".into(),
            Self::MissingState => "The sign-in response is incomplete".into(),
            Self::StateMismatch => "The sign-in response does not belong to this tab".into(),
            Self::AccessDenied { .. } => "You did not allow access".into(),
            Self::ProviderError { error, .. } => format!("Webex could not sign you in ({error})"),
            Self::MissingCode => "Webex did not send an authorization code".into(),
            Self::ProxyUnreachable => "The token proxy could not be reached".into(),
            Self::IdentityUnavailable { status, .. } => {
                format!("Webex's identity service did not complete the sign-in (HTTP {status})")
            }
            Self::ProxyMisconfigured { .. } => "The token proxy is misconfigured".into(),
            Self::InvalidGrant => "The authorization code was not accepted".into(),
            Self::ExchangeFailed { status, .. } => {
                format!("The token exchange failed (HTTP {status})")
            }
        }
    }

    /// What happened and what to do, in a sentence or two.
    pub fn what_to_do(&self) -> String {
        match self {
            Self::NoPendingSignIn => "No sign-in was started in this tab, so this page cannot finish one. This happens when a \
                callback link is opened again, bookmarked, or reached with the back button after signing in. Sign in again."
                .into(),
            Self::MissingState => "The response from Webex has no state value, so it cannot be matched to your sign-in. \
                Sign in again; if it keeps happening, check the authorize_url in config.json."
                .into(),
            Self::StateMismatch => "The response carries a different state than this tab expected, so it was rejected to \
                protect your account. This can happen when you started sign-in in two tabs. Sign in again from one tab."
                .into(),
            Self::AccessDenied { description } => with_detail(
                "Webex reports that access was not granted, so the console cannot call the APIs for you. \
                 Sign in again and choose Accept, or ask your administrator to allow this integration.",
                description,
            ),
            Self::ProviderError { description, .. } => with_detail(
                "Webex returned an error instead of an authorization code. Sign in again; if it repeats, check the \
                 client_id, redirect_uri and scopes in config.json against your integration on developer.webex.com.",
                description,
            ),
            Self::MissingCode => "The response from Webex has neither a code nor an error. Sign in again; if it repeats, \
                check that the redirect_uri of your integration points at this page."
                .into(),
            Self::ProxyUnreachable => "The code could not be exchanged because the token proxy did not answer. Check your \
                connection and that the proxy in config.json (token_proxy_url) is running, then sign in again."
                .into(),
            Self::IdentityUnavailable { tracking_id, .. } => with_tracking(
                "The token proxy answered, but Webex's identity service failed, timed out or asked it to \
                 slow down. This is usually temporary: wait a moment and sign in again.",
                tracking_id,
            ),
            Self::ProxyMisconfigured { tracking_id } => with_tracking(
                "The token proxy answered, but Webex refused its client credentials or its token \
                 endpoint is wrong, so no sign-in can succeed until its operator fixes the proxy's \
                 configuration (client id and secret, token endpoint). Sign in again once that is done.",
                tracking_id,
            ),
            Self::InvalidGrant => "Webex rejected the code: it expired, was already used, or does not match this sign-in. \
                Codes are single-use and short-lived. Sign in again."
                .into(),
            Self::ExchangeFailed { tracking_id, .. } => {
                let mut text = "The token proxy could not exchange the code. Sign in again; if it repeats, give your \
                    administrator the tracking ID."
                    .to_owned();
                if let Some(id) = tracking_id {
                    text.push_str(&format!(" Tracking ID: {id}."));
                }
                text
            }
        }
    }
}

fn with_tracking(text: &str, tracking_id: &Option<String>) -> String {
    match tracking_id {
        Some(id) => format!("{text} Tracking ID: {id}."),
        None => text.to_owned(),
    }
}

fn with_detail(text: &str, description: &Option<String>) -> String {
    match description {
        Some(detail) => format!("{text} Webex said: \"{detail}\"."),
        None => text.to_owned(),
    }
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}. {}", self.title(), self.what_to_do())
    }
}

impl std::error::Error for CallbackError {}

/// Provider text is shown to the user: keep it short and printable.
fn sanitise_description(text: &str) -> Option<String> {
    let cleaned: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty()).then(|| cleaned.to_owned())
}

/// Checks the callback query (`location.search`, with or without the leading `?`) against this
/// tab's pending sign-in, which it consumes (single use).
///
/// Order: no pending attempt → state missing → state mismatch (a parameter given twice counts as a
/// mismatch) → `error` → missing code. State is checked before `error`, so an unverified response
/// cannot even choose which error screen is shown.
pub fn check_callback(
    query: &str,
    pending: Option<PendingSignIn>,
) -> Result<(AuthCode, PkceVerifier), CallbackError> {
    let pending = pending.ok_or(CallbackError::NoPendingSignIn)?;
    let pairs = crate::route::query_pairs(query);
    let all = |name: &str| {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };

    match all("state").as_slice() {
        [] | [""] => return Err(CallbackError::MissingState),
        [state] if pending.state.matches(state) => {}
        _ => return Err(CallbackError::StateMismatch),
    }

    let description = all("error_description")
        .first()
        .and_then(|d| sanitise_description(d));
    if let Some(error) = all("error").first() {
        return Err(if *error == "access_denied" {
            CallbackError::AccessDenied { description }
        } else {
            CallbackError::ProviderError {
                error: sanitise_description(error).unwrap_or_else(|| "unknown_error".into()),
                description,
            }
        });
    }

    match all("code").as_slice() {
        [code] if !code.is_empty() => Ok((AuthCode::new(*code), pending.verifier)),
        _ => Err(CallbackError::MissingCode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = "Rk9PQkFSc3RhdGUxMjM0NTY3ODkwYWJjZGVmZ2hpams";
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CODE: &str = "Y29kZS1zZWNyZXQtdmFsdWU";

    fn pending() -> PendingSignIn {
        PendingSignIn {
            state: OAuthState::new(STATE),
            verifier: PkceVerifier::new(VERIFIER),
            started_at_ms: 1_700_000_000_000,
            requested_scopes: vec!["cjp:config_read".into()],
            return_to: Some("/users?page=2".into()),
            remember: true,
        }
    }

    fn err(query: &str) -> CallbackError {
        check_callback(query, Some(pending())).unwrap_err()
    }

    #[test]
    fn a_matching_callback_yields_code_and_verifier() {
        let (code, verifier) =
            check_callback(&format!("?code={CODE}&state={STATE}"), Some(pending())).unwrap();
        assert_eq!(code.secret(), CODE);
        assert_eq!(verifier.secret(), VERIFIER);
        // Without the leading '?' too.
        assert!(check_callback(&format!("state={STATE}&code={CODE}"), Some(pending())).is_ok());
    }

    #[test]
    fn every_failure_has_its_own_variant() {
        assert_eq!(
            check_callback(&format!("code={CODE}&state={STATE}"), None).unwrap_err(),
            CallbackError::NoPendingSignIn
        );
        assert_eq!(err(&format!("code={CODE}")), CallbackError::MissingState);
        assert_eq!(
            err(&format!("code={CODE}&state=")),
            CallbackError::MissingState
        );
        assert_eq!(
            err(&format!("code={CODE}&state=other")),
            CallbackError::StateMismatch
        );
        assert_eq!(
            err(&format!("code={CODE}&state={STATE}&state=other")),
            CallbackError::StateMismatch
        );
        assert_eq!(
            err(&format!("code={CODE}&state={STATE}&state={STATE}")),
            CallbackError::StateMismatch
        );
        assert_eq!(
            err(&format!(
                "error=access_denied&error_description=The+user+denied&state={STATE}"
            )),
            CallbackError::AccessDenied {
                description: Some("The user denied".into())
            }
        );
        assert_eq!(
            err(&format!("error=invalid_scope&state={STATE}")),
            CallbackError::ProviderError {
                error: "invalid_scope".into(),
                description: None
            }
        );
        // An error response without the right state is rejected on the state, not shown.
        assert_eq!(err("error=access_denied"), CallbackError::MissingState);
        assert_eq!(err(&format!("state={STATE}")), CallbackError::MissingCode);
        assert_eq!(
            err(&format!("state={STATE}&code=")),
            CallbackError::MissingCode
        );
        assert_eq!(
            err(&format!("state={STATE}&code=a&code=b")),
            CallbackError::MissingCode
        );
    }

    #[test]
    fn messages_never_contain_code_or_state_and_codes_are_distinct() {
        let all = [
            CallbackError::NoPendingSignIn,
            CallbackError::MissingState,
            CallbackError::StateMismatch,
            CallbackError::AccessDenied { description: None },
            CallbackError::ProviderError {
                error: "server_error".into(),
                description: Some("x".into()),
            },
            CallbackError::MissingCode,
            CallbackError::ProxyUnreachable,
            CallbackError::IdentityUnavailable {
                status: 504,
                tracking_id: None,
            },
            CallbackError::ProxyMisconfigured {
                tracking_id: Some("ROUTER_2".into()),
            },
            CallbackError::InvalidGrant,
            CallbackError::ExchangeFailed {
                status: 502,
                tracking_id: Some("ROUTER_1".into()),
            },
        ];
        let mut codes: Vec<&str> = all.iter().map(CallbackError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for error in &all {
            let text = format!("{error} {error:?}");
            assert!(!text.contains(CODE) && !text.contains(STATE), "{text}");
            assert!(error.what_to_do().contains("again"), "{}", error.code());
            assert!(
                error
                    .code()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
            );
        }
        // Also the errors produced from real queries.
        for query in [
            format!("code={CODE}&state=x{STATE}"),
            format!("code={CODE}"),
        ] {
            let text = format!("{0} {0:?}", err(&query));
            assert!(!text.contains(CODE) && !text.contains(STATE));
        }
    }

    #[test]
    fn provider_text_is_sanitised() {
        let long = "a".repeat(1000);
        match err(&format!(
            "error=access_denied&error_description={long}%0A%1B&state={STATE}"
        )) {
            CallbackError::AccessDenied {
                description: Some(d),
            } => assert_eq!(d.len(), 300),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn pending_sign_in_round_trips_through_session_storage() {
        let text = pending().encode();
        let back = PendingSignIn::decode(&text).unwrap();
        assert_eq!(back.state.secret(), STATE);
        assert_eq!(back.verifier.secret(), VERIFIER);
        assert_eq!(back.started_at_ms, 1_700_000_000_000);
        assert_eq!(back.requested_scopes, ["cjp:config_read"]);
        assert_eq!(back.return_to.as_deref(), Some("/users?page=2"));
        assert!(back.remember);
        assert!(!format!("{back:?}").contains(VERIFIER));
    }

    #[test]
    fn unreadable_pending_data_is_none() {
        for text in [
            "",
            "{}",
            "null",
            "[1]",
            &pending().encode().replace("\"version\":1", "\"version\":2"),
        ] {
            assert!(PendingSignIn::decode(text).is_none(), "{text}");
        }
        let bad_verifier = pending().encode().replace(VERIFIER, "short");
        assert!(PendingSignIn::decode(&bad_verifier).is_none());
        let encoded = pending().encode();
        for (from, to) in [
            ("\"started_at_ms\":1", "\"started_at_ms\":\"1"),
            ("\"requested_scopes\":", "\"scopes\":"),
            (STATE, ""),
        ] {
            assert!(encoded.contains(from), "{from}");
            let text = encoded.replacen(from, to, 1);
            assert!(PendingSignIn::decode(&text).is_none(), "{text}");
        }
    }

    #[test]
    fn a_hostile_return_path_in_storage_is_dropped() {
        let mut p = pending();
        p.return_to = Some("//evil.example".into());
        let text = p.encode();
        assert_eq!(PendingSignIn::decode(&text).unwrap().return_to, None);
    }

    #[test]
    fn staleness() {
        let p = pending();
        assert!(!p.is_stale(p.started_at_ms + 600_000, 600_000));
        assert!(p.is_stale(p.started_at_ms + 600_001, 600_000));
        assert!(!p.is_stale(0, 1)); // clock went backwards: not stale
    }
}
