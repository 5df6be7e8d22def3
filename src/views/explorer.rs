//! The API explorer: every catalogued GET endpoint of the official spec, callable from a form,
//! with the response as a JSON tree, status, timing and trackingId, and "Copy as cURL" that
//! redacts the token unless asked. Endpoint and parameters live in the address (deep links).
//! The GraphQL tab (`?tab=graphql`, [`graphql`]) does the same for the Search API.

mod graphql;

use std::sync::Arc;

use leptos::prelude::*;
use wxcc_core::catalogue::{self, ENDPOINTS, Endpoint};
use wxcc_core::curl::render_curl;

use super::json_tree::JsonTree;
use super::{ApiErrorView, Gate};
use crate::api::{ApiCall, Call};
use crate::ctx::use_ctx;
use crate::router::use_router;

#[component]
pub fn ExplorerPage() -> impl IntoView {
    view! {
        <Gate title="API explorer">
            <ExplorerTabs />
        </Gate>
    }
}

/// The REST tab (every catalogued GET) or the GraphQL tab (`POST /search`), by links in the
/// address so each can be bookmarked; the current one is marked for assistive technology.
#[component]
fn ExplorerTabs() -> impl IntoView {
    let router = use_router();
    let graphql = crate::load::flag(move || router.query("tab").as_deref() == Some("graphql"));
    let tab = move |label: &'static str, to: &'static str, is_graphql: bool| {
        let click = move |ev: leptos::ev::MouseEvent| {
            if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()
            {
                return;
            }
            ev.prevent_default();
            router.go(to);
        };
        view! {
            <a
                href=crate::browser::app_href(to)
                aria-current=move || if graphql.get() == is_graphql { "page" } else { "false" }.to_string()
                on:click=click
            >
                {label}
            </a>
        }
        .into_any()
    };
    view! {
        <section>
            <h1>"API explorer"</h1>
            <nav class="tabs" aria-label="Explorer" data-testid="explorer-tabs">
                {tab("REST (GET)", "/explorer", false)}
                {tab("GraphQL (POST /search)", "/explorer?tab=graphql", true)}
            </nav>
            {move || if graphql.get() {
                view! { <graphql::GraphQlTab /> }.into_any()
            } else {
                view! { <Explorer /> }.into_any()
            }}
        </section>
    }
}

/// The "cURL" section of both tabs: the command `curl` writes (the token in it only when
/// `reveal` is on) and "Copy as cURL", which says what became of the last copy.
fn curl_view(
    reveal: RwSignal<bool>,
    curl: Arc<dyn Fn() -> Option<String> + Send + Sync>,
) -> AnyView {
    let copied = RwSignal::new(String::new());
    let text = Arc::clone(&curl);
    let copy = move |_| {
        if let Some(text) = curl() {
            leptos::task::spawn_local(async move {
                let note = match crate::browser::copy_to_clipboard(&text).await {
                    Ok(()) => "Copied.".to_string(),
                    Err(e) => e,
                };
                copied.set(note);
            });
        }
    };
    view! {
        <h2>"cURL"</h2>
        <label>
            <input type="checkbox" prop:checked=move || reveal.get() on:change=move |ev| reveal.set(event_target_checked(&ev)) />
            " Include the access token (otherwise $WXCC_ACCESS_TOKEN)"
        </label>
        <pre class="curl" data-testid="curl">{move || text().unwrap_or_default()}</pre>
        <button on:click=copy>"Copy as cURL"</button>
        <span role="status">{move || copied.get()}</span>
    }
    .into_any()
}

/// A call's answer in both tabs: status, time and trackingId above the JSON tree.
fn call_view(call: ApiCall) -> AnyView {
    view! {
        <p data-testid="response-meta">
            <span data-testid="status">{format!("HTTP {}", call.status)}</span>
            {format!(" · {} ms", call.elapsed_ms.round() as u64)}
            {call.tracking_id.map(|t| view! { " · trackingId " <code data-testid="tracking-id">{t}</code> }.into_any())}
        </p>
        <JsonTree value=call.json />
    }
    .into_any()
}

/// The parameter values in the address (`search`, the query string): `p.<name>=value`.
fn values_from(search: &str, endpoint: &Endpoint) -> Vec<(String, String)> {
    endpoint
        .params
        .iter()
        .map(|p| {
            let value = wxcc_core::route::query_value(search, &format!("p.{}", p.name))
                .unwrap_or_else(|| default_value(p));
            (p.name.to_string(), value)
        })
        .collect()
}

/// Sets the form's `name` to the `field` of the first record `list` answers with, unless the user
/// chose another endpoint meanwhile.
async fn fill_from_list(
    ctx: crate::ctx::Ctx,
    router: crate::router::Router,
    values: RwSignal<Vec<(String, String)>>,
    filling: RwSignal<u32>,
    (endpoint_id, name): (&'static str, &'static str),
    (list, field): (&'static Endpoint, &'static str),
) {
    filling.update(|n| *n += 1);
    fill(ctx, router, values, (endpoint_id, name), (list, field)).await;
    filling.update(|n| *n -= 1);
}

