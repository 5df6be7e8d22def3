//! The bulk envelope both bulk writes share: the request `{"items": [{"itemIdentifier", "item",
//! "requestAction"}]}` (`BulkRequestDTO…`) and the `207 Multi-Status` answer, one
//! `BulkResponseItemDTO` per item: `itemIdentifier`, `status`, `operationType`, `href` and, for a
//! refused item, `apiError` (the spec's `ApiErrorResponse`, carrying the request's tracking id).
//!
//! The envelope and every item's shape are checked before anything is written: a problem there
//! refuses the whole request (400 naming the field). What needs the org's records (ids, versions,
//! names) is decided item by item, in order, each item's answer in the 207.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::WriteKnobs;
use super::schema::{Field, Rules, check_object, describe};
use crate::api::error::{ApiError, error_body};
use crate::live::OrgWrite;
use crate::tracking::{TrackedAnswer, TrackingId, awaiting_tracking_id};

/// What a bulk item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Save,
    Delete,
}

/// One item of a bulk request, its shape checked.
#[derive(Debug)]
pub struct Item {
    pub identifier: i64,
    pub action: Action,
    pub item: Map<String, Value>,
}

/// How a bulk operation reads its items.
pub struct Envelope<'a> {
    /// The DTO of `item`.
    pub fields: &'a [Field],
    /// The actions allowed and the rules an item of each follows.
    pub actions: &'a [(&'a str, Action, Rules<'a>)],
    /// `requestAction` may be left out, meaning `SAVE` (the user bulk update's description).
    pub action_optional: bool,
}

const ITEM_FIELDS: &[&str] = &["itemIdentifier", "item", "requestAction"];

/// The items of a bulk request, or a 400 naming the first field that is off the spec's shape.
pub fn items(body: &Value, envelope: &Envelope, knobs: &WriteKnobs) -> Result<Vec<Item>, ApiError> {
    let bad = |m: String| ApiError::bad_request(m);
    let Some(object) = body.as_object() else {
        return Err(bad(format!(
            "body: must be a JSON object, got {}",
            describe(body)
        )));
    };
    if knobs.refuse_unknown
        && let Some(unknown) = object.keys().find(|k| *k != "items")
    {
        return Err(bad(format!(
            "{unknown}: unknown field; the body has only items"
        )));
    }
    let list = match object.get("items") {
        None | Some(Value::Null) => return Err(bad("items: is required".into())),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(bad(format!(
                "items: must be an array, got {}",
                describe(other)
            )));
        }
    };
    if list.is_empty() {
        return Err(bad("items: must not be empty".into()));
    }
    if list.len() > knobs.max_items as usize {
        return Err(bad(format!(
            "items: at most {} items per bulk request, got {}; send them in batches",
            knobs.max_items,
            list.len()
        )));
    }
    let mut parsed: Vec<Item> = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let at = |name: &str| format!("items[{i}].{name}");
        let Some(entry) = entry.as_object() else {
            return Err(bad(format!(
                "items[{i}]: must be a JSON object, got {}",
                describe(entry)
            )));
        };
        if knobs.refuse_unknown
            && let Some(unknown) = entry.keys().find(|k| !ITEM_FIELDS.contains(&k.as_str()))
        {
            return Err(bad(format!(
                "{}: unknown field; a bulk item has {}",
                at(unknown),
                ITEM_FIELDS.join(", ")
            )));
        }
        let identifier = match entry.get("itemIdentifier") {
            None | Some(Value::Null) => {
                return Err(bad(format!("{}: is required", at("itemIdentifier"))));
            }
            Some(v) => v
                .as_i64()
                .filter(|n| i32::try_from(*n).is_ok())
                .ok_or_else(|| {
                    bad(format!(
                        "{}: must be an integer (int32), got {}",
                        at("itemIdentifier"),
                        describe(v)
                    ))
                })?,
        };
        if parsed.iter().any(|p| p.identifier == identifier) {
            return Err(bad(format!(
                "{}: {identifier} is used by an earlier item; item identifiers are unique within a request",
                at("itemIdentifier")
            )));
        }
        let names: Vec<&str> = envelope.actions.iter().map(|a| a.0).collect();
        let action_name = match entry.get("requestAction") {
            None | Some(Value::Null) if envelope.action_optional => "SAVE",
            None | Some(Value::Null) => {
                return Err(bad(format!("{}: is required", at("requestAction"))));
            }
            Some(Value::String(s)) => s.as_str(),
            Some(other) => {
                return Err(bad(format!(
                    "{}: must be a string, got {}",
                    at("requestAction"),
                    describe(other)
                )));
            }
        };
        let Some(&(_, action, rules)) = envelope.actions.iter().find(|a| a.0 == action_name) else {
            return Err(bad(format!(
                "{}: unknown value {action_name:?}; must be {}",
                at("requestAction"),
                names.join(" or ")
            )));
        };
        let item = entry.get("item").unwrap_or(&Value::Null);
        if item.is_null() {
            return Err(bad(format!("{}: is required", at("item"))));
        }
        check_object(item, envelope.fields, &at("item"), rules).map_err(bad)?;
        let item = item.as_object().cloned().unwrap_or_default();
        parsed.push(Item {
            identifier,
            action,
            item,
        });
    }
    Ok(parsed)
}

