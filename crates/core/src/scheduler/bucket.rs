//! The token bucket every tab of the browser draws from: `requests_per_minute` tokens, refilled
//! evenly over the minute. Background calls leave the reserve (and a token for each foreground
//! call queued in their tab) untouched; a 429 empties the bucket and pauses it until its
//! Retry-After, because then the server, not this browser's count, knows the truth (other people
//! share the client id).

use super::Priority;

const MINUTE_MS: f64 = 60_000.0;

/// The budget config.json sets (`api_requests_per_minute`, `api_reserve_percent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub requests_per_minute: u32,
    pub reserve_percent: u8,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            requests_per_minute: super::DEFAULT_REQUESTS_PER_MINUTE,
            reserve_percent: super::DEFAULT_RESERVE_PERCENT,
        }
    }
}

impl Budget {
    fn capacity(&self) -> f64 {
        f64::from(self.requests_per_minute.max(1))
    }

    /// Whole tokens kept for foreground calls, rounded down so that a reserve of at most 90 %
    /// always leaves background work at least one token of a full bucket.
    pub fn reserve_tokens(&self) -> u32 {
        self.requests_per_minute.max(1) * u32::from(self.reserve_percent.min(100)) / 100
    }
}

/// Until when (epoch ms) a call must wait before it asks again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    pub until_ms: u64,
    /// The wait is a 429's pause (shown as the countdown), not an empty bucket.
    pub paused: bool,
}

/// What the tabs share: tokens left, when they were last counted, and until when a 429 pauses
/// every call. Small on purpose: it is read and written under a lock on every call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketState {
    pub tokens: f64,
    pub refilled_at_ms: u64,
    pub paused_until_ms: u64,
}

impl BucketState {
    /// A full bucket: a browser that has not called yet may spend the whole minute's budget.
    pub fn full(budget: &Budget, now_ms: u64) -> BucketState {
        BucketState {
            tokens: budget.capacity(),
            refilled_at_ms: now_ms,
            paused_until_ms: 0,
        }
    }

    /// Adds what the time since the last count earned, up to the capacity. A count in the future
    /// (a pause still running) earns nothing yet.
    fn refill(&mut self, budget: &Budget, now_ms: u64) {
        if now_ms > self.refilled_at_ms {
            let earned = (now_ms - self.refilled_at_ms) as f64 * budget.capacity() / MINUTE_MS;
            self.tokens = (self.tokens + earned).min(budget.capacity());
            self.refilled_at_ms = now_ms;
        }
        // A smaller budget than the one the state was counted with (config.json changed).
        self.tokens = self.tokens.min(budget.capacity());
    }

    /// Takes one token for a call of `priority`, or says until when to wait. `foreground_queued`
    /// counts the foreground calls of the caller's tab already waiting: a background call leaves
    /// a token for each of them, so within a tab what the person looks at goes first.
    pub fn take(
        &mut self,
        budget: &Budget,
        priority: Priority,
        foreground_queued: u32,
        now_ms: u64,
    ) -> Result<(), Wait> {
        if now_ms < self.paused_until_ms {
            return Err(Wait {
                until_ms: self.paused_until_ms,
                paused: true,
            });
        }
        self.refill(budget, now_ms);
        let keep = match priority {
            Priority::Foreground => 0.0,
            Priority::Background => f64::from(budget.reserve_tokens() + foreground_queued),
        };
        // A background call asking for more than a full bucket can hold still gets the last token
        // of one, so it waits, but never forever.
        let needed = (keep + 1.0).min(budget.capacity());
        if self.tokens >= needed {
            self.tokens -= 1.0;
            return Ok(());
        }
        let missing = needed - self.tokens;
        let wait_ms = (missing * MINUTE_MS / budget.capacity()).ceil() as u64;
        Err(Wait {
            until_ms: now_ms + wait_ms.max(1),
            paused: false,
        })
    }

