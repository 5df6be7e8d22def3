//! `POST /search` refusals and limits: time arguments, caps (group-by, filter arguments, paging,
//! the `extFilter` scan that answers 413), auth (400/401/403), the rate limit, the knobs for what
//! Cisco leaves open, gzip above the documented size, CORS.

mod common;

use common::search::*;
use common::*;
use serde_json::{Value, json};

fn raw(from: i64, to: i64) -> String {
    format!(
        "{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ id }} pageInfo {{ hasNextPage }} }} }}"
    )
}

#[tokio::test]
async fn time_arguments_are_checked_as_documented() {
    let (sb, token) = start_search().await;
    let now = now_ms();
    let cases = [
        (
            now - 37 * 31 * DAY_MS,
            now - 37 * 31 * DAY_MS + DAY_MS,
            "36 months",
        ),
        (now - 400 * DAY_MS, now - HOUR_MS, "365 days"),
        (now - HOUR_MS, now + HOUR_MS, "current time"),
        (now - HOUR_MS, now - 2 * HOUR_MS, "before"),
        (-5, now, "epoch"),
    ];
    for (from, to, words) in cases {
        let (status, message) = refused(&sb, &token, &raw(from, to)).await;
        assert_eq!(status, 400, "{from}..{to}");
        assert!(message.contains(words), "{words}: {message}");
    }
    // Exactly 365 days is allowed.
    let r = post(
        &sb,
        &token,
        json!({"query": raw(now - 365 * DAY_MS, now - HOUR_MS)}),
    )
    .await;
    assert_eq!(r.status(), 200);
    // The conflict in Cisco's wording is a knob: clamp a future `to` to now instead.
    control(&sb, json!({"search_future_to": "clamp"})).await;
    let r = post(
        &sb,
        &token,
        json!({"query": raw(now - HOUR_MS, now + HOUR_MS)}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = post_faults(&sb, json!({"search_future_to": "tomorrow"})).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn query_errors_answer_400_with_the_api_error_shape_or_graphql_errors_by_knob() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 2 * HOUR_MS, hour() - HOUR_MS);
    let unknown = format!("{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ colour }} }} }}");
    let (status, message) = refused(&sb, &token, &unknown).await;
    assert_eq!(status, 400);
    assert!(message.contains("colour"), "{message}");
    for bad in [
        "{ taskDetails(to: 1) { tasks { id } } }".to_string(),
        format!("{{ taskDetails(from: \"{from}\", to: {to}) {{ tasks {{ id }} }} }}"),
        format!(
            "{{ taskDetails(from: {from}, to: {to}, filter: {{channelType: {{like: telephony}}}}) {{ tasks {{ id }} }} }}"
        ),
        format!(
            "{{ taskDetails(from: {from}, to: {to}, filter: {{origin: {{match: \"(\"}}}}) {{ tasks {{ id }} }} }}"
        ),
        format!(
            "{{ agentSession(from: {from}, to: {to}, timeComparator: endedTime) {{ agentSessions {{ agentId }} }} }}"
        ),
        format!(
            "{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ id aggregation {{ name value }} }} }} }}"
        ),
        format!("{{ taskDetails(from: {from}, to: {to}, aggregations: []) {{ tasks {{ id }} }} }}"),
        format!(
            "{{ taskDetails(from: {from}, to: {to}, aggregationInterval: {{interval: HOURLY}}) {{ tasks {{ id }} }} }}"
        ),
        format!(
            "{{ taskDetails(from: {from}, to: {to}, pagination: {{cursor: \"x\"}}) {{ tasks {{ id }} }} }}"
        ),
        "{ taskDetails(".to_string(),
    ] {
        let (status, _) = refused(&sb, &token, &bad).await;
        assert_eq!(status, 400, "{bad}");
    }
    // A standard GraphQL answer instead, by knob.
    control(&sb, json!({"search_query_error_status": 200})).await;
    let r = post(&sb, &token, json!({"query": unknown})).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("colour"),
        "{body}"
    );
}

