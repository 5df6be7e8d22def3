//! The security policy, point by point, and the two session modes end to end against the stub upstream.

mod support;

use axum::body::Body;
use axum::http::Request;
use support::*;
use tower::ServiceExt;
use wxcc_token_proxy::config;
use wxcc_token_proxy::{AppState, app};

fn preflight(origin: &str) -> Request<Body> {
    Request::options("/token")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-wxcc-request",
        )
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn cors_preflight_allows_exactly_the_configured_origin_with_credentials_in_cookie_mode() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");
    let (status, headers, _) = read(router.clone().oneshot(preflight(ORIGIN)).await.unwrap()).await;
    assert!(status.is_success());
    assert_eq!(headers["access-control-allow-origin"], ORIGIN);
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("x-wxcc-request"));
    assert_eq!(headers["access-control-allow-methods"], "POST");
    assert_eq!(headers["cache-control"], "no-store");

    let (_, headers, _) = read(
        router
            .oneshot(preflight("https://evil.example"))
            .await
            .unwrap(),
    )
    .await;
    assert!(headers.get("access-control-allow-origin").is_none());
    assert!(upstream.forms().is_empty());
}

#[tokio::test]
async fn handle_mode_does_not_allow_credentials() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "handle");
    let (_, headers, _) = read(router.oneshot(preflight(ORIGIN)).await.unwrap()).await;
    assert_eq!(headers["access-control-allow-origin"], ORIGIN);
    assert!(headers.get("access-control-allow-credentials").is_none());
}

#[tokio::test]
async fn error_answers_to_allowed_origins_are_readable_by_the_spa() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");
    let request = post("/refresh").body(Body::from("{}")).unwrap();
    let (status, headers, body) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "session_expired");
    assert_eq!(headers["access-control-allow-origin"], ORIGIN);
    assert!(
        headers.get("x-request-id").is_some(),
        "request ids are propagated"
    );
}

#[tokio::test]
async fn every_answer_is_no_store() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");
    let requests = vec![
        Request::get("/healthz").body(Body::empty()).unwrap(),
        Request::get("/nope").body(Body::empty()).unwrap(),
        post("/token")
            .body(Body::from(token_body("good-1")))
            .unwrap(),
        post("/token").body(Body::from("{}")).unwrap(),
        post("/logout").body(Body::from("{}")).unwrap(),
        preflight(ORIGIN),
    ];
    for request in requests {
        let path = request.uri().path().to_owned();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn healthz_needs_no_origin() {
    let router = router(&dead_url().await, "cookie");
    let (status, _, body) = read(
        router
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn cookie_mode_full_session() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");

    // Sign-in: access token in the body, refresh token only sealed in the cookie.
    let request = post("/token")
        .body(Body::from(token_body("good-1")))
        .unwrap();
    let (status, headers, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["access_token"], "stub-access-token-1-Aa7");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "cjp:config_read spark:people_read");
    assert_eq!(body["expires_in"], 43199);
    assert!(body["refresh_token_expires_in"].as_u64().unwrap() > 7_775_000);
    assert!(body["session_expires_in"].as_u64().unwrap() > 43_000);
    assert_eq!(body["session_persistent"], false);
    assert!(body.get("refresh_token").is_none() && body.get("refresh_handle").is_none());
    assert!(!body.to_string().contains("stub-refresh-token"));
    let set_cookie = headers["set-cookie"].to_str().unwrap();
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing from the cookie"
        );
    }
    // A session cookie: it ends with the browser session.
    assert!(!set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"));
    assert!(!set_cookie.contains("stub-refresh-token") && !set_cookie.contains("Domain"));
    let first_cookie = cookie_value(&headers).unwrap();

    // The upstream got exactly the configured values and one of the two grants.
    let form = &upstream.forms()[0];
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["redirect_uri"], REDIRECT_URI);
    assert_eq!(form["client_id"], CLIENT_ID);
    assert_eq!(form["code_verifier"], VERIFIER);

    // Refresh with the cookie: a new access token and a re-sealed, rotated refresh token.
    let request = post("/refresh")
        .header("cookie", format!("__Host-wxcc_rt={first_cookie}"))
        .body(Body::from("{}"))
        .unwrap();
    let (status, headers, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["access_token"], "stub-access-token-2-Aa7");
    let form = &upstream.forms()[1];
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["refresh_token"], "stub-refresh-token-1-Rr9");
    let second_cookie = cookie_value(&headers).unwrap();
    assert_ne!(first_cookie, second_cookie);

    // The rotated-out refresh token is refused upstream: sign in again, and the cookie is cleared.
    let request = post("/refresh")
        .header("cookie", format!("__Host-wxcc_rt={first_cookie}"))
        .body(Body::from("{}"))
        .unwrap();
    let (status, headers, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (401, Some("refresh_expired"))
    );
    assert_eq!(body["tracking_id"], "STUB_tracking-1");
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    // Logout clears the cookie.
    let request = post("/logout").body(Body::from("{}")).unwrap();
    let (status, headers, _) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(status, 204);
    assert_eq!(
        headers["set-cookie"],
        "__Host-wxcc_rt=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict"
    );
    assert!(
        upstream
            .forms()
            .iter()
            .all(|f| ["authorization_code", "refresh_token"].contains(&f["grant_type"].as_str()))
    );
}

