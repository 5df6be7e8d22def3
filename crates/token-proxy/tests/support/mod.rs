//! Test support: a programmable stub of the Webex token endpoint, configs, and request builders.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use wxcc_token_proxy::Secret;
use wxcc_token_proxy::clock::ManualClock;
use wxcc_token_proxy::config::{self, Command, Config};
use wxcc_token_proxy::lifetime::SessionTimes;
use wxcc_token_proxy::sealing::{SealedSession, Sealer, SessionId};
use wxcc_token_proxy::{AppState, app};

pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "test-client-secret-Zq81";
pub const ORIGIN: &str = "https://app.example";
pub const REDIRECT_URI: &str = "https://app.example/callback";
pub const VERIFIER: &str = "verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG";
/// base64url of 32 bytes of 0x01 and 0x02.
pub const KEY_A: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";
pub const KEY_B: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI";
pub const UPSTREAM_SECRET_TEXT: &str = "UPSTREAM-INTERNAL-DETAIL-must-not-leak";

pub mod function_url;
pub mod sandbox;

/// How the stub token endpoint behaves.
#[derive(Clone, Debug)]
pub enum Behavior {
    /// A small working authorization server (see `normal`).
    Normal,
    /// Always this status and body, with an optional Retry-After.
    Fixed {
        status: u16,
        body: String,
        retry_after: Option<&'static str>,
    },
    /// Never answers (for the timeout).
    Hang,
    /// Answers with a body larger than the proxy accepts.
    Huge,
    /// Redirects to this URL.
    Redirect(String),
}

impl Behavior {
    /// Always `status` and `body`, without Retry-After.
    pub fn fixed(status: u16, body: &str) -> Behavior {
        Behavior::Fixed {
            status,
            body: body.into(),
            retry_after: None,
        }
    }
}

#[derive(Default)]
pub struct StubState {
    pub forms: Vec<HashMap<String, String>>,
    used_codes: HashSet<String>,
    live_refresh_tokens: HashSet<String>,
    counter: u64,
    pub expire_all_refresh_tokens: bool,
    /// Answer like a standard OAuth 2.0 server: no Webex `refresh_token_expires_in`.
    pub omit_refresh_token_expires_in: bool,
    pub omit_scope: bool,
}

pub struct Stub {
    pub url: String,
    pub state: Arc<Mutex<StubState>>,
    received: Arc<tokio::sync::Notify>,
}

impl Stub {
    pub fn token_url(&self) -> String {
        format!("{}/v1/access_token", self.url)
    }

    pub fn forms(&self) -> Vec<HashMap<String, String>> {
        self.state.lock().unwrap().forms.clone()
    }

    /// Every token the stub ever issued (for the log search).
    pub fn issued(&self) -> u64 {
        self.state.lock().unwrap().counter
    }

    /// Resolves once the stub has received a request (`notify_one` keeps a permit if nobody waits yet).
    pub async fn received(&self) {
        self.received.notified().await;
    }

    pub fn omit_refresh_token_expires_in(&self) {
        self.state.lock().unwrap().omit_refresh_token_expires_in = true;
    }

    pub fn omit_scope(&self) {
        self.state.lock().unwrap().omit_scope = true;
    }

    pub fn revoke_all(&self) {
        let mut state = self.state.lock().unwrap();
        state.live_refresh_tokens.clear();
    }
}

/// Starts a stub token endpoint on 127.0.0.1:0.
pub async fn stub(behavior: Behavior) -> Stub {
    let state = Arc::new(Mutex::new(StubState::default()));
    let received = Arc::new(tokio::sync::Notify::new());
    let router = Router::new()
        .route("/v1/access_token", routing::post(token_endpoint))
        .with_state((state.clone(), behavior, received.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Stub {
        url: format!("http://{address}"),
        state,
        received,
    }
}

/// An address where nothing listens (bound, then released).
pub async fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}/v1/access_token")
}

fn json_error(status: u16, error: &str) -> Response<Body> {
    let body = serde_json::json!({
        "error": error,
        "error_description": UPSTREAM_SECRET_TEXT,
        "trackingId": "STUB_tracking-1",
    });
    let mut response = axum::Json(body).into_response();
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    response
}

async fn token_endpoint(
    State((state, behavior, received)): State<(
        Arc<Mutex<StubState>>,
        Behavior,
        Arc<tokio::sync::Notify>,
    )>,
    headers: HeaderMap,
    body: String,
) -> Response<Body> {
    let form: HashMap<String, String> = serde_urlencoded::from_str(&body).unwrap_or_default();
    state.lock().unwrap().forms.push(form.clone());
    received.notify_one();
    assert_eq!(
        headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    match behavior {
        Behavior::Normal => normal(&state, &form),
        Behavior::Fixed {
            status,
            body,
            retry_after,
        } => {
            let mut response = body.into_response();
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", seconds.parse().unwrap());
            }
            response
        }
        Behavior::Hang => std::future::pending().await,
        Behavior::Huge => "x".repeat(200 * 1024).into_response(),
        Behavior::Redirect(location) => {
            let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
            response
                .headers_mut()
                .insert("location", location.parse().unwrap());
            response
        }
    }
}

