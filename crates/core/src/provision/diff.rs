//! The preview: per user, each setting that changes, current → new, with names to show; users
//! whose settings already are what the row asks are unchanged and not written.

use super::directory::{Directory, DirectoryUser, RecordKind};
use super::resolve::{Resolution, TeamToCreate, WantedSetting};
use super::row_error::RowError;
use super::settings::{Field, FieldValue};

/// One setting of one user that changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: Field,
    pub before: FieldValue,
    /// For teams, the existing teams; `teams_to_create` adds the others once they exist.
    pub after: FieldValue,
    /// Indexes into the run's teams to create ([`Preview::teams_to_create`]).
    pub teams_to_create: Vec<usize>,
    /// `before` and `after` in names, as the preview shows them.
    pub before_label: String,
    pub after_label: String,
}

/// What a write would do to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDiff {
    /// Where it comes from: the CSV line, or for an undo the journal entry's 1-based number.
    pub row: usize,
    pub user_id: String,
    pub email: String,
    /// The user's `version` and `lastUpdatedTime` when the preview was made.
    pub version: Option<u64>,
    pub last_updated_time: Option<u64>,
    /// In [`Field::ALL`] order; empty when the user is unchanged.
    pub changes: Vec<FieldChange>,
}

impl UserDiff {
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }

    /// The user as read now was written by someone since the preview: its `version` or
    /// `lastUpdatedTime` moved. What is not known on either side cannot tell, so counts as not
    /// moved; an unknown `version` with a known time still compares the time.
    pub fn changed_since_preview(&self, current: &DirectoryUser) -> bool {
        let moved = |then: Option<u64>, now: Option<u64>| matches!((then, now), (Some(a), Some(b)) if a != b);
        moved(self.version, current.version)
            || moved(self.last_updated_time, current.last_updated_time)
    }
}

/// What the preview's summary counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub users_changed: usize,
    pub users_unchanged: usize,
    /// Rows with at least one error (a row may have several).
    pub rows_with_errors: usize,
    pub errors: usize,
    pub teams_to_create: usize,
    /// Settings that change, over all changed users: what the confirmation states.
    pub field_changes: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// Users to write, in file order.
    pub changed: Vec<UserDiff>,
    /// Users whose row asks for what they have: marked, and skipped.
    pub unchanged: Vec<UserDiff>,
    pub errors: Vec<RowError>,
    pub teams_to_create: Vec<TeamToCreate>,
    pub summary: Summary,
}

/// The preview of a resolution.
pub fn preview(resolution: &Resolution, directory: &Directory) -> Preview {
    let mut preview = Preview {
        errors: resolution.errors.clone(),
        teams_to_create: resolution.teams_to_create.clone(),
        ..Preview::default()
    };
    for row in &resolution.rows {
        let diff = diff_user(
            row.line,
            &row.user,
            &row.wanted,
            directory,
            &resolution.teams_to_create,
        );
        if diff.is_unchanged() {
            preview.unchanged.push(diff);
        } else {
            preview.changed.push(diff);
        }
    }
    preview.summary = summarise(&preview);
    preview
}

pub(crate) fn summarise(preview: &Preview) -> Summary {
    let mut error_lines: Vec<usize> = preview.errors.iter().map(|e| e.line).collect();
    error_lines.dedup();
    Summary {
        users_changed: preview.changed.len(),
        users_unchanged: preview.unchanged.len(),
        rows_with_errors: error_lines.len(),
        errors: preview.errors.len(),
        teams_to_create: preview.teams_to_create.len(),
        field_changes: preview.changed.iter().map(|d| d.changes.len()).sum(),
    }
}

/// The changes `wanted` makes to `user`, in [`Field::ALL`] order.
pub(crate) fn diff_user(
    row: usize,
    user: &DirectoryUser,
    wanted: &[WantedSetting],
    directory: &Directory,
    teams_to_create: &[TeamToCreate],
) -> UserDiff {
    let mut changes = Vec::new();
    for field in Field::ALL {
        let Some(setting) = wanted.iter().find(|w| w.field == field) else {
            continue;
        };
        let before = user.settings.get(field);
        if setting.teams_to_create.is_empty() && before.same_as(&setting.value) {
            continue;
        }
        changes.push(FieldChange {
            field,
            before_label: label(field, &before, &[], directory, teams_to_create),
            after_label: label(
                field,
                &setting.value,
                &setting.teams_to_create,
                directory,
                teams_to_create,
            ),
            before,
            after: setting.value.clone(),
            teams_to_create: setting.teams_to_create.clone(),
        });
    }
    UserDiff {
        row,
        user_id: user.id.clone(),
        email: user.email.clone(),
        version: user.version,
        last_updated_time: user.last_updated_time,
        changes,
    }
}

/// Shown for a setting that is not set, or an empty team list.
pub const NOT_SET: &str = "(none)";

/// A value in names: an id no record has is shown as the id; new teams end in " (new)".
pub fn label(
    field: Field,
    value: &FieldValue,
    new_teams: &[usize],
    directory: &Directory,
    teams_to_create: &[TeamToCreate],
) -> String {
    let name = |kind: RecordKind, id: &str| {
        directory
            .name_of(kind, id)
            .map_or_else(|| id.to_owned(), str::to_owned)
    };
    match value {
        FieldValue::Ids(ids) => {
            let mut names: Vec<String> = ids.iter().map(|id| name(RecordKind::Team, id)).collect();
            names.extend(
                new_teams
                    .iter()
                    .filter_map(|&i| teams_to_create.get(i))
                    .map(|team| format!("{} (new)", team.name)),
            );
            if names.is_empty() {
                NOT_SET.to_owned()
            } else {
                names.join(", ")
            }
        }
        FieldValue::Id(None) | FieldValue::Flag(None) => NOT_SET.to_owned(),
        FieldValue::Id(Some(id)) => match RecordKind::of(field) {
            Some(kind) => name(kind, id),
            None => id.clone(),
        },
        FieldValue::Flag(Some(true)) => "yes".to_owned(),
        FieldValue::Flag(Some(false)) => "no".to_owned(),
    }
}
