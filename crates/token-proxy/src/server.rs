//! The standalone host's accept loop. `axum::serve` gives hyper no timer, so hyper's header-read
//! timeout never fires there and a client that sends its headers slowly (or not at all) holds its
//! connection for as long as it likes. This loop serves each connection with hyper's HTTP/1.1
//! builder, a Tokio timer and the configured header timeout, and shuts down gracefully.
//!
//! HTTP/1.1 only: HTTP/2 has no header-read timeout in hyper, and the proxy's clients (browsers
//! through a TLS-terminating front, load balancers) speak HTTP/1.1 to it.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish.
/// A connection that has not delivered a request's headers within `header_timeout` of starting to
/// wait for them (a new connection, or an idle kept-alive one) is closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!("cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                request.map(Body::new)
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                // A header timeout or a client hanging up: the client's business, not an incident.
                tracing::debug!(%remote, "connection ended: {error}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
