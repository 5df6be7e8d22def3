//! Teams: `POST /organization/{orgid}/team` (`createConfig_3`, 201), `PUT …/team/{id}`
//! (`updateConfig_4`, 200, a full replacement) and `POST …/team/bulk` (`saveAllConfig_3`, 207:
//! `SAVE` without an `id` creates, with one replaces, `DELETE` (of a whole TeamDTO with its `id`)
//! removes).
//!
//! The spec's rules: `id` is not sent on a create and is mandatory on an update; `organizationId`
//! is required on every bulk save item; "two teams in the same site in an organization cannot
//! share the same name" (409 where the operation lists 409, 400 on the PUT, which does not);
//! `siteId` "should not be modified" once specified; a capacity-based team takes no skill
//! profile, multimedia profile or agents; a team other records refer to is not deleted (412,
//! "Resource referred in other entity(s)").

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::bulk::{self, Action, BulkAnswer, Done, Envelope, Item};
use super::schema::{Required, Rules, TEAM, check_object, kind_of};
use super::{
    SERVER_KEPT, WriteKnobs, WriteRequest, given, record_at_version, referenced, strings,
    sync_members, touch,
};
use crate::api::config_lists::not_found;
use crate::api::error::ApiError;
use crate::ids;
use crate::live::OrgWrite;
use crate::seed::Collection;
use crate::state::now_ms;

/// A team and how the messages name one, for [`record_at_version`].
const TEAM_KIND: (Collection, &str) = (Collection::Team, "team");

fn full(knobs: &WriteKnobs) -> Rules<'static> {
    Rules {
        required: Required::Table(&[]),
        refuse_unknown: knobs.refuse_unknown,
    }
}

/// `POST /organization/{orgid}/team`: 201 with the new team.
pub async fn create(request: WriteRequest) -> Result<(StatusCode, Json<Value>), ApiError> {
    let dto = request.team_dto()?;
    check_object(&dto, TEAM, "", full(&request.knobs)).map_err(ApiError::bad_request)?;
    let dto = dto.as_object().cloned().unwrap_or_default();
    if given(&dto, "id").is_some() {
        return Err(ApiError::bad_request(
            "id: must not be specified when creating a team; PUT …/team/{id} updates one",
        ));
    }
    let team = request.write(|w| create_team(w, &dto, now_ms(), StatusCode::CONFLICT))??;
    Ok((StatusCode::CREATED, Json(team)))
}

/// `PUT /organization/{orgid}/team/{id}`: 200 with the team as it now stands.
pub async fn replace(
    Path((_org, id)): Path<(String, String)>,
    request: WriteRequest,
) -> Result<Json<Value>, ApiError> {
    let knobs = &request.knobs;
    let dto = request.team_dto()?;
    check_object(&dto, TEAM, "", full(knobs)).map_err(ApiError::bad_request)?;
    let dto = dto.as_object().cloned().unwrap_or_default();
    if let Some(sent) = given(&dto, "id").and_then(Value::as_str)
        && sent != id
    {
        return Err(ApiError::bad_request(format!(
            "id: {sent} is not the id in the path ({id})"
        )));
    }
    let team = request
        .write(|w| replace_team(w, &id, &dto, knobs, now_ms(), StatusCode::BAD_REQUEST))??;
    Ok(Json(team))
}

/// `POST /organization/{orgid}/team/bulk`: 207 with one result per item.
pub async fn bulk_save(request: WriteRequest) -> Result<BulkAnswer, ApiError> {
    let knobs = &request.knobs;
    let body = request.json()?;
    let save = Rules {
        required: Required::Table(&["organizationId"]),
        refuse_unknown: knobs.refuse_unknown,
    };
    // The item of a DELETE is a TeamDTO too: the spec documents no lighter form for it.
    let delete = Rules {
        required: Required::Table(&["id"]),
        refuse_unknown: knobs.refuse_unknown,
    };
    let envelope = Envelope {
        fields: TEAM,
        actions: &[
            ("SAVE", Action::Save, save),
            ("DELETE", Action::Delete, delete),
        ],
        action_optional: false,
    };
    let items = bulk::items(&body, &envelope, knobs)?;
    let now = now_ms();
    let operation = |item: &Item| match (item.action, item_id(item)) {
        (Action::Delete, _) => "DELETE",
        (Action::Save, None) => "CREATE",
        (Action::Save, Some(_)) => "UPDATE",
    };
    let done = |status, id: &str| Done {
        status,
        href: Some(bulk::href(&request.org, "team", id)),
    };
    request.write(|w| {
        bulk::answer_each(w, &items, knobs.failure_rate, operation, |w, item| {
            match (item.action, item_id(item)) {
                (Action::Delete, Some(id)) => {
                    delete_team(w, id, &item.item, knobs).map(|()| done(StatusCode::NO_CONTENT, id))
                }
                (Action::Save, Some(id)) => {
                    replace_team(w, id, &item.item, knobs, now, StatusCode::CONFLICT)
                        .map(|_| done(StatusCode::OK, id))
                }
                (Action::Save, None) => create_team(w, &item.item, now, StatusCode::CONFLICT)
                    .map(|team| done(StatusCode::CREATED, team["id"].as_str().unwrap_or_default())),
                (Action::Delete, None) => Err(ApiError::bad_request("id: is required")),
            }
        })
    })
}

