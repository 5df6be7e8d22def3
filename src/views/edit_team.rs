//! A team's Edit action on its detail view: its name, reviewed current → new, saved on
//! confirmation with `PUT /organization/{orgid}/team/{id}` (the whole team as read, renamed, with
//! the version read). The team is read back after every answer. A saved rename offers "Undo this
//! edit": the same review and confirmation, skipped when the team's version moved since. The
//! site is not offered: the spec says a team's `siteId` is not to be modified.

use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::provision::single_edit::{self, ReadBack, Settled};

use crate::api::{self, Priority};
use crate::ctx::{Ctx, use_ctx};

/// A rename to review or save: from the team as read (`base`).
#[derive(Clone, Debug, PartialEq)]
struct Rename {
    base: Value,
    from: String,
    to: String,
    undo: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Closed,
    Form,
    Review(Rename),
    Saving,
    /// The message, and the undo of the rename saved.
    Saved(String, Option<Rename>),
    Failed {
        message: String,
        stale: bool,
    },
}

fn version(team: &Value) -> Option<u64> {
    team.get("version").and_then(Value::as_u64)
}

fn name(team: &Value) -> String {
    team.get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

#[component]
pub fn TeamEdit(record: Signal<Option<Value>>, reload: RwSignal<u32>) -> impl IntoView {
    let ctx = use_ctx();
    let can_write = crate::load::flag(move || {
        ctx.granted(|scopes| wxcc_core::scopes::Feature::ConfigWrite.is_available(scopes))
    });
    let stage = RwSignal::new(Stage::Closed);
    // Each step's heading takes the focus when it appears, so keyboard users start there.
    let heading = NodeRef::<leptos::html::H2>::new();
    super::provision::focus_on_show(heading);
    let wanted = RwSignal::new(String::new());
    let save = move |rename: Rename| {
        stage.set(Stage::Saving);
        leptos::task::spawn_local(async move {
            let result = save_rename(ctx, rename).await;
            let saved = matches!(result, Stage::Saved(..));
            stage.set(result);
            if saved {
                reload.update(|n| *n += 1);
            }
        });
    };
    view! {
        {move || match stage.get() {
            Stage::Closed => (can_write.get() && record.with(Option::is_some)).then(|| view! {
                <p><button type="button" data-testid="edit-button" on:click=move |_| { wanted.set(record.get_untracked().as_ref().map(name).unwrap_or_default()); stage.set(Stage::Form); }>"Edit"</button></p>
            }.into_any()).into_any(),
            Stage::Form => view! {
                <form class="card" data-testid="edit-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let base = record.get_untracked().unwrap_or_default();
                    stage.set(Stage::Review(Rename { from: name(&base), to: wanted.get().trim().to_owned(), base, undo: false }));
                }>
                    <h2 tabindex="-1" node_ref=heading>"Edit the team"</h2>
                    <label class="field">"Name"
                        <input type="text" data-testid="edit-name" required maxlength="80" prop:value=move || wanted.get()
                            on:input=move |ev| wanted.set(event_target_value(&ev)) />
                    </label>
                    <p class="muted">"The site of a team cannot be changed (the API does not allow it)."</p>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="edit-review">"Review"</button>
                        <button type="button" on:click=move |_| stage.set(Stage::Closed)>"Cancel"</button>
                    </div>
                </form>
            }.into_any(),
            Stage::Review(rename) => {
                let unchanged = rename.from == rename.to;
                let confirm = rename.clone();
                view! {
                    <section class="card" data-testid="edit-preview">
                        <h2 tabindex="-1" node_ref=heading>{if rename.undo { "Review the undo" } else { "Review" }}</h2>
                        {if unchanged {
                            view! { <p data-testid="edit-unchanged">"Nothing changes: the team already has this name."</p> }.into_any()
                        } else {
                            view! {
                                <table data-testid="edit-changes">
                                    <thead><tr><th scope="col">"Setting"</th><th scope="col">"Current"</th><th scope="col">"New"</th></tr></thead>
                                    <tbody><tr data-field="name"><th scope="row">"Name"</th><td>{rename.from.clone()}</td><td>{rename.to.clone()}</td></tr></tbody>
                                </table>
                            }.into_any()
                        }}
                        <div class="actions">
                            {(!unchanged).then(|| view! {
                                <button type="button" class="primary" on:click=move |_| save(confirm.clone())>{single_edit::save_label(1)}</button>
                            })}
                            <button type="button" on:click=move |_| stage.set(Stage::Closed)>"Cancel"</button>
                        </div>
                    </section>
                }.into_any()
            }
            Stage::Saving => view! { <p class="muted" role="status">"Saving…"</p> }.into_any(),
            Stage::Saved(message, undo) => view! {
                <div role="status" data-testid="edit-saved">
                    <h2 tabindex="-1" node_ref=heading>"Saved"</h2>
                    <p>{message}</p>
                    {undo.map(|undo| view! {
                        <button type="button" data-testid="edit-undo" on:click=move |_| stage.set(Stage::Review(undo.clone()))>"Undo this edit"</button>
                    })}
                </div>
            }.into_any(),
            Stage::Failed { message, stale } => view! {
                <div class="banner error" role="alert" data-testid=if stale { "edit-stale" } else { "edit-failed" }>
                    <h2 tabindex="-1" node_ref=heading>"Not saved"</h2>
                    <p>{message}</p>
                    <button type="button" data-testid="edit-reload" on:click=move |_| { stage.set(Stage::Closed); reload.update(|n| *n += 1); }>"Reload the team"</button>
                </div>
            }.into_any(),
        }}
    }
}

