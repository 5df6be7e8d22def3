//! The journal of applied writes (recorded from outcomes, round trip through JSON) and the undo
//! planned from it, which skips every user changed since rather than overwrite it.

mod provision_common;

use provision_common::{directory, resolve_text};
use wxcc_core::provision::batches::plan_writes;
use wxcc_core::provision::bulk_answer::{Outcome, RowOutcome};
use wxcc_core::provision::diff::preview;
use wxcc_core::provision::directory::Directory;
use wxcc_core::provision::journal::{CreatedTeam, Journal, JournalError};
use wxcc_core::provision::resolve::ResolveOptions;
use wxcc_core::provision::settings::{Field, FieldValue, Setting};
use wxcc_core::provision::undo::undo_plan;

/// Applies a file to the fixture as the API would (every item done, versions moved by one) and
/// returns the journal, with the read-back recorded, and the organisation after the writes.
fn apply(text: &str) -> (Journal, Directory) {
    let mut directory = directory();
    let preview = preview(&resolve_text(text, ResolveOptions::default()), &directory);
    let plan = plan_writes(&preview.changed, &[], &[]);
    let mut journal = Journal::default();
    for batch in &plan.batches {
        let outcomes: Vec<RowOutcome> = batch
            .items
            .iter()
            .map(|item| RowOutcome {
                row: item.row,
                user_id: item.user_id.clone(),
                email: item.email.clone(),
                outcome: Outcome::Done,
            })
            .collect();
        journal.record_done(batch, &outcomes);
        for item in &batch.items {
            let user = directory
                .users
                .iter_mut()
                .find(|u| u.id == item.user_id)
                .unwrap();
            for setting in &item.written {
                set(user, setting);
            }
            user.version = user.version.map(|v| v + 1);
            user.last_updated_time = user.last_updated_time.map(|t| t + 1_000);
            assert!(journal.record_read_back(user));
        }
    }
    (journal, directory)
}

fn set(user: &mut wxcc_core::provision::directory::DirectoryUser, setting: &Setting) {
    let s = &mut user.settings;
    match (&setting.field, &setting.value) {
        (Field::Teams, FieldValue::Ids(ids)) => s.team_ids = ids.clone(),
        (Field::Site, FieldValue::Id(id)) => s.site_id = id.clone(),
        (Field::SkillProfile, FieldValue::Id(id)) => s.skill_profile_id = id.clone(),
        (Field::DesktopProfile, FieldValue::Id(id)) => s.agent_profile_id = id.clone(),
        (Field::MultimediaProfile, FieldValue::Id(id)) => s.multimedia_profile_id = id.clone(),
        (Field::ContactCenterEnabled, FieldValue::Flag(f)) => s.contact_center_enabled = *f,
        other => panic!("not a value of its field: {other:?}"),
    }
}

const FILE: &str = "email,teams,site,skill profile\n\
    ann@example.com,Support,East,\n\
    bob@example.com,Sales,Main site,Gold\n\
    bob@example.com,,,\n\
    cat@example.com,Sales,,Standard skills\n";

#[test]
fn only_done_items_are_journaled_with_the_values_they_replaced() {
    let directory = directory();
    let preview = preview(
        &resolve_text(
            "email,site\nann@example.com,East\ncat@example.com,Main site\n",
            ResolveOptions::default(),
        ),
        &directory,
    );
    let plan = plan_writes(&preview.changed, &[], &[]);
    let batch = &plan.batches[0];
    let outcomes = [
        RowOutcome {
            row: 2,
            user_id: "u-ann".into(),
            email: "Ann@Example.com".into(),
            outcome: Outcome::Done,
        },
        RowOutcome {
            row: 3,
            user_id: "u-cat".into(),
            email: "cat@example.com".into(),
            outcome: Outcome::Failed {
                reason: "no".into(),
            },
        },
    ];
    let mut journal = Journal::default();
    journal.record_done(batch, &outcomes);
    assert_eq!(journal.entries.len(), 1);
    let entry = &journal.entries[0];
    assert_eq!(
        (entry.user_id.as_str(), entry.version_before),
        ("u-ann", Some(3))
    );
    assert_eq!(
        entry.before,
        [Setting {
            field: Field::Site,
            value: FieldValue::Id(Some("s-main".into()))
        }]
    );
    assert_eq!(
        entry.written,
        [Setting {
            field: Field::Site,
            value: FieldValue::Id(Some("s-east".into()))
        }]
    );
    assert_eq!(
        (entry.version_after, entry.last_updated_time_after),
        (None, None)
    );
}

#[test]
fn the_journal_reads_back_from_its_json_as_it_was() {
    let (mut journal, _) = apply(FILE);
    journal.created_teams.push(CreatedTeam {
        id: "t-new".into(),
        name: "Night \"owls\"".into(),
        site_id: "s-main".into(),
    });
    // A value that was not set before is kept as null, not lost.
    assert!(
        journal
            .entries
            .iter()
            .any(|e| e.before.iter().any(|s| s.value == FieldValue::Id(None)))
    );
    let text = journal.to_json();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["kind"], "wxcc-console provisioning journal");
    assert_eq!(
        value["entries"][0]["before"]["teamIds"],
        serde_json::json!(["t-sales"])
    );
    assert_eq!(Journal::from_json(&text), Ok(journal));
}

