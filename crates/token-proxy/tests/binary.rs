//! The standalone binary as the lead's tooling uses it: the ready line, JSON logs on stderr, graceful
//! SIGTERM, start-up validation and `--generate-key`.
#![cfg(unix)]

mod support;

use std::time::Duration;
use support::*;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;
use wxcc_token_proxy::sealing::SealingKey;

const BINARY: &str = env!("CARGO_BIN_EXE_wxcc-token-proxy");

/// The binary started with `env`, once it has printed its ready line.
struct Running {
    child: tokio::process::Child,
    stdout: BufReader<tokio::process::ChildStdout>,
    address: std::net::SocketAddr,
}

impl Running {
    async fn start(env: &std::collections::HashMap<String, String>) -> Running {
        let mut child = command(BINARY, env).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).await.unwrap();
        let address = line
            .trim_end()
            .strip_prefix("wxcc-token-proxy listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Running {
            child,
            stdout,
            address,
        }
    }

    fn sigterm(&self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id().unwrap() as i32);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    }

    /// How the process ended, within 20 s.
    async fn stopped(&mut self) -> std::process::ExitStatus {
        tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("the proxy did not stop after SIGTERM")
            .unwrap()
    }
}

#[tokio::test]
async fn prints_the_ready_line_serves_logs_json_and_stops_on_sigterm() {
    let upstream = stub(Behavior::Normal).await;
    let mut proxy = Running::start(&env(&upstream.token_url(), "cookie")).await;
    let address = proxy.address;
    assert_ne!(address.port(), 0, "the real port is printed, not 0");

    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://{address}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let token = post_over_http(&format!("http://{address}/token"))
        .body(token_body("good-binary"))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);

    proxy.sigterm();
    let exit = proxy.stopped().await;
    assert!(exit.success(), "{exit:?}");

    let mut rest = String::new();
    proxy.stdout.read_to_string(&mut rest).await.unwrap();
    assert!(
        rest.is_empty(),
        "stdout has exactly one line, got more: {rest:?}"
    );
    let stderr = stderr_of(&mut proxy.child).await;
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON log line: {l}")))
        .collect();
    assert!(lines.iter().any(|l| {
        l["span"]["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    }));
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "token proxy stopped")
    );
    assert!(!stderr.contains(CLIENT_SECRET) && !stderr.contains("good-binary"));
}

/// The signal handlers exist before the ready line: a SIGTERM the moment the proxy says it is
/// listening is a graceful stop (exit 0), not the signal's default action killing the process.
#[tokio::test]
async fn a_sigterm_right_after_the_ready_line_is_a_graceful_stop() {
    let upstream = stub(Behavior::Normal).await;
    for _ in 0..5 {
        let mut proxy = Running::start(&env(&upstream.token_url(), "cookie")).await;
        proxy.sigterm();
        let exit = proxy.stopped().await;
        assert!(
            exit.success(),
            "killed by the signal instead of stopping: {exit:?}"
        );
    }
}

#[tokio::test]
async fn sigterm_lets_an_open_request_finish() {
    let upstream = stub(Behavior::Hang).await;
    let env = env_with(
        &upstream.token_url(),
        "handle",
        &[("WXCC_PROXY_UPSTREAM_TIMEOUT_MS", "1500")],
    );
    let mut proxy = Running::start(&env).await;
    let address = proxy.address;

    let in_flight = tokio::spawn(async move {
        post_over_http(&format!("http://{address}/token"))
            .body(token_body("good-slow"))
            .send()
            .await
    });
    // Once the upstream holds the request, the proxy is mid-request: stop it now.
    upstream.received().await;
    proxy.sigterm();

    let response = in_flight
        .await
        .unwrap()
        .expect("the open request gets an answer");
    assert_eq!(
        response.status(),
        504,
        "the upstream timeout answer, not a dropped connection"
    );
    let exit = proxy.stopped().await;
    assert!(exit.success(), "{exit:?}");
}

#[tokio::test]
async fn configuration_errors_name_the_variable_and_never_the_secret() {
    let cases = [
        ("WXCC_PROXY_CLIENT_ID", None),
        ("WXCC_PROXY_SEALING_KEYS", Some("not-a-key")),
        ("WXCC_PROXY_MODE", Some("sometimes")),
        (
            "WXCC_PROXY_TOKEN_ENDPOINT",
            Some("http://idp.example/token"),
        ),
        ("WXCC_PROXY_ALLOWED_ORIGINS", Some("*")),
    ];
    for (variable, value) in cases {
        let mut env = env("https://idp.example/v1/access_token", "cookie");
        match value {
            Some(value) => env.insert(variable.into(), value.into()),
            None => env.remove(variable),
        };
        let output = command(BINARY, &env).output().await.unwrap();
        assert_eq!(output.status.code(), Some(2), "{variable}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(variable), "{variable}: {stderr}");
        assert!(
            !stderr.contains(CLIENT_SECRET) && !stderr.contains(KEY_A),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
}

#[tokio::test]
async fn generate_key_prints_a_usable_key() {
    let output = Command::new(BINARY)
        .arg("--generate-key")
        .env_clear()
        .output()
        .await
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        SealingKey::from_base64url(stdout.trim()).is_ok(),
        "{stdout}"
    );
    let again = Command::new(BINARY)
        .arg("--generate-key")
        .output()
        .await
        .unwrap();
    assert_ne!(again.stdout, stdout.as_bytes(), "keys are random");
}
