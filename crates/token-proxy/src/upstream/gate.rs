//! The identity service's "slow down", remembered: after a 429 the proxy holds every token call back
//! until the `Retry-After` it was given has passed, shared by all requests of this process. Passing
//! each request on would keep the service's limit tripped (and may lengthen the penalty) while every
//! user waits anyway.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long to hold back after a 429 that does not say (Webex normally sends `Retry-After`).
pub const DEFAULT_HOLD_SECS: u64 = 5;

#[derive(Debug, Default)]
pub struct UpstreamGate {
    closed_until: Mutex<Option<Instant>>,
}

impl UpstreamGate {
    /// `Ok` when a call may go out at `now`, else `Err(whole seconds until it may)`.
    pub fn check(&self, now: Instant) -> Result<(), u64> {
        let closed_until = *self.lock();
        match closed_until {
            Some(until) if until > now => {
                let left = until.duration_since(now);
                Err(left.as_secs() + u64::from(left.subsec_nanos() > 0))
            }
            _ => Ok(()),
        }
    }

    /// Holds calls back for `seconds` from `now`; an earlier, longer hold stays in force.
    pub fn close_for(&self, seconds: u64, now: Instant) {
        let until = now + Duration::from_secs(seconds);
        let mut closed_until = self.lock();
        if closed_until.is_none_or(|current| current < until) {
            *closed_until = Some(until);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.closed_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_until_closed_then_closed_for_the_given_seconds() {
        let gate = UpstreamGate::default();
        let start = Instant::now();
        assert_eq!(gate.check(start), Ok(()));
        gate.close_for(30, start);
        assert_eq!(gate.check(start), Err(30));
        assert_eq!(gate.check(start + Duration::from_millis(100)), Err(30));
        assert_eq!(gate.check(start + Duration::from_secs(29)), Err(1));
        assert_eq!(gate.check(start + Duration::from_secs(30)), Ok(()));
    }

    #[test]
    fn a_shorter_hold_does_not_shorten_a_longer_one() {
        let gate = UpstreamGate::default();
        let start = Instant::now();
        gate.close_for(60, start);
        gate.close_for(5, start + Duration::from_secs(1));
        assert_eq!(gate.check(start + Duration::from_secs(10)), Err(50));
        gate.close_for(120, start + Duration::from_secs(10));
        assert_eq!(gate.check(start + Duration::from_secs(10)), Err(120));
    }
}
