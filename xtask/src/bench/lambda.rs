//! Lambda: the token proxy as `cargo xtask package` ships it for AWS Lambda. The zip's size, and
//! the function's init time under a Runtime API: process spawn until it asks for its first
//! invocation (`GET /2018-06-01/runtime/invocation/next`), which is where Lambda's init ends.
//! Runs with the proxy section (`--only proxy`).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;

use super::report::{Row, Section, kb, ms};
use super::stats::summarize;
use crate::package::lambda;
use crate::util::{Result, heading};

/// The goals for the function.
const ZIP_GOAL_BYTES: u64 = 5_000_000;
const INIT_GOAL_MS: f64 = 20.0;
const STARTS: usize = 10;
/// The bound on one init measurement.
const INIT_LIMIT: Duration = Duration::from_secs(10);

/// The section, or a skipped one when the proxy figures are not wanted.
pub fn section(target_dir: &Path, wanted: bool) -> Section {
    if !wanted {
        return Section::skipped("lambda");
    }
    match measure(target_dir) {
        Ok((rows, data, None)) => Section::ok("lambda", rows, data),
        Ok((rows, data, Some(over))) => Section {
            name: "lambda",
            status: super::report::Status::OverBudget(over),
            rows,
            data,
        },
        Err(error) => Section::failed("lambda", error),
    }
}

type Measured = (Vec<Row>, serde_json::Value, Option<String>);

fn measure(target_dir: &Path) -> Result<Measured> {
    heading("lambda: the token proxy's Lambda zip and its init time under a Runtime API");
    let binary = lambda::build()?;
    let zip = target_dir.join("bench/token-proxy.zip");
    let zip_bytes = lambda::zip_bootstrap(&binary, &zip)?;
    let binary_bytes = std::fs::metadata(&binary)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", binary.display()))?;
    let mut inits = Vec::new();
    for _ in 0..STARTS {
        inits.push(init_ms(&binary)?);
    }
    let init = summarize(&inits).expect("at least one start");
    println!(
        "  zip {}, init median {}",
        kb(zip_bytes as f64),
        ms(init.median)
    );
    let mut over = Vec::new();
    if zip_bytes > ZIP_GOAL_BYTES {
        over.push(format!(
            "the zip is {} (goal ≤ {})",
            kb(zip_bytes as f64),
            kb(ZIP_GOAL_BYTES as f64)
        ));
    }
    if init.median > INIT_GOAL_MS {
        over.push(format!(
            "init takes {} (goal ≤ {})",
            ms(init.median),
            ms(INIT_GOAL_MS)
        ));
    }
    let rows = vec![
        Row::single(
            "Lambda zip (bootstrap, deflate)",
            kb(zip_bytes as f64),
            format!(
                "goal ≤ {}; binary {} (profile `{}`, x86_64, provided.al2023)",
                kb(ZIP_GOAL_BYTES as f64),
                kb(binary_bytes as f64),
                lambda::PROFILE
            ),
        ),
        Row::summary(
            "Lambda init (spawn → first GET …/invocation/next)",
            &init,
            ms,
            format!(
                "goal ≤ {}; {STARTS} starts on loopback, no secret fetch",
                ms(INIT_GOAL_MS)
            ),
        ),
    ];
    let data = json!({
        "zip_bytes": zip_bytes,
        "binary_bytes": binary_bytes,
        "init_ms": init.json(),
        "init_samples_ms": inits,
    });
    Ok((rows, data, (!over.is_empty()).then(|| over.join("; "))))
}

/// One cold start: the function with a valid configuration, timed until its first request to a
/// Runtime API that only listens.
fn init_ms(binary: &Path) -> Result<f64> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on loopback: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let (first_request, requested) = mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            let mut line = String::new();
            let mut reader = BufReader::new(stream);
            let _ = reader.read_line(&mut line);
            let _ = first_request.send((Instant::now(), line));
            // Holding the connection until the function is stopped.
            let _ = reader.read_line(&mut String::new());
        }
    });
    let mut command = Command::new(binary);
    command
        .env_clear()
        .envs(function_environment(&address.to_string()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let mut function = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let result = requested.recv_timeout(INIT_LIMIT);
    let _ = function.kill();
    let _ = function.wait();
    match result {
        Ok((at, line)) if line.starts_with("GET /2018-06-01/runtime/invocation/next ") => {
            Ok((at - started).as_secs_f64() * 1000.0)
        }
        Ok((_, line)) => Err(format!(
            "the function's first request was `{}`, not the next invocation",
            line.trim()
        )),
        Err(_) => {
            // Unblock the accepting thread.
            let _ = TcpStream::connect(address);
            Err(format!(
                "the function did not ask for an invocation within {INIT_LIMIT:?}"
            ))
        }
    }
}

/// A valid configuration (nothing is contacted at init) and what Lambda sets.
fn function_environment(runtime_api: &str) -> Vec<(&'static str, String)> {
    vec![
        ("WXCC_PROXY_CLIENT_ID", "bench-client".into()),
        ("WXCC_PROXY_CLIENT_SECRET", "bench-secret".into()),
        (
            "WXCC_PROXY_ALLOWED_ORIGINS",
            "https://console.example.com".into(),
        ),
        (
            "WXCC_PROXY_REDIRECT_URI",
            "https://console.example.com/callback".into(),
        ),
        ("WXCC_PROXY_MODE", "cookie".into()),
        (
            "WXCC_PROXY_SEALING_KEYS",
            "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc".into(),
        ),
        ("AWS_LAMBDA_RUNTIME_API", runtime_api.into()),
        ("AWS_LAMBDA_FUNCTION_NAME", "wxcc-token-proxy".into()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128".into()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("RUST_LOG", "warn".into()),
    ]
}
