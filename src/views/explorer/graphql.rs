//! The explorer's GraphQL tab: Webex's Search API (`POST /search`) with a query editor preloaded
//! with Cisco's example queries, the variables as JSON (the last 24 hours to start with), Send,
//! the answer as the JSON tree, and "Copy as cURL" with the token redacted unless asked.

use std::sync::Arc;

use leptos::prelude::*;
use wxcc_core::activity::query::body;
use wxcc_core::api_error::{ApiError, ApiErrorKind};
use wxcc_core::catalogue::search::{self, EXAMPLES};
use wxcc_core::curl::{render_curl, shell_quote};

use crate::api::ApiCall;
use crate::ctx::use_ctx;
use crate::views::ApiErrorView;

/// The window of the examples' `$from`/`$to`: the last 24 hours.
fn default_variables() -> String {
    let now = crate::browser::now_ms();
    format!(
        "{{\n  \"from\": {},\n  \"to\": {now}\n}}",
        now.saturating_sub(24 * 3_600_000)
    )
}

#[component]
pub fn GraphQlTab() -> impl IntoView {
    let ctx = use_ctx();
    let query = RwSignal::new(EXAMPLES[0].query.to_string());
    let variables = RwSignal::new(default_variables());
    let answer = RwSignal::new(None::<Result<ApiCall, ApiError>>);
    let sending = RwSignal::new(false);
    let reveal = RwSignal::new(false);
    let choose = move |ev: leptos::ev::Event| {
        query.set(search::example(&event_target_value(&ev)).query.to_string());
    };
    // The body as sent: the variables must be JSON (an empty field sends none).
    let request_body = move || -> Result<String, ApiError> {
        let text = variables.get();
        let text = if text.trim().is_empty() {
            "{}".to_string()
        } else {
            text
        };
        match wxcc_core::json::parse(&text) {
            Ok(value) if value.is_object() => Ok(body(&query.get(), &text)),
            _ => Err(ApiError {
                status: 0,
                kind: ApiErrorKind::Client,
                message: "The variables are not a JSON object. Write them as {\"from\": 1772409600000, \"to\": 1772496000000}, or leave the field empty.".into(),
                tracking_id: None,
                error_code: None,
            }),
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = untrack(request_body);
        sending.set(true);
        leptos::task::spawn_local(async move {
            let result = match body {
                Ok(body) => crate::api::search(ctx, body).await,
                Err(problem) => Err(problem),
            };
            let _ = answer.try_set(Some(result));
            let _ = sending.try_set(false);
        });
    };
    let curl = move || {
        let session = ctx.session()?;
        let url = crate::api::search_url(
            &session.region_or_api_base.url(),
            session.org_id.as_deref().unwrap_or_default(),
        );
        let command = render_curl(
            "POST",
            &url,
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ],
            &session.access_token,
            reveal.get(),
        );
        let data = request_body().ok()?;
        Some(format!("{command} \\\n  --data {}", shell_quote(&data)))
    };
    let granted = crate::load::flag(move || {
        ctx.granted(|scopes| {
            search::SCOPES
                .iter()
                .any(|needed| scopes.iter().any(|s| s == needed))
        })
    });
    view! {
        <p><code>{format!("POST {}", search::PATH)}</code></p>
        <p class="muted">{format!("Webex's GraphQL Search API, the replacement of the statistics endpoints · needs one of: {} and the {} role", search::SCOPES.join(", "), search::ROLES)}</p>
        {move || (!granted.get()).then(|| view! {
            <p class="locked" data-testid="scope-locked">{search::forbidden_advice()}</p>
        }.into_any())}
        <form class="query" on:submit=send aria-label="GraphQL request">
            <label class="wide">
                "Example "
                <select data-testid="graphql-example" on:change=choose>
                    {EXAMPLES.iter().map(|e| view! { <option value=e.id>{e.title}</option> }.into_any()).collect_view()}
                </select>
            </label>
            <label class="wide">
                "Query"
                <textarea name="query" rows="14" spellcheck="false" data-testid="graphql-query"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))></textarea>
            </label>
            <label class="wide">
                "Variables (JSON)"
                <textarea name="variables" rows="4" spellcheck="false" data-testid="graphql-variables"
                    prop:value=move || variables.get() on:input=move |ev| variables.set(event_target_value(&ev))></textarea>
            </label>
            <div class="actions">
                <button type="submit" class="primary" prop:disabled=move || sending.get()>"Send"</button>
            </div>
        </form>
        {super::curl_view(reveal, Arc::new(curl))}
        <h2>"Response"</h2>
        {move || match (sending.get(), answer.get()) {
            (true, _) => view! { <p class="muted" role="status">"Calling…"</p> }.into_any(),
            (false, None) => ().into_any(),
            (false, Some(Ok(call))) => super::call_view(call),
            (false, Some(Err(error))) => {
                let forbidden = error.kind == ApiErrorKind::Forbidden;
                view! {
                    <ApiErrorView error focus=true />
                    {forbidden.then(|| view! { <p class="error" data-testid="needs-scope">{search::forbidden_advice()}</p> }.into_any())}
                }
                .into_any()
            }
        }}
    }
}
