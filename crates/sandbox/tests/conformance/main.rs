//! The sandbox against Cisco's official OpenAPI spec (`spec.rs`): every endpoint of
//! `wxcc_core::catalogue` is called the way the explorer calls it and its answers validated, so a
//! catalogued endpoint the sandbox does not serve, or serves off-spec, fails here; then the error
//! answers of the configuration lists and analytics, and the paths the sandbox serves beyond the
//! catalogue (the older unpaged lists Cisco's samples call); `writes.rs` does the same for the
//! configuration writes, their requests included.

#[path = "../common/mod.rs"]
mod common;

mod checker;
mod requests;
mod samples;
mod search;
mod spec;
mod writes;

use checker::Checker;
use common::*;
use requests::*;
use serde_json::{Map, Value, json};
use wxcc_core::catalogue::{ENDPOINTS, Endpoint, ParamIn};
use wxcc_sandbox::{DEMO_SCOPES, RunningSandbox, SandboxConfig};

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The demo sandbox with a rate limit these many requests never reach.
async fn start_for_conformance() -> RunningSandbox {
    start(SandboxConfig {
        rate_limit_per_minute: 1_000_000,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await
}

/// An access token for `user` with every demo scope (the catalogue's endpoints need several).
async fn all_scopes_token(sb: &RunningSandbox, user: &str) -> String {
    token_with_scope(sb, user, &DEMO_SCOPES.join(" ")).await
}

/// A fresh id the seed cannot hold.
fn unknown_id() -> String {
    "00000000-0000-4000-8000-00000000dead".to_string()
}

/// The catalogue's example of `name` on `endpoint`.
fn example(endpoint: &Endpoint, name: &str) -> String {
    endpoint
        .params
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.example.to_string())
        .unwrap_or_default()
}

struct Explorer<'a> {
    sb: &'a RunningSandbox,
    token: String,
    org: String,
    now: i64,
}

impl Explorer<'_> {
    /// Values for which a list answers 200: the explorer's defaults and, where the spec needs
    /// more, the examples that complete them.
    fn list_values(&self, list: &Endpoint) -> Vec<(&'static str, String)> {
        let mut values = explorer_defaults(list, self.now);
        if let Some((_, _, needs, _)) = EXPLORER_DEFAULT_ANSWERS.iter().find(|a| a.0 == list.id) {
            for name in *needs {
                let p = list.params.iter().find(|p| p.name == *name).unwrap();
                set(&mut values, p.name, p.example.to_string());
            }
        }
        values
    }

    /// The `field` of the first record `list` answers with.
    async fn sample(&self, c: &mut Checker<'_>, list: &Endpoint, field: &str) -> String {
        let values = self.list_values(list);
        let answer = c
            .check(
                self.sb,
                Some(&self.token),
                list.path,
                &url(list, &values, &self.org),
                200,
            )
            .await;
        first_value(answer.records(), field)
            .unwrap_or_else(|| panic!("{} lists no record with a {field} to use", list.id))
    }

    /// The explorer's defaults with the ids a user would paste (seeded ones) in the path.
    async fn defaults_with_ids(
        &self,
        c: &mut Checker<'_>,
        endpoint: &Endpoint,
    ) -> Vec<(&'static str, String)> {
        let mut values = explorer_defaults(endpoint, self.now);
        for p in endpoint
            .params
            .iter()
            .filter(|p| p.location == ParamIn::Path)
        {
            if p.is_org_id() || is_fixed(p) {
                continue;
            }
            let (list, field) = id_source(endpoint, p);
            set(&mut values, p.name, self.sample(c, list, field).await);
        }
        values
    }

    /// Calls `endpoint` as the explorer would; returns whether it was served and on spec.
    async fn exercise(&self, c: &mut Checker<'_>, endpoint: &Endpoint) -> bool {
        let failures_before = c.failures.len();
        let template = endpoint.path;
        let call = |values: &[(&'static str, String)]| url(endpoint, values, &self.org);
        let mut values = self.defaults_with_ids(c, endpoint).await;

        // The explorer's defaults, then (where the spec documents another answer to them) the
        // request completed as the spec asks.
        let special = EXPLORER_DEFAULT_ANSWERS.iter().find(|a| a.0 == endpoint.id);
        let expect = special.map_or(200, |a| a.1);
        let answer = c
            .check(self.sb, Some(&self.token), template, &call(&values), expect)
            .await;
        let answer = if let Some((_, _, needs, _)) = special {
            for name in *needs {
                set(&mut values, name, example(endpoint, name));
            }
            for (name, source) in QUERY_ID_SOURCES {
                if endpoint.params.iter().any(|p| p.name == *name) {
                    let id = self.sample(c, requests::endpoint(source), "id").await;
                    set(&mut values, name, id);
                }
            }
            c.check(self.sb, Some(&self.token), template, &call(&values), 200)
                .await
        } else {
            answer
        };
        if id_param(endpoint).is_none()
            && answer.status == 200
            && answer.records().is_some_and(Vec::is_empty)
        {
            c.failures
                .push(format!("GET {}: a list without records", call(&values)));
        }

        // Every optional example the catalogue offers, together, where the explorer has not
        // filled the parameter already (`to`); refused examples one by one.
        let mut filled = values.clone();
        for p in endpoint
            .params
            .iter()
            .filter(|p| !p.required && !p.example.is_empty())
        {
            match REFUSED_EXAMPLES
                .iter()
                .find(|r| r.0 == endpoint.id && r.1 == p.name)
            {
                Some((_, _, status, _)) => {
                    let mut alone = values.clone();
                    set(&mut alone, p.name, p.example.to_string());
                    c.check(self.sb, Some(&self.token), template, &call(&alone), *status)
                        .await;
                }
                None if p.is_org_id() || values.iter().any(|(n, _)| *n == p.name) => {}
                None => set(&mut filled, p.name, p.example.to_string()),
            }
        }
        c.check(self.sb, Some(&self.token), template, &call(&filled), 200)
            .await;

        // An id the organization does not have.
        if let Some(p) = id_param(endpoint) {
            let mut unknown = values.clone();
            set(&mut unknown, p.name, unknown_id());
            c.check(self.sb, Some(&self.token), template, &call(&unknown), 404)
                .await;
        }
        c.failures.len() == failures_before
    }
}

#[tokio::test]
async fn every_catalogued_endpoint_answers_the_explorer_on_spec() {
    let spec = spec::load_spec();
    let mut c = Checker::new(&spec);
    let sb = start_for_conformance().await;
    let token = all_scopes_token(&sb, "admin").await;
    let explorer = Explorer {
        sb: &sb,
        org: org_of(&token),
        token,
        now: now_ms(),
    };
    let mut served = Vec::new();
    for endpoint in ENDPOINTS {
        if explorer.exercise(&mut c, endpoint).await {
            served.push(endpoint.id);
        }
    }
    eprintln!(
        "conformance: {} of {} catalogued endpoints served and validated against the spec",
        served.len(),
        ENDPOINTS.len()
    );
    sb.shutdown().await;
    c.finish();
}

/// The paged configuration lists the catalogue has (no id in the path).
fn config_lists() -> Vec<&'static Endpoint> {
    ENDPOINTS
        .iter()
        .filter(|e| e.path.starts_with("/organization/") && id_param(e).is_none())
        .collect()
}

