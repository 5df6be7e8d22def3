//! One generic list view for every configuration resource: server-side paging, a filter builder
//! that writes the spec's RSQL (editable as text too), attribute projection, free-text search, and
//! a detail view. The whole query lives in the address, so deep links survive a reload.

use leptos::prelude::*;
use wxcc_core::list_query::ListQuery;
use wxcc_core::model::ListPage;
use wxcc_core::rsql::{self, Filter, Op};

use super::json_tree::JsonTree;
use super::table::data_table;
use super::{ApiErrorView, Gate};
use crate::api::Call;
use crate::ctx::use_ctx;
use crate::resources::{Resource, by_slug, cell};
use crate::router::{Link, Router, use_router};

/// `/config/<slug>` and `/config/<slug>/<id>`.
#[component]
pub fn ResourcePage(slug: String, id: Option<String>) -> impl IntoView {
    let Some(resource) = by_slug(&slug) else {
        return view! { <super::NotFound /> }.into_any();
    };
    view! {
        <Gate title=resource.label feature=resource.feature>
            {match id.clone() {
                Some(id) => view! { <ResourceDetail resource id /> }.into_any(),
                None => view! { <ResourceList resource /> }.into_any(),
            }}
        </Gate>
    }
    .into_any()
}

/// The list's address on the API for `q`, in the signed-in organization.
fn list_url(
    ctx: crate::ctx::Ctx,
    resource: &Resource,
    q: &ListQuery,
) -> Result<String, wxcc_core::api_error::ApiError> {
    let org = crate::api::org_id(ctx)?;
    Ok(format!(
        "/organization/{org}/{}?{}",
        resource.api,
        q.to_query_string()
    ))
}

/// The export reads the list in pages of this size (the largest the config APIs page by), up to
/// this many pages.
const EXPORT_PAGE_SIZE: u32 = 100;
const EXPORT_MAX_PAGES: u32 = 100;

#[component]
fn ResourceList(resource: &'static Resource) -> impl IntoView {
    let ctx = use_ctx();
    let router = use_router();
    let query = AddressQuery(router);
    let source = move || (query.get(), ctx.api_target.get());
    // "Refresh" asks the API for the next load, whatever answer the tabs keep.
    let refresh_next = StoredValue::new(false);
    let items = crate::load::load(source, move |(q, _target)| {
        let call = if refresh_next.get_value() {
            refresh_next.set_value(false);
            Call::default().refreshed()
        } else {
            Call::default()
        };
        async move { crate::api::get_with(ctx, &list_url(ctx, resource, &q)?, call).await }
    });
    let refresh = move |_| {
        refresh_next.set_value(true);
        items.refetch();
    };
    let go = move |q: ListQuery| show(router, resource, &q);
    let page_by = move |delta: i64| {
        let mut q = query.get_untracked();
        q.page = (q.page as i64 + delta).max(0) as u32;
        go(q);
    };
    let set_size = move |ev: leptos::ev::Event| {
        let mut q = query.get_untracked();
        q.page_size = event_target_value(&ev).parse().unwrap_or(q.page_size);
        q.page = 0;
        go(q);
    };
    // Every record that matches the current filter, fetched page by page, as one CSV file.
    let exporting = RwSignal::new(String::new());
    let export = move |_| {
        leptos::task::spawn_local(async move {
            let mut q = query.get_untracked();
            q.page = 0;
            q.page_size = EXPORT_PAGE_SIZE;
            let mut rows = Vec::new();
            loop {
                exporting.set(format!("Exporting… {} records so far", rows.len()));
                let url = match list_url(ctx, resource, &q) {
                    Ok(url) => url,
                    Err(e) => return exporting.set(e.message),
                };
                let call = match crate::api::get_with(ctx, &url, Call::BACKGROUND).await {
                    Ok(call) => call,
                    Err(e) => {
                        return exporting.set(format!(
                            "Export failed: {} {}",
                            e.title(),
                            e.what_to_do()
                        ));
                    }
                };
                let page = ListPage::from_value(&call.json);
                let count = page.data.len();
                rows.extend(page.data.iter().map(wxcc_core::table::flatten));
                let pages = page.meta.total_pages.unwrap_or(0);
                if count < EXPORT_PAGE_SIZE as usize
                    || q.page + 1 >= pages
                    || q.page + 1 >= EXPORT_MAX_PAGES
                {
                    break;
                }
                q.page += 1;
            }
            exporting.set(match super::table::export_csv(resource.slug, &rows) {
                Ok(()) => format!("Exported {} records to {}.csv.", rows.len(), resource.slug),
                Err(problem) => problem,
            });
        });
    };
    view! {
        <section>
            <h1>{resource.label}</h1>
            <QueryEditor resource query />
            <div class="toolbar">
                <label>
                    "Page size "
                    <select on:change=set_size prop:value=move || query.get().page_size.to_string()>
                        {[10u32, 25, 50, 100].map(|n| view! { <option value=n.to_string()>{n}</option> }.into_any()).collect_view()}
                    </select>
                </label>
                <button on:click=move |_| page_by(-1) prop:disabled=move || query.get().page == 0>"Previous"</button>
                <span data-testid="page-indicator">{move || format!("Page {}", query.get().page + 1)}</span>
                <button on:click=move |_| page_by(1)>"Next"</button>
                <button type="button" on:click=refresh data-testid="refresh">"Refresh"</button>
                <button type="button" on:click=export data-testid="export-csv">"Export CSV"</button>
                <span role="status" data-testid="export-status">{move || exporting.get()}</span>
            </div>
            {move || match items.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(result) => match result {
                    Ok(call) => {
                        let attributes = query.get_untracked().attributes;
                        items_table(resource, call.json, attributes)
                    }
                    Err(error) => {
                        view! { <ApiErrorView error focus=true feature=resource.feature on_retry=Callback::new(move |_| items.refetch()) /> }
                            .into_any()
                    }
                },
            }}
        </section>
    }
}

