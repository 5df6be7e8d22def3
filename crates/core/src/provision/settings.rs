//! The Contact Center settings of a user that provisioning sets, named as Cisco's spec names them
//! in `UserDTO` (the body of `PATCH /organization/{orgid}/user/bulk`) and `UserResponseDTO`.

use serde_json::Value;

/// One setting provisioning can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Teams,
    Site,
    SkillProfile,
    /// The spec's `agentProfileId`: the desktop profile.
    DesktopProfile,
    MultimediaProfile,
    ContactCenterEnabled,
}

impl Field {
    /// In the order the template's columns and the preview's diff show them.
    pub const ALL: [Field; 6] = [
        Field::Teams,
        Field::Site,
        Field::SkillProfile,
        Field::DesktopProfile,
        Field::MultimediaProfile,
        Field::ContactCenterEnabled,
    ];

    /// The property of `UserDTO` / `UserResponseDTO`.
    pub fn json_name(self) -> &'static str {
        match self {
            Field::Teams => "teamIds",
            Field::Site => "siteId",
            Field::SkillProfile => "skillProfileId",
            Field::DesktopProfile => "agentProfileId",
            Field::MultimediaProfile => "multimediaProfileId",
            Field::ContactCenterEnabled => "contactCenterEnabled",
        }
    }

    /// What people call it (the template's column header).
    pub fn label(self) -> &'static str {
        match self {
            Field::Teams => "teams",
            Field::Site => "site",
            Field::SkillProfile => "skill profile",
            Field::DesktopProfile => "desktop profile",
            Field::MultimediaProfile => "multimedia profile",
            Field::ContactCenterEnabled => "Contact Center enabled",
        }
    }
}

/// A setting's value. `Id(None)` and `Flag(None)` are "not set" (`null` in the API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Ids(Vec<String>),
    Id(Option<String>),
    Flag(Option<bool>),
}

impl FieldValue {
    /// Same value: team lists compare as sets (the API keeps them unique, in no stated order).
    pub fn same_as(&self, other: &FieldValue) -> bool {
        match (self, other) {
            (FieldValue::Ids(a), FieldValue::Ids(b)) => sorted_unique(a) == sorted_unique(b),
            _ => self == other,
        }
    }
}

fn sorted_unique(ids: &[String]) -> Vec<&str> {
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A field with its value: one property of a patch or of a journal record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub field: Field,
    pub value: FieldValue,
}

/// A user's current settings, as the user list reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserSettings {
    pub team_ids: Vec<String>,
    pub site_id: Option<String>,
    pub skill_profile_id: Option<String>,
    pub agent_profile_id: Option<String>,
    pub multimedia_profile_id: Option<String>,
    pub contact_center_enabled: Option<bool>,
}

impl UserSettings {
    pub fn get(&self, field: Field) -> FieldValue {
        match field {
            Field::Teams => FieldValue::Ids(self.team_ids.clone()),
            Field::Site => FieldValue::Id(self.site_id.clone()),
            Field::SkillProfile => FieldValue::Id(self.skill_profile_id.clone()),
            Field::DesktopProfile => FieldValue::Id(self.agent_profile_id.clone()),
            Field::MultimediaProfile => FieldValue::Id(self.multimedia_profile_id.clone()),
            Field::ContactCenterEnabled => FieldValue::Flag(self.contact_center_enabled),
        }
    }

    /// The settings of a `UserResponseDTO`. An empty id is no id: the list API is not known to
    /// send `""`, but treating it as set would show a change from "" to nothing.
    pub fn from_value(user: &Value) -> UserSettings {
        let id = |key: &str| {
            user.get(key)
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
        };
        UserSettings {
            team_ids: user
                .get(Field::Teams.json_name())
                .and_then(Value::as_array)
                .map(|ids| {
                    ids.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            site_id: id(Field::Site.json_name()),
            skill_profile_id: id(Field::SkillProfile.json_name()),
            agent_profile_id: id(Field::DesktopProfile.json_name()),
            multimedia_profile_id: id(Field::MultimediaProfile.json_name()),
            contact_center_enabled: user
                .get(Field::ContactCenterEnabled.json_name())
                .and_then(Value::as_bool),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_lists_compare_as_sets() {
        let ids = |list: &[&str]| FieldValue::Ids(list.iter().map(|s| s.to_string()).collect());
        assert!(ids(&["a", "b"]).same_as(&ids(&["b", "a", "a"])));
        assert!(!ids(&["a"]).same_as(&ids(&["a", "b"])));
        assert!(FieldValue::Id(None).same_as(&FieldValue::Id(None)));
        assert!(!FieldValue::Id(Some("x".into())).same_as(&FieldValue::Id(None)));
    }

    #[test]
    fn user_settings_read_the_spec_names() {
        let user = serde_json::json!({
            "teamIds": ["t1"], "siteId": "s1", "skillProfileId": "", "agentProfileId": "d1",
            "multimediaProfileId": "m1", "contactCenterEnabled": true
        });
        let settings = UserSettings::from_value(&user);
        assert_eq!(settings.team_ids, vec!["t1"]);
        assert_eq!(settings.site_id.as_deref(), Some("s1"));
        assert_eq!(settings.skill_profile_id, None);
        assert_eq!(settings.agent_profile_id.as_deref(), Some("d1"));
        assert_eq!(settings.multimedia_profile_id.as_deref(), Some("m1"));
        assert_eq!(settings.contact_center_enabled, Some(true));
    }
}
