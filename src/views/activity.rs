//! Activity over a time window: tasks, agent activities, agent and queue statistics.
//! The window (`from`/`to`, epoch ms as the API takes them) lives in the address.

use crate::router::{Router, use_router};
use leptos::prelude::*;
use wxcc_core::scopes::Feature;

use super::table::DataTable;
use super::{ApiErrorView, Gate};
use crate::ctx::use_ctx;

const HOUR_MS: u64 = 3_600_000;

/// The analytics endpoints shown, with the extra parameters each needs.
const SECTIONS: [(&str, &str, &str); 4] = [
    ("Tasks", "/v1/tasks", "pageSize=50"),
    ("Agent activities", "/v1/agents/activities", "pageSize=50"),
    ("Agent statistics", "/v1/agents/statistics", "interval=60"),
    ("Queue statistics", "/v1/queues/statistics", "interval=60"),
];

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
        // The agent-activities endpoint takes less than 24 hours: the default window is the last 12.
        let from = at("from").unwrap_or(to.saturating_sub(12 * HOUR_MS));
        (from, to)
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
        if from.is_finite() && to.is_finite() && from < to {
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
            {SECTIONS
                .into_iter()
                .map(|(title, path, extra)| view! { <ActivitySection title path extra window /> })
                .collect_view()}
        </section>
    }
}

#[component]
fn ActivitySection(
    title: &'static str,
    path: &'static str,
    extra: &'static str,
    window: Window,
) -> impl IntoView {
    let ctx = use_ctx();
    let source = move || (window.get(), ctx.api_target.get());
    let data = crate::load::load(source, move |((from, to), _target)| async move {
        let org = crate::api::org_id(ctx)?;
        crate::api::get(
            ctx,
            &format!("{path}?orgId={org}&from={from}&to={to}&{extra}"),
        )
        .await
    });
    view! {
        <article class="card section" data-testid=format!("activity-{}", path.rsplit('/').next().unwrap_or(path))>
            <h2>{title}</h2>
            {move || match data.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(result) => match result {
                    Ok(call) => view! { <RowsTable json=call.json /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error on_retry=Callback::new(move |_| data.refetch()) /> }.into_any(),
                },
            }}
        </article>
    }
}

/// Any `{data: [...]}` as a table of its first rows' leading fields.
#[component]
fn RowsTable(json: serde_json::Value) -> impl IntoView {
    let rows = json["data"].as_array().cloned().unwrap_or_default();
    let count = rows.len();
    let columns: Vec<String> = rows
        .first()
        .and_then(|r| r.as_object())
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_object() && !v.is_array())
                .map(|(k, _)| k.clone())
                .take(6)
                .collect()
        })
        .unwrap_or_default();
    if count == 0 {
        return view! { <p data-testid="empty">"Nothing in this window."</p> }.into_any();
    }
    let shown: Vec<serde_json::Value> = rows.into_iter().take(25).collect();
    view! {
        <p class="muted" data-testid="count">{format!("{count} records (first 25 shown)")}</p>
        <DataTable columns rows=shown />
    }
    .into_any()
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