#[tokio::test]
async fn handle_mode_full_session() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "handle");
    let request = post("/token")
        .body(Body::from(token_body("good-1")))
        .unwrap();
    let (status, headers, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert!(headers.get("set-cookie").is_none());
    let handle = body["refresh_handle"].as_str().unwrap().to_owned();
    assert!(!handle.contains("stub-refresh-token"));

    let request = post("/refresh")
        .body(Body::from(
            serde_json::json!({"refresh_handle": handle}).to_string(),
        ))
        .unwrap();
    let (status, _, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["access_token"], "stub-access-token-2-Aa7");
    let new_handle = body["refresh_handle"].as_str().unwrap();
    assert_ne!(new_handle, handle);

    let request = post("/refresh")
        .body(Body::from(
            serde_json::json!({"refresh_handle": new_handle}).to_string(),
        ))
        .unwrap();
    let (status, _, _) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(status, 200);

    let request = post("/logout").body(Body::from("{}")).unwrap();
    let (status, headers, _) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(status, 204);
    assert!(headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn a_code_works_once() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");
    let request = || {
        post("/token")
            .body(Body::from(token_body("good-once")))
            .unwrap()
    };
    let (status, _, _) = read(router.clone().oneshot(request()).await.unwrap()).await;
    assert_eq!(status, 200);
    let (status, _, body) = read(router.oneshot(request()).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn rotated_sealing_keys_keep_sessions_alive() {
    let upstream = stub(Behavior::Normal).await;
    let old = router(&upstream.token_url(), "handle");
    let request = post("/token")
        .body(Body::from(token_body("good-1")))
        .unwrap();
    let (_, _, body) = read(old.oneshot(request).await.unwrap()).await;
    let handle = body["refresh_handle"].as_str().unwrap().to_owned();

    let mut env = env(&upstream.token_url(), "handle");
    env.insert(config::SEALING_KEYS.into(), format!("{KEY_B},{KEY_A}"));
    let rotated = app(AppState::new(&config_from(&env)).unwrap());
    let request = post("/refresh")
        .body(Body::from(
            serde_json::json!({"refresh_handle": handle}).to_string(),
        ))
        .unwrap();
    let (status, _, body) = read(rotated.oneshot(request).await.unwrap()).await;
    assert_eq!(status, 200, "{body}");

    // The new handle is sealed with the new first key: a proxy with only the old key cannot open it.
    let new_handle = body["refresh_handle"].as_str().unwrap().to_owned();
    let old = router(&upstream.token_url(), "handle");
    let request = post("/refresh")
        .body(Body::from(
            serde_json::json!({"refresh_handle": new_handle}).to_string(),
        ))
        .unwrap();
    let (status, _, body) = read(old.oneshot(request).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (401, Some("session_expired"))
    );
}

#[tokio::test]
async fn redirects_from_the_token_endpoint_are_not_followed() {
    let elsewhere = stub(Behavior::Normal).await;
    let redirecting = stub(Behavior::Redirect(elsewhere.token_url())).await;
    let router = router(&redirecting.token_url(), "cookie");
    let request = post("/token")
        .body(Body::from(token_body("good-1")))
        .unwrap();
    let (status, _, body) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (502, Some("proxy_misconfigured"))
    );
    assert_eq!(redirecting.forms().len(), 1);
    assert!(
        elsewhere.forms().is_empty(),
        "the client secret must not follow a redirect"
    );
}

#[tokio::test]
async fn upstream_errors_keep_the_tracking_id_and_never_the_body() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");
    let request = post("/token")
        .body(Body::from(token_body("bad-code")))
        .unwrap();
    let (status, _, body) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["tracking_id"], "STUB_tracking-1");
    assert!(!body.to_string().contains(UPSTREAM_SECRET_TEXT));
}

