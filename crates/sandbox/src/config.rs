//! Sandbox configuration: clients, CORS origins, seed, token lifetimes and fault knobs.

use std::path::Path;

use serde::{Deserialize, Serialize};
use wxcc_core::secret::Secret;

mod search_knobs;
mod write_knobs;

pub use search_knobs::check_knobs as check_search_knobs;
pub use write_knobs::check_knobs as check_write_knobs;

/// A knob naming one of `allowed`; the message names the knob, for the config file and the
/// control endpoint alike.
fn check_one_of(name: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!("{name} must be one of {allowed:?}, got {value:?}"))
    }
}

/// A knob that is a share of requests or items, from 0.0 (none) to 1.0 (all).
fn check_share(name: &str, value: f64) -> Result<(), String> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(format!("{name} must be between 0.0 and 1.0, got {value}"))
    }
}

/// Scopes the demo client may request; the SPA asks for a subset of these.
pub const DEMO_SCOPES: &[&str] = &[
    "cjp:config",
    "cjp:config_read",
    "cjp:config_write",
    "cjp:user",
    "spark:people_read",
    "spark:kms",
    "cjds:admin_org_read",
];

/// Everything the sandbox can be told. Every field has a default so a config file only names what it changes.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// OAuth clients registered with the sandbox identity service.
    pub clients: Vec<ClientConfig>,
    /// Origins allowed by CORS on both ports (the SPA's origin).
    pub allowed_origins: Vec<String>,
    /// Seed for the generated organisation data; same seed, same data.
    pub seed: u64,
    /// Lifetime of refresh tokens in seconds (Webex: 7776000), reset on every refresh.
    pub refresh_token_lifetime_secs: u64,
    /// Lifetime of authorization codes in seconds (Webex: about 5 minutes).
    pub authorization_code_lifetime_secs: u64,
    /// Share (0.0..=1.0) of Contact Center API requests answered with 500.
    pub error_rate: f64,
    /// Answer every Contact Center API request with 429.
    pub force_429: bool,
    /// Requests per minute per OAuth client on the Contact Center API before 429: by default the
    /// 300 of Webex Contact Center's current Rate Limiting page; the older generic page's 50 is a
    /// knob (`--rate-limit 50`; the README's fidelity table cites both).
    pub rate_limit_per_minute: u32,
    /// Serve the `/_sandbox/faults` control endpoint on the identity port.
    pub control: bool,
    /// The knobs the control endpoint can change later; top-level fields of a config file.
    #[serde(flatten)]
    pub knobs: Knobs,
}

