//! `POST /search` (`getSearchResults`) against the spec: every request body sent is a valid
//! `SearchRequest`; the error answers match the schema the spec gives their status (400, 401,
//! 403, 413), each status being one the operation lists; and since the spec types the 200 body as
//! a `string` with an example object, the legacy `task` answer is checked against that example:
//! the same envelope (`data.task.tasks[]`), and every field the example shows with its type.

use serde_json::{Value, json};

use crate::common::*;
use crate::spec::{Spec, load_spec};
use crate::{now_ms, start_for_conformance};

const HOUR_MS: i64 = 3_600_000;

/// A JSON Schema that accepts what has the example's shape: objects with the example's keys
/// typed as there (other keys allowed), arrays of items like its first one.
fn schema_from_example(example: &Value) -> Value {
    match example {
        Value::Object(fields) => {
            let properties: serde_json::Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.clone(), schema_from_example(v)))
                .collect();
            json!({"type": "object", "properties": properties})
        }
        Value::Array(items) => match items.first() {
            Some(item) => json!({"type": "array", "items": schema_from_example(item)}),
            None => json!({"type": "array"}),
        },
        Value::String(_) => json!({"type": "string"}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({"type": "integer"}),
        Value::Number(_) => json!({"type": "number"}),
        Value::Null => json!({}),
    }
}

struct Search<'a> {
    spec: &'a Spec,
    sb: &'a wxcc_sandbox::RunningSandbox,
    failures: Vec<String>,
}

impl Search<'_> {
    /// Sends `body` (checked against `SearchRequest` first) and checks the answer's status and,
    /// for an error, its body against the spec's schema for that status.
    async fn send(&mut self, token: Option<&str>, body: Value, expect: u16) -> Value {
        let problems = self.spec.errors_against("SearchRequest", &body);
        if !problems.is_empty() {
            self.failures.push(format!(
                "request {body} is not a SearchRequest: {problems:?}"
            ));
        }
        let mut request = client()
            .post(format!("{}/search", self.sb.api_url()))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status != expect {
            self.failures
                .push(format!("{body}: expected {expect}, got {status}: {answer}"));
            return answer;
        }
        let responses = &self.spec.post_operation("/search")["responses"];
        let documented = &responses[status.to_string()];
        if !documented.is_object() {
            self.failures
                .push(format!("{status} is not a status getSearchResults lists"));
        }
        if status >= 400 {
            let schema = Spec::schema_of(documented)
                .unwrap_or_else(|| json!({"$ref": "#/components/schemas/ApiErrorResponse"}));
            let problems = self.spec.errors(&schema, &answer);
            if !problems.is_empty() {
                self.failures
                    .push(format!("{status} answer {answer}: {problems:?}"));
            }
        }
        answer
    }
}

#[tokio::test]
async fn search_requests_and_answers_conform_to_the_official_spec() {
    let spec = load_spec();
    let sb = start_for_conformance().await;
    let token = token_for(&sb, "admin").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut search = Search {
        spec: &spec,
        sb: &sb,
        failures: Vec::new(),
    };
    let now = now_ms();
    let (from, to) = (now - 3 * HOUR_MS, now - HOUR_MS);

    let ok = &spec.post_operation("/search")["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(
        ok["type"], "string",
        "the spec types the 200 body; this test reads its example"
    );
    let example_schema = schema_from_example(&ok["example"]);
    // The spec's own example query (variables as it names them) and its fields.
    let query = "query ($startTime: Long!, $endTime: Long!) { task(from: $startTime, to: $endTime, \
                 filter: {and: [{channelType: {equals: telephony}}]}, pagination: {cursor: \"NA\"}) { \
                 tasks { id channelType createdTime endedTime isActive status owner { name id } } } }";
    let answer = search
        .send(
            Some(&token),
            json!({"query": query, "variables": {"startTime": from, "endTime": to}}),
            200,
        )
        .await;
    let tasks = answer["data"]["task"]["tasks"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(tasks > 0, "{answer}");
    let problems = spec.errors(&example_schema, &answer);
    assert!(
        problems.is_empty(),
        "the answer has the example's shape: {problems:?}"
    );

    let raw = |from: i64, to: i64| json!({"query": format!("{{ taskDetails(from: {from}, to: {to}) {{ tasks {{ id }} }} }}")});
    search.send(Some(&token), raw(to, from), 400).await;
    search
        .send(
            Some(&token),
            json!({"query": "{ taskDetails(from: 1) { tasks { id } } }"}),
            400,
        )
        .await;
    search.send(None, raw(from, to), 400).await;
    search.send(Some("not-a-token"), raw(from, to), 401).await;
    let agent = token_for(&sb, "agent").await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    search.send(Some(&agent), raw(from, to), 403).await;
    let scan = json!({"query": format!(
        "{{ taskDetails(from: {}, to: {to}, extFilter: {{activities: {{nodes: {{agentId: {{equals: \"nobody\"}}}}}}}}) {{ tasks {{ id }} }} }}",
        to - 5 * 24 * HOUR_MS
    )});
    search.send(Some(&token), scan, 413).await;
    let failures = std::mem::take(&mut search.failures);
    sb.shutdown().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
