//! The `_headers` file (Netlify and Cloudflare Pages read it; the local CDN applies it too): the
//! security headers on every answer, and caching by what a file is.
//!
//! - The hashed assets trunk writes (`<name>-<hash>.wasm/.js/.css`) never change under their
//!   name: cached for a year without revalidation, so the callback page and every return visit
//!   load them from the cache without a request.
//! - The pages and `config.json` are revalidated on every use, so a new deployment (new asset
//!   names, a new config) shows at once.
//!
//! Both hosts join the values of a header set by two matching rules with a comma, so no path may
//! match two rules that set `Cache-Control` (the catch-all `/*` sets none; the tests check).
//! Paths are relative to the deployed folder, as the local CDN serves a mounted site.

use std::path::Path;

use crate::util::Result;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";
/// Two years, subdomains included. Browsers ignore the header on plain http (RFC 6797 §8.1), so
/// the local CDN on 127.0.0.1 sends it as it is, like the hosts.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The pages (the start page, GitHub Pages' fallback, the callback in every form hosts serve it)
/// and the runtime config. The bare `/` has no rule of its own: Netlify and Cloudflare Pages
/// revalidate what `_headers` leaves open (`max-age=0, must-revalidate`), as the local CDN does
/// (`no-cache`), and CloudFront serves it through its default behaviour, which only `/*` reaches.
pub const REVALIDATED: [&str; 7] = [
    "/index.html",
    "/404.html",
    "/callback",
    "/callback/",
    "/callback.html",
    "/callback/index.html",
    "/config.json",
];

/// `_headers` for a site whose pages carry `header_policy` and whose hashed assets are
/// `hashed_assets` (file names at the top of the site).
pub fn headers_file(header_policy: &str, hashed_assets: &[String]) -> String {
    let mut file = format!(
        "/*\n  Content-Security-Policy: {header_policy}\n  Referrer-Policy: no-referrer\n  \
         X-Content-Type-Options: nosniff\n  X-Frame-Options: DENY\n  Cross-Origin-Opener-Policy: same-origin\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()\n  \
         Strict-Transport-Security: {HSTS}\n"
    );
    for path in REVALIDATED {
        file.push_str(&format!("{path}\n  Cache-Control: {REVALIDATE}\n"));
    }
    for name in hashed_assets {
        file.push_str(&format!("/{name}\n  Cache-Control: {IMMUTABLE}\n"));
    }
    file
}

/// The hashed assets at the top of `dir`, sorted.
pub fn hashed_assets(dir: &Path) -> Result<Vec<String>> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && is_hashed_asset(&name) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// `name-<hash>.js`, `name-<hash>.css`, `name-<hash>_bg.wasm`, the hash being trunk's 16 hex digits.
pub fn is_hashed_asset(name: &str) -> bool {
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = match extension {
        "js" | "css" => stem,
        "wasm" => stem.strip_suffix("_bg").unwrap_or(stem),
        _ => return false,
    };
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of a `_headers` file as hosts read them: (pattern, [(name, value)]).
    fn rules(file: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for line in file.lines().filter(|l| !l.trim().is_empty()) {
            if line.starts_with(' ') {
                let (name, value) = line.trim().split_once(':').expect("Name: value");
                let rule = rules.last_mut().expect("a pattern first");
                rule.1
                    .push((name.trim().to_string(), value.trim().to_string()));
            } else {
                rules.push((line.to_string(), Vec::new()));
            }
        }
        rules
    }

    /// Every value of `header` that the rules matching `path` set (`/*`-style prefixes or exact).
    fn values(file: &str, path: &str, header: &str) -> Vec<String> {
        rules(file)
            .into_iter()
            .filter(|(pattern, _)| match pattern.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == pattern,
            })
            .flat_map(|(_, headers)| headers)
            .filter(|(name, _)| name == header)
            .map(|(_, value)| value)
            .collect()
    }

    const ASSETS: [&str; 3] = [
        "wxcc-console-0123456789abcdef_bg.wasm",
        "wxcc-console-0123456789abcdef.js",
        "main-fedcba9876543210.css",
    ];

    fn file() -> String {
        let assets: Vec<String> = ASSETS.iter().map(|s| s.to_string()).collect();
        headers_file("default-src 'none'", &assets)
    }

    #[test]
    fn hashed_assets_are_immutable_for_a_year() {
        for name in ASSETS {
            assert_eq!(
                values(&file(), &format!("/{name}"), "Cache-Control"),
                [IMMUTABLE],
                "{name}"
            );
        }
    }

    #[test]
    fn pages_and_config_are_revalidated() {
        for path in REVALIDATED {
            assert_eq!(
                values(&file(), path, "Cache-Control"),
                [REVALIDATE],
                "{path}"
            );
        }
        // The root and deep links get the host's default (revalidation), never two values joined.
        assert!(values(&file(), "/", "Cache-Control").is_empty());
        assert!(values(&file(), "/token", "Cache-Control").is_empty());
        assert!(values(&file(), "/robots.txt", "Cache-Control").is_empty());
    }

    #[test]
    fn every_answer_has_the_security_headers_and_hsts() {
        for path in [
            "/",
            "/callback",
            "/config.json",
            "/token",
            &format!("/{}", ASSETS[0]),
        ] {
            assert_eq!(
                values(&file(), path, "Strict-Transport-Security"),
                [HSTS],
                "{path}"
            );
            assert_eq!(
                values(&file(), path, "Content-Security-Policy"),
                ["default-src 'none'"]
            );
            assert_eq!(values(&file(), path, "Referrer-Policy"), ["no-referrer"]);
            assert_eq!(values(&file(), path, "X-Content-Type-Options"), ["nosniff"]);
        }
        assert_eq!(HSTS, "max-age=63072000; includeSubDomains");
    }

    #[test]
    fn only_trunks_hashed_names_count_as_hashed() {
        for name in ASSETS {
            assert!(is_hashed_asset(name), "{name}");
        }
        for name in [
            "config.json",
            "index.html",
            "robots.txt",
            "app.js",
            "main-12345.css",
            "-0123456789abcdef.js",
            "x-0123456789abcdeg.js",
            "x-0123456789abcdef.html",
        ] {
            assert!(!is_hashed_asset(name), "{name}");
        }
    }

    #[test]
    fn finds_the_hashed_assets_of_a_site() {
        let dir = std::env::temp_dir().join(format!("wxcc-headers-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("callback")).unwrap();
        for name in ASSETS.iter().chain(&["index.html", "config.json"]) {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let found = hashed_assets(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let mut expected: Vec<String> = ASSETS.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found.unwrap(), expected);
    }
}
