//! Thin adapters over the browser: WebCrypto, sessionStorage, the clock, the address bar and
//! Performance marks. Everything that decides something lives in `wxcc_core`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a browser window")
}

/// 32 bytes from `crypto.getRandomValues`, the browser's CSPRNG.
pub fn random_bytes() -> Result<[u8; 32], String> {
    let mut bytes = [0u8; 32];
    window()
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| {
            "This browser cannot generate secure random numbers (WebCrypto is unavailable)."
                .to_string()
        })?;
    Ok(bytes)
}

/// SHA-256 through `crypto.subtle.digest` (only available in secure contexts: https or localhost).
pub async fn sha256(data: &[u8]) -> Result<[u8; 32], String> {
    let unavailable = || {
        "WebCrypto's SHA-256 is unavailable: serve the app over https (or from localhost)."
            .to_string()
    };
    let subtle = window().crypto().map_err(|_| unavailable())?.subtle();
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", data)
        .map_err(|_| unavailable())?;
    let buffer = JsFuture::from(promise).await.map_err(|_| unavailable())?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    bytes.try_into().map_err(|_| unavailable())
}

/// This tab's sessionStorage: survives reloads of the tab, not closing it, and is never shared
/// with other tabs.
pub mod storage {
    fn session() -> Option<web_sys::Storage> {
        super::window().session_storage().ok().flatten()
    }

    pub fn get(key: &str) -> Option<String> {
        session()?.get_item(key).ok().flatten()
    }

    pub fn set(key: &str, value: &str) -> Result<(), String> {
        session()
            .ok_or("sessionStorage is unavailable (private mode or storage disabled?)")?
            .set_item(key, value)
            .map_err(|_| "sessionStorage is full or disabled; free some space or allow storage for this site.".into())
    }

    pub fn remove(key: &str) {
        if let Some(s) = session() {
            let _ = s.remove_item(key);
        }
    }

    /// Reads and removes: for single-use values such as the pending sign-in.
    pub fn take(key: &str) -> Option<String> {
        let value = get(key);
        remove(key);
        value
    }
}

/// Every value the submitted form holds under `name` (checked boxes, text fields), read with
/// `FormData`: fields that only matter on submit need no signal of their own.
pub fn submitted_values(ev: &web_sys::SubmitEvent, name: &str) -> Vec<String> {
    ev.target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
        .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
        .map(|data| {
            data.get_all(name)
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// `location.origin`, e.g. `https://console.example.com`.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// `location.search` including the `?`.
pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// Where the app is served (`/` or a sub-path such as `/console/`): the deploy step writes it into
/// `<meta name="wxcc-base-path">`; without it the app assumes the domain root.
pub fn base_path() -> String {
    window()
        .document()
        .and_then(|d| {
            d.query_selector("meta[name='wxcc-base-path']")
                .ok()
                .flatten()
        })
        .and_then(|m| m.get_attribute("content"))
        .filter(|p| p.starts_with('/'))
        .map(|p| if p.ends_with('/') { p } else { format!("{p}/") })
        .unwrap_or_else(|| "/".to_string())
}

/// An in-app link target below the base path: `app_href("/token")` is `/console/token` when the
/// app is served at `/console/`. (The router prefixes its base when navigating, but not on `<A href>`
/// values that start with `/`.)
pub fn app_href(path: &str) -> String {
    format!("{}{}", base_path(), path.trim_start_matches('/'))
}

/// Replaces the current history entry's URL without navigating, so the callback's code and state
/// leave the address bar and the history at once.
pub fn replace_url(path: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
}

/// Adds a history entry for an in-app address without reloading the page.
pub fn push_url(path: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
}

/// Leaves the app for another page (the authorize endpoint, Webex's logout).
pub fn navigate_away(url: &str) -> Result<(), String> {
    window()
        .location()
        .assign(url)
        .map_err(|_| "The browser refused to open the sign-in page.".to_string())
}

/// A Performance API mark (`wxcc:…`), read by the sign-in latency benchmark.
pub fn mark(name: &str) {
    if let Some(performance) = window().performance() {
        let _ = performance.mark(name);
    }
}

thread_local! {
    static MARKED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A mark placed only the first time (e.g. when the first Contact Center data is rendered).
pub fn mark_once(name: &'static str) {
    let first = MARKED.with(|m| {
        let mut marked = m.borrow_mut();
        let first = !marked.contains(&name);
        if first {
            marked.push(name);
        }
        first
    });
    if first {
        mark(name);
    }
}

/// True while the page is visible (used to refresh on waking).
pub fn is_visible() -> bool {
    window()
        .document()
        .map(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
        .unwrap_or(true)
}

/// Resolves after `ms` milliseconds (for Retry-After waits; never used to synchronise tests).
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// Calls `f` whenever the page becomes visible again or regains focus (after sleep, tab switch).
pub fn on_wake(f: impl Fn() + 'static) {
    let f = std::rc::Rc::new(f);
    let document = window().document().expect("document");
    let g = f.clone();
    let on_visible = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if is_visible() {
            g()
        }
    });
    let _ = document
        .add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
    let on_focus = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || f());
    let _ = window().add_event_listener_with_callback("focus", on_focus.as_ref().unchecked_ref());
    on_focus.forget();
}

/// Copies text to the clipboard (used by "Copy as cURL").
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let clipboard = window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| "The browser did not allow copying to the clipboard.".to_string())
}

/// An `Intl.DateTimeFormat` for the browser's locale and time zone (no tz database in the wasm)
/// with these options.
fn date_format(options: &[(&str, &str)]) -> js_sys::Function {
    let object = js_sys::Object::new();
    for (key, value) in options {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &object).format()
}

thread_local! {
    static DATE_TIME: js_sys::Function = date_format(&[("dateStyle", "medium"), ("timeStyle", "short")]);
    static HOUR: js_sys::Function = date_format(&[("hour", "numeric"), ("minute", "2-digit")]);
}

fn format_with(format: &'static std::thread::LocalKey<js_sys::Function>, ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format
        .with(|f| f.call1(&wasm_bindgen::JsValue::NULL, &date))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| ms.to_string())
}

/// A point in time (epoch ms) as a date and time in the browser's locale and time zone, through
/// `Intl.DateTimeFormat`.
pub fn format_time(ms: u64) -> String {
    format_with(&DATE_TIME, ms)
}

/// Offers `text` as a file download named `name` (a Blob URL on a temporary link).
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    let failed = |_| "The browser refused to save the file.".to_string();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document = window().document().ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download reads the Blob after this returns: let the URL go a minute later.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Ok(())
}

/// The hour of a point in time in the browser's locale and time zone (`14:00`, `2 PM`), for
/// chart labels.
pub fn format_hour(ms: u64) -> String {
    format_with(&HOUR, ms)
}
