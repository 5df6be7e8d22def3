//! The three session endpoints: `/token` (sign-in), `/refresh` and `/logout`.

mod signout;

use crate::dpop::ProvenRequest;
use crate::error::{ErrorCode, ProxyError};
use crate::policy::accept_post;
use crate::request::{self, SessionMode};
use crate::sealing::{OpenError, SealedSession, SessionId};
use crate::session;
use crate::state::AppState;
use crate::upstream::{self, Grant, IssuedTokens};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use wxcc_core::proxy_protocol::{REFRESH_PATH, SignedOut};
use wxcc_core::secret::Secret;

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

/// Seals the session and builds the success answer: the cookie (cookie mode) or the handle in the body.
fn issue(state: &AppState, tokens: &IssuedTokens, session: &SealedSession, now: u64) -> Response {
    let sealed = state.inner.sealer.seal(session);
    let body = session::token_answer(tokens, session, now, state.inner.mode, &sealed);
    let mut response = Json(body).into_response();
    if state.inner.mode == SessionMode::Cookie {
        let max_age = session
            .times
            .persistent
            .then(|| session.times.remaining(now));
        let cookie = session::session_cookie(&sealed, max_age);
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
    let now = state.now_unix();
    let refresh_expires_at = now.saturating_add(
        tokens
            .refresh_token_expires_in
            .unwrap_or_else(|| assumed_refresh_lifetime(&state)),
    );
    let session = SealedSession {
        refresh_token,
        refresh_expires_at,
        times: state.inner.sessions.start(
            now,
            refresh_expires_at,
            exchange.remember,
            state.inner.mode,
        ),
        // New at every sign-in, so sign-out revokes this session and no other.
        session_id: SessionId::random(),
        key_thumbprint: exchange.key_thumbprint,
    };
    Ok(issue(&state, &tokens, &session, now))
}

/// `/refresh`: a new access token for the session in the cookie (cookie mode) or the handle. As a quiet
/// probe (`"probe": true`), "no session" and "session over" are success answers that say so.
pub(crate) async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, RefreshRefused> {
    let (mode, remember_days) = (state.inner.mode, remember_days(&state));
    let refused = |probe: bool| move |error| RefreshRefused::new(error, mode, remember_days, probe);
    let body = accept_post(&state, &headers, body)
        .await
        .map_err(refused(false))?;
    let request = request::parse_refresh(&body, state.inner.mode).map_err(refused(false))?;
    let sealed = match (request.handle, state.inner.mode) {
        (Some(handle), _) => Some(handle),
        (None, SessionMode::Cookie) => session::find_session_cookie(
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok()),
        ),
        (None, SessionMode::Handle) => None,
    };
    let Some(sealed) = sealed else {
        if request.probe {
            tracing::info!("session probe: no session");
            let signed_out = SignedOut {
                reason: None,
                remember_days,
            };
            return Ok(Json(signed_out).into_response());
        }
        return Err(refused(false)(ProxyError::new(
            ErrorCode::SessionExpired,
            "There is no session cookie (signed out, expired, or blocked by the browser); sign in again.",
        )));
    };
    renew_session(&state, &sealed, &headers)
        .await
        .map_err(refused(request.probe))
}

/// The days "keep me signed in" lasts with this proxy (0: not offered), for the sign-in screen.
fn remember_days(state: &AppState) -> u32 {
    state.inner.sessions.remember_days_for(state.inner.mode)
}

