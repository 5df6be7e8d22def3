//! A local stand-in for the static host the SPA is deployed to (Netlify, Cloudflare Pages,
//! S3 + CloudFront): files from a folder, the `_headers` rules on every answer, an SPA fallback,
//! and a path prefix rewritten to the token proxy, as the recommended same-site deployment does.
//! Like those hosts it serves `/name` from `name.html` without a redirect, revalidates what
//! `_headers` gives no `Cache-Control` (`no-cache`), and compresses text and wasm (brotli or gzip).

mod compress;
pub mod headers_file;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

/// How unknown paths are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    /// index.html with 200, as hosts with an SPA rewrite rule do.
    Rewrite,
    /// 404.html with 404, as GitHub Pages does.
    NotFoundPage,
}

pub struct Config {
    pub dir: PathBuf,
    pub fallback: Fallback,
    /// e.g. `/proxy`: requests below it go to `proxy_to` with the prefix removed.
    pub proxy_prefix: Option<String>,
    pub proxy_to: Option<String>,
    /// e.g. `/console`: the site is served below this path (an app built with
    /// `--public-url /console/`), and nothing is served outside it but the proxy prefix.
    pub mount: Option<String>,
}

struct AppState {
    dir: PathBuf,
    fallback: Fallback,
    rules: Vec<headers_file::Rule>,
    proxy_prefix: Option<String>,
    proxy_to: Option<String>,
    mount: Option<String>,
    client: reqwest::Client,
}

/// Largest request body forwarded to the token proxy; its own limit is smaller.
const MAX_PROXY_BODY: usize = 64 * 1024;

pub fn app(config: Config) -> Result<Router, String> {
    let rules = match std::fs::read_to_string(config.dir.join("_headers")) {
        Ok(text) => headers_file::parse(&text)?,
        Err(_) => Vec::new(),
    };
    let state = Arc::new(AppState {
        dir: config.dir.clone(),
        fallback: config.fallback,
        rules,
        proxy_prefix: config.proxy_prefix,
        proxy_to: config.proxy_to.map(|u| u.trim_end_matches('/').to_string()),
        mount: config
            .mount
            .map(|m| format!("/{}", m.trim_matches('/')))
            .filter(|m| m != "/"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?,
    });
    let files = match config.fallback {
        Fallback::Rewrite => ServeDir::new(&config.dir)
            .append_index_html_on_directories(true)
            .fallback(ServeFile::new(config.dir.join("index.html"))),
        Fallback::NotFoundPage => ServeDir::new(&config.dir)
            .append_index_html_on_directories(true)
            .fallback(ServeFile::new(config.dir.join("404.html"))),
    };
    // Files only: the token proxy's answers pass through as it sent them, as the deployment
    // template's `/proxy/*` behaviour does (`Compress: false`).
    let files = compress::compressed(files);
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), route))
        .with_state(state))
}

