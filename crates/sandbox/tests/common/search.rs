//! Helpers for the `POST /search` tests: the sandbox they start, the admin's token, the request and
//! a refusal's status and description.

use serde_json::{Value, json};
use wxcc_sandbox::{RunningSandbox, SandboxConfig};

use super::{REDIRECT_URI, SPA_ORIGIN, api_error_description, client, now_ms, start, token_for};

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// The demo sandbox with a rate limit no test reaches, and the admin's access token.
pub async fn start_search() -> (RunningSandbox, String) {
    start_search_limited(100_000).await
}

/// The demo sandbox answering `per_minute` requests a minute, and the admin's access token.
pub async fn start_search_limited(per_minute: u32) -> (RunningSandbox, String) {
    let config = SandboxConfig {
        rate_limit_per_minute: per_minute,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    };
    let sb = start(config).await;
    let token = access_token(&sb, "admin").await;
    (sb, token)
}

/// The `access_token` of a fresh token for `user` (see [`token_for`]).
pub async fn access_token(sb: &RunningSandbox, user: &str) -> String {
    token_for(sb, user).await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Start of the current UTC hour: seeded tasks end an hour before it.
pub fn hour() -> i64 {
    let now = now_ms();
    now - now.rem_euclid(HOUR_MS)
}

/// The sandbox's `/search` URL.
pub fn search_url(sb: &RunningSandbox) -> String {
    format!("{}/search", sb.api_url())
}

/// `POST url` with the JSON `body`, and a Bearer `token` if there is one.
pub async fn post_to(url: &str, token: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = client().post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// `POST /search` with the JSON `body`.
pub async fn post(sb: &RunningSandbox, token: &str, body: Value) -> reqwest::Response {
    post_to(&search_url(sb), Some(token), &body).await
}

/// `POST /search` with `body`, JSON text as the console sends it.
pub async fn post_text(sb: &RunningSandbox, token: &str, body: String) -> reqwest::Response {
    client()
        .post(search_url(sb))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Status and ApiErrorResponse description of a query that must fail.
pub async fn refused(sb: &RunningSandbox, token: &str, query: &str) -> (u16, String) {
    let r = post(sb, token, json!({ "query": query })).await;
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    (status, api_error_description(&body, status))
}

/// Every record in `list` of the answers `page(cursor)` gives, from the `first` cursor to the page
/// without a next one (whose `endCursor` must be null); the pages' sizes too.
pub async fn page_through<F, Fut>(first: &str, list: &str, mut page: F) -> (Vec<Value>, Vec<usize>)
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Value>,
{
    let (mut records, mut sizes) = (Vec::new(), Vec::new());
    let mut cursor = first.to_string();
    loop {
        let answer = page(cursor).await;
        let rows = answer[list].as_array().unwrap();
        sizes.push(rows.len());
        records.extend(rows.iter().cloned());
        if answer["pageInfo"]["hasNextPage"] == json!(false) {
            assert_eq!(answer["pageInfo"]["endCursor"], Value::Null);
            return (records, sizes);
        }
        cursor = answer["pageInfo"]["endCursor"]
            .as_str()
            .unwrap()
            .to_string();
    }
}
