//! The table of bad requests: each row is one way a request can be wrong (or the upstream can fail), with
//! the exact status and stable error code the browser must get.

mod support;

use axum::body::Body;
use axum::http::Request;
use support::*;
use tower::ServiceExt;

#[derive(Clone)]
enum Upstream {
    Normal,
    Fixed(u16, &'static str),
    RateLimited,
    Hang,
    Huge,
    Down,
    Redirect,
}

struct Row {
    name: &'static str,
    mode: &'static str,
    upstream: Upstream,
    request: Request<Body>,
    status: u16,
    code: &'static str,
}

/// A session whose refresh token expires at `expires_at`, sealed with `key` in `mode`.
fn sealed_with(mode: &str, key: &str, token: &str, expires_at: u64) -> String {
    sealed_session(mode, key, token, expires_at, expires_at)
}

/// A session signed in a moment ago, sealed with `key` in `mode`.
fn sealed_session(
    mode: &str,
    key: &str,
    token: &str,
    refresh_expires_at: u64,
    ends_at: u64,
) -> String {
    seal_session(mode, key, token, now() - 10, refresh_expires_at, ends_at)
}

fn far_future() -> u64 {
    4_000_000_000
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn json(path: &str, body: impl Into<String>) -> Request<Body> {
    post(path).body(Body::from(body.into())).unwrap()
}

/// Replaces (not adds) a header of an otherwise good request.
fn set(mut request: Request<Body>, name: &'static str, value: &str) -> Request<Body> {
    request.headers_mut().insert(name, value.parse().unwrap());
    request
}

/// Adds a second value for a header the good request already has.
fn add(mut request: Request<Body>, name: &'static str, value: &str) -> Request<Body> {
    request.headers_mut().append(name, value.parse().unwrap());
    request
}

fn with_cookie(value: &str) -> Request<Body> {
    post("/refresh")
        .header("cookie", format!("theme=dark; __Host-wxcc_rt={value}"))
        .body(Body::from("{}"))
        .unwrap()
}

fn verifier(len: usize) -> String {
    "v".repeat(len)
}

fn rows() -> Vec<Row> {
    let good = || token_body("good-code-1");
    let token_with = |code: serde_json::Value, verifier: serde_json::Value| {
        json(
            "/token",
            serde_json::json!({"code": code, "code_verifier": verifier}).to_string(),
        )
    };
    let live_handle = sealed_with("handle", KEY_A, "stub-refresh-token-unknown", far_future());
    let row = |name, mode, upstream, request, status, code| Row {
        name,
        mode,
        upstream,
        request,
        status,
        code,
    };
    use Upstream::*;
    vec![
        // Origin.
        row("no origin", "cookie", Normal,
            Request::post("/token").header("x-wxcc-request", "1").header("content-type", "application/json").body(Body::from(good())).unwrap(),
            403, "origin_not_allowed"),
        row("foreign origin", "cookie", Normal,
            set(json("/token", good()), "origin", "https://evil.example"), 403, "origin_not_allowed"),
        row("origin with trailing slash", "cookie", Normal,
            set(json("/token", good()), "origin", "https://app.example/"), 403, "origin_not_allowed"),
        row("origin over http", "cookie", Normal,
            set(json("/token", good()), "origin", "http://app.example"), 403, "origin_not_allowed"),
        row("origin with explicit port", "cookie", Normal,
            set(json("/token", good()), "origin", "https://app.example:8443"), 403, "origin_not_allowed"),
        row("suffix-attack origin", "cookie", Normal,
            set(json("/token", good()), "origin", "https://app.example.evil.example"), 403, "origin_not_allowed"),
        row("null origin", "handle", Normal,
            set(json("/token", good()), "origin", "null"), 403, "origin_not_allowed"),
        row("foreign origin on logout", "cookie", Normal,
            set(json("/logout", "{}"), "origin", "https://evil.example"), 403, "origin_not_allowed"),
        row("second, foreign origin header", "cookie", Normal,
            add(json("/token", good()), "origin", "https://evil.example"), 403, "origin_not_allowed"),
        // Custom header.
        row("missing x-wxcc-request", "cookie", Normal,
            Request::post("/token").header("origin", ORIGIN).header("content-type", "application/json").body(Body::from(good())).unwrap(),
            400, "missing_request_header"),
        row("x-wxcc-request: 0", "cookie", Normal,
            set(json("/token", good()), "x-wxcc-request", "0"), 400, "missing_request_header"),
        row("x-wxcc-request: true", "handle", Normal,
            set(json("/refresh", "{}"), "x-wxcc-request", "true"), 400, "missing_request_header"),
        row("two x-wxcc-request headers", "cookie", Normal,
            add(json("/token", good()), "x-wxcc-request", "1"), 400, "missing_request_header"),
        // Content type.
        row("no content type", "cookie", Normal,
            Request::post("/token").header("origin", ORIGIN).header("x-wxcc-request", "1").body(Body::from(good())).unwrap(),
            415, "unsupported_media_type"),
        row("text/plain", "cookie", Normal,
            set(json("/token", good()), "content-type", "text/plain"), 415, "unsupported_media_type"),
        row("form-urlencoded", "cookie", Normal,
            set(json("/token", "code=x"), "content-type", "application/x-www-form-urlencoded"),
            415, "unsupported_media_type"),
        row("multipart", "cookie", Normal,
            set(json("/logout", "{}"), "content-type", "multipart/form-data; boundary=x"),
            415, "unsupported_media_type"),
        row("json with latin1 charset", "cookie", Normal,
            set(json("/token", good()), "content-type", "application/json; charset=iso-8859-1"),
            415, "unsupported_media_type"),
        row("two content types", "cookie", Normal,
            add(json("/token", good()), "content-type", "text/plain"), 415, "unsupported_media_type"),
        // Size.
        row("oversized body", "cookie", Normal,
            json("/token", format!(r#"{{"code":"{}"}}"#, "a".repeat(20_000))), 413, "payload_too_large"),
        row("declared oversized content-length", "cookie", Normal,
            set(json("/token", good()), "content-length", "100000"), 413, "payload_too_large"),
        row("oversized streamed body", "handle", Normal,
            post("/refresh").body(Body::from_stream(futures_stream(12))).unwrap(), 413, "payload_too_large"),
        // Malformed JSON.
        row("malformed json", "cookie", Normal, json("/token", "{\"code\":"), 400, "invalid_request"),
        row("empty body", "cookie", Normal, json("/token", ""), 400, "invalid_request"),
        row("json array", "cookie", Normal, json("/token", "[]"), 400, "invalid_request"),
        row("json string", "cookie", Normal, json("/logout", "\"x\""), 400, "invalid_request"),
        // Fields.
        row("missing code", "cookie", Normal,
            json("/token", serde_json::json!({"code_verifier": VERIFIER}).to_string()), 400, "invalid_request"),
        row("missing code_verifier", "cookie", Normal,
            json("/token", serde_json::json!({"code": "good-1"}).to_string()), 400, "invalid_request"),
        row("empty code", "cookie", Normal, token_with("".into(), VERIFIER.into()), 400, "invalid_request"),
        row("empty code_verifier", "cookie", Normal, token_with("good-1".into(), "".into()), 400, "invalid_request"),
        row("numeric code", "cookie", Normal, token_with(42.into(), VERIFIER.into()), 400, "invalid_request"),
        row("null code", "cookie", Normal, token_with(serde_json::Value::Null, VERIFIER.into()), 400, "invalid_request"),
        row("huge code", "cookie", Normal, token_with("c".repeat(3000).into(), VERIFIER.into()), 400, "invalid_request"),
        row("code with whitespace", "cookie", Normal, token_with("good code".into(), VERIFIER.into()), 400, "invalid_request"),
        row("verifier too short", "cookie", Normal, token_with("good-1".into(), verifier(42).into()), 400, "invalid_request"),
        row("verifier too long", "cookie", Normal, token_with("good-1".into(), verifier(129).into()), 400, "invalid_request"),
        row("verifier with bad characters", "cookie", Normal,
            token_with("good-1".into(), format!("{}+/", verifier(50)).into()), 400, "invalid_request"),
        row("unknown grant in body", "cookie", Normal,
            json("/token", serde_json::json!({"code": "good-1", "code_verifier": VERIFIER, "grant_type": "password"}).to_string()),
            400, "invalid_request"),
        row("redirect_uri from the request", "cookie", Normal,
            json("/token", serde_json::json!({"code": "good-1", "code_verifier": VERIFIER, "redirect_uri": "https://evil.example/cb"}).to_string()),
            400, "invalid_request"),
        row("logout with fields", "cookie", Normal, json("/logout", r#"{"all":true}"#), 400, "invalid_request"),
        // Methods and paths.
        row("GET /token", "cookie", Normal, Request::get("/token").body(Body::empty()).unwrap(), 405, "method_not_allowed"),
        row("PUT /refresh", "cookie", Normal,
            post("/refresh").method("PUT").body(Body::from("{}")).unwrap(), 405, "method_not_allowed"),
        row("unknown path", "cookie", Normal, json("/authorize", "{}"), 404, "not_found"),
        // Codes the upstream refuses.
        row("replayed code", "cookie", Normal, json("/token", token_body("used-code")), 400, "invalid_grant"),
        row("unknown code", "handle", Normal, json("/token", token_body("forged-code")), 400, "invalid_grant"),
        // Handle mode sessions.
        row("refresh without handle", "handle", Normal, json("/refresh", "{}"), 400, "invalid_request"),
        row("empty handle", "handle", Normal, json("/refresh", handle_body("")), 400, "invalid_request"),
        row("numeric handle", "handle", Normal, json("/refresh", r#"{"refresh_handle":7}"#), 400, "invalid_request"),
        row("garbage handle", "handle", Normal, json("/refresh", handle_body("not-a-handle")), 401, "session_expired"),
        row("handle with bad characters", "handle", Normal, json("/refresh", handle_body("a+b/c=")), 401, "session_expired"),
        row("overlong handle", "handle", Normal, json("/refresh", handle_body(&"A".repeat(5000))), 401, "session_expired"),
        row("tampered handle", "handle", Normal, json("/refresh", handle_body(&tampered(&live_handle))), 401, "session_expired"),
        row("foreign-key handle", "handle", Normal,
            json("/refresh", handle_body(&sealed_with("handle", KEY_B, "stub-refresh-token-1-Rr9", far_future()))), 401, "session_expired"),
        row("expired handle", "handle", Normal,
            json("/refresh", handle_body(&sealed_with("handle", KEY_A, "stub-refresh-token-1-Rr9", 1_000))), 401, "refresh_expired"),
        row("revoked refresh token", "handle", Normal, json("/refresh", handle_body(&live_handle)), 401, "refresh_expired"),
        // Cookie mode sessions.
        row("refresh without cookie", "cookie", Normal, json("/refresh", "{}"), 401, "session_expired"),
        row("handle sent in cookie mode", "cookie", Normal, json("/refresh", handle_body(&live_handle)), 400, "invalid_request"),
        row("tampered cookie", "cookie", Normal, with_cookie(&tampered(&live_handle)), 401, "session_expired"),
        row("foreign-key cookie", "cookie", Normal,
            with_cookie(&sealed_with("cookie", KEY_B, "stub-refresh-token-1-Rr9", far_future())), 401, "session_expired"),
        row("expired cookie", "cookie", Normal, with_cookie(&sealed_with("cookie", KEY_A, "rt", 1_000)), 401, "refresh_expired"),
        row("cookie past its session end", "cookie", Normal,
            with_cookie(&sealed_session("cookie", KEY_A, "rt", far_future(), now() - 1)), 401, "session_expired"),
        row("handle past its session end", "handle", Normal,
            json("/refresh", handle_body(&sealed_session("handle", KEY_A, "rt", far_future(), now() - 1))), 401, "session_expired"),
        // Upstream failures.
        row("upstream 400 invalid_grant", "cookie", Fixed(400, r#"{"error":"invalid_grant","trackingId":"T1"}"#),
            json("/token", good()), 400, "invalid_grant"),
        row("upstream 400 on refresh", "handle", Fixed(400, r#"{"message":"bad","trackingId":"T1"}"#),
            json("/refresh", handle_body(&live_handle)), 401, "refresh_expired"),
        row("upstream 401 invalid_client", "cookie", Fixed(401, r#"{"error":"invalid_client","trackingId":"T2"}"#),
            json("/token", good()), 502, "proxy_misconfigured"),
        row("upstream 429", "cookie", RateLimited, json("/token", good()), 503, "upstream_rate_limited"),
        row("upstream 500", "cookie", Fixed(500, r#"{"message":"boom","trackingId":"T3"}"#),
            json("/token", good()), 502, "upstream_unavailable"),
        row("upstream 500 on refresh", "handle", Fixed(502, "Bad Gateway"),
            json("/refresh", handle_body(&live_handle)), 502, "upstream_unavailable"),
        row("upstream garbage", "cookie", Fixed(200, "<html>hello</html>"), json("/token", good()), 502, "upstream_unavailable"),
        row("upstream success without tokens", "cookie", Fixed(200, r#"{"token_type":"Bearer"}"#),
            json("/token", good()), 502, "upstream_unavailable"),
        row("upstream huge answer", "cookie", Huge, json("/token", good()), 502, "upstream_unavailable"),
        row("upstream timeout", "cookie", Hang, json("/token", good()), 504, "upstream_unavailable"),
        row("upstream down", "handle", Down, json("/token", good()), 502, "upstream_unavailable"),
        row("upstream redirect", "cookie", Redirect, json("/token", good()), 502, "proxy_misconfigured"),
        row("upstream 404", "cookie", Fixed(404, "Not Found"), json("/token", good()), 502, "proxy_misconfigured"),
    ]
}

/// A body that arrives in chunks without a Content-Length, larger than the limit.
fn futures_stream(
    kib: usize,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::iter((0..kib).map(|_| Ok(bytes::Bytes::from(vec![b' '; 1024]))))
}

#[tokio::test]
async fn every_bad_request_gets_its_status_and_code() {
    let rows = rows();
    assert!(rows.len() >= 40, "the table must keep at least 40 rows");
    let mut failures = Vec::new();
    for row in rows {
        let endpoint = match row.upstream.clone() {
            Upstream::Normal => stub(Behavior::Normal).await.token_url(),
            Upstream::Fixed(status, body) => stub(Behavior::fixed(status, body)).await.token_url(),
            Upstream::RateLimited => stub(Behavior::Fixed {
                status: 429,
                body: "{}".into(),
                retry_after: Some("7"),
            })
            .await
            .token_url(),
            Upstream::Hang => stub(Behavior::Hang).await.token_url(),
            Upstream::Huge => stub(Behavior::Huge).await.token_url(),
            Upstream::Down => dead_url().await,
            Upstream::Redirect => {
                let elsewhere = stub(Behavior::Normal).await;
                stub(Behavior::Redirect(elsewhere.token_url()))
                    .await
                    .token_url()
            }
        };
        let response = router(&endpoint, row.mode)
            .oneshot(row.request)
            .await
            .unwrap();
        let (status, headers, body) = read(response).await;
        let code = body["error"].as_str().unwrap_or("<none>").to_owned();
        if status.as_u16() != row.status || code != row.code {
            failures.push(format!(
                "{}: expected {} {}, got {} {} ({body})",
                row.name,
                row.status,
                row.code,
                status.as_u16(),
                code
            ));
            continue;
        }
        // Every answer: no-store, a description that says what to do, nothing echoed from upstream.
        assert_eq!(headers["cache-control"], "no-store", "{}", row.name);
        let description = body["error_description"].as_str().unwrap_or("");
        assert!(description.len() > 20, "{}: description too thin", row.name);
        assert!(
            !body.to_string().contains(UPSTREAM_SECRET_TEXT),
            "{}",
            row.name
        );
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert!(
            keys.iter()
                .all(|k| ["error", "error_description", "tracking_id"].contains(&k.as_str())),
            "{}: unexpected keys {keys:?}",
            row.name
        );
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
