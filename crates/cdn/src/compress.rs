//! Compression of the files served, as the hosts compress what they serve: tower-http's
//! `CompressionLayer` (brotli or gzip, whichever the client prefers), told which answers are worth
//! it. The layer leaves alone what it must (ranges, answers already encoded, `304`s) and says
//! `Vary: Accept-Encoding` on every answer it would compress, so caches keep the forms apart.

use axum::http::{Extensions, HeaderMap, StatusCode, Version, header};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{Compression, CompressionLevel};

/// Smaller answers are sent as they are: compression would save next to nothing.
const MIN_BYTES: u16 = 1024;

/// `files` answering in brotli or gzip when the client accepts it. Brotli at the layer's default
/// quality, the one hosts use when they compress on the fly: this server compresses each request
/// anew (the bench times page loads through it), and the highest quality costs far more time than
/// it saves bytes on loopback.
pub fn compressed<S>(files: S) -> Compression<S, impl Predicate> {
    Compression::new(files)
        .quality(CompressionLevel::Default)
        .compress_when(SizeAbove::new(MIN_BYTES).and(is_compressible_type))
}

/// Text, JSON, SVG and wasm compress well; images other than SVG, fonts and archives are
/// compressed already, and an answer without a type is left alone.
fn is_compressible_type(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/javascript"
                | "application/json"
                | "application/manifest+json"
                | "application/wasm"
                | "image/svg+xml"
        )
}
