//! Bar charts: [`wxcc_core::chart::Figure`] writes the whole `<figure>` (an SVG image with a title
//! and a description for assistive technology, its legend, its values as a table; every API text
//! escaped) and this view sets it as a container's HTML. That keeps the dozen SVG and figure
//! elements' view code out of the wasm.

use std::cell::Cell;

use leptos::prelude::*;
use wxcc_core::chart::{Figure, Grouped};

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A chart of `data`: `key` turns a category key into its label, `value` formats a value (a count,
/// a duration). Series are drawn in the colours of the `.s0`…`.s3` classes.
pub fn bar_chart(
    title: &'static str,
    description: &'static str,
    data: &Grouped,
    stacked: bool,
    key: fn(&str) -> String,
    value: fn(f64) -> String,
) -> AnyView {
    let id = NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let html = Figure {
        id,
        title,
        description,
        data,
        stacked,
        key: &key,
        value: &value,
    }
    .html();
    view! { <div inner_html=html></div> }.into_any()
}
