//! A local AWS Lambda Runtime API (the documented `2018-06-01` interface) for the real
//! `wxcc-token-proxy-lambda` binary: it hands out queued events on `GET …/invocation/next` with the
//! request id and deadline headers, and collects what the function posts to
//! `…/invocation/{id}/response`, `…/invocation/{id}/error` and `…/init/error`. Loopback only.
#![allow(dead_code)]

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, oneshot, watch};

/// The upper bound on any one wait (an invocation, the start-up): a hung binary fails the test
/// instead of hanging it.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// What the function posted for one invocation.
#[derive(Debug)]
pub enum Outcome {
    /// `POST …/invocation/{id}/response`: the function's result (for HTTP events, the
    /// API Gateway / Function URL response object).
    Response(serde_json::Value),
    /// `POST …/invocation/{id}/error`, with its `Lambda-Runtime-Function-Error-Type` header.
    Error {
        error_type: Option<String>,
        body: serde_json::Value,
    },
}

/// `POST /2018-06-01/runtime/init/error`.
#[derive(Clone, Debug)]
pub struct InitError {
    pub error_type: Option<String>,
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Shared {
    waiting: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
}

struct Api {
    shared: Arc<Shared>,
    queue: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, serde_json::Value)>>>,
    next_calls: watch::Sender<u64>,
    init_error: watch::Sender<Option<InitError>>,
}

impl Clone for Api {
    fn clone(&self) -> Self {
        Api {
            shared: self.shared.clone(),
            queue: self.queue.clone(),
            next_calls: self.next_calls.clone(),
            init_error: self.init_error.clone(),
        }
    }
}

/// The running Runtime API.
pub struct RuntimeApi {
    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub address: SocketAddr,
    events: mpsc::UnboundedSender<(String, serde_json::Value)>,
    shared: Arc<Shared>,
    next_calls: watch::Receiver<u64>,
    init_error: watch::Receiver<Option<InitError>>,
    ids: AtomicU64,
}

impl RuntimeApi {
    pub async fn start() -> RuntimeApi {
        let (events, queue) = mpsc::unbounded_channel();
        let (next_calls, next_calls_rx) = watch::channel(0);
        let (init_error, init_error_rx) = watch::channel(None);
        let shared = Arc::new(Shared::default());
        let api = Api {
            shared: shared.clone(),
            queue: Arc::new(tokio::sync::Mutex::new(queue)),
            next_calls,
            init_error,
        };
        let router = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error_posted))
            .with_state(api);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        RuntimeApi {
            address,
            events,
            shared,
            next_calls: next_calls_rx,
            init_error: init_error_rx,
            ids: AtomicU64::new(1),
        }
    }

    /// Hands `event` to the function and waits for what it posts back.
    pub async fn invoke(&self, event: serde_json::Value) -> Outcome {
        let id = format!(
            "8476a536-e9f4-11e8-9739-{:012}",
            self.ids.fetch_add(1, Ordering::Relaxed)
        );
        let (sender, receiver) = oneshot::channel();
        self.shared
            .waiting
            .lock()
            .unwrap()
            .insert(id.clone(), sender);
        self.events.send((id, event)).unwrap();
        tokio::time::timeout(PATIENCE, receiver)
            .await
            .expect("the function posted no response or error in time")
            .expect("the Runtime API stopped")
    }

    /// Resolves once the function has asked for its first invocation: its init is over.
    pub async fn ready(&self) {
        let mut calls = self.next_calls.clone();
        tokio::time::timeout(PATIENCE, calls.wait_for(|n| *n > 0))
            .await
            .expect("the function never asked for an invocation")
            .unwrap();
    }

    /// How many times the function has asked for an invocation.
    pub fn next_calls(&self) -> u64 {
        *self.next_calls.borrow()
    }

    /// The init error the function reported, if any.
    pub fn init_error(&self) -> Option<InitError> {
        self.init_error.borrow().clone()
    }

    /// Waits until the function reports an init error.
    pub async fn wait_for_init_error(&self) -> InitError {
        let mut errors = self.init_error.clone();
        tokio::time::timeout(PATIENCE, errors.wait_for(Option::is_some))
            .await
            .expect("no init error was reported")
            .unwrap()
            .clone()
            .unwrap()
    }
}

