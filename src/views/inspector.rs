//! What the token says: masked token (reveal on demand), orgId and ciCluster, expiry countdowns,
//! granted vs requested scopes and what each unlocks.

use leptos::prelude::*;
use wxcc_core::expiry::format_remaining;
use wxcc_core::scopes::{features_unlocked_by, granted_vs_requested, scope_info};
use wxcc_core::session::{OrgSource, SessionRecord};

use super::NeedsSignIn;
use crate::auth::proxy::RefreshFailure;
use crate::auth::refresh;
use crate::ctx::{Auth, use_ctx};

#[component]
pub fn Inspector() -> impl IntoView {
    let ctx = use_ctx();
    let session = move || {
        ctx.auth.with(|a| match a {
            Auth::SignedIn(s) => Some(s.clone()),
            _ => None,
        })
    };
    // The details are rebuilt with every new token; what the user did (reveal, the outcome of
    // "Refresh now") lives out here so it survives the rebuild.
    let revealed = RwSignal::new(false);
    let refresh_status = RwSignal::new(String::new());
    view! {
        {move || match session() {
            Some(session) => view! { <TokenDetails session revealed refresh_status /> }.into_any(),
            None => view! { <NeedsSignIn /> }.into_any(),
        }}
    }
}

#[component]
fn TokenDetails(
    session: SessionRecord,
    revealed: RwSignal<bool>,
    refresh_status: RwSignal<String>,
) -> impl IntoView {
    let ctx = use_ctx();
    let token = session.access_token.clone();
    let shown_token = move || {
        if revealed.get() {
            token.secret().to_string()
        } else {
            token.mask()
        }
    };
    let access_at = session.access_expires_at_ms;
    let refresh_at = session.refresh_expires_at_ms;
    let access_left = move || {
        let now = ctx.now.get();
        format_remaining(access_at.saturating_sub(now))
    };
    let refresh_left = move || match refresh_at {
        Some(at) => format_remaining(at.saturating_sub(ctx.now.get())),
        None => "unknown (the proxy did not say)".into(),
    };
    let session_at = session.session_expires_at_ms;
    let session_kind = if session.session_persistent {
        "kept on this device (“Keep me signed in”): it survives closing the browser"
    } else {
        "this browser session: it ends when the browser closes, or at sign-out in any tab"
    };
    let session_left = move || match session_at {
        Some(at) => format!(
            "{} (the proxy's absolute limit; refreshing does not extend it)",
            format_remaining(at.saturating_sub(ctx.now.get()))
        ),
        None => "not limited by the proxy beyond the refresh token".into(),
    };
    let scopes_note = (!session.scopes_reported).then(|| {
        view! {
            <p class="muted" data-testid="scopes-not-reported">
                "Scopes not reported by Webex: the token response did not list them, so the requested scopes are \
                 shown as granted and each API answer decides (a 403 names the scope a view needs)."
            </p>
        }
        .into_any()
    });
    let org_source = match session.org_source {
        Some(OrgSource::Token) => "parsed from the access token (the part after its last “_”)",
        Some(OrgSource::PeopleApi) => {
            "from GET /v1/people/me: the token does not end in _<ciCluster>_<orgId>, so the orgId was looked up"
        }
        None => "not known yet (looking it up with GET /v1/people/me)",
    };
    let mode = if ctx.cookie_mode() {
        "sealed by the token proxy in an HttpOnly __Host- cookie (page JavaScript cannot read it)"
    } else {
        "sealed by the token proxy; this tab holds only an opaque, encrypted handle"
    };
    let refresh_now = move |_| {
        refresh_status.set("Refreshing…".into());
        leptos::task::spawn_local(async move {
            let text = match refresh::refresh(ctx).await {
                Ok(()) => "Refreshed.".to_string(),
                Err(RefreshFailure::SessionOver) => {
                    "The session has ended; sign in again.".to_string()
                }
                Err(RefreshFailure::Unavailable(e)) => format!("{} {}", e.title(), e.what_to_do()),
            };
            refresh_status.set(text);
        });
    };
    let comparison = granted_vs_requested(&session.granted_scopes, &session.requested_scopes);
    let scope_rows = comparison
        .granted
        .iter()
        .map(|s| (s.clone(), "granted"))
        .chain(
            comparison
                .missing
                .iter()
                .map(|s| (s.clone(), "requested, not granted")),
        )
        .chain(
            comparison
                .extra
                .iter()
                .map(|s| (s.clone(), "granted without being requested")),
        )
        .map(|(scope, status)| {
            let description = scope_info(&scope).map(|i| i.description).unwrap_or("—");
            let unlocks = features_unlocked_by(&scope)
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr data-testid="scope-row" data-scope=scope.clone() data-status=status>
                    <td><code>{scope.clone()}</code></td>
                    <td>{status}</td>
                    <td>{description}</td>
                    <td>{if unlocks.is_empty() { "—".to_string() } else { unlocks }}</td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section>
            <h1>"Token inspector"</h1>
            <dl class="facts">
                <dt>"Access token"</dt>
                <dd>
                    <code data-testid="access-token">{move || shown_token()}</code>
                    " "
                    <button aria-pressed=move || revealed.get().to_string() on:click=move |_| revealed.update(|r| *r = !*r)>
                        {move || if revealed.get() { "Hide" } else { "Reveal" }.to_string()}
                    </button>
                </dd>
                <dt>"orgId"</dt>
                <dd>
                    <code data-testid="inspector-org-id">{session.org_id.clone().unwrap_or_else(|| "—".into())}</code>
                    <span class="muted">" " {org_source}</span>
                </dd>
                <dt>"ciCluster"</dt>
                <dd><code data-testid="ci-cluster">{session.ci_cluster.clone().unwrap_or_else(|| "—".into())}</code></dd>
                <dt>"Access token expires in"</dt>
                <dd data-testid="access-expiry">{move || access_left()}</dd>
                <dt>"Refresh token expires in"</dt>
                <dd data-testid="refresh-expiry">{move || refresh_left()}</dd>
                <dt>"Refresh token"</dt>
                <dd>{mode}</dd>
                <dt>"Sign-in lasts"</dt>
                <dd data-testid="session-kind">{session_kind}</dd>
                <dt>"Sign-in ends in"</dt>
                <dd data-testid="session-expiry">{move || session_left()}</dd>
                <dt>"Refreshes in this tab"</dt>
                <dd data-testid="refresh-count">{move || ctx.refreshes.get().to_string()}</dd>
                <dd class="muted" data-testid="refresh-note">{move || ctx.refresh_note.get()}</dd>
                <dt>"API base"</dt>
                <dd><code data-testid="api-base">{session.region_or_api_base.url()}</code></dd>
            </dl>
            <p>
                <button on:click=refresh_now>"Refresh now"</button>
                " "
                <span role="status">{move || refresh_status.get()}</span>
            </p>
            <h2>"Scopes"</h2>
            {scopes_note}
            <table class="scopes">
                <thead>
                    <tr>
                        <th scope="col">"Scope"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Meaning"</th>
                        <th scope="col">"Unlocks"</th>
                    </tr>
                </thead>
                <tbody>{scope_rows}</tbody>
            </table>
        </section>
    }
}
