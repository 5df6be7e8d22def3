//! Building the SPA with trunk and "deploying" it: a copy of dist/ with the runtime config.json,
//! the Content-Security-Policy that matches that config, and the static-host fallbacks.

use std::path::{Path, PathBuf};

use crate::csp;
use crate::util::{Result, cmd, heading, root, run};

pub const REGIONS: [&str; 8] = ["us1", "eu1", "eu2", "anz1", "ca1", "jp1", "sg1", "in1"];

/// `cargo xtask build [--public-url /sub/] [--config FILE]`
pub fn build_command(args: &[String]) -> Result {
    let mut public_url = "/".to_string();
    let mut config: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--public-url" => public_url = it.next().ok_or("--public-url needs a value")?.clone(),
            "--config" => config = Some(it.next().ok_or("--config needs a file")?.into()),
            other => {
                return Err(format!(
                    "unknown build option `{other}` (see cargo xtask help)"
                ));
            }
        }
    }
    build(&public_url)?;
    let dist = root().join("dist");
    let config_json = match &config {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the config file {}: {e}", path.display()))?,
        ),
        None => None,
    };
    deploy(&dist, &dist, config_json.as_deref())?;
    println!("built into {}", dist.display());
    Ok(())
}

/// `trunk build --release`: the size-tuned wasm (opt-level z, LTO, wasm-opt -Oz) plus SRI hashes.
pub fn build(public_url: &str) -> Result {
    heading("building the SPA (trunk build --release)");
    run(
        "building the SPA",
        cmd("trunk").args(["build", "--release", "--public-url", public_url]),
    )
}

/// Copies `dist` into `site` (unless they are the same), writes config.json, puts the CSP into
/// every page and `_headers`, and adds the fallbacks static hosts without rewrites need.
pub fn deploy(dist: &Path, site: &Path, config_json: Option<&str>) -> Result {
    if dist != site {
        if site.exists() {
            std::fs::remove_dir_all(site)
                .map_err(|e| format!("cannot clear {}: {e}", site.display()))?;
        }
        copy_dir(dist, site)?;
    }
    let origins = match config_json {
        Some(text) => {
            let config: serde_json::Value = serde_json::from_str(text)
                .map_err(|e| format!("the config is not valid JSON: {e}"))?;
            std::fs::write(site.join("config.json"), text)
                .map_err(|e| format!("cannot write config.json: {e}"))?;
            connect_origins(&config)
        }
        None => default_connect_origins(),
    };
    let index_path = site.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (did trunk build?)",
            index_path.display()
        )
    })?;
    // The original page, without a CSP meta from an earlier deploy into the same folder.
    let pristine = strip_csp_meta(&index);
    let hashes = csp::inline_script_hashes(&pristine);
    let page = csp::inject_meta(
        &pristine,
        &csp::policy(&hashes, &origins, csp::Delivery::Meta),
    )?;
    let header_policy = csp::policy(&hashes, &origins, csp::Delivery::Header);
    write(&index_path, &page)?;
    // GitHub Pages serves 404.html for unknown paths; hosts without rewrites find callback/.
    write(&site.join("404.html"), &page)?;
    std::fs::create_dir_all(site.join("callback")).map_err(|e| e.to_string())?;
    write(&site.join("callback/index.html"), &page)?;
    write(&site.join("_headers"), &csp::headers_file(&header_policy))?;
    Ok(())
}

/// Every origin the app calls with fetch: the token proxy (when absolute), the identity API and
/// the Contact Center API (explicit base URL, or the region's host).
fn connect_origins(config: &serde_json::Value) -> Vec<String> {
    let text = |key: &str| config.get(key).and_then(|v| v.as_str());
    let mut origins = Vec::new();
    if let Some(o) = text("token_proxy_url").and_then(csp::origin_of) {
        origins.push(o);
    }
    let identity = text("identity_api_base_url").unwrap_or("https://webexapis.com/v1");
    origins.extend(csp::origin_of(identity));
    match text("api_base_url").and_then(csp::origin_of) {
        Some(o) => origins.push(o),
        None => {
            let region = text("region").unwrap_or("us1");
            origins.push(format!("https://api.wxcc-{region}.cisco.com"));
        }
    }
    origins
}

/// Without a config at build time the app may be pointed at any region later.
fn default_connect_origins() -> Vec<String> {
    let mut origins = vec!["https://webexapis.com".to_string()];
    origins.extend(
        REGIONS
            .iter()
            .map(|r| format!("https://api.wxcc-{r}.cisco.com")),
    );
    origins
}

fn strip_csp_meta(html: &str) -> String {
    let marker = "<meta http-equiv=\"Content-Security-Policy\"";
    match html.find(marker) {
        Some(start) => match html[start..].find('>') {
            Some(end) => format!("{}{}", &html[..start], &html[start + end + 1..]),
            None => html.to_string(),
        },
        None => html.to_string(),
    }
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
    fn connect_origins_follow_the_config() {
        let config = serde_json::json!({
            "token_proxy_url": "https://proxy.example.com/wxcc",
            "region": "eu2"
        });
        assert_eq!(
            connect_origins(&config),
            vec![
                "https://proxy.example.com",
                "https://webexapis.com",
                "https://api.wxcc-eu2.cisco.com"
            ]
        );
        let local = serde_json::json!({
            "token_proxy_url": "/proxy",
            "identity_api_base_url": "http://127.0.0.1:9001/v1",
            "api_base_url": "http://127.0.0.1:9002"
        });
        assert_eq!(
            connect_origins(&local),
            vec!["http://127.0.0.1:9001", "http://127.0.0.1:9002"]
        );
    }

    #[test]
    fn redeploying_replaces_the_old_policy() {
        let html = "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"old\"><title>";
        assert_eq!(strip_csp_meta(html), "<meta charset=\"utf-8\"><title>");
    }
}
