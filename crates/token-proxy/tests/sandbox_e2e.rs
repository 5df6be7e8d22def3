//! End to end against the local Webex sandbox: a real authorization code from its consent form, exchanged
//! through the proxy, refreshed, then refused once the sandbox expires every refresh token; and the same
//! sign-in and refresh with the sandbox answering like a standard OAuth 2.0 server (no
//! `refresh_token_expires_in`).

mod support;

use axum::body::Body;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use support::{
    ORIGIN, REDIRECT_URI, VERIFIER, config_from, cookie_value, env, post, read, token_body,
};
use tower::ServiceExt;
use wxcc_sandbox::{DEMO_SCOPES, SandboxConfig};
use wxcc_token_proxy::config;
use wxcc_token_proxy::{AppState, app};

/// The client `SandboxConfig::demo` registers.
const DEMO_CLIENT_ID: &str = "wxcc-demo-client";
const DEMO_CLIENT_SECRET: &str = "wxcc-demo-secret";

/// The proxy in cookie mode with the sandbox's demo client, in front of the sandbox's token endpoint.
fn proxy(identity_url: &str) -> axum::Router {
    proxy_with(identity_url, &[])
}

/// [`proxy`] with extra variables.
fn proxy_with(identity_url: &str, extra: &[(&str, &str)]) -> axum::Router {
    let mut env = env(&format!("{identity_url}/v1/access_token"), "cookie");
    for (name, value) in extra {
        env.insert((*name).to_owned(), (*value).to_owned());
    }
    env.insert(config::CLIENT_ID.to_owned(), DEMO_CLIENT_ID.to_owned());
    env.insert(
        config::CLIENT_SECRET.to_owned(),
        DEMO_CLIENT_SECRET.to_owned(),
    );
    // The sandbox is a real server: the default upstream timeout, not the stub tests' short one.
    env.remove(config::UPSTREAM_TIMEOUT_MS);
    app(AppState::new(&config_from(&env)).unwrap())
}

/// Drives the sandbox's authorize page and consent form like a browser would, returning the code.
async fn authorization_code(identity_url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()));
    let scope = DEMO_SCOPES.join(" ");
    let mut authorize = url::Url::parse(&format!("{identity_url}/v1/authorize")).unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("client_id", DEMO_CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("response_type", "code")
        .append_pair("scope", &scope)
        .append_pair("state", "e2e-state")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let page = http.get(authorize).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the consent form carries a txn")
        .to_owned();
    let decision = http
        .post(format!("{identity_url}/v1/authorize/decision"))
        .form(&[
            ("txn", txn.as_str()),
            ("user", "admin"),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert!(decision.status().is_redirection(), "{}", decision.status());
    let location = decision.headers()["location"].to_str().unwrap();
    let location = url::Url::parse(location).unwrap();
    location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("the redirect carries a code")
}

/// One policy-passing POST through the proxy, with the session cookie when given: the status, the
/// session cookie the answer sets (if any) and the JSON body.
async fn send(
    proxy: &axum::Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (u16, Option<String>, serde_json::Value) {
    let mut builder = post(path);
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", format!("__Host-wxcc_rt={cookie}"));
    }
    let request = builder.body(Body::from(body.to_owned())).unwrap();
    let (status, headers, json) = read(proxy.clone().oneshot(request).await.unwrap()).await;
    (status.as_u16(), cookie_value(&headers), json)
}

#[tokio::test]
async fn code_exchange_refresh_and_expired_refresh_against_the_sandbox() {
    let loopback = "127.0.0.1:0".parse().unwrap();
    let sandbox = wxcc_sandbox::spawn(
        SandboxConfig::demo(ORIGIN, REDIRECT_URI),
        loopback,
        loopback,
    )
    .await
    .unwrap();
    let identity = sandbox.identity_url();
    let proxy = proxy(&identity);

    let code = authorization_code(&identity).await;
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
    let loopback = "127.0.0.1:0".parse().unwrap();
    let sandbox = wxcc_sandbox::spawn(
        SandboxConfig::demo(ORIGIN, REDIRECT_URI),
        loopback,
        loopback,
    )
    .await
    .unwrap();
    let identity = sandbox.identity_url();
    // A default far from the sandbox's own lifetime, so the answer shows which one was used.
    let proxy = proxy_with(
        &identity,
        &[(config::DEFAULT_REFRESH_LIFETIME_SECS, "86400")],
    );
    set_fault(&identity, r#"{"omit_refresh_token_expires_in": true}"#).await;

    let code = authorization_code(&identity).await;
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
