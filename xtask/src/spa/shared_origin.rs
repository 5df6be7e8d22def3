//! Refusing origins that other people's pages share. Every page of an origin can read the console's
//! session (sessionStorage, the tabs' BroadcastChannel, IndexedDB with handle mode's key) and call the
//! token proxy as the console, so the console needs an origin no one else publishes on.
//!
//! Only hosts where sites of *different* owners or projects are served from ONE origin, side by side
//! under paths, are refused:
//! - GitHub Pages (`*.github.io`): every Pages site of an account or organisation is served from
//!   `owner.github.io`, project sites under `/project/`, so anyone who can publish any of them shares
//!   the console's origin.
//! - GitLab Pages (`*.gitlab.io`): likewise `group.gitlab.io/project/` for every project of a group.
//!   A project with GitLab's "unique domain" setting gets an origin of its own; pass
//!   `--allow-shared-origin` for it.
//! - Path-style object storage (`s3.amazonaws.com`, `s3.<region>.amazonaws.com`,
//!   `storage.googleapis.com`): every bucket in the world under one origin.
//!
//! Not refused, because each site (and each preview) gets a subdomain, so an origin, of its own:
//! Netlify (`*.netlify.app`), Cloudflare Pages (`*.pages.dev`), Vercel (`*.vercel.app`), Firebase
//! Hosting (`*.web.app`), S3 virtual-hosted buckets (`bucket.s3.amazonaws.com`) and CloudFront
//! (`*.cloudfront.net`).

use crate::util::Result;

/// The flag that lets an operator deploy to a refused origin anyway.
pub const ALLOW_FLAG: &str = "--allow-shared-origin";

/// Why `host` is an origin other people's pages share, when it is one.
pub fn shared_by_others(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let owner_of = |suffix: &str| {
        host.strip_suffix(suffix)
            .filter(|owner| !owner.is_empty() && !owner.contains('.'))
            .map(str::to_owned)
    };
    if let Some(owner) = owner_of(".github.io") {
        return Some(format!(
            "GitHub Pages serves every Pages site of `{owner}` from this one origin \
             ({host}/any-project/), so whoever can publish any of them shares it"
        ));
    }
    if let Some(group) = owner_of(".gitlab.io") {
        return Some(format!(
            "GitLab Pages serves every project of `{group}` from this one origin \
             ({host}/any-project/), unless the project has a unique domain"
        ));
    }
    // s3.amazonaws.com, s3.REGION…, s3-REGION… and s3.dualstack.REGION…: no bucket name in the host.
    let region_like = |label: &str| {
        label == "dualstack"
            || (label.contains('-')
                && label.ends_with(|c: char| c.is_ascii_digit())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    };
    let path_style_s3 = host == "s3.amazonaws.com"
        || host.strip_suffix(".amazonaws.com").is_some_and(|rest| {
            (rest.starts_with("s3.") || rest.starts_with("s3-"))
                && rest[3..].split('.').all(region_like)
        });
    if path_style_s3 || host == "storage.googleapis.com" {
        return Some(
            "this is path-style object storage: every bucket (anyone's) is served from this one \
             origin"
                .to_string(),
        );
    }
    None
}

/// Refuses `origin` (`https://host[:port]`) when other people's pages share it, unless `allowed`.
pub fn check(origin: &str, allowed: bool) -> Result {
    let host = crate::csp::origin_of(origin)
        .and_then(|origin| {
            let authority = origin.split_once("://")?.1.to_owned();
            // An IPv6 literal keeps its colons inside the brackets; a port follows the last colon.
            Some(match authority.rsplit_once(':') {
                Some((host, port)) if !port.contains(']') => host.to_owned(),
                _ => authority,
            })
        })
        .ok_or_else(|| {
            format!("`{origin}` is not an origin such as https://console.example.com")
        })?;
    match shared_by_others(&host) {
        Some(why) if allowed => {
            println!("warning: deploying to the shared origin {origin} ({ALLOW_FLAG}): {why}");
            Ok(())
        }
        Some(why) => Err(format!(
            "refusing to deploy the console to {origin}: {why}. Every page of an origin can read \
             the console's session (sessionStorage, the tabs' BroadcastChannel, handle mode's key) \
             and call the token proxy as the console. Serve it from an origin of its own (a custom \
             domain, or the CloudFront distribution `cargo xtask package` describes), or pass \
             {ALLOW_FLAG} if no one else can publish pages on this origin."
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_other_people_publish_on_are_refused_and_say_why() {
        for origin in [
            "https://alice.github.io",
            "https://Acme-Org.GitHub.io",
            "https://group.gitlab.io",
            "https://s3.amazonaws.com",
            "https://s3.eu-west-1.amazonaws.com",
            "https://s3-eu-west-1.amazonaws.com",
            "https://s3.dualstack.us-east-1.amazonaws.com",
            "https://storage.googleapis.com",
        ] {
            let error = check(origin, false).unwrap_err();
            assert!(error.contains("refusing to deploy"), "{origin}: {error}");
            assert!(error.contains(ALLOW_FLAG), "{origin}: {error}");
            assert!(
                error.contains("read the console's session"),
                "{origin}: {error}"
            );
        }
        let error = check("https://alice.github.io", false).unwrap_err();
        assert!(error.contains("every Pages site of `alice`"), "{error}");
    }

    #[test]
    fn the_flag_lets_a_shared_origin_through() {
        assert!(check("https://alice.github.io", true).is_ok());
    }

    #[test]
    fn hosts_that_give_each_site_its_own_origin_are_accepted() {
        for origin in [
            "https://console.example.com",
            "https://console-site.netlify.app",
            "https://deploy-preview-42--console-site.netlify.app",
            "https://console.pages.dev",
            "https://abc123.console.pages.dev",
            "https://console.vercel.app",
            "https://console.web.app",
            "https://my-bucket.s3.amazonaws.com",
            "https://my-bucket.s3.eu-west-1.amazonaws.com",
            "https://s3-named-bucket.s3.amazonaws.com",
            "https://d111111abcdef8.cloudfront.net",
            "https://github.io.example.com",
            "http://127.0.0.1:8080",
        ] {
            assert!(check(origin, false).is_ok(), "{origin}");
        }
    }
}
