//! The session's absolute end binds the browser too: whatever the access token's own lifetime,
//! a tab stops using it when the proxy's session ends (its `session_expires_in`, kept in the
//! session record), and says when. Checked when a tab restores its session, when it adopts
//! another tab's, and on its one-second tick; [`crate::ctx::Ctx::session`] hands out no session
//! past its end, so no call goes out with its token in between.

use wxcc_core::session::{SessionRecord, ended_notice};

use leptos::prelude::*;

use crate::browser;
use crate::ctx::{Auth, Ctx};

/// What a tab says about a session whose end has come: "Your session ended at 20:00 — sign in
/// again", the time as the browser's locale writes it.
pub fn notice(session: &SessionRecord) -> String {
    let at = session
        .session_expires_at_ms
        .unwrap_or_else(browser::now_ms);
    ended_notice(&browser::format_hour(at))
}

/// Ends this tab's session if its end has come; true when it did.
pub fn check(ctx: Ctx) -> bool {
    let now = browser::now_ms();
    let ended = ctx.auth.with_untracked(|a| match a {
        Auth::SignedIn(session) if session.has_ended(now) => Some(notice(session)),
        _ => None,
    });
    match ended {
        Some(notice) => {
            ctx.end_session(notice);
            true
        }
        None => false,
    }
}
