//! The session model: a session cookie by default, an absolute end fixed at sign-in (12 hours unless
//! configured, sooner when the refresh token expires first) that refreshes never move, in both modes;
//! "keep me signed in" (a persistent cookie) only when the proxy offers it, in cookie mode.
//! Time is a manual clock moved by the tests, never a sleep.

mod support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use support::*;
use wxcc_token_proxy::config;

const TWELVE_HOURS: u64 = 43_200;

/// A refresh refused because the session is over: 401 `session_expired`, the cookie cleared.
fn assert_ended_and_cleared(refused: &Answer) {
    assert_eq!(refused.status, 401, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "session_expired");
    assert_eq!(
        refused.cookie().as_deref(),
        Some(""),
        "the cookie is cleared"
    );
}

#[tokio::test]
async fn the_cookie_is_a_session_cookie_and_refreshes_keep_it_one() {
    let (_, clock, router) = proxy_with_clock("cookie", &[]).await;

    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    let set_cookie = signed_in.set_cookie.clone().unwrap();
    assert!(!set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"));
    assert!(set_cookie.ends_with("; Path=/; Secure; HttpOnly; SameSite=Strict"));
    assert_eq!(signed_in.body["session_expires_in"], TWELVE_HOURS);
    assert_eq!(signed_in.body["session_persistent"], false);

    clock.advance(600);
    let refreshed = call(&router, "/refresh", "{}", signed_in.cookie().as_deref()).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    let set_cookie = refreshed.set_cookie.clone().unwrap();
    assert!(!set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"));
    assert_eq!(refreshed.body["session_persistent"], false);
}

#[tokio::test]
async fn a_refresh_keeps_the_end_and_the_session_is_refused_after_it() {
    let (upstream, clock, router) = proxy_with_clock("cookie", &[]).await;
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    let mut cookie = signed_in.cookie().unwrap();

    // Refreshing every hour does not slide the end: it comes closer by exactly the time that passed.
    for hour in 1..12 {
        clock.advance(3_600);
        let refreshed = call(&router, "/refresh", "{}", Some(&cookie)).await;
        assert_eq!(refreshed.status, 200, "hour {hour}: {:?}", refreshed.body);
        assert_eq!(
            refreshed.body["session_expires_in"],
            TWELVE_HOURS - hour * 3_600
        );
        cookie = refreshed.cookie().unwrap();
    }
    clock.advance(3_599);
    let last = call(&router, "/refresh", "{}", Some(&cookie)).await;
    assert_eq!(last.status, 200, "{:?}", last.body);
    assert_eq!(last.body["session_expires_in"], 1);
    let cookie = last.cookie().unwrap();

    clock.advance(1);
    let refused = call(&router, "/refresh", "{}", Some(&cookie)).await;
    assert_ended_and_cleared(&refused);
    assert_eq!(
        upstream.forms().len(),
        13,
        "the refused refresh never reached the identity service"
    );
}

#[tokio::test]
async fn handle_mode_has_the_same_absolute_lifetime() {
    let (_, clock, router) = proxy_with_clock("handle", &[]).await;
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    assert_eq!(signed_in.set_cookie, None);
    assert_eq!(signed_in.body["session_expires_in"], TWELVE_HOURS);
    assert_eq!(signed_in.body["session_persistent"], false);

    clock.advance(TWELVE_HOURS - 1);
    let body = handle_body(signed_in.body["refresh_handle"].as_str().unwrap());
    let refreshed = call(&router, "/refresh", &body, None).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    assert_eq!(refreshed.body["session_expires_in"], 1);

    clock.advance(1);
    let body = handle_body(refreshed.body["refresh_handle"].as_str().unwrap());
    let refused = call(&router, "/refresh", &body, None).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["error"], "session_expired");
    assert_eq!(refused.set_cookie, None);
}

#[tokio::test]
async fn the_lifetime_is_configurable_and_a_shorter_one_ends_open_sessions() {
    let (upstream, clock, router) =
        proxy_with_clock("cookie", &[(config::SESSION_LIFETIME_SECS, "3600")]).await;
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    assert_eq!(signed_in.body["session_expires_in"], 3_600);

    // The operator shortens the lifetime: a session signed in before it ends by the new rule.
    let env = env_with(
        &upstream.token_url(),
        "cookie",
        &[(config::SESSION_LIFETIME_SECS, "600")],
    );
    let shorter = router_at(&env, &clock);
    clock.advance(599);
    let refreshed = call(&shorter, "/refresh", "{}", signed_in.cookie().as_deref()).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    assert_eq!(refreshed.body["session_expires_in"], 1);
    clock.advance(1);
    let refused = call(&shorter, "/refresh", "{}", refreshed.cookie().as_deref()).await;
    assert_eq!(refused.body["error"], "session_expired");
}

#[tokio::test]
async fn a_session_ends_no_later_than_its_refresh_token() {
    // As long as the refresh token may live: the stub's token lives one second less.
    let (_, _, router) =
        proxy_with_clock("cookie", &[(config::SESSION_LIFETIME_SECS, "7776000")]).await;
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    assert_eq!(signed_in.body["refresh_token_expires_in"], 7_775_999);
    assert_eq!(signed_in.body["session_expires_in"], 7_775_999);
}

/// A cookie in the first sealed format (refresh token and its expiry, no session times), sealed with
/// `KEY_A` the way the proxy sealed cookies before sessions had an end.
fn version_1_cookie(refresh_token: &str, expires_at: u64) -> String {
    let key = URL_SAFE_NO_PAD.decode(KEY_A).unwrap();
    let key_id = &Sha256::new()
        .chain_update(b"wxcc-token-proxy key id")
        .chain_update(&key)
        .finalize()[..4];
    let header = [&[1u8][..], key_id].concat();
    let aad = [&b"wxcc-token-proxy/refresh-token"[..], &header].concat();
    let nonce = [7u8; 24];
    let plaintext = [&expires_at.to_be_bytes()[..], refresh_token.as_bytes()].concat();
    let ciphertext = XChaCha20Poly1305::new_from_slice(&key)
        .unwrap()
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plaintext,
                aad: &aad,
            },
        )
        .unwrap();
    URL_SAFE_NO_PAD.encode([&header[..], &nonce, &ciphertext].concat())
}

