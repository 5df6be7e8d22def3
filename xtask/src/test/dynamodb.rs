//! The revocation store on DynamoDB: a local DynamoDB-compatible server (moto's server mode, which
//! `cargo xtask setup` installs) started on a free loopback port, the store's tests and the
//! sign-out → replay test run against it (`WXCC_TEST_DYNAMODB_ENDPOINT`), the server stopped.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{Outcome, cargo_tests};
use crate::process::Process;
use crate::util::{cmd, free_port};

pub const SUITE: &str = "revocation store on DynamoDB (moto)";
/// The bound on moto's start (a cold Python import takes a few seconds).
const START_WITHIN: Duration = Duration::from_secs(60);

pub fn suite() -> Outcome {
    let server = crate::setup::moto_server_path();
    if !server.exists() {
        return Outcome::failed(
            SUITE,
            format!(
                "{} is missing; run `cargo xtask setup` (it installs moto from PyPI)",
                server.display()
            ),
        );
    }
    let port = match free_port() {
        Ok(port) => port,
        Err(e) => return Outcome::failed(SUITE, e),
    };
    let mut command = std::process::Command::new(&server);
    command.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
    // Stopped when dropped, on every path out of here.
    let moto = match Process::spawn("moto", command) {
        Ok(process) => process,
        Err(e) => return Outcome::failed(SUITE, e),
    };
    // Held until the tests have run; dropping it stops moto.
    let _moto = match wait_until_listening(moto, port) {
        Ok(moto) => moto,
        Err(e) => return Outcome::failed(SUITE, e),
    };
    let mut tests = cmd("cargo");
    tests
        .args([
            "test",
            "-p",
            "wxcc-token-proxy",
            "--test",
            "revocation",
            "--",
            "--ignored",
            "dynamodb_",
        ])
        .env(
            "WXCC_TEST_DYNAMODB_ENDPOINT",
            format!("http://127.0.0.1:{port}"),
        );
    cargo_tests(SUITE, tests)
}

/// Polls `port` until moto accepts connections, for at most [`START_WITHIN`]; gives the process back
/// for the caller to hold.
fn wait_until_listening(mut moto: Process, port: u16) -> Result<Process, String> {
    let started = Instant::now();
    while started.elapsed() < START_WITHIN {
        if let Some(status) = moto.exited() {
            return Err(format!(
                "moto exited before it listened ({status}); its errors are above"
            ));
        }
        if TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
            .is_ok()
        {
            return Ok(moto);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "moto did not listen on port {port} within {START_WITHIN:?}"
    ))
}
