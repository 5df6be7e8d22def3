//! Bar charts: one `<figure>` with the SVG image (`role="img"`, a title and a description for
//! assistive technology), its legend and its values as a table. [`wxcc_core::chart::Drawing`]
//! decides every position and text; this view only renders it, with `view!` elements, so every
//! text from the API reaches the page as text, never as markup.

use std::cell::Cell;

use leptos::prelude::*;
use wxcc_core::chart::{Drawing, Grouped};

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A chart of `data`: `key` turns a category key into its label, `value` formats a value (a count,
/// a duration). Series are drawn in the colours of the `.s0`…`.s3` classes. Each list's items are
/// erased to `AnyView`, so the lists share one renderer (the README's size table says what it saves).
pub fn bar_chart(
    title: &'static str,
    description: &'static str,
    data: &Grouped,
    stacked: bool,
    key: fn(&str) -> String,
    value: fn(f64) -> String,
) -> AnyView {
    // Unique on the page: the SVG's title and description are referred to by id.
    let id = NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let (title_id, desc_id) = (format!("chart{id}-title"), format!("chart{id}-desc"));
    let (labelled_by, described_by) = (title_id.clone(), desc_id.clone());
    let drawing = Drawing::new(data, stacked, &key, &value);
    let grid = drawing
        .grid
        .into_iter()
        .map(|g| {
            view! {
                <line class="grid" x1=g.x1 x2=g.x2 y1=g.y y2=g.y></line>
                <text x=g.label_x y=g.y + 4 text-anchor="end">{g.label}</text>
            }
            .into_any()
        })
        .collect_view();
    let bars = drawing
        .bars
        .into_iter()
        .map(|b| {
            view! {
                <rect class=format!("s{}", b.series) x=b.x y=b.y width=b.width height=b.height>
                    <title>{b.tooltip}</title>
                </rect>
            }
            .into_any()
        })
        .collect_view();
    let categories = drawing
        .categories
        .into_iter()
        .map(|c| view! { <text x=c.x y=c.y text-anchor="middle">{c.text}</text> }.into_any())
        .collect_view();
    let legend = drawing
        .legend
        .iter()
        .enumerate()
        .map(|(s, label)| {
            view! { <li><span class=format!("swatch s{}", s % 4)></span>{label.clone()}</li> }
                .into_any()
        })
        .collect_view();
    let heads = drawing
        .legend
        .into_iter()
        .map(|label| view! { <th scope="col">{label}</th> }.into_any())
        .collect_view();
    let rows = drawing
        .rows
        .into_iter()
        .map(|(label, cells)| {
            let cells = cells
                .into_iter()
                .map(|cell| view! { <td>{cell}</td> }.into_any())
                .collect_view();
            view! { <tr><th scope="row">{label}</th>{cells}</tr> }.into_any()
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid="chart">
            <svg
                viewBox=format!("0 0 {} {}", drawing.width, drawing.height)
                role="img"
                aria-labelledby=labelled_by
                aria-describedby=described_by
            >
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {grid}
                {bars}
                {categories}
            </svg>
            <figcaption>
                <strong>{title}</strong>
                <ul class="legend">{legend}</ul>
            </figcaption>
            <details>
                <summary>"Values as a table"</summary>
                <table class="data">
                    <thead><tr><th scope="col">"—"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
