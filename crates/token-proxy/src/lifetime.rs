//! How long a session lives: the configured rules, and the times every sealed session carries. Pure,
//! no I/O.
//!
//! A session begins at sign-in and ends at an absolute time fixed then: the configured lifetime later
//! (or, when the user asked to be remembered and the proxy allows it, the configured number of days
//! later), and sooner when the refresh token expires first. Refreshing never moves the end (it is not
//! sliding).

use crate::mode::SessionMode;

/// Webex's refresh-token lifetime (90 days), assumed when the identity service does not say.
pub const DEFAULT_REFRESH_LIFETIME_SECS: u64 = 90 * 24 * 60 * 60;
/// The default absolute lifetime of a session: a working day (12 hours).
pub const DEFAULT_SESSION_LIFETIME_SECS: u64 = 12 * 60 * 60;
pub const DAY_SECS: u64 = 24 * 60 * 60;

/// The proxy's session rules, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    /// How long after sign-in a session ends, at the latest.
    pub lifetime_secs: u64,
    /// How many days "keep me signed in" keeps a cookie-mode session; 0: not offered.
    pub remember_days: u32,
    /// The refresh-token lifetime assumed when a token answer has no `refresh_token_expires_in`
    /// (a standard OAuth 2.0 server need not send it; Webex does).
    pub default_refresh_lifetime_secs: u64,
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            lifetime_secs: DEFAULT_SESSION_LIFETIME_SECS,
            remember_days: 0,
            default_refresh_lifetime_secs: DEFAULT_REFRESH_LIFETIME_SECS,
        }
    }
}

/// When a session began and when it ends, sealed together with the refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    /// Sign-in time, unix seconds.
    pub issued_at: u64,
    /// The absolute end, unix seconds: past it the session is refused.
    pub ends_at: u64,
    /// Whether the cookie outlives the browser session ("keep me signed in").
    pub persistent: bool,
}

impl SessionRules {
    /// The days "keep me signed in" may last in `mode`: only a cookie can outlive the browser session
    /// (a handle lives in the tab's `sessionStorage`), so handle mode never offers it.
    pub fn remember_days_for(&self, mode: SessionMode) -> u32 {
        match mode {
            SessionMode::Cookie => self.remember_days,
            SessionMode::Handle => 0,
        }
    }

    /// The times of a session signed in at `now` whose refresh token expires at `refresh_expires_at`.
    /// It is persistent only when `remember` was asked for and `mode` offers it.
    pub fn start(
        &self,
        now: u64,
        refresh_expires_at: u64,
        remember: bool,
        mode: SessionMode,
    ) -> SessionTimes {
        let persistent = remember && self.remember_days_for(mode) > 0;
        SessionTimes {
            issued_at: now,
            ends_at: now
                .saturating_add(self.span(persistent, mode))
                .min(refresh_expires_at),
            persistent,
        }
    }

    /// An opened session's times under the rules in force now: a lifetime shortened (or "keep me
    /// signed in" turned off) since sign-in applies to existing sessions too. Never moves the end later.
    pub fn cap(&self, times: SessionTimes, mode: SessionMode) -> SessionTimes {
        let persistent = times.persistent && self.remember_days_for(mode) > 0;
        SessionTimes {
            issued_at: times.issued_at,
            ends_at: times
                .ends_at
                .min(times.issued_at.saturating_add(self.span(persistent, mode))),
            persistent,
        }
    }

    /// The longest a session may last.
    fn span(&self, persistent: bool, mode: SessionMode) -> u64 {
        if persistent {
            u64::from(self.remember_days_for(mode)) * DAY_SECS
        } else {
            self.lifetime_secs
        }
    }
}

impl SessionTimes {
    /// Seconds left until the end (0 once it has passed).
    pub fn remaining(&self, now: u64) -> u64 {
        self.ends_at.saturating_sub(now)
    }

    /// The same session with a renewed refresh token: it still ends no later than that token.
    pub fn within(self, refresh_expires_at: u64) -> Self {
        Self {
            ends_at: self.ends_at.min(refresh_expires_at),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionMode::{Cookie, Handle};

    fn rules() -> SessionRules {
        SessionRules {
            lifetime_secs: 1_000,
            remember_days: 2,
            ..SessionRules::default()
        }
    }

    #[test]
    fn a_session_ends_after_its_lifetime_or_with_its_refresh_token() {
        let times = rules().start(10_000, 500_000, false, Cookie);
        assert_eq!(times.issued_at, 10_000);
        assert_eq!(times.ends_at, 11_000);
        assert!(!times.persistent);
        assert_eq!(times.remaining(10_400), 600);
        assert_eq!(times.remaining(12_000), 0);
        assert_eq!(rules().start(10_000, 10_300, false, Cookie).ends_at, 10_300);
    }

    #[test]
    fn remembering_lasts_the_configured_days_in_cookie_mode_only() {
        let remembered = rules().start(10_000, 500_000, true, Cookie);
        assert!(remembered.persistent);
        assert_eq!(remembered.ends_at, 10_000 + 2 * DAY_SECS);
        assert_eq!(rules().start(10_000, 50_000, true, Cookie).ends_at, 50_000);

        let handle = rules().start(10_000, 500_000, true, Handle);
        assert!(!handle.persistent);
        assert_eq!(handle.ends_at, 11_000);

        let off = SessionRules {
            remember_days: 0,
            ..rules()
        };
        assert_eq!(
            off.start(10_000, 500_000, true, Cookie),
            rules().start(10_000, 500_000, false, Cookie)
        );
        assert_eq!(off.remember_days_for(Cookie), 0);
        assert_eq!(rules().remember_days_for(Cookie), 2);
        assert_eq!(rules().remember_days_for(Handle), 0);
    }

    #[test]
    fn renewal_never_moves_the_end_later() {
        let times = rules().start(10_000, 500_000, false, Cookie);
        assert_eq!(times.within(900_000), times);
        assert_eq!(times.within(10_500).ends_at, 10_500);
        assert_eq!(rules().cap(times, Cookie), times);
        let remembered = rules().start(10_000, 500_000, true, Cookie);
        assert_eq!(rules().cap(remembered, Cookie), remembered);
    }

    #[test]
    fn shortened_rules_apply_to_open_sessions() {
        let times = rules().start(10_000, 500_000, false, Cookie);
        let shorter = SessionRules {
            lifetime_secs: 300,
            ..rules()
        };
        assert_eq!(shorter.cap(times, Cookie).ends_at, 10_300);
        let longer = SessionRules {
            lifetime_secs: 9_000,
            ..rules()
        };
        assert_eq!(longer.cap(times, Cookie).ends_at, 11_000);

        // Remembering turned off: the session becomes a browser-session one with the plain lifetime.
        let remembered = rules().start(10_000, 500_000, true, Cookie);
        let off = SessionRules {
            remember_days: 0,
            ..rules()
        };
        let capped = off.cap(remembered, Cookie);
        assert!(!capped.persistent);
        assert_eq!(capped.ends_at, 11_000);
        let fewer_days = SessionRules {
            remember_days: 1,
            ..rules()
        };
        assert_eq!(
            fewer_days.cap(remembered, Cookie).ends_at,
            10_000 + DAY_SECS
        );
    }
}
