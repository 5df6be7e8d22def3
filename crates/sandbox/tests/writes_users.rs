//! Writing users' Contact Center settings: `PATCH …/user/bulk` and `PATCH …/user/{id}` over
//! loopback HTTP — what reads show afterwards, per-item failures, stale versions under each knob
//! value, referential and shape checks, scope and role. (Their shapes: tests/conformance.)

mod common;

use common::writes::*;
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_bulk_update_shows_in_every_read_and_moves_version_and_last_updated_time() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let org = org_of(&admin);
    let before = users(&sb, &admin, 3).await;
    let sites = records(&sb, &admin, "v2/site", 10).await;
    let teams = records(&sb, &admin, "v2/team", 30).await;
    let skill_profiles = records(&sb, &admin, "v2/skill-profile", 10).await;
    // A site and a team none of the three has.
    let site = sites
        .iter()
        .find(|s| before.iter().all(|u| text(u, "siteId") != text(s, "id")))
        .unwrap();
    let new_team = teams
        .iter()
        .find(|t| before.iter().all(|u| u["teamIds"][0] != t["id"]))
        .unwrap();
    let old_team = before[0]["teamIds"][0].as_str().unwrap().to_string();
    let old_team_before = team_record(&sb, &admin, &old_team).await;

    let items: Vec<(i64, Value)> = before
        .iter()
        .enumerate()
        .map(|(i, u)| {
            (
                10 + i as i64,
                json!({"id": u["id"], "version": u["version"], "siteId": site["id"],
                       "teamIds": [new_team["id"]], "skillProfileId": skill_profiles[i]["id"],
                       "contactCenterEnabled": i != 1}),
            )
        })
        .collect();
    let answers = save_users(&sb, &admin, &items).await;
    assert_eq!(answers.len(), 3);
    for (answer, (identifier, item)) in answers.iter().zip(&items) {
        assert_eq!(answer["itemIdentifier"], *identifier);
        assert_eq!(
            (answer["status"].as_u64(), text(answer, "operationType")),
            (Some(200), "UPDATE")
        );
        assert_eq!(
            text(answer, "href"),
            format!("/api/organization/{org}/user/{}", text(item, "id"))
        );
    }

    for (i, old) in before.iter().enumerate() {
        let now = user(&sb, &admin, text(old, "id")).await;
        assert_eq!(now["siteId"], site["id"]);
        assert_eq!(
            now["siteName"], site["name"],
            "the site's name follows its id"
        );
        assert_eq!(now["teamIds"], json!([new_team["id"]]));
        assert_eq!(now["skillProfileId"], skill_profiles[i]["id"]);
        assert_eq!(now["contactCenterEnabled"], json!(i != 1));
        assert_eq!(now["version"], json!(old["version"].as_i64().unwrap() + 1));
        assert!(now["lastUpdatedTime"].as_i64() > old["lastUpdatedTime"].as_i64());
        assert_eq!(
            (&now["firstName"], &now["email"]),
            (&old["firstName"], &old["email"])
        );
        // The paged list and the older unpaged list show the same record.
        let filter = format!("id==\"{}\"", text(old, "id"));
        let listed = get(
            &sb,
            &admin,
            &format!("/organization/{org}/v2/user?filter={}", urlencode(&filter)),
        )
        .await;
        assert_eq!(listed["data"][0], now);
        let legacy = get(
            &sb,
            &admin,
            &format!("/organization/{org}/user?filter={}", urlencode(&filter)),
        )
        .await;
        assert_eq!(legacy[0]["siteId"], site["id"]);
    }
    // Membership is one relation: the teams' userIds follow, and those teams moved too.
    let joined = team_record(&sb, &admin, text(new_team, "id")).await;
    for u in &before {
        assert!(
            joined["userIds"].as_array().unwrap().contains(&u["id"]),
            "{joined}"
        );
    }
    assert!(joined["version"].as_i64() > new_team["version"].as_i64());
    let left = team_record(&sb, &admin, &old_team).await;
    assert!(
        !left["userIds"]
            .as_array()
            .unwrap()
            .contains(&before[0]["id"])
    );
    assert!(left["lastUpdatedTime"].as_i64() > old_team_before["lastUpdatedTime"].as_i64());
    let filter = urlencode(&format!("userId=={}", text(&before[0], "id")));
    let member_of = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/team?filter={filter}"),
    )
    .await;
    assert_eq!(member_of["data"].as_array().unwrap().len(), 1);
    assert_eq!(member_of["data"][0]["id"], new_team["id"]);

    // null removes an optional field; every write moves the version, even one that changes nothing.
    let id = text(&before[0], "id");
    let patch = json!({"skillProfileId": null, "externalIdentifier": "E-42"});
    let (status, patched) = patch_user(&sb, &admin, id, &patch).await;
    assert_eq!(status, 200, "{patched}");
    assert!(patched.get("skillProfileId").is_none() && patched["externalIdentifier"] == "E-42");
    assert_eq!(user(&sb, &admin, id).await, patched);
    let (_, again) = patch_user(&sb, &admin, id, &json!({})).await;
    assert_eq!(
        again["version"],
        json!(patched["version"].as_i64().unwrap() + 1)
    );
    assert!(again["lastUpdatedTime"].as_i64() > patched["lastUpdatedTime"].as_i64());

    // The spec's own example item (its id swapped for a seeded user's) is accepted.
    let example = json!({"items": [{"item": {"id": id, "firstName": "John14", "lastName": "Wick14",
        "userLevelBurnoutInclusion": "INCLUDED"}, "itemIdentifier": 0, "requestAction": "SAVE"}]});
    let (status, body) = patch_user_bulk(&sb, &admin, &example).await;
    assert_eq!(results(status, &body)[0]["status"], 200);
    assert_eq!(user(&sb, &admin, id).await["firstName"], "John14");

    // Writes last until the control endpoint's reset_writes.
    control(&sb, json!({"reset_writes": true})).await;
    assert_eq!(user(&sb, &admin, id).await, before[0]);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_failure_rate_fails_a_share_of_the_items_each_with_its_api_error() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let before = users(&sb, &admin, 4).await;
    control(&sb, json!({"bulk_item_failure_rate": 0.5})).await;
    let items: Vec<(i64, Value)> = before
        .iter()
        .enumerate()
        .map(|(i, u)| {
            (
                i as i64,
                json!({"id": u["id"], "externalIdentifier": format!("X{i}")}),
            )
        })
        .collect();
    let answers = save_users(&sb, &admin, &items).await;
    assert_eq!(
        statuses(&answers),
        [200, 500, 200, 500],
        "items 2 and 4 of 4 fail at 0.5"
    );
    assert!(
        item_error(&answers[1]).contains("bulk_item_failure_rate"),
        "{}",
        answers[1]
    );
    assert_eq!(
        answers[1]["apiError"]["trackingId"],
        answers[3]["apiError"]["trackingId"]
    );
    for (i, u) in before.iter().enumerate() {
        let now = user(&sb, &admin, text(u, "id")).await;
        if i % 2 == 0 {
            assert_eq!(now["externalIdentifier"], format!("X{i}"));
        } else {
            assert_eq!(now, *u, "a failed item is not saved");
        }
    }
    // A retry of the failed items alone, at the same rate, fails one of the two.
    let retry = [(1, items[1].1.clone()), (3, items[3].1.clone())];
    assert_eq!(statuses(&save_users(&sb, &admin, &retry).await), [200, 500]);
    control(&sb, json!({"bulk_item_failure_rate": 1.0})).await;
    let answers = save_users(&sb, &admin, &retry).await;
    assert!(answers.iter().all(|a| a["status"] == 500));
    let refused = post_faults(&sb, json!({"bulk_item_failure_rate": 2.0})).await;
    assert_eq!(refused.status(), 400);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_stale_version_is_answered_as_the_stale_version_knob_says() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let u = users(&sb, &admin, 1).await.remove(0);
    let id = text(&u, "id").to_string();
    let version = u["version"].as_i64().unwrap();
    let stale = json!({"id": id, "version": version - 1, "externalIdentifier": "stale"});

    for (knob, expected) in [("refuse400", 400), ("refuse409", 409)] {
        control(&sb, json!({"stale_version": knob})).await;
        let answer = &save_users(&sb, &admin, &[(7, stale.clone())]).await[0];
        assert_eq!(answer["status"], expected, "{knob}: {answer}");
        let description = item_error(answer);
        assert!(
            description.starts_with("version:") && description.contains(&version.to_string()),
            "{description}"
        );
        let (status, body) = patch_user(&sb, &admin, &id, &stale).await;
        assert!(
            refusal(status, &body, expected).starts_with("version:"),
            "{knob}"
        );
        assert_eq!(user(&sb, &admin, &id).await, u, "{knob}: nothing written");
    }
    // The current version is always accepted, and so is a write naming none.
    control(&sb, json!({"stale_version": "refuse400"})).await;
    let current = json!({"version": version, "externalIdentifier": "current"});
    let (status, body) = patch_user(&sb, &admin, &id, &current).await;
    assert_eq!(
        (status, &body["version"]),
        (200, &json!(version + 1)),
        "{body}"
    );

    control(&sb, json!({"stale_version": "accept"})).await;
    assert_eq!(
        save_users(&sb, &admin, &[(1, stale)]).await[0]["status"],
        200
    );
    let now = user(&sb, &admin, &id).await;
    assert_eq!(
        (&now["externalIdentifier"], &now["version"]),
        (&json!("stale"), &json!(version + 2))
    );
    let refused = post_faults(&sb, json!({"stale_version": "refuse412"})).await;
    assert_eq!(refused.status(), 400);
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_ids_are_refused_naming_the_field_and_the_id() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let u = users(&sb, &admin, 1).await.remove(0);
    let id = text(&u, "id");
    let cases = [
        (
            json!({"teamIds": [u["teamIds"][0], UNKNOWN_ID]}),
            "teamIds[1]: ",
        ),
        (json!({"siteId": UNKNOWN_ID}), "siteId: "),
        (json!({"skillProfileId": UNKNOWN_ID}), "skillProfileId: "),
        (json!({"agentProfileId": UNKNOWN_ID}), "agentProfileId: "),
        (
            json!({"multimediaProfileId": UNKNOWN_ID}),
            "multimediaProfileId: ",
        ),
        (json!({"userProfileId": UNKNOWN_ID}), "userProfileId: "),
        (
            json!({"dynamicSkills": [{"skillId": UNKNOWN_ID}]}),
            "dynamicSkills[0].skillId: ",
        ),
    ];
    for (patch, field) in cases {
        let (status, body) = patch_user(&sb, &admin, id, &patch).await;
        let description = refusal(status, &body, 400);
        assert_eq!(
            description,
            format!("{field}{UNKNOWN_ID} not found for given orgId.")
        );
        let mut item = patch.clone();
        item["id"] = json!(id);
        let answer = &save_users(&sb, &admin, &[(0, item)]).await[0];
        assert_eq!(answer["status"], 400);
        assert_eq!(
            item_error(answer),
            description,
            "the bulk item says the same"
        );
    }
    assert_eq!(user(&sb, &admin, id).await, u, "nothing written");
    // An unknown user: 404 alone, a per-item 404 in bulk.
    let (status, _) = patch_user(&sb, &admin, UNKNOWN_ID, &json!({})).await;
    assert_eq!(status, 404);
    let answers = save_users(&sb, &admin, &[(0, json!({"id": UNKNOWN_ID}))]).await;
    assert_eq!(answers[0]["status"], 404);
    // The spec's rules: fields that cannot be modified, and the profile type, changed only in Control Hub.
    let profiles = records(&sb, &admin, "v3/user-profile", 20).await;
    let other_type = profiles
        .iter()
        .find(|p| p["profileType"] != u["userProfileType"])
        .unwrap();
    for (patch, start) in [
        (
            json!({"ciUserId": UNKNOWN_ID}),
            "ciUserId: cannot be modified",
        ),
        (
            json!({"userProfileId": other_type["id"]}),
            "userProfileId: changing the profile type",
        ),
        (
            json!({"timezone": "Mars/Olympus"}),
            "timezone: unknown time zone",
        ),
        (json!({"organizationId": UNKNOWN_ID}), "organizationId: "),
    ] {
        let (status, body) = patch_user(&sb, &admin, id, &patch).await;
        assert!(refusal(status, &body, 400).starts_with(start), "{patch}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_request_off_the_specs_shape_is_refused_whole_naming_the_field() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let org = org_of(&admin);
    let two = users(&sb, &admin, 2).await;
    let good = json!({"id": two[0]["id"], "externalIdentifier": "ok"});
    let with = |bad: Value| bulk("SAVE", &[(0, good.clone()), (1, bad)]);
    let id = two[1]["id"].clone();
    let cases = [
        (
            with(json!({"id": id, "contactCenterEnabled": "yes"})),
            "items[1].item.contactCenterEnabled: must be a boolean, got \"yes\"",
        ),
        (
            with(json!({"siteId": "s"})),
            "items[1].item.id: is required",
        ),
        (
            with(json!({"id": id, "userLevelBurnoutInclusion": "SOMETIMES"})),
            "items[1].item.userLevelBurnoutInclusion: unknown value \"SOMETIMES\"",
        ),
        (
            with(json!({"id": id, "organizationId": "not-a-uuid"})),
            "items[1].item.organizationId: must be a UUID",
        ),
        (
            with(json!({"id": id, "siteName": "Berlin"})),
            "items[1].item.siteName: unknown field",
        ),
        (
            with(json!({"id": id, "teamIds": "one"})),
            "items[1].item.teamIds: must be an array of strings",
        ),
        (
            with(json!({"id": id, "email": null})),
            "items[1].item.email: must not be null",
        ),
        (
            with(json!({"id": id, "workPhone": "+1 555 0100 0100 0100 01"})),
            "items[1].item.workPhone: must have at most 20 characters",
        ),
        (
            with(json!({"id": id, "dynamicSkills": [{"skillId": "k", "proficiencyValue": 11}]})),
            "items[1].item.dynamicSkills[0].proficiencyValue: must be between 0 and 10",
        ),
        (
            json!({"items": [{"item": good, "itemIdentifier": "one"}]}),
            "items[0].itemIdentifier: must be an integer",
        ),
        (
            json!({"items": [{"item": good}]}),
            "items[0].itemIdentifier: is required",
        ),
        (
            json!({"items": [{"item": good, "itemIdentifier": 1}, {"item": good, "itemIdentifier": 1}]}),
            "items[1].itemIdentifier: 1 is used by an earlier item",
        ),
        (
            json!({"items": [{"item": good, "itemIdentifier": 1, "requestAction": "DELETE"}]}),
            "items[0].requestAction: unknown value \"DELETE\"",
        ),
        (json!({"items": []}), "items: must not be empty"),
        (json!({"users": []}), "users: unknown field"),
        (json!([good]), "body: must be a JSON object"),
    ];
    for (body, expected) in cases {
        let (status, answer) = patch_user_bulk(&sb, &admin, &body).await;
        let description = refusal(status, &answer, 400);
        assert!(
            description.starts_with(expected),
            "{description} (expected {expected})"
        );
    }
    let second = text(&two[1], "id");
    let (status, answer) = patch_user(&sb, &admin, second, &json!({"active": 1})).await;
    assert!(refusal(status, &answer, 400).starts_with("active: must be a boolean, got 1"));
    let (status, answer) = patch_user(&sb, &admin, second, &json!({"id": two[0]["id"]})).await;
    assert!(refusal(status, &answer, 400).starts_with("id: "));
    let raw = client()
        .patch(format!("{}/organization/{org}/user/{second}", sb.api_url()))
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    // Nothing was written by any refused request (the good first item included).
    assert_eq!(user(&sb, &admin, text(&two[0], "id")).await, two[0]);
    // Over the item limit.
    let many: Vec<(i64, Value)> = (0..101).map(|i| (i, good.clone())).collect();
    let (status, answer) = patch_user_bulk(&sb, &admin, &bulk("SAVE", &many)).await;
    assert!(refusal(status, &answer, 400).starts_with("items: at most 100 items"));
    // write_unknown_fields = ignore: a read record sent back as it came is accepted.
    control(&sb, json!({"write_unknown_fields": "ignore"})).await;
    let (status, answer) = patch_user(&sb, &admin, second, &two[1]).await;
    assert_eq!(status, 200, "{answer}");
    sb.shutdown().await;
}
