//! Starting the local stack (Webex sandbox, token proxy, static CDN) and always stopping it.
//!
//! Each service prints one readiness line on stdout once it listens; we wait for exactly that
//! line (with an upper bound so a broken build cannot hang CI) instead of sleeping.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::util::{Result, cmd, describe, root};

/// Long enough for a first build inside the started command (the demo builds before it is ready).
const READY_TIMEOUT: Duration = Duration::from_secs(600);

/// A child process that is killed when dropped, so every exit path (errors, panics) stops it.
pub struct Service {
    name: &'static str,
    child: Child,
    /// The URL the service printed in its readiness line.
    pub url: String,
}

impl Service {
    /// Spawns `command`, forwards its stdout with a name prefix, and waits for the first line
    /// starting with `ready_prefix`; the rest of that line is returned as the service's address.
    pub fn start(name: &'static str, mut command: Command, ready_prefix: &str) -> Result<Service> {
        command.stdout(Stdio::piped()).stdin(Stdio::null());
        let mut child = command
            .spawn()
            .map_err(|e| format!("could not start {name} (`{}`): {e}", describe(&command)))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        let prefix = ready_prefix.to_string();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                if let Some(rest) = line.strip_prefix(&prefix)
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(rest.trim().to_string());
                    continue;
                }
                println!("[{name}] {line}");
            }
        });
        let mut service = Service {
            name,
            child,
            url: String::new(),
        };
        match rx.recv_timeout(READY_TIMEOUT) {
            Ok(url) => {
                service.url = url;
                Ok(service)
            }
            Err(_) => {
                let status = service.child.try_wait().ok().flatten();
                Err(match status {
                    Some(status) => format!(
                        "{name} exited before it was ready ({status}); its errors are above"
                    ),
                    None => format!("{name} did not report ready within {READY_TIMEOUT:?}"),
                })
            }
        }
    }

    /// True while the process is alive.
    pub fn running_now(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Ctrl-C, as a user stops it; true when the process then exits successfully. (If it
    /// lingers, dropping the service still terminates it.)
    pub fn interrupt(mut self) -> bool {
        self.signal_and_wait("-INT", Duration::from_secs(20))
            .is_some_and(|status| status.success())
    }

    /// Sends `signal` (`-INT`, `-TERM`) and waits up to `patience` for the process to exit.
    fn signal_and_wait(
        &mut self,
        signal: &str,
        patience: Duration,
    ) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
        let step = Duration::from_millis(100);
        for _ in 0..patience.as_millis() / step.as_millis() {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(step);
        }
        None
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // SIGTERM first so the servers shut down gracefully; SIGKILL if they linger.
            if self
                .signal_and_wait("-TERM", Duration::from_secs(5))
                .is_none()
            {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// Builds the native servers once (debug profile: they are small and start fast).
pub fn build_servers() -> Result {
    crate::util::heading("building the sandbox, token proxy and local CDN");
    crate::util::run(
        "building the servers",
        cmd("cargo").args([
            "build",
            "--package",
            "wxcc-sandbox",
            "--package",
            "wxcc-token-proxy",
            "--package",
            "wxcc-cdn",
        ]),
    )
}

pub fn binary(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("debug").join(name)
}

/// How the stack is wired.
pub struct StackOptions {
    /// Port for the SPA's origin; 0 picks a free one.
    pub spa_port: u16,
    /// `cookie` (same-site, recommended) or `handle`.
    pub proxy_mode: &'static str,
    /// Extra sandbox flags (fault knobs such as `--access-token-lifetime 20`).
    pub sandbox_args: Vec<String>,
    /// Where the built SPA is copied and configured.
    pub site: PathBuf,
    /// `/`, or the sub-path the SPA was built for (`--public-url`), e.g. `/console/`.
    pub base_path: &'static str,
}

/// The running stack; dropping it stops every service (the CDN first, the sandbox last).
pub struct Stack {
    pub cdn: Service,
    pub proxy: Service,
    pub sandbox: Service,
    pub spa_origin: String,
    /// Where the app is: the origin plus the base path (ends with `/`).
    pub app_url: String,
    pub identity_url: String,
    pub api_url: String,
}

pub const DEMO_CLIENT_ID: &str = "wxcc-demo-client";
const DEMO_CLIENT_SECRET: &str = "wxcc-demo-secret";

pub fn start_stack(dist: &Path, options: &StackOptions) -> Result<Stack> {
    if options.spa_port != 0 {
        return start_stack_on(dist, options, options.spa_port);
    }
    // The SPA's port is chosen before the sandbox and the proxy bind their own (ephemeral) ports and
    // is bound by the CDN last, so one of them can take it in between: then start again elsewhere.
    let mut last_error = String::new();
    for _ in 0..3 {
        match start_stack_on(dist, options, crate::util::free_port()?) {
            Ok(stack) => return Ok(stack),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

fn start_stack_on(dist: &Path, options: &StackOptions, port: u16) -> Result<Stack> {
    let spa_origin = format!("http://127.0.0.1:{port}");
    let redirect_uri = format!("{spa_origin}{}callback", options.base_path);

    let mut sandbox_cmd = Command::new(binary("wxcc-sandbox"));
    sandbox_cmd
        .args([
            "--identity-addr",
            "127.0.0.1:0",
            "--api-addr",
            "127.0.0.1:0",
        ])
        .args(["--spa-origin", &spa_origin, "--redirect-uri", &redirect_uri])
        .args([
            "--client-id",
            DEMO_CLIENT_ID,
            "--client-secret",
            DEMO_CLIENT_SECRET,
        ])
        .arg("--control")
        .args(&options.sandbox_args);
    let sandbox = Service::start("sandbox", sandbox_cmd, "wxcc-sandbox ready ")?;
    let (identity_url, api_url) = parse_sandbox_ready(&sandbox.url)?;

    let mut proxy_cmd = Command::new(binary("wxcc-token-proxy"));
    proxy_cmd
        .env("WXCC_PROXY_CLIENT_ID", DEMO_CLIENT_ID)
        .env("WXCC_PROXY_CLIENT_SECRET", DEMO_CLIENT_SECRET)
        .env("WXCC_PROXY_ALLOWED_ORIGINS", &spa_origin)
        .env("WXCC_PROXY_REDIRECT_URI", &redirect_uri)
        .env(
            "WXCC_PROXY_TOKEN_ENDPOINT",
            format!("{identity_url}/v1/access_token"),
        )
        .env("WXCC_PROXY_MODE", options.proxy_mode)
        .env("WXCC_PROXY_SEALING_KEYS", random_key()?)
        .env("WXCC_PROXY_BIND", "127.0.0.1:0")
        // The test suites sign in many times from one address.
        .env("WXCC_PROXY_RATE_LIMIT_PER_MINUTE", "6000");
    let proxy = Service::start("token-proxy", proxy_cmd, "wxcc-token-proxy listening on ")?;

    let config = serde_json::json!({
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scopes": ["cjp:config_read", "cjp:config_write", "cjp:user", "spark:people_read", "cjds:admin_org_read"],
        "authorize_url": format!("{identity_url}/v1/authorize"),
        "token_proxy_url": "/proxy",
        "proxy_mode": options.proxy_mode,
        "api_base_url": api_url,
        "identity_api_base_url": format!("{identity_url}/v1"),
    });
    let config_text = serde_json::to_string_pretty(&config).expect("json");
    let site = crate::spa::Site {
        config_json: Some(&config_text),
        page_origin: Some(spa_origin.clone()),
        base_path: options.base_path.into(),
    };
    crate::spa::deploy(dist, &options.site, &site)?;

    let mut cdn_cmd = Command::new(binary("wxcc-cdn"));
    cdn_cmd
        .arg("--dir")
        .arg(&options.site)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--proxy-prefix", "/proxy", "--proxy-to", &proxy.url]);
    if options.base_path != "/" {
        cdn_cmd.args(["--mount", options.base_path]);
    }
    let cdn = Service::start("cdn", cdn_cmd, "wxcc-cdn listening on ")?;

    let app_url = format!("{spa_origin}{}", options.base_path);
    Ok(Stack {
        cdn,
        proxy,
        sandbox,
        spa_origin,
        app_url,
        identity_url,
        api_url,
    })
}

fn parse_sandbox_ready(line: &str) -> Result<(String, String)> {
    let mut identity = None;
    let mut api = None;
    for part in line.split_whitespace() {
        if let Some(v) = part.strip_prefix("identity=") {
            identity = Some(v.to_string());
        } else if let Some(v) = part.strip_prefix("api=") {
            api = Some(v.to_string());
        }
    }
    match (identity, api) {
        (Some(i), Some(a)) => Ok((i, a)),
        _ => Err(format!(
            "the sandbox's ready line is not understood: `{line}`"
        )),
    }
}

/// A fresh sealing key for this run: 32 random bytes from the OS, base64url.
fn random_key() -> Result<String> {
    use base64::Engine;
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom for a sealing key: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn understands_the_sandbox_ready_line() {
        let (i, a) =
            parse_sandbox_ready("identity=http://127.0.0.1:1 api=http://127.0.0.1:2").unwrap();
        assert_eq!(
            (i.as_str(), a.as_str()),
            ("http://127.0.0.1:1", "http://127.0.0.1:2")
        );
        assert!(parse_sandbox_ready("identity=http://x").is_err());
    }
}
