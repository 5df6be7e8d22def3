//! The standalone server against clients that try to hold it: slow headers, slow bodies, more
//! requests at once than it takes. Loopback only; every wait is bounded.

mod support;

use axum::body::Body;
use axum::http::Request;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;
use wxcc_token_proxy::{AppState, app, config, server};

const SLOW_CLIENTS: usize = 300;
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);
/// How long past the header timeout a slow connection may stay open before the test calls it held.
const CLOSE_GRACE: Duration = Duration::from_secs(3);

/// The server binary's setup, in-process: the proxy on 127.0.0.1:0 behind [`server::serve`].
async fn start_server(extra: &[(&str, &str)]) -> (std::net::SocketAddr, Stub) {
    let upstream = stub(Behavior::Normal).await;
    let config = config_from(&env_with(&upstream.token_url(), "cookie", extra));
    let state = AppState::new(&config).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let header_timeout = config.limits.header_timeout;
    tokio::spawn(server::serve(
        listener,
        app(state),
        header_timeout,
        std::future::pending(),
    ));
    (address, upstream)
}

/// One slowloris: the start of a request, then a byte of a header line now and then, never the end.
/// Returns how long the server let the connection live.
async fn slow_client(address: std::net::SocketAddr, started: Arc<AtomicUsize>) -> Duration {
    let opened = Instant::now();
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    started.fetch_add(1, Ordering::SeqCst);
    let mut dribble = tokio::time::interval(Duration::from_millis(250));
    let mut buffer = [0u8; 512];
    let bound = HEADER_TIMEOUT + CLOSE_GRACE;
    let closed = tokio::time::timeout(bound, async {
        loop {
            tokio::select! {
                read = stream.read(&mut buffer) => match read {
                    // The server closed the connection (perhaps after a 408 it wrote first).
                    Ok(0) | Err(_) => return,
                    Ok(_) => continue,
                },
                _ = dribble.tick() => {
                    if stream.write_all(b"a").await.is_err() {
                        return;
                    }
                }
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "a slow-header connection was still open {bound:?} after it started"
    );
    opened.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_header_clients_neither_block_healthz_nor_outlive_the_header_timeout() {
    let timeout_ms = HEADER_TIMEOUT.as_millis().to_string();
    let (address, _upstream) = start_server(&[(config::HEADER_TIMEOUT_MS, &timeout_ms)]).await;
    let started = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..SLOW_CLIENTS)
        .map(|_| tokio::spawn(slow_client(address, started.clone())))
        .collect();
    let all_started = tokio::time::timeout(Duration::from_secs(10), async {
        while started.load(Ordering::SeqCst) < SLOW_CLIENTS {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(
        all_started.is_ok(),
        "the slow clients could not all connect"
    );

    let http = reqwest::Client::new();
    let url = format!("http://{address}/healthz");
    let held_since = Instant::now();
    for _ in 0..3 {
        let answered = Instant::now();
        let health = tokio::time::timeout(Duration::from_secs(1), http.get(&url).send())
            .await
            .expect("/healthz did not answer within 1 s while slow clients held connections")
            .unwrap();
        assert_eq!(health.status(), 200);
        assert!(answered.elapsed() < Duration::from_secs(1));
    }
    assert!(
        held_since.elapsed() < HEADER_TIMEOUT,
        "the health checks ran after the slow clients could have been dropped, so they prove nothing"
    );

    for client in clients {
        let lived = client.await.unwrap();
        assert!(
            lived >= HEADER_TIMEOUT,
            "a slow connection was closed after {lived:?}, before the header timeout"
        );
    }
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_header_timeout() {
    let (address, _upstream) = start_server(&[(config::HEADER_TIMEOUT_MS, "500")]).await;
    let opened = Instant::now();
    let mut stream = TcpStream::connect(address).await.unwrap();
    let mut buffer = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
        .await
        .expect("a connection that sends nothing was kept open");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(opened.elapsed() >= Duration::from_millis(500));
}

#[tokio::test]
async fn requests_beyond_the_concurrency_limit_are_shed_and_healthz_still_answers() {
    let upstream = stub(Behavior::Hang).await;
    let env = env_with(
        &upstream.token_url(),
        "cookie",
        &[
            (config::MAX_CONCURRENT_REQUESTS, "1"),
            (config::UPSTREAM_TIMEOUT_MS, "20000"),
        ],
    );
    let router = app(AppState::new(&config_from(&env)).unwrap());
    let first = {
        let router = router.clone();
        tokio::spawn(async move {
            let request = post("/token")
                .body(Body::from(token_body("good-held")))
                .unwrap();
            router.oneshot(request).await
        })
    };
    tokio::time::timeout(Duration::from_secs(5), upstream.received())
        .await
        .expect("the first request never reached the upstream");

    let request = post("/token")
        .body(Body::from(token_body("good-shed")))
        .unwrap();
    let (status, headers, body) = read(router.clone().oneshot(request).await.unwrap()).await;
    assert_eq!(status, 503);
    assert_eq!(body["error"], "overloaded");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("try again")
    );
    assert_eq!(headers.get("retry-after").unwrap(), "1");

    let health = Request::get("/healthz").body(Body::empty()).unwrap();
    let (status, _, _) = read(router.clone().oneshot(health).await.unwrap()).await;
    assert_eq!(
        status, 200,
        "/healthz is not subject to the concurrency limit"
    );
    first.abort();
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_refused_with_request_timeout() {
    let upstream = stub(Behavior::Normal).await;
    let env = env_with(
        &upstream.token_url(),
        "cookie",
        &[(config::BODY_TIMEOUT_MS, "200")],
    );
    let router = app(AppState::new(&config_from(&env)).unwrap());
    let never_ends = futures_util::stream::pending::<Result<bytes::Bytes, std::io::Error>>();
    let request = post("/token").body(Body::from_stream(never_ends)).unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), router.oneshot(request))
        .await
        .expect("a stalled body held the request past the body timeout")
        .unwrap();
    let (status, _, body) = read(answer).await;
    assert_eq!(status, 408);
    assert_eq!(body["error"], "request_timeout");
    assert!(upstream.forms().is_empty(), "nothing went upstream");
}
