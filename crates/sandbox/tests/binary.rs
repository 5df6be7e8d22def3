//! The `wxcc-sandbox` binary: ready line on stdout, both ports served, clean exit on SIGTERM, bad config named.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wxcc-sandbox");

#[cfg(unix)]
#[tokio::test]
async fn prints_one_ready_line_serves_and_stops_on_sigterm() {
    let mut child = Command::new(BIN)
        .args([
            "--identity-addr",
            "127.0.0.1:0",
            "--api-addr",
            "127.0.0.1:0",
            "--seed",
            "7",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let rest = line
        .trim_end()
        .strip_prefix("wxcc-sandbox ready identity=")
        .unwrap_or_else(|| panic!("ready line: {line:?}"));
    let (identity, api) = rest.split_once(" api=").unwrap();
    assert!(identity.starts_with("http://127.0.0.1:") && api.starts_with("http://127.0.0.1:"));
    for base in [identity, api] {
        let r = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(r.status(), 200);
    }
    let page = reqwest::get(format!(
        "{identity}/v1/authorize?client_id=wxcc-demo-client&response_type=code&scope=cjp:config_read&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback"
    ))
    .await
    .unwrap();
    assert_eq!(page.status(), 200);

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
    let mut after = String::new();
    stdout.read_line(&mut after).unwrap();
    assert_eq!(after, "", "exactly one line on stdout");
}

#[test]
fn bad_config_file_is_refused_naming_the_field() {
    let dir = std::env::temp_dir().join(format!("wxcc-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::File::create(&file)
        .unwrap()
        .write_all(b"seed = \"seven\"\n")
        .unwrap();
    let out = Command::new(BIN)
        .args([
            "--config",
            file.to_str().unwrap(),
            "--identity-addr",
            "127.0.0.1:0",
            "--api-addr",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("seed"), "{err}");

    let file = dir.join("bad.json");
    std::fs::write(&file, br#"{"error_rate": 1.5}"#).unwrap();
    let out = Command::new(BIN)
        .args(["--config", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error_rate"));

    let out = Command::new(BIN)
        .args(["--error-rate", "7"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error_rate"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn good_toml_config_with_flag_override() {
    let dir = std::env::temp_dir().join(format!("wxcc-sandbox-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sandbox.toml");
    std::fs::write(
        &file,
        "allowed_origins = [\"http://localhost:3000\"]\naccess_token_lifetime_secs = 20\n\n[[clients]]\nclient_id = \"c\"\nclient_secret = \"s\"\nredirect_uris = [\"http://localhost:3000/cb\"]\n",
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args([
            "--config",
            file.to_str().unwrap(),
            "--identity-addr",
            "127.0.0.1:0",
            "--api-addr",
            "127.0.0.1:0",
            "--rate-limit",
            "10",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("wxcc-sandbox ready identity="), "{line}");
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
