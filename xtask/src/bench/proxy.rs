//! Proxy: what the token proxy costs. `POST /refresh` through the proxy versus the sandbox's token
//! endpoint called directly, at 1, 32 and 200 concurrent connections, from a small loopback load
//! generator; plus the proxy's peak RSS and its start-up time.
//!
//! Both servers are built with an optimised profile of their own (`bench-servers`: opt-level 3, no
//! LTO, unwinding), not the workspace's size-tuned release profile meant for the wasm, and run with
//! `RUST_LOG=warn` so per-request logging does not dominate the figures.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::report::{Row, Section, mib, ms, per_second};
use super::stats::{percentile, summarize};
use crate::util::{Result, cmd, free_port, heading, run};

const PROFILE: &str = "bench-servers";
const CLIENT_ID: &str = "wxcc-demo-client";
const CLIENT_SECRET: &str = "wxcc-demo-secret";
/// Only a header value and a registered redirect: nothing listens there.
const ORIGIN: &str = "http://127.0.0.1:8080";
const REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";
const VERIFIER: &str = "bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
const SCOPES: &str = "cjp:config_read spark:people_read";

/// Concurrency levels and the requests one round sends at each (bounded in count and in time).
pub const LEVELS: [(usize, usize); 3] = [(1, 500), (32, 3_000), (200, 5_000)];
const ROUNDS: usize = 3;
const ROUND_TIME_LIMIT: Duration = Duration::from_secs(20);
const STARTS: usize = 5;
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A bench process, killed when dropped.
struct Proc {
    child: Child,
    url: String,
}

