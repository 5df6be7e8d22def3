//! `POST /search` over loopback HTTP: the queries, every argument, operator and aggregation, the
//! intervals, paging to the last page, the caps and errors, and agreement with `/v1/tasks` and
//! `/v1/agents/activities` for the same window.

mod common;

use common::search::*;
use common::*;
use serde_json::{Value, json};
use wxcc_sandbox::RunningSandbox;

/// The answer of a query that must succeed: `data.<query>`.
async fn data(sb: &RunningSandbox, token: &str, query: &str) -> Value {
    let r = post(sb, token, json!({ "query": query })).await;
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let (_, answer) = body["data"].as_object().unwrap().iter().next().unwrap();
    answer.clone()
}

/// `value` of the aggregation called `name` in a row.
fn agg(row: &Value, name: &str) -> Option<f64> {
    row["aggregation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .and_then(|a| a["value"].as_f64())
}

/// Tasks of `[from, to)` passing `filter` (GraphQL input text), counted by an aggregation.
async fn count(sb: &RunningSandbox, token: &str, from: i64, to: i64, filter: &str) -> f64 {
    let answer = data(
        sb,
        token,
        &format!(
            r#"{{ taskDetails(from: {from}, to: {to}, filter: {filter},
                 aggregations: [{{field: "id", type: count, name: "n"}}]) {{
                 tasks {{ aggregation {{ name value }} }} }} }}"#
        ),
    )
    .await;
    answer["tasks"]
        .as_array()
        .unwrap()
        .first()
        .map_or(0.0, |row| agg(row, "n").unwrap())
}

/// Every raw record of a query, page by page; the pages' sizes too.
async fn all_pages(
    sb: &RunningSandbox,
    token: &str,
    query: &str,
    list: &str,
) -> (Vec<Value>, Vec<usize>) {
    page_through("NA", list, |cursor| {
        let body = json!({ "query": query, "variables": { "cursor": cursor } });
        async move {
            let r = post(sb, token, body).await;
            assert_eq!(r.status(), 200);
            let body: Value = r.json().await.unwrap();
            let (_, answer) = body["data"].as_object().unwrap().iter().next().unwrap();
            answer.clone()
        }
    })
    .await
}

/// `GET /v1/tasks` for `[from, to)`, up to 1000 tasks.
async fn v1_tasks(sb: &RunningSandbox, token: &str, from: i64, to: i64) -> Value {
    api_get(
        sb,
        token,
        &format!("/v1/tasks?from={from}&to={to}&pageSize=1000"),
    )
    .await
    .json()
    .await
    .unwrap()
}

#[tokio::test]
async fn raw_tasks_page_to_the_last_page_and_are_the_tasks_of_v1_tasks() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 30 * HOUR_MS, hour() - HOUR_MS);
    let rest = v1_tasks(&sb, &token, from, to).await;
    let mut rest_ids: Vec<String> = rest["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        rest_ids.len() > 250 && rest_ids.len() < 1000,
        "{} tasks",
        rest_ids.len()
    );
    let query = format!(
        r#"query ($cursor: String) {{ taskDetails(from: {from}, to: {to}, pagination: {{cursor: $cursor}}) {{
             tasks {{ id channelType createdTime lastQueue {{ id name }} }} pageInfo {{ hasNextPage endCursor }} }} }}"#
    );
    let (records, sizes) = all_pages(&sb, &token, &query, "tasks").await;
    assert!(
        sizes.len() >= 2 && sizes[..sizes.len() - 1].iter().all(|s| *s == 250),
        "{sizes:?}"
    );
    // Newest first by default.
    let times: Vec<i64> = records
        .iter()
        .map(|r| r["createdTime"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    let mut ids: Vec<String> = records
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    rest_ids.sort();
    assert_eq!(ids, rest_ids);
    // The same queue as /v1/tasks names.
    let first = &rest["data"][0];
    let same = records.iter().find(|r| r["id"] == first["id"]).unwrap();
    assert_eq!(same["lastQueue"]["id"], first["attributes"]["queue"]["id"]);
    assert_eq!(same["channelType"], first["attributes"]["channelType"]);
}

#[tokio::test]
async fn counts_per_channel_agree_with_v1_tasks_and_the_legacy_and_leg_queries_agree() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 20 * HOUR_MS, hour() - 2 * HOUR_MS);
    let rest = v1_tasks(&sb, &token, from, to).await;
    let aggregation = |query: &str, list: &str| {
        format!(
            r#"{{ {query}(from: {from}, to: {to}, aggregations: [{{field: "id", type: count, name: "contacts"}}]) {{
                 {list} {{ channelType aggregation {{ name value }} }} pageInfo {{ hasNextPage endCursor }} }} }}"#
        )
    };
    for (query, list) in [
        ("taskDetails", "tasks"),
        ("task", "tasks"),
        ("taskLegDetails", "taskLegs"),
    ] {
        let answer = data(&sb, &token, &aggregation(query, list)).await;
        let rows = answer[list].as_array().unwrap();
        assert!(rows.len() >= 3, "{answer}");
        for row in rows {
            let channel = row["channelType"].as_str().unwrap();
            let expected = rest["data"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| t["attributes"]["channelType"] == channel)
                .count();
            assert_eq!(
                agg(row, "contacts"),
                Some(expected as f64),
                "{query} {channel}"
            );
        }
        assert_eq!(answer["pageInfo"]["hasNextPage"], false);
    }
}

