//! The part of [wasm-streams](https://crates.io/crates/wasm-streams) 0.5 that Leptos' `server_fn`
//! uses: a Rust [`Stream`] as a JavaScript `ReadableStream` (streaming request bodies) and a
//! `ReadableStream` as a Rust [`Stream`] (streaming responses).
//!
//! Why it exists: Leptos 0.8 always enables `server_fn`'s `browser` feature, and wasm-streams
//! implements its conversions with three `#[wasm_bindgen]` classes. Exports are roots, so every
//! Leptos app ships them, and their JS glue, whether or not it calls a server function:
//! a noticeable share of wxcc-console's budget (the README's Performance section has the figure),
//! for a feature it does not use. Here the JS side
//! of `from_stream` is a closure, not an exported class, so an app that never streams carries
//! none of it. The root `Cargo.toml` patches it in; the browser tests check both directions.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_util::Stream;
use futures_util::future::poll_fn;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{
    ReadableStreamDefaultController, ReadableStreamDefaultReader, ReadableStreamReadResult,
};

/// Items and errors cross the boundary as raw JavaScript values, as in wasm-streams.
pub type Item = Result<JsValue, JsValue>;

/// A JavaScript `ReadableStream`, convertible to and from a Rust [`Stream`].
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream { raw }
    }

    pub fn as_raw(&self) -> &web_sys::ReadableStream {
        &self.raw
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A `ReadableStream` that pulls from `stream` one item per read: an `Ok` item is enqueued,
    /// an `Err` errors the JavaScript stream, the end closes it, and cancelling the JavaScript
    /// stream drops the Rust one. Like wasm-streams, the high-water mark is 0: nothing is pulled
    /// before a reader asks.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Item> + 'static,
    {
        type Shared = Rc<RefCell<Option<Pin<Box<dyn Stream<Item = Item>>>>>>;
        let stream: Shared = Rc::new(RefCell::new(Some(Box::pin(stream))));
        let pulled = Rc::clone(&stream);
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> js_sys::Promise>::new(
            move |controller: ReadableStreamDefaultController| {
                let stream = Rc::clone(&pulled);
                future_to_promise(async move {
                    // The borrow lasts one poll, never across an await, so cancel (which may
                    // come while this pull waits) always finds the stream free.
                    let next = poll_fn(|cx| match stream.borrow_mut().as_mut() {
                        Some(stream) => stream.as_mut().poll_next(cx),
                        None => Poll::Ready(None),
                    })
                    .await;
                    match next {
                        Some(Ok(chunk)) => controller.enqueue_with_chunk(&chunk)?,
                        // A rejected pull errors the stream with this reason.
                        Some(Err(reason)) => {
                            stream.borrow_mut().take();
                            return Err(reason);
                        }
                        None => {
                            // Drop the finished stream now, not when JavaScript collects the
                            // closures. Closing a stream that was cancelled meanwhile throws,
                            // and the rejected pull is then ignored.
                            stream.borrow_mut().take();
                            controller.close()?;
                        }
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let cancel = Closure::<dyn FnMut()>::new(move || {
            if let Ok(mut stream) = stream.try_borrow_mut() {
                stream.take();
            }
        });
        let source = js_sys::Object::new();
        // Handed to JavaScript, the closures live as long as the source object.
        for (name, callback) in [
            ("pull", pull.into_js_value()),
            ("cancel", cancel.into_js_value()),
        ] {
            js_sys::Reflect::set(&source, &name.into(), &callback)
                .expect("setting a property of a fresh object cannot fail");
        }
        let strategy = web_sys::QueuingStrategy::new();
        strategy.set_high_water_mark(0.0);
        let raw =
            web_sys::ReadableStream::new_with_underlying_source_and_strategy(&source, &strategy)
                .expect("an underlying source of pull and cancel is valid");
        ReadableStream { raw }
    }

    /// The stream's items as a Rust [`Stream`]; locks the JavaScript stream to one reader.
    /// Panics (a JavaScript exception in the browser) when the stream is already locked, as
    /// wasm-streams does.
    pub fn into_stream(self) -> IntoStream {
        let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
        IntoStream {
            reader: Some(reader),
            pending: None,
        }
    }
}

/// The items of a `ReadableStream`. Dropping it before the end cancels the JavaScript stream.
pub struct IntoStream {
    /// `None` once the stream has ended or failed.
    reader: Option<ReadableStreamDefaultReader>,
    /// The read in flight, if any.
    pending: Option<JsFuture>,
}

impl Stream for IntoStream {
    type Item = Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        let this = &mut *self;
        let Some(reader) = &this.reader else {
            return Poll::Ready(None);
        };
        let read = this
            .pending
            .get_or_insert_with(|| JsFuture::from(reader.read()));
        let outcome = match Pin::new(read).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(outcome) => outcome,
        };
        this.pending = None;
        match outcome {
            Ok(result) => {
                let result: ReadableStreamReadResult = result.unchecked_into();
                if result.get_done().unwrap_or(false) {
                    this.reader = None;
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Ok(result.get_value())))
                }
            }
            Err(reason) => {
                this.reader = None;
                Poll::Ready(Some(Err(reason)))
            }
        }
    }
}

impl Drop for IntoStream {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            // Nothing waits for the cancel to finish, but its promise is awaited all the same:
            // it rejects when the stream had already failed, and an unhandled rejection would
            // show up in the console.
            let cancelled = JsFuture::from(reader.cancel());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = cancelled.await;
            });
        }
    }
}
