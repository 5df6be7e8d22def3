//! Redacting newtypes for every secret the SPA handles, modelled on the `oauth2` crate's
//! `types.rs`: `Debug` prints `Name([redacted])`, the raw value is only reachable through
//! `.secret()`, and `mask()` gives a display form that shows at most 4 characters.
//!
//! `PkceVerifier` is deliberately not `Clone`: there must be exactly one copy, which moves from the
//! pending sign-in into the token exchange.

use std::fmt;

/// Display form of a secret: a short prefix, an ellipsis and the length, e.g. `ZDI3…(112 chars)`.
///
/// At most 4 characters are shown, and never more than a quarter of the value, so short secrets
/// show nothing but their length.
pub fn mask_secret(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = (len / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

/// Compares two byte strings in time that depends only on their lengths, so a check of a `state`,
/// a client secret or a PKCE challenge does not leak how many leading bytes matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

macro_rules! secret_type {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        pub struct $name(String);

        impl $name {
            /// Wraps a raw secret value.
            pub fn new(secret: impl Into<String>) -> Self {
                Self(secret.into())
            }

            /// The raw value. Call this only where the value must leave the process (an HTTP
            /// header, a form body, sessionStorage), never for logging or display.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// Consumes the wrapper and returns the raw value.
            pub fn into_secret(self) -> String {
                self.0
            }

            /// Safe display form; see [`mask_secret`].
            pub fn mask(&self) -> String {
                mask_secret(&self.0)
            }

            /// Length in characters (safe to show).
            pub fn len(&self) -> usize {
                self.0.chars().count()
            }

            /// Whether the value is empty.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// Any other secret string the servers handle: the client secret, refresh tokens, codes and
    /// verifiers on their way through the token proxy, sealed values, the sandbox's credentials.
    #[derive(Clone, PartialEq, Eq, serde::Deserialize)]
    #[serde(transparent)]
    Secret
);

/// Redacted like `Debug`, so a secret interpolated into a message by mistake still shows nothing.
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

secret_type!(
    /// The Webex access token (Bearer). Stored in the session record.
    #[derive(Clone, PartialEq, Eq)]
    AccessToken
);

secret_type!(
    /// The proxy's sealed refresh handle (handle mode only). Opaque to the SPA, but still a
    /// credential: whoever holds it can mint access tokens through the proxy.
    #[derive(Clone, PartialEq, Eq)]
    RefreshHandle
);

secret_type!(
    /// The one-time authorization code from the callback URL.
    #[derive(PartialEq, Eq)]
    AuthCode
);

secret_type!(
    /// The PKCE code verifier. Not `Clone`: it is stored in sessionStorage
    /// only through [`crate::callback::PendingSignIn::encode`], which reads it explicitly.
    PkceVerifier
);

secret_type!(
    /// The OAuth `state` value that binds the callback to this browser tab's sign-in attempt.
    #[derive(Clone)]
    OAuthState
);

impl OAuthState {
    /// Whether the `state` returned in the callback is this one (constant-time comparison).
    pub fn matches(&self, returned: &str) -> bool {
        constant_time_eq(self.0.as_bytes(), returned.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "ZDI3MGEyYzQtNmFlNS00NDNhLWFmNWQtYzk3ZTQ5ZjVmY2Q4_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f";

    #[test]
    fn debug_is_redacted_for_every_type() {
        assert_eq!(
            format!("{:?}", AccessToken::new(RAW)),
            "AccessToken([redacted])"
        );
        assert_eq!(
            format!("{:?}", RefreshHandle::new(RAW)),
            "RefreshHandle([redacted])"
        );
        assert_eq!(format!("{:?}", AuthCode::new(RAW)), "AuthCode([redacted])");
        assert_eq!(
            format!("{:?}", PkceVerifier::new(RAW)),
            "PkceVerifier([redacted])"
        );
        assert_eq!(
            format!("{:?}", OAuthState::new(RAW)),
            "OAuthState([redacted])"
        );
        // Also when nested in a derived Debug, including the pretty form.
        let nested = format!(
            "{:#?}",
            (Some(AccessToken::new(RAW)), vec![AuthCode::new(RAW)])
        );
        assert!(!nested.contains(RAW));
        assert!(!nested.contains("ZDI3"));
    }

    #[test]
    fn the_server_secret_is_redacted_in_debug_and_display() {
        let secret = Secret::from(RAW);
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(format!("{secret}"), "[redacted]");
        let parsed: Secret = serde_json::from_str(&format!("\"{RAW}\"")).unwrap();
        assert_eq!(parsed, secret);
        assert_eq!(parsed.secret(), RAW);
    }

    #[test]
    fn constant_time_eq_is_plain_equality() {
        for (a, b) in [
            ("", ""),
            ("a", "a"),
            ("a", "b"),
            ("ab", "a"),
            ("abc", "abd"),
            (RAW, RAW),
        ] {
            assert_eq!(
                constant_time_eq(a.as_bytes(), b.as_bytes()),
                a == b,
                "{a} vs {b}"
            );
        }
    }

    #[test]
    fn secret_returns_the_raw_value() {
        assert_eq!(AccessToken::new(RAW).secret(), RAW);
        assert_eq!(PkceVerifier::new("v").into_secret(), "v");
    }

    #[test]
    fn mask_shows_at_most_four_chars_and_the_length() {
        let masked = AccessToken::new(RAW).mask();
        assert_eq!(masked, format!("ZDI3…({} chars)", RAW.len()));
        assert!(!masked.contains(&RAW[..5]));
        for len in 0..40 {
            let secret: String = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
                .chars()
                .take(len)
                .collect();
            let masked = mask_secret(&secret);
            let prefix = masked.split('…').next().unwrap();
            assert!(prefix.chars().count() <= 4, "{masked}");
            assert!(prefix.chars().count() * 4 <= len.max(1), "{masked}");
            assert!(masked.ends_with(&format!("({len} chars)")));
        }
        assert_eq!(mask_secret("short"), "s…(5 chars)");
        assert_eq!(mask_secret("abc"), "…(3 chars)");
    }

    #[test]
    fn state_matches_only_the_same_value() {
        let state = OAuthState::new("abc123");
        assert!(state.matches("abc123"));
        assert!(!state.matches("abc124"));
        assert!(!state.matches("abc12"));
        assert!(!state.matches(""));
    }
}
