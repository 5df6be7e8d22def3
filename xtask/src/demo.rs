//! `cargo xtask demo`: the whole product on this machine, against the Webex sandbox or real Webex.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use wxcc_core::secret::Secret;

use crate::process::Process;
use crate::services::{
    CDN_READY, PROXY_READY, READY_WITHIN, Servers, StackOptions, cdn_command, proxy_command,
    start_stack,
};
use crate::spa::SiteUse;
use crate::util::{Result, heading};

const HELP: &str = "\
usage: cargo xtask demo [options]

Against the local Webex sandbox (default):
  --port N                      port of the SPA on 127.0.0.1 (default 8080)
  --mode cookie|handle          token proxy mode (default cookie: refresh token sealed in an HttpOnly cookie)
  --access-token-lifetime SECS  short-lived access tokens to watch the refresh happen (e.g. 30)
  --rate-limit N                the sandbox's API requests per minute per client id (default 300,
                                Webex's documented limit; 50 tries a busy org on one machine)
  --site DIR                    where the configured copy of the app is served from
                                (default target/site/demo; `cargo xtask test` runs its demo elsewhere)

Against real Webex (your integration from developer.webex.com):
  --real --client-id ID --client-secret-file FILE [--region us1] [--port 8080]
  Register http://127.0.0.1:PORT/callback as a redirect URI of the integration first.
  The secret may also come from the environment variable WXCC_CLIENT_SECRET.
";

pub struct DemoArgs {
    port: u16,
    /// The directory the configured copy of the app is deployed into and served from.
    pub site: PathBuf,
    mode: &'static str,
    sandbox_args: Vec<String>,
    real: bool,
    client_id: Option<String>,
    secret_file: Option<String>,
    region: String,
}

/// The options, or None when help was asked for (and printed).
pub fn parse(args: &[String]) -> Result<Option<DemoArgs>> {
    let mut out = DemoArgs {
        port: 8080,
        site: SiteUse::Demo.dir(),
        mode: "cookie",
        sandbox_args: Vec::new(),
        real: false,
        client_id: None,
        secret_file: None,
        region: "us1".into(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--help" | "-h" => {
                print!("{HELP}");
                return Ok(None);
            }
            "--port" => {
                out.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port takes a port number (e.g. 8080)")?
            }
            "--mode" => {
                out.mode = match value("--mode")?.as_str() {
                    "cookie" => "cookie",
                    "handle" => "handle",
                    other => return Err(format!("--mode is cookie or handle, not `{other}`")),
                }
            }
            "--access-token-lifetime" => {
                let secs = value("--access-token-lifetime")?;
                out.sandbox_args
                    .extend(["--access-token-lifetime".to_string(), secs]);
            }
            "--rate-limit" => {
                let limit = value("--rate-limit")?;
                limit.parse::<u32>().ok().filter(|n| *n >= 1).ok_or(format!(
                    "--rate-limit takes a number of requests per minute of at least 1 (e.g. 50), not `{limit}`"
                ))?;
                out.sandbox_args.extend(["--rate-limit".to_string(), limit]);
            }
            "--site" => out.site = value("--site")?.into(),
            "--real" => out.real = true,
            "--client-id" => out.client_id = Some(value("--client-id")?),
            "--client-secret-file" => out.secret_file = Some(value("--client-secret-file")?),
            "--region" => out.region = value("--region")?,
            other => return Err(format!("unknown demo option `{other}`\n\n{HELP}")),
        }
    }
    Ok(Some(out))
}

pub fn run(args: &[String]) -> Result {
    let Some(args) = parse(args)? else {
        return Ok(());
    };
    let (tx, rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))?;

    if args.real {
        // Fail before minutes of building when the real-Webex settings are incomplete.
        real_settings(&args)?;
    }
    crate::spa::build("/")?;
    Servers::Debug.build()?;
    let dist = crate::spa::dist();
    let site = args.site.clone();

    if args.real {
        let services = start_real(&args, &dist, &site)?;
        let url = services[0].address.clone();
        banner(
            &url,
            "Sign in with your Webex account (Contact Center administrator or agent).",
        );
        return wait(rx, services);
    }

    heading("starting the Webex sandbox, the token proxy and the local CDN");
    let options = StackOptions {
        spa_port: args.port,
        proxy_mode: args.mode,
        sandbox_args: args.sandbox_args.clone(),
        site,
        base_path: "/",
        servers: Servers::Debug,
    };
    let stack = start_stack(&dist, &options)?;
    println!("  sandbox identity  {}", stack.identity_url);
    println!("  sandbox API       {}", stack.api_url);
    println!(
        "  token proxy       {} (also at {}/proxy)",
        stack.proxy.address, stack.spa_origin
    );
    banner(
        &stack.spa_origin,
        "Click \"Sign in with Webex\", pick a user on the sandbox's consent page and press Accept.",
    );
    let crate::services::Stack {
        cdn,
        proxy,
        sandbox,
        ..
    } = stack;
    wait(rx, vec![cdn, proxy, sandbox])
}

