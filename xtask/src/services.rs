//! Starting the local stack (Webex sandbox, token proxy, static CDN) and always stopping it, and
//! the command lines of those servers that the demo and the bench share.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::Process;
use crate::util::{Result, cmd};

/// How long a server may take to report ready: long enough for a first build inside the started
/// command (the demo that `cargo xtask test` starts builds the app before it is ready).
pub const READY_WITHIN: Duration = Duration::from_secs(600);

/// Which build of the native servers a stack runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Servers {
    /// The debug profile: quick to build and start; what the demo and the tests run.
    Debug,
    /// An optimised profile of their own (`bench-servers`): what the bench measures, so that a
    /// timing through the sandbox or the proxy is the app's and the servers', not debug code's.
    /// The shared release profile is tuned for wasm size, the wrong thing for a server.
    Optimised,
}

impl Servers {
    const PACKAGES: [&str; 6] = [
        "--package",
        "wxcc-sandbox",
        "--package",
        "wxcc-token-proxy",
        "--package",
        "wxcc-cdn",
    ];
    pub const OPTIMISED_PROFILE: &str = "bench-servers";

    /// Builds the sandbox, the token proxy and the local CDN in this profile.
    pub fn build(self) -> Result {
        let mut command = cmd("cargo");
        command.arg("build");
        match self {
            Servers::Debug => {
                crate::util::heading("building the sandbox, token proxy and local CDN");
            }
            Servers::Optimised => {
                crate::util::heading(&format!(
                    "building the sandbox, token proxy and local CDN with an optimised profile ({})",
                    Self::OPTIMISED_PROFILE
                ));
                Self::optimised_profile(&mut command);
            }
        }
        crate::util::run("building the servers", command.args(Self::PACKAGES))
    }

    /// Adds the optimised profile to a `cargo build`: the settings live here, on the command line,
    /// so that the workspace's Cargo.toml keeps only the release profile the app ships with.
    pub fn optimised_profile(command: &mut std::process::Command) -> &mut std::process::Command {
        let key = |key: &str| format!("profile.{}.{key}", Self::OPTIMISED_PROFILE);
        command
            .args(["--profile", Self::OPTIMISED_PROFILE])
            .args(["--config", &format!("{}=\"release\"", key("inherits"))])
            .args(["--config", &format!("{}=3", key("opt-level"))])
            .args(["--config", &format!("{}=false", key("lto"))])
            .args(["--config", &format!("{}=16", key("codegen-units"))])
            .args(["--config", &format!("{}=\"unwind\"", key("panic"))])
    }

    /// A server built by [`Servers::build`].
    pub fn binary(self, name: &str) -> PathBuf {
        let profile = match self {
            Servers::Debug => "debug",
            Servers::Optimised => Self::OPTIMISED_PROFILE,
        };
        crate::util::target_dir().join(profile).join(name)
    }
}

/// The readiness lines' prefixes: the rest of each line is where the server listens.
pub const SANDBOX_READY: &str = "wxcc-sandbox ready ";
pub const PROXY_READY: &str = "wxcc-token-proxy listening on ";
pub const CDN_READY: &str = "wxcc-cdn listening on ";

/// The OAuth client the sandbox registers and the token proxy signs in with on this machine.
pub const DEMO_CLIENT_ID: &str = "wxcc-demo-client";
pub const DEMO_CLIENT_SECRET: &str = "wxcc-demo-secret";

/// The sandbox on two free loopback ports, registering the demo client for `redirect_uri`.
pub fn sandbox_command(binary: &Path, spa_origin: &str, redirect_uri: &str) -> Command {
    let mut command = Command::new(binary);
    command
        .args([
            "--identity-addr",
            "127.0.0.1:0",
            "--api-addr",
            "127.0.0.1:0",
        ])
        .args(["--spa-origin", spa_origin, "--redirect-uri", redirect_uri])
        .args([
            "--client-id",
            DEMO_CLIENT_ID,
            "--client-secret",
            DEMO_CLIENT_SECRET,
        ]);
    command
}

/// Starts the sandbox and returns it with its (identity, API) base URLs.
pub fn start_sandbox(command: Command, within: Duration) -> Result<(Process, String, String)> {
    let sandbox = Process::start("sandbox", command, SANDBOX_READY, within)?;
    let (identity, api) = parse_sandbox_ready(&sandbox.address)?;
    Ok((sandbox, identity, api))
}

/// The token proxy for one OAuth client and the app at `spa_origin`, on a free loopback port.
pub fn proxy_command(
    binary: &Path,
    (client_id, client_secret): (&str, &str),
    spa_origin: &str,
    redirect_uri: &str,
    mode: &str,
) -> Command {
    let mut command = Command::new(binary);
    command
        .env("WXCC_PROXY_CLIENT_ID", client_id)
        .env("WXCC_PROXY_CLIENT_SECRET", client_secret)
        .env("WXCC_PROXY_ALLOWED_ORIGINS", spa_origin)
        .env("WXCC_PROXY_REDIRECT_URI", redirect_uri)
        .env("WXCC_PROXY_MODE", mode)
        .env("WXCC_PROXY_BIND", "127.0.0.1:0");
    command
}

