//! Users: `GET /organization/{orgId}/v2/user`, paged, with the page in the address (deep links).

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use wxcc_core::list_query::ListQuery;
use wxcc_core::scopes::Feature;

use super::{ApiErrorView, NeedsSignIn};
use crate::auth::{Auth, use_ctx};

#[component]
pub fn UsersView() -> impl IntoView {
    let ctx = use_ctx();
    let signed_in = move || matches!(ctx.auth.get(), Auth::SignedIn(_));
    let granted = move || {
        ctx.auth.with(|a| match a {
            Auth::SignedIn(s) => Feature::Users.is_available(&s.granted_scopes),
            _ => false,
        })
    };
    view! {
        <Show when=signed_in fallback=|| view! { <NeedsSignIn /> }>
            <Show
                when=granted
                fallback=|| {
                    view! {
                        <section class="card" data-testid="scope-locked">
                            <h1>"Users"</h1>
                            <p>{Feature::Users.how_to_unlock()}</p>
                        </section>
                    }
                }
            >
                <UsersList />
            </Show>
        </Show>
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let ctx = use_ctx();
    let location = use_location();
    let navigate = use_navigate();
    let query = Memo::new(move |_| ListQuery::from_query_string(&location.search.get()));
    let users = LocalResource::new(move || {
        let q = query.get();
        async move {
            let org = crate::api::org_id(ctx)?;
            crate::api::get(
                ctx,
                &format!("/organization/{org}/v2/user?{}", q.to_query_string()),
            )
            .await
        }
    });
    let go = move |q: ListQuery| {
        navigate(
            &format!("/users?{}", q.to_query_string()),
            NavigateOptions::default(),
        );
    };
    let go_page = {
        let go = go.clone();
        move |delta: i64| {
            let mut q = query.get_untracked();
            q.page = (q.page as i64 + delta).max(0) as u32;
            go(q);
        }
    };
    let prev = go_page.clone();
    let next = go_page;
    let set_size = move |ev: leptos::ev::Event| {
        let mut q = query.get_untracked();
        q.page_size = event_target_value(&ev).parse().unwrap_or(q.page_size);
        q.page = 0;
        go(q);
    };
    view! {
        <section>
            <h1>"Users"</h1>
            <div class="toolbar">
                <label>
                    "Page size "
                    <select on:change=set_size prop:value=move || query.get().page_size.to_string()>
                        {[10u32, 25, 50, 100].map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    </select>
                </label>
                <button on:click=move |_| prev(-1) disabled=move || query.get().page == 0>"Previous"</button>
                <span data-testid="page-indicator">{move || format!("Page {}", query.get().page + 1)}</span>
                <button on:click=move |_| next(1)>"Next"</button>
            </div>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading users…"</p> }>
                {move || {
                    users
                        .get()
                        .map(|result| match result {
                            Ok(call) => view! { <UsersTable json=call.json /> }.into_any(),
                            Err(error) => view! { <ApiErrorView error on_retry=Callback::new(move |_| users.refetch()) /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn UsersTable(json: serde_json::Value) -> impl IntoView {
    let total = json["meta"]["totalRecords"].as_u64();
    let pages = json["meta"]["totalPages"].as_u64();
    let rows = json["data"].as_array().cloned().unwrap_or_default();
    let empty = rows.is_empty();
    view! {
        <p class="muted" data-testid="users-total">
            {total.map(|t| format!("{t} users")).unwrap_or_default()}
            {pages.map(|p| format!(" in {p} pages")).unwrap_or_default()}
        </p>
        <Show when=move || !empty fallback=|| view! { <p data-testid="empty">"No users on this page."</p> }>
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Active"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .iter()
                        .map(|u| {
                            let name = format!(
                                "{} {}",
                                u["firstName"].as_str().unwrap_or(""),
                                u["lastName"].as_str().unwrap_or("")
                            );
                            view! {
                                <tr data-testid="user-row">
                                    <td>{name}</td>
                                    <td>{u["email"].as_str().unwrap_or("—").to_string()}</td>
                                    <td>{u["active"].as_bool().map(|a| if a { "yes" } else { "no" }).unwrap_or("—")}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </Show>
    }
}
