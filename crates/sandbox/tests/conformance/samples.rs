//! Write requests built from the spec's request schemas: a sample with every property of a DTO
//! (the ids it refers to filled from the sandbox's records, the rest generated from each
//! property's type, enum, format and limits), and for each property the mutations the schema
//! refuses (a wrong type, a value outside the enum, the limits, a missing required property).

use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// Values chosen by path (`"siteId"`, `"queueRankings[].queueId"`): a value to send, or `null`
/// to leave the property out.
pub type Fill = Map<String, Value>;

/// An object of `schema` with every property: `fill`'s value where it has one, else a value
/// generated from the property's schema. `path` is the object's place (`""` at the top,
/// `"dynamicSkills[]"` inside an array).
pub fn sample(spec: &Spec, schema: &Value, fill: &Fill, path: &str) -> Value {
    let schema = spec.resolve(schema);
    let mut object = Map::new();
    for (name, property) in properties(spec, schema) {
        let at = join(path, name);
        match fill.get(&at) {
            Some(Value::Null) => {}
            Some(value) => {
                object.insert(name.clone(), value.clone());
            }
            None => {
                object.insert(name.clone(), generate(spec, property, fill, &at));
            }
        }
    }
    Value::Object(object)
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The properties of an object schema.
pub fn properties<'s>(spec: &'s Spec, schema: &'s Value) -> Vec<(&'s String, &'s Value)> {
    spec.resolve(schema)["properties"]
        .as_object()
        .map(|p| p.iter().collect())
        .unwrap_or_default()
}

/// The `required` names of an object schema.
pub fn required(spec: &Spec, schema: &Value) -> Vec<String> {
    spec.resolve(schema)["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect()
}

fn generate(spec: &Spec, property: &Value, fill: &Fill, path: &str) -> Value {
    let property = spec.resolve(property);
    if let Some(first) = property["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    match property["type"].as_str() {
        Some("boolean") => json!(true),
        Some("integer") | Some("number") => {
            let min = property["minimum"].as_i64();
            let max = property["maximum"].as_i64();
            json!(min.unwrap_or(1).min(max.unwrap_or(i64::MAX)))
        }
        Some("array") => json!([generate(
            spec,
            &property["items"],
            fill,
            &format!("{path}[]")
        )]),
        Some("object") | None if property.get("properties").is_some() => {
            sample(spec, property, fill, path)
        }
        _ => {
            let max = property["maxLength"].as_u64().unwrap_or(64) as usize;
            json!("sample".chars().take(max.max(1)).collect::<String>())
        }
    }
}

/// A request the spec refuses: `change` made at `field` (a path like `teamType` or
/// `queueRankings[0].rank`), and why.
#[derive(Debug, Clone)]
pub struct Mutation {
    pub field: String,
    pub change: Change,
    pub why: &'static str,
}

#[derive(Debug, Clone)]
pub enum Change {
    Set(Value),
    Remove,
    /// The array's first item, twice.
    Duplicate,
}

/// The mutations of each property of `schema` (one level into arrays of objects) that its
/// schema refuses; `required` names the properties a request must carry.
pub fn mutations(spec: &Spec, schema: &Value, required: &[String], path: &str) -> Vec<Mutation> {
    let mut all = Vec::new();
    for (name, property) in properties(spec, schema) {
        let field = join(path, name);
        let property = spec.resolve(property);
        let mut add = |change: Change, why| {
            all.push(Mutation {
                field: field.clone(),
                change,
                why,
            })
        };
        let wrong_type = match property["type"].as_str() {
            Some("string") => json!(12345),
            Some("boolean") => json!("yes"),
            Some("integer") => json!("one"),
            Some("array") => json!("not an array"),
            _ => json!(17),
        };
        add(Change::Set(wrong_type), "wrong type");
        if property.get("enum").is_some() {
            add(Change::Set(json!("NOT_IN_THE_ENUM")), "unknown enum value");
        }
        if let Some(max) = property["maxLength"].as_u64() {
            add(
                Change::Set(json!("x".repeat(max as usize + 1))),
                "over maxLength",
            );
        }
        if property["minLength"].as_u64().is_some_and(|m| m > 0)
            && property.get("pattern").is_none()
        {
            add(Change::Set(json!("")), "under minLength");
        }
        if property.get("pattern").is_some() {
            add(Change::Set(json!("not-a-uuid")), "off the pattern");
        }
        if let Some(max) = property["maximum"].as_i64() {
            add(Change::Set(json!(max + 1)), "over maximum");
        }
        if let Some(min) = property["minimum"].as_i64() {
            add(Change::Set(json!(min - 1)), "under minimum");
        }
        if required.contains(name) {
            add(Change::Remove, "required");
        }
        if property["type"] == "array" && property["items"]["type"] == "string" {
            add(Change::Set(json!([42])), "wrong item type");
        }
        if property["uniqueItems"] == true {
            add(Change::Duplicate, "uniqueItems");
        }
        let items = spec.resolve(&property["items"]);
        if property["type"] == "array" && items.get("properties").is_some() {
            let nested_required = self::required(spec, items);
            all.extend(mutations(
                spec,
                items,
                &nested_required,
                &format!("{field}[0]"),
            ));
        }
    }
    all
}

/// `body` with `mutation` applied (at `prefix`, e.g. `items[0].item`).
pub fn apply(body: &Value, prefix: &str, mutation: &Mutation) -> Value {
    let mut body = body.clone();
    let full = join(prefix, &mutation.field);
    let mut steps: Vec<Step> = Vec::new();
    for part in full.split('.') {
        match part.split_once('[') {
            Some((name, index)) => {
                steps.push(Step::Key(name.to_string()));
                steps.push(Step::Index(index.trim_end_matches(']').parse().unwrap()));
            }
            None => steps.push(Step::Key(part.to_string())),
        }
    }
    let (last, parents) = steps.split_last().unwrap();
    let mut node = &mut body;
    for step in parents {
        node = match step {
            Step::Key(k) => &mut node[k.as_str()],
            Step::Index(i) => &mut node[*i],
        };
    }
    let target = match last {
        Step::Key(k) => {
            if let Change::Remove = mutation.change {
                node.as_object_mut().unwrap().remove(k);
                return body;
            }
            &mut node[k.as_str()]
        }
        Step::Index(i) => &mut node[*i],
    };
    match &mutation.change {
        Change::Set(v) => *target = v.clone(),
        Change::Duplicate => {
            let first = target[0].clone();
            *target = json!([first, first]);
        }
        Change::Remove => unreachable!("only properties are removed"),
    }
    body
}

enum Step {
    Key(String),
    Index(usize),
}