/// Opens the sealed session, refreshes upstream and seals the current refresh token with the same
/// session times.
async fn renew_session(
    state: &AppState,
    sealed: &Secret,
    headers: &HeaderMap,
) -> Result<Response, ProxyError> {
    let now = state.now_unix();
    let current = state
        .inner
        .sealer
        .open(sealed.secret(), now)
        .map_err(open_error)?;
    // A handle bound to a browser key mints only with that key's proof (see `dpop`).
    if let Some(thumbprint) = &current.key_thumbprint {
        let request = ProvenRequest {
            method: "POST",
            path: REFRESH_PATH,
        };
        state
            .inner
            .proofs
            .verify(dpop_header(headers), thumbprint.as_bytes(), request, now)?;
    }
    // The rules in force now apply to sessions sealed earlier (a shortened lifetime ends them sooner).
    let times = state.inner.sessions.cap(current.times, state.inner.mode);
    if now >= times.ends_at {
        return Err(open_error(OpenError::SessionEnded));
    }
    // Signed out: every value of the session (this one, copies, earlier re-sealings) is refused.
    signout::refuse_revoked(state, &current, now).await?;
    let form = upstream::refresh_form(&state.inner.client, &current.refresh_token);
    let tokens = call_upstream(state, Grant::RefreshToken, &form).await?;
    // Webex may hand back the same refresh token or rotate it; seal whatever is current.
    let refresh_token = tokens
        .refresh_token
        .clone()
        .unwrap_or(current.refresh_token);
    // Without a stated lifetime, a kept refresh token keeps its expiry and a new one gets the default.
    let refresh_expires_at = match (tokens.refresh_token_expires_in, &tokens.refresh_token) {
        (Some(lifetime), _) => now.saturating_add(lifetime),
        (None, Some(_)) => now.saturating_add(assumed_refresh_lifetime(state)),
        (None, None) => current.refresh_expires_at,
    };
    // Same sign-in time, same end, same id and key: a refresh never extends or detaches the session.
    let session = SealedSession {
        refresh_token,
        refresh_expires_at,
        times: times.within(refresh_expires_at),
        session_id: current.session_id,
        key_thumbprint: current.key_thumbprint,
    };
    Ok(issue(state, &tokens, &session, now))
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
/// the cookie, so the browser stops sending one that can never work again; a probe then answers 200
/// with a body that says the session is over (any other refusal keeps its error status).
pub(crate) struct RefreshRefused {
    error: ProxyError,
    clear_cookie: bool,
    /// For a probe that found the session over: the answer that says so.
    signed_out: Option<SignedOut>,
}

impl RefreshRefused {
    fn new(error: ProxyError, mode: SessionMode, remember_days: u32, probe: bool) -> Self {
        let session_over = error.code.ends_the_session();
        Self {
            clear_cookie: session_over && mode == SessionMode::Cookie,
            signed_out: (probe && session_over).then_some(SignedOut {
                reason: Some(error.code),
                remember_days,
            }),
            error,
        }
    }
}

impl IntoResponse for RefreshRefused {
    fn into_response(self) -> Response {
        let clear = self.clear_cookie.then(clear_cookie_header);
        match self.signed_out {
            Some(signed_out) => {
                tracing::info!(
                    reason = self.error.code.as_str(),
                    "session probe: the session is over"
                );
                (clear, Json(signed_out)).into_response()
            }
            None => (clear, self.error).into_response(),
        }
    }
}

/// `/logout`: revokes the session named by the cookie (cookie mode) or the handle in the body (handle
/// mode), then clears the cookie, even when the revocation could not be recorded (that error says so).
pub(crate) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ProxyError> {
    let body = accept_post(&state, &headers, body).await?;
    let handle = request::parse_logout(&body, state.inner.mode)?;
    let cookie_mode = state.inner.mode == SessionMode::Cookie;
    let sealed = handle.or_else(|| {
        cookie_mode
            .then(|| {
                session::find_session_cookie(
                    headers
                        .get_all(header::COOKIE)
                        .iter()
                        .filter_map(|v| v.to_str().ok()),
                )
            })
            .flatten()
    });
    let revoked = match &sealed {
        Some(sealed) => signout::revoke(&state, sealed, dpop_header(&headers)).await,
        None => Ok(()),
    };
    let clear = cookie_mode.then(clear_cookie_header);
    Ok(match revoked {
        Ok(()) => (clear, StatusCode::NO_CONTENT).into_response(),
        Err(error) => (clear, error).into_response(),
    })
}

/// The `DPoP` header, when there is exactly one that is text.
fn dpop_header(headers: &HeaderMap) -> Option<&str> {
    let mut values = headers.get_all(wxcc_core::dpop::HEADER_LOWER).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value.to_str().ok(),
        _ => None,
    }
}

fn clear_cookie_header() -> [(HeaderName, HeaderValue); 1] {
    [(
        header::SET_COOKIE,
        HeaderValue::from_static(session::clear_cookie()),
    )]
}

/// The answer for a sealed value that does not open, logged with why (the value itself never is).
/// A value of another deployment or mode, a forged one or an unknown key is worth an operator's
/// look (`warn`); an ended or expired session is the normal course of things.
fn open_error(error: OpenError) -> ProxyError {
    match error {
        OpenError::Expired | OpenError::SessionEnded | OpenError::Outdated => {
            tracing::info!(reason = error.reason(), "sealed session refused");
        }
        OpenError::Malformed
        | OpenError::UnknownKey
        | OpenError::OtherMode
        | OpenError::OtherDeployment
        | OpenError::Tampered => {
            tracing::warn!(reason = error.reason(), "sealed session refused");
        }
    }
    match error {
        OpenError::Expired => ProxyError::new(
            ErrorCode::RefreshExpired,
            "The session has expired; sign in again.",
        ),
        OpenError::SessionEnded => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session reached the end of its lifetime (sign-ins last a limited time, however active); sign in again.",
        ),
        OpenError::Outdated => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session was created by an earlier version of the token proxy, which did not record when it ends; sign in again.",
        ),
        OpenError::OtherMode => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session was created while the token proxy ran in the other session mode; sign in again.",
        ),
        OpenError::OtherDeployment => ProxyError::new(
            ErrorCode::SessionExpired,
            "The session was created by another deployment of the token proxy (another client id, other origins or another deployment id); sign in again.",
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
