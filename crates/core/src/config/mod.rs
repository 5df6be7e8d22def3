//! Runtime `config.json`: parsing and validation.
//!
//! One build deploys to any host, so the configuration is read at runtime. A missing or wrong
//! field must produce a page that names the field and says how to fix it, so parsing and
//! validation collect *every* problem instead of stopping at the first one.
//!
//! [`RawConfig`] reads the file (`raw`), [`validate()`] checks it for the page it runs on and gives
//! the [`AppConfig`] the app runs with (`validate`); [`Region`] and [`ApiBase`] say where API calls
//! go (`region`); the API budget's fields are read and checked in `budget`.

mod budget;
mod raw;
mod region;
mod validate;

pub use raw::RawConfig;
pub use region::{ApiBase, Region, UnknownRegion};
pub use validate::validate;

use crate::web_url::WebUrl;
use std::fmt;
use std::str::FromStr;

/// Scopes requested when `config.json` does not list any.
pub const DEFAULT_SCOPES: [&str; 2] = ["cjp:config_read", "spark:people_read"];
/// Webex's authorize endpoint.
pub const DEFAULT_AUTHORIZE_URL: &str = "https://webexapis.com/v1/authorize";
/// Webex's identity API (people/me, logout…).
pub const DEFAULT_IDENTITY_API_BASE_URL: &str = "https://webexapis.com/v1";

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
    /// What every tab together may spend of the client id's rate limit (`api_requests_per_minute`,
    /// `api_reserve_percent`).
    pub api_budget: crate::scheduler::Budget,
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

/// [`RawConfig::from_json_str`] then [`validate()`]: the whole path from the fetched text.
pub fn load_config(
    text: &str,
    page_origin: &str,
    base_path: &str,
) -> Result<AppConfig, Vec<ConfigError>> {
    validate(RawConfig::from_json_str(text)?, page_origin, base_path)
}

#[cfg(test)]
mod test_support {
    use super::{ConfigError, RawConfig};

    pub const ORIGIN: &str = "https://console.example.com";

    pub fn minimal() -> RawConfig {
        RawConfig {
            client_id: Some("C123".into()),
            token_proxy_url: Some("/proxy".into()),
            ..RawConfig::default()
        }
    }

    pub fn fields(errors: &[ConfigError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }
}
