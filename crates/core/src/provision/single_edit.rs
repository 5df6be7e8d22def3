//! One user's settings edited from its detail view: the changes current → new, the body of
//! `PATCH /organization/{orgid}/user/{id}`, and the journal entry an undo works from (the same
//! journal a provisioning run keeps).

use super::directory::DirectoryUser;
use super::journal::{Journal, JournalEntry};
use super::settings::{Field, FieldValue, Setting, UserSettings};
use super::settings_json::write_settings;
use crate::json::ObjectWriter;

/// One setting that the edit changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditChange {
    pub field: Field,
    pub before: FieldValue,
    pub after: FieldValue,
}

/// The settings that differ between `before` and `after`, in [`Field::ALL`] order.
pub fn changes(before: &UserSettings, after: &UserSettings) -> Vec<EditChange> {
    Field::ALL
        .iter()
        .filter_map(|&field| {
            let (b, a) = (before.get(field), after.get(field));
            (!b.same_as(&a)).then_some(EditChange {
                field,
                before: b,
                after: a,
            })
        })
        .collect()
}

/// "Save 1 change", "Save 3 changes": the confirmation states what it writes.
pub fn save_label(count: usize) -> String {
    format!("Save {count} change{}", if count == 1 { "" } else { "s" })
}

/// The patch object: the user's `id`, the `version` read, and the changed settings (`null`
/// clears one).
pub fn patch_body(user_id: &str, version: Option<u64>, changes: &[EditChange]) -> String {
    let written: Vec<Setting> = changes
        .iter()
        .map(|c| Setting {
            field: c.field,
            value: c.after.clone(),
        })
        .collect();
    let mut object = ObjectWriter::default().text("id", user_id);
    if let Some(version) = version {
        object = object.number("version", version);
    }
    write_settings(object, &written).finish()
}

/// A value in names: ids through `name_of` (the id itself when unknown), "not set" for nothing.
pub fn value_label(value: &FieldValue, name_of: impl Fn(&str) -> Option<String>) -> String {
    let name = |id: &str| name_of(id).unwrap_or_else(|| id.to_owned());
    match value {
        FieldValue::Ids(ids) if ids.is_empty() => "none".into(),
        FieldValue::Ids(ids) => ids.iter().map(|id| name(id)).collect::<Vec<_>>().join(", "),
        FieldValue::Id(Some(id)) => name(id),
        FieldValue::Id(None) | FieldValue::Flag(None) => "not set".into(),
        FieldValue::Flag(Some(true)) => "yes".into(),
        FieldValue::Flag(Some(false)) => "no".into(),
    }
}

/// The journal of one saved edit: the previous values, what was written, and the user as read
/// back after it (so an undo skips the user if it moved since).
pub fn journal_of(
    before: &DirectoryUser,
    changes: &[EditChange],
    after: &DirectoryUser,
) -> Journal {
    let settings = |pick: fn(&EditChange) -> &FieldValue| {
        changes
            .iter()
            .map(|c| Setting {
                field: c.field,
                value: pick(c).clone(),
            })
            .collect()
    };
    Journal {
        entries: vec![JournalEntry {
            user_id: before.id.clone(),
            email: before.email.clone(),
            version_before: before.version,
            version_after: after.version,
            last_updated_time_after: after.last_updated_time,
            before: settings(|c| &c.before),
            written: settings(|c| &c.after),
        }],
        created_teams: Vec::new(),
    }
}

/// The record read back moved past the version the edit started from: someone wrote it since.
pub fn moved_since(read: Option<u64>, now: Option<u64>) -> bool {
    matches!((read, now), (Some(a), Some(b)) if a != b)
}

/// What the record read back after a write shows, next to the edit it was meant to carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadBack {
    /// Every changed field now holds the value the edit asked for.
    pub holds: bool,
    /// Its version moved past the one the edit started from.
    pub moved: bool,
}

/// How a single edit ended, from the write's status (0: no answer) and the read-back (`None`:
/// the record could not be read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// A 2xx.
    Saved,
    /// No answer or a 5xx, but the record read back holds the edit on a new version.
    SavedDespiteAnswer,
    /// No answer or a 5xx, and the record read back does not hold the edit.
    NotSaved,
    /// No answer or a 5xx, and the record could not be read back.
    Unknown,
    /// A refusal, and the record moved since the edit started: someone else wrote it.
    Stale,
    /// A refusal of the edit itself.
    Refused,
}

