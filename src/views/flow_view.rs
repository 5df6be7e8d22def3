//! The grant, step by step, as it happened for this sign-in (secrets masked, with timings).

use leptos::prelude::*;

use super::SignInButton;
use crate::ctx::use_ctx;
use crate::flow::Step;

#[component]
pub fn FlowView() -> impl IntoView {
    let ctx = use_ctx();
    let steps = move || {
        let log = ctx.flow.get();
        Step::ALL
            .into_iter()
            .map(|step| {
                let entry = log.get(step).cloned();
                let status = match &entry {
                    Some(e) if e.ok => "done",
                    Some(_) => "failed",
                    None => "pending",
                };
                let timing = entry
                    .as_ref()
                    .and_then(|e| e.duration_ms)
                    .map(|ms| format!("{ms} ms"))
                    .unwrap_or_default();
                let details = entry.map(|e| e.details).unwrap_or_default();
                view! {
                    <li class=format!("step {status}") data-testid="flow-step" data-status=status>
                        <h2>{step.title()} <span class="timing">{timing}</span></h2>
                        <p class="muted">{step.explain()}</p>
                        <dl>
                            {details
                                .into_iter()
                                .map(|(k, v)| view! { <dt>{k}</dt> <dd><code>{v}</code></dd> }.into_any())
                                .collect_view()}
                        </dl>
                    </li>
                }
                .into_any()
            })
            .collect_view()
    };
    view! {
        <section>
            <h1>"Grant flow"</h1>
            <p>
                "The OAuth 2.0 authorization-code grant with PKCE, as it ran for this sign-in. Codes, state and "
                "tokens are masked; the client secret never reaches the browser."
            </p>
            {move || {
                ctx.flow
                    .with(|f| f.entries.is_empty())
                    .then(|| view! { <p>"No sign-in recorded in this tab yet. " <SignInButton /></p> }.into_any())
            }}
            <ol class="flow">{move || steps().into_any()}</ol>
        </section>
    }
}
