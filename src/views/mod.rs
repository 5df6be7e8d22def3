//! The pages. Each reads the shared [`crate::ctx::Ctx`] from context.
//!
//! Size conventions (the wasm has a budget, see the README's Performance section):
//! - Reactive parts are written as closures *inside* `view!` (`{move || …}`, `attr=move || …`),
//!   also where a component's whole output is reactive (`view! { {move || match …} }`). With
//!   `erase_components` the macro then shares one renderer per output type; a closure passed in
//!   as a variable or returned bare instantiates the renderer again for its own type.
//! - Conditional parts are `move || if …` / `match` closures over a `Memo` rather than `<Show>`.
//! - Reactive text renders a `String`, reactive fragments, list items and optional parts an
//!   `AnyView` (`.into_any()` before `collect_view()`): every list and closure then shares one
//!   renderer instead of instantiating it for its own concrete view type.
//! - Fields that only matter on submit are plain form fields (`browser::submitted_values`).
//! - API answers stay `serde_json::Value`s read field by field (`wxcc_core::model`), not derived
//!   `Deserialize` types.

pub mod activity;
pub mod callback;
pub mod chart;
pub mod config_error;
pub mod edit;
pub mod edit_team;
pub mod explorer;
pub mod first_paint;
pub mod flow_view;
pub mod home;
pub mod inspector;
pub mod json_tree;
pub mod layout;
pub mod provision;
pub mod resource;
pub mod table;

use leptos::prelude::*;
use wxcc_core::api_error::ApiError;
use wxcc_core::scopes::Feature;

use crate::auth;
use crate::ctx::{Auth, use_ctx};
use crate::router::Link;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <Link to="/">"Go to the start page"</Link> "."</p>
        </section>
    }
}

/// The "Sign in with Webex" button: starts a fresh grant (new state and PKCE verifier).
#[component]
pub fn SignInButton(
    #[prop(into, default = first_paint::SIGN_IN.into())] label: String,
) -> impl IntoView {
    let ctx = use_ctx();
    let busy = crate::load::flag(move || ctx.auth.with(|a| matches!(a, Auth::Redirecting)));
    let remember = RwSignal::new(false);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(problem) = auth::signin::start(ctx, remember.get_untracked()).await {
                ctx.auth.set(Auth::SignedOut {
                    notice: Some(problem),
                });
            }
        });
    };
    // Offered only when the proxy's probe said it keeps sign-ins on a device (cookie mode).
    let keep = move || {
        let days = ctx.remember_days.get();
        (days > 0).then(|| {
            view! {
                <label class="remember">
                    <input type="checkbox" data-testid="remember" prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev)) />
                    {format!(" Keep me signed in on this device for {days} days")}
                </label>
            }
            .into_any()
        })
    };
    view! {
        <button class="primary" on:click=start prop:disabled=move || busy.get()>
            {move || if busy.get() { "Opening Webex…".to_string() } else { label.clone() }}
        </button>
        {keep}
    }
}

/// A failed API call: what happened, the status, the trackingId, and what to do.
#[component]
pub fn ApiErrorView(
    error: ApiError,
    #[prop(optional)] on_retry: Option<Callback<()>>,
    /// Moves the focus to the error when it appears (results of what the user just asked for,
    /// which may be below a long form), so they meet it first.
    #[prop(optional)]
    focus: bool,
    /// The feature the call was for: a 403 then names the scope and role it needs.
    #[prop(optional)]
    feature: Option<Feature>,
) -> impl IntoView {
    let retry = error.is_retryable().then_some(on_retry).flatten();
    let node = NodeRef::<leptos::html::Div>::new();
    if focus {
        crate::load::effect(move || {
            if let Some(element) = node.get() {
                let _ = element.focus();
            }
        });
    }
    view! {
        <div class="error" role="alert" tabindex="-1" node_ref=node data-testid="api-error" data-status=error.status>
            <h3>{error.title()}</h3>
            <p>{error.message.clone()}</p>
            <p>{error.what_to_do()}</p>
            {feature
                .filter(|_| error.kind == wxcc_core::api_error::ApiErrorKind::Forbidden)
                .map(|f| view! { <p data-testid="needs-scope">{f.forbidden_advice()}</p> }.into_any())}
            {error
                .tracking_id
                .clone()
                .map(|id| view! { <p class="tracking">"Tracking ID: " <code data-testid="tracking-id">{id}</code></p> }.into_any())}
            {retry.map(|cb| view! { <button on:click=move |_| cb.run(())>"Retry"</button> }.into_any())}
        </div>
    }
}

/// Shown instead of a view when the user is not signed in.
#[component]
pub fn NeedsSignIn() -> impl IntoView {
    let ctx = use_ctx();
    let notice = move || {
        ctx.auth.with(|a| match a {
            Auth::SignedOut { notice } => notice.clone(),
            _ => None,
        })
    };
    view! {
        <section class="card">
            <h1>"Sign in first"</h1>
            {move || notice().map(|text| view! { <p class="notice" role="status" data-testid="notice">{text}</p> }.into_any())}
            <p>"This page shows data from your Webex Contact Center organization, so it needs you to sign in."</p>
            <SignInButton />
        </section>
    }
}

/// Shows `children` only to a signed-in user whose sign-in was granted the feature's scope;
/// otherwise says what to do. It re-renders only when that answer changes, never on a token
/// refresh, so views keep their state while the session is kept fresh.
#[component]
pub fn Gate(
    #[prop(into)] title: String,
    #[prop(optional)] feature: Option<Feature>,
    children: ChildrenFn,
) -> impl IntoView {
    let ctx = use_ctx();
    let signed_in = crate::load::flag(move || ctx.signed_in());
    let granted = crate::load::flag(move || {
        ctx.granted(|scopes| feature.is_none_or(|f| f.is_available(scopes)))
    });
    view! {
        {move || match (signed_in.get(), granted.get(), feature) {
            (false, _, _) => view! { <NeedsSignIn /> }.into_any(),
            (true, false, Some(feature)) => view! {
                <section class="card" data-testid="scope-locked">
                    <h1>{title.clone()}</h1>
                    <p>{feature.how_to_unlock()}</p>
                </section>
            }
            .into_any(),
            _ => children().into_any(),
        }}
    }
}
