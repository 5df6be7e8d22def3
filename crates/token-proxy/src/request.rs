//! Validation of what the browser sends: headers and the three JSON bodies. Pure, no I/O.
//!
//! Bodies are checked field by field (instead of a derived deserializer) so every error message can say
//! precisely what is wrong without ever quoting a value, which could be a secret.

use crate::error::{ErrorCode, ProxyError};
use crate::sealing::KeyThumbprint;
use serde_json::{Map, Value};
use wxcc_core::proxy_protocol::{CONTENT_TYPE, field};
use wxcc_core::secret::Secret;

/// Largest accepted request body. The largest legitimate body (a refresh handle) is well under this.
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// The header every POST must carry; a custom header makes every cross-origin call need a CORS preflight.
pub use wxcc_core::proxy_protocol::{REQUEST_HEADER, REQUEST_HEADER_VALUE};

const MAX_CODE_LEN: usize = 2048;
const MIN_VERIFIER_LEN: usize = 43;
const MAX_VERIFIER_LEN: usize = 128;

pub use crate::mode::SessionMode;

/// A validated `POST /token` body.
#[derive(Debug, Clone)]
pub struct CodeExchange {
    pub code: Secret,
    pub code_verifier: Secret,
    /// "Keep me signed in on this device" was ticked (honoured only when the proxy offers it).
    pub remember: bool,
    /// The browser key the session is to be bound to, when the SPA sent one (sealed, not checked here).
    pub key_thumbprint: Option<KeyThumbprint>,
}

/// A validated `POST /refresh` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshRequest {
    /// A quiet probe: "no session" is a success answer that says so, not an error.
    pub probe: bool,
    /// The sealed handle (handle mode; absent only in a probe).
    pub handle: Option<Secret>,
}

/// `Content-Type` must be `application/json`, optionally with `charset=utf-8`.
pub fn check_content_type(value: Option<&str>) -> Result<(), ProxyError> {
    let unsupported = || {
        ProxyError::new(
            ErrorCode::UnsupportedMediaType,
            "This endpoint only accepts a JSON body: send the header `Content-Type: application/json`.",
        )
    };
    let value = value.ok_or_else(unsupported)?;
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case(CONTENT_TYPE) {
        return Err(unsupported());
    }
    for parameter in parts {
        let parameter = parameter.trim().replace('"', "");
        if !parameter.eq_ignore_ascii_case("charset=utf-8") {
            return Err(unsupported());
        }
    }
    Ok(())
}

/// The custom header must be present with exactly the value `1`.
pub fn check_request_header(value: Option<&str>) -> Result<(), ProxyError> {
    if value == Some(REQUEST_HEADER_VALUE) {
        Ok(())
    } else {
        Err(ProxyError::new(
            ErrorCode::MissingRequestHeader,
            "Every POST must carry the header `X-WXCC-Request: 1`; add it to the request.",
        ))
    }
}

/// `Origin` must be present and exactly one of the configured origins.
pub fn check_origin(value: Option<&str>, allowed: &[String]) -> Result<(), ProxyError> {
    match value {
        Some(origin) if allowed.iter().any(|a| a == origin) => Ok(()),
        Some(_) => Err(ProxyError::new(
            ErrorCode::OriginNotAllowed,
            "This page's origin is not allowed to use the token proxy; the operator must add it to WXCC_PROXY_ALLOWED_ORIGINS.",
        )),
        None => Err(ProxyError::new(
            ErrorCode::OriginNotAllowed,
            "The request has no Origin header; call the token proxy from the browser app.",
        )),
    }
}

/// Validates a `POST /token` body.
pub fn parse_code_exchange(body: &[u8]) -> Result<CodeExchange, ProxyError> {
    let mut object = parse_object(body)?;
    let code = take_string(&mut object, field::CODE)?;
    let code_verifier = take_string(&mut object, field::CODE_VERIFIER)?;
    let remember = take_flag(&mut object, field::REMEMBER)?;
    let key_thumbprint = match object.contains_key(field::KEY_THUMBPRINT) {
        false => None,
        true => Some(
            KeyThumbprint::from_base64url(&take_string(&mut object, field::KEY_THUMBPRINT)?)
                .ok_or_else(|| {
                    invalid(
                        "Field `key_thumbprint` must be an RFC 7638 SHA-256 JWK thumbprint (43 base64url characters); sign in again.",
                    )
                })?,
        ),
    };
    reject_unknown_fields(&object)?;
    if code.len() > MAX_CODE_LEN || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(
            "Field `code` is not a valid authorization code; start the sign-in again.",
        ));
    }
    let verifier_ok = (MIN_VERIFIER_LEN..=MAX_VERIFIER_LEN).contains(&code_verifier.len())
        && code_verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !verifier_ok {
        return Err(invalid(
            "Field `code_verifier` must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636); start the sign-in again.",
        ));
    }
    Ok(CodeExchange {
        code: Secret::new(code),
        code_verifier: Secret::new(code_verifier),
        remember,
        key_thumbprint,
    })
}

