//! The axum adapter: one `Router` served by both hosts (standalone binary and Lambda).

use crate::error::{ErrorCode, ProxyError};
use crate::handlers;
use crate::policy::{self, ORIGIN_VERIFY_HEADER};
use crate::request::{REQUEST_HEADER, SessionMode};
use crate::state::AppState;
use axum::BoxError;
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutBody};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use wxcc_core::proxy_protocol::{LOGOUT_PATH, REFRESH_PATH, TOKEN_PATH};

/// For load balancers, not the SPA: outside the wire contract.
const HEALTH_PATH: &str = "/healthz";
/// How soon a shed request may try again: the requests in progress finish within the request timeout,
/// most of them far sooner.
const OVERLOADED_RETRY_AFTER_SECS: u64 = 1;

/// The client address, for hosts that know it other than through `ConnectInfo` (Lambda).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The viewer's address as stated by the CDN, put there only after its origin secret matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ViewerIp(IpAddr);

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
            // Handle mode's proof of possession.
            HeaderName::from_static(wxcc_core::dpop::HEADER_LOWER),
        ])
        .expose_headers([header::RETRY_AFTER, x_request_id.clone()])
        // The cookie only travels when credentials are allowed; handle mode needs no credentials.
        .allow_credentials(state.inner.mode == SessionMode::Cookie)
        .max_age(Duration::from_secs(600));

    let sensitive = [
        header::COOKIE,
        header::AUTHORIZATION,
        HeaderName::from_static(ORIGIN_VERIFY_HEADER),
        // A fresh proof is a credential for one request: kept out of logs like the cookie.
        HeaderName::from_static(wxcc_core::dpop::HEADER_LOWER),
    ];
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
        // Before CORS, so a preflight sent around the CDN is refused too.
        .layer(middleware::from_fn_with_state(state.clone(), verify_origin))
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit));

    // /healthz stays outside the concurrency limit: it calls nobody and answers at once, and a load
    // balancer that saw it shed would take a merely busy instance out of service (or restart it),
    // turning a burst into an outage.
    let limits = &state.inner.limits;
    let session_routes = Router::new()
        .route(TOKEN_PATH, post(handlers::token))
        .route(REFRESH_PATH, post(handlers::refresh))
        .route(LOGOUT_PATH, post(handlers::logout))
        .route_layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(shed_or_timed_out))
                // Refuse at once when full: a queue would hold sockets and memory for clients that
                // are likely to give up anyway.
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(
                    limits.max_concurrent_requests,
                ))
                .timeout(limits.request_timeout)
                .layer(RequestBodyTimeoutLayer::new(limits.body_timeout))
                .map_request(|request: Request<TimeoutBody<Body>>| request.map(Body::new)),
        );

    Router::new()
        .merge(session_routes)
        .route(HEALTH_PATH, get(healthz))
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

/// With an origin secret configured, every request but `/healthz` must carry it: the function URL is
/// public, and only the CDN in front knows the secret. Only then is the CDN's viewer address believed.
async fn verify_origin(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ProxyError> {
    let Some(secret) = &state.inner.limits.origin_secret else {
        return Ok(next.run(request).await);
    };
    if policy::came_through_cdn(request.headers(), secret) {
        if let Some(viewer) = policy::viewer_address(request.headers()) {
            request.extensions_mut().insert(ViewerIp(viewer));
        }
    } else if request.uri().path() != HEALTH_PATH {
        // A health check says nothing and calls nobody, so the deployment's own probe may go
        // straight to the function URL.
        return Err(policy::direct_access_refused());
    }
    Ok(next.run(request).await)
}

/// The concurrency limit's and the request timeout's refusals, in the proxy's error shape.
async fn shed_or_timed_out(error: BoxError) -> ProxyError {
    if error.is::<tower::load_shed::error::Overloaded>() {
        tracing::warn!("request shed: the proxy is at its limit of requests in progress");
        ProxyError::new(
            ErrorCode::Overloaded,
            format!(
                "The token proxy is busy with as many requests as it takes at once; try again in {OVERLOADED_RETRY_AFTER_SECS} second."
            ),
        )
        .with_retry_after(Some(OVERLOADED_RETRY_AFTER_SECS))
    } else if error.is::<tower::timeout::error::Elapsed>() {
        tracing::warn!("request timed out before its answer was ready");
        ProxyError::new(
            ErrorCode::RequestTimeout,
            "The request took longer than the token proxy waits; try again in a moment.",
        )
        .with_status(503)
    } else {
        tracing::warn!("request failed in the proxy's limits: {error}");
        ProxyError::new(
            ErrorCode::InternalError,
            "The token proxy hit an unexpected state; try again, and report it if it persists.",
        )
    }
}

async fn rate_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ProxyError> {
    // Health checks come from load balancers; sign-out must always work (it calls nobody upstream).
    let path = request.uri().path();
    if path == HEALTH_PATH || path == LOGOUT_PATH {
        return Ok(next.run(request).await);
    }
    let client = request
        .extensions()
        .get::<ViewerIp>()
        .map(|ip| ip.0)
        .or_else(|| request.extensions().get::<ClientIp>().map(|ip| ip.0))
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
