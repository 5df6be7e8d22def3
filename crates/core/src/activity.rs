//! The Activity page's arithmetic: windows the API accepts, paging through whole results, the
//! charts' series from the analytics answers, durations people can read, and which ids the
//! console can show as names.
//!
//! The page reports through Webex's GraphQL Search API (`POST /search`): [`window`] (presets,
//! limits, intervals), [`query`] (the requests), [`answer`] (reading them into charts and
//! tables), [`units`] (how values read) and [`address`] (the view and window in the URL).

pub mod address;
pub mod answer;
pub mod query;
pub mod units;
pub mod window;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::chart::{Grouped, Series};

pub const HOUR_MS: u64 = 3_600_000;
/// Agent activities and the statistics endpoints take windows shorter than 24 hours (spec:
/// "The difference between to and from timestamps must be less than 24 hours").
pub const MAX_WINDOW_MS: u64 = 24 * HOUR_MS - 1;
/// The most agent activities the API returns for one window (spec: 10,000 records).
pub const MAX_ACTIVITY_RECORDS: usize = 10_000;
/// The largest page the analytics endpoints accept (spec: 1000).
pub const MAX_PAGE_SIZE: usize = 1_000;

/// Why a window cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WindowProblem {
    Empty,
    TooLong { hours: u64 },
}

impl WindowProblem {
    pub fn message(&self) -> String {
        match self {
            WindowProblem::Empty => "The window is empty: “To” must be after “From”.".into(),
            WindowProblem::TooLong { hours } => format!(
                "The window is {hours} hours long, but Webex Contact Center answers statistics and agent \
                 activities only for windows shorter than 24 hours. Choose a shorter window (for example \
                 “Last 23 hours”)."
            ),
        }
    }
}

/// Checks a window before any call: shorter than 24 hours and not empty.
pub fn check_window(from: u64, to: u64) -> Result<(), WindowProblem> {
    if to <= from {
        Err(WindowProblem::Empty)
    } else if to - from > MAX_WINDOW_MS {
        Err(WindowProblem::TooLong {
            hours: (to - from).div_ceil(HOUR_MS),
        })
    } else {
        Ok(())
    }
}

/// The next `from` for the tasks endpoint, which pages by time (it has no page number): when a
/// page came back full, continue from the newest `createdTime` in it (the caller drops the
/// records it already has, by id). `None` when the page was not full: that was the last one.
pub fn next_tasks_from(page: &[Value], page_size: usize) -> Option<u64> {
    if page.len() < page_size {
        return None;
    }
    page.iter()
        .filter_map(|t| t["attributes"]["createdTime"].as_u64())
        .max()
}

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

/// Queue statistics per interval: contacts offered, handled (accepted) and abandoned, summed over
/// queues and channels, intervals in time order.
pub fn queue_intervals(rows: &[Value]) -> Grouped {
    const FIELDS: [&str; 3] = [
        "totalOfferedTasks",
        "totalAcceptedTasks",
        "totalAbandonedTasks",
    ];
    // Keyed by the interval's start, so the map keeps them in time order.
    let mut per: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    for row in rows {
        let Some(start) = row["intervalStartTime"].as_u64() else {
            continue;
        };
        add(
            per.entry(start).or_default(),
            FIELDS.map(|f| number(&row[f])),
        );
    }
    grouped(
        per.into_iter()
            .map(|(start, sums)| (start.to_string(), sums)),
        &["Offered", "Handled", "Abandoned"],
    )
}

/// A JSON number as f64; anything else counts as 0.
fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// Adds `values` to `sums` place by place (`sums` starts empty).
fn add<const N: usize>(sums: &mut Vec<f64>, values: [f64; N]) {
    sums.resize(N, 0.0);
    for (sum, value) in sums.iter_mut().zip(values) {
        *sum += value;
    }
}

