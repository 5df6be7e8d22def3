//! One sign-in for every tab of the origin. Each tab keeps its own copy of the session in its
//! sessionStorage; this module keeps the copies in step over a BroadcastChannel
//! (`wxcc_core::tab_message`): a sign-in or a refreshed token is handed to every open tab, a
//! sign-out or an ended session ends it in every tab, and a new tab asks an open one for the
//! session instead of calling the proxy. Signed-in tabs hold a shared Web Lock, so a new tab knows
//! whether asking is worth waiting for.

use std::cell::RefCell;

use futures::channel::oneshot;
use leptos::prelude::*;
use wxcc_core::secret::AccessToken;
use wxcc_core::session::SessionRecord;
use wxcc_core::tab_message::TabMessage;

use crate::browser;
use crate::ctx::{Auth, Ctx};
use crate::tabs::{self, Channel, Presence};

/// The exclusive lock around every refresh and sign-out of the origin.
pub const REFRESH_LOCK: &str = "wxcc.refresh";
/// Held (shared) by every signed-in tab.
const SIGNED_IN_LOCK: &str = "wxcc.signed-in";
const CHANNEL_NAME: &str = "wxcc.session";
/// When the newest access token of the origin was issued, and when a session last ended (signed
/// out, or its refresh token refused): read by a tab that may have missed the news.
const TOKEN_AT_KEY: &str = "wxcc.token-at";
const ENDED_AT_KEY: &str = "wxcc.ended-at";

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
    static PRESENCE: RefCell<Option<Presence>> = const { RefCell::new(None) };
    /// Tabs waiting in `ask_for_session`, woken when a session arrives.
    static WAITING: RefCell<Vec<oneshot::Sender<()>>> = const { RefCell::new(Vec::new()) };
}

/// Joins the origin's channel (once, at start-up) and keeps this tab's presence in step with its
/// sign-in state.
pub fn join(ctx: Ctx) {
    if let Some(channel) = Channel::open(CHANNEL_NAME) {
        channel.listen(move |text| {
            if let Some(message) = TabMessage::decode(&text) {
                receive(ctx, message);
            }
        });
        CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
    }
    let signed_in = crate::load::flag(move || ctx.signed_in());
    crate::load::effect(move || {
        if signed_in.get() {
            leptos::task::spawn_local(async move {
                let presence = tabs::announce(SIGNED_IN_LOCK).await;
                // Signed out again while the lock was being granted: let it go at once.
                if ctx.auth.with_untracked(|a| matches!(a, Auth::SignedIn(_))) {
                    PRESENCE.with(|p| p.borrow_mut().replace(presence).map(Presence::release));
                } else {
                    presence.release();
                }
            });
        } else if let Some(presence) = PRESENCE.with(|p| p.borrow_mut().take()) {
            presence.release();
        }
    });
}

/// Tells every other tab.
pub fn tell(message: &TabMessage) {
    CHANNEL.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            channel.post(&message.encode());
        }
    });
}

/// Tells every other tab about this tab's current session.
pub fn tell_session(ctx: Ctx) {
    if let Some(session) = ctx.session() {
        tell(&TabMessage::Session(session.encode()));
    }
}

fn receive(ctx: Ctx, message: TabMessage) {
    match message {
        TabMessage::Hello => tell_session(ctx),
        TabMessage::Session(text) => {
            if let Ok(session) = SessionRecord::decode(&text) {
                adopt(ctx, session);
            }
        }
        TabMessage::SignedOut(notice) => {
            let had_session = ctx
                .auth
                .with_untracked(|a| matches!(a, Auth::SignedIn(_) | Auth::Restoring));
            if had_session {
                ctx.end_session(notice);
            }
        }
    }
}

/// Takes another tab's session: after its sign-in or refresh, or as the answer to `Hello`. A tab
/// in the middle of its own sign-in keeps to it; a signed-in tab keeps its own region choice.
fn adopt(ctx: Ctx, mut session: SessionRecord) {
    // A session past its end is adopted by no tab (the sender's own tick ends it there).
    if session.has_ended(browser::now_ms()) {
        return;
    }
    let adopt = ctx.auth.with_untracked(|a| match a {
        Auth::SignedIn(current) => {
            if current.access_token.secret() == session.access_token.secret() {
                return false;
            }
            session.region_or_api_base = current.region_or_api_base.clone();
            if session.org_id.is_none() {
                session.org_id = current.org_id.clone();
                session.org_source = current.org_source;
            }
            true
        }
        Auth::Restoring | Auth::SignedOut { .. } => true,
        Auth::Redirecting | Auth::Exchanging | Auth::Failed(_) => false,
    });
    if adopt {
        ctx.set_session(session);
        WAITING.with(|w| {
            for waiter in w.borrow_mut().drain(..) {
                let _ = waiter.send(());
            }
        });
    }
}

/// Whether a signed-in tab of this origin is open now (its shared lock is held).
pub async fn signed_in_elsewhere() -> bool {
    tabs::held(SIGNED_IN_LOCK).await
}

/// Asks the other tabs for the session and waits up to `timeout_ms` for one to answer with a
/// session this tab did not have. True when one did.
pub async fn ask_for_session(timeout_ms: u32) -> bool {
    let (tx, rx) = oneshot::channel();
    WAITING.with(|w| w.borrow_mut().push(tx));
    tell(&TabMessage::Hello);
    let timeout = Box::pin(browser::sleep_ms(timeout_ms));
    matches!(
        futures::future::select(rx, timeout).await,
        futures::future::Either::Left((Ok(()), _))
    )
}

/// Whether this tab's session is no longer the one that held `token` (another tab refreshed,
/// signed out, or signed in anew meanwhile).
pub fn replaced(ctx: Ctx, token: &AccessToken) -> bool {
    ctx.session()
        .is_none_or(|s| s.access_token.secret() != token.secret())
}

/// This tab just got a new access token (sign-in or refresh): tabs holding an older one should ask
/// for it rather than refresh.
pub fn note_new_token(session: &SessionRecord) {
    tabs::set_shared_time(TOKEN_AT_KEY, session.access_issued_at_ms);
}

/// The session ended now (signed out, or refused): a tab still holding it ends it too.
pub fn note_ended() {
    tabs::set_shared_time(ENDED_AT_KEY, browser::now_ms());
}

/// Whether the session this tab holds ended in another tab after it was issued.
pub fn ended_elsewhere(session: &SessionRecord) -> bool {
    tabs::shared_time(ENDED_AT_KEY) > session.access_issued_at_ms
}

/// Whether another tab holds a newer access token than this one.
pub fn newer_token_elsewhere(session: &SessionRecord) -> bool {
    tabs::shared_time(TOKEN_AT_KEY) > session.access_issued_at_ms
}
