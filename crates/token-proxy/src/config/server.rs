//! The limits that keep the proxy standing against hostile clients: how long it waits for a
//! request's headers and body and for the whole exchange, how many requests it works on at once, and
//! the secret a CDN in front adds to every request it forwards.

use super::parse::parse_number;
use super::{ConfigError, error};
use std::time::Duration;
use wxcc_core::secret::Secret;

pub const HEADER_TIMEOUT_MS: &str = "WXCC_PROXY_HEADER_TIMEOUT_MS";
pub const BODY_TIMEOUT_MS: &str = "WXCC_PROXY_BODY_TIMEOUT_MS";
pub const REQUEST_TIMEOUT_MS: &str = "WXCC_PROXY_REQUEST_TIMEOUT_MS";
pub const MAX_CONCURRENT_REQUESTS: &str = "WXCC_PROXY_MAX_CONCURRENT_REQUESTS";
pub const ORIGIN_SECRET: &str = "WXCC_PROXY_ORIGIN_SECRET";

pub const DEFAULT_HEADER_TIMEOUT_MS: u64 = 10_000;
pub const DEFAULT_BODY_TIMEOUT_MS: u64 = 10_000;
pub const DEFAULT_REQUEST_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: u64 = 256;
/// Shorter secrets could be guessed by someone calling the function URL often enough.
const MIN_ORIGIN_SECRET_LEN: usize = 32;

/// What the host enforces on every connection and request.
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// From a connection's first byte of a request to its last header (standalone server only:
    /// Lambda receives requests whole).
    pub header_timeout: Duration,
    /// From the handler starting to read the body to its last byte.
    pub body_timeout: Duration,
    /// The whole request, upstream call included.
    pub request_timeout: Duration,
    /// Session requests worked on at once; more are shed with `overloaded` at once rather than queued.
    pub max_concurrent_requests: usize,
    /// When set, every request but `/healthz` must carry it in the origin-verify header (a CDN in
    /// front adds it), and only then is the CDN's viewer-address header believed.
    pub origin_secret: Option<Secret>,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_millis(DEFAULT_HEADER_TIMEOUT_MS),
            body_timeout: Duration::from_millis(DEFAULT_BODY_TIMEOUT_MS),
            request_timeout: Duration::from_millis(DEFAULT_REQUEST_TIMEOUT_MS),
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS as usize,
            origin_secret: None,
        }
    }
}

/// Reads the limits through `get` (trimmed, `None` when unset or blank). The request timeout must
/// leave the upstream call its whole timeout, else a slow Webex answer would be cut off by the proxy's
/// own limit with a less helpful error.
pub(super) fn parse_server_limits(
    get: &dyn Fn(&str) -> Option<String>,
    upstream_timeout: Duration,
) -> Result<ServerLimits, ConfigError> {
    let millis = |variable, default| parse_number(variable, get(variable), default, 100, 600_000);
    let header_timeout = millis(HEADER_TIMEOUT_MS, DEFAULT_HEADER_TIMEOUT_MS)?;
    let body_timeout = millis(BODY_TIMEOUT_MS, DEFAULT_BODY_TIMEOUT_MS)?;
    let upstream_ms = upstream_timeout.as_millis() as u64;
    let request_default = DEFAULT_REQUEST_TIMEOUT_MS.max(upstream_ms + body_timeout);
    let request_timeout = millis(REQUEST_TIMEOUT_MS, request_default)?;
    if request_timeout <= upstream_ms {
        return Err(error(
            REQUEST_TIMEOUT_MS,
            "must be longer than WXCC_PROXY_UPSTREAM_TIMEOUT_MS, so the upstream call can finish",
        ));
    }
    let max_concurrent_requests = parse_number(
        MAX_CONCURRENT_REQUESTS,
        get(MAX_CONCURRENT_REQUESTS),
        DEFAULT_MAX_CONCURRENT_REQUESTS,
        1,
        100_000,
    )? as usize;
    let origin_secret = match get(ORIGIN_SECRET) {
        None => None,
        Some(secret) if secret.len() < MIN_ORIGIN_SECRET_LEN => {
            return Err(error(
                ORIGIN_SECRET,
                format!(
                    "is shorter than {MIN_ORIGIN_SECRET_LEN} characters; use a long random value"
                ),
            ));
        }
        Some(secret) if !secret.bytes().all(|b| b.is_ascii_graphic()) => {
            return Err(error(
                ORIGIN_SECRET,
                "must be printable ASCII without spaces (it travels as a header value)",
            ));
        }
        Some(secret) => Some(Secret::new(secret)),
    };
    Ok(ServerLimits {
        header_timeout: Duration::from_millis(header_timeout),
        body_timeout: Duration::from_millis(body_timeout),
        request_timeout: Duration::from_millis(request_timeout),
        max_concurrent_requests,
        origin_secret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<ServerLimits, ConfigError> {
        let values: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        parse_server_limits(&|name| values.get(name).cloned(), Duration::from_secs(10))
    }

    #[test]
    fn defaults_leave_the_upstream_call_its_time() {
        let limits = parse(&[]).unwrap();
        assert_eq!(limits.header_timeout, Duration::from_secs(10));
        assert_eq!(limits.body_timeout, Duration::from_secs(10));
        assert_eq!(limits.request_timeout, Duration::from_secs(30));
        assert_eq!(limits.max_concurrent_requests, 256);
        assert!(limits.origin_secret.is_none());
        let long_upstream = parse_server_limits(&|_| None, Duration::from_secs(60)).unwrap();
        assert_eq!(long_upstream.request_timeout, Duration::from_secs(70));
    }

    #[test]
    fn a_request_timeout_within_the_upstream_timeout_is_refused() {
        let problem = parse(&[(REQUEST_TIMEOUT_MS, "10000")]).unwrap_err();
        assert_eq!(problem.variable, REQUEST_TIMEOUT_MS);
        assert!(parse(&[(REQUEST_TIMEOUT_MS, "10001")]).is_ok());
    }

    #[test]
    fn the_origin_secret_must_be_long_and_header_safe_and_is_never_shown() {
        let short = parse(&[(ORIGIN_SECRET, "short-secret-value")]).unwrap_err();
        assert_eq!(short.variable, ORIGIN_SECRET);
        assert!(!short.to_string().contains("short-secret-value"));
        let spaced = "a".repeat(20) + " " + &"b".repeat(20);
        assert!(parse(&[(ORIGIN_SECRET, &spaced)]).is_err());
        let good = "Zx".repeat(24);
        let limits = parse(&[(ORIGIN_SECRET, &good)]).unwrap();
        assert_eq!(limits.origin_secret.as_ref().unwrap().secret(), good);
        assert!(!format!("{limits:?}").contains(&good));
    }

    #[test]
    fn limits_out_of_range_name_their_variable() {
        for variable in [HEADER_TIMEOUT_MS, BODY_TIMEOUT_MS, MAX_CONCURRENT_REQUESTS] {
            let problem = parse(&[(variable, "0")]).unwrap_err();
            assert_eq!(problem.variable, variable);
        }
    }
}