#[tokio::test]
async fn agent_sessions_agree_with_agent_activities_for_a_day() {
    let (sb, token) = start_search().await;
    let day = hour() - 3 * DAY_MS;
    let day = day - day.rem_euclid(DAY_MS);
    let mut activities = 0;
    let mut agents = std::collections::BTreeSet::new();
    for half in [day, day + 12 * HOUR_MS] {
        let r: Value = api_get(
            &sb,
            &token,
            &format!(
                "/v1/agents/activities?from={half}&to={}&pageSize=1000",
                half + 12 * HOUR_MS
            ),
        )
        .await
        .json()
        .await
        .unwrap();
        let data = r["data"].as_array().unwrap();
        assert!(data.len() < 1000);
        activities += data.len();
        agents.extend(
            data.iter()
                .map(|a| a["agentId"].as_str().unwrap().to_string()),
        );
    }
    assert!(activities > 100, "{activities}");
    let answer = data(
        &sb,
        &token,
        &format!(
            r#"{{ agentSession(from: {day}, to: {},
                 aggregations: [
                   {{field: "channelInfo.connectedCount", type: sum, name: "connected"}}
                   {{field: "agentId", type: cardinality, name: "agents"}}
                   {{field: "channelInfo.activities.nodes.id", type: count, name: "connectedActivities",
                     extFilter: {{channelInfo: {{activities: {{nodes: {{state: {{equals: "connected"}}}}}}}}}}}}
                 ]) {{ agentSessions {{ aggregation {{ name value }} }} }} }}"#,
            day + DAY_MS
        ),
    )
    .await;
    let row = &answer["agentSessions"][0];
    assert_eq!(agg(row, "connected"), Some(activities as f64), "{answer}");
    assert_eq!(
        agg(row, "connectedActivities"),
        Some(activities as f64),
        "{answer}"
    );
    assert_eq!(agg(row, "agents"), Some(agents.len() as f64), "{answer}");
}

#[tokio::test]
async fn every_filter_operator_and_compound_means_what_it_says() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 2 * DAY_MS, hour() - HOUR_MS);
    let tasks = async |filter: &str| count(&sb, &token, from, to, filter).await;
    let all = tasks("{}").await;
    assert!(all > 1000.0, "{all}");
    let phone = tasks("{channelType: {equals: telephony}}").await;
    let not_phone = tasks("{channelType: {notequals: telephony}}").await;
    assert!(phone > 0.0 && not_phone > 0.0);
    assert_eq!(phone + not_phone, all);
    let chat = tasks("{channelType: {equals: chat}}").await;
    let either =
        tasks("{or: [{channelType: {equals: telephony}}, {channelType: {equals: chat}}]}").await;
    assert_eq!(either, phone + chat);
    let not = tasks("{not: {channelType: {equals: telephony}}}").await;
    assert_eq!(not, not_phone);
    let long_wait = tasks("{queueDuration: {gt: 60000}}").await;
    let short_wait = tasks("{queueDuration: {lte: 60000}}").await;
    assert_eq!(long_wait + short_wait, all);
    let at_least = tasks("{queueDuration: {gte: 60000}}").await;
    let below = tasks("{queueDuration: {lt: 60000}}").await;
    assert_eq!(at_least + below, all);
    let between =
        tasks("{and: [{queueDuration: {gte: 30000}}, {queueDuration: {lt: 60000}}]}").await;
    assert!(between > 0.0 && between < below);
    // Cisco's own example pattern, with its leading +.
    let us = tasks(r#"{origin: {match: "+1555.+"}}"#).await;
    assert_eq!(us, phone);
    let contains = tasks(r#"{destination: {contains: "wxcc-sandbox"}}"#).await;
    assert_eq!(contains, all - phone);
    let handled = tasks("{isContactHandled: {equals: true}}").await;
    let abandoned = tasks(r#"{contactHandleType: {equals: "abandoned"}}"#).await;
    assert_eq!(handled + abandoned, all);
    // Nested objects are followed to their scalar fields.
    let queue: Value = data(
        &sb,
        &token,
        &format!("{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ lastQueue {{ id }} }} }} }}"),
    )
    .await;
    let queue_id = queue["tasks"][0]["lastQueue"]["id"].as_str().unwrap();
    let in_queue = tasks(&format!(
        r#"{{lastQueue: {{id: {{equals: "{queue_id}"}}}}}}"#
    ))
    .await;
    assert!(in_queue >= 1.0 && in_queue < all);
    // extFilter: tasks with a parked activity in that queue are the tasks whose last queue it is.
    let answer = data(
        &sb,
        &token,
        &format!(
            r#"{{ taskDetails(from: {from}, to: {to}, extFilter: {{activities: {{nodes: {{queueId: {{equals: "{queue_id}"}}}}}}}},
                 aggregations: [{{field: "id", type: count, name: "n"}}]) {{ tasks {{ aggregation {{ name value }} }} }} }}"#
        ),
    )
    .await;
    assert_eq!(agg(&answer["tasks"][0], "n"), Some(in_queue));
}

