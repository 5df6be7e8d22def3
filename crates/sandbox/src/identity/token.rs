//! `POST /v1/access_token`: client authentication, then the authorization_code and
//! refresh_token grants.

use std::collections::HashMap;

use axum::Json;
use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use wxcc_core::secret::{Secret, constant_time_eq};

use super::responses::OAuthError;
use crate::http_util::TrackingId;
use crate::ids;
use crate::state::{AppState, Faults, Grant, now_ms};

pub async fn access_token(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, OAuthError> {
    let bad = |status, code, d: &str| OAuthError::new(status, code, d, &tracking);
    let Form(form) = form.map_err(|_| {
        bad(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Send the token request as an application/x-www-form-urlencoded body",
        )
    })?;
    let grant_type = form.get("grant_type").ok_or_else(|| {
        bad(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type is required",
        )
    })?;
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
        redeem_code(&state, &client_id, &form, &tracking)
    } else {
        refresh(&state, &client_id, &form, &tracking)
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
    tracking: &TrackingId,
) -> Result<Response, OAuthError> {
    let grant_err =
        |d: &str| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_grant", d, tracking);
    let Some(code) = form.get("code") else {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "code is required",
            tracking,
        ));
    };
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
    let access = access_token_for(&store.faults, &user.org_id);
    let refresh = ids::refresh_token(&user.org_id);
    let cfg = state.config();
    let grant = |lifetime_secs: u64| Grant {
        user_key: user.key.clone(),
        client_id: client_id.to_string(),
        scopes: issued.scopes.clone(),
        expires_at_ms: now + (lifetime_secs as i64) * 1000,
    };
    let access_lifetime = store
        .faults
        .access_token_lifetime_secs
        .unwrap_or(cfg.access_token_lifetime_secs);
    store
        .access_tokens
        .insert(access.clone(), grant(access_lifetime));
    store
        .refresh_tokens
        .insert(refresh.clone(), grant(cfg.refresh_token_lifetime_secs));
    store.used_codes.insert(code.clone(), access.clone());
    drop(store);
    tracing::info!(client_id, user = %user.key, "tokens issued for authorization code");
    Ok(token_response(
        state,
        &access,
        access_lifetime,
        &refresh,
        &issued.scopes,
    ))
}

fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

fn refresh(
    state: &AppState,
    client_id: &str,
    form: &HashMap<String, String>,
    tracking: &TrackingId,
) -> Result<Response, OAuthError> {
    let grant_err =
        |d: &str| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_grant", d, tracking);
    let Some(refresh_token) = form.get("refresh_token") else {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "refresh_token is required",
            tracking,
        ));
    };
    let now = now_ms();
    let cfg = state.config();
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
    grant.expires_at_ms = now + cfg.refresh_token_lifetime_secs as i64 * 1000;
    let scopes = grant.scopes.clone();
    let user_key = grant.user_key.clone();
    let org = state
        .sign_in_user(&user_key)
        .map(|u| u.org_id.clone())
        .unwrap_or_default();
    let access = access_token_for(&store.faults, &org);
    let access_lifetime = store
        .faults
        .access_token_lifetime_secs
        .unwrap_or(cfg.access_token_lifetime_secs);
    store.access_tokens.insert(
        access.clone(),
        Grant {
            user_key,
            client_id: client_id.to_string(),
            scopes: scopes.clone(),
            expires_at_ms: now + access_lifetime as i64 * 1000,
        },
    );
    drop(store);
    tracing::info!(client_id, "access token refreshed");
    Ok(token_response(
        state,
        &access,
        access_lifetime,
        refresh_token,
        &scopes,
    ))
}

fn token_response(
    state: &AppState,
    access: &str,
    access_lifetime_secs: u64,
    refresh: &str,
    scopes: &[String],
) -> Response {
    let cfg = state.config();
    let body = json!({
        "access_token": access,
        "expires_in": access_lifetime_secs,
        "refresh_token": refresh,
        "refresh_token_expires_in": cfg.refresh_token_lifetime_secs,
        "token_type": "Bearer",
        "scope": scopes.join(" "),
    });
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// Webex's shape, or the opaque kind when the `opaque_tokens` fault is on.
fn access_token_for(faults: &Faults, org_id: &str) -> String {
    if faults.opaque_tokens {
        ids::opaque_token()
    } else {
        ids::access_token(org_id)
    }
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
