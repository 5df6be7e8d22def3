//! Both conversions in headless Chromium, through real JavaScript streams.
//! `cargo test -p wasm-streams --target wasm32-unknown-unknown` (run by `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use futures_util::StreamExt;
use futures_util::stream;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wasm_streams::ReadableStream;

wasm_bindgen_test_configure!(run_in_browser);

fn texts(items: &[wasm_streams::Item]) -> Vec<Result<String, String>> {
    items
        .iter()
        .map(|item| match item {
            Ok(v) => Ok(v.as_string().unwrap_or_default()),
            Err(e) => Err(e.as_string().unwrap_or_default()),
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_rust_stream_round_trips_through_a_javascript_readable_stream() {
    let source = stream::iter(["a", "b", "c"].map(|s| Ok(JsValue::from_str(s))));
    let raw = ReadableStream::from_stream(source).into_raw();
    assert!(!raw.locked());
    let items: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(
        texts(&items),
        [Ok("a".into()), Ok("b".into()), Ok("c".into())]
    );
}

#[wasm_bindgen_test]
async fn an_error_in_the_rust_stream_errors_the_javascript_stream() {
    let source = stream::iter([
        Ok(JsValue::from_str("first")),
        Err(JsValue::from_str("broken")),
    ]);
    let items: Vec<_> = ReadableStream::from_stream(source)
        .into_stream()
        .collect()
        .await;
    assert_eq!(texts(&items), [Ok("first".into()), Err("broken".into())]);
}

#[wasm_bindgen_test]
async fn nothing_is_pulled_before_a_reader_asks() {
    let pulled = Rc::new(Cell::new(0));
    let counter = pulled.clone();
    let source = stream::iter(0..3).map(move |i| {
        counter.set(counter.get() + 1);
        Ok(JsValue::from(i))
    });
    let readable = ReadableStream::from_stream(source);
    // Give the JavaScript stream every chance to pull ahead: a resolved promise is a full turn
    // of the microtask queue.
    settle().await;
    assert_eq!(pulled.get(), 0, "high-water mark 0: no read, no pull");
    let mut items = readable.into_stream();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.as_f64(), Some(0.0));
    assert_eq!(pulled.get(), 1);
}

/// A turn of the microtask queue: what the JavaScript stream does next has happened.
async fn settle() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn dropping_the_rust_stream_cancels_the_javascript_stream() {
    // Cancelling the JavaScript stream (reading side) drops the Rust stream behind it
    // (writing side): both ends are ours, so the whole chain is checked.
    struct Guard(Rc<Cell<bool>>);
    impl Drop for Guard {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = Rc::new(Cell::new(false));
    let guard = Guard(dropped.clone());
    let source = stream::iter(0..10).map(move |i| {
        let _alive = &guard;
        Ok(JsValue::from(i))
    });
    let mut items = ReadableStream::from_stream(source).into_stream();
    assert!(items.next().await.is_some());
    assert!(!dropped.get());
    drop(items);
    settle().await;
    assert!(dropped.get(), "cancel reached the Rust stream");
}