async fn fill(
    ctx: crate::ctx::Ctx,
    router: crate::router::Router,
    values: RwSignal<Vec<(String, String)>>,
    (endpoint_id, name): (&'static str, &'static str),
    (list, field): (&'static Endpoint, &'static str),
) {
    let Some(value) = first_value(ctx, list, field).await else {
        return;
    };
    let current = untrack(|| router.query("endpoint"));
    let still_here = current
        .as_deref()
        .and_then(catalogue::find)
        .unwrap_or(&ENDPOINTS[0])
        .id
        == endpoint_id;
    if still_here {
        values.update(|pairs| {
            if let Some(pair) = pairs.iter_mut().find(|(k, _)| k == name) {
                pair.1 = value.to_string();
            }
        });
    }
}

/// The `field` of the first record `list` answers with, called with the list's own starting values
/// (a flow store's fixed project id) and one record a page.
async fn first_value(ctx: crate::ctx::Ctx, list: &'static Endpoint, field: &str) -> Option<String> {
    let mut pairs = values_from("", list);
    for (name, value) in pairs.iter_mut() {
        if name == "pageSize" {
            *value = "1".into();
        }
    }
    let url = request_url(ctx, list, &pairs).ok()?;
    let call = crate::api::get_absolute(ctx, &url).await.ok()?;
    // Paged lists answer `{data: [...]}`, the older ones a plain array.
    let first = call.json.get("data").unwrap_or(&call.json).get(0)?;
    first.get(field)?.as_str().map(str::to_string)
}

/// The request URL for `endpoint` with the form's `values`, on the session's API base and org.
fn request_url(
    ctx: crate::ctx::Ctx,
    endpoint: &Endpoint,
    values: &[(String, String)],
) -> Result<String, catalogue::BuildUrlError> {
    let session = ctx.session();
    let base = session
        .as_ref()
        .map(|s| s.region_or_api_base.url())
        .unwrap_or_default();
    let org = session.and_then(|s| s.org_id).unwrap_or_default();
    let refs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    catalogue::build_url(&base, endpoint, &refs, &org)
}

/// A time window needs real times (the last 12 hours, which every analytics endpoint accepts);
/// other required parameters start from the spec's example, optional ones empty (the example is
/// shown beside them instead, since the spec's sample ids do not exist in your organization).
fn default_value(param: &wxcc_core::catalogue::Param) -> String {
    let now = crate::browser::now_ms();
    match param.name {
        "from" => (now - 12 * 3_600_000).to_string(),
        "to" => now.to_string(),
        _ if param.required => param.example.to_string(),
        _ => String::new(),
    }
}