#[tokio::test]
async fn the_body_must_be_a_search_request() {
    let (sb, token) = start_search().await;
    let url = search_url(&sb);
    let sent = |body: &'static str, content_type: &'static str| {
        client()
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for (body, content_type) in [
        ("{\"query\": \"{ x }\"", "application/json"),
        ("{\"variables\": {}}", "application/json"),
        ("{\"query\": \"\"}", "application/json"),
        ("{\"query\": \"{ x }\", \"extra\": 1}", "application/json"),
        (
            "{\"query\": \"{ x }\", \"variables\": [1]}",
            "application/json",
        ),
        ("query=x", "application/x-www-form-urlencoded"),
    ] {
        let r = sent(body, content_type).await.unwrap();
        assert_eq!(r.status(), 400, "{body}");
        let body: Value = r.json().await.unwrap();
        api_error_description(&body, 400);
    }
    // Variables fill `$name` placeholders; the spec's "only for persisted queries" is a knob.
    let query =
        "query ($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to) { tasks { id } } }";
    let variables = json!({"from": hour() - 2 * HOUR_MS, "to": hour() - HOUR_MS});
    let r = post(&sb, &token, json!({"query": query, "variables": variables})).await;
    assert_eq!(r.status(), 200);
    control(&sb, json!({"search_variables": "persisted_only"})).await;
    let r = post(&sb, &token, json!({"query": query, "variables": variables})).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn caps_group_by_filter_arguments_paging_activity_span_and_the_ext_filter_scan() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 2 * DAY_MS, hour() - HOUR_MS);
    let eleven = "id channelType status direction origin destination lastQueue { id name } lastAgent { id name } lastTeam { id }";
    let (status, message) = refused(&sb, &token, &format!(
        r#"{{ taskDetails(from: {from}, to: {to}, aggregations: [{{field: "id", type: count, name: "n"}}]) {{ tasks {{ {eleven} aggregation {{ name value }} }} }} }}"#
    )).await;
    assert_eq!(status, 400);
    assert!(message.contains("at most 10"), "{message}");
    let many: Vec<String> = (0..1001)
        .map(|i| format!("{{origin: {{equals: \"{i}\"}}}}"))
        .collect();
    let (status, message) = refused(
        &sb,
        &token,
        &format!(
            "{{ taskDetails(from: {from}, to: {to}, filter: {{or: [{}]}}) {{ tasks {{ id }} }} }}",
            many.join(", ")
        ),
    )
    .await;
    assert_eq!(status, 400);
    assert!(message.contains("1000"), "{message}");
    // Raw taskDetails reaches 100,000 records (400 pages of 250) at most.
    let (status, message) = refused(&sb, &token, &format!(
        "{{ taskDetails(from: {from}, to: {to}, pagination: {{cursor: \"400\"}}) {{ tasks {{ id }} }} }}"
    )).await;
    assert_eq!(status, 400);
    assert!(message.contains("100000"), "{message}");
    let (status, message) = refused(&sb, &token, &format!(
        "{{ taskDetails(from: {}, to: {to}) {{ tasks {{ activities {{ nodes {{ eventName }} }} }} }} }}", to - 31 * DAY_MS
    )).await;
    assert_eq!(status, 400);
    assert!(message.contains("30 days"), "{message}");
    // An extFilter that matches nothing cannot fill a first page from the first 2,500 records: 413.
    let none = "extFilter: {activities: {nodes: {agentId: {equals: \"nobody\"}}}}";
    let (status, message) = refused(
        &sb,
        &token,
        &format!(
            "{{ taskDetails(from: {}, to: {to}, {none}) {{ tasks {{ id }} }} }}",
            to - 5 * DAY_MS
        ),
    )
    .await;
    assert_eq!(status, 413);
    assert!(message.contains("2500"), "{message}");
    // Within 2,500 records the scan finishes: an empty page, not a 413.
    let r = post(&sb, &token, json!({"query": format!(
        "{{ taskDetails(from: {}, to: {to}, {none}) {{ tasks {{ id }} pageInfo {{ hasNextPage }} }} }}", to - 2 * HOUR_MS
    )})).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["taskDetails"]["tasks"], json!([]));
}

