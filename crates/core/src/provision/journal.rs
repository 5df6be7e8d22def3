//! The journal of applied changes: for each user written, the values before and the values
//! written, and (once read back) the `version` and `lastUpdatedTime` the write left. It is what
//! an undo works from, and it can be downloaded as JSON and loaded again.
//!
//! The JSON, written and read by [`crate::json`] like every record of this crate:
//!
//! ```json
//! {"kind": "wxcc-console provisioning journal", "formatVersion": 1,
//!  "createdTeams": [{"id": "t9", "name": "Night shift", "siteId": "s1"}],
//!  "entries": [{"userId": "u1", "email": "ann@example.com", "versionBefore": 3,
//!               "versionAfter": 4, "lastUpdatedTimeAfter": 1739145600000,
//!               "before": {"siteId": null, "teamIds": ["t1"]},
//!               "written": {"siteId": "s2", "teamIds": ["t1", "t9"]}}]}
//! ```
//!
//! Settings are keyed by the spec's names (`teamIds`, `siteId`, …); a key present with `null`
//! was "not set", a key absent was not changed.

use std::fmt;

use serde_json::Value;

use super::batches::{BulkBatch, BulkItem};
use super::bulk_answer::{Outcome, RowOutcome};
use super::directory::DirectoryUser;
use super::settings::Setting;
use super::settings_json::{read_settings, write_settings};
use crate::json::{self, ObjectWriter};

const KIND: &str = "wxcc-console provisioning journal";
const FORMAT_VERSION: u64 = 1;

/// One applied write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub user_id: String,
    pub email: String,
    pub version_before: Option<u64>,
    /// Known once the user is read back after the write.
    pub version_after: Option<u64>,
    pub last_updated_time_after: Option<u64>,
    /// The changed settings' values before the write.
    pub before: Vec<Setting>,
    /// The same settings' values written.
    pub written: Vec<Setting>,
}

/// A team a run created. An undo leaves it in place (it may have been given queues since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedTeam {
    pub id: String,
    pub name: String,
    pub site_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    /// In the order the writes were applied.
    pub entries: Vec<JournalEntry>,
    pub created_teams: Vec<CreatedTeam>,
}

/// A journal file that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalError {
    NotJson(String),
    /// Valid JSON, but not a journal this console writes.
    NotAJournal,
    /// A journal of a newer format.
    UnsupportedVersion(u64),
    /// The entry (1-based) lacks a field or has one of the wrong type.
    BadEntry(usize),
    BadCreatedTeam(usize),
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalError::NotJson(why) => write!(f, "The journal is not JSON: {why}."),
            JournalError::NotAJournal => write!(
                f,
                "The file is not a provisioning journal downloaded from this console."
            ),
            JournalError::UnsupportedVersion(v) => write!(
                f,
                "The journal has format version {v}; this console reads version {FORMAT_VERSION}. Open it with a newer console."
            ),
            JournalError::BadEntry(n) => write!(
                f,
                "Entry {n} of the journal is damaged (a field is missing or of the wrong type)."
            ),
            JournalError::BadCreatedTeam(n) => write!(
                f,
                "Created team {n} of the journal is damaged (a field is missing or of the wrong type)."
            ),
        }
    }
}

impl Journal {
    /// Records one item as applied.
    pub fn record_item(&mut self, item: &BulkItem) {
        self.entries.push(JournalEntry {
            user_id: item.user_id.clone(),
            email: item.email.clone(),
            version_before: item.version,
            version_after: None,
            last_updated_time_after: None,
            before: item.before.clone(),
            written: item.written.clone(),
        });
    }

    /// Records the items of a batch whose outcome is done. An unknown outcome is recorded with
    /// [`Journal::record_item`] once a read-back shows the write happened.
    pub fn record_done(&mut self, batch: &BulkBatch, outcomes: &[RowOutcome]) {
        for item in &batch.items {
            let done = outcomes.iter().any(|o| {
                o.row == item.row && o.user_id == item.user_id && o.outcome == Outcome::Done
            });
            if done {
                self.record_item(item);
            }
        }
    }

