//! JSON records as accessible tables people can read: times in the browser's locale and time
//! zone, durations as `1 h 05 min`, known ids as names linking to their record (the id in the
//! title), everything else as the API sent it; and "Export CSV" with the raw values.

use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::activity::format_duration;
use wxcc_core::table::{self, Shown};

use crate::resources::value_text;
use crate::router::Link;

/// One cell of a flattened row.
pub fn cell_view(row: &[(String, Value)], path: &str) -> AnyView {
    match table::shown(row, path) {
        Shown::Time(ms) => {
            view! { <time title=ms.to_string()>{crate::browser::format_time(ms)}</time> }.into_any()
        }
        Shown::Duration(ms) => {
            view! { <span title=format!("{ms} ms")>{format_duration(ms)}</span> }.into_any()
        }
        Shown::Named { name, id, slug } => {
            let to = format!("/config/{slug}/{id}");
            view! { <span title=id><Link to>{name}</Link></span> }.into_any()
        }
        Shown::Raw(value) => view! { {value_text(&value)} }.into_any(),
    }
}

/// One row of a table; with `link`, its first cell links there.
fn row_view(flat: &[(String, Value)], columns: &[String], link: Option<String>) -> AnyView {
    let cells = columns
        .iter()
        .enumerate()
        .map(|(i, c)| match (i, link.clone()) {
            (0, Some(to)) => {
                let title = value_text(table::raw(flat, c).unwrap_or(&Value::Null));
                view! { <td><Link to>{title}</Link></td> }.into_any()
            }
            _ => view! { <td>{cell_view(flat, c)}</td> }.into_any(),
        })
        .collect_view();
    view! { <tr data-testid="row">{cells}</tr> }.into_any()
}

/// One column per field; with `link_prefix` (an in-app path), the first cell links to
/// `{link_prefix}/{id}`.
pub fn data_table(columns: Vec<String>, rows: Vec<Value>, link_prefix: Option<String>) -> AnyView {
    let header = columns
        .iter()
        .map(|c| view! { <th scope="col">{c.clone()}</th> }.into_any())
        .collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let link = link_prefix
                .as_ref()
                .zip(row["id"].as_str().filter(|id| !id.is_empty()))
                .map(|(prefix, id)| format!("{prefix}/{id}"));
            row_view(&table::flatten(row), &columns, link)
        })
        .collect_view();
    view! {
        <div class="scroll">
            <table class="data">
                <thead><tr>{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Saves `rows` as `{file}.csv`: a header row with every field's path, then the raw API values.
pub fn export_csv(file: &str, rows: &[Vec<(String, Value)>]) -> Result<(), String> {
    let paths = table::all_paths(rows);
    let header: Vec<&str> = paths.iter().map(String::as_str).collect();
    let csv = wxcc_core::csv::write(
        &header,
        rows.iter().map(|row| {
            paths
                .iter()
                .map(|p| wxcc_core::csv::cell(table::raw(row, p)))
                .collect::<Vec<_>>()
        }),
    );
    crate::browser::download(&format!("{file}.csv"), &csv, "text/csv")
}

/// Whole results: every record, a page of them at a time, and all of them as CSV.
pub fn record_table(rows: Vec<Value>, file: &'static str) -> AnyView {
    const PAGE: usize = 25;
    let flat: Vec<Vec<(String, Value)>> = rows.iter().map(table::flatten).collect();
    let columns = table::columns(&flat, 7);
    let total = flat.len();
    let pages = total.div_ceil(PAGE).max(1) as u32;
    let page = RwSignal::new(0u32);
    // Shared by the page of rows on screen and the export.
    let flat = std::sync::Arc::new(flat);
    let shown = std::sync::Arc::clone(&flat);
    let header = columns
        .iter()
        .map(|c| view! { <th scope="col">{table::heading(c).to_string()}</th> }.into_any())
        .collect_view();
    let export = move |_| {
        if let Err(problem) = export_csv(file, &flat) {
            leptos::logging::warn!("{problem}");
        }
    };
    view! {
        <p class="toolbar">
            <span class="muted" data-testid="count">{format!("{total} records")}</span>
            <button type="button" on:click=export data-testid="export-csv">"Export CSV"</button>
        </p>
        <div class="scroll">
            <table class="data">
                <thead><tr>{header}</tr></thead>
                <tbody>
                    {move || {
                        let start = page.get() as usize * PAGE;
                        shown
                            .iter()
                            .skip(start)
                            .take(PAGE)
                            .map(|row| row_view(row, &columns, None))
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        {(pages > 1).then(|| view! {
            <p class="pager">
                <button type="button" prop:disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p -= 1)>"Previous"</button>
                <span data-testid="page">{move || format!("Page {} of {pages}", page.get() + 1)}</span>
                <button type="button" prop:disabled=move || { page.get() + 1 >= pages } on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </p>
        }.into_any())}
    }
    .into_any()
}
