//! Validation of a parsed `config.json` for the page it runs on: every problem at once, each with
//! its fix.

use super::raw::KNOWN_FIELDS;
use super::region::region_list;
use super::{
    ApiBase, AppConfig, ConfigError, DEFAULT_AUTHORIZE_URL, DEFAULT_IDENTITY_API_BASE_URL,
    DEFAULT_SCOPES, ProxyMode, RawConfig, Region,
};
use crate::web_url::{UrlError, WebUrl};

/// Parses an absolute URL that the app will send users or tokens to.
fn check_url(field: &str, value: &str) -> Result<WebUrl, ConfigError> {
    let value = value.trim();
    let url = WebUrl::parse(value).map_err(|e| match e {
        UrlError::Scheme(other) => ConfigError::new(
            field,
            format!("\"{value}\" uses the scheme \"{other}:\"."),
            "Use an https:// URL.",
        ),
        e => ConfigError::new(
            field,
            format!("\"{value}\" is not an absolute URL ({e})."),
            "Write the full URL, starting with https://.",
        ),
    })?;
    // Plain http only for local development and the sandbox.
    if url.scheme() == "http" && !url.is_loopback() {
        return Err(ConfigError::new(
            field,
            format!("\"{value}\" uses http:// on a host that is not local."),
            "Use https:// (plain http is only allowed for localhost, 127.0.0.1 and [::1]).",
        ));
    }
    if url.has_credentials() {
        return Err(ConfigError::new(
            field,
            "contains a user name or password.",
            "Remove the credentials from the URL; config.json is public.",
        ));
    }
    if url.fragment().is_some() {
        return Err(ConfigError::new(
            field,
            format!("\"{value}\" contains a #fragment."),
            "Remove the part from # on.",
        ));
    }
    Ok(url)
}

fn without_trailing_slash(url: &WebUrl) -> String {
    url.to_string().trim_end_matches('/').to_owned()
}

fn normalise_base_path(base_path: &str) -> String {
    let trimmed = base_path.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// Lower-cases and drops separators, so `clientId` and `client-id` both look like `client_id`.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn suggestion_for(unknown: &str) -> Option<&'static str> {
    KNOWN_FIELDS
        .into_iter()
        .find(|known| squash(known) == squash(unknown))
}

fn valid_url_or_push(field: &str, value: &str, errors: &mut Vec<ConfigError>) -> Option<WebUrl> {
    check_url(field, value).map_err(|e| errors.push(e)).ok()
}