#[tokio::test]
async fn aggregations_compute_count_sum_average_min_max_and_cardinality_of_the_raw_records() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 12 * HOUR_MS, hour() - HOUR_MS);
    let query = format!(
        r#"query ($cursor: String) {{ taskDetails(from: {from}, to: {to}, pagination: {{cursor: $cursor}}) {{
             tasks {{ id queueDuration lastQueue {{ id }} isContactHandled }} pageInfo {{ hasNextPage endCursor }} }} }}"#
    );
    let (records, _) = all_pages(&sb, &token, &query, "tasks").await;
    let waits: Vec<f64> = records
        .iter()
        .map(|r| r["queueDuration"].as_f64().unwrap())
        .collect();
    let queues: std::collections::BTreeSet<&str> = records
        .iter()
        .map(|r| r["lastQueue"]["id"].as_str().unwrap())
        .collect();
    let handled = records
        .iter()
        .filter(|r| r["isContactHandled"] == true)
        .count();
    let answer = data(
        &sb,
        &token,
        &format!(
            r#"{{ taskDetails(from: {from}, to: {to}, aggregations: [
                 {{field: "id", type: count, name: "count"}}
                 {{field: "queueDuration", type: sum, name: "sum"}}
                 {{field: "queueDuration", type: average, name: "average"}}
                 {{field: "queueDuration", type: min, name: "min"}}
                 {{field: "queueDuration", type: max, name: "max"}}
                 {{field: "lastQueue.id", type: cardinality, name: "queues"}}
                 {{field: "id", type: count, name: "handled", filter: {{isContactHandled: {{equals: true}}}}}}
               ]) {{ tasks {{ aggregation {{ name value }} }} }} }}"#
        ),
    )
    .await;
    let row = &answer["tasks"][0];
    let sum: f64 = waits.iter().sum();
    assert_eq!(agg(row, "count"), Some(records.len() as f64));
    assert_eq!(agg(row, "sum"), Some(sum));
    assert!((agg(row, "average").unwrap() - sum / waits.len() as f64).abs() < 1e-6);
    assert_eq!(agg(row, "min"), waits.iter().copied().reduce(f64::min));
    assert_eq!(agg(row, "max"), waits.iter().copied().reduce(f64::max));
    assert_eq!(agg(row, "queues"), Some(queues.len() as f64));
    assert_eq!(agg(row, "handled"), Some(handled as f64));
    // Entries come back ordered by name, whatever order they were asked in.
    let names: Vec<&str> = row["aggregation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let (status, message) = refused(&sb, &token, &format!(
        r#"{{ taskDetails(from: {from}, to: {to}, aggregations: [{{field: "channelType", type: sum, name: "x"}}]) {{ tasks {{ aggregation {{ name value }} }} }} }}"#
    )).await;
    assert_eq!(status, 400);
    assert!(message.contains("numeric"), "{message}");
}

