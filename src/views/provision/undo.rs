//! The journal of the last run, kept in sessionStorage for the browser session (like the
//! session itself, it goes when the tab's session does), offered as JSON, and its undo: the
//! previous values written back through the same preview and confirmation. Users changed since
//! the run are skipped with the reason (`wxcc_core::provision::undo`).
//!
//! Every run that writes, an undo too, keeps its own journal as the last run's: undoing an undo
//! puts the file's values back, through the same checks.

use leptos::prelude::*;
use wxcc_core::provision::journal::Journal;
use wxcc_core::provision::undo::undo_plan;

use super::{Page, Plan, Stage, load_directory};
use crate::api::Call;
use crate::browser::storage;
use crate::ctx::use_ctx;

pub(crate) const JOURNAL_KEY: &str = "wxcc.provision-journal";
const JOURNAL_FILE: &str = "provisioning-journal.json";

/// Keeps a run's journal as the last run's, once it has recorded something: a run that wrote
/// nothing leaves the previous journal (and its undo) in place.
pub(super) fn store_journal(page: Page, journal: &Journal) {
    if journal.entries.is_empty() && journal.created_teams.is_empty() {
        return;
    }
    if let Err(problem) = storage::set(JOURNAL_KEY, &journal.to_json()) {
        page.problem.set(format!(
            "The journal of this run could not be kept ({problem}); download the results and note the previous values before leaving."
        ));
    }
    page.journal_changed.update(|n| *n += 1);
}

fn stored_journal() -> Option<String> {
    storage::get(JOURNAL_KEY)
}

/// The last run's journal actions, at the input step.
#[component]
pub(super) fn LastRun(page: Page) -> impl IntoView {
    move || {
        page.journal_changed.track();
        stored_journal().map(|_| {
            view! {
                <section class="card" data-testid="last-run">
                    <h2>"The last run"</h2>
                    <p>"Its previous values are kept for this browser session."</p>
                    <div class="toolbar"><JournalActions page /></div>
                </section>
            }
            .into_any()
        })
    }
}

/// "Undo the last run" and "Download the journal".
#[component]
pub(super) fn JournalActions(page: Page) -> impl IntoView {
    let ctx = use_ctx();
    let download = move |_| {
        let Some(text) = stored_journal() else {
            return page
                .problem
                .set("No run has been journalled in this browser session.".into());
        };
        if let Err(problem) = crate::browser::download(JOURNAL_FILE, &text, "application/json") {
            page.problem.set(problem);
        }
    };
    let start_undo = move |_| {
        page.problem.set(String::new());
        page.error.set(None);
        let journal = match stored_journal().map(|text| Journal::from_json(&text)) {
            Some(Ok(journal)) => journal,
            Some(Err(problem)) => {
                return page
                    .problem
                    .set(format!("The last run's journal cannot be read: {problem}"));
            }
            None => {
                return page
                    .problem
                    .set("No run has been journalled in this browser session.".into());
            }
        };
        page.outcomes.set(Vec::new());
        page.stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            // The users as they are now, not as kept: the undo must see every change since.
            let directory = match load_directory(ctx, page, Call::BACKGROUND.refreshed()).await {
                Ok(directory) => directory,
                Err(error) => return page.fail(error),
            };
            page.plan
                .set(Some(Plan::Undo(undo_plan(&journal, &directory))));
            page.directory.set_value(directory);
            page.stage.set(Stage::Preview);
        });
    };
    view! {
        <button type="button" on:click=start_undo data-testid="undo-button">"Undo the last run"</button>
        <button type="button" on:click=download data-testid="download-journal">"Download the journal (JSON)"</button>
    }
}
