//! Activity over a time window, reported through Webex's GraphQL Search API (`POST /search`):
//! a window picker (presets and custom, in the browser's time zone), and one view at a time —
//! overview, queues, agents or the raw task records. The view and the window live in the address.

mod charts;
mod fetch;
mod tasks;

use leptos::prelude::*;
use wxcc_core::activity::address::{Address, View};
use wxcc_core::activity::window::{self, Interval, Preset, Window, WindowChoice};
use wxcc_core::scopes::Feature;

use super::Gate;
use crate::router::{Router, use_router};

#[component]
pub fn ActivityPage() -> impl IntoView {
    view! {
        <Gate title="Activity" feature=Feature::Activity>
            <Activity />
        </Gate>
    }
}

/// The address's state, read where it is used (tracked), so the page follows the address.
fn address(router: Router) -> Address {
    Address::from_query(&router.search())
}

#[component]
fn Activity() -> impl IntoView {
    let router = use_router();
    // The browser's clock: read again on every choice, so "Today" clicked later ends later.
    let clock = RwSignal::new(fetch::clock());
    let window = Memo::new(move |_| address(router).window.resolve(&clock.get()));
    let problem = Memo::new(move |_| window::check(window.get(), clock.with(|c| c.now_ms)).err());
    let view_now = Memo::new(move |_| address(router).view);
    view! {
        <section>
            <h1>"Activity"</h1>
            <WindowPicker clock window />
            <ViewTabs />
            {move || match problem.get() {
                Some(problem) => {
                    let text = problem.message(&|ms| crate::browser::format_time(ms));
                    view! { <Notice text /> }.into_any()
                }
                None => match view_now.get() {
                    View::Overview => view! { <charts::Overview window clock /> }.into_any(),
                    View::Queues => view! { <charts::Queues window clock /> }.into_any(),
                    View::Agents => view! { <charts::Agents window clock /> }.into_any(),
                    View::Tasks => view! { <tasks::TaskRecords window /> }.into_any(),
                },
            }}
        </section>
    }
}

/// Presets as buttons (the current one pressed) and a custom From/To form.
#[component]
fn WindowPicker(
    clock: RwSignal<wxcc_core::activity::window::Clock>,
    window: Memo<Window>,
) -> impl IntoView {
    let router = use_router();
    let choose = move |choice: WindowChoice| {
        clock.set(fetch::clock());
        router.go(&untrack(|| address(router)).with_window(choice).path());
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Plain form fields, shown from the address and read on submit.
        let field = |name| {
            crate::browser::submitted_values(&ev, name)
                .pop()
                .unwrap_or_default()
        };
        let from = js_sys::Date::parse(&field("from"));
        let to = js_sys::Date::parse(&field("to"));
        // A window the API refuses goes to the address too: the page then says what is wrong.
        if from.is_finite() && to.is_finite() && from >= 0.0 && to >= 0.0 {
            choose(WindowChoice::Custom {
                from: from as u64,
                to: to as u64,
            });
        }
    };
    let presets = Preset::ALL
        .into_iter()
        .map(|preset| {
            view! {
                <button
                    type="button"
                    aria-pressed=move || (address(router).window == WindowChoice::Preset(preset)).to_string()
                    on:click=move |_| choose(WindowChoice::Preset(preset))
                >
                    {preset.label()}
                </button>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class="toolbar" role="group" aria-label="Window presets">{presets}</div>
        <form class="toolbar" on:submit=apply aria-label="Custom window">
            <label>
                "From "
                <input type="datetime-local" name="from" prop:value=move || fetch::to_local_input(window.get().from) />
            </label>
            <label>
                "To "
                <input type="datetime-local" name="to" prop:value=move || fetch::to_local_input(window.get().to) />
            </label>
            <button type="submit" class="primary">"Show"</button>
        </form>
        <p class="muted" data-testid="window">
            {move || {
                let w = window.get();
                let zone = clock.with(|c| c.time_zone.clone());
                let interval = Interval::for_span(w.span_ms());
                format!(
                    "{} – {} ({}; charts {})",
                    crate::browser::format_time(w.from),
                    crate::browser::format_time(w.to),
                    if zone.is_empty() {
                        "your time zone".to_string()
                    } else {
                        zone
                    },
                    interval.per()
                )
            }}
        </p>
    }
}

/// One link per view; the current one is marked for assistive technology and styled as a tab.
#[component]
fn ViewTabs() -> impl IntoView {
    let router = use_router();
    let links = View::ALL
        .into_iter()
        .map(|v| {
            let to = move || address(router).with_view(v).path();
            let click = move |ev: leptos::ev::MouseEvent| {
                let modified = ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key();
                if ev.button() != 0 || modified {
                    return;
                }
                ev.prevent_default();
                router.go(&to());
            };
            view! {
                <a
                    href=move || crate::browser::app_href(&to())
                    aria-current=move || if address(router).view == v { "page" } else { "false" }.to_string()
                    on:click=click
                >
                    {v.label()}
                </a>
            }
            .into_any()
        })
        .collect_view();
    view! { <nav class="tabs" aria-label="Activity views" data-testid="activity-views">{links}</nav> }
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
