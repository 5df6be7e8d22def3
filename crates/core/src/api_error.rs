//! Decoding failed responses into one error type with a user-facing explanation.
//!
//! Body shapes understood (all optional, unknown fields ignored):
//! - Contact Center `ApiErrorResponse` / `ErrorResult`: `{trackingId, error: {key, message: [{description}]}}`
//! - Contact Center `ApiError4xx`: `{status, message, errors: ["…"], timestamp, trackingId}`
//! - Contact Center `ErrorResponse` / `BadRequestError`…: `{code, message, trackingId?}`
//! - Webex identity: `{message, errors: [{description}], trackingId}`
//! - the token proxy: `{error, error_description, tracking_id}`
//!
//! The `TrackingId` response header wins over a body tracking id.

use crate::calendar::days_from_civil;
use crate::proxy_protocol::{ErrorCode, field};
use serde_json::Value;
use std::fmt;

/// What kind of failure, which decides what the UI offers (refresh, countdown, retry…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// 401: the token is not accepted.
    Unauthorized,
    /// 403: missing admin role or scope.
    Forbidden,
    /// 429, with `Retry-After` in seconds when the server sent a usable one.
    RateLimited { retry_after_secs: Option<u64> },
    /// 5xx.
    Server,
    /// Any other non-success status.
    Client,
    /// No response at all (offline, DNS, CORS, TLS); `status` is 0.
    Network,
}

/// A failed API call, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status, 0 for network errors.
    pub status: u16,
    pub kind: ApiErrorKind,
    /// The server's explanation, or a generic one for the status.
    pub message: String,
    pub tracking_id: Option<String>,
    /// A machine code from the body when there is one (`invalid_grant`, `401`, `1001`…).
    pub error_code: Option<String>,
}

fn header<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

fn clean(text: &str, max: usize) -> Option<String> {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        // Codes are integers; formatting only those keeps serde_json's float printer out of the wasm.
        Value::Number(n) => n
            .as_i64()
            .map(|i| i.to_string())
            .or_else(|| n.as_u64().map(|u| u.to_string())),
        _ => None,
    }
}

/// `["text", {"description": "text"}, …]` → the texts.
fn descriptions(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.clone()),
                    other => str_at(other, "description")
                        .or_else(|| str_at(other, "message"))
                        .map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default()
}

struct BodyFacts {
    message: Option<String>,
    tracking_id: Option<String>,
    error_code: Option<String>,
}

fn read_body(body: &str) -> BodyFacts {
    let Ok(value) = crate::json::parse(body) else {
        return BodyFacts {
            message: None,
            tracking_id: None,
            error_code: None,
        };
    };
    let nested = value.get("error").filter(|e| e.is_object());
    let mut parts: Vec<String> = Vec::new();
    let push = |parts: &mut Vec<String>, text: &str| {
        if !parts.iter().any(|p| p == text) {
            parts.push(text.to_owned());
        }
    };
    if let Some(text) = str_at(&value, field::ERROR_DESCRIPTION) {
        push(&mut parts, text);
    }
    if let Some(text) = str_at(&value, "message") {
        push(&mut parts, text);
    }
    for text in descriptions(nested.and_then(|e| e.get("message"))) {
        push(&mut parts, &text);
    }
    for text in descriptions(value.get("errors")) {
        push(&mut parts, &text);
    }
    if parts.is_empty()
        && let Some(text) = str_at(&value, "error")
    {
        push(&mut parts, text);
    }
    let tracking_id = str_at(&value, "trackingId")
        .or_else(|| str_at(&value, field::TRACKING_ID))
        .map(str::to_owned);
    let error_code = value
        .get("error")
        .and_then(scalar_text)
        .or_else(|| value.get("code").and_then(scalar_text))
        .or_else(|| nested.and_then(|e| e.get("key")).and_then(scalar_text));
    BodyFacts {
        message: (!parts.is_empty()).then(|| parts.join(" — ")),
        tracking_id,
        error_code,
    }
}

/// `Retry-After` as seconds: delta-seconds, or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`)
/// relative to `now_ms`. A date in the past gives 0.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let at_secs = parse_imf_fixdate(value)?;
    let now_secs = now_ms / 1000;
    Some(at_secs.saturating_sub(now_secs))
}

fn parse_imf_fixdate(value: &str) -> Option<u64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = value.split_once(", ")?.1;
    let fields: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = fields.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as u64
        + 1;
    let year: u64 = year.parse().ok()?;
    let hms: Vec<u64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || year < 1970 || *h > 23 || *m > 59 || *s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

