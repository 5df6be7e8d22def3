//! Where `POST …/team` and `PUT …/team/{id}` read their TeamDTO. The spec declares it as a
//! required query parameter `teamDTO` of type `TeamDTO` (no request body), unlike every other
//! create and update, the team bulk save included, which take a JSON body. Which one Webex reads
//! is unknown: the `team_dto_in` knob chooses, `"body"` by default.
//!
//! In `"query"` mode the DTO's fields are query parameters, as OpenAPI's default for an object in
//! the query (`style: form`, `explode: true`) writes them: `name=Billing&teamType=AGENT&…`, an
//! array as repeated parameters or one comma-separated value (`userIds=a&userIds=b`), and, as
//! Spring binds them, objects in an array as `queueRankings[0].queueId=…`.

use axum::http::{HeaderMap, Uri};
use serde_json::{Map, Value, json};

use super::json_body;
use super::schema::{Field, Kind, TEAM, kind_of};
use crate::api::error::ApiError;
use crate::api::params::query_pairs;

/// Indexed parameters beyond this are refused (the DTO's arrays are short).
const MAX_INDEX: usize = 999;

/// The TeamDTO of a request, from its body or (in query mode) its query string.
pub fn team_dto(
    in_query: bool,
    headers: &HeaderMap,
    uri: &Uri,
    body: &[u8],
) -> Result<Value, ApiError> {
    if !in_query {
        return json_body(headers, body);
    }
    if !body.is_empty() {
        return Err(ApiError::bad_request(
            "teamDTO: this operation reads the TeamDTO's fields from the query string (team_dto_in = query), not from the body",
        ));
    }
    let pairs = query_pairs(uri)?;
    if pairs.is_empty() {
        return Err(ApiError::bad_request(
            "teamDTO: is required: send the TeamDTO's fields as query parameters",
        ));
    }
    from_query(&pairs, TEAM)
}

/// An object of `fields` from query parameters, each value typed as its field's kind (a value
/// that does not parse stays a string, for the schema check to name).
fn from_query(pairs: &[(String, String)], fields: &[Field]) -> Result<Value, ApiError> {
    let mut object = Map::new();
    for (name, value) in pairs {
        if let Some((list, index, inner)) = indexed(name) {
            let Some(Kind::Objects {
                fields: inner_fields,
                ..
            }) = kind_of(fields, list)
            else {
                object.insert(name.clone(), json!(value));
                continue;
            };
            if index > MAX_INDEX {
                return Err(ApiError::bad_request(format!(
                    "{list}[{index}]: at most {} entries",
                    MAX_INDEX + 1
                )));
            }
            let entries = object.entry(list).or_insert_with(|| json!([]));
            let Some(entries) = entries.as_array_mut() else {
                continue;
            };
            while entries.len() <= index {
                entries.push(json!({}));
            }
            let kind = kind_of(inner_fields, inner);
            entries[index][inner] = typed(value, kind);
            continue;
        }
        match kind_of(fields, name) {
            Some(Kind::Strings { .. }) => {
                let entry = object.entry(name.clone()).or_insert_with(|| json!([]));
                if let Some(items) = entry.as_array_mut() {
                    items.extend(
                        value
                            .split(',')
                            .map(str::trim)
                            .filter(|v| !v.is_empty())
                            .map(|v| json!(v)),
                    );
                }
            }
            kind => {
                object.insert(name.clone(), typed(value, kind));
            }
        }
    }
    Ok(Value::Object(object))
}

/// `list[index].field` split up.
fn indexed(name: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = name.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    let field = rest.strip_prefix('.')?;
    Some((list, index.parse().ok()?, field))
}

fn typed(value: &str, kind: Option<Kind>) -> Value {
    match kind {
        Some(Kind::Bool) => match value {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(value),
        },
        Some(Kind::Int32 { .. } | Kind::Int64) => value
            .trim()
            .parse::<i64>()
            .map_or_else(|_| json!(value), |n| json!(n)),
        _ => json!(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap()
    }

    #[test]
    fn query_parameters_become_a_typed_team_dto() {
        let dto = from_query(
            &pairs("name=Billing&teamType=AGENT&active=true&capacity=5&userIds=a&userIds=b,c&queueRankings[1].queueId=q2&queueRankings[1].rank=2&queueRankings[0].queueId=q1&queueRankings[0].rank=1&rankQueuesForTeam=maybe"),
            TEAM,
        )
        .unwrap();
        assert_eq!(
            dto,
            json!({"name": "Billing", "teamType": "AGENT", "active": true, "capacity": 5,
                   "userIds": ["a", "b", "c"], "rankQueuesForTeam": "maybe",
                   "queueRankings": [{"queueId": "q1", "rank": 1}, {"queueId": "q2", "rank": 2}]})
        );
        assert!(from_query(&pairs("queueRankings[5000].rank=1"), TEAM).is_err());
    }
}