/// [`proxy_command`] for the demo client against the sandbox at `identity_url`, with a fresh
/// sealing key.
pub fn sandbox_proxy_command(
    binary: &Path,
    identity_url: &str,
    spa_origin: &str,
    redirect_uri: &str,
    mode: &str,
) -> Result<Command> {
    let mut command = proxy_command(
        binary,
        (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
        spa_origin,
        redirect_uri,
        mode,
    );
    command
        .env(
            "WXCC_PROXY_TOKEN_ENDPOINT",
            format!("{identity_url}/v1/access_token"),
        )
        .env("WXCC_PROXY_SEALING_KEYS", random_key()?);
    Ok(command)
}

/// The local CDN serving `site` on `port`, forwarding `/proxy/*` to the token proxy.
pub fn cdn_command(
    servers: Servers,
    site: &Path,
    port: u16,
    proxy_url: &str,
    base_path: &str,
) -> Command {
    let mut command = Command::new(servers.binary("wxcc-cdn"));
    command
        .arg("--dir")
        .arg(site)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--proxy-prefix", "/proxy", "--proxy-to", proxy_url]);
    if base_path != "/" {
        command.args(["--mount", base_path]);
    }
    command
}

/// How the stack is wired.
pub struct StackOptions {
    /// Port for the SPA's origin; 0 picks a free one.
    pub spa_port: u16,
    /// `cookie` (same-site, recommended) or `handle`.
    pub proxy_mode: &'static str,
    /// Extra sandbox flags (fault knobs such as `--access-token-lifetime 20`).
    pub sandbox_args: Vec<String>,
    /// Where the built SPA is copied and configured: one directory per use (see
    /// [`crate::spa::SiteUse`]), since its config.json names this stack's ports.
    pub site: PathBuf,
    /// `/`, or the sub-path the SPA was built for (`--public-url`), e.g. `/console/`.
    pub base_path: &'static str,
    /// Which build of the servers runs (built beforehand with [`Servers::build`]).
    pub servers: Servers,
}

/// The running stack; dropping it stops every service (the CDN first, the sandbox last).
pub struct Stack {
    pub cdn: Process,
    pub proxy: Process,
    pub sandbox: Process,
    pub spa_origin: String,
    /// Where the app is: the origin plus the base path (ends with `/`).
    pub app_url: String,
    pub identity_url: String,
    pub api_url: String,
}

pub fn start_stack(dist: &Path, options: &StackOptions) -> Result<Stack> {
    start_stack_with(dist, options, &[])
}

/// [`start_stack`] with extra token-proxy variables, set after the stack's own (an end-to-end
/// suite's `WXCC_PROXY_SESSION_LIFETIME_SECS`, say).
pub fn start_stack_with(
    dist: &Path,
    options: &StackOptions,
    proxy_env: &[(&str, String)],
) -> Result<Stack> {
    if options.spa_port != 0 {
        return start_stack_on(dist, options, options.spa_port, proxy_env);
    }
    // The SPA's port is chosen before the sandbox and the proxy bind their own (ephemeral) ports and
    // is bound by the CDN last, so one of them can take it in between: then start again elsewhere.
    let mut last_error = String::new();
    for _ in 0..3 {
        match start_stack_on(dist, options, crate::util::free_port()?, proxy_env) {
            Ok(stack) => return Ok(stack),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

fn start_stack_on(
    dist: &Path,
    options: &StackOptions,
    port: u16,
    proxy_env: &[(&str, String)],
) -> Result<Stack> {
    let spa_origin = format!("http://127.0.0.1:{port}");
    let redirect_uri = format!("{spa_origin}{}callback", options.base_path);

    let mut sandbox_cmd = sandbox_command(
        &options.servers.binary("wxcc-sandbox"),
        &spa_origin,
        &redirect_uri,
    );
    sandbox_cmd.arg("--control").args(&options.sandbox_args);
    let (sandbox, identity_url, api_url) = start_sandbox(sandbox_cmd, READY_WITHIN)?;

    let mut proxy_cmd = sandbox_proxy_command(
        &options.servers.binary("wxcc-token-proxy"),
        &identity_url,
        &spa_origin,
        &redirect_uri,
        options.proxy_mode,
    )?;
    // The test suites sign in many times from one address.
    proxy_cmd.env("WXCC_PROXY_RATE_LIMIT_PER_MINUTE", "6000");
    // "Keep me signed in on this device" is offered (and tested): the proxy's default is off.
    proxy_cmd.env("WXCC_PROXY_REMEMBER_DAYS", "7");
    proxy_cmd.envs(proxy_env.iter().map(|(k, v)| (k, v)));
    let proxy = Process::start("token-proxy", proxy_cmd, PROXY_READY, READY_WITHIN)?;

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

    let cdn_cmd = cdn_command(
        options.servers,
        &options.site,
        port,
        &proxy.address,
        options.base_path,
    );
    let cdn = Process::start("cdn", cdn_cmd, CDN_READY, READY_WITHIN)?;

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
    fn each_build_of_the_servers_has_its_own_directory() {
        let target = crate::util::target_dir();
        assert_eq!(
            Servers::Debug.binary("wxcc-cdn"),
            target.join("debug/wxcc-cdn")
        );
        assert_eq!(
            Servers::Optimised.binary("wxcc-sandbox"),
            target.join("bench-servers/wxcc-sandbox")
        );
    }

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
