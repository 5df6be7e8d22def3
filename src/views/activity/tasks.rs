//! The task records view: raw `taskDetails` records a page at a time (the API's cursor paging,
//! 250 a page) with the window's total, and the whole result as CSV, every page fetched with a
//! progress bar and a Cancel button.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::activity::answer::{self, TASK_COLUMNS};
use wxcc_core::activity::pager::Pager;
use wxcc_core::activity::query::{self, FIRST_CURSOR, names};
use wxcc_core::activity::units::format_count;
use wxcc_core::activity::window::Window;
use wxcc_core::api_error::ApiError;

use super::fetch::{self, search_error};
use crate::ctx::{Ctx, use_ctx};
use crate::load::Loaded;
use crate::views::table::{cell_view, export_csv};

/// The API's page size for raw `taskDetails` records, and the most it pages through.
const PAGE_SIZE: u64 = 250;
const MOST_RECORDS: u64 = 100_000;

async fn total(ctx: Ctx, w: Window) -> Result<u64, ApiError> {
    let (rows, _) = fetch::search(ctx, query::task_total(w), "taskDetails", "tasks").await?;
    Ok(answer::total(&rows, names::CONTACTS))
}

fn records_table(records: &[Value]) -> AnyView {
    let header = TASK_COLUMNS
        .iter()
        .map(|(_, heading)| view! { <th scope="col">{*heading}</th> }.into_any())
        .collect_view();
    let rows = records
        .iter()
        .map(|record| {
            let flat = wxcc_core::table::flatten(record);
            let cells = TASK_COLUMNS
                .iter()
                .map(|(path, _)| view! { <td>{cell_view(&flat, path)}</td> }.into_any())
                .collect_view();
            view! { <tr data-testid="row">{cells}</tr> }.into_any()
        })
        .collect_view();
    view! {
        <div class="scroll">
            <table class="data">
                <thead><tr>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn TaskRecords(window: Memo<Window>) -> impl IntoView {
    let ctx = use_ctx();
    let total = crate::load::load(
        move || (window.get(), ctx.api_target.get()),
        move |(w, _)| total(ctx, w),
    );
    // The cursors of the pages after the first, for the window they belong to. Each answer
    // carries the page it answers: the loader keeps the previous answer on screen while the next
    // page loads, and "Next" must not take that answer's cursor a second time.
    let pager = RwSignal::new(Pager::default());
    let page = crate::load::load(
        move || (pager.with(|p| p.key(window.get())), ctx.api_target.get()),
        move |(key, _)| async move {
            let cursor = key.cursor.as_deref().unwrap_or(FIRST_CURSOR);
            let answer = fetch::search(
                ctx,
                query::task_page(key.window, cursor),
                "taskDetails",
                "tasks",
            )
            .await;
            (key, answer)
        },
    );
    // The end cursor of the answer on screen when it answers the page the view is on.
    let can_go_next = move || {
        let w = window.get();
        match page.get() {
            Some((key, Ok((_, end)))) => pager.with(|p| p.can_go_next(w, &key, end.as_deref())),
            _ => false,
        }
    };
    let next = move |_| {
        let w = window.get_untracked();
        if let Some((key, Ok((_, end)))) = untrack(|| page.get()) {
            pager.update(|p| {
                p.next(w, &key, end.as_deref());
            });
        }
    };
    let previous = move |_| {
        let w = window.get_untracked();
        pager.update(|p| p.previous(w));
    };
    let pages = move || {
        total
            .get()
            .and_then(Result::ok)
            .map(|n| n.min(MOST_RECORDS).div_ceil(PAGE_SIZE).max(1))
    };
    view! {
        <div data-testid="activity-tasks">
            <p class="toolbar">
                <span data-testid="count">
                    {move || match total.get() {
                        None => "Counting…".to_string(),
                        Some(Ok(n)) => format!("{} records", format_count(n as f64)),
                        Some(Err(_)) => "The total is not known.".to_string(),
                    }}
                </span>
                <Export window total />
            </p>
            {move || match page.get().map(|(_, answer)| answer) {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => search_error(error, Callback::new(move |_| page.refetch())),
                Some(Ok((records, _))) if records.is_empty() => {
                    view! { <p data-testid="empty">"No contacts in this window."</p> }.into_any()
                }
                Some(Ok((records, _))) => records_table(&records),
            }}
            <p class="pager">
                <button type="button" prop:disabled=move || !pager.with(|p| p.has_previous(window.get())) on:click=previous>"Previous"</button>
                <span data-testid="page">
                    {move || {
                        let number = pager.with(|p| p.number(window.get()));
                        match pages() {
                            Some(of) => format!("Page {number} of {of}"),
                            None => format!("Page {number}"),
                        }
                    }}
                </span>
                <button
                    type="button"
                    prop:disabled=move || !can_go_next()
                    on:click=next
                >
                    "Next"
                </button>
            </p>
        </div>
    }
}

/// "Export CSV": every page of the window, one after the other, while a progress bar shows how
/// far it got; Cancel (or leaving the page) stops it after the page in flight.
#[component]
fn Export(window: Memo<Window>, total: Loaded<Result<u64, ApiError>>) -> impl IntoView {
    // The window's record count, once known.
    let total = move || total.get().and_then(Result::ok);
    let ctx = use_ctx();
    // Records fetched so far while an export runs.
    let fetched = RwSignal::new(None::<usize>);
    let status = RwSignal::new(String::new());
    let cancelled = Arc::new(AtomicBool::new(false));
    let on_leave = Arc::clone(&cancelled);
    on_cleanup(move || on_leave.store(true, Ordering::Relaxed));
    let stop = Arc::clone(&cancelled);
    let start = move |_| {
        let cancelled = Arc::clone(&cancelled);
        cancelled.store(false, Ordering::Relaxed);
        let w = window.get_untracked();
        let expected = untrack(total).unwrap_or(0).min(MOST_RECORDS);
        leptos::task::spawn_local(async move {
            let outcome = fetch_all(ctx, w, fetched, &cancelled).await;
            let _ = fetched.try_set(None);
            let text = match outcome {
                Ok(rows) if cancelled.load(Ordering::Relaxed) => format!(
                    "Export cancelled after {} of {} records; nothing was saved.",
                    rows.len(),
                    expected
                ),
                Ok(rows) => match export_csv("tasks", &rows) {
                    Ok(()) => format!("Exported {} records to tasks.csv.", rows.len()),
                    Err(problem) => problem,
                },
                Err(error) => format!("Export failed: {} {}", error.title(), error.what_to_do()),
            };
            let _ = status.try_set(text);
        });
    };
    view! {
        {move || match fetched.get() {
            None => view! {
                <button type="button" on:click=start.clone() data-testid="export-csv">"Export CSV (every page)"</button>
            }
            .into_any(),
            Some(done) => {
                let expected = total().unwrap_or(0).min(MOST_RECORDS);
                let stop = Arc::clone(&stop);
                view! {
                    <progress max=expected.max(1).to_string() value=done.to_string() aria-label="Export progress" data-testid="export-progress"></progress>
                    <span>{format!("{done} of {expected} records")}</span>
                    <button type="button" data-testid="export-cancel" on:click=move |_| stop.store(true, Ordering::Relaxed)>"Cancel"</button>
                }
                .into_any()
            }
        }}
        <span role="status" data-testid="export-status">{move || status.get()}</span>
    }
}

/// Every record of the window as flattened rows, page by page, until the last page or a cancel.
async fn fetch_all(
    ctx: Ctx,
    w: Window,
    fetched: RwSignal<Option<usize>>,
    cancelled: &AtomicBool,
) -> Result<Vec<Vec<(String, Value)>>, ApiError> {
    let mut rows = Vec::new();
    let mut cursor = FIRST_CURSOR.to_string();
    loop {
        if fetched.try_set(Some(rows.len())).is_some() || cancelled.load(Ordering::Relaxed) {
            return Ok(rows);
        }
        let (records, next) =
            fetch::search(ctx, query::task_page(w, &cursor), "taskDetails", "tasks").await?;
        rows.extend(records.iter().map(wxcc_core::table::flatten));
        match next {
            Some(next) => cursor = next,
            None => return Ok(rows),
        }
    }
}
