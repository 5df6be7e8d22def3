//! JSON rows as an accessible table, shared by the configuration lists and the activity view.

use leptos::prelude::*;
use serde_json::Value;

use crate::resources::cell;
use crate::router::Link;

/// One column per field; with `link_prefix` (an in-app path), the first cell links to
/// `{link_prefix}/{id}`.
#[component]
pub fn DataTable(
    columns: Vec<String>,
    rows: Vec<Value>,
    #[prop(optional)] link_prefix: Option<String>,
) -> impl IntoView {
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
            let cells = columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    // The text is owned before it goes into the view: views outlive this function.
                    let text = cell(row, c);
                    match (i, link.clone()) {
                        (0, Some(to)) => view! { <td><Link to>{text}</Link></td> }.into_any(),
                        _ => view! { <td>{text}</td> }.into_any(),
                    }
                })
                .collect_view();
            view! { <tr data-testid="row">{cells}</tr> }.into_any()
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
}
