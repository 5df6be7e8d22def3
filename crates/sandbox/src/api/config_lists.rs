//! Paged configuration lists, `GET /organization/{orgid}/v2/<kind>` (and the v3 ones, and a book's
//! entries): paging, `filter` (RSQL), `search` and `attributes` over the seeded records, answered
//! as `{meta, data}` with paging links.

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{StatusCode, Uri};
use serde_json::{Map, Value, json};

use wxcc_core::rsql::Op;

use super::error::ApiError;
use super::guard::{Caller, authorize_read, own_org};
use super::params::{bool_param, int_param, last_param, link_query, query_pairs};
use crate::rsql;
use crate::seed::{ALWAYS_UNFILTERABLE, Collection, OrgData, known_fields};
use crate::state::AppState;

/// Boolean switches the spec documents on configuration reads; the sandbox checks their syntax only.
const FLAGS: &[&str] = &[
    "singleObjectResponse",
    "supervisorManagedAgentsOnly",
    "buddyTeamAgentsOnly",
    "includeAIMappingCount",
    "desktopProfileFilter",
    "provisioningView",
    "supervisorView",
    "includeCount",
    "includeDynamicSkillsLimitReached",
    "includeEntryPointName",
];

/// What a list may filter, search and project.
pub struct ListShape {
    pub search_columns: &'static [&'static str],
    pub unfilterable: Vec<&'static str>,
    /// Fields the DTO marks required; projections keep them.
    pub required: &'static [&'static str],
    pub collection: Option<Collection>,
}

impl ListShape {
    pub fn of(collection: Collection) -> Self {
        ListShape {
            search_columns: collection.search_columns(),
            unfilterable: collection.unfilterable(),
            required: collection.required_fields(),
            collection: Some(collection),
        }
    }

    /// A book's entries (`AddressBookEntryDTO`), per the spec's entry list.
    fn entries() -> Self {
        ListShape {
            search_columns: &["name", "number"],
            unfilterable: ALWAYS_UNFILTERABLE.to_vec(),
            required: &["name", "number"],
            collection: None,
        }
    }

    fn alias(&self, field: &str) -> Option<&'static str> {
        self.collection.and_then(|c| c.filter_alias(field))
    }

    fn resolve(&self, field: &str) -> String {
        self.alias(field).unwrap_or(field).to_string()
    }
}

/// The seeded data of `org` for a caller with a configuration read scope and the admin role, in
/// their own org: what configuration reads need.
pub fn admin_read_org<'a>(
    state: &'a AppState,
    caller: &Caller,
    org: &str,
) -> Result<&'a OrgData, ApiError> {
    authorize_read(caller)?;
    own_org(state, caller, org)
}

pub fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Not Found",
        format!("No {what} with id {id} exists in this organization."),
    )
}

pub async fn list_config(
    collection: Collection,
    list_path: &'static str,
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(org): Path<String>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    admin_read_org(&state, &caller, &org)?;
    let base = format!("/organization/{org}/{list_path}");
    let shape = ListShape::of(collection);
    Ok(Json(paged(
        &state.records(&org, collection),
        &shape,
        &org,
        &base,
        &uri,
    )?))
}

/// `GET /organization/{orgid}/v2/address-book/{addressBookId}/entry`.
pub async fn list_entries(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((org, book)): Path<(String, String)>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    let data = admin_read_org(&state, &caller, &org)?;
    let entries = data
        .address_book_entries
        .get(&book)
        .ok_or_else(|| not_found("address book", &book))?;
    let base = format!("/organization/{org}/v2/address-book/{book}/entry");
    Ok(Json(paged(
        entries,
        &ListShape::entries(),
        &org,
        &base,
        &uri,
    )?))
}

/// `page` (≥ 0, default 0) and `pageSize` (≥ 1, default 100, clamped to the maximum).
pub fn paging(pairs: &[(String, String)], max_page_size: u64) -> Result<(u64, u64), ApiError> {
    let page = int_param(pairs, "page")?.unwrap_or(0);
    if page < 0 {
        return Err(ApiError::bad_request(format!(
            "page must be 0 or more, got {page}"
        )));
    }
    let requested = int_param(pairs, "pageSize")?.unwrap_or(100);
    if requested < 1 {
        return Err(ApiError::bad_request(format!(
            "pageSize must be 1 or more, got {requested}"
        )));
    }
    // The spec: a larger pageSize is adjusted down to the maximum, not refused.
    Ok((page as u64, (requested as u64).min(max_page_size)))
}

pub fn check_flags(pairs: &[(String, String)]) -> Result<(), ApiError> {
    FLAGS.iter().try_for_each(|flag| bool_param(pairs, flag))
}

/// The `filter` expression, its fields checked against the records' fields and `filterable`.
pub fn parse_filter(
    pairs: &[(String, String)],
    shape: &ListShape,
    fields: &[String],
    filterable: &dyn Fn(&str) -> bool,
) -> Result<Option<rsql::Expr>, ApiError> {
    let Some(text) = last_param(pairs, "filter").filter(|f| !f.trim().is_empty()) else {
        return Ok(None);
    };
    let expr = rsql::parse(text).map_err(|e| ApiError::bad_request(format!("filter: {e}")))?;
    for f in expr.fields() {
        if !filterable(f) || !fields.contains(&shape.resolve(f)) {
            return Err(ApiError::bad_request(format!(
                "filter: the field {f:?} is not supported here; use one of the entity's fields except {}",
                shape.unfilterable.join(", ")
            )));
        }
    }
    Ok(Some(expr))
}

