//! Runtime `config.json`: parsing and validation.
//!
//! One build deploys to any host, so the configuration is read at runtime. A missing or wrong
//! field must produce a page that names the field and says how to fix it, so parsing and
//! validation collect *every* problem instead of stopping at the first one.

use crate::web_url::{UrlError, WebUrl};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// Scopes requested when `config.json` does not list any.
pub const DEFAULT_SCOPES: [&str; 2] = ["cjp:config_read", "spark:people_read"];
/// Webex's authorize endpoint.
pub const DEFAULT_AUTHORIZE_URL: &str = "https://webexapis.com/v1/authorize";
/// Webex's identity API (people/me, logout…).
pub const DEFAULT_IDENTITY_API_BASE_URL: &str = "https://webexapis.com/v1";

/// A Webex Contact Center data-centre region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    #[default]
    Us1,
    Eu1,
    Eu2,
    Anz1,
    Ca1,
    Jp1,
    Sg1,
    In1,
}

impl Region {
    /// Every region, in the order the region switcher lists them.
    pub const ALL: [Region; 8] = [
        Region::Us1,
        Region::Eu1,
        Region::Eu2,
        Region::Anz1,
        Region::Ca1,
        Region::Jp1,
        Region::Sg1,
        Region::In1,
    ];

    /// The short code used in config and host names, e.g. `eu1`.
    pub fn code(self) -> &'static str {
        match self {
            Region::Us1 => "us1",
            Region::Eu1 => "eu1",
            Region::Eu2 => "eu2",
            Region::Anz1 => "anz1",
            Region::Ca1 => "ca1",
            Region::Jp1 => "jp1",
            Region::Sg1 => "sg1",
            Region::In1 => "in1",
        }
    }

    /// A human label for the region switcher.
    pub fn label(self) -> &'static str {
        match self {
            Region::Us1 => "United States (us1)",
            Region::Eu1 => "Europe – United Kingdom (eu1)",
            Region::Eu2 => "Europe – Germany (eu2)",
            Region::Anz1 => "Australia and New Zealand (anz1)",
            Region::Ca1 => "Canada (ca1)",
            Region::Jp1 => "Japan (jp1)",
            Region::Sg1 => "Singapore (sg1)",
            Region::In1 => "India (in1)",
        }
    }

    /// The Contact Center API base URL, e.g. `https://api.wxcc-us1.cisco.com`.
    pub fn api_base_url(self) -> String {
        format!("https://api.wxcc-{}.cisco.com", self.code())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text is not one of the region codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(pub String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a Webex Contact Center region; use one of {}",
            self.0,
            region_list()
        )
    }
}

impl std::error::Error for UnknownRegion {}

fn region_list() -> String {
    Region::ALL
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Region {
    type Err = UnknownRegion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Region::ALL
            .into_iter()
            .find(|r| r.code() == wanted)
            .ok_or_else(|| UnknownRegion(s.to_owned()))
    }
}

/// Where Contact Center API calls go: a region's host, or an explicit base URL (sandbox, proxy).
///
/// Stored as a plain string (`Display`, [`ApiBase::from_text`]): the region code (`"eu1"`) or
/// the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiBase {
    Region(Region),
    Explicit(String),
}

impl ApiBase {
    /// The base URL without a trailing slash.
    pub fn url(&self) -> String {
        match self {
            ApiBase::Region(region) => region.api_base_url(),
            ApiBase::Explicit(url) => url.clone(),
        }
    }

    /// The stored form back: a region code, or else an explicit URL.
    pub fn from_text(text: &str) -> ApiBase {
        match text.parse::<Region>() {
            Ok(region) => ApiBase::Region(region),
            Err(_) => ApiBase::Explicit(text.to_owned()),
        }
    }

    /// The region, when the base came from one.
    pub fn region(&self) -> Option<Region> {
        match self {
            ApiBase::Region(region) => Some(*region),
            ApiBase::Explicit(_) => None,
        }
    }
}

impl fmt::Display for ApiBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiBase::Region(region) => f.write_str(region.code()),
            ApiBase::Explicit(url) => f.write_str(url),
        }
    }
}

/// How the token proxy keeps the refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProxyMode {
    /// The proxy keeps it in an HttpOnly cookie; the SPA never sees it.
    #[default]
    Cookie,
    /// The proxy returns a sealed handle the SPA stores and sends back to refresh.
    Handle,
}

