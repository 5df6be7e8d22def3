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

#[tokio::test]
async fn serves_files_with_the_headers_rules() {
    let site = site();
    let (status, headers, body) =
        get(app(config(&site, Fallback::Rewrite)).unwrap(), "/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "console.log(1)");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(!headers.contains_key("cache-control"));
    let (_, headers, _) = get(
        app(config(&site, Fallback::Rewrite)).unwrap(),
        "/config.json",
    )
    .await;
    assert_eq!(headers["cache-control"], "no-cache");
}

#[tokio::test]
async fn never_serves_the_headers_file() {
    let site = site();
    let (status, _, body) = get(app(config(&site, Fallback::Rewrite)).unwrap(), "/_headers").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("Referrer-Policy"));
}

#[tokio::test]
async fn unknown_paths_follow_the_fallback() {
    let site = site();
    let (status, headers, body) = get(
        app(config(&site, Fallback::Rewrite)).unwrap(),
        "/callback?code=x",
    )
    .await;
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
