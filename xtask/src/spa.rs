//! Building the SPA with trunk and "deploying" it: a copy of dist/ with the runtime config.json,
//! the Content-Security-Policy that matches that config, the static first paint and the early
//! fetches of each page, the caching and security headers, and the static-host fallbacks.

mod headers;
mod page;
pub mod shared_origin;

use std::path::{Path, PathBuf};

use wxcc_core::config::{AppConfig, ProxyMode};

use crate::csp;
use crate::minify;
use crate::util::{Result, cmd, heading, root, run_hiding, target_dir};
use page::{Page, Preconnect};

/// Where `trunk build` puts the app at the domain root.
pub fn dist() -> PathBuf {
    root().join("dist")
}

/// The uses of a configured copy of the built SPA. Each has a directory of its own below
/// target/site/, because the config.json deployed there names one run's sandbox and proxy ports:
/// `cargo xtask test` must never rewrite the copy a running `cargo xtask demo` serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteUse {
    /// `cargo xtask demo`.
    Demo,
    /// `cargo xtask test`: the end-to-end specs with the app at the domain root.
    EndToEnd,
    /// `cargo xtask test`: the end-to-end specs with the app below `/console/`.
    EndToEndSubPath,
    /// `cargo xtask test`: the session-end specs, against a proxy whose sessions last 20 s.
    EndToEndShortSession,
    /// `cargo xtask test`: the handle-mode specs, against a proxy in handle mode.
    EndToEndHandle,
    /// `cargo xtask test`: the shared-budget specs, against a sandbox that enforces a low limit.
    EndToEndLowLimit,
    /// `cargo xtask test`: the demo it starts to check that `cargo xtask demo` works.
    DemoSmoke,
    /// `cargo xtask bench`.
    Bench,
    /// `cargo xtask bench`: the sign-in floor (xtask/src/bench/floor.rs), a page without wasm.
    BenchFloor,
}

impl SiteUse {
    #[cfg(test)]
    const ALL: [SiteUse; 9] = [
        SiteUse::Demo,
        SiteUse::EndToEnd,
        SiteUse::EndToEndSubPath,
        SiteUse::EndToEndShortSession,
        SiteUse::EndToEndHandle,
        SiteUse::EndToEndLowLimit,
        SiteUse::DemoSmoke,
        SiteUse::Bench,
        SiteUse::BenchFloor,
    ];

    /// The directory below target/site/; the test run's are under test/.
    fn path(self) -> &'static str {
        match self {
            SiteUse::Demo => "demo",
            SiteUse::EndToEnd => "test/e2e",
            SiteUse::EndToEndSubPath => "test/e2e-console",
            SiteUse::EndToEndShortSession => "test/e2e-short-session",
            SiteUse::EndToEndHandle => "test/e2e-handle",
            SiteUse::EndToEndLowLimit => "test/e2e-low-limit",
            SiteUse::DemoSmoke => "test/demo-smoke",
            SiteUse::Bench => "bench",
            SiteUse::BenchFloor => "bench-floor",
        }
    }

    /// A short name for files that belong to this use (e.g. its Playwright report).
    pub fn name(self) -> &'static str {
        let path = self.path();
        path.rsplit('/').next().unwrap_or(path)
    }

    pub fn dir(self) -> PathBuf {
        target_dir().join("site").join(self.path())
    }
}