/// The knobs a config file (or a flag) sets at start and `POST /_sandbox/faults` changes while the
/// sandbox runs. Declared here only: the control endpoint's state (`state::Faults`) holds them.
// No `deny_unknown_fields` here: flattened into `SandboxConfig` (which has it), this struct sees
// every field of the file and must leave the others to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Knobs {
    /// Latency added to every Contact Center API request.
    pub latency_ms: u64,
    /// Lifetime of access tokens in seconds (Webex: 1209599); at run time, of those issued from then on.
    pub access_token_lifetime_secs: u64,
    /// 429s carry the spec's `ApiErrorResponse` body; Webex documents them without a body.
    pub json_429: bool,
    /// Token responses report the granted `scope`; Webex documents no such field.
    pub report_scope: bool,
    /// Token responses leave out `refresh_token_expires_in` (a standard OAuth 2.0 server's answer).
    pub omit_refresh_token_expires_in: bool,
    /// Refreshes within this many seconds of the last access token's issue return that token with
    /// its remaining lifetime (webex/integration-refresh); 0 = every refresh issues a new token.
    pub stable_refresh_secs: u64,
    /// Latency added to the identity token endpoint only.
    pub token_latency_ms: u64,
    /// Status of an agent-activities page that starts beyond the spec's record cap: 400 or 413
    /// (Webex's choice is not documented).
    pub activity_cap_status: u16,
    /// `POST /search`: a `to` later than now is `"reject"`ed (400, as `SearchRequest.query`
    /// says) or `"clamp"`ed to now (as the API reference says); the sources conflict.
    pub search_future_to: String,
    /// `POST /search`: status of a query the GraphQL engine refuses, `400` with the spec's
    /// `ApiErrorResponse` or `200` with a GraphQL `errors` array (no source shows which).
    pub search_query_error_status: u16,
    /// `POST /search`: the org is in the "Queue Based Reporting Early Access" programme, so
    /// `taskLegDetails` returns records; without it the query answers none.
    pub search_task_legs: bool,
    /// `POST /search`: `variables` are `"accept"`ed or refused unless `"persisted_only"` (the
    /// spec's "only for persisted queries" read literally).
    pub search_variables: String,
    /// `POST /search`: unit of agent sessions' `channelInfo.totalDuration`, `"ms"` like every
    /// other duration or `"s"` as the ASR data dictionary says.
    pub search_asr_total_duration_unit: String,
    /// Writes whose `version` is not the record's current one: `"refuse400"`, `"refuse409"` or
    /// `"accept"` (the spec lists no conflict answer for the user endpoints).
    pub stale_version: String,
    /// Share (0.0..=1.0) of bulk items answered with a per-item 500 and left unsaved: of a
    /// request's first n items, ⌊n × rate⌋ fail, evenly spaced (item i fails when
    /// ⌊(i+1)·rate⌋ > ⌊i·rate⌋).
    pub bulk_item_failure_rate: f64,
    /// Most items a bulk request may carry (the spec documents no limit).
    pub bulk_max_items: u32,
    /// Where `POST …/team` and `PUT …/team/{id}` read the TeamDTO: `"body"` (JSON, as every other
    /// create and update) or `"query"` (the spec's `teamDTO` query parameter read literally).
    pub team_dto_in: String,
    /// Fields a write's DTO does not have: `"refuse"` (400 naming the field) or `"ignore"`.
    pub write_unknown_fields: String,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            latency_ms: 0,
            access_token_lifetime_secs: 1_209_599,
            json_429: false,
            report_scope: false,
            omit_refresh_token_expires_in: false,
            stable_refresh_secs: 0,
            token_latency_ms: 0,
            activity_cap_status: 400,
            search_future_to: "reject".into(),
            search_query_error_status: 400,
            search_task_legs: true,
            search_variables: "accept".into(),
            search_asr_total_duration_unit: "ms".into(),
            stale_version: "refuse400".into(),
            bulk_item_failure_rate: 0.0,
            bulk_max_items: 100,
            team_dto_in: "body".into(),
            write_unknown_fields: "refuse".into(),
        }
    }
}

/// One registered OAuth client (an "integration" in Webex terms).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    pub client_id: String,
    pub client_secret: Secret,
    pub redirect_uris: Vec<String>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

fn default_scopes() -> Vec<String> {
    DEMO_SCOPES.iter().map(|s| s.to_string()).collect()
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            clients: Vec::new(),
            allowed_origins: Vec::new(),
            seed: 42,
            refresh_token_lifetime_secs: 7_776_000,
            authorization_code_lifetime_secs: 300,
            error_rate: 0.0,
            force_429: false,
            rate_limit_per_minute: 300,
            control: false,
            knobs: Knobs::default(),
        }
    }
}

impl SandboxConfig {
    /// The configuration the demo and the end-to-end tests use.
    pub fn demo(spa_origin: &str, redirect_uri: &str) -> SandboxConfig {
        SandboxConfig {
            clients: vec![ClientConfig {
                client_id: "wxcc-demo-client".into(),
                client_secret: Secret::new("wxcc-demo-secret"),
                redirect_uris: vec![redirect_uri.to_string()],
                scopes: default_scopes(),
            }],
            allowed_origins: vec![spa_origin.to_string()],
            control: true,
            ..SandboxConfig::default()
        }
    }

