//! Browser tests of `load(source, fetch)`: it behaves like Leptos' `Resource::new(source, fetcher)`.
//! `cargo test -p wxcc-console --target wasm32-unknown-unknown` (run by `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use wxcc_console::load::load;

wasm_bindgen_test_configure!(run_in_browser);

/// Yields to the executor until `done()` holds; fails the test if it never does. Effects and
/// tasks run on the microtask queue, so a few ticks are enough when the code works.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        leptos::task::tick().await;
    }
    panic!("never happened: {what}");
}

/// An owner for the test's signals and effects, and the wasm-bindgen executor.
fn reactive_root() -> Owner {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    owner
}

/// Resolves once every effect queued before it (tracking `signal`) has run: an effect created
/// after the load's own, on the same signal, runs after it.
fn ran_after(signal: RwSignal<u32>) -> Rc<Cell<u32>> {
    let seen = Rc::new(Cell::new(u32::MAX));
    let inner = Rc::clone(&seen);
    Effect::new(move |_| inner.set(signal.get()));
    seen
}

#[wasm_bindgen_test]
async fn refetches_when_a_source_signal_changes() {
    let _owner = reactive_root();
    let page = RwSignal::new(1u32);
    let loaded = load(move || page.get(), |p| async move { p * 10 });
    until("the first answer", || loaded.get() == Some(10)).await;
    page.set(2);
    until("the answer for the new source", || loaded.get() == Some(20)).await;
}

#[wasm_bindgen_test]
async fn a_signal_read_inside_fetch_does_not_refetch() {
    let _owner = reactive_root();
    let source = RwSignal::new(0u32);
    let other = RwSignal::new(0u32);
    let calls = Rc::new(Cell::new(0u32));
    let counter = Rc::clone(&calls);
    let loaded = load(
        move || source.get(),
        move |_| {
            counter.set(counter.get() + 1);
            // Read before and after the await: neither is a source.
            let before = other.get();
            async move { before + other.get() }
        },
    );
    until("the first answer", || loaded.get().is_some()).await;
    other.set(5);
    let seen = ran_after(other);
    until("effects on `other` ran", || seen.get() == 5).await;
    assert_eq!(
        calls.get(),
        1,
        "reading `other` inside fetch made it a source"
    );
    source.set(1);
    until("the source change refetched", || calls.get() == 2).await;
}

#[wasm_bindgen_test]
async fn an_equal_source_value_does_not_refetch() {
    let _owner = reactive_root();
    let number = RwSignal::new(0u32);
    let calls = Rc::new(Cell::new(0u32));
    let counter = Rc::clone(&calls);
    let loaded = load(
        move || number.get() % 2,
        move |parity| {
            counter.set(counter.get() + 1);
            async move { parity }
        },
    );
    until("the first answer", || loaded.get() == Some(0)).await;
    number.set(2);
    let seen = ran_after(number);
    until("effects on `number` ran", || seen.get() == 2).await;
    assert_eq!(calls.get(), 1);
    number.set(3);
    until("a changed parity refetched", || loaded.get() == Some(1)).await;
    assert_eq!(calls.get(), 2);
}

#[wasm_bindgen_test]
async fn refetch_runs_again_with_the_same_source() {
    let _owner = reactive_root();
    let calls = Rc::new(Cell::new(0u32));
    let counter = Rc::clone(&calls);
    let loaded = load(
        || "same",
        move |_| {
            counter.set(counter.get() + 1);
            let n = counter.get();
            async move { n }
        },
    );
    until("the first answer", || loaded.get() == Some(1)).await;
    loaded.refetch();
    until("the refetched answer", || loaded.get() == Some(2)).await;
}

#[wasm_bindgen_test]
async fn a_late_answer_to_an_older_request_is_dropped() {
    let _owner = reactive_root();
    let source = RwSignal::new(1u32);
    // One pending answer per source value, released by the test in the order it chooses.
    let senders: Rc<RefCell<HashMap<u32, oneshot::Sender<&'static str>>>> = Rc::default();
    let pending = Rc::clone(&senders);
    let loaded = load(
        move || source.get(),
        move |value| {
            let (tx, rx) = oneshot::channel();
            pending.borrow_mut().insert(value, tx);
            async move { rx.await.unwrap_or("cancelled") }
        },
    );
    until("the first request", || senders.borrow().contains_key(&1)).await;
    source.set(2);
    until("the second request", || senders.borrow().contains_key(&2)).await;
    // The newer request answers first, then the older one arrives late.
    let newer = senders.borrow_mut().remove(&2).unwrap();
    newer.send("newer").unwrap();
    until("the newer answer", || loaded.get() == Some("newer")).await;
    let older = senders.borrow_mut().remove(&1).unwrap();
    older.send("older").unwrap();
    // Let the older request's task finish: another source change is answered after it.
    source.set(3);
    until("the third request", || senders.borrow().contains_key(&3)).await;
    leptos::task::tick().await;
    assert_eq!(
        loaded.get(),
        Some("newer"),
        "a late answer replaced a newer one"
    );
    senders
        .borrow_mut()
        .remove(&3)
        .unwrap()
        .send("third")
        .unwrap();
    until("the third answer", || loaded.get() == Some("third")).await;
}
