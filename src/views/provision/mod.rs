//! The Provision page (issue 26): bulk onboarding from a CSV file, in the steps of
//! `wxcc_core::provision` — read and resolve the file against the organisation's directories,
//! preview every change, apply on confirmation in batches, keep a journal, undo.
//!
//! The page holds one run at a time in [`Page`]'s signals; the steps live in the submodules:
//! [`upload`] (the file or pasted text, the template), [`preview`] (the diff and the confirmation),
//! [`apply`] (the writes, the progress, the results), [`undo`] (the journal and its undo). Nothing
//! is written until the person presses the confirmation button: loading the page or navigating
//! only reads.

mod apply;
mod preview;
mod undo;
pub(crate) use undo::JOURNAL_KEY;
mod upload;

use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::api_error::ApiError;
use wxcc_core::model::ListPage;
use wxcc_core::provision::bulk_answer::RowOutcome;
use wxcc_core::provision::diff::Preview;
use wxcc_core::provision::directory::{Directory, DirectoryUser, NamedRecord};
use wxcc_core::provision::undo::UndoPlan;
use wxcc_core::scopes::Feature;

use super::{ApiErrorView, Gate};
use crate::api::{self, Call};
use crate::ctx::Ctx;

/// Where the page is in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Choosing a file (or a journal to undo).
    Input,
    /// Reading the directories.
    Loading,
    /// The preview, waiting for the confirmation.
    Preview,
    Applying,
    Finished,
}

/// What a run writes: the changes of an uploaded file, or the undo of the last run.
#[derive(Clone, Debug, PartialEq)]
enum Plan {
    Upload(Preview),
    Undo(UndoPlan),
}

impl Plan {
    fn preview(&self) -> &Preview {
        match self {
            Plan::Upload(preview) => preview,
            Plan::Undo(plan) => &plan.preview,
        }
    }
}

/// Progress of a long step: `done` of `total`, and what it is doing.
#[derive(Clone, Debug, Default, PartialEq)]
struct Progress {
    done: usize,
    total: usize,
    what: String,
}

/// The state of the page's run, shared by its parts.
#[derive(Clone, Copy)]
struct Page {
    stage: RwSignal<Stage>,
    plan: RwSignal<Option<Plan>>,
    /// The directories the plan was made against (not shown, so not reactive).
    directory: StoredValue<Directory>,
    progress: RwSignal<Progress>,
    outcomes: RwSignal<Vec<RowOutcome>>,
    /// Set by Cancel: the run stops before its next request.
    cancel: RwSignal<bool>,
    /// The run was cancelled (some rows were not sent).
    cancelled: RwSignal<bool>,
    /// Why the file or the journal could not be used, said in the input step.
    problem: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    /// Bumped when the stored journal changes, so the parts that offer it look again.
    journal_changed: RwSignal<u32>,
}

impl Page {
    fn new() -> Page {
        Page {
            stage: RwSignal::new(Stage::Input),
            plan: RwSignal::new(None),
            directory: StoredValue::new(Directory::default()),
            progress: RwSignal::new(Progress::default()),
            outcomes: RwSignal::new(Vec::new()),
            cancel: RwSignal::new(false),
            cancelled: RwSignal::new(false),
            problem: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            journal_changed: RwSignal::new(0),
        }
    }

    /// Back to the input step, forgetting the plan and its results.
    fn start_over(&self) {
        self.plan.set(None);
        self.outcomes.set(Vec::new());
        self.error.set(None);
        self.cancelled.set(false);
        self.stage.set(Stage::Input);
    }

    /// A failed read or write that stops the run: shown at the input step.
    fn fail(&self, error: ApiError) {
        self.error.set(Some(error));
        self.stage.set(Stage::Input);
    }
}

#[component]
pub fn ProvisionPage() -> impl IntoView {
    view! {
        <Gate title="Provision" feature=Feature::ConfigWrite>
            <Provision />
        </Gate>
    }
}

#[component]
fn Provision() -> impl IntoView {
    let page = Page::new();
    view! {
        <section class="provision">
            <h1>"Provision"</h1>
            <p class="muted">
                "Set the Contact Center settings of many users at once from a CSV file: their teams, site, \
                 skill, desktop and multimedia profiles, and whether Contact Center is enabled. You see \
                 every change before anything is written, and the previous values are kept so the run \
                 can be undone."
            </p>
            {move || page.error.get().map(|error| view! {
                <ApiErrorView error focus=true feature=Feature::ConfigWrite />
            }.into_any())}
            {move || match page.stage.get() {
                Stage::Input => view! {
                    <upload::UploadForm page />
                    <undo::LastRun page />
                }.into_any(),
                Stage::Loading => view! { <ProgressView page label="Reading the organization" /> }.into_any(),
                Stage::Preview => view! { <preview::PreviewView page /> }.into_any(),
                Stage::Applying | Stage::Finished => view! { <apply::ApplyView page /> }.into_any(),
            }}
        </section>
    }
}

