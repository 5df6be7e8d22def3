//! The token bucket every tab of the browser draws from: `requests_per_minute` tokens, and each
//! token spent comes back one window (a minute and a margin) after it was spent. So no minute, however
//! it is cut, holds more calls than the limit: Webex does not document how it counts its per-client
//! minute (a fixed window, a sliding one), and a bucket refilled evenly could spend twice the limit
//! in the minute a fixed-window server counts. Background calls leave the reserve (and a token for
//! each foreground call queued in their tab) untouched; a 429 empties the bucket and pauses it until
//! its Retry-After, because then the server, not this browser's count, knows the truth (other people
//! share the client id).

use super::Priority;

/// How long a spent token stays spent: a minute, and a second for the time between this browser
/// sending a call and the server counting it.
pub const WINDOW_MS: u64 = 61_000;

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
    fn capacity(&self) -> usize {
        self.requests_per_minute.max(1) as usize
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

/// What the tabs share: when each token still out was spent (oldest first), and until when a 429
/// pauses every call. Read and written under a lock on every call; at most the limit's count of
/// times.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BucketState {
    pub spent_at_ms: Vec<u64>,
    pub paused_until_ms: u64,
}

impl BucketState {
    /// A full bucket: a browser that has not called yet may spend the whole minute's budget.
    pub fn full() -> BucketState {
        BucketState::default()
    }

    /// Forgets the tokens that have come back by `now_ms`, and the oldest ones past the capacity
    /// (a smaller budget than the one the state was counted with: config.json changed).
    fn refill(&mut self, budget: &Budget, now_ms: u64) {
        self.spent_at_ms.retain(|at| at + WINDOW_MS > now_ms);
        let over = self.spent_at_ms.len().saturating_sub(budget.capacity());
        self.spent_at_ms.drain(..over);
    }

    /// Tokens left at `now_ms`.
    pub fn tokens(&mut self, budget: &Budget, now_ms: u64) -> usize {
        self.refill(budget, now_ms);
        budget.capacity() - self.spent_at_ms.len()
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
        let tokens = self.tokens(budget, now_ms);
        let keep = match priority {
            Priority::Foreground => 0,
            Priority::Background => (budget.reserve_tokens() + foreground_queued) as usize,
        };
        // A background call asking for more than a full bucket can hold still gets the last token
        // of one, so it waits, but never forever.
        let needed = (keep + 1).min(budget.capacity());
        if tokens >= needed {
            self.spent_at_ms.push(now_ms);
            return Ok(());
        }
        // The tokens missing come back in the order they were spent.
        let missing = needed - tokens;
        let back_at = self.spent_at_ms[missing - 1] + WINDOW_MS;
        Err(Wait {
            until_ms: back_at.max(now_ms + 1),
            paused: false,
        })
    }

    /// A 429 answered: no call until `until_ms`, and the bucket is empty then, its tokens coming
    /// back evenly over the window after it.
    pub fn pause(&mut self, budget: &Budget, until_ms: u64) {
        self.paused_until_ms = self.paused_until_ms.max(until_ms);
        let capacity = budget.capacity() as u64;
        let start = self.paused_until_ms.saturating_sub(WINDOW_MS);
        self.spent_at_ms = (1..=capacity)
            .map(|i| start + i * WINDOW_MS / capacity)
            .collect();
    }

    /// Until when a 429's pause runs, if it still does at `now_ms`.
    pub fn paused_at(&self, now_ms: u64) -> Option<u64> {
        (now_ms < self.paused_until_ms).then_some(self.paused_until_ms)
    }

    /// `paused_until spent spent …` (the spent times as ms after the first, oldest first), the text
    /// kept in localStorage.
    pub fn encode(&self) -> String {
        let mut text = self.paused_until_ms.to_string();
        let first = self.spent_at_ms.first().copied().unwrap_or(0);
        for (i, at) in self.spent_at_ms.iter().enumerate() {
            let value = if i == 0 { *at } else { at - first };
            text.push(' ');
            text.push_str(&value.to_string());
        }
        text
    }

    /// The stored state, or a full bucket when there is none or it does not read (written by
    /// another build, edited by hand): a wrong guess costs at most one 429, which then pauses.
    pub fn decode_or_full(text: Option<&str>) -> BucketState {
        text.and_then(Self::decode).unwrap_or_else(Self::full)
    }

