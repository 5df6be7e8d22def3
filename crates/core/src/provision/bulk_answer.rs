//! Reading the answer of a bulk request into one outcome per item.
//!
//! The spec's answer is `207 Multi-Status` with a `BulkResponseDTO`: `{"items":
//! [BulkResponseItemDTO]}`, each `{itemIdentifier, status, operationType, href, apiError}` where
//! `apiError` is an `ApiErrorResponse` (`{trackingId, error: {key, message: [{description}]}}`).
//!
//! Per item: a 2xx status is done; a 4xx is failed with the API's reason (the item was refused,
//! so nothing was written); a 5xx, no status, or no result at all for the item is "outcome
//! unknown": the write may or may not have happened, so the row is read back, never resent
//! blindly. The same holds for the request as a whole: a 4xx answer fails every item, a 5xx or an
//! answer that cannot be read leaves every item unknown.

use std::collections::HashMap;

use serde_json::Value;

use super::batches::BulkBatch;
use crate::api_error::ApiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Failed {
        reason: String,
    },
    /// Read the user back to know.
    Unknown {
        reason: String,
    },
}

/// The outcome of one row's write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    pub row: usize,
    pub user_id: String,
    pub email: String,
    pub outcome: Outcome,
}

/// What an answer says of one item, before it is tied to a user or a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ItemResult {
    /// `href` is the resource's address, which for a created team ends in its id.
    Succeeded {
        href: Option<String>,
    },
    Failed(String),
    Unknown(String),
}

const READ_BACK: &str = "read the record back to see whether it was written";

/// The results of the items with these identifiers, in the same order.
pub(crate) fn item_results(identifiers: &[u32], status: u16, body: &str) -> Vec<ItemResult> {
    let all = |result: ItemResult| vec![result; identifiers.len()];
    if (400..500).contains(&status) {
        let error = ApiError::from_response(status, &[], body, 0);
        return all(ItemResult::Failed(format!(
            "the request was refused (HTTP {status}): {}",
            error.message
        )));
    }
    if !(200..300).contains(&status) {
        let error = ApiError::from_response(status, &[], body, 0);
        return all(ItemResult::Unknown(format!(
            "the request failed (HTTP {status}: {}); {READ_BACK}",
            error.message
        )));
    }
    let answer = crate::json::parse(body).ok();
    let Some(items) = answer
        .as_ref()
        .and_then(|a| a.get("items"))
        .and_then(Value::as_array)
    else {
        return all(ItemResult::Unknown(format!(
            "the answer (HTTP {status}) has no list of item results; {READ_BACK}"
        )));
    };
    let mut by_identifier: HashMap<u64, &Value> = HashMap::new();
    for item in items {
        if let Some(id) = item.get("itemIdentifier").and_then(Value::as_u64) {
            // The first result for an identifier counts; a repeat cannot change what happened.
            by_identifier.entry(id).or_insert(item);
        }
    }
    identifiers
        .iter()
        .map(|id| match by_identifier.get(&u64::from(*id)) {
            None => ItemResult::Unknown(format!(
                "the answer has no result for this item; {READ_BACK}"
            )),
            Some(item) => item_result(item),
        })
        .collect()
}

fn item_result(item: &Value) -> ItemResult {
    let status = item
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok());
    let error = item.get("apiError").filter(|e| e.is_object());
    match (status, error) {
        (Some(200..=299), _) => ItemResult::Succeeded {
            href: item.get("href").and_then(Value::as_str).map(str::to_owned),
        },
        (Some(status @ 400..=499), error) => ItemResult::Failed(api_reason(error, Some(status))),
        (None, Some(error)) => ItemResult::Failed(api_reason(Some(error), None)),
        (Some(status), error) => {
            ItemResult::Unknown(format!("{}; {READ_BACK}", api_reason(error, Some(status))))
        }
        (None, None) => ItemResult::Unknown(format!("the result has no status; {READ_BACK}")),
    }
}

/// An `ApiErrorResponse` as one sentence: its descriptions, or its reason or key, then the
/// status and tracking id.
fn api_reason(error: Option<&Value>, status: Option<u16>) -> String {
    let details = error.and_then(|e| e.get("error"));
    let text = |value: Option<&Value>| {
        value
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let descriptions: Vec<String> = details
        .and_then(|d| d.get("message"))
        .and_then(Value::as_array)
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| text(m.get("description")))
                .collect()
        })
        .unwrap_or_default();
    let mut reason = if !descriptions.is_empty() {
        descriptions.join(" — ")
    } else if let Some(reason) = text(details.and_then(|d| d.get("reason"))) {
        reason
    } else if let Some(key) = text(details.and_then(|d| d.get("key"))) {
        format!("error {key}")
    } else {
        "the API gave no reason".to_owned()
    };
    let mut facts = Vec::new();
    if let Some(status) = status {
        facts.push(format!("HTTP {status}"));
    }
    if let Some(tracking) = text(error.and_then(|e| e.get("trackingId"))) {
        facts.push(format!("tracking ID {tracking}"));
    }
    if !facts.is_empty() {
        reason = format!("{reason} ({})", facts.join(", "));
    }
    reason
}

fn outcome_of(result: ItemResult) -> Outcome {
    match result {
        ItemResult::Succeeded { .. } => Outcome::Done,
        ItemResult::Failed(reason) => Outcome::Failed { reason },
        ItemResult::Unknown(reason) => Outcome::Unknown { reason },
    }
}

/// One outcome per item of the batch, from the answer's status and body.
pub fn read_bulk_answer(batch: &BulkBatch, status: u16, body: &str) -> Vec<RowOutcome> {
    let identifiers: Vec<u32> = batch.items.iter().map(|i| i.item_identifier).collect();
    batch
        .items
        .iter()
        .zip(item_results(&identifiers, status, body))
        .map(|(item, result)| RowOutcome {
            row: item.row,
            user_id: item.user_id.clone(),
            email: item.email.clone(),
            outcome: outcome_of(result),
        })
        .collect()
}

/// Every item of a batch whose request got no answer (a network error, or a cancel after it was
/// sent): unknown, for `why`.
pub fn without_answer(batch: &BulkBatch, why: &str) -> Vec<RowOutcome> {
    batch
        .items
        .iter()
        .map(|item| RowOutcome {
            row: item.row,
            user_id: item.user_id.clone(),
            email: item.email.clone(),
            outcome: Outcome::Unknown {
                reason: format!("{why}; {READ_BACK}"),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_prefers_descriptions_then_reason_then_key() {
        let full = serde_json::json!({"trackingId": "t-1", "error": {"key": "400", "reason": "bad", "message": [{"description": "siteId: not found"}, {"description": "teamIds: unknown"}]}});
        assert_eq!(
            api_reason(Some(&full), Some(400)),
            "siteId: not found — teamIds: unknown (HTTP 400, tracking ID t-1)"
        );
        let reason_only = serde_json::json!({"error": {"key": "409", "reason": "stale version"}});
        assert_eq!(
            api_reason(Some(&reason_only), Some(409)),
            "stale version (HTTP 409)"
        );
        let key_only = serde_json::json!({"error": {"key": "400"}});
        assert_eq!(api_reason(Some(&key_only), None), "error 400");
        assert_eq!(
            api_reason(None, Some(400)),
            "the API gave no reason (HTTP 400)"
        );
    }
}
