//! gzip for text and wasm answers, as the hosts compress what they serve. Each file is compressed
//! once and kept in memory (keyed by path, size and modification time), so the wasm costs the
//! compression on its first request only.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Smaller answers are sent as they are: compression would save next to nothing.
const MIN_BYTES: usize = 1024;
/// Larger files are sent as they are (the app's largest is well below this).
const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Default)]
pub struct Cache {
    compressed: Mutex<HashMap<String, Bytes>>,
}

/// Whether a request's `Accept-Encoding` allows gzip (`gzip;q=0` refuses it).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// The file answer for `path`, gzipped when the client accepts it and the type compresses well.
/// Every compressible answer says `Vary: Accept-Encoding`, so caches keep both forms apart.
pub async fn file_answer(
    cache: &Cache,
    method: &Method,
    path: &str,
    gzip_accepted: bool,
    mut response: Response,
) -> Response {
    if method != Method::GET
        || response.status() != StatusCode::OK
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || !is_compressible(response.headers())
    {
        return response;
    }
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let size = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if !gzip_accepted || size.is_none_or(|size| size > MAX_BYTES) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BYTES).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the file could not be read",
        )
            .into_response();
    };
    if bytes.len() < MIN_BYTES {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let modified = parts
        .headers
        .get(header::LAST_MODIFIED)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let key = format!("{path}\n{}\n{modified}", bytes.len());
    let compressed = cache.gzip(key, &bytes);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(compressed))
}

impl Cache {
    fn gzip(&self, key: String, bytes: &[u8]) -> Bytes {
        let mut compressed = self.compressed.lock().unwrap_or_else(|e| e.into_inner());
        compressed
            .entry(key)
            .or_insert_with(|| {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                encoder.write_all(bytes).expect("writing to memory");
                Bytes::from(encoder.finish().expect("writing to memory"))
            })
            .clone()
    }
}

fn is_compressible(headers: &HeaderMap) -> bool {
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
                | "application/wasm"
                | "image/svg+xml"
                | "application/manifest+json"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts_gzip(&headers("gzip, deflate, br, zstd")));
        assert!(accepts_gzip(&headers("br;q=1.0, gzip;q=0.8")));
        assert!(accepts_gzip(&headers("*")));
        assert!(!accepts_gzip(&headers("br")));
        assert!(!accepts_gzip(&headers("gzip;q=0")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn only_text_json_svg_and_wasm_are_compressed() {
        let typed = |t: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(t).unwrap());
            is_compressible(&h)
        };
        for t in [
            "text/html; charset=utf-8",
            "text/css",
            "application/javascript",
            "application/wasm",
            "application/json",
            "image/svg+xml",
        ] {
            assert!(typed(t), "{t}");
        }
        for t in ["image/png", "application/octet-stream", "font/woff2"] {
            assert!(!typed(t), "{t}");
        }
        assert!(!is_compressible(&HeaderMap::new()));
    }
}
