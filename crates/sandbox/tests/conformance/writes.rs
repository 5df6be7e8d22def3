//! The configuration writes against the spec (`patchAllConfig`, `patchConfig`, `createConfig_3`,
//! `saveAllConfig_3`, `updateConfig_4`): requests built from the spec's request schemas validate
//! against them and are accepted, each answer (201, 200, 207 and its per-item `apiError`s, the
//! 4xx and 5xx) validates against the operation's response schema for its status, and every
//! mutation the request schema refuses (a wrong type, an unknown enum value, a limit, a missing
//! required property) the sandbox refuses too, with a 400 naming the field.

use serde_json::{Value, json};
use wxcc_sandbox::RunningSandbox;

use crate::checker::{Checker, Request};
use crate::common::writes::UNKNOWN_ID;
use crate::common::*;
use crate::samples::{Change, Fill, Mutation, apply, mutations, required, sample};
use crate::spec::{Spec, load_spec};
use crate::{all_scopes_token, start_for_conformance};

const USER_BULK: &str = "/organization/{orgid}/user/bulk";
const USER: &str = "/organization/{orgid}/user/{id}";
const TEAMS: &str = "/organization/{orgid}/team";
const TEAM_BULK: &str = "/organization/{orgid}/team/bulk";
const TEAM: &str = "/organization/{orgid}/team/{id}";

/// A `$ref` to the spec's schema `name`.
fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The sandbox's records a sample refers to.
struct World<'a> {
    sb: &'a RunningSandbox,
    token: String,
    org: String,
    user: Value,
    team: Value,
    ids: Fill,
}

async fn first(sb: &RunningSandbox, token: &str, list: &str, skip: usize) -> Value {
    let org = org_of(token);
    let url = format!(
        "{}/organization/{org}/{list}?pageSize={}",
        sb.api_url(),
        skip + 1
    );
    let body: Value = bearer_get(&url, token).await.json().await.unwrap();
    body["data"][skip].clone()
}

