//! The apply step: creates the missing teams, writes the users in batches through
//! `PATCH /organization/{orgid}/user/bulk` (background priority: the scheduler paces them behind
//! what the person is looking at), journals each done write, and settles each "outcome unknown"
//! by reading the users back. Cancel stops before the next request; one in flight finishes and
//! its rows report. Then each row's result, and the summary as CSV.

use std::collections::HashMap;

use leptos::prelude::*;
use wxcc_core::provision::batches::{BulkItem, plan_writes};
use wxcc_core::provision::bulk_answer::{Outcome, RowOutcome, read_bulk_answer, without_answer};
use wxcc_core::provision::directory::DirectoryUser;
use wxcc_core::provision::journal::{CreatedTeam, Journal};
use wxcc_core::provision::summary::{ResultLine, result_lines, summary_csv, undo_result_lines};
use wxcc_core::provision::team_create::{
    TeamCreation, created_team_ids, read_team_bulk_answer, team_batches, team_bulk_body,
};

use super::{Page, Plan, Progress, ProgressView, Stage, focus_on_show, load_users, undo};
use crate::api::{self, Priority};
use crate::ctx::Ctx;

const SUMMARY_FILE: &str = "provisioning-results.csv";

/// Applies the page's plan. Runs only from the confirmation button.
pub(super) async fn run(ctx: Ctx, page: Page) {
    page.cancel.set(false);
    page.cancelled.set(false);
    page.outcomes.set(Vec::new());
    page.error.set(None);
    let Some(plan) = page.plan.get_untracked() else {
        return;
    };
    let org = match api::org_id(ctx) {
        Ok(org) => org,
        Err(error) => return page.fail(error),
    };
    let preview = plan.preview();
    let mut journal = Journal::default();
    let creations = if let Plan::Upload(upload) = &plan {
        create_teams(ctx, page, &org, upload, &mut journal).await
    } else {
        Vec::new()
    };
    let writes = plan_writes(
        &preview.changed,
        &preview.teams_to_create,
        &created_team_ids(&creations),
    );
    let total = writes.item_count();
    page.outcomes.set(writes.not_sent.clone());
    let mut sent: Vec<BulkItem> = Vec::new();
    for batch in &writes.batches {
        if page.cancel.get_untracked() {
            page.cancelled.set(true);
            break;
        }
        page.progress.set(Progress {
            done: sent.len(),
            total,
            what: format!(
                "Writing users {} to {} of {total}…",
                sent.len() + 1,
                sent.len() + batch.items.len()
            ),
        });
        let path = format!("/organization/{org}/user/bulk");
        let answer = api::write(
            ctx,
            "PATCH",
            &path,
            batch.request_body(&org),
            Priority::Background,
        )
        .await;
        let outcomes = match answer {
            Ok(answer) => read_bulk_answer(batch, answer.status, &answer.body),
            Err(error) => without_answer(
                batch,
                &format!("no answer from the API ({})", error.message),
            ),
        };
        journal.record_done(batch, &outcomes);
        undo::store_journal(page, &journal);
        page.outcomes.update(|all| all.extend(outcomes));
        sent.extend(batch.items.iter().cloned());
        page.progress.set(Progress {
            done: sent.len(),
            total,
            what: format!("{} of {total} users written", sent.len()),
        });
    }
    if !sent.is_empty() {
        page.progress
            .update(|p| p.what = "Reading the users back to confirm the writes…".into());
        match load_users(ctx, page).await {
            Ok(users) => settle(page, &sent, &users, &mut journal),
            Err(error) => page.error.set(Some(error)),
        }
        undo::store_journal(page, &journal);
    }
    page.progress.set(Progress {
        done: sent.len(),
        total,
        what: if page.cancelled.get_untracked() {
            format!(
                "Cancelled: {} of {total} users sent; the others were not written.",
                sent.len()
            )
        } else {
            format!("Finished: {total} users sent.")
        },
    });
    page.stage.set(Stage::Finished);
}

/// Creates the teams the file needs (when the person opted in), recording each in the journal.
async fn create_teams(
    ctx: Ctx,
    page: Page,
    org: &str,
    upload: &wxcc_core::provision::diff::Preview,
    journal: &mut Journal,
) -> Vec<TeamCreation> {
    let teams = &upload.teams_to_create;
    let mut creations = Vec::new();
    for range in team_batches(teams) {
        if page.cancel.get_untracked() {
            break;
        }
        page.progress.set(Progress {
            done: range.start,
            total: teams.len(),
            what: format!(
                "Creating teams {} to {} of {}…",
                range.start + 1,
                range.end,
                teams.len()
            ),
        });
        let body = team_bulk_body(teams, range.clone(), org);
        let path = format!("/organization/{org}/team/bulk");
        let answer = api::write(ctx, "POST", &path, body, Priority::Background).await;
        let results = match answer {
            Ok(answer) => read_team_bulk_answer(range.clone(), answer.status, &answer.body),
            Err(error) => range
                .clone()
                .map(|_| TeamCreation::Unknown {
                    reason: error.message.clone(),
                })
                .collect(),
        };
        for (i, result) in range.zip(&results) {
            if let TeamCreation::Created { id } = result {
                journal.created_teams.push(CreatedTeam {
                    id: id.clone(),
                    name: teams[i].name.clone(),
                    site_id: teams[i].site_id.clone(),
                });
            }
        }
        creations.extend(results);
    }
    creations
}

