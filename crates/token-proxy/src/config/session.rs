//! The session settings: how long sign-ins live and what the proxy assumes when the identity service
//! does not say how long a refresh token lives.

use super::parse::parse_number;
use super::{ConfigError, DEFAULT_REFRESH_LIFETIME_SECS};
use crate::lifetime::{self, SessionRules};

/// The longest refresh-token lifetime the proxy will assume: one year.
const MAX_DEFAULT_REFRESH_LIFETIME_SECS: u64 = 365 * 24 * 60 * 60;

/// Reads the session variables through `get` (trimmed, `None` when unset or blank).
pub(super) fn parse_session_rules(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<SessionRules, ConfigError> {
    let default_refresh_lifetime_secs = parse_number(
        DEFAULT_REFRESH_LIFETIME_SECS,
        get(DEFAULT_REFRESH_LIFETIME_SECS),
        lifetime::DEFAULT_REFRESH_LIFETIME_SECS,
        60,
        MAX_DEFAULT_REFRESH_LIFETIME_SECS,
    )?;
    Ok(SessionRules {
        default_refresh_lifetime_secs,
    })
}
