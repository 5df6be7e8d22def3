//! The request DTOs of the writes, as Cisco's spec declares them (`UserDTO`, `TeamDTO`,
//! `QueueRankingDTO`, `AssignedDynamicSkillsDTO`): each property's type, format, length and range
//! limits, enum values and whether it is `required`. The spec is not shipped with the sandbox, so
//! the tables are written out here; `tests/conformance/writes.rs` builds requests from the spec
//! itself and checks the sandbox accepts and refuses exactly what these tables say.
//!
//! [`check_object`] checks a JSON object against a table. What it finds is the shape of the
//! request (a Jackson-style refusal of the whole body): a wrong type, a missing required field, an
//! unknown enum value, a malformed `organizationId`, an unknown field. Each message starts with the
//! field's path, e.g. `items[2].item.contactCenterEnabled: must be a boolean, got "yes"`.

use serde_json::Value;

/// What a property holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string of `min..=max` characters.
    Str {
        min: usize,
        max: Option<usize>,
    },
    /// The spec's `organizationId`: `format: uuid`, 32–36 characters matching its pattern.
    Uuid,
    Bool,
    /// `format: int32`, within `min..=max`.
    Int32 {
        min: i64,
        max: i64,
    },
    /// `format: int64`.
    Int64,
    Enum(&'static [&'static str]),
    /// An array of strings; `unique`: `uniqueItems`.
    Strings {
        unique: bool,
    },
    /// An array of objects of this table; `unique`: `uniqueItems`.
    Objects {
        fields: &'static [Field],
        unique: bool,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

const fn required(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

const STR: Kind = Kind::Str { min: 0, max: None };
/// `minLength: 1`.
const TEXT: Kind = Kind::Str { min: 1, max: None };
const UNIQUE_STRINGS: Kind = Kind::Strings { unique: true };
const fn str_max(max: usize) -> Kind {
    Kind::Str {
        min: 0,
        max: Some(max),
    }
}
const INT32: Kind = Kind::Int32 {
    min: i32::MIN as i64,
    max: i32::MAX as i64,
};
const INCLUSION: Kind = Kind::Enum(&["INCLUDED", "EXCLUDED"]);

/// `organizationId`, `id`, `version`: the head of every configuration DTO.
macro_rules! base_fields {
    ($($rest:expr),* $(,)?) => {
        &[
            field("organizationId", Kind::Uuid),
            field("id", STR),
            field("version", INT32),
            $($rest,)*
            field("createdTime", Kind::Int64),
            field("lastUpdatedTime", Kind::Int64),
        ]
    };
}

/// `AssignedDynamicSkillsDTO`.
pub const ASSIGNED_DYNAMIC_SKILL: &[Field] = base_fields![
    required("skillId", TEXT),
    field("textValue", str_max(100)),
    field("booleanValue", Kind::Bool),
    field("proficiencyValue", Kind::Int32 { min: 0, max: 10 }),
    field("enumSkillValues", STR),
    field("skillName", STR),
];

/// `UserDTO`.
pub const USER: &[Field] = base_fields![
    required("firstName", TEXT),
    required("lastName", TEXT),
    required("email", TEXT),
    field("workPhone", str_max(20)),
    field("mobile", str_max(20)),
    required("ciUserId", TEXT),
    field("broadCloudUserId", STR),
    required("userProfileId", TEXT),
    required("contactCenterEnabled", Kind::Bool),
    field("timezone", STR),
    field("xspVersion", str_max(80)),
    field("subscriptionId", str_max(80)),
    field("siteId", STR),
    field("teamIds", UNIQUE_STRINGS),
    field("skillProfileId", STR),
    field("agentProfileId", STR),
    field("multimediaProfileId", STR),
    field("deafultDialledNumber", STR),
    field("externalIdentifier", STR),
    required("active", Kind::Bool),
    field("imiUserCreated", Kind::Bool),
    field("preferredSupervisorTeamId", STR),
    field("userLevelBurnoutInclusion", INCLUSION),
    field("userLevelAutoCSATInclusion", INCLUSION),
    field(
        "userLevelWellnessBreakReminders",
        Kind::Enum(&["DISABLED", "ENABLED"])
    ),
    field("userLevelSummariesInclusion", INCLUSION),
    field(
        "dynamicSkills",
        Kind::Objects {
            fields: ASSIGNED_DYNAMIC_SKILL,
            unique: false
        }
    ),
];

/// `QueueRankingDTO`.
pub const QUEUE_RANKING: &[Field] = base_fields![
    required("queueId", TEXT),
    required(
        "rank",
        Kind::Int32 {
            min: i32::MIN as i64,
            max: 50
        }
    ),
];

/// `TeamDTO`.
pub const TEAM: &[Field] = base_fields![
    required("name", STR),
    required("teamType", Kind::Enum(&["AGENT", "CAPACITY"])),
    required("teamStatus", Kind::Enum(&["IN_SERVICE", "NOT_AVAILABLE"])),
    field("dialedNumber", STR),
    field("capacity", INT32),
    required("active", Kind::Bool),
    required("siteId", TEXT),
    field("desktopLayoutId", STR),
    field("skillProfileId", STR),
    field("multiMediaProfileId", STR),
    field("userIds", UNIQUE_STRINGS),
    field("description", str_max(255)),
    field("systemDefault", Kind::Bool),
    required("rankQueuesForTeam", Kind::Bool),
    field(
        "queueRankings",
        Kind::Objects {
            fields: QUEUE_RANKING,
            unique: true
        }
    ),
];

/// How an object is checked.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    /// Required fields that must be present: all of them (a create or a replacement), or only
    /// these (a partial update names `id` alone). `null` stands for an absent field (in a merge
    /// patch: "remove it"), which a required field may never be.
    pub required: Required<'a>,
    /// Fields the table does not have are refused (the `write_unknown_fields` knob).
    pub refuse_unknown: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Required<'a> {
    /// The table's required fields, plus these.
    Table(&'a [&'a str]),
    /// Only these.
    Only(&'a [&'a str]),
}

