//! Structured JSON logs on stderr. Level from `RUST_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

pub fn init_json_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(std::io::stderr)
        .try_init();
}
