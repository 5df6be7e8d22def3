//! Helpers for the configuration write tests: tokens that may write, a request with a JSON body,
//! seeded records to write to, the bulk answer's items.

use serde_json::{Value, json};
use wxcc_sandbox::RunningSandbox;

use super::{api_error_description, client, org_of, token_with_scope};

/// The scopes the console asks for to provision: read and write.
pub const WRITE_SCOPES: &str = "cjp:config_read cjp:config_write";

/// An access token of `user` granted [`WRITE_SCOPES`].
pub async fn writer(sb: &RunningSandbox, user: &str) -> String {
    token_with_scope(sb, user, WRITE_SCOPES).await
}

/// A request with `body` as JSON (none when `null`); status and JSON body (`null` when empty).
pub async fn send(
    sb: &RunningSandbox,
    token: &str,
    method: &str,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client()
        .request(method, format!("{}{path}", sb.api_url()))
        .bearer_auth(token);
    if !body.is_null() {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {bytes:?}"))
    };
    (status, body)
}

pub async fn get(sb: &RunningSandbox, token: &str, path: &str) -> Value {
    let (status, body) = send(sb, token, "GET", path, &Value::Null).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The first `n` records of a paged list `path` (after `/organization/{org}/`).
pub async fn records(sb: &RunningSandbox, token: &str, path: &str, n: usize) -> Vec<Value> {
    let org = org_of(token);
    let body = get(
        sb,
        token,
        &format!("/organization/{org}/{path}?pageSize={n}"),
    )
    .await;
    body["data"].as_array().unwrap().clone()
}

/// A bulk request of `items`, each `(itemIdentifier, item)`, as `requestAction` `action`.
pub fn bulk(action: &str, items: &[(i64, Value)]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|(id, item)| json!({"itemIdentifier": id, "item": item, "requestAction": action}))
        .collect();
    json!({"items": items})
}

/// The items of a 207 answer, checked for its shape.
pub fn results(status: u16, body: &Value) -> Vec<Value> {
    assert_eq!(status, 207, "{body}");
    let items = body["items"].as_array().expect("items").clone();
    for item in &items {
        assert!(
            item["itemIdentifier"].is_i64() && item["status"].is_u64(),
            "{item}"
        );
        let failed = item["status"].as_u64().unwrap() >= 300;
        assert_eq!(item.get("apiError").is_some(), failed, "{item}");
    }
    items
}

/// The description of a refused bulk item's `apiError`.
pub fn item_error(item: &Value) -> String {
    let status = item["status"].as_u64().unwrap() as u16;
    api_error_description(&item["apiError"], status)
}

/// The value of `field` of `record` as a string.
pub fn text<'a>(record: &'a Value, field: &str) -> &'a str {
    record[field].as_str().unwrap_or_default()
}

/// A TeamDTO for a new team named `name` in `site`.
pub fn new_team(name: &str, site: &str) -> Value {
    json!({"name": name, "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": true,
           "siteId": site, "rankQueuesForTeam": false, "description": "made by a test"})
}

/// A UUID no seeded record has.
pub const UNKNOWN_ID: &str = "00000000-0000-4000-8000-00000000dead";

/// Users of the primary org other than the two sign-in users.
pub async fn users(sb: &RunningSandbox, token: &str, n: usize) -> Vec<Value> {
    records(sb, token, "v2/user", n + 2).await.split_off(2)
}

pub async fn user(sb: &RunningSandbox, token: &str, id: &str) -> Value {
    get(
        sb,
        token,
        &format!("/organization/{}/user/{id}", org_of(token)),
    )
    .await
}

pub async fn team_record(sb: &RunningSandbox, token: &str, id: &str) -> Value {
    get(
        sb,
        token,
        &format!("/organization/{}/team/{id}", org_of(token)),
    )
    .await
}

pub fn user_bulk_path(token: &str) -> String {
    format!("/organization/{}/user/bulk", org_of(token))
}

/// `PATCH …/user/bulk` of `body`: status and JSON body.
pub async fn patch_user_bulk(sb: &RunningSandbox, token: &str, body: &Value) -> (u16, Value) {
    send(sb, token, "PATCH", &user_bulk_path(token), body).await
}

/// A bulk `SAVE` of users' `items`, answered 207: its items ([`results`]).
pub async fn save_users(sb: &RunningSandbox, token: &str, items: &[(i64, Value)]) -> Vec<Value> {
    let (status, body) = patch_user_bulk(sb, token, &bulk("SAVE", items)).await;
    results(status, &body)
}

/// `PATCH …/user/{id}` of `patch`: status and JSON body.
pub async fn patch_user(sb: &RunningSandbox, token: &str, id: &str, patch: &Value) -> (u16, Value) {
    let path = format!("/organization/{}/user/{id}", org_of(token));
    send(sb, token, "PATCH", &path, patch).await
}

pub fn teams_path(token: &str) -> String {
    format!("/organization/{}/team", org_of(token))
}

/// `POST …/team` of `dto`: status and JSON body.
pub async fn create_team(sb: &RunningSandbox, token: &str, dto: &Value) -> (u16, Value) {
    send(sb, token, "POST", &teams_path(token), dto).await
}

/// `POST …/team/bulk` of `body`: status and JSON body.
pub async fn post_team_bulk(sb: &RunningSandbox, token: &str, body: &Value) -> (u16, Value) {
    let path = format!("{}/bulk", teams_path(token));
    send(sb, token, "POST", &path, body).await
}

/// The `status` of each item of a 207.
pub fn statuses(answers: &[Value]) -> Vec<u64> {
    answers
        .iter()
        .map(|a| a["status"].as_u64().unwrap())
        .collect()
}

/// The description of a whole request's refusal, after checking it was refused with `expected`.
pub fn refusal(status: u16, body: &Value, expected: u16) -> String {
    assert_eq!(status, expected, "{body}");
    api_error_description(body, expected)
}

/// `base` with the fields of `change` set over its own.
pub fn changed(base: &Value, change: &Value) -> Value {
    let mut changed = base.clone();
    for (field, value) in change.as_object().unwrap() {
        changed[field] = value.clone();
    }
    changed
}

/// `s` form-encoded, for a query value.
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
