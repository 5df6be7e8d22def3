//! Steps 2–4 of the grant, at the redirect URI: take the code out of the address bar at once,
//! check the state (single use), exchange through the proxy, keep the session.

use leptos::prelude::*;
use wxcc_core::callback::{PendingSignIn, check_callback};
use wxcc_core::config::ProxyMode;
use wxcc_core::session::SessionRecord;

use super::PENDING_KEY;
use crate::browser::{self, storage};
use crate::ctx::{Auth, Ctx};
use crate::flow::Step;

/// How long a started sign-in may take (the user may read the consent page, or sign in first).
const PENDING_MAX_AGE_MS: u64 = 15 * 60 * 1000;

/// Where the app goes once the tab is signed in: the deep link sign-in started from (checked
/// again by `PendingSignIn::decode`), else the start page. `None` when sign-in failed.
pub async fn complete(ctx: Ctx) -> Option<String> {
    let query = browser::query();
    // Before anything else: no code or state may stay in the address bar, the history or a Referer.
    browser::replace_url(&format!("{}callback", browser::base_path()));
    let arrived = browser::now_ms();
    // Single use, and only for a while: an attempt abandoned long ago cannot be completed later.
    let pending = storage::take(PENDING_KEY)
        .and_then(|text| PendingSignIn::decode(&text))
        .filter(|p| !p.is_stale(arrived, PENDING_MAX_AGE_MS));
    let requested = pending
        .as_ref()
        .map(|p| p.requested_scopes.clone())
        .unwrap_or_default();
    let started = pending.as_ref().map(|p| p.started_at_ms);
    let remember = pending.as_ref().is_some_and(|p| p.remember);
    let return_to = pending
        .as_ref()
        .and_then(|p| p.return_to.clone())
        .unwrap_or_else(|| "/".into());

    let (code, verifier) = match check_callback(&query, pending) {
        Ok(pair) => pair,
        Err(error) => {
            ctx.auth.set(Auth::Failed(error));
            return None;
        }
    };
    ctx.flow.update(|flow| {
        let consent_ms = started.map(|s| arrived.saturating_sub(s) as f64);
        flow.record(Step::Consent, &[("result", "accepted")], consent_ms, true);
        flow.record(
            Step::Redirect,
            &[
                ("code", &code.mask()),
                ("state", "matches this tab's attempt (single use)"),
                ("address bar", "code and state removed at once"),
            ],
            None,
            true,
        );
        crate::flow::save(flow);
    });

    ctx.auth.set(Auth::Exchanging);
    browser::mark("wxcc:exchange-start");
    let config = ctx.config.get_value();
    // Handle mode: the session is bound to a key made now, in this browser.
    let key_thumbprint = match config.proxy_mode {
        ProxyMode::Handle => match super::dpop::new_key().await {
            Ok(thumbprint) => Some(thumbprint),
            Err(problem) => {
                ctx.auth.set(Auth::SignedOut {
                    notice: Some(problem),
                });
                return None;
            }
        },
        ProxyMode::Cookie => None,
    };
    let result =
        super::proxy::exchange(&config, code, verifier, remember, key_thumbprint.as_deref()).await;
    browser::mark("wxcc:exchange-end");
    match result {
        Ok((response, elapsed)) => {
            let sealed = match config.proxy_mode {
                ProxyMode::Cookie => {
                    "sealed by the proxy in an HttpOnly __Host- cookie".to_string()
                }
                ProxyMode::Handle => format!(
                    "sealed by the proxy; this tab keeps the opaque handle {}",
                    response
                        .refresh_handle
                        .as_ref()
                        .map(|h| h.mask())
                        .unwrap_or_default()
                ),
            };
            ctx.flow.update(|flow| {
                flow.record(
                    Step::Exchange,
                    &[
                        (
                            "POST",
                            &format!("{}/token", config.token_proxy_url.trim_end_matches('/')),
                        ),
                        ("code, code_verifier", "sent once, masked here"),
                        ("client_secret", "held by the proxy, never in the browser"),
                        ("access_token", &response.access_token.mask()),
                        ("expires_in", &format!("{} s", response.expires_in)),
                        ("scope", response.scope.as_deref().unwrap_or("as requested")),
                        ("refresh token", &sealed),
                    ],
                    Some(elapsed),
                    true,
                );
                crate::flow::save(flow);
            });
            let mut session = SessionRecord::from_token_response(
                response,
                browser::now_ms(),
                requested,
                config.api_base.clone(),
            );
            session.key_thumbprint = key_thumbprint;
            super::shared::note_new_token(&session);
            ctx.set_session(session);
            // Every open tab of this origin signs in with it.
            super::shared::tell_session(ctx);
            Some(return_to)
        }
        Err(error) => {
            ctx.flow.update(|flow| {
                flow.record(Step::Exchange, &[("error", &error.title())], None, false);
                crate::flow::save(flow);
            });
            ctx.auth.set(Auth::Failed(error));
            None
        }
    }
}
