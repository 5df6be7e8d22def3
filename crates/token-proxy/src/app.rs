//! The axum adapter: one `Router` served by both hosts (standalone binary and Lambda).

use crate::config::Config;
use crate::error::{ErrorCode, ProxyError};
use crate::lifetime::SessionRules;
use crate::limiter::RateLimiter;
use crate::request::{self, MAX_BODY_BYTES, REQUEST_HEADER, SessionMode};
use crate::sealing::{OpenError, Sealer};
use crate::session::{self, TokenBody};
use crate::transport::TokenEndpoint;
use crate::upstream::{self, ClientRegistration, Grant, IssuedTokens};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use wxcc_core::secret::Secret;

/// The client address, for hosts that know it other than through `ConnectInfo` (Lambda).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// Everything a request needs, shared by all requests.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    mode: SessionMode,
    allowed_origins: Vec<String>,
    sealer: Sealer,
    client: ClientRegistration,
    endpoint: TokenEndpoint,
    limiter: RateLimiter,
    sessions: SessionRules,
}

impl AppState {
    pub fn new(config: &Config) -> Result<Self, String> {
        let endpoint = TokenEndpoint::new(config.token_endpoint.clone(), config.upstream_timeout)
            .map_err(|e| {
            format!("cannot build the HTTP client for the token endpoint: {e}; check the TLS setup")
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                mode: config.mode,
                allowed_origins: config.allowed_origins.clone(),
                sealer: config.sealer.clone(),
                client: ClientRegistration {
                    client_id: config.client_id.clone(),
                    client_secret: config.client_secret.clone(),
                    redirect_uri: config.redirect_uri.clone(),
                },
                endpoint,
                limiter: RateLimiter::per_minute(config.rate_limit_per_minute),
                sessions: config.sessions,
            }),
        })
    }

    pub fn mode(&self) -> SessionMode {
        self.inner.mode
    }
}

/// The whole proxy as a `Router`: routes, security policy, CORS, rate limit, request ids and tracing.
pub fn app(state: AppState) -> Router {
    let x_request_id = HeaderName::from_static("x-request-id");
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(
            state
                .inner
                .allowed_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok()),
        ))
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static(REQUEST_HEADER),
        ])
        .expose_headers([header::RETRY_AFTER, x_request_id.clone()])
        // The cookie only travels when credentials are allowed; handle mode needs no credentials.
        .allow_credentials(state.inner.mode == SessionMode::Cookie)
        .max_age(Duration::from_secs(600));

    let sensitive = [header::COOKIE, header::AUTHORIZATION];
    let layers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::PRAGMA,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetRequestIdLayer::new(
            x_request_id.clone(),
            MakeRequestUuid,
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id))
        .layer(SetSensitiveRequestHeadersLayer::new(sensitive))
        .layer(SetSensitiveResponseHeadersLayer::new([header::SET_COOKIE]))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let request_id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    // Path only: never the query, never headers.
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = request.uri().path(),
                        request_id
                    )
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit));

    Router::new()
        .route("/token", post(token))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/healthz", get(healthz))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(layers)
        .with_state(state)
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        tracing::info!(
            error = self.code.as_str(),
            tracking_id = self.tracking_id.as_deref().unwrap_or(""),
            "request refused"
        );
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

async fn rate_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ProxyError> {
    if request.uri().path() == "/healthz" {
        return Ok(next.run(request).await);
    }
    let client = request
        .extensions()
        .get::<ClientIp>()
        .map(|ip| ip.0)
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        });
    state
        .inner
        .limiter
        .check(client, Instant::now())
        .map_err(|wait| {
            ProxyError::new(
                ErrorCode::RateLimited,
                format!("Too many requests from this address; wait {wait} seconds and try again."),
            )
            .with_retry_after(Some(wait))
        })?;
    Ok(next.run(request).await)
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

async fn not_found() -> ProxyError {
    ProxyError::new(
        ErrorCode::NotFound,
        "No such endpoint; the token proxy serves POST /token, /refresh, /logout and GET /healthz.",
    )
}

async fn method_not_allowed() -> ProxyError {
    ProxyError::new(
        ErrorCode::MethodNotAllowed,
        "Wrong method for this endpoint; /token, /refresh and /logout take POST, /healthz takes GET.",
    )
}

/// The policy every POST passes, in order: origin, custom header, content type, size. Returns the body.
async fn accept_post(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<bytes::Bytes, ProxyError> {
    // A repeated policy header is refused as a whole: proxies and frameworks disagree on which copy wins.
    let text = |name: HeaderName| {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => Some(value.to_str().unwrap_or("\u{fffd}")),
            (None, _) => None,
            (Some(_), Some(_)) => Some("\u{fffd}repeated"),
        }
    };
    request::check_origin(text(header::ORIGIN), &state.inner.allowed_origins)?;
    request::check_request_header(text(HeaderName::from_static(REQUEST_HEADER)))?;
    request::check_content_type(text(header::CONTENT_TYPE))?;
    let declared_too_large = text(header::CONTENT_LENGTH)
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES as u64);
    if declared_too_large {
        return Err(request::payload_too_large());
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| request::payload_too_large())
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn call_upstream(
    state: &AppState,
    grant: Grant,
    form: &Secret,
) -> Result<IssuedTokens, ProxyError> {
    let reply = state
        .inner
        .endpoint
        .post_form(form)
        .await
        .map_err(upstream::map_transport_failure)?;
    let result = upstream::map_reply(grant, &reply);
    tracing::info!(
        upstream_status = reply.status,
        grant = ?grant,
        outcome = if result.is_ok() { "tokens issued" } else { "refused" },
        "token endpoint answered"
    );
    result
}

