//! The served pages: what the build and the deployment add to the page trunk writes.
//!
//! - Build time ([`fetch_wasm_with_integrity`]): Chrome ignores `integrity` on a
//!   `<link rel=preload as=fetch>` (and warns about it), so the wasm's hash moves into the
//!   bootstrap script's `fetch`, where it is enforced; the preload still starts the download and
//!   that fetch takes it over.
//! - Deploy time ([`with_first_paint`], [`with_early_fetches`]): the static first paint
//!   (src/views/first_paint.rs) in the body, a preload of `config.json` (fetched while the wasm loads
//!   instead of after it) and, on the callback page, preconnects to the hosts the sign-in calls
//!   next. Everything added is marked, so a second deployment into the same folder replaces it.

use crate::util::Result;

// The app's own module (std only outside its browser part), so the static markup and the views
// share one source; the app uses the parts this crate does not.
#[path = "../../../src/views/first_paint.rs"]
#[allow(dead_code)]
mod first_paint;

pub use first_paint::Page;

/// Set on every element the deployment adds to the head.
const ADDED: &str = "data-deployed";

/// trunk's bootstrap script calls `init({ module_or_path: '<base><name>_bg.wasm' })`; this turns
/// the path into `fetch('<path>', { integrity: '<hash>' })` with the hash of the wasm's preload
/// link, and drops the hash from the link (where it is ignored).
pub fn fetch_wasm_with_integrity(html: &str) -> Result<String> {
    const CALL: &str = "init({ module_or_path: '";
    let start = html.find(CALL).ok_or(
        "index.html has no `init({ module_or_path: '…' })` bootstrap (did trunk's output change?)",
    )? + CALL.len();
    let end = start
        + html[start..]
            .find('\'')
            .ok_or("the bootstrap's wasm path is not closed")?;
    let wasm = &html[start..end];
    let link = element_with(html, "<link", &format!("href={wasm} "))
        .or_else(|| element_with(html, "<link", &format!("href=\"{wasm}\"")))
        .ok_or_else(|| format!("index.html has no preload link for {wasm}"))?;
    let integrity = attribute_value(&html[link.clone()], "integrity")
        .ok_or_else(|| format!("the preload link of {wasm} has no integrity hash"))?;
    let link_without = remove_attribute(&html[link.clone()], "integrity");
    let mut page = format!("{}{link_without}{}", &html[..link.start], &html[link.end..]);
    let call = format!("{CALL}{wasm}' }})");
    let fetch =
        format!("init({{ module_or_path: fetch('{wasm}', {{ integrity: '{integrity}' }}) }})");
    if !page.contains(&call) {
        return Err(format!("the bootstrap does not call `{call}`"));
    }
    page = page.replacen(&call, &fetch, 1);
    Ok(page)
}

/// The page with the static first paint of `page` at the start of its body (an earlier one
/// removed).
pub fn with_first_paint(html: &str, page: Page, base_path: &str) -> Result<String> {
    let html = without_first_paint(html);
    let body = html
        .find("<body>")
        .ok_or("the page has no <body> to put the first paint in")?
        + "<body>".len();
    Ok(format!(
        "{}{}{}",
        &html[..body],
        first_paint::markup(page, base_path),
        &html[body..]
    ))
}

fn without_first_paint(html: &str) -> String {
    let start_tag = format!("<div id=\"{}\">", first_paint::STATIC_ID);
    // The markup ends with the footer and the closing tag of its element (see `markup`).
    const END: &str = "</footer></div>";
    match html.find(&start_tag) {
        Some(start) => match html[start..].find(END) {
            Some(end) => format!("{}{}", &html[..start], &html[start + end + END.len()..]),
            None => html.to_string(),
        },
        None => html.to_string(),
    }
}

/// A host the page will fetch from soon, and whether the fetch sends cookies (the connection
/// pools differ, so the preconnect must say which it opens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preconnect {
    pub origin: String,
    pub with_credentials: bool,
}

/// The page with `config.json` preloaded (the app fetches it at start, mode cors, same-origin
/// credentials, which `crossorigin` matches) and the given preconnects, before `</head>`.
/// Links an earlier deployment added are replaced.
pub fn with_early_fetches(
    html: &str,
    base_path: &str,
    preconnects: &[Preconnect],
) -> Result<String> {
    let html = without_added(html);
    let head_end = html
        .find("</head>")
        .ok_or("the page has no </head> for the preload links")?;
    let mut links = format!(
        "<link rel=\"preload\" href=\"{base_path}config.json\" as=\"fetch\" crossorigin {ADDED}>"
    );
    for p in preconnects {
        let crossorigin = if p.with_credentials {
            "crossorigin=\"use-credentials\""
        } else {
            "crossorigin"
        };
        links.push_str(&format!(
            "<link rel=\"preconnect\" href=\"{}\" {crossorigin} {ADDED}>",
            p.origin
        ));
    }
    Ok(format!("{}{links}{}", &html[..head_end], &html[head_end..]))
}

/// Every element marked [`ADDED`] removed.
fn without_added(html: &str) -> String {
    let mut page = html.to_string();
    while let Some(range) = element_with(&page, "<link", ADDED) {
        page.replace_range(range, "");
    }
    page
}

