//! The Contact Center API's documented errors (README, fidelity table): 400 for a missing or
//! malformed Authorization header, 401 for a bad token, body-less 429s with Retry-After and CORS
//! headers (the spec's JSON body behind a knob), day-long statistics windows and the activity cap.

mod common;

use common::*;
use serde_json::{Value, json};
use wxcc_sandbox::SandboxConfig;

const DAY_MS: i64 = 86_400_000;
const QUARTER_MS: i64 = 15 * 60_000;

async fn admin_token(sb: &wxcc_sandbox::RunningSandbox) -> String {
    token_for(sb, "admin").await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `GET` on the API port from the SPA's origin, with the given Authorization header (if any).
async fn get_with(
    sb: &wxcc_sandbox::RunningSandbox,
    path: &str,
    authorization: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .get(format!("{}{path}", sb.api_url()))
        .header("Origin", SPA_ORIGIN);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn missing_or_malformed_authorization_is_400_and_a_bad_token_401() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let path = format!("/organization/{}/v2/site", org_of(&token));
    let bearer = format!("Bearer {token}");
    let basic = format!("Basic {token}");
    let two_words = format!("Bearer {token} extra");
    for (header, status) in [
        (None, 400),
        (Some(""), 400),
        (Some(basic.as_str()), 400),
        (Some("Bearer"), 400),
        (Some(two_words.as_str()), 400),
        (Some("Bearer not-a-token-this-sandbox-issued"), 401),
        (Some(bearer.as_str()), 200),
    ] {
        let r = get_with(&sb, &path, header).await;
        assert_eq!(r.status(), status, "{header:?}");
        assert_eq!(r.headers()["access-control-allow-origin"], SPA_ORIGIN);
        if status != 200 {
            let body: Value = r.json().await.unwrap();
            api_error_description(&body, status);
        }
    }
    // Webex identity (webexapis.com) answers 401 for missing credentials, as its API errors list says.
    let r = client()
        .get(format!("{}/v1/people/me", sb.identity_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    sb.shutdown().await;
}

/// A 429 as Webex documents it: Retry-After, CORS headers and the tracking id, no body.
async fn assert_bodyless_429(r: reqwest::Response) -> u64 {
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["access-control-allow-origin"], SPA_ORIGIN);
    assert!(r.headers().get("trackingid").is_some());
    assert!(r.headers().get("content-type").is_none());
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(r.bytes().await.unwrap().is_empty(), "no body");
    retry
}

#[tokio::test]
async fn rate_limited_answers_carry_retry_after_and_cors_headers_but_no_body() {
    let sb = start(SandboxConfig {
        rate_limit_per_minute: 2,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await;
    let token = format!("Bearer {}", admin_token(&sb).await);
    let path = format!("/organization/{}/v2/team", sb.state().primary_org_id());
    control(&sb, json!({"force_429": 1})).await;
    assert_eq!(
        assert_bodyless_429(get_with(&sb, &path, Some(&token)).await).await,
        2
    );
    for _ in 0..2 {
        assert_eq!(get_with(&sb, &path, Some(&token)).await.status(), 200);
    }
    let retry = assert_bodyless_429(get_with(&sb, &path, Some(&token)).await).await;
    assert!((1..=60).contains(&retry), "{retry}");

    let view = control(&sb, json!({"json_429": true, "force_429": 1})).await;
    assert_eq!(view["json_429"], true);
    let r = get_with(&sb, &path, Some(&token)).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    let body: Value = r.json().await.unwrap();
    assert!(api_error_description(&body, 429).contains("Retry-After"));
    let r = get_with(&sb, &path, Some(&token)).await;
    let body: Value = r.json().await.unwrap();
    assert!(api_error_description(&body, 429).contains("2 requests per minute"));
    sb.shutdown().await;
}

#[tokio::test]
async fn statistics_windows_of_a_day_or_more_are_refused() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let aligned = (now_ms() - 2 * DAY_MS) / QUARTER_MS * QUARTER_MS;
    for endpoint in ["/v1/agents/statistics", "/v1/queues/statistics"] {
        let window = |from: i64, to: i64| format!("{endpoint}?from={from}&to={to}&interval=60");
        // Just under a day, as sent and as rounded down to quarter hours: answered.
        let r = api_get(&sb, &token, &window(aligned, aligned + DAY_MS - 1)).await;
        assert_eq!(r.status(), 200);
        for (from, to) in [
            // A whole day as sent.
            (aligned, aligned + DAY_MS),
            // Under a day as sent, a whole day once both ends are rounded down.
            (aligned + 14 * 60_000, aligned + DAY_MS + 60_000),
            // A week.
            (aligned, aligned + 7 * DAY_MS),
        ] {
            let r = api_get(&sb, &token, &window(from, to)).await;
            assert_eq!(r.status(), 400, "{endpoint} {from}..{to}");
            let body: Value = r.json().await.unwrap();
            assert!(api_error_description(&body, 400).contains("less than 24 hours"));
        }
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn agent_activities_stop_at_the_spec_record_cap() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let to = now_ms();
    let from = to - DAY_MS / 2;
    let page = |page: u32, size: u32| {
        format!("/v1/agents/activities?from={from}&to={to}&page={page}&pageSize={size}")
    };
    // Pages that start before record 10,000 are answered; those that start at or after it are not.
    assert_eq!(api_get(&sb, &token, &page(9, 1000)).await.status(), 200);
    assert_eq!(api_get(&sb, &token, &page(33, 300)).await.status(), 200);
    for (p, size) in [(10, 1000), (34, 300), (u32::MAX, 1000)] {
        let r = api_get(&sb, &token, &page(p, size)).await;
        assert_eq!(r.status(), 400, "page {p} of {size}");
        let body: Value = r.json().await.unwrap();
        assert!(api_error_description(&body, 400).contains("10000 records"));
    }
    // Webex's status for it is not documented: the knob gives the spec's other candidate.
    control(&sb, json!({"activity_cap_status": 413})).await;
    let r = api_get(&sb, &token, &page(10, 1000)).await;
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["reason"], "Content Too Large");
    let bad = post_faults(&sb, json!({"activity_cap_status": 500})).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("activity_cap_status"));
    sb.shutdown().await;
}
