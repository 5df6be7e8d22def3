//! Signing in and out: the grant (`signin`, `callback`), the token proxy (`proxy`), keeping the
//! access token fresh (`refresh`), and restoring a session when the app starts. The state they
//! change lives in [`crate::ctx`].

pub mod callback;
pub mod dpop;
pub mod end;
mod key_store;
pub mod proxy;
pub mod refresh;
pub mod shared;
pub mod signin;

use std::cell::RefCell;

use leptos::prelude::*;
use wxcc_core::secret::RefreshHandle;
use wxcc_core::session::SessionRecord;

use wxcc_core::tab_message::TabMessage;

use crate::browser::storage;
use crate::ctx::{Auth, Ctx, SESSION_KEY};
use crate::flow::{self, FlowLog};
use crate::tabs;

/// sessionStorage key of the sign-in in progress (state, PKCE verifier), read at the callback.
pub const PENDING_KEY: &str = "wxcc.pending";

/// Points the session at another region (or back at the configured API base), for this tab.
pub fn switch_api_base(ctx: Ctx, base: wxcc_core::config::ApiBase) {
    if let Some(mut session) = ctx.session() {
        session.region_or_api_base = base;
        ctx.set_session(session);
    }
}

/// How long a new tab waits for an open signed-in tab to hand over the session.
const ADOPT_WAIT_MS: u32 = 1_000;

/// Called once at start-up (not on the callback page): the tab's stored session, else the session
/// of another open tab, else a quiet probe of the proxy's cookie, else signed out.
pub fn restore(ctx: Ctx) {
    match storage::get(SESSION_KEY).map(|text| SessionRecord::decode(&text)) {
        // Past its end (a reload or a tab restored after the end): it ends here, saying when.
        Some(Ok(session)) if session.has_ended(crate::browser::now_ms()) => {
            ctx.end_session(end::notice(&session))
        }
        // Signed out in another tab while this one was closed or loading: it ends here too.
        Some(Ok(session)) if shared::ended_elsewhere(&session) => {
            ctx.end_session(refresh::ENDED_ELSEWHERE)
        }
        Some(Ok(session)) => ctx.auth.set(Auth::SignedIn(session)),
        Some(Err(problem)) => ctx.end_session(problem.notice()),
        None => leptos::task::spawn_local(async move {
            if shared::signed_in_elsewhere().await && shared::ask_for_session(ADOPT_WAIT_MS).await {
                return;
            }
            if ctx.cookie_mode() {
                refresh::restore_from_cookie(ctx).await;
            } else {
                ctx.auth.set(Auth::SignedOut { notice: None });
            }
        }),
    }
}

/// What "Retry sign-out" needs in handle mode: the handle the proxy should revoke and the key
/// whose proof it asks for (kept, with the key itself, until a `/logout` succeeds).
#[derive(Clone, Default)]
struct UnfinishedSignOut {
    handle: Option<RefreshHandle>,
    key_thumbprint: Option<String>,
}

thread_local! {
    static UNFINISHED: RefCell<UnfinishedSignOut> = RefCell::default();
}

/// Ends the session in every tab: waits for any refresh in flight in any tab (so none can set a
/// fresh cookie after it), clears every tab's copy, then asks the proxy to revoke the session
/// (the cookie names it, or in handle mode the handle with its key's proof), and optionally
/// continues to Webex's own logout page. A failed `/logout` is shown with a retry
/// ([`Ctx::sign_out_problem`]).
pub async fn sign_out(ctx: Ctx, also_webex: bool) {
    let result = tabs::exclusive(shared::REFRESH_LOCK, |_| async move {
        let config = ctx.config.get_value();
        // Read before the session is cleared: what the proxy revokes, in handle mode.
        let unfinished = ctx.auth.with_untracked(|a| match a {
            Auth::SignedIn(s) => UnfinishedSignOut {
                handle: s.refresh_handle.clone(),
                key_thumbprint: s.key_thumbprint.clone(),
            },
            _ => UnfinishedSignOut::default(),
        });
        ctx.end_session("You are signed out.");
        shared::note_ended();
        flow::clear();
        ctx.flow.set(FlowLog::default());
        shared::tell(&TabMessage::SignedOut(
            "You signed out in another tab.".into(),
        ));
        revoke(&config, unfinished).await
    })
    .await;
    finish_sign_out(ctx, result);
    let webex_logout = ctx.config.with_value(|c| c.logout_url.clone());
    if also_webex
        && ctx.sign_out_problem.with_untracked(String::is_empty)
        && let Some(url) = webex_logout
    {
        let _ = crate::browser::navigate_away(&url);
    }
}

/// "Retry sign-out" after a failed `/logout`: the same request again, with a fresh proof.
pub async fn retry_sign_out(ctx: Ctx) {
    let config = ctx.config.get_value();
    let unfinished = UNFINISHED.with_borrow(Clone::clone);
    finish_sign_out(ctx, revoke(&config, unfinished).await);
}

/// `POST /logout` for `unfinished`; the key goes once the proxy has the sign-out (nothing of the
/// session can be proven from this browser then), and stays for a retry when it does not.
async fn revoke(
    config: &wxcc_core::config::AppConfig,
    unfinished: UnfinishedSignOut,
) -> Result<(), String> {
    let proof = dpop::proof_for(
        config,
        wxcc_core::proxy_protocol::LOGOUT_PATH,
        unfinished.key_thumbprint.as_deref(),
    )
    .await
    .unwrap_or_else(|problem| {
        leptos::logging::warn!("sign-out goes without a proof: {problem:?}");
        None
    });
    let result = proxy::logout(config, unfinished.handle.as_ref(), proof.as_ref()).await;
    if result.is_ok() {
        dpop::forget().await;
        UNFINISHED.set(UnfinishedSignOut::default());
    } else {
        UNFINISHED.set(unfinished);
    }
    result
}

fn finish_sign_out(ctx: Ctx, result: Result<(), String>) {
    ctx.sign_out_problem.set(result.err().unwrap_or_default());
}
