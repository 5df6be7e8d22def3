//! Every implemented Contact Center endpoint, success and error responses, validated against the
//! official OpenAPI spec at `$WXCC_OPENAPI_SPEC` with a JSON-Schema validator (`jsonschema`).
//!
//! OpenAPI 3.0 schemas are JSON Schema with a few differences; they are converted first
//! (`nullable: true` → `"null"` added to `type`). Each response is validated against a root
//! document made of the spec's (converted) `components` plus `$ref` to the response schema, so
//! `#/components/schemas/…` references resolve inside the spec itself. Nothing is fetched remotely.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::{Map, Value, json};
use wxcc_sandbox::{RunningSandbox, SandboxConfig};

struct Spec {
    doc: Value,
    components: Value,
    /// Compiled validators by schema text: compiling against the whole `components` is the slow part.
    cache:
        std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<jsonschema::Validator>>>,
}

/// The spec (found by `wxcc-spec-fixture`, which fails the test when it is missing), converted
/// for the validator.
fn load_spec() -> Spec {
    let mut doc = wxcc_spec_fixture::load_spec();
    convert_openapi_30(&mut doc);
    loosen_generic_envelope_meta(&mut doc);
    let components = doc["components"].clone();
    Spec {
        doc,
        components,
        cache: Default::default(),
    }
}

/// OpenAPI 3.0 → JSON Schema 2020-12 differences that matter for validation.
fn convert_openapi_30(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true)) {
                match map.get("type").cloned() {
                    Some(Value::String(t)) => {
                        map.insert("type".into(), json!([t, "null"]));
                    }
                    None if !map.contains_key("$ref") => {}
                    _ => {}
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            if let Some(Value::String(pattern)) = map.get_mut("pattern") {
                *pattern = java_class_to_ecma(pattern);
            }
            for value in map.values_mut() {
                convert_openapi_30(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(convert_openapi_30),
        _ => {}
    }
}

/// Springdoc renders Java's `Map<String, Object>` as `additionalProperties: {type: object}`, which as JSON
/// Schema would forbid `meta.page: 0` on the site, entry-point and address-book envelopes while their sibling
/// endpoints document integer paging fields. The sandbox sends one consistent paging `meta` everywhere; these
/// envelopes' `meta` values are read as "any value", and [`Checker::check`] validates every configuration
/// list's `meta` against `MetaDataWithPagingInfo` and `meta.links` against `PaginationLinks` instead.
fn loosen_generic_envelope_meta(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    let mut loosened = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        // `get_mut`, not indexing: IndexMut would insert nulls into every other schema.
        let extra = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut("meta"))
            .and_then(|m| m.get_mut("additionalProperties"));
        if let Some(extra) = extra
            .filter(|e| name.starts_with("ResponseEnvelope") && **e == json!({"type": "object"}))
        {
            *extra = json!({});
            loosened.push(name.clone());
        }
    }
    eprintln!(
        "conformance: meta of {} read as Map<String, Object> (any value)",
        loosened.join(", ")
    );
}

/// The spec's patterns are Java regexes, where `[\\d-_]` means digit, '-' or '_'; in ECMA/Rust regex
/// a '-' after a class shorthand is an invalid range, so escape it.
fn java_class_to_ecma(pattern: &str) -> String {
    pattern
        .replace("\\d-", "\\d\\-")
        .replace("\\s-", "\\s\\-")
        .replace("\\w-", "\\w\\-")
}

impl Spec {
    /// The documented schema of `status` for GET `template`, or — when the spec documents none for that
    /// status — the spec's common `ApiErrorResponse` (the shape every WxCC error uses).
    fn response_schema(&self, template: &str, status: u16) -> (Value, bool) {
        let op = &self.doc["paths"][template]["get"];
        assert!(op.is_object(), "GET {template} is not in the spec");
        let response = &op["responses"][status.to_string()];
        let content = &response["content"];
        let schema = ["application/json", "*/*", "application/hal+json"]
            .iter()
            .map(|ct| &content[*ct]["schema"])
            .find(|s| s.is_object())
            .cloned();
        match schema {
            Some(s) => (s, true),
            None => {
                assert!(
                    status >= 400,
                    "GET {template} documents no schema for success status {status}"
                );
                (
                    json!({"$ref": "#/components/schemas/ApiErrorResponse"}),
                    false,
                )
            }
        }
    }

