//! The whole sign-in as a browser performs it, over real HTTP on loopback, and each identity error.

mod common;

use common::*;
use serde_json::{Value, json};
use wxcc_sandbox::SandboxConfig;

#[tokio::test]
async fn full_grant_flow_authorize_consent_code_token_api_refresh() {
    let sb = start_demo().await;
    let http = client();

    // 1. The authorize page: a real login + consent form, no inline script, strict CSP.
    let page = http.get(authorize_url(&sb, &[])).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["trackingid"].to_str().unwrap().len() > 8);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"<input type="radio" name="user" value="admin" checked>"#),
        "{html}"
    );
    assert!(html.contains(r#"<input type="radio" name="user" value="agent">"#));
    assert!(
        html.contains(r#"<button type="submit" name="decision" value="accept">Accept</button>"#)
    );
    assert!(html.contains(r#"value="decline""#) && html.contains(">Decline</button>"));
    assert!(html.contains("cjp:config_read") && html.contains("spark:people_read"));
    assert!(!html.contains("<script"), "no scripts on the consent page");
    let css = http
        .get(format!("{}/v1/authorize/style.css", sb.identity_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);

    // 2. Accept → redirect to the registered URI with code and state.
    let txn = txn_of(&html);
    let r = http
        .post(format!("{}/v1/authorize/decision", sb.identity_url()))
        .form(&[
            ("txn", txn.as_str()),
            ("user", "admin"),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let (base, params) = location_params(&r);
    assert_eq!(base, REDIRECT_URI);
    assert_eq!(param(&params, "state"), Some("st-123"));
    let code = param(&params, "code").unwrap().to_string();

    // 3. Code → tokens, with exactly the fields Webex documents (no `scope`).
    let (status, tokens) = redeem(&sb, &code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        keys(&tokens),
        [
            "access_token",
            "expires_in",
            "refresh_token",
            "refresh_token_expires_in",
            "token_type"
        ]
    );
    assert_eq!(tokens["expires_in"], 1_209_599);
    assert_eq!(tokens["refresh_token_expires_in"], 7_776_000);
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let org = org_of(&access);
    assert_eq!(access.len(), 64 + "_P0A1_".len() + 36);
    assert!(access[64..].starts_with("_P0A1_"));
    assert_eq!(org, sb.state().primary_org_id());

    // 4. people/me with the orgId in Webex's base64 form.
    let me: Value = people_me(&sb, &access).await.json().await.unwrap();
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(me["orgId"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(raw).unwrap(),
        format!("ciscospark://us/ORGANIZATION/{org}")
    );
    assert_eq!(me["emails"][0], "avery.admin@wxcc-sandbox.example.com");

    // 5. An API call with the token.
    let r = api_get(
        &sb,
        &access,
        &format!("/organization/{org}/v2/user?pageSize=5"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let users: Value = r.json().await.unwrap();
    assert_eq!(users["data"].as_array().unwrap().len(), 5);
    assert_eq!(users["meta"]["totalRecords"], 300);

    // 6. Refresh: a new access token, the refresh token kept with its timer reset; both tokens work.
    let (status, refreshed) = common::refresh(&sb, &refresh).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_ne!(refreshed["access_token"], json!(access));
    assert_eq!(refreshed["refresh_token"], json!(refresh));
    assert_eq!(refreshed["refresh_token_expires_in"], 7_776_000);
    let r = api_get(
        &sb,
        refreshed["access_token"].as_str().unwrap(),
        &format!("/organization/{org}/v2/team"),
    )
    .await;
    assert_eq!(r.status(), 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn decline_redirects_with_access_denied_and_state() {
    let sb = start_demo().await;
    let http = client();
    let html = http
        .get(authorize_url(&sb, &[]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = http
        .post(format!("{}/v1/authorize/decision", sb.identity_url()))
        .form(&[
            ("txn", txn_of(&html).as_str()),
            ("user", "admin"),
            ("decision", "decline"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let (base, params) = location_params(&r);
    assert_eq!(base, REDIRECT_URI);
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert!(param(&params, "error_description").is_some());
    assert_eq!(param(&params, "state"), Some("st-123"));
    assert_eq!(param(&params, "code"), None);
    // The transaction is answered: replaying the form shows an error page, no redirect.
    let again = http
        .post(format!("{}/v1/authorize/decision", sb.identity_url()))
        .form(&[
            ("txn", txn_of(&html).as_str()),
            ("user", "admin"),
            ("decision", "accept"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400);
    assert!(again.headers().get("location").is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_client_shows_an_error_page_and_never_redirects() {
    let sb = start_demo().await;
    let r = client()
        .get(authorize_url(&sb, &[("client_id", "nobody")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().await.unwrap().contains("not registered"));
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_redirect_uri_shows_an_error_page_and_never_redirects() {
    let sb = start_demo().await;
    for bad in [
        "https://evil.example/callback",
        "http://127.0.0.1:8080/callback/extra",
        "http://127.0.0.1:8080/callback?x=1",
    ] {
        let r = client()
            .get(authorize_url(&sb, &[("redirect_uri", bad)]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        assert!(r.headers().get("location").is_none(), "{bad}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains("redirect_uri") && !body.contains("<form"),
            "{body}"
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn authorize_parameter_errors_redirect_with_state() {
    let sb = start_demo().await;
    let c = challenge(VERIFIER);
    for (extra, error) in [
        (
            vec![("response_type", "token")],
            "unsupported_response_type",
        ),
        (
            vec![("scope", "cjp:config_read not:registered")],
            "invalid_scope",
        ),
        (vec![("code_challenge_method", "plain")], "invalid_request"),
        (vec![("code_challenge_method", "")], "invalid_request"),
        (vec![("code_challenge", "short")], "invalid_request"),
    ] {
        let _ = &c;
        let r = client()
            .get(authorize_url(&sb, &extra))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302, "{extra:?}");
        let (base, params) = location_params(&r);
        assert_eq!(base, REDIRECT_URI);
        assert_eq!(param(&params, "error"), Some(error), "{extra:?}");
        assert_eq!(param(&params, "state"), Some("st-123"));
    }
    sb.shutdown().await;
}

fn assert_oauth_error(body: &Value, error: &str) {
    assert_eq!(body["error"], error, "{body}");
    assert!(
        body["trackingId"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(body["errors"][0]["description"], body["message"]);
}

#[tokio::test]
async fn reused_code_is_refused_and_revokes_its_token() {
    let sb = start_demo().await;
    let code = sign_in(&sb, "admin").await;
    let (status, first) = redeem(&sb, &code).await;
    assert_eq!(status, 200);
    let (status, second) = redeem(&sb, &code).await;
    assert_eq!(status, 400);
    assert_oauth_error(&second, "invalid_grant");
    let access = first["access_token"].as_str().unwrap();
    let r = api_get(
        &sb,
        access,
        &format!("/organization/{}/v2/site", org_of(access)),
    )
    .await;
    assert_eq!(r.status(), 401);
    sb.shutdown().await;
}

#[tokio::test]
async fn wrong_verifier_is_refused() {
    let sb = start_demo().await;
    let code = sign_in(&sb, "admin").await;
    let wrong = "x".repeat(43);
    let (status, body) = exchange(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", &wrong),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_oauth_error(&body, "invalid_grant");
    assert!(body["message"].as_str().unwrap().contains("code_verifier"));
    // The failed attempt consumed the code: the right verifier no longer helps.
    let (status, _) = redeem(&sb, &code).await;
    assert_eq!(status, 400);
    sb.shutdown().await;
}

#[tokio::test]
async fn missing_verifier_and_mismatched_redirect_are_refused() {
    let sb = start_demo().await;
    let code = sign_in(&sb, "admin").await;
    let (status, body) = exchange(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_oauth_error(&body, "invalid_grant");
    let code = sign_in(&sb, "admin").await;
    let (status, body) = exchange(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:8080/other"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("redirect_uri"));
    sb.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_is_refused_without_echoing_it() {
    let sb = start_demo().await;
    let code = sign_in(&sb, "admin").await;
    let (status, body) = exchange(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", "not-the-secret"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_oauth_error(&body, "invalid_client");
    assert!(!body.to_string().contains("not-the-secret"));
    // A wrong secret did not burn the code for the real client.
    let (status, _) = redeem(&sb, &code).await;
    assert_eq!(status, 200);
    // HTTP Basic client authentication works too.
    let code = sign_in(&sb, "admin").await;
    let r = client()
        .post(format!("{}/v1/access_token", sb.identity_url()))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_client_at_token_endpoint_is_refused() {
    let sb = start_demo().await;
    let (status, body) = exchange(
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "nobody"),
            ("client_secret", "x"),
            ("refresh_token", "y"),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_oauth_error(&body, "invalid_client");
    let (status, body) = exchange(
        &sb,
        &[
            ("grant_type", "password"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_oauth_error(&body, "unsupported_grant_type");
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_refresh_token_is_refused() {
    let sb = start_demo().await;
    let tokens = token_for(&sb, "admin").await;
    control(&sb, json!({"expire_refresh_tokens": true})).await;
    let (status, body) = common::refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 400);
    assert_oauth_error(&body, "invalid_grant");
    assert!(body["message"].as_str().unwrap().contains("expired"));
    sb.shutdown().await;
}

#[tokio::test]
async fn refresh_token_lifetime_from_config_applies() {
    let config = SandboxConfig {
        refresh_token_lifetime_secs: 0,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    };
    let sb = start(config).await;
    let tokens = token_for(&sb, "admin").await;
    assert_eq!(tokens["refresh_token_expires_in"], 0);
    let (status, body) = common::refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 400);
    assert_oauth_error(&body, "invalid_grant");
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_access_token_gets_401_then_refresh_recovers() {
    let sb = start_demo().await;
    let tokens = token_for(&sb, "admin").await;
    let access = tokens["access_token"].as_str().unwrap();
    let path = format!("/organization/{}/v2/site", org_of(access));
    assert_eq!(api_get(&sb, access, &path).await.status(), 200);
    control(&sb, json!({"expire_access_tokens": true})).await;
    let r = api_get(&sb, access, &path).await;
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert!(api_error_description(&body, 401).contains("expired"));
    assert_eq!(people_me(&sb, access).await.status(), 401);
    let (status, refreshed) = common::refresh(&sb, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(
        api_get(&sb, refreshed["access_token"].as_str().unwrap(), &path)
            .await
            .status(),
        200
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn expired_code_is_refused() {
    let config = SandboxConfig {
        authorization_code_lifetime_secs: 0,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    };
    let sb = start(config).await;
    let code = sign_in(&sb, "admin").await;
    let (status, body) = redeem(&sb, &code).await;
    assert_eq!(status, 400);
    assert_oauth_error(&body, "invalid_grant");
    assert!(body["message"].as_str().unwrap().contains("expired"));
    sb.shutdown().await;
}

#[tokio::test]
async fn token_request_that_is_not_a_form_gets_a_json_error() {
    let sb = start_demo().await;
    let r = client()
        .post(format!("{}/v1/access_token", sb.identity_url()))
        .json(&json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_oauth_error(&body, "invalid_request");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_access_token_lifetime_knob_applies_to_codes_and_refreshes_issued_after_it() {
    let sb = start_demo().await;
    let before = token_for(&sb, "admin").await;
    assert_eq!(before["expires_in"], 1_209_599);
    let view = control(&sb, json!({"access_token_lifetime_secs": 20})).await;
    assert_eq!(view["access_token_lifetime_secs"], 20);
    let after = token_for(&sb, "admin").await;
    assert_eq!(after["expires_in"], 20);
    let (status, refreshed) = common::refresh(&sb, before["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(refreshed["expires_in"], 20);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_opaque_tokens_knob_issues_tokens_without_the_org_tail_that_still_work() {
    let sb = start_demo().await;
    let shaped = token_for(&sb, "admin").await;
    let org = org_of(shaped["access_token"].as_str().unwrap());
    control(&sb, json!({"opaque_tokens": true})).await;
    let opaque = token_for(&sb, "admin").await;
    let access = opaque["access_token"].as_str().unwrap();
    assert!(!access.contains('_'), "no _<ciCluster>_<orgId> tail");
    assert_eq!(
        api_get(&sb, access, &format!("/organization/{org}/v2/site"))
            .await
            .status(),
        200
    );
    let me: Value = people_me(&sb, access).await.json().await.unwrap();
    assert!(me["orgId"].as_str().is_some_and(|o| !o.is_empty()));
    sb.shutdown().await;
}
