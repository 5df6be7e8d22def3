//! Both conversions in headless Chromium, through real JavaScript streams.
//! `cargo test -p wasm-streams --target wasm32-unknown-unknown` (run by `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use futures_channel::mpsc;
use futures_util::{FutureExt, Stream, StreamExt, stream};
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

/// Returns after everything the JavaScript streams queued so far has run: a task queued with
/// `setTimeout(…, 0)` runs only once the microtask queue (where promise reactions run) is empty.
async fn settle() {
    let queued = js_sys::Promise::new(&mut |resolve, _reject| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(queued).await.unwrap();
}

/// Sets its flag when dropped: tells whether the Rust stream that owns it is gone.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// `items` as a stream that owns a [`DropFlag`], and the flag: true once the stream is dropped.
fn watched(
    items: impl Stream<Item = wasm_streams::Item> + 'static,
) -> (impl Stream<Item = wasm_streams::Item>, Rc<Cell<bool>>) {
    let dropped = Rc::new(Cell::new(false));
    let flag = DropFlag(dropped.clone());
    let source = items.map(move |item| {
        let _owned = &flag;
        item
    });
    (source, dropped)
}

/// A stream fed by a channel, with one read started that the pull cannot answer yet: the pull
/// found the channel empty and waits.
async fn waiting_on_a_channel() -> (mpsc::UnboundedSender<JsValue>, wasm_streams::IntoStream) {
    let (sender, receiver) = mpsc::unbounded::<JsValue>();
    let mut items = ReadableStream::from_stream(receiver.map(Ok)).into_stream();
    assert!(items.next().now_or_never().is_none());
    settle().await;
    (sender, items)
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
    settle().await;
    assert_eq!(pulled.get(), 0, "high-water mark 0: no read, no pull");
    let mut items = readable.into_stream();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.as_f64(), Some(0.0));
    assert_eq!(pulled.get(), 1);
}

#[wasm_bindgen_test]
async fn a_read_waits_for_a_rust_stream_that_is_not_ready_yet() {
    let (sender, mut items) = waiting_on_a_channel().await;
    sender.unbounded_send("late".into()).unwrap();
    let late = items.next().await.unwrap().unwrap();
    assert_eq!(late.as_string().as_deref(), Some("late"));
    drop(sender);
    assert!(
        items.next().await.is_none(),
        "the channel's end closes the stream"
    );
}

#[wasm_bindgen_test]
async fn the_rust_stream_is_dropped_once_it_has_ended() {
    let (source, dropped) = watched(stream::iter([Ok(JsValue::TRUE)]));
    let items: Vec<_> = ReadableStream::from_stream(source)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(dropped.get(), "not kept alive by the JavaScript closures");
}

#[wasm_bindgen_test]
async fn dropping_the_rust_stream_cancels_the_javascript_stream() {
    // Cancelling the JavaScript stream (reading side) drops the Rust stream behind it
    // (writing side): both ends are ours, so the whole chain is checked.
    let (source, dropped) = watched(stream::iter((0..10).map(|i| Ok(JsValue::from(i)))));
    let mut items = ReadableStream::from_stream(source).into_stream();
    assert!(items.next().await.is_some());
    assert!(!dropped.get());
    drop(items);
    settle().await;
    assert!(dropped.get(), "cancel reached the Rust stream");
}

#[wasm_bindgen_test]
async fn cancelling_while_a_pull_waits_drops_the_rust_stream() {
    let (sender, items) = waiting_on_a_channel().await;
    drop(items);
    settle().await;
    assert!(
        sender.is_closed(),
        "the waiting stream (the channel's receiver) is gone"
    );
}

#[wasm_bindgen_test]
async fn dropping_a_failed_stream_leaves_no_unhandled_rejection() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let unhandled = Rc::new(Cell::new(0));
    let count = unhandled.clone();
    let listener = Closure::<dyn FnMut()>::new(move || count.set(count.get() + 1));
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("unhandledrejection", listener.as_ref().unchecked_ref())
        .unwrap();
    let source = stream::iter([Err(JsValue::from_str("broken"))]);
    let mut items = ReadableStream::from_stream(source).into_stream();
    // The read fails the JavaScript stream before the Rust side has seen the error…
    assert!(items.next().now_or_never().is_none());
    settle().await;
    // …so dropping it cancels an errored stream, whose cancel promise rejects.
    drop(items);
    settle().await;
    settle().await;
    window
        .remove_event_listener_with_callback(
            "unhandledrejection",
            listener.as_ref().unchecked_ref(),
        )
        .unwrap();
    assert_eq!(unhandled.get(), 0);
}
