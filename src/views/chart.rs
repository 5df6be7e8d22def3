//! Bar charts as inline SVG from [`wxcc_core::chart`]'s geometry, in whole SVG units (the wasm then
//! needs no float printer). Each is an image with a title
//! and a description for assistive technology (`role="img"`), and its values are also a table.

use std::cell::Cell;

use leptos::prelude::*;
use wxcc_core::chart::{self, Grouped, HEIGHT};

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// A chart of `data`: `key` turns a category key into its label, `value` formats a value (a count,
/// a duration). Series are drawn in the colours of the `.s0`…`.s3` classes.
#[component]
pub fn BarChart(
    title: &'static str,
    description: String,
    data: Grouped,
    stacked: bool,
    key: fn(&str) -> String,
    value: fn(f64) -> String,
) -> impl IntoView {
    let id = NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let (title_id, desc_id) = (format!("chart{id}-title"), format!("chart{id}-desc"));
    let layout = chart::layout(&data, stacked);
    let labels: Vec<String> = data.keys.iter().map(|k| key(k)).collect();
    // Every label when they fit, else every n-th, so they never overlap.
    let every = labels.len().div_ceil(12).max(1);
    let series_label = |s: usize| {
        data.series
            .get(s)
            .map(|s| s.label.clone())
            .unwrap_or_default()
    };
    let bars = layout
        .bars
        .iter()
        .filter(|b| b.rect.height > 0.0)
        .map(|b| {
            let tip = format!("{} · {}: {}", labels[b.category], series_label(b.series), value(b.value));
            view! {
                <rect x=b.rect.x as i32 y=b.rect.y as i32 width=b.rect.width as i32 height=b.rect.height.ceil() as i32 class=format!("s{}", b.series % 4)>
                    <title>{tip}</title>
                </rect>
            }
            .into_any()
        })
        .collect_view();
    let ticks = layout
        .ticks
        .iter()
        .map(|(v, y)| {
            view! {
                <line x1=layout.plot.x as i32 x2={ (layout.plot.x + layout.plot.width) as i32 } y1=*y as i32 y2=*y as i32 class="grid" />
                <text x={ layout.plot.x as i32 - 6 } y={ *y as i32 + 4 } text-anchor="end">{value(*v)}</text>
            }
            .into_any()
        })
        .collect_view();
    let names = layout
        .centres
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, x)| {
            view! { <text x=*x as i32 y={ HEIGHT as i32 - 14 } text-anchor="middle">{labels[i].clone()}</text> }
                .into_any()
        })
        .collect_view();
    let legend = data
        .series
        .iter()
        .enumerate()
        .map(|(s, series)| view! { <li><span class=format!("swatch s{}", s % 4)></span>{series.label.clone()}</li> }.into_any())
        .collect_view();
    let header = data
        .series
        .iter()
        .map(|s| view! { <th scope="col">{s.label.clone()}</th> }.into_any())
        .collect_view();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(c, label)| {
            let cells = data
                .series
                .iter()
                .map(|s| {
                    view! { <td>{value(s.values.get(c).copied().unwrap_or(0.0))}</td> }.into_any()
                })
                .collect_view();
            view! { <tr><th scope="row">{label.clone()}</th>{cells}</tr> }.into_any()
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid="chart">
            <svg viewBox="0 0 640 220" role="img" aria-labelledby=title_id.clone() aria-describedby=desc_id.clone()>
                <title id=title_id.clone()>{title}</title>
                <desc id=desc_id.clone()>{description}</desc>
                {ticks}
                {bars}
                {names}
            </svg>
            <figcaption>
                <strong>{title}</strong>
                <ul class="legend">{legend}</ul>
            </figcaption>
            <details>
                <summary>"Values as a table"</summary>
                <table class="data">
                    <thead><tr><th scope="col">"—"</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
