//! `GET /v1/authorize` (validation, then the login + consent page) and the consent form's
//! `POST /v1/authorize/decision`.

use std::collections::HashMap;

use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::responses::{SignInError, html, redirect_with};
use crate::http_util::escape_html;
use crate::ids;
use crate::seed::Role;
use crate::state::{AppState, IssuedCode, PendingAuthorization, now_ms};

/// How long the consent page may stay open.
const PENDING_LIFETIME_MS: i64 = 10 * 60 * 1000;

pub async fn authorize(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, SignInError> {
    let client_id = q.get("client_id").map(String::as_str).unwrap_or_default();
    let Some(client) = state
        .config()
        .clients
        .iter()
        .find(|c| c.client_id == client_id)
    else {
        let detail = if client_id.is_empty() {
            "The request has no client_id. The application that sent you here is misconfigured; contact its developer.".to_string()
        } else {
            format!(
                "The client_id {client_id:?} is not registered with this Webex sandbox. Check the application's client id."
            )
        };
        return Err(SignInError::page("Unknown application", detail));
    };
    let redirect_uri = q
        .get("redirect_uri")
        .map(String::as_str)
        .unwrap_or_default();
    if !client.redirect_uris.iter().any(|r| r == redirect_uri) {
        // Never redirect to an unregistered URI: that would make the sandbox an open redirector.
        let detail = format!(
            "The redirect_uri {redirect_uri:?} is not registered for this application. \
             Register it in the sandbox config (clients[].redirect_uris) or fix the application's redirect URI."
        );
        return Err(SignInError::page("Redirect URI mismatch", detail));
    }
    let app_state = q.get("state").cloned();
    let refuse = |error, description: &str| {
        SignInError::redirect(redirect_uri, error, description, app_state.as_deref())
    };
    if q.get("response_type").map(String::as_str) != Some("code") {
        return Err(refuse(
            "unsupported_response_type",
            "response_type must be code",
        ));
    }
    let scopes: Vec<String> = q
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        return Err(refuse(
            "invalid_scope",
            "scope is required (space-separated list)",
        ));
    }
    if let Some(bad) = scopes.iter().find(|s| !client.scopes.contains(s)) {
        let d = format!("The scope {bad} is not registered for this client");
        return Err(refuse("invalid_scope", &d));
    }
    let code_challenge = pkce_challenge(&q).map_err(|d| refuse("invalid_request", d))?;

    let txn = ids::random_alphanumeric(43);
    state.store().pending.insert(
        txn.clone(),
        PendingAuthorization {
            client_id: client.client_id.clone(),
            redirect_uri: redirect_uri.to_string(),
            scopes: scopes.clone(),
            state: app_state,
            code_challenge,
            expires_at_ms: now_ms() + PENDING_LIFETIME_MS,
        },
    );
    let redirect_origin = url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    Ok(html(
        StatusCode::OK,
        consent_page(&state, &client.client_id, &scopes, &txn),
        &format!("'self' {redirect_origin}"),
    ))
}

/// PKCE as the sandbox enforces it: S256 only. `plain` — and a challenge without a method, which RFC 7636
/// defines as plain — are refused; no challenge at all is allowed (confidential clients), in which case a
/// verifier must not be sent at the token endpoint.
fn pkce_challenge(q: &HashMap<String, String>) -> Result<Option<String>, &'static str> {
    match (
        q.get("code_challenge"),
        q.get("code_challenge_method").map(String::as_str),
    ) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err("code_challenge_method was sent without code_challenge"),
        (Some(_), None) | (Some(_), Some("plain")) => Err(
            "code_challenge_method must be S256; plain (the default when the method is missing) is not supported",
        ),
        (Some(_), Some(m)) if m != "S256" => Err("code_challenge_method must be S256"),
        (Some(c), Some(_)) => {
            let well_formed = c.len() == 43
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if well_formed {
                Ok(Some(c.clone()))
            } else {
                Err(
                    "code_challenge must be the base64url (no padding) SHA-256 of the code_verifier: 43 characters",
                )
            }
        }
    }
}

