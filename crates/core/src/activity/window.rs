//! Time windows of the Activity page: the presets people pick (last hour, today, yesterday, the
//! last 7 and 30 days) and custom windows, computed from the browser's clock and UTC offset (the
//! core has no time-zone database), checked against what the Search API accepts, and the
//! aggregation interval each span is drawn in.

use crate::calendar::{civil_from_days, days_from_civil};

pub const MINUTE_MS: u64 = 60_000;
pub const HOUR_MS: u64 = 60 * MINUTE_MS;
pub const DAY_MS: u64 = 24 * HOUR_MS;
/// The Search API's longest span (`to - from`; the spec says 365 days, the GitHub guide 13
/// months: the shorter one is kept).
pub const MAX_SPAN_MS: u64 = 365 * DAY_MS;
/// How far back `from` may reach (spec: "no more than 36 months back").
pub const MAX_MONTHS_BACK: i64 = 36;

/// What the browser says about now: the clock, the UTC offset in minutes east of UTC (`+330` in
/// India, `-300` in New York in winter: the opposite sign of `Date.getTimezoneOffset()`), and the
/// IANA zone name (`Intl`), which the queries send as the aggregation time zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    pub now_ms: u64,
    pub utc_offset_minutes: i64,
    pub time_zone: String,
}

impl Clock {
    fn offset_ms(&self) -> i64 {
        self.utc_offset_minutes * MINUTE_MS as i64
    }

    /// The start of the local day `now` is in.
    fn local_midnight(&self) -> u64 {
        let local = self.now_ms as i64 + self.offset_ms();
        (local.div_euclid(DAY_MS as i64) * DAY_MS as i64 - self.offset_ms()).max(0) as u64
    }
}

/// The windows offered as one click.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    LastHour,
    Today,
    Yesterday,
    Last7Days,
    Last30Days,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::LastHour,
        Preset::Today,
        Preset::Yesterday,
        Preset::Last7Days,
        Preset::Last30Days,
    ];

    /// Its name in the address (`window=last-7-days`).
    pub fn slug(self) -> &'static str {
        match self {
            Preset::LastHour => "last-hour",
            Preset::Today => "today",
            Preset::Yesterday => "yesterday",
            Preset::Last7Days => "last-7-days",
            Preset::Last30Days => "last-30-days",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::LastHour => "Last hour",
            Preset::Today => "Today",
            Preset::Yesterday => "Yesterday",
            Preset::Last7Days => "Last 7 days",
            Preset::Last30Days => "Last 30 days",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

/// A window as the address holds it: a preset (resolved against now whenever it is shown) or two
/// fixed instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowChoice {
    Preset(Preset),
    Custom { from: u64, to: u64 },
}

impl Default for WindowChoice {
    fn default() -> Self {
        WindowChoice::Preset(Preset::Today)
    }
}

/// Two instants, epoch ms, `from` inclusive and `to` exclusive, as the API takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    pub from: u64,
    pub to: u64,
}

impl Window {
    pub fn span_ms(self) -> u64 {
        self.to.saturating_sub(self.from)
    }
}

impl WindowChoice {
    /// The instants of the choice at `clock`. A custom `to` in the future becomes now, as the API
    /// does with it.
    pub fn resolve(self, clock: &Clock) -> Window {
        let now = clock.now_ms;
        let today = clock.local_midnight();
        match self {
            WindowChoice::Preset(preset) => match preset {
                Preset::LastHour => Window {
                    from: now.saturating_sub(HOUR_MS),
                    to: now,
                },
                Preset::Today => Window {
                    from: today,
                    to: now,
                },
                // The day before today's local midnight; 23 or 25 hours on a daylight-saving day
                // are not modelled (the offset is today's).
                Preset::Yesterday => Window {
                    from: today.saturating_sub(DAY_MS),
                    to: today,
                },
                Preset::Last7Days => Window {
                    from: now.saturating_sub(7 * DAY_MS),
                    to: now,
                },
                Preset::Last30Days => Window {
                    from: now.saturating_sub(30 * DAY_MS),
                    to: now,
                },
            },
            WindowChoice::Custom { from, to } => Window {
                from,
                to: to.min(now),
            },
        }
    }
}

