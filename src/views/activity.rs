//! Activity over a time window: charts of tasks and statistics, and every task, agent activity
//! and statistics record of the window as tables (with CSV export). The window (`from`/`to`,
//! epoch ms as the API takes them) lives in the address.

use crate::router::{Router, use_router};
use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::activity::{self, HOUR_MS, MAX_ACTIVITY_RECORDS, MAX_PAGE_SIZE};
use wxcc_core::api_error::ApiError;
use wxcc_core::chart::Grouped;
use wxcc_core::scopes::Feature;

use super::chart::bar_chart;
use super::table::record_table;
use super::{ApiErrorView, Gate};
use crate::ctx::{Ctx, use_ctx};

#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <Gate title="Activity" feature=Feature::Activity>
            <Activity />
        </Gate>
    }
}

/// The time window in the address (`from`/`to`, epoch ms). Read where it is used (tracked), so
/// the sections and the form follow the address.
#[derive(Clone, Copy)]
struct Window {
    router: Router,
    /// When the page opened: the default window ends here.
    now: u64,
}

impl Window {
    fn get(self) -> (u64, u64) {
        let at = |key| {
            self.router
                .query(key)
                .and_then(|v: String| v.parse::<u64>().ok())
        };
        let to = at("to").unwrap_or(self.now);
        // Statistics and agent activities take less than 24 hours: the default is the last 12.
        let from = at("from").unwrap_or(to.saturating_sub(12 * HOUR_MS));
        (from, to)
    }

    fn get_untracked(self) -> (u64, u64) {
        untrack(|| self.get())
    }
}

#[component]
fn Activity() -> impl IntoView {
    let router = use_router();
    let window = Window {
        router,
        now: crate::browser::now_ms(),
    };
    let go = move |from: u64, to: u64| {
        router.go(&format!("/activity?from={from}&to={to}"));
    };
    let preset = move |hours: u64| {
        let to = crate::browser::now_ms();
        go(to.saturating_sub(hours * HOUR_MS), to);
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The fields are plain form fields, shown from the address and read on submit.
        let field = |name| {
            crate::browser::submitted_values(&ev, name)
                .pop()
                .unwrap_or_default()
        };
        let from = js_sys::Date::parse(&field("from"));
        let to = js_sys::Date::parse(&field("to"));
        // An empty or too long window goes to the address too: the page then says what is wrong.
        if from.is_finite() && to.is_finite() && from >= 0.0 && to >= 0.0 {
            go(from as u64, to as u64);
        }
    };
    view! {
        <section>
            <h1>"Activity"</h1>
            <form class="toolbar" on:submit=apply aria-label="Time window">
                <label>
                    "From "
                    <input type="datetime-local" name="from" prop:value=move || to_local_input(window.get().0) />
                </label>
                <label>
                    "To "
                    <input type="datetime-local" name="to" prop:value=move || to_local_input(window.get().1) />
                </label>
                <button type="submit" class="primary">"Show"</button>
                <button type="button" on:click=move |_| preset(1)>"Last hour"</button>
                <button type="button" on:click=move |_| preset(6)>"Last 6 hours"</button>
                <button type="button" on:click=move |_| preset(23)>"Last 23 hours"</button>
            </form>
            {move || {
                let (from, to) = window.get();
                match activity::check_window(from, to) {
                    Err(problem) => view! { <Notice text=problem.message() /> }.into_any(),
                    Ok(()) => view! {
                        <ActivitySection title="Tasks" kind=Kind::Tasks window />
                        <ActivitySection title="Agent activities" kind=Kind::Activities window />
                        <ActivitySection title="Agent statistics" kind=Kind::AgentStatistics window />
                        <ActivitySection title="Queue statistics" kind=Kind::QueueStatistics window />
                    }
                    .into_any(),
                }
            }}
        </section>
    }
}

/// A notice where the user is looking: focused when it appears, so keyboard and screen-reader
/// users meet it first.
#[component]
fn Notice(text: String) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    crate::load::effect(move || {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
    view! { <div class="error" role="alert" tabindex="-1" node_ref=node data-testid="window-problem">{text}</div> }
}

/// What a section shows.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Tasks,
    Activities,
    AgentStatistics,
    QueueStatistics,
}

impl Kind {
    fn test_id(self) -> &'static str {
        match self {
            Kind::Tasks => "activity-tasks",
            Kind::Activities => "activity-activities",
            Kind::AgentStatistics | Kind::QueueStatistics => "activity-statistics",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Kind::Tasks => "tasks",
            Kind::Activities => "agent-activities",
            Kind::AgentStatistics => "agent-statistics",
            Kind::QueueStatistics => "queue-statistics",
        }
    }
}

