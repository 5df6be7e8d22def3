//! wxcc-console: sign in to Webex Contact Center from a static page and call its APIs from the
//! browser. This crate is the thin browser shell; the decisions live in `wxcc_core`.

pub mod api;
pub mod auth;
pub mod browser;
pub mod config_loader;
pub mod flow;
pub mod http;
pub mod resources;
pub mod views;

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wxcc_core::config::AppConfig;

use auth::{Ctx, refresh};
use views::{
    activity::ActivityPage, callback::CallbackPage, config_error::ConfigErrorPage,
    explorer::ExplorerPage, flow_view::FlowView, home::Home, inspector::Inspector, layout::Layout,
    resource::ResourcePage,
};

/// Loads `config.json`, then either the console or a page that says what is wrong with it.
#[component]
pub fn App() -> impl IntoView {
    browser::mark("wxcc:wasm-start");
    let config = LocalResource::new(config_loader::load);
    view! {
        <Suspense fallback=|| view! { <p class="splash" role="status">"Loading wxcc-console…"</p> }>
            {move || {
                config
                    .get()
                    .map(|loaded| match loaded {
                        Ok(config) => view! { <Console config /> }.into_any(),
                        Err(problem) => view! { <ConfigErrorPage problem /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Console(config: AppConfig) -> impl IntoView {
    let ctx = Ctx::new(config);
    provide_context(ctx);
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    if !path.trim_end_matches('/').ends_with("/callback") {
        auth::restore(ctx);
    }
    set_interval(
        move || {
            ctx.now.set(browser::now_ms());
            refresh::tick(ctx);
        },
        Duration::from_secs(1),
    );
    browser::on_wake(move || refresh::tick(ctx));
    let base = browser::base_path();
    let base = base.trim_end_matches('/').to_string();
    view! {
        <Router base>
            <Layout>
                <Routes fallback=|| view! { <views::NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/callback") view=CallbackPage />
                    <Route path=path!("/token") view=Inspector />
                    <Route path=path!("/flow") view=FlowView />
                    <Route path=path!("/config/:resource") view=ResourcePage />
                    <Route path=path!("/config/:resource/:id") view=ResourcePage />
                    <Route path=path!("/activity") view=ActivityPage />
                    <Route path=path!("/explorer") view=ExplorerPage />
                </Routes>
            </Layout>
        </Router>
    }
}
