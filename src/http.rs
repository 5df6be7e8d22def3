//! One fetch wrapper for the proxy and the APIs: status, the headers the app reads, the body text.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, RequestMode};

/// What the app keeps of a response.
pub struct HttpResponse {
    pub status: u16,
    pub tracking_id: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
    pub elapsed_ms: f64,
}

impl HttpResponse {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Headers in the shape `wxcc_core::api_error::ApiError::from_response` reads.
    pub fn error_headers(&self) -> Vec<(&str, &str)> {
        let mut headers = Vec::new();
        if let Some(v) = &self.tracking_id {
            headers.push(("trackingid", v.as_str()));
        }
        if let Some(v) = &self.retry_after {
            headers.push(("retry-after", v.as_str()));
        }
        headers
    }
}

pub struct Request<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: Vec<(&'a str, String)>,
    pub body: Option<String>,
    /// Send cookies cross-site (the token proxy in cookie mode).
    pub with_credentials: bool,
}

/// Sends the request. `Err` only when no response arrived (offline, CORS, DNS); HTTP errors are
/// responses.
pub async fn send(request: Request<'_>) -> Result<HttpResponse, String> {
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(if request.with_credentials {
        RequestCredentials::Include
    } else {
        RequestCredentials::SameOrigin
    });
    let headers = web_sys::Headers::new().map_err(describe)?;
    for (name, value) in &request.headers {
        headers.set(name, value).map_err(describe)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let req = web_sys::Request::new_with_str_and_init(request.url, &init).map_err(describe)?;
    let window = web_sys::window().expect("window");
    let started = js_sys::Date::now();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(describe)?
        .dyn_into()
        .map_err(describe)?;
    let text = JsFuture::from(response.text().map_err(describe)?)
        .await
        .map_err(describe)?;
    let header = |name: &str| response.headers().get(name).ok().flatten();
    Ok(HttpResponse {
        status: response.status(),
        tracking_id: header("trackingid"),
        retry_after: header("retry-after"),
        body: text.as_string().unwrap_or_default(),
        elapsed_ms: js_sys::Date::now() - started,
    })
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the request failed before a response arrived".into())
}
