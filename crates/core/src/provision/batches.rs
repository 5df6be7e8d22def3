//! The writes of a preview as requests to `PATCH /organization/{orgid}/user/bulk`.
//!
//! The body is the spec's `BulkRequestDTOUserDTO`: `{"items": [BulkRequestItemDTOUserDTO]}`,
//! each item `{"itemIdentifier": int32, "requestAction": "SAVE", "item": UserDTO}`. The spec's
//! request description says an item is a patch: `id` is its only mandatory property, other
//! properties are set only when present, and `null` clears one. So an item carries `id`, the
//! `version` the preview read, `organizationId` (which `UserDTO` describes as "required for all
//! bulk save operations") and the changed settings only.

use super::bulk_answer::{Outcome, RowOutcome};
use super::diff::UserDiff;
use super::resolve::TeamToCreate;
use super::settings::{FieldValue, Setting};
use super::settings_json::write_settings;
use crate::json::ObjectWriter;

/// Items per bulk request. The spec sets no limit: `BulkRequestDTOUserDTO.items` has no
/// `maxItems` and the operation's description names none. 50 keeps each request small enough
/// that a failed or cancelled one leaves few rows in doubt, and a 5,000-row file still takes
/// only 100 requests, which the scheduler paces.
pub const MAX_ITEMS_PER_REQUEST: usize = 50;

/// The `requestAction` of every item: the spec's only valid value for this endpoint.
const SAVE: &str = "SAVE";

/// One user's write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    /// The spec's `itemIdentifier` (int32), unique over the whole run, so an answer's result
    /// can only match the item it is for.
    pub item_identifier: u32,
    /// The diff's row (CSV line, or journal entry for an undo).
    pub row: usize,
    pub user_id: String,
    pub email: String,
    /// The `version` the preview read; not sent when the user list did not give one.
    pub version: Option<u64>,
    /// The values before the write, for the journal.
    pub before: Vec<Setting>,
    /// The values written.
    pub written: Vec<Setting>,
}

/// One request's worth of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkBatch {
    pub items: Vec<BulkItem>,
}

impl BulkBatch {
    /// The request body (`BulkRequestDTOUserDTO`).
    pub fn request_body(&self, org_id: &str) -> String {
        let items: Vec<String> = self
            .items
            .iter()
            .map(|item| {
                let mut user = ObjectWriter::default()
                    .text("id", &item.user_id)
                    .text("organizationId", org_id);
                if let Some(version) = item.version {
                    user = user.number("version", version);
                }
                let user = write_settings(user, &item.written).finish();
                ObjectWriter::default()
                    .number("itemIdentifier", u64::from(item.item_identifier))
                    .text("requestAction", SAVE)
                    .json("item", &user)
                    .finish()
            })
            .collect();
        ObjectWriter::default()
            .json("items", &format!("[{}]", items.join(",")))
            .finish()
    }
}

/// The requests of a run, and the rows that cannot be sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WritePlan {
    pub batches: Vec<BulkBatch>,
    /// Rows that need a team whose creation failed: failed without a request.
    pub not_sent: Vec<RowOutcome>,
}

impl WritePlan {
    pub fn item_count(&self) -> usize {
        self.batches.iter().map(|b| b.items.len()).sum()
    }
}

/// Plans the writes of the changed users of a preview (unchanged ones have no changes and are
/// left out). `created_team_ids[i]` is the id of `teams_to_create[i]` (the preview's) once
/// created, `None` (or missing) when its creation failed or its outcome is unknown.
pub fn plan_writes(
    diffs: &[UserDiff],
    teams_to_create: &[TeamToCreate],
    created_team_ids: &[Option<String>],
) -> WritePlan {
    let mut plan = WritePlan::default();
    let mut items = Vec::new();
    for diff in diffs.iter().filter(|d| !d.is_unchanged()) {
        let missing_team = diff
            .changes
            .iter()
            .flat_map(|c| &c.teams_to_create)
            .find(|&&i| created_team_ids.get(i).is_none_or(Option::is_none));
        if let Some(&missing) = missing_team {
            let name = teams_to_create
                .get(missing)
                .map_or("?", |t| t.name.as_str());
            plan.not_sent.push(RowOutcome {
                row: diff.row,
                user_id: diff.user_id.clone(),
                email: diff.email.clone(),
                outcome: Outcome::Failed {
                    reason: format!(
                        "not written: the team \"{name}\" it joins could not be created"
                    ),
                },
            });
            continue;
        }
        let written = diff
            .changes
            .iter()
            .map(|change| {
                let mut value = change.after.clone();
                if let FieldValue::Ids(ids) = &mut value {
                    ids.extend(
                        change
                            .teams_to_create
                            .iter()
                            .filter_map(|&i| created_team_ids.get(i).cloned().flatten()),
                    );
                }
                Setting {
                    field: change.field,
                    value,
                }
            })
            .collect();
        let before = diff
            .changes
            .iter()
            .map(|change| Setting {
                field: change.field,
                value: change.before.clone(),
            })
            .collect();
        items.push(BulkItem {
            // A run holds at most 5,000 rows, far inside int32.
            item_identifier: u32::try_from(items.len()).unwrap_or(u32::MAX),
            row: diff.row,
            user_id: diff.user_id.clone(),
            email: diff.email.clone(),
            version: diff.version,
            before,
            written,
        });
    }
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        plan.batches.push(BulkBatch {
            items: items.by_ref().take(MAX_ITEMS_PER_REQUEST).collect(),
        });
    }
    plan
}
