//! Configuration: environment variables, each overridable by a `--flag`, validated at start-up into typed
//! values. Errors name the variable and say what to do; they never contain a secret's value.
//!
//! Secrets (client secret, sealing keys) have no value flag on purpose: command lines are visible to every
//! user of the machine (`ps`). Use the environment or `--client-secret-file`.

mod parse;
mod revocation;
mod server;
mod session;
#[cfg(test)]
mod tests;

use crate::lifetime::SessionRules;
use crate::mode::SessionMode;
use crate::revocation::StoreChoice;
use crate::sealing::{DeploymentBinding, DeploymentScope, Sealer};
use parse::{parse_keys, parse_number, parse_origins, parse_web_url, printable};
use revocation::parse_revocation_store;
pub use revocation::{DYNAMODB_ENDPOINT, REVOCATION_STORE, REVOCATION_TABLE};
use server::parse_server_limits;
pub use server::{
    BODY_TIMEOUT_MS, HEADER_TIMEOUT_MS, MAX_CONCURRENT_REQUESTS, ORIGIN_SECRET, REQUEST_TIMEOUT_MS,
    ServerLimits,
};
use session::parse_session_rules;
use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;
use url::Url;
use wxcc_core::secret::Secret;

pub const DEFAULT_TOKEN_ENDPOINT: &str = "https://webexapis.com/v1/access_token";
pub const DEFAULT_BIND: &str = "127.0.0.1:8787";
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: u64 = 10_000;
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 60;

pub const CLIENT_ID: &str = "WXCC_PROXY_CLIENT_ID";
pub const CLIENT_SECRET: &str = "WXCC_PROXY_CLIENT_SECRET";
pub const CLIENT_SECRET_FILE: &str = "WXCC_PROXY_CLIENT_SECRET_FILE";
pub const ALLOWED_ORIGINS: &str = "WXCC_PROXY_ALLOWED_ORIGINS";
pub const REDIRECT_URI: &str = "WXCC_PROXY_REDIRECT_URI";
pub const TOKEN_ENDPOINT: &str = "WXCC_PROXY_TOKEN_ENDPOINT";
pub const MODE: &str = "WXCC_PROXY_MODE";
pub const SEALING_KEYS: &str = "WXCC_PROXY_SEALING_KEYS";
pub const BIND: &str = "WXCC_PROXY_BIND";
pub const UPSTREAM_TIMEOUT_MS: &str = "WXCC_PROXY_UPSTREAM_TIMEOUT_MS";
pub const RATE_LIMIT_PER_MINUTE: &str = "WXCC_PROXY_RATE_LIMIT_PER_MINUTE";
pub const SESSION_LIFETIME_SECS: &str = "WXCC_PROXY_SESSION_LIFETIME_SECS";
pub const REMEMBER_DAYS: &str = "WXCC_PROXY_REMEMBER_DAYS";
pub const DEFAULT_REFRESH_LIFETIME_SECS: &str = "WXCC_PROXY_DEFAULT_REFRESH_LIFETIME_SECS";
pub const DEPLOYMENT_ID: &str = "WXCC_PROXY_DEPLOYMENT_ID";

/// `--flag` → the variable it overrides.
const FLAGS: &[(&str, &str)] = &[
    ("--client-id", CLIENT_ID),
    ("--client-secret-file", CLIENT_SECRET_FILE),
    ("--allowed-origins", ALLOWED_ORIGINS),
    ("--redirect-uri", REDIRECT_URI),
    ("--token-endpoint", TOKEN_ENDPOINT),
    ("--mode", MODE),
    ("--bind", BIND),
    ("--upstream-timeout-ms", UPSTREAM_TIMEOUT_MS),
    ("--rate-limit-per-minute", RATE_LIMIT_PER_MINUTE),
    ("--session-lifetime-secs", SESSION_LIFETIME_SECS),
    ("--remember-days", REMEMBER_DAYS),
    (
        "--default-refresh-lifetime-secs",
        DEFAULT_REFRESH_LIFETIME_SECS,
    ),
    ("--header-timeout-ms", HEADER_TIMEOUT_MS),
    ("--body-timeout-ms", BODY_TIMEOUT_MS),
    ("--request-timeout-ms", REQUEST_TIMEOUT_MS),
    ("--max-concurrent-requests", MAX_CONCURRENT_REQUESTS),
    ("--deployment-id", DEPLOYMENT_ID),
];

