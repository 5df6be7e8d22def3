//! The identity port: what webexapis.com's `/v1` does for an integration — authorize (login + consent page),
//! access_token (authorization_code and refresh_token grants) and people/me — plus the control endpoint.

use std::collections::HashMap;

use axum::extract::{Extension, Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use wxcc_core::secret::{Secret, constant_time_eq};

use crate::http_util::{TrackingId, bearer_token, escape_html};
use crate::ids::{self, hydra_id};
use crate::seed::Role;
use crate::state::{AppState, Grant, IssuedCode, PendingAuthorization, TokenProblem, now_ms};

/// How long the consent page may stay open.
const PENDING_LIFETIME_MS: i64 = 10 * 60 * 1000;

pub fn routes(state: &AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route("/v1/authorize", get(authorize))
        .route("/v1/authorize/style.css", get(stylesheet))
        .route("/v1/authorize/decision", post(decision))
        .route("/v1/access_token", post(access_token))
        .route("/v1/people/me", get(people_me));
    if state.config().control {
        router = router.route("/_sandbox/faults", get(get_faults).post(set_faults));
    }
    router
}

// ---------- errors ----------

/// Webex's JSON error shape (`message`, `errors[].description`, `trackingId`) plus the OAuth fields
/// `error`/`error_description` that OAuth clients look for.
pub fn oauth_error(
    status: StatusCode,
    code: &str,
    description: &str,
    tracking: &TrackingId,
) -> Response {
    let body = json!({
        "error": code,
        "error_description": description,
        "message": description,
        "errors": [{"description": description}],
        "trackingId": tracking.0,
    });
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED && code == "invalid_client" {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"webex\""),
        );
    }
    response
}

/// Webex's plain error shape for resource endpoints like people/me.
fn webex_error(status: StatusCode, message: &str, tracking: &TrackingId) -> Response {
    let body =
        json!({"message": message, "errors": [{"description": message}], "trackingId": tracking.0});
    (status, Json(body)).into_response()
}

fn error_page(status: StatusCode, title: &str, detail: &str, tracking: &TrackingId) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <link rel=\"stylesheet\" href=\"/v1/authorize/style.css\"></head><body><main class=\"card\">\
         <h1>{t}</h1><p class=\"error\">{d}</p><p class=\"muted\">Tracking id: {id}</p></main></body></html>",
        t = escape_html(title),
        d = escape_html(detail),
        id = escape_html(&tracking.0)
    );
    html(status, body, "'self'")
}

fn html(status: StatusCode, body: String, form_action: &str) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `redirect_uri` with the given query parameters appended (keeps any query it already has).
fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            redirect(url.as_str())
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn redirect_error(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> Response {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    redirect_with(redirect_uri, &params)
}

// ---------- authorize ----------

async fn authorize(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
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
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unknown application",
            &detail,
            &tracking,
        );
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
        return error_page(
            StatusCode::BAD_REQUEST,
            "Redirect URI mismatch",
            &detail,
            &tracking,
        );
    }
    let app_state = q.get("state").cloned();
    let st = app_state.as_deref();
    if q.get("response_type").map(String::as_str) != Some("code") {
        return redirect_error(
            redirect_uri,
            "unsupported_response_type",
            "response_type must be code",
            st,
        );
    }
    let scopes: Vec<String> = q
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    if scopes.is_empty() {
        return redirect_error(
            redirect_uri,
            "invalid_scope",
            "scope is required (space-separated list)",
            st,
        );
    }
    if let Some(bad) = scopes.iter().find(|s| !client.scopes.contains(s)) {
        let d = format!("The scope {bad} is not registered for this client");
        return redirect_error(redirect_uri, "invalid_scope", &d, st);
    }
    let code_challenge = match pkce_challenge(&q) {
        Ok(c) => c,
        Err(d) => return redirect_error(redirect_uri, "invalid_request", d, st),
    };

    let txn = ids::random_url_safe(43);
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
    html(
        StatusCode::OK,
        consent_page(&state, &client.client_id, &scopes, &txn),
        &format!("'self' {redirect_origin}"),
    )
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

async fn stylesheet() -> Response {
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
        .into_response()
}

#[derive(Deserialize)]
struct DecisionForm {
    txn: Option<String>,
    user: Option<String>,
    decision: Option<String>,
}