/// Seals the refresh token and builds the success answer (cookie or handle).
fn issue(
    state: &AppState,
    tokens: &IssuedTokens,
    refresh_token: &Secret,
    expires_at: u64,
) -> Response {
    let now = now_unix();
    let sealed = state.inner.sealer.seal(refresh_token, expires_at);
    let remaining = expires_at.saturating_sub(now);
    let body = TokenBody::new(tokens, remaining, state.inner.mode, &sealed);
    let mut response = Json(body).into_response();
    if state.inner.mode == SessionMode::Cookie {
        let cookie = session::session_cookie(&sealed, remaining);
        if let Ok(value) = HeaderValue::from_str(cookie.secret()) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    let body = accept_post(&state, &headers, body).await?;
    let exchange = request::parse_code_exchange(&body)?;
    let form =
        upstream::code_exchange_form(&state.inner.client, &exchange.code, &exchange.code_verifier);
    let tokens = call_upstream(&state, Grant::AuthorizationCode, &form).await?;
    let refresh_token = tokens.refresh_token.clone().ok_or_else(internal)?;
    let lifetime = tokens
        .refresh_token_expires_in
        .unwrap_or_else(|| assumed_refresh_lifetime(&state));
    Ok(issue(
        &state,
        &tokens,
        &refresh_token,
        now_unix() + lifetime,
    ))
}

async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, RefreshRefused> {
    renew_session(&state, &headers, body)
        .await
        .map_err(|error| RefreshRefused::new(error, state.inner.mode))
}

/// Opens the session (handle in the body, or the cookie), refreshes upstream and seals the current token.
async fn renew_session(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    let body = accept_post(state, headers, body).await?;
    let handle = request::parse_refresh(&body, state.inner.mode)?;
    let sealed = match handle {
        Some(handle) => handle,
        None => session::find_session_cookie(
            headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()),
        )
        .ok_or_else(|| {
            ProxyError::new(
                ErrorCode::SessionExpired,
                "There is no session cookie (signed out, expired, or blocked by the browser); sign in again.",
            )
        })?,
    };
    let now = now_unix();
    let current = state
        .inner
        .sealer
        .open(sealed.secret(), now)
        .map_err(open_error)?;
    let form = upstream::refresh_form(&state.inner.client, &current.refresh_token);
    let tokens = call_upstream(state, Grant::RefreshToken, &form).await?;
    // Webex may hand back the same refresh token or rotate it; seal whatever is current.
    let refresh_token = tokens
        .refresh_token
        .clone()
        .unwrap_or(current.refresh_token);
    // Without a stated lifetime, a kept refresh token keeps its expiry and a new one gets the default.
    let expires_at = match (tokens.refresh_token_expires_in, &tokens.refresh_token) {
        (Some(lifetime), _) => now + lifetime,
        (None, Some(_)) => now + assumed_refresh_lifetime(state),
        (None, None) => current.expires_at,
    };
    Ok(issue(state, &tokens, &refresh_token, expires_at))
}

/// The configured refresh-token lifetime, for a token answer that does not state one.
fn assumed_refresh_lifetime(state: &AppState) -> u64 {
    let seconds = state.inner.sessions.default_refresh_lifetime_secs;
    tracing::info!(
        assumed_secs = seconds,
        "token answer has no refresh_token_expires_in; assuming the configured default"
    );
    seconds
}

/// A refused `/refresh`. When the refusal means the session is over, a cookie-mode answer also clears
/// the cookie, so the browser stops sending one that can never work again.
struct RefreshRefused {
    error: ProxyError,
    clear_cookie: bool,
}

impl RefreshRefused {
    fn new(error: ProxyError, mode: SessionMode) -> Self {
        let session_over = matches!(
            error.code,
            ErrorCode::SessionExpired | ErrorCode::RefreshExpired
        );
        Self {
            clear_cookie: session_over && mode == SessionMode::Cookie,
            error,
        }
    }
}

impl IntoResponse for RefreshRefused {
    fn into_response(self) -> Response {
        (self.clear_cookie.then(clear_cookie_header), self.error).into_response()
    }
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<impl IntoResponse, ProxyError> {
    let body = accept_post(&state, &headers, body).await?;
    request::parse_logout(&body)?;
    let cookie_mode = state.inner.mode == SessionMode::Cookie;
    Ok((
        cookie_mode.then(clear_cookie_header),
        StatusCode::NO_CONTENT,
    ))
}

fn clear_cookie_header() -> [(HeaderName, HeaderValue); 1] {
    [(
        header::SET_COOKIE,
        HeaderValue::from_static(session::clear_cookie()),
    )]
}

fn open_error(error: OpenError) -> ProxyError {
    match error {
        OpenError::Expired => ProxyError::new(
            ErrorCode::RefreshExpired,
            "The session has expired; sign in again.",
        ),
        OpenError::UnknownKey => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session was created with a key this proxy no longer holds; sign in again.",
        ),
        OpenError::Malformed | OpenError::Tampered => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session could not be read (it was not issued by this proxy or was altered); sign in again.",
        ),
    }
}

fn internal() -> ProxyError {
    ProxyError::new(
        ErrorCode::InternalError,
        "The token proxy hit an unexpected state; try again, and report it if it persists.",
    )
}
