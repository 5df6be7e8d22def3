//! A user's Edit action on its detail view: a small form for the settings provisioning sets,
//! a review of the changes current → new, "Save N changes" to confirm, then one
//! `PATCH /organization/{orgid}/user/{id}` with the changed fields and the version read. The
//! user is read back after every answer: a refusal tells a record changed since from another
//! problem, a 5xx or a network error is settled by what the read-back shows. A saved edit's
//! previous values become the Provision page's last run, whose Undo reverts it through the
//! same preview and confirmation (skipping the user if it moved since).

use leptos::prelude::*;
use serde_json::Value;
use wxcc_core::api_error::ApiError;
use wxcc_core::model::ListPage;
use wxcc_core::provision::directory::{DirectoryUser, NamedRecord};
use wxcc_core::provision::settings::{Field, FieldValue, UserSettings};
use wxcc_core::provision::single_edit::{self, EditChange, ReadBack, Settled};

use crate::api::{self, Call, Priority};
use crate::ctx::{Ctx, use_ctx};

/// The lists the form's choices come from, in [`Field::ALL`] order (the flag has none).
const LISTS: [(Field, &str); 5] = [
    (Field::Teams, "v2/team"),
    (Field::Site, "v2/site"),
    (Field::SkillProfile, "v2/skill-profile"),
    (Field::DesktopProfile, "v2/agent-profile"),
    (Field::MultimediaProfile, "v2/multimedia-profile"),
];
const PAGE_SIZE: u32 = 100;
const MAX_PAGES: u32 = 50;

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Closed,
    Loading,
    Form,
    Review,
    Saving,
    Saved(String),
    Failed { message: String, stale: bool },
}

type Choices = Vec<(Field, Vec<NamedRecord>)>;

fn name_in(choices: &Choices, field: Field, id: &str) -> Option<String> {
    choices
        .iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, records)| records.iter().find(|r| r.id == id))
        .map(|r| r.name.clone())
}

