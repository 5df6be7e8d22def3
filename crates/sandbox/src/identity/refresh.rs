//! The refresh_token grant: the same refresh token comes back with its timer reset, and a new
//! access token — or, within the stable-refresh window, the last one with its remaining lifetime.

use std::collections::HashMap;

use super::answer::{IssuedTokens, TokenAnswer, issue_access_token};
use super::responses::{OAuthError, required};
use crate::state::{AppState, Store, now_ms};

pub fn refresh(
    state: &AppState,
    client_id: &str,
    form: &HashMap<String, String>,
) -> Result<TokenAnswer, OAuthError> {
    let grant_err = |d: &str| OAuthError::bad_request("invalid_grant", d);
    let refresh_token = required(form, "refresh_token")?;
    let now = now_ms();
    let refresh_lifetime = state.config().refresh_token_lifetime_secs;
    let mut store = state.store();
    let Some(grant) = store.refresh_tokens.get_mut(refresh_token) else {
        return Err(grant_err(
            "The refresh token is invalid or was revoked. Sign in again.",
        ));
    };
    if grant.expires_at_ms <= now {
        return Err(grant_err("The refresh token has expired. Sign in again."));
    }
    if grant.client_id != client_id {
        return Err(grant_err("The refresh token was issued to another client."));
    }
    // Webex: "the refresh token expiration timer will be reset"; the refresh token itself stays the same.
    grant.expires_at_ms = now + refresh_lifetime as i64 * 1000;
    let grant = grant.clone();
    let reused = reusable_access_token(&store, refresh_token, now);
    let stable = reused.is_some();
    let (access_token, expires_in) = reused.unwrap_or_else(|| {
        let org = state
            .sign_in_user(&grant.user_key)
            .map(|u| u.org_id.clone())
            .unwrap_or_default();
        issue_access_token(&mut store, refresh_token, &grant, &org, now)
    });
    let tokens = IssuedTokens {
        access_token,
        expires_in,
        refresh_token,
        refresh_token_expires_in: refresh_lifetime,
        scopes: &grant.scopes,
    };
    let answer = TokenAnswer::new(&store.faults, tokens);
    drop(store);
    tracing::info!(client_id, stable, "access token refreshed");
    Ok(answer)
}

/// With stable refresh on: the last access token this refresh token produced, and its remaining
/// whole seconds, while it was issued within the window and has at least a second left.
fn reusable_access_token(store: &Store, refresh_token: &str, now: i64) -> Option<(String, u64)> {
    let window_ms = store.faults.knobs.stable_refresh_secs as i64 * 1000;
    let access = store.last_access_token.get(refresh_token)?;
    let grant = store.access_tokens.get(access)?;
    let remaining_ms = grant.expires_at_ms - now;
    let in_window = now - grant.issued_at_ms < window_ms;
    (in_window && remaining_ms >= 1000).then(|| (access.clone(), (remaining_ms / 1000) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Knobs, SandboxConfig};
    use crate::state::Grant;

    #[test]
    fn a_token_is_reused_only_within_the_window_and_with_a_second_left() {
        let state = AppState::new(SandboxConfig {
            knobs: Knobs {
                stable_refresh_secs: 3_600,
                ..Knobs::default()
            },
            ..SandboxConfig::default()
        });
        let mut store = state.store();
        let now = 10_000_000_000;
        store.last_access_token.insert("rt".into(), "at".into());
        let minute = 60_000;
        for (issued_ago, remaining_ms, expected) in [
            (30 * minute, minute, Some(60)),
            (60 * minute - 1, minute, Some(60)),
            (60 * minute, minute, None),
            (minute, 1_999, Some(1)),
            (minute, 999, None),
        ] {
            let grant = Grant {
                user_key: "admin".into(),
                client_id: "c".into(),
                scopes: Vec::new(),
                issued_at_ms: now - issued_ago,
                expires_at_ms: now + remaining_ms,
            };
            store.access_tokens.insert("at".into(), grant);
            let reused = reusable_access_token(&store, "rt", now);
            assert_eq!(
                reused.map(|(_, secs)| secs),
                expected,
                "{issued_ago} {remaining_ms}"
            );
        }
        store.faults.knobs.stable_refresh_secs = 0;
        assert_eq!(reusable_access_token(&store, "rt", now), None);
        assert_eq!(reusable_access_token(&store, "other", now), None);
    }
}