impl Proc {
    /// Spawns and waits for the readiness line on stdout; the rest of that line is the address.
    fn start(name: &str, mut command: Command, ready_prefix: &'static str) -> Result<Proc> {
        command
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .env("RUST_LOG", "warn");
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start the bench's {name}: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            // Keep draining so the child never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if let Some(rest) = line.strip_prefix(ready_prefix)
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(rest.trim().to_string());
                }
            }
        });
        let mut proc = Proc {
            child,
            url: String::new(),
        };
        match rx.recv_timeout(READY_TIMEOUT) {
            Ok(url) => {
                proc.url = url;
                Ok(proc)
            }
            Err(_) => Err(format!(
                "the bench's {name} did not report ready within {READY_TIMEOUT:?}; its errors are above"
            )),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Release-grade server binaries in target/bench-servers/ (the shared release profile is tuned for
/// wasm size, which is the wrong thing to measure a server with).
fn build_servers(target_dir: &Path) -> Result<(PathBuf, PathBuf)> {
    heading("building the sandbox and token proxy with an optimised profile (bench-servers)");
    let profile = |key: &str| format!("profile.{PROFILE}.{key}");
    run(
        "building the bench servers",
        cmd("cargo")
            .args(["build", "--profile", PROFILE])
            .args(["--config", &format!("{}=\"release\"", profile("inherits"))])
            .args(["--config", &format!("{}=3", profile("opt-level"))])
            .args(["--config", &format!("{}=false", profile("lto"))])
            .args(["--config", &format!("{}=16", profile("codegen-units"))])
            .args(["--config", &format!("{}=\"unwind\"", profile("panic"))])
            .args(["-p", "wxcc-sandbox", "-p", "wxcc-token-proxy"]),
    )?;
    let dir = target_dir.join(PROFILE);
    Ok((dir.join("wxcc-sandbox"), dir.join("wxcc-token-proxy")))
}

fn start_sandbox(binary: &Path) -> Result<(Proc, String)> {
    let mut command = Command::new(binary);
    command
        .args([
            "--identity-addr",
            "127.0.0.1:0",
            "--api-addr",
            "127.0.0.1:0",
        ])
        .args(["--spa-origin", ORIGIN, "--redirect-uri", REDIRECT_URI])
        .args(["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET])
        // The default is Webex's 300 per client per minute; the bench sends far more on purpose.
        .args(["--rate-limit", "1000000"]);
    let sandbox = Proc::start("sandbox", command, "wxcc-sandbox ready ")?;
    let identity = sandbox
        .url
        .split_whitespace()
        .find_map(|part| part.strip_prefix("identity="))
        .ok_or_else(|| {
            format!(
                "the sandbox's ready line is not understood: `{}`",
                sandbox.url
            )
        })?
        .to_string();
    Ok((sandbox, identity))
}

fn proxy_command(binary: &Path, identity: &str, bind: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .env("WXCC_PROXY_CLIENT_ID", CLIENT_ID)
        .env("WXCC_PROXY_CLIENT_SECRET", CLIENT_SECRET)
        .env("WXCC_PROXY_ALLOWED_ORIGINS", ORIGIN)
        .env("WXCC_PROXY_REDIRECT_URI", REDIRECT_URI)
        .env(
            "WXCC_PROXY_TOKEN_ENDPOINT",
            format!("{identity}/v1/access_token"),
        )
        // Handle mode: the sealed refresh token comes back in the body, so it can be replayed.
        .env("WXCC_PROXY_MODE", "handle")
        .env("WXCC_PROXY_SEALING_KEYS", sealing_key())
        .env("WXCC_PROXY_BIND", bind)
        // The largest the proxy accepts: the whole bench stays below it.
        .env("WXCC_PROXY_RATE_LIMIT_PER_MINUTE", "100000");
    command
}

/// A fixed key is fine here: nothing the bench seals outlives the run.
fn sealing_key() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([7u8; 32])
}

/// One authorization code from the sandbox's consent form, driven over HTTP like a browser.
async fn authorization_code(http: &reqwest::Client, identity: &str) -> Result<String> {
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(VERIFIER.as_bytes()));
    let page = http
        .get(format!("{identity}/v1/authorize"))
        .query(&[
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("scope", SCOPES),
            ("state", "bench-state"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .map_err(|e| format!("the sandbox's authorize page did not answer: {e}"))?;
    let html = page.text().await.map_err(|e| e.to_string())?;
    let txn = html
        .split("name=\"txn\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the sandbox's consent page has no txn field (has its form changed?)")?;
    let decision = http
        .post(format!("{identity}/v1/authorize/decision"))
        .form(&[("txn", txn), ("user", "admin"), ("decision", "accept")])
        .send()
        .await
        .map_err(|e| format!("the consent form was not accepted: {e}"))?;
    let location = decision
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            format!(
                "the consent answer ({}) did not redirect with a code",
                decision.status()
            )
        })?;
    query_value(location, "code").ok_or_else(|| "the consent redirect carries no code".into())
}

fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| v.to_string())
    })
}

async fn json_field(response: reqwest::Response, field: &str, what: &str) -> Result<String> {
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    match value[field].as_str() {
        Some(v) if status.is_success() => Ok(v.to_string()),
        // The error body names a code, never a token.
        _ => Err(format!(
            "{what} failed ({status}): {}",
            value["error"].as_str().unwrap_or("no error code")
        )),
    }
}