#[tokio::test]
async fn scope_role_org_and_token_are_checked() {
    let (sb, token) = start_search().await;
    let query = raw(hour() - 2 * HOUR_MS, hour() - HOUR_MS);
    let body = json!({"query": query});
    let url = search_url(&sb);
    let r = post_to(&url, None, &body).await;
    assert_eq!(r.status(), 400);
    let r = post_to(&url, Some("not-a-token"), &body).await;
    assert_eq!(r.status(), 401);
    let people_only = token_with_scope(&sb, "admin", "spark:people_read").await;
    let (status, message) = refused(&sb, &people_only, &query).await;
    assert_eq!(status, 403);
    assert!(message.contains("cjp:config_read"), "{message}");
    let agent = access_token(&sb, "agent").await;
    let (status, message) = refused(&sb, &agent, &query).await;
    assert_eq!(status, 403);
    assert!(message.contains("Supervisor"), "{message}");
    let second = format!("{url}?orgId={}", sb.state().second_org_id());
    let r = post_to(&second, Some(&token), &body).await;
    assert_eq!(r.status(), 403);
    let primary = format!("{url}?orgId={}", sb.state().primary_org_id());
    let r = post_to(&primary, Some(&token), &body).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn search_counts_toward_the_rate_limit_and_its_429_has_no_body() {
    let (sb, token) = start_search_limited(2).await;
    let query = json!({"query": raw(hour() - 2 * HOUR_MS, hour() - HOUR_MS)});
    for _ in 0..2 {
        assert_eq!(post(&sb, &token, query.clone()).await.status(), 200);
    }
    let r = post(&sb, &token, query).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn answers_over_the_size_threshold_are_gzipped_only_when_asked_and_cors_allows_the_post() {
    let (sb, token) = start_search().await;
    let (from, to) = (hour() - 5 * HOUR_MS, hour() - HOUR_MS);
    // Aliases repeat each record's activities until the page is well over the threshold.
    let nodes = "activities(first: 5) { nodes { id eventName queueId agentId teamId siteId duration createdTime } }";
    let aliases: Vec<String> = (0..12).map(|i| format!("a{i}: {nodes}")).collect();
    let big = format!(
        "{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ id {} }} }} }}",
        aliases.join(" ")
    );
    let url = search_url(&sb);
    let send = |query: &str, gzip: bool| {
        let mut request = client()
            .post(&url)
            .bearer_auth(&token)
            .json(&json!({"query": query}));
        if gzip {
            request = request.header("accept-encoding", "br, gzip");
        }
        request.send()
    };
    let plain = send(&big, false).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_size = plain.bytes().await.unwrap().len();
    assert!(plain_size > 1_000_000, "{plain_size}");
    let zipped = send(&big, true).await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let body = zipped.bytes().await.unwrap();
    assert_eq!(&body[..2], &[0x1f, 0x8b]);
    assert!(body.len() < plain_size);
    let small = send(&raw(from, to), true).await.unwrap();
    assert!(small.headers().get("content-encoding").is_none());

    let preflight = client()
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", SPA_ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, trackingid",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        SPA_ORIGIN
    );
}

#[tokio::test]
async fn task_legs_answer_nothing_for_an_org_outside_the_early_access_programme() {
    let (sb, token) = start_search().await;
    let query = format!(
        "{{ taskLegDetails(from: {}, to: {}) {{ taskLegs {{ id taskId queue {{ id duration }} handleType }} pageInfo {{ hasNextPage }} }} }}",
        hour() - 3 * HOUR_MS,
        hour() - HOUR_MS
    );
    let body: Value = post(&sb, &token, json!({"query": query}))
        .await
        .json()
        .await
        .unwrap();
    let legs = body["data"]["taskLegDetails"]["taskLegs"]
        .as_array()
        .unwrap();
    assert!(!legs.is_empty());
    let leg = &legs[0];
    assert!(
        leg["id"]
            .as_str()
            .unwrap()
            .starts_with(leg["taskId"].as_str().unwrap())
    );
    control(&sb, json!({"search_task_legs": false})).await;
    let body: Value = post(&sb, &token, json!({"query": query}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["taskLegDetails"]["taskLegs"], json!([]));
}
