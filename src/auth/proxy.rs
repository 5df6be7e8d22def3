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
) -> Result<(TokenResponse, f64), CallbackError> {
    let body = ObjectWriter::default()
        .text("code", code.secret())
        .text("code_verifier", verifier.secret())
        .finish();
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
    let error = ApiError::from_response(
        response.status,
        &response.error_headers(),
        &response.body,
        0,
    );
    Err(if error.is_invalid_grant() {
        CallbackError::InvalidGrant
    } else if response.status == 502 || response.status == 503 || response.status == 504 {
        CallbackError::ProxyUnreachable
    } else {
        CallbackError::ExchangeFailed {
            status: response.status,
            tracking_id: error.tracking_id,
        }
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
        .map_err(|e| RefreshFailure::Unavailable(ApiError::network(&e)))?;
    if response.ok() {
        return TokenResponse::from_json(&response.body)
            .map_err(|e| RefreshFailure::Unavailable(ApiError::network(&e.to_string())));
    }
    let error = ApiError::from_response(
        response.status,
        &response.error_headers(),
        &response.body,
        0,
    );
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

/// `POST /logout`: clears the proxy's cookie. Failure is not an error for the user: the tab's
/// session is already gone, and a cookie left behind expires with the refresh token.
pub async fn logout(config: &AppConfig) {
    let _ = post(config, "/logout", ObjectWriter::default().finish()).await;
}