pub const USAGE: &str = "\
wxcc-token-proxy: token-mediating backend for the wxcc-console SPA

USAGE: wxcc-token-proxy [--flag value]...   (every flag overrides its environment variable)
       wxcc-token-proxy --generate-key      (print a fresh sealing key and exit)

  WXCC_PROXY_CLIENT_ID                      --client-id
      Webex integration client id (required)
  WXCC_PROXY_CLIENT_SECRET
      client secret (required, or the _FILE variant)
  WXCC_PROXY_CLIENT_SECRET_FILE             --client-secret-file
      file holding the client secret
  WXCC_PROXY_ALLOWED_ORIGINS                --allowed-origins
      comma-separated exact SPA origins (required)
  WXCC_PROXY_REDIRECT_URI                   --redirect-uri
      the SPA's registered redirect URI (required)
  WXCC_PROXY_TOKEN_ENDPOINT                 --token-endpoint
      default https://webexapis.com/v1/access_token
  WXCC_PROXY_MODE                           --mode
      cookie | handle (required)
  WXCC_PROXY_SEALING_KEYS
      comma-separated base64url 32-byte keys; first seals (required)
  WXCC_PROXY_BIND                           --bind
      default 127.0.0.1:8787 (port 0 = any free port)
  WXCC_PROXY_UPSTREAM_TIMEOUT_MS            --upstream-timeout-ms
      default 10000
  WXCC_PROXY_RATE_LIMIT_PER_MINUTE          --rate-limit-per-minute
      default 60 requests per client IP
  WXCC_PROXY_SESSION_LIFETIME_SECS          --session-lifetime-secs
      default 43200 (12 hours): a sign-in ends this long after it began, however active
  WXCC_PROXY_REMEMBER_DAYS                  --remember-days
      default 0 (off); 1..90 offers \"keep me signed in\" for that many days (cookie mode)
  WXCC_PROXY_DEFAULT_REFRESH_LIFETIME_SECS  --default-refresh-lifetime-secs
      default 7776000 (90 days): the refresh-token lifetime assumed when the token answer omits it
  WXCC_PROXY_HEADER_TIMEOUT_MS              --header-timeout-ms
      default 10000: a connection that has not sent a request's headers by then is closed
  WXCC_PROXY_BODY_TIMEOUT_MS                --body-timeout-ms
      default 10000: a body not received by then is refused (request_timeout)
  WXCC_PROXY_REQUEST_TIMEOUT_MS             --request-timeout-ms
      default 30000 (at least the upstream timeout plus the body timeout); must exceed the upstream timeout
  WXCC_PROXY_MAX_CONCURRENT_REQUESTS        --max-concurrent-requests
      default 256: session requests worked on at once; more are refused at once (overloaded, 503)
  WXCC_PROXY_ORIGIN_SECRET
      behind a CDN: the value it adds as X-WXCC-Origin-Verify; requests without it are refused
  WXCC_PROXY_DEPLOYMENT_ID                  --deployment-id
      default: the allowed origins; sealed sessions are bound to the mode, the client id and this
      (set it to keep sessions across origin changes; give every deployment its own)
  WXCC_PROXY_REVOCATION_STORE
      memory (default: one standalone server) | dynamodb (Lambda, several instances): where sign-outs
      are kept until the session's end; dynamodb reads WXCC_PROXY_REVOCATION_TABLE, AWS_REGION,
      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_ENDPOINT_URL_DYNAMODB
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Run(Box<Config>),
    GenerateKey,
    Help,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub client_id: String,
    pub client_secret: Secret,
    /// Serialized origins (`scheme://host[:port]`), compared byte for byte with `Origin`.
    pub allowed_origins: Vec<String>,
    pub redirect_uri: Url,
    pub token_endpoint: Url,
    pub mode: SessionMode,
    pub sealer: Sealer,
    pub bind: SocketAddr,
    pub upstream_timeout: Duration,
    pub rate_limit_per_minute: u32,
    pub sessions: SessionRules,
    /// Where sign-outs are recorded.
    pub revocation: StoreChoice,
    /// Timeouts, the concurrency limit and the CDN's origin secret.
    pub limits: ServerLimits,
}

