//! Step 1 of the grant: a fresh state and PKCE verifier for this one attempt, then the redirect.

use leptos::prelude::*;
use wxcc_core::authorize::{authorize_params, authorize_url};
use wxcc_core::callback::PendingSignIn;
use wxcc_core::pkce::code_challenge_s256;
use wxcc_core::secret::{OAuthState, PkceVerifier, mask_secret};

use super::{Auth, Ctx, PENDING_KEY};
use crate::browser::{self, storage};
use crate::flow::{FlowLog, Step};

pub async fn start(ctx: Ctx) -> Result<(), String> {
    ctx.auth.set(Auth::Redirecting);
    let config = ctx.config.get_value();
    let state = OAuthState::from_random_bytes(&browser::random_bytes()?);
    let verifier = PkceVerifier::from_random_bytes(&browser::random_bytes()?);
    let challenge = code_challenge_s256(&browser::sha256(verifier.secret().as_bytes()).await?);
    let url = authorize_url(&config, &state, &challenge);

    let mut flow = FlowLog::default();
    let mut details: Vec<(String, String)> = authorize_params(&config, &state, &challenge)
        .into_iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                if k == "state" { mask_secret(&v) } else { v },
            )
        })
        .collect();
    details.insert(0, ("GET".into(), config.authorize_url.clone()));
    details.push((
        "code_verifier".into(),
        format!("{} (kept in this tab only)", verifier.mask()),
    ));
    let details: Vec<(&str, &str)> = details
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    flow.record(Step::Authorize, &details, None, true);
    crate::flow::save(&flow);

    let pending = PendingSignIn {
        state,
        verifier,
        started_at_ms: browser::now_ms(),
        requested_scopes: config.scopes.clone(),
        return_to: None,
    };
    storage::set(PENDING_KEY, &pending.encode())?;
    browser::navigate_away(&url)
}
