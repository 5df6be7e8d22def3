//! Resolving rows against the organisation: each kind of row error with its line and column, names
//! matched case-insensitively, and teams to create on request.

mod provision_common;

use provision_common::{HEADER, resolve_text};
use wxcc_core::provision::directory::RecordKind;
use wxcc_core::provision::resolve::{ResolveOptions, TeamToCreate};
use wxcc_core::provision::row_error::{RowError, RowErrorKind};
use wxcc_core::provision::settings::{Field, FieldValue};
use wxcc_core::provision::template::Column;

const STRICT: ResolveOptions = ResolveOptions {
    create_missing_teams: false,
};
const CREATE: ResolveOptions = ResolveOptions {
    create_missing_teams: true,
};

/// (line, column number, kind) of each error, for compact assertions.
fn errors(errors: &[RowError]) -> Vec<(usize, Option<usize>, RowErrorKind)> {
    errors
        .iter()
        .map(|e| (e.line, e.column_number, e.kind.clone()))
        .collect()
}

#[test]
fn names_and_emails_resolve_case_insensitively_after_trimming() {
    let text = format!(
        "{HEADER}\n  ANN@example.COM , sales| SUPPORT ,main SITE,standard skills,AGENT DESKTOP,voice and chat,yes\n"
    );
    let resolution = resolve_text(&text, STRICT);
    assert!(resolution.errors.is_empty(), "{:?}", resolution.errors);
    let row = &resolution.rows[0];
    assert_eq!((row.line, row.user.id.as_str()), (2, "u-ann"));
    let wanted: Vec<(Field, FieldValue)> = row
        .wanted
        .iter()
        .map(|w| (w.field, w.value.clone()))
        .collect();
    let id = |s: &str| FieldValue::Id(Some(s.to_owned()));
    assert_eq!(
        wanted,
        [
            (
                Field::Teams,
                FieldValue::Ids(vec!["t-sales".into(), "t-support".into()])
            ),
            (Field::Site, id("s-main")),
            (Field::SkillProfile, id("sp-std")),
            (Field::DesktopProfile, id("dp-agent")),
            (Field::MultimediaProfile, id("mm-voice")),
            (Field::ContactCenterEnabled, FieldValue::Flag(Some(true))),
        ]
    );
}

#[test]
fn every_kind_of_row_error_names_its_line_and_column() {
    let text = "email,teams,site,skill profile,Contact Center enabled\n\
        nobody@example.com,Sales,,,\n\
        ann@example.com,Sales|Nite,,,\n\
        bob@example.com,,Moon base,Gold,\n\
        cat@example.com,,,,perhaps\n\
        ,Sales,,,\n\
        twin@example.com,,,,\n\
        ANN@example.com,Support,,,\n\
        cat@example.com,Sales,,,,extra\n";
    let resolution = resolve_text(text, STRICT);
    assert!(resolution.rows.is_empty());
    let name = |kind, name: &str| RowErrorKind::UnknownName {
        kind,
        name: name.into(),
    };
    assert_eq!(
        errors(&resolution.errors),
        [
            (2, Some(1), RowErrorKind::UnknownEmail),
            (3, Some(2), name(RecordKind::Team, "Nite")),
            (4, Some(3), name(RecordKind::Site, "Moon base")),
            (
                4,
                Some(4),
                RowErrorKind::AmbiguousName {
                    kind: RecordKind::SkillProfile,
                    name: "Gold".into(),
                    ids: vec!["sp-gold1".into(), "sp-gold2".into()]
                }
            ),
            (
                5,
                Some(5),
                RowErrorKind::InvalidValue {
                    value: "perhaps".into(),
                    expected: "true, false, yes, no, 1 or 0"
                }
            ),
            (6, Some(1), RowErrorKind::EmptyEmail),
            (
                7,
                Some(1),
                RowErrorKind::AmbiguousEmail {
                    ids: vec!["u-twin1".into(), "u-twin2".into()]
                }
            ),
            (8, Some(1), RowErrorKind::DuplicateRow { first_line: 3 }),
            (9, Some(1), RowErrorKind::DuplicateRow { first_line: 5 }),
            (
                9,
                Some(6),
                RowErrorKind::TooManyCells {
                    cells: 6,
                    columns: 5
                }
            ),
        ]
    );
    let shown: Vec<String> = resolution.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown[0],
        "Line 2, column 1 (email): no user has the email \"nobody@example.com\""
    );
    assert_eq!(
        shown[1],
        "Line 3, column 2 (teams): no team is named \"Nite\""
    );
    assert_eq!(
        shown[3],
        "Line 4, column 4 (skill profile): 2 skill profiles are named \"Gold\" (ids sp-gold1, sp-gold2); rename one of them"
    );
    assert_eq!(
        shown[7],
        "Line 8, column 1 (email): \"ANN@example.com\" is already on line 3; only that row is used"
    );
    assert_eq!(
        shown[9],
        "Line 9, column 6: the row has 6 cells but the header 5 columns"
    );
    assert_eq!(resolution.errors[0].column, Some(Column::Email));
}

