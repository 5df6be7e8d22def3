//! The Activity page's arithmetic. It reports through Webex's GraphQL Search API (`POST
//! /search`): [`window`] (presets, limits, intervals), [`query`] (the requests), [`answer`]
//! (reading them into charts and tables), [`pager`] (cursor paging of the task records),
//! [`units`] (how values read) and [`address`] (the view and window in the URL). Here: durations
//! people can read, and which fields hold times, durations and ids the console can show as names
//! (also for every other table).

pub mod address;
pub mod answer;
pub mod pager;
pub mod query;
pub mod units;
pub mod window;

use serde_json::Value;

/// `1 h 05 min`, `4 min 10 s`, `12 s`, `2 d 3 h`: a duration in milliseconds as people read it.
pub fn format_duration(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, hours, minutes, seconds) =
        (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {minutes:02} min")
    } else if minutes > 0 {
        format!("{minutes} min {seconds:02} s")
    } else if ms >= 1000 || ms == 0 {
        format!("{seconds} s")
    } else {
        format!("{ms} ms")
    }
}

/// Whether a field holds a point in time as epoch milliseconds (`createdTime`,
/// `intervalStartTime`, `startTime`, …), going by its name and a plausible value (2001–2100).
pub fn is_time_field(key: &str, value: &Value) -> bool {
    let named = key.ends_with("Time")
        || key.ends_with("Timestamp")
        || key.ends_with("_ms")
        || key == "createdTime";
    named
        && value
            .as_u64()
            .is_some_and(|ms| (1_000_000_000_000..4_102_444_800_000).contains(&ms))
}

/// Whether a field holds a duration in milliseconds (`totalEngagedDuration`, `averageHandledTime`…).
pub fn is_duration_field(key: &str) -> bool {
    key.ends_with("Duration")
        || key.starts_with("average") && key.ends_with("Time")
        || key.ends_with("AvailableTime")
}

/// The records the console can link to, by the field holding their id and the config list that
/// shows them: `(id field, name field, list slug)`.
pub const NAMED_IDS: [(&str, &str, &str); 5] = [
    ("agentId", "agentName", "users"),
    ("teamId", "teamName", "teams"),
    ("siteId", "siteName", "sites"),
    ("queueId", "queueName", "queues"),
    ("entryPointId", "entryPointName", "entry-points"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(format_duration(0), "0 s");
        assert_eq!(format_duration(450), "450 ms");
        assert_eq!(format_duration(12_000), "12 s");
        assert_eq!(format_duration(250_000), "4 min 10 s");
        assert_eq!(format_duration(3_900_000), "1 h 05 min");
        assert_eq!(format_duration(183_600_000), "2 d 3 h");
    }

    #[test]
    fn time_and_duration_fields_are_recognised() {
        assert!(is_time_field("createdTime", &json!(1_739_145_600_000u64)));
        assert!(is_time_field(
            "intervalStartTime",
            &json!(1_795_943_700_000u64)
        ));
        assert!(
            !is_time_field("createdTime", &json!(42)),
            "not a plausible epoch"
        );
        assert!(!is_time_field(
            "totalOfferedTasks",
            &json!(1_739_145_600_000u64)
        ));
        assert!(!is_time_field("createdTime", &json!("1739145600000")));
        assert!(is_duration_field("totalEngagedDuration"));
        assert!(is_duration_field("averageHandledTime"));
        assert!(!is_duration_field("intervalStartTime"));
    }
}