/// `cargo xtask build [--public-url /sub/] [--config FILE] [--origin O] [--allow-shared-origin]`
pub fn build_command(args: &[String]) -> Result {
    let mut public_url = "/".to_string();
    let mut config: Option<PathBuf> = None;
    let mut origin: Option<String> = None;
    let mut allow_shared_origin = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--public-url" => public_url = it.next().ok_or("--public-url needs a value")?.clone(),
            "--config" => config = Some(it.next().ok_or("--config needs a file")?.into()),
            "--origin" => {
                origin = Some(
                    it.next()
                        .ok_or("--origin needs a value such as https://console.example.com")?
                        .clone(),
                )
            }
            shared_origin::ALLOW_FLAG => allow_shared_origin = true,
            other => {
                return Err(format!(
                    "unknown build option `{other}` (see cargo xtask help)"
                ));
            }
        }
    }
    let config_json = match &config {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?,
        ),
        None => None,
    };
    // Refused before the (long) build: a config says where the console will be served.
    if let Some(text) = &config_json {
        let page_origin = match &origin {
            Some(origin) => Some(origin.trim_end_matches('/').to_string()),
            None => redirect_uri_origin(text),
        };
        if let Some(page_origin) = page_origin {
            shared_origin::check(&page_origin, allow_shared_origin)?;
        }
    }
    build(&public_url)?;
    let dist = dist();
    let site = Site {
        config_json: config_json.as_deref(),
        page_origin: origin,
        base_path: public_url,
    };
    deploy(&dist, &dist, &site)?;
    println!("built into {}", dist.display());
    Ok(())
}

/// `trunk build --release` into dist/: the size-tuned wasm (opt-level z, LTO, wasm-opt -Oz),
/// minified CSS and JS, and SRI hashes.
pub fn build(public_url: &str) -> Result {
    build_into(public_url, &dist())
}

/// The same build into another folder (e.g. a second build for a sub-path deployment).
pub fn build_into(public_url: &str, dist: &Path) -> Result {
    heading(&format!(
        "building the SPA (trunk build --release --public-url {public_url})"
    ));
    run_hiding(
        "building the SPA",
        cmd("trunk")
            .args(["build", "--release", "--public-url", public_url])
            .arg("--dist")
            .arg(dist),
        // Trunk's JS minifier cannot parse wasm-bindgen's glue; terser minifies it right after
        // (minify.rs), so this one warning only alarms. Trunk's other warnings still show.
        "Failed to minify JS",
    )?;
    minify::js_glue(dist)?;
    let index_path = dist.join("index.html");
    let index = read(&index_path)?;
    write(&index_path, &page::fetch_wasm_with_integrity(&index)?)
}

/// What a deployment knows about where it runs.
pub struct Site<'a> {
    /// The runtime config.json to ship, if any.
    pub config_json: Option<&'a str>,
    /// The origin the app is served from; when absent, the config's redirect_uri tells.
    pub page_origin: Option<String>,
    /// `/` or the sub-path the app is served under (trunk's --public-url).
    pub base_path: String,
}

/// Copies `dist` into `target` (unless they are the same), validates and writes config.json, puts
/// the CSP, the first paint and the early fetches into every page, writes `_headers`, and adds
/// the fallbacks static hosts without rewrites need.
pub fn deploy(dist: &Path, target: &Path, site: &Site) -> Result {
    if dist != target {
        if target.exists() {
            std::fs::remove_dir_all(target)
                .map_err(|e| format!("cannot clear {}: {e}", target.display()))?;
        }
        copy_dir(dist, target)?;
    }
    let (origins, preconnects) = match site.config_json {
        Some(text) => {
            let (config, page_origin) = validated_config(text, site)?;
            write(&target.join("config.json"), text)?;
            (
                config.connect_src_origins(),
                preconnects(&config, &page_origin),
            )
        }
        None => (default_connect_origins(), Vec::new()),
    };
    let index_path = target.join("index.html");
    let index = read(&index_path).map_err(|e| format!("{e} (did trunk build?)"))?;
    // The original page, without what an earlier deploy into the same folder added.
    let pristine = strip_meta(&strip_meta(&index, CSP_META), BASE_META);
    let hashes = csp::inline_script_hashes(&pristine);
    let shell = csp::inject_meta(
        &pristine,
        &csp::policy(&hashes, &origins, csp::Delivery::Meta),
    )?;
    if !shell.contains("</head>") {
        return Err(format!(
            "{} has no </head> to put the base-path meta before (did trunk's HTML minifier drop it?)",
            index_path.display()
        ));
    }
    let shell = shell.replacen(
        "</head>",
        &format!(
            "<meta name=\"wxcc-base-path\" content=\"{}\"></head>",
            site.base_path
        ),
        1,
    );
    let base = site.base_path.as_str();
    let start = page::with_early_fetches(
        &page::with_first_paint(&shell, Page::Start, base)?,
        base,
        &[],
    )?;
    // The sign-in calls the proxy and the APIs right after the callback page starts.
    let callback = page::with_early_fetches(
        &page::with_first_paint(&shell, Page::Callback, base)?,
        base,
        &preconnects,
    )?;
    write(&index_path, &start)?;
    // GitHub Pages serves 404.html for unknown paths.
    write(&target.join("404.html"), &start)?;
    // `/callback` is callback.html on hosts that serve extensionless HTML (no redirect to
    // `/callback/`); callback/index.html is for hosts that only know index documents.
    write(&target.join("callback.html"), &callback)?;
    std::fs::create_dir_all(target.join("callback")).map_err(|e| e.to_string())?;
    write(&target.join("callback/index.html"), &callback)?;
    let header_policy = csp::policy(&hashes, &origins, csp::Delivery::Header);
    write(
        &target.join("_headers"),
        &headers::headers_file(&header_policy, &headers::hashed_assets(target)?),
    )?;
    Ok(())
}