/// The team as it now stands.
async fn read_back(ctx: Ctx, org: &str, id: &str) -> Option<Value> {
    super::edit::read_record(ctx, org, "v2/team", id).await
}

fn failed(message: String, stale: bool) -> Stage {
    Stage::Failed { message, stale }
}

async fn save_rename(ctx: Ctx, rename: Rename) -> Stage {
    let org = match api::org_id(ctx) {
        Ok(org) => org,
        Err(error) => return failed(error.message, false),
    };
    let id = rename
        .base
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // Never overwrite a later change, whatever the API does with a stale version: the write goes
    // only onto the version read (for an undo, the one the rename left).
    match read_back(ctx, &org, &id).await {
        Some(now) if single_edit::moved_since(version(&rename.base), version(&now)) => {
            let what = if rename.undo {
                "Undo skipped: the team changed since the rename"
            } else {
                "This team changed since you opened Edit"
            };
            return failed(
                format!(
                    "{what} (version {} then, {} now). Nothing was written. Reload the team to see its current values.",
                    version(&rename.base).unwrap_or_default(),
                    version(&now).unwrap_or_default()
                ),
                true,
            );
        }
        Some(_) => {}
        None => {
            return failed(
                "The team could not be read before the write; nothing was written. Try again."
                    .into(),
                false,
            );
        }
    }
    let Some(body) = single_edit::team_put_body(&rename.base, &rename.to) else {
        return failed(
            "The team as read is not a JSON object; nothing was written. Reload it.".into(),
            false,
        );
    };
    let answer = api::write(
        ctx,
        "PUT",
        &format!("/organization/{org}/team/{id}"),
        body,
        Priority::Foreground,
    )
    .await;
    let now = read_back(ctx, &org, &id).await;
    let status = answer.as_ref().map(|a| a.status).unwrap_or(0);
    let what = match &answer {
        Ok(a) => format!("HTTP {}{}", a.status, super::edit::reason(&a.body)),
        Err(error) => error.title(),
    };
    let read = now.as_ref().map(|n| ReadBack {
        holds: name(n) == rename.to,
        moved: single_edit::moved_since(version(&rename.base), version(n)),
    });
    let settled = single_edit::settle(status, read);
    match settled {
        Settled::Saved | Settled::SavedDespiteAnswer => {
            let prefix = if settled == Settled::Saved {
                String::new()
            } else {
                format!(
                    "The API answered {what}, but reading the team back shows the change in place. "
                )
            };
            let undo = (!rename.undo)
                .then_some(())
                .and(now.clone())
                .map(|base| Rename {
                    from: rename.to.clone(),
                    to: rename.from.clone(),
                    base,
                    undo: true,
                });
            let done = if rename.undo {
                "Undone"
            } else {
                "Saved 1 change"
            };
            Stage::Saved(
                format!(
                    "{prefix}{done}: the team is named \"{}\" now.",
                    now.as_ref().map(name).unwrap_or_else(|| rename.to.clone())
                ),
                undo,
            )
        }
        Settled::Unknown => failed(
            format!(
                "The API answered {what} and the team could not be read back: the outcome is unknown. Reload the team to see."
            ),
            false,
        ),
        Settled::NotSaved => failed(
            format!(
                "The API answered {what}; reading the team back shows the change was not saved. Try again later."
            ),
            false,
        ),
        Settled::Stale => failed(
            format!(
                "This team changed since you opened Edit, so the API refused the write ({what}). Nothing was written. Reload the team and edit the current values."
            ),
            true,
        ),
        Settled::Refused => failed(
            format!(
                "The API refused the edit ({what}). Nothing was written; change the name and try again."
            ),
            false,
        ),
    }
}
