//! Keeping the access token fresh: proactively before expiry, on waking, and reactively after a
//! 401, always through one single-flight refresh that any number of callers wait on.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use wxcc_core::api_error::ApiError;
use wxcc_core::secret::AccessToken;
use wxcc_core::session::SessionRecord;

use wxcc_core::tab_message::TabMessage;

use super::dpop::{self, ProofProblem};
use super::proxy::{self, Probe, RefreshFailure, Refused};
use super::shared;
use crate::browser;
use crate::ctx::{Auth, Ctx};
use crate::tabs::{self, Turn};

type InFlight = Shared<LocalBoxFuture<'static, Result<(), RefreshFailure>>>;

/// The refresh in flight, if any, and when a failed proactive refresh may be tried again.
#[derive(Default)]
struct Refresher {
    in_flight: RefCell<Option<InFlight>>,
    /// Back-off after failures (proxy or Webex down or rate limiting): 2 s, 4 s, … up to 60 s.
    retry_at_ms: Cell<u64>,
    failures: Cell<u32>,
    /// After a refresh that returned the same access token (Webex does that within its stable
    /// window), no proactive refresh before this token's expiry: asking again would only spin.
    hold_until_ms: Cell<u64>,
}

thread_local! {
    // One per tab: a tab is one wasm instance on one thread, and every caller in it shares the
    // refresh in flight.
    static REFRESHER: Refresher = Refresher::default();
}

/// Refreshes now, or joins the refresh already running. Ends the session when the refresh token
/// is no longer accepted.
pub async fn refresh(ctx: Ctx) -> Result<(), RefreshFailure> {
    let shared = REFRESHER.with(|r| {
        let mut slot = r.in_flight.borrow_mut();
        match slot.as_ref() {
            Some(running) => running.clone(),
            None => {
                // The future clears the slot itself when it ends, exactly once: a waiter that
                // resumes late must never clear a newer refresh's slot.
                let fresh = async move {
                    let result = run_refresh(ctx).await;
                    REFRESHER.with(|r| {
                        *r.in_flight.borrow_mut() = None;
                        r.note(&result);
                    });
                    result
                }
                .boxed_local()
                .shared();
                *slot = Some(fresh.clone());
                fresh
            }
        }
    });
    shared.await
}

impl Refresher {
    fn note(&self, result: &Result<(), RefreshFailure>) {
        match result {
            Err(RefreshFailure::Unavailable(_)) => {
                let failures = self.failures.get().saturating_add(1);
                self.failures.set(failures);
                let wait = (1_000u64 << failures.min(6)).min(60_000);
                self.retry_at_ms.set(browser::now_ms() + wait);
            }
            _ => {
                self.failures.set(0);
                self.retry_at_ms.set(0);
            }
        }
    }
}

/// What a tab says when another tab ended the session it held.
pub const ENDED_ELSEWHERE: &str =
    "You signed out in another tab (or the session ended there). Sign in again to continue.";

/// How long a tab that waited for another tab's refresh waits for its news before refreshing
/// itself (the news normally arrives before the lock; this covers the other order).
const NEWS_WAIT_MS: u32 = 500;

async fn run_refresh(ctx: Ctx) -> Result<(), RefreshFailure> {
    let Some(started_with) = ctx.session().map(|s| s.access_token) else {
        return Err(RefreshFailure::SessionOver);
    };
    // One refresh at a time for the whole origin: the sealed refresh token is shared by every tab.
    tabs::exclusive(shared::REFRESH_LOCK, |turn| async move {
        let Some(session) = ctx.session() else {
            return Err(RefreshFailure::SessionOver);
        };
        if shared::ended_elsewhere(&session) {
            ctx.end_session(ENDED_ELSEWHERE);
            return Err(RefreshFailure::SessionOver);
        }
        // Another tab refreshed while this one waited, or before this one was listening.
        let news_expected = turn == Turn::AfterWaiting || shared::newer_token_elsewhere(&session);
        if news_expected && !shared::replaced(ctx, &started_with) {
            shared::ask_for_session(NEWS_WAIT_MS).await;
        }
        // Another tab refreshed, signed out or signed in anew while this one waited.
        if shared::replaced(ctx, &started_with) {
            return match ctx.session() {
                Some(_) => Ok(()),
                None => Err(RefreshFailure::SessionOver),
            };
        }
        refresh_now(ctx, &started_with).await
    })
    .await
}

