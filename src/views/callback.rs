//! The redirect URI: completes the grant, or explains exactly what went wrong.

use leptos::prelude::*;
use wxcc_core::callback::CallbackError;

use super::{SignInButton, first_paint};
use crate::auth;
use crate::browser::storage;
use crate::ctx::{Auth, SESSION_KEY, use_ctx};
use crate::router::use_router;

#[component]
pub fn CallbackPage() -> impl IntoView {
    let ctx = use_ctx();
    let router = use_router();
    leptos::task::spawn_local(async move {
        if let Some(path) = auth::callback::complete(ctx).await {
            router.replace(&path);
        }
    });
    view! {
        {move || {
            let failure = ctx.auth.with(|a| match a {
                Auth::Failed(error) => Some(error.clone()),
                _ => None,
            });
            match failure {
                Some(error) => view! { <FailureScreen error /> }.into_any(),
                None => view! { <p class="splash" role="status" data-testid="completing">{first_paint::COMPLETING}</p> }.into_any(),
            }
        }}
    }
}

/// One screen per failure: what happened, what to do, and "Sign in again". When this tab still
/// holds a session (a replayed callback, the back button), it also offers to carry on.
#[component]
pub fn FailureScreen(error: CallbackError) -> impl IntoView {
    let ctx = use_ctx();
    let router = use_router();
    let has_session = storage::get(SESSION_KEY).is_some();
    let resume = move |_| {
        auth::restore(ctx);
        router.replace("/");
    };
    view! {
        <section class="card failure" role="alert" data-testid="sign-in-failed" data-code=error.code()>
            <h1>{error.title()}</h1>
            <p>{error.what_to_do()}</p>
            <div class="actions">
                <SignInButton label="Sign in again" />
                {has_session.then(|| view! { <button on:click=resume>"Continue with your current session"</button> }.into_any())}
            </div>
        </section>
    }
}
