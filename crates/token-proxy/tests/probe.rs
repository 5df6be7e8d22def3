//! The quiet probe, `POST /refresh` with `{"probe": true}`: a first visit or a session that is over is a
//! 200 answer that says so (and how many days "keep me signed in" lasts), a live session is refreshed,
//! and failures of the identity service are errors as for any refresh.

mod support;

use support::*;
use wxcc_token_proxy::config;

const PROBE: &str = r#"{"probe":true}"#;

/// The body keys, sorted, so a test can say "exactly these".
fn keys(body: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn without_a_cookie_the_probe_says_signed_out_with_a_success_status() {
    let upstream = stub(Behavior::Normal).await;
    let clock = manual_clock();
    for (env, days) in [
        (env(&upstream.token_url(), "cookie"), 0),
        (
            env_with(
                &upstream.token_url(),
                "cookie",
                &[(config::REMEMBER_DAYS, "30")],
            ),
            30,
        ),
    ] {
        let router = router_at(&env, &clock);
        let answer = call(&router, "/refresh", PROBE, None).await;
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.body,
            serde_json::json!({"signed_in": false, "remember_days": days})
        );
        assert_eq!(answer.set_cookie, None, "nothing to clear");
    }
    assert!(upstream.forms().is_empty(), "no call upstream");

    // Without the probe flag, the same request is still refused as before.
    let router = router_at(&env(&upstream.token_url(), "cookie"), &clock);
    let plain = call(&router, "/refresh", "{}", None).await;
    assert_eq!(plain.status, 401);
    assert_eq!(plain.body["error"], "session_expired");
}

/// The stub's first refresh token, sealed with `key` as of a sign-in just before [`CLOCK_START`].
fn sealed(key: &str, refresh_expires_at: u64, ends_at: u64) -> String {
    let token = "stub-refresh-token-1-Rr9";
    seal_session(
        "cookie",
        key,
        token,
        CLOCK_START - 10,
        refresh_expires_at,
        ends_at,
    )
}

/// A cookie that opens and is in time, its session and refresh token ending a while after
/// [`CLOCK_START`] (the stub does not know its refresh token).
fn live_cookie() -> String {
    let later = CLOCK_START + 1_000;
    sealed(KEY_A, later, later)
}

#[tokio::test]
async fn an_unusable_cookie_is_cleared_and_the_probe_says_why() {
    let (upstream, _, router) = proxy_with_clock("cookie", &[(config::REMEMBER_DAYS, "30")]).await;
    let later = CLOCK_START + 1_000;
    let cases = [
        (
            "tampered",
            tampered(&sealed(KEY_A, later, later)),
            "session_expired",
        ),
        (
            "retired key",
            sealed(KEY_B, later, later),
            "session_expired",
        ),
        ("not sealed at all", "garbage".to_owned(), "session_expired"),
        (
            "past the session end",
            sealed(KEY_A, later, CLOCK_START),
            "session_expired",
        ),
        (
            "refresh token expired",
            sealed(KEY_A, CLOCK_START, CLOCK_START),
            "refresh_expired",
        ),
        // Authentic and in time, but the identity service no longer knows the refresh token.
        (
            "refresh token revoked",
            sealed(KEY_A, later, later),
            "refresh_expired",
        ),
    ];
    for (name, cookie, reason) in cases {
        let answer = call(&router, "/refresh", PROBE, Some(&cookie)).await;
        assert_eq!(answer.status, 200, "{name}: {:?}", answer.body);
        assert_eq!(
            answer.body,
            serde_json::json!({"signed_in": false, "reason": reason, "remember_days": 30}),
            "{name}"
        );
        assert_eq!(answer.cookie().as_deref(), Some(""), "{name}: cleared");
        assert!(answer.set_cookie.unwrap().contains("Max-Age=0"), "{name}");
    }
    assert_eq!(
        upstream.forms().len(),
        1,
        "only the authentic, unexpired cookie was tried upstream"
    );
}

#[tokio::test]
async fn a_live_cookie_is_refreshed_by_the_probe() {
    let (_, clock, router) = proxy_with_clock("cookie", &[]).await;
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    clock.advance(60);
    let answer = call(&router, "/refresh", PROBE, signed_in.cookie().as_deref()).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["access_token"], "stub-access-token-2-Aa7");
    assert_eq!(answer.body["session_expires_in"], 43_200 - 60);
    assert_eq!(
        keys(&answer.body),
        [
            "access_token",
            "expires_in",
            "refresh_token_expires_in",
            "scope",
            "session_expires_in",
            "session_persistent",
            "token_type"
        ]
    );
    let renewed = answer.cookie().unwrap();
    assert!(!renewed.is_empty() && renewed != signed_in.cookie().unwrap());
}

#[tokio::test]
async fn identity_service_failures_during_a_probe_are_errors_and_keep_the_cookie() {
    let cases = [
        (500, "", 502, "upstream_unavailable"),
        (429, "", 503, "upstream_rate_limited"),
        (
            401,
            r#"{"error":"invalid_client"}"#,
            502,
            "proxy_misconfigured",
        ),
    ];
    for (upstream_status, upstream_body, status, code) in cases {
        let upstream = stub(Behavior::fixed(upstream_status, upstream_body)).await;
        let clock = manual_clock();
        let router = router_at(&env(&upstream.token_url(), "cookie"), &clock);
        let answer = call(&router, "/refresh", PROBE, Some(&live_cookie())).await;
        assert_eq!(
            answer.status, status,
            "{upstream_status}: {:?}",
            answer.body
        );
        assert_eq!(answer.body["error"], code);
        assert_eq!(
            answer.set_cookie, None,
            "{upstream_status}: the session may still be good"
        );
    }
    // Timeouts are 504, as for any refresh.
    let upstream = stub(Behavior::Hang).await;
    let router = router_at(&env(&upstream.token_url(), "cookie"), &manual_clock());
    let answer = call(&router, "/refresh", PROBE, Some(&live_cookie())).await;
    assert_eq!(answer.status, 504);
    assert_eq!(answer.body["error"], "upstream_unavailable");
}

#[tokio::test]
async fn malformed_probes_are_refused_like_any_bad_request() {
    let (_, _, router) = proxy_with_clock("cookie", &[]).await;
    for body in [r#"{"probe":"yes"}"#, r#"{"probe":true,"all":true}"#, "[]"] {
        let answer = call(&router, "/refresh", body, None).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.body["error"], "invalid_request");
    }
}

#[tokio::test]
async fn handle_mode_probes_with_or_without_a_handle() {
    // The proxy offers remembering, but a handle cannot outlive the tab: 0 days here.
    let (_, _, router) = proxy_with_clock("handle", &[(config::REMEMBER_DAYS, "30")]).await;
    let answer = call(&router, "/refresh", PROBE, None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body,
        serde_json::json!({"signed_in": false, "remember_days": 0})
    );

    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    let handle = signed_in.body["refresh_handle"].as_str().unwrap();
    let probe =
        |handle: &str| serde_json::json!({"probe": true, "refresh_handle": handle}).to_string();
    let answer = call(&router, "/refresh", &probe(handle), None).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert!(answer.body["refresh_handle"].is_string());

    let answer = call(&router, "/refresh", &probe("not-a-handle"), None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body,
        serde_json::json!({"signed_in": false, "reason": "session_expired", "remember_days": 0})
    );
    assert_eq!(answer.set_cookie, None);
}
