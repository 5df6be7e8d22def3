//! `cargo xtask package --config FILE [--public-url P] [--origin O] [--out DIR]`: everything a
//! deployment needs in one folder: `site/` (the configured release build for any static host),
//! `lambda/token-proxy.zip` (the token proxy for `provided.al2023`, x86_64) and `template.yaml`
//! (CloudFront + S3 + the function, from deploy/template.yaml).

pub mod example;
pub mod headers;
pub mod lambda;
pub mod template;

use std::path::{Path, PathBuf};

use crate::spa::{self, Site};
use crate::util::{Result, heading, root, target_dir};

const USAGE: &str = "\
usage: cargo xtask package --config FILE [--public-url /sub/] [--origin https://host] [--out DIR]
                          [--allow-shared-origin]

  --config FILE      the runtime config.json to deploy (validated as the app validates it)
  --public-url P     the path the app is served under (default /)
  --origin O         the https origin agents open, when the config has no redirect_uri
  --out DIR          where to write site/, lambda/ and template.yaml (default target/package)
  --allow-shared-origin
                     deploy even to an origin other people's pages share (e.g. *.github.io),
                     which is refused otherwise: every page of an origin can read the session
";

#[derive(Debug, PartialEq)]
pub struct Options {
    pub config: PathBuf,
    pub public_url: String,
    pub origin: Option<String>,
    pub out: PathBuf,
    /// Deploy even to an origin other people's pages share (see `spa::shared_origin`).
    pub allow_shared_origin: bool,
}

pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut config = None;
    let mut public_url = "/".to_string();
    let mut origin = None;
    let mut out = target_dir().join("package");
    let mut allow_shared_origin = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |what: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs {what}.\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--config" => config = Some(PathBuf::from(value("a file")?)),
            "--public-url" => public_url = value("a path such as /console/")?,
            "--origin" => origin = Some(value("an origin such as https://console.example.com")?),
            "--out" => out = PathBuf::from(value("a folder")?),
            spa::shared_origin::ALLOW_FLAG => allow_shared_origin = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown package option `{other}`.\n\n{USAGE}")),
        }
    }
    if !public_url.starts_with('/') || !public_url.ends_with('/') {
        return Err(format!(
            "--public-url must start and end with /, not `{public_url}`"
        ));
    }
    let config = config.ok_or_else(|| format!("--config is required.\n\n{USAGE}"))?;
    Ok(Options {
        config,
        public_url,
        origin,
        out,
        allow_shared_origin,
    })
}

pub fn run(args: &[String]) -> Result {
    let options = parse_args(args)?;
    let config_text = std::fs::read_to_string(&options.config).map_err(|e| {
        format!(
            "cannot read the config file {}: {e}",
            options.config.display()
        )
    })?;
    let console_origin = console_origin(&config_text, options.origin.as_deref())?;
    spa::shared_origin::check(&console_origin, options.allow_shared_origin)?;
    let config = wxcc_core::config::load_config(&config_text, &console_origin, &options.public_url)
        .map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("  - {}: {} ({})", e.field, e.problem, e.fix))
                .collect();
            format!("the config is not valid:\n{}", lines.join("\n"))
        })?;
    let deployment =
        template::Deployment::from_config(&config, &console_origin, &options.public_url)?;
    std::fs::create_dir_all(&options.out)
        .map_err(|e| format!("cannot create {}: {e}", options.out.display()))?;

    heading("package 1/3: the site (trunk release build, config.json, CSP, _headers)");
    let site_dir = options.out.join("site");
    let build_dir = target_dir().join("dist-package");
    spa::build_into(&options.public_url, &build_dir)?;
    spa::deploy(
        &build_dir,
        &site_dir,
        &Site {
            config_json: Some(&config_text),
            page_origin: Some(console_origin.clone()),
            base_path: options.public_url.clone(),
        },
    )?;

    heading("package 2/3: the token proxy for AWS Lambda (provided.al2023, x86_64)");
    let binary = lambda::build()?;
    let needed = lambda::glibc_versions(&binary)?;
    lambda::check_runtime_glibc(&needed)?;
    let newest = needed
        .last()
        .map_or("none".to_string(), |(a, b)| format!("{a}.{b}"));
    let zip_path = options.out.join("lambda/token-proxy.zip");
    let zip_size = lambda::zip_bootstrap(&binary, &zip_path)?;
    println!(
        "  {} ({:.1} MB; the binary needs glibc {newest} at most, the runtime has {}.{})",
        zip_path.display(),
        zip_size as f64 / 1e6,
        lambda::RUNTIME_GLIBC.0,
        lambda::RUNTIME_GLIBC.1
    );

    heading("package 3/3: template.yaml (CloudFront, S3, the function; headers from _headers)");
    let template_path = options.out.join("template.yaml");
    write_template(&site_dir, &deployment, &template_path)?;
    println!("  {}", template_path.display());

    print_next_steps(&options.out, &deployment);
    Ok(())
}

