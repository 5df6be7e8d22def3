//! What the organisation has, as read from the list APIs (users, teams, sites, skill profiles,
//! desktop profiles, multimedia profiles), and lookups by name or email.
//!
//! Names and emails match case-insensitively after trimming (`" sales "` finds `Sales`); inner
//! spaces count. Lookups go through indexes built once, since a 5,000-row file against a large
//! organisation would otherwise compare millions of names.

use std::collections::HashMap;

use serde_json::Value;

use super::settings::{Field, UserSettings};

/// The kinds of named records a row refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Team,
    Site,
    SkillProfile,
    /// The spec's agent profile (`agentProfileId`), called desktop profile in Control Hub.
    DesktopProfile,
    MultimediaProfile,
}

impl RecordKind {
    /// The kind of record a setting names; `None` for the Contact Center flag.
    pub fn of(field: Field) -> Option<RecordKind> {
        match field {
            Field::Teams => Some(RecordKind::Team),
            Field::Site => Some(RecordKind::Site),
            Field::SkillProfile => Some(RecordKind::SkillProfile),
            Field::DesktopProfile => Some(RecordKind::DesktopProfile),
            Field::MultimediaProfile => Some(RecordKind::MultimediaProfile),
            Field::ContactCenterEnabled => None,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::Team => "team",
            RecordKind::Site => "site",
            RecordKind::SkillProfile => "skill profile",
            RecordKind::DesktopProfile => "desktop profile",
            RecordKind::MultimediaProfile => "multimedia profile",
        }
    }
}

/// A team, site or profile: its id and name; teams also carry their site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedRecord {
    pub id: String,
    pub name: String,
    /// A team's `siteId`; `None` for other kinds.
    pub site_id: Option<String>,
}

impl NamedRecord {
    /// A record of a list answer's `data`; `None` without a string `id` and `name`.
    pub fn from_value(record: &Value) -> Option<NamedRecord> {
        let text = |key| record.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(NamedRecord {
            id: text("id").filter(|id| !id.is_empty())?,
            name: text("name")?,
            site_id: text("siteId"),
        })
    }
}

/// A user with the settings provisioning changes and what tells a later change apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryUser {
    pub id: String,
    pub email: String,
    pub settings: UserSettings,
    pub version: Option<u64>,
    pub last_updated_time: Option<u64>,
}

impl DirectoryUser {
    /// A `UserResponseDTO`; `None` without an `id` and an `email`.
    pub fn from_value(user: &Value) -> Option<DirectoryUser> {
        let text = |key| user.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(DirectoryUser {
            id: text("id").filter(|id| !id.is_empty())?,
            email: text("email")?,
            settings: UserSettings::from_value(user),
            version: user.get("version").and_then(Value::as_u64),
            last_updated_time: user.get("lastUpdatedTime").and_then(Value::as_u64),
        })
    }
}

/// Everything rows are resolved against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    pub users: Vec<DirectoryUser>,
    pub teams: Vec<NamedRecord>,
    pub sites: Vec<NamedRecord>,
    pub skill_profiles: Vec<NamedRecord>,
    pub desktop_profiles: Vec<NamedRecord>,
    pub multimedia_profiles: Vec<NamedRecord>,
}

impl Directory {
    pub fn records(&self, kind: RecordKind) -> &[NamedRecord] {
        match kind {
            RecordKind::Team => &self.teams,
            RecordKind::Site => &self.sites,
            RecordKind::SkillProfile => &self.skill_profiles,
            RecordKind::DesktopProfile => &self.desktop_profiles,
            RecordKind::MultimediaProfile => &self.multimedia_profiles,
        }
    }

    /// The name of a record by id, for the preview; `None` for an id no record has.
    pub fn name_of(&self, kind: RecordKind, id: &str) -> Option<&str> {
        self.records(kind)
            .iter()
            .find(|record| record.id == id)
            .map(|record| record.name.as_str())
    }

    pub fn user_by_id(&self, id: &str) -> Option<&DirectoryUser> {
        self.users.iter().find(|user| user.id == id)
    }
}

/// How names and emails compare.
pub(crate) fn match_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// What a name or an email stands for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup<'a, T> {
    Missing,
    Found(&'a T),
    /// Several, in directory order.
    Ambiguous(Vec<&'a T>),
}

/// Records by [`match_key`] of a name or email.
pub(crate) struct Index<'a, T> {
    by_key: HashMap<String, Vec<&'a T>>,
}

impl<'a, T> Index<'a, T> {
    pub(crate) fn new(records: &'a [T], key: impl Fn(&T) -> &str) -> Index<'a, T> {
        let mut by_key: HashMap<String, Vec<&T>> = HashMap::new();
        for record in records {
            by_key
                .entry(match_key(key(record)))
                .or_default()
                .push(record);
        }
        Index { by_key }
    }

    pub(crate) fn get(&self, text: &str) -> Lookup<'a, T> {
        match self.by_key.get(&match_key(text)).map(Vec::as_slice) {
            None | Some([]) => Lookup::Missing,
            Some([one]) => Lookup::Found(one),
            Some(several) => Lookup::Ambiguous(several.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, name: &str) -> NamedRecord {
        NamedRecord {
            id: id.into(),
            name: name.into(),
            site_id: None,
        }
    }

    #[test]
    fn names_match_case_insensitively_after_trimming() {
        let records = [record("1", "Sales"), record("2", "Night  shift")];
        let index = Index::new(&records, |r| &r.name);
        assert_eq!(index.get("  sALES "), Lookup::Found(&records[0]));
        assert_eq!(index.get("night shift"), Lookup::Missing);
        assert_eq!(index.get("NIGHT  SHIFT"), Lookup::Found(&records[1]));
    }

    #[test]
    fn a_shared_name_is_ambiguous() {
        let records = [record("1", "Sales"), record("2", "sales"), record("3", "x")];
        let index = Index::new(&records, |r| &r.name);
        assert_eq!(
            index.get("Sales"),
            Lookup::Ambiguous(vec![&records[0], &records[1]])
        );
    }

    #[test]
    fn records_read_from_list_answers() {
        let team = serde_json::json!({"id": "t1", "name": "Sales", "siteId": "s1", "x": 1});
        assert_eq!(
            NamedRecord::from_value(&team),
            Some(NamedRecord {
                id: "t1".into(),
                name: "Sales".into(),
                site_id: Some("s1".into())
            })
        );
        assert_eq!(
            NamedRecord::from_value(&serde_json::json!({"id": "t1"})),
            None
        );
        let user = serde_json::json!({"id": "u1", "email": "a@b.c", "version": 3, "lastUpdatedTime": 1700000000000u64, "teamIds": ["t1"]});
        let user = DirectoryUser::from_value(&user).unwrap();
        assert_eq!(user.version, Some(3));
        assert_eq!(user.last_updated_time, Some(1_700_000_000_000));
        assert_eq!(user.settings.team_ids, vec!["t1"]);
        assert_eq!(
            DirectoryUser::from_value(&serde_json::json!({"id": "u1"})),
            None
        );
    }
}