/// Why a window cannot be asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WindowProblem {
    Empty,
    TooLong { days: u64 },
    TooOld { earliest: u64 },
}

impl WindowProblem {
    /// What is wrong and what to do; `format_time` shows an instant in the browser's words.
    pub fn message(&self, format_time: &dyn Fn(u64) -> String) -> String {
        match self {
            WindowProblem::Empty => {
                "The window is empty: “To” must be after “From”, and “From” must not be in the future.".into()
            }
            WindowProblem::TooLong { days } => format!(
                "The window is {days} days long, but Webex Contact Center searches at most 365 days at once. \
                 Choose a shorter window."
            ),
            WindowProblem::TooOld { earliest } => format!(
                "Webex Contact Center keeps 36 months of history: “From” must be on or after {}.",
                format_time(*earliest)
            ),
        }
    }
}

/// The earliest `from` the API accepts at `now`: the same instant 36 months earlier (the day
/// clamped to the month's length, so 31 May goes to 31 May and 29 February to 28 February).
pub fn earliest_from(now: u64) -> u64 {
    let days = (now / DAY_MS) as i64;
    let (year, month, day) = civil_from_days(days);
    let months = year * 12 + (month - 1) - MAX_MONTHS_BACK;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    if year < 1970 {
        return 0;
    }
    let day = day.min(days_in_month(year, month));
    days_from_civil(year as u64, month as u64, day as u64) * DAY_MS + now % DAY_MS
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let next = if month == 12 {
        days_from_civil(year as u64 + 1, 1, 1)
    } else {
        days_from_civil(year as u64, month as u64 + 1, 1)
    };
    (next - days_from_civil(year as u64, month as u64, 1)) as i64
}

/// Checks a window before any call: not empty, at most 365 days, no more than 36 months back.
pub fn check(window: Window, now: u64) -> Result<(), WindowProblem> {
    if window.to <= window.from {
        Err(WindowProblem::Empty)
    } else if window.span_ms() > MAX_SPAN_MS {
        Err(WindowProblem::TooLong {
            days: window.span_ms().div_ceil(DAY_MS),
        })
    } else if window.from < earliest_from(now) {
        Err(WindowProblem::TooOld {
            earliest: earliest_from(now),
        })
    } else {
        Ok(())
    }
}

/// The time buckets of the per-interval chart, as `aggregationInterval` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    FifteenMinutes,
    ThirtyMinutes,
    Hourly,
    Daily,
}

impl Interval {
    /// The interval for a span: at most a few dozen bars, and one the API allows for it (15
    /// minutes only up to a day, 30 minutes and hours up to 7 days, days beyond).
    pub fn for_span(span_ms: u64) -> Interval {
        if span_ms <= 4 * HOUR_MS {
            Interval::FifteenMinutes
        } else if span_ms <= 12 * HOUR_MS {
            Interval::ThirtyMinutes
        } else if span_ms <= 2 * DAY_MS {
            Interval::Hourly
        } else {
            Interval::Daily
        }
    }

    /// The `IntervalData.interval` enum value.
    pub fn graphql_name(self) -> &'static str {
        match self {
            Interval::FifteenMinutes => "FIFTEEN_MINUTES",
            Interval::ThirtyMinutes => "THIRTY_MINUTES",
            Interval::Hourly => "HOURLY",
            Interval::Daily => "DAILY",
        }
    }

    pub fn ms(self) -> u64 {
        match self {
            Interval::FifteenMinutes => 15 * MINUTE_MS,
            Interval::ThirtyMinutes => 30 * MINUTE_MS,
            Interval::Hourly => HOUR_MS,
            Interval::Daily => DAY_MS,
        }
    }

    /// `per 15 minutes`, `per day`: for chart titles.
    pub fn per(self) -> &'static str {
        match self {
            Interval::FifteenMinutes => "per 15 minutes",
            Interval::ThirtyMinutes => "per 30 minutes",
            Interval::Hourly => "per hour",
            Interval::Daily => "per day",
        }
    }
}