impl Required<'_> {
    fn needs(&self, field: &Field) -> bool {
        match self {
            Required::Table(extra) => field.required || extra.contains(&field.name),
            Required::Only(names) => names.contains(&field.name),
        }
    }
}

/// The first problem of `value` as an object of `fields`, as `"<path>: <problem>"`.
pub fn check_object(
    value: &Value,
    fields: &[Field],
    path: &str,
    rules: Rules,
) -> Result<(), String> {
    let at = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let Some(object) = value.as_object() else {
        let name = if path.is_empty() { "body" } else { path };
        return Err(format!(
            "{name}: must be a JSON object, got {}",
            describe(value)
        ));
    };
    if rules.refuse_unknown
        && let Some(unknown) = object.keys().find(|k| !fields.iter().any(|f| f.name == *k))
    {
        return Err(format!(
            "{}: unknown field; the fields of this object are {}",
            at(unknown),
            names(fields)
        ));
    }
    for f in fields {
        let needed = rules.required.needs(f);
        match object.get(f.name) {
            None if needed => return Err(format!("{}: is required", at(f.name))),
            None => {}
            Some(Value::Null) if needed || f.required => {
                return Err(format!("{}: must not be null", at(f.name)));
            }
            Some(Value::Null) => {}
            Some(v) => check_value(v, f.kind, &at(f.name), rules)?,
        }
    }
    Ok(())
}

fn check_value(value: &Value, kind: Kind, path: &str, rules: Rules) -> Result<(), String> {
    let wrong = |expected: &str| {
        Err(format!(
            "{path}: must be {expected}, got {}",
            describe(value)
        ))
    };
    match kind {
        Kind::Str { min, max } => {
            let Some(s) = value.as_str() else {
                return wrong("a string");
            };
            let chars = s.chars().count();
            if chars < min {
                return Err(if min == 1 {
                    format!("{path}: must not be empty")
                } else {
                    format!("{path}: must have at least {min} characters")
                });
            }
            if let Some(max) = max.filter(|m| chars > *m) {
                return Err(format!(
                    "{path}: must have at most {max} characters, got {chars}"
                ));
            }
        }
        Kind::Uuid => {
            let Some(s) = value.as_str() else {
                return wrong("a string");
            };
            if !is_uuid(s) {
                return Err(format!("{path}: must be a UUID, got {s:?}"));
            }
        }
        Kind::Bool if !value.is_boolean() => return wrong("a boolean"),
        Kind::Bool => {}
        Kind::Int32 { min, max } => match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => {}
            Some(n) => {
                return Err(format!("{path}: must be between {min} and {max}, got {n}"));
            }
            None => return wrong("an integer (int32)"),
        },
        Kind::Int64 if value.as_i64().is_none() => return wrong("an integer (int64)"),
        Kind::Int64 => {}
        Kind::Enum(values) => match value.as_str() {
            Some(s) if values.contains(&s) => {}
            Some(s) => {
                return Err(format!(
                    "{path}: unknown value {s:?}; must be one of {}",
                    values.join(", ")
                ));
            }
            None => return wrong(&format!("one of {}", values.join(", "))),
        },
        Kind::Strings { unique } => {
            let Some(items) = value.as_array() else {
                return wrong("an array of strings");
            };
            if let Some((i, item)) = items.iter().enumerate().find(|(_, v)| !v.is_string()) {
                return Err(format!(
                    "{path}[{i}]: must be a string, got {}",
                    describe(item)
                ));
            }
            if unique {
                check_unique(items, path)?;
            }
        }
        Kind::Objects { fields, unique } => {
            let Some(items) = value.as_array() else {
                return wrong("an array of objects");
            };
            let nested = Rules {
                required: Required::Table(&[]),
                ..rules
            };
            for (i, item) in items.iter().enumerate() {
                check_object(item, fields, &format!("{path}[{i}]"), nested)?;
            }
            if unique {
                check_unique(items, path)?;
            }
        }
    }
    Ok(())
}

