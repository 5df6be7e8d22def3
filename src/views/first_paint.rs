//! The first paint: what a visitor sees before the wasm has loaded, so the largest contentful
//! paint does not wait for it.
//!
//! `cargo xtask build` writes static markup into the served pages from the texts and the
//! [`markup`] function here: the signed-out start page into `index.html` and `404.html`, the
//! "Completing sign-in…" state into the callback pages. The views render the same texts. The app
//! itself renders into a detached element ([`mount`]) and swaps it in for the static markup in one
//! step once it knows what to show ([`reveal`]), so nothing moves and nothing shows twice.
//! `tests/e2e/first-paint.spec.ts` checks that the static markup and the app's agree element by
//! element and box by box, that the page renders without JavaScript, and that the swap shifts no
//! layout.
//!
//! Before the wasm has started the sign-in button is disabled (it cannot work yet: the state and
//! the PKCE verifier come from the app), described as loading for screen readers; without
//! JavaScript a notice says that the console needs it.
//!
//! This file is compiled twice: into the app, and into xtask (`#[path]` in xtask/src/spa/page.rs),
//! so everything but the browser part at the bottom uses std only.

/// The product's name: the brand link and the start page's heading.
pub const APP_NAME: &str = "wxcc-console";
pub const LEAD: &str =
    "Sign in to Webex Contact Center and call its APIs straight from your browser.";
pub const SIGN_IN: &str = "Sign in with Webex";
pub const STEPS: [&str; 4] = [
    "You are sent to Webex to sign in and accept the requested scopes.",
    "Webex sends you back here with a one-time code; this page checks it belongs to your attempt.",
    "The token proxy exchanges the code (it holds the client secret) and keeps the refresh token sealed.",
    "This tab calls the Contact Center APIs with the access token. Watch it happen under “Grant flow”.",
];
pub const COMPLETING: &str = "Completing sign-in…";
pub const SKIP_LINK: &str = "Skip to content";
/// The main navigation: in-app paths (below the base path) and their labels.
pub const NAV: [(&str, &str); 5] = [
    ("/config/users", "Users"),
    ("/activity", "Activity"),
    ("/explorer", "Explorer"),
    ("/token", "Token"),
    ("/flow", "Grant flow"),
];
pub const NOT_SIGNED_IN: &str = "Not signed in";
pub const FOOTER: &str = "Access tokens live in this browser session's tabs (sessionStorage) only; the refresh token stays sealed at the token proxy.";

/// What the static sign-in button says to screen readers until the app has started.
pub const LOADING: &str = "Loading the console…";
/// Shown only when JavaScript is off.
pub const NEEDS_JAVASCRIPT: &str =
    "wxcc-console runs in your browser: turn on JavaScript to sign in.";

/// The element that holds the static markup; the app replaces it.
pub const STATIC_ID: &str = "first-paint";
/// The element the app renders into.
pub const APP_ID: &str = "app";
const LOADING_ID: &str = "first-paint-loading";

/// Which page the static markup shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The signed-out start page: what `/` (and every address the host answers with the app's
    /// page) shows first.
    Start,
    /// The redirect URI while the code is exchanged.
    Callback,
}

/// The static markup of `page` for an app served below `base_path` (`/` or `/sub/`): the layout
/// (skip link, header, main, footer) as the app renders it when signed out, inside one element
/// the app replaces. No inline styles or scripts (the CSP allows neither).
pub fn markup(page: Page, base_path: &str) -> String {
    let href = |path: &str| format!("{base_path}{}", path.trim_start_matches('/'));
    let current = |is: bool| if is { "page" } else { "false" };
    let mut html = format!(
        "<div id=\"{STATIC_ID}\"><a class=\"skip\" href=\"#main\">{}</a>",
        text(SKIP_LINK)
    );
    html.push_str(&format!(
        "<header class=\"top\"><a href=\"{}\" class=\"brand\" aria-current=\"{}\">{}</a><nav aria-label=\"Main\">",
        attribute(&href("/")),
        current(page == Page::Start),
        text(APP_NAME)
    ));
    for (path, label) in NAV {
        html.push_str(&format!(
            "<a href=\"{}\" aria-current=\"false\">{}</a>",
            attribute(&href(path)),
            text(label)
        ));
    }
    html.push_str(&format!(
        "</nav><div class=\"session\"><span class=\"muted\">{}</span></div></header><main id=\"main\">",
        text(NOT_SIGNED_IN)
    ));
    match page {
        Page::Start => {
            html.push_str(&format!(
                "<section class=\"hero\"><h1>{}</h1><p class=\"lead\">{}</p>\
                 <noscript><p class=\"notice\">{}</p></noscript>\
                 <button class=\"primary\" disabled aria-describedby=\"{LOADING_ID}\">{}</button>\
                 <span id=\"{LOADING_ID}\" class=\"visually-hidden\">{}</span><ol class=\"steps\">",
                text(APP_NAME),
                text(LEAD),
                text(NEEDS_JAVASCRIPT),
                text(SIGN_IN),
                text(LOADING)
            ));
            for step in STEPS {
                html.push_str(&format!("<li>{}</li>", text(step)));
            }
            html.push_str("</ol></section>");
        }
        Page::Callback => html.push_str(&format!(
            "<p class=\"splash\" role=\"status\" data-testid=\"completing\">{}</p>\
             <noscript><p class=\"notice\">{}</p></noscript>",
            text(COMPLETING),
            text(NEEDS_JAVASCRIPT)
        )),
    }
    html.push_str(&format!(
        "</main><footer class=\"muted\">{}</footer></div>",
        text(FOOTER)
    ));
    html
}

