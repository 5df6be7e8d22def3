//! Contact Center API behaviour: CORS, auth errors, rate limiting, fault knobs, paging, filters.

mod common;

use common::*;
use serde_json::{Value, json};
use wxcc_sandbox::SandboxConfig;

async fn admin_token(sb: &wxcc_sandbox::RunningSandbox) -> String {
    token_for(sb, "admin").await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn cors_preflight_errors_and_429_carry_the_headers() {
    let sb = start_demo().await;
    let http = client();
    let pre = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/tasks", sb.api_url()),
        )
        .header("Origin", SPA_ORIGIN)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success());
    assert_eq!(pre.headers()["access-control-allow-origin"], SPA_ORIGIN);
    assert!(
        pre.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("authorization")
    );

    let foreign = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/tasks", sb.api_url()),
        )
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(
        foreign
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    // A 401 still carries CORS headers, so the page can read the error and TrackingId.
    let r = http
        .get(format!("{}/v1/tasks?from=0", sb.api_url()))
        .header("Origin", SPA_ORIGIN)
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["access-control-allow-origin"], SPA_ORIGIN);
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("trackingid"),
        "{exposed}"
    );

    control(&sb, json!({"force_429": 1})).await;
    let r = http
        .get(format!("{}/v1/tasks?from=0", sb.api_url()))
        .header("Origin", SPA_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_eq!(r.headers()["access-control-allow-origin"], SPA_ORIGIN);
    assert!(r.headers().get("trackingid").is_some());
    sb.shutdown().await;
}

#[tokio::test]
async fn rate_limit_per_client_answers_429_with_retry_after() {
    let config = SandboxConfig {
        rate_limit_per_minute: 3,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    };
    let sb = start(config).await;
    let token = admin_token(&sb).await;
    let path = format!("/organization/{}/v2/site", org_of(&token));
    for _ in 0..3 {
        assert_eq!(api_get(&sb, &token, &path).await.status(), 200);
    }
    let r = api_get(&sb, &token, &path).await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    // Webex's 429s have no body (tests/api_errors.rs covers the spec's JSON variant).
    assert!(r.bytes().await.unwrap().is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn fault_knobs_force_429_then_503_then_recover() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let path = format!("/organization/{}/v2/team", org_of(&token));
    let state = control(&sb, json!({"force_429": 2, "force_5xx": 1})).await;
    assert_eq!(state["force_429"], 2);
    assert_eq!(api_get(&sb, &token, &path).await.status(), 429);
    assert_eq!(api_get(&sb, &token, &path).await.status(), 429);
    let r = api_get(&sb, &token, &path).await;
    assert_eq!(r.status(), 503);
    let body: Value = r.json().await.unwrap();
    api_error_description(&body, 503);
    assert_eq!(api_get(&sb, &token, &path).await.status(), 200);
    let now = faults(&sb).await;
    assert_eq!(now["force_429"], 0);
    assert_eq!(now["force_5xx"], 0);
    let bad = post_faults(&sb, json!({"force_4299": 1})).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("force_4299"));
    sb.shutdown().await;
}