/// `uniqueItems`: no item equals an earlier one.
fn check_unique(items: &[Value], path: &str) -> Result<(), String> {
    for (i, item) in items.iter().enumerate() {
        if let Some(first) = items[..i].iter().position(|earlier| earlier == item) {
            return Err(format!(
                "{path}: items must be unique; item {i} repeats item {first} ({})",
                describe(item)
            ));
        }
    }
    Ok(())
}

/// The spec's `organizationId` pattern, `^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?…{12}$`.
pub fn is_uuid(s: &str) -> bool {
    let mut rest = s;
    for (i, len) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('-').unwrap_or(rest);
        }
        let Some((group, tail)) = rest.split_at_checked(len) else {
            return false;
        };
        if !group.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// A JSON value named for a message: its type, and short values themselves.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Value::String(_) => "a long string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn names(fields: &[Field]) -> String {
    fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// The kind of `name` in `fields`.
pub fn kind_of(fields: &[Field], name: &str) -> Option<Kind> {
    fields.iter().find(|f| f.name == name).map(|f| f.kind)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const FULL: Rules = Rules {
        required: Required::Table(&[]),
        refuse_unknown: true,
    };
    const PATCH: Rules = Rules {
        required: Required::Only(&["id"]),
        refuse_unknown: true,
    };

    fn team() -> Value {
        json!({"name": "T", "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": true,
               "siteId": "s", "rankQueuesForTeam": false})
    }

    #[test]
    fn each_kind_of_problem_names_the_field() {
        assert_eq!(check_object(&team(), TEAM, "", FULL), Ok(()));
        let cases = [
            (
                json!({"active": "yes"}),
                "active: must be a boolean, got \"yes\"",
            ),
            (
                json!({"teamType": "ROBOT"}),
                "teamType: unknown value \"ROBOT\"",
            ),
            (
                json!({"capacity": 1.5}),
                "capacity: must be an integer (int32)",
            ),
            (
                json!({"capacity": 3_000_000_000_i64}),
                "capacity: must be between",
            ),
            (
                json!({"organizationId": "org-1"}),
                "organizationId: must be a UUID",
            ),
            (
                json!({"userIds": ["a", 2]}),
                "userIds[1]: must be a string, got 2",
            ),
            (
                json!({"description": "x".repeat(256)}),
                "description: must have at most 255",
            ),
            (
                json!({"queueRankings": [{"queueId": "q"}]}),
                "queueRankings[0].rank: is required",
            ),
            (
                json!({"queueRankings": [{"queueId": "q", "rank": 51}]}),
                "queueRankings[0].rank: must be between",
            ),
            (json!({"nmae": "typo"}), "nmae: unknown field"),
            (json!({"name": null}), "name: must not be null"),
        ];
        for (change, expected) in cases {
            let mut body = team();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let err = check_object(&body, TEAM, "", FULL).unwrap_err();
            assert!(err.starts_with(expected), "{err} (expected {expected})");
        }
        let mut missing = team();
        missing.as_object_mut().unwrap().remove("siteId");
        assert_eq!(
            check_object(&missing, TEAM, "item", FULL),
            Err("item.siteId: is required".into())
        );
    }

    #[test]
    fn a_patch_needs_only_its_id_and_may_remove_optional_fields() {
        let patch = json!({"id": "u", "teamIds": null, "siteId": "s"});
        assert_eq!(check_object(&patch, USER, "", PATCH), Ok(()));
        let err = check_object(&json!({"siteId": "s"}), USER, "item", PATCH).unwrap_err();
        assert_eq!(err, "item.id: is required");
        let err = check_object(&json!({"id": "u", "email": null}), USER, "", PATCH).unwrap_err();
        assert_eq!(err, "email: must not be null");
        let ignore = Rules {
            refuse_unknown: false,
            ..PATCH
        };
        assert_eq!(
            check_object(&json!({"id": "u", "siteName": "x"}), USER, "", ignore),
            Ok(())
        );
    }

    #[test]
    fn uuids_follow_the_specs_pattern() {
        assert!(is_uuid("2f9eecc5-0472-4549-9a83-2afdae0d4ba1"));
        assert!(is_uuid("2f9eecc5047245499a832afdae0d4ba1"));
        assert!(!is_uuid("2f9eecc5-0472-4549-9a83-2afdae0d4ba"));
        assert!(!is_uuid("zf9eecc5-0472-4549-9a83-2afdae0d4ba1"));
        assert!(!is_uuid(""));
    }
}