fn default_message(status: u16) -> &'static str {
    match status {
        400 => "The request was not accepted.",
        401 => "The access token was not accepted.",
        403 => "Access to this resource is not allowed.",
        404 => "Nothing was found at this address.",
        409 => "The request conflicts with the current state of the resource.",
        429 => "Too many requests.",
        500..=599 => "The server had a problem handling the request.",
        _ => "The request failed.",
    }
}

impl ApiError {
    /// Decodes a non-success response. `headers` as (name, value), any case; `now_ms` is used only
    /// for a date-form `Retry-After`.
    pub fn from_response(
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
        now_ms: u64,
    ) -> ApiError {
        let facts = read_body(body);
        let kind = match status {
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            429 => ApiErrorKind::RateLimited {
                retry_after_secs: header(headers, "retry-after")
                    .and_then(|v| parse_retry_after(v, now_ms)),
            },
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Client,
        };
        let tracking_id = header(headers, "trackingid")
            .and_then(|v| clean(v, 200))
            .or_else(|| facts.tracking_id.and_then(|t| clean(&t, 200)));
        ApiError {
            status,
            kind,
            message: facts
                .message
                .and_then(|m| clean(&m, 500))
                .unwrap_or_else(|| default_message(status).to_owned()),
            tracking_id,
            error_code: facts.error_code.and_then(|c| clean(&c, 100)),
        }
    }

    /// The request never got a response. `detail` is the browser's text, if any.
    pub fn network(detail: &str) -> ApiError {
        ApiError {
            status: 0,
            kind: ApiErrorKind::Network,
            message: clean(detail, 300)
                .unwrap_or_else(|| "The request did not reach the server.".to_owned()),
            tracking_id: None,
            error_code: None,
        }
    }

    /// The proxy reports the code or refresh token was rejected (OAuth `invalid_grant`).
    pub fn is_invalid_grant(&self) -> bool {
        self.error_code.as_deref() == Some(ErrorCode::InvalidGrant.as_str())
    }

