//! A standard OAuth 2.0 token endpoint (no Webex `refresh_token_expires_in`) works, and every upstream
//! answer the proxy refuses is logged at warn level with its status and reason, never a secret.

mod support;

use support::*;
use wxcc_token_proxy::config;
use wxcc_token_proxy::{AppState, app};

#[tokio::test]
async fn sign_in_and_refresh_work_without_refresh_token_expires_in() {
    let upstream = stub(Behavior::Normal).await;
    upstream.omit_refresh_token_expires_in();
    let router = router(&upstream.token_url(), "cookie");

    let (status, cookie, body) = send(&router, "/token", &token_body("good-std"), None).await;
    assert_eq!(status, 200, "{body}");
    // The default assumed lifetime is Webex's 90 days.
    let remaining = body["refresh_token_expires_in"].as_u64().unwrap();
    assert!((7_775_990..=7_776_000).contains(&remaining), "{remaining}");
    let cookie = cookie.expect("the session cookie is set");

    let (status, cookie, body) = send(&router, "/refresh", "{}", Some(&cookie)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["access_token"], "stub-access-token-2-Aa7");
    let (status, _, body) = send(&router, "/refresh", "{}", cookie.as_deref()).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_granted_scopes_are_passed_on_only_when_the_server_listed_them() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "handle");
    let (_, _, body) = send(&router, "/token", &token_body("good-listed"), None).await;
    assert_eq!(body["scope"], "cjp:config_read spark:people_read");
    // RFC 6749 §5.1: no `scope` means "as requested" — not an empty list, which would lock every view.
    upstream.omit_scope();
    let (status, _, body) = send(&router, "/token", &token_body("good-unlisted"), None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("scope").is_none(), "{body}");
}

#[tokio::test]
async fn the_assumed_refresh_lifetime_is_configurable() {
    let upstream = stub(Behavior::Normal).await;
    upstream.omit_refresh_token_expires_in();
    let env = env_with(
        &upstream.token_url(),
        "handle",
        &[(config::DEFAULT_REFRESH_LIFETIME_SECS, "86400")],
    );
    let router = app(AppState::new(&config_from(&env)).unwrap());
    let (status, _, body) = send(&router, "/token", &token_body("good-std"), None).await;
    assert_eq!(status, 200, "{body}");
    let remaining = body["refresh_token_expires_in"].as_u64().unwrap();
    assert!((86_390..=86_400).contains(&remaining), "{remaining}");
}

/// One `/token` call against a stub with `behavior` (`None`: nothing listens): the proxy's status, the
/// warn-level log lines and the whole log text.
async fn warnings_for(behavior: Option<Behavior>) -> (u16, Vec<serde_json::Value>, String) {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.subscriber());
    let endpoint = match behavior {
        None => dead_url().await,
        Some(behavior) => stub(behavior).await.token_url(),
    };
    let router = router(&endpoint, "cookie");
    let (status, _, _) = send(&router, "/token", &token_body("good-log"), None).await;
    let warnings = capture
        .lines()
        .into_iter()
        .filter(|line| line["level"] == "WARN")
        .collect();
    (status, warnings, capture.text())
}

#[tokio::test]
async fn every_refused_upstream_answer_logs_its_reason_at_warn_level() {
    let cases = [
        (
            Behavior::fixed(200, r#"{"expires_in":60,"refresh_token":"LEAK-rt-1"}"#),
            200,
            "field `access_token` is missing",
        ),
        (
            Behavior::fixed(200, r#"{"access_token":"LEAK-at-2","expires_in":60}"#),
            200,
            "field `refresh_token` is missing",
        ),
        (
            Behavior::fixed(
                200,
                r#"{"access_token":"LEAK-at-3","expires_in":60,"refresh_token":"LEAK-rt-3","refresh_token_expires_in":"soon"}"#,
            ),
            200,
            "field `refresh_token_expires_in` is malformed",
        ),
        (
            Behavior::fixed(200, "<html>LEAK-page</html>"),
            200,
            "not JSON",
        ),
        (
            Behavior::fixed(500, r#"{"message":"LEAK-500"}"#),
            500,
            "failed",
        ),
        (Behavior::fixed(503, "LEAK-503"), 503, "failed"),
        (
            Behavior::fixed(404, "LEAK-404"),
            404,
            "WXCC_PROXY_TOKEN_ENDPOINT",
        ),
        (
            Behavior::fixed(
                401,
                r#"{"error":"invalid_client","error_description":"LEAK-401"}"#,
            ),
            401,
            "client id or secret",
        ),
        (Behavior::fixed(429, "LEAK-429"), 429, "rate limits"),
        (Behavior::fixed(418, "LEAK-418"), 418, "unexpected status"),
    ];
    for (behavior, upstream_status, reason) in cases {
        let (status, warnings, text) = warnings_for(Some(behavior)).await;
        assert!(
            status >= 500,
            "{upstream_status}: the proxy answered {status}"
        );
        let found = warnings.iter().any(|line| {
            let fields = &line["fields"];
            fields["upstream_status"] == upstream_status
                && (fields["message"].as_str().unwrap_or("").contains(reason)
                    || fields["reason"].as_str().unwrap_or("").contains(reason))
        });
        assert!(
            found,
            "{upstream_status}: no warning saying `{reason}` in {warnings:?}"
        );
        assert!(!text.contains("LEAK"), "an upstream body reached the logs");
        assert!(
            !text.contains(CLIENT_SECRET),
            "the client secret reached the logs"
        );
    }
}

#[tokio::test]
async fn unreachable_and_oversized_upstreams_log_at_warn_level() {
    let (status, warnings, _) = warnings_for(None).await;
    assert_eq!(status, 502);
    assert!(
        warnings.iter().any(|line| line["fields"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("token endpoint call failed")),
        "{warnings:?}"
    );
    let (status, warnings, _) = warnings_for(Some(Behavior::Huge)).await;
    assert_eq!(status, 502);
    assert!(
        warnings.iter().any(|line| line["fields"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("larger than the proxy reads")),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn a_refused_grant_is_not_a_warning() {
    let (status, warnings, _) =
        warnings_for(Some(Behavior::fixed(400, r#"{"error":"invalid_grant"}"#))).await;
    assert_eq!(status, 400);
    assert!(warnings.is_empty(), "{warnings:?}");
}