/// The entries of `per` with the largest totals first (ties by key), at most `top`.
fn largest_first(per: BTreeMap<String, Vec<f64>>, top: usize) -> Vec<(String, Vec<f64>)> {
    let total = |sums: &[f64]| -> f64 { sums.iter().sum() };
    let mut list: Vec<(String, Vec<f64>)> = per.into_iter().collect();
    // A stable sort: equal totals stay in key order.
    list.sort_by(|(_, a), (_, b)| total(b).total_cmp(&total(a)));
    list.truncate(top);
    list
}

/// The chart data of `per` (key and sums, in drawing order): one series per label, its values the
/// sums in the label's place.
fn grouped(per: impl IntoIterator<Item = (String, Vec<f64>)>, labels: &[&str]) -> Grouped {
    let (keys, sums): (Vec<String>, Vec<Vec<f64>>) = per.into_iter().unzip();
    Grouped {
        keys,
        series: labels
            .iter()
            .enumerate()
            .map(|(i, label)| Series {
                label: label.to_string(),
                values: sums
                    .iter()
                    .map(|s| s.get(i).copied().unwrap_or(0.0))
                    .collect(),
            })
            .collect(),
    }
}

/// The agent states the statistics report, and the fields that measure them.
const STATES: [(&str, &str); 4] = [
    ("Engaged", "totalEngagedDuration"),
    ("Hold", "totalHoldDuration"),
    ("Wrap-up", "totalWrapUpDuration"),
    ("Available", "totalAvailableTime"),
];

/// Time per state per agent (summed over intervals and channels), the `top` agents with the most
/// time, most first. Keys are agent names (the id when the name is missing).
pub fn agent_states(rows: &[Value], top: usize) -> Grouped {
    let mut per: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for row in rows {
        let name = row["agentName"]
            .as_str()
            .or(row["agentId"].as_str())
            .unwrap_or("—");
        let sums = per.entry(name.to_owned()).or_default();
        add(sums, [0.0; 4]);
        let channels = row["channels"].as_array().map(Vec::as_slice);
        for channel in channels.unwrap_or_default() {
            add(sums, STATES.map(|(_, field)| number(&channel[field])));
        }
    }
    grouped(largest_first(per, top), &STATES.map(|(label, _)| label))
}

/// Tasks per channel type, most first.
pub fn tasks_by_channel(tasks: &[Value]) -> Grouped {
    let mut per: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for task in tasks {
        let channel = task["attributes"]["channelType"]
            .as_str()
            .unwrap_or("unknown");
        add(per.entry(channel.to_owned()).or_default(), [1.0]);
    }
    grouped(largest_first(per, usize::MAX), &["Tasks"])
}

