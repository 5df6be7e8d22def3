//! Sign-out revokes: after `/logout`, a copied cookie or handle and every earlier re-sealed value of
//! the same session are refused by `/refresh` and the probe (by the session id, not the bytes), with
//! no call to the identity service; other sessions go on. In-process here; the same scenario on
//! DynamoDB (a local moto server, `cargo xtask test`) in the `dynamodb_` tests, which also check the
//! item's TTL attribute.

mod support;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    TimeToLiveSpecification,
};
use std::collections::HashMap;
use support::*;
use wxcc_token_proxy::config;
use wxcc_token_proxy::revocation::{
    DynamoDb, DynamoDbSettings, EXPIRES_AT_ATTRIBUTE, RevocationStore, SESSION_ID_ATTRIBUTE,
};
use wxcc_token_proxy::sealing::SessionId;

/// The variable `cargo xtask test` sets to its local DynamoDB-compatible server.
const ENDPOINT_VARIABLE: &str = "WXCC_TEST_DYNAMODB_ENDPOINT";
const TWELVE_HOURS: u64 = 43_200;

/// Signs in (`code`), refreshes once and signs out with the refreshed value; then the refreshed value
/// (a copy taken before sign-out) and the one before it are both refused, plain and as a probe, and
/// upstream saw no refresh after the sign-out. A second session is untouched throughout.
async fn sign_out_then_replay(env: &HashMap<String, String>, upstream: &Stub) {
    let router = router_at(env, &manual_clock());
    let handle_mode = env[config::MODE] == "handle";
    let sealed_in = |answer: &Answer| match handle_mode {
        true => answer.body["refresh_handle"].as_str().unwrap().to_owned(),
        false => answer.cookie().unwrap(),
    };
    let send_sealed = |path: &'static str, sealed: String, probe: bool| {
        let router = router.clone();
        async move {
            let mut body = serde_json::Map::new();
            if handle_mode {
                body.insert("refresh_handle".into(), sealed.clone().into());
            }
            if probe {
                body.insert("probe".into(), true.into());
            }
            let body = serde_json::Value::Object(body).to_string();
            let cookie = (!handle_mode).then_some(sealed);
            call(&router, path, &body, cookie.as_deref()).await
        }
    };

    let signed_in = call(&router, "/token", &token_body("good-signout"), None).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    let first = sealed_in(&signed_in);
    let refreshed = send_sealed("/refresh", first.clone(), false).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    let copied = sealed_in(&refreshed);
    let other = call(&router, "/token", &token_body("good-other"), None).await;
    let other = sealed_in(&other);

    let signed_out = send_sealed("/logout", copied.clone(), false).await;
    assert_eq!(signed_out.status, 204, "{:?}", signed_out.body);
    if !handle_mode {
        assert_eq!(
            signed_out.cookie().as_deref(),
            Some(""),
            "the cookie is cleared"
        );
    }
    let calls_before = upstream.forms().len();

    for (what, value) in [("the copied value", &copied), ("the earlier value", &first)] {
        let refused = send_sealed("/refresh", value.clone(), false).await;
        assert_eq!(refused.status, 401, "{what}: {:?}", refused.body);
        assert_eq!(refused.body["error"], "session_expired", "{what}");
        assert!(
            refused.body["error_description"]
                .as_str()
                .unwrap()
                .contains("signed out"),
            "{what}: {:?}",
            refused.body
        );
        let probed = send_sealed("/refresh", value.clone(), true).await;
        assert_eq!(probed.status, 200, "{what}");
        assert_eq!(probed.body["signed_in"], false, "{what}: {:?}", probed.body);
        assert_eq!(probed.body["reason"], "session_expired", "{what}");
    }
    assert_eq!(
        upstream.forms().len(),
        calls_before,
        "no refresh of a signed-out session reached the identity service"
    );
    let untouched = send_sealed("/refresh", other, false).await;
    assert_eq!(
        untouched.status, 200,
        "another session goes on: {:?}",
        untouched.body
    );
}

#[tokio::test]
async fn a_copied_cookie_and_an_earlier_one_are_refused_after_sign_out_in_process() {
    let upstream = stub(Behavior::Normal).await;
    sign_out_then_replay(&env(&upstream.token_url(), "cookie"), &upstream).await;
}

#[tokio::test]
async fn a_copied_handle_and_an_earlier_one_are_refused_after_sign_out_in_process() {
    let upstream = stub(Behavior::Normal).await;
    sign_out_then_replay(&env(&upstream.token_url(), "handle"), &upstream).await;
}

#[tokio::test]
async fn a_sign_out_without_a_live_session_still_clears_the_cookie() {
    let upstream = stub(Behavior::Normal).await;
    let router = router(&upstream.token_url(), "cookie");
    for cookie in [None, Some("garbage"), Some(&*tampered(&"A".repeat(120)))] {
        let answer = call(&router, "/logout", "{}", cookie).await;
        assert_eq!(answer.status, 204, "{cookie:?}");
        assert_eq!(answer.cookie().as_deref(), Some(""));
    }
}