    fn validator(&self, schema: &Value) -> std::rc::Rc<jsonschema::Validator> {
        let key = schema.to_string();
        if let Some(v) = self.cache.borrow().get(&key) {
            return v.clone();
        }
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": "#/$defs/target",
            "$defs": {"target": schema},
            "components": self.components,
        });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .expect("the converted spec compiles as JSON Schema");
        let validator = std::rc::Rc::new(validator);
        self.cache.borrow_mut().insert(key, validator.clone());
        validator
    }

    fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        let validator = self.validator(schema);
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .take(10)
            .collect()
    }
}

struct Checker<'a> {
    spec: &'a Spec,
    checked: BTreeMap<(String, u16), usize>,
    undocumented: Vec<String>,
    failures: Vec<String>,
}

impl Checker<'_> {
    async fn check(
        &mut self,
        sb: &RunningSandbox,
        token: Option<&str>,
        template: &str,
        path_and_query: &str,
        expect: u16,
    ) -> Value {
        let mut request = client().get(format!("{}{path_and_query}", sb.api_url()));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        assert!(
            response.headers().get("trackingid").is_some(),
            "GET {path_and_query}: no TrackingId header"
        );
        let body: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path_and_query}: body is not JSON: {e}"));
        assert_eq!(status, expect, "GET {path_and_query}: {body}");
        let (schema, documented) = self.spec.response_schema(template, status);
        if !documented {
            self.undocumented.push(format!("{status} GET {template}"));
        }
        let mut errors = self.spec.errors(&schema, &body);
        if template.starts_with("/organization/") && status == 200 {
            let meta = json!({"$ref": "#/components/schemas/MetaDataWithPagingInfo"});
            errors.extend(
                self.spec
                    .errors(&meta, &body["meta"])
                    .into_iter()
                    .map(|e| format!("meta: {e}")),
            );
            let links = json!({"$ref": "#/components/schemas/PaginationLinks"});
            errors.extend(
                self.spec
                    .errors(&links, &body["meta"]["links"])
                    .into_iter()
                    .map(|e| format!("meta.links: {e}")),
            );
            for field in [
                "orgid",
                "page",
                "pageSize",
                "totalPages",
                "totalRecords",
                "links",
            ] {
                if body["meta"].get(field).is_none() {
                    errors.push(format!("meta.{field} is missing"));
                }
            }
        }
        if !errors.is_empty() {
            self.failures.push(format!(
                "{status} GET {path_and_query}:\n    {}",
                errors.join("\n    ")
            ));
        }
        *self
            .checked
            .entry((template.to_string(), status))
            .or_default() += 1;
        body
    }
}

