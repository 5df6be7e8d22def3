//! A JSON value as a collapsible tree (native <details>: keyboard and screen-reader friendly).

use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn JsonTree(value: Value) -> impl IntoView {
    view! { <div class="json-tree" data-testid="json-tree">{node(None, &value, 0)}</div> }
}

fn node(key: Option<String>, value: &Value, depth: usize) -> AnyView {
    let label = key
        .clone()
        .map(|k| view! { <span class="key">{k}": "</span> }.into_any());
    match value {
        Value::Object(map) => {
            let children = map
                .iter()
                .map(|(k, v)| node(Some(k.clone()), v, depth + 1))
                .collect_view();
            let summary = format!("{{…}} {} keys", map.len());
            view! {
                <details open=depth < 2>
                    <summary>{label}<span class="muted">{summary}</span></summary>
                    <div class="children">{children}</div>
                </details>
            }
            .into_any()
        }
        Value::Array(items) => {
            let children = items
                .iter()
                .enumerate()
                .map(|(i, v)| node(Some(i.to_string()), v, depth + 1))
                .collect_view();
            let summary = format!("[…] {} items", items.len());
            view! {
                <details open=depth < 1>
                    <summary>{label}<span class="muted">{summary}</span></summary>
                    <div class="children">{children}</div>
                </details>
            }
            .into_any()
        }
        leaf => {
            let class = match leaf {
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Bool(_) => "bool",
                _ => "null",
            };
            // A time as epoch ms also reads as a date in the browser's locale and time zone.
            let hint = key
                .as_deref()
                .filter(|k| wxcc_core::activity::is_time_field(k, leaf))
                .and_then(|_| leaf.as_u64())
                .map(|ms| view! { <span class="muted time">" (" {crate::browser::format_time(ms)} ")"</span> }.into_any());
            view! { <div class="leaf">{label}<code class=class>{leaf.to_string()}</code>{hint}</div> }
                .into_any()
        }
    }
}
