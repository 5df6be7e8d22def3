//! The start page: a landing page when signed out, the organization overview when signed in.

use leptos::prelude::*;

use super::{ApiErrorView, SignInButton, first_paint};
use crate::ctx::{Auth, use_ctx};
use crate::resources::{RESOURCES, Resource};
use crate::router::Link;
use crate::views::callback::FailureScreen;
use wxcc_core::callback::CallbackError;
use wxcc_core::model::{ListPage, PeopleMe};

/// The auth state without the session's contents: the start page changes with this, not with
/// every token refresh (which would refetch the whole overview).
#[derive(Clone, PartialEq)]
enum Phase {
    Busy(&'static str),
    SignedOut(Option<String>),
    Failed(CallbackError),
    SignedIn,
}

#[component]
pub fn Home() -> impl IntoView {
    let ctx = use_ctx();
    let phase = Memo::new(move |_| {
        ctx.auth.with(|a| match a {
            Auth::Restoring => Phase::Busy("Looking for your session…"),
            Auth::Redirecting => Phase::Busy("Opening Webex sign-in…"),
            Auth::Exchanging => Phase::Busy("Completing sign-in…"),
            Auth::SignedOut { notice } => Phase::SignedOut(notice.clone()),
            Auth::Failed(error) => Phase::Failed(error.clone()),
            Auth::SignedIn(_) => Phase::SignedIn,
        })
    });
    view! {
        {move || match phase.get() {
            Phase::Busy(text) => view! { <p class="splash" role="status">{text}</p> }.into_any(),
            Phase::SignedOut(notice) => view! { <Landing notice /> }.into_any(),
            Phase::Failed(error) => view! { <FailureScreen error /> }.into_any(),
            Phase::SignedIn => view! { <Overview /> }.into_any(),
        }}
    }
}

#[component]
fn Landing(notice: Option<String>) -> impl IntoView {
    view! {
        <section class="hero">
            <h1>{first_paint::APP_NAME}</h1>
            <p class="lead">{first_paint::LEAD}</p>
            {notice.map(|text| view! { <p class="notice" role="status" data-testid="notice">{text}</p> }.into_any())}
            <SignInButton />
            <ol class="steps">
                {first_paint::STEPS.iter().map(|step| view! { <li>{*step}</li> }.into_any()).collect_view()}
            </ol>
        </section>
    }
}

/// The organization at a glance: one call per tile, the counts served from the answers the tabs
/// keep while they are fresh.
#[component]
fn Overview() -> impl IntoView {
    let ctx = use_ctx();
    let org = move || {
        ctx.auth.with(|a| match a {
            Auth::SignedIn(s) => s.org_id.clone().unwrap_or_else(|| "looking up…".into()),
            _ => String::new(),
        })
    };
    // Pressing "Refresh counts" bumps this: every tile asks the API again, whatever the tabs keep.
    let refreshes = RwSignal::new(0u32);
    view! {
        <section>
            <h1>"Your organization"</h1>
            <p class="muted">
                "orgId " <code data-testid="org-id">{move || org()}</code> " "
                <button type="button" data-testid="refresh-counts" on:click=move |_| refreshes.update(|n| *n += 1)>
                    "Refresh counts"
                </button>
            </p>
            <div class="tiles">
                {RESOURCES.iter().map(|resource| view! { <CountTile resource refreshes /> }).collect_view()}
                <ProfileTile />
            </div>
            <p>
                <Link to="/token">"Inspect the token"</Link> " · " <Link to="/flow">"See how you signed in"</Link>
            </p>
        </section>
    }
}

/// One resource's total, from `meta.totalRecords` of a one-item page (the cheapest call a list
/// allows), in the background: it yields to the lists and records the person opens.
#[component]
fn CountTile(resource: &'static Resource, refreshes: RwSignal<u32>) -> impl IntoView {
    let ctx = use_ctx();
    let feature = resource.feature;
    // A memo: a token refresh (a new `Auth::SignedIn`) must not rebuild the tile.
    let granted = crate::load::flag(move || ctx.granted(|scopes| feature.is_available(scopes)));
    // The API target, not the session: a token refresh must not refetch every tile.
    let source = move || (granted.get(), ctx.api_target.get(), refreshes.get());
    let count = crate::load::load(source, move |(granted, _target, refreshed)| async move {
        if !granted {
            return None;
        }
        let call = if refreshed > 0 {
            crate::api::Call::BACKGROUND.refreshed()
        } else {
            crate::api::Call::BACKGROUND
        };
        let org = crate::api::org_id(ctx).ok()?;
        Some(
            crate::api::get_with(
                ctx,
                &format!("/organization/{org}/{}?page=0&pageSize=1", resource.api),
                call,
            )
            .await,
        )
    });
    let label = resource.label;
    let link = format!("/config/{}", resource.slug);
    view! {
        <article class="tile" data-testid=format!("tile-{label}")>
            <h2>{label}</h2>
            {move || {
                if !granted.get() {
                    return view! { <p class="locked" data-testid="scope-locked">{feature.how_to_unlock()}</p> }
                        .into_any();
                }
                view! {
                {move || match count.get() {
                    None => view! { <p class="count muted">"…"</p> }.into_any(),
                    Some(None) => ().into_any(),
                    Some(Some(result)) => match result {
                        Ok(call) => {
                            let page = ListPage::from_value(&call.json);
                            let total = page.meta.total_records.unwrap_or(page.data.len() as u64);
                            // Read by the sign-in latency benchmark.
                            crate::browser::mark_once("wxcc:first-data-rendered");
                            view! { <p class="count">{total}</p> }.into_any()
                        }
                        Err(error) => view! { <ApiErrorView error /> }.into_any(),
                    },
                }}
                <Link to=link.clone()>{format!("Open {}", label.to_ascii_lowercase())}</Link>
                }
                .into_any()
            }}
        </article>
    }
}

/// The signed-in person, from the identity API (`/v1/people/me`).
#[component]
fn ProfileTile() -> impl IntoView {
    let ctx = use_ctx();
    let me = crate::load::load(
        || (),
        move |()| async move {
            // The identity API does not depend on the region.
            let url = format!(
                "{}/people/me",
                ctx.config.with_value(|c| c.identity_api_base_url.clone())
            );
            crate::api::get_absolute(ctx, &url).await
        },
    );
    view! {
        <article class="tile" data-testid="tile-profile">
            <h2>"You"</h2>
            {move || match me.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(result) => match result {
                    Ok(call) => {
                        let me = PeopleMe::from_value(&call.json);
                        let name = me.display_name.unwrap_or_else(|| "—".into());
                        let email = me.emails.first().cloned().unwrap_or_default();
                        view! {
                            <p class="name">{name}</p>
                            <p class="muted">{email}</p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                },
            }}
        </article>
    }
}