    /// Notes the `version` and `lastUpdatedTime` a read-back after the write found, on the
    /// latest entry of that user. `false` when the journal has no entry for the user.
    pub fn record_read_back(&mut self, user: &DirectoryUser) -> bool {
        match self.entries.iter_mut().rev().find(|e| e.user_id == user.id) {
            Some(entry) => {
                entry.version_after = user.version;
                entry.last_updated_time_after = user.last_updated_time;
                true
            }
            None => false,
        }
    }

    pub fn to_json(&self) -> String {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|entry| {
                ObjectWriter::default()
                    .text("userId", &entry.user_id)
                    .text("email", &entry.email)
                    .optional_number("versionBefore", entry.version_before)
                    .optional_number("versionAfter", entry.version_after)
                    .optional_number("lastUpdatedTimeAfter", entry.last_updated_time_after)
                    .json(
                        "before",
                        &write_settings(ObjectWriter::default(), &entry.before).finish(),
                    )
                    .json(
                        "written",
                        &write_settings(ObjectWriter::default(), &entry.written).finish(),
                    )
                    .finish()
            })
            .collect();
        let teams: Vec<String> = self
            .created_teams
            .iter()
            .map(|team| {
                ObjectWriter::default()
                    .text("id", &team.id)
                    .text("name", &team.name)
                    .text("siteId", &team.site_id)
                    .finish()
            })
            .collect();
        ObjectWriter::default()
            .text("kind", KIND)
            .number("formatVersion", FORMAT_VERSION)
            .json("createdTeams", &format!("[{}]", teams.join(",")))
            .json("entries", &format!("[{}]", entries.join(",")))
            .finish()
    }

    pub fn from_json(text: &str) -> Result<Journal, JournalError> {
        let value = json::parse(text).map_err(|e| JournalError::NotJson(e.to_string()))?;
        if value.get("kind").and_then(Value::as_str) != Some(KIND) {
            return Err(JournalError::NotAJournal);
        }
        match value.get("formatVersion").and_then(Value::as_u64) {
            Some(FORMAT_VERSION) => {}
            Some(other) => return Err(JournalError::UnsupportedVersion(other)),
            None => return Err(JournalError::NotAJournal),
        }
        let list = |key| {
            value
                .get(key)
                .and_then(Value::as_array)
                .ok_or(JournalError::NotAJournal)
        };
        let entries = list("entries")?
            .iter()
            .enumerate()
            .map(|(i, entry)| read_entry(entry).ok_or(JournalError::BadEntry(i + 1)))
            .collect::<Result<_, _>>()?;
        let created_teams = list("createdTeams")?
            .iter()
            .enumerate()
            .map(|(i, team)| read_team(team).ok_or(JournalError::BadCreatedTeam(i + 1)))
            .collect::<Result<_, _>>()?;
        Ok(Journal {
            entries,
            created_teams,
        })
    }
}

fn read_entry(entry: &Value) -> Option<JournalEntry> {
    Some(JournalEntry {
        user_id: json::required_text(entry, "userId").ok()?,
        email: json::required_text(entry, "email").ok()?,
        version_before: json::optional_number(entry, "versionBefore").ok()?,
        version_after: json::optional_number(entry, "versionAfter").ok()?,
        last_updated_time_after: json::optional_number(entry, "lastUpdatedTimeAfter").ok()?,
        before: read_settings(entry.get("before")?)?,
        written: read_settings(entry.get("written")?)?,
    })
}

fn read_team(team: &Value) -> Option<CreatedTeam> {
    Some(CreatedTeam {
        id: json::required_text(team, "id").ok()?,
        name: json::required_text(team, "name").ok()?,
        site_id: json::required_text(team, "siteId").ok()?,
    })
}
