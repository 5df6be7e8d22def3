//! The axum adapter: one `Router` served by both hosts (standalone binary and Lambda).

use crate::error::{ErrorCode, ProxyError};
use crate::handlers;
use crate::request::{REQUEST_HEADER, SessionMode};
use crate::state::AppState;
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
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use wxcc_core::proxy_protocol::{LOGOUT_PATH, REFRESH_PATH, TOKEN_PATH};

/// For load balancers, not the SPA: outside the wire contract.
const HEALTH_PATH: &str = "/healthz";

/// The client address, for hosts that know it other than through `ConnectInfo` (Lambda).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

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

    // A fresh proof is a credential for one request: kept out of logs like the cookie.
    let sensitive = [
        header::COOKIE,
        header::AUTHORIZATION,
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
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit));

    Router::new()
        .route(TOKEN_PATH, post(handlers::token))
        .route(REFRESH_PATH, post(handlers::refresh))
        .route(LOGOUT_PATH, post(handlers::logout))
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
