//! How long a session lives: the configured rules. Pure, no I/O.

/// Webex's refresh-token lifetime (90 days), assumed when the identity service does not say.
pub const DEFAULT_REFRESH_LIFETIME_SECS: u64 = 90 * 24 * 60 * 60;

/// The proxy's session rules, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    /// The refresh-token lifetime assumed when a token answer has no `refresh_token_expires_in`
    /// (a standard OAuth 2.0 server need not send it; Webex does).
    pub default_refresh_lifetime_secs: u64,
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            default_refresh_lifetime_secs: DEFAULT_REFRESH_LIFETIME_SECS,
        }
    }
}