#[test]
fn a_file_that_is_not_a_journal_is_refused_with_the_reason() {
    assert!(matches!(
        Journal::from_json("{"),
        Err(JournalError::NotJson(_))
    ));
    assert_eq!(
        Journal::from_json("{\"entries\": []}"),
        Err(JournalError::NotAJournal)
    );
    let newer = r#"{"kind": "wxcc-console provisioning journal", "formatVersion": 2, "entries": [], "createdTeams": []}"#;
    assert_eq!(
        Journal::from_json(newer),
        Err(JournalError::UnsupportedVersion(2))
    );
    let damaged = r#"{"kind": "wxcc-console provisioning journal", "formatVersion": 1, "createdTeams": [],
        "entries": [{"userId": "u1", "email": "a@b", "before": {"teamIds": "t1"}, "written": {}}]}"#;
    let error = Journal::from_json(damaged).unwrap_err();
    assert_eq!(error, JournalError::BadEntry(1));
    assert!(error.to_string().contains("Entry 1"));
}

/// A change as the preview shows it: field, before, after.
type Shown = (Field, String, String);

#[test]
fn the_undo_writes_the_previous_values_back() {
    let (journal, after) = apply(FILE);
    let plan = undo_plan(&journal, &after);
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    let reverse: Vec<(String, Vec<Shown>)> = plan
        .preview
        .changed
        .iter()
        .map(|d| {
            let changes = d
                .changes
                .iter()
                .map(|c| (c.field, c.before_label.clone(), c.after_label.clone()))
                .collect();
            (d.email.clone(), changes)
        })
        .collect();
    let change = |f, a: &str, b: &str| (f, a.to_owned(), b.to_owned());
    assert_eq!(
        reverse,
        [
            (
                "Ann@Example.com".to_owned(),
                vec![
                    change(Field::Teams, "Support", "Sales"),
                    change(Field::Site, "East", "Main site")
                ]
            ),
            (
                "cat@example.com".to_owned(),
                vec![
                    change(Field::Teams, "Sales", "Support"),
                    change(Field::SkillProfile, "Standard skills", "(none)")
                ]
            ),
        ]
    );
    // Applied like an upload, with the versions read now.
    let writes = plan_writes(&plan.preview.changed, &[], &[]);
    let items = &writes.batches[0].items;
    assert_eq!(items[0].version, Some(4));
    assert_eq!(
        items[1].written[1],
        Setting {
            field: Field::SkillProfile,
            value: FieldValue::Id(None)
        }
    );
    assert_eq!(plan.preview.summary.users_changed, 2);
}

#[test]
fn a_user_changed_since_the_write_is_skipped_never_overwritten() {
    let (journal, mut now) = apply(FILE);
    // Someone moved Ann's version (whatever they changed), and Cat's skill profile, with a
    // version the read-back did not see recorded.
    now.users[0].version = Some(9);
    let mut journal_without_read_back = journal.clone();
    journal_without_read_back.entries[1].version_after = None;
    journal_without_read_back.entries[1].last_updated_time_after = None;
    now.users[2].settings.skill_profile_id = Some("sp-gold1".into());
    now.users[2].version = Some(99);

    let plan = undo_plan(&journal_without_read_back, &now);
    assert!(plan.preview.changed.is_empty());
    let skipped: Vec<(usize, &str, &str)> = plan
        .skipped
        .iter()
        .map(|s| (s.entry, s.user_id.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                1,
                "u-ann",
                "changed since: its version was 4 after the write and is 9 now"
            ),
            (
                2,
                "u-cat",
                "changed since: its skill profile is Gold now, not Standard skills as written"
            ),
        ]
    );
}

#[test]
fn a_later_entry_of_the_same_user_and_a_deleted_user_are_skipped() {
    let (mut journal, mut now) = apply("email,site\nann@example.com,East\n");
    // Ann written twice: East, then back to Main site.
    let mut later = journal.entries[0].clone();
    later.before = later.written.clone();
    later.written = vec![Setting {
        field: Field::Site,
        value: FieldValue::Id(Some("s-main".into())),
    }];
    later.version_after = Some(5);
    journal.entries.push(later);
    let ann = now.users.iter_mut().find(|u| u.id == "u-ann").unwrap();
    ann.settings.site_id = Some("s-main".into());
    ann.version = Some(5);

    let plan = undo_plan(&journal, &now);
    assert_eq!(plan.skipped.len(), 1);
    assert_eq!(plan.skipped[0].entry, 1);
    assert_eq!(
        plan.skipped[0].reason,
        "entry 2 changes this user later and is undone instead"
    );
    assert_eq!(plan.preview.changed.len(), 1);
    assert_eq!(plan.preview.changed[0].row, 2);
    assert_eq!(plan.preview.changed[0].changes[0].after_label, "East");

    let mut gone = now.clone();
    gone.users.retain(|u| u.id != "u-ann");
    let plan = undo_plan(&journal, &gone);
    assert_eq!(plan.skipped[1].reason, "the user no longer exists");
}

#[test]
fn teams_a_run_created_are_left_in_place_and_listed() {
    let mut journal = Journal::default();
    journal.created_teams.push(CreatedTeam {
        id: "t-new".into(),
        name: "Night".into(),
        site_id: "s-main".into(),
    });
    let plan = undo_plan(&journal, &directory());
    assert_eq!(plan.teams_left_in_place, journal.created_teams);
}
