//! Logs never contain the client secret, codes, verifiers or tokens.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// current_thread runtime: the servers run on this thread, so the thread-local subscriber sees their logs.
#[tokio::test(flavor = "current_thread")]
async fn a_full_flow_logs_no_secrets() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sb = start_demo().await;
    let code = sign_in(&sb, "admin").await;
    let (status, tokens) = redeem(&sb, &code).await;
    assert_eq!(status, 200);
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let _ = api_get(
        &sb,
        access,
        &format!("/organization/{}/v2/user?pageSize=1", org_of(access)),
    )
    .await;
    let _ = exchange(
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", "wrong-secret-value"),
            ("refresh_token", refresh),
        ],
    )
    .await;
    sb.shutdown().await;

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("tokens issued"),
        "the flow was logged: {logs}"
    );
    for secret in [
        CLIENT_SECRET,
        "wrong-secret-value",
        code.as_str(),
        access,
        refresh,
        VERIFIER,
    ] {
        assert!(
            !logs.contains(&secret[..secret.len().min(40)]),
            "a secret leaked into the logs"
        );
    }
}