async fn refresh_now(ctx: Ctx, started_with: &AccessToken) -> Result<(), RefreshFailure> {
    let Some(mut session) = ctx.session() else {
        return Err(RefreshFailure::SessionOver);
    };
    let config = ctx.config.get_value();
    let proof = match dpop::proof_for(
        &config,
        wxcc_core::proxy_protocol::REFRESH_PATH,
        session.key_thumbprint.as_deref(),
    )
    .await
    {
        Ok(proof) => proof,
        Err(ProofProblem::KeyMissing) => return Err(bound_elsewhere(ctx)),
        Err(ProofProblem::Browser(problem)) => {
            return Err(RefreshFailure::Unavailable(ApiError::network(&problem)));
        }
    };
    ctx.refreshes.update(|n| *n += 1);
    match proxy::refresh(&config, session.refresh_handle.as_ref(), proof.as_ref()).await {
        Ok(response) => {
            // Signed out (or signed in anew) while this refresh was on the wire: drop its result
            // rather than bring an ended session back.
            if shared::replaced(ctx, started_with) {
                return Err(RefreshFailure::SessionOver);
            }
            let same_token = response.access_token.secret() == started_with.secret();
            session.apply_refresh(response, browser::now_ms());
            let hold = if same_token {
                session.access_expires_at_ms
            } else {
                0
            };
            REFRESHER.with(|r| r.hold_until_ms.set(hold));
            ctx.refresh_note.set(if same_token {
                "Webex answered the last refresh with the same access token (it does so for refreshes \
                 close together); the next refresh waits until this token expires."
                    .into()
            } else {
                String::new()
            });
            shared::note_new_token(&session);
            ctx.set_session(session);
            shared::tell_session(ctx);
            Ok(())
        }
        Err(Refused::BoundElsewhere) => Err(bound_elsewhere(ctx)),
        Err(Refused::Failure(RefreshFailure::SessionOver)) => {
            let notice = "Your session has ended (the refresh token expired or was revoked). Sign in again to continue.";
            ctx.end_session(notice);
            shared::note_ended();
            shared::tell(&TabMessage::SignedOut(notice.into()));
            Err(RefreshFailure::SessionOver)
        }
        Err(Refused::Failure(other)) => Err(other),
    }
}

/// What a tab says when its handle is bound to a key this browser does not hold.
pub const BOUND_ELSEWHERE: &str = "This sign-in is bound to another browser: its key is not in \
     this one (the browser's site data was cleared, or the session was copied from elsewhere), so \
     it cannot continue here. Sign in again in this browser.";

/// Ends this tab's session, bound to another browser's key. Other tabs of this browser hold the
/// same session and key store, so they end too.
fn bound_elsewhere(ctx: Ctx) -> RefreshFailure {
    ctx.end_session(BOUND_ELSEWHERE);
    shared::note_ended();
    shared::tell(&TabMessage::SignedOut(BOUND_ELSEWHERE.into()));
    RefreshFailure::SessionOver
}

/// For a caller whose request with `used` got a 401: if the session already holds a newer token
/// (another caller refreshed meanwhile) there is nothing to do; otherwise refresh (single flight).
pub async fn after_unauthorized(ctx: Ctx, used: &AccessToken) -> Result<(), RefreshFailure> {
    match ctx.session() {
        Some(session) if session.access_token.secret() != used.secret() => Ok(()),
        Some(_) => refresh(ctx).await,
        None => Err(RefreshFailure::SessionOver),
    }
}

/// Once a second (and on waking): sign out at the session's end; before it, refresh when the token
/// is within its margin of expiry.
pub fn tick(ctx: Ctx) {
    // The session's end comes before any refresh: past it, the tab signs out and calls nobody.
    if super::end::check(ctx) {
        return;
    }
    let now = browser::now_ms();
    let due = ctx.auth.with_untracked(|a| match a {
        Auth::SignedIn(s) => s.refresh_due(now),
        _ => false,
    });
    let idle = REFRESHER.with(|r| {
        r.in_flight.borrow().is_none() && now >= r.retry_at_ms.get() && now >= r.hold_until_ms.get()
    });
    if due && idle && browser::is_visible() {
        leptos::task::spawn_local(async move {
            if let Err(RefreshFailure::Unavailable(e)) = refresh(ctx).await {
                leptos::logging::warn!(
                    "proactive refresh failed, will retry after a pause: {}",
                    e.title()
                );
            }
        });
    }
}

/// A tab without a session in cookie mode: the proxy's HttpOnly cookie may still hold one (a
/// reload after the tab's storage was cleared, a remembered sign-in after a browser restart). The
/// probe is a refresh, so it runs under the origin's refresh lock.
pub async fn restore_from_cookie(ctx: Ctx) {
    let config = ctx.config.get_value();
    tabs::exclusive(shared::REFRESH_LOCK, |_| async move {
        if ctx.session().is_some() {
            // Another tab handed its session over while this one waited.
            return;
        }
        match proxy::probe(&config).await {
            Ok(Probe::Session(response)) => {
                let session = SessionRecord::from_token_response(
                    response,
                    browser::now_ms(),
                    config.scopes.clone(),
                    config.api_base.clone(),
                );
                shared::note_new_token(&session);
                ctx.set_session(session);
                shared::tell_session(ctx);
            }
            Ok(Probe::None {
                ended,
                remember_days,
            }) => {
                ctx.remember_days.set(remember_days);
                ctx.auth.set(Auth::SignedOut {
                    notice: ended.then(|| {
                        "Your previous session has ended. Sign in again to continue.".into()
                    }),
                });
            }
            Err(RefreshFailure::Unavailable(error)) => ctx.auth.set(Auth::SignedOut {
                notice: Some(format!(
                    "Could not check for an existing session. {} {}",
                    error.message,
                    error.what_to_do()
                )),
            }),
            Err(RefreshFailure::SessionOver) => ctx.auth.set(Auth::SignedOut { notice: None }),
        }
    })
    .await
}
