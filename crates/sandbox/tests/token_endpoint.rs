//! The identity token endpoint as Webex documents it (README, fidelity table) and its knobs:
//! token shapes, the answer's fields, stable refresh and latency.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

const DOCUMENTED_FIELDS: [&str; 5] = [
    "access_token",
    "expires_in",
    "refresh_token",
    "refresh_token_expires_in",
    "token_type",
];

/// Cisco's samples and SDK read the org with `token.split('_')`: exactly three parts, org id last.
fn assert_webex_shape(token: &str, org: &str) {
    let parts: Vec<&str> = token.split('_').collect();
    assert_eq!(parts.len(), 3, "{token}");
    assert!(
        parts[0].bytes().all(|b| b.is_ascii_alphanumeric()),
        "{token}"
    );
    assert_eq!(parts[2], org, "{token}");
}

#[tokio::test]
async fn codes_and_tokens_over_http_split_into_three_parts_with_the_org_last() {
    let sb = start_demo().await;
    for user in ["admin", "other-org-admin"] {
        let org = sb.state().sign_in_user(user).unwrap().org_id.clone();
        let code = sign_in(&sb, user).await;
        assert_webex_shape(&code, &org);
        let (status, tokens) = redeem(&sb, &code).await;
        assert_eq!(status, 200);
        assert_webex_shape(tokens["access_token"].as_str().unwrap(), &org);
        let refresh_token = tokens["refresh_token"].as_str().unwrap();
        assert_webex_shape(refresh_token, &org);
        let (_, refreshed) = refresh(&sb, refresh_token).await;
        assert_webex_shape(refreshed["access_token"].as_str().unwrap(), &org);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn answers_carry_the_documented_fields_and_the_knobs_give_the_oauth_variants() {
    let sb = start_demo().await;
    let view = faults(&sb).await;
    assert_eq!(view["report_scope"], false);
    assert_eq!(view["omit_refresh_token_expires_in"], false);
    let tokens = token_for(&sb, "admin").await;
    assert_eq!(keys(&tokens), DOCUMENTED_FIELDS);
    let (_, refreshed) = refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(keys(&refreshed), DOCUMENTED_FIELDS);

    control(&sb, json!({"report_scope": true})).await;
    let tokens = token_for(&sb, "admin").await;
    assert_eq!(tokens["scope"], SCOPES);
    let (_, refreshed) = refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(refreshed["scope"], SCOPES);

    control(
        &sb,
        json!({"report_scope": false, "omit_refresh_token_expires_in": true}),
    )
    .await;
    let tokens = token_for(&sb, "admin").await;
    let without = ["access_token", "expires_in", "refresh_token", "token_type"];
    assert_eq!(keys(&tokens), without);
    let (status, refreshed) = refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(keys(&refreshed), without);
    sb.shutdown().await;
}

#[tokio::test]
async fn stable_refresh_returns_the_live_token_with_its_remaining_lifetime() {
    let sb = start_demo().await;
    control(
        &sb,
        json!({"stable_refresh_secs": 86_400, "access_token_lifetime_secs": 600}),
    )
    .await;
    let tokens = token_for(&sb, "admin").await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    for _ in 0..3 {
        let (status, again) = refresh(&sb, refresh_token).await;
        assert_eq!(status, 200);
        assert_eq!(again["access_token"], access, "the same access token");
        assert_eq!(again["refresh_token"], refresh_token);
        let remaining = again["expires_in"].as_u64().unwrap();
        assert!(
            (590..600).contains(&remaining),
            "the remaining lifetime: {remaining}"
        );
    }
    // Once that token is gone, a refresh issues a new one, and that one is then stable.
    control(&sb, json!({"expire_access_tokens": true})).await;
    let (_, renewed) = refresh(&sb, refresh_token).await;
    assert_ne!(renewed["access_token"], access);
    assert_eq!(renewed["expires_in"], 600);
    let (_, again) = refresh(&sb, refresh_token).await;
    assert_eq!(again["access_token"], renewed["access_token"]);
    // Off (the default), every refresh issues a new token with the full lifetime.
    control(&sb, json!({"stable_refresh_secs": 0})).await;
    let (_, fresh) = refresh(&sb, refresh_token).await;
    assert_ne!(fresh["access_token"], renewed["access_token"]);
    assert_eq!(fresh["expires_in"], 600);
    sb.shutdown().await;
}

#[tokio::test]
async fn token_latency_slows_the_token_endpoint_only() {
    let sb = start_demo().await;
    let tokens = token_for(&sb, "admin").await;
    let access = tokens["access_token"].as_str().unwrap();
    let latency = Duration::from_millis(1_000);
    let view = control(&sb, json!({"token_latency_ms": 1_000})).await;
    assert_eq!(view["token_latency_ms"], 1_000);
    let started = Instant::now();
    let (status, _) = refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= latency);
    let started = Instant::now();
    let path = format!("/organization/{}/v2/site", org_of(access));
    assert_eq!(api_get(&sb, access, &path).await.status(), 200);
    assert_eq!(people_me(&sb, access).await.status(), 200);
    assert!(
        started.elapsed() < latency,
        "the API and people/me are not delayed"
    );
    sb.shutdown().await;
}
