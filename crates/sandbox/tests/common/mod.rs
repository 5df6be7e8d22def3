//! Helpers that drive the sandbox over real loopback HTTP, the way a browser and a token proxy would.
#![allow(dead_code)]

pub mod search;
pub mod writes;

use std::net::SocketAddr;

use base64::Engine;
use reqwest::redirect::Policy;
use serde_json::Value;
use sha2::{Digest, Sha256};
use wxcc_sandbox::{RunningSandbox, SandboxConfig};

pub const SPA_ORIGIN: &str = "http://127.0.0.1:8080";
pub const REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";
pub const CLIENT_ID: &str = "wxcc-demo-client";
pub const CLIENT_SECRET: &str = "wxcc-demo-secret";
pub const SCOPES: &str = "cjp:config_read spark:people_read";
/// RFC 7636 appendix B pair.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

pub async fn start(config: SandboxConfig) -> RunningSandbox {
    wxcc_sandbox::spawn(config, loopback(), loopback())
        .await
        .expect("sandbox starts on loopback")
}

pub async fn start_demo() -> RunningSandbox {
    start(SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)).await
}

/// A client that, like a test harness driving a browser step by step, never follows redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub fn authorize_url(sb: &RunningSandbox, extra: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&format!("{}/v1/authorize", sb.identity_url())).unwrap();
    let c = challenge(VERIFIER);
    let mut params: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("scope", SCOPES),
        ("state", "st-123"),
        ("code_challenge", &c),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in extra {
        params.retain(|(pk, _)| pk != k);
        if !v.is_empty() {
            params.push((k, v));
        }
    }
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

/// The value of the hidden `txn` field on the consent page.
pub fn txn_of(page: &str) -> String {
    let marker = "name=\"txn\" value=\"";
    let start = page.find(marker).expect("consent page has a txn field") + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// Query parameters of a redirect's Location.
pub fn location_params(response: &reqwest::Response) -> (String, Vec<(String, String)>) {
    let location = response
        .headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_string();
    let url = url::Url::parse(&location).unwrap();
    let base = format!(
        "{}://{}{}",
        url.scheme(),
        url.host_str().unwrap(),
        url.port().map(|p| format!(":{p}")).unwrap_or_default()
    ) + url.path();
    (
        base,
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Authorize page → form post as `user` → the code from the redirect.
pub async fn sign_in(sb: &RunningSandbox, user: &str) -> String {
    sign_in_with(sb, user, &[]).await
}

/// [`sign_in`] with `extra` authorize parameters (see [`authorize_url`]).
pub async fn sign_in_with(sb: &RunningSandbox, user: &str, extra: &[(&str, &str)]) -> String {
    let http = client();
    let page = http.get(authorize_url(sb, extra)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let txn = txn_of(&page.text().await.unwrap());
    let r = http
        .post(format!("{}/v1/authorize/decision", sb.identity_url()))
        .form(&[
            ("txn", txn.as_str()),
            ("user", user),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let (_, params) = location_params(&r);
    param(&params, "code")
        .expect("code in redirect")
        .to_string()
}

pub async fn exchange(sb: &RunningSandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let r = client()
        .post(format!("{}/v1/access_token", sb.identity_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

pub async fn redeem(sb: &RunningSandbox, code: &str) -> (u16, Value) {
    exchange(
        sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

/// A fresh access token for `user` ("admin", "agent", "other-org-admin").
pub async fn token_for(sb: &RunningSandbox, user: &str) -> Value {
    let code = sign_in(sb, user).await;
    let (status, body) = redeem(sb, &code).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub fn org_of(token: &str) -> String {
    token.rsplit('_').next().unwrap().to_string()
}

/// `GET url` with a Bearer token.
pub async fn bearer_get(url: &str, token: &str) -> reqwest::Response {
    client().get(url).bearer_auth(token).send().await.unwrap()
}

pub async fn api_get(sb: &RunningSandbox, token: &str, path_and_query: &str) -> reqwest::Response {
    bearer_get(&format!("{}{path_and_query}", sb.api_url()), token).await
}

/// `GET /v1/people/me` on the identity side with a Bearer token.
pub async fn people_me(sb: &RunningSandbox, token: &str) -> reqwest::Response {
    bearer_get(&format!("{}/v1/people/me", sb.identity_url()), token).await
}

/// `POST /_sandbox/faults` with `body`, whatever the answer.
pub async fn post_faults(sb: &RunningSandbox, body: Value) -> reqwest::Response {
    client()
        .post(format!("{}/_sandbox/faults", sb.identity_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Sets the knobs in `body`; the knobs as they then stand.
pub async fn control(sb: &RunningSandbox, body: Value) -> Value {
    let r = post_faults(sb, body).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// The knobs as they stand (`GET /_sandbox/faults`).
pub async fn faults(sb: &RunningSandbox) -> Value {
    client()
        .get(format!("{}/_sandbox/faults", sb.identity_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Asserts the spec's ApiErrorResponse shape and returns the description.
pub fn api_error_description(body: &Value, status: u16) -> String {
    assert!(
        body["trackingId"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert_eq!(body["error"]["key"], status.to_string(), "{body}");
    body["error"]["message"][0]["description"]
        .as_str()
        .expect("a description")
        .to_string()
}

/// An access token for `user` granted only `scope`.
pub async fn token_with_scope(sb: &RunningSandbox, user: &str, scope: &str) -> String {
    let code = sign_in_with(sb, user, &[("scope", scope)]).await;
    let (status, body) = redeem(sb, &code).await;
    assert_eq!(status, 200);
    body["access_token"].as_str().unwrap().to_string()
}

/// The refresh_token grant for the demo client.
pub async fn refresh(sb: &RunningSandbox, refresh_token: &str) -> (u16, Value) {
    exchange(
        sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

/// The field names of a JSON object, sorted.
pub fn keys(body: &Value) -> Vec<String> {
    let mut keys: Vec<String> = body
        .as_object()
        .expect("a JSON object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