/// What a load round sends.
#[derive(Clone)]
enum Target {
    Proxy {
        url: String,
        body: String,
    },
    Direct {
        url: String,
        form: Vec<(&'static str, String)>,
    },
}

impl Target {
    fn request(&self, http: &reqwest::Client) -> reqwest::RequestBuilder {
        match self {
            Target::Proxy { url, body } => http
                .post(url)
                .header("origin", ORIGIN)
                .header("x-wxcc-request", "1")
                .header("content-type", "application/json")
                .body(body.clone()),
            Target::Direct { url, form } => http.post(url).form(form),
        }
    }
}

/// One round's raw figures.
#[derive(Debug, Default, PartialEq)]
pub struct Round {
    pub latencies_ms: Vec<f64>,
    pub errors: u64,
    pub elapsed: Duration,
}

impl Round {
    /// (p50, p99, requests per second); p50/p99 over successful requests only.
    pub fn figures(&self) -> (Option<f64>, Option<f64>, f64) {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let done = sorted.len() as f64 + self.errors as f64;
        let rate = if self.elapsed.is_zero() {
            0.0
        } else {
            done / self.elapsed.as_secs_f64()
        };
        (percentile(&sorted, 50.0), percentile(&sorted, 99.0), rate)
    }
}

async fn round(target: &Target, concurrency: usize, total: usize) -> Round {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a plain HTTP client builds");
    let issued = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + ROUND_TIME_LIMIT;
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (http, target, issued) = (http.clone(), target.clone(), issued.clone());
        workers.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while issued.fetch_add(1, Ordering::Relaxed) < total && Instant::now() < deadline {
                let sent = Instant::now();
                let ok = match target.request(&http).send().await {
                    Ok(response) => {
                        let success = response.status().is_success();
                        // Read the whole body so the connection is reused and the time is complete.
                        response.bytes().await.is_ok() && success
                    }
                    Err(_) => false,
                };
                if ok {
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        });
    }
    let mut result = Round::default();
    while let Some(joined) = workers.join_next().await {
        if let Ok((latencies, errors)) = joined {
            result.latencies_ms.extend(latencies);
            result.errors += errors;
        }
    }
    result.elapsed = started.elapsed();
    result
}

/// /proc/<pid>/status field in kB (VmHWM = peak resident set, VmRSS = now).
fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kb(&status, field)
}

