//! Checks the explorer's catalogue against the official Webex Contact Center OpenAPI spec, found by
//! `wxcc-spec-fixture` (`$WXCC_OPENAPI_SPEC`, else beside the repository; never copied into it).
//!
//! For every catalogued endpoint: the spec has that method on that path; every catalogued
//! parameter exists on the operation (path-level or operation-level, `$ref`s resolved) with the
//! same `in` and `required`; every parameter the spec requires is catalogued; and the scopes
//! agree with what the operation's description says (see `wxcc_core::catalogue`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use wxcc_core::catalogue::{ENDPOINTS, Endpoint, ScopeSource};
use wxcc_spec_fixture::load_spec;

/// Follows a local `$ref` such as `#/components/parameters/orgid`.
fn resolve<'a>(spec: &'a Value, item: &'a Value) -> &'a Value {
    match item.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local $refs are supported, got {reference}"));
            resolve(
                spec,
                spec.pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {reference}")),
            )
        }
        None => item,
    }
}

/// A parameter as the spec declares it.
#[derive(Debug)]
struct SpecParam {
    required: bool,
}

/// The effective parameters of an operation, keyed by (name, in): path-level parameters, then
/// operation-level ones overriding them, as OpenAPI prescribes.
fn spec_params(
    spec: &Value,
    path_item: &Value,
    operation: &Value,
) -> BTreeMap<(String, String), SpecParam> {
    let mut params = BTreeMap::new();
    for list in [path_item.get("parameters"), operation.get("parameters")]
        .into_iter()
        .flatten()
    {
        for raw in list.as_array().into_iter().flatten() {
            let param = resolve(spec, raw);
            let name = param["name"].as_str().unwrap_or_default().to_owned();
            let location = param["in"].as_str().unwrap_or_default().to_owned();
            let required = param
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            params.insert((name, location), SpecParam { required });
        }
    }
    params
}

/// Scopes (`cjp:…`, `cjds:…`, `spark:…`) named in a text.
fn scopes_named_in(text: &str, found: &mut BTreeSet<String>) {
    for prefix in ["cjp:", "cjds:", "spark:"] {
        for (start, _) in text.match_indices(prefix) {
            let preceded_by_word = text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if preceded_by_word {
                continue;
            }
            let rest = &text[start + prefix.len()..];
            let len = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(rest.len());
            if len > 0 {
                found.insert(format!("{prefix}{}", &rest[..len]));
            }
        }
    }
}

/// Scopes the operation names: in its description, or in its `security` requirements.
fn spec_scopes(operation: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for field in ["summary", "description"] {
        if let Some(text) = operation.get(field).and_then(Value::as_str) {
            scopes_named_in(text, &mut found);
        }
    }
    for requirement in operation["security"].as_array().into_iter().flatten() {
        for scopes in requirement.as_object().into_iter().flat_map(|o| o.values()) {
            for scope in scopes.as_array().into_iter().flatten() {
                if let Some(scope) = scope.as_str() {
                    found.insert(scope.to_owned());
                }
            }
        }
    }
    found
}

