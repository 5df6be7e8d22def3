//! Calls to the token proxy. Every call carries the custom header that forces a CORS preflight,
//! so a cross-site form or image can never reach it.

use wxcc_core::api_error::ApiError;
use wxcc_core::callback::CallbackError;
use wxcc_core::config::{AppConfig, ProxyMode};
use wxcc_core::dpop;
use wxcc_core::proxy_protocol::{
    self as protocol, ErrorCode, LogoutBody, ProbeAnswer, RefreshBody, TokenRequestBody,
    TokenResponse,
};
use wxcc_core::secret::{AuthCode, PkceVerifier, RefreshHandle, Secret};

use crate::http::{self, HttpResponse};

/// The proxy's URL for `path` (also the `htu` of a proof for it).
pub fn url(config: &AppConfig, path: &str) -> String {
    format!("{}{path}", config.token_proxy_url.trim_end_matches('/'))
}

async fn post(
    config: &AppConfig,
    path: &str,
    body: String,
    proof: Option<&Secret>,
) -> Result<HttpResponse, String> {
    let url = url(config, path);
    let mut headers = vec![
        ("content-type", protocol::CONTENT_TYPE.into()),
        (
            protocol::REQUEST_HEADER,
            protocol::REQUEST_HEADER_VALUE.into(),
        ),
    ];
    if let Some(proof) = proof {
        headers.push((dpop::HEADER, proof.secret().into()));
    }
    http::send(http::Request {
        method: "POST",
        url: &url,
        headers,
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
    key_thumbprint: Option<&str>,
) -> Result<(TokenResponse, f64), CallbackError> {
    let body = TokenRequestBody {
        code: &code,
        code_verifier: &verifier,
        remember,
        key_thumbprint,
    }
    .to_json();
    let response = post(config, protocol::TOKEN_PATH, body, None)
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
    Err(match error_code(&error) {
        Some(ErrorCode::InvalidGrant) => CallbackError::InvalidGrant,
        Some(ErrorCode::ProxyMisconfigured) => CallbackError::ProxyMisconfigured {
            tracking_id: error.tracking_id,
        },
        Some(ErrorCode::UpstreamUnavailable | ErrorCode::UpstreamRateLimited) => {
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

/// Why `/refresh` gave no token, as the refresh logic needs to tell it.
#[derive(Clone, Debug, PartialEq)]
pub enum Refused {
    Failure(RefreshFailure),
    /// The handle is bound to a key this browser does not hold (`dpop_key_mismatch`,
    /// `dpop_proof_missing`): the session cannot continue here.
    BoundElsewhere,
}

impl From<RefreshFailure> for Refused {
    fn from(failure: RefreshFailure) -> Self {
        Refused::Failure(failure)
    }
}

/// `POST /refresh` with the cookie (cookie mode) or the sealed handle and its proof (handle mode).
pub async fn refresh(
    config: &AppConfig,
    handle: Option<&RefreshHandle>,
    proof: Option<&Secret>,
) -> Result<TokenResponse, Refused> {
    let refresh_handle = match (config.proxy_mode, handle) {
        (ProxyMode::Handle, Some(handle)) => Some(handle),
        (ProxyMode::Handle, None) => return Err(RefreshFailure::SessionOver.into()),
        (ProxyMode::Cookie, _) => None,
    };
    let body = RefreshBody {
        refresh_handle,
        probe: false,
    }
    .to_json();
    let response = post(config, protocol::REFRESH_PATH, body, proof)
        .await
        .map_err(|e| RefreshFailure::Unavailable(unreachable(&e)))?;
    if response.ok() {
        return TokenResponse::from_json(&response.body)
            .map_err(|e| RefreshFailure::Unavailable(ApiError::network(&e.to_string())).into());
    }
    let error = answered(&response);
    if error_code(&error).is_some_and(ErrorCode::bound_elsewhere) {
        return Err(Refused::BoundElsewhere);
    }
    let over = response.status == 401
        || error_code(&error)
            .is_some_and(|code| code == ErrorCode::InvalidGrant || code.ends_the_session());
    Err(if over {
        RefreshFailure::SessionOver.into()
    } else {
        RefreshFailure::Unavailable(error).into()
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
    let body = RefreshBody {
        refresh_handle: None,
        probe: true,
    }
    .to_json();
    let response = post(config, protocol::REFRESH_PATH, body, None)
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
    match ProbeAnswer::from_value(&value) {
        Ok(ProbeAnswer::SignedIn(token)) => Ok(Probe::Session(token)),
        Ok(ProbeAnswer::SignedOut(signed_out)) => Ok(Probe::None {
            ended: signed_out.ended(),
            remember_days: signed_out.remember_days,
        }),
        Err(e) => Err(RefreshFailure::Unavailable(ApiError::network(
            &e.to_string(),
        ))),
    }
}

/// `POST /logout` (in handle mode with the handle and the proof of the session's key): the proxy
/// revokes the session and clears its cookie. A failure says what failed and what to do: the cookie stays in the browser until it
/// closes (or the proxy is reached).
pub async fn logout(
    config: &AppConfig,
    refresh_handle: Option<&RefreshHandle>,
    proof: Option<&Secret>,
) -> Result<(), String> {
    let body = LogoutBody { refresh_handle }.to_json();
    let response = post(config, protocol::LOGOUT_PATH, body, proof)
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

/// The proxy's error code in an error answer (`None` for another server's error, or a code this
/// build does not know).
fn error_code(error: &ApiError) -> Option<ErrorCode> {
    error.error_code.as_deref().and_then(ErrorCode::parse)
}
