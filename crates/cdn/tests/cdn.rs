//! The local CDN behaves like the static hosts it stands in for.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use wxcc_cdn::{Config, Fallback, app};

fn site() -> tempdir::Site {
    let site = tempdir::Site::new();
    site.write("index.html", "<html>app</html>");
    site.write("404.html", "<html>not found page</html>");
    site.write("app.js", "console.log(1)");
    site.write(
        "_headers",
        "/*\n  Referrer-Policy: no-referrer\n/config.json\n  Cache-Control: no-cache\n",
    );
    site.write("config.json", "{}");
    site
}

async fn get(router: axum::Router, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = router
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn config(site: &tempdir::Site, fallback: Fallback) -> Config {
    Config {
        dir: site.path.clone(),
        fallback,
        proxy_prefix: None,
        proxy_to: None,
        mount: None,
    }
}

/// The CDN serving `site`, with `index.html` for unknown paths (a single-page app's hosting).
fn rewriting(site: &tempdir::Site) -> axum::Router {
    app(config(site, Fallback::Rewrite)).unwrap()
}

#[tokio::test]
async fn serves_files_with_the_headers_rules() {
    let site = site();
    let (status, headers, body) = get(rewriting(&site), "/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "console.log(1)");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    // What `_headers` leaves open is revalidated, as the hosts do.
    assert_eq!(headers["cache-control"], "no-cache");
    let (_, headers, _) = get(rewriting(&site), "/config.json").await;
    assert_eq!(headers["cache-control"], "no-cache");
}

#[tokio::test]
async fn never_serves_the_headers_file() {
    let site = site();
    let (status, _, body) = get(rewriting(&site), "/_headers").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("Referrer-Policy"));
}

#[tokio::test]
async fn unknown_paths_follow_the_fallback() {
    let site = site();
    let (status, headers, body) = get(rewriting(&site), "/callback?code=x").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>app</html>")
    );
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let (status, _, body) = get(
        app(config(&site, Fallback::NotFoundPage)).unwrap(),
        "/users/42",
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::NOT_FOUND, "<html>not found page</html>")
    );
}

#[tokio::test]
async fn rewrites_the_proxy_prefix_to_the_token_proxy() {
    // A stand-in token proxy that echoes what it received.
    let upstream = axum::Router::new().route(
        "/token",
        axum::routing::post(|headers: axum::http::HeaderMap, body: String| async move {
            let origin = headers
                .get("origin")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            (
                axum::response::AppendHeaders([
                    ("set-cookie", "a=1; Path=/"),
                    ("set-cookie", "b=2; Path=/"),
                ]),
                format!("{origin}|{body}"),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await.unwrap() });

    let site = site();
    let mut cfg = config(&site, Fallback::Rewrite);
    cfg.proxy_prefix = Some("/proxy".into());
    cfg.proxy_to = Some(url);
    let request = Request::post("/proxy/token")
        .header("origin", "http://127.0.0.1:8080")
        .body(Body::from("{\"code\":\"c\"}"))
        .unwrap();
    let response = app(cfg).unwrap().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get_all("set-cookie").iter().count(), 2);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "http://127.0.0.1:8080|{\"code\":\"c\"}");
}

#[tokio::test]
async fn the_token_proxys_answers_pass_through_uncompressed() {
    let long_json = format!("{{\"pad\":\"{}\"}}", "x".repeat(4000));
    let answer = long_json.clone();
    let upstream = axum::Router::new().route(
        "/token",
        axum::routing::post(
            move || async move { ([("content-type", "application/json")], answer) },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, upstream).await.unwrap() });

    let site = site();
    let mut cfg = config(&site, Fallback::Rewrite);
    cfg.proxy_prefix = Some("/proxy".into());
    cfg.proxy_to = Some(url);
    let request = Request::post("/proxy/token")
        .header("accept-encoding", "br, gzip")
        .body(Body::empty())
        .unwrap();
    let response = app(cfg).unwrap().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!response.headers().contains_key("content-encoding"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, long_json);
}

#[tokio::test]
async fn a_down_token_proxy_is_a_clear_502() {
    let site = site();
    let mut cfg = config(&site, Fallback::Rewrite);
    cfg.proxy_prefix = Some("/proxy".into());
    // Port 9 (discard) on loopback: nothing listens there.
    cfg.proxy_to = Some("http://127.0.0.1:9".into());
    let response = app(cfg)
        .unwrap()
        .oneshot(Request::post("/proxy/token").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("upstream_unavailable"));
}