#[tokio::test]
async fn a_cookie_sealed_before_sessions_had_an_end_is_refused() {
    let (upstream, _, router) = proxy_with_clock("cookie", &[]).await;
    // A live refresh token, so only the format can be the reason for the refusal.
    let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
    assert_eq!(signed_in.status, 200);
    let old = version_1_cookie("stub-refresh-token-1-Rr9", CLOCK_START + 1_000_000);

    let refused = call(&router, "/refresh", "{}", Some(&old)).await;
    assert_ended_and_cleared(&refused);
    assert!(
        refused.body["error_description"]
            .as_str()
            .unwrap()
            .contains("earlier version")
    );
    assert_eq!(
        upstream.forms().len(),
        1,
        "only the sign-in reached upstream"
    );
}

fn remember_body(code: &str, remember: bool) -> String {
    serde_json::json!({"code": code, "code_verifier": VERIFIER, "remember": remember}).to_string()
}

const THIRTY_DAYS: u64 = 30 * 86_400;

#[tokio::test]
async fn remember_makes_the_cookie_persistent_for_the_configured_days() {
    let (_, clock, router) = proxy_with_clock("cookie", &[(config::REMEMBER_DAYS, "30")]).await;
    let signed_in = call(&router, "/token", &remember_body("good-1", true), None).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    assert_eq!(signed_in.body["session_persistent"], true);
    assert_eq!(signed_in.body["session_expires_in"], THIRTY_DAYS);
    let set_cookie = signed_in.set_cookie.clone().unwrap();
    assert!(
        set_cookie.contains(&format!(
            "; Max-Age={THIRTY_DAYS}; Path=/; Secure; HttpOnly"
        )),
        "{set_cookie}"
    );

    // A refresh a day later keeps the cookie persistent, with the time that is left.
    clock.advance(86_400);
    let refreshed = call(&router, "/refresh", "{}", signed_in.cookie().as_deref()).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    assert_eq!(refreshed.body["session_persistent"], true);
    assert_eq!(refreshed.body["session_expires_in"], THIRTY_DAYS - 86_400);
    let set_cookie = refreshed.set_cookie.clone().unwrap();
    assert!(
        set_cookie.contains(&format!("; Max-Age={}", THIRTY_DAYS - 86_400)),
        "{set_cookie}"
    );

    // Remembered sessions end too.
    clock.advance(THIRTY_DAYS - 86_400);
    let refused = call(&router, "/refresh", "{}", refreshed.cookie().as_deref()).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["error"], "session_expired");
}

