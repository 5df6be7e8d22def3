//! The session settings: how long sign-ins live, whether "keep me signed in" is offered, and what the
//! proxy assumes when the identity service does not say how long a refresh token lives.

use super::parse::parse_number;
use super::{
    ConfigError, DEFAULT_REFRESH_LIFETIME_SECS, REMEMBER_DAYS, SESSION_LIFETIME_SECS, error,
};
use crate::lifetime::{self, DAY_SECS, SessionRules};

/// The longest refresh-token lifetime the proxy will assume: one year.
const MAX_DEFAULT_REFRESH_LIFETIME_SECS: u64 = 365 * DAY_SECS;
/// The longest "keep me signed in": Webex's refresh-token lifetime.
const MAX_REMEMBER_DAYS: u64 = 90;
/// The shortest session: enough for a sign-in to finish (code exchange, first calls) before it
/// ends. It was 60 s, which only stopped the session's end being seen end to end in a test that
/// can wait for it: `cargo xtask test` runs a 20-second session to see it bind every tab. A short
/// session is never less safe, only less convenient, so no deployment is put at risk by allowing it.
const MIN_SESSION_LIFETIME_SECS: u64 = 10;

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
    // A session never outlives its refresh token, so a longer lifetime would only mislead.
    let lifetime_secs = parse_number(
        SESSION_LIFETIME_SECS,
        get(SESSION_LIFETIME_SECS),
        lifetime::DEFAULT_SESSION_LIFETIME_SECS,
        MIN_SESSION_LIFETIME_SECS,
        default_refresh_lifetime_secs,
    )
    .map_err(|e| ConfigError {
        problem: format!(
            "{} (at most the refresh-token lifetime, {DEFAULT_REFRESH_LIFETIME_SECS})",
            e.problem
        ),
        ..e
    })?;
    let remember_days = parse_number(REMEMBER_DAYS, get(REMEMBER_DAYS), 0, 0, MAX_REMEMBER_DAYS)
        .map_err(|e| ConfigError {
            problem: format!("{} (0 turns \"keep me signed in\" off)", e.problem),
            ..e
        })?;
    // Remembering a sign-in must not end it sooner than forgetting it would.
    if remember_days > 0 && remember_days * DAY_SECS < lifetime_secs {
        return Err(error(
            REMEMBER_DAYS,
            format!(
                "must be 0 (off) or cover at least the session lifetime ({SESSION_LIFETIME_SECS}); raise it or set 0"
            ),
        ));
    }
    Ok(SessionRules {
        lifetime_secs,
        remember_days: remember_days as u32,
        default_refresh_lifetime_secs,
    })
}
