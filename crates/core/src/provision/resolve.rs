//! Rows of names become rows of ids: the email names the user, each name a team, site or profile.
//! Every row that cannot be resolved gets its errors, with line and column; the others are ready
//! for the diff.
//!
//! Rules:
//! - A row whose email was on an earlier row is a duplicate: the first row is used, the later one
//!   is an error naming the first's line (even when the first has errors of its own: the file
//!   says two things about one user, and the person should choose).
//! - A name shared by several records is ambiguous, except for a team name shared by teams of
//!   different sites (which the API allows): the team of the row's site is taken when exactly
//!   one of them is there. The row's site is the site cell's, or else the user's current site.
//! - With [`ResolveOptions::create_missing_teams`], a team name no team has becomes a team to
//!   create instead of an error. It is created in the row's site (as above), since a team must
//!   have one; a row with no site at all is an error. Each name and site is created once however
//!   many rows name it, and only for rows without errors (a team nobody will join is not made).

use std::collections::HashMap;

use super::directory::{
    Directory, DirectoryUser, Index, Lookup, NamedRecord, RecordKind, match_key,
};
use super::row_error::{RowError, RowErrorKind};
use super::settings::{Field, FieldValue};
use super::template::{CellValue, Column, Row, Upload};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResolveOptions {
    /// Unknown team names become teams to create rather than errors (opt-in: a typo would
    /// otherwise make a team).
    pub create_missing_teams: bool,
}

/// A team no team is named after, to be created before the users are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamToCreate {
    /// As the first row wrote it.
    pub name: String,
    pub site_id: String,
    /// The first row that needs it.
    pub first_line: usize,
}

/// A setting a row asks for, in ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedSetting {
    pub field: Field,
    /// For teams, the existing teams only; `teams_to_create` adds the others.
    pub value: FieldValue,
    /// Indexes into [`Resolution::teams_to_create`].
    pub teams_to_create: Vec<usize>,
}

/// A row ready for the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRow {
    pub line: usize,
    pub user: DirectoryUser,
    pub wanted: Vec<WantedSetting>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    pub rows: Vec<ResolvedRow>,
    /// Every row error, by line then column.
    pub errors: Vec<RowError>,
    pub teams_to_create: Vec<TeamToCreate>,
}

struct Indexes<'a> {
    users: Index<'a, DirectoryUser>,
    by_kind: HashMap<RecordKind, Index<'a, NamedRecord>>,
}

impl<'a> Indexes<'a> {
    fn new(directory: &'a Directory) -> Indexes<'a> {
        let kinds = [
            RecordKind::Team,
            RecordKind::Site,
            RecordKind::SkillProfile,
            RecordKind::DesktopProfile,
            RecordKind::MultimediaProfile,
        ];
        Indexes {
            users: Index::new(&directory.users, |u| &u.email),
            by_kind: kinds
                .into_iter()
                .map(|kind| (kind, Index::new(directory.records(kind), |r| &r.name)))
                .collect(),
        }
    }

    fn named(&self, kind: RecordKind, name: &str) -> Lookup<'a, NamedRecord> {
        self.by_kind[&kind].get(name)
    }
}

/// A team the row needs that does not exist yet: (name as written, site id).
type PendingTeam = (String, String);

/// Resolves every row of an upload against the directory.
pub fn resolve(upload: &Upload, directory: &Directory, options: ResolveOptions) -> Resolution {
    let indexes = Indexes::new(directory);
    let mut first_line_of_email: HashMap<String, usize> = HashMap::new();
    let mut new_team_index: HashMap<(String, String), usize> = HashMap::new();
    let mut resolution = Resolution::default();
    for row in &upload.rows {
        let mut errors = row.errors.clone();
        if !row.email.is_empty() {
            let key = match_key(&row.email);
            if let Some(&first_line) = first_line_of_email.get(&key) {
                errors.push(email_error(row, RowErrorKind::DuplicateRow { first_line }));
                resolution.errors.extend(errors);
                continue;
            }
            first_line_of_email.insert(key, row.line);
        }
        let user = if errors.iter().any(|e| e.column == Some(Column::Email)) {
            None
        } else {
            find_user(row, &indexes, &mut errors)
        };
        let (wanted, pending) = resolve_cells(row, user, &indexes, options, &mut errors);
        match user {
            Some(user) if errors.is_empty() => {
                let wanted = register_new_teams(
                    wanted,
                    pending,
                    row.line,
                    &mut new_team_index,
                    &mut resolution.teams_to_create,
                );
                resolution.rows.push(ResolvedRow {
                    line: row.line,
                    user: user.clone(),
                    wanted,
                });
            }
            _ => resolution.errors.extend(errors),
        }
    }
    resolution
        .errors
        .sort_by_key(|e| (e.line, e.column_number.unwrap_or(0)));
    resolution
}

fn email_error(row: &Row, kind: RowErrorKind) -> RowError {
    RowError {
        line: row.line,
        email: row.email.clone(),
        column_number: Some(row.email_column),
        column: Some(Column::Email),
        kind,
    }
}

/// The user of the row's email, or an error saying why there is none.
fn find_user<'a>(
    row: &Row,
    indexes: &Indexes<'a>,
    errors: &mut Vec<RowError>,
) -> Option<&'a DirectoryUser> {
    match indexes.users.get(&row.email) {
        Lookup::Found(user) => Some(user),
        Lookup::Missing => {
            errors.push(email_error(row, RowErrorKind::UnknownEmail));
            None
        }
        Lookup::Ambiguous(users) => {
            let ids = users.iter().map(|u| u.id.clone()).collect();
            errors.push(email_error(row, RowErrorKind::AmbiguousEmail { ids }));
            None
        }
    }
}