/// A configuration problem: which variable, and what is wrong with it (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "configuration error in {}: {}",
            self.variable, self.problem
        )
    }
}

impl std::error::Error for ConfigError {}

fn error(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

impl Command {
    /// Reads the process environment and arguments (without the program name).
    pub fn from_process() -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let args: Vec<String> = std::env::args().skip(1).collect();
        Self::parse(&env, &args, &|path| std::fs::read_to_string(path))
    }

    /// `read_file` is injected so tests need no files.
    pub fn parse(
        env: &HashMap<String, String>,
        args: &[String],
        read_file: &dyn Fn(&str) -> std::io::Result<String>,
    ) -> Result<Self, ConfigError> {
        let mut values: HashMap<&str, String> = HashMap::new();
        for (name, value) in env {
            if let Some(known) = ALL_VARIABLES
                .iter()
                .chain(revocation::VARIABLES)
                .find(|v| **v == name.as_str())
            {
                values.insert(known, value.clone());
            }
        }
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--generate-key" => return Ok(Self::GenerateKey),
                "--help" | "-h" => return Ok(Self::Help),
                _ => {}
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let Some((_, variable)) = FLAGS.iter().find(|(f, _)| *f == flag) else {
                return Err(error(
                    "command line",
                    format!(
                        "unknown argument `{}`; run with --help to see the flags",
                        printable(flag)
                    ),
                ));
            };
            let value = match inline {
                Some(value) => value,
                None => args.next().cloned().ok_or_else(|| {
                    error(variable, format!("flag {flag} needs a value after it"))
                })?,
            };
            values.insert(variable, value);
        }
        Config::from_values(&values, read_file).map(|c| Self::Run(Box::new(c)))
    }
}

const ALL_VARIABLES: &[&str] = &[
    CLIENT_ID,
    CLIENT_SECRET,
    CLIENT_SECRET_FILE,
    ALLOWED_ORIGINS,
    REDIRECT_URI,
    TOKEN_ENDPOINT,
    MODE,
    SEALING_KEYS,
    BIND,
    UPSTREAM_TIMEOUT_MS,
    RATE_LIMIT_PER_MINUTE,
    SESSION_LIFETIME_SECS,
    REMEMBER_DAYS,
    DEFAULT_REFRESH_LIFETIME_SECS,
    HEADER_TIMEOUT_MS,
    BODY_TIMEOUT_MS,
    REQUEST_TIMEOUT_MS,
    MAX_CONCURRENT_REQUESTS,
    ORIGIN_SECRET,
    DEPLOYMENT_ID,
];

