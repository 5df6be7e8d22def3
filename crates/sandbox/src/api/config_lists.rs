//! `GET /organization/{orgid}/<collection>`: paging, `filter` (RSQL), `search` and `attributes`
//! over the seeded configuration entities.

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::Uri;
use serde_json::{Map, Value, json};

use super::error::{ApiError, ApiErrorResponse};
use super::guard::{Caller, authorize_read, check_org};
use super::params::{bool_param, int_param, last_param, query_pairs};
use crate::http_util::TrackingId;
use crate::rsql;
use crate::seed::{Collection, known_fields};
use crate::state::AppState;

pub async fn list_config(
    collection: Collection,
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(tracking): Extension<TrackingId>,
    Path(org): Path<String>,
    uri: Uri,
) -> Result<Json<Value>, ApiErrorResponse> {
    list_config_body(collection, &state, &caller, &org, &uri)
        .map(Json)
        .map_err(|e| e.tracked(&tracking))
}

fn list_config_body(
    collection: Collection,
    state: &AppState,
    caller: &Caller,
    org: &str,
    uri: &Uri,
) -> Result<Value, ApiError> {
    authorize_read(caller)?;
    check_org(caller, org)?;
    let pairs = query_pairs(uri)?;
    let page = int_param(&pairs, "page")?.unwrap_or(0);
    if page < 0 {
        return Err(ApiError::bad_request(format!(
            "page must be 0 or more, got {page}"
        )));
    }
    let requested_size = int_param(&pairs, "pageSize")?.unwrap_or(100);
    if requested_size < 1 {
        return Err(ApiError::bad_request(format!(
            "pageSize must be 1 or more, got {requested_size}"
        )));
    }
    // The spec: a larger pageSize is adjusted down to the maximum, not refused.
    let page_size = (requested_size as u64).min(collection.max_page_size());
    for flag in [
        "singleObjectResponse",
        "supervisorManagedAgentsOnly",
        "buddyTeamAgentsOnly",
        "includeAIMappingCount",
        "desktopProfileFilter",
        "provisioningView",
        "supervisorView",
        "includeCount",
        "includeDynamicSkillsLimitReached",
    ] {
        bool_param(&pairs, flag)?;
    }

    let records: &[Value] = state
        .seed()
        .orgs
        .get(org)
        .and_then(|o| o.collections.get(&collection))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let fields = known_fields(records);
    let resolve = |f: &str| collection.filter_alias(f).unwrap_or(f).to_string();

    let filter = match last_param(&pairs, "filter").filter(|f| !f.trim().is_empty()) {
        None => None,
        Some(text) => {
            let expr =
                rsql::parse(text).map_err(|e| ApiError::bad_request(format!("filter: {e}")))?;
            for f in expr.fields() {
                let actual = resolve(f);
                let blocked =
                    collection.unfilterable().contains(&f) && collection.filter_alias(f).is_none();
                if blocked || !fields.contains(&actual) {
                    return Err(ApiError::bad_request(format!(
                        "filter: the field {f:?} is not supported for {}; use one of the entity's fields except {}",
                        collection.path(),
                        collection.unfilterable().join(", ")
                    )));
                }
            }
            Some(expr)
        }
    };
    let search = match last_param(&pairs, "search").filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(text) => Some(Search::parse(text, collection)?),
    };
    let attributes: Option<Vec<String>> =
        match last_param(&pairs, "attributes").filter(|a| !a.trim().is_empty()) {
            None => None,
            Some(text) => {
                let names: Vec<String> = text
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect();
                if let Some(bad) = names.iter().find(|a| !fields.contains(a)) {
                    return Err(ApiError::bad_request(format!(
                        "attributes: unknown attribute {bad:?} for {}",
                        collection.path()
                    )));
                }
                Some(names)
            }
        };

    let matching: Vec<&Value> = records
        .iter()
        .filter(|r| filter.as_ref().is_none_or(|e| e.matches(r, &resolve)))
        .filter(|r| search.as_ref().is_none_or(|s| s.matches(r)))
        .collect();
    let total = matching.len() as u64;
    let total_pages = total.div_ceil(page_size);
    let data: Vec<Value> = matching
        .into_iter()
        .skip((page as u64).saturating_mul(page_size) as usize)
        .take(page_size as usize)
        .map(|r| project(r, attributes.as_deref(), collection.required_fields()))
        .collect();

    let base = format!("/organization/{org}/{}", collection.path());
    let extra: String = ["filter", "attributes", "search"]
        .iter()
        .filter_map(|k| {
            last_param(&pairs, k).map(|v| {
                format!(
                    "&{k}={}",
                    url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
                )
            })
        })
        .collect();
    let link = |p: u64| format!("{base}?page={p}&pageSize={page_size}{extra}");
    let page = page as u64;
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

/// Keeps the requested attributes plus `id` (rows stay addressable) and the DTO's required fields
/// (the spec promises them on every item, so clients may rely on them).
fn project(record: &Value, attributes: Option<&[String]>, required: &[&str]) -> Value {
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
    fn parse(text: &str, collection: Collection) -> Result<Search, ApiError> {
        let allowed = collection.search_columns();
        let structured = text.contains("==") || text.contains("=in=");
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
            match part {
                rsql::Expr::Compare {
                    field,
                    op: rsql::Op::Eq,
                    values,
                } if field == "field" => columns = Some(values),
                rsql::Expr::Compare {
                    field,
                    op: rsql::Op::In,
                    values,
                } if field == "fields" => columns = Some(values),
                rsql::Expr::Compare {
                    field,
                    op: rsql::Op::Eq,
                    mut values,
                } if field == "value" => keyword = values.pop(),
                other => {
                    return Err(ApiError::bad_request(format!(
                        "search: unsupported part {:?}; use a keyword, field==\"col\";value==\"kw\" or fields=in=(\"a\",\"b\");value==\"kw\"",
                        other.fields()
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
