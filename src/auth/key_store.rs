//! The browser keys handle-mode sessions are bound to, kept in IndexedDB. IndexedDB stores a
//! `CryptoKey` object as it is (structured clone), so a non-extractable private key stays
//! non-extractable there; and it is per origin, so every tab of the console signs with the same
//! key. Each key is stored under its RFC 7638 thumbprint, the one the session record names.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "wxcc.keys";
const VERSION: u32 = 1;
const STORE: &str = "keys";

fn unavailable(what: &str) -> String {
    format!(
        "This browser's IndexedDB is unavailable ({what}), so the sign-in cannot be bound to it: \
         allow site data for this page (private windows of some browsers block it), then sign \
         in again."
    )
}

/// Resolves when the request succeeds (to its result) or fails.
async fn settle(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map_err(|_| unavailable("a request failed"))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = crate::browser::window()
        .indexed_db()
        .ok()
        .flatten()
        .ok_or_else(|| unavailable("no indexedDB"))?;
    let request = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|_| unavailable("open refused"))?;
    // The first open of the origin creates the store; the success event follows the upgrade.
    let target = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = target.result().map(JsCast::unchecked_into::<IdbDatabase>) {
            let _ = db.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    settle(&request).await.map(JsCast::unchecked_into)
}

async fn with_store(
    mode: IdbTransactionMode,
    act: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, String> {
    let db = open().await?;
    let store = db
        .transaction_with_str_and_mode(STORE, mode)
        .and_then(|tx| tx.object_store(STORE))
        .map_err(|_| unavailable("no key store"))?;
    let request = act(&store).map_err(|_| unavailable("the key store refused"))?;
    let result = settle(&request).await;
    db.close();
    result
}

/// Keeps `value` (an object holding the key) under `thumbprint`.
pub async fn put(thumbprint: &str, value: &JsValue) -> Result<(), String> {
    with_store(IdbTransactionMode::Readwrite, |store| {
        store.put_with_key(value, &JsValue::from_str(thumbprint))
    })
    .await
    .map(|_| ())
}

/// The object kept under `thumbprint`, if any.
pub async fn get(thumbprint: &str) -> Result<Option<JsValue>, String> {
    let value = with_store(IdbTransactionMode::Readonly, |store| {
        store.get(&JsValue::from_str(thumbprint))
    })
    .await?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// Forgets every key (at sign-out, and before a new sign-in keeps its own).
pub async fn clear() -> Result<(), String> {
    with_store(IdbTransactionMode::Readwrite, |store| store.clear())
        .await
        .map(|_| ())
}