#[tokio::test]
async fn intervals_bucket_on_the_wall_clock_of_the_time_zone_and_follow_the_span_table() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 7 * HOUR_MS, hour() - HOUR_MS);
    let interval = |from: i64, to: i64, spec: &str| {
        format!(
            r#"{{ taskDetails(from: {from}, to: {to}, aggregationInterval: {spec},
                 aggregations: [{{field: "id", type: count, name: "n"}}]) {{
                 tasks {{ intervalStartTime aggregation {{ name value }} }} pageInfo {{ hasNextPage }} }} }}"#
        )
    };
    let total = count(&sb, &token, from, to, "{}").await;
    let hourly = data(&sb, &token, &interval(from, to, "{interval: HOURLY}")).await;
    let rows = hourly["tasks"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert!(
        rows.iter()
            .all(|r| r["intervalStartTime"].as_i64().unwrap().rem_euclid(HOUR_MS) == 0)
    );
    assert_eq!(
        rows.iter().map(|r| agg(r, "n").unwrap()).sum::<f64>(),
        total
    );
    let quarter = data(
        &sb,
        &token,
        &interval(from, to, r#"{interval: FIFTEEN_MINUTES, timezone: "UTC"}"#),
    )
    .await;
    assert!(quarter["tasks"].as_array().unwrap().len() > 6);
    // India is UTC+05:30: its hours begin at half past, UTC.
    let india = data(
        &sb,
        &token,
        &interval(from, to, r#"{interval: HOURLY, timezone: "Asia/Kolkata"}"#),
    )
    .await;
    assert!(
        india["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["intervalStartTime"].as_i64().unwrap().rem_euclid(HOUR_MS) == HOUR_MS / 2)
    );
    let month = hour() - 30 * DAY_MS;
    let daily = data(
        &sb,
        &token,
        &interval(
            month,
            hour(),
            r#"{interval: DAILY, timezone: "America/New_York"}"#,
        ),
    )
    .await;
    assert!(daily["tasks"].as_array().unwrap().len() >= 30);
    for (from, to, spec) in [
        (hour() - 2 * DAY_MS, hour(), "{interval: FIFTEEN_MINUTES}"),
        (hour() - 8 * DAY_MS, hour(), "{interval: HOURLY}"),
        (from, to, r#"{interval: HOURLY, timezone: "Mars/Olympus"}"#),
    ] {
        let (status, message) = refused(&sb, &token, &interval(from, to, spec)).await;
        assert_eq!(status, 400, "{spec}: {message}");
    }
}

#[tokio::test]
async fn aggregation_rows_page_a_thousand_at_a_time_to_the_last_page() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 3 * DAY_MS, hour() - HOUR_MS);
    let total = count(&sb, &token, from, to, "{}").await as usize;
    assert!(total > 2000, "{total}");
    let query = format!(
        r#"query ($cursor: String) {{ taskDetails(from: {from}, to: {to}, pagination: {{cursor: $cursor}},
             aggregations: [{{field: "id", type: count, name: "n"}}]) {{
             tasks {{ id aggregation {{ name value }} }} pageInfo {{ hasNextPage endCursor }} }} }}"#
    );
    let (rows, sizes) = all_pages(&sb, &token, &query, "tasks").await;
    assert!(sizes.len() >= 3 && sizes[0] == 1000, "{sizes:?}");
    assert_eq!(rows.len(), total);
    assert!(rows.iter().all(|r| agg(r, "n") == Some(1.0)));
}

#[tokio::test]
async fn raw_records_sort_when_asked_and_page_their_activities() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 5 * HOUR_MS, hour() - HOUR_MS);
    let answer = data(&sb, &token, &format!(
        r#"{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ createdTime(sort: asc) isContactHandled
             activities(first: 2) {{ totalCount nodes {{ eventName createdTime }} pageInfo {{ hasNextPage endCursor }} }} }} }} }}"#
    )).await;
    let tasks = answer["tasks"].as_array().unwrap();
    let times: Vec<i64> = tasks
        .iter()
        .map(|r| r["createdTime"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    let handled = tasks
        .iter()
        .find(|t| t["isContactHandled"] == true)
        .unwrap();
    assert_eq!(handled["activities"]["totalCount"], 5);
    assert_eq!(handled["activities"]["nodes"][0]["eventName"], "new");
    assert_eq!(handled["activities"]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(handled["activities"]["pageInfo"]["endCursor"], "2");
    let (status, _) = refused(&sb, &token, &format!(
        "{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ activities(first: 101) {{ nodes {{ eventName }} }} }} }} }}"
    )).await;
    assert_eq!(status, 400);
}