/// Settles each unknown outcome by the user as read back: written if every setting holds the
/// value sent, else not written. Notes the version and time each journalled write left, which the
/// undo compares against.
fn settle(page: Page, sent: &[BulkItem], users: &[DirectoryUser], journal: &mut Journal) {
    let by_id: HashMap<&str, &DirectoryUser> = users.iter().map(|u| (u.id.as_str(), u)).collect();
    let items: HashMap<(usize, &str), &BulkItem> = sent
        .iter()
        .map(|i| ((i.row, i.user_id.as_str()), i))
        .collect();
    page.outcomes.update(|outcomes| {
        for outcome in outcomes.iter_mut() {
            let Outcome::Unknown { reason } = &outcome.outcome else {
                continue;
            };
            let item = items.get(&(outcome.row, outcome.user_id.as_str()));
            let (Some(item), Some(user)) = (item, by_id.get(outcome.user_id.as_str())) else {
                continue;
            };
            let written = item
                .written
                .iter()
                .all(|s| user.settings.get(s.field).same_as(&s.value));
            outcome.outcome = if written {
                journal.record_item(item);
                Outcome::Done
            } else {
                Outcome::Failed {
                    reason: format!(
                        "not written: reading the user back shows the old values ({reason})"
                    ),
                }
            };
        }
    });
    let written: Vec<String> = journal.entries.iter().map(|e| e.user_id.clone()).collect();
    for id in written {
        if let Some(user) = by_id.get(id.as_str()) {
            journal.record_read_back(user);
        }
    }
}

#[component]
pub(super) fn ApplyView(page: Page) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    // The Cancel button takes the focus while the run goes, so it is one key press away.
    crate::load::effect(move || {
        if let Some(button) = cancel_button.get() {
            let _ = button.focus();
        }
    });
    let finished = crate::load::flag(move || page.stage.get() == Stage::Finished);
    view! {
        <section class="card" data-testid="apply">
            {move || if finished.get() {
                focus_on_show(heading);
                view! { <h2 tabindex="-1" node_ref=heading>"3. Results"</h2> }.into_any()
            } else {
                view! { <h2>"3. Applying"</h2> }.into_any()
            }}
            <ProgressView page label="Applying the changes" />
            <Counts page />
            {move || if finished.get() {
                view! { <Results page /> }.into_any()
            } else {
                view! {
                    <button type="button" node_ref=cancel_button data-testid="cancel-button"
                        disabled=move || page.cancel.get()
                        on:click=move |_| page.cancel.set(true)>
                        {move || if page.cancel.get() { "Cancelling after this batch…" } else { "Cancel" }}
                    </button>
                }.into_any()
            }}
        </section>
    }
}

/// Done, failed and unknown so far.
#[component]
fn Counts(page: Page) -> impl IntoView {
    let text = move || {
        page.outcomes.with(|outcomes| {
            let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(&o.outcome)).count();
            format!(
                "{} done, {} failed, {} outcome unknown",
                count(|o| *o == Outcome::Done),
                count(|o| matches!(o, Outcome::Failed { .. })),
                count(|o| matches!(o, Outcome::Unknown { .. })),
            )
        })
    };
    view! { <p data-testid="apply-counts">{text}</p> }
}

fn lines(page: Page) -> Vec<ResultLine> {
    let outcomes: Vec<RowOutcome> = page.outcomes.get_untracked();
    page.plan.with_untracked(|plan| match plan {
        Some(Plan::Upload(preview)) => result_lines(preview, &outcomes),
        Some(Plan::Undo(undo)) => undo_result_lines(undo, &outcomes),
        None => Vec::new(),
    })
}

#[component]
fn Results(page: Page) -> impl IntoView {
    let lines = lines(page);
    let csv = summary_csv(&lines);
    let problem = RwSignal::new(String::new());
    let download = move |_| {
        if let Err(e) = crate::browser::download(SUMMARY_FILE, &csv, "text/csv") {
            problem.set(e);
        }
    };
    view! {
        <div class="toolbar">
            <button type="button" on:click=download data-testid="download-summary">"Download the results (CSV)"</button>
            <undo::JournalActions page />
            <button type="button" on:click=move |_| page.start_over()>"Start another run"</button>
        </div>
        <p class="error" role="alert" hidden=move || problem.with(String::is_empty)>{move || problem.get()}</p>
        <table data-testid="results">
            <thead><tr><th scope="col">"Line"</th><th scope="col">"Email"</th><th scope="col">"Result"</th><th scope="col">"Reason"</th></tr></thead>
            <tbody>
                {lines.into_iter().map(|line| view! {
                    <tr data-line=line.row.to_string() data-email=line.email.clone() data-result=line.result.as_str()>
                        <td>{line.row.to_string()}</td>
                        <td>{line.email.clone()}</td>
                        <td>{line.result.as_str()}</td>
                        <td>{line.reason.clone()}</td>
                    </tr>
                }.into_any()).collect_view()}
            </tbody>
        </table>
    }
}
