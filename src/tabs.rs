//! The browser's own tools for coordinating the tabs of this origin: Web Locks
//! (`navigator.locks`), so that at most one tab refreshes at a time, and a BroadcastChannel, so that
//! a sign-in, a refreshed token and a sign-out reach every open tab. Where a browser lacks either,
//! the functions here fall back to what a single tab does on its own (the README says so).
//!
//! web-sys marks its Web Locks bindings unstable, so the three calls used are declared here.

use std::future::Future;

use futures::channel::oneshot;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request_with_options(
        this: &LockManager,
        name: &str,
        options: &JsValue,
        callback: &JsValue,
    ) -> js_sys::Promise;

    #[wasm_bindgen(method)]
    fn query(this: &LockManager) -> js_sys::Promise;
}

/// `navigator.locks`, where the browser has it (secure contexts in current browsers).
fn lock_manager() -> Option<LockManager> {
    let navigator = crate::browser::window().navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str("locks"))
        .ok()
        .filter(|locks| locks.is_object())
        .map(JsCast::unchecked_into)
}

/// Whether this browser coordinates tabs with Web Locks.
pub fn has_locks() -> bool {
    lock_manager().is_some()
}

fn lock_options(exclusive: bool, if_available: bool) -> JsValue {
    let options = js_sys::Object::new();
    let mode = if exclusive { "exclusive" } else { "shared" };
    let _ = js_sys::Reflect::set(&options, &"mode".into(), &mode.into());
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &if_available.into());
    options.into()
}

/// Asks for the lock `name` and resolves to a release function once it is held, or `None` when
/// `if_available` was set and another tab holds it. The lock is held until the function is called
/// (or dropped without a call: then for the life of the page).
async fn acquire(
    locks: &LockManager,
    name: &str,
    exclusive: bool,
    if_available: bool,
) -> Option<js_sys::Function> {
    let (granted_tx, granted_rx) = oneshot::channel::<Option<js_sys::Function>>();
    let callback = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        if lock.is_null() {
            let _ = granted_tx.send(None);
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        }
        // The lock is held until this promise settles: its resolve function is the release.
        let mut release = None;
        let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        let _ = granted_tx.send(release);
        held
    });
    let request =
        locks.request_with_options(name, &lock_options(exclusive, if_available), &callback);
    // A failed request (an unusable name, a document being torn down) means no lock.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(request).await;
    });
    granted_rx.await.ok().flatten()
}

/// How a piece of work got its turn under an exclusive lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    /// Nobody held the lock: nothing happened in another tab meanwhile.
    Immediate,
    /// Another tab held it first: it may have done this work already.
    AfterWaiting,
}

/// Runs `work` while this tab holds the origin-wide exclusive lock `name`, waiting for any other
/// tab that holds it. Without Web Locks the work runs at once (as `Immediate`).
pub async fn exclusive<T, Fut: Future<Output = T>>(
    name: &str,
    work: impl FnOnce(Turn) -> Fut,
) -> T {
    let (held, turn) = take(name).await;
    let result = work(turn).await;
    held.release();
    result
}

/// Takes the exclusive lock `name` for [`exclusive`] (not generic, so the waiting exists once in
/// the wasm, not once per caller).
async fn take(name: &str) -> (Presence, Turn) {
    let Some(locks) = lock_manager() else {
        return (Presence(None), Turn::Immediate);
    };
    match acquire(&locks, name, true, true).await {
        Some(release) => (Presence(Some(release)), Turn::Immediate),
        None => (
            Presence(acquire(&locks, name, true, false).await),
            Turn::AfterWaiting,
        ),
    }
}

/// A shared lock this tab holds to be seen by other tabs (`others_hold`), until `release`.
pub struct Presence(Option<js_sys::Function>);

impl Presence {
    pub fn release(self) {
        if let Some(release) = self.0 {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Holds the shared lock `name` until the returned presence is released (or the page closes).
pub async fn announce(name: &str) -> Presence {
    match lock_manager() {
        Some(locks) => Presence(acquire(&locks, name, false, false).await),
        None => Presence(None),
    }
}

/// Whether some tab of this origin holds the lock `name` now (`navigator.locks.query()`).
/// Without Web Locks: false, so a new tab behaves as if it were alone.
pub async fn held(name: &str) -> bool {
    let Some(locks) = lock_manager() else {
        return false;
    };
    let Ok(snapshot) = JsFuture::from(locks.query()).await else {
        return false;
    };
    let held = js_sys::Reflect::get(&snapshot, &"held".into()).unwrap_or(JsValue::UNDEFINED);
    js_sys::Array::from(&held).iter().any(|info| {
        js_sys::Reflect::get(&info, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == name)
    })
}

/// The origin's BroadcastChannel for session news. Messages are text (see
/// `wxcc_core::tab_message`); a tab never receives its own.
#[derive(Clone)]
pub struct Channel(web_sys::BroadcastChannel);

impl Channel {
    /// `None` where the browser has no BroadcastChannel.
    pub fn open(name: &str) -> Option<Channel> {
        web_sys::BroadcastChannel::new(name).ok().map(Channel)
    }

    pub fn post(&self, text: &str) {
        let _ = self.0.post_message(&JsValue::from_str(text));
    }

    /// Calls `on_text` with every text message other tabs post, for the life of the page.
    pub fn listen(&self, on_text: impl Fn(String) + 'static) {
        let handler =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(text) = event.data().as_string() {
                    on_text(text);
                }
            });
        self.0.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
    }
}

/// A timestamp every tab of the origin can read at once, for news a tab may have missed while it
/// was loading (a BroadcastChannel only reaches pages that are listening). localStorage holds only
/// these non-secret times; the tokens stay in each tab's sessionStorage.
pub fn shared_time(key: &str) -> u64 {
    local_storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

/// Records `ms` under `key` for every tab (see [`shared_time`]); never moves it back.
pub fn set_shared_time(key: &str, ms: u64) {
    if ms > shared_time(key)
        && let Some(storage) = local_storage()
    {
        let _ = storage.set_item(key, &ms.to_string());
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    crate::browser::window().local_storage().ok().flatten()
}
