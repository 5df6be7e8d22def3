//! In-app navigation: the address as a signal, History API pushes, back/forward, and links.
//!
//! The console has nine flat pages ([`Route`]), matched by a pure function in `wxcc_core`. A
//! router crate's nested matcher, transitions and link machinery were a large share of the wasm
//! budget (the README's Performance section has the figure), so this small shell does the part the
//! app uses.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wxcc_core::route::{self, Route};

use crate::browser;

/// The address below the base path: `/config/users` and `page=2` (no leading `?`).
struct Address {
    path: String,
    search: String,
}

/// Provided through context by [`Router::provide`]; [`use_router`] reads it.
#[derive(Clone, Copy)]
pub struct Router {
    address: RwSignal<Address>,
    route: Memo<Route>,
}

impl Router {
    /// Reads the current address, follows the back and forward buttons, and provides the router.
    pub fn provide() -> Router {
        let address = RwSignal::new(current_address());
        let route = Memo::new(move |_| address.with(|a| Route::parse(&a.path)));
        let on_pop = Closure::<dyn Fn()>::new(move || address.set(current_address()));
        let _ = browser::window()
            .add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_pop.forget();
        let router = Router { address, route };
        provide_context(router);
        router
    }

    /// The page for the current address (tracked: changes only when the page does).
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// The current query string without `?` (tracked).
    pub fn search(&self) -> String {
        self.address.with(|a| a.search.clone())
    }

    /// One query parameter, decoded (tracked).
    pub fn query(&self, key: &str) -> Option<String> {
        self.address.with(|a| route::query_value(&a.search, key))
    }

    /// Opens an in-app address (`/config/users?page=2`) as a new history entry, at the top.
    pub fn go(&self, to: &str) {
        self.navigate(to, false);
        browser::window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Replaces the current history entry (after the callback: the code must not stay in history).
    pub fn replace(&self, to: &str) {
        self.navigate(to, true);
    }

    fn navigate(&self, to: &str, replace: bool) {
        let url = browser::app_href(to);
        if replace {
            browser::replace_url(&url);
        } else {
            browser::push_url(&url);
        }
        self.address.set(current_address());
    }

    /// True when `path` (no query) is the page shown, for `aria-current` (tracked).
    fn is_current(&self, path: &str) -> bool {
        self.address
            .with(|a| a.path.trim_end_matches('/') == path.trim_end_matches('/'))
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

fn current_address() -> Address {
    let location = browser::window().location();
    let pathname = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    Address {
        // A path outside the base matches no page, so the app shows "not found".
        path: route::strip_base(&pathname, &browser::base_path())
            .unwrap_or(&pathname)
            .to_string(),
        search: search.trim_start_matches('?').to_string(),
    }
}

/// A link to an in-app address (`to="/token"`): a real `<a href>` below the base path, so it can
/// be opened in a new tab, but a plain click navigates without reloading the app.
#[component]
pub fn Link(
    #[prop(into)] to: String,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let href = browser::app_href(&to);
    let path = to.split('?').next().unwrap_or_default().to_string();
    let click = move |ev: leptos::ev::MouseEvent| {
        let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
        if ev.default_prevented() || ev.button() != 0 || modified {
            return;
        }
        ev.prevent_default();
        router.go(&to);
    };
    // `aria-current="false"` is ARIA's explicit default (not the current page); always writing a
    // string keeps this attribute on the renderer every other string attribute shares.
    view! {
        <a href=href class=class aria-current=move || if router.is_current(&path) { "page" } else { "false" }.to_string() on:click=click>
            {children()}
        </a>
    }
}
