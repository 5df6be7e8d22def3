//! The Lambda host behind CloudFront: the function URL is public, so with an origin secret configured
//! only requests carrying it (CloudFront adds it) are served, and only then is CloudFront's viewer
//! address the client the rate limiter counts.

mod support;

use lambda_http::Adapter;
use lambda_http::request::LambdaRequest;
use serde_json::{Value, json};
use support::function_url::{self, FunctionAdapter};
use support::*;
use wxcc_token_proxy::lambda::lambda_app;
use wxcc_token_proxy::{AppState, config};

const ORIGIN_SECRET: &str = "origin-secret-for-the-test-0123456789abcdefXYZ";
/// CloudFront's edge, as the function URL sees it.
const EDGE_IP: &str = "130.176.0.10";

fn event(method: &str, path: &str, headers: Value, body: Option<&str>) -> LambdaRequest {
    function_url::event(method, path, EDGE_IP, headers, body.map(String::from))
}

/// A policy-passing POST's headers, with the origin-verify header when `secret` is given and
/// CloudFront's viewer address when `viewer` is.
fn headers(secret: Option<&str>, viewer: Option<&str>) -> Value {
    let mut headers = function_url::policy_headers();
    if let Some(secret) = secret {
        headers["x-wxcc-origin-verify"] = secret.into();
    }
    if let Some(viewer) = viewer {
        headers["cloudfront-viewer-address"] = viewer.into();
    }
    headers
}

async fn invoke(adapter: &mut FunctionAdapter, request: LambdaRequest) -> (u16, Value) {
    let response = function_url::invoke(adapter, request).await;
    let status = response["statusCode"].as_u64().unwrap() as u16;
    (status, function_url::body_of(&response))
}

async fn adapter(rate_limit: &str) -> FunctionAdapter {
    let upstream = stub(Behavior::Normal).await;
    let env = env_with(
        &upstream.token_url(),
        "cookie",
        &[
            (config::ORIGIN_SECRET, ORIGIN_SECRET),
            (config::RATE_LIMIT_PER_MINUTE, rate_limit),
        ],
    );
    Adapter::from(lambda_app(AppState::new(&config_from(&env)).unwrap()))
}

const PROBE: Option<&str> = Some(r#"{"probe":true}"#);

#[tokio::test]
async fn a_request_without_the_origin_secret_is_refused() {
    let mut adapter = adapter("10000").await;
    for secret in [
        None,
        Some("wrong-secret-of-the-same-kind-0123456789abcdefXYZ"),
    ] {
        let (status, body) = invoke(
            &mut adapter,
            event("POST", "/refresh", headers(secret, None), PROBE),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error"], "direct_access_refused");
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .contains("console's own address")
        );
    }
    let preflight = json!({"origin": ORIGIN, "access-control-request-method": "POST"});
    let (status, _) = invoke(&mut adapter, event("OPTIONS", "/token", preflight, None)).await;
    assert_eq!(status, 403, "a preflight around the CDN is refused too");

    let (status, body) = invoke(
        &mut adapter,
        event(
            "POST",
            "/refresh",
            headers(Some(ORIGIN_SECRET), None),
            PROBE,
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, _) = invoke(&mut adapter, event("GET", "/healthz", json!({}), None)).await;
    assert_eq!(
        status, 200,
        "the stack's health check goes straight to the function URL"
    );
}

#[tokio::test]
async fn the_viewer_address_is_the_client_only_when_the_origin_secret_matched() {
    let mut adapter = adapter("1").await;
    let probe = |viewer: &str| {
        event(
            "POST",
            "/refresh",
            headers(Some(ORIGIN_SECRET), Some(viewer)),
            PROBE,
        )
    };
    assert_eq!(
        invoke(&mut adapter, probe("198.51.100.1:40000")).await.0,
        200
    );
    let (status, body) = invoke(&mut adapter, probe("198.51.100.1:40001")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    assert_eq!(
        invoke(&mut adapter, probe("198.51.100.2:40000")).await.0,
        200,
        "another viewer behind the same edge has a bucket of its own"
    );
    assert_eq!(
        invoke(&mut adapter, probe("2001:db8:5:6::1:443")).await.0,
        200
    );
    assert_eq!(
        invoke(&mut adapter, probe("2001:db8:5:6::99:443")).await.0,
        429,
        "an IPv6 viewer is counted per /64"
    );
}

#[tokio::test]
async fn without_an_origin_secret_the_viewer_address_header_is_not_believed() {
    let upstream = stub(Behavior::Normal).await;
    let env = env_with(
        &upstream.token_url(),
        "cookie",
        &[(config::RATE_LIMIT_PER_MINUTE, "1")],
    );
    let mut adapter = Adapter::from(lambda_app(AppState::new(&config_from(&env)).unwrap()));
    let probe = |viewer: &str| event("POST", "/refresh", headers(None, Some(viewer)), PROBE);
    assert_eq!(invoke(&mut adapter, probe("198.51.100.1:1")).await.0, 200);
    assert_eq!(
        invoke(&mut adapter, probe("198.51.100.2:1")).await.0,
        429,
        "a forged viewer address must not buy a fresh bucket"
    );
}