impl Config {
    fn from_values(
        values: &HashMap<&str, String>,
        read_file: &dyn Fn(&str) -> std::io::Result<String>,
    ) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            values
                .get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let require = |name: &'static str, what: &str| {
            get(name).ok_or_else(|| error(name, format!("is not set; set it to {what}")))
        };

        let client_id = require(CLIENT_ID, "the Webex integration's client id")?;
        let client_secret = match (get(CLIENT_SECRET), get(CLIENT_SECRET_FILE)) {
            (Some(_), Some(_)) => {
                return Err(error(
                    CLIENT_SECRET,
                    format!("is set together with {CLIENT_SECRET_FILE}; set only one of them"),
                ));
            }
            (Some(secret), None) => Secret::new(secret),
            (None, Some(path)) => {
                let text = read_file(&path).map_err(|e| {
                    error(
                        CLIENT_SECRET_FILE,
                        format!(
                            "names a file that cannot be read ({}); check the path and permissions",
                            e.kind()
                        ),
                    )
                })?;
                let secret = text.trim();
                if secret.is_empty() {
                    return Err(error(
                        CLIENT_SECRET_FILE,
                        "names an empty file; put the client secret in it",
                    ));
                }
                Secret::new(secret)
            }
            (None, None) => {
                return Err(error(
                    CLIENT_SECRET,
                    format!(
                        "is not set; set it (or {CLIENT_SECRET_FILE}) to the integration's client secret"
                    ),
                ));
            }
        };

        let allowed_origins = parse_origins(&require(
            ALLOWED_ORIGINS,
            "the SPA's origin(s), e.g. https://console.example.com",
        )?)?;
        let redirect_uri = parse_web_url(
            REDIRECT_URI,
            &require(REDIRECT_URI, "the SPA's registered redirect URI")?,
        )?;
        if redirect_uri.fragment().is_some() {
            return Err(error(REDIRECT_URI, "must not contain a #fragment"));
        }
        let token_endpoint = parse_web_url(
            TOKEN_ENDPOINT,
            &get(TOKEN_ENDPOINT).unwrap_or_else(|| DEFAULT_TOKEN_ENDPOINT.to_owned()),
        )?;
        let mode = match require(MODE, "cookie or handle")?.as_str() {
            "cookie" => SessionMode::Cookie,
            "handle" => SessionMode::Handle,
            _ => return Err(error(MODE, "must be `cookie` or `handle`")),
        };
        let keys = parse_keys(&require(
            SEALING_KEYS,
            "one or more base64url 32-byte keys (create one with --generate-key)",
        )?)?;
        let bind = get(BIND)
            .unwrap_or_else(|| DEFAULT_BIND.to_owned())
            .parse::<SocketAddr>()
            .map_err(|_| {
                error(
                    BIND,
                    "must be an address like 127.0.0.1:8787 (port 0 picks a free port)",
                )
            })?;
        let upstream_timeout_ms = parse_number(
            UPSTREAM_TIMEOUT_MS,
            get(UPSTREAM_TIMEOUT_MS),
            DEFAULT_UPSTREAM_TIMEOUT_MS,
            1,
            120_000,
        )?;
        let rate_limit_per_minute = parse_number(
            RATE_LIMIT_PER_MINUTE,
            get(RATE_LIMIT_PER_MINUTE),
            u64::from(DEFAULT_RATE_LIMIT_PER_MINUTE),
            1,
            100_000,
        )? as u32;
        let sessions = parse_session_rules(&get)?;
        let deployment_id = get(DEPLOYMENT_ID);
        if let Some(id) = &deployment_id
            && (id.len() > 200 || id.chars().any(char::is_control))
        {
            return Err(error(
                DEPLOYMENT_ID,
                "must be at most 200 printable characters, e.g. `console-production`",
            ));
        }
        // Values are bound to their deployment, so staging and production sharing keys, or a mode
        // switch, refuse each other's sessions.
        let scope = match &deployment_id {
            Some(id) => DeploymentScope::Id(id),
            None => DeploymentScope::Origins(&allowed_origins),
        };
        let sealer = Sealer::new(keys, DeploymentBinding::new(mode, &client_id, scope));
        let revocation = parse_revocation_store(&get)?;
        let upstream_timeout = Duration::from_millis(upstream_timeout_ms);
        let limits = parse_server_limits(&get, upstream_timeout)?;

        Ok(Self {
            client_id,
            client_secret,
            allowed_origins,
            redirect_uri,
            token_endpoint,
            mode,
            sealer,
            bind,
            upstream_timeout,
            rate_limit_per_minute,
            sessions,
            revocation,
            limits,
        })
    }
}