/// Validates a `POST /refresh` body: `{}` in cookie mode, `{"refresh_handle": "..."}` in handle mode,
/// either with `"probe": true` (then handle mode may leave the handle out). The handle's contents are
/// checked when it is opened (anything not base64url, or too long, is refused before decrypting).
pub fn parse_refresh(body: &[u8], mode: SessionMode) -> Result<RefreshRequest, ProxyError> {
    let mut object = parse_object(body)?;
    let probe = take_flag(&mut object, field::PROBE)?;
    let handle = match mode {
        SessionMode::Cookie => None,
        SessionMode::Handle if probe && !object.contains_key(field::REFRESH_HANDLE) => None,
        SessionMode::Handle => Some(Secret::new(take_string(
            &mut object,
            field::REFRESH_HANDLE,
        )?)),
    };
    reject_unknown_fields(&object)?;
    Ok(RefreshRequest { probe, handle })
}

/// Validates a `POST /logout` body: `{}`, in handle mode optionally `{"refresh_handle": "..."}` (the
/// session to revoke; a cookie-mode session is named by its cookie). Returns the handle.
pub fn parse_logout(body: &[u8], mode: SessionMode) -> Result<Option<Secret>, ProxyError> {
    let mut object = parse_object(body)?;
    let handle = match mode {
        SessionMode::Handle if object.contains_key(field::REFRESH_HANDLE) => Some(Secret::new(
            take_string(&mut object, field::REFRESH_HANDLE)?,
        )),
        _ => None,
    };
    reject_unknown_fields(&object)?;
    Ok(handle)
}

fn invalid(description: impl Into<String>) -> ProxyError {
    ProxyError::new(ErrorCode::InvalidRequest, description)
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ProxyError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(payload_too_large());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(invalid("The body must be a JSON object, for example `{}`.")),
        Err(_) => Err(invalid(
            "The body is not valid JSON; send a JSON object, for example `{}`.",
        )),
    }
}

pub(crate) fn payload_too_large() -> ProxyError {
    ProxyError::new(
        ErrorCode::PayloadTooLarge,
        format!("The body is larger than {MAX_BODY_BYTES} bytes; send only the documented fields."),
    )
}

fn take_string(object: &mut Map<String, Value>, field: &str) -> Result<String, ProxyError> {
    match object.remove(field) {
        None | Some(Value::Null) => Err(invalid(format!(
            "Field `{field}` is missing; include it in the JSON body."
        ))),
        Some(Value::String(s)) if s.is_empty() => Err(invalid(format!(
            "Field `{field}` is empty; send the value the sign-in flow produced."
        ))),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(invalid(format!("Field `{field}` must be a string."))),
    }
}

/// An optional boolean field: absent is `false`; anything but `true` or `false` is refused.
fn take_flag(object: &mut Map<String, Value>, field: &str) -> Result<bool, ProxyError> {
    match object.remove(field) {
        None => Ok(false),
        Some(Value::Bool(flag)) => Ok(flag),
        Some(_) => Err(invalid(format!("Field `{field}` must be true or false."))),
    }
}