async fn decision(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let pending = form
        .txn
        .as_deref()
        .and_then(|t| state.store().pending.remove(t));
    let Some(pending) = pending.filter(|p| p.expires_at_ms > now_ms()) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Sign-in request expired",
            "This sign-in request has expired or was already answered. Go back to the application and sign in again.",
            &tracking,
        );
    };
    let st = pending.state.as_deref();
    match form.decision.as_deref() {
        Some("accept") => {}
        Some("decline") => {
            return redirect_error(
                &pending.redirect_uri,
                "access_denied",
                "The user declined to grant access",
                st,
            );
        }
        _ => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "No decision",
                "Choose Accept or Decline. Go back to the application and sign in again.",
                &tracking,
            );
        }
    }
    let Some(user) = form.user.as_deref().and_then(|k| state.sign_in_user(k)) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "No user chosen",
            "Pick one of the listed users. Go back to the application and sign in again.",
            &tracking,
        );
    };
    let code = ids::webex_token(&user.org_id);
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
    redirect_with(&pending.redirect_uri, &params)
}

// ---------- access_token ----------

async fn access_token(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let bad = |status: StatusCode, code: &str, d: &str| oauth_error(status, code, d, &tracking);
    let Ok(Form(form)) = form else {
        return bad(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Send the token request as an application/x-www-form-urlencoded body",
        );
    };
    let Some(grant_type) = form.get("grant_type") else {
        return bad(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type is required",
        );
    };
    if grant_type != "authorization_code" && grant_type != "refresh_token" {
        return bad(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token",
        );
    }
    let (client_id, client_secret) = match client_credentials(&headers, &form) {
        Some(c) => c,
        None => {
            return bad(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client_id and client_secret are required (form fields or HTTP Basic)",
            );
        }
    };
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
        return bad(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: unknown client_id or wrong client_secret",
        );
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
) -> Response {
    let grant_err = |d: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", d, tracking);
    let Some(code) = form.get("code") else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "code is required",
            tracking,
        );
    };
    let mut store = state.store();
    // Single use: the code is gone after the first redemption attempt, whatever its outcome.
    let Some(issued) = store.codes.remove(code) else {
        if let Some(token) = store.used_codes.get(code).cloned() {
            // A replayed code means it leaked: revoke what it produced.
            store.access_tokens.remove(&token);
            return grant_err(
                "The authorization code was already used; the tokens it produced are revoked. Sign in again.",
            );
        }
        return grant_err("The authorization code is invalid. Sign in again to get a new one.");
    };
    if issued.expires_at_ms <= now_ms() {
        return grant_err("The authorization code has expired. Sign in again.");
    }
    if issued.client_id != client_id {
        return grant_err("The authorization code was issued to another client.");
    }
    if form.get("redirect_uri") != Some(&issued.redirect_uri) {
        return grant_err("redirect_uri does not match the one used in the authorization request.");
    }
    let verifier = form.get("code_verifier");
    match (&issued.code_challenge, verifier) {
        (Some(_), None) => {
            return grant_err("code_verifier is required: the authorization request used PKCE.");
        }
        (Some(challenge), Some(v)) => {
            if !valid_verifier(v) {
                return grant_err("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].");
            }
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(Sha256::digest(v.as_bytes()));
            if !constant_time_eq(computed.as_bytes(), challenge.as_bytes()) {
                return grant_err("code_verifier does not match the code_challenge (PKCE S256).");
            }
        }
        (None, Some(_)) => {
            return grant_err(
                "code_verifier was sent but the authorization request had no code_challenge.",
            );
        }
        (None, None) => {}
    }
    let Some(user) = state.sign_in_user(&issued.user_key) else {
        return grant_err("The user of this code no longer exists.");
    };
    let now = now_ms();
    let access = access_token_for(&store.faults, &user.org_id);
    let refresh = ids::webex_token(&user.org_id);
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
    token_response(state, &access, access_lifetime, &refresh, &issued.scopes)
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
) -> Response {
    let grant_err = |d: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", d, tracking);
    let Some(refresh_token) = form.get("refresh_token") else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "refresh_token is required",
            tracking,
        );
    };
    let now = now_ms();
    let cfg = state.config();
    let mut store = state.store();
    let Some(grant) = store.refresh_tokens.get_mut(refresh_token) else {
        return grant_err("The refresh token is invalid or was revoked. Sign in again.");
    };
    if grant.expires_at_ms <= now {
        return grant_err("The refresh token has expired. Sign in again.");
    }
    if grant.client_id != client_id {
        return grant_err("The refresh token was issued to another client.");
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
    token_response(state, &access, access_lifetime, refresh_token, &scopes)
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

// ---------- people/me ----------

async fn people_me(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = bearer_token(&headers) else {
        return webex_error(
            StatusCode::UNAUTHORIZED,
            "The request requires a valid access token set in the Authorization request header.",
            &tracking,
        );
    };
    let grant = match state.access_grant(token) {
        Ok(g) => g,
        Err(TokenProblem::Expired) => {
            return webex_error(
                StatusCode::UNAUTHORIZED,
                "The access token has expired. Refresh it and retry.",
                &tracking,
            );
        }
        Err(TokenProblem::Unknown) => {
            return webex_error(
                StatusCode::UNAUTHORIZED,
                "The request requires a valid access token set in the Authorization request header.",
                &tracking,
            );
        }
    };
    let Some(user) = state.sign_in_user(&grant.user_key) else {
        return webex_error(
            StatusCode::NOT_FOUND,
            "The user no longer exists.",
            &tracking,
        );
    };
    Json(json!({
        "id": hydra_id("PEOPLE", &user.id),
        "emails": [user.email],
        "phoneNumbers": [],
        "displayName": user.display_name(),
        "nickName": user.first_name,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "orgId": hydra_id("ORGANIZATION", &user.org_id),
        "created": "2025-01-01T00:00:00.000Z",
        "lastModified": "2025-06-01T00:00:00.000Z",
        "type": "person",
    }))
    .into_response()
}

/// Webex's shape, or the opaque kind when the `opaque_tokens` fault is on.
fn access_token_for(faults: &crate::state::Faults, org_id: &str) -> String {
    if faults.opaque_tokens {
        ids::opaque_token()
    } else {
        ids::webex_token(org_id)
    }
}

// ---------- control ----------

/// Body of `POST /_sandbox/faults`; every field optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    pub force_429: Option<u32>,
    pub force_5xx: Option<u32>,
    #[serde(default)]
    pub expire_access_tokens: bool,
    #[serde(default)]
    pub expire_refresh_tokens: bool,
    pub latency_ms: Option<u64>,
    pub access_token_lifetime_secs: Option<u64>,
    pub opaque_tokens: Option<bool>,
}

