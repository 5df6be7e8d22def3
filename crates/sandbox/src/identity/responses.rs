//! The identity port's answers that are not a success body: Webex's JSON error shapes, the HTML
//! page shell (with its security headers) and redirects back to the client. Errors whose body
//! names the tracking id get it from the tracking middleware (`crate::tracking`).

use std::collections::HashMap;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::http_util::escape_html;
use crate::tracking::{TrackedAnswer, TrackingId, awaiting_tracking_id};

/// A token-endpoint error: Webex's JSON error shape (`message`, `errors[].description`,
/// `trackingId`) plus the OAuth fields `error`/`error_description` that OAuth clients look for.
#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
}

impl OAuthError {
    pub fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            code,
            description: description.into(),
        }
    }

    /// A 400 with the OAuth error `code` (`invalid_request`, `invalid_grant`).
    pub fn bad_request(code: &'static str, description: impl Into<String>) -> Self {
        OAuthError::new(StatusCode::BAD_REQUEST, code, description)
    }
}

/// The form field `name` of a token request, or the `invalid_request` that says it is required.
pub fn required<'a>(
    form: &'a HashMap<String, String>,
    name: &str,
) -> Result<&'a String, OAuthError> {
    form.get(name)
        .ok_or_else(|| OAuthError::bad_request("invalid_request", format!("{name} is required")))
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for OAuthError {
    fn answer(&self, tracking: &TrackingId) -> Response {
        let body = json!({
            "error": self.code,
            "error_description": self.description,
            "message": self.description,
            "errors": [{"description": self.description}],
            "trackingId": tracking.0,
        });
        let mut response = (self.status, Json(body)).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::UNAUTHORIZED && self.code == "invalid_client" {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"webex\""),
            );
        }
        response
    }
}

/// Webex's plain error shape for resource endpoints like people/me (and the control endpoint).
#[derive(Debug)]
pub struct WebexError {
    status: StatusCode,
    message: String,
}

impl WebexError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        WebexError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for WebexError {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for WebexError {
    fn answer(&self, tracking: &TrackingId) -> Response {
        let body = json!({"message": self.message, "errors": [{"description": self.message}], "trackingId": tracking.0});
        (self.status, Json(body)).into_response()
    }
}

/// Why a sign-in (authorize or the consent decision) stops.
#[derive(Debug)]
pub enum SignInError {
    /// A 400 HTML page for the user: used while the client or its redirect URI is not trusted, so
    /// the sandbox never redirects to an unregistered URI (no open redirector), and for a broken
    /// consent form.
    Page { title: &'static str, detail: String },
    /// A redirect back to the registered redirect URI with `error`, `error_description` and `state`.
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
}

impl SignInError {
    pub fn page(title: &'static str, detail: impl Into<String>) -> Self {
        SignInError::Page {
            title,
            detail: detail.into(),
        }
    }

    pub fn redirect(
        redirect_uri: &str,
        error: &'static str,
        description: impl Into<String>,
        state: Option<&str>,
    ) -> Self {
        SignInError::Redirect {
            redirect_uri: redirect_uri.to_string(),
            error,
            description: description.into(),
            state: state.map(str::to_string),
        }
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for SignInError {
    fn answer(&self, tracking: &TrackingId) -> Response {
        match self {
            SignInError::Page { title, detail } => {
                let body = format!(
                    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
                     <link rel=\"stylesheet\" href=\"/v1/authorize/style.css\"></head><body><main class=\"card\">\
                     <h1>{t}</h1><p class=\"error\">{d}</p><p class=\"muted\">Tracking id: {id}</p></main></body></html>",
                    t = escape_html(title),
                    d = escape_html(detail),
                    id = escape_html(&tracking.0)
                );
                html(StatusCode::BAD_REQUEST, body, "'self'")
            }
            SignInError::Redirect {
                redirect_uri,
                error,
                description,
                state,
            } => {
                let mut params = vec![("error", *error), ("error_description", description)];
                if let Some(s) = state {
                    params.push(("state", s));
                }
                redirect_with(redirect_uri, &params)
            }
        }
    }
}

pub fn html(status: StatusCode, body: String, form_action: &str) -> Response {
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
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
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