    /// Worth offering "Retry" (after a wait for rate limits).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ApiErrorKind::RateLimited { .. } | ApiErrorKind::Server | ApiErrorKind::Network
        )
    }

    /// Short heading.
    pub fn title(&self) -> String {
        match &self.kind {
            ApiErrorKind::Unauthorized => "Not signed in (HTTP 401)".into(),
            ApiErrorKind::Forbidden => "Not allowed (HTTP 403)".into(),
            ApiErrorKind::RateLimited { .. } => "Rate limited (HTTP 429)".into(),
            ApiErrorKind::Server => format!("Server error (HTTP {})", self.status),
            ApiErrorKind::Client => format!("Request failed (HTTP {})", self.status),
            ApiErrorKind::Network => "Network error".into(),
        }
    }

    /// What the user can do about it.
    pub fn what_to_do(&self) -> String {
        let tracking = match &self.tracking_id {
            Some(id) => format!(" If you contact support, give them the tracking ID {id}."),
            None => String::new(),
        };
        match &self.kind {
            ApiErrorKind::Unauthorized => {
                "The access token was rejected; the console refreshes it and retries once. If you still see this, sign in again.".into()
            }
            ApiErrorKind::Forbidden => format!(
                "Your sign-in lacks the scope or your account lacks the Contact Center administrator role this needs. \
                 Compare granted and requested scopes in the token inspector, ask your administrator for the role, \
                 or add the scope to config.json and sign in again.{tracking}"
            ),
            ApiErrorKind::RateLimited { retry_after_secs: Some(secs) } => {
                format!("Webex asks to slow down. Wait {secs} seconds, then retry.")
            }
            ApiErrorKind::RateLimited { retry_after_secs: None } => {
                "Webex asks to slow down. Wait a minute, then retry.".into()
            }
            ApiErrorKind::Server => format!("Webex had a problem; it is usually temporary. Retry in a moment.{tracking}"),
            ApiErrorKind::Client if self.status == 404 => {
                format!("Check the IDs in the request, and that the region matches your organization.{tracking}")
            }
            ApiErrorKind::Client => {
                format!("Check the request's parameters (for example the filter syntax) and try again.{tracking}")
            }
            ApiErrorKind::Network => "The request did not get an answer. Check your connection (and VPN or proxy), \
                and that the selected region is right, then retry."
                .into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}",
            self.title(),
            self.message,
            self.what_to_do()
        )
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT

    #[test]
    fn contact_center_api_error_response() {
        let body = r#"{"trackingId":"ccconfig_abc","error":{"key":"400","message":[{"description":"Invalid filter"},{"description":"Bad attribute"}]}}"#;
        let e = ApiError::from_response(400, &[], body, NOW);
        assert_eq!(e.kind, ApiErrorKind::Client);
        assert_eq!(e.message, "Invalid filter — Bad attribute");
        assert_eq!(e.tracking_id.as_deref(), Some("ccconfig_abc"));
        assert_eq!(e.error_code.as_deref(), Some("400"));
    }

    #[test]
    fn contact_center_api_error_4xx_and_code_shapes() {
        let body = r#"{"status":"409 CONFLICT","message":"Conflict","errors":["Name already exists"],"trackingId":"76cd"}"#;
        let e = ApiError::from_response(409, &[], body, NOW);
        assert_eq!(e.message, "Conflict — Name already exists");
        assert_eq!(e.tracking_id.as_deref(), Some("76cd"));
        let body = r#"{"code":1001,"message":"Mandatory field missing","trackingId":"GTWY_1"}"#;
        let e = ApiError::from_response(400, &[], body, NOW);
        assert_eq!(e.error_code.as_deref(), Some("1001"));
        assert_eq!(e.message, "Mandatory field missing");
    }

    #[test]
    fn identity_error_shape() {
        let body = r#"{"message":"The requested resource could not be found.","errors":[{"description":"The requested resource could not be found."}],"trackingId":"ROUTER_1"}"#;
        let e = ApiError::from_response(404, &[], body, NOW);
        assert_eq!(e.message, "The requested resource could not be found.");
        assert_eq!(e.tracking_id.as_deref(), Some("ROUTER_1"));
        assert!(e.what_to_do().contains("region"));
    }

    #[test]
    fn proxy_error_shape_and_invalid_grant() {
        let body = r#"{"error":"invalid_grant","error_description":"The code has expired.","tracking_id":"proxy-7"}"#;
        let e = ApiError::from_response(400, &[], body, NOW);
        assert!(e.is_invalid_grant());
        assert_eq!(e.message, "The code has expired.");
        assert_eq!(e.tracking_id.as_deref(), Some("proxy-7"));
    }

    #[test]
    fn header_tracking_id_wins_and_kinds_follow_status() {
        let e = ApiError::from_response(
            503,
            &[("trackingid", " HDR_1 ")],
            r#"{"trackingId":"BODY"}"#,
            NOW,
        );
        assert_eq!(e.tracking_id.as_deref(), Some("HDR_1"));
        assert_eq!(e.kind, ApiErrorKind::Server);
        assert!(e.is_retryable());
        assert!(e.what_to_do().contains("HDR_1"));
        assert_eq!(
            ApiError::from_response(401, &[], "", NOW).kind,
            ApiErrorKind::Unauthorized
        );
        assert_eq!(
            ApiError::from_response(403, &[], "", NOW).kind,
            ApiErrorKind::Forbidden
        );
        assert!(
            ApiError::from_response(403, &[], "", NOW)
                .what_to_do()
                .contains("scope")
        );
        assert_eq!(
            ApiError::from_response(418, &[], "", NOW).kind,
            ApiErrorKind::Client
        );
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let e = ApiError::from_response(429, &[("Retry-After", "7")], "", NOW);
        assert_eq!(
            e.kind,
            ApiErrorKind::RateLimited {
                retry_after_secs: Some(7)
            }
        );
        assert!(e.what_to_do().contains("7 seconds"));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", NOW),
            Some(30)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", NOW),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", 0),
            Some(10)
        );
        assert_eq!(
            parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", 0),
            Some(951_782_400)
        );
        assert_eq!(parse_retry_after("soon", NOW), None);
        assert_eq!(parse_retry_after("-1", NOW), None);
        let e = ApiError::from_response(429, &[], "", NOW);
        assert_eq!(
            e.kind,
            ApiErrorKind::RateLimited {
                retry_after_secs: None
            }
        );
    }

    #[test]
    fn non_json_and_empty_bodies_get_a_generic_message() {
        let e = ApiError::from_response(502, &[], "<html>Bad gateway</html>", NOW);
        assert_eq!(e.message, "The server had a problem handling the request.");
        assert_eq!(e.tracking_id, None);
        let n = ApiError::network("");
        assert_eq!((n.status, n.kind.clone()), (0, ApiErrorKind::Network));
        assert!(n.what_to_do().contains("retry"));
        assert!(
            ApiError::network("Failed to fetch")
                .to_string()
                .contains("Failed to fetch")
        );
    }
}