/// The origin of the config's `redirect_uri`, when it has one.
fn redirect_uri_origin(config_text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(config_text)
        .ok()?
        .get("redirect_uri")?
        .as_str()
        .and_then(csp::origin_of)
}

/// Validates the config exactly as the app will (wxcc-core) and returns it with the origin the
/// app is served from. A bad config stops the deployment with each problem listed.
fn validated_config(text: &str, site: &Site) -> Result<(AppConfig, String)> {
    let page_origin = match &site.page_origin {
        Some(origin) => origin.clone(),
        None => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("redirect_uri").and_then(|r| r.as_str()).and_then(csp::origin_of))
            .ok_or("cannot tell where the app will be served: pass --origin https://your.host or set redirect_uri in the config")?,
    };
    let config =
        wxcc_core::config::load_config(text, &page_origin, &site.base_path).map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("  - {}: {} ({})", e.field, e.problem, e.fix))
                .collect();
            format!("the config is not valid:\n{}", lines.join("\n"))
        })?;
    Ok((config, page_origin))
}

/// The hosts the callback page calls as soon as it runs, other than its own: the token proxy
/// (with cookies in cookie mode), then the identity API and the Contact Center API.
fn preconnects(config: &AppConfig, page_origin: &str) -> Vec<Preconnect> {
    let api = config.api_base_url();
    let calls = [
        (
            config.token_proxy_url.as_str(),
            config.proxy_mode == ProxyMode::Cookie,
        ),
        (config.identity_api_base_url.as_str(), false),
        (api.as_str(), false),
    ]
    .map(|(url, with_credentials)| (csp::origin_of(url), with_credentials));
    let mut found: Vec<Preconnect> = Vec::new();
    for (origin, with_credentials) in calls {
        let Some(origin) = origin else { continue };
        let preconnect = Preconnect {
            origin,
            with_credentials,
        };
        if preconnect.origin != page_origin && !found.contains(&preconnect) {
            found.push(preconnect);
        }
    }
    found
}

/// Without a config at build time the app may be pointed at any region later.
fn default_connect_origins() -> Vec<String> {
    let mut origins = vec!["https://webexapis.com".to_string()];
    origins.extend(
        wxcc_core::config::Region::ALL
            .iter()
            .map(|r| r.api_base_url()),
    );
    origins
}

const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\"";
const BASE_META: &str = "<meta name=\"wxcc-base-path\"";