#[tokio::test]
async fn a_mounted_site_is_served_below_its_sub_path_only() {
    let site = site();
    std::fs::create_dir_all(site.path.join("callback")).unwrap();
    site.write("callback/index.html", "<html>callback</html>");
    let mounted = || {
        let mut cfg = config(&site, Fallback::Rewrite);
        cfg.mount = Some("/console/".into());
        app(cfg).unwrap()
    };
    let (status, _, body) = get(mounted(), "/console/app.js").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "console.log(1)"));
    let (status, _, body) = get(mounted(), "/console/users/42").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>app</html>")
    );
    let (status, _, _) = get(mounted(), "/app.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, headers, _) = get(mounted(), "/console").await;
    assert_eq!(
        (status, &headers["location"]),
        (
            StatusCode::PERMANENT_REDIRECT,
            &axum::http::HeaderValue::from_static("/console/")
        )
    );
    // A directory redirect keeps the mount and the query.
    let (status, headers, _) = get(mounted(), "/console/callback?code=x").await;
    assert!(status.is_redirection());
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/console/callback/")
    );
}

/// A deployed site as `cargo xtask build` writes it: hashed assets, the pages, `_headers`.
fn deployed_site() -> tempdir::Site {
    let site = tempdir::Site::new();
    site.write("index.html", "<html>start page</html>");
    site.write("callback.html", "<html>completing sign-in</html>");
    std::fs::create_dir_all(site.path.join("callback")).unwrap();
    site.write("callback/index.html", "<html>completing sign-in</html>");
    site.write("config.json", "{}");
    site.write("app-0123456789abcdef.js", &"let a = 1;\n".repeat(400));
    site.write("app-0123456789abcdef_bg.wasm", &"\0asm".repeat(1000));
    site.write(
        "_headers",
        "/*\n  Referrer-Policy: no-referrer\n  Strict-Transport-Security: max-age=63072000; includeSubDomains\n\
         /index.html\n  Cache-Control: no-cache\n/callback\n  Cache-Control: no-cache\n\
         /config.json\n  Cache-Control: no-cache\n\
         /app-0123456789abcdef.js\n  Cache-Control: public, max-age=31536000, immutable\n\
         /app-0123456789abcdef_bg.wasm\n  Cache-Control: public, max-age=31536000, immutable\n",
    );
    site
}

async fn get_with(
    router: axum::Router,
    path: &str,
    accept_encoding: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = router
        .oneshot(
            Request::get(path)
                .header("accept-encoding", accept_encoding)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_pages_revalidated() {
    let site = deployed_site();
    let router = || rewriting(&site);
    for asset in ["/app-0123456789abcdef.js", "/app-0123456789abcdef_bg.wasm"] {
        let (status, headers, _) = get(router(), asset).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{asset}"
        );
    }
    // Rules, and for the bare root and deep links (no rule) the hosts' revalidation.
    for page in [
        "/",
        "/index.html",
        "/callback",
        "/config.json",
        "/token",
        "/config/users",
    ] {
        let (status, headers, _) = get(router(), page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(headers["cache-control"], "no-cache", "{page}");
        assert_eq!(
            headers["strict-transport-security"], "max-age=63072000; includeSubDomains",
            "{page}"
        );
    }
}

#[tokio::test]
async fn the_callback_is_served_from_callback_html_without_a_redirect() {
    let site = deployed_site();
    let (status, headers, body) = get(rewriting(&site), "/callback?code=c&state=s").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>completing sign-in</html>")
    );
    assert!(!headers.contains_key("location"));
    assert_eq!(headers["cache-control"], "no-cache");
    // Below a mount too; a path with an extension is never rewritten.
    let mut mounted = config(&site, Fallback::Rewrite);
    mounted.mount = Some("/console/".into());
    let (status, _, body) = get(app(mounted).unwrap(), "/console/callback?code=c").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>completing sign-in</html>")
    );
    let (status, _, body) = get(rewriting(&site), "/index").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>start page</html>")
    );
}

#[tokio::test]
async fn a_header_two_rules_set_gets_both_values_as_cloudflare_pages_does() {
    let site = site();
    site.write(
        "_headers",
        "/*\n  Cache-Control: no-cache\n/app.js\n  Cache-Control: public, max-age=60\n",
    );
    let (_, headers, _) = get(rewriting(&site), "/app.js").await;
    assert_eq!(headers["cache-control"], "no-cache, public, max-age=60");
}

fn unbrotli(body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut plain = Vec::new();
    brotli::Decompressor::new(body, 4096)
        .read_to_end(&mut plain)
        .unwrap();
    plain
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut plain)
        .unwrap();
    plain
}