/// The list query in the address, parsed where it is read (tracked), so every part of the page
/// follows the address, the one source of truth.
#[derive(Clone, Copy)]
struct AddressQuery(Router);

impl AddressQuery {
    fn get(self) -> ListQuery {
        ListQuery::from_query_string(&self.0.search())
    }

    fn get_untracked(self) -> ListQuery {
        untrack(|| self.get())
    }

    fn with<R>(self, read: impl FnOnce(&ListQuery) -> R) -> R {
        read(&self.get())
    }
}

/// Opens the list with `query` (a new history entry, so Back returns to the previous query).
fn show(router: Router, resource: &Resource, query: &ListQuery) {
    router.go(&format!(
        "/config/{}?{}",
        resource.slug,
        query.to_query_string()
    ));
}

/// The filter builder (conditions → RSQL), the raw filter, attributes and search. Search and
/// attributes are plain form fields, shown from the address and read when the form is submitted.
#[component]
fn QueryEditor(resource: &'static Resource, query: AddressQuery) -> impl IntoView {
    let router = use_router();
    let go = move |q: ListQuery| show(router, resource, &q);
    let field = RwSignal::new(resource.fields.get(1).copied().unwrap_or("id").to_string());
    let op = RwSignal::new("==".to_string());
    let value = RwSignal::new(String::new());
    let join = RwSignal::new("and".to_string());
    let raw = RwSignal::new(query.get_untracked().filter.unwrap_or_default());
    // Why the last "Add condition" was refused (empty when it was not).
    let builder_error = RwSignal::new(String::new());
    // The address is the source of truth: follow it when it changes (back button, deep link).
    crate::load::effect(move || {
        let q = query.get();
        raw.set(q.filter.unwrap_or_default());
    });
    let add_condition = move |_| {
        let values: Vec<String> = value
            .get()
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let chosen = Op::from_rsql(&op.get()).unwrap_or(Op::Eq);
        let values = if chosen.takes_list() {
            values
        } else {
            vec![value.get()]
        };
        let condition = Filter::new(field.get(), chosen, values);
        if let Err(e) = condition.validate() {
            builder_error.set(e.to_string());
            return;
        }
        builder_error.set(String::new());
        let text = condition.to_rsql();
        raw.update(|r| {
            if r.trim().is_empty() {
                *r = text;
            } else {
                let separator = if join.get() == "or" {
                    rsql::OR
                } else {
                    rsql::AND
                };
                *r = format!("{r}{separator}{text}");
            }
        });
        value.set(String::new());
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = query.get_untracked();
        q.page = 0;
        q.filter = Some(raw.get());
        q.search = crate::browser::submitted_values(&ev, "search").pop();
        q = q.with_attributes(&crate::browser::submitted_values(&ev, "attr"));
        go(q);
    };
    let clear = move |_| {
        go(ListQuery {
            page_size: query.get_untracked().page_size,
            ..ListQuery::default()
        })
    };
    view! {
        <form class="query" on:submit=apply aria-label="Query">
            <fieldset>
                <legend>"Filter builder"</legend>
                <label>
                    "Field "
                    <select on:change=move |ev| field.set(event_target_value(&ev)) prop:value=move || field.get()>
                        {resource.fields.iter().map(|f| view! { <option value=*f>{*f}</option> }.into_any()).collect_view()}
                    </select>
                </label>
                <label>
                    "Operator "
                    <select on:change=move |ev| op.set(event_target_value(&ev)) prop:value=move || op.get()>
                        <option value="==">"equals (==)"</option>
                        <option value="!=">"not equal (!=)"</option>
                        <option value="=in=">"one of (=in=)"</option>
                        <option value="=out=">"none of (=out=)"</option>
                    </select>
                </label>
                <label>
                    "Value "
                    <input
                        type="text"
                        placeholder="for one of: a, b, c"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Combine with "
                    <select on:change=move |ev| join.set(event_target_value(&ev)) prop:value=move || join.get()>
                        <option value="and">"and (;)"</option>
                        <option value="or">"or (,)"</option>
                    </select>
                </label>
                <button type="button" on:click=add_condition>"Add condition"</button>
                {move || {
                    let error = builder_error.get();
                    (!error.is_empty()).then(|| view! { <p class="error" role="alert">{error}</p> }.into_any())
                }}
            </fieldset>
            <label class="wide">
                "Filter (RSQL, editable) "
                <input
                    type="text"
                    name="filter"
                    data-testid="raw-filter"
                    prop:value=move || raw.get()
                    on:input=move |ev| raw.set(event_target_value(&ev))
                />
            </label>
            <label class="wide">
                "Search "
                <input
                    type="search"
                    name="search"
                    prop:value=move || query.with(|q| q.search.clone().unwrap_or_default())
                />
            </label>
            <fieldset class="attributes">
                <legend>"Attributes (none checked = all)"</legend>
                {resource
                    .fields
                    .iter()
                    .map(|f| {
                        let name = *f;
                        view! {
                            <label>
                                <input
                                    type="checkbox"
                                    name="attr"
                                    value=name
                                    prop:checked=move || query.with(|q| q.has_attribute(name))
                                />
                                " "
                                {name}
                            </label>
                        }
                        .into_any()
                    })
                    .collect_view()}
            </fieldset>
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <button type="button" on:click=clear>"Clear"</button>
            </div>
        </form>
    }
}

