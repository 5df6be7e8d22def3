//! Writing teams: `POST …/team`, `POST …/team/bulk` and `PUT …/team/{id}` over loopback HTTP,
//! and the `team_dto_in` knob.
//! (Their shapes: tests/conformance.)

mod common;

use common::writes::*;
use common::*;
use serde_json::{Value, json};
use wxcc_sandbox::RunningSandbox;

async fn team(sb: &RunningSandbox, token: &str, id: &str) -> (u16, Value) {
    let path = format!("/organization/{}/team/{id}", org_of(token));
    send(sb, token, "GET", &path, &Value::Null).await
}

#[tokio::test]
async fn a_created_team_is_read_back_and_its_name_is_unique_within_its_site() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let org = org_of(&admin);
    let sites = records(&sb, &admin, "v2/site", 10).await;
    let site = text(&sites[0], "id");
    let users = records(&sb, &admin, "v2/user", 5).await;
    let layouts = records(&sb, &admin, "v2/desktop-layout", 5).await;
    let queues = records(&sb, &admin, "v2/contact-service-queue", 2).await;
    let mut dto = new_team("Provisioned Billing", site);
    dto["userIds"] = json!([users[3]["id"], users[4]["id"]]);
    dto["desktopLayoutId"] = layouts[0]["id"].clone();
    dto["queueRankings"] = json!([{"queueId": queues[0]["id"], "rank": 1}]);
    let (status, created) = create_team(&sb, &admin, &dto).await;
    assert_eq!(status, 201, "{created}");
    let id = text(&created, "id").to_string();
    assert_eq!(created["organizationId"], org);
    assert_eq!(
        (&created["name"], &created["siteName"]),
        (&dto["name"], &sites[0]["name"])
    );
    assert_eq!(
        created["version"], 0,
        "the spec: 0 for a newly created resource"
    );
    assert!(created["createdTime"].as_i64() >= Some(now_ms() - 60_000));
    assert_eq!(created["createdTime"], created["lastUpdatedTime"]);
    let (status, read) = team(&sb, &admin, &id).await;
    assert_eq!((status, &read), (200, &created));
    let listed = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/team?pageSize=100"),
    )
    .await;
    assert_eq!(listed["meta"]["totalRecords"], 25);
    assert!(listed["data"].as_array().unwrap().contains(&created));
    // Its agents now list it among their teams.
    let agent = get(
        &sb,
        &admin,
        &format!("/organization/{org}/user/{}", text(&users[3], "id")),
    )
    .await;
    assert!(
        agent["teamIds"].as_array().unwrap().contains(&json!(id)),
        "{agent}"
    );
    assert_eq!(
        agent["version"],
        json!(users[3]["version"].as_i64().unwrap() + 1)
    );

    // The same name in the same site (in any case) is a 409; in another site it is fine.
    let mut same = new_team("provisioned billing", site);
    let (status, body) = create_team(&sb, &admin, &same).await;
    assert!(refusal(status, &body, 409).starts_with("name: "));
    same["siteId"] = sites[1]["id"].clone();
    let (status, _) = create_team(&sb, &admin, &same).await;
    assert_eq!(status, 201);

    let refusals = [
        (
            json!({"siteId": UNKNOWN_ID}),
            400,
            format!("siteId: {UNKNOWN_ID} not found for given orgId."),
        ),
        (
            json!({"userIds": [UNKNOWN_ID]}),
            400,
            format!("userIds[0]: {UNKNOWN_ID} not found for given orgId."),
        ),
        (
            json!({"skillProfileId": UNKNOWN_ID}),
            400,
            format!("skillProfileId: {UNKNOWN_ID} not found for given orgId."),
        ),
        (
            json!({"multiMediaProfileId": UNKNOWN_ID}),
            400,
            format!("multiMediaProfileId: {UNKNOWN_ID} not found for given orgId."),
        ),
        (
            json!({"queueRankings": [{"queueId": UNKNOWN_ID, "rank": 1}]}),
            400,
            format!("queueRankings[0].queueId: {UNKNOWN_ID} not found for given orgId."),
        ),
        (
            json!({"teamType": "CAPACITY", "userIds": [users[3]["id"]]}),
            400,
            "userIds: agents can't be assigned to a capacity-based team".into(),
        ),
        (
            json!({"id": id}),
            400,
            "id: must not be specified when creating a team".into(),
        ),
        (
            json!({"teamStatus": "CLOSED"}),
            400,
            "teamStatus: unknown value \"CLOSED\"".into(),
        ),
        (
            json!({"rankQueuesForTeam": null}),
            400,
            "rankQueuesForTeam: must not be null".into(),
        ),
        (json!({"name": "  "}), 400, "name: must not be blank".into()),
        (
            json!({"description": "x".repeat(256)}),
            400,
            "description: must have at most 255 characters".into(),
        ),
    ];
    for (change, expected_status, expected) in refusals {
        let bad = changed(&new_team("Refused", site), &change);
        let (status, body) = create_team(&sb, &admin, &bad).await;
        let description = refusal(status, &body, expected_status);
        assert!(
            description.starts_with(&expected),
            "{description} (expected {expected})"
        );
    }
    let mut missing = new_team("Refused", site);
    missing.as_object_mut().unwrap().remove("teamType");
    let (status, body) = create_team(&sb, &admin, &missing).await;
    assert_eq!(
        (status, api_error_description(&body, 400)),
        (400, "teamType: is required".into())
    );
    let listed = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/team?pageSize=1"),
    )
    .await;
    assert_eq!(
        listed["meta"]["totalRecords"], 26,
        "no refused team was made"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn put_replaces_a_team_whole_and_keeps_its_site() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let teams = records(&sb, &admin, "v2/team", 7).await;
    assert_eq!(
        teams[0]["siteId"], teams[6]["siteId"],
        "the seed spreads teams over 6 sites"
    );
    let old = &teams[0];
    let id = text(old, "id");
    let path = format!("{}/{id}", teams_path(&admin));
    let members = old["userIds"].as_array().unwrap().clone();
    let mut dto = new_team("Renamed Team", text(old, "siteId"));
    dto["version"] = old["version"].clone();
    dto["userIds"] = json!(members[1..]);
    let (status, put) = send(&sb, &admin, "PUT", &path, &dto).await;
    assert_eq!(status, 200, "{put}");
    assert_eq!(
        (&put["name"], &put["description"]),
        (&json!("Renamed Team"), &json!("made by a test"))
    );
    assert_eq!(put["version"], json!(old["version"].as_i64().unwrap() + 1));
    assert!(put["lastUpdatedTime"].as_i64() > old["lastUpdatedTime"].as_i64());
    assert_eq!(
        (&put["createdTime"], &put["siteName"]),
        (&old["createdTime"], &old["siteName"])
    );
    assert!(
        put.get("skillProfileId").is_none(),
        "a PUT replaces: fields it leaves out are gone"
    );
    assert_eq!(team(&sb, &admin, id).await.1, put);
    // The agent it dropped no longer lists it.
    let org = org_of(&admin);
    let dropped = get(
        &sb,
        &admin,
        &format!("/organization/{org}/user/{}", members[0].as_str().unwrap()),
    )
    .await;
    assert!(
        !dropped["teamIds"].as_array().unwrap().contains(&json!(id)),
        "{dropped}"
    );

    dto["version"] = put["version"].clone();
    let cases = [
        (json!({"siteId": teams[1]["siteId"]}), 400, "siteId: "),
        (json!({"version": old["version"]}), 400, "version: "),
        (json!({"id": teams[1]["id"]}), 400, "id: "),
        (json!({"name": teams[6]["name"]}), 400, "name: "),
    ];
    for (change, expected_status, start) in cases {
        let (status, body) = send(&sb, &admin, "PUT", &path, &changed(&dto, &change)).await;
        assert!(
            refusal(status, &body, expected_status).starts_with(start),
            "{change}: {body}"
        );
    }
    let (status, _) = send(
        &sb,
        &admin,
        "PUT",
        &format!("{}/{UNKNOWN_ID}", teams_path(&admin)),
        &dto,
    )
    .await;
    assert_eq!(status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_bulk_save_creates_updates_and_deletes_item_by_item() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let org = org_of(&admin);
    let seeded = records(&sb, &admin, "v2/team", 1).await.remove(0);
    let site = text(&seeded, "siteId").to_string();
    let with_org = |mut dto: Value| {
        dto["organizationId"] = json!(org);
        dto
    };
    let mut update = with_org(new_team("Bulk Renamed", &site));
    update["id"] = seeded["id"].clone();
    update["userIds"] = seeded["userIds"].clone();
    let items = [
        (1, with_org(new_team("Bulk One", &site))),
        (2, with_org(new_team("Bulk Two", &site))),
        (3, update),
        (4, with_org(new_team("Bulk One", &site))),
    ];
    let (status, body) = post_team_bulk(&sb, &admin, &bulk("SAVE", &items)).await;
    let answers = results(status, &body);
    let outcome: Vec<(u64, &str)> = answers
        .iter()
        .map(|a| (a["status"].as_u64().unwrap(), text(a, "operationType")))
        .collect();
    assert_eq!(
        outcome,
        [
            (201, "CREATE"),
            (201, "CREATE"),
            (200, "UPDATE"),
            (409, "CREATE")
        ]
    );
    assert!(
        item_error(&answers[3]).starts_with("name: "),
        "the second Bulk One in the site"
    );
    let created: Vec<String> = answers[..2]
        .iter()
        .map(|a| text(a, "href").rsplit('/').next().unwrap().to_string())
        .collect();
    for (id, name) in created.iter().zip(["Bulk One", "Bulk Two"]) {
        let (status, read) = team(&sb, &admin, id).await;
        assert_eq!((status, &read["name"]), (200, &json!(name)));
    }
    assert_eq!(
        team(&sb, &admin, text(&seeded, "id")).await.1["name"],
        "Bulk Renamed"
    );

    // Save items need organizationId (the spec: "required for all bulk save operations").
    let no_org = bulk("SAVE", &[(1, new_team("No Org", &site))]);
    let (status, body) = post_team_bulk(&sb, &admin, &no_org).await;
    assert_eq!(
        refusal(status, &body, 400),
        "items[0].item.organizationId: is required"
    );
    // requestAction is required here, and a DELETE item is a whole TeamDTO with its id.
    let no_action =
        json!({"items": [{"itemIdentifier": 1, "item": with_org(new_team("x", &site))}]});
    let (status, body) = post_team_bulk(&sb, &admin, &no_action).await;
    assert!(refusal(status, &body, 400).starts_with("items[0].requestAction: is required"));
    let id_only = bulk("DELETE", &[(1, json!({"id": created[0]}))]);
    let (status, body) = post_team_bulk(&sb, &admin, &id_only).await;
    assert_eq!(
        refusal(status, &body, 400),
        "items[0].item.name: is required"
    );
    let whole = |id: &Value| {
        let mut dto = new_team("Deleted", &site);
        dto["id"] = id.clone();
        dto
    };
    let deletes = [
        (1, whole(&json!(created[0]))),
        (2, whole(&seeded["id"])),
        (3, whole(&json!(UNKNOWN_ID))),
    ];
    let (status, body) = post_team_bulk(&sb, &admin, &bulk("DELETE", &deletes)).await;
    let answers = results(status, &body);
    assert_eq!(statuses(&answers), [204, 412, 404], "{body}");
    assert!(item_error(&answers[1]).starts_with("Resource referred in other entity(s)"));
    assert_eq!(team(&sb, &admin, &created[0]).await.0, 404);
    assert_eq!(team(&sb, &admin, text(&seeded, "id")).await.0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn in_query_mode_the_team_dto_is_read_from_the_query_string() {
    let sb = start_demo().await;
    let admin = writer(&sb, "admin").await;
    let site = records(&sb, &admin, "v2/site", 1).await.remove(0);
    control(&sb, json!({"team_dto_in": "query"})).await;
    let query = format!(
        "name=Query%20Team&teamType=AGENT&teamStatus=IN_SERVICE&active=true&rankQueuesForTeam=false&siteId={}",
        text(&site, "id")
    );
    let (status, created) = send(
        &sb,
        &admin,
        "POST",
        &format!("{}?{query}", teams_path(&admin)),
        &Value::Null,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (&created["name"], &created["active"]),
        (&json!("Query Team"), &json!(true))
    );
    let (status, body) = create_team(&sb, &admin, &new_team("Body Team", text(&site, "id"))).await;
    assert!(refusal(status, &body, 400).starts_with("teamDTO: "));
    let (status, body) = send(
        &sb,
        &admin,
        "POST",
        &format!("{}?name=Half", teams_path(&admin)),
        &Value::Null,
    )
    .await;
    assert_eq!(refusal(status, &body, 400), "teamType: is required");
    let path = format!(
        "{}/{}?{}&active=maybe",
        teams_path(&admin),
        text(&created, "id"),
        query
    );
    let (status, body) = send(&sb, &admin, "PUT", &path, &Value::Null).await;
    assert!(refusal(status, &body, 400).starts_with("active: must be a boolean, got \"maybe\""));
    sb.shutdown().await;
}
