//! The preview step: the counts, the bad rows with line, column and reason, each user's changes
//! (current → new), the unchanged rows, and the one button that applies, naming how many writes.
//! For an undo it also lists the entries skipped because their user changed since.

use leptos::prelude::*;
use wxcc_core::provision::diff::{Preview, UserDiff};
use wxcc_core::provision::row_error::RowError;
use wxcc_core::provision::undo::UndoPlan;

use super::{Page, Plan, Stage, apply, focus_on_show};
use crate::ctx::use_ctx;

#[component]
pub(super) fn PreviewView(page: Page) -> impl IntoView {
    let ctx = use_ctx();
    let Some(plan) = page.plan.get_untracked() else {
        return view! { <p>"Nothing to preview."</p> }.into_any();
    };
    let heading = NodeRef::<leptos::html::H2>::new();
    focus_on_show(heading);
    let preview = plan.preview().clone();
    let changes = preview.summary.users_changed;
    let (title, noun) = match &plan {
        Plan::Upload(_) => ("2. Check the changes", "row"),
        Plan::Undo(_) => ("Undo: check the changes", "entry"),
    };
    let confirm = move |_| {
        page.stage.set(Stage::Applying);
        leptos::task::spawn_local(apply::run(ctx, page));
    };
    let undo_parts = match &plan {
        Plan::Undo(undo) => view! { <UndoNotes plan=undo.clone() /> }.into_any(),
        Plan::Upload(_) => ().into_any(),
    };
    let button = match changes {
        0 => "Nothing to apply".to_string(),
        1 => "Apply 1 change".to_string(),
        n => format!("Apply {n} changes"),
    };
    view! {
        <section class="card" data-testid="preview">
            <h2 tabindex="-1" node_ref=heading>{title}</h2>
            <SummaryList preview=preview.clone() noun />
            {undo_parts}
            <ErrorTable errors=preview.errors.clone() />
            <ChangeTable diffs=preview.changed.clone() />
            <UnchangedList diffs=preview.unchanged.clone() noun />
            <p class="muted">
                "Nothing has been written yet. Applying writes the changes above, 50 users per request, \
                 and keeps the previous values in this browser session so the run can be undone."
            </p>
            <div class="toolbar">
                <button type="button" class="primary" data-testid="apply-button"
                    disabled=changes == 0 on:click=confirm>
                    {button}
                </button>
                <button type="button" on:click=move |_| page.start_over()>"Back"</button>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn SummaryList(preview: Preview, noun: &'static str) -> impl IntoView {
    let s = preview.summary;
    let mut lines = vec![
        format!(
            "{} users to change ({} settings)",
            s.users_changed, s.field_changes
        ),
        format!("{} users already as asked, skipped", s.users_unchanged),
        format!(
            "{} {noun}s with errors, not written ({} errors)",
            s.rows_with_errors, s.errors
        ),
    ];
    if s.teams_to_create > 0 {
        lines.push(format!("{} teams to create", s.teams_to_create));
    }
    view! {
        <ul class="summary" data-testid="preview-summary">
            {lines.into_iter().map(|line| view! { <li>{line}</li> }.into_any()).collect_view()}
        </ul>
    }
}

#[component]
fn ErrorTable(errors: Vec<RowError>) -> impl IntoView {
    if errors.is_empty() {
        return ().into_any();
    }
    view! {
        <h3>"Rows that cannot be applied"</h3>
        <p>"Fix these in the file and choose it again; the other rows can be applied without them."</p>
        <table data-testid="row-errors">
            <thead><tr><th scope="col">"Line"</th><th scope="col">"Column"</th><th scope="col">"Email"</th><th scope="col">"Reason"</th></tr></thead>
            <tbody>
                {errors.into_iter().map(|e| {
                    let column = match (e.column_number, e.column) {
                        (Some(n), Some(c)) => format!("{n} ({})", c.header()),
                        (Some(n), None) => n.to_string(),
                        (None, Some(c)) => c.header().to_string(),
                        (None, None) => "—".to_string(),
                    };
                    view! {
                        <tr data-line=e.line.to_string()>
                            <td>{e.line.to_string()}</td>
                            <td>{column}</td>
                            <td>{e.email.clone()}</td>
                            <td>{e.reason()}</td>
                        </tr>
                    }.into_any()
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ChangeTable(diffs: Vec<UserDiff>) -> impl IntoView {
    if diffs.is_empty() {
        return ().into_any();
    }
    view! {
        <h3>"Changes"</h3>
        <table data-testid="changes">
            <thead><tr><th scope="col">"Line"</th><th scope="col">"Email"</th><th scope="col">"Current → new"</th></tr></thead>
            <tbody>
                {diffs.into_iter().map(|d| view! {
                    <tr data-line=d.row.to_string() data-email=d.email.clone()>
                        <td>{d.row.to_string()}</td>
                        <td>{d.email.clone()}</td>
                        <td>
                            <ul class="diff">
                                {d.changes.iter().map(|c| view! {
                                    <li>
                                        <strong>{capitalised(c.field.label())}</strong> ": "
                                        <del>{c.before_label.clone()}</del> " → " <ins>{c.after_label.clone()}</ins>
                                    </li>
                                }.into_any()).collect_view()}
                            </ul>
                        </td>
                    </tr>
                }.into_any()).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn UnchangedList(diffs: Vec<UserDiff>, noun: &'static str) -> impl IntoView {
    if diffs.is_empty() {
        return ().into_any();
    }
    let label = if noun == "row" { "Line" } else { "Entry" };
    view! {
        <details data-testid="unchanged">
            <summary>{format!("{} unchanged, skipped", diffs.len())}</summary>
            <ul>
                {diffs.into_iter().map(|d| view! {
                    <li data-line=d.row.to_string()>{format!("{label} {}: {} — already as asked; nothing to write", d.row, d.email)}</li>
                }.into_any()).collect_view()}
            </ul>
        </details>
    }
    .into_any()
}

/// What an undo leaves alone: entries whose user changed since, and the teams the run created.
#[component]
fn UndoNotes(plan: UndoPlan) -> impl IntoView {
    let skipped = (!plan.skipped.is_empty()).then(|| {
        view! {
            <h3>"Skipped: changed since the run"</h3>
            <p>"These users were changed after the run, so undoing would overwrite someone's later change. They are left as they are."</p>
            <table data-testid="undo-skipped">
                <thead><tr><th scope="col">"Entry"</th><th scope="col">"Email"</th><th scope="col">"Reason"</th></tr></thead>
                <tbody>
                    {plan.skipped.iter().map(|s| view! {
                        <tr data-email=s.email.clone()>
                            <td>{s.entry.to_string()}</td>
                            <td>{s.email.clone()}</td>
                            <td>{s.reason.clone()}</td>
                        </tr>
                    }.into_any()).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    });
    let teams = (!plan.teams_left_in_place.is_empty()).then(|| {
        let names: Vec<String> = plan.teams_left_in_place.iter().map(|t| t.name.clone()).collect();
        view! {
            <p data-testid="teams-left">
                {format!(
                    "The teams the run created stay ({}): delete them in Control Hub if they are not wanted.",
                    names.join(", ")
                )}
            </p>
        }
        .into_any()
    });
    view! { {skipped} {teams} }
}

/// A setting's name as a list item starts it ("Desktop profile"); core's labels run inside sentences.
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