/// Validates a parsed config for the page it runs on. `page_origin` is `location.origin`
/// (e.g. `https://example.com`); `base_path` is where the app is served (`/` or `/console/`).
/// Returns every problem at once.
pub fn validate(
    raw: RawConfig,
    page_origin: &str,
    base_path: &str,
) -> Result<AppConfig, Vec<ConfigError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    let page = WebUrl::parse(page_origin).ok();
    let origin = match &page {
        Some(url) => url.origin(),
        None => {
            // A bug in the shell rather than in config.json, but still reported, never a panic.
            errors.push(ConfigError::new(
                "page_origin",
                format!("\"{page_origin}\" is not a web origin."),
                "Open the app over http(s) from a web server, not as a file.",
            ));
            String::new()
        }
    };
    let base_path = normalise_base_path(base_path);

    for unknown in &raw.unknown_fields {
        let mut warning =
            format!("config.json field \"{unknown}\" is not used by this app and was ignored");
        if let Some(known) = suggestion_for(unknown) {
            warning.push_str(&format!(" (did you mean \"{known}\"?)"));
        }
        warnings.push(warning);
    }
    let hint_for = |field: &str| -> String {
        raw.unknown_fields
            .iter()
            .find(|u| suggestion_for(u) == Some(field))
            .map(|u| format!(" config.json has \"{u}\"; rename it to \"{field}\"."))
            .unwrap_or_default()
    };

    let client_id = match raw.client_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() && !id.contains(char::is_whitespace) => id.to_owned(),
        Some(id) if !id.is_empty() => {
            errors.push(ConfigError::new(
                "client_id",
                "contains spaces.",
                "Copy the Client ID of your integration again from developer.webex.com → My Webex Apps.",
            ));
            String::new()
        }
        _ => {
            errors.push(ConfigError::new(
                "client_id",
                "is missing.",
                format!(
                    "Add \"client_id\": \"<Client ID>\" with the Client ID of your integration from developer.webex.com → My Webex Apps.{}",
                    hint_for("client_id")
                ),
            ));
            String::new()
        }
    };

    let redirect_uri = match raw.redirect_uri.as_deref() {
        None => format!("{origin}{base_path}callback"),
        Some(value) => match valid_url_or_push("redirect_uri", value, &mut errors) {
            Some(url) if !origin.is_empty() && url.origin() != origin => {
                errors.push(ConfigError::new(
                    "redirect_uri",
                    format!(
                        "\"{value}\" is on {}, but the app runs on {origin}; the callback could not read this tab's sign-in attempt.",
                        url.origin()
                    ),
                    format!("Use a redirect URI on {origin}, or leave redirect_uri out to use {origin}{base_path}callback."),
                ));
                String::new()
            }
            Some(url) => url.to_string(),
            None => String::new(),
        },
    };

    let scopes = match raw.scopes {
        None => DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        Some(list) => {
            let mut scopes: Vec<String> = Vec::new();
            for scope in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if scope.contains(char::is_whitespace) {
                    // Only reachable for list items; string forms were split on whitespace.
                    errors.push(ConfigError::new(
                        "scopes",
                        format!("the item \"{scope}\" contains a space."),
                        "Put each scope in its own list item.",
                    ));
                } else if !scopes.iter().any(|s| s == scope) {
                    scopes.push(scope.to_owned());
                }
            }
            if scopes.is_empty() {
                errors.push(ConfigError::new(
                    "scopes",
                    "is empty.",
                    "List at least one scope, e.g. [\"cjp:config_read\", \"spark:people_read\"], or leave scopes out for that default.",
                ));
            }
            scopes
        }
    };

    let authorize_url = match raw.authorize_url.as_deref() {
        None => DEFAULT_AUTHORIZE_URL.to_owned(),
        Some(value) => valid_url_or_push("authorize_url", value, &mut errors)
            .map(|u| u.to_string())
            .unwrap_or_default(),
    };

    let token_proxy_url = match raw.token_proxy_url.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(ConfigError::new(
                "token_proxy_url",
                "is missing.",
                format!(
                    "Add \"token_proxy_url\" with the URL of the token proxy (e.g. \"/proxy\" when it is served on this origin, or \"https://proxy.example.com\").{}",
                    hint_for("token_proxy_url")
                ),
            ));
            String::new()
        }
        Some(path) if path.starts_with('/') && !path.starts_with("//") => {
            match page.as_ref().map(|page| page.with_absolute_path(path)) {
                // The page origin is already reported.
                None => String::new(),
                Some(Ok(url)) if url.fragment().is_none() => without_trailing_slash(&url),
                Some(_) => {
                    errors.push(ConfigError::new(
                        "token_proxy_url",
                        format!("\"{path}\" is not a usable path."),
                        "Use a plain path like \"/proxy\" or a full https:// URL.",
                    ));
                    String::new()
                }
            }
        }
        Some(value) => valid_url_or_push("token_proxy_url", value, &mut errors)
            .map(|u| without_trailing_slash(&u))
            .unwrap_or_default(),
    };

    let proxy_mode = match raw.proxy_mode.as_deref() {
        None => ProxyMode::Cookie,
        Some(value) => value.parse().unwrap_or_else(|()| {
            errors.push(ConfigError::new(
                "proxy_mode",
                format!("\"{value}\" is not a proxy mode."),
                "Use \"cookie\" (the proxy keeps the refresh token in an HttpOnly cookie) or \"handle\" (it returns a sealed handle).",
            ));
            ProxyMode::Cookie
        }),
    };

    let region = match raw.region.as_deref() {
        None => Region::default(),
        Some(value) => value.parse().unwrap_or_else(|_| {
            errors.push(ConfigError::new(
                "region",
                format!("\"{value}\" is not a Webex Contact Center region."),
                format!("Use one of {}, or set api_base_url instead.", region_list()),
            ));
            Region::default()
        }),
    };
    let api_base = match raw.api_base_url.as_deref() {
        None => ApiBase::Region(region),
        Some(value) => {
            if raw.region.is_some() {
                warnings.push("config.json sets both region and api_base_url; api_base_url is used and region is ignored".to_owned());
            }
            ApiBase::Explicit(
                valid_url_or_push("api_base_url", value, &mut errors)
                    .map(|u| without_trailing_slash(&u))
                    .unwrap_or_default(),
            )
        }
    };

    let identity_api_base_url = match raw.identity_api_base_url.as_deref() {
        None => DEFAULT_IDENTITY_API_BASE_URL.to_owned(),
        Some(value) => valid_url_or_push("identity_api_base_url", value, &mut errors)
            .map(|u| without_trailing_slash(&u))
            .unwrap_or_default(),
    };

    let logout_url = match raw.logout_url.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(value) => valid_url_or_push("logout_url", value, &mut errors).map(|u| u.to_string()),
    };

    let api_budget = super::budget::validate_budget(
        raw.api_requests_per_minute,
        raw.api_reserve_percent,
        &mut errors,
    );

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(AppConfig {
        client_id,
        redirect_uri,
        scopes,
        authorize_url,
        token_proxy_url,
        proxy_mode,
        api_base,
        identity_api_base_url,
        logout_url,
        api_budget,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_config;
    use crate::config::test_support::{ORIGIN, fields, minimal};

    #[test]
    fn minimal_config_gets_every_default() {
        let config = validate(minimal(), ORIGIN, "/").unwrap();
        assert_eq!(config.client_id, "C123");
        assert_eq!(config.redirect_uri, "https://console.example.com/callback");
        assert_eq!(config.scopes, ["cjp:config_read", "spark:people_read"]);
        assert_eq!(config.authorize_url, DEFAULT_AUTHORIZE_URL);
        assert_eq!(config.token_proxy_url, "https://console.example.com/proxy");
        assert_eq!(config.proxy_mode, ProxyMode::Cookie);
        assert_eq!(config.api_base, ApiBase::Region(Region::Us1));
        assert_eq!(config.api_base_url(), "https://api.wxcc-us1.cisco.com");
        assert_eq!(config.identity_api_base_url, "https://webexapis.com/v1");
        assert_eq!(config.logout_url, None);
        assert!(config.warnings.is_empty());
    }

    #[test]
    fn redirect_uri_default_honours_the_sub_path() {
        for base in ["/console/", "/console", "console/"] {
            let config = validate(minimal(), ORIGIN, base).unwrap();
            assert_eq!(
                config.redirect_uri,
                "https://console.example.com/console/callback"
            );
        }
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let raw = RawConfig {
            client_id: None,
            redirect_uri: Some("https://elsewhere.example.com/callback".into()),
            scopes: Some(vec![]),
            authorize_url: Some("http://webexapis.com/v1/authorize".into()),
            token_proxy_url: None,
            proxy_mode: Some("sealed".into()),
            region: Some("us2".into()),
            api_base_url: None,
            identity_api_base_url: Some("not a url".into()),
            logout_url: Some("ftp://example.com/logout".into()),
            api_requests_per_minute: None,
            api_reserve_percent: None,
            unknown_fields: vec![],
        };
        let errors = validate(raw, ORIGIN, "/").unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "client_id",
                "redirect_uri",
                "scopes",
                "authorize_url",
                "token_proxy_url",
                "proxy_mode",
                "region",
                "identity_api_base_url",
                "logout_url"
            ]
        );
        for error in &errors {
            assert!(
                !error.problem.is_empty() && !error.fix.is_empty(),
                "{error}"
            );
        }
        assert!(errors[6].fix.contains("eu2"));
    }

    #[test]
    fn scopes_accept_a_list_or_a_spaced_string() {
        let from_string = load_config(
            r#"{"client_id":"c","token_proxy_url":"/p","scopes":" cjp:config_read  cjp:user cjp:user"}"#,
            ORIGIN,
            "/",
        )
        .unwrap();
        assert_eq!(from_string.scopes, ["cjp:config_read", "cjp:user"]);
        let from_list = load_config(
            r#"{"client_id":"c","token_proxy_url":"/p","scopes":["cjp:user"]}"#,
            ORIGIN,
            "/",
        )
        .unwrap();
        assert_eq!(from_list.scopes, ["cjp:user"]);
        let bad = validate(
            RawConfig {
                scopes: Some(vec!["a b".into()]),
                ..minimal()
            },
            ORIGIN,
            "/",
        )
        .unwrap_err();
        assert_eq!(fields(&bad), ["scopes", "scopes"]);
    }

    #[test]
    fn unknown_fields_are_warnings_with_suggestions() {
        let config = load_config(
            r#"{"client_id":"c","token_proxy_url":"/p","clientId":"x","theme":"dark"}"#,
            ORIGIN,
            "/",
        )
        .unwrap();
        assert_eq!(config.warnings.len(), 2);
        assert!(
            config
                .warnings
                .iter()
                .any(|w| w.contains("\"clientId\"") && w.contains("did you mean \"client_id\""))
        );
        let errors =
            load_config(r#"{"clientId":"c","token_proxy_url":"/p"}"#, ORIGIN, "/").unwrap_err();
        assert!(errors[0].fix.contains("rename it to \"client_id\""));
    }

    #[test]
    fn http_is_allowed_only_on_loopback() {
        for ok in [
            "http://localhost:8080/x",
            "http://127.0.0.1:9/x",
            "http://[::1]:9/x",
            "https://example.com",
        ] {
            assert!(check_url("f", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://localhost.example.com",
            "javascript:alert(1)",
            "https://u:p@example.com",
            "/relative",
        ] {
            assert!(check_url("f", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sandbox_config_on_loopback_validates() {
        let text = r#"{
            "client_id": "sandbox-client",
            "token_proxy_url": "http://127.0.0.1:8788/",
            "authorize_url": "http://127.0.0.1:8787/v1/authorize",
            "api_base_url": "http://127.0.0.1:8787/",
            "identity_api_base_url": "http://127.0.0.1:8787/v1/",
            "proxy_mode": "handle",
            "logout_url": "http://127.0.0.1:8787/v1/logout"
        }"#;
        let config = load_config(text, "http://127.0.0.1:8080", "/").unwrap();
        assert_eq!(config.token_proxy_url, "http://127.0.0.1:8788");
        assert_eq!(config.api_base_url(), "http://127.0.0.1:8787");
        assert_eq!(config.identity_api_base_url, "http://127.0.0.1:8787/v1");
        assert_eq!(config.proxy_mode, ProxyMode::Handle);
        assert_eq!(config.redirect_uri, "http://127.0.0.1:8080/callback");
        assert_eq!(
            config.connect_src_origins(),
            ["http://127.0.0.1:8788", "http://127.0.0.1:8787"]
        );
    }

    #[test]
    fn explicit_api_base_wins_over_region_with_a_warning() {
        let raw = RawConfig {
            region: Some("eu1".into()),
            api_base_url: Some("https://wxcc.example.com".into()),
            ..minimal()
        };
        let config = validate(raw, ORIGIN, "/").unwrap();
        assert_eq!(
            config.api_base,
            ApiBase::Explicit("https://wxcc.example.com".into())
        );
        assert_eq!(config.warnings.len(), 1);
    }

    #[test]
    fn region_mode_connect_src_lists_proxy_identity_and_every_region() {
        let raw = RawConfig {
            region: Some("EU2".into()),
            ..minimal()
        };
        let config = validate(raw, ORIGIN, "/").unwrap();
        assert_eq!(config.api_base_url(), "https://api.wxcc-eu2.cisco.com");
        let origins = config.connect_src_origins();
        assert_eq!(origins[0], ORIGIN);
        assert_eq!(origins[1], "https://webexapis.com");
        assert_eq!(origins.len(), 2 + Region::ALL.len());
        assert!(origins.contains(&"https://api.wxcc-in1.cisco.com".to_owned()));
    }

    #[test]
    fn a_bad_page_origin_is_an_error_not_a_panic() {
        let errors = validate(minimal(), "null", "/").unwrap_err();
        assert_eq!(fields(&errors), ["page_origin"]);
    }
}