fn reject_unknown_fields(object: &Map<String, Value>) -> Result<(), ProxyError> {
    match object.keys().next() {
        None => Ok(()),
        Some(name) => {
            // The name is attacker-controlled: print it only when short and plain.
            let printable = name.len() <= 40
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            let shown = if printable { name.as_str() } else { "…" };
            Err(invalid(format!(
                "Unknown field `{shown}` in the body; send only the documented fields."
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn accepts_a_good_code_exchange() {
        let body = format!(r#"{{"code":"abc123","code_verifier":"{VERIFIER}"}}"#);
        let exchange = parse_code_exchange(body.as_bytes()).unwrap();
        assert_eq!(exchange.code.secret(), "abc123");
        assert_eq!(exchange.code_verifier.secret(), VERIFIER);
    }

    #[test]
    fn error_messages_never_quote_values() {
        let body = format!(r#"{{"code":"secret code","code_verifier":"{VERIFIER}"}}"#);
        let error = parse_code_exchange(body.as_bytes()).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidRequest);
        assert!(!error.description.contains("secret code"));
        let error = parse_code_exchange(br#"{"code":5,"code_verifier":"x"}"#).unwrap_err();
        assert!(error.description.contains("`code` must be a string"));
    }

    #[test]
    fn content_types() {
        assert!(check_content_type(Some("application/json")).is_ok());
        assert!(check_content_type(Some("Application/JSON; charset=UTF-8")).is_ok());
        assert!(check_content_type(Some("application/json; charset=\"utf-8\"")).is_ok());
        for bad in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("application/json; charset=latin1"),
            Some("application/jsonp"),
        ] {
            assert!(check_content_type(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn origins_match_exactly() {
        let allowed = vec!["https://app.example".to_owned()];
        assert!(check_origin(Some("https://app.example"), &allowed).is_ok());
        for bad in [
            "https://app.example/",
            "https://app.example:443",
            "http://app.example",
            "https://evil.app.example",
            "https://app.example.evil",
            "null",
        ] {
            assert!(check_origin(Some(bad), &allowed).is_err(), "{bad}");
        }
        assert!(check_origin(None, &allowed).is_err());
    }

    #[test]
    fn refresh_bodies_per_mode() {
        let request = |probe, handle: Option<&str>| RefreshRequest {
            probe,
            handle: handle.map(Secret::new),
        };
        let cookie = |body: &[u8]| parse_refresh(body, SessionMode::Cookie);
        let handle = |body: &[u8]| parse_refresh(body, SessionMode::Handle);
        assert_eq!(cookie(b"{}").unwrap(), request(false, None));
        assert_eq!(cookie(br#"{"probe":true}"#).unwrap(), request(true, None));
        assert_eq!(cookie(br#"{"probe":false}"#).unwrap(), request(false, None));
        assert!(cookie(br#"{"refresh_handle":"abc"}"#).is_err());
        assert!(cookie(br#"{"probe":"yes"}"#).is_err());
        assert!(cookie(br#"{"probe":null}"#).is_err());
        assert!(cookie(br#"{"probe":true,"extra":1}"#).is_err());

        assert_eq!(
            handle(br#"{"refresh_handle":"abc"}"#).unwrap(),
            request(false, Some("abc"))
        );
        assert_eq!(handle(br#"{"probe":true}"#).unwrap(), request(true, None));
        assert_eq!(
            handle(br#"{"probe":true,"refresh_handle":"abc"}"#).unwrap(),
            request(true, Some("abc"))
        );
        assert!(handle(b"{}").is_err());
        assert!(handle(br#"{"probe":false}"#).is_err());
        assert!(handle(br#"{"probe":true,"refresh_handle":""}"#).is_err());
    }

    #[test]
    fn remember_is_an_optional_flag() {
        let body = |extra: &str| format!(r#"{{"code":"abc","code_verifier":"{VERIFIER}"{extra}}}"#);
        assert!(!parse_code_exchange(body("").as_bytes()).unwrap().remember);
        assert!(
            parse_code_exchange(body(r#","remember":true"#).as_bytes())
                .unwrap()
                .remember
        );
        assert!(
            !parse_code_exchange(body(r#","remember":false"#).as_bytes())
                .unwrap()
                .remember
        );
        for bad in [
            r#","remember":"true""#,
            r#","remember":1"#,
            r#","remember":null"#,
        ] {
            let error = parse_code_exchange(body(bad).as_bytes()).unwrap_err();
            assert!(
                error
                    .description
                    .contains("`remember` must be true or false")
            );
        }
        let error = parse_code_exchange(body(r#","remember_me":true"#).as_bytes()).unwrap_err();
        assert!(error.description.contains("Unknown field"));
    }

    #[test]
    fn the_key_thumbprint_is_optional_and_must_be_a_sha256_thumbprint() {
        let body = |extra: &str| format!(r#"{{"code":"abc","code_verifier":"{VERIFIER}"{extra}}}"#);
        assert_eq!(
            parse_code_exchange(body("").as_bytes())
                .unwrap()
                .key_thumbprint,
            None
        );
        let thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        let exchange =
            parse_code_exchange(body(&format!(r#","key_thumbprint":"{thumbprint}""#)).as_bytes())
                .unwrap();
        assert_eq!(
            exchange.key_thumbprint.map(|t| t.to_base64url()).as_deref(),
            Some(thumbprint)
        );
        for bad in [
            r#","key_thumbprint":"short""#,
            r#","key_thumbprint":"""#,
            r#","key_thumbprint":7"#,
            r#","key_thumbprint":null"#,
        ] {
            let error = parse_code_exchange(body(bad).as_bytes()).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidRequest, "{bad}");
            assert!(error.description.contains("`key_thumbprint`"), "{bad}");
        }
    }
}