pub fn parse_status_kb(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Process spawn to the first 200 from /healthz, polled every millisecond (this is the measurement,
/// not a synchronisation: the bound is 10 s).
fn start_up_ms(binary: &Path, identity: &str) -> Result<f64> {
    let port = free_port()?;
    let mut command = proxy_command(binary, identity, &format!("127.0.0.1:{port}"));
    command
        .stdout(Stdio::null())
        .stdin(Stdio::null())
        .env("RUST_LOG", "warn");
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the token proxy: {e}"))?;
    let result = loop {
        if healthz_ok(port) {
            break Ok(started.elapsed().as_secs_f64() * 1000.0);
        }
        if started.elapsed() > Duration::from_secs(10) {
            break Err("the token proxy did not answer /healthz with 200 within 10 s".to_string());
        }
        if let Ok(Some(status)) = child.try_wait() {
            break Err(format!(
                "the token proxy exited at start-up ({status}); its errors are above"
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn healthz_ok(port: u16) -> bool {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

pub fn section(target_dir: &Path) -> Section {
    match measure(target_dir) {
        Ok((rows, data, 0)) => Section::ok("proxy", rows, data),
        Ok((rows, data, errors)) => {
            let mut section = Section::failed(
                "proxy",
                format!("{errors} requests failed under load (see the rows above)"),
            );
            section.rows = rows;
            section.data = data;
            section
        }
        Err(error) => Section::failed("proxy", error),
    }
}

fn measure(target_dir: &Path) -> Result<(Vec<Row>, Value, u64)> {
    let (sandbox_bin, proxy_bin) = build_servers(target_dir)?;
    heading("proxy: /refresh through the proxy vs the sandbox's token endpoint directly");
    let (_sandbox, identity) = start_sandbox(&sandbox_bin)?;
    let proxy = Proc::start(
        "token proxy",
        proxy_command(&proxy_bin, &identity, "127.0.0.1:0"),
        "wxcc-token-proxy listening on ",
    )?;
    let idle_rss_kb = proc_status_kb(proxy.pid(), "VmRSS");

    // A current-thread runtime keeps the load generator on one core, leaving the other to the servers.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the load generator's runtime: {e}"))?;
    let (proxy_target, direct_target) = runtime.block_on(targets(&identity, &proxy.url))?;

    let mut rows = Vec::new();
    let mut figures = Vec::new();
    let mut total_errors = 0;
    let mut p50_at_one = [f64::NAN; 2];
    for (t, (label, target)) in [
        ("via proxy", &proxy_target),
        ("sandbox direct", &direct_target),
    ]
    .into_iter()
    .enumerate()
    {
        for (concurrency, requests) in LEVELS {
            let mut p50s = Vec::new();
            let mut p99s = Vec::new();
            let mut rates = Vec::new();
            let mut errors = 0;
            let mut sent = 0;
            // Warm-up: open the connections and fill the proxy's upstream pool; not counted.
            runtime.block_on(round(target, concurrency, concurrency * 2));
            for _ in 0..ROUNDS {
                let result = runtime.block_on(round(target, concurrency, requests));
                let (p50, p99, rate) = result.figures();
                p50s.push(p50.unwrap_or(f64::NAN));
                p99s.push(p99.unwrap_or(f64::NAN));
                rates.push(rate);
                errors += result.errors;
                sent += result.latencies_ms.len() as u64 + result.errors;
            }
            total_errors += errors;
            let list = |values: &[f64], unit: fn(f64) -> String| {
                values
                    .iter()
                    .map(|v| unit(*v))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            println!(
                "  {label} c={concurrency}: p50 {}; p99 {}; {}; {errors} errors",
                list(&p50s, ms),
                list(&p99s, ms),
                list(&rates, per_second)
            );
            let detail = format!("{sent} requests in {ROUNDS} rounds, {errors} errors");
            let name = |what: &str| format!("/refresh {label}, c={concurrency}: {what}");
            if concurrency == 1 {
                p50_at_one[t] = summarize(&p50s).map_or(f64::NAN, |s| s.median);
            }
            for (what, values, unit) in [
                ("p50", &p50s, ms as fn(f64) -> String),
                ("p99", &p99s, ms),
                ("throughput", &rates, per_second),
            ] {
                match summarize(values) {
                    Some(s) => rows.push(Row::summary(name(what), &s, unit, detail.clone())),
                    None => rows.push(Row::single(
                        name(what),
                        "–",
                        format!("no successful request; {detail}"),
                    )),
                }
            }
            figures.push(json!({
                "target": label, "concurrency": concurrency, "requests_per_round": requests, "rounds": ROUNDS,
                "p50_ms": summarize(&p50s).map(|s| s.json()), "p99_ms": summarize(&p99s).map(|s| s.json()),
                "requests_per_second": summarize(&rates).map(|s| s.json()), "errors": errors, "sent": sent,
            }));
        }
    }
    if !p50_at_one.iter().any(|v| v.is_nan()) {
        rows.push(Row::single(
            "proxy overhead at c=1 (p50 via proxy − direct)",
            ms(p50_at_one[0] - p50_at_one[1]),
            "unseal + upstream call + seal, on loopback",
        ));
    }
    let peak_rss_kb = proc_status_kb(proxy.pid(), "VmHWM");
    drop(proxy);
    match peak_rss_kb {
        Some(kb) => rows.push(Row::single(
            "proxy peak RSS (VmHWM)",
            mib(kb as f64 * 1024.0),
            format!(
                "after all rounds; idle after start {}",
                idle_rss_kb.map_or("?".into(), |k| mib(k as f64 * 1024.0))
            ),
        )),
        None => rows.push(Row::single(
            "proxy peak RSS (VmHWM)",
            "–",
            "/proc/<pid>/status unreadable",
        )),
    }

    let mut starts = Vec::new();
    for _ in 0..STARTS {
        starts.push(start_up_ms(&proxy_bin, &identity)?);
    }
    let start_summary = summarize(&starts).expect("at least one start");
    rows.push(Row::summary(
        "proxy start-up (spawn → first 200 on /healthz)",
        &start_summary,
        ms,
        format!("{STARTS} starts"),
    ));
    let data = json!({
        "profile": PROFILE,
        "levels": figures,
        "peak_rss_kb": peak_rss_kb,
        "idle_rss_kb": idle_rss_kb,
        "start_up_ms": start_summary.json(),
        "start_up_samples_ms": starts,
    });
    Ok((rows, data, total_errors))
}

/// A refresh token for the direct calls and a refresh handle for the proxy (two separate sign-ins).
async fn targets(identity: &str, proxy_url: &str) -> Result<(Target, Target)> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let code = authorization_code(&http, identity).await?;
    let token_url = format!("{identity}/v1/access_token");
    let response = http
        .post(&token_url)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .send()
        .await
        .map_err(|e| format!("the sandbox's token endpoint did not answer: {e}"))?;
    let refresh_token = json_field(response, "refresh_token", "the direct code exchange").await?;

    let code = authorization_code(&http, identity).await?;
    let body = json!({"code": code, "code_verifier": VERIFIER}).to_string();
    let response = Target::Proxy {
        url: format!("{proxy_url}/token"),
        body,
    }
    .request(&http)
    .send()
    .await
    .map_err(|e| format!("the token proxy did not answer /token: {e}"))?;
    let handle = json_field(
        response,
        "refresh_handle",
        "the code exchange through the proxy",
    )
    .await?;

    let proxy = Target::Proxy {
        url: format!("{proxy_url}/refresh"),
        body: json!({"refresh_handle": handle}).to_string(),
    };
    let direct = Target::Direct {
        url: token_url,
        form: vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT_ID.into()),
            ("client_secret", CLIENT_SECRET.into()),
        ],
    };
    Ok((proxy, direct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_status_fields() {
        let status = "Name:\twxcc-token-proxy\nVmHWM:\t   12345 kB\nVmRSS:\t    9000 kB\n";
        assert_eq!(parse_status_kb(status, "VmHWM"), Some(12345));
        assert_eq!(parse_status_kb(status, "VmRSS"), Some(9000));
        assert_eq!(parse_status_kb(status, "VmSwap"), None);
    }

    #[test]
    fn round_figures() {
        let round = Round {
            latencies_ms: (1..=100).map(f64::from).collect(),
            errors: 100,
            elapsed: Duration::from_secs(2),
        };
        assert_eq!(round.figures(), (Some(50.0), Some(99.0), 100.0));
        assert_eq!(Round::default().figures(), (None, None, 0.0));
    }

    #[test]
    fn finds_the_code_in_the_redirect() {
        assert_eq!(
            query_value("http://x/callback?code=abc_P0A1_1&state=s", "code").as_deref(),
            Some("abc_P0A1_1")
        );
        assert_eq!(
            query_value("http://x/callback?error=access_denied", "code"),
            None
        );
    }

    /// The load generator against an in-process loopback server: counts, bounds and errors.
    #[test]
    fn load_rounds_are_bounded_and_count_errors() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(|s| s.ok()) {
                std::thread::spawn(move || serve_keep_alive(stream));
            }
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let ok = Target::Proxy {
            url: format!("http://127.0.0.1:{port}/ok"),
            body: "{}".into(),
        };
        let result = runtime.block_on(round(&ok, 4, 40));
        assert_eq!((result.latencies_ms.len(), result.errors), (40, 0));
        let failing = Target::Direct {
            url: format!("http://127.0.0.1:{port}/fail"),
            form: vec![("a", "b".into())],
        };
        let result = runtime.block_on(round(&failing, 2, 10));
        assert_eq!((result.latencies_ms.len(), result.errors), (0, 10));
    }

    /// A tiny HTTP/1.1 server: 200 for /ok, 500 otherwise, keep-alive.
    fn serve_keep_alive(stream: std::net::TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        loop {
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                return;
            }
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let status = if request_line.contains("/ok") {
                "200 OK"
            } else {
                "500 Internal Server Error"
            };
            let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 2\r\n\r\n{{}}");
            if writer.write_all(answer.as_bytes()).is_err() {
                return;
            }
        }
    }
}
