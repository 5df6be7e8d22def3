//! Issuing access tokens, and the token endpoint's success answer as the knobs shape it.

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::ids;
use crate::state::{Faults, Grant, Store};

/// Issues a new access token carrying `grant`'s user, client and scopes, and remembers it as the last
/// one `refresh_token` produced (for stable refresh). Returns the token and its lifetime in seconds.
pub fn issue_access_token(
    store: &mut Store,
    refresh_token: &str,
    grant: &Grant,
    org_id: &str,
    now_ms: i64,
) -> (String, u64) {
    let lifetime = store.faults.knobs.access_token_lifetime_secs;
    let access = if store.faults.opaque_tokens {
        ids::opaque_token()
    } else {
        ids::access_token(org_id)
    };
    let access_grant = Grant {
        issued_at_ms: now_ms,
        expires_at_ms: now_ms + lifetime as i64 * 1000,
        ..grant.clone()
    };
    store.access_tokens.insert(access.clone(), access_grant);
    store
        .last_access_token
        .insert(refresh_token.to_string(), access.clone());
    (access, lifetime)
}

/// What a successful token request hands out.
pub struct IssuedTokens<'a> {
    pub access_token: String,
    pub expires_in: u64,
    pub refresh_token: &'a str,
    pub refresh_token_expires_in: u64,
    pub scopes: &'a [String],
}

/// The success answer: the fields Webex documents (`access_token`, `expires_in`, `refresh_token`,
/// `refresh_token_expires_in`, `token_type`), minus `refresh_token_expires_in` or plus `scope` when
/// the knobs ask for a standard OAuth 2.0 server's variants. Never cached.
pub struct TokenAnswer {
    body: Value,
}

impl TokenAnswer {
    pub fn new(faults: &Faults, tokens: IssuedTokens<'_>) -> TokenAnswer {
        let mut body = json!({
            "access_token": tokens.access_token,
            "expires_in": tokens.expires_in,
            "refresh_token": tokens.refresh_token,
            "token_type": "Bearer",
        });
        if let Some(fields) = body.as_object_mut() {
            if !faults.knobs.omit_refresh_token_expires_in {
                fields.insert(
                    "refresh_token_expires_in".into(),
                    json!(tokens.refresh_token_expires_in),
                );
            }
            if faults.knobs.report_scope {
                fields.insert("scope".into(), json!(tokens.scopes.join(" ")));
            }
        }
        TokenAnswer { body }
    }
}

impl IntoResponse for TokenAnswer {
    fn into_response(self) -> Response {
        let mut response = Json(self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        response
    }
}