async fn get_faults(State(state): State<AppState>) -> Response {
    Json(fault_view(&state)).into_response()
}

fn fault_view(state: &AppState) -> serde_json::Value {
    let cfg = state.config();
    let store = state.store();
    json!({
        "force_429": store.faults.force_429,
        "force_5xx": store.faults.force_5xx,
        "latency_ms": store.faults.latency_ms.unwrap_or(cfg.latency_ms),
        "access_token_lifetime_secs": store.faults.access_token_lifetime_secs.unwrap_or(cfg.access_token_lifetime_secs),
        "opaque_tokens": store.faults.opaque_tokens,
        "config_force_429": cfg.force_429,
        "error_rate": cfg.error_rate,
        "rate_limit_per_minute": cfg.rate_limit_per_minute,
        "access_tokens": store.access_tokens.len(),
        "refresh_tokens": store.refresh_tokens.len(),
    })
}

async fn set_faults(
    State(state): State<AppState>,
    Extension(tracking): Extension<TrackingId>,
    body: Result<Json<FaultRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => {
            let d = format!(
                "Invalid fault request: {}. Send JSON with any of force_429, force_5xx, expire_access_tokens, expire_refresh_tokens, latency_ms, access_token_lifetime_secs, opaque_tokens.",
                e.body_text()
            );
            return webex_error(StatusCode::BAD_REQUEST, &d, &tracking);
        }
    };
    {
        let now = now_ms();
        let mut store = state.store();
        if let Some(n) = req.force_429 {
            store.faults.force_429 = n;
        }
        if let Some(n) = req.force_5xx {
            store.faults.force_5xx = n;
        }
        if let Some(ms) = req.latency_ms {
            store.faults.latency_ms = Some(ms);
        }
        if let Some(secs) = req.access_token_lifetime_secs {
            store.faults.access_token_lifetime_secs = Some(secs);
        }
        if let Some(opaque) = req.opaque_tokens {
            store.faults.opaque_tokens = opaque;
        }
        if req.expire_access_tokens {
            store
                .access_tokens
                .values_mut()
                .for_each(|g| g.expires_at_ms = g.expires_at_ms.min(now));
        }
        if req.expire_refresh_tokens {
            store
                .refresh_tokens
                .values_mut()
                .for_each(|g| g.expires_at_ms = g.expires_at_ms.min(now));
        }
    }
    tracing::info!(?req, "faults updated");
    Json(fault_view(&state)).into_response()
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

    #[test]
    fn rfc7636_example_verifier_matches() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let c =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()));
        assert_eq!(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(valid_verifier(v));
        assert!(!valid_verifier("short"));
    }

    #[test]
    fn fault_request_debug_has_no_secrets_and_rejects_unknown_fields() {
        assert!(
            serde_json::from_str::<FaultRequest>("{\"force_42\": 1}")
                .unwrap_err()
                .to_string()
                .contains("force_42")
        );
    }
}
