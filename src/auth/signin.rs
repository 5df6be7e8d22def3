//! Step 1 of the grant: a fresh state and PKCE verifier for this one attempt, then the redirect.

use leptos::prelude::*;
use wxcc_core::authorize::{authorize_params, authorize_url};
use wxcc_core::callback::PendingSignIn;
use wxcc_core::pkce::code_challenge_s256;
use wxcc_core::return_path::safe_return_path;
use wxcc_core::secret::{OAuthState, PkceVerifier, mask_secret};

use super::PENDING_KEY;
use crate::browser::{self, storage};
use crate::ctx::{Auth, Ctx};
use crate::flow::{FlowLog, Step};

/// Starts a sign-in from the current page, which is where the callback returns to; `remember`
/// asks the proxy to keep the sign-in on this device (when it offers that).
pub async fn start(ctx: Ctx, remember: bool) -> Result<(), String> {
    ctx.auth.set(Auth::Redirecting);
    let config = ctx.config.get_value();
    let state = OAuthState::from_random_bytes(&browser::random_bytes()?);
    let verifier = PkceVerifier::from_random_bytes(&browser::random_bytes()?);
    let challenge = code_challenge_s256(&browser::sha256(verifier.secret().as_bytes()).await?);
    let url = authorize_url(&config, &state, &challenge);

    let mut flow = FlowLog::default();
    let params: Vec<(&str, String)> = authorize_params(&config, &state, &challenge)
        .into_iter()
        .map(|(k, v)| (k, if k == "state" { mask_secret(&v) } else { v }))
        .collect();
    let verifier_note = format!("{} (kept in this tab only)", verifier.mask());
    let mut details = vec![("GET", config.authorize_url.as_str())];
    details.extend(params.iter().map(|(k, v)| (*k, v.as_str())));
    details.push(("code_verifier", &verifier_note));
    flow.record(Step::Authorize, &details, None, true);
    crate::flow::save(&flow);

    let pending = PendingSignIn {
        state,
        verifier,
        started_at_ms: browser::now_ms(),
        requested_scopes: config.scopes.clone(),
        return_to: current_app_path(),
        remember,
    };
    storage::set(PENDING_KEY, &pending.encode())?;
    browser::navigate_away(&url)
}

/// The page sign-in starts from (path below the base, and query), if it is one to come back to.
fn current_app_path() -> Option<String> {
    let location = browser::window().location();
    let pathname = location.pathname().ok()?;
    let path = wxcc_core::route::strip_base(&pathname, &browser::base_path())?;
    let search = location.search().unwrap_or_default();
    safe_return_path(&format!("{path}{search}"))
}