#[tokio::test]
async fn force_429_config_and_error_rate_config_apply() {
    let sb = start(SandboxConfig {
        force_429: true,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await;
    let token = admin_token(&sb).await;
    assert_eq!(api_get(&sb, &token, "/v1/tasks?from=0").await.status(), 429);
    sb.shutdown().await;
    let sb = start(SandboxConfig {
        error_rate: 1.0,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await;
    let token = admin_token(&sb).await;
    assert_eq!(api_get(&sb, &token, "/v1/tasks?from=0").await.status(), 500);
    sb.shutdown().await;
}

#[tokio::test]
async fn latency_knob_delays_api_answers() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    control(&sb, json!({"latency_ms": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(
        api_get(
            &sb,
            &token,
            &format!("/organization/{}/v2/site", org_of(&token))
        )
        .await
        .status(),
        200
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    sb.shutdown().await;
}

#[tokio::test]
async fn control_endpoint_is_absent_unless_enabled() {
    let sb = start(SandboxConfig {
        control: false,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await;
    let r = post_faults(&sb, json!({})).await;
    assert_eq!(r.status(), 404);
    for url in [sb.identity_url(), sb.api_url()] {
        let r = client().get(format!("{url}/healthz")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn forbidden_for_wrong_org_missing_role_and_missing_scope() {
    let sb = start_demo().await;
    let admin = admin_token(&sb).await;
    let org = org_of(&admin);
    let other = sb.state().second_org_id().to_string();
    let r = api_get(&sb, &admin, &format!("/organization/{other}/v2/user")).await;
    assert_eq!(r.status(), 403);
    assert!(api_error_description(&r.json().await.unwrap(), 403).contains(&other));

    let agent = token_for(&sb, "agent").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = api_get(&sb, &agent, &format!("/organization/{org}/v2/user")).await;
    assert_eq!(r.status(), 403);
    assert!(
        api_error_description(&r.json().await.unwrap(), 403).contains("missing the admin role")
    );

    let no_scope = token_with_scope(&sb, "admin", "spark:people_read").await;
    let r = api_get(&sb, &no_scope, &format!("/organization/{org}/v2/user")).await;
    assert_eq!(r.status(), 403);
    assert!(api_error_description(&r.json().await.unwrap(), 403).contains("cjp:config_read"));

    // Second-org admin sees their own org's data.
    let other_admin = token_for(&sb, "other-org-admin").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(org_of(&other_admin), other);
    let r = api_get(&sb, &other_admin, &format!("/organization/{other}/v2/user")).await;
    assert_eq!(r.status(), 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn paging_links_and_page_size_clamp() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let org = org_of(&token);
    let body: Value = api_get(
        &sb,
        &token,
        &format!("/organization/{org}/v2/user?page=1&pageSize=50"),
    )
    .await
    .json()
    .await
    .unwrap();
    let meta = &body["meta"];
    assert_eq!(meta["orgid"], org);
    assert_eq!(meta["page"], 1);
    assert_eq!(meta["pageSize"], 50);
    assert_eq!(meta["totalPages"], 6);
    assert_eq!(meta["totalRecords"], 300);
    let base = format!("/organization/{org}/v2/user");
    assert_eq!(meta["links"]["self"], format!("{base}?page=1&pageSize=50"));
    assert_eq!(meta["links"]["first"], format!("{base}?page=0&pageSize=50"));
    assert_eq!(meta["links"]["last"], format!("{base}?page=5&pageSize=50"));
    assert_eq!(meta["links"]["next"], format!("{base}?page=2&pageSize=50"));
    assert_eq!(meta["links"]["prev"], format!("{base}?page=0&pageSize=50"));

    let body: Value = api_get(&sb, &token, &format!("{base}?pageSize=5000"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["meta"]["pageSize"], 1000);
    assert_eq!(body["data"].as_array().unwrap().len(), 300);
    assert!(body["meta"]["links"].get("next").is_none());

    for (q, needle) in [
        ("page=-1", "page"),
        ("pageSize=0", "pageSize"),
        ("pageSize=ten", "pageSize"),
    ] {
        let r = api_get(&sb, &token, &format!("{base}?{q}")).await;
        assert_eq!(r.status(), 400, "{q}");
        assert!(
            api_error_description(&r.json().await.unwrap(), 400).contains(needle),
            "{q}"
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn filter_search_and_attributes() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let org = org_of(&token);
    let base = format!("/organization/{org}/v2/user");
    let get = |q: String| {
        let sb = &sb;
        let token = token.clone();
        let base = base.clone();
        async move { api_get(sb, &token, &format!("{base}?{q}")).await }
    };
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();

    let body: Value = get(format!(
        "filter={}",
        enc("email==\"avery.admin@wxcc-sandbox.example.com\"")
    ))
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["meta"]["totalRecords"], 1);
    let admin_id = body["data"][0]["id"].as_str().unwrap().to_string();

    let all: Value = get("pageSize=1000".into()).await.json().await.unwrap();
    let berlin = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["siteName"] == "Berlin")
        .count();
    let body: Value = get(format!(
        "filter={}&pageSize=1000",
        enc("siteName=in=(\"Berlin\")")
    ))
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["meta"]["totalRecords"], berlin);
    let body: Value = get(format!(
        "filter={}&pageSize=1000",
        enc("siteName=out=(\"Berlin\")")
    ))
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["meta"]["totalRecords"], 300 - berlin);
    let body: Value = get(format!(
        "filter={}",
        enc(&format!("id!={admin_id};id=={admin_id},firstName==Sam"))
    ))
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["data"][0]["firstName"], "Sam");

    let body: Value = get("search=avery".into()).await.json().await.unwrap();
    assert_eq!(body["data"][0]["id"], admin_id);
    let body: Value = get(format!(
        "search={}",
        enc("field==\"lastName\";value==\"agent\"")
    ))
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(body["data"][0]["firstName"], "Sam");

    let body: Value = get("attributes=firstName,email".into())
        .await
        .json()
        .await
        .unwrap();
    let keys: Vec<&String> = body["data"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{keys:?}");

    for (q, needle) in [
        (format!("filter={}", enc("id=gt=1")), "unsupported operator"),
        (format!("filter={}", enc("nosuch==1")), "nosuch"),
        (format!("filter={}", enc("createdTime==1")), "createdTime"),
        (format!("filter={}", enc("id==\"open")), "unterminated"),
        ("attributes=bogus".to_string(), "bogus"),
        (
            format!("search={}", enc("field==\"siteName\";value==\"x\"")),
            "siteName",
        ),
    ] {
        let r = get(q.clone()).await;
        assert_eq!(r.status(), 400, "{q}");
        assert!(
            api_error_description(&r.json().await.unwrap(), 400).contains(needle),
            "{q}"
        );
    }

    // Teams can be filtered by member with userId, as the spec documents.
    let r = api_get(
        &sb,
        &token,
        &format!(
            "/organization/{org}/v2/team?filter={}",
            enc(&format!("userId=={admin_id}"))
        ),
    )
    .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["meta"]["totalRecords"], 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn analytics_validate_parameters() {
    let sb = start_demo().await;
    let token = admin_token(&sb).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = 86_400_000;
    let body: Value = api_get(
        &sb,
        &token,
        &format!("/v1/tasks?from={}&pageSize=1000", now - 8 * day),
    )
    .await
    .json()
    .await
    .unwrap();
    let tasks = body["data"].as_array().unwrap();
    assert!(tasks.len() > 500);
    assert!(
        tasks
            .windows(2)
            .all(|w| w[0]["attributes"]["createdTime"].as_i64()
                <= w[1]["attributes"]["createdTime"].as_i64())
    );
    let body: Value = api_get(
        &sb,
        &token,
        &format!("/v1/tasks?from={}&channelTypes=chat", now - 8 * day),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["attributes"]["channelType"] == "chat")
    );
    for (q, needle) in [
        ("/v1/tasks".to_string(), "from"),
        (format!("/v1/tasks?from={now}&to={}", now - 1), "before"),
        ("/v1/tasks?from=0&channelTypes=fax".to_string(), "fax"),
        (
            format!("/v1/agents/activities?from={}&to={now}", now - 2 * day),
            "24 hours",
        ),
        (format!("/v1/agents/statistics?from={}", now - day), "to"),
        (
            format!(
                "/v1/queues/statistics?from={}&to={now}&interval=45",
                now - day
            ),
            "interval",
        ),
    ] {
        let r = api_get(&sb, &token, &q).await;
        assert_eq!(r.status(), 400, "{q}");
        assert!(
            api_error_description(&r.json().await.unwrap(), 400).contains(needle),
            "{q}"
        );
    }
    let r = api_get(&sb, &token, "/v1/nothing-here").await;
    assert_eq!(r.status(), 404);
    api_error_description(&r.json().await.unwrap(), 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn same_seed_same_data_across_instances() {
    let a = start_demo().await;
    let b = start_demo().await;
    assert_eq!(a.state().primary_org_id(), b.state().primary_org_id());
    let ta = admin_token(&a).await;
    let tb = admin_token(&b).await;
    let path = format!("/organization/{}/v2/user?pageSize=1000", org_of(&ta));
    let da: Value = api_get(&a, &ta, &path).await.json().await.unwrap();
    let db: Value = api_get(&b, &tb, &path).await.json().await.unwrap();
    assert_eq!(da["data"], db["data"]);
    a.shutdown().await;
    b.shutdown().await;
}