    fn decode(text: &str) -> Option<BucketState> {
        let mut parts = text.split(' ');
        let paused_until_ms = parts.next()?.parse().ok()?;
        let mut spent_at_ms: Vec<u64> = Vec::new();
        for part in parts {
            let value: u64 = part.parse().ok()?;
            let at = match spent_at_ms.first() {
                Some(first) => first.checked_add(value)?,
                None => value,
            };
            if spent_at_ms.last().is_some_and(|last| at < *last) {
                return None;
            }
            spent_at_ms.push(at);
        }
        Some(BucketState {
            spent_at_ms,
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
    fn a_full_bucket_grants_the_minutes_budget_then_says_when_the_first_token_comes_back() {
        let b = budget(60, 0);
        let mut state = BucketState::full();
        for i in 0..60 {
            assert_eq!(state.take(&b, Priority::Foreground, 0, T0 + i), Ok(()));
        }
        let wait = state
            .take(&b, Priority::Foreground, 0, T0 + 100)
            .unwrap_err();
        assert_eq!(
            wait,
            Wait {
                until_ms: T0 + WINDOW_MS,
                paused: false
            }
        );
        assert_eq!(
            state.take(&b, Priority::Foreground, 0, T0 + WINDOW_MS),
            Ok(())
        );
        assert!(
            state
                .take(&b, Priority::Foreground, 0, T0 + WINDOW_MS)
                .is_err()
        );
    }

    /// The promise that lets three tabs share a low limit with no 429 from a fixed-window server:
    /// however the minute is cut, it holds at most the limit's count of calls.
    #[test]
    fn no_minute_holds_more_calls_than_the_limit() {
        let b = budget(50, 20);
        let mut state = BucketState::full();
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
        for (i, start) in granted.iter().enumerate() {
            let in_minute = granted[i..]
                .iter()
                .take_while(|t| **t < start + WINDOW_MS)
                .count();
            assert!(
                in_minute <= 50,
                "{in_minute} calls in the window from {start}"
            );
        }
        // And the limit is spent: three windows' worth over three minutes, near enough.
        assert!((140..=150).contains(&granted.len()), "{}", granted.len());
    }

    #[test]
    fn background_calls_leave_the_reserve_to_foreground_calls() {
        let b = budget(10, 20);
        assert_eq!(b.reserve_tokens(), 2);
        let mut state = BucketState::full();
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
        let mut state = BucketState::full();
        for i in 0..8 {
            state
                .take(&b, Priority::Foreground, 0, T0 + i * 1_000)
                .unwrap();
        }
        // Two tokens left, two foreground calls queued: the background call waits for a third,
        // the first spent, back one window after it was spent.
        let wait = state
            .take(&b, Priority::Background, 2, T0 + 9_000)
            .unwrap_err();
        assert_eq!(wait.until_ms, T0 + WINDOW_MS);
        assert_eq!(state.take(&b, Priority::Background, 1, T0 + 9_000), Ok(()));
    }

    #[test]
    fn a_reserve_never_starves_background_work() {
        let b = budget(1, 90);
        assert_eq!(b.reserve_tokens(), 0);
        let b = budget(3, 90);
        let mut state = BucketState::full();
        // More foreground calls queued than the bucket holds: the background call still gets
        // the last token of a full bucket.
        assert_eq!(state.take(&b, Priority::Background, 10, T0), Ok(()));
    }

    #[test]
    fn a_429_pauses_every_call_until_retry_after_and_the_bucket_restarts_empty() {
        let b = budget(60, 0);
        let mut state = BucketState::full();
        state.pause(&b, T0 + 2_000);
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
        // At the end of the pause nothing has come back yet: a token every window/60 from then on.
        let step = WINDOW_MS / 60;
        let wait = state
            .take(&b, Priority::Foreground, 0, T0 + 2_000)
            .unwrap_err();
        assert_eq!(
            wait,
            Wait {
                until_ms: T0 + 2_000 + step,
                paused: false
            }
        );
        assert_eq!(
            state.take(&b, Priority::Foreground, 0, T0 + 2_000 + step),
            Ok(())
        );
        // A shorter Retry-After never shortens a pause already running.
        state.pause(&b, T0 + 10_000);
        state.pause(&b, T0 + 5_000);
        assert_eq!(state.paused_until_ms, T0 + 10_000);
    }

    #[test]
    fn the_shared_state_round_trips_and_unreadable_text_is_a_full_bucket() {
        let state = BucketState {
            spent_at_ms: vec![T0, T0, T0 + 7, T0 + 60_000],
            paused_until_ms: T0 + 5,
        };
        let text = state.encode();
        assert_eq!(BucketState::decode_or_full(Some(&text)), state);
        assert_eq!(
            BucketState::decode_or_full(Some(&BucketState::full().encode())),
            BucketState::full()
        );
        for text in [
            None,
            Some(""),
            Some("x"),
            Some("0 5 x"),
            Some("0 -1"),
            Some("0 100 7 3"),
            Some("0 18446744073709551615 1"),
        ] {
            assert_eq!(
                BucketState::decode_or_full(text),
                BucketState::full(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_smaller_budget_caps_tokens_counted_under_a_larger_one() {
        let large = budget(300, 0);
        let small = budget(5, 0);
        let mut state = BucketState::full();
        for _ in 0..100 {
            state.take(&large, Priority::Foreground, 0, T0).unwrap();
        }
        assert_eq!(state.tokens(&small, T0), 0);
        assert!(state.take(&small, Priority::Foreground, 0, T0).is_err());
    }
}
