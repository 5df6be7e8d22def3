//! Planning the bulk writes (split at the limit, items in the spec's names), reading the bulk
//! answers into outcomes, and creating teams.

use serde_json::{Value, json};
use wxcc_core::provision::batches::{BulkBatch, MAX_ITEMS_PER_REQUEST, plan_writes};
use wxcc_core::provision::bulk_answer::{Outcome, read_bulk_answer, without_answer};
use wxcc_core::provision::diff::{FieldChange, UserDiff};
use wxcc_core::provision::resolve::TeamToCreate;
use wxcc_core::provision::settings::{Field, FieldValue};
use wxcc_core::provision::team_create::{
    TeamCreation, created_team_ids, read_team_bulk_answer, team_batches, team_bulk_body,
};

const ORG: &str = "f53c8b54-46ca-43f6-ba05-08426a46e23d";

fn change(field: Field, before: FieldValue, after: FieldValue) -> FieldChange {
    FieldChange {
        field,
        before,
        after,
        teams_to_create: Vec::new(),
        before_label: String::new(),
        after_label: String::new(),
    }
}

fn site_diff(row: usize) -> UserDiff {
    UserDiff {
        row,
        user_id: format!("u{row}"),
        email: format!("user{row}@example.com"),
        version: Some(row as u64),
        last_updated_time: None,
        changes: vec![change(
            Field::Site,
            FieldValue::Id(None),
            FieldValue::Id(Some("s-east".into())),
        )],
    }
}

fn body(batch: &BulkBatch) -> Value {
    serde_json::from_str(&batch.request_body(ORG)).expect("the body is JSON")
}

#[test]
fn writes_split_at_the_item_limit() {
    assert_eq!(MAX_ITEMS_PER_REQUEST, 50);
    for (users, sizes) in [
        (0, vec![]),
        (1, vec![1]),
        (50, vec![50]),
        (51, vec![50, 1]),
        (120, vec![50, 50, 20]),
    ] {
        let diffs: Vec<UserDiff> = (2..2 + users).map(site_diff).collect();
        let plan = plan_writes(&diffs, &[], &[]);
        let got: Vec<usize> = plan.batches.iter().map(|b| b.items.len()).collect();
        assert_eq!(got, sizes, "{users} users");
        assert_eq!(plan.item_count(), users);
        // Identifiers are unique over the run, so no answer can match another batch's item.
        let ids: Vec<u32> = plan
            .batches
            .iter()
            .flat_map(|b| b.items.iter().map(|i| i.item_identifier))
            .collect();
        assert_eq!(ids, (0..users as u32).collect::<Vec<_>>());
    }
}

#[test]
fn unchanged_users_are_not_written() {
    let mut unchanged = site_diff(3);
    unchanged.changes.clear();
    let plan = plan_writes(&[site_diff(2), unchanged], &[], &[]);
    assert_eq!(plan.item_count(), 1);
    assert_eq!(plan.batches[0].items[0].row, 2);
}

#[test]
fn an_item_carries_id_version_and_the_changed_fields_only_in_the_specs_names() {
    let diff = UserDiff {
        row: 7,
        user_id: "u-bob".into(),
        email: "bob@example.com".into(),
        version: Some(4),
        last_updated_time: Some(1),
        changes: vec![
            change(
                Field::Teams,
                FieldValue::Ids(vec![]),
                FieldValue::Ids(vec!["t-sales".into()]),
            ),
            change(
                Field::SkillProfile,
                FieldValue::Id(Some("sp-std".into())),
                FieldValue::Id(None),
            ),
            change(
                Field::DesktopProfile,
                FieldValue::Id(None),
                FieldValue::Id(Some("dp-agent".into())),
            ),
            change(
                Field::MultimediaProfile,
                FieldValue::Id(None),
                FieldValue::Id(Some("mm-all".into())),
            ),
            change(
                Field::ContactCenterEnabled,
                FieldValue::Flag(Some(false)),
                FieldValue::Flag(Some(true)),
            ),
        ],
    };
    let plan = plan_writes(&[diff], &[], &[]);
    assert_eq!(
        body(&plan.batches[0]),
        json!({"items": [{
            "itemIdentifier": 0,
            "requestAction": "SAVE",
            "item": {
                "id": "u-bob",
                "organizationId": ORG,
                "version": 4,
                "teamIds": ["t-sales"],
                "skillProfileId": null,
                "agentProfileId": "dp-agent",
                "multimediaProfileId": "mm-all",
                "contactCenterEnabled": true
            }
        }]})
    );
    let item = &plan.batches[0].items[0];
    assert_eq!(item.before.len(), 5);
    assert_eq!(item.before[1].value, FieldValue::Id(Some("sp-std".into())));

    // Without a known version, none is sent (the API's own check is not relied on).
    let mut unknown = site_diff(2);
    unknown.version = None;
    let plan = plan_writes(&[unknown], &[], &[]);
    let item = &body(&plan.batches[0])["items"][0]["item"];
    assert_eq!(
        item,
        &json!({"id": "u2", "organizationId": ORG, "siteId": "s-east"})
    );
}