fn strip_meta(html: &str, marker: &str) -> String {
    match html.find(marker) {
        Some(start) => match html[start..].find('>') {
            Some(end) => format!("{}{}", &html[..start], &html[start + end + 1..]),
            None => html.to_string(),
        },
        None => html.to_string(),
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("cannot copy to {}: {e}", target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_origins_come_from_the_validated_config() {
        let site = |json| Site {
            config_json: Some(json),
            page_origin: None,
            base_path: "/".into(),
        };
        let (config, page_origin) = validated_config(LOCAL, &site(LOCAL)).unwrap();
        assert_eq!(page_origin, "http://127.0.0.1:8080");
        let origins = config.connect_src_origins();
        assert!(origins.contains(&"http://127.0.0.1:9002".to_string()));
        assert!(origins.contains(&"http://127.0.0.1:9001".to_string()));
        assert!(!origins.iter().any(|o| o.contains("cisco.com")));
        let broken =
            r#"{"redirect_uri": "http://127.0.0.1:8080/callback", "token_proxy_url": "/proxy"}"#;
        let error = validated_config(broken, &site(broken)).unwrap_err();
        assert!(error.contains("client_id"), "{error}");
    }

    const LOCAL: &str = r#"{"client_id": "c", "redirect_uri": "http://127.0.0.1:8080/callback",
        "token_proxy_url": "/proxy", "api_base_url": "http://127.0.0.1:9002",
        "identity_api_base_url": "http://127.0.0.1:9001/v1"}"#;

    #[test]
    fn the_callback_preconnects_to_the_hosts_it_calls_next() {
        let config = |json: &str| {
            wxcc_core::config::load_config(json, "https://console.example.com", "/").unwrap()
        };
        let local = wxcc_core::config::load_config(LOCAL, "http://127.0.0.1:8080", "/").unwrap();
        let origins: Vec<(String, bool)> = preconnects(&local, "http://127.0.0.1:8080")
            .into_iter()
            .map(|p| (p.origin, p.with_credentials))
            .collect();
        // The same-origin proxy needs no preconnect: the page's own connection is open.
        assert_eq!(
            origins,
            [
                ("http://127.0.0.1:9001".to_string(), false),
                ("http://127.0.0.1:9002".to_string(), false)
            ]
        );
        let cross_site = config(
            r#"{"client_id": "c", "token_proxy_url": "https://proxy.example.net",
                "proxy_mode": "handle", "region": "eu1"}"#,
        );
        let origins: Vec<String> = preconnects(&cross_site, "https://console.example.com")
            .into_iter()
            .map(|p| p.origin)
            .collect();
        assert_eq!(
            origins,
            [
                "https://proxy.example.net",
                "https://webexapis.com",
                "https://api.wxcc-eu1.cisco.com"
            ]
        );
    }

    #[test]
    fn every_use_of_the_site_has_a_directory_of_its_own() {
        for (i, a) in SiteUse::ALL.iter().enumerate() {
            for b in &SiteUse::ALL[i + 1..] {
                let (a_dir, b_dir) = (a.dir(), b.dir());
                assert!(
                    !a_dir.starts_with(&b_dir) && !b_dir.starts_with(&a_dir),
                    "{a:?} and {b:?} share {} / {}",
                    a_dir.display(),
                    b_dir.display()
                );
            }
        }
        let names: std::collections::BTreeSet<_> = SiteUse::ALL.iter().map(|u| u.name()).collect();
        assert_eq!(names.len(), SiteUse::ALL.len(), "{names:?}");
    }

    #[test]
    fn redeploying_replaces_the_old_policy() {
        let html = "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"old\"><title>";
        assert_eq!(
            strip_meta(html, CSP_META),
            "<meta charset=\"utf-8\"><title>"
        );
    }

    #[test]
    fn a_build_for_a_github_io_config_is_refused_before_building() {
        let dir = crate::util::target_dir().join("shared-origin-build-test");
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config.json");
        std::fs::write(
            &config,
            r#"{"client_id": "C1", "redirect_uri": "https://alice.github.io/console/callback"}"#,
        )
        .unwrap();
        let config = config.to_string_lossy().to_string();
        let error = build_command(&["--config".to_string(), config.clone()]).unwrap_err();
        assert!(
            error.contains("refusing to deploy the console to https://alice.github.io"),
            "{error}"
        );
        let error = build_command(&[
            "--config".to_string(),
            config,
            "--origin".to_string(),
            "https://bob.gitlab.io".to_string(),
        ])
        .unwrap_err();
        assert!(
            error.contains("https://bob.gitlab.io"),
            "--origin decides: {error}"
        );
    }
}