fn items_table(
    resource: &'static Resource,
    json: serde_json::Value,
    attributes: Option<String>,
) -> AnyView {
    let page = ListPage::from_value(&json);
    let total = page.meta.total_records;
    let pages = page.meta.total_pages;
    let rows = page.data;
    // With an attribute projection, the columns are the chosen attributes.
    let columns: Vec<String> = match attributes.filter(|a| !a.trim().is_empty()) {
        Some(chosen) => chosen.split(',').map(|a| a.trim().to_string()).collect(),
        None => resource.columns.iter().map(|c| c.to_string()).collect(),
    };
    let noun = resource.noun;
    let summary = view! {
        <p class="muted" data-testid="total">
            {total.map(|t| format!("{t} {noun}{}", if t == 1 { "" } else { "s" })).unwrap_or_default()}
            {pages.map(|p| format!(" in {p} page{}", if p == 1 { "" } else { "s" })).unwrap_or_default()}
        </p>
    };
    if rows.is_empty() {
        return view! {
            {summary}
            <p data-testid="empty">"Nothing matches. Change the filter or the search."</p>
        }
        .into_any();
    }
    let link_prefix = format!("/config/{}", resource.slug);
    view! {
        {summary}
        {data_table(columns, rows, Some(link_prefix))}
    }
    .into_any()
}