/// Authorization codes starting with `good-` work once with `VERIFIER`; refresh tokens rotate.
fn normal(state: &Mutex<StubState>, form: &HashMap<String, String>) -> Response<Body> {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return json_error(401, "invalid_client");
    }
    let mut state = state.lock().unwrap();
    match field("grant_type") {
        "authorization_code" => {
            let code = field("code").to_owned();
            if !code.starts_with("good-")
                || !state.used_codes.insert(code)
                || field("code_verifier") != VERIFIER
                || field("redirect_uri") != REDIRECT_URI
            {
                return json_error(400, "invalid_grant");
            }
        }
        "refresh_token" => {
            let presented = field("refresh_token");
            if state.expire_all_refresh_tokens || !state.live_refresh_tokens.remove(presented) {
                return json_error(400, "invalid_grant");
            }
        }
        _ => return json_error(400, "unsupported_grant_type"),
    }
    state.counter += 1;
    let n = state.counter;
    let refresh_token = format!("stub-refresh-token-{n}-Rr9");
    state.live_refresh_tokens.insert(refresh_token.clone());
    let mut body = serde_json::json!({
        "access_token": format!("stub-access-token-{n}-Aa7"),
        "expires_in": 43199,
        "refresh_token": refresh_token,
        "refresh_token_expires_in": 7775999,
        "token_type": "Bearer",
        "scope": "cjp:config_read spark:people_read",
    });
    if state.omit_refresh_token_expires_in {
        body.as_object_mut()
            .unwrap()
            .remove("refresh_token_expires_in");
    }
    if state.omit_scope {
        body.as_object_mut().unwrap().remove("scope");
    }
    axum::Json(body).into_response()
}

pub fn env(token_endpoint: &str, mode: &str) -> HashMap<String, String> {
    [
        (config::CLIENT_ID, CLIENT_ID),
        (config::CLIENT_SECRET, CLIENT_SECRET),
        (config::ALLOWED_ORIGINS, ORIGIN),
        (config::REDIRECT_URI, REDIRECT_URI),
        (config::TOKEN_ENDPOINT, token_endpoint),
        (config::MODE, mode),
        (config::SEALING_KEYS, KEY_A),
        (config::BIND, "127.0.0.1:0"),
        (config::UPSTREAM_TIMEOUT_MS, "300"),
        (config::RATE_LIMIT_PER_MINUTE, "10000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// [`env`] with `extra` variables set over it.
pub fn env_with(
    token_endpoint: &str,
    mode: &str,
    extra: &[(&str, &str)],
) -> HashMap<String, String> {
    let mut env = env(token_endpoint, mode);
    for (name, value) in extra {
        env.insert((*name).to_owned(), (*value).to_owned());
    }
    env
}

pub fn config_from(env: &HashMap<String, String>) -> Config {
    match Command::parse(env, &[], &|_| unreachable!()).unwrap() {
        Command::Run(config) => *config,
        other => panic!("{other:?}"),
    }
}

pub fn router(token_endpoint: &str, mode: &str) -> axum::Router {
    app(AppState::new(&config_from(&env(token_endpoint, mode))).unwrap())
}

/// Where the test clocks start (unix seconds).
pub const CLOCK_START: u64 = 1_900_000_000;

/// A clock standing at [`CLOCK_START`], moved by the test.
pub fn manual_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::starting_at(CLOCK_START))
}

/// A [`Behavior::Normal`] stub, a [`manual_clock`], and the proxy in `mode` with `extra` variables
/// in front of the stub, reading the time from that clock.
pub async fn proxy_with_clock(
    mode: &str,
    extra: &[(&str, &str)],
) -> (Stub, Arc<ManualClock>, axum::Router) {
    let upstream = stub(Behavior::Normal).await;
    let clock = manual_clock();
    let router = router_at(&env_with(&upstream.token_url(), mode, extra), &clock);
    (upstream, clock, router)
}

/// The proxy configured by `env`, reading the time from `clock`.
pub fn router_at(env: &HashMap<String, String>, clock: &Arc<ManualClock>) -> axum::Router {
    app(AppState::with_clock(&config_from(env), clock.clone()).unwrap())
}

/// A POST that passes every policy check.
pub fn post(path: &str) -> axum::http::request::Builder {
    Request::builder()
        .method("POST")
        .uri(path)
        .header("origin", ORIGIN)
        .header("x-wxcc-request", "1")
        .header("content-type", "application/json")
}

/// The same POST over real HTTP, to the proxy at `url`.
pub fn post_over_http(url: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(url)
        .header("origin", ORIGIN)
        .header("x-wxcc-request", "1")
        .header("content-type", "application/json")
}

pub fn token_body(code: &str) -> String {
    serde_json::json!({"code": code, "code_verifier": VERIFIER}).to_string()
}

/// The `/refresh` body of handle mode.
pub fn handle_body(handle: &str) -> String {
    serde_json::json!({ "refresh_handle": handle }).to_string()
}

/// A session sealed with `key` as the test deployment ([`env`]) seals it in `mode`: signed in at
/// `issued_at`, its refresh token expiring at `refresh_expires_at`, ending at `ends_at` (unix
/// seconds), not remembered, with a fresh session id.
pub fn seal_session(
    mode: &str,
    key: &str,
    refresh_token: &str,
    issued_at: u64,
    refresh_expires_at: u64,
    ends_at: u64,
) -> String {
    let session = SealedSession {
        refresh_token: Secret::new(refresh_token),
        refresh_expires_at,
        times: SessionTimes {
            issued_at,
            ends_at,
            persistent: false,
        },
        session_id: SessionId::random(),
        key_thumbprint: None,
    };
    sealer_of(&env_with(
        "http://127.0.0.1:1",
        mode,
        &[(config::SEALING_KEYS, key)],
    ))
    .seal(&session)
    .secret()
    .to_owned()
}

/// The sealer of the deployment configured by `env`.
pub fn sealer_of(env: &HashMap<String, String>) -> Sealer {
    config_from(env).sealer
}

/// `sealed` with one character in the middle changed.
pub fn tampered(sealed: &str) -> String {
    let mut chars: Vec<char> = sealed.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

pub async fn read(response: Response<Body>) -> (StatusCode, HeaderMap, serde_json::Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let json = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
    };
    (status, headers, json)
}

/// What one request through the proxy got back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The whole `Set-Cookie` header, when the answer sets one.
    pub set_cookie: Option<String>,
    pub body: serde_json::Value,
}