/// The start of the banner's line that gives the URL to open; `cargo xtask test` waits for it.
pub const READY_LINE: &str = "  │ wxcc-console is running: open ";

fn banner(url: &str, what_to_click: &str) {
    println!("\n  ┌──────────────────────────────────────────────────────────────");
    println!("{READY_LINE}{url}/");
    println!("  │ {what_to_click}");
    println!("  │ Press Ctrl-C to stop everything.");
    println!("  └──────────────────────────────────────────────────────────────\n");
}

/// Blocks until Ctrl-C or until a service dies; dropping the services stops them all.
fn wait(rx: mpsc::Receiver<()>, mut services: Vec<Process>) -> Result {
    loop {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(()) => {
                println!("\nstopping…");
                drop(services);
                println!("stopped.");
                return Ok(());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(dead) = services.iter_mut().position(|s| s.exited().is_some()) {
                    let name = services[dead].name();
                    return Err(format!("{name} stopped unexpectedly; its errors are above"));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// Real Webex: the token proxy talks to webexapis.com, the SPA to the chosen region.
fn start_real(args: &DemoArgs, dist: &Path, site: &Path) -> Result<Vec<Process>> {
    let (client_id, secret) = real_settings(args)?;
    let origin = format!("http://127.0.0.1:{}", args.port);
    let redirect_uri = format!("{origin}/callback");
    let proxy_cmd = proxy_command(
        &Servers::Debug.binary("wxcc-token-proxy"),
        (&client_id, secret.secret()),
        &origin,
        &redirect_uri,
        args.mode,
    );
    let proxy = Process::start("token-proxy", proxy_cmd, PROXY_READY, READY_WITHIN)?;
    let config = serde_json::json!({
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "token_proxy_url": "/proxy",
        "proxy_mode": args.mode,
        "region": args.region,
    });
    let config_text = serde_json::to_string_pretty(&config).expect("json");
    let deployment = crate::spa::Site {
        config_json: Some(&config_text),
        page_origin: Some(origin.clone()),
        base_path: "/".into(),
    };
    crate::spa::deploy(dist, site, &deployment)?;
    let cdn_cmd = cdn_command(Servers::Debug, site, args.port, &proxy.address, "/");
    let cdn = Process::start("cdn", cdn_cmd, CDN_READY, READY_WITHIN)?;
    Ok(vec![cdn, proxy])
}

/// The client id, the client secret and a sealing key that `--real` needs, or what is missing.
fn real_settings(args: &DemoArgs) -> Result<(String, Secret)> {
    let client_id = args.client_id.clone().ok_or(
        "--real needs --client-id (your integration's Client ID from developer.webex.com)",
    )?;
    let secret: Secret = match (&args.secret_file, std::env::var("WXCC_CLIENT_SECRET")) {
        (Some(path), _) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read --client-secret-file {path}: {e}"))?
            .trim()
            .into(),
        (None, Ok(secret)) => secret.into(),
        (None, Err(_)) => {
            return Err(
                "--real needs the client secret: --client-secret-file FILE or WXCC_CLIENT_SECRET"
                    .into(),
            );
        }
    };
    if std::env::var_os("WXCC_PROXY_SEALING_KEYS").is_none() {
        return Err("--real needs a sealing key: export WXCC_PROXY_SEALING_KEYS=$(cargo run -q -p wxcc-token-proxy -- --generate-key)".into());
    }
    Ok((client_id, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn the_rate_limit_goes_to_the_sandbox_and_a_bad_one_is_refused() {
        let parsed = parse(&args(&["--rate-limit", "50"])).unwrap().unwrap();
        assert_eq!(parsed.sandbox_args, ["--rate-limit", "50"]);
        for bad in ["0", "fifty", "-3"] {
            let error = parse(&args(&["--rate-limit", bad])).err().unwrap();
            assert!(error.to_string().contains("--rate-limit"), "{error}");
        }
        assert!(parse(&args(&["--rate-limit"])).is_err());
    }
}