fn team(name: &str) -> TeamToCreate {
    TeamToCreate {
        name: name.into(),
        site_id: "s-main".into(),
        first_line: 2,
    }
}

#[test]
fn new_teams_join_the_write_once_created_and_a_failed_one_holds_its_rows_back() {
    let mut joins_new = site_diff(2);
    joins_new.changes = vec![FieldChange {
        teams_to_create: vec![0, 1],
        ..change(
            Field::Teams,
            FieldValue::Ids(vec![]),
            FieldValue::Ids(vec!["t-sales".into()]),
        )
    }];
    let mut joins_failed = joins_new.clone();
    joins_failed.row = 3;
    joins_failed.changes[0].teams_to_create = vec![2];
    let teams = [team("Night"), team("Weekend"), team("Broken")];
    let created = [Some("t-new-1".to_owned()), Some("t-new-2".to_owned()), None];
    let plan = plan_writes(&[joins_new, joins_failed], &teams, &created);
    assert_eq!(
        body(&plan.batches[0])["items"][0]["item"]["teamIds"],
        json!(["t-sales", "t-new-1", "t-new-2"])
    );
    assert_eq!(plan.item_count(), 1);
    assert_eq!(plan.not_sent.len(), 1);
    assert_eq!(plan.not_sent[0].row, 3);
    assert_eq!(
        plan.not_sent[0].outcome,
        Outcome::Failed {
            reason: "not written: the team \"Broken\" it joins could not be created".into()
        }
    );
}

fn batch_of(rows: usize) -> BulkBatch {
    let diffs: Vec<UserDiff> = (2..2 + rows).map(site_diff).collect();
    plan_writes(&diffs, &[], &[]).batches.remove(0)
}

fn outcomes(batch: &BulkBatch, status: u16, body: &Value) -> Vec<(usize, Outcome)> {
    read_bulk_answer(batch, status, &body.to_string())
        .into_iter()
        .map(|o| (o.row, o.outcome))
        .collect()
}

#[test]
fn an_all_ok_answer_makes_every_row_done() {
    let batch = batch_of(3);
    let answer = json!({"items": [
        {"itemIdentifier": 2, "status": 200, "operationType": "UPDATE"},
        {"itemIdentifier": 0, "status": 200, "operationType": "UPDATE"},
        {"itemIdentifier": 1, "status": 204}
    ]});
    assert_eq!(
        outcomes(&batch, 207, &answer),
        [(2, Outcome::Done), (3, Outcome::Done), (4, Outcome::Done)]
    );
}