#[tokio::test]
async fn upstream_rate_limit_forwards_retry_after() {
    let upstream = stub(Behavior::Fixed {
        status: 429,
        body: "{}".into(),
        retry_after: Some("9"),
    })
    .await;
    let router = router(&upstream.token_url(), "cookie");
    let request = post("/token")
        .body(Body::from(token_body("good-1")))
        .unwrap();
    let (status, headers, body) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (503, Some("upstream_rate_limited"))
    );
    assert_eq!(headers["retry-after"], "9");
}

#[tokio::test]
async fn wrong_client_secret_is_an_operator_problem() {
    let upstream = stub(Behavior::Normal).await;
    let mut env = env(&upstream.token_url(), "cookie");
    env.insert(config::CLIENT_SECRET.into(), "wrong".into());
    let router = app(AppState::new(&config_from(&env)).unwrap());
    let request = post("/token")
        .body(Body::from(token_body("good-1")))
        .unwrap();
    let (status, _, body) = read(router.oneshot(request).await.unwrap()).await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (502, Some("proxy_misconfigured"))
    );
    assert!(!body.to_string().contains("wrong"));
}

#[tokio::test]
async fn rate_limit_is_per_client_ip_and_spares_health_checks_and_sign_out() {
    let upstream = stub(Behavior::Normal).await;
    let mut env = env(&upstream.token_url(), "cookie");
    env.insert(config::RATE_LIMIT_PER_MINUTE.into(), "3".into());
    let router = app(AppState::new(&config_from(&env)).unwrap());
    let from = |path: &str, ip: &str| {
        let mut request = post(path).body(Body::from("{}")).unwrap();
        request.extensions_mut().insert(socket(ip));
        request
    };
    // A refresh without a cookie: refused without calling upstream, but counted.
    for _ in 0..3 {
        let response = router
            .clone()
            .oneshot(from("/refresh", "10.0.0.1"))
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let (status, headers, body) = read(
        router
            .clone()
            .oneshot(from("/refresh", "10.0.0.1"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["error"].as_str()),
        (429, Some("rate_limited"))
    );
    assert_eq!(headers["retry-after"], "20");
    assert_eq!(headers["cache-control"], "no-store");
    let other_client = router
        .clone()
        .oneshot(from("/refresh", "10.0.0.2"))
        .await
        .unwrap();
    assert_eq!(other_client.status(), 401, "other clients are unaffected");
    // Sign-out always works, however often: it is not counted.
    for _ in 0..10 {
        let (status, headers, _) = read(
            router
                .clone()
                .oneshot(from("/logout", "10.0.0.1"))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 204);
        assert!(
            headers["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
    }
    // Health checks from a load balancer are not throttled.
    let mut health = Request::get("/healthz").body(Body::empty()).unwrap();
    health.extensions_mut().insert(socket("10.0.0.1"));
    assert_eq!(router.clone().oneshot(health).await.unwrap().status(), 200);
    // Sign-out still passes the origin policy.
    let foreign = set_origin(from("/logout", "10.0.0.1"), "https://evil.example");
    assert_eq!(router.oneshot(foreign).await.unwrap().status(), 403);
}

fn set_origin(mut request: Request<Body>, origin: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert("origin", origin.parse().unwrap());
    request
}
