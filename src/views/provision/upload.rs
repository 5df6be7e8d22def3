//! The input step: a CSV file chosen or pasted, the template to start from, and the opt-in to
//! create missing teams. Submitting reads the directories and resolves the file into a preview.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wxcc_core::provision::csv_read::MAX_BYTES;
use wxcc_core::provision::diff::preview;
use wxcc_core::provision::resolve::{ResolveOptions, resolve};
use wxcc_core::provision::template::{read_upload, template_csv};

use super::{Page, Plan, Stage, load_directory};
use crate::api::Call;
use crate::ctx::use_ctx;

const TEMPLATE_FILE: &str = "provisioning-template.csv";

#[component]
pub(super) fn UploadForm(page: Page) -> impl IntoView {
    let ctx = use_ctx();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.problem.set(String::new());
        page.error.set(None);
        let create_missing_teams =
            !crate::browser::submitted_values(&ev, "create_teams").is_empty();
        let pasted = crate::browser::submitted_values(&ev, "csv")
            .into_iter()
            .next()
            .unwrap_or_default();
        let file = chosen_file(&ev);
        leptos::task::spawn_local(async move {
            let bytes = match file {
                Some(file) => match file_bytes(&file).await {
                    Ok(bytes) => bytes,
                    Err(problem) => return page.problem.set(problem),
                },
                None if !pasted.trim().is_empty() => pasted.into_bytes(),
                None => {
                    return page.problem.set(
                        "Choose a CSV file or paste its text first. The template shows the columns."
                            .into(),
                    );
                }
            };
            let upload = match read_upload(&bytes) {
                Ok(upload) => upload,
                Err(problem) => return page.problem.set(problem.to_string()),
            };
            page.stage.set(Stage::Loading);
            let directory = match load_directory(ctx, page, Call::BACKGROUND).await {
                Ok(directory) => directory,
                Err(error) => return page.fail(error),
            };
            let resolution = resolve(
                &upload,
                &directory,
                ResolveOptions {
                    create_missing_teams,
                },
            );
            page.plan
                .set(Some(Plan::Upload(preview(&resolution, &directory))));
            page.directory.set_value(directory);
            page.stage.set(Stage::Preview);
        });
    };
    let download_template = move |_| {
        if let Err(problem) = crate::browser::download(TEMPLATE_FILE, &template_csv(), "text/csv") {
            page.problem.set(problem);
        }
    };
    view! {
        <form class="card" on:submit=submit data-testid="provision-form" aria-describedby="provision-problem">
            <h2>"1. Choose the file"</h2>
            <p>
                "One row per user, found by email. Columns: email, teams (names separated by |), site, \
                 skill profile, desktop profile, multimedia profile, Contact Center enabled (true or false). \
                 Blank cells leave a setting as it is. "
                <button type="button" class="link" on:click=download_template data-testid="download-template">
                    "Download the template"
                </button>
            </p>
            <p>
                <label for="provision-file">"CSV file "</label>
                <input id="provision-file" type="file" name="file" accept=".csv,text/csv,text/plain" data-testid="csv-file" />
            </p>
            <p>
                <label for="provision-csv">"…or paste the CSV text"</label>
                <br />
                <textarea id="provision-csv" name="csv" rows="8" cols="80" spellcheck="false" data-testid="csv-text"></textarea>
            </p>
            <p>
                <label>
                    <input type="checkbox" name="create_teams" value="yes" data-testid="create-teams" />
                    " Create teams that do not exist (in the row's site)"
                </label>
            </p>
            <p id="provision-problem" class="error" role="alert" data-testid="upload-problem"
                hidden=move || page.problem.with(String::is_empty)>
                {move || page.problem.get()}
            </p>
            <button type="submit" class="primary" data-testid="preview-button">"Preview the changes"</button>
        </form>
    }
}

/// The file chosen in the form's file input, when there is one.
fn chosen_file(ev: &leptos::ev::SubmitEvent) -> Option<web_sys::File> {
    let form: web_sys::HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let file: web_sys::File = data.get("file").dyn_into().ok()?;
    // With no file chosen the browser submits an empty, nameless one.
    (!file.name().is_empty()).then_some(file)
}

/// The file's bytes, as they are (the reader decides about encodings and BOMs). It reads at most
/// one byte past the reader's limit, so a huge file is refused without being held in memory.
async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let unreadable = |_| {
        format!(
            "The browser could not read {}; choose it again.",
            file.name()
        )
    };
    let head = file
        .slice_with_f64_and_f64(0.0, (MAX_BYTES + 1) as f64)
        .map_err(unreadable)?;
    let buffer = JsFuture::from(head.array_buffer()).await.map_err(|_| {
        format!(
            "The browser could not read {}; choose it again.",
            file.name()
        )
    })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