#[component]
fn ActivitySection(title: &'static str, kind: Kind, window: Window) -> impl IntoView {
    let ctx = use_ctx();
    let source = move || (window.get(), ctx.api_target.get());
    let data = crate::load::load(source, move |((from, to), _target)| {
        whole_result(ctx, kind, from, to)
    });
    view! {
        <article class="card section" data-testid=kind.test_id()>
            <h2>{title}</h2>
            {move || match data.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <ApiErrorView error focus=true feature=Feature::Activity on_retry=Callback::new(move |_| data.refetch()) /> }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! { <p data-testid="empty">"Nothing in this window."</p> }.into_any(),
                Some(Ok(rows)) => {
                    let (from, to) = window.get_untracked();
                    let charts = chart_specs(kind, &rows, from, to)
                        .into_iter()
                        .map(|(title, description, data, stacked, key, value)| {
                            bar_chart(title, description, &data, stacked, key, value)
                        })
                        .collect_view();
                    view! { <div class="charts">{charts}</div> {record_table(rows, kind.file())} }.into_any()
                }
            }}
        </article>
    }
}

/// One chart: title, description, data, stacked, how keys and values read.
type ChartSpec = (
    &'static str,
    &'static str,
    Grouped,
    bool,
    fn(&str) -> String,
    fn(f64) -> String,
);

/// The charts a section shows, as data: one loop below renders them all.
fn chart_specs(kind: Kind, rows: &[Value], from: u64, to: u64) -> Vec<ChartSpec> {
    let count: fn(f64) -> String = |v| (v as u64).to_string();
    let duration: fn(f64) -> String = |v| activity::format_duration(v as u64);
    let time: fn(&str) -> String = |key| {
        key.parse()
            .map(crate::browser::format_time)
            .unwrap_or_default()
    };
    let hour: fn(&str) -> String = |key| {
        key.parse()
            .map(crate::browser::format_hour)
            .unwrap_or_default()
    };
    let same: fn(&str) -> String = |key| key.to_string();
    match kind {
        Kind::Tasks => vec![
            (
                "Tasks by channel",
                "Number of tasks created in the window, per channel type.",
                activity::tasks_by_channel(rows),
                false,
                same,
                count,
            ),
            (
                "Tasks by hour",
                "Number of tasks created in each hour of the window.",
                activity::tasks_by_hour(rows, from, to),
                false,
                hour,
                count,
            ),
        ],
        Kind::AgentStatistics => vec![(
            "Time per state, busiest agents",
            "For the eight agents with the most time in the window: time engaged, on hold, in wrap-up and available.",
            activity::agent_states(rows, 8),
            true,
            same,
            duration,
        )],
        Kind::QueueStatistics => vec![(
            "Contacts per interval",
            "Contacts offered, handled and abandoned in each interval of the window, all queues together.",
            activity::queue_intervals(rows),
            false,
            time,
            count,
        )],
        Kind::Activities => Vec::new(),
    }
}

/// Every record of the window: tasks page by time, agent activities by page number (up to the
/// API's cap), statistics come whole.
async fn whole_result(ctx: Ctx, kind: Kind, from: u64, to: u64) -> Result<Vec<Value>, ApiError> {
    let org = crate::api::org_id(ctx)?;
    let page = |path: String| async move {
        let call = crate::api::get(ctx, &path).await?;
        Ok::<Vec<Value>, ApiError>(call.json["data"].as_array().cloned().unwrap_or_default())
    };
    let mut all: Vec<Value> = Vec::new();
    match kind {
        Kind::Tasks => {
            // Ids already taken: a page repeats the records of its first millisecond.
            let mut seen: Vec<String> = Vec::new();
            let mut cursor = from;
            loop {
                let data = page(format!(
                    "/v1/tasks?orgId={org}&from={cursor}&to={to}&pageSize={MAX_PAGE_SIZE}"
                ))
                .await?;
                let next = activity::next_tasks_from(&data, MAX_PAGE_SIZE);
                let before = all.len();
                for task in data {
                    let id = task["id"].as_str().unwrap_or_default().to_owned();
                    if !seen.contains(&id) {
                        seen.push(id);
                        all.push(task);
                    }
                }
                match next {
                    Some(next) if all.len() > before => cursor = next,
                    _ => break,
                }
            }
        }
        Kind::Activities => {
            for number in 0..MAX_ACTIVITY_RECORDS / MAX_PAGE_SIZE {
                let data = page(format!(
                    "/v1/agents/activities?orgId={org}&from={from}&to={to}&pageSize={MAX_PAGE_SIZE}&page={number}"
                ))
                .await?;
                let full = data.len() == MAX_PAGE_SIZE;
                all.extend(data);
                if !full {
                    break;
                }
            }
        }
        Kind::AgentStatistics => {
            all = page(format!(
                "/v1/agents/statistics?orgId={org}&from={from}&to={to}&interval=60"
            ))
            .await?
        }
        Kind::QueueStatistics => {
            all = page(format!(
                "/v1/queues/statistics?orgId={org}&from={from}&to={to}&interval=60"
            ))
            .await?
        }
    }
    Ok(all)
}

/// `YYYY-MM-DDTHH:MM` in local time, as `<input type="datetime-local">` wants.
fn to_local_input(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}