    /// Reads a TOML (`.toml`) or JSON (anything else) config file.
    pub fn from_file(path: &Path) -> Result<SandboxConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        let is_toml = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"));
        let config: SandboxConfig = if is_toml {
            toml::from_str(&text).map_err(|e| {
                format!(
                    "invalid config file {}: {e}\nfix the named field and start again",
                    path.display()
                )
            })?
        } else {
            serde_json::from_str(&text).map_err(|e| {
                format!(
                    "invalid config file {}: {e}; fix the named field and start again",
                    path.display()
                )
            })?
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks values serde cannot check; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        check_share("error_rate", self.error_rate)?;
        if self.rate_limit_per_minute == 0 {
            return Err("rate_limit_per_minute must be at least 1".into());
        }
        check_activity_cap_status(self.knobs.activity_cap_status)?;
        search_knobs::check_knobs(&self.knobs)?;
        write_knobs::check_knobs(&self.knobs)?;
        for origin in &self.allowed_origins {
            let parsed = url::Url::parse(origin)
                .map_err(|e| format!("allowed_origins entry {origin:?} is not a URL: {e}"))?;
            if parsed.origin().ascii_serialization() != origin.trim_end_matches('/') {
                return Err(format!(
                    "allowed_origins entry {origin:?} must be an origin like http://127.0.0.1:8080 (no path)"
                ));
            }
        }
        for client in &self.clients {
            if client.client_id.is_empty() {
                return Err("clients[].client_id must not be empty".into());
            }
            for uri in &client.redirect_uris {
                url::Url::parse(uri).map_err(|e| {
                    format!(
                        "clients[{}].redirect_uris entry {uri:?} is not a URL: {e}",
                        client.client_id
                    )
                })?;
            }
        }
        Ok(())
    }
}

/// The statuses the spec lists for agent activities that fit a page beyond the record cap.
pub fn check_activity_cap_status(status: u16) -> Result<(), String> {
    if status == 400 || status == 413 {
        Ok(())
    } else {
        Err(format!(
            "activity_cap_status must be 400 or 413, got {status}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_webex() {
        let c = SandboxConfig::default();
        assert_eq!(c.knobs.access_token_lifetime_secs, 1_209_599);
        assert_eq!(c.refresh_token_lifetime_secs, 7_776_000);
        assert_eq!(c.rate_limit_per_minute, 300);
        let k = &c.knobs;
        assert!(!k.json_429 && !k.report_scope && !k.omit_refresh_token_expires_in);
        assert_eq!((k.stable_refresh_secs, k.activity_cap_status), (0, 400));
    }

    #[test]
    fn toml_file_with_partial_fields() {
        let c: SandboxConfig = toml::from_str(
            "seed = 7\naccess_token_lifetime_secs = 20\njson_429 = true\n[[clients]]\nclient_id = \"a\"\nclient_secret = \"s\"\nredirect_uris = [\"http://x/cb\"]\n",
        )
        .unwrap();
        assert_eq!(c.seed, 7);
        assert_eq!(c.knobs.access_token_lifetime_secs, 20);
        assert!(c.knobs.json_429);
        assert_eq!(
            c.knobs.activity_cap_status, 400,
            "unnamed knobs keep their default"
        );
        assert_eq!(c.clients[0].scopes.len(), DEMO_SCOPES.len());
        assert_eq!(c.clients[0].client_secret.secret(), "s");
    }

    #[test]
    fn unknown_or_mistyped_field_is_named() {
        let err = toml::from_str::<SandboxConfig>("sede = 1")
            .unwrap_err()
            .to_string();
        assert!(err.contains("sede"), "{err}");
        let err = serde_json::from_str::<SandboxConfig>("{\"seed\": \"x\"}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid type"), "{err}");
        let err = serde_json::from_str::<SandboxConfig>("{\"latency_ms\": \"x\"}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid type"), "{err}");
        let bad = SandboxConfig {
            error_rate: 2.0,
            ..SandboxConfig::default()
        };
        assert!(bad.validate().unwrap_err().contains("error_rate"));
        let bad = SandboxConfig {
            knobs: Knobs {
                activity_cap_status: 404,
                ..Knobs::default()
            },
            ..SandboxConfig::default()
        };
        assert!(bad.validate().unwrap_err().contains("activity_cap_status"));
    }

    #[test]
    fn debug_never_shows_the_client_secret() {
        let c = SandboxConfig::demo("http://127.0.0.1:8080", "http://127.0.0.1:8080/callback");
        let debug = format!("{c:?}");
        assert!(!debug.contains("wxcc-demo-secret"), "{debug}");
        assert!(debug.contains("Secret([redacted])"), "{debug}");
    }
}
