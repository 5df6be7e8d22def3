//! A small per-client-IP token bucket. tower's `RateLimitLayer` is global and does not hold under axum
//! (the router clones services), so the proxy keys its own buckets by client address.
//!
//! IPv6 clients are keyed by their /64: one subscriber, one site or one cloud instance is routinely
//! handed a whole /64 and picks addresses in it freely (privacy extensions rotate them anyway), so a
//! bucket per single address would let one client mint a fresh bucket per request.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
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
        let bucket = buckets.entry(client.map(bucket_key)).or_insert(Bucket {
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

/// The address a bucket is kept for: an IPv4 address as it is (also when it arrives IPv4-mapped, as a
/// dual-stack socket reports it), an IPv6 address cut to its /64 network.
pub fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(network))
            }
        },
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

    #[test]
    fn ipv6_clients_share_a_bucket_per_64_network() {
        let limiter = RateLimiter::per_minute(2);
        let start = Instant::now();
        let ip = |text: &str| Some(text.parse::<IpAddr>().unwrap());
        assert!(limiter.check(ip("2001:db8:1:2::1"), start).is_ok());
        assert!(
            limiter
                .check(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), start)
                .is_ok()
        );
        assert_eq!(
            limiter.check(ip("2001:db8:1:2:abcd::7"), start),
            Err(30),
            "a third address in the same /64 draws on the same bucket"
        );
        assert!(
            limiter.check(ip("2001:db8:1:3::1"), start).is_ok(),
            "the neighbouring /64 is another client"
        );
    }

    #[test]
    fn ipv4_mapped_addresses_are_keyed_as_ipv4() {
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(bucket_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
        let other_mapped: IpAddr = "::ffff:192.0.2.8".parse().unwrap();
        assert_ne!(bucket_key(mapped), bucket_key(other_mapped));
        assert_eq!(
            bucket_key("2001:db8::1".parse().unwrap()),
            "2001:db8::".parse::<IpAddr>().unwrap()
        );
    }
}