/// The site a row's teams are looked up and created in.
enum TeamSite {
    Known(String),
    /// Neither the row nor the user names one.
    Missing,
    /// The row's site cell has an error of its own.
    Failed,
}

fn cell_error(row: &Row, column_number: usize, field: Field, kind: RowErrorKind) -> RowError {
    RowError {
        line: row.line,
        email: row.email.clone(),
        column_number: Some(column_number),
        column: Some(Column::Setting(field)),
        kind,
    }
}

/// The row's cells in ids, and the teams it needs created.
fn resolve_cells(
    row: &Row,
    user: Option<&DirectoryUser>,
    indexes: &Indexes,
    options: ResolveOptions,
    errors: &mut Vec<RowError>,
) -> (Vec<WantedSetting>, Vec<PendingTeam>) {
    let mut wanted = Vec::new();
    // The row's site, else the user's current one.
    let mut site = match user.and_then(|u| u.settings.site_id.clone()) {
        Some(id) => TeamSite::Known(id),
        None => TeamSite::Missing,
    };
    for cell in row.cells.iter().filter(|c| c.field != Field::Teams) {
        let value = match (&cell.value, RecordKind::of(cell.field)) {
            (CellValue::Flag(flag), _) => FieldValue::Flag(Some(*flag)),
            (CellValue::Name(name), Some(kind)) => match find_named(indexes, kind, name) {
                Ok(record) => FieldValue::Id(Some(record.id.clone())),
                Err(kind) => {
                    errors.push(cell_error(row, cell.column_number, cell.field, kind));
                    if cell.field == Field::Site {
                        site = TeamSite::Failed;
                    }
                    continue;
                }
            },
            // Only the teams cell holds a list, and it is read below.
            _ => continue,
        };
        if let (Field::Site, FieldValue::Id(Some(id))) = (cell.field, &value) {
            site = TeamSite::Known(id.clone());
        }
        wanted.push(WantedSetting {
            field: cell.field,
            value,
            teams_to_create: Vec::new(),
        });
    }
    let mut pending = Vec::new();
    for cell in &row.cells {
        let CellValue::Names(names) = &cell.value else {
            continue;
        };
        let mut ids: Vec<String> = Vec::new();
        for name in names {
            match find_team(indexes, name, &site) {
                Ok(team) if !ids.contains(&team.id) => ids.push(team.id.clone()),
                Ok(_) => {}
                Err(RowErrorKind::UnknownName { .. }) if options.create_missing_teams => {
                    match &site {
                        TeamSite::Known(site) => {
                            let key = (name.clone(), site.clone());
                            if !pending.iter().any(|p| same_team(p, &key)) {
                                pending.push(key);
                            }
                        }
                        TeamSite::Missing => {
                            let kind = RowErrorKind::NoSiteForNewTeam { team: name.clone() };
                            errors.push(cell_error(row, cell.column_number, Field::Teams, kind));
                        }
                        // The site cell's own error says enough.
                        TeamSite::Failed => {}
                    }
                }
                Err(kind) => errors.push(cell_error(row, cell.column_number, Field::Teams, kind)),
            }
        }
        wanted.insert(
            0,
            WantedSetting {
                field: Field::Teams,
                value: FieldValue::Ids(ids),
                teams_to_create: Vec::new(),
            },
        );
    }
    (wanted, pending)
}

/// The one record of `kind` named `name`, or why there is not one.
fn find_named<'a>(
    indexes: &Indexes<'a>,
    kind: RecordKind,
    name: &str,
) -> Result<&'a NamedRecord, RowErrorKind> {
    match indexes.named(kind, name) {
        Lookup::Found(record) => Ok(record),
        Lookup::Missing => Err(RowErrorKind::UnknownName {
            kind,
            name: name.to_owned(),
        }),
        Lookup::Ambiguous(records) => Err(RowErrorKind::AmbiguousName {
            kind,
            name: name.to_owned(),
            ids: records.iter().map(|r| r.id.clone()).collect(),
        }),
    }
}

/// As [`find_named`], except that of teams sharing the name, the one in `site` is taken.
fn find_team<'a>(
    indexes: &Indexes<'a>,
    name: &str,
    site: &TeamSite,
) -> Result<&'a NamedRecord, RowErrorKind> {
    let error = match find_named(indexes, RecordKind::Team, name) {
        Ok(team) => return Ok(team),
        Err(error) => error,
    };
    let (Lookup::Ambiguous(teams), TeamSite::Known(site)) =
        (indexes.named(RecordKind::Team, name), site)
    else {
        return Err(error);
    };
    match teams
        .iter()
        .filter(|t| t.site_id.as_deref() == Some(site.as_str()))
        .collect::<Vec<_>>()
        .as_slice()
    {
        [team] => Ok(team),
        _ => Err(error),
    }
}

fn same_team(a: &PendingTeam, b: &PendingTeam) -> bool {
    match_key(&a.0) == match_key(&b.0) && a.1 == b.1
}

/// Adds the row's new teams to the run's list (once each) and points its teams setting at them.
fn register_new_teams(
    mut wanted: Vec<WantedSetting>,
    pending: Vec<PendingTeam>,
    line: usize,
    index: &mut HashMap<(String, String), usize>,
    teams_to_create: &mut Vec<TeamToCreate>,
) -> Vec<WantedSetting> {
    let Some(teams) = wanted.iter_mut().find(|w| w.field == Field::Teams) else {
        return wanted;
    };
    for (name, site_id) in pending {
        let at = *index
            .entry((match_key(&name), site_id.clone()))
            .or_insert_with(|| {
                teams_to_create.push(TeamToCreate {
                    name,
                    site_id,
                    first_line: line,
                });
                teams_to_create.len() - 1
            });
        teams.teams_to_create.push(at);
    }
    wanted
}
