//! Parsing single values: numbers in a range, web URLs, the origin allow-list and the sealing keys.
//! Each error names its variable and never quotes a secret.

use super::{ALLOWED_ORIGINS, ConfigError, SEALING_KEYS, error};
use crate::sealing::SealingKey;
use std::net::IpAddr;
use url::{Host, Url};

/// At most 40 visible characters of something a user typed, for an error message.
pub(super) fn printable(text: &str) -> String {
    text.chars().take(40).filter(|c| !c.is_control()).collect()
}

pub(super) fn parse_number(
    variable: &'static str,
    value: Option<String>,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, ConfigError> {
    let Some(value) = value else {
        return Ok(default);
    };
    match value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(error(
            variable,
            format!("must be a whole number from {min} to {max}"),
        )),
    }
}

fn is_loopback(host: Option<Host<&str>>) -> bool {
    match host {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// An absolute https URL, or http for a loopback host (local development and tests).
pub(super) fn parse_web_url(variable: &'static str, text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|_| error(variable, "is not an absolute URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(url.host()) => {}
        "http" => {
            return Err(error(
                variable,
                "uses http for a non-loopback host; use https (http is only allowed for localhost/127.0.0.1/[::1])",
            ));
        }
        _ => return Err(error(variable, "must be an https URL")),
    }
    if url.host().is_none() {
        return Err(error(variable, "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(error(variable, "must not contain credentials"));
    }
    Ok(url)
}

pub(super) fn parse_origins(text: &str) -> Result<Vec<String>, ConfigError> {
    let mut origins = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item == "*" || item == "null" {
            return Err(error(
                ALLOWED_ORIGINS,
                "must list exact origins; `*` and `null` are not allowed",
            ));
        }
        let url = parse_web_url(ALLOWED_ORIGINS, item)?;
        let origin = url.origin().ascii_serialization();
        // An origin is scheme://host[:port] and nothing else: a path or trailing slash would never match.
        if origin != item {
            return Err(error(
                ALLOWED_ORIGINS,
                "entries must be bare origins like https://console.example.com (no path, no trailing slash, no default port)",
            ));
        }
        origins.push(origin);
    }
    if origins.is_empty() {
        return Err(error(ALLOWED_ORIGINS, "lists no origin; set at least one"));
    }
    Ok(origins)
}

pub(super) fn parse_keys(text: &str) -> Result<Vec<SealingKey>, ConfigError> {
    let mut keys = Vec::new();
    for (index, item) in text.split(',').map(str::trim).enumerate() {
        let key = SealingKey::from_base64url(item).map_err(|e| {
            error(
                SEALING_KEYS,
                format!(
                    "entry {} is unusable ({e}); create keys with --generate-key",
                    index + 1
                ),
            )
        })?;
        keys.push(key);
    }
    Ok(keys)
}
