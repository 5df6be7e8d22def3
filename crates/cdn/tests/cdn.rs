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

#[tokio::test]
async fn text_and_wasm_are_gzipped_for_clients_that_accept_it() {
    use std::io::Read;
    let site = deployed_site();
    let router = || rewriting(&site);
    let original = std::fs::read(site.path.join("app-0123456789abcdef_bg.wasm")).unwrap();
    let (status, headers, body) = get_with(
        router(),
        "/app-0123456789abcdef_bg.wasm",
        "gzip, deflate, br",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["vary"], "accept-encoding");
    assert_eq!(headers["content-type"], "application/wasm");
    assert!(body.len() < original.len() / 10, "{} bytes", body.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, original);
    // The same bytes again (compressed once), and the caching rules still apply.
    let (_, headers, again) = get_with(router(), "/app-0123456789abcdef_bg.wasm", "gzip").await;
    assert_eq!(again, body);
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );

    let (_, headers, body) = get_with(router(), "/app-0123456789abcdef.js", "br").await;
    assert!(!headers.contains_key("content-encoding"));
    assert_eq!(headers["vary"], "accept-encoding");
    assert_eq!(body.len(), 4400);
    // Tiny answers are not worth it.
    let (_, headers, _) = get_with(router(), "/config.json", "gzip").await;
    assert!(!headers.contains_key("content-encoding"));
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