/// One item, fetched with the filter `id=="…"` so a deep link works after a reload.
#[component]
fn ResourceDetail(resource: &'static Resource, id: String) -> impl IntoView {
    let ctx = use_ctx();
    let filter_id = id.clone();
    // Bumped by an edit to read the record again, from the API rather than a kept answer.
    let reload = RwSignal::new(0u32);
    let item = crate::load::load(
        move || (ctx.api_target.get(), reload.get()),
        move |(_target, reloads)| {
            let filter = Filter::eq("id", filter_id.clone()).to_rsql();
            async move {
                let q = ListQuery {
                    filter: Some(filter),
                    page_size: 1,
                    ..ListQuery::default()
                };
                let call = if reloads > 0 {
                    Call::default().refreshed()
                } else {
                    Call::default()
                };
                crate::api::get_with(ctx, &list_url(ctx, resource, &q)?, call).await
            }
        },
    );
    // The record found, for the edit and the JSON tree.
    let record = Signal::derive(move || {
        item.get()
            .and_then(Result::ok)
            .and_then(|call| call.json["data"].get(0).cloned())
    });
    view! {
        <section>
            <p><Link to=format!("/config/{}", resource.slug)>{format!("← All {}", resource.label.to_ascii_lowercase())}</Link></p>
            {move || match item.get() {
                None => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
                Some(result) => match result {
                    Ok(call) => match call.json["data"].get(0).cloned() {
                        Some(found) => {
                            // Users are titled by first and last name, everything else by name.
                            let parts = if resource.slug == "users" { 2 } else { 1 };
                            let title = resource.columns.iter().take(parts).map(|c| cell(&found, c)).collect::<Vec<_>>().join(" ");
                            let times = record_times(&found);
                            view! {
                                <h1 data-testid="detail-title">{title}</h1>
                                {(!times.is_empty()).then(|| view! { <p class="muted" data-testid="detail-times">{times}</p> }.into_any())}
                            }
                            .into_any()
                        }
                        None => view! {
                            <h1>"Not found"</h1>
                            <p>{format!("No {} with this id in your organization.", resource.noun)}</p>
                        }
                        .into_any(),
                    },
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                },
            }}
            // Outside the reloaded part, so what an edit says stays while the record is read again.
            {match resource.slug {
                "users" => Some(view! { <super::edit::UserEdit record reload /> }.into_any()),
                "teams" => Some(view! { <super::edit_team::TeamEdit record reload /> }.into_any()),
                _ => None,
            }}
            {move || record.get().map(|found| view! { <JsonTree value=found /> })}
        </section>
    }
}

/// "Created … · Last updated …" in the browser's locale and time zone, from the record's epoch
/// milliseconds; empty when it has neither.
fn record_times(record: &serde_json::Value) -> String {
    [
        ("Created", "createdTime"),
        ("Last updated", "lastUpdatedTime"),
    ]
    .iter()
    .filter_map(|(label, field)| {
        let value = record.get(*field)?;
        let ms = value
            .as_u64()
            .filter(|_| wxcc_core::activity::is_time_field(field, value))?;
        Some(format!("{label} {}", crate::browser::format_time(ms)))
    })
    .collect::<Vec<_>>()
    .join(" · ")
}