#[tokio::test]
async fn remember_is_ignored_unless_the_proxy_offers_it_in_cookie_mode() {
    let upstream = stub(Behavior::Normal).await;
    let clock = manual_clock();
    let cases = [
        // (remember days, mode, asked to remember)
        ("0", "cookie", true),
        ("30", "cookie", false),
        ("30", "handle", true),
    ];
    for (n, (days, mode, remember)) in cases.into_iter().enumerate() {
        let router = router_at(
            &env_with(
                &upstream.token_url(),
                mode,
                &[(config::REMEMBER_DAYS, days)],
            ),
            &clock,
        );
        let code = format!("good-{n}");
        let signed_in = call(&router, "/token", &remember_body(&code, remember), None).await;
        assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
        assert_eq!(signed_in.body["session_persistent"], false, "{days} {mode}");
        assert_eq!(signed_in.body["session_expires_in"], TWELVE_HOURS);
        if let Some(set_cookie) = signed_in.set_cookie {
            assert!(
                !set_cookie.contains("Max-Age"),
                "{days} {mode}: {set_cookie}"
            );
        }
    }
}

#[tokio::test]
async fn a_remembered_session_ends_with_its_refresh_token() {
    let (_, _, router) = proxy_with_clock("cookie", &[(config::REMEMBER_DAYS, "90")]).await;
    let signed_in = call(&router, "/token", &remember_body("good-1", true), None).await;
    // The stub's refresh token lives one second less than 90 days.
    assert_eq!(signed_in.body["session_expires_in"], 7_775_999);
    assert!(signed_in.set_cookie.unwrap().contains("; Max-Age=7775999;"));
}

#[tokio::test]
async fn turning_remember_off_ends_remembered_sessions_by_the_plain_lifetime() {
    let (upstream, clock, remembering) =
        proxy_with_clock("cookie", &[(config::REMEMBER_DAYS, "30")]).await;
    let signed_in = call(&remembering, "/token", &remember_body("good-1", true), None).await;
    assert_eq!(signed_in.body["session_persistent"], true);

    let forgetting = router_at(&env(&upstream.token_url(), "cookie"), &clock);
    clock.advance(3_600);
    let refreshed = call(&forgetting, "/refresh", "{}", signed_in.cookie().as_deref()).await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    assert_eq!(refreshed.body["session_persistent"], false);
    assert_eq!(refreshed.body["session_expires_in"], TWELVE_HOURS - 3_600);
    assert!(!refreshed.set_cookie.clone().unwrap().contains("Max-Age"));
    clock.advance(TWELVE_HOURS - 3_600);
    let refused = call(&forgetting, "/refresh", "{}", refreshed.cookie().as_deref()).await;
    assert_eq!(refused.body["error"], "session_expired");
}

#[tokio::test]
async fn the_access_token_lifetime_is_capped_at_the_session_end_in_every_answer() {
    for mode in ["cookie", "handle"] {
        let (_, clock, router) =
            proxy_with_clock(mode, &[(config::SESSION_LIFETIME_SECS, "600")]).await;
        // The stub grants 43 199 seconds; the session has 600 left.
        let signed_in = call(&router, "/token", &token_body("good-1"), None).await;
        assert_eq!(signed_in.status, 200, "{mode}: {:?}", signed_in.body);
        assert_eq!(
            signed_in.body["expires_in"], 600,
            "{mode}: the token exchange"
        );

        clock.advance(400);
        let (body, cookie) = match mode {
            "cookie" => ("{}".to_owned(), signed_in.cookie()),
            _ => (
                handle_body(signed_in.body["refresh_handle"].as_str().unwrap()),
                None,
            ),
        };
        let refreshed = call(&router, "/refresh", &body, cookie.as_deref()).await;
        assert_eq!(refreshed.status, 200, "{mode}: {:?}", refreshed.body);
        assert_eq!(refreshed.body["expires_in"], 200, "{mode}: the refresh");

        clock.advance(50);
        let (body, cookie) = match mode {
            "cookie" => (r#"{"probe":true}"#.to_owned(), refreshed.cookie()),
            _ => (
                serde_json::json!({
                    "probe": true,
                    "refresh_handle": refreshed.body["refresh_handle"],
                })
                .to_string(),
                None,
            ),
        };
        let probed = call(&router, "/refresh", &body, cookie.as_deref()).await;
        assert_eq!(probed.status, 200, "{mode}: {:?}", probed.body);
        assert_eq!(probed.body["expires_in"], 150, "{mode}: the probe");
    }
}