impl<'a> World<'a> {
    async fn new(sb: &'a RunningSandbox) -> World<'a> {
        let token = all_scopes_token(sb, "admin").await;
        let org = org_of(&token);
        let user = first(sb, &token, "v2/user", 2).await;
        let team = first(sb, &token, "v2/team", 0).await;
        let id = |v: Value| v["id"].clone();
        let mut ids = Fill::new();
        ids.insert("siteId".into(), team["siteId"].clone());
        ids.insert("teamId".into(), team["id"].clone());
        for (field, list) in [
            ("skillProfileId", "v2/skill-profile"),
            ("agentProfileId", "v2/agent-profile"),
            ("multimediaProfileId", "v2/multimedia-profile"),
            ("desktopLayoutId", "v2/desktop-layout"),
            ("skillId", "v2/skill"),
            ("queueId", "v2/contact-service-queue"),
        ] {
            ids.insert(field.into(), id(first(sb, &token, list, 0).await));
        }
        World {
            sb,
            token,
            org,
            user,
            team,
            ids,
        }
    }

    fn path(&self, template: &str, id: &str) -> String {
        template.replace("{orgid}", &self.org).replace("{id}", id)
    }

    /// What a user sample fills in: the user's id and version, the fields the spec says
    /// "cannot be modified" as they are, and ids of the org's records.
    fn user_fill(&self, spec: &Spec) -> Fill {
        let mut fill = Fill::new();
        for (name, property) in crate::samples::properties(spec, &schema("UserDTO")) {
            let description = property["description"].as_str().unwrap_or_default();
            if description.contains("cannot be modified") {
                let current = self.user.get(name).cloned().unwrap_or(Value::Null);
                fill.insert(name.clone(), current);
            }
        }
        let ids = &self.ids;
        for (field, value) in [
            ("organizationId", json!(self.org)),
            ("id", self.user["id"].clone()),
            ("version", self.user["version"].clone()),
            ("userProfileId", self.user["userProfileId"].clone()),
            ("siteId", ids["siteId"].clone()),
            ("teamIds", json!([ids["teamId"]])),
            ("preferredSupervisorTeamId", ids["teamId"].clone()),
            ("skillProfileId", ids["skillProfileId"].clone()),
            ("agentProfileId", ids["agentProfileId"].clone()),
            ("multimediaProfileId", ids["multimediaProfileId"].clone()),
            ("timezone", json!("Europe/Berlin")),
            ("dynamicSkills[].organizationId", json!(self.org)),
            ("dynamicSkills[].skillId", ids["skillId"].clone()),
        ] {
            fill.insert(field.into(), value);
        }
        fill
    }

    /// What a team sample fills in; `id` and `version` for a replacement, none for a create.
    fn team_fill(&self, name: &str, existing: Option<&Value>) -> Fill {
        let ids = &self.ids;
        let mut fill = Fill::new();
        for (field, value) in [
            ("organizationId", json!(self.org)),
            ("id", existing.map_or(Value::Null, |t| t["id"].clone())),
            (
                "version",
                existing.map_or(json!(0), |t| t["version"].clone()),
            ),
            ("name", json!(name)),
            (
                "siteId",
                existing.map_or(ids["siteId"].clone(), |t| t["siteId"].clone()),
            ),
            ("desktopLayoutId", ids["desktopLayoutId"].clone()),
            ("skillProfileId", ids["skillProfileId"].clone()),
            ("multiMediaProfileId", ids["multimediaProfileId"].clone()),
            ("userIds", json!([self.user["id"]])),
            ("queueRankings[].organizationId", json!(self.org)),
            ("queueRankings[].queueId", ids["queueId"].clone()),
        ] {
            fill.insert(field.into(), value);
        }
        fill
    }

    fn user_id(&self) -> &str {
        self.user["id"].as_str().unwrap()
    }

    /// A UserDTO with every property the spec has, filled as [`World::user_fill`] says.
    fn user_sample(&self, spec: &Spec) -> Value {
        sample(spec, &schema("UserDTO"), &self.user_fill(spec), "")
    }

    /// A TeamDTO with every property the spec has, filled as [`World::team_fill`] says.
    fn team_sample(&self, spec: &Spec, name: &str, existing: Option<&Value>) -> Value {
        sample(
            spec,
            &schema("TeamDTO"),
            &self.team_fill(name, existing),
            "",
        )
    }

    /// The record at `template` for `id` as it now stands.
    async fn read(&self, template: &str, id: &str) -> Value {
        let url = format!("{}{}", self.sb.api_url(), self.path(template, id));
        bearer_get(&url, &self.token).await.json().await.unwrap()
    }

    /// Sends `method template` (its `{id}` being `id`) as the admin, expecting `expect` and an
    /// answer on the spec; the answer's JSON.
    async fn send(
        &self,
        c: &mut Checker<'_>,
        (method, template, id): (&str, &str, &str),
        body: &Value,
        expect: u16,
    ) -> Value {
        let path = self.path(template, id);
        let request = Request {
            method,
            template,
            path_and_query: &path,
            body: Some(body),
        };
        c.check_request(self.sb, Some(&self.token), &request, expect)
            .await
            .json()
            .clone()
    }
}

/// `body` is a valid request of `method template` by the spec's schema.
fn assert_valid_request(spec: &Spec, method: &str, template: &str, body: &Value) {
    let errors = spec.errors(&spec.request_schema(method, template), body);
    assert!(
        errors.is_empty(),
        "{method} {template}: the sample is off the spec: {errors:?}\n{body}"
    );
}

fn bulk_of(items: &[(&str, Value)]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, (action, item))| json!({"itemIdentifier": i, "item": item, "requestAction": action}))
        .collect();
    json!({"items": items})
}

