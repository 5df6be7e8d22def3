//! The identity port's answers that are not a success body: Webex's JSON error shapes, the HTML
//! page shell (with its security headers) and redirects back to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::http_util::{TrackingId, escape_html};

/// Webex's JSON error shape (`message`, `errors[].description`, `trackingId`) plus the OAuth fields
/// `error`/`error_description` that OAuth clients look for.
pub fn oauth_error(
    status: StatusCode,
    code: &str,
    description: &str,
    tracking: &TrackingId,
) -> Response {
    let body = json!({
        "error": code,
        "error_description": description,
        "message": description,
        "errors": [{"description": description}],
        "trackingId": tracking.0,
    });
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED && code == "invalid_client" {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"webex\""),
        );
    }
    response
}

/// Webex's plain error shape for resource endpoints like people/me.
pub fn webex_error(status: StatusCode, message: &str, tracking: &TrackingId) -> Response {
    let body =
        json!({"message": message, "errors": [{"description": message}], "trackingId": tracking.0});
    (status, Json(body)).into_response()
}

pub fn error_page(
    status: StatusCode,
    title: &str,
    detail: &str,
    tracking: &TrackingId,
) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <link rel=\"stylesheet\" href=\"/v1/authorize/style.css\"></head><body><main class=\"card\">\
         <h1>{t}</h1><p class=\"error\">{d}</p><p class=\"muted\">Tracking id: {id}</p></main></body></html>",
        t = escape_html(title),
        d = escape_html(detail),
        id = escape_html(&tracking.0)
    );
    html(status, body, "'self'")
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

pub fn redirect_error(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> Response {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    redirect_with(redirect_uri, &params)
}
