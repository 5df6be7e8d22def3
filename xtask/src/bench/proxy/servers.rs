//! The servers the proxy bench measures: built with the optimised profile ([`Servers::Optimised`]),
//! started on loopback, and watched from outside (start-up time, resident memory).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{ORIGIN, REDIRECT_URI};
use crate::process::Process;
use crate::services::{PROXY_READY, Servers, sandbox_command, sandbox_proxy_command};
use crate::util::{Result, free_port};

const READY_WITHIN: Duration = Duration::from_secs(30);
/// The bound on one start-up measurement.
const START_UP_LIMIT: Duration = Duration::from_secs(10);

/// The optimised sandbox and token proxy (see [`Servers::Optimised`]).
pub fn build() -> Result<(PathBuf, PathBuf)> {
    Servers::Optimised.build()?;
    let binary = |name| Servers::Optimised.binary(name);
    Ok((binary("wxcc-sandbox"), binary("wxcc-token-proxy")))
}

/// The sandbox and its identity base URL.
pub fn start_sandbox(binary: &Path) -> Result<(Process, String)> {
    let mut command = sandbox_command(binary, ORIGIN, REDIRECT_URI);
    command
        // The default is Webex's per-client limit; the bench sends far more on purpose.
        .args(["--rate-limit", "1000000"])
        .env("RUST_LOG", "warn");
    let (sandbox, identity, _api) = crate::services::start_sandbox(command, READY_WITHIN)?;
    Ok((sandbox, identity))
}

/// The token proxy in front of the sandbox at `identity`, listening on `bind`.
fn proxy_command(binary: &Path, identity: &str, bind: &str) -> Result<Command> {
    // Handle mode: the sealed refresh token comes back in the body, so it can be replayed.
    let mut command = sandbox_proxy_command(binary, identity, ORIGIN, REDIRECT_URI, "handle")?;
    command
        .env("WXCC_PROXY_BIND", bind)
        // The largest the proxy accepts: the whole bench stays below it.
        .env("WXCC_PROXY_RATE_LIMIT_PER_MINUTE", "100000")
        .env("RUST_LOG", "warn");
    Ok(command)
}

/// Starts the token proxy on a free port and waits for its readiness line.
pub fn start_proxy(binary: &Path, identity: &str) -> Result<Process> {
    Process::start(
        "token-proxy",
        proxy_command(binary, identity, "127.0.0.1:0")?,
        PROXY_READY,
        READY_WITHIN,
    )
}

/// Process spawn to the first 200 from /healthz, polled every millisecond (this is the measurement,
/// not a synchronisation; it is bounded by [`START_UP_LIMIT`]).
pub fn start_up_ms(binary: &Path, identity: &str) -> Result<f64> {
    let port = free_port()?;
    let command = proxy_command(binary, identity, &format!("127.0.0.1:{port}"))?;
    let started = Instant::now();
    let mut proxy = Process::spawn("token-proxy", command)?;
    loop {
        if healthz_ok(port) {
            return Ok(started.elapsed().as_secs_f64() * 1000.0);
        }
        if started.elapsed() > START_UP_LIMIT {
            return Err(format!(
                "the token proxy did not answer /healthz with 200 within {START_UP_LIMIT:?}"
            ));
        }
        if let Some(status) = proxy.exited() {
            return Err(format!(
                "the token proxy exited at start-up ({status}); its errors are above"
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
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

/// /proc/<pid>/status field in kB (VmHWM = peak resident set, VmRSS = now).
pub fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kb(&status, field)
}

fn parse_status_kb(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
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
}