/// The local DynamoDB's endpoint, or `None` to skip outside CI (under `CI=true` a missing server is a
/// failure: the suite must have run).
fn dynamodb_endpoint() -> Option<String> {
    match std::env::var(ENDPOINT_VARIABLE) {
        Ok(endpoint) if !endpoint.is_empty() => Some(endpoint),
        _ if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "{ENDPOINT_VARIABLE} is not set under CI=true: these tests need the local DynamoDB that \
             `cargo xtask test` starts (moto, installed by `cargo xtask setup`)"
        ),
        _ => {
            eprintln!("skipped: {ENDPOINT_VARIABLE} is not set (`cargo xtask test` sets it)");
            None
        }
    }
}

/// A fresh table (TTL on `expires_at`, as the deployment template creates it) at `endpoint`, and
/// the settings of a store on it.
async fn fresh_table(endpoint: &str) -> DynamoDbSettings {
    let settings = DynamoDbSettings {
        table: format!("revoked-{}", SessionId::random().to_hex()),
        region: "us-east-1".into(),
        endpoint: Some(endpoint.to_owned()),
        access_key_id: "testing".into(),
        secret_access_key: wxcc_token_proxy::Secret::new("testing"),
        session_token: None,
    };
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("testing", "testing", None, None, "test");
    let client = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
            .credentials_provider(credentials)
            .endpoint_url(endpoint)
            .build(),
    );
    client
        .create_table()
        .table_name(&settings.table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(SESSION_ID_ATTRIBUTE)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(SESSION_ID_ATTRIBUTE)
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("create the table on the local DynamoDB");
    client
        .update_time_to_live()
        .table_name(&settings.table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(EXPIRES_AT_ATTRIBUTE)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("turn TTL on");
    settings
}

fn dynamodb_env(
    token_url: &str,
    mode: &str,
    settings: &DynamoDbSettings,
) -> HashMap<String, String> {
    env_with(
        token_url,
        mode,
        &[
            (config::REVOCATION_STORE, "dynamodb"),
            (config::REVOCATION_TABLE, &settings.table),
            (
                config::DYNAMODB_ENDPOINT,
                settings.endpoint.as_deref().unwrap(),
            ),
            ("AWS_REGION", &settings.region),
            ("AWS_ACCESS_KEY_ID", &settings.access_key_id),
            ("AWS_SECRET_ACCESS_KEY", settings.secret_access_key.secret()),
        ],
    )
}

#[tokio::test]
#[ignore = "needs a local DynamoDB: `cargo xtask test` runs it against moto"]
async fn dynamodb_store_records_until_the_session_end_with_the_ttl_attribute() {
    let Some(endpoint) = dynamodb_endpoint() else {
        return;
    };
    let store = DynamoDb::new(&fresh_table(&endpoint).await);
    let (signed_out, other) = (SessionId::random(), SessionId::random());
    store
        .revoke(&signed_out, CLOCK_START + TWELVE_HOURS, CLOCK_START)
        .await
        .unwrap();
    assert_eq!(
        store.stored_end(&signed_out).await.unwrap(),
        Some(CLOCK_START + TWELVE_HOURS),
        "the TTL attribute is the session's end"
    );
    assert!(store.is_revoked(&signed_out, CLOCK_START).await.unwrap());
    // Past the end the record no longer counts, whether or not TTL has deleted it yet.
    assert!(
        !store
            .is_revoked(&signed_out, CLOCK_START + TWELVE_HOURS)
            .await
            .unwrap()
    );
    assert!(!store.is_revoked(&other, CLOCK_START).await.unwrap());
    assert_eq!(store.stored_end(&other).await.unwrap(), None);
}

#[tokio::test]
#[ignore = "needs a local DynamoDB: `cargo xtask test` runs it against moto"]
async fn dynamodb_store_refuses_a_copied_cookie_and_an_earlier_one_after_sign_out() {
    let Some(endpoint) = dynamodb_endpoint() else {
        return;
    };
    let settings = fresh_table(&endpoint).await;
    let upstream = stub(Behavior::Normal).await;
    sign_out_then_replay(
        &dynamodb_env(&upstream.token_url(), "cookie", &settings),
        &upstream,
    )
    .await;
    let upstream = stub(Behavior::Normal).await;
    sign_out_then_replay(
        &dynamodb_env(&upstream.token_url(), "handle", &settings),
        &upstream,
    )
    .await;
}

#[tokio::test]
#[ignore = "needs a local DynamoDB: `cargo xtask test` runs it against moto"]
async fn dynamodb_store_failing_refuses_the_refresh_and_says_so() {
    let Some(_) = dynamodb_endpoint() else { return };
    // A table that does not exist: every call fails.
    let settings = DynamoDbSettings {
        table: "no-such-table".into(),
        ..fresh_table(&dynamodb_endpoint().unwrap()).await
    };
    let (upstream, clock) = (stub(Behavior::Normal).await, manual_clock());
    let router = router_at(
        &dynamodb_env(&upstream.token_url(), "cookie", &settings),
        &clock,
    );
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    let refused = call(&router, "/refresh", "{}", signed_in.cookie().as_deref()).await;
    assert_eq!(refused.status, 502, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "upstream_unavailable");
    assert_eq!(
        refused.cookie(),
        None,
        "the cookie is kept: the session may be fine"
    );
    let signed_out = call(&router, "/logout", "{}", signed_in.cookie().as_deref()).await;
    assert_eq!(signed_out.status, 502, "{:?}", signed_out.body);
    assert_eq!(
        signed_out.cookie().as_deref(),
        Some(""),
        "this browser is signed out all the same"
    );
}