fn consent_page(state: &AppState, client_id: &str, scopes: &[String], txn: &str) -> String {
    let users: String = state
        .seed()
        .sign_in_users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let role = match u.role {
                Role::Admin => "Contact Center administrator",
                Role::Agent => "Agent (no admin role)",
            };
            let org = if u.org_id == state.seed().primary_org_id {
                ""
            } else {
                ", second organization"
            };
            format!(
                "<label class=\"user\"><input type=\"radio\" name=\"user\" value=\"{k}\"{c}> \
                 <strong>{n}</strong> <span class=\"muted\">{e} — {role}{org}</span></label>",
                k = escape_html(&u.key),
                c = if i == 0 { " checked" } else { "" },
                n = escape_html(&u.display_name()),
                e = escape_html(&u.email),
            )
        })
        .collect();
    let scope_items: String = scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", escape_html(s)))
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in to Webex (sandbox)</title><link rel=\"stylesheet\" href=\"/v1/authorize/style.css\"></head>\
         <body><main class=\"card\"><h1>Sign in to Webex</h1>\
         <p class=\"muted\">Local Webex sandbox — no real account is used.</p>\
         <form method=\"post\" action=\"/v1/authorize/decision\">\
         <input type=\"hidden\" name=\"txn\" value=\"{txn}\">\
         <fieldset><legend>Sign in as</legend>{users}</fieldset>\
         <h2>The application <code>{client}</code> requests access to:</h2><ul class=\"scopes\">{scope_items}</ul>\
         <div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>\
         <button type=\"submit\" name=\"decision\" value=\"decline\" class=\"secondary\">Decline</button></div>\
         </form></main></body></html>",
        txn = escape_html(txn),
        client = escape_html(client_id),
    )
}

pub async fn stylesheet() -> impl IntoResponse {
    const CSS: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:2rem;color:#1b1d21}\
        .card{max-width:36rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 4px #0002}\
        h1{font-size:1.5rem}h2{font-size:1rem;margin-top:1.5rem}fieldset{border:1px solid #ccd;border-radius:6px}\
        .user{display:block;padding:.4rem 0}.muted{color:#5b6270;font-size:.9rem}.error{color:#a4161a}\
        .actions{display:flex;gap:1rem;margin-top:1.5rem}button{padding:.6rem 1.4rem;border-radius:6px;border:0;\
        background:#0b5cff;color:#fff;font-size:1rem;cursor:pointer}button.secondary{background:#e4e6eb;color:#1b1d21}";
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        CSS,
    )
}

#[derive(Deserialize)]
pub struct DecisionForm {
    txn: Option<String>,
    user: Option<String>,
    decision: Option<String>,
}

pub async fn decision(
    State(state): State<AppState>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, SignInError> {
    let pending = form
        .txn
        .as_deref()
        .and_then(|t| state.store().pending.remove(t));
    let Some(pending) = pending.filter(|p| p.expires_at_ms > now_ms()) else {
        return Err(SignInError::page(
            "Sign-in request expired",
            "This sign-in request has expired or was already answered. Go back to the application and sign in again.",
        ));
    };
    let st = pending.state.as_deref();
    match form.decision.as_deref() {
        Some("accept") => {}
        Some("decline") => {
            return Err(SignInError::redirect(
                &pending.redirect_uri,
                "access_denied",
                "The user declined to grant access",
                st,
            ));
        }
        _ => {
            return Err(SignInError::page(
                "No decision",
                "Choose Accept or Decline. Go back to the application and sign in again.",
            ));
        }
    }
    let Some(user) = form.user.as_deref().and_then(|k| state.sign_in_user(k)) else {
        return Err(SignInError::page(
            "No user chosen",
            "Pick one of the listed users. Go back to the application and sign in again.",
        ));
    };
    let code = ids::authorization_code(&user.org_id);
    state.store().codes.insert(
        code.clone(),
        IssuedCode {
            client_id: pending.client_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            user_key: user.key.clone(),
            scopes: pending.scopes.clone(),
            code_challenge: pending.code_challenge.clone(),
            expires_at_ms: now_ms() + state.config().authorization_code_lifetime_secs as i64 * 1000,
        },
    );
    tracing::info!(client_id = %pending.client_id, user = %user.key, "authorization granted");
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = st {
        params.push(("state", s));
    }
    Ok(redirect_with(&pending.redirect_uri, &params))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pkce_rules() {
        let good = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(pkce_challenge(&q(&[])), Ok(None));
        assert_eq!(
            pkce_challenge(&q(&[
                ("code_challenge", good),
                ("code_challenge_method", "S256")
            ])),
            Ok(Some(good.to_string()))
        );
        assert!(
            pkce_challenge(&q(&[("code_challenge", good)]))
                .unwrap_err()
                .contains("S256")
        );
        assert!(
            pkce_challenge(&q(&[
                ("code_challenge", good),
                ("code_challenge_method", "plain")
            ]))
            .is_err()
        );
        assert!(
            pkce_challenge(&q(&[
                ("code_challenge", "short"),
                ("code_challenge_method", "S256")
            ]))
            .is_err()
        );
        assert!(pkce_challenge(&q(&[("code_challenge_method", "S256")])).is_err());
    }
}
