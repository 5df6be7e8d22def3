//! `POST /v1/access_token`: client authentication, then the authorization_code grant (the
//! refresh_token grant is in `refresh.rs`).

use std::collections::HashMap;

use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use wxcc_core::secret::{Secret, constant_time_eq};

use super::answer::{IssuedTokens, TokenAnswer, issue_access_token};
use super::refresh;
use super::responses::{OAuthError, required};
use crate::ids;
use crate::state::{AppState, Grant, now_ms};

pub async fn access_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<TokenAnswer, OAuthError> {
    let latency = state.store().faults.knobs.token_latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let bad = |status, code, d: &str| OAuthError::new(status, code, d);
    let Form(form) = form.map_err(|_| {
        bad(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Send the token request as an application/x-www-form-urlencoded body",
        )
    })?;
    let grant_type = required(&form, "grant_type")?;
    if grant_type != "authorization_code" && grant_type != "refresh_token" {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token",
        ));
    }
    let (client_id, client_secret) = client_credentials(&headers, &form).ok_or_else(|| {
        bad(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client_id and client_secret are required (form fields or HTTP Basic)",
        )
    })?;
    let authenticated = state
        .config()
        .clients
        .iter()
        .find(|c| c.client_id == client_id)
        .filter(|c| {
            constant_time_eq(
                c.client_secret.secret().as_bytes(),
                client_secret.secret().as_bytes(),
            )
        });
    let Some(client) = authenticated else {
        tracing::warn!(client_id = %client_id, "token request with unknown client or wrong secret");
        return Err(bad(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: unknown client_id or wrong client_secret",
        ));
    };
    let client_id = client.client_id.clone();
    if grant_type == "authorization_code" {
        redeem_code(&state, &client_id, &form)
    } else {
        refresh::refresh(&state, &client_id, &form)
    }
}

fn client_credentials(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Option<(String, Secret)> {
    if let (Some(id), Some(secret)) = (form.get("client_id"), form.get("client_secret")) {
        return Some((id.clone(), Secret::new(secret.clone())));
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), Secret::new(secret)))
}

fn redeem_code(
    state: &AppState,
    client_id: &str,
    form: &HashMap<String, String>,
) -> Result<TokenAnswer, OAuthError> {
    let grant_err = |d: &str| OAuthError::bad_request("invalid_grant", d);
    let code = required(form, "code")?;
    let mut store = state.store();
    // Single use: the code is gone after the first redemption attempt, whatever its outcome.
    let Some(issued) = store.codes.remove(code) else {
        if let Some(token) = store.used_codes.get(code).cloned() {
            // A replayed code means it leaked: revoke what it produced.
            store.access_tokens.remove(&token);
            return Err(grant_err(
                "The authorization code was already used; the tokens it produced are revoked. Sign in again.",
            ));
        }
        return Err(grant_err(
            "The authorization code is invalid. Sign in again to get a new one.",
        ));
    };
    if issued.expires_at_ms <= now_ms() {
        return Err(grant_err(
            "The authorization code has expired. Sign in again.",
        ));
    }
    if issued.client_id != client_id {
        return Err(grant_err(
            "The authorization code was issued to another client.",
        ));
    }
    if form.get("redirect_uri") != Some(&issued.redirect_uri) {
        return Err(grant_err(
            "redirect_uri does not match the one used in the authorization request.",
        ));
    }
    let verifier = form.get("code_verifier");
    match (&issued.code_challenge, verifier) {
        (Some(_), None) => {
            return Err(grant_err(
                "code_verifier is required: the authorization request used PKCE.",
            ));
        }
        (Some(challenge), Some(v)) => {
            if !valid_verifier(v) {
                return Err(grant_err(
                    "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].",
                ));
            }
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(Sha256::digest(v.as_bytes()));
            if !constant_time_eq(computed.as_bytes(), challenge.as_bytes()) {
                return Err(grant_err(
                    "code_verifier does not match the code_challenge (PKCE S256).",
                ));
            }
        }
        (None, Some(_)) => {
            return Err(grant_err(
                "code_verifier was sent but the authorization request had no code_challenge.",
            ));
        }
        (None, None) => {}
    }
    let Some(user) = state.sign_in_user(&issued.user_key) else {
        return Err(grant_err("The user of this code no longer exists."));
    };
    let now = now_ms();
    let grant = Grant {
        user_key: user.key.clone(),
        client_id: client_id.to_string(),
        scopes: issued.scopes,
        issued_at_ms: now,
        expires_at_ms: now + state.config().refresh_token_lifetime_secs as i64 * 1000,
    };
    let refresh = ids::refresh_token(&user.org_id);
    let (access, lifetime) = issue_access_token(&mut store, &refresh, &grant, &user.org_id, now);
    store.refresh_tokens.insert(refresh.clone(), grant.clone());
    store.used_codes.insert(code.clone(), access.clone());
    let tokens = IssuedTokens {
        access_token: access,
        expires_in: lifetime,
        refresh_token: &refresh,
        refresh_token_expires_in: state.config().refresh_token_lifetime_secs,
        scopes: &grant.scopes,
    };
    let answer = TokenAnswer::new(&store.faults, tokens);
    drop(store);
    tracing::info!(client_id, user = %user.key, "tokens issued for authorization code");
    Ok(answer)
}

fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_example_verifier_matches() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let c =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()));
        assert_eq!(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(valid_verifier(v));
        assert!(!valid_verifier("short"));
    }
}
