//! Loads the runtime `config.json` next to the app, so one build deploys anywhere.

use wxcc_core::config::{AppConfig, ConfigError, load_config};

use crate::browser;
use crate::http;

/// Why the app cannot start, shown on the configuration page (never a blank screen).
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigProblem {
    /// config.json could not be fetched.
    Missing { url: String, detail: String },
    /// It was fetched but some fields are wrong; every one is listed.
    Invalid {
        url: String,
        errors: Vec<ConfigError>,
    },
}

pub async fn load() -> Result<AppConfig, ConfigProblem> {
    let base = browser::base_path();
    let url = format!("{}{base}config.json", browser::origin());
    let response = http::send(http::Request {
        method: "GET",
        url: &url,
        headers: vec![("accept", "application/json".into())],
        body: None,
        with_credentials: false,
    })
    .await
    .map_err(|detail| ConfigProblem::Missing {
        url: url.clone(),
        detail,
    })?;
    if !response.ok() {
        return Err(ConfigProblem::Missing {
            url,
            detail: format!("the server answered HTTP {}", response.status),
        });
    }
    if response.body.trim_start().starts_with('<') {
        // Hosts with an SPA rewrite answer a missing file with index.html.
        return Err(ConfigProblem::Missing {
            url,
            detail: "the host answered with a web page, not JSON: the file is missing".into(),
        });
    }
    load_config(&response.body, &browser::origin(), &base)
        .map_err(|errors| ConfigProblem::Invalid { url, errors })
}
