//! Calendar text for seeded records: ISO dates, local times and RFC 3339 instants from epoch
//! milliseconds. Only fixed UTC offsets are needed (the seed uses zones without daylight saving).

use wxcc_core::calendar::civil_from_days;

/// `(year, month, day, hour, minute, second)` of `ms` shifted by `offset_minutes`.
fn civil(ms: i64, offset_minutes: i64) -> (i64, i64, i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000) + offset_minutes * 60;
    let of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    (
        year,
        month,
        day,
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60,
    )
}

/// `YYYY-MM-DD` at the given offset from UTC.
pub fn date(ms: i64, offset_minutes: i64) -> String {
    let (y, m, d, ..) = civil(ms, offset_minutes);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `HH:mm:ss` at the given offset from UTC.
pub fn time_of_day(ms: i64, offset_minutes: i64) -> String {
    let (.., h, min, s) = civil(ms, offset_minutes);
    format!("{h:02}:{min:02}:{s:02}")
}

/// RFC 3339 in UTC with milliseconds, e.g. `2025-03-01T09:30:00.000Z`.
pub fn rfc3339(ms: i64) -> String {
    format!(
        "{}T{}.{:03}Z",
        date(ms, 0),
        time_of_day(ms, 0),
        ms.rem_euclid(1000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        // 2024-02-29T23:59:59.123Z, a leap day.
        assert_eq!(rfc3339(1_709_251_199_123), "2024-02-29T23:59:59.123Z");
        // 2025-01-01T00:00:00Z seen from UTC+05:30 and UTC-07:00.
        assert_eq!(date(1_735_689_600_000, 330), "2025-01-01");
        assert_eq!(time_of_day(1_735_689_600_000, 330), "05:30:00");
        assert_eq!(date(1_735_689_600_000, -420), "2024-12-31");
        assert_eq!(time_of_day(1_735_689_600_000, -420), "17:00:00");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
    }
}
