//! Expiry maths on absolute times (ms since the Unix epoch), so a sleeping laptop or a reloaded
//! tab sees the right remaining time.

/// When a token expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expiry {
    pub at_ms: u64,
}

impl Expiry {
    /// From a token response's `expires_in` (seconds) received at `now_ms`.
    pub fn from_expires_in(expires_in_secs: u64, now_ms: u64) -> Expiry {
        Expiry {
            at_ms: now_ms.saturating_add(expires_in_secs.saturating_mul(1000)),
        }
    }

    /// Milliseconds left, 0 once expired.
    pub fn remaining_ms(&self, now_ms: u64) -> u64 {
        self.at_ms.saturating_sub(now_ms)
    }

    /// Expired at or after `at_ms`.
    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.at_ms
    }

    /// Time to refresh proactively: less than `skew_ms` left (or already expired).
    pub fn refresh_due(&self, now_ms: u64, skew_ms: u64) -> bool {
        self.remaining_ms(now_ms) <= skew_ms
    }
}

/// Countdown text: `13d 23h 59m`, `5h 03m`, `4m 05s`, or `expired` at 0.
///
/// Seconds are rounded up, so the display never reads `0m 00s` while the token is still valid.
pub fn format_remaining(remaining_ms: u64) -> String {
    if remaining_ms == 0 {
        return "expired".to_owned();
    }
    let secs = remaining_ms.div_ceil(1000);
    let (days, hours, minutes, seconds) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    if days > 0 {
        format!("{days}d {hours}h {minutes}m")
    } else if hours > 0 {
        format!("{hours}h {minutes:02}m")
    } else {
        format!("{minutes}m {seconds:02}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000_000;

    #[test]
    fn expiry_from_expires_in() {
        let expiry = Expiry::from_expires_in(3600, NOW);
        assert_eq!(expiry.at_ms, NOW + 3_600_000);
        assert_eq!(expiry.remaining_ms(NOW), 3_600_000);
        assert_eq!(expiry.remaining_ms(NOW + 4_000_000), 0);
        assert!(!expiry.is_expired(NOW + 3_599_999));
        assert!(expiry.is_expired(NOW + 3_600_000));
        assert_eq!(Expiry::from_expires_in(u64::MAX, NOW).at_ms, u64::MAX);
    }

    #[test]
    fn refresh_is_due_inside_the_skew() {
        let expiry = Expiry::from_expires_in(300, NOW);
        assert!(!expiry.refresh_due(NOW, 60_000));
        assert!(!expiry.refresh_due(NOW + 239_999, 60_000));
        assert!(expiry.refresh_due(NOW + 240_000, 60_000));
        assert!(expiry.refresh_due(NOW + 999_999, 60_000));
    }

    #[test]
    fn formats_countdowns() {
        assert_eq!(format_remaining(0), "expired");
        assert_eq!(format_remaining(1), "0m 01s");
        assert_eq!(format_remaining(245_000), "4m 05s");
        assert_eq!(format_remaining(3_600_000), "1h 00m");
        assert_eq!(format_remaining(5 * 3_600_000 + 3 * 60_000), "5h 03m");
        assert_eq!(format_remaining(14 * 86_400_000 - 60_000), "13d 23h 59m");
        assert_eq!(format_remaining(14 * 86_400_000), "14d 0h 0m");
    }
}