#[tokio::test]
async fn error_answers_conform_to_the_official_spec() {
    let spec = spec::load_spec();
    let mut c = Checker::new(&spec);
    let sb = start_for_conformance().await;
    let admin = all_scopes_token(&sb, "admin").await;
    let agent = all_scopes_token(&sb, "agent").await;
    let no_scope = token_with_scope(&sb, "admin", "spark:people_read").await;
    let org = org_of(&admin);
    let other_org = sb.state().second_org_id().to_string();

    for endpoint in config_lists() {
        let template = endpoint.path;
        let base = template.replace("{orgid}", &org);
        let body = c.check(&sb, Some(&admin), template, &base, 200).await;
        let last = body.json()["meta"]["totalPages"]
            .as_u64()
            .unwrap_or(1)
            .saturating_sub(1);
        for query in [
            format!("?page={last}&pageSize=2"),
            "?page=1&pageSize=3".to_string(),
            "?attributes=id,createdTime".to_string(),
        ] {
            c.check(&sb, Some(&admin), template, &format!("{base}{query}"), 200)
                .await;
        }
        c.check(&sb, None, template, &base, 400).await;
        c.check(&sb, Some("not-a-token"), template, &base, 401)
            .await;
        let foreign = template.replace("{orgid}", &other_org);
        c.check(&sb, Some(&admin), template, &foreign, 403).await;
        c.check(&sb, Some(&agent), template, &base, 403).await;
        c.check(&sb, Some(&no_scope), template, &base, 403).await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{base}?filter=id%3Dgt%3D1"),
            400,
        )
        .await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{base}?pageSize=abc"),
            400,
        )
        .await;
        control(&sb, json!({"force_429": 1})).await;
        c.check(&sb, Some(&admin), template, &base, 429).await;
        control(&sb, json!({"force_429": 1, "json_429": true})).await;
        c.check(&sb, Some(&admin), template, &base, 429).await;
        control(&sb, json!({"force_5xx": 1, "json_429": false})).await;
        c.check(&sb, Some(&admin), template, &base, 503).await;
    }
    let users = "/organization/{orgid}/v2/user";
    for q in [
        "filter=active%3D%3Dtrue%3BsiteName%3Din%3D(%22Berlin%22%2C%22London%22)",
        "filter=firstName%3D%3D%22Avery%22",
        "search=avery",
        "search=field%3D%3D%22lastName%22%3Bvalue%3D%3D%22Agent%22",
        "pageSize=5000",
        "attributes=id,firstName,email",
    ] {
        let url = format!("/organization/{org}/v2/user?{q}");
        c.check(&sb, Some(&admin), users, &url, 200).await;
    }

    let now = now_ms();
    let window = format!("from={}&to={now}", now - 12 * 3_600_000);
    let analytics: [(&str, String); 4] = [
        ("/v1/tasks", format!("{window}&pageSize=50")),
        ("/v1/agents/activities", format!("{window}&pageSize=50")),
        ("/v1/agents/statistics", format!("{window}&interval=60")),
        ("/v1/queues/statistics", format!("{window}&interval=30")),
    ];
    for (template, query) in &analytics {
        let url = format!("{template}?{query}");
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{url}&channelTypes=telephony,chat&orgId={org}"),
            200,
        )
        .await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{template}?to={now}"),
            400,
        )
        .await;
        let upper_case_channel = if template.contains("statistics") {
            200
        } else {
            400
        };
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{url}&channelTypes=TELEPHONY"),
            upper_case_channel,
        )
        .await;
        c.check(&sb, None, template, &url, 400).await;
        c.check(&sb, Some(&agent), template, &url, 403).await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{url}&orgId={other_org}"),
            403,
        )
        .await;
        control(&sb, json!({"force_429": 1, "json_429": true})).await;
        c.check(&sb, Some(&admin), template, &url, 429).await;
        control(&sb, json!({"force_5xx": 1, "json_429": false})).await;
        c.check(&sb, Some(&admin), template, &url, 503).await;
    }
    let tasks = format!("/v1/tasks?from={}&pageSize=1001", now - 3_600_000);
    c.check(&sb, Some(&admin), "/v1/tasks", &tasks, 400).await;
    let statistics = format!("/v1/agents/statistics?{window}&interval=7");
    c.check(&sb, Some(&admin), "/v1/agents/statistics", &statistics, 400)
        .await;
    sb.shutdown().await;

    // 500s from the error_rate knob.
    let sb = start(SandboxConfig {
        error_rate: 1.0,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await;
    let admin = all_scopes_token(&sb, "admin").await;
    for endpoint in config_lists() {
        let url = endpoint.path.replace("{orgid}", &org);
        c.check(&sb, Some(&admin), endpoint.path, &url, 500).await;
    }
    for (template, query) in &analytics {
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{template}?{query}"),
            500,
        )
        .await;
    }
    sb.shutdown().await;
    c.finish();
}