/// The next queued event, as Lambda sends it: the payload with the invocation's headers. Waits
/// (a long poll, as the real API does) until there is one.
async fn next(State(api): State<Api>) -> Response {
    api.next_calls.send_modify(|n| *n += 1);
    let Some((id, event)) = api.queue.lock().await.recv().await else {
        return StatusCode::GONE.into_response();
    };
    let deadline = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + PATIENCE;
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        headers.insert(name, HeaderValue::from_str(&value).unwrap());
    };
    set("lambda-runtime-aws-request-id", id);
    set(
        "lambda-runtime-deadline-ms",
        deadline.as_millis().to_string(),
    );
    set(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:eu-west-1:123456789012:function:wxcc-token-proxy".into(),
    );
    set(
        "lambda-runtime-trace-id",
        "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1".into(),
    );
    set("content-type", "application/json".into());
    (headers, event.to_string()).into_response()
}

fn deliver(api: &Api, id: &str, outcome: Outcome) -> Response {
    match api.shared.waiting.lock().unwrap().remove(id) {
        Some(sender) => {
            let _ = sender.send(outcome);
            (StatusCode::ACCEPTED, r#"{"status":"OK"}"#).into_response()
        }
        None => (
            StatusCode::BAD_REQUEST,
            r#"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#,
        )
            .into_response(),
    }
}

fn json_body(body: &str) -> serde_json::Value {
    serde_json::from_str(body)
        .unwrap_or_else(|_| panic!("the function posted a body that is not JSON: {body:?}"))
}

fn error_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn response(State(api): State<Api>, Path(id): Path<String>, body: String) -> Response {
    deliver(&api, &id, Outcome::Response(json_body(&body)))
}

async fn error(
    State(api): State<Api>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let outcome = Outcome::Error {
        error_type: error_type(&headers),
        body: json_body(&body),
    };
    deliver(&api, &id, outcome)
}

async fn init_error_posted(State(api): State<Api>, headers: HeaderMap, body: String) -> Response {
    let error = InitError {
        error_type: error_type(&headers),
        body: json_body(&body),
    };
    api.init_error.send_replace(Some(error));
    (StatusCode::ACCEPTED, r#"{"status":"OK"}"#).into_response()
}

/// Events as API Gateway HTTP APIs (payload 2.0) and Lambda function URLs send them.
pub mod events {
    use serde_json::{Value, json};

    /// Where the event comes from: the two differ in the request context's domain and route.
    #[derive(Clone, Copy, Debug)]
    pub enum Source {
        FunctionUrl,
        HttpApi,
    }

    /// An HTTP request as `source` delivers it: headers lower-case, cookies apart, the body as text.
    pub fn http(
        source: Source,
        method: &str,
        path: &str,
        headers: Value,
        cookies: &[String],
        body: Option<&str>,
    ) -> Value {
        let (domain, route_key, api_id) = match source {
            Source::FunctionUrl => (
                "abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws",
                "$default".to_string(),
                "abcdefghijklmnopqrstuvwxyz012345",
            ),
            Source::HttpApi => (
                "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
                format!("{method} {path}"),
                "a1b2c3d4e5",
            ),
        };
        let mut headers = headers;
        headers["host"] = json!(domain);
        headers["x-forwarded-proto"] = json!("https");
        headers["x-forwarded-for"] = json!("198.51.100.7");
        let mut event = json!({
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": path,
            "rawQueryString": "",
            "headers": headers,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": api_id,
                "domainName": domain,
                "domainPrefix": api_id,
                "http": {
                    "method": method,
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": "198.51.100.7",
                    "userAgent": "Mozilla/5.0"
                },
                "requestId": "JKJaXmPLvHcESHA=",
                "routeKey": route_key,
                "stage": "$default",
                "time": "30/Nov/2026:08:00:00 +0000",
                "timeEpoch": 1_795_939_200_000u64
            },
            "isBase64Encoded": false
        });
        if !cookies.is_empty() {
            event["cookies"] = json!(cookies);
        }
        if let Some(body) = body {
            event["body"] = json!(body);
        }
        event
    }
}
