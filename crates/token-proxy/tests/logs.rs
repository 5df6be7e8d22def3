//! Captures every log line (TRACE, all crates) of full sessions over real sockets and searches them for
//! every secret involved. This file holds one test because it installs the global subscriber.

mod support;

use std::net::SocketAddr;
use support::*;
use tracing_subscriber::util::SubscriberInitExt;
use wxcc_token_proxy::{AppState, app};

async fn serve(mode: &str, token_endpoint: &str) -> String {
    let state = AppState::new(&config_from(&env(token_endpoint, mode))).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{address}")
}

async fn call(base: &str, path: &str, body: String, cookie: Option<&str>) -> reqwest::Response {
    let mut request = post_over_http(&format!("{base}{path}")).body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("__Host-wxcc_rt={cookie}"));
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn no_secret_reaches_the_logs() {
    let capture = Capture::default();
    // Global (and `log` records too), unlike the other tests' per-thread subscriber.
    capture.subscriber().init();

    let upstream = stub(Behavior::Normal).await;
    let mut secrets: Vec<String> = vec![CLIENT_SECRET.into(), VERIFIER.into(), KEY_A.into()];

    // Cookie mode: sign in, refresh, probe, refresh with the stale cookie, logout.
    let base = serve("cookie", &upstream.token_url()).await;
    let response = call(&base, "/token", token_body("good-log-code-1"), None).await;
    assert_eq!(response.status(), 200);
    let cookie = cookie_value(response.headers()).unwrap();
    secrets.push("good-log-code-1".into());
    secrets.push(cookie.clone());
    let response = call(&base, "/refresh", "{}".into(), Some(&cookie)).await;
    assert_eq!(response.status(), 200);
    let fresh = cookie_value(response.headers()).unwrap();
    secrets.push(fresh.clone());
    // The quiet probe, with the live cookie and without any.
    let response = call(&base, "/refresh", r#"{"probe":true}"#.into(), Some(&fresh)).await;
    assert_eq!(response.status(), 200);
    let probed = cookie_value(response.headers()).unwrap();
    secrets.push(probed);
    let response = call(&base, "/refresh", r#"{"probe":true}"#.into(), None).await;
    assert_eq!(response.status(), 200);
    let response = call(&base, "/refresh", "{}".into(), Some(&cookie)).await;
    assert_eq!(response.status(), 401);
    let response = call(&base, "/logout", "{}".into(), Some(&cookie)).await;
    assert_eq!(response.status(), 204);
    // A replayed code and an upstream failure log their refusals too.
    let response = call(&base, "/token", token_body("good-log-code-1"), None).await;
    assert_eq!(response.status(), 400);

    // Handle mode: sign in, refresh.
    let base = serve("handle", &upstream.token_url()).await;
    let response = call(&base, "/token", token_body("good-log-code-2"), None).await;
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    let handle = body["refresh_handle"].as_str().unwrap().to_owned();
    secrets.push("good-log-code-2".into());
    secrets.push(handle.clone());
    let response = call(&base, "/refresh", handle_body(&handle), None).await;
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    secrets.push(body["refresh_handle"].as_str().unwrap().to_owned());

    let failing = stub(Behavior::fixed(500, "{}")).await;
    let base = serve("handle", &failing.token_url()).await;
    let response = call(&base, "/token", token_body("good-log-code-3"), None).await;
    assert_eq!(response.status(), 502);
    secrets.push("good-log-code-3".into());

    for n in 1..=upstream.issued() {
        secrets.push(format!("stub-access-token-{n}-Aa7"));
        secrets.push(format!("stub-refresh-token-{n}-Rr9"));
    }

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture must really hold the request logs, or the search below proves nothing.
    assert!(logs.contains("request_id"), "request ids are logged");
    assert!(logs.contains("token endpoint answered"));
    assert!(logs.contains("\"path\":\"/refresh\""));
    assert!(logs.contains("refresh_expired"));
    assert!(logs.contains("session probe: no session"));
    for secret in &secrets {
        assert!(!secret.is_empty());
        assert!(
            !logs.contains(secret.as_str()),
            "a secret reached the logs: {}…",
            &secret[..6]
        );
        // Also the URL-encoded form, as in a logged request body.
        let encoded = serde_urlencoded::to_string([("x", secret)]).unwrap();
        assert!(
            !logs.contains(&encoded[2..]),
            "an encoded secret reached the logs"
        );
    }
    assert!(upstream.issued() >= 4);
}