const WASM: &str = "/app-0123456789abcdef_bg.wasm";
const JS: &str = "/app-0123456789abcdef.js";

#[tokio::test]
async fn browsers_get_text_and_wasm_in_brotli_with_the_caching_rules() {
    let site = deployed_site();
    for (path, file, content_type) in [
        (WASM, "app-0123456789abcdef_bg.wasm", "application/wasm"),
        (JS, "app-0123456789abcdef.js", "text/javascript"),
    ] {
        let original = std::fs::read(site.path.join(file)).unwrap();
        // What Chromium sends.
        let (status, headers, body) =
            get_with(rewriting(&site), path, "gzip, deflate, br, zstd").await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["content-encoding"], "br", "{path}");
        assert_eq!(headers["vary"], "accept-encoding", "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{path}: {:?}",
            headers["content-type"]
        );
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{path}"
        );
        assert!(!headers.contains_key("content-length"), "{path}");
        assert!(body.len() < original.len() / 10, "{path}: {}", body.len());
        assert_eq!(unbrotli(&body), original, "{path}");
    }
}

#[tokio::test]
async fn the_encoding_follows_what_the_client_accepts() {
    let site = deployed_site();
    let original = std::fs::read(site.path.join("app-0123456789abcdef_bg.wasm")).unwrap();
    let (_, headers, body) = get_with(rewriting(&site), WASM, "gzip").await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(gunzip(&body), original);
    let (_, headers, body) = get_with(rewriting(&site), WASM, "br;q=0.5, gzip;q=0.9").await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(gunzip(&body), original);
    // Refused, unknown or not asked for: the file as it is, still marked as varying.
    for accept in ["gzip;q=0", "zstd", "identity", ""] {
        let (status, headers, body) = get_with(rewriting(&site), WASM, accept).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert!(!headers.contains_key("content-encoding"), "{accept:?}");
        assert_eq!(headers["vary"], "accept-encoding", "{accept:?}");
        assert_eq!(body, original, "{accept:?}");
    }
}

#[tokio::test]
async fn small_answers_and_compressed_formats_are_sent_as_they_are() {
    let site = deployed_site();
    site.write("logo.png", &"x".repeat(4000));
    site.write("logo.svg", &"<svg></svg>\n".repeat(400));
    // Tiny answers are not worth it.
    let (_, headers, body) = get_with(rewriting(&site), "/config.json", "br, gzip").await;
    assert!(!headers.contains_key("content-encoding"));
    assert_eq!(body, b"{}");
    let (_, headers, body) = get_with(rewriting(&site), "/logo.png", "br, gzip").await;
    assert!(!headers.contains_key("content-encoding"));
    assert!(!headers.contains_key("vary"));
    assert_eq!(body.len(), 4000);
    let (_, headers, _) = get_with(rewriting(&site), "/logo.svg", "br, gzip").await;
    assert_eq!(headers["content-encoding"], "br");
}

/// A request that names `header: value` besides accepting brotli and gzip.
async fn get_asking(
    router: axum::Router,
    method: &str,
    path: &str,
    header: (&str, &str),
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("accept-encoding", "br, gzip")
        .header(header.0, header.1)
        .body(Body::empty())
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

#[tokio::test]
async fn ranges_revalidation_and_head_are_answered_without_a_compressed_body() {
    let site = deployed_site();
    let (status, headers, body) =
        get_asking(rewriting(&site), "GET", JS, ("range", "bytes=0-9")).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert!(!headers.contains_key("content-encoding"));
    assert_eq!(body, b"let a = 1;");

    let (_, headers, _) = get_with(rewriting(&site), JS, "br").await;
    let modified = headers["last-modified"].to_str().unwrap().to_string();
    let (status, headers, body) = get_asking(
        rewriting(&site),
        "GET",
        JS,
        ("if-modified-since", &modified),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(!headers.contains_key("content-encoding"));
    assert!(body.is_empty());

    let (status, headers, body) = get_asking(rewriting(&site), "HEAD", JS, ("x-any", "1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty());
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

/// A throwaway folder removed on drop (std only: no extra dependency for one test file).
mod tempdir {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicU32, Ordering};

    static COUNTER: AtomicU32 = AtomicU32::new(0);

    pub struct Site {
        pub path: PathBuf,
    }

    impl Site {
        pub fn new() -> Site {
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let path =
                std::env::temp_dir().join(format!("wxcc-cdn-test-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&path).unwrap();
            Site { path }
        }

        pub fn write(&self, name: &str, text: &str) {
            std::fs::write(self.path.join(name), text).unwrap();
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
