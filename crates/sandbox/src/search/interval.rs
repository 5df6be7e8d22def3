//! `aggregationInterval: {interval, timezone}`: the documented intervals, which of them a span
//! allows, and bucket starts in an IANA time zone (default UTC), as the reference's interval
//! table gives them. Weeks start on Monday (Elasticsearch's calendar week; Cisco does not say).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    FifteenMinutes,
    ThirtyMinutes,
    Hourly,
    Daily,
    Weekly,
    Monthly,
}

pub const INTERVAL_NAMES: &[&str] = &[
    "FIFTEEN_MINUTES",
    "THIRTY_MINUTES",
    "HOURLY",
    "DAILY",
    "WEEKLY",
    "MONTHLY",
];

const DAY_MS: i64 = 86_400_000;

impl Interval {
    pub fn parse(name: &str) -> Option<Interval> {
        Some(match name {
            "FIFTEEN_MINUTES" => Interval::FifteenMinutes,
            "THIRTY_MINUTES" => Interval::ThirtyMinutes,
            "HOURLY" => Interval::Hourly,
            "DAILY" => Interval::Daily,
            "WEEKLY" => Interval::Weekly,
            "MONTHLY" => Interval::Monthly,
            _ => return None,
        })
    }

    /// Whether the reference's table allows this interval for a span of `span_ms`.
    pub fn allowed_for(self, span_ms: i64) -> bool {
        match self {
            Interval::FifteenMinutes => span_ms <= DAY_MS,
            Interval::ThirtyMinutes | Interval::Hourly => span_ms <= 7 * DAY_MS,
            Interval::Daily | Interval::Weekly | Interval::Monthly => true,
        }
    }

    fn fixed_ms(self) -> Option<i64> {
        match self {
            Interval::FifteenMinutes => Some(15 * 60_000),
            Interval::ThirtyMinutes => Some(30 * 60_000),
            Interval::Hourly => Some(60 * 60_000),
            _ => None,
        }
    }
}

/// Puts instants into the buckets of one interval in one zone.
#[derive(Debug, Clone, Copy)]
pub struct Bucketer {
    pub interval: Interval,
    pub zone: Tz,
}

impl Bucketer {
    /// A zone name as `timezone` gives it (`None`: UTC); an unknown name is refused.
    pub fn new(interval: Interval, zone: Option<&str>) -> Result<Bucketer, String> {
        let zone = match zone {
            None => Tz::UTC,
            Some(name) => name.parse::<Tz>().map_err(|_| {
                format!("timezone {name:?} is not an IANA time zone name (e.g. \"Europe/Berlin\")")
            })?,
        };
        Ok(Bucketer { interval, zone })
    }

    /// Start (epoch ms) of the bucket containing `ms`, on the zone's wall clock.
    pub fn start(&self, ms: i64) -> i64 {
        let Some(instant) = Utc.timestamp_millis_opt(ms).single() else {
            return ms;
        };
        let local = instant.with_timezone(&self.zone);
        if let Some(size) = self.interval.fixed_ms() {
            // Offsets are whole minutes; quarter hours of the wall clock are what clients chart.
            let offset_ms = i64::from(chrono::Offset::fix(local.offset()).local_minus_utc()) * 1000;
            let wall = ms + offset_ms;
            return wall - wall.rem_euclid(size) - offset_ms;
        }
        let date = local.date_naive();
        let first = match self.interval {
            Interval::Weekly => {
                date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
            }
            Interval::Monthly => {
                NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap_or(date)
            }
            _ => date,
        };
        self.midnight(first)
    }

    /// The first instant of `date` in the zone (the earliest, where a clock change repeats it;
    /// the first existing one, where it skips midnight).
    fn midnight(&self, date: NaiveDate) -> i64 {
        let mut at = NaiveDateTime::new(date, NaiveTime::MIN);
        for _ in 0..4 {
            if let Some(t) = self.zone.from_local_datetime(&at).earliest() {
                return t.timestamp_millis();
            }
            at += Duration::minutes(30);
        }
        at.and_utc().timestamp_millis()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-02T08:40:00Z, a Monday.
    const MONDAY_0840: i64 = 1_772_440_800_000;

    #[test]
    fn buckets_follow_the_wall_clock_of_the_zone() {
        let utc = Bucketer::new(Interval::FifteenMinutes, None).unwrap();
        assert_eq!(utc.start(MONDAY_0840), MONDAY_0840 - 10 * 60_000);
        // India is UTC+05:30: 14:10 local, whose hour began at 14:00 local = 08:30Z.
        let kolkata = Bucketer::new(Interval::Hourly, Some("Asia/Kolkata")).unwrap();
        assert_eq!(kolkata.start(MONDAY_0840), MONDAY_0840 - 10 * 60_000);
        let day = Bucketer::new(Interval::Daily, Some("America/New_York")).unwrap();
        // 03:40 in New York (UTC-5): the day began at 05:00Z.
        assert_eq!(day.start(MONDAY_0840), 1_772_427_600_000);
        let week = Bucketer::new(Interval::Weekly, None).unwrap();
        assert_eq!(week.start(MONDAY_0840 + 3 * DAY_MS), 1_772_409_600_000);
        let month = Bucketer::new(Interval::Monthly, None).unwrap();
        assert_eq!(month.start(MONDAY_0840), 1_772_323_200_000);
        assert!(Bucketer::new(Interval::Daily, Some("Mars/Olympus")).is_err());
    }

    #[test]
    fn the_span_limits_the_intervals() {
        assert!(Interval::FifteenMinutes.allowed_for(DAY_MS));
        assert!(!Interval::FifteenMinutes.allowed_for(DAY_MS + 1));
        assert!(Interval::Hourly.allowed_for(7 * DAY_MS));
        assert!(!Interval::ThirtyMinutes.allowed_for(7 * DAY_MS + 1));
        assert!(Interval::Monthly.allowed_for(365 * DAY_MS));
    }
}
