//! For one window, the raw `taskDetails` records reached by paging to the last page are as many
//! as the `count` aggregation counts, in total, per channel and per interval, for the exact
//! requests the Activity page sends (`wxcc_core::activity::query`) and for hand-written ones.

mod common;

use common::search::*;
use common::*;
use serde_json::{Value, json};
use wxcc_core::activity::query::{self, FIRST_CURSOR, SearchRequest, names};
use wxcc_core::activity::window::{Clock, Interval, Preset, Window, WindowChoice};
use wxcc_sandbox::RunningSandbox;

/// Raw `taskDetails` records come 250 a page.
const PAGE_SIZE: usize = 250;

/// `data.taskDetails` of a body that must succeed.
async fn task_details(sb: &RunningSandbox, token: &str, body: String) -> Value {
    let r = post_text(sb, token, body.clone()).await;
    let status = r.status().as_u16();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{body}\n{answer}");
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"]["taskDetails"].clone()
}

/// The body of a query written here, with the window as the page sends it (`$from`, `$to`).
fn body(query: &str, window: Window) -> String {
    query::body(query, &query::variables(window))
}

/// `count` of `id` over the window, optionally per interval, from `cursor` on.
fn count_query(interval: Option<(&str, &str)>, cursor: Option<&str>) -> String {
    let (interval, bucket) = interval.map_or((String::new(), ""), |(i, z)| {
        (
            format!(", aggregationInterval: {{ interval: {i}, timezone: {z:?} }}"),
            "intervalStartTime ",
        )
    });
    let pagination = cursor.map_or(String::new(), |c| {
        format!(", pagination: {{ cursor: {c:?} }}")
    });
    format!(
        "query ($from: Long!, $to: Long!) {{ taskDetails(from: $from, to: $to{interval}{pagination}, \
         aggregations: [{{ field: \"id\", type: count, name: \"n\" }}]) {{ \
         tasks {{ {bucket}aggregation {{ name value }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    )
}

/// Sum of the aggregation `name` over every row of every page of an aggregation query.
async fn aggregated_sum(
    sb: &RunningSandbox,
    token: &str,
    query_for: impl Fn(Option<&str>) -> String,
    window: Window,
    name: &str,
) -> (f64, Vec<Value>) {
    let (mut total, mut rows) = (0.0, Vec::new());
    let mut cursor: Option<String> = None;
    loop {
        let answer = task_details(sb, token, body(&query_for(cursor.as_deref()), window)).await;
        for row in answer["tasks"].as_array().unwrap() {
            let value = row["aggregation"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["name"] == name)
                .and_then(|a| a["value"].as_f64())
                .unwrap_or_else(|| panic!("no {name} in {row}"));
            total += value;
            rows.push(row.clone());
        }
        if answer["pageInfo"]["hasNextPage"] != json!(true) {
            return (total, rows);
        }
        cursor = Some(
            answer["pageInfo"]["endCursor"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
}

/// Every raw record of the window by paging `page_for(cursor)` to the last page; the page sizes.
async fn raw_records(
    sb: &RunningSandbox,
    token: &str,
    page_for: impl Fn(&str) -> SearchRequest,
) -> (Vec<Value>, Vec<usize>) {
    let mut pages = 0;
    page_through(FIRST_CURSOR, "tasks", |cursor| {
        // A page past the 500th is asked for only when the 500th said it has a next.
        pages += 1;
        assert!(pages <= 500, "paging does not end");
        task_details(sb, token, page_for(&cursor).body())
    })
    .await
}

/// The e2e test's window: yesterday in India (UTC+05:30), as the page computes it.
fn yesterday_in_kolkata() -> Window {
    let clock = Clock {
        now_ms: now_ms() as u64,
        utc_offset_minutes: 330,
        time_zone: "Asia/Kolkata".into(),
    };
    WindowChoice::Preset(Preset::Yesterday).resolve(&clock)
}

async fn check_window(sb: &RunningSandbox, token: &str, window: Window, zone: &str) {
    let what = format!("window {window:?} ({zone})");
    // The raw listing, page by page, as the task records view and the CSV page through it.
    let (records, sizes) = raw_records(sb, token, |c| query::task_page(window, c)).await;
    let listed = records.len();
    assert!(listed > PAGE_SIZE, "{what}: {listed} records");
    assert!(
        sizes[..sizes.len() - 1].iter().all(|s| *s == PAGE_SIZE),
        "{what}: {sizes:?}"
    );
    let mut ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), listed, "{what}: a record on two pages");
    for r in &records {
        let created = r["createdTime"].as_u64().unwrap();
        assert!(
            (window.from..window.to).contains(&created),
            "{what}: {created} is outside the window"
        );
    }
    let pages = listed.div_ceil(PAGE_SIZE);
    assert_eq!(
        *sizes.last().unwrap(),
        listed - PAGE_SIZE * (pages - 1),
        "{what}"
    );

    // The total beside it (`task_total`).
    let total = task_details(sb, token, query::task_total(window).body()).await;
    let rows = total["tasks"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{what}: {total}");
    let counted = rows[0]["aggregation"][0]["value"].as_f64().unwrap();
    assert_eq!(
        counted, listed as f64,
        "{what}: task_total against the raw pages"
    );

    // The channel chart (`contacts_by_channel`), per channel against the raw records.
    let by_channel = task_details(sb, token, query::contacts_by_channel(window).body()).await;
    let mut channel_sum = 0.0;
    for row in by_channel["tasks"].as_array().unwrap() {
        let channel = row["channelType"].as_str().unwrap();
        let n = row["aggregation"][0]["value"].as_f64().unwrap();
        let raw = records
            .iter()
            .filter(|r| r["channelType"] == channel)
            .count();
        assert_eq!(n, raw as f64, "{what}: {channel}");
        channel_sum += n;
    }
    assert_eq!(channel_sum, listed as f64, "{what}: channels");

    // Hand-written count, with and without aggregationInterval, paged to the last row.
    let (plain, _) = aggregated_sum(sb, token, |c| count_query(None, c), window, "n").await;
    assert_eq!(plain, listed as f64, "{what}: count without interval");
    let interval = Interval::for_span(window.span_ms());
    for (name, zone) in [(interval.graphql_name(), zone), ("FIFTEEN_MINUTES", "UTC")] {
        let (bucketed, rows) = aggregated_sum(
            sb,
            token,
            |c| count_query(Some((name, zone)), c),
            window,
            "n",
        )
        .await;
        assert_eq!(
            bucketed, listed as f64,
            "{what}: count per {name} in {zone}"
        );
        for row in rows {
            let start = row["intervalStartTime"].as_u64().unwrap();
            assert!(start < window.to, "{what}: bucket {start} after the window");
        }
    }
    // The interval chart's request: every contact offered, handled or abandoned once.
    let per_interval = query::contacts_per_interval(window, interval, zone);
    let answer = task_details(sb, token, per_interval.body()).await;
    let sum = |name: &str| -> f64 {
        answer["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|row| {
                row["aggregation"]
                    .as_array()?
                    .iter()
                    .find(|a| a["name"] == name)?["value"]
                    .as_f64()
            })
            .sum()
    };
    assert_eq!(
        sum(names::HANDLED) + sum(names::ABANDONED),
        listed as f64,
        "{what}: per interval"
    );
}

#[tokio::test]
async fn the_raw_pages_hold_as_many_records_as_the_count_aggregation_counts() {
    let (sb, token) = start_search().await;
    check_window(&sb, &token, yesterday_in_kolkata(), "Asia/Kolkata").await;
    // The same day in UTC.
    let now = now_ms() as u64;
    let today = now - now % 86_400_000;
    let utc = Window {
        from: today - 86_400_000,
        to: today,
    };
    check_window(&sb, &token, utc, "UTC").await;
}
