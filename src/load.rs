//! Data for views: `load(source, fetch)` mirrors Leptos' `Resource::new(source, fetcher)`. The
//! `source` closure is tracked: whenever its value changes (compared with `PartialEq`), `fetch`
//! runs again with the new value. `fetch` itself is untracked, before and after its `.await`s, so
//! a signal read inside it never causes a refetch by surprise. The previous answer stays on screen
//! while the next one loads, and a late answer to an older request is dropped.
//!
//! It replaces `LocalResource` + `<Transition>`, whose async-derived machinery is large in the
//! wasm (the README's Performance section has the figures).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

/// An answer of any type: the signal, the effect and the task behind every [`Loaded`] exist once
/// in the wasm, not once per answer type.
type Answer = Rc<dyn Any>;

/// The latest answer of a [`load`]. Copy, like a signal.
pub struct Loaded<T: 'static> {
    value: RwSignal<Option<Answer>, LocalStorage>,
    again: RwSignal<u32>,
    answer: PhantomData<fn() -> T>,
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
        self.value
            .with(|answer| answer.as_ref()?.downcast_ref::<T>().cloned())
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
    // Boxed here so the effect and the task below exist once, not once per view.
    let value = start(Box::new(move |forced| {
        let value = source();
        if !forced && last.borrow().as_ref() == Some(&value) {
            return None;
        }
        *last.borrow_mut() = Some(value.clone());
        let request = untrack(|| fetch(value));
        Some(Box::pin(async move { Rc::new(request.await) as Answer }) as Request)
    }));
    Loaded {
        value: value.0,
        again: value.1,
        answer: PhantomData,
    }
}

type Request = Pin<Box<dyn Future<Output = Answer>>>;

/// Reads the source (tracked) and, unless it is unchanged and no refetch was asked for, starts the
/// fetch (untracked).
type Fetch = Box<dyn Fn(bool) -> Option<Request>>;

/// The answer's signal and the refetch counter.
fn start(fetch: Fetch) -> (RwSignal<Option<Answer>, LocalStorage>, RwSignal<u32>) {
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
    (value, again)
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
