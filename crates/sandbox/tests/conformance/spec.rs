//! Cisco's OpenAPI spec as JSON Schema: loading it (through `wxcc-spec-fixture`, which fails the
//! test when it is missing), the conversions that make it valid JSON Schema, and validators.
//!
//! OpenAPI 3.0 schemas are JSON Schema with a few differences; they are converted first. Each
//! response is validated against a root document made of the spec's (converted) `components`
//! plus `$ref` to the response schema, so `#/components/schemas/…` references resolve inside the
//! spec itself. Nothing is fetched remotely.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Value, json};

pub struct Spec {
    doc: Value,
    components: Value,
    /// Compiled validators by schema text: compiling against the whole `components` is the slow part.
    cache: RefCell<HashMap<String, Rc<jsonschema::Validator>>>,
}

/// The spec, converted for the validator.
pub fn load_spec() -> Spec {
    let mut doc = wxcc_spec_fixture::load_spec();
    convert_openapi_30(&mut doc);
    loosen_generic_envelope_meta(&mut doc);
    read_string_typed_objects_as_objects(&mut doc);
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
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            if let Some(Value::String(pattern)) = map.get_mut("pattern") {
                *pattern = java_class_to_ecma(pattern);
            }
            // OpenAPI 3.0 defines no `time` format, and JSON Schema's requires a UTC offset; the
            // spec's descriptions and examples give a local `HH:mm:ss` (e.g. `CallbackSchedule`).
            if map.get("format") == Some(&json!("time")) {
                map.remove("format");
                map.insert(
                    "pattern".into(),
                    json!("^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"),
                );
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
/// envelopes' `meta` values are read as "any value", and the checker validates every configuration
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

/// A few response schemas say `type: string` yet list `properties` (`meta`, `data`) and give a JSON
/// object as their example (e.g. `GET /organization/{orgid}/v3/user-profile`): the service answers
/// the object, so such schemas are read as `type: object`.
fn read_string_typed_objects_as_objects(doc: &mut Value) {
    let mut fixed = Vec::new();
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(responses) = item
            .get_mut("get")
            .and_then(|op| op.get_mut("responses"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for response in responses.values_mut() {
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            for media in content.values_mut() {
                if let Some(schema) = media.get_mut("schema").and_then(Value::as_object_mut)
                    && schema.get("type") == Some(&json!("string"))
                    && schema.contains_key("properties")
                {
                    schema.insert("type".into(), json!("object"));
                    fixed.push(path.clone());
                }
            }
        }
    }
    eprintln!(
        "conformance: string-typed object responses read as objects: {}",
        fixed.join(", ")
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

/// What the spec says about one status of an operation.
pub struct Documented {
    pub schema: Value,
    /// The spec lists this status for the operation (with or without a body schema).
    pub status_listed: bool,
    /// The schema is the one the spec gives for this status (not a stand-in).
    pub schema_given: bool,
}

impl Spec {
    /// The `method` operation at `template`.
    pub fn operation_at(&self, method: &str, template: &str) -> &Value {
        let op = &self.doc["paths"][template][method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the spec");
        op
    }

    /// What a `method` request to `template` sends, as the spec declares it: its JSON body's
    /// schema, or the schema of the object query parameter some operations declare instead
    /// (`teamDTO` on `POST`/`PUT` team).
    pub fn request_schema(&self, method: &str, template: &str) -> Value {
        let op = self.operation_at(method, template);
        if let Some(schema) = op["requestBody"]["content"]["application/json"]
            .get("schema")
            .cloned()
        {
            return schema;
        }
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["in"] == "query" && p["schema"].get("$ref").is_some())
            .map(|p| p["schema"].clone())
            .unwrap_or_else(|| panic!("{method} {template} declares no request schema"))
    }

    /// A schema with its `$ref` (to `#/components/schemas/…`) followed.
    pub fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                self.resolve(&self.components["schemas"][name])
            }
            None => schema,
        }
    }

    /// The POST operation at `template` (`/search`, the one POST the sandbox serves).
    pub fn post_operation(&self, template: &str) -> &Value {
        let op = &self.doc["paths"][template]["post"];
        assert!(op.is_object(), "POST {template} is not in the spec");
        op
    }

    /// The body schema of a response (`application/json`, `*/*` or HAL), when it has one.
    pub fn schema_of(response: &Value) -> Option<Value> {
        let content = &response["content"];
        ["application/json", "*/*", "application/hal+json"]
            .iter()
            .map(|ct| &content[*ct]["schema"])
            .find(|s| s.is_object() && s.as_object().is_some_and(|m| !m.is_empty()))
            .cloned()
    }

    /// The schema to validate `status` of GET `template` against: the one documented for the
    /// status; for an error the spec gives no body for, the operation's own error schema (from its
    /// other 4xx/5xx answers), else the common `ApiErrorResponse`.
    pub fn response_schema(&self, template: &str, status: u16) -> Documented {
        self.response_schema_at("GET", template, status)
    }

    /// [`Spec::response_schema`] of the `method` operation.
    pub fn response_schema_at(&self, method: &str, template: &str, status: u16) -> Documented {
        let responses = &self.operation_at(method, template)["responses"];
        let response = &responses[status.to_string()];
        if let Some(schema) = Self::schema_of(response) {
            return Documented {
                schema,
                status_listed: true,
                schema_given: true,
            };
        }
        if status == 204 {
            // No content: the checker requires an empty body.
            return Documented {
                schema: json!({}),
                status_listed: response.is_object(),
                schema_given: false,
            };
        }
        assert!(
            status >= 400,
            "{method} {template} documents no schema for success status {status}"
        );
        let sibling = responses
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(code, _)| code.starts_with('4') || code.starts_with('5'))
            .find_map(|(_, r)| Self::schema_of(r));
        Documented {
            schema: sibling
                .unwrap_or_else(|| json!({"$ref": "#/components/schemas/ApiErrorResponse"})),
            status_listed: response.is_object(),
            schema_given: false,
        }
    }

    /// A response shape the spec documents only in a parameter's description, for this request.
    pub fn described_variant(&self, template: &str, query: &str) -> Option<Value> {
        let paginated_flows = template == "/flow-store/{orgId}/project/{projectId}/flows"
            && query
                .split('&')
                .any(|pair| pair == "includePagination=true");
        // "a different paginated response object containing the page metadata (currentPage,
        // totalRecords, pageSize, totalPages) will be returned. The flow objects will be in an
        // array named \"data\"" (the parameter's description).
        paginated_flows.then(|| {
            json!({
                "type": "object",
                "required": ["currentPage", "totalRecords", "pageSize", "totalPages", "data"],
                "properties": {
                    "currentPage": {"type": "integer"},
                    "totalRecords": {"type": "integer"},
                    "pageSize": {"type": "integer"},
                    "totalPages": {"type": "integer"},
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/BasicFlowDTO"}},
                },
            })
        })
    }

    fn validator(&self, schema: &Value) -> Rc<jsonschema::Validator> {
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
        let validator = Rc::new(validator);
        self.cache.borrow_mut().insert(key, validator.clone());
        validator
    }

    pub fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .take(10)
            .collect()
    }

    /// Errors of `instance` against `#/components/schemas/<name>`.
    pub fn errors_against(&self, name: &str, instance: &Value) -> Vec<String> {
        self.errors(
            &json!({"$ref": format!("#/components/schemas/{name}")}),
            instance,
        )
    }
}
