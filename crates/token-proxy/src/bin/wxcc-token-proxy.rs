//! Standalone host: binds, prints `wxcc-token-proxy listening on http://ADDR` on stdout, serves until
//! Ctrl-C or SIGTERM.

use std::io::Write;
use std::process::ExitCode;
use wxcc_token_proxy::config::{self, Command};
use wxcc_token_proxy::{AppState, app, logging, sealing, server};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Command::from_process() {
        Ok(Command::Run(config)) => config,
        Ok(Command::GenerateKey) => {
            println!("{}", sealing::generate_key());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Help) => {
            print!("{}", config::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("wxcc-token-proxy: {error} (run with --help to see every setting)");
            return ExitCode::from(2);
        }
    };
    logging::init_json_logging();
    let state = match AppState::new(&config) {
        Ok(state) => state,
        Err(message) => {
            eprintln!("wxcc-token-proxy: {message}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.bind).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "wxcc-token-proxy: cannot bind {} ({error}); choose another address with {} or --bind",
                config.bind,
                config::BIND
            );
            return ExitCode::FAILURE;
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => {
            eprintln!("wxcc-token-proxy: cannot read the bound address ({error})");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        %address,
        mode = ?config.mode,
        token_endpoint = %config.token_endpoint,
        sealing_key_id = %config.sealer.sealing_key_id(),
        session_lifetime_secs = config.sessions.lifetime_secs,
        remember_days = config.sessions.remember_days_for(config.mode),
        header_timeout_ms = config.limits.header_timeout.as_millis() as u64,
        body_timeout_ms = config.limits.body_timeout.as_millis() as u64,
        request_timeout_ms = config.limits.request_timeout.as_millis() as u64,
        max_concurrent_requests = config.limits.max_concurrent_requests,
        origin_secret = config.limits.origin_secret.is_some(),
        "token proxy started"
    );
    let shutdown = match shutdown_signal() {
        Ok(shutdown) => shutdown,
        Err(error) => {
            eprintln!("wxcc-token-proxy: cannot listen for Ctrl-C and SIGTERM ({error})");
            return ExitCode::FAILURE;
        }
    };
    // The one stdout line the lead's tooling waits for.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "wxcc-token-proxy listening on http://{address}");
    let _ = stdout.flush();
    drop(stdout);

    server::serve(listener, app(state), config.limits.header_timeout, shutdown).await;
    tracing::info!("token proxy stopped");
    ExitCode::SUCCESS
}

/// Registers the handlers for Ctrl-C and SIGTERM at once, before the ready line is printed: until a
/// handler is registered, a signal's default action ends the process on the spot, dropping any open
/// request. (tokio's `ctrl_c()` and an `async fn` calling `signal()` register only when first polled.)
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutdown signal received, finishing open requests");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutdown signal received, finishing open requests");
    })
}