/// Paths the sandbox serves beyond the catalogue: the older unpaged lists (a plain array) that
/// Cisco's samples call, and the v2 path of a single queue.
const BEYOND_THE_CATALOGUE: &[&str] = &[
    "/organization/{orgid}/user",
    "/organization/{orgid}/team",
    "/organization/{orgid}/site",
    "/organization/{orgid}/skill",
    "/organization/{orgid}/skill-profile",
    "/organization/{orgid}/agent-profile",
    "/organization/{orgid}/auxiliary-code",
    "/organization/{orgid}/entry-point",
    "/organization/{orgid}/contact-service-queue",
    "/organization/{orgid}/multimedia-profile",
    "/organization/{orgid}/dial-number",
    "/organization/{orgid}/dial-plan",
    "/organization/{orgid}/business-hours",
    "/organization/{orgid}/holiday-list",
    "/organization/{orgid}/outdial-ani",
    "/organization/{orgid}/address-book",
];

#[tokio::test]
async fn older_unpaged_lists_conform_to_the_official_spec() {
    let spec = spec::load_spec();
    let mut c = Checker::new(&spec);
    let sb = start_for_conformance().await;
    let admin = all_scopes_token(&sb, "admin").await;
    let org = org_of(&admin);
    for template in BEYOND_THE_CATALOGUE {
        let base = template.replace("{orgid}", &org);
        let all = c.check(&sb, Some(&admin), template, &base, 200).await;
        let first = first_value(all.records(), "id").unwrap_or_else(|| panic!("{base} is empty"));
        let one = c
            .check(
                &sb,
                Some(&admin),
                template,
                &format!("{base}?filter=id%3D%3D%22{first}%22&attributes=id"),
                200,
            )
            .await;
        assert_eq!(one.records().map(Vec::len), Some(1), "{base}: filter on id");
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{base}?filter=name%3D%3Dx"),
            400,
        )
        .await;
    }
    let queues = "/organization/{orgid}/v2/contact-service-queue";
    let answer = c
        .check(
            &sb,
            Some(&admin),
            queues,
            &queues.replace("{orgid}", &org),
            200,
        )
        .await;
    let queue = first_value(answer.records(), "id").unwrap();
    let single = "/organization/{orgid}/v2/contact-service-queue/{id}";
    let url = single.replace("{orgid}", &org).replace("{id}", &queue);
    c.check(&sb, Some(&admin), single, &url, 200).await;
    sb.shutdown().await;
    c.finish();
}

