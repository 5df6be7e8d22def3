//! `wxcc-cdn --dir SITE --addr 127.0.0.1:8080 [--proxy-prefix /proxy --proxy-to URL] [--fallback rewrite|404]`

use wxcc_cdn::{Config, Fallback, app};

const USAGE: &str = "usage: wxcc-cdn --dir SITE [--addr 127.0.0.1:8080] [--proxy-prefix /proxy --proxy-to URL] [--fallback rewrite|404] [--mount /sub-path]";

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("wxcc-cdn: {message}\n{USAGE}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), String> {
    let mut config = Config {
        dir: ".".into(),
        fallback: Fallback::Rewrite,
        proxy_prefix: None,
        proxy_to: None,
        mount: None,
    };
    let mut addr = "127.0.0.1:8080".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--dir" => config.dir = value()?.into(),
            "--addr" => addr = value()?,
            "--proxy-prefix" => config.proxy_prefix = Some(value()?),
            "--proxy-to" => config.proxy_to = Some(value()?),
            "--mount" => config.mount = Some(value()?),
            "--fallback" => {
                config.fallback = match value()?.as_str() {
                    "rewrite" => Fallback::Rewrite,
                    "404" => Fallback::NotFoundPage,
                    other => return Err(format!("--fallback is rewrite or 404, not `{other}`")),
                }
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if !config.dir.join("index.html").exists() {
        return Err(format!(
            "{} has no index.html; build the SPA first (cargo xtask build)",
            config.dir.display()
        ));
    }
    let router = app(config)?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    println!("wxcc-cdn listening on http://{local}");
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
