//! End to end against the local Webex sandbox: a real authorization code from its consent form, exchanged
//! through the proxy, refreshed, then refused once the sandbox expires every refresh token; and the same
//! sign-in and refresh with the sandbox answering like a standard OAuth 2.0 server (no
//! `refresh_token_expires_in`).

mod support;

use support::sandbox::{self, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, authorization_code};
use support::{ORIGIN, REDIRECT_URI, VERIFIER, config_from, env_with, send, token_body};
use wxcc_token_proxy::config;
use wxcc_token_proxy::{AppState, app};

/// The proxy in cookie mode with the sandbox's demo client, in front of the sandbox's token
/// endpoint, with `extra` variables.
fn proxy_with(identity_url: &str, extra: &[(&str, &str)]) -> axum::Router {
    let token_endpoint = format!("{identity_url}/v1/access_token");
    let mut env = env_with(&token_endpoint, "cookie", extra);
    env.insert(config::CLIENT_ID.to_owned(), DEMO_CLIENT_ID.to_owned());
    env.insert(
        config::CLIENT_SECRET.to_owned(),
        DEMO_CLIENT_SECRET.to_owned(),
    );
    // The sandbox is a real server: the default upstream timeout, not the stub tests' short one.
    env.remove(config::UPSTREAM_TIMEOUT_MS);
    app(AppState::new(&config_from(&env)).unwrap())
}

#[tokio::test]
async fn code_exchange_refresh_and_expired_refresh_against_the_sandbox() {
    let sandbox = sandbox::start(ORIGIN, REDIRECT_URI).await;
    let identity = sandbox.identity_url();
    let proxy = proxy_with(&identity, &[]);

    let code = authorization_code(&identity, REDIRECT_URI, VERIFIER).await;
    let body = token_body(&code);
    let (status, cookie, tokens) = send(&proxy, "/token", &body, None).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(
        tokens["access_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(tokens.get("refresh_token").is_none());
    let cookie = cookie.expect("cookie mode sets the session cookie");

    // The access token works against the sandbox.
    let me = reqwest::Client::new()
        .get(format!("{identity}/v1/people/me"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    // The code is single use.
    let (status, _, error) = send(&proxy, "/token", &body, None).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        error["tracking_id"].as_str().is_some(),
        "the sandbox trackingId is kept: {error}"
    );

    let (status, refreshed_cookie, refreshed) = send(&proxy, "/refresh", "{}", Some(&cookie)).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_ne!(refreshed["access_token"], tokens["access_token"]);
    let cookie = refreshed_cookie.expect("refresh re-seals the refresh token");

    set_fault(&identity, r#"{"expire_refresh_tokens": true}"#).await;
    let (status, cleared, error) = send(&proxy, "/refresh", "{}", Some(&cookie)).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("refresh_expired")),
        "{error}"
    );
    assert_eq!(cleared.as_deref(), Some(""), "the cookie is cleared");

    sandbox.shutdown().await;
}

async fn set_fault(identity: &str, body: &str) {
    let faults = reqwest::Client::new()
        .post(format!("{identity}/_sandbox/faults"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    assert!(faults.status().is_success(), "{}", faults.status());
}

#[tokio::test]
async fn sign_in_and_refresh_without_refresh_token_expires_in_against_the_sandbox() {
    let sandbox = sandbox::start(ORIGIN, REDIRECT_URI).await;
    let identity = sandbox.identity_url();
    // A default far from the sandbox's own lifetime, so the answer shows which one was used.
    let proxy = proxy_with(
        &identity,
        &[(config::DEFAULT_REFRESH_LIFETIME_SECS, "86400")],
    );
    set_fault(&identity, r#"{"omit_refresh_token_expires_in": true}"#).await;

    let code = authorization_code(&identity, REDIRECT_URI, VERIFIER).await;
    let (status, cookie, tokens) = send(&proxy, "/token", &token_body(&code), None).await;
    assert_eq!(status, 200, "{tokens}");
    let assumed = tokens["refresh_token_expires_in"].as_u64().unwrap();
    assert!((86_390..=86_400).contains(&assumed), "{tokens}");
    assert_eq!(tokens["session_persistent"], false);
    let cookie = cookie.expect("cookie mode sets the session cookie");

    let (status, refreshed_cookie, refreshed) = send(&proxy, "/refresh", "{}", Some(&cookie)).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_ne!(refreshed["access_token"], tokens["access_token"]);
    assert!(refreshed_cookie.is_some_and(|c| !c.is_empty()));

    sandbox.shutdown().await;
}
