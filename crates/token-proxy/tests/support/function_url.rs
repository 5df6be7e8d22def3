//! Lambda Function URL events (the API Gateway v2 payload), as the Lambda runtime hands them to the
//! host, and the answers read back.

use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use serde_json::{Value, json};

/// The Lambda host's router behind lambda_http's adapter.
pub type FunctionAdapter = Adapter<'static, axum::response::Response, axum::Router>;

/// A Function URL event for `method path` from `source_ip`.
pub fn event(
    method: &str,
    path: &str,
    source_ip: &str,
    headers: Value,
    body: Option<String>,
) -> LambdaRequest {
    let event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghij",
            "domainName": "abcdefghij.lambda-url.eu-west-1.on.aws",
            "domainPrefix": "abcdefghij",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": "test"
            },
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "25/Nov/2026:17:00:00 +0000",
            "timeEpoch": 1795000000000u64
        },
        "body": body,
        "isBase64Encoded": false
    });
    serde_json::from_value(event).expect("a valid Function URL event")
}

/// The headers of a POST the proxy's policy lets through, sent to the function URL's host.
pub fn policy_headers() -> Value {
    json!({
        "origin": super::ORIGIN,
        "x-wxcc-request": "1",
        "content-type": "application/json",
        "host": "abcdefghij.lambda-url.eu-west-1.on.aws"
    })
}

/// The host's answer to `request`, as the runtime would send it back (statusCode, headers, body).
pub async fn invoke(adapter: &mut FunctionAdapter, request: LambdaRequest) -> Value {
    let response = adapter
        .call(LambdaEvent::new(request, Context::default()))
        .await
        .unwrap();
    serde_json::to_value(response).unwrap()
}

/// An answer's body, parsed as JSON (`null` when there is none).
pub fn body_of(response: &Value) -> Value {
    serde_json::from_str(response["body"].as_str().unwrap_or("null")).unwrap()
}
