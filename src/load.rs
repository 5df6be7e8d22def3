//! Data for views: `load(source, fetch)` mirrors Leptos' `Resource::new(source, fetcher)`. The
//! `source` closure is tracked: whenever its value changes (compared with `PartialEq`), `fetch`
//! runs again with the new value. `fetch` itself is untracked, before and after its `.await`s, so
//! a signal read inside it never causes a refetch by surprise. The previous answer stays on screen
//! while the next one loads, and a late answer to an older request is dropped.
//!
//! It replaces `LocalResource` + `<Transition>`, whose async-derived machinery is large in the
//! wasm (the README's Performance section has the figures).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

/// The latest answer of a [`load`]. Copy, like a signal.
pub struct Loaded<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: RwSignal<u32>,
}

impl<T: 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loaded<T> {}

impl<T: Clone + 'static> Loaded<T> {
    /// `None` until the first answer arrives (tracked).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// Runs the fetch again with the current source (the "Retry" buttons).
    pub fn refetch(&self) {
        self.again.update(|n| *n = n.wrapping_add(1));
    }
}

/// Runs `fetch(source())` now, again whenever `source()` changes, and on [`Loaded::refetch`].
/// Only the newest request's answer is kept.
pub fn load<S, T, Fut>(
    source: impl Fn() -> S + 'static,
    fetch: impl Fn(S) -> Fut + 'static,
) -> Loaded<T>
where
    S: PartialEq + Clone + 'static,
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    // The last source value fetched: an equal value (another signal in the source's closure
    // changed, but not its result) does not refetch.
    let last: RefCell<Option<S>> = RefCell::new(None);
    // Boxed here so the effect and the task below exist once per answer type, not once per view.
    start(Box::new(move |forced| {
        let value = source();
        if !forced && last.borrow().as_ref() == Some(&value) {
            return None;
        }
        *last.borrow_mut() = Some(value.clone());
        Some(untrack(|| {
            Box::pin(fetch(value)) as Pin<Box<dyn Future<Output = T>>>
        }))
    }))
}

/// Reads the source (tracked) and, unless it is unchanged and no refetch was asked for, starts the
/// fetch (untracked).
type Fetch<T> = Box<dyn Fn(bool) -> Option<Pin<Box<dyn Future<Output = T>>>>>;

fn start<T: 'static>(fetch: Fetch<T>) -> Loaded<T> {
    let value = RwSignal::new_local(None);
    let again = RwSignal::new(0u32);
    // The generation of the newest request: an older answer that arrives late is dropped.
    let newest = Rc::new(Cell::new(0u32));
    let asked = Cell::new(0u32);
    effect(move || {
        let wanted = again.get();
        let forced = wanted != asked.replace(wanted);
        let Some(request) = fetch(forced) else {
            return;
        };
        let generation = newest.get().wrapping_add(1);
        newest.set(generation);
        let newest = Rc::clone(&newest);
        leptos::task::spawn_local(async move {
            let answer = request.await;
            // The view may be gone by now (navigation): `try_set` then does nothing.
            if newest.get() == generation {
                let _ = value.try_set(Some(answer));
            }
        });
    });
    Loaded { value, again }
}

/// Runs `run` now and again whenever a signal it read changes, like `Effect::new`. Every effect
/// of the app goes through here boxed, so the wasm carries one effect type instead of one per
/// closure.
pub fn effect(run: impl Fn() + 'static) {
    watch(Box::new(run));
}

fn watch(run: Box<dyn Fn()>) {
    Effect::new(move |_| run());
}

/// A `Memo<bool>` of `read`, like `Memo::new`: boxed, so every condition of the app shares one
/// memo type in the wasm.
pub fn flag(read: impl Fn() -> bool + Send + Sync + 'static) -> Memo<bool> {
    flag_of(Box::new(read))
}

fn flag_of(read: Box<dyn Fn() -> bool + Send + Sync>) -> Memo<bool> {
    Memo::new(move |_| read())
}