/// One rule for every single edit: a write whose outcome is unknown is decided by the read-back,
/// never by retrying it.
pub fn settle(status: u16, read_back: Option<ReadBack>) -> Settled {
    let unknown = status == 0 || status >= 500;
    match read_back {
        _ if (200..300).contains(&status) => Settled::Saved,
        Some(ReadBack {
            holds: true,
            moved: true,
        }) if unknown => Settled::SavedDespiteAnswer,
        Some(_) if unknown => Settled::NotSaved,
        None if unknown => Settled::Unknown,
        Some(ReadBack { moved: true, .. }) => Settled::Stale,
        _ => Settled::Refused,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_write_is_settled_by_its_status_and_the_read_back() {
        use super::{ReadBack, Settled, settle};
        let rb = |holds, moved| Some(ReadBack { holds, moved });
        assert_eq!(settle(200, None), Settled::Saved);
        assert_eq!(settle(204, rb(false, false)), Settled::Saved);
        for no_answer in [0, 500, 503] {
            assert_eq!(
                settle(no_answer, rb(true, true)),
                Settled::SavedDespiteAnswer
            );
            assert_eq!(settle(no_answer, rb(true, false)), Settled::NotSaved);
            assert_eq!(settle(no_answer, rb(false, true)), Settled::NotSaved);
            assert_eq!(settle(no_answer, None), Settled::Unknown);
        }
        assert_eq!(settle(400, rb(false, true)), Settled::Stale);
        assert_eq!(settle(409, rb(true, true)), Settled::Stale);
        assert_eq!(settle(400, rb(false, false)), Settled::Refused);
        assert_eq!(settle(400, None), Settled::Refused);
    }

    use super::*;

    fn user(profile: &str, version: u64) -> DirectoryUser {
        DirectoryUser {
            id: "u1".into(),
            email: "ann@example.com".into(),
            settings: UserSettings {
                team_ids: vec!["t1".into()],
                agent_profile_id: Some(profile.into()),
                contact_center_enabled: Some(true),
                ..UserSettings::default()
            },
            version: Some(version),
            last_updated_time: Some(1000 + version),
        }
    }

    #[test]
    fn only_the_changed_settings_are_listed_and_written() {
        let before = user("d1", 3);
        let mut after = before.settings.clone();
        after.agent_profile_id = Some("d2".into());
        after.team_ids = vec!["t1".into()];
        let list = changes(&before.settings, &after);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].field, Field::DesktopProfile);
        let body = patch_body("u1", Some(3), &list);
        let json = crate::json::parse(&body).unwrap();
        assert_eq!(json["id"], "u1");
        assert_eq!(json["version"], 3);
        assert_eq!(json["agentProfileId"], "d2");
        assert!(json.get("teamIds").is_none());
        assert_eq!(save_label(1), "Save 1 change");
        assert_eq!(save_label(2), "Save 2 changes");
    }

    #[test]
    fn a_cleared_setting_is_written_as_null_and_labelled() {
        let before = user("d1", 3);
        let mut after = before.settings.clone();
        after.agent_profile_id = None;
        let list = changes(&before.settings, &after);
        let json = crate::json::parse(&patch_body("u1", None, &list)).unwrap();
        assert!(json["agentProfileId"].is_null());
        assert!(json.get("version").is_none());
        assert_eq!(value_label(&list[0].after, |_| None), "not set");
        assert_eq!(
            value_label(&list[0].before, |id| Some(format!("name of {id}"))),
            "name of d1"
        );
    }

    #[test]
    fn the_journal_keeps_the_previous_values_and_the_version_after() {
        let before = user("d1", 3);
        let mut settings = before.settings.clone();
        settings.agent_profile_id = Some("d2".into());
        let list = changes(&before.settings, &settings);
        let journal = journal_of(&before, &list, &user("d2", 4));
        let back = Journal::from_json(&journal.to_json()).unwrap();
        assert_eq!(back.entries[0].version_before, Some(3));
        assert_eq!(back.entries[0].version_after, Some(4));
        assert_eq!(
            back.entries[0].before[0].value,
            FieldValue::Id(Some("d1".into()))
        );
        assert!(moved_since(Some(3), Some(4)));
        assert!(!moved_since(Some(3), Some(3)));
        assert!(!moved_since(None, Some(3)));
    }
}

/// The properties of the spec's `TeamDTO`, the body of `PUT …/team/{id}`: a team read back also
/// carries what the server adds (`siteName`), which the PUT does not take.
const TEAM_DTO: &[&str] = &[
    "organizationId",
    "id",
    "version",
    "name",
    "teamType",
    "teamStatus",
    "dialedNumber",
    "capacity",
    "active",
    "siteId",
    "desktopLayoutId",
    "skillProfileId",
    "multiMediaProfileId",
    "userIds",
    "description",
    "systemDefault",
    "rankQueuesForTeam",
    "queueRankings",
    "createdTime",
    "lastUpdatedTime",
];

/// The whole team as read, renamed: the PUT replaces the team, so every property it has stays.
pub fn team_put_body(team: &serde_json::Value, name: &str) -> Option<String> {
    let read = team.as_object()?;
    let mut body: serde_json::Map<String, serde_json::Value> = read
        .iter()
        .filter(|(key, _)| TEAM_DTO.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    body.insert("name".into(), serde_json::Value::String(name.to_owned()));
    Some(serde_json::Value::Object(body).to_string())
}

#[cfg(test)]
mod team_tests {
    use super::*;

    #[test]
    fn a_team_put_keeps_the_team_renamed_without_the_server_fields() {
        let team = serde_json::json!({"id": "t1", "version": 2, "name": "Day", "siteId": "s1",
            "siteName": "Berlin", "userIds": ["u1"], "active": true});
        let body = crate::json::parse(&team_put_body(&team, "Night").unwrap()).unwrap();
        assert_eq!(body["name"], "Night");
        assert_eq!(body["version"], 2);
        assert_eq!(body["userIds"][0], "u1");
        assert!(body.get("siteName").is_none());
        assert_eq!(team_put_body(&serde_json::json!([]), "x"), None);
    }
}
