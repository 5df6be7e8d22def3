//! An example deployment written without trunk: a stand-in build (a page and hashed asset names)
//! deployed by the same `spa::deploy` as a real package, so the template it gets has the `_headers`
//! this checkout writes. `cargo xtask test` lints it with cfn-lint.

use std::path::{Path, PathBuf};

use super::template::Deployment;
use crate::util::{Result, target_dir};

const CONFIG: &str = r#"{
  "client_id": "C0123456789abcdef",
  "redirect_uri": "https://console.example.com/callback",
  "token_proxy_url": "/proxy",
  "proxy_mode": "cookie",
  "region": "eu1"
}"#;
const PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>wxcc-console</title>\
    <link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\">\
    <script type=\"module\">import init from '/wxcc-console-0123456789abcdef.js';init('/wxcc-console-0123456789abcdef_bg.wasm');</script>\
    </head><body></body></html>";
const ASSETS: [&str; 4] = [
    "wxcc-console-0123456789abcdef_bg.wasm",
    "wxcc-console-0123456789abcdef.js",
    "style-0123456789abcdef.css",
    "robots.txt",
];

/// Writes the example site and its template below `target/deploy-example/`; returns the
/// template's path. Fails when the template and `_headers` disagree.
pub fn write() -> Result<PathBuf> {
    let dir = target_dir().join("deploy-example");
    let dist = dir.join("dist");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    write_file(&dist.join("index.html"), PAGE)?;
    for asset in ASSETS {
        write_file(&dist.join(asset), "stand-in")?;
    }
    let site = dir.join("site");
    let origin = "https://console.example.com";
    crate::spa::deploy(
        &dist,
        &site,
        &crate::spa::Site {
            config_json: Some(CONFIG),
            page_origin: Some(origin.into()),
            base_path: "/".into(),
        },
    )?;
    let config = wxcc_core::config::load_config(CONFIG, origin, "/")
        .map_err(|e| format!("the example config is not valid: {e:?}"))?;
    let deployment = Deployment::from_config(&config, origin, "/")?;
    let template = dir.join("template.yaml");
    super::write_template(&site, &deployment, &template)?;
    Ok(template)
}

fn write_file(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_template_agrees_with_the_headers_this_checkout_writes() {
        let path = super::write().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains("Default: \"C0123456789abcdef\""));
        assert!(text.contains("ContentSecurityPolicy"));
    }
}
