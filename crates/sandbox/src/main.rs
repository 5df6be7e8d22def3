//! `wxcc-sandbox`: serves the Webex identity and Contact Center API stand-ins on two loopback ports.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use wxcc_sandbox::{SandboxConfig, Secret};

/// Local Webex sandbox: identity (authorize, access_token, people/me) and Contact Center APIs.
#[derive(Debug, Parser)]
#[command(name = "wxcc-sandbox", version)]
struct Args {
    /// Config file (TOML if it ends in .toml, JSON otherwise). Flags override its values.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address of the identity port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9001")]
    identity_addr: SocketAddr,
    /// Address of the Contact Center API port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9002")]
    api_addr: SocketAddr,
    /// SPA origin allowed by CORS (repeatable). Default without --config: http://127.0.0.1:8080.
    #[arg(long = "spa-origin", value_name = "URL")]
    spa_origins: Vec<String>,
    /// Redirect URI registered for the client (repeatable). Default without --config: http://127.0.0.1:8080/callback.
    #[arg(long = "redirect-uri", value_name = "URL")]
    redirect_uris: Vec<String>,
    /// Client id of the (first) registered client.
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// Client secret of the (first) registered client.
    #[arg(
        long,
        value_name = "S",
        env = "WXCC_SANDBOX_CLIENT_SECRET",
        hide_env_values = true
    )]
    client_secret: Option<String>,
    /// Seed for the generated data.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Access-token lifetime in seconds (Webex: 1209599).
    #[arg(long, value_name = "SECS")]
    access_token_lifetime: Option<u64>,
    /// Refresh-token lifetime in seconds (Webex: 7776000).
    #[arg(long, value_name = "SECS")]
    refresh_token_lifetime: Option<u64>,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, value_name = "N")]
    latency_ms: Option<u64>,
    /// Share of API requests answered with 500 (0.0 to 1.0).
    #[arg(long, value_name = "F")]
    error_rate: Option<f64>,
    /// Answer every API request with 429.
    #[arg(long)]
    force_429: bool,
    /// API requests per minute per client before 429 (default 300, Webex Contact Center's current
    /// documented limit; 50 is the older generic page's).
    #[arg(long = "rate-limit", value_name = "N")]
    rate_limit: Option<u32>,
    /// Answer 429s with the spec's JSON error body (Webex documents them without a body).
    #[arg(long)]
    json_429: bool,
    /// Report the granted `scope` in token responses (Webex documents no such field).
    #[arg(long)]
    report_scope: bool,
    /// Leave `refresh_token_expires_in` out of token responses (a standard OAuth 2.0 server's answer).
    #[arg(long)]
    omit_refresh_token_expires_in: bool,
    /// Refreshes within this many seconds of the last access token's issue return that token (0 = off).
    #[arg(long, value_name = "SECS")]
    stable_refresh_secs: Option<u64>,
    /// Latency added to the identity token endpoint only, in milliseconds.
    #[arg(long, value_name = "N")]
    token_latency_ms: Option<u64>,
    /// Status of an agent-activities page beyond the spec's record cap: 400 or 413.
    #[arg(long, value_name = "STATUS")]
    activity_cap_status: Option<u16>,
    /// Serve the /_sandbox/faults control endpoint on the identity port.
    #[arg(long)]
    control: bool,
}

