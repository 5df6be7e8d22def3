//! A small per-client-IP token bucket. tower's `RateLimitLayer` is global and does not hold under axum
//! (the router clones services), so the proxy keys its own buckets by client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Past this many tracked clients, full buckets are dropped (they carry no information).
const MAX_TRACKED_CLIENTS: usize = 10_000;

#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    refill_per_second: f64,
    buckets: Mutex<HashMap<Option<IpAddr>, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// Allows a burst of `per_minute` requests, refilled evenly over a minute.
    pub fn per_minute(per_minute: u32) -> Self {
        let capacity = f64::from(per_minute.max(1));
        Self {
            capacity,
            refill_per_second: capacity / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` when the request may go ahead, else `Err(seconds to wait)`.
    /// `None` is the shared bucket for requests whose client address is unknown.
    pub fn check(&self, client: Option<IpAddr>, now: Instant) -> Result<(), u64> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_TRACKED_CLIENTS {
            let (capacity, rate) = (self.capacity, self.refill_per_second);
            buckets.retain(|_, b| refill(b, now, capacity, rate).tokens < capacity);
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.capacity,
            updated: now,
        });
        *bucket = refill(bucket, now, self.capacity, self.refill_per_second);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.refill_per_second;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

fn refill(bucket: &Bucket, now: Instant, capacity: f64, rate: f64) -> Bucket {
    let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
    Bucket {
        tokens: (bucket.tokens + elapsed * rate).min(capacity),
        updated: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn burst_then_refill_per_client() {
        let limiter = RateLimiter::per_minute(2);
        let start = Instant::now();
        let a = Some("10.0.0.1".parse().unwrap());
        let b = Some("10.0.0.2".parse().unwrap());
        assert!(limiter.check(a, start).is_ok());
        assert!(limiter.check(a, start).is_ok());
        assert_eq!(limiter.check(a, start), Err(30));
        assert!(
            limiter.check(b, start).is_ok(),
            "other clients are unaffected"
        );
        assert!(limiter.check(a, start + Duration::from_secs(30)).is_ok());
    }
}