#[test]
fn a_team_name_shared_across_sites_is_taken_from_the_rows_site() {
    let text = "email,teams,site\n\
        ann@example.com,Night,\n\
        bob@example.com,Night,East\n\
        cat@example.com,Night,\n";
    let resolution = resolve_text(text, STRICT);
    // Ann's current site is Main; Bob's row names East; Cat has East as her current site.
    let teams: Vec<(usize, FieldValue)> = resolution
        .rows
        .iter()
        .map(|r| (r.line, r.wanted[0].value.clone()))
        .collect();
    assert_eq!(
        teams,
        [
            (2, FieldValue::Ids(vec!["t-night-main".into()])),
            (3, FieldValue::Ids(vec!["t-night-east".into()])),
            (4, FieldValue::Ids(vec!["t-night-east".into()])),
        ]
    );

    // Bob has no site and the row names none: the name stays ambiguous.
    let resolution = resolve_text("email,teams\nbob@example.com,night\n", STRICT);
    assert_eq!(
        errors(&resolution.errors),
        [(
            2,
            Some(2),
            RowErrorKind::AmbiguousName {
                kind: RecordKind::Team,
                name: "night".into(),
                ids: vec!["t-night-main".into(), "t-night-east".into()]
            }
        )]
    );
}

#[test]
fn formula_like_team_names_resolve_as_names() {
    let resolution = resolve_text("email,teams\nann@example.com,=SUM(A1)\n", STRICT);
    assert_eq!(
        resolution.rows[0].wanted[0].value,
        FieldValue::Ids(vec!["t-formula".into()])
    );
}

#[test]
fn missing_teams_are_created_once_in_the_rows_site_when_asked() {
    let text = "email,teams,site\n\
        ann@example.com,Sales|Night shift,\n\
        bob@example.com,night SHIFT,Main site\n\
        cat@example.com,Night shift|Weekend,\n\
        nobody@example.com,Never made,Main site\n";
    let resolution = resolve_text(text, CREATE);
    // Ann: her site (Main); Bob: the row's (Main), same team; Cat: her site (East), another one.
    // The row with an unknown email creates nothing.
    assert_eq!(
        resolution.teams_to_create,
        [
            TeamToCreate {
                name: "Night shift".into(),
                site_id: "s-main".into(),
                first_line: 2
            },
            TeamToCreate {
                name: "Night shift".into(),
                site_id: "s-east".into(),
                first_line: 4
            },
            TeamToCreate {
                name: "Weekend".into(),
                site_id: "s-east".into(),
                first_line: 4
            },
        ]
    );
    let needs: Vec<(usize, Vec<usize>, FieldValue)> = resolution
        .rows
        .iter()
        .map(|r| {
            let teams = &r.wanted[0];
            (r.line, teams.teams_to_create.clone(), teams.value.clone())
        })
        .collect();
    assert_eq!(
        needs,
        [
            (2, vec![0], FieldValue::Ids(vec!["t-sales".into()])),
            (3, vec![0], FieldValue::Ids(vec![])),
            (4, vec![1, 2], FieldValue::Ids(vec![])),
        ]
    );
    assert_eq!(
        errors(&resolution.errors),
        [(5, Some(1), RowErrorKind::UnknownEmail)]
    );
}

#[test]
fn a_team_to_create_without_any_site_is_an_error() {
    let resolution = resolve_text("email,teams\nbob@example.com,Brand new\n", CREATE);
    assert!(resolution.teams_to_create.is_empty());
    assert_eq!(
        errors(&resolution.errors),
        [(
            2,
            Some(2),
            RowErrorKind::NoSiteForNewTeam {
                team: "Brand new".into()
            }
        )]
    );
    assert!(
        resolution.errors[0]
            .to_string()
            .contains("fill in the site column")
    );

    // When the row's site is itself unknown, that is the one error.
    let resolution = resolve_text("email,teams,site\nbob@example.com,Brand new,Moon\n", CREATE);
    assert_eq!(
        errors(&resolution.errors),
        [(
            2,
            Some(3),
            RowErrorKind::UnknownName {
                kind: RecordKind::Site,
                name: "Moon".into()
            }
        )]
    );
}