/// Everything wrong with one endpoint, as readable lines.
fn problems_of(spec: &Value, endpoint: &Endpoint) -> Vec<String> {
    let id = endpoint.id;
    let method = endpoint.method.to_ascii_lowercase();
    let Some(path_item) = spec["paths"].get(endpoint.path) else {
        return vec![format!("{id}: path {} is not in the spec", endpoint.path)];
    };
    let Some(operation) = path_item.get(&method) else {
        return vec![format!(
            "{id}: the spec has no {} on {}",
            endpoint.method, endpoint.path
        )];
    };

    let mut problems = Vec::new();
    let declared = spec_params(spec, path_item, operation);
    for param in endpoint.params {
        let key = (param.name.to_owned(), param.location.as_str().to_owned());
        match declared.get(&key) {
            None => problems.push(format!(
                "{id}: {} parameter {} is not on {} {}",
                param.location, param.name, endpoint.method, endpoint.path
            )),
            Some(spec_param) if spec_param.required != param.required => problems.push(format!(
                "{id}: parameter {} is required={} in the catalogue but required={} in the spec",
                param.name, param.required, spec_param.required
            )),
            Some(_) => {}
        }
    }
    for ((name, location), spec_param) in &declared {
        let catalogued = endpoint
            .params
            .iter()
            .any(|p| p.name == name && p.location.as_str() == location);
        if spec_param.required && !catalogued {
            problems.push(format!(
                "{id}: the spec requires {location} parameter {name}, the catalogue lacks it"
            ));
        }
    }

    let named = spec_scopes(operation);
    match endpoint.scope_source {
        ScopeSource::Spec => {
            let catalogued: BTreeSet<String> =
                endpoint.scopes.iter().map(|s| (*s).to_owned()).collect();
            if catalogued != named {
                problems.push(format!(
                    "{id}: catalogue scopes {catalogued:?}, but the spec names {named:?}"
                ));
            }
        }
        ScopeSource::ConsoleRule => {
            if !named.is_empty() {
                problems.push(format!(
                    "{id}: the spec now names scopes {named:?}; take them from the spec (ScopeSource::Spec)"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_catalogued_endpoint_matches_the_official_spec() {
    let spec = load_spec();
    let problems: Vec<String> = ENDPOINTS
        .iter()
        .flat_map(|endpoint| problems_of(&spec, endpoint))
        .collect();
    assert!(
        problems.is_empty(),
        "the catalogue disagrees with the spec:\n{}",
        problems.join("\n")
    );
    eprintln!(
        "conformance: {} catalogued endpoints match the spec",
        ENDPOINTS.len()
    );
}

#[test]
fn the_scope_scanner_reads_the_spec_phrasings() {
    let mut found = BTreeSet::new();
    scopes_named_in(
        "Requires `cjp:config_read` scope. Use the cjp scope; cjds:admin_org_read or \
         'cjp:user'. xcjp:nope",
        &mut found,
    );
    let expected: BTreeSet<String> = ["cjp:config_read", "cjds:admin_org_read", "cjp:user"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_wrong_catalogue_entry_is_caught() {
    // Guards against a checker that passes everything: a made-up spec and wrong entries.
    let spec: Value = serde_json::json!({
        "paths": {
            "/x/{orgid}": {
                "parameters": [{ "$ref": "#/components/parameters/orgid" }],
                "get": {
                    "description": "Requires `cjp:config_read` scope.",
                    "parameters": [
                        { "name": "from", "in": "query", "required": true },
                        { "name": "page", "in": "query" }
                    ]
                }
            }
        },
        "components": { "parameters": { "orgid": { "name": "orgid", "in": "path", "required": true } } }
    });
    use wxcc_core::catalogue::{Param, ParamIn};
    let param = |name, location, required| Param {
        name,
        location,
        required,
        description: "",
        example: "",
    };
    // Endpoints borrow their parameters for 'static; leaking a few bytes in a test is fine.
    let good_params: &'static [Param] = Box::leak(Box::new([
        param("orgid", ParamIn::Path, true),
        param("from", ParamIn::Query, true),
        param("page", ParamIn::Query, false),
    ]));
    let good = Endpoint {
        id: "good",
        group: "T",
        summary: "",
        method: "GET",
        path: "/x/{orgid}",
        params: good_params,
        scopes: &["cjp:config_read"],
        scope_source: ScopeSource::Spec,
        deprecated: None,
    };
    assert_eq!(problems_of(&spec, &good), Vec::<String>::new());

    let wrong_params: &'static [Param] = Box::leak(Box::new([
        param("orgid", ParamIn::Query, true),
        param("page", ParamIn::Query, true),
        param("nope", ParamIn::Query, false),
    ]));
    let wrong = Endpoint {
        id: "wrong",
        params: wrong_params,
        scopes: &["cjp:user"],
        ..good
    };
    let problems = problems_of(&spec, &wrong);
    for needle in [
        "query parameter orgid is not on",
        "parameter page is required=true",
        "query parameter nope is not on",
        "the spec requires path parameter orgid",
        "the spec requires query parameter from",
        "catalogue scopes",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "expected a problem containing {needle:?} in {problems:#?}"
        );
    }
    let unscoped = Endpoint {
        scope_source: ScopeSource::ConsoleRule,
        ..good
    };
    assert!(problems_of(&spec, &unscoped)[0].contains("now names scopes"));
    let missing = Endpoint { path: "/y", ..good };
    assert!(problems_of(&spec, &missing)[0].contains("not in the spec"));
}
