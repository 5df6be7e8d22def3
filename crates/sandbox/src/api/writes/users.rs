//! Users' Contact Center settings: `PATCH /organization/{orgid}/user/bulk` (`patchAllConfig`) and
//! `PATCH /organization/{orgid}/user/{id}` (`patchConfig`). Users themselves are made in Control
//! Hub; these change the settings of existing ones.
//!
//! Both take "patch JSON", as the bulk operation's request description says: an item names the
//! user's `id` (its only mandatory property) and the fields to change; `null` removes a field;
//! `requestAction` is `SAVE` and may be left out. The single PATCH's spec schema (`JsonValue`)
//! says nothing of the body, so it reads the same patch object as a bulk item.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::bulk::{self, Action, BulkAnswer, Done, Envelope};
use super::schema::{Required, Rules, USER, check_object, kind_of};
use super::{
    SERVER_KEPT, WriteKnobs, WriteRequest, given, record_at_version, referenced, strings,
    sync_members, touch,
};
use crate::api::config_lists::not_found;
use crate::api::error::ApiError;
use crate::live::OrgWrite;
use crate::seed::Collection;
use crate::state::now_ms;

/// A user and how the messages name one, for [`record_at_version`].
const USER_KIND: (Collection, &str) = (Collection::User, "user");

/// Fields the spec says "cannot be modified".
const IMMUTABLE: &[&str] = &[
    "ciUserId",
    "broadCloudUserId",
    "xspVersion",
    "subscriptionId",
    "imiUserCreated",
];

/// Ids a user's fields refer to, and the kind each names.
const REFERENCES: &[(&str, Collection)] = &[
    ("skillProfileId", Collection::SkillProfile),
    ("agentProfileId", Collection::AgentProfile),
    ("multimediaProfileId", Collection::MultimediaProfile),
    ("preferredSupervisorTeamId", Collection::Team),
];

/// `PATCH /organization/{orgid}/user/bulk`: 207 with one result per item.
pub async fn bulk_patch(request: WriteRequest) -> Result<BulkAnswer, ApiError> {
    let knobs = &request.knobs;
    let body = request.json()?;
    let rules = Rules {
        required: Required::Only(&["id"]),
        refuse_unknown: knobs.refuse_unknown,
    };
    let envelope = Envelope {
        fields: USER,
        actions: &[("SAVE", Action::Save, rules)],
        action_optional: true,
    };
    let items = bulk::items(&body, &envelope, knobs)?;
    let now = now_ms();
    request.write(|w| {
        bulk::answer_each(
            w,
            &items,
            knobs.failure_rate,
            |_| "UPDATE",
            |w, item| {
                let id = item.item["id"].as_str().unwrap_or_default();
                apply_patch(w, id, &item.item, knobs, now).map(|_| Done {
                    status: StatusCode::OK,
                    href: Some(bulk::href(&request.org, "user", id)),
                })
            },
        )
    })
}

/// `PATCH /organization/{orgid}/user/{id}`: 200 with the user as it now stands.
pub async fn patch_one(
    Path((_org, id)): Path<(String, String)>,
    request: WriteRequest,
) -> Result<Json<Value>, ApiError> {
    let body = request.json()?;
    if body.is_array() {
        return Err(ApiError::bad_request(
            "body: must be a JSON object of the UserDTO fields to change (patch JSON, as the bulk update's items), got an array",
        ));
    }
    let rules = Rules {
        required: Required::Only(&[]),
        refuse_unknown: request.knobs.refuse_unknown,
    };
    check_object(&body, USER, "", rules).map_err(ApiError::bad_request)?;
    if let Some(sent) = body.get("id").and_then(Value::as_str)
        && sent != id
    {
        return Err(ApiError::bad_request(format!(
            "id: {sent} is not the id in the path ({id})"
        )));
    }
    let patch = body.as_object().cloned().unwrap_or_default();
    let user = request.write(|w| apply_patch(w, &id, &patch, &request.knobs, now_ms()))??;
    Ok(Json(user))
}