/// The byte range of the first `<tag …>` start tag whose text contains `needle`.
fn element_with(html: &str, tag: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(offset) = html[from..].find(tag) {
        let start = from + offset;
        let end = start + html[start..].find('>')? + 1;
        if html[start..end].contains(needle) {
            return Some(start..end);
        }
        from = end;
    }
    None
}

/// The value of `name=value`, `name="value"` in one start tag.
fn attribute_value(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}="))? + name.len() + 2;
    let rest = &tag[at..];
    let value = match rest.strip_prefix('"') {
        Some(quoted) => &quoted[..quoted.find('"')?],
        None => &rest[..rest.find([' ', '>']).unwrap_or(rest.len())],
    };
    Some(value.to_string())
}

fn remove_attribute(tag: &str, name: &str) -> String {
    let Some(at) = tag.find(&format!(" {name}=")) else {
        return tag.to_string();
    };
    let value_start = at + name.len() + 2;
    let rest = &tag[value_start..];
    let value_len = match rest.strip_prefix('"') {
        Some(quoted) => quoted.find('"').map_or(rest.len(), |q| q + 2),
        None => rest.find([' ', '>']).unwrap_or(rest.len()),
    };
    format!("{}{}", &tag[..at], &tag[value_start + value_len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of trunk 0.21's minified release page.
    const TRUNK_PAGE: &str = "<!doctype html><html lang=en><meta charset=utf-8><title>wxcc-console</title>\
        <script type=module>import init, * as bindings from '/app-0123456789abcdef.js';\n\
        const wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });</script>\
        <link crossorigin href=/app-0123456789abcdef.js integrity=sha384-JS rel=modulepreload>\
        <link as=fetch crossorigin href=/app-0123456789abcdef_bg.wasm integrity=sha384-WASM rel=preload type=application/wasm>\
        </head><body></body></html>";

    #[test]
    fn the_wasm_is_fetched_with_its_integrity_hash() {
        let page = fetch_wasm_with_integrity(TRUNK_PAGE).unwrap();
        assert!(page.contains(
            "init({ module_or_path: fetch('/app-0123456789abcdef_bg.wasm', { integrity: 'sha384-WASM' }) })"
        ));
        assert!(page.contains(
            "<link as=fetch crossorigin href=/app-0123456789abcdef_bg.wasm rel=preload type=application/wasm>"
        ));
        // The script's own module keeps its hash on the modulepreload link, where it is enforced.
        assert!(page.contains("integrity=sha384-JS rel=modulepreload"));
        assert!(
            fetch_wasm_with_integrity(&page).is_err(),
            "only trunk's page"
        );
    }

    #[test]
    fn the_first_paint_goes_first_in_the_body_once() {
        let once = with_first_paint(TRUNK_PAGE, Page::Start, "/").unwrap();
        assert!(once.contains("<body><div id=\"first-paint\">"));
        assert!(once.ends_with("</footer></div></body></html>"));
        let twice = with_first_paint(&once, Page::Callback, "/").unwrap();
        assert_eq!(twice.matches("id=\"first-paint\"").count(), 1);
        assert!(twice.contains(first_paint::COMPLETING));
        assert!(!twice.contains(first_paint::SIGN_IN));
        assert!(with_first_paint("<html></html>", Page::Start, "/").is_err());
    }

    #[test]
    fn config_is_preloaded_and_next_hosts_preconnected_once() {
        let preconnects = [
            Preconnect {
                origin: "https://api.wxcc-us1.cisco.com".into(),
                with_credentials: false,
            },
            Preconnect {
                origin: "https://proxy.example.com".into(),
                with_credentials: true,
            },
        ];
        let page = with_early_fetches(TRUNK_PAGE, "/console/", &preconnects).unwrap();
        assert!(page.contains(
            "<link rel=\"preload\" href=\"/console/config.json\" as=\"fetch\" crossorigin data-deployed>"
        ));
        assert!(page.contains(
            "<link rel=\"preconnect\" href=\"https://api.wxcc-us1.cisco.com\" crossorigin data-deployed>"
        ));
        assert!(page.contains(
            "<link rel=\"preconnect\" href=\"https://proxy.example.com\" crossorigin=\"use-credentials\" data-deployed></head>"
        ));
        let again = with_early_fetches(&page, "/", &[]).unwrap();
        assert_eq!(again.matches(ADDED).count(), 1);
        assert!(again.contains("href=\"/config.json\""));
        assert!(!again.contains("preconnect"));
    }

    #[test]
    fn attributes_are_read_and_removed_quoted_or_not() {
        let tag = "<link a=1 integrity=\"sha384-x y\" b=2>";
        assert_eq!(
            attribute_value(tag, "integrity").as_deref(),
            Some("sha384-x y")
        );
        assert_eq!(remove_attribute(tag, "integrity"), "<link a=1 b=2>");
        assert_eq!(
            attribute_value("<link integrity=abc>", "integrity").as_deref(),
            Some("abc")
        );
        assert_eq!(
            remove_attribute("<link integrity=abc>", "integrity"),
            "<link>"
        );
        assert_eq!(remove_attribute("<link a=1>", "integrity"), "<link a=1>");
    }
}
