//! The overview, queues and agents views: charts drawn from Search API aggregations, one request
//! per chart (the three queue charts share one), each with its values as a table.

use leptos::prelude::*;
use wxcc_core::activity::answer::{self, QueueFigures};
use wxcc_core::activity::query::{self, QueueSource};
use wxcc_core::activity::units::{self, TimeUnit, format_count, format_percent};
use wxcc_core::activity::window::{self, Clock, Interval, Window};
use wxcc_core::api_error::{ApiError, ApiErrorKind};
use wxcc_core::chart::Grouped;

use super::fetch::{self, search_error};
use crate::ctx::{Ctx, use_ctx};
use crate::load::Loaded;
use crate::views::chart::bar_chart;

/// The most queues or agents one chart shows: beyond it the bars get too thin to read.
const MOST_BARS: usize = 15;

/// One chart, as data.
#[derive(Clone)]
struct Chart {
    title: &'static str,
    description: &'static str,
    data: Grouped,
    stacked: bool,
    key: fn(&str) -> String,
    value: fn(f64) -> String,
}

/// What one request draws: its charts, and a note about where the figures come from.
#[derive(Clone, Default)]
struct Charts {
    note: Option<String>,
    charts: Vec<Chart>,
}

type Answer = Result<Charts, ApiError>;

fn same(key: &str) -> String {
    key.to_string()
}

fn count(value: f64) -> String {
    format_count(value)
}

fn percent(value: f64) -> String {
    format_percent(value)
}

/// A chart of durations (milliseconds), counted in the unit that keeps its axis readable.
fn durations(
    title: &'static str,
    description: &'static str,
    data: Grouped,
    stacked: bool,
) -> Chart {
    let (data, unit) = units::in_time_unit(data, stacked);
    let value: fn(f64) -> String = match unit {
        TimeUnit::Seconds => |v| TimeUnit::Seconds.format(v),
        TimeUnit::Minutes => |v| TimeUnit::Minutes.format(v),
        TimeUnit::Hours => |v| TimeUnit::Hours.format(v),
        TimeUnit::Days => |v| TimeUnit::Days.format(v),
    };
    Chart {
        title,
        description,
        data,
        stacked,
        key: same,
        value,
    }
}

