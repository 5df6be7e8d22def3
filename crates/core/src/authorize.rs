//! The authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3).

use crate::config::AppConfig;
use crate::secret::OAuthState;

/// The query parameters of the authorize request, in order, for the grant-flow view.
/// The `state` value is included raw because it goes into the URL anyway; display it masked.
pub fn authorize_params(
    config: &AppConfig,
    state: &OAuthState,
    code_challenge: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".to_owned()),
        ("client_id", config.client_id.clone()),
        ("redirect_uri", config.redirect_uri.clone()),
        ("scope", config.scopes.join(" ")),
        ("state", state.secret().to_owned()),
        ("code_challenge", code_challenge.to_owned()),
        ("code_challenge_method", "S256".to_owned()),
    ]
}

/// The URL to send the browser to for sign-in. Any query already on `authorize_url` is kept;
/// values are form-encoded (a space in `scope` becomes `+`).
pub fn authorize_url(config: &AppConfig, state: &OAuthState, code_challenge: &str) -> String {
    let params = authorize_params(config, state, code_challenge);
    let query = crate::route::form_encode(&params);
    // A validated authorize_url has no #fragment, so the query goes at the end.
    let base = &config.authorize_url;
    let separator = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{base}{separator}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{RawConfig, validate};

    fn config(authorize_url: &str) -> AppConfig {
        let raw = RawConfig {
            client_id: Some("C0ffee&=".into()),
            token_proxy_url: Some("/proxy".into()),
            authorize_url: Some(authorize_url.into()),
            ..RawConfig::default()
        };
        validate(raw, "https://app.example.com", "/sub/").unwrap()
    }

    #[test]
    fn carries_every_parameter_properly_encoded() {
        let state = OAuthState::new("st-ate_123");
        let url = authorize_url(
            &config("https://webexapis.com/v1/authorize"),
            &state,
            "E9Mel-cM",
        );
        let parsed = url::Url::parse(&url).unwrap();
        assert_eq!(
            parsed.origin().ascii_serialization(),
            "https://webexapis.com"
        );
        assert_eq!(parsed.path(), "/v1/authorize");
        let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        let expected: Vec<(String, String)> = [
            ("response_type", "code"),
            ("client_id", "C0ffee&="),
            ("redirect_uri", "https://app.example.com/sub/callback"),
            ("scope", "cjp:config_read spark:people_read"),
            ("state", "st-ate_123"),
            ("code_challenge", "E9Mel-cM"),
            ("code_challenge_method", "S256"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(pairs, expected);
        assert!(url.contains("scope=cjp%3Aconfig_read+spark%3Apeople_read"));
        assert!(url.contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Fsub%2Fcallback"));
        assert!(url.contains("client_id=C0ffee%26%3D"));
    }

    #[test]
    fn keeps_an_existing_query() {
        let url = authorize_url(
            &config("https://idp.example.com/authorize?tenant=a"),
            &OAuthState::new("s"),
            "c",
        );
        assert!(url.starts_with("https://idp.example.com/authorize?tenant=a&response_type=code&"));
    }
}