/// The origin agents open: `--origin`, else the config's redirect_uri's.
fn console_origin(config_text: &str, origin: Option<&str>) -> Result<String> {
    if let Some(origin) = origin {
        return Ok(origin.trim_end_matches('/').to_string());
    }
    serde_json::from_str::<serde_json::Value>(config_text)
        .ok()
        .and_then(|v| {
            v.get("redirect_uri")
                .and_then(|r| r.as_str())
                .and_then(crate::csp::origin_of)
        })
        .ok_or_else(|| {
            "cannot tell where the console will be served: set redirect_uri in the config or pass \
             --origin https://console.example.com"
                .to_string()
        })
}

/// Renders deploy/template.yaml for this deployment and the site's `_headers`, and checks that
/// every file of the site gets the same headers from both.
pub fn write_template(site_dir: &Path, deployment: &template::Deployment, to: &Path) -> Result {
    let headers_path = site_dir.join("_headers");
    let headers_text = std::fs::read_to_string(&headers_path)
        .map_err(|e| format!("cannot read {}: {e}", headers_path.display()))?;
    let rules = headers::parse(&headers_text)?;
    let layout = headers::layout(&rules, &deployment.base_path)?;
    let text = template::render(&template_source()?, deployment, &layout)?;
    let files = site_files(site_dir)?;
    template::check_agreement(
        &rules,
        &text,
        &deployment.base_path,
        &template::paths_to_check(&files),
    )?;
    std::fs::write(to, text).map_err(|e| format!("cannot write {}: {e}", to.display()))
}

pub fn template_source() -> Result<String> {
    let path = root().join("deploy/template.yaml");
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Every file below `dir` as a URL path (`/index.html`, `/callback/index.html`), `_headers` aside.
fn site_files(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}/{name}");
            if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
                walk(&entry.path(), &path, out)?;
            } else if path != "/_headers" {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    Ok(files)
}

fn print_next_steps(out: &Path, deployment: &template::Deployment) {
    heading("packaged");
    println!(
        "  {out}/site/                  the console for any static host ({base})\n  \
         {out}/lambda/token-proxy.zip  the token proxy for AWS Lambda (provided.al2023, x86_64)\n  \
         {out}/template.yaml           CloudFront + S3 + the function for {origin}\n\n\
         Next (README, Deployment): put the client secret and a sealing key into Secrets Manager,\n\
         `aws cloudformation package` + `deploy` the template, `aws s3 sync` site/ into the bucket,\n\
         and register {redirect} on the Webex integration.",
        out = out.display(),
        base = deployment.base_path,
        origin = deployment.console_origin,
        redirect = deployment.redirect_uri,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        let o = parse_args(&args(&["--config", "c.json", "--out", "/tmp/p"])).unwrap();
        assert_eq!(
            o,
            Options {
                config: "c.json".into(),
                public_url: "/".into(),
                origin: None,
                out: "/tmp/p".into(),
                allow_shared_origin: false,
            }
        );
        let o = parse_args(&args(&["--config", "c.json", "--allow-shared-origin"])).unwrap();
        assert!(o.allow_shared_origin);
        assert!(
            parse_args(&[])
                .unwrap_err()
                .contains("--config is required")
        );
        assert!(
            parse_args(&args(&["--config", "c", "--public-url", "/x"]))
                .unwrap_err()
                .contains("end with /")
        );
        assert!(
            parse_args(&args(&["--config"]))
                .unwrap_err()
                .contains("needs a file")
        );
        assert!(
            parse_args(&args(&["--zip"]))
                .unwrap_err()
                .contains("unknown package option")
        );
    }

    #[test]
    fn the_console_origin_comes_from_the_flag_else_the_redirect_uri() {
        let config = r#"{"redirect_uri": "https://Console.example.com/callback"}"#;
        assert_eq!(
            console_origin(config, None).unwrap(),
            "https://console.example.com"
        );
        assert_eq!(
            console_origin(config, Some("https://other.example/")).unwrap(),
            "https://other.example"
        );
        assert!(console_origin("{}", None).is_err());
    }

    #[test]
    fn a_package_for_a_shared_origin_is_refused_before_building() {
        let dir = target_dir().join("shared-origin-package-test");
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config.json");
        std::fs::write(
            &config,
            r#"{"client_id": "C1", "redirect_uri": "https://acme.github.io/console/callback"}"#,
        )
        .unwrap();
        let error = run(&args(&["--config", &config.to_string_lossy()])).unwrap_err();
        assert!(
            error.contains("refusing to deploy the console to https://acme.github.io"),
            "{error}"
        );
        assert!(error.contains("--allow-shared-origin"), "{error}");
    }
}