/// Proxy prefix → the token proxy; `_headers` itself is never served; everything else is a file
/// with the `_headers` rules applied.
async fn route(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Result<Response, StatusCode> {
    let path = request.uri().path().to_string();
    if let (Some(prefix), Some(target)) = (&state.proxy_prefix, &state.proxy_to)
        && let Some(rest) = path.strip_prefix(prefix.as_str())
        && (rest.is_empty() || rest.starts_with('/'))
    {
        let mut response = forward(&state.client, target, rest, request)
            .await
            .into_response();
        apply_rules(&state.rules, &path, response.headers_mut(), false);
        return Ok(response);
    }
    let path = match &state.mount {
        None => path,
        Some(mount) => match path.strip_prefix(mount.as_str()) {
            Some(rest) if rest.starts_with('/') => {
                let uri = with_query(rest, request.uri().query());
                *request.uri_mut() = uri.parse().map_err(|_| StatusCode::BAD_REQUEST)?;
                rest.to_string()
            }
            Some("") => {
                return Ok((
                    StatusCode::PERMANENT_REDIRECT,
                    [(header::LOCATION, format!("{mount}/"))],
                )
                    .into_response());
            }
            _ => return Err(StatusCode::NOT_FOUND),
        },
    };
    if path == "/_headers" {
        return Err(StatusCode::NOT_FOUND);
    }
    if let Some(file) = html_without_extension(&state.dir, &path) {
        let uri = with_query(&file, request.uri().query());
        *request.uri_mut() = uri.parse().map_err(|_| StatusCode::BAD_REQUEST)?;
    }
    let is_existing_file = {
        let relative = request.uri().path().trim_start_matches('/');
        !relative.is_empty() && !relative.contains("..") && state.dir.join(relative).exists()
    };
    let mut response = next.run(request).await;
    if state.fallback == Fallback::NotFoundPage && !is_existing_file && path != "/" {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    // Directory redirects (`/callback` → `/callback/`) are computed on the unmounted path.
    if let Some(mount) = &state.mount
        && let Some(location) = response
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
        && location.starts_with('/')
        && let Ok(value) = HeaderValue::try_from(format!("{mount}{location}"))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    apply_rules(&state.rules, &path, response.headers_mut(), true);
    // What `_headers` leaves open is revalidated, as the hosts do (`max-age=0, must-revalidate`).
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    Ok(response)
}

/// `/name` answered from `name.html` when there is no file `name` (Netlify, Cloudflare Pages and
/// GitHub Pages do this, so `/callback` needs no redirect to `/callback/`): the file's path.
fn html_without_extension(dir: &std::path::Path, path: &str) -> Option<String> {
    let relative = path.trim_start_matches('/');
    let last = relative.rsplit('/').next()?;
    if last.is_empty() || last.contains('.') || relative.contains("..") {
        return None;
    }
    let file = format!("{relative}.html");
    (!dir.join(relative).is_file() && dir.join(&file).is_file()).then(|| format!("/{file}"))
}

/// The headers of every rule matching `path`. A header that two rules set gets both values joined
/// with a comma, as Cloudflare Pages does (Netlify keeps the later one), so an overlap in
/// `_headers` shows here rather than only on one host.
fn apply_rules(rules: &[headers_file::Rule], path: &str, headers: &mut HeaderMap, overwrite: bool) {
    let mut combined: Vec<(HeaderName, String)> = Vec::new();
    for rule in rules.iter().filter(|r| r.matches(path)) {
        for (name, value) in &rule.headers {
            let Ok(name) = HeaderName::try_from(name.as_str()) else {
                continue;
            };
            match combined.iter_mut().find(|(n, _)| *n == name) {
                Some((_, joined)) => {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                None => combined.push((name, value.clone())),
            }
        }
    }
    for (name, value) in combined {
        if let Ok(value) = HeaderValue::try_from(value)
            && (overwrite || !headers.contains_key(&name))
        {
            headers.insert(name, value);
        }
    }
}

/// Forwards one request to the token proxy as a CDN origin rule would (Host replaced, hop-by-hop
/// headers dropped, the client's address in X-Forwarded-For).
async fn forward(
    client: &reqwest::Client,
    target: &str,
    rest: &str,
    request: Request,
) -> Result<Response, ForwardError> {
    let (parts, body) = request.into_parts();
    let url = with_query(&format!("{target}{rest}"), parts.uri.query());
    let body: Bytes = axum::body::to_bytes(body, MAX_PROXY_BODY)
        .await
        .map_err(|_| ForwardError::BodyTooLarge)?;
    let mut upstream = client.request(parts.method, &url).body(body);
    for (name, value) in &parts.headers {
        if !is_hop_by_hop(name) && name != header::HOST && name != header::CONTENT_LENGTH {
            upstream = upstream.header(name, value);
        }
    }
    upstream = upstream.header("x-forwarded-for", "127.0.0.1");
    let answer = upstream
        .send()
        .await
        .map_err(|_| ForwardError::Unreachable)?;
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if !is_hop_by_hop(name) && name != header::CONTENT_LENGTH {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    response
        .body(Body::from(bytes))
        .map_err(|_| ForwardError::UnusableAnswer)
}

/// Why a request for the token proxy got no answer from it.
enum ForwardError {
    BodyTooLarge,
    Unreachable,
    UnusableAnswer,
}

impl IntoResponse for ForwardError {
    fn into_response(self) -> Response {
        match self {
            Self::BodyTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response()
            }
            Self::Unreachable => (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"error":"upstream_unavailable","error_description":"The CDN could not reach the token proxy. Check that it is running, then try again."}"#,
            )
                .into_response(),
            Self::UnusableAnswer => StatusCode::BAD_GATEWAY.into_response(),
        }
    }
}

/// `path` with the request's query string, if it had one.
fn with_query(path: &str, query: Option<&str>) -> String {
    match query {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    }
}

fn is_hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
    )
}