impl FromStr for ProxyMode {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cookie" => Ok(ProxyMode::Cookie),
            "handle" => Ok(ProxyMode::Handle),
            _ => Err(()),
        }
    }
}

/// One wrong field: what is wrong and how to fix it. Shown as-is on the configuration error page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The `config.json` field, or `config.json` for the file as a whole.
    pub field: String,
    pub problem: String,
    pub fix: String,
}

impl ConfigError {
    fn new(field: &str, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        ConfigError {
            field: field.to_owned(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} {}", self.field, self.problem, self.fix)
    }
}

impl std::error::Error for ConfigError {}

/// `config.json` as written, every field optional. Build it with [`RawConfig::from_json_str`]
/// (which reports wrongly-typed fields) or directly in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawConfig {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    /// Either form of `scopes` in the file (list, or space-separated string) ends up here.
    pub scopes: Option<Vec<String>>,
    pub authorize_url: Option<String>,
    pub token_proxy_url: Option<String>,
    pub proxy_mode: Option<String>,
    pub region: Option<String>,
    pub api_base_url: Option<String>,
    pub identity_api_base_url: Option<String>,
    pub logout_url: Option<String>,
    /// Fields the app does not know; reported as warnings, not errors, so an old app keeps working
    /// with a newer config file.
    pub unknown_fields: Vec<String>,
}

const KNOWN_FIELDS: [&str; 10] = [
    "client_id",
    "redirect_uri",
    "scopes",
    "authorize_url",
    "token_proxy_url",
    "proxy_mode",
    "region",
    "api_base_url",
    "identity_api_base_url",
    "logout_url",
];

// Fields are read by reference (not taken out of the map): removal would link BTreeMap's
// rebalancing code into the wasm for nothing.
fn read_string(
    map: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<String> {
    match map.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(ConfigError::new(
                field,
                format!("must be a string, but is {}.", json_kind(other)),
                format!("Write it in double quotes, e.g. \"{field}\": \"…\"."),
            ));
            None
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn read_scopes(map: &Map<String, Value>, errors: &mut Vec<ConfigError>) -> Option<Vec<String>> {
    let fix =
        "Use a list like [\"cjp:config_read\", \"spark:people_read\"] or a space-separated string.";
    match map.get("scopes") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.split_whitespace().map(str::to_owned).collect()),
        Some(Value::Array(items)) => {
            let mut scopes = Vec::new();
            for item in items {
                match item {
                    Value::String(s) => scopes.push(s.clone()),
                    other => {
                        errors.push(ConfigError::new(
                            "scopes",
                            format!(
                                "contains {}, but every scope must be a string.",
                                json_kind(other)
                            ),
                            fix,
                        ));
                        return None;
                    }
                }
            }
            Some(scopes)
        }
        Some(other) => {
            errors.push(ConfigError::new(
                "scopes",
                format!("must be a list of strings, but is {}.", json_kind(other)),
                fix,
            ));
            None
        }
    }
}

impl RawConfig {
    /// Parses the text of `config.json`, reporting every wrongly-typed field at once.
    pub fn from_json_str(text: &str) -> Result<RawConfig, Vec<ConfigError>> {
        let value: Value = crate::json::parse(text).map_err(|e| {
            vec![ConfigError::new(
                "config.json",
                format!("is not valid JSON: {e}."),
                "Check for a missing comma or quote, or a trailing comma, near where the message points.",
            )]
        })?;
        let Value::Object(map) = value else {
            return Err(vec![ConfigError::new(
                "config.json",
                format!("must be a JSON object, but is {}.", json_kind(&value)),
                "Wrap the settings in { … }, e.g. {\"client_id\": \"…\", \"token_proxy_url\": \"/proxy\"}.",
            )]);
        };
        let mut errors = Vec::new();
        let mut raw = RawConfig {
            client_id: read_string(&map, "client_id", &mut errors),
            redirect_uri: read_string(&map, "redirect_uri", &mut errors),
            scopes: read_scopes(&map, &mut errors),
            authorize_url: read_string(&map, "authorize_url", &mut errors),
            token_proxy_url: read_string(&map, "token_proxy_url", &mut errors),
            proxy_mode: read_string(&map, "proxy_mode", &mut errors),
            region: read_string(&map, "region", &mut errors),
            api_base_url: read_string(&map, "api_base_url", &mut errors),
            identity_api_base_url: read_string(&map, "identity_api_base_url", &mut errors),
            logout_url: read_string(&map, "logout_url", &mut errors),
            unknown_fields: Vec::new(),
        };
        raw.unknown_fields = map
            .keys()
            .filter(|key| !KNOWN_FIELDS.contains(&key.as_str()))
            .cloned()
            .collect();
        if errors.is_empty() {
            Ok(raw)
        } else {
            Err(errors)
        }
    }
}

