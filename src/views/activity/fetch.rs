//! The browser's side of the Activity page: its clock and time zone, time labels in its locale,
//! and one Search API request read into records and the next page's cursor.

use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::activity::answer;
use wxcc_core::activity::query::SearchRequest;
use wxcc_core::activity::window::Clock;
use wxcc_core::api_error::{ApiError, ApiErrorKind};

use crate::ctx::Ctx;
use crate::views::ApiErrorView;

/// Now, the UTC offset and the IANA zone, from `Date` and `Intl` (the wasm has no tz database).
pub fn clock() -> Clock {
    let date = js_sys::Date::new_0();
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    let time_zone = js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
        .unwrap_or_default();
    Clock {
        now_ms: date.get_time() as u64,
        // `getTimezoneOffset` counts minutes west of UTC.
        utc_offset_minutes: -(date.get_timezone_offset() as i64),
        time_zone,
    }
}

thread_local! {
    static DAY: js_sys::Function = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options).format()
    };
}

/// The date of an instant in the browser's locale and zone (`2 Mar 2026`), for daily bars.
pub fn format_day(ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    DAY.with(|format| format.call1(&wasm_bindgen::JsValue::NULL, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| ms.to_string())
}

/// `YYYY-MM-DDTHH:MM` in local time, as `<input type="datetime-local">` wants.
pub fn to_local_input(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Sends `request` and reads `data.<query>.<list>` and the next page's cursor. An answer with
/// GraphQL `errors` (HTTP 200) becomes an error that quotes them.
pub async fn search(
    ctx: Ctx,
    request: SearchRequest,
    query: &'static str,
    list: &'static str,
) -> Result<(Vec<Value>, Option<String>), ApiError> {
    let call = crate::api::search(ctx, request.body()).await?;
    match answer::records(&call.json, query, list) {
        Ok(records) => Ok((records.to_vec(), answer::next_cursor(&call.json, query))),
        Err(problem) => Err(ApiError {
            status: call.status,
            kind: ApiErrorKind::Client,
            message: problem.message(),
            tracking_id: call.tracking_id,
            error_code: None,
        }),
    }
}

/// A failed search: what Webex said (a 400 quotes its message about the query), and for a 403 the
/// scope and role the Search API needs.
pub fn search_error(error: ApiError, retry: Callback<()>) -> AnyView {
    let forbidden = error.kind == ApiErrorKind::Forbidden;
    view! {
        <ApiErrorView error focus=true on_retry=retry />
        {forbidden.then(|| view! {
            <p class="error" data-testid="needs-scope">{wxcc_core::catalogue::search::forbidden_advice()}</p>
        }.into_any())}
    }
    .into_any()
}