#[component]
fn Explorer() -> impl IntoView {
    let ctx = use_ctx();
    let router = use_router();
    // Read from the address where it is used (tracked): the address is the one source of truth.
    let endpoint = move || {
        router
            .query("endpoint")
            .and_then(|id| catalogue::find(&id))
            .unwrap_or(&ENDPOINTS[0])
    };
    let run = crate::load::flag(move || router.query("run").is_some());
    let values = RwSignal::new(Vec::<(String, String)>::new());
    // How many ids are being taken from their lists (shown, and Send waits for none).
    let filling = RwSignal::new(0u32);
    crate::load::effect(move || {
        let e = endpoint();
        let search = router.search();
        values.set(values_from(&search, e));
        // The spec's sample ids exist in no organization: an id the address does not give is
        // taken from the first record of the matching list (also a queue or agent the query names),
        // so the call answers with data.
        let signed_in = ctx.api_target.with_untracked(Option::is_some);
        for param in e.params.iter().filter(|p| {
            !p.is_org_id()
                && wxcc_core::route::query_value(&search, &format!("p.{}", p.name)).is_none()
        }) {
            let source = match param.location {
                catalogue::ParamIn::Path => catalogue::id_source(e, param),
                _ => catalogue::query_id_source(param),
            };
            if let (true, Some((list, field))) = (signed_in, source) {
                let fill = fill_from_list(
                    ctx,
                    router,
                    values,
                    filling,
                    (e.id, param.name),
                    (list, field),
                );
                leptos::task::spawn_local(fill);
            }
        }
    });
    let reveal = RwSignal::new(false);

    let url = move || values.with(|pairs| request_url(ctx, endpoint(), pairs));
    // Reruns when the address (endpoint, values, run) or the API target (region, orgId) changes.
    let source = move || (run.get(), router.search(), ctx.api_target.get());
    let response = crate::load::load(source, move |(should_run, search, _target)| {
        // The request as the address describes it (values follow the address).
        let target = {
            let e = endpoint();
            request_url(ctx, e, &values_from(&search, e))
        };
        async move {
            if !should_run {
                return None;
            }
            Some(match target {
                // "Send" asks the API itself, never a kept answer.
                Ok(url) => {
                    crate::api::get_absolute_with(ctx, &url, Call::default().refreshed()).await
                }
                Err(missing) => Err(wxcc_core::api_error::ApiError {
                    status: 0,
                    kind: wxcc_core::api_error::ApiErrorKind::Client,
                    message: missing.to_string(),
                    tracking_id: None,
                    error_code: None,
                }),
            })
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut params = vec![("endpoint".to_string(), untrack(endpoint).id.to_string())];
        params.extend(
            values
                .get_untracked()
                .into_iter()
                .map(|(k, v)| (format!("p.{k}"), v)),
        );
        params.push(("run".into(), "1".into()));
        let query = wxcc_core::route::form_encode(&params);
        router.go(&format!("/explorer?{query}"));
    };
    let choose = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        router.go(&format!("/explorer?endpoint={id}"));
    };
    let curl = move || {
        let token = ctx.session().map(|s| s.access_token)?;
        let url = url().ok()?;
        Some(render_curl(
            "GET",
            &url,
            &[("Accept", "application/json")],
            &token,
            reveal.get(),
        ))
    };
    // A memo: a token refresh (a new `Auth::SignedIn`) must not rebuild the parameter form.
    let granted = crate::load::flag(move || {
        let e = endpoint();
        ctx.granted(|scopes| e.scopes.is_empty() || e.is_available(scopes))
    });
    let groups = catalogue::groups();
    view! {
        <div>
            <p class="muted">{format!("{} GET endpoints from Cisco's official Contact Center OpenAPI spec.", ENDPOINTS.len())}</p>
            <label class="wide">
                "Endpoint "
                <select data-testid="endpoint" on:change=choose prop:value=move || endpoint().id.to_string()>
                    {groups
                        .into_iter()
                        .map(|g| {
                            view! {
                                <optgroup label=g>
                                    {ENDPOINTS
                                        .iter()
                                        .filter(|e| e.group == g)
                                        .map(|e| view! { <option value=e.id>{format!("{} — {}{}", e.path, e.summary, if e.deprecated.is_some() { " (deprecated)" } else { "" })}</option> }.into_any())
                                        .collect_view()}
                                </optgroup>
                            }
                            .into_any()
                        })
                        .collect_view()}
                </select>
            </label>
            {move || {
                let e = endpoint();
                view! {
                    <p><code>{format!("{} {}", e.method, e.path)}</code></p>
                    <p class="muted">{e.summary}" · needs one of: "{e.scopes.join(", ")}</p>
                    {e.deprecated.map(|why| view! { <p class="notice" role="note" data-testid="deprecated">{why}</p> }.into_any())}
                }
                .into_any()
            }}
            {move || {
                if !granted.get() {
                    return view! {
                        <p class="locked" data-testid="scope-locked">
                            {format!(
                                "This endpoint needs the {} scope, which this sign-in was not granted. Add it to scopes in config.json and to your integration, then sign in again.",
                                endpoint().scopes.first().copied().unwrap_or("right")
                            )}
                        </p>
                    }
                    .into_any();
                }
                view! {
                <form class="query" on:submit=send aria-label="Parameters">
                    {move || {
                        let e = endpoint();
                        e.params
                            .iter()
                            .filter(|p| !p.is_org_id())
                            .map(|p| {
                                let name = p.name;
                                view! {
                                    <label class="wide">
                                        {format!("{}{} ({}) ", p.name, if p.required { " *" } else { "" }, p.location)}
                                        <span class="muted">
                                            {if p.example.is_empty() { String::new() } else { format!("e.g. {} ", p.example) }}
                                        </span>
                                        <input
                                            type="text"
                                            name=p.name
                                            placeholder=p.description
                                            prop:value=move || {
                                                values.with(|v| v.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default())
                                            }
                                            on:input=move |ev| {
                                                let text = event_target_value(&ev);
                                                values.update(|v| {
                                                    if let Some(slot) = v.iter_mut().find(|(k, _)| k == name) {
                                                        slot.1 = text;
                                                    }
                                                })
                                            }
                                        />
                                    </label>
                                }
                                .into_any()
                            })
                            .collect_view()
                            .into_any()
                    }}
                    <div class="actions">
                        <button type="submit" class="primary">"Send"</button>
                        {move || (filling.get() > 0).then(|| view! { <span class="muted" role="status" data-testid="filling">"Taking ids from their lists…"</span> }.into_any())}
                    </div>
                </form>
                }
                .into_any()
            }}
            {curl_view(reveal, Arc::new(curl))}
            <h2>"Response"</h2>
            {move || match response.get() {
                None => view! { <p class="muted" role="status">"Calling…"</p> }.into_any(),
                Some(None) => ().into_any(),
                Some(Some(result)) => match result {
                    Ok(call) => call_view(call),
                    Err(error) => view! { <ApiErrorView error focus=true on_retry=Callback::new(move |_| response.refetch()) /> }.into_any(),
                },
            }}
        </div>
    }
}
