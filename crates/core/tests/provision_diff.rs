//! The preview: field by field, current → new in names; unchanged users marked and skipped; the
//! summary's counts.

mod provision_common;

use provision_common::{directory, resolve_text};
use wxcc_core::provision::diff::{NOT_SET, Preview, Summary, preview};
use wxcc_core::provision::resolve::ResolveOptions;
use wxcc_core::provision::settings::{Field, FieldValue};

fn preview_of(text: &str, options: ResolveOptions) -> Preview {
    preview(&resolve_text(text, options), &directory())
}

/// (field, before label, after label) of a user's changes.
fn shown(preview: &Preview, email: &str) -> Vec<(Field, String, String)> {
    preview
        .changed
        .iter()
        .find(|d| d.email == email)
        .unwrap_or_else(|| panic!("{email} is changed"))
        .changes
        .iter()
        .map(|c| (c.field, c.before_label.clone(), c.after_label.clone()))
        .collect()
}

#[test]
fn each_changed_field_shows_current_and_new_in_names() {
    let text = "email,Contact Center enabled,desktop profile,teams,site,skill profile,multimedia profile\n\
        bob@example.com,yes,Supervisor desktop,Sales|Support,East,Standard skills,Everything\n";
    let preview = preview_of(text, ResolveOptions::default());
    // In the template's field order, whatever the file's column order.
    assert_eq!(
        shown(&preview, "bob@example.com"),
        [
            (
                Field::Teams,
                NOT_SET.to_owned(),
                "Sales, Support".to_owned()
            ),
            (Field::Site, NOT_SET.to_owned(), "East".to_owned()),
            (
                Field::SkillProfile,
                NOT_SET.to_owned(),
                "Standard skills".to_owned()
            ),
            (
                Field::DesktopProfile,
                NOT_SET.to_owned(),
                "Supervisor desktop".to_owned()
            ),
            (
                Field::MultimediaProfile,
                NOT_SET.to_owned(),
                "Everything".to_owned()
            ),
            (
                Field::ContactCenterEnabled,
                "no".to_owned(),
                "yes".to_owned()
            ),
        ]
    );
    let diff = &preview.changed[0];
    assert_eq!((diff.row, diff.user_id.as_str()), (2, "u-bob"));
    assert_eq!(
        (diff.version, diff.last_updated_time),
        (Some(1), Some(1_739_000_000_000))
    );
    assert_eq!(diff.changes[1].before, FieldValue::Id(None));
    assert_eq!(diff.changes[1].after, FieldValue::Id(Some("s-east".into())));
}

#[test]
fn only_the_fields_that_differ_are_changes() {
    // Ann has Sales, Main site, Standard skills, Agent desktop: only the multimedia profile moves.
    let text = "email,teams,site,skill profile,desktop profile,multimedia profile\n\
        ann@example.com,Sales,Main site,Standard skills,Agent desktop,Everything\n";
    let preview = preview_of(text, ResolveOptions::default());
    assert_eq!(
        shown(&preview, "Ann@Example.com"),
        [(
            Field::MultimediaProfile,
            "Voice and chat".to_owned(),
            "Everything".to_owned()
        )]
    );
}

#[test]
fn a_row_that_asks_for_what_the_user_has_is_unchanged_and_skipped() {
    let text = "email,teams,site,Contact Center enabled\n\
        ann@example.com,Sales,main site,TRUE\n\
        cat@example.com,Support|support,,1\n\
        bob@example.com,,,\n";
    let preview = preview_of(text, ResolveOptions::default());
    assert!(preview.changed.is_empty());
    let unchanged: Vec<(usize, &str)> = preview
        .unchanged
        .iter()
        .map(|d| (d.row, d.email.as_str()))
        .collect();
    // Bob's row is all blank cells: it asks for nothing, so nothing changes.
    assert_eq!(
        unchanged,
        [
            (2, "Ann@Example.com"),
            (3, "cat@example.com"),
            (4, "bob@example.com")
        ]
    );
    assert!(preview.unchanged.iter().all(|d| d.is_unchanged()));
}

#[test]
fn team_lists_compare_as_sets_and_new_teams_are_marked() {
    let text = "email,teams\n\
        cat@example.com,Support\n\
        ann@example.com,Support|Sales\n\
        bob@example.com,Night shift\n";
    let preview = preview_of(
        text,
        ResolveOptions {
            create_missing_teams: false,
        },
    );
    assert_eq!(
        shown(&preview, "Ann@Example.com"),
        [(
            Field::Teams,
            "Sales".to_owned(),
            "Support, Sales".to_owned()
        )]
    );
    assert_eq!(preview.unchanged.len(), 1);
    assert_eq!(
        preview.errors.len(),
        1,
        "Night shift is unknown without the option"
    );

    let text = "email,teams\nann@example.com,Sales|Night shift\n";
    let preview = preview_of(
        text,
        ResolveOptions {
            create_missing_teams: true,
        },
    );
    let change = &preview.changed[0].changes[0];
    assert_eq!(change.after_label, "Sales, Night shift (new)");
    assert_eq!(change.after, FieldValue::Ids(vec!["t-sales".into()]));
    assert_eq!(change.teams_to_create, [0]);
}

#[test]
fn the_summary_counts_users_errors_teams_and_field_changes() {
    let text = "email,teams,site\n\
        ann@example.com,Sales|New one,East\n\
        bob@example.com,Support,\n\
        cat@example.com,Support,\n\
        nobody@example.com,Nope|Sales,Moon\n\
        ,Sales,\n";
    let preview = preview_of(
        text,
        ResolveOptions {
            create_missing_teams: true,
        },
    );
    assert_eq!(
        preview.summary,
        Summary {
            // Ann: teams and site; Bob: teams.
            users_changed: 2,
            users_unchanged: 1,
            // Nobody: unknown email and unknown site; the blank email.
            rows_with_errors: 2,
            errors: 3,
            teams_to_create: 1,
            field_changes: 3,
        }
    );
}

#[test]
fn a_user_written_since_the_preview_is_told_apart() {
    let preview = preview_of(
        "email,site\nbob@example.com,East\n",
        ResolveOptions::default(),
    );
    let diff = &preview.changed[0];
    let mut now = directory().users[1].clone();
    assert!(!diff.changed_since_preview(&now));
    now.version = Some(2);
    assert!(diff.changed_since_preview(&now));
    now.version = Some(1);
    now.last_updated_time = Some(1_739_000_000_001);
    assert!(diff.changed_since_preview(&now));
    // Unknown on one side cannot tell.
    now.version = None;
    now.last_updated_time = None;
    assert!(!diff.changed_since_preview(&now));
}