#[test]
fn a_partial_failure_fails_the_refused_items_with_the_apis_reason() {
    let batch = batch_of(2);
    let answer = json!({"items": [
        {"itemIdentifier": 0, "status": 200},
        {"itemIdentifier": 1, "status": 400, "apiError": {
            "trackingId": "ccconfig_c1a4",
            "error": {"key": "400", "message": [{"description": "siteId: not found for given orgId."}]}
        }}
    ]});
    let got = read_bulk_answer(&batch, 207, &answer.to_string());
    assert_eq!(got[0].outcome, Outcome::Done);
    assert_eq!(
        got[1].outcome,
        Outcome::Failed {
            reason: "siteId: not found for given orgId. (HTTP 400, tracking ID ccconfig_c1a4)"
                .into()
        }
    );
    assert_eq!(
        (got[1].email.as_str(), got[1].user_id.as_str()),
        ("user3@example.com", "u3")
    );
}

fn is_unknown(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Unknown { reason } if reason.contains("read the record back"))
}

#[test]
fn items_the_answer_leaves_out_or_fails_on_the_server_are_unknown() {
    let batch = batch_of(3);
    let answer = json!({"items": [
        {"itemIdentifier": 0, "status": 200},
        {"itemIdentifier": 2, "status": 500, "apiError": {"error": {"key": "500"}}},
        {"itemIdentifier": 99, "status": 200}
    ]});
    let got = outcomes(&batch, 207, &answer);
    assert_eq!(got[0], (2, Outcome::Done));
    assert!(is_unknown(&got[1].1), "{:?}", got[1]);
    assert!(
        matches!(&got[1].1, Outcome::Unknown { reason } if reason.contains("no result for this item"))
    );
    assert!(is_unknown(&got[2].1), "{:?}", got[2]);
}

#[test]
fn the_requests_own_status_decides_when_no_item_results_can_be_read() {
    let batch = batch_of(2);
    let refused = json!({"trackingId": "t-9", "error": {"key": "403", "message": [{"description": "Not an administrator"}]}});
    for (_, outcome) in outcomes(&batch, 403, &refused) {
        assert!(
            matches!(&outcome, Outcome::Failed { reason } if reason.contains("HTTP 403") && reason.contains("Not an administrator")),
            "{outcome:?}"
        );
    }
    for (_, outcome) in outcomes(&batch, 502, &json!({})) {
        assert!(is_unknown(&outcome), "{outcome:?}");
    }
    for body in ["not json", "{\"data\": []}"] {
        for outcome in read_bulk_answer(&batch, 207, body) {
            assert!(is_unknown(&outcome.outcome), "{body}: {outcome:?}");
        }
    }
    for outcome in without_answer(&batch, "the network failed") {
        assert!(is_unknown(&outcome.outcome));
    }
}

#[test]
fn teams_are_created_in_batches_with_what_teamdto_requires() {
    let teams: Vec<TeamToCreate> = (0..51).map(|i| team(&format!("Team {i}"))).collect();
    assert_eq!(team_batches(&teams), [0..50, 50..51]);
    let body: Value = serde_json::from_str(&team_bulk_body(&teams, 50..51, ORG)).unwrap();
    assert_eq!(
        body,
        json!({"items": [{"itemIdentifier": 50, "requestAction": "SAVE", "item": {
            "name": "Team 50", "siteId": "s-main", "teamType": "AGENT", "teamStatus": "IN_SERVICE",
            "active": true, "rankQueuesForTeam": false, "organizationId": ORG
        }}]})
    );
}

#[test]
fn a_created_teams_id_comes_from_its_href() {
    let answer = json!({"items": [
        {"itemIdentifier": 0, "status": 201, "operationType": "CREATE", "href": format!("/api/organization/{ORG}/team/t-new")},
        {"itemIdentifier": 1, "status": 400, "apiError": {"error": {"key": "400", "message": [{"description": "name: already exists"}]}}},
        {"itemIdentifier": 2, "status": 201}
    ]});
    let creations = read_team_bulk_answer(0..3, 207, &answer.to_string());
    assert_eq!(creations[0], TeamCreation::Created { id: "t-new".into() });
    assert_eq!(
        creations[1],
        TeamCreation::Failed {
            reason: "name: already exists (HTTP 400)".into()
        }
    );
    assert!(matches!(creations[2], TeamCreation::Unknown { .. }));
    assert_eq!(
        created_team_ids(&creations),
        [Some("t-new".to_owned()), None, None]
    );
}