impl Answer {
    /// The session cookie's value, when the answer sets (`Some("")`: clears) it.
    pub fn cookie(&self) -> Option<String> {
        session_cookie_in(self.set_cookie.as_deref()?)
    }
}

/// The session cookie's value in a `Set-Cookie` header's value.
fn session_cookie_in(set_cookie: &str) -> Option<String> {
    let first = set_cookie.split(';').next()?;
    first.strip_prefix("__Host-wxcc_rt=").map(str::to_owned)
}

/// One policy-passing POST through `router`, with the session cookie when given.
pub async fn call(router: &axum::Router, path: &str, body: &str, cookie: Option<&str>) -> Answer {
    use tower::ServiceExt;
    let mut builder = post(path);
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", format!("__Host-wxcc_rt={cookie}"));
    }
    let request = builder.body(Body::from(body.to_owned())).unwrap();
    let (status, headers, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    Answer {
        status: status.as_u16(),
        set_cookie: headers
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_owned()),
        body,
    }
}

/// [`call`] as a tuple: the status, the session cookie the answer sets (if any) and the body.
pub async fn send(
    router: &axum::Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (u16, Option<String>, serde_json::Value) {
    let answer = call(router, path, body, cookie).await;
    (answer.status, answer.cookie(), answer.body)
}

/// The session cookie's value, when the answer's headers set (`Some("")`: clear) it.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    session_cookie_in(headers.get("set-cookie")?.to_str().ok()?)
}

/// Collects log output in memory, for tests that read what the proxy logged.
#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    /// The captured JSON log lines.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        self.text()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// A JSON subscriber at TRACE writing into this capture, for `tracing::subscriber::set_default`
    /// (the current thread only: `#[tokio::test]` runs the test, the proxy and the stub on it).
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + use<> {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_current_span(true)
            .with_span_list(true)
            .with_writer(move || writer.clone())
            .finish()
    }
}

/// `binary` with exactly `env` (nothing inherited), stdin closed, stdout and stderr piped, killed
/// when dropped.
pub fn command(binary: &str, env: &HashMap<String, String>) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(binary);
    command
        .env_clear()
        .envs(env)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    command
}

/// All that `child` wrote to stderr, once it has stopped.
pub async fn stderr_of(child: &mut tokio::process::Child) -> String {
    use tokio::io::AsyncReadExt;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    stderr
}

pub fn socket(ip: &str) -> axum::extract::ConnectInfo<SocketAddr> {
    axum::extract::ConnectInfo(format!("{ip}:5000").parse().unwrap())
}
