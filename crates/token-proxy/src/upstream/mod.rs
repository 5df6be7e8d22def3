//! The upstream token endpoint, pure half: building the form body and mapping whatever comes back
//! (success, OAuth error, rate limit, outage, garbage) to a typed result with a stable error code.
//! Upstream bodies are never echoed: only the `trackingId` is kept.

mod gate;
mod tokens;

use crate::error::{ErrorCode, ProxyError};
pub use gate::{DEFAULT_HOLD_SECS, UpstreamGate};
use serde_json::Value;
use tokens::parse_tokens;
pub use tokens::{IssuedTokens, Unreadable};
use url::Url;
use wxcc_core::secret::Secret;

/// Upstream bodies larger than this are treated as garbage.
pub const MAX_UPSTREAM_BODY_BYTES: usize = 64 * 1024;

/// Which of the two supported grants a call is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    AuthorizationCode,
    RefreshToken,
}

/// The proxy's own client registration, fixed server-side.
#[derive(Debug, Clone)]
pub struct ClientRegistration {
    pub client_id: String,
    pub client_secret: Secret,
    pub redirect_uri: Url,
}

/// `application/x-www-form-urlencoded` body for the authorization-code grant.
pub fn code_exchange_form(client: &ClientRegistration, code: &Secret, verifier: &Secret) -> Secret {
    encode_form(&[
        ("grant_type", "authorization_code"),
        ("client_id", &client.client_id),
        ("client_secret", client.client_secret.secret()),
        ("code", code.secret()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", verifier.secret()),
    ])
}

/// `application/x-www-form-urlencoded` body for the refresh-token grant.
pub fn refresh_form(client: &ClientRegistration, refresh_token: &Secret) -> Secret {
    encode_form(&[
        ("grant_type", "refresh_token"),
        ("client_id", &client.client_id),
        ("client_secret", client.client_secret.secret()),
        ("refresh_token", refresh_token.secret()),
    ])
}

fn encode_form(pairs: &[(&str, &str)]) -> Secret {
    Secret::new(serde_urlencoded::to_string(pairs).expect("string pairs always encode"))
}

/// What the transport got back; the adapter fills this in.
#[derive(Debug, Clone)]
pub struct UpstreamReply {
    pub status: u16,
    pub body: Vec<u8>,
    /// The `TrackingID` response header, if any.
    pub tracking_id_header: Option<String>,
    /// The `Retry-After` response header, if any.
    pub retry_after_header: Option<String>,
}

/// Why the transport got nothing usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    Timeout,
    Unreachable,
    BodyTooLarge,
    /// Not sent: the identity service rate limited the proxy and its `Retry-After` has not passed.
    HeldBack {
        retry_after: u64,
    },
}

/// The reply's `Retry-After` in seconds (the delta-seconds form Webex sends), at most an hour.
pub fn retry_after_secs(reply: &UpstreamReply) -> Option<u64> {
    reply
        .retry_after_header
        .as_deref()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| s.min(3600))
}

pub fn map_transport_failure(failure: TransportFailure) -> ProxyError {
    match failure {
        TransportFailure::Timeout => ProxyError::new(
            ErrorCode::UpstreamUnavailable,
            "The Webex identity service did not answer in time; try again in a moment.",
        )
        .with_status(504),
        TransportFailure::Unreachable => ProxyError::new(
            ErrorCode::UpstreamUnavailable,
            "The Webex identity service could not be reached; try again in a moment.",
        ),
        TransportFailure::BodyTooLarge => {
            tracing::warn!(
                limit_bytes = MAX_UPSTREAM_BODY_BYTES,
                "token endpoint answer refused: larger than the proxy reads"
            );
            garbage(None)
        }
        TransportFailure::HeldBack { retry_after } => ProxyError::new(
            ErrorCode::UpstreamRateLimited,
            format!(
                "The Webex identity service is rate limiting sign-ins, so the proxy is not calling it for now; wait {retry_after} seconds and try again."
            ),
        )
        .with_retry_after(Some(retry_after)),
    }
}

fn garbage(tracking_id: Option<String>) -> ProxyError {
    ProxyError::new(
        ErrorCode::UpstreamUnavailable,
        "The Webex identity service gave an answer the proxy cannot read; try again later.",
    )
    .with_tracking_id(tracking_id)
}