/// Whether the `bulk_item_failure_rate` fault fails the item at `index`: of a request's first n
/// items, ⌊n × rate⌋ fail, evenly spaced (0.5: the 2nd, 4th, …; 0.25: the 4th, 8th, …; 1.0: all).
fn injected_failure(index: usize, rate: f64) -> bool {
    let i = index as f64;
    ((i + 1.0) * rate).floor() > (i * rate).floor()
}

/// The error a failed item carries when the fault picks it.
fn injected_error() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        "Injected failure (bulk_item_failure_rate): this item was not saved. Retry it.",
    )
}

/// The answers to `items`, in order, on the org's records `w`: `operation` names what an item asks
/// for (in its answer whatever the outcome); `apply` does it, unless the `bulk_item_failure_rate`
/// fault (`failure_rate`) fails the item first.
pub fn answer_each(
    w: &mut OrgWrite<'_>,
    items: &[Item],
    failure_rate: f64,
    operation: impl Fn(&Item) -> &'static str,
    mut apply: impl FnMut(&mut OrgWrite<'_>, &Item) -> Result<Done, ApiError>,
) -> BulkAnswer {
    let results = items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemResult {
            identifier: item.identifier,
            operation: operation(item),
            outcome: if injected_failure(i, failure_rate) {
                Err(injected_error())
            } else {
                apply(w, item)
            },
        })
        .collect();
    BulkAnswer(results)
}

/// The answer to one item.
#[derive(Debug)]
pub struct ItemResult {
    pub identifier: i64,
    /// `CREATE`, `UPDATE` or `DELETE`.
    pub operation: &'static str,
    pub outcome: Result<Done, ApiError>,
}

/// A saved item: its status and the record's address (the spec's example form,
/// `/api/organization/{org}/team/{id}`).
#[derive(Debug)]
pub struct Done {
    pub status: StatusCode,
    pub href: Option<String>,
}

/// The `207 Multi-Status` answer.
#[derive(Debug)]
pub struct BulkAnswer(pub Vec<ItemResult>);

impl IntoResponse for BulkAnswer {
    fn into_response(self) -> Response {
        awaiting_tracking_id(self)
    }
}

impl TrackedAnswer for BulkAnswer {
    fn answer(&self, tracking: &TrackingId) -> Response {
        let items: Vec<Value> = self
            .0
            .iter()
            .map(|r| {
                let mut item =
                    json!({"itemIdentifier": r.identifier, "operationType": r.operation});
                match &r.outcome {
                    Ok(done) => {
                        item["status"] = json!(done.status.as_u16());
                        if let Some(href) = &done.href {
                            item["href"] = json!(href);
                        }
                    }
                    Err(e) => {
                        item["status"] = json!(e.status.as_u16());
                        item["apiError"] = error_body(e, tracking);
                    }
                }
                item
            })
            .collect();
        (StatusCode::MULTI_STATUS, Json(json!({"items": items}))).into_response()
    }
}

/// The `href` of a record, as the spec's example writes it.
pub fn href(org: &str, path: &str, id: &str) -> String {
    format!("/api/organization/{org}/{path}/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_rate_fails_a_floor_share_evenly_spaced() {
        let failed = |rate: f64, n: usize| -> Vec<usize> {
            (0..n).filter(|i| injected_failure(*i, rate)).collect()
        };
        assert_eq!(failed(0.0, 10), Vec::<usize>::new());
        assert_eq!(failed(1.0, 4), [0, 1, 2, 3]);
        assert_eq!(failed(0.5, 6), [1, 3, 5]);
        assert_eq!(failed(0.25, 8), [3, 7]);
        for rate in [0.1, 0.2, 0.3, 0.7, 0.9] {
            for n in [1, 7, 10, 50, 100] {
                let expected = (n as f64 * rate + 1e-9).floor() as usize;
                assert_eq!(failed(rate, n).len(), expected, "{rate} of {n}");
            }
        }
    }
}