/// Checks `patch` against the org's records and applies it to user `id`; the user as it now
/// stands. Nothing changes when a check fails.
fn apply_patch(
    w: &mut OrgWrite<'_>,
    id: &str,
    patch: &Map<String, Value>,
    knobs: &WriteKnobs,
    now: i64,
) -> Result<Value, ApiError> {
    let current = record_at_version(w, USER_KIND, id, knobs, patch.get("version"))?;
    let derived = check_references(w, &current, patch)?;

    let before_teams = strings(current.get("teamIds"));
    let stamp = w.stamp(now);
    let user = w
        .record_mut(Collection::User, id)
        .ok_or_else(|| not_found("user", id))?;
    for (field, value) in patch {
        if SERVER_KEPT.contains(&field.as_str()) || kind_of(USER, field).is_none() {
            continue;
        }
        if let (Value::Null, Some(fields)) = (value, user.as_object_mut()) {
            fields.remove(field);
            if field == "siteId" {
                fields.remove("siteName");
            }
        } else {
            user[field] = value.clone();
        }
    }
    for (field, value) in derived {
        user[field] = value;
    }
    touch(user, stamp);
    let user = user.clone();
    let after_teams = strings(user.get("teamIds"));
    sync_members(
        w,
        Collection::Team,
        "userIds",
        id,
        &before_teams,
        &after_teams,
        stamp,
    );
    Ok(user)
}

/// The checks that need the org's records; the fields the answer derives from the ids
/// (`siteName`, `userProfileType`).
fn check_references(
    w: &OrgWrite<'_>,
    current: &Value,
    patch: &Map<String, Value>,
) -> Result<Vec<(&'static str, Value)>, ApiError> {
    if let Some(org) = given(patch, "organizationId").and_then(Value::as_str)
        && org != w.org()
    {
        return Err(ApiError::bad_request(format!(
            "organizationId: {org} is not the organization in the path ({})",
            w.org()
        )));
    }
    for field in IMMUTABLE {
        if let Some(sent) = patch.get(*field)
            && sent != current.get(*field).unwrap_or(&Value::Null)
        {
            return Err(ApiError::bad_request(format!(
                "{field}: cannot be modified"
            )));
        }
    }
    let mut derived = Vec::new();
    if let Some(site) = given(patch, "siteId") {
        let site = referenced(w, Collection::Site, "siteId", site)?;
        derived.push(("siteName", site["name"].clone()));
    }
    if let Some(profile) = given(patch, "userProfileId") {
        let profile = referenced(w, Collection::UserProfile, "userProfileId", profile)?;
        let (from, to) = (&current["userProfileType"], &profile["profileType"]);
        if from != to {
            return Err(ApiError::bad_request(format!(
                "userProfileId: changing the profile type ({} to {}) is supported only from Cisco Webex Control Hub",
                from.as_str().unwrap_or("none"),
                to.as_str().unwrap_or("none")
            )));
        }
        derived.push(("userProfileType", to.clone()));
    }
    for (field, collection) in REFERENCES {
        if let Some(value) = given(patch, field) {
            referenced(w, *collection, field, value)?;
        }
    }
    let teams = strings(given(patch, "teamIds"));
    for (i, team_id) in teams.iter().enumerate() {
        let field = format!("teamIds[{i}]");
        let team = referenced(w, Collection::Team, &field, &json!(team_id))?;
        if team["teamType"] == "CAPACITY" {
            return Err(ApiError::bad_request(format!(
                "{field}: team {team_id} is capacity-based; users can't be assigned to a capacity-based team"
            )));
        }
    }
    let skills = given(patch, "dynamicSkills").and_then(Value::as_array);
    for (i, skill) in skills.into_iter().flatten().enumerate() {
        let field = format!("dynamicSkills[{i}].skillId");
        referenced(w, Collection::Skill, &field, &skill["skillId"])?;
    }
    if let Some(zone) = given(patch, "timezone").and_then(Value::as_str)
        && zone.parse::<chrono_tz::Tz>().is_err()
    {
        return Err(ApiError::bad_request(format!(
            "timezone: unknown time zone {zone:?}; use an IANA name such as America/Chicago"
        )));
    }
    Ok(derived)
}