    /// A 429 answered: no call until `until_ms`, and the bucket starts empty after it.
    pub fn pause(&mut self, until_ms: u64) {
        self.paused_until_ms = self.paused_until_ms.max(until_ms);
        self.tokens = 0.0;
        self.refilled_at_ms = self.refilled_at_ms.max(self.paused_until_ms);
    }

    /// Until when a 429's pause runs, if it still does at `now_ms`.
    pub fn paused_at(&self, now_ms: u64) -> Option<u64> {
        (now_ms < self.paused_until_ms).then_some(self.paused_until_ms)
    }

    /// `tokens refilled_at paused_until`, the text kept in localStorage.
    pub fn encode(&self) -> String {
        format!(
            "{} {} {}",
            self.tokens, self.refilled_at_ms, self.paused_until_ms
        )
    }

    /// The stored state, or a full bucket when there is none or it does not read (written by
    /// another build, edited by hand): a wrong guess costs at most one 429, which then pauses.
    pub fn decode_or_full(text: Option<&str>, budget: &Budget, now_ms: u64) -> BucketState {
        text.and_then(Self::decode)
            .unwrap_or_else(|| Self::full(budget, now_ms))
    }

    fn decode(text: &str) -> Option<BucketState> {
        let mut parts = text.split(' ');
        let tokens: f64 = parts.next()?.parse().ok()?;
        let refilled_at_ms = parts.next()?.parse().ok()?;
        let paused_until_ms = parts.next()?.parse().ok()?;
        (parts.next().is_none() && tokens.is_finite() && tokens >= 0.0).then_some(BucketState {
            tokens,
            refilled_at_ms,
            paused_until_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_700_000_000_000;

    fn budget(requests_per_minute: u32, reserve_percent: u8) -> Budget {
        Budget {
            requests_per_minute,
            reserve_percent,
        }
    }

    #[test]
    fn a_full_bucket_grants_the_minutes_budget_then_says_when_the_next_token_comes() {
        let b = budget(60, 0);
        let mut state = BucketState::full(&b, T0);
        for _ in 0..60 {
            assert_eq!(state.take(&b, Priority::Foreground, 0, T0), Ok(()));
        }
        let wait = state.take(&b, Priority::Foreground, 0, T0).unwrap_err();
        assert_eq!(
            wait,
            Wait {
                until_ms: T0 + 1_000,
                paused: false
            }
        );
        assert_eq!(state.take(&b, Priority::Foreground, 0, T0 + 1_000), Ok(()));
    }

    #[test]
    fn no_more_than_the_limit_is_granted_in_any_minute() {
        let b = budget(50, 20);
        let mut state = BucketState::full(&b, T0);
        let mut granted = Vec::new();
        // A caller that asks every 100 ms for three minutes, alternating priorities.
        for step in 0..1_800u64 {
            let now = T0 + step * 100;
            let priority = if step % 2 == 0 {
                Priority::Foreground
            } else {
                Priority::Background
            };
            if state.take(&b, priority, 0, now).is_ok() {
                granted.push(now);
            }
        }
        // A full bucket may spend its capacity at once and then earns the limit per minute:
        // never more than twice the limit in a sliding minute, and the limit on average.
        for (i, start) in granted.iter().enumerate() {
            let in_minute = granted[i..]
                .iter()
                .take_while(|t| **t < start + 60_000)
                .count();
            assert!(
                in_minute <= 100,
                "{in_minute} calls in the minute from {start}"
            );
        }
        let after_first_minute = granted.iter().filter(|t| **t >= T0 + 60_000).count();
        assert!(
            (95..=101).contains(&after_first_minute),
            "{after_first_minute}"
        );
    }

    #[test]
    fn background_calls_leave_the_reserve_to_foreground_calls() {
        let b = budget(10, 20);
        assert_eq!(b.reserve_tokens(), 2);
        let mut state = BucketState::full(&b, T0);
        for _ in 0..8 {
            assert_eq!(state.take(&b, Priority::Background, 0, T0), Ok(()));
        }
        assert!(state.take(&b, Priority::Background, 0, T0).is_err());
        assert_eq!(state.take(&b, Priority::Foreground, 0, T0), Ok(()));
        assert_eq!(state.take(&b, Priority::Foreground, 0, T0), Ok(()));
        assert!(state.take(&b, Priority::Foreground, 0, T0).is_err());
    }

    #[test]
    fn a_background_call_yields_to_the_foreground_calls_queued_in_its_tab() {
        let b = budget(10, 0);
        let mut state = BucketState::full(&b, T0);
        for _ in 0..8 {
            state.take(&b, Priority::Foreground, 0, T0).unwrap();
        }
        // Two tokens left, two foreground calls queued: the background call waits for a third.
        let wait = state.take(&b, Priority::Background, 2, T0).unwrap_err();
        assert_eq!(wait.until_ms, T0 + 6_000);
        assert_eq!(state.take(&b, Priority::Background, 1, T0), Ok(()));
    }

    #[test]
    fn a_reserve_never_starves_background_work() {
        let b = budget(1, 90);
        assert_eq!(b.reserve_tokens(), 0);
        let b = budget(3, 90);
        let mut state = BucketState::full(&b, T0);
        // More foreground calls queued than the bucket holds: the background call still gets
        // the last token of a full bucket.
        assert_eq!(state.take(&b, Priority::Background, 10, T0), Ok(()));
    }

    #[test]
    fn a_429_pauses_every_call_until_retry_after_and_the_bucket_restarts_empty() {
        let b = budget(60, 0);
        let mut state = BucketState::full(&b, T0);
        state.pause(T0 + 2_000);
        assert_eq!(state.paused_at(T0 + 1_999), Some(T0 + 2_000));
        assert_eq!(state.paused_at(T0 + 2_000), None);
        for priority in [Priority::Foreground, Priority::Background] {
            let wait = state.take(&b, priority, 0, T0 + 10).unwrap_err();
            assert_eq!(
                wait,
                Wait {
                    until_ms: T0 + 2_000,
                    paused: true
                }
            );
        }
        // At the end of the pause nothing has been earned yet: one token a second from then on.
        let wait = state
            .take(&b, Priority::Foreground, 0, T0 + 2_000)
            .unwrap_err();
        assert_eq!(
            wait,
            Wait {
                until_ms: T0 + 3_000,
                paused: false
            }
        );
        assert_eq!(state.take(&b, Priority::Foreground, 0, T0 + 3_000), Ok(()));
        // A shorter Retry-After never shortens a pause already running.
        state.pause(T0 + 10_000);
        state.pause(T0 + 5_000);
        assert_eq!(state.paused_until_ms, T0 + 10_000);
    }

    #[test]
    fn the_shared_state_round_trips_and_unreadable_text_is_a_full_bucket() {
        let b = budget(300, 20);
        let state = BucketState {
            tokens: 12.345,
            refilled_at_ms: T0,
            paused_until_ms: T0 + 5,
        };
        assert_eq!(
            BucketState::decode_or_full(Some(&state.encode()), &b, T0),
            state
        );
        for text in [
            None,
            Some(""),
            Some("1 2"),
            Some("x 1 2"),
            Some("-1 1 2"),
            Some("1 2 3 4"),
            Some("NaN 1 2"),
        ] {
            assert_eq!(
                BucketState::decode_or_full(text, &b, T0),
                BucketState::full(&b, T0),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_smaller_budget_caps_tokens_counted_under_a_larger_one() {
        let large = budget(300, 0);
        let small = budget(5, 0);
        let mut state = BucketState::full(&large, T0);
        for _ in 0..5 {
            state.take(&small, Priority::Foreground, 0, T0).unwrap();
        }
        assert!(state.take(&small, Priority::Foreground, 0, T0).is_err());
    }
}