/// A progress bar with its text; screen readers get the numbers through the progressbar role.
#[component]
fn ProgressView(page: Page, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="progress" data-testid="progress">
            <progress role="progressbar" aria-label=label.clone() aria-valuemin="0"
                max=move || page.progress.with(|p| p.total.max(1).to_string())
                value=move || page.progress.with(|p| p.done.to_string())
                aria-valuemax=move || page.progress.with(|p| p.total.to_string())
                aria-valuenow=move || page.progress.with(|p| p.done.to_string())>
            </progress>
            <p role="status">{move || page.progress.with(|p| p.what.clone())}</p>
        </div>
    }
}

/// A list API of the directories, and what the progress calls it.
struct DirectoryList {
    api: &'static str,
    label: &'static str,
}

const LISTS: [DirectoryList; 6] = [
    DirectoryList {
        api: "v2/user",
        label: "users",
    },
    DirectoryList {
        api: "v2/team",
        label: "teams",
    },
    DirectoryList {
        api: "v2/site",
        label: "sites",
    },
    DirectoryList {
        api: "v2/skill-profile",
        label: "skill profiles",
    },
    DirectoryList {
        api: "v2/agent-profile",
        label: "desktop profiles",
    },
    DirectoryList {
        api: "v2/multimedia-profile",
        label: "multimedia profiles",
    },
];

/// Records per page when reading a directory: the largest page the configuration lists give.
const PAGE_SIZE: u32 = 100;
/// A directory larger than this many pages is refused rather than read without end.
const MAX_PAGES: u32 = 500;

/// Reads the organisation's users, teams, sites and profiles, page by page, in the background
/// of whatever else the tabs ask. `call` says whether kept answers will do (for a preview) or
/// the current state is needed (an undo, a read-back).
async fn load_directory(ctx: Ctx, page: Page, call: Call) -> Result<Directory, ApiError> {
    let mut lists: Vec<Vec<Value>> = Vec::new();
    for (i, list) in LISTS.iter().enumerate() {
        lists.push(load_list(ctx, page, list, i, call).await?);
    }
    let named = |records: &[Value]| -> Vec<NamedRecord> {
        records.iter().filter_map(NamedRecord::from_value).collect()
    };
    Ok(Directory {
        users: lists[0]
            .iter()
            .filter_map(DirectoryUser::from_value)
            .collect(),
        teams: named(&lists[1]),
        sites: named(&lists[2]),
        skill_profiles: named(&lists[3]),
        desktop_profiles: named(&lists[4]),
        multimedia_profiles: named(&lists[5]),
    })
}

/// Reads only the users, as they are now (the read-back after a run).
async fn load_users(ctx: Ctx, page: Page) -> Result<Vec<DirectoryUser>, ApiError> {
    let records = load_list(ctx, page, &LISTS[0], 0, Call::BACKGROUND.refreshed()).await?;
    Ok(records
        .iter()
        .filter_map(DirectoryUser::from_value)
        .collect())
}

async fn load_list(
    ctx: Ctx,
    page: Page,
    list: &DirectoryList,
    index: usize,
    call: Call,
) -> Result<Vec<Value>, ApiError> {
    let org = api::org_id(ctx)?;
    let mut records = Vec::new();
    let mut number = 0;
    loop {
        page.progress.set(Progress {
            done: index,
            total: LISTS.len(),
            what: format!(
                "Reading the {} ({} so far, list {} of {})…",
                list.label,
                records.len(),
                index + 1,
                LISTS.len()
            ),
        });
        let path = format!(
            "/organization/{org}/{}?page={number}&pageSize={PAGE_SIZE}",
            list.api
        );
        let answer = api::get_with(ctx, &path, call).await?;
        let listed = ListPage::from_value(&answer.json);
        let count = listed.data.len();
        records.extend(listed.data);
        let pages = listed.meta.total_pages.unwrap_or(0);
        if count < PAGE_SIZE as usize || number + 1 >= pages {
            return Ok(records);
        }
        number += 1;
        if number >= MAX_PAGES {
            return Err(ApiError {
                status: 0,
                kind: wxcc_core::api_error::ApiErrorKind::Client,
                message: format!(
                    "The organization has more than {} {}; the Provision page reads at most that many. \
                     Split the work in Control Hub.",
                    MAX_PAGES * PAGE_SIZE,
                    list.label
                ),
                tracking_id: None,
                error_code: None,
            });
        }
    }
}

/// Moves the focus to a step's heading when it appears, so keyboard and screen reader users
/// start the step at its top.
pub(crate) fn focus_on_show(node: NodeRef<leptos::html::H2>) {
    crate::load::effect(move || {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
}