fn build_config(args: &Args) -> Result<SandboxConfig, String> {
    let mut config = match &args.config {
        Some(path) => SandboxConfig::from_file(path)?,
        None => {
            let origin = args
                .spa_origins
                .first()
                .map(String::as_str)
                .unwrap_or("http://127.0.0.1:8080");
            let redirect = args
                .redirect_uris
                .first()
                .map(String::as_str)
                .unwrap_or("http://127.0.0.1:8080/callback");
            SandboxConfig::demo(origin, redirect)
        }
    };
    if !args.spa_origins.is_empty() {
        config.allowed_origins = args.spa_origins.clone();
    }
    let needs_client =
        !args.redirect_uris.is_empty() || args.client_id.is_some() || args.client_secret.is_some();
    if needs_client && config.clients.is_empty() {
        return Err("--redirect-uri/--client-id/--client-secret need a client: the config file has no [[clients]]; add one or use both --client-id and --client-secret".into());
    }
    if let Some(client) = config.clients.first_mut() {
        if !args.redirect_uris.is_empty() {
            client.redirect_uris = args.redirect_uris.clone();
        }
        if let Some(id) = &args.client_id {
            client.client_id = id.clone();
        }
        if let Some(secret) = &args.client_secret {
            client.client_secret = Secret::new(secret.clone());
        }
    }
    if let Some(v) = args.seed {
        config.seed = v;
    }
    if let Some(v) = args.access_token_lifetime {
        config.knobs.access_token_lifetime_secs = v;
    }
    if let Some(v) = args.refresh_token_lifetime {
        config.refresh_token_lifetime_secs = v;
    }
    if let Some(v) = args.latency_ms {
        config.knobs.latency_ms = v;
    }
    if let Some(v) = args.error_rate {
        config.error_rate = v;
    }
    if args.force_429 {
        config.force_429 = true;
    }
    if let Some(v) = args.rate_limit {
        config.rate_limit_per_minute = v;
    }
    config.knobs.json_429 |= args.json_429;
    config.knobs.report_scope |= args.report_scope;
    config.knobs.omit_refresh_token_expires_in |= args.omit_refresh_token_expires_in;
    if let Some(v) = args.stable_refresh_secs {
        config.knobs.stable_refresh_secs = v;
    }
    if let Some(v) = args.token_latency_ms {
        config.knobs.token_latency_ms = v;
    }
    if let Some(v) = args.activity_cap_status {
        config.knobs.activity_cap_status = v;
    }
    if args.control {
        config.control = true;
    }
    config
        .validate()
        .map_err(|e| format!("invalid setting: {e}"))?;
    Ok(config)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info")),
        )
        .init();
    let args = Args::parse();
    let config = match build_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("wxcc-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match wxcc_sandbox::spawn(config, args.identity_addr, args.api_addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "wxcc-sandbox: cannot start on identity={} api={}: {e}. Free the ports or pass --identity-addr/--api-addr.",
                args.identity_addr, args.api_addr
            );
            return ExitCode::from(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "wxcc-sandbox ready identity={} api={}",
            sandbox.identity_url(),
            sandbox.api_url()
        );
        let _ = out.flush();
    }
    shutdown_signal().await;
    tracing::info!("shutting down");
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("wxcc-sandbox").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_are_the_demo() {
        let c = build_config(&parse(&[])).unwrap();
        assert_eq!(c.clients[0].client_id, "wxcc-demo-client");
        assert_eq!(
            c.clients[0].redirect_uris,
            vec!["http://127.0.0.1:8080/callback"]
        );
        assert_eq!(c.allowed_origins, vec!["http://127.0.0.1:8080"]);
        assert!(c.control);
    }

    #[test]
    fn flags_override() {
        let c = build_config(&parse(&[
            "--spa-origin",
            "http://localhost:3000",
            "--redirect-uri",
            "http://localhost:3000/cb",
            "--access-token-lifetime",
            "20",
            "--rate-limit",
            "5",
            "--error-rate",
            "0.5",
            "--force-429",
            "--client-id",
            "x",
            "--client-secret",
            "y",
            "--seed",
            "9",
            "--json-429",
            "--report-scope",
            "--omit-refresh-token-expires-in",
            "--stable-refresh-secs",
            "86400",
            "--token-latency-ms",
            "1500",
            "--activity-cap-status",
            "413",
        ]))
        .unwrap();
        assert_eq!(c.knobs.access_token_lifetime_secs, 20);
        assert_eq!(c.rate_limit_per_minute, 5);
        assert_eq!(c.clients[0].client_id, "x");
        assert_eq!(c.clients[0].client_secret.secret(), "y");
        assert_eq!(c.seed, 9);
        assert!(c.force_429);
        let k = &c.knobs;
        assert!(k.json_429 && k.report_scope && k.omit_refresh_token_expires_in);
        assert_eq!(k.stable_refresh_secs, 86_400);
        assert_eq!(k.token_latency_ms, 1_500);
        assert_eq!(k.activity_cap_status, 413);
    }

    #[test]
    fn bad_flag_value_names_the_field() {
        let err = build_config(&parse(&["--error-rate", "3"])).unwrap_err();
        assert!(err.contains("error_rate"), "{err}");
        let err = build_config(&parse(&["--spa-origin", "http://x/path"])).unwrap_err();
        assert!(err.contains("allowed_origins"), "{err}");
        let err = build_config(&parse(&["--activity-cap-status", "500"])).unwrap_err();
        assert!(err.contains("activity_cap_status"), "{err}");
        assert!(Args::try_parse_from(["wxcc-sandbox", "--seed", "abc"]).is_err());
    }
}