/// The validated configuration the app runs with. URLs are absolute and have no trailing slash
/// (except `redirect_uri`, `authorize_url` and `logout_url`, which are used exactly as given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub authorize_url: String,
    /// Absolute, even when `config.json` gave a same-origin path like `/proxy`.
    pub token_proxy_url: String,
    pub proxy_mode: ProxyMode,
    pub api_base: ApiBase,
    pub identity_api_base_url: String,
    pub logout_url: Option<String>,
    /// Non-fatal remarks (unknown fields, ignored settings) to show in the inspector.
    pub warnings: Vec<String>,
}

impl AppConfig {
    /// The Contact Center API base URL (no trailing slash).
    pub fn api_base_url(&self) -> String {
        self.api_base.url()
    }

    /// Every origin the app fetches from, for the CSP `connect-src`: the token proxy, the identity
    /// API, and the Contact Center API. When the API base comes from a region, every region's host
    /// is listed because the UI's region switcher may move to any of them. Order is stable and
    /// duplicates are removed. (The authorize and logout URLs are navigations, not fetches.)
    pub fn connect_src_origins(&self) -> Vec<String> {
        let mut urls = vec![
            self.token_proxy_url.clone(),
            self.identity_api_base_url.clone(),
        ];
        match &self.api_base {
            ApiBase::Region(_) => urls.extend(Region::ALL.iter().map(|r| r.api_base_url())),
            ApiBase::Explicit(url) => urls.push(url.clone()),
        }
        let mut origins: Vec<String> = Vec::new();
        for url in urls {
            if let Ok(parsed) = WebUrl::parse(&url) {
                let origin = parsed.origin();
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        origins
    }
}

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
        warnings,
    })
}

/// [`RawConfig::from_json_str`] then [`validate`]: the whole path from the fetched text.
pub fn load_config(
    text: &str,
    page_origin: &str,
    base_path: &str,
) -> Result<AppConfig, Vec<ConfigError>> {
    validate(RawConfig::from_json_str(text)?, page_origin, base_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://console.example.com";

    fn minimal() -> RawConfig {
        RawConfig {
            client_id: Some("C123".into()),
            token_proxy_url: Some("/proxy".into()),
            ..RawConfig::default()
        }
    }

    fn fields(errors: &[ConfigError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

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
    fn json_type_errors_are_all_reported() {
        let errors = RawConfig::from_json_str(r#"{"client_id": 5, "scopes": [1], "region": true}"#)
            .unwrap_err();
        assert_eq!(fields(&errors), ["client_id", "scopes", "region"]);
        assert!(errors[0].problem.contains("a number"));
    }

    #[test]
    fn broken_json_and_non_objects_say_so() {
        let errors = load_config("{\"client_id\": \"x\",}", ORIGIN, "/").unwrap_err();
        assert_eq!(fields(&errors), ["config.json"]);
        assert!(errors[0].problem.contains("line 1"));
        let errors = load_config("[]", ORIGIN, "/").unwrap_err();
        assert!(errors[0].problem.contains("a list"));
        assert!(load_config("", ORIGIN, "/").is_err());
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
    fn regions_and_api_bases_round_trip_through_their_text() {
        for region in Region::ALL {
            assert_eq!(region.to_string().parse::<Region>(), Ok(region));
            assert_eq!(
                region.api_base_url(),
                format!("https://api.wxcc-{region}.cisco.com")
            );
            let base = ApiBase::Region(region);
            assert_eq!(ApiBase::from_text(&base.to_string()), base);
        }
        assert!("us2".parse::<Region>().is_err());
        assert_eq!(ApiBase::from_text(" JP1 "), ApiBase::Region(Region::Jp1));
        let explicit = ApiBase::from_text("http://127.0.0.1:1");
        assert_eq!(explicit, ApiBase::Explicit("http://127.0.0.1:1".into()));
        assert_eq!(explicit.to_string(), "http://127.0.0.1:1");
    }

    #[test]
    fn a_bad_page_origin_is_an_error_not_a_panic() {
        let errors = validate(minimal(), "null", "/").unwrap_err();
        assert_eq!(fields(&errors), ["page_origin"]);
    }
}