/// The Edit button and, once opened, the form, the review and the outcome. `reload` is bumped
/// to read the record again.
#[component]
pub fn UserEdit(record: Signal<Option<Value>>, reload: RwSignal<u32>) -> impl IntoView {
    let ctx = use_ctx();
    let can_write = crate::load::flag(move || {
        ctx.granted(|scopes| wxcc_core::scopes::Feature::ConfigWrite.is_available(scopes))
    });
    let user = Memo::new(move |_| {
        record
            .get()
            .and_then(|r| DirectoryUser::from_value(&r))
            .unwrap_or_default()
    });
    let stage = RwSignal::new(Stage::Closed);
    // Each step's heading takes the focus when it appears, so keyboard users start there.
    let heading = NodeRef::<leptos::html::H2>::new();
    super::provision::focus_on_show(heading);
    let choices: RwSignal<Choices> = RwSignal::new(Vec::new());
    let wanted = RwSignal::new(user.with_untracked(|u| u.settings.clone()));
    let changes = move || user.with_untracked(|u| single_edit::changes(&u.settings, &wanted.get()));
    let open = move |_| {
        wanted.set(user.with_untracked(|u| u.settings.clone()));
        stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            match load_choices(ctx).await {
                Ok(loaded) => {
                    choices.set(loaded);
                    stage.set(Stage::Form);
                }
                Err(error) => stage.set(Stage::Failed {
                    message: format!(
                        "The choices could not be read ({}). Nothing was written; try Edit again.",
                        error.title()
                    ),
                    stale: false,
                }),
            }
        });
    };
    let save = move |_| {
        let list = changes();
        stage.set(Stage::Saving);
        let before = user.get_untracked();
        leptos::task::spawn_local(async move {
            let result = save_edit(ctx, before, list).await;
            let saved = matches!(result, Stage::Saved(_));
            stage.set(result);
            if saved {
                reload.update(|n| *n += 1);
            }
        });
    };
    view! {
        {move || match stage.get() {
            Stage::Closed => (can_write.get() && record.with(Option::is_some)).then(|| view! {
                <p><button type="button" on:click=open data-testid="edit-button">"Edit"</button></p>
            }.into_any()).into_any(),
            Stage::Loading => view! { <p class="muted" role="status">"Reading the teams, sites and profiles…"</p> }.into_any(),
            Stage::Form => view! {
                <form class="card" data-testid="edit-form" on:submit=move |ev| { ev.prevent_default(); stage.set(Stage::Review); }>
                    <h2 tabindex="-1" node_ref=heading>"Edit the Contact Center settings"</h2>
                    {move || edit_fields(choices.get(), wanted)}
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="edit-review">"Review"</button>
                        <button type="button" on:click=move |_| stage.set(Stage::Closed)>"Cancel"</button>
                    </div>
                </form>
            }.into_any(),
            Stage::Review => {
                let list = changes();
                let count = list.len();
                let all = choices.get();
                view! {
                    <section class="card" data-testid="edit-preview">
                        <h2 tabindex="-1" node_ref=heading>"Review"</h2>
                        {if count == 0 {
                            view! { <p data-testid="edit-unchanged">"Nothing changes: every setting already has the value chosen."</p> }.into_any()
                        } else {
                            change_table(&list, &all)
                        }}
                        <div class="actions">
                            {(count > 0).then(|| view! {
                                <button type="button" class="primary" on:click=save>{single_edit::save_label(count)}</button>
                            })}
                            <button type="button" on:click=move |_| stage.set(Stage::Form)>"Back to the form"</button>
                        </div>
                    </section>
                }.into_any()
            }
            Stage::Saving => view! { <p class="muted" role="status">"Saving…"</p> }.into_any(),
            Stage::Saved(message) => view! {
                <div role="status" data-testid="edit-saved">
                    <h2 tabindex="-1" node_ref=heading>"Saved"</h2>
                    <p>{message}</p>
                </div>
            }.into_any(),
            Stage::Failed { message, stale } => view! {
                <div class="banner error" role="alert" data-testid=if stale { "edit-stale" } else { "edit-failed" }>
                    <h2 tabindex="-1" node_ref=heading>"Not saved"</h2>
                    <p>{message}</p>
                    {stale.then(|| view! {
                        <button type="button" data-testid="edit-reload" on:click=move |_| { stage.set(Stage::Closed); reload.update(|n| *n += 1); }>"Reload the user"</button>
                    })}
                    {(!stale).then(|| view! {
                        <button type="button" on:click=move |_| stage.set(Stage::Closed)>"Close"</button>
                    })}
                </div>
            }.into_any(),
        }}
    }
    .into_any()
}

