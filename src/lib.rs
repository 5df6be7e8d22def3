//! wxcc-console: sign in to Webex Contact Center from a static page and call its APIs from the
//! browser. This crate is the thin browser shell; the decisions live in `wxcc_core`.

pub mod api;
pub mod auth;
pub mod browser;
pub mod config_loader;
pub mod ctx;
pub mod flow;
pub mod http;
pub mod load;
pub mod resources;
pub mod router;
pub mod tabs;
pub mod views;

use std::time::Duration;

use leptos::prelude::*;
use wxcc_core::config::AppConfig;
use wxcc_core::route::Route;

use auth::refresh;
use ctx::{Auth, Ctx};
use views::{
    activity::ActivityPage, callback::CallbackPage, config_error::ConfigErrorPage,
    explorer::ExplorerPage, flow_view::FlowView, home::Home, inspector::Inspector, layout::Layout,
    provision::ProvisionPage, resource::ResourcePage,
};

/// Loads `config.json`, then either the console or a page that says what is wrong with it.
#[component]
pub fn App() -> impl IntoView {
    browser::mark("wxcc:wasm-start");
    let config = load::load(|| (), |()| config_loader::load());
    // The page's static first paint stays until the app has something better to show: a broken
    // config at once, else what the console shows once the session is known (views::first_paint).
    views::first_paint::reveal_when(move || matches!(config.get(), Some(Err(_))));
    view! {
        {move || match config.get() {
            None => view! { <p class="splash" role="status">"Loading wxcc-console…"</p> }.into_any(),
            Some(Ok(config)) => view! { <Console config /> }.into_any(),
            Some(Err(problem)) => view! { <ConfigErrorPage problem /> }.into_any(),
        }}
    }
}

#[component]
fn Console(config: AppConfig) -> impl IntoView {
    let ctx = Ctx::new(config);
    provide_context(ctx);
    let router = router::Router::provide();
    // On the redirect URI the callback page signs in; everywhere else the tab's session resumes.
    auth::shared::join(ctx);
    views::first_paint::reveal_when(move || ctx.auth.with(|a| *a != Auth::Restoring));
    if untrack(|| router.route()) != Route::Callback {
        auth::restore(ctx);
    }
    api::start_scheduler(ctx);
    api::look_up_org_when_needed(ctx);
    set_interval(
        move || {
            ctx.now.set(browser::now_ms());
            refresh::tick(ctx);
        },
        Duration::from_secs(1),
    );
    browser::on_wake(move || refresh::tick(ctx));
    view! {
        <Layout>
            {move || match router.route() {
                Route::Home => view! { <Home /> }.into_any(),
                Route::Callback => view! { <CallbackPage /> }.into_any(),
                Route::Token => view! { <Inspector /> }.into_any(),
                Route::Flow => view! { <FlowView /> }.into_any(),
                Route::Config { slug, id } => view! { <ResourcePage slug id /> }.into_any(),
                Route::Activity => view! { <ActivityPage /> }.into_any(),
                Route::Explorer => view! { <ExplorerPage /> }.into_any(),
                Route::Provision => view! { <ProvisionPage /> }.into_any(),
                Route::NotFound => view! { <views::NotFound /> }.into_any(),
            }}
        </Layout>
    }
}
