//! Calls to the token proxy. Every call carries the custom header that forces a CORS preflight,
//! so a cross-site form or image can never reach it.

use wxcc_core::api_error::ApiError;
use wxcc_core::callback::CallbackError;
use wxcc_core::config::{AppConfig, ProxyMode};
use wxcc_core::json::ObjectWriter;
use wxcc_core::secret::{AuthCode, PkceVerifier, RefreshHandle};
use wxcc_core::session::TokenResponse;

use crate::http::{self, HttpResponse};

async fn post(config: &AppConfig, path: &str, body: String) -> Result<HttpResponse, String> {
    let url = format!("{}{path}", config.token_proxy_url.trim_end_matches('/'));
    http::send(http::Request {
        method: "POST",
        url: &url,
        headers: vec![
            ("content-type", "application/json".into()),
            ("x-wxcc-request", "1".into()),
        ],
        body: Some(body),
        with_credentials: config.proxy_mode == ProxyMode::Cookie,
    })
    .await
}

/// The code exchange (`POST /token`). The proxy adds the client secret and the fixed redirect_uri.
pub async fn exchange(
    config: &AppConfig,
    code: AuthCode,
    verifier: PkceVerifier,
    remember: bool,
) -> Result<(TokenResponse, f64), CallbackError> {
    let mut body = ObjectWriter::default()
        .text("code", code.secret())
        .text("code_verifier", verifier.secret());
    if remember {
        body = body.boolean("remember", true);
    }
    let body = body.finish();
    let response = post(config, "/token", body)
        .await
        .map_err(|_| CallbackError::ProxyUnreachable)?;
    if response.ok() {
        let token = TokenResponse::from_json(&response.body).map_err(|_| {
            CallbackError::ExchangeFailed {
                status: response.status,
                tracking_id: response.tracking_id.clone(),
            }
        })?;
        return Ok((token, response.elapsed_ms));
    }
    let error = answered(&response);
    // The proxy answered: its error code says whether Webex or the proxy itself is at fault.
    Err(match error.error_code.as_deref() {
        _ if error.is_invalid_grant() => CallbackError::InvalidGrant,
        Some("proxy_misconfigured") => CallbackError::ProxyMisconfigured {
            tracking_id: error.tracking_id,
        },
        Some("upstream_unavailable" | "upstream_rate_limited") => {
            CallbackError::IdentityUnavailable {
                status: response.status,
                tracking_id: error.tracking_id,
            }
        }
        _ => CallbackError::ExchangeFailed {
            status: response.status,
            tracking_id: error.tracking_id,
        },
    })
}

/// Why a refresh did not produce a token.
#[derive(Clone, Debug, PartialEq)]
pub enum RefreshFailure {
    /// The refresh token expired or was revoked: the user must sign in again.
    SessionOver,
    /// The proxy or Webex is unreachable or failing now; the session may still be good.
    Unavailable(ApiError),
}

/// `POST /refresh` with the cookie (cookie mode) or the sealed handle (handle mode).
pub async fn refresh(
    config: &AppConfig,
    handle: Option<&RefreshHandle>,
) -> Result<TokenResponse, RefreshFailure> {
    let body = match (config.proxy_mode, handle) {
        (ProxyMode::Handle, Some(handle)) => ObjectWriter::default()
            .text("refresh_handle", handle.secret())
            .finish(),
        (ProxyMode::Handle, None) => return Err(RefreshFailure::SessionOver),
        (ProxyMode::Cookie, _) => ObjectWriter::default().finish(),
    };
    let response = post(config, "/refresh", body)
        .await
        .map_err(|e| RefreshFailure::Unavailable(unreachable(&e)))?;
    if response.ok() {
        return TokenResponse::from_json(&response.body)
            .map_err(|e| RefreshFailure::Unavailable(ApiError::network(&e.to_string())));
    }
    let error = answered(&response);
    let over = response.status == 401
        || error.is_invalid_grant()
        || matches!(
            error.error_code.as_deref(),
            Some("session_expired" | "refresh_expired")
        );
    Err(if over {
        RefreshFailure::SessionOver
    } else {
        RefreshFailure::Unavailable(error)
    })
}

/// What the quiet session probe found (cookie mode, at start-up).
pub enum Probe {
    /// The cookie holds a live session: a fresh access token for this tab.
    Session(TokenResponse),
    /// No usable session: no cookie (a first visit, after sign-out, after the browser closed), or
    /// one that has `ended` (expired or refused), which the start page then says.
    None { ended: bool, remember_days: u32 },
}

/// `POST /refresh` with `{"probe": true}`: like a refresh, but "no session" is a 200 answer that
/// says so, so a first visit logs no failed request. It also says whether the proxy offers
/// "Keep me signed in on this device".
pub async fn probe(config: &AppConfig) -> Result<Probe, RefreshFailure> {
    let body = ObjectWriter::default().boolean("probe", true).finish();
    let response = post(config, "/refresh", body)
        .await
        .map_err(|e| RefreshFailure::Unavailable(unreachable(&e)))?;
    if !response.ok() {
        return Err(RefreshFailure::Unavailable(answered(&response)));
    }
    let value = wxcc_core::json::parse(&response.body).map_err(|_| {
        RefreshFailure::Unavailable(ApiError::network(
            "The token proxy answered the session probe with something that is not JSON.",
        ))
    })?;
    if value.get("signed_in") == Some(&serde_json::Value::Bool(false)) {
        let number = |name| value.get(name).and_then(serde_json::Value::as_u64);
        return Ok(Probe::None {
            ended: value.get("reason").is_some(),
            remember_days: number("remember_days").unwrap_or(0) as u32,
        });
    }
    TokenResponse::from_json(&response.body)
        .map(Probe::Session)
        .map_err(|e| RefreshFailure::Unavailable(ApiError::network(&e.to_string())))
}

/// `POST /logout`: the proxy clears its cookie. A failure says what failed and what to do: the
/// cookie stays in the browser until it closes (or the proxy is reached).
pub async fn logout(config: &AppConfig) -> Result<(), String> {
    let response = post(config, "/logout", ObjectWriter::default().finish())
        .await
        .map_err(|e| {
            format!(
                "Sign-out could not reach the token proxy ({e}). This browser may still hold the \
                 sign-in cookie: retry, or close the browser to end it."
            )
        })?;
    if response.ok() {
        return Ok(());
    }
    let error = answered(&response);
    Err(format!(
        "The token proxy refused the sign-out: {} This browser may still hold the sign-in \
         cookie: retry, or close the browser to end it.",
        error.title()
    ))
}

/// A proxy that could not be reached at all (network, DNS, CORS): not the same as one that
/// answered with an error.
fn unreachable(detail: &str) -> ApiError {
    ApiError::network(&format!(
        "The token proxy could not be reached ({detail}). Check your connection and the \
         proxy's address in config.json."
    ))
}

/// The proxy's own error answer, decoded (its `error` code says whether Webex failed or the
/// proxy is misconfigured).
fn answered(response: &HttpResponse) -> ApiError {
    ApiError::from_response(
        response.status,
        &response.error_headers(),
        &response.body,
        0,
    )
}