fn change_table(list: &[EditChange], all: &Choices) -> AnyView {
    let rows = list
        .iter()
        .map(|change| {
            let label = |value: &FieldValue| {
                single_edit::value_label(value, |id| name_in(all, change.field, id))
            };
            let name = change.field.label();
            let mut title = name.to_string();
            if let Some(first) = title.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            view! {
                <tr data-field=name>
                    <th scope="row">{title}</th>
                    <td>{label(&change.before)}</td>
                    <td>{label(&change.after)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table data-testid="edit-changes">
            <thead><tr><th scope="col">"Setting"</th><th scope="col">"Current"</th><th scope="col">"New"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The selects (names shown, ids sent), the team checkboxes and the flag.
fn edit_fields(all: Choices, wanted: RwSignal<UserSettings>) -> AnyView {
    let current = wanted.get_untracked();
    let mut parts = Vec::new();
    for (field, records) in all {
        if field == Field::Teams {
            let boxes = records
                .into_iter()
                .map(|team| {
                    let id = team.id.clone();
                    let checked = current.team_ids.contains(&team.id);
                    view! {
                        <label>
                            <input type="checkbox" value=team.id.clone() checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let id = id.clone();
                                wanted.update(|w| {
                                    w.team_ids.retain(|t| *t != id);
                                    if on { w.team_ids.push(id); }
                                });
                            } />
                            " " {team.name}
                        </label>
                    }
                })
                .collect_view();
            parts.push(
                view! { <fieldset class="edit-teams"><legend>"Teams"</legend>{boxes}</fieldset> }
                    .into_any(),
            );
            continue;
        }
        let selected = match current.get(field) {
            FieldValue::Id(id) => id,
            _ => None,
        };
        let testid = format!("edit-{}", field.json_name());
        let name = field.label();
        let mut title = name.to_string();
        if let Some(first) = title.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let options = records
            .into_iter()
            .map(|r| {
                let is = selected.as_deref() == Some(r.id.as_str());
                view! { <option value=r.id selected=is>{r.name}</option> }
            })
            .collect_view();
        parts.push(
            view! {
                <label class="field">
                    {title}
                    <select data-testid=testid on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let id = (!value.is_empty()).then_some(value);
                        wanted.update(|w| match field {
                            Field::Site => w.site_id = id,
                            Field::SkillProfile => w.skill_profile_id = id,
                            Field::DesktopProfile => w.agent_profile_id = id,
                            _ => w.multimedia_profile_id = id,
                        });
                    }>
                        <option value="" selected=selected.is_none()>"(not set)"</option>
                        {options}
                    </select>
                </label>
            }
            .into_any(),
        );
    }
    let enabled = current.contact_center_enabled == Some(true);
    parts.push(view! {
        <label>
            <input type="checkbox" data-testid="edit-contactCenterEnabled" checked=enabled
                on:change=move |ev| { let on = event_target_checked(&ev); wanted.update(|w| w.contact_center_enabled = Some(on)); } />
            " Contact Center enabled"
        </label>
    }.into_any());
    parts.collect_view().into_any()
}

async fn load_choices(ctx: Ctx) -> Result<Choices, ApiError> {
    let org = api::org_id(ctx)?;
    let mut all = Vec::new();
    for (field, list) in LISTS {
        let mut records = Vec::new();
        for number in 0..MAX_PAGES {
            let path = format!("/organization/{org}/{list}?page={number}&pageSize={PAGE_SIZE}");
            let answer = api::get_with(ctx, &path, Call::BACKGROUND).await?;
            let page = ListPage::from_value(&answer.json);
            let count = page.data.len();
            records.extend(page.data.iter().filter_map(NamedRecord::from_value));
            if count < PAGE_SIZE as usize || number + 1 >= page.meta.total_pages.unwrap_or(0) {
                break;
            }
        }
        records.sort_by_key(|r| r.name.to_lowercase());
        all.push((field, records));
    }
    Ok(all)
}

/// The record `id` of the list `api` (`v2/user`, `v2/team`) as it now stands, asked of the API
/// (never a kept answer): what every edit checks before it writes and reads back after.
pub(super) async fn read_record(ctx: Ctx, org: &str, api: &str, id: &str) -> Option<Value> {
    let q = wxcc_core::list_query::ListQuery {
        filter: Some(wxcc_core::rsql::Filter::eq("id", id.to_string()).to_rsql()),
        page_size: 1,
        ..Default::default()
    };
    let path = format!("/organization/{org}/{api}?{}", q.to_query_string());
    let answer = api::get_with(ctx, &path, Call::default().refreshed())
        .await
        .ok()?;
    answer.json["data"].get(0).cloned()
}

/// The user as it now stands.
async fn read_back(ctx: Ctx, org: &str, id: &str) -> Option<DirectoryUser> {
    DirectoryUser::from_value(&read_record(ctx, org, "v2/user", id).await?)
}

async fn save_edit(ctx: Ctx, before: DirectoryUser, list: Vec<EditChange>) -> Stage {
    let org = match api::org_id(ctx) {
        Ok(org) => org,
        Err(error) => return failed(error.message, false),
    };
    // Never overwrite a later change, whatever the API does with a stale version (a knob in the
    // sandbox, unknown at Webex): the write goes only onto the version the form started from.
    if let Some(now) = read_back(ctx, &org, &before.id).await
        && single_edit::moved_since(before.version, now.version)
    {
        return stale(&before, &now, "Nothing was written");
    }
    let body = single_edit::patch_body(&before.id, before.version, &list);
    let path = format!("/organization/{org}/user/{}", before.id);
    let answer = api::write(ctx, "PATCH", &path, body, Priority::Foreground).await;
    let now = read_back(ctx, &org, &before.id).await;
    let read = now.as_ref().map(|n| ReadBack {
        holds: list
            .iter()
            .all(|c| n.settings.get(c.field).same_as(&c.after)),
        moved: single_edit::moved_since(before.version, n.version),
    });
    let status = match &answer {
        Ok(a) => a.status,
        Err(_) => 0,
    };
    let what = match &answer {
        Ok(a) => format!("HTTP {}{}", a.status, reason(&a.body)),
        Err(error) => error.title(),
    };
    let settled = single_edit::settle(status, read);
    match (settled, now) {
        (Settled::Saved | Settled::SavedDespiteAnswer, None) => {
            Stage::Saved("Saved. The user could not be read back: reload to see it.".into())
        }
        (Settled::Saved | Settled::SavedDespiteAnswer, Some(now)) => {
            let journal = single_edit::journal_of(&before, &list, &now);
            let kept =
                crate::browser::storage::set(super::provision::JOURNAL_KEY, &journal.to_json());
            let undo = match kept {
                Ok(()) => "Its previous values are the Provision page's last run: \"Undo the last run\" there reverts it.".to_string(),
                Err(problem) => format!("Its previous values could not be kept ({problem}); note them before leaving."),
            };
            let unknown = if settled == Settled::Saved {
                String::new()
            } else {
                format!(
                    "The API answered {what}, but reading the user back shows the change in place. "
                )
            };
            Stage::Saved(format!(
                "{unknown}Saved {}; the user is now at version {}. {undo}",
                single_edit::save_label(list.len())
                    .trim_start_matches("Save ")
                    .to_owned(),
                now.version
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "—".into())
            ))
        }
        (Settled::Unknown, _) => failed(
            format!(
                "The API answered {what} and the user could not be read back: the outcome is unknown. Reload the user to see whether the change is in place."
            ),
            false,
        ),
        (Settled::NotSaved, _) => failed(
            format!(
                "The API answered {what}; reading the user back shows the change was not saved. Try again later."
            ),
            false,
        ),
        (Settled::Stale, Some(now)) => stale(
            &before,
            &now,
            &format!("The API refused the write ({what}); nothing was written"),
        ),
        (Settled::Stale | Settled::Refused, _) => failed(
            format!(
                "The API refused the edit ({what}). Nothing was written; change the values and try again."
            ),
            false,
        ),
    }
}

fn stale(before: &DirectoryUser, now: &DirectoryUser, outcome: &str) -> Stage {
    failed(
        format!(
            "This user changed since you opened Edit (version {} then, {} now). {outcome}. Reload the user and edit the current values.",
            before.version.unwrap_or_default(),
            now.version.unwrap_or_default()
        ),
        true,
    )
}

fn failed(message: String, stale: bool) -> Stage {
    Stage::Failed { message, stale }
}

/// ": <the API's message>" from an error body, when it has one.
pub(super) fn reason(body: &str) -> String {
    let Ok(json) = wxcc_core::json::parse(body) else {
        return String::new();
    };
    let text = json["error"]["message"][0]["description"]
        .as_str()
        .or_else(|| json["message"].as_str())
        .or_else(|| json["error"]["message"].as_str());
    text.map(|t| format!(": {t}")).unwrap_or_default()
}
