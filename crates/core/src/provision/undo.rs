//! The undo of a journal: the previous values written back, through the same preview,
//! confirmation and batches as an upload.
//!
//! An entry is undone only while the user still is as the write left it. It is skipped, with the
//! reason, never overwritten, when:
//! - the user no longer exists;
//! - a later entry of the journal is for the same user (that one is undone instead: undoing both
//!   at once would write the older values over a state the older entry never saw);
//! - the user's `version` or `lastUpdatedTime` differs from what the read-back after the write
//!   recorded (someone wrote it since, even if only another setting);
//! - one of the settings written no longer holds the value written (this also covers entries
//!   whose read-back never happened, where the version cannot tell).
//!
//! The teams a run created stay: they are listed so the person can delete them in Control Hub.

use super::diff::{Preview, UserDiff, diff_user, label, summarise};
use super::directory::Directory;
use super::journal::{CreatedTeam, Journal, JournalEntry};
use super::resolve::WantedSetting;

/// An entry that is not undone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedUndo {
    /// The entry's 1-based position in the journal.
    pub entry: usize,
    pub user_id: String,
    pub email: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UndoPlan {
    /// The reverse changes, as a preview (its `row` is the entry's number; no errors, no teams
    /// to create). Apply it with [`super::batches::plan_writes`] like an upload's.
    pub preview: Preview,
    pub skipped: Vec<SkippedUndo>,
    /// Created by the journal's run and left in place.
    pub teams_left_in_place: Vec<CreatedTeam>,
}

/// Plans the undo of every entry of `journal` against the users as they are now.
pub fn undo_plan(journal: &Journal, directory: &Directory) -> UndoPlan {
    let mut plan = UndoPlan {
        teams_left_in_place: journal.created_teams.clone(),
        ..UndoPlan::default()
    };
    // Latest first, so a user's latest entry is the one undone.
    let mut diffs: Vec<UserDiff> = Vec::new();
    for (i, entry) in journal.entries.iter().enumerate().rev() {
        let number = i + 1;
        match undo_entry(number, entry, journal, directory) {
            Ok(diff) if diff.is_unchanged() => plan.preview.unchanged.push(diff),
            Ok(diff) => diffs.push(diff),
            Err(reason) => plan.skipped.push(SkippedUndo {
                entry: number,
                user_id: entry.user_id.clone(),
                email: entry.email.clone(),
                reason,
            }),
        }
    }
    diffs.reverse();
    plan.preview.changed = diffs;
    plan.preview.unchanged.reverse();
    plan.skipped.reverse();
    plan.preview.summary = summarise(&plan.preview);
    plan
}

fn undo_entry(
    number: usize,
    entry: &JournalEntry,
    journal: &Journal,
    directory: &Directory,
) -> Result<UserDiff, String> {
    let later = journal.entries[number..]
        .iter()
        .position(|e| e.user_id == entry.user_id);
    if let Some(offset) = later {
        return Err(format!(
            "entry {} changes this user later and is undone instead",
            number + 1 + offset
        ));
    }
    let Some(user) = directory.user_by_id(&entry.user_id) else {
        return Err("the user no longer exists".to_owned());
    };
    let moved = |after: Option<u64>, now: Option<u64>| match (after, now) {
        (Some(after), Some(now)) if after != now => Some((after, now)),
        _ => None,
    };
    if let Some((after, now)) = moved(entry.version_after, user.version) {
        return Err(format!(
            "changed since: its version was {after} after the write and is {now} now"
        ));
    }
    if let Some((after, now)) = moved(entry.last_updated_time_after, user.last_updated_time) {
        return Err(format!(
            "changed since: it was last updated at {after} after the write and at {now} now (ms since 1970)"
        ));
    }
    for setting in &entry.written {
        let now = user.settings.get(setting.field);
        if !now.same_as(&setting.value) {
            return Err(format!(
                "changed since: its {} is {} now, not {} as written",
                setting.field.label(),
                label(setting.field, &now, &[], directory, &[]),
                label(setting.field, &setting.value, &[], directory, &[])
            ));
        }
    }
    let wanted: Vec<WantedSetting> = entry
        .before
        .iter()
        .map(|setting| WantedSetting {
            field: setting.field,
            value: setting.value.clone(),
            teams_to_create: Vec::new(),
        })
        .collect();
    Ok(diff_user(number, user, &wanted, directory, &[]))
}
