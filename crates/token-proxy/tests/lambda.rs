//! Drives the Lambda host with API Gateway v2 / Function URL events, as the Lambda runtime would.

mod support;

use lambda_http::Adapter;
use lambda_http::request::LambdaRequest;
use support::function_url::{self, body_of, invoke};
use support::*;
use wxcc_token_proxy::lambda::lambda_app;
use wxcc_token_proxy::{AppState, config};

fn event(
    method: &str,
    path: &str,
    source_ip: &str,
    headers: serde_json::Value,
    body: Option<String>,
) -> LambdaRequest {
    function_url::event(method, path, source_ip, headers, body)
}

#[tokio::test]
async fn function_url_events_run_the_same_router() {
    let upstream = stub(Behavior::Normal).await;
    let state = AppState::new(&config_from(&env(&upstream.token_url(), "cookie"))).unwrap();
    let mut adapter = Adapter::from(lambda_app(state));

    let health = invoke(
        &mut adapter,
        event(
            "GET",
            "/healthz",
            "198.51.100.7",
            serde_json::json!({}),
            None,
        ),
    )
    .await;
    assert_eq!(health["statusCode"], 200);
    assert_eq!(body_of(&health)["status"], "ok");

    let response = invoke(
        &mut adapter,
        event(
            "POST",
            "/token",
            "198.51.100.7",
            function_url::policy_headers(),
            Some(token_body("good-lambda")),
        ),
    )
    .await;
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(
        body_of(&response)["access_token"],
        "stub-access-token-1-Aa7"
    );
    assert_eq!(response["headers"]["cache-control"], "no-store");
    assert_eq!(response["headers"]["access-control-allow-origin"], ORIGIN);
    // Function URLs and HTTP APIs carry Set-Cookie in `cookies`.
    let cookie = response["cookies"][0].as_str().unwrap();
    assert!(cookie.starts_with("__Host-wxcc_rt=") && cookie.contains("HttpOnly"));
    let sealed = cookie.split(';').next().unwrap().to_owned();

    // Function URL events carry request cookies in `cookies` too.
    let mut request = event(
        "POST",
        "/refresh",
        "198.51.100.7",
        function_url::policy_headers(),
        Some("{}".into()),
    );
    if let LambdaRequest::ApiGatewayV2(ref mut inner) = request {
        inner.cookies = Some(vec![sealed]);
    }
    let response = invoke(&mut adapter, request).await;
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(
        body_of(&response)["access_token"],
        "stub-access-token-2-Aa7"
    );

    let mut foreign = function_url::policy_headers();
    foreign["origin"] = "https://evil.example".into();
    let response = invoke(
        &mut adapter,
        event(
            "POST",
            "/token",
            "198.51.100.7",
            foreign,
            Some(token_body("good-x")),
        ),
    )
    .await;
    assert_eq!(response["statusCode"], 403);
    assert_eq!(body_of(&response)["error"], "origin_not_allowed");
}

#[tokio::test]
async fn lambda_rate_limit_uses_the_event_source_ip() {
    let upstream = stub(Behavior::Normal).await;
    let mut env = env(&upstream.token_url(), "handle");
    env.insert(config::RATE_LIMIT_PER_MINUTE.into(), "1".into());
    let mut adapter = Adapter::from(lambda_app(AppState::new(&config_from(&env)).unwrap()));
    // A probe without a handle: answered without calling upstream, but counted.
    let probe = |ip: &str| {
        let body = Some(r#"{"probe":true}"#.into());
        event("POST", "/refresh", ip, function_url::policy_headers(), body)
    };
    assert_eq!(
        invoke(&mut adapter, probe("203.0.113.1")).await["statusCode"],
        200
    );
    let limited = invoke(&mut adapter, probe("203.0.113.1")).await;
    assert_eq!(limited["statusCode"], 429);
    assert_eq!(body_of(&limited)["error"], "rate_limited");
    assert_eq!(
        invoke(&mut adapter, probe("203.0.113.2")).await["statusCode"],
        200
    );
}
