//! Calls the sandbox over loopback HTTP and validates every answer against the spec, collecting
//! failures (so one run reports every non-conforming endpoint) and a tally of what was checked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use wxcc_sandbox::RunningSandbox;

use crate::common::client;
use crate::spec::Spec;

/// A response as the checker saw it; `body` is `None` when it was empty.
pub struct Answer {
    pub status: u16,
    pub body: Option<Value>,
}

impl Answer {
    /// The body, or `null` when empty.
    pub fn json(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.body.as_ref().unwrap_or(&NULL)
    }

    /// The records of a list answer: `data` of an envelope, or a plain array.
    pub fn records(&self) -> Option<&Vec<Value>> {
        let body = self.json();
        body["data"].as_array().or_else(|| body.as_array())
    }
}

/// A request the checker sends: `template` is the spec's path of `path_and_query`.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    pub template: &'a str,
    pub path_and_query: &'a str,
    pub body: Option<&'a Value>,
}

pub struct Checker<'a> {
    pub spec: &'a Spec,
    /// How often each (template, status) was validated.
    pub checked: BTreeMap<(String, u16), usize>,
    /// Statuses the spec does not list for the operation.
    pub undocumented: BTreeSet<String>,
    pub failures: Vec<String>,
}

impl<'a> Checker<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        Checker {
            spec,
            checked: BTreeMap::new(),
            undocumented: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    /// GET `path_and_query` (the spec's `template`) and validate whatever comes back; a status
    /// other than `expect` is a failure too.
    pub async fn check(
        &mut self,
        sb: &RunningSandbox,
        token: Option<&str>,
        template: &str,
        path_and_query: &str,
        expect: u16,
    ) -> Answer {
        let request = Request {
            method: "GET",
            template,
            path_and_query,
            body: None,
        };
        self.check_request(sb, token, &request, expect).await
    }

    /// Sends `request` and validates whatever comes back against the spec's response schema for
    /// the operation and status; a status other than `expect` is a failure too.
    pub async fn check_request(
        &mut self,
        sb: &RunningSandbox,
        token: Option<&str>,
        request: &Request<'_>,
        expect: u16,
    ) -> Answer {
        let Request {
            method,
            template,
            path_and_query,
            body,
        } = *request;
        let http_method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request =
            client().request(http_method, format!("{}{path_and_query}", sb.api_url()));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let operation = format!("{method} {path_and_query}");
        let path_and_query = operation.as_str();
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let has_tracking_id = response.headers().get("trackingid").is_some();
        let has_retry_after = response.headers().get("retry-after").is_some();
        let bytes = response.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            None
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.fail(path_and_query, status, format!("body is not JSON: {e}"));
                    return Answer { status, body: None };
                }
            }
        };
        let answer = Answer { status, body };
        if status != expect {
            self.fail(
                path_and_query,
                status,
                format!("expected {expect}: {}", answer.json()),
            );
        }
        if !has_tracking_id {
            self.fail(path_and_query, status, "no TrackingId header".into());
        }
        if status == 429 && !has_retry_after {
            self.fail(path_and_query, status, "a 429 without Retry-After".into());
        }
        let query = path_and_query.split_once('?').map_or("", |(_, q)| q);
        let errors = self.validate(method, template, query, &answer);
        if !errors.is_empty() {
            self.fail(path_and_query, status, errors.join("\n    "));
        }
        *self
            .checked
            .entry((format!("{method} {template}"), status))
            .or_default() += 1;
        answer
    }

    /// `operation` is the method and the path and query.
    fn fail(&mut self, operation: &str, status: u16, problem: String) {
        self.failures
            .push(format!("{status} {operation}:\n    {problem}"));
    }

    fn validate(
        &mut self,
        method: &str,
        template: &str,
        query: &str,
        answer: &Answer,
    ) -> Vec<String> {
        let status = answer.status;
        let mut documented = self.spec.response_schema_at(method, template, status);
        if status == 200
            && let Some(variant) = self.spec.described_variant(template, query)
        {
            documented.schema = variant;
        }
        if !documented.status_listed {
            self.undocumented
                .insert(format!("{status} {method} {template}"));
        }
        let Some(body) = &answer.body else {
            // Webex documents 429s "without a body"; 204s have none.
            return match status {
                204 | 429 => Vec::new(),
                _ => vec!["the body is empty".to_string()],
            };
        };
        if status == 204 {
            return vec![format!("a 204 with a body: {body}")];
        }
        let mut errors = self.spec.errors(&documented.schema, body);
        if template.starts_with("/organization/")
            && status == 200
            && body.get("meta").is_some()
            && body["data"].is_array()
        {
            errors.extend(self.paging_meta_errors(&body["meta"]));
        }
        errors
    }

    /// Every paged configuration list sends the same `meta` (see `spec::loosen_generic_envelope_meta`).
    fn paging_meta_errors(&self, meta: &Value) -> Vec<String> {
        let mut errors: Vec<String> = self
            .spec
            .errors_against("MetaDataWithPagingInfo", meta)
            .into_iter()
            .map(|e| format!("meta: {e}"))
            .collect();
        errors.extend(
            self.spec
                .errors_against("PaginationLinks", &meta["links"])
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
            if meta.get(field).is_none() {
                errors.push(format!("meta.{field} is missing"));
            }
        }
        errors
    }

    /// Prints the tally and fails the test when any answer did not conform.
    pub fn finish(self) {
        eprintln!(
            "conformance: {} (endpoint, status) pairs validated against the spec",
            self.checked.len()
        );
        for ((operation, status), n) in &self.checked {
            eprintln!("  {status} {operation} ×{n}");
        }
        if !self.undocumented.is_empty() {
            let list: Vec<&str> = self.undocumented.iter().map(String::as_str).collect();
            eprintln!(
                "statuses the spec does not list for the operation (validated against its error schema): {}",
                list.join(", ")
            );
        }
        assert!(
            self.failures.is_empty(),
            "{} answers do not conform to the spec:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}