/// The charts of one answer, or why there are none.
fn charts_view(answer: Loaded<Answer>, test_id: &'static str) -> AnyView {
    view! {
        <div class="charts" data-testid=test_id>
            {move || match answer.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => search_error(error, Callback::new(move |_| answer.refetch())),
                Some(Ok(charts)) => {
                    let note = charts.note.map(|text| view! { <p class="notice" role="note" data-testid="early-access">{text}</p> }.into_any());
                    let drawn = charts
                        .charts
                        .into_iter()
                        .map(|c| {
                            if c.data.keys.is_empty() {
                                view! {
                                    <div class="card" data-testid="empty"><strong>{c.title}</strong><p>"Nothing in this window."</p></div>
                                }
                                .into_any()
                            } else {
                                bar_chart(c.title, c.description, &c.data, c.stacked, c.key, c.value)
                            }
                        })
                        .collect_view();
                    view! { {note} {drawn} }.into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// Reruns when the window, the zone (IANA name and UTC offset, read from the clock) or the API
/// target (region, orgId) changes.
type Target = Option<(String, Option<String>)>;

fn source(
    window: Memo<Window>,
    clock: RwSignal<Clock>,
    ctx: Ctx,
) -> impl Fn() -> (Window, (String, i64), Target) {
    move || {
        let zone = clock.with(|c| (c.time_zone.clone(), c.utc_offset_minutes));
        (window.get(), zone, ctx.api_target.get())
    }
}

#[component]
pub fn Overview(window: Memo<Window>, clock: RwSignal<Clock>) -> impl IntoView {
    let ctx = use_ctx();
    let by_channel = crate::load::load(source(window, clock, ctx), move |(w, _, _)| async move {
        let (rows, _) =
            fetch::search(ctx, query::contacts_by_channel(w), "taskDetails", "tasks").await?;
        Ok(Charts {
            note: None,
            charts: vec![Chart {
                title: "Contacts by channel",
                description: "Contacts created in the window, per channel, most first.",
                data: answer::contacts_by_channel(&rows),
                stacked: false,
                key: same,
                value: count,
            }],
        })
    });
    let per_interval = crate::load::load(
        source(window, clock, ctx),
        move |(w, (zone, offset), _)| async move {
            let interval = Interval::for_span(w.span_ms());
            let (rows, _) = fetch::search(
                ctx,
                query::contacts_per_interval(w, interval, &zone),
                "taskDetails",
                "tasks",
            )
            .await?;
            let buckets = window::buckets(w, interval, offset);
            let (title, key): (&'static str, fn(&str) -> String) = match interval {
                Interval::FifteenMinutes => ("Contacts per 15 minutes", |k| {
                    k.parse()
                        .map(crate::browser::format_hour)
                        .unwrap_or_default()
                }),
                Interval::ThirtyMinutes => ("Contacts per 30 minutes", |k| {
                    k.parse()
                        .map(crate::browser::format_hour)
                        .unwrap_or_default()
                }),
                Interval::Hourly => ("Contacts per hour", |k| {
                    k.parse()
                        .map(crate::browser::format_time)
                        .unwrap_or_default()
                }),
                Interval::Daily => ("Contacts per day", |k| {
                    k.parse().map(fetch::format_day).unwrap_or_default()
                }),
            };
            Ok(Charts {
                note: None,
                charts: vec![Chart {
                    title,
                    description: "Contacts offered to agents, handled by agents and abandoned in each interval of the window, in your time zone.",
                    data: answer::contacts_per_interval(&rows, &buckets, interval.ms()),
                    stacked: false,
                    key,
                    value: count,
                }],
            })
        },
    );
    view! {
        {charts_view(by_channel, "chart-by-channel")}
        {charts_view(per_interval, "chart-per-interval")}
    }
}

/// Whether a failed `taskLegDetails` request means the org lacks Early Access (the API refuses
/// the query or knows no such field) rather than a problem the user must see.
fn lacks_early_access(error: &ApiError) -> bool {
    error.kind == ApiErrorKind::Client && matches!(error.status, 200 | 400 | 404 | 422)
}

/// The queue figures: from `taskLegDetails` when the org has it, else from `taskDetails` with a
/// note that says so.
async fn queue_figures(
    ctx: Ctx,
    w: Window,
) -> Result<(Vec<QueueFigures>, Option<String>), ApiError> {
    let legs = fetch::search(
        ctx,
        query::per_queue(w, QueueSource::Legs),
        "taskLegDetails",
        "taskLegs",
    )
    .await;
    let why = match legs {
        Ok((rows, _)) if !rows.is_empty() => {
            return Ok((
                answer::queues(&rows, QueueSource::Legs.queue_object()),
                None,
            ));
        }
        Ok(_) => "it answered without any queue legs".to_string(),
        Err(error) if lacks_early_access(&error) => format!("it answered: {}", error.message),
        Err(error) => return Err(error),
    };
    let (rows, _) = fetch::search(
        ctx,
        query::per_queue(w, QueueSource::Contacts),
        "taskDetails",
        "tasks",
    )
    .await?;
    let note = (!rows.is_empty()).then(|| {
        format!(
            "Queue-based reporting (taskLegDetails) is Early Access at Webex, and this organization does not \
             have it ({why}). These figures come from taskDetails instead: each contact counts once, in \
             the last queue it waited in."
        )
    });
    Ok((
        answer::queues(&rows, QueueSource::Contacts.queue_object()),
        note,
    ))
}

#[component]
pub fn Queues(window: Memo<Window>, clock: RwSignal<Clock>) -> impl IntoView {
    let ctx = use_ctx();
    let figures = crate::load::load(source(window, clock, ctx), move |(w, _, _)| async move {
        let (mut queues, note) = queue_figures(ctx, w).await?;
        queues.truncate(MOST_BARS);
        Ok(Charts {
            note,
            charts: vec![
                Chart {
                    title: "Contacts per queue",
                    description: "Contacts and abandoned contacts in each queue (the 15 busiest).",
                    data: answer::queue_contacts(&queues),
                    stacked: false,
                    key: same,
                    value: count,
                },
                durations(
                    "Time in queue",
                    "Average and longest time contacts waited in each queue (the 15 busiest).",
                    answer::queue_times(&queues),
                    false,
                ),
                Chart {
                    title: "Abandon rate per queue",
                    description: "Abandoned contacts as a share of all contacts in each queue (the 15 busiest).",
                    data: answer::abandon_rates(&queues),
                    stacked: false,
                    key: same,
                    value: percent,
                },
            ],
        })
    });
    view! { {charts_view(figures, "chart-queues")} }
}

#[component]
pub fn Agents(window: Memo<Window>, clock: RwSignal<Clock>) -> impl IntoView {
    let ctx = use_ctx();
    let figures = crate::load::load(source(window, clock, ctx), move |(w, _, _)| async move {
        let (rows, _) =
            fetch::search(ctx, query::per_agent(w), "agentSession", "agentSessions").await?;
        let mut agents = answer::agents(&rows);
        agents.truncate(MOST_BARS);
        Ok(Charts {
            note: None,
            charts: vec![
                Chart {
                    title: "Contacts handled per agent",
                    description: "Contacts each agent was connected to, in sessions that began in the window (the 15 agents with the most logged-in time).",
                    data: answer::agent_handled(&agents),
                    stacked: false,
                    key: same,
                    value: count,
                },
                durations(
                    "Time in each state per agent",
                    "Time available, idle, ringing, connected, on hold and in wrap-up, stacked per agent (the 15 agents with the most logged-in time).",
                    answer::agent_states(&agents),
                    true,
                ),
            ],
        })
    });
    view! { {charts_view(figures, "chart-agents")} }
}