/// The `attributes` names, each a field of the records.
pub fn parse_attributes(
    pairs: &[(String, String)],
    fields: &[String],
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(text) = last_param(pairs, "attributes").filter(|a| !a.trim().is_empty()) else {
        return Ok(None);
    };
    let names: Vec<String> = text
        .split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    if let Some(bad) = names.iter().find(|a| !fields.contains(a)) {
        return Err(ApiError::bad_request(format!(
            "attributes: unknown attribute {bad:?}; use the entity's field names"
        )));
    }
    Ok(Some(names))
}

fn paged(
    records: &[Value],
    shape: &ListShape,
    org: &str,
    base: &str,
    uri: &Uri,
) -> Result<Value, ApiError> {
    let pairs = query_pairs(uri)?;
    let (page, page_size) = paging(&pairs, 1000)?;
    check_flags(&pairs)?;
    let fields = known_fields(records);
    let filterable = |f: &str| !shape.unfilterable.contains(&f) || shape.alias(f).is_some();
    let filter = parse_filter(&pairs, shape, &fields, &filterable)?;
    let search = match last_param(&pairs, "search").filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(text) => Some(Search::parse(text, shape.search_columns)?),
    };
    let attributes = parse_attributes(&pairs, &fields)?;

    let matching: Vec<&Value> = records
        .iter()
        .filter(|r| {
            filter
                .as_ref()
                .is_none_or(|e| e.matches(r, &|f| shape.resolve(f)))
        })
        .filter(|r| search.as_ref().is_none_or(|s| s.matches(r)))
        .collect();
    let total = matching.len() as u64;
    let total_pages = total.div_ceil(page_size);
    let data: Vec<Value> = matching
        .into_iter()
        .skip(page.saturating_mul(page_size) as usize)
        .take(page_size as usize)
        .map(|r| project(r, attributes.as_deref(), shape.required))
        .collect();

    let extra = link_query(
        ["filter", "attributes", "search"]
            .into_iter()
            .filter_map(|k| last_param(&pairs, k).map(|v| (k, v))),
    );
    let links = page_links(page, total_pages, |p| {
        format!("{base}?page={p}&pageSize={page_size}{extra}")
    });
    Ok(json!({
        "meta": {
            "orgid": org,
            "page": page,
            "pageSize": page_size,
            "totalPages": total_pages,
            "totalRecords": total,
            "links": links,
        },
        "data": data,
    }))
}

/// The spec's `PaginationLinks` for `page` of `total_pages`: `self`, `first` and `last`, and `next`
/// and `prev` where there is such a page; `link` writes a page's address.
pub fn page_links(page: u64, total_pages: u64, link: impl Fn(u64) -> String) -> Map<String, Value> {
    let mut links = Map::new();
    links.insert("self".into(), json!(link(page)));
    links.insert("first".into(), json!(link(0)));
    links.insert("last".into(), json!(link(total_pages.saturating_sub(1))));
    if page + 1 < total_pages {
        links.insert("next".into(), json!(link(page + 1)));
    }
    if page > 0 && total_pages > 0 {
        links.insert("prev".into(), json!(link((page - 1).min(total_pages - 1))));
    }
    links
}

/// Keeps the requested attributes plus `id` (rows stay addressable) and the DTO's required fields
/// (the spec promises them on every item, so clients may rely on them).
pub fn project(record: &Value, attributes: Option<&[String]>, required: &[&str]) -> Value {
    match (attributes, record.as_object()) {
        (Some(names), Some(map)) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k == "id" || names.contains(k) || required.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        _ => record.clone(),
    }
}

/// The `search` parameter: a bare keyword, or `field=="x";value=="kw"`, or `fields=in=("a","b");value=="kw"`.
#[derive(Debug)]
struct Search {
    columns: Vec<String>,
    keyword: String,
}

impl Search {
    fn parse(text: &str, allowed: &[&str]) -> Result<Search, ApiError> {
        let structured = [Op::Eq, Op::In]
            .into_iter()
            .any(|op| text.contains(op.as_rsql()));
        if !structured {
            let keyword = text.trim().trim_matches('"').to_lowercase();
            return Ok(Search {
                columns: allowed.iter().map(|c| c.to_string()).collect(),
                keyword,
            });
        }
        let expr = rsql::parse(text).map_err(|e| ApiError::bad_request(format!("search: {e}")))?;
        let parts = match expr {
            rsql::Expr::And(parts) => parts,
            single => vec![single],
        };
        let mut columns = None;
        let mut keyword = None;
        for part in parts {
            let condition = match &part {
                rsql::Expr::Compare(filter) => {
                    Some((filter.selector(), filter.op(), filter.values()))
                }
                rsql::Expr::And(_) | rsql::Expr::Or(_) => None,
            };
            match condition {
                Some(("field", Op::Eq, values) | ("fields", Op::In, values)) => {
                    columns = Some(values.to_vec())
                }
                Some(("value", Op::Eq, values)) => keyword = values.last().cloned(),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "search: unsupported part {:?}; use a keyword, field==\"col\";value==\"kw\" or fields=in=(\"a\",\"b\");value==\"kw\"",
                        part.fields()
                    )));
                }
            }
        }
        let keyword = keyword
            .ok_or_else(|| ApiError::bad_request("search: value==\"keyword\" is required"))?;
        let columns = columns.unwrap_or_else(|| allowed.iter().map(|c| c.to_string()).collect());
        if let Some(bad) = columns.iter().find(|c| !allowed.contains(&c.as_str())) {
            return Err(ApiError::bad_request(format!(
                "search: column {bad:?} is not searchable; supported columns: {}",
                allowed.join(", ")
            )));
        }
        Ok(Search {
            columns,
            keyword: keyword.to_lowercase(),
        })
    }

    fn matches(&self, record: &Value) -> bool {
        self.columns.iter().any(|c| {
            record
                .get(c)
                .and_then(Value::as_str)
                .is_some_and(|v| v.to_lowercase().contains(&self.keyword))
        })
    }
}
