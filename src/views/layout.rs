//! Header with navigation and the session controls, the rate-limit banner, the API budget's
//! queue, and the page.

use leptos::prelude::*;

use super::first_paint;
use crate::auth;
use crate::ctx::{Auth, use_ctx};
use crate::router::Link;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let ctx = use_ctx();
    // A memo, so a refreshed session (a new `Auth::SignedIn`) does not rebuild the controls.
    let signed_in = crate::load::flag(move || ctx.signed_in());
    let can_provision = crate::load::flag(move || {
        ctx.granted(|scopes| wxcc_core::scopes::Feature::ConfigWrite.is_available(scopes))
    });
    // Fixed by config.json for the life of the page: plain values, not reactive.
    let has_webex_logout = ctx.config.with_value(|c| c.logout_url.is_some());
    let has_region = ctx.config.with_value(|c| c.api_base.region().is_some());
    let sign_out = move |also_webex: bool| {
        leptos::task::spawn_local(async move {
            auth::sign_out(ctx, also_webex).await;
        })
    };
    // The 429's pause, shared by every tab: shown while it lies ahead, hidden once it has passed.
    let retry_in = move || {
        let until = ctx.retry_until.get();
        let now = ctx.now.get();
        (until > now).then(|| (until - now).div_ceil(1000).max(1))
    };
    view! {
        <a class="skip" href="#main">{first_paint::SKIP_LINK}</a>
        <header class="top">
            <Link to="/" class="brand">{first_paint::APP_NAME}</Link>
            <nav aria-label="Main">
                {first_paint::NAV.iter().map(|(to, label)| view! { <Link to=*to>{*label}</Link> }.into_any()).collect_view()}
                // Only for a sign-in that may write: the static first paint never shows it.
                {move || can_provision.get().then(|| view! { <Link to="/provision">"Provision"</Link> }.into_any())}
            </nav>
            <div class="session">
                {move || {
                    if !signed_in.get() {
                        return view! { <span class="muted">{first_paint::NOT_SIGNED_IN}</span> }.into_any();
                    }
                    view! {
                        {has_region.then(|| view! { <RegionSwitcher /> }.into_any())}
                        <button on:click=move |_| sign_out(false)>"Sign out"</button>
                        {has_webex_logout
                            .then(|| view! { <button on:click=move |_| sign_out(true)>"Sign out of Webex too"</button> }.into_any())}
                    }
                    .into_any()
                }}
            </div>
        </header>
        {move || {
            retry_in()
                .map(|secs| {
                    view! {
                        <p class="banner" role="status" data-testid="rate-limited">
                            "Webex asked us to slow down (HTTP 429). Retrying in " {secs} " s…"
                        </p>
                    }
                    .into_any()
                })
        }}
        <BudgetQueue />
        {move || {
            let problem = ctx.sign_out_problem.get();
            (!problem.is_empty())
                .then(|| {
                    let retry = move |_| leptos::task::spawn_local(auth::retry_sign_out(ctx));
                    view! {
                        <div class="banner error" role="alert" data-testid="sign-out-failed">
                            <p>{problem}</p>
                            <button on:click=retry>"Retry sign-out"</button>
                        </div>
                    }
                    .into_any()
                })
        }}
        <main id="main">{children()}</main>
        <footer class="muted">{first_paint::FOOTER}</footer>
    }
}

/// Calls of this tab waiting for a token of the shared API budget: said, never a silent stall.
#[component]
fn BudgetQueue() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let queued = ctx.api_queued.get();
        (queued > 0).then(|| {
            let requests = if queued == 1 { "request" } else { "requests" };
            view! {
                <p class="banner" role="status" data-testid="api-budget">
                    {format!("Waiting for the API budget: {queued} {requests} queued")}
                </p>
            }
        })
    }
}

/// Which Contact Center region this tab calls (remembered in the session). Shown only when
/// config.json names a region: with an explicit `api_base_url` the deployment's CSP allows that one
/// host, so offering the regional hosts would only produce blocked requests.
#[component]
fn RegionSwitcher() -> impl IntoView {
    use wxcc_core::config::{ApiBase, Region};
    let ctx = use_ctx();
    let change = move |ev: leptos::ev::Event| {
        if let Ok(region) = event_target_value(&ev).parse::<Region>() {
            auth::switch_api_base(ctx, ApiBase::Region(region));
        }
    };
    view! {
        <label class="region">
            "Region "
            <select data-testid="region" on:change=change prop:value=move || {
                ctx.auth.with(|a| match a {
                    Auth::SignedIn(s) => s.region_or_api_base.to_string(),
                    _ => String::new(),
                })
            }>
                {Region::ALL
                    .iter()
                    .map(|r| view! { <option value=r.code()>{format!("{} ({})", r.label(), r.code())}</option> }.into_any())
                    .collect_view()}
            </select>
        </label>
    }
}
