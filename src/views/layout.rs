//! Header with navigation and the session controls, the rate-limit banner, and the page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{self, Auth, use_ctx};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let ctx = use_ctx();
    let signed_in = move || matches!(ctx.auth.get(), Auth::SignedIn(_));
    let has_webex_logout = ctx.config.with_value(|c| c.logout_url.is_some());
    let sign_out = move |also_webex: bool| {
        leptos::task::spawn_local(async move {
            auth::sign_out(ctx, also_webex).await;
        })
    };
    let retry_in = move || {
        ctx.retry_until
            .get()
            .map(|until| until.saturating_sub(ctx.now.get()).div_ceil(1000).max(1))
    };
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="top">
            <A href="/" attr:class="brand">"wxcc-console"</A>
            <nav aria-label="Main">
                <A href="/config/users">"Users"</A>
                <A href="/activity">"Activity"</A>
                <A href="/explorer">"Explorer"</A>
                <A href="/token">"Token"</A>
                <A href="/flow">"Grant flow"</A>
            </nav>
            <div class="session">
                <Show when=signed_in fallback=|| view! { <span class="muted">"Not signed in"</span> }>
                    <button on:click=move |_| sign_out(false)>"Sign out"</button>
                    <Show when=move || has_webex_logout>
                        <button on:click=move |_| sign_out(true)>"Sign out of Webex too"</button>
                    </Show>
                </Show>
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
                })
        }}
        <main id="main">{children()}</main>
        <footer class="muted">
            "Tokens live in this tab's sessionStorage only; the refresh token stays sealed at the token proxy."
        </footer>
    }
}