fn text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn attribute(value: &str) -> String {
    text(value).replace('"', "&quot;")
}

#[cfg(target_family = "wasm")]
pub use takeover::{mount, reveal, reveal_when};

/// The swap from the static markup to the app.
#[cfg(target_family = "wasm")]
mod takeover {
    use std::cell::RefCell;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    use super::{APP_ID, STATIC_ID};

    thread_local! {
        /// The app's element while it is rendered off the page.
        static WAITING: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    }

    /// Mounts the app into its own element. While the page shows the static first paint, that
    /// element stays off the page until [`reveal`]; a page without it (`trunk serve`) shows the
    /// app at once.
    pub fn mount<F, N>(app: F)
    where
        F: FnOnce() -> N + 'static,
        N: IntoView,
    {
        let document = document();
        let root = document.create_element("div").expect("a <div>");
        root.set_id(APP_ID);
        if document.get_element_by_id(STATIC_ID).is_some() {
            WAITING.with(|waiting| *waiting.borrow_mut() = Some(root.clone()));
        } else {
            document
                .body()
                .expect("a <body>")
                .append_child(&root)
                .expect("appending the app");
        }
        leptos::mount::mount_to(root.unchecked_into(), app).forget();
    }

    /// Puts the app's element where the static markup is, in one DOM operation (the browser
    /// paints one or the other, never both or neither). Later calls do nothing.
    pub fn reveal() {
        let Some(root) = WAITING.with(|waiting| waiting.borrow_mut().take()) else {
            return;
        };
        let document = document();
        let swapped = document
            .get_element_by_id(STATIC_ID)
            .map(|static_page| static_page.replace_with_with_node_1(&root));
        if !matches!(swapped, Some(Ok(()))) {
            let _ = document.body().map(|body| body.append_child(&root));
        }
    }

    /// Reveals the app the first time `ready` is true: when it has something to show other than
    /// a "loading" state, which the static markup already shows better.
    pub fn reveal_when(ready: impl Fn() -> bool + 'static) {
        crate::load::effect(move || {
            if ready() {
                reveal();
            }
        });
    }
}

/// Run by `cargo test -p xtask`, which compiles this file natively.
#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    #[test]
    fn the_start_page_has_every_text_and_a_disabled_button() {
        let html = markup(Page::Start, "/");
        for text in [APP_NAME, LEAD, SIGN_IN, LOADING, NEEDS_JAVASCRIPT, FOOTER] {
            assert!(html.contains(text), "{text}");
        }
        for step in STEPS {
            assert!(html.contains(step), "{step}");
        }
        assert!(html.starts_with("<div id=\"first-paint\">"));
        assert!(html.contains("<button class=\"primary\" disabled"));
        assert!(html.contains("class=\"brand\" aria-current=\"page\""));
        assert!(!html.contains(COMPLETING));
    }

    #[test]
    fn the_callback_page_says_sign_in_is_completing() {
        let html = markup(Page::Callback, "/");
        assert!(html.contains(COMPLETING));
        assert!(!html.contains("<button"));
        assert!(html.contains("class=\"brand\" aria-current=\"false\""));
    }

    #[test]
    fn links_stay_below_the_base_path() {
        let html = markup(Page::Start, "/console/");
        assert!(html.contains("href=\"/console/\" class=\"brand\""));
        assert!(html.contains("href=\"/console/config/users\""));
        assert!(!html.contains("href=\"/token\""));
    }

    #[test]
    fn no_inline_style_or_script() {
        for page in [Page::Start, Page::Callback] {
            let html = markup(page, "/");
            assert!(!html.contains("style="));
            assert!(!html.contains("<script"));
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a < b & c"), "a &lt; b &amp; c");
        assert_eq!(attribute("\"x\""), "&quot;x&quot;");
    }
}