/// Tasks per hour of the window (keys: each hour's start, epoch ms), every hour shown, also empty
/// ones, so the shape of the day is visible.
pub fn tasks_by_hour(tasks: &[Value], from: u64, to: u64) -> Grouped {
    let first = from - from % HOUR_MS;
    let hours = to.saturating_sub(first).div_ceil(HOUR_MS).max(1) as usize;
    let mut counts = vec![0.0; hours];
    for task in tasks {
        if let Some(created) = task["attributes"]["createdTime"].as_u64()
            && let Some(slot) = counts.get_mut((created.saturating_sub(first) / HOUR_MS) as usize)
            && created >= first
        {
            *slot += 1.0;
        }
    }
    Grouped {
        keys: (0..hours)
            .map(|h| (first + h as u64 * HOUR_MS).to_string())
            .collect(),
        series: vec![Series {
            label: "Tasks".into(),
            values: counts,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn windows_must_be_shorter_than_a_day_and_not_empty() {
        assert_eq!(check_window(0, HOUR_MS), Ok(()));
        assert_eq!(check_window(0, 23 * HOUR_MS), Ok(()));
        assert_eq!(check_window(0, MAX_WINDOW_MS), Ok(()));
        assert_eq!(
            check_window(0, 24 * HOUR_MS),
            Err(WindowProblem::TooLong { hours: 24 })
        );
        assert_eq!(
            check_window(0, 7 * 24 * HOUR_MS),
            Err(WindowProblem::TooLong { hours: 168 })
        );
        assert_eq!(check_window(5, 5), Err(WindowProblem::Empty));
        assert!(
            WindowProblem::TooLong { hours: 48 }
                .message()
                .contains("48 hours")
        );
    }

    #[test]
    fn tasks_page_by_time_until_a_page_is_not_full() {
        let page: Vec<Value> = (0..3)
            .map(|i| json!({"id": i, "attributes": {"createdTime": 1000 + i}}))
            .collect();
        assert_eq!(next_tasks_from(&page, 3), Some(1002));
        assert_eq!(next_tasks_from(&page, 4), None);
        assert_eq!(next_tasks_from(&[], 100), None);
    }

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

    #[test]
    fn queue_statistics_sum_per_interval_in_time_order() {
        let rows = [
            json!({"intervalStartTime": 2000, "totalOfferedTasks": 5, "totalAcceptedTasks": 4, "totalAbandonedTasks": 1}),
            json!({"intervalStartTime": 1000, "totalOfferedTasks": 2, "totalAcceptedTasks": 2, "totalAbandonedTasks": 0}),
            json!({"intervalStartTime": 2000, "totalOfferedTasks": 1, "totalAcceptedTasks": 0, "totalAbandonedTasks": 1}),
            json!({"no": "interval"}),
        ];
        let g = queue_intervals(&rows);
        assert_eq!(g.keys, ["1000", "2000"]);
        assert_eq!(g.series[0].values, [2.0, 6.0]);
        assert_eq!(g.series[1].values, [2.0, 4.0]);
        assert_eq!(g.series[2].values, [0.0, 2.0]);
    }

    #[test]
    fn agent_states_keep_the_busiest_agents_first() {
        let row = |name: &str, engaged: u64| {
            json!({"agentName": name, "channels": [{"totalEngagedDuration": engaged, "totalHoldDuration": 10,
                   "totalWrapUpDuration": 0, "totalAvailableTime": 5}]})
        };
        let rows = [
            row("Ann", 100),
            row("Bob", 300),
            row("Ann", 100),
            row("Cy", 1),
        ];
        let g = agent_states(&rows, 2);
        assert_eq!(g.keys, ["Bob", "Ann"]);
        assert_eq!(g.series[0].values, [300.0, 200.0]);
        assert_eq!(g.series[1].values, [10.0, 20.0]);
        assert_eq!(g.series.len(), 4);
    }

    #[test]
    fn equal_totals_keep_a_stable_order_by_name() {
        let task = |channel: &str| json!({"attributes": {"channelType": channel}});
        let tasks = [task("social"), task("chat"), task("email"), task("chat")];
        assert_eq!(tasks_by_channel(&tasks).keys, ["chat", "email", "social"]);
    }

    #[test]
    fn tasks_count_by_channel_and_by_every_hour_of_the_window() {
        let task = |channel: &str, created: u64| json!({"attributes": {"channelType": channel, "createdTime": created}});
        let tasks = [
            task("telephony", 10),
            task("chat", HOUR_MS + 5),
            task("telephony", 2 * HOUR_MS + 1),
        ];
        let by_channel = tasks_by_channel(&tasks);
        assert_eq!(by_channel.keys, ["telephony", "chat"]);
        assert_eq!(by_channel.series[0].values, [2.0, 1.0]);
        let by_hour = tasks_by_hour(&tasks, 0, 4 * HOUR_MS);
        assert_eq!(by_hour.keys.len(), 4);
        assert_eq!(by_hour.series[0].values, [1.0, 1.0, 1.0, 0.0]);
        assert_eq!(by_hour.keys[1], HOUR_MS.to_string());
    }
}
