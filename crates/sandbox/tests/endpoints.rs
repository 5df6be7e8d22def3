//! Behaviour of the endpoints beyond the paged configuration lists: single records, users by CI
//! id, address book entries, the older unpaged lists, estimated wait time, scheduled callbacks,
//! the flow store, subscriptions and Journey workspaces. (Their shapes: tests/conformance.)

mod common;

use common::*;
use serde_json::{Value, json};
use wxcc_sandbox::{DEMO_SCOPES, RunningSandbox};

async fn all_scopes(sb: &RunningSandbox, user: &str) -> String {
    token_with_scope(sb, user, &DEMO_SCOPES.join(" ")).await
}

/// Status and JSON body (`null` when empty).
async fn get(sb: &RunningSandbox, token: &str, path: &str) -> (u16, Value) {
    let r = api_get(sb, token, path).await;
    let status = r.status().as_u16();
    let bytes = r.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, body)
}

fn ids(records: &Value) -> Vec<&str> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn single_records_by_id_and_404_for_ids_of_no_record_or_another_org() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let (_, teams) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/team?pageSize=1"),
    )
    .await;
    let team = &teams["data"][0];
    let id = team["id"].as_str().unwrap();
    let (status, one) = get(&sb, &admin, &format!("/organization/{org}/team/{id}")).await;
    assert_eq!((status, &one), (200, team));

    let (status, body) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/team/no-such-team"),
    )
    .await;
    assert_eq!(status, 404);
    assert!(api_error_description(&body, 404).contains("no-such-team"));

    let other = all_scopes(&sb, "other-org-admin").await;
    let other_org = org_of(&other);
    let (_, theirs) = get(
        &sb,
        &other,
        &format!("/organization/{other_org}/v2/team?pageSize=1"),
    )
    .await;
    let their_team = theirs["data"][0]["id"].as_str().unwrap();
    let (status, _) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/team/{their_team}"),
    )
    .await;
    assert_eq!(status, 404, "another org's record is not in this org");
    let (status, _) = get(
        &sb,
        &admin,
        &format!("/organization/{other_org}/team/{their_team}"),
    )
    .await;
    assert_eq!(status, 403, "the org is checked before the id");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_user_by_ci_user_id_carries_their_access_profile_when_asked() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let filter = "filter=email%3D%3D%22avery.admin%40wxcc-sandbox.example.com%22";
    let (_, found) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/user?{filter}"),
    )
    .await;
    let ci = found["data"][0]["ciUserId"].as_str().unwrap().to_string();
    assert!(!ci.is_empty());

    let path = format!("/organization/{org}/v2/user/by-ci-user-id/{ci}");
    let (status, plain) = get(&sb, &admin, &path).await;
    assert_eq!(status, 200);
    assert_eq!(plain["email"], "avery.admin@wxcc-sandbox.example.com");
    assert!(plain.get("userProfileGranularAccessData").is_none());
    let (_, with) = get(&sb, &admin, &format!("{path}?includeUserProfile=true")).await;
    let profile = &with["userProfileGranularAccessData"];
    assert_eq!(profile["profileType"], "ADMINISTRATOR");
    assert_eq!(profile["id"], plain["userProfileId"]);
    let profile_id = profile["id"].as_str().unwrap();
    let (_, same) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v3/user-profile/{profile_id}"),
    )
    .await;
    assert_eq!(&same, profile);

    let (status, _) = get(&sb, &admin, &format!("{path}?includeUserProfile=maybe")).await;
    assert_eq!(status, 400);
    let (status, _) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/user/by-ci-user-id/nobody"),
    )
    .await;
    assert_eq!(status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_address_book_lists_the_same_entries_both_ways() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let (_, books) = get(&sb, &admin, &format!("/organization/{org}/v3/address-book")).await;
    let book = books["data"][0]["id"].as_str().unwrap();
    let (status, with) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/address-book/{book}"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, entries) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/address-book/{book}/entry"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids(&with["addressBookEntries"]), ids(&entries["data"]));
    assert_eq!(
        entries["meta"]["totalRecords"],
        json!(ids(&entries["data"]).len())
    );

    let (_, found) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/address-book/{book}/entry?search=helpdesk"),
    )
    .await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["data"][0]["name"], "IT Helpdesk");
    let (_, plain) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v3/address-book/{book}"),
    )
    .await;
    assert!(plain.get("addressBookEntries").is_none());
    let (status, _) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/address-book/no-book/entry"),
    )
    .await;
    assert_eq!(status, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn older_lists_are_plain_arrays_paged_by_default_except_sites() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let users = |q: &str| format!("/organization/{org}/user{q}");
    let (_, first) = get(&sb, &admin, &users("")).await;
    assert_eq!(
        first.as_array().unwrap().len(),
        100,
        "pageSize defaults to 100"
    );
    let (_, last) = get(&sb, &admin, &users("?page=2")).await;
    assert_eq!(last.as_array().unwrap().len(), 100);
    let (_, all) = get(&sb, &admin, &users("?pageSize=5000")).await;
    assert_eq!(
        all.as_array().unwrap().len(),
        300,
        "clamped to the maximum, not refused"
    );
    assert!(!ids(&first).iter().any(|id| ids(&last).contains(id)));
    let (status, _) = get(&sb, &admin, &users("?filter=firstName%3D%3DAvery")).await;
    assert_eq!(status, 400, "the older lists filter on id only");

    let (_, sites) = get(&sb, &admin, &format!("/organization/{org}/site?pageSize=1")).await;
    assert_eq!(sites.as_array().unwrap().len(), 6, "sites are not paged");
    let (_, profiles) = get(&sb, &admin, &format!("/organization/{org}/skill-profile")).await;
    assert!(
        profiles[0].get("activeSkills").is_none(),
        "SkillProfileDTOList has no skills"
    );
    let (_, books) = get(&sb, &admin, &format!("/organization/{org}/address-book")).await;
    assert!(books[0]["addressBookEntries"].is_array());
    let (_, chats) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/entry-point?channelTypes=CHAT"),
    )
    .await;
    assert!(!chats.as_array().unwrap().is_empty());
    assert!(
        chats
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["channelType"] == "CHAT")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn estimated_wait_time_of_a_seeded_queue_and_204_for_an_unknown_one() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let (_, queues) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/contact-service-queue"),
    )
    .await;
    let queue = queues["data"][0]["id"].as_str().unwrap();
    let (status, ewt) = get(
        &sb,
        &admin,
        &format!("/v1/ewt?queueId={queue}&lookbackMinutes=15"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(ewt["estimatedWaitTime"].as_f64().unwrap() > 0.0);
    let (status, body) = get(
        &sb,
        &admin,
        "/v1/ewt?queueId=AWpEGCi_SVK96XSm20PY&lookbackMinutes=15",
    )
    .await;
    assert_eq!((status, body), (204, Value::Null));
    for bad in [
        format!("queueId={queue}&lookbackMinutes=4"),
        format!("queueId={queue}&lookbackMinutes=241"),
        format!("queueId={queue}"),
        "lookbackMinutes=15".to_string(),
        format!("queueId={queue}&lookbackMinutes=15&maxCV=0"),
    ] {
        let (status, _) = get(&sb, &admin, &format!("/v1/ewt?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn scheduled_callbacks_follow_the_spec_rules() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let list = |q: &str| format!("/v1/callbacks/organization/{org}/scheduled-callback?{q}");
    for (query, why) in [
        ("", "neither assigneeAgent nor callbackNumber"),
        ("assigneeAgent=sam", "assigneeAgent is not a UUID"),
        (
            "callbackNumber=%2B1234567890&sortBy=assignedTime",
            "assignedTime without assigneeAgent",
        ),
        (
            "callbackNumber=%2B1234567890&pageSize=101",
            "pageSize above 100",
        ),
        ("callbackNumber=%2B1234567890&sortOrder=up", "sortOrder"),
    ] {
        let (status, _) = get(&sb, &admin, &list(query)).await;
        assert_eq!(status, 400, "{why}");
    }
    let (status, by_number) = get(&sb, &admin, &list("callbackNumber=%2B1234567890")).await;
    assert_eq!(status, 200);
    assert_eq!(
        by_number["meta"]["totalRecords"], 1,
        "the spec's example number is seeded"
    );
    let callback = &by_number["data"][0];

    // Sam Agent, who signs in as `agent`, has callbacks of their own.
    let filter = "filter=email%3D%3D%22sam.agent%40wxcc-sandbox.example.com%22";
    let (_, sam) = get(
        &sb,
        &admin,
        &format!("/organization/{org}/v2/user?{filter}"),
    )
    .await;
    let sam = sam["data"][0]["id"].as_str().unwrap();
    let (_, mine) = get(&sb, &admin, &list(&format!("assigneeAgent={sam}"))).await;
    let records = mine["data"].as_array().unwrap();
    assert!(records.len() >= 2);
    assert!(records.iter().all(|c| c["assigneeAgent"] == sam));
    let (_, reversed) = get(
        &sb,
        &admin,
        &list(&format!("assigneeAgent={sam}&sortOrder=desc")),
    )
    .await;
    let mut expected = ids(&mine["data"]);
    expected.reverse();
    assert_eq!(ids(&reversed["data"]), expected);

    let id = callback["id"].as_str().unwrap();
    let one = format!(
        "/v1/callbacks/organization/{org}/scheduled-callback/{}",
        id.to_uppercase()
    );
    let (status, found) = get(&sb, &admin, &one).await;
    assert_eq!(
        (status, &found),
        (200, callback),
        "UUIDs compare without regard to case"
    );
    let without_user_scope = token_with_scope(&sb, "admin", "cjp:config_read").await;
    let (status, _) = get(
        &sb,
        &without_user_scope,
        &list("callbackNumber=%2B1234567890"),
    )
    .await;
    assert_eq!(status, 403, "callbacks need cjp:user");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_flow_store_lists_filters_and_exports_flows() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let org = org_of(&admin);
    let base = format!("/flow-store/{org}/project/5e5c9ad6d61f870d6d778c1b/flows");
    let (status, flows) = get(&sb, &admin, &base).await;
    assert_eq!(status, 200);
    assert!(
        flows
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["flowType"] == "FLOW")
    );
    let (_, subflows) = get(&sb, &admin, &format!("{base}?flowType=SUBFLOW")).await;
    assert_eq!(subflows.as_array().unwrap().len(), 3);
    let first = flows[0]["id"].as_str().unwrap();
    let (_, by_id) = get(&sb, &admin, &format!("{base}?ids={first},nope")).await;
    assert_eq!(ids(&by_id), vec![first]);
    let (_, by_name) = get(&sb, &admin, &format!("{base}?partialNameSearch=ROUTING")).await;
    assert_eq!(by_name.as_array().unwrap().len(), 2);
    let (_, paged) = get(
        &sb,
        &admin,
        &format!("{base}?includePagination=true&size=4"),
    )
    .await;
    assert_eq!(paged["data"].as_array().unwrap().len(), 4);
    assert_eq!(
        (paged["totalRecords"].clone(), paged["totalPages"].clone()),
        (json!(6), json!(2))
    );

    let export = format!("{base}/{first}:export");
    let (status, latest) = get(&sb, &admin, &export).await;
    assert_eq!(status, 200);
    assert_eq!(latest["id"], flows[0]["tags"][0]["flowVersionId"]);
    let (_, draft) = get(&sb, &admin, &format!("{export}?version=draft")).await;
    assert_eq!(draft["persist"], false);
    let version = latest["id"].as_str().unwrap();
    let (_, by_version) = get(&sb, &admin, &format!("{export}?version={version}")).await;
    assert_eq!(by_version, latest);
    for (path, why) in [
        (format!("{export}?version=nope"), "an unknown version"),
        (format!("{base}/{first}"), "no :export"),
        (
            format!("/flow-store/{org}/project/other/flows"),
            "another project",
        ),
    ] {
        let (status, _) = get(&sb, &admin, &path).await;
        assert_eq!(status, 404, "{why}");
    }
    let agent = all_scopes(&sb, "agent").await;
    let (status, _) = get(&sb, &agent, &base).await;
    assert_eq!(status, 403, "flows need an administrator or supervisor");
    sb.shutdown().await;
}

#[tokio::test]
async fn subscriptions_and_event_types_answer_errors_as_error_result() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let (status, list) = get(&sb, &admin, "/v2/subscriptions").await;
    assert_eq!(status, 200);
    let count = list["data"].as_array().unwrap().len();
    assert_eq!(list["meta"]["subscriptionCount"], count);
    let id = list["data"][0]["id"].as_str().unwrap();
    let (_, one) = get(&sb, &admin, &format!("/v2/subscriptions/{id}")).await;
    assert_eq!(one["data"], list["data"][0]);

    let (_, types) = get(&sb, &admin, "/v2/event-types").await;
    let names: Vec<&str> = types["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for subscription in list["data"].as_array().unwrap() {
        for event in subscription["eventTypes"].as_array().unwrap() {
            assert!(names.contains(&event.as_str().unwrap()), "{event}");
        }
    }

    let (status, missing) = get(&sb, &admin, "/v2/subscriptions/no-such-id").await;
    assert_eq!(status, 404);
    assert_eq!(
        missing["error"]["key"], 404,
        "ErrorResult's key is an integer"
    );
    let agent = all_scopes(&sb, "agent").await;
    let (status, refused) = get(&sb, &agent, "/v2/subscriptions").await;
    assert_eq!((status, refused["error"]["key"].clone()), (403, json!(403)));
    let other_org = sb.state().second_org_id().to_string();
    let (status, _) = get(&sb, &admin, &format!("/v2/event-types?orgId={other_org}")).await;
    assert_eq!(status, 403);
    sb.shutdown().await;
}

#[tokio::test]
async fn journey_workspaces_filter_sort_and_answer_in_their_error_shape() {
    let sb = start_demo().await;
    let admin = all_scopes(&sb, "admin").await;
    let filter = "filter=workspaces.name%3D%3DCustomer-Journey-Widget";
    let (status, found) = get(&sb, &admin, &format!("/admin/v1/api/workspace?{filter}")).await;
    assert_eq!(status, 200);
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    let (_, subscriptions) = get(&sb, &admin, "/v2/subscriptions").await;
    assert_eq!(
        found["data"][0]["wxccSubscriptionIds"][0],
        subscriptions["data"][0]["id"]
    );
    let (_, ascending) = get(&sb, &admin, "/admin/v1/api/workspace").await;
    let (_, descending) = get(&sb, &admin, "/admin/v1/api/workspace?sortBy=name&sort=DESC").await;
    let mut reversed = ids(&ascending["data"]);
    reversed.reverse();
    assert_eq!(ids(&descending["data"]), reversed);

    let id = found["data"][0]["id"].as_str().unwrap();
    let (_, one) = get(
        &sb,
        &admin,
        &format!("/admin/v1/api/workspace/workspace-id/{id}"),
    )
    .await;
    assert_eq!(one["data"], found["data"][0]);
    let (status, missing) = get(&sb, &admin, "/admin/v1/api/workspace/workspace-id/nope").await;
    assert_eq!(status, 404);
    assert_eq!(missing["status"], "404 NOT_FOUND");
    assert!(missing["trackingId"].is_string() && missing["timestamp"].is_string());
    let (status, _) = get(&sb, &admin, "/admin/v1/api/workspace?filter=owner%3D%3Dx").await;
    assert_eq!(status, 400);
    let people_only = token_with_scope(&sb, "admin", "spark:people_read").await;
    let (status, refused) = get(&sb, &people_only, "/admin/v1/api/workspace").await;
    assert_eq!(
        (status, refused["status"].clone()),
        (403, json!("403 FORBIDDEN"))
    );
    sb.shutdown().await;
}