/// The team a bulk item names: none for a create.
fn item_id(item: &Item) -> Option<&str> {
    given(&item.item, "id").and_then(Value::as_str)
}

/// A new team from `dto` (shape checked): 201's body.
fn create_team(
    w: &mut OrgWrite<'_>,
    dto: &Map<String, Value>,
    now: i64,
    duplicate: StatusCode,
) -> Result<Value, ApiError> {
    let site_name = check_team(w, dto, None, duplicate)?;
    let stamp = w.stamp(now);
    let id = ids::random_uuid();
    let mut team = record_from(dto, w.org(), &id, site_name);
    team["systemDefault"] = given(dto, "systemDefault").cloned().unwrap_or(json!(false));
    // "For a newly created resource, it will be 0 unless specified otherwise."
    team["version"] = given(dto, "version").cloned().unwrap_or(json!(0));
    team["createdTime"] = json!(stamp);
    team["lastUpdatedTime"] = json!(stamp);
    w.records_mut(Collection::Team).push(team.clone());
    let members = strings(team.get("userIds"));
    sync_members(w, Collection::User, "teamIds", &id, &[], &members, stamp);
    Ok(team)
}

/// Team `id` replaced by `dto` (shape checked): PUT's body.
fn replace_team(
    w: &mut OrgWrite<'_>,
    id: &str,
    dto: &Map<String, Value>,
    knobs: &WriteKnobs,
    now: i64,
    duplicate: StatusCode,
) -> Result<Value, ApiError> {
    let current = record_at_version(w, TEAM_KIND, id, knobs, dto.get("version"))?;
    if given(dto, "siteId") != current.get("siteId") {
        return Err(ApiError::bad_request(format!(
            "siteId: cannot be modified once specified (team {id} is in site {})",
            current["siteId"].as_str().unwrap_or_default()
        )));
    }
    let site_name = check_team(w, dto, Some(id), duplicate)?;
    let stamp = w.stamp(now);
    let mut team = record_from(dto, w.org(), id, site_name);
    for kept in ["systemDefault", "version", "createdTime"] {
        if let Some(v) = current.get(kept) {
            team[kept] = v.clone();
        }
    }
    touch(&mut team, stamp);
    let record = w
        .record_mut(Collection::Team, id)
        .ok_or_else(|| not_found("team", id))?;
    *record = team.clone();
    let (before, after) = (
        strings(current.get("userIds")),
        strings(team.get("userIds")),
    );
    sync_members(w, Collection::User, "teamIds", id, &before, &after, stamp);
    Ok(team)
}

/// Removes team `id` unless other records refer to it.
fn delete_team(
    w: &mut OrgWrite<'_>,
    id: &str,
    dto: &Map<String, Value>,
    knobs: &WriteKnobs,
) -> Result<(), ApiError> {
    record_at_version(w, TEAM_KIND, id, knobs, dto.get("version"))?;
    let users = w
        .records(Collection::User)
        .iter()
        .filter(|u| {
            strings(u.get("teamIds")).iter().any(|t| t == id)
                || u["preferredSupervisorTeamId"].as_str() == Some(id)
        })
        .count();
    let queues = w
        .records(Collection::ContactServiceQueue)
        .iter()
        .filter(|q| queue_team_ids(q).any(|t| t == id))
        .count();
    let layouts = w
        .records(Collection::DesktopLayout)
        .iter()
        .filter(|l| strings(l.get("teamIds")).iter().any(|t| t == id))
        .count();
    if users + queues + layouts > 0 {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "Precondition Failed",
            format!(
                "Resource referred in other entity(s): team {id} is referred to by {users} users, {queues} queues and {layouts} desktop layouts. Remove those references first."
            ),
        ));
    }
    w.records_mut(Collection::Team)
        .retain(|t| t["id"].as_str() != Some(id));
    Ok(())
}

