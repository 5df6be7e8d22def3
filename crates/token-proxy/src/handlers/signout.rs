//! Sign-out that revokes: `/logout` records the session's id in the revocation store until the
//! session's end, and a refresh of any value of that session is refused.

use crate::dpop::ProvenRequest;
use crate::error::{ErrorCode, ProxyError};
use crate::revocation::StoreError;
use crate::sealing::SealedSession;
use crate::state::AppState;
use wxcc_core::proxy_protocol::LOGOUT_PATH;
use wxcc_core::secret::Secret;

/// Records the session sealed in `sealed` as signed out. A value that does not open (or whose session
/// has ended) names no live session: there is nothing to revoke. A handle bound to a browser key
/// is signed out only with that key's `proof`, so a copied handle cannot end its owner's session.
pub(super) async fn revoke(
    state: &AppState,
    sealed: &Secret,
    proof: Option<&str>,
) -> Result<(), ProxyError> {
    let now = state.now_unix();
    let Ok(session) = state.inner.sealer.open(sealed.secret(), now) else {
        tracing::info!("sign-out without a live session: nothing to revoke");
        return Ok(());
    };
    if let Some(thumbprint) = &session.key_thumbprint {
        let request = ProvenRequest {
            method: "POST",
            path: LOGOUT_PATH,
        };
        state
            .inner
            .proofs
            .verify(proof, thumbprint.as_bytes(), request, now)?;
    }
    // Until the end in force now: past it every value of the session is refused anyway.
    let until = state
        .inner
        .sessions
        .cap(session.times, state.inner.mode)
        .ends_at;
    state
        .inner
        .revocations
        .revoke(&session.session_id, until, now)
        .await
        .map_err(|error| {
            tracing::error!(%error, "sign-out not recorded");
            ProxyError::new(
                ErrorCode::UpstreamUnavailable,
                "This browser is signed out, but the token proxy could not record the sign-out (its revocation store failed), so a copy of this session taken earlier stays usable until the session ends; the operator should check the revocation store.",
            )
        })?;
    tracing::info!(
        until,
        "session signed out: its id is revoked until the session's end"
    );
    Ok(())
}

/// Refuses `session` when it was signed out (its id is in the store), whichever of its values was sent.
pub(super) async fn refuse_revoked(
    state: &AppState,
    session: &SealedSession,
    now: u64,
) -> Result<(), ProxyError> {
    match state
        .inner
        .revocations
        .is_revoked(&session.session_id, now)
        .await
    {
        Ok(false) => Ok(()),
        Ok(true) => {
            tracing::info!(
                reason = "the session was signed out",
                "sealed session refused"
            );
            Err(ProxyError::new(
                ErrorCode::SessionExpired,
                "This session was signed out; sign in again.",
            ))
        }
        Err(StoreError(error)) => {
            tracing::error!(%error, "cannot tell whether the session was signed out");
            Err(ProxyError::new(
                ErrorCode::UpstreamUnavailable,
                "The token proxy could not check whether this session was signed out (its revocation store failed); try again shortly.",
            ))
        }
    }
}
