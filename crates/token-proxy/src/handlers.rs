//! The three session endpoints: `/token` (sign-in), `/refresh` and `/logout`.

use crate::app::{AppState, accept_post};
use crate::error::{ErrorCode, ProxyError};
use crate::request::{self, SessionMode};
use crate::sealing::OpenError;
use crate::session::{self, TokenBody};
use crate::upstream::{self, Grant, IssuedTokens};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::time::{SystemTime, UNIX_EPOCH};
use wxcc_core::secret::Secret;

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn call_upstream(
    state: &AppState,
    grant: Grant,
    form: &Secret,
) -> Result<IssuedTokens, ProxyError> {
    let reply = state
        .inner
        .endpoint
        .post_form(form)
        .await
        .map_err(upstream::map_transport_failure)?;
    let result = upstream::map_reply(grant, &reply);
    tracing::info!(
        upstream_status = reply.status,
        grant = ?grant,
        outcome = if result.is_ok() { "tokens issued" } else { "refused" },
        "token endpoint answered"
    );
    result
}

/// Seals the refresh token and builds the success answer (cookie or handle).
fn issue(
    state: &AppState,
    tokens: &IssuedTokens,
    refresh_token: &Secret,
    expires_at: u64,
) -> Response {
    let now = now_unix();
    let sealed = state.inner.sealer.seal(refresh_token, expires_at);
    let remaining = expires_at.saturating_sub(now);
    let body = TokenBody::new(tokens, remaining, state.inner.mode, &sealed);
    let mut response = Json(body).into_response();
    if state.inner.mode == SessionMode::Cookie {
        let cookie = session::session_cookie(&sealed, remaining);
        if let Ok(value) = HeaderValue::from_str(cookie.secret()) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

pub(crate) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    let body = accept_post(&state, &headers, body).await?;
    let exchange = request::parse_code_exchange(&body)?;
    let form =
        upstream::code_exchange_form(&state.inner.client, &exchange.code, &exchange.code_verifier);
    let tokens = call_upstream(&state, Grant::AuthorizationCode, &form).await?;
    let refresh_token = tokens.refresh_token.clone().ok_or_else(internal)?;
    let lifetime = tokens
        .refresh_token_expires_in
        .unwrap_or_else(|| assumed_refresh_lifetime(&state));
    Ok(issue(
        &state,
        &tokens,
        &refresh_token,
        now_unix() + lifetime,
    ))
}

pub(crate) async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, RefreshRefused> {
    renew_session(&state, &headers, body)
        .await
        .map_err(|error| RefreshRefused::new(error, state.inner.mode))
}

/// Opens the session (handle in the body, or the cookie), refreshes upstream and seals the current token.
async fn renew_session(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    let body = accept_post(state, headers, body).await?;
    let handle = request::parse_refresh(&body, state.inner.mode)?;
    let sealed = match handle {
        Some(handle) => handle,
        None => session::find_session_cookie(
            headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()),
        )
        .ok_or_else(|| {
            ProxyError::new(
                ErrorCode::SessionExpired,
                "There is no session cookie (signed out, expired, or blocked by the browser); sign in again.",
            )
        })?,
    };
    let now = now_unix();
    let current = state
        .inner
        .sealer
        .open(sealed.secret(), now)
        .map_err(open_error)?;
    let form = upstream::refresh_form(&state.inner.client, &current.refresh_token);
    let tokens = call_upstream(state, Grant::RefreshToken, &form).await?;
    // Webex may hand back the same refresh token or rotate it; seal whatever is current.
    let refresh_token = tokens
        .refresh_token
        .clone()
        .unwrap_or(current.refresh_token);
    // Without a stated lifetime, a kept refresh token keeps its expiry and a new one gets the default.
    let expires_at = match (tokens.refresh_token_expires_in, &tokens.refresh_token) {
        (Some(lifetime), _) => now + lifetime,
        (None, Some(_)) => now + assumed_refresh_lifetime(state),
        (None, None) => current.expires_at,
    };
    Ok(issue(state, &tokens, &refresh_token, expires_at))
}

/// The configured refresh-token lifetime, for a token answer that does not state one.
fn assumed_refresh_lifetime(state: &AppState) -> u64 {
    let seconds = state.inner.sessions.default_refresh_lifetime_secs;
    tracing::info!(
        assumed_secs = seconds,
        "token answer has no refresh_token_expires_in; assuming the configured default"
    );
    seconds
}

/// A refused `/refresh`. When the refusal means the session is over, a cookie-mode answer also clears
/// the cookie, so the browser stops sending one that can never work again.
pub(crate) struct RefreshRefused {
    error: ProxyError,
    clear_cookie: bool,
}

impl RefreshRefused {
    fn new(error: ProxyError, mode: SessionMode) -> Self {
        let session_over = matches!(
            error.code,
            ErrorCode::SessionExpired | ErrorCode::RefreshExpired
        );
        Self {
            clear_cookie: session_over && mode == SessionMode::Cookie,
            error,
        }
    }
}

impl IntoResponse for RefreshRefused {
    fn into_response(self) -> Response {
        (self.clear_cookie.then(clear_cookie_header), self.error).into_response()
    }
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<impl IntoResponse, ProxyError> {
    let body = accept_post(&state, &headers, body).await?;
    request::parse_logout(&body)?;
    let cookie_mode = state.inner.mode == SessionMode::Cookie;
    Ok((
        cookie_mode.then(clear_cookie_header),
        StatusCode::NO_CONTENT,
    ))
}

fn clear_cookie_header() -> [(HeaderName, HeaderValue); 1] {
    [(
        header::SET_COOKIE,
        HeaderValue::from_static(session::clear_cookie()),
    )]
}

fn open_error(error: OpenError) -> ProxyError {
    match error {
        OpenError::Expired => ProxyError::new(
            ErrorCode::RefreshExpired,
            "The session has expired; sign in again.",
        ),
        OpenError::UnknownKey => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session was created with a key this proxy no longer holds; sign in again.",
        ),
        OpenError::Malformed | OpenError::Tampered => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session could not be read (it was not issued by this proxy or was altered); sign in again.",
        ),
    }
}

fn internal() -> ProxyError {
    ProxyError::new(
        ErrorCode::InternalError,
        "The token proxy hit an unexpected state; try again, and report it if it persists.",
    )
}
