//! Sealed values are bound to their deployment: the mode, the client id and the allowed origins (or
//! `WXCC_PROXY_DEPLOYMENT_ID`). A value sealed by another deployment sharing the keys, or by this one
//! before a mode switch, is refused as `session_expired` with a warn-level line saying why.

mod support;

use std::collections::HashMap;
use support::*;
use wxcc_token_proxy::Secret;
use wxcc_token_proxy::config;
use wxcc_token_proxy::lifetime::SessionTimes;
use wxcc_token_proxy::sealing::{SealedSession, SessionId};

/// Signs in with `code` at the deployment configured by `env` and returns its cookie (cookie mode)
/// or handle.
async fn sealed_by(env: &HashMap<String, String>, code: &str) -> String {
    let router = router_at(env, &manual_clock());
    let signed_in = call(&router, "/token", &token_body(code), None).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    match signed_in.cookie() {
        Some(cookie) => cookie,
        None => signed_in.body["refresh_handle"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

/// `/refresh` with `sealed` at the deployment configured by `env`, with the warn-level log lines.
async fn refresh_at(
    env: &HashMap<String, String>,
    sealed: &str,
) -> (Answer, Vec<serde_json::Value>) {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.subscriber());
    let router = router_at(env, &manual_clock());
    let answer = match env[config::MODE].as_str() {
        "cookie" => call(&router, "/refresh", "{}", Some(sealed)).await,
        _ => call(&router, "/refresh", &handle_body(sealed), None).await,
    };
    let warnings = capture
        .lines()
        .into_iter()
        .filter(|line| line["level"] == "WARN")
        .collect();
    (answer, warnings)
}

fn assert_refused_with_warning(
    answer: &Answer,
    warnings: &[serde_json::Value],
    reason: &str,
    sealed: &str,
) {
    assert_eq!(answer.status, 401, "{:?}", answer.body);
    assert_eq!(answer.body["error"], "session_expired");
    let line = warnings
        .iter()
        .find(|line| {
            line["fields"]["reason"]
                .as_str()
                .unwrap_or("")
                .contains(reason)
        })
        .unwrap_or_else(|| panic!("no warning saying {reason:?} in {warnings:?}"));
    assert!(
        !line.to_string().contains(sealed),
        "the value is not logged"
    );
}

#[tokio::test]
async fn a_value_sealed_by_another_deployment_with_the_same_keys_is_refused() {
    let upstream = stub(Behavior::Normal).await;
    let production = env(&upstream.token_url(), "cookie");
    let other_client = env_with(
        &upstream.token_url(),
        "cookie",
        &[(config::CLIENT_ID, "staging-client")],
    );
    let other_origins = env_with(
        &upstream.token_url(),
        "cookie",
        &[(config::ALLOWED_ORIGINS, "https://staging.example")],
    );
    for (what, other) in [("client id", &other_client), ("origins", &other_origins)] {
        // Sealed the way that deployment seals (the stub knows only the test client, so not by a
        // sign-in there).
        let session = SealedSession {
            refresh_token: Secret::new("stub-refresh-token-1-Rr9"),
            refresh_expires_at: CLOCK_START + 10_000,
            times: SessionTimes {
                issued_at: CLOCK_START - 10,
                ends_at: CLOCK_START + 10_000,
                persistent: false,
            },
            session_id: SessionId::random(),
            key_thumbprint: None,
        };
        let sealed = sealer_of(other).seal(&session).secret().to_owned();
        let (answer, warnings) = refresh_at(&production, &sealed).await;
        assert_refused_with_warning(&answer, &warnings, "another deployment", &sealed);
        assert!(
            answer.body["error_description"]
                .as_str()
                .unwrap()
                .contains("another deployment"),
            "{what}: {:?}",
            answer.body
        );
    }
}

#[tokio::test]
async fn a_deployment_id_replaces_the_origins_in_the_binding() {
    let upstream = stub(Behavior::Normal).await;
    let with_id = |origins: &str, id: &str| {
        env_with(
            &upstream.token_url(),
            "cookie",
            &[
                (config::ALLOWED_ORIGINS, origins),
                (config::DEPLOYMENT_ID, id),
            ],
        )
    };
    let before = with_id(ORIGIN, "console-production");
    let sealed = sealed_by(&before, "good-1").await;
    // Another origin added: the same deployment id keeps the session.
    let widened = with_id(
        &format!("{ORIGIN},https://other.example"),
        "console-production",
    );
    let (answer, _) = refresh_at(&widened, &sealed).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    // Another deployment id (staging with production's keys and origins) refuses it.
    let staging = with_id(ORIGIN, "console-staging");
    let (answer, warnings) = refresh_at(&staging, &sealed).await;
    assert_refused_with_warning(&answer, &warnings, "another deployment", &sealed);
}

#[tokio::test]
async fn a_mode_switch_invalidates_the_values_sealed_before_it() {
    let upstream = stub(Behavior::Normal).await;
    let cookie = env(&upstream.token_url(), "cookie");
    let handle = env(&upstream.token_url(), "handle");

    let old_cookie = sealed_by(&cookie, "good-1").await;
    let (answer, warnings) = refresh_at(&handle, &old_cookie).await;
    assert_refused_with_warning(&answer, &warnings, "other session mode", &old_cookie);

    let old_handle = sealed_by(&handle, "good-2").await;
    let (answer, warnings) = refresh_at(&cookie, &old_handle).await;
    assert_refused_with_warning(&answer, &warnings, "other session mode", &old_handle);
}