const CONFIG: &[(&str, &str)] = &[
    ("/organization/{orgid}/v2/user", "v2/user"),
    ("/organization/{orgid}/v2/team", "v2/team"),
    ("/organization/{orgid}/v2/site", "v2/site"),
    (
        "/organization/{orgid}/v2/contact-service-queue",
        "v2/contact-service-queue",
    ),
    ("/organization/{orgid}/v2/entry-point", "v2/entry-point"),
    ("/organization/{orgid}/v2/agent-profile", "v2/agent-profile"),
    ("/organization/{orgid}/v2/skill-profile", "v2/skill-profile"),
    (
        "/organization/{orgid}/v2/auxiliary-code",
        "v2/auxiliary-code",
    ),
    ("/organization/{orgid}/v3/address-book", "v3/address-book"),
];

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn every_endpoint_conforms_to_the_official_spec() {
    let spec = load_spec();
    let mut c = Checker {
        spec: &spec,
        checked: BTreeMap::new(),
        undocumented: Vec::new(),
        failures: Vec::new(),
    };

    let sb = start_demo().await;
    let admin = token_for(&sb, "admin").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let agent = token_for(&sb, "agent").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let no_scope = token_with_scope(&sb, "admin", "spark:people_read").await;
    let org = org_of(&admin);
    let other_org = sb.state().second_org_id().to_string();

    for (template, path) in CONFIG {
        let base = format!("/organization/{org}/{path}");
        let body = c.check(&sb, Some(&admin), template, &base, 200).await;
        assert!(
            !body["data"].as_array().unwrap().is_empty(),
            "{base} returns data"
        );
        let last = body["meta"]["totalPages"]
            .as_u64()
            .unwrap()
            .saturating_sub(1);
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{base}?page={last}&pageSize=2"),
            200,
        )
        .await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{base}?page=1&pageSize=3"),
            200,
        )
        .await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{base}?attributes=id,createdTime"),
            200,
        )
        .await;
        c.check(&sb, None, template, &base, 401).await;
        c.check(&sb, Some("not-a-token"), template, &base, 401)
            .await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("/organization/{other_org}/{path}"),
            403,
        )
        .await;
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
        control(&sb, json!({"force_5xx": 1})).await;
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
        c.check(
            &sb,
            Some(&admin),
            users,
            &format!("/organization/{org}/v2/user?{q}"),
            200,
        )
        .await;
    }

    let now = now_ms();
    let day = 86_400_000;
    let analytics: &[(&str, String)] = &[
        (
            "/v1/tasks",
            format!("from={}&to={now}&pageSize=50", now - 7 * day),
        ),
        (
            "/v1/agents/activities",
            format!("from={}&to={now}&pageSize=50", now - day + 60_000),
        ),
        (
            "/v1/agents/statistics",
            format!("from={}&to={now}&interval=60", now - day),
        ),
        (
            "/v1/queues/statistics",
            format!("from={}&to={now}&interval=30", now - day),
        ),
    ];
    for (template, query) in analytics {
        let url = format!("{template}?{query}");
        let body = c.check(&sb, Some(&admin), template, &url, 200).await;
        assert!(
            !body["data"].as_array().unwrap().is_empty(),
            "{url} returns data: {body}"
        );
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
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{url}&channelTypes=TELEPHONY"),
            if template.contains("statistics") {
                200
            } else {
                400
            },
        )
        .await;
        c.check(&sb, None, template, &url, 401).await;
        c.check(&sb, Some(&agent), template, &url, 403).await;
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("{url}&orgId={other_org}"),
            403,
        )
        .await;
        control(&sb, json!({"force_429": 1})).await;
        c.check(&sb, Some(&admin), template, &url, 429).await;
        control(&sb, json!({"force_5xx": 1})).await;
        c.check(&sb, Some(&admin), template, &url, 503).await;
    }
    c.check(
        &sb,
        Some(&admin),
        "/v1/tasks",
        &format!("/v1/tasks?from={}&pageSize=1001", now - day),
        400,
    )
    .await;
    c.check(
        &sb,
        Some(&admin),
        "/v1/agents/statistics",
        &format!(
            "/v1/agents/statistics?from={}&to={now}&interval=7",
            now - day
        ),
        400,
    )
    .await;
    sb.shutdown().await;

    // 500s from the error_rate knob.
    let sb = start(SandboxConfig {
        error_rate: 1.0,
        ..SandboxConfig::demo(SPA_ORIGIN, REDIRECT_URI)
    })
    .await;
    let admin = token_for(&sb, "admin").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    for (template, path) in CONFIG {
        c.check(
            &sb,
            Some(&admin),
            template,
            &format!("/organization/{org}/{path}"),
            500,
        )
        .await;
    }
    for (template, query) in analytics {
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

    eprintln!(
        "conformance: {} (endpoint, status) pairs validated against the spec",
        c.checked.len()
    );
    for ((template, status), n) in &c.checked {
        eprintln!("  {status} GET {template} ×{n}");
    }
    let mut undocumented = c.undocumented.clone();
    undocumented.sort();
    undocumented.dedup();
    if !undocumented.is_empty() {
        eprintln!(
            "statuses the spec does not document for the endpoint (validated as ApiErrorResponse): {}",
            undocumented.join(", ")
        );
    }
    assert!(
        c.failures.is_empty(),
        "responses that do not conform to the spec:\n{}",
        c.failures.join("\n")
    );
}

/// Proves the validator is live: broken responses must be rejected.
#[tokio::test]
async fn validator_rejects_non_conforming_responses() {
    let spec = load_spec();
    let (users, _) = spec.response_schema("/organization/{orgid}/v2/user", 200);
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
    let (sites, _) = spec.response_schema("/organization/{orgid}/v2/site", 200);
    let missing_required = json!({"meta": {}, "data": [{"id": "s", "name": "x"}]});
    assert!(
        !spec.errors(&sites, &missing_required).is_empty(),
        "SiteDTO requires active and multimediaProfileId"
    );
    let (tasks, _) = spec.response_schema("/v1/tasks", 200);
    assert!(
        !spec.errors(&tasks, &json!({"data": []})).is_empty(),
        "meta is required"
    );
    let (error, _) = spec.response_schema("/v1/tasks", 401);
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
}