/// The start of every bucket that overlaps `window`, in local time (buckets start on the local
/// quarter hour, hour or midnight, as the API buckets in the zone it is sent): the chart shows
/// empty buckets too, which the API leaves out.
pub fn buckets(window: Window, interval: Interval, utc_offset_minutes: i64) -> Vec<u64> {
    let step = interval.ms() as i64;
    let offset = utc_offset_minutes * MINUTE_MS as i64;
    let first = (window.from as i64 + offset).div_euclid(step) * step - offset;
    (0..)
        .map(|i| first + i * step)
        .take_while(|start| *start < window.to as i64)
        .filter(|start| *start >= 0)
        .map(|start| start as u64)
        .collect()
}

/// The bucket of `buckets` (evenly spaced by `step`) an answered `intervalStartTime` belongs to:
/// the nearest start, so a day of 23 or 25 hours still lands on its own bar.
pub fn bucket_of(buckets: &[u64], step: u64, start: u64) -> Option<usize> {
    let first = *buckets.first()?;
    if start + step / 2 < first {
        return None;
    }
    let index = ((start + step / 2 - first) / step) as usize;
    (index < buckets.len()).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-02 10:30 UTC, a Monday.
    const NOW: u64 = 1_772_409_600_000 + 10 * HOUR_MS + 30 * MINUTE_MS;

    fn clock(offset: i64) -> Clock {
        Clock {
            now_ms: NOW,
            utc_offset_minutes: offset,
            time_zone: "Asia/Kolkata".into(),
        }
    }

    #[test]
    fn presets_end_now_and_days_start_at_local_midnight() {
        let utc = clock(0);
        let at = |p| WindowChoice::Preset(p).resolve(&utc);
        assert_eq!(
            at(Preset::LastHour),
            Window {
                from: NOW - HOUR_MS,
                to: NOW
            }
        );
        assert_eq!(at(Preset::Today).from, 1_772_409_600_000);
        assert_eq!(at(Preset::Today).to, NOW);
        assert_eq!(
            at(Preset::Yesterday),
            Window {
                from: 1_772_409_600_000 - DAY_MS,
                to: 1_772_409_600_000
            }
        );
        assert_eq!(at(Preset::Last7Days).span_ms(), 7 * DAY_MS);
        assert_eq!(at(Preset::Last30Days).span_ms(), 30 * DAY_MS);
        // In India (UTC+5:30) it is 16:00, and the day began at 18:30 UTC the evening before.
        let india = WindowChoice::Preset(Preset::Today).resolve(&clock(330));
        assert_eq!(india.from, 1_772_409_600_000 - 5 * HOUR_MS - 30 * MINUTE_MS);
        // In New York (UTC-5) it is 05:30, the day began at 05:00 UTC.
        let new_york = WindowChoice::Preset(Preset::Today).resolve(&clock(-300));
        assert_eq!(new_york.from, 1_772_409_600_000 + 5 * HOUR_MS);
        for preset in Preset::ALL {
            assert_eq!(Preset::from_slug(preset.slug()), Some(preset));
            assert_eq!(check(at(preset), NOW), Ok(()), "{preset:?}");
        }
        assert_eq!(Preset::from_slug("last-year"), None);
    }

    #[test]
    fn custom_windows_end_no_later_than_now() {
        let w = WindowChoice::Custom {
            from: NOW - DAY_MS,
            to: NOW + DAY_MS,
        }
        .resolve(&clock(0));
        assert_eq!(w.to, NOW);
    }

    #[test]
    fn windows_are_checked_against_the_api_limits() {
        let w = |from, to| Window { from, to };
        assert_eq!(check(w(NOW - 365 * DAY_MS, NOW), NOW), Ok(()));
        assert_eq!(
            check(w(NOW - 366 * DAY_MS, NOW), NOW),
            Err(WindowProblem::TooLong { days: 366 })
        );
        assert_eq!(check(w(NOW, NOW), NOW), Err(WindowProblem::Empty));
        let earliest = earliest_from(NOW);
        assert_eq!(check(w(earliest, earliest + DAY_MS), NOW), Ok(()));
        assert_eq!(
            check(w(earliest - 1, earliest + DAY_MS), NOW),
            Err(WindowProblem::TooOld { earliest })
        );
        let message = WindowProblem::TooLong { days: 400 }.message(&|ms| ms.to_string());
        assert!(message.contains("400 days") && message.contains("365"));
        let message = WindowProblem::TooOld { earliest: 5 }.message(&|_| "1 March 2023".into());
        assert!(message.contains("36 months") && message.contains("1 March 2023"));
    }

    #[test]
    fn thirty_six_months_back_is_the_same_day_three_years_earlier() {
        // 2026-03-02 10:30 → 2023-03-02 10:30.
        let expected = days_from_civil(2023, 3, 2) * DAY_MS + 10 * HOUR_MS + 30 * MINUTE_MS;
        assert_eq!(earliest_from(NOW), expected);
        // 2028-02-29 → 2025-02-28 (no 29th that year).
        let leap = days_from_civil(2028, 2, 29) * DAY_MS;
        assert_eq!(earliest_from(leap), days_from_civil(2025, 2, 28) * DAY_MS);
        assert_eq!(earliest_from(DAY_MS), 0);
    }

    #[test]
    fn the_interval_follows_the_span_within_what_the_api_allows() {
        assert_eq!(Interval::for_span(HOUR_MS), Interval::FifteenMinutes);
        assert_eq!(Interval::for_span(8 * HOUR_MS), Interval::ThirtyMinutes);
        assert_eq!(Interval::for_span(DAY_MS), Interval::Hourly);
        assert_eq!(Interval::for_span(2 * DAY_MS), Interval::Hourly);
        assert_eq!(Interval::for_span(7 * DAY_MS), Interval::Daily);
        assert_eq!(Interval::for_span(365 * DAY_MS), Interval::Daily);
        // The API's table: 15 minutes only up to a day, 30 minutes and hours up to 7 days.
        for span in (1..=365 * 24).map(|h| h * HOUR_MS) {
            let interval = Interval::for_span(span);
            let allowed = match interval {
                Interval::FifteenMinutes => span <= DAY_MS,
                Interval::ThirtyMinutes | Interval::Hourly => span <= 7 * DAY_MS,
                Interval::Daily => true,
            };
            assert!(allowed, "{interval:?} for {span}");
            // Up to a month, a few dozen bars; a year is drawn by day (the API's coarser
            // weeks and months are not among the page's intervals).
            if span <= 31 * DAY_MS {
                assert!(span / interval.ms() <= 48, "too many bars: {span}");
            }
        }
        assert_eq!(Interval::Hourly.graphql_name(), "HOURLY");
    }

    #[test]
    fn buckets_cover_the_window_on_local_boundaries() {
        let window = Window {
            from: NOW - 2 * HOUR_MS,
            to: NOW,
        };
        let b = buckets(window, Interval::Hourly, 0);
        assert_eq!(
            b,
            [
                NOW - 150 * MINUTE_MS,
                NOW - 90 * MINUTE_MS,
                NOW - 30 * MINUTE_MS
            ]
        );
        // India's hours start at half past in UTC.
        let b = buckets(window, Interval::Hourly, 330);
        assert_eq!(b, [NOW - 2 * HOUR_MS, NOW - HOUR_MS]);
        let week = WindowChoice::Preset(Preset::Last7Days).resolve(&clock(-300));
        let days = buckets(week, Interval::Daily, -300);
        assert_eq!(days.len(), 8, "a partial first and last day");
        assert!(
            days.iter()
                .all(|d| (d - 5 * HOUR_MS).is_multiple_of(DAY_MS))
        );
    }

    #[test]
    fn answered_starts_land_on_the_nearest_bucket() {
        let b = [DAY_MS, 2 * DAY_MS, 3 * DAY_MS];
        assert_eq!(bucket_of(&b, DAY_MS, DAY_MS), Some(0));
        assert_eq!(bucket_of(&b, DAY_MS, 2 * DAY_MS - HOUR_MS), Some(1));
        assert_eq!(bucket_of(&b, DAY_MS, 3 * DAY_MS + HOUR_MS), Some(2));
        assert_eq!(bucket_of(&b, DAY_MS, 5 * DAY_MS), None);
        assert_eq!(bucket_of(&b, DAY_MS, 0), None);
        assert_eq!(bucket_of(&[], DAY_MS, 0), None);
    }
}