#[tokio::test]
async fn writes_built_from_the_spec_are_accepted_and_answered_on_spec() {
    let spec = load_spec();
    let mut c = Checker::new(&spec);
    let sb = start_for_conformance().await;
    let w = World::new(&sb).await;
    let user_id = w.user_id();

    // PATCH user/bulk: a sample with every UserDTO property.
    let item = w.user_sample(&spec);
    let body = bulk_of(&[("SAVE", item.clone())]);
    assert_valid_request(&spec, "PATCH", USER_BULK, &body);
    let answer = w.send(&mut c, ("PATCH", USER_BULK, ""), &body, 207).await;
    assert_eq!(answer["items"][0]["status"], 200, "{answer}");

    // PATCH user/{id}: the same fields at the next version.
    let mut patch = item.clone();
    patch["version"] = json!(w.user["version"].as_i64().unwrap() + 1);
    assert_valid_request(&spec, "PATCH", USER, &patch);
    let updated = w.send(&mut c, ("PATCH", USER, user_id), &patch, 200).await;
    assert_eq!(
        updated["version"],
        json!(w.user["version"].as_i64().unwrap() + 2)
    );

    // POST team (the TeamDTO the spec declares as its teamDTO parameter, sent as the body).
    let create = w.team_sample(&spec, "Conformance Team", None);
    assert_valid_request(&spec, "POST", TEAMS, &create);
    let created = w.send(&mut c, ("POST", TEAMS, ""), &create, 201).await;
    let team_id = created["id"].as_str().unwrap().to_string();
    w.send(&mut c, ("POST", TEAMS, ""), &create, 409).await;

    // PUT team/{id}: the whole TeamDTO again, renamed.
    let replace = w.team_sample(&spec, "Conformance Team 2", Some(&created));
    assert_valid_request(&spec, "PUT", TEAM, &replace);
    w.send(&mut c, ("PUT", TEAM, &team_id), &replace, 200).await;
    let mut orphan = replace.clone();
    orphan["id"] = json!(UNKNOWN_ID);
    w.send(&mut c, ("PUT", TEAM, UNKNOWN_ID), &orphan, 404)
        .await;

    // POST team/bulk: a create, an update, a stale update, a delete refused (412) and one done.
    let current = w.read(TEAM, &team_id).await;
    let update = w.team_sample(&spec, "Conformance Team 3", Some(&current));
    let mut stale = update.clone();
    stale["version"] = json!(0);
    // The seeded team as it now stands (the user update above moved its membership).
    let seeded_now = w.read(TEAM, w.team["id"].as_str().unwrap()).await;
    let items = [
        ("SAVE", w.team_sample(&spec, "Conformance Bulk", None)),
        ("SAVE", update),
        ("SAVE", stale),
        ("DELETE", w.team_sample(&spec, "Seeded", Some(&seeded_now))),
    ];
    let body = bulk_of(&items);
    assert_valid_request(&spec, "POST", TEAM_BULK, &body);
    let answer = w.send(&mut c, ("POST", TEAM_BULK, ""), &body, 207).await;
    let statuses: Vec<&Value> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!(201), &json!(200), &json!(400), &json!(412)],
        "{answer}"
    );

    // Per-item errors: unknown ids and the failure knob, in the 207's apiError.
    let mut unknown = item.clone();
    unknown["teamIds"] = json!([UNKNOWN_ID]);
    unknown["version"] = Value::Null;
    let body = bulk_of(&[
        ("SAVE", unknown.clone()),
        ("SAVE", json!({"id": "no-such-user"})),
    ]);
    let answer = w.send(&mut c, ("PATCH", USER_BULK, ""), &body, 207).await;
    assert_eq!(
        (&answer["items"][0]["status"], &answer["items"][1]["status"]),
        (&json!(400), &json!(404))
    );
    control(&sb, json!({"bulk_item_failure_rate": 1.0})).await;
    let body = bulk_of(&[("SAVE", json!({"id": user_id}))]);
    w.send(&mut c, ("PATCH", USER_BULK, ""), &body, 207).await;
    control(&sb, json!({"bulk_item_failure_rate": 0.0})).await;

    // Whole-request errors: 400, 401, 403, 404, 429 (with json_429), 503.
    let writes = [
        (
            "PATCH",
            USER_BULK,
            w.path(USER_BULK, ""),
            bulk_of(&[("SAVE", json!({"id": user_id}))]),
        ),
        (
            "PATCH",
            USER,
            w.path(USER, user_id),
            json!({"externalIdentifier": "x"}),
        ),
        ("POST", TEAMS, w.path(TEAMS, ""), create.clone()),
        (
            "POST",
            TEAM_BULK,
            w.path(TEAM_BULK, ""),
            bulk_of(&items[..1]),
        ),
        ("PUT", TEAM, w.path(TEAM, &team_id), replace.clone()),
    ];
    let agent = all_scopes_token(&sb, "agent").await;
    let read_only = token_with_scope(&sb, "admin", "cjp:config_read").await;
    for (method, template, path, body) in &writes {
        let request = Request {
            method,
            template,
            path_and_query: path,
            body: Some(body),
        };
        c.check_request(&sb, Some(&agent), &request, 403).await;
        c.check_request(&sb, Some(&read_only), &request, 403).await;
        c.check_request(&sb, Some("not-a-token"), &request, 401)
            .await;
        let broken = Request {
            body: Some(&json!({"items": "x", "active": "x"})),
            ..request
        };
        c.check_request(&sb, Some(&w.token), &broken, 400).await;
        control(&sb, json!({"force_429": 1, "json_429": true})).await;
        c.check_request(&sb, Some(&w.token), &request, 429).await;
        control(&sb, json!({"force_5xx": 1, "json_429": false})).await;
        c.check_request(&sb, Some(&w.token), &request, 503).await;
    }
    let request = Request {
        method: "PATCH",
        template: USER,
        path_and_query: &w.path(USER, UNKNOWN_ID),
        body: Some(&json!({})),
    };
    c.check_request(&sb, Some(&w.token), &request, 404).await;
    control(&sb, json!({"stale_version": "refuse409"})).await;
    let request = Request {
        method: "PATCH",
        template: USER,
        path_and_query: &w.path(USER, user_id),
        body: Some(&json!({"version": 0})),
    };
    c.check_request(&sb, Some(&w.token), &request, 409).await;
    sb.shutdown().await;
    c.finish();
}