/// The teams a queue distributes to (`callDistributionGroups[].agentGroups[].teamId`).
fn queue_team_ids(queue: &Value) -> impl Iterator<Item = &str> {
    fn list(v: &Value) -> impl Iterator<Item = &Value> {
        v.as_array().into_iter().flatten()
    }
    list(&queue["callDistributionGroups"])
        .flat_map(|group| list(&group["agentGroups"]))
        .filter_map(|agents| agents["teamId"].as_str())
}

/// The stored record for `dto`: its fields the spec's TeamDTO has, the server's own (`id`,
/// `organizationId`) and the site's name; `userIds` is always present.
fn record_from(dto: &Map<String, Value>, org: &str, id: &str, site_name: Value) -> Value {
    let mut team = Map::new();
    team.insert("organizationId".into(), json!(org));
    team.insert("id".into(), json!(id));
    for (field, value) in dto {
        if !value.is_null()
            && !SERVER_KEPT.contains(&field.as_str())
            && kind_of(TEAM, field).is_some()
        {
            team.insert(field.clone(), value.clone());
        }
    }
    team.insert("siteName".into(), site_name);
    let mut members = strings(team.get("userIds"));
    members.sort();
    members.dedup();
    team.insert("userIds".into(), json!(members));
    Value::Object(team)
}

/// The checks against the org's records; the site's name. `this` is the team being replaced.
fn check_team(
    w: &OrgWrite<'_>,
    dto: &Map<String, Value>,
    this: Option<&str>,
    duplicate: StatusCode,
) -> Result<Value, ApiError> {
    if let Some(org) = given(dto, "organizationId").and_then(Value::as_str)
        && org != w.org()
    {
        return Err(ApiError::bad_request(format!(
            "organizationId: {org} is not the organization in the path ({})",
            w.org()
        )));
    }
    let name = given(dto, "name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if name.trim().is_empty() {
        return Err(ApiError::bad_request("name: must not be blank"));
    }
    let site = referenced(w, Collection::Site, "siteId", &dto["siteId"])?;
    let site_id = site["id"].as_str().unwrap_or_default();
    for (field, collection) in [
        ("desktopLayoutId", Collection::DesktopLayout),
        ("skillProfileId", Collection::SkillProfile),
        ("multiMediaProfileId", Collection::MultimediaProfile),
    ] {
        if let Some(value) = given(dto, field) {
            referenced(w, collection, field, value)?;
        }
    }
    let users = strings(given(dto, "userIds"));
    for (i, user) in users.iter().enumerate() {
        referenced(w, Collection::User, &format!("userIds[{i}]"), &json!(user))?;
    }
    let rankings = given(dto, "queueRankings").and_then(Value::as_array);
    for (i, ranking) in rankings.into_iter().flatten().enumerate() {
        let field = format!("queueRankings[{i}].queueId");
        referenced(
            w,
            Collection::ContactServiceQueue,
            &field,
            &ranking["queueId"],
        )?;
    }
    if dto.get("teamType") == Some(&json!("CAPACITY")) {
        for field in ["skillProfileId", "multiMediaProfileId"] {
            if given(dto, field).is_some() {
                return Err(ApiError::bad_request(format!(
                    "{field}: can't be assigned to a capacity-based team"
                )));
            }
        }
        if !users.is_empty() {
            return Err(ApiError::bad_request(
                "userIds: agents can't be assigned to a capacity-based team",
            ));
        }
    }
    let same_name = w.records(Collection::Team).iter().find(|t| {
        t["id"].as_str() != this
            && t["siteId"].as_str() == Some(site_id)
            && t["name"]
                .as_str()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(name.trim()))
    });
    if let Some(other) = same_name {
        return Err(ApiError::new(
            duplicate,
            if duplicate == StatusCode::CONFLICT {
                "Conflict"
            } else {
                "Bad Request"
            },
            format!(
                "name: team {} in site {} is already named {name:?}; two teams in the same site cannot share a name",
                other["id"].as_str().unwrap_or_default(),
                site["name"].as_str().unwrap_or_default()
            ),
        ));
    }
    Ok(site["name"].clone())
}