/// Maps an upstream reply to tokens or to a stable error. Every answer the proxy cannot use is logged at
/// warn level with its status and reason (never the body, which may hold tokens).
pub fn map_reply(grant: Grant, reply: &UpstreamReply) -> Result<IssuedTokens, ProxyError> {
    let json: Option<Value> = serde_json::from_slice(&reply.body).ok();
    let tracking_id = json
        .as_ref()
        .and_then(|j| j.get("trackingId"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| reply.tracking_id_header.clone())
        .and_then(sanitize_tracking_id);
    let oauth_error = json
        .as_ref()
        .and_then(|j| j.get("error"))
        .and_then(Value::as_str);
    let status = reply.status;

    match status {
        200..=299 => {
            let parsed = match &json {
                Some(json) => parse_tokens(grant, json),
                None => Err(Unreadable::NotJson),
            };
            parsed.map_err(|reason| {
                tracing::warn!(
                    upstream_status = status,
                    ?grant,
                    %reason,
                    "token endpoint answer refused: not a usable token response"
                );
                garbage(tracking_id)
            })
        }
        429 => {
            tracing::warn!(
                upstream_status = status,
                ?grant,
                "token endpoint answer refused: the identity service rate limits the proxy"
            );
            Err(ProxyError::new(
                ErrorCode::UpstreamRateLimited,
                "The Webex identity service is rate limiting sign-ins; wait a little and try again.",
            )
            .with_tracking_id(tracking_id)
            .with_retry_after(retry_after_secs(reply)))
        }
        500..=599 => {
            tracing::warn!(
                upstream_status = status,
                ?grant,
                "token endpoint answer refused: the identity service failed"
            );
            Err(ProxyError::new(
                ErrorCode::UpstreamUnavailable,
                "The Webex identity service failed; try again in a moment.",
            )
            .with_tracking_id(tracking_id))
        }
        300..=399 | 404 | 405 => {
            tracing::warn!(
                upstream_status = status,
                ?grant,
                "token endpoint answer refused: it does not accept token requests (redirect or no such endpoint); check WXCC_PROXY_TOKEN_ENDPOINT"
            );
            Err(misconfigured(
                "The configured token endpoint does not accept token requests (WXCC_PROXY_TOKEN_ENDPOINT); the operator must fix it.",
            )
            .with_tracking_id(tracking_id))
        }
        400..=403 => {
            let client_rejected =
                matches!(oauth_error, Some("invalid_client" | "unauthorized_client"))
                    || (status == 401 && oauth_error.is_none());
            let shown_error = oauth_error.and_then(plain_error_code).unwrap_or("");
            if client_rejected {
                tracing::warn!(
                    upstream_status = status,
                    ?grant,
                    oauth_error = shown_error,
                    "token endpoint refused the proxy's client id or secret; check WXCC_PROXY_CLIENT_ID and the client secret"
                );
                return Err(misconfigured(
                    "The Webex identity service rejected the proxy's client id or secret; the operator must check WXCC_PROXY_CLIENT_ID and the client secret.",
                )
                .with_tracking_id(tracking_id));
            }
            // A refused code or refresh token is the user's session ending, not a fault: info level.
            tracing::info!(
                upstream_status = status,
                ?grant,
                oauth_error = shown_error,
                "token endpoint refused the grant"
            );
            Err(grant_rejected(grant).with_tracking_id(tracking_id))
        }
        _ => {
            tracing::warn!(
                upstream_status = status,
                ?grant,
                "token endpoint answer refused: unexpected status"
            );
            Err(garbage(tracking_id))
        }
    }
}

/// An OAuth error code (`invalid_grant`, ...) is safe to log; anything else the upstream put there is not
/// logged, since it is not ours to vouch for.
fn plain_error_code(code: &str) -> Option<&str> {
    let plain = !code.is_empty()
        && code.len() <= 40
        && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    plain.then_some(code)
}

fn misconfigured(description: &str) -> ProxyError {
    ProxyError::new(ErrorCode::ProxyMisconfigured, description)
}

fn grant_rejected(grant: Grant) -> ProxyError {
    match grant {
        Grant::AuthorizationCode => ProxyError::new(
            ErrorCode::InvalidGrant,
            "The sign-in code was rejected (expired, already used, or from another sign-in); sign in again.",
        ),
        Grant::RefreshToken => ProxyError::new(
            ErrorCode::RefreshExpired,
            "The session has expired or was revoked; sign in again.",
        ),
    }
}

/// Tracking ids are shown to users for support calls; keep only plausible ones.
fn sanitize_tracking_id(id: String) -> Option<String> {
    let plausible = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b));
    plausible.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> UpstreamReply {
        UpstreamReply {
            status,
            body: body.as_bytes().to_vec(),
            tracking_id_header: None,
            retry_after_header: None,
        }
    }

    fn client() -> ClientRegistration {
        ClientRegistration {
            client_id: "cid".into(),
            client_secret: Secret::new("s&cret"),
            redirect_uri: Url::parse("https://app.example/cb").unwrap(),
        }
    }

    #[test]
    fn forms_are_url_encoded_and_use_the_configured_redirect_uri() {
        let form = code_exchange_form(&client(), &Secret::new("c o"), &Secret::new("v"));
        assert_eq!(
            form.secret(),
            "grant_type=authorization_code&client_id=cid&client_secret=s%26cret&code=c+o&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=v"
        );
        let form = refresh_form(&client(), &Secret::new("rt"));
        assert_eq!(
            form.secret(),
            "grant_type=refresh_token&client_id=cid&client_secret=s%26cret&refresh_token=rt"
        );
    }

    #[test]
    fn success_is_parsed() {
        let tokens = map_reply(
            Grant::AuthorizationCode,
            &reply(
                200,
                r#"{"access_token":"at","expires_in":1209599,"refresh_token":"rt","refresh_token_expires_in":7775999,"token_type":"Bearer","scope":"cjp:config_read"}"#,
            ),
        )
        .unwrap();
        assert_eq!(tokens.access_token.secret(), "at");
        assert_eq!(tokens.refresh_token_expires_in, Some(7775999));
    }

    #[test]
    fn code_exchange_without_refresh_token_is_garbage_but_refresh_may_omit_it() {
        let body = r#"{"access_token":"at","expires_in":10}"#;
        assert_eq!(
            map_reply(Grant::AuthorizationCode, &reply(200, body))
                .unwrap_err()
                .code,
            ErrorCode::UpstreamUnavailable
        );
        assert!(map_reply(Grant::RefreshToken, &reply(200, body)).is_ok());
    }

    #[test]
    fn errors_keep_tracking_id_and_never_echo_the_body() {
        let error = map_reply(
            Grant::AuthorizationCode,
            &reply(
                400,
                r#"{"error":"invalid_grant","error_description":"UPSTREAM SECRET TEXT","trackingId":"ROUTER_abc-123"}"#,
            ),
        )
        .unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidGrant);
        assert_eq!(error.tracking_id.as_deref(), Some("ROUTER_abc-123"));
        assert!(!error.description.contains("UPSTREAM SECRET TEXT"));
    }

    #[test]
    fn status_table() {
        let cases = [
            (
                Grant::AuthorizationCode,
                400,
                r#"{"error":"invalid_grant"}"#,
                ErrorCode::InvalidGrant,
            ),
            (
                Grant::RefreshToken,
                400,
                r#"{"error":"invalid_grant"}"#,
                ErrorCode::RefreshExpired,
            ),
            (
                Grant::RefreshToken,
                401,
                r#"{"error":"invalid_grant"}"#,
                ErrorCode::RefreshExpired,
            ),
            (
                Grant::AuthorizationCode,
                401,
                r#"{"message":"x"}"#,
                ErrorCode::ProxyMisconfigured,
            ),
            (
                Grant::AuthorizationCode,
                400,
                r#"{"error":"invalid_client"}"#,
                ErrorCode::ProxyMisconfigured,
            ),
            (
                Grant::AuthorizationCode,
                429,
                "{}",
                ErrorCode::UpstreamRateLimited,
            ),
            (
                Grant::AuthorizationCode,
                500,
                "oops",
                ErrorCode::UpstreamUnavailable,
            ),
            (
                Grant::AuthorizationCode,
                503,
                "",
                ErrorCode::UpstreamUnavailable,
            ),
            (
                Grant::AuthorizationCode,
                200,
                "<html>",
                ErrorCode::UpstreamUnavailable,
            ),
            (
                Grant::AuthorizationCode,
                302,
                "",
                ErrorCode::ProxyMisconfigured,
            ),
            (
                Grant::AuthorizationCode,
                404,
                "",
                ErrorCode::ProxyMisconfigured,
            ),
            (
                Grant::AuthorizationCode,
                418,
                "",
                ErrorCode::UpstreamUnavailable,
            ),
        ];
        for (grant, status, body, expected) in cases {
            assert_eq!(
                map_reply(grant, &reply(status, body)).unwrap_err().code,
                expected,
                "{status} {body}"
            );
        }
    }

    #[test]
    fn tracking_id_from_header_and_sanitized() {
        let mut r = reply(500, "");
        r.tracking_id_header = Some("hdr-1".into());
        assert_eq!(
            map_reply(Grant::RefreshToken, &r)
                .unwrap_err()
                .tracking_id
                .as_deref(),
            Some("hdr-1")
        );
        let r = reply(500, r#"{"trackingId":"<script>"}"#);
        assert_eq!(
            map_reply(Grant::RefreshToken, &r).unwrap_err().tracking_id,
            None
        );
    }

    #[test]
    fn debug_of_secret_bearing_types_is_redacted() {
        let tokens = map_reply(
            Grant::AuthorizationCode,
            &reply(
                200,
                r#"{"access_token":"AT-SECRET","expires_in":1,"refresh_token":"RT-SECRET","refresh_token_expires_in":2}"#,
            ),
        )
        .unwrap();
        let form = code_exchange_form(&client(), &Secret::new("CODE-SECRET"), &Secret::new("V"));
        let exchange = crate::request::CodeExchange {
            code: Secret::new("CODE-SECRET"),
            code_verifier: Secret::new("VERIFIER-SECRET"),
            remember: false,
            key_thumbprint: None,
        };
        let debug = format!("{tokens:?} {form:?} {exchange:?} {:?}", client());
        for secret in [
            "AT-SECRET",
            "RT-SECRET",
            "CODE-SECRET",
            "VERIFIER-SECRET",
            "s&cret",
        ] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("[redacted]"));
    }

    #[test]
    fn retry_after_is_forwarded() {
        let mut r = reply(429, "");
        r.retry_after_header = Some("17".into());
        assert_eq!(
            map_reply(Grant::RefreshToken, &r).unwrap_err().retry_after,
            Some(17)
        );
    }
}