/// Sends each mutation of `base` (at `prefix`) to `method template` (its `{id}` being `id`) and
/// expects the spec's schema and the sandbox to refuse it, the sandbox with a 400 whose
/// description starts with the field's path.
async fn refuse_each(
    c: &mut Checker<'_>,
    w: &World<'_>,
    (method, template, id): (&str, &str, &str),
    base: &Value,
    prefix: &str,
    all: &[Mutation],
    required_by_description: &[&str],
) {
    let spec = c.spec;
    let schema = spec.request_schema(method, template);
    let checks_schema = !spec.resolve(&schema)["properties"]["valueType"].is_object();
    for m in all {
        let body = apply(base, prefix, m);
        if checks_schema && !required_by_description.contains(&m.field.as_str()) {
            let refused = !spec.errors(&schema, &body).is_empty();
            assert!(
                refused,
                "{method} {template}: the spec accepts {} ({})",
                m.field, m.why
            );
        }
        let answer = w.send(c, (method, template, id), &body, 400).await;
        let description = answer["error"]["message"][0]["description"]
            .as_str()
            .unwrap_or_default();
        let field = if prefix.is_empty() {
            m.field.clone()
        } else {
            format!("{prefix}.{}", m.field)
        };
        // The field, or an item of it (`teamIds[0]: must be a string`).
        let names = |after: &str| description.starts_with(&format!("{field}{after}"));
        if !(names(":") || names("[")) {
            c.failures.push(format!(
                "{method} {template} {field} ({}): {description}",
                m.why
            ));
        }
    }
}

#[tokio::test]
async fn every_mutation_the_request_schemas_refuse_is_refused_naming_the_field() {
    let spec = load_spec();
    let mut c = Checker::new(&spec);
    let sb = start_for_conformance().await;
    let w = World::new(&sb).await;

    // The bulk user update: "Mandatory Properties: [id]" (its request description), so only id
    // is required of an item; every other refusal is the UserDTO schema's.
    let item = w.user_sample(&spec);
    let body = bulk_of(&[("SAVE", item.clone())]);
    let user_mutations = mutations(&spec, &schema("UserDTO"), &["id".to_string()], "");
    assert!(
        user_mutations.len() > 60,
        "{} mutations",
        user_mutations.len()
    );
    let bulk = ("PATCH", USER_BULK, "");
    refuse_each(
        &mut c,
        &w,
        bulk,
        &body,
        "items[0].item",
        &user_mutations,
        &["id"],
    )
    .await;
    let envelope = [
        Mutation {
            field: "itemIdentifier".into(),
            change: Change::Set(json!("zero")),
            why: "wrong type",
        },
        Mutation {
            field: "requestAction".into(),
            change: Change::Set(json!(7)),
            why: "wrong type",
        },
        Mutation {
            field: "item".into(),
            change: Change::Set(json!("x")),
            why: "wrong type",
        },
    ];
    refuse_each(&mut c, &w, bulk, &body, "items[0]", &envelope, &[]).await;

    // The single PATCH: its schema (JsonValue) says nothing, the same UserDTO rules apply.
    let mut patch = item.clone();
    patch["version"] = Value::Null;
    let single: Vec<Mutation> = user_mutations
        .iter()
        .filter(|m| !matches!(m.change, Change::Remove))
        .cloned()
        .collect();
    let user = ("PATCH", USER, w.user_id());
    refuse_each(&mut c, &w, user, &patch, "", &single, &[]).await;

    // Team create and replacement: the whole TeamDTO, its required properties included.
    let team_dto = schema("TeamDTO");
    let team_mutations = mutations(&spec, &team_dto, &required(&spec, &team_dto), "");
    let create = w.team_sample(&spec, "Mutated", None);
    refuse_each(
        &mut c,
        &w,
        ("POST", TEAMS, ""),
        &create,
        "",
        &team_mutations,
        &[],
    )
    .await;
    let replace = w.team_sample(&spec, "Mutated", Some(&w.team));
    refuse_each(
        &mut c,
        &w,
        ("PUT", TEAM, w.team["id"].as_str().unwrap()),
        &replace,
        "",
        &team_mutations,
        &[],
    )
    .await;
    let body = bulk_of(&[("SAVE", create)]);
    refuse_each(
        &mut c,
        &w,
        ("POST", TEAM_BULK, ""),
        &body,
        "items[0].item",
        &team_mutations,
        &[],
    )
    .await;

    // Nothing any refused request carried was written.
    assert_eq!(w.read(USER, w.user_id()).await, w.user);
    sb.shutdown().await;
    c.finish();
}
