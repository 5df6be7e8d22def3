//! Signing in and out: the grant (`signin`, `callback`), the token proxy (`proxy`), keeping the
//! access token fresh (`refresh`), and restoring a session when the app starts. The state they
//! change lives in [`crate::ctx`].

pub mod callback;
pub mod proxy;
pub mod refresh;
pub mod signin;

use leptos::prelude::*;
use wxcc_core::session::SessionRecord;

use crate::browser::storage;
use crate::ctx::{Auth, Ctx, SESSION_KEY};
use crate::flow::{self, FlowLog};

/// sessionStorage key of the sign-in in progress (state, PKCE verifier), read at the callback.
pub const PENDING_KEY: &str = "wxcc.pending";

/// Points the session at another region (or back at the configured API base), for this tab.
pub fn switch_api_base(ctx: Ctx, base: wxcc_core::config::ApiBase) {
    if let Some(mut session) = ctx.session() {
        session.region_or_api_base = base;
        ctx.set_session(session);
    }
}

/// Called once at start-up (not on the callback page): the tab's stored session, else a silent
/// restore through the proxy's cookie, else signed out.
pub fn restore(ctx: Ctx) {
    match storage::get(SESSION_KEY).map(|text| SessionRecord::decode(&text)) {
        Some(Ok(session)) => ctx.auth.set(Auth::SignedIn(session)),
        Some(Err(problem)) => ctx.end_session(problem.notice()),
        None if ctx.cookie_mode() => {
            leptos::task::spawn_local(async move {
                match refresh::restore_from_cookie(ctx).await {
                    Some(session) => ctx.set_session(session),
                    None => ctx.auth.set(Auth::SignedOut { notice: None }),
                }
            });
        }
        None => ctx.auth.set(Auth::SignedOut { notice: None }),
    }
}

/// Clears this tab's session, asks the proxy to drop the sealed refresh token, and optionally
/// continues to Webex's own logout page.
pub async fn sign_out(ctx: Ctx, also_webex: bool) {
    storage::remove(SESSION_KEY);
    flow::clear();
    let config = ctx.config.get_value();
    proxy::logout(&config).await;
    ctx.flow.set(FlowLog::default());
    ctx.auth.set(Auth::SignedOut {
        notice: Some("You are signed out.".into()),
    });
    if also_webex && let Some(url) = &config.logout_url {
        let _ = crate::browser::navigate_away(url);
    }
}
