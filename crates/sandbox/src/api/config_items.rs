//! Single configuration records (`GET /organization/{orgid}/<kind>/{id}`, 404 in the spec's
//! `ApiErrorResponse` for an unknown id), users by their Webex (CI) id, address books with their
//! entries, and the older unpaged lists under the bare entity name (a plain JSON array).

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::Uri;
use serde_json::{Value, json};

use super::config_lists::{
    ListShape, admin_read_org, check_flags, not_found, paging, parse_attributes, parse_filter,
    project,
};
use super::error::ApiError;
use super::guard::Caller;
use super::params::{bool_param, last_param, query_pairs};
use crate::seed::{Collection, OrgData, known_fields};
use crate::state::AppState;

/// Boolean switches the spec documents on single-record reads; the sandbox checks their syntax only.
const ITEM_FLAGS: &[&str] = &[
    "includeCount",
    "includeUserProfileType",
    "includeSkillProfileAudit",
    "includeReskillAuditInfo",
    "includeSkillDetails",
    "agentsUpdatedInfo",
    "includeNames",
    "includeUrl",
    "includeUserProfile",
];

fn item_flags(uri: &Uri) -> Result<Vec<(String, String)>, ApiError> {
    let pairs = query_pairs(uri)?;
    ITEM_FLAGS
        .iter()
        .try_for_each(|flag| bool_param(&pairs, flag))?;
    Ok(pairs)
}

/// Human name of a kind for messages, e.g. "contact service queue".
fn noun(collection: Collection) -> String {
    let path = collection.rules().items[0];
    path.rsplit('/').next().unwrap_or(path).replace('-', " ")
}

fn find<'a>(records: &'a [Value], collection: Collection, id: &str) -> Result<&'a Value, ApiError> {
    records
        .iter()
        .find(|r| r["id"].as_str() == Some(id))
        .ok_or_else(|| not_found(&noun(collection), id))
}

/// `GET /organization/{orgid}/<item path>/{id}`.
pub async fn get_item(
    collection: Collection,
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, id)): Path<(String, String)>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    admin_read_org(&state, &caller, &org)?;
    item_flags(&uri)?;
    Ok(Json(
        find(&state.records(&org, collection), collection, &id)?.clone(),
    ))
}

/// `GET /organization/{orgid}/v2/user/by-ci-user-id/{id}`: `includeUserProfile=true` adds the
/// user's access profile as `userProfileGranularAccessData`.
pub async fn user_by_ci_user_id(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, ci_user_id)): Path<(String, String)>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let data = admin_read_org(&state, &caller, &org)?;
    let pairs = item_flags(&uri)?;
    let mut user = state
        .records(&org, Collection::User)
        .iter()
        .find(|u| u["ciUserId"] == json!(ci_user_id))
        .cloned()
        .ok_or_else(|| not_found("user with the CI user id", &ci_user_id))?;
    if last_param(&pairs, "includeUserProfile") == Some("true") {
        let profile_id = user["userProfileId"].as_str().unwrap_or_default();
        if let Some(profile) = data.record(Collection::UserProfile, profile_id) {
            user["userProfileGranularAccessData"] = profile.clone();
        }
    }
    Ok(Json(user))
}

fn with_entries(data: &OrgData, book: &Value) -> Value {
    let mut book = book.clone();
    let id = book["id"].as_str().unwrap_or_default();
    let entries = data
        .address_book_entries
        .get(id)
        .cloned()
        .unwrap_or_default();
    book["addressBookEntries"] = json!(entries);
    book
}

/// `GET /organization/{orgid}/address-book/{id}`: the book with its entries.
pub async fn address_book_with_entries(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, id)): Path<(String, String)>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let data = admin_read_org(&state, &caller, &org)?;
    item_flags(&uri)?;
    let book = find(
        data.records(Collection::AddressBook),
        Collection::AddressBook,
        &id,
    )?;
    Ok(Json(with_entries(data, book)))
}

/// `GET /organization/{orgid}/<kind>`: the older list, a plain array. The spec documents `filter`
/// on `id` only, `attributes`, and `page`/`pageSize` (default 0 and 100) except on sites, which
/// are not paged; `channelTypes` (deprecated, upper case) on queues and entry points.
pub async fn legacy_list(
    collection: Collection,
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(org): Path<String>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let data = admin_read_org(&state, &caller, &org)?;
    let records = state.records(&org, collection);
    Ok(Json(legacy_body(collection, &records, data, &uri)?))
}

fn legacy_body(
    collection: Collection,
    records: &[Value],
    data: &OrgData,
    uri: &Uri,
) -> Result<Value, ApiError> {
    let pairs = query_pairs(uri)?;
    check_flags(&pairs)?;
    let fields = known_fields(records);
    let shape = ListShape::of(collection);
    let filter = parse_filter(&pairs, &shape, &fields, &|f| f == "id")?;
    let attributes = parse_attributes(&pairs, &fields)?;
    let channels: Option<Vec<String>> = match (collection, last_param(&pairs, "channelTypes")) {
        (Collection::ContactServiceQueue | Collection::EntryPoint, Some(text)) => {
            Some(text.split(',').map(|c| c.trim().to_string()).collect())
        }
        _ => None,
    };
    let (page, page_size) = if collection == Collection::Site {
        (0, u64::MAX)
    } else {
        paging(&pairs, collection.max_page_size())?
    };
    let omit = collection.rules().legacy_omits;
    let items: Vec<Value> = records
        .iter()
        .filter(|r| {
            filter
                .as_ref()
                .is_none_or(|e| e.matches(r, &|f| f.to_string()))
        })
        .filter(|r| {
            channels
                .as_ref()
                .is_none_or(|c| c.iter().any(|c| r["channelType"] == json!(c)))
        })
        .skip(page.saturating_mul(page_size).min(usize::MAX as u64) as usize)
        .take(page_size.min(usize::MAX as u64) as usize)
        .map(|r| {
            let full = if collection == Collection::AddressBook {
                with_entries(data, r)
            } else {
                r.clone()
            };
            let mut item = project(&full, attributes.as_deref(), shape.required);
            if let Value::Object(map) = &mut item {
                map.retain(|k, _| !omit.contains(&k.as_str()));
            }
            item
        })
        .collect();
    Ok(Value::Array(items))
}
