//! The identity service's rate limit: after a 429 the proxy stops calling it for the `Retry-After` it
//! was given, answering `upstream_rate_limited` itself, for every client at once.

mod support;

use std::time::{Duration, Instant};
use support::*;

fn rate_limited(retry_after: &'static str) -> Behavior {
    Behavior::Fixed {
        status: 429,
        body: "{}".into(),
        retry_after: Some(retry_after),
    }
}

#[tokio::test]
async fn after_a_429_no_request_reaches_upstream_until_retry_after_has_passed() {
    let upstream = stub(rate_limited("30")).await;
    let proxy = router(&upstream.token_url(), "cookie");

    let first = call(&proxy, "/token", &token_body("good-1"), None).await;
    assert_eq!(first.status, 503);
    assert_eq!(first.body["error"], "upstream_rate_limited");
    assert_eq!(upstream.forms().len(), 1);

    let request = post("/token")
        .body(axum::body::Body::from(token_body("good-2")))
        .unwrap();
    let answer = tower::ServiceExt::oneshot(proxy.clone(), request)
        .await
        .unwrap();
    let (status, headers, json) = read(answer).await;
    assert_eq!(status, 503);
    assert_eq!(json["error"], "upstream_rate_limited");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((29..=30).contains(&wait), "Retry-After {wait}");
    assert!(
        json["error_description"]
            .as_str()
            .unwrap()
            .contains("not calling it")
    );
    assert_eq!(
        upstream.forms().len(),
        1,
        "the proxy called upstream again inside the Retry-After"
    );
}

#[tokio::test]
async fn calls_go_out_again_once_the_hold_has_passed() {
    let upstream = stub(rate_limited("1")).await;
    let proxy = router(&upstream.token_url(), "cookie");
    let started = Instant::now();
    call(&proxy, "/token", &token_body("good-1"), None).await;
    assert_eq!(upstream.forms().len(), 1);

    let held = call(&proxy, "/token", &token_body("good-2"), None).await;
    assert_eq!(held.status, 503);
    assert_eq!(upstream.forms().len(), 1, "held back at first");

    let mut poll = tokio::time::interval(Duration::from_millis(50));
    let reopened = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            poll.tick().await;
            call(&proxy, "/token", &token_body("good-3"), None).await;
            if upstream.forms().len() > 1 {
                return;
            }
        }
    })
    .await;
    assert!(reopened.is_ok(), "the proxy never called upstream again");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "upstream was called again before its Retry-After had passed"
    );
}
