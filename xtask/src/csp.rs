//! The Content-Security-Policy of the built app, computed from what trunk emitted and where the
//! deployed configuration says the app connects. Hashes are computed here, never written by hand.

use base64::Engine;
use sha2::{Digest, Sha256};

/// `'sha256-…'` sources for every inline `<script>` in the page (trunk emits one to start the wasm).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else {
            break;
        };
        let tag = &after_tag[..tag_end];
        let body_and_more = &after_tag[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        let body = &body_and_more[..close];
        if !tag.contains(" src=") && !body.is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
            hashes.push(format!("'sha256-{b64}'"));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

/// The one Trusted Types policy the page may create (index.html creates it before the app starts).
pub const TRUSTED_TYPES_POLICY: &str = "default";

/// Where the policy is delivered: a `<meta>` element cannot carry `frame-ancestors` (browsers
/// ignore it there and complain in the console), so only the header form has it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Header,
    Meta,
}

/// The strict policy: nothing inline but the hashed bootstrap, wasm allowed to compile, network
/// only to the page's own origin and the configured token proxy and Webex hosts, and Trusted
/// Types: a string reaches an HTML sink only through the page's one policy, `default` (see
/// index.html: Leptos sets its compile-time markup as a template's innerHTML), which no other
/// script can replace.
pub fn policy(script_hashes: &[String], connect_origins: &[String], delivery: Delivery) -> String {
    let mut script_src = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script_src.extend(script_hashes.iter().cloned());
    let mut connect_src = vec!["'self'".to_string()];
    for origin in connect_origins {
        if !connect_src.contains(origin) {
            connect_src.push(origin.clone());
        }
    }
    let mut directives = vec![
        "default-src 'none'".to_string(),
        format!("script-src {}", script_src.join(" ")),
        "style-src 'self'".to_string(),
        "img-src 'self' data:".to_string(),
        "font-src 'self'".to_string(),
        format!("connect-src {}", connect_src.join(" ")),
        "manifest-src 'self'".to_string(),
        "base-uri 'none'".to_string(),
        "form-action 'none'".to_string(),
        "object-src 'none'".to_string(),
        "require-trusted-types-for 'script'".to_string(),
        format!("trusted-types {TRUSTED_TYPES_POLICY}"),
    ];
    if delivery == Delivery::Header {
        directives.push("frame-ancestors 'none'".to_string());
    }
    directives.join("; ")
}

/// Puts the policy and the referrer policy into the page's head, right after `<meta charset>`,
/// so they apply before any script.
pub fn inject_meta(html: &str, policy: &str) -> Result<String, String> {
    let start = html
        .find("<meta charset")
        .ok_or("index.html has no <meta charset=\"utf-8\"> to anchor the CSP")?;
    let end = start
        + html[start..]
            .find('>')
            .ok_or("index.html's <meta charset> is not closed")?
        + 1;
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        policy.replace('"', "&quot;")
    );
    Ok(format!("{}{}{}", &html[..end], meta, &html[end..]))
}

/// `scheme://host[:port]` of an absolute http(s) URL; None for relative URLs (same origin).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts_and_matches_sha256_of_the_body() {
        let html =
            r#"<head><script src="/a.js"></script><script type="module">alert(1)</script></head>"#;
        let hashes = inline_script_hashes(html);
        // sha256("alert(1)") in base64, as `openssl dgst -sha256 -binary | base64` gives it.
        assert_eq!(
            hashes,
            vec!["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='".to_string()]
        );
    }

    #[test]
    fn meta_policy_omits_frame_ancestors_and_header_policy_has_it() {
        let meta = policy(&[], &["https://webexapis.com".into()], Delivery::Meta);
        let header = policy(&[], &["https://webexapis.com".into()], Delivery::Header);
        assert!(!meta.contains("frame-ancestors"));
        assert!(header.contains("frame-ancestors 'none'"));
        assert!(header.contains("connect-src 'self' https://webexapis.com"));
        assert!(!header.contains("unsafe-inline"));
        for policy in [&meta, &header] {
            assert!(policy.contains("require-trusted-types-for 'script'"));
            assert!(policy.contains("trusted-types default"));
            assert!(!policy.contains("'allow-duplicates'"));
        }
    }

    #[test]
    fn the_page_creates_exactly_the_policy_the_csp_allows() {
        let index = std::fs::read_to_string(crate::util::root().join("index.html")).unwrap();
        let created = format!("trustedTypes.createPolicy('{TRUSTED_TYPES_POLICY}'");
        assert_eq!(index.matches("createPolicy(").count(), 1);
        assert!(index.contains(&created), "index.html must create {created}");
    }

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin_of("https://API.wxcc-us1.cisco.com/x?y").as_deref(),
            Some("https://api.wxcc-us1.cisco.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:9001/v1").as_deref(),
            Some("http://127.0.0.1:9001")
        );
        assert_eq!(origin_of("/proxy"), None);
        assert_eq!(origin_of("javascript://x"), None);
    }

    #[test]
    fn meta_goes_right_after_charset() {
        let html = "<head><meta charset=\"utf-8\"><title>x</title></head>";
        let out = inject_meta(html, "default-src 'none'").unwrap();
        assert!(out.starts_with(
            "<head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\""
        ));
        assert!(inject_meta("<head></head>", "x").is_err());
    }
}