/// Proves the validator is live: broken responses must be rejected.
#[tokio::test]
async fn validator_rejects_non_conforming_responses() {
    let spec = spec::load_spec();
    let users = spec
        .response_schema("/organization/{orgid}/v2/user", 200)
        .schema;
    let good = json!({"meta": {"orgid": "x", "page": 0, "links": {"self": "/a"}}, "data": [{"id": "u", "firstName": "A"}]});
    assert!(
        spec.errors(&users, &good).is_empty(),
        "{:?}",
        spec.errors(&users, &good)
    );
    let wrong_type = json!({"meta": {"page": "zero"}, "data": [{"firstName": 5}]});
    assert!(spec.errors(&users, &wrong_type).len() >= 2);
    let no_self_link = json!({"meta": {"links": {"next": "/b"}}, "data": []});
    assert!(
        !spec.errors(&users, &no_self_link).is_empty(),
        "links.self is required"
    );
    let sites = spec
        .response_schema("/organization/{orgid}/v2/site", 200)
        .schema;
    let missing_required = json!({"meta": {}, "data": [{"id": "s", "name": "x"}]});
    assert!(
        !spec.errors(&sites, &missing_required).is_empty(),
        "SiteDTO requires active and multimediaProfileId"
    );
    let tasks = spec.response_schema("/v1/tasks", 200).schema;
    assert!(
        !spec.errors(&tasks, &json!({"data": []})).is_empty(),
        "meta is required"
    );
    let profiles = spec
        .response_schema("/organization/{orgid}/v3/user-profile", 200)
        .schema;
    assert!(
        !spec
            .errors(&profiles, &json!({"data": [{"name": "no profileType"}]}))
            .is_empty(),
        "a string-typed object schema is read as an object and still checks its items"
    );
    let error = spec.response_schema("/v1/tasks", 401).schema;
    assert!(
        !spec
            .errors(&error, &json!({"error": {"message": "flat string"}}))
            .is_empty()
    );
    let mut m = Map::new();
    m.insert("trackingId".into(), json!("t"));
    m.insert(
        "error".into(),
        json!({"key": "401", "message": [{"description": "d"}]}),
    );
    assert!(spec.errors(&error, &Value::Object(m)).is_empty());
    let subscription_error = spec.response_schema("/v2/subscriptions/{id}", 404);
    assert!(!subscription_error.status_listed && !subscription_error.schema_given);
    let string_key =
        json!({"trackingId": "t", "error": {"key": "404", "message": [{"description": "d"}]}});
    assert!(
        !spec
            .errors(&subscription_error.schema, &string_key)
            .is_empty(),
        "an undocumented 404 is held to the operation's ErrorResult (integer key)"
    );
}

/// Proves the write schemas are live: off-spec requests and answers are refused.
#[test]
fn the_write_schemas_refuse_what_is_off_the_spec() {
    let spec = spec::load_spec();
    let request = spec.request_schema("PATCH", "/organization/{orgid}/user/bulk");
    let bad_item = json!({"items": [{"itemIdentifier": 0, "item": {"active": "yes"}}]});
    assert!(!spec.errors(&request, &bad_item).is_empty());
    let team = spec.request_schema("POST", "/organization/{orgid}/team");
    assert!(
        !spec
            .errors(&team, &json!({"name": "no teamType"}))
            .is_empty()
    );
    let answer = spec
        .response_schema_at("PATCH", "/organization/{orgid}/user/bulk", 207)
        .schema;
    let good = json!({"items": [{"itemIdentifier": 0, "status": 200, "operationType": "UPDATE"}]});
    assert!(spec.errors(&answer, &good).is_empty());
    let bad = json!({"items": [{"itemIdentifier": "0", "status": 200, "operationType": "PATCH"}]});
    assert!(spec.errors(&answer, &bad).len() >= 2);
    let created = spec
        .response_schema_at("POST", "/organization/{orgid}/team", 201)
        .schema;
    assert!(
        !spec
            .errors(&created, &json!({"teamType": "ROBOT"}))
            .is_empty()
    );
}
