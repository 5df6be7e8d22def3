//! A local stand-in for Webex identity (webexapis.com `/v1`) and the Webex Contact Center APIs,
//! served on two loopback ports so the SPA, the token proxy and every test run without a Webex account.
//!
//! Use [`spawn`] to run both servers, or [`identity_app`] / [`api_app`] with one [`AppState`] for
//! in-process tests.

mod api;
mod config;
mod faults;
mod http_util;
mod identity;
mod ids;
mod live;
pub mod rsql;
mod search;
mod seed;
mod state;
mod tracking;

use std::net::SocketAddr;

use axum::Router;
use axum::http::{Method, Request, header};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

pub use api::READ_SCOPES;
pub use config::{ClientConfig, DEMO_SCOPES, Knobs, SandboxConfig};
pub use search::{BenchRun, interval_aggregation_benchmark, schema_sdl};
pub use seed::{Role, SignInUser};
pub use state::AppState;
pub use tracking::TRACKING_ID;
/// The type of [`ClientConfig::client_secret`], re-exported so callers can build a config.
pub use wxcc_core::secret::Secret;

/// Router for the identity port (authorize, access_token, people/me, control, healthz).
pub fn identity_app(state: AppState) -> Router {
    let cors = cors_layer(&state);
    let mut routes = identity::routes();
    if state.config().control {
        routes = routes.merge(faults::routes());
    }
    routes
        .route("/healthz", get(healthz))
        .fallback(identity_not_found)
        .layer(axum::middleware::from_fn(tracking::tracking_id))
        .layer(trace_layer())
        .layer(cors)
        .with_state(state)
}

/// Router for the Contact Center API port.
pub fn api_app(state: AppState) -> Router {
    let cors = cors_layer(&state);
    // The Search API shares the REST routes' guard (bearer token, rate limit) but is a module of
    // its own, which uses api's errors and caller checks.
    let guarded =
        api::routes()
            .merge(search::routes())
            .route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                api::guard,
            ));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(guarded)
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(axum::middleware::from_fn(tracking::tracking_id))
        .layer(trace_layer())
        .layer(cors)
        .with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn identity_not_found(uri: axum::http::Uri) -> identity::WebexError {
    let message = format!(
        "No such endpoint {} on the sandbox identity service.",
        uri.path()
    );
    identity::WebexError::new(axum::http::StatusCode::NOT_FOUND, message)
}

/// CORS as Webex answers it: only the configured origins, Authorization allowed, Retry-After and
/// TrackingId readable by the page. Outermost layer, so errors and 429s carry the headers too.
fn cors_layer(state: &AppState) -> CorsLayer {
    let origins: Vec<_> = state
        .config()
        .allowed_origins
        .iter()
        .filter_map(|o| o.trim_end_matches('/').parse().ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            TRACKING_ID.clone(),
        ])
        .expose_headers([header::RETRY_AFTER, TRACKING_ID.clone()])
        .max_age(std::time::Duration::from_secs(600))
}

type HttpClassifier =
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>;
type MakeSpanFn = fn(&Request<axum::body::Body>) -> tracing::Span;

/// Logs method, path and status only: query strings and headers can carry codes and tokens.
fn trace_layer() -> TraceLayer<HttpClassifier, MakeSpanFn> {
    fn span(request: &Request<axum::body::Body>) -> tracing::Span {
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
    }
    TraceLayer::new_for_http()
        .make_span_with(span as fn(&Request<axum::body::Body>) -> tracing::Span)
}

/// Both servers, running on their own tasks.
pub struct RunningSandbox {
    identity_addr: SocketAddr,
    api_addr: SocketAddr,
    state: AppState,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
}

impl RunningSandbox {
    /// Base URL of the identity port, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn identity_url(&self) -> String {
        format!("http://{}", self.identity_addr)
    }

    /// Base URL of the Contact Center API port (no trailing slash).
    pub fn api_url(&self) -> String {
        format!("http://{}", self.api_addr)
    }

    pub fn identity_addr(&self) -> SocketAddr {
        self.identity_addr
    }

    pub fn api_addr(&self) -> SocketAddr {
        self.api_addr
    }

    /// The shared state (seeded ids, sign-in users) for tests.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting, lets in-flight requests finish, then returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "server ended with an error"),
                Err(e) => tracing::warn!(error = %e, "server task failed"),
            }
        }
    }
}

/// Binds both listeners (port 0 picks a free port) and serves until [`RunningSandbox::shutdown`].
pub async fn spawn(
    config: SandboxConfig,
    identity_addr: SocketAddr,
    api_addr: SocketAddr,
) -> std::io::Result<RunningSandbox> {
    config
        .validate()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let identity_listener = TcpListener::bind(identity_addr).await?;
    let api_listener = TcpListener::bind(api_addr).await?;
    let identity_addr = identity_listener.local_addr()?;
    let api_addr = api_listener.local_addr()?;
    let state = AppState::new(config);
    let (stop, stopped) = watch::channel(false);
    let serve = |listener: TcpListener, app: Router, mut stopped: watch::Receiver<bool>| {
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await
        })
    };
    let tasks = vec![
        serve(
            identity_listener,
            identity_app(state.clone()),
            stopped.clone(),
        ),
        serve(api_listener, api_app(state.clone()), stopped),
    ];
    tracing::info!(%identity_addr, %api_addr, "sandbox listening");
    Ok(RunningSandbox {
        identity_addr,
        api_addr,
        state,
        stop,
        tasks,
    })
}
