//! Raw records: filtered, sorted (`createdTime(sort: asc)`, else the matched time, newest
//! first), paged with a cursor at the documented page size and record cap, and rendered as the
//! selection asks, activities paged with `first`/`after` inside each record (§3 "Paging").

use std::cmp::Reverse;

use async_graphql::indexmap::IndexMap;
use async_graphql::{Error, Name, Number, SelectionField, Value as GqlValue};

use super::fields::Kind;
use super::filter::Unit;
use super::query::{Arguments, invalid, matched_time, status_error};
use super::records::{Rec, Val};

/// Records of the window scanned, at most, for a first page of an `extFilter` query (413 beyond).
pub const EXT_FILTER_SCAN_CAP: usize = 2_500;
/// `activities(first:)` default and maximum.
const ACTIVITIES_DEFAULT: usize = 25;
const ACTIVITIES_MAX: usize = 100;

pub fn gql(value: &Val) -> GqlValue {
    match value {
        Val::Null => GqlValue::Null,
        Val::Str(s) => GqlValue::String(s.to_string()),
        Val::Int(n) => GqlValue::Number(Number::from(*n)),
        Val::Bool(b) => GqlValue::Boolean(*b),
    }
}

pub fn page_info(next_cursor: Option<String>) -> GqlValue {
    let mut info = IndexMap::new();
    info.insert(
        Name::new("hasNextPage"),
        GqlValue::Boolean(next_cursor.is_some()),
    );
    info.insert(
        Name::new("endCursor"),
        next_cursor.map_or(GqlValue::Null, GqlValue::String),
    );
    GqlValue::Object(info)
}

pub fn container(kind: &Kind, rows: Vec<GqlValue>, next_cursor: Option<String>) -> GqlValue {
    let mut answer = IndexMap::new();
    answer.insert(Name::new(kind.list), GqlValue::List(rows));
    answer.insert(Name::new("pageInfo"), page_info(next_cursor));
    GqlValue::Object(answer)
}

/// Whether the selection reaches into the activity list (CAR or AAR fields).
pub fn selects_activities(kind: &Kind, selection: &[SelectionField]) -> bool {
    let Some(list) = kind.activity_list() else {
        return false;
    };
    let mut paths = Vec::new();
    for field in selection {
        leaf_paths(*field, "", &mut paths);
    }
    paths.iter().any(|p| p.starts_with(&format!("{list}.")))
}

/// Dotted paths of the scalar fields under a selection.
pub fn leaf_paths(field: SelectionField, prefix: &str, out: &mut Vec<String>) {
    for child in field.selection_set() {
        let name = child.name();
        if name.starts_with("__") {
            continue;
        }
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        if child.selection_set().next().is_some() {
            leaf_paths(child, &path, out);
        } else {
            out.push(path);
        }
    }
}

/// `createdTime(sort: asc)` or `endedTime(sort: desc)` in the selection.
fn sort_order(selection: &[SelectionField]) -> Result<Option<(&'static str, bool)>, Error> {
    for field in selection {
        for child in field.selection_set() {
            let path = match child.name() {
                "createdTime" => "createdTime",
                "endedTime" => "endedTime",
                _ => continue,
            };
            for (name, value) in child.arguments()? {
                if name.as_str() == "sort"
                    && let GqlValue::Enum(order) = value
                {
                    return Ok(Some((path, order.as_str() == "asc")));
                }
            }
        }
    }
    Ok(None)
}

pub fn answer(
    kind: &Kind,
    args: &Arguments,
    selection: &[SelectionField],
    roots: Vec<Rec>,
) -> Result<GqlValue, Error> {
    for field in selection {
        for child in field.selection_set() {
            if child.name() == "aggregation" || child.name() == "intervalStartTime" {
                return Err(invalid(format!(
                    "{} is selected, but the query has no aggregations: add the aggregations argument or leave it out",
                    child.name()
                )));
            }
        }
    }
    let mut candidates: Vec<Rec> = roots
        .into_iter()
        .filter(|r| {
            args.filter
                .as_ref()
                .is_none_or(|f| f.matches(&Unit::root(*r)))
        })
        .collect();
    let time = |r: &Rec, path: &str| r.scalar(path).number().unwrap_or_default() as i64;
    match sort_order(selection)? {
        Some((path, true)) => candidates.sort_by_key(|r| time(r, path)),
        Some((path, false)) => candidates.sort_by_key(|r| Reverse(time(r, path))),
        None => candidates.sort_by_key(|r| Reverse(matched_time(r, args.ended_time))),
    }
    let page = match &args.cursor {
        None => 0,
        Some(c) => c.parse::<usize>().map_err(|_| {
            invalid(format!(
                "pagination cursor {c:?} is not a cursor this query returned"
            ))
        })?,
    };
    let matching: Vec<Rec> = match &args.ext_filter {
        None => candidates,
        Some(ext) => {
            if page == 0 && candidates.len() > EXT_FILTER_SCAN_CAP {
                let found = candidates[..EXT_FILTER_SCAN_CAP]
                    .iter()
                    .filter(|r| ext.matches(&Unit::root(**r)))
                    .count();
                if found < kind.page_size {
                    return Err(status_error(
                        413,
                        format!(
                            "The first page could not be filled from the first {EXT_FILTER_SCAN_CAP} records of the window: narrow the window or the filter"
                        ),
                    ));
                }
            }
            candidates
                .into_iter()
                .filter(|r| ext.matches(&Unit::root(*r)))
                .collect()
        }
    };
    let size = kind.page_size;
    let start = page.saturating_mul(size);
    let reachable = kind
        .record_cap
        .map_or(matching.len(), |cap| cap.min(matching.len()));
    if page > 0 && start >= reachable {
        let why = match kind.record_cap {
            Some(cap) if start >= cap => {
                format!("at most {cap} records can be reached by paging: split the window")
            }
            _ => "it is beyond the last page".to_string(),
        };
        return Err(invalid(format!("pagination cursor {page}: {why}")));
    }
    let end = (start + size).min(reachable);
    let mut rows = Vec::with_capacity(end.saturating_sub(start));
    for rec in &matching[start.min(end)..end] {
        let mut row = IndexMap::new();
        for field in selection {
            render(kind, *rec, *field, "", "", &mut row)?;
        }
        rows.push(GqlValue::Object(row));
    }
    let next = (end < reachable).then(|| (page + 1).to_string());
    Ok(container(kind, rows, next))
}

/// Writes the fields `field` selects of `rec` into `out`. `rel` is the path within `rec`, `abs`
/// the path from the root record (they differ inside a list entry).
fn render(
    kind: &Kind,
    rec: Rec,
    field: SelectionField,
    rel: &str,
    abs: &str,
    out: &mut IndexMap<Name, GqlValue>,
) -> Result<(), Error> {
    for child in field.selection_set() {
        let name = child.name();
        if name.starts_with("__") || name.ends_with("GlobalVariables") {
            continue;
        }
        let join = |prefix: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            }
        };
        let (rel_path, abs_path) = (join(rel), join(abs));
        let value = if child.selection_set().next().is_none() {
            gql(&rec.scalar(&rel_path))
        } else if kind.lists.contains(&abs_path.as_str()) {
            // A list entered from its own record (a session's channelInfo).
            let mut items = Vec::new();
            for entry in rec.children() {
                let mut item = IndexMap::new();
                render(kind, entry, child, "", &abs_path, &mut item)?;
                items.push(GqlValue::Object(item));
            }
            GqlValue::List(items)
        } else if kind.paged_lists.contains(&abs_path.as_str()) {
            paged_activities(kind, rec, child, &abs_path)?
        } else {
            let mut nested = match out.shift_remove(name) {
                Some(GqlValue::Object(existing)) => existing,
                _ => IndexMap::new(),
            };
            render(kind, rec, child, &rel_path, &abs_path, &mut nested)?;
            GqlValue::Object(nested)
        };
        out.insert(Name::new(name), value);
    }
    Ok(())
}

/// `activities(first, after) { totalCount nodes {…} pageInfo {…} }` of one record.
fn paged_activities(
    kind: &Kind,
    rec: Rec,
    field: SelectionField,
    abs: &str,
) -> Result<GqlValue, Error> {
    let mut first = ACTIVITIES_DEFAULT;
    let mut after = 0;
    for (name, value) in field.arguments()? {
        match (name.as_str(), value) {
            ("first", GqlValue::Number(n)) => {
                first = n
                    .as_u64()
                    .filter(|n| (1..=ACTIVITIES_MAX as u64).contains(n))
                    .ok_or_else(|| {
                        invalid(format!(
                            "{abs}(first: {n}): first must be between 1 and {ACTIVITIES_MAX}"
                        ))
                    })? as usize;
            }
            ("after", GqlValue::String(c)) => {
                after = c.parse::<usize>().map_err(|_| {
                    invalid(format!(
                        "{abs}(after: {c:?}) is not a cursor this query returned"
                    ))
                })?;
            }
            _ => {}
        }
    }
    let entries = rec.children();
    let end = (after + first).min(entries.len());
    let mut out = IndexMap::new();
    for child in field.selection_set() {
        let value = match child.name() {
            "totalCount" => GqlValue::Number(Number::from(entries.len() as u64)),
            "pageInfo" => page_info((end < entries.len()).then(|| end.to_string())),
            "nodes" => {
                let nodes_path = format!("{abs}.nodes");
                let mut nodes = Vec::new();
                for entry in entries.get(after.min(end)..end).unwrap_or_default() {
                    let mut node = IndexMap::new();
                    render(kind, *entry, child, "", &nodes_path, &mut node)?;
                    nodes.push(GqlValue::Object(node));
                }
                GqlValue::List(nodes)
            }
            _ => continue,
        };
        out.insert(Name::new(child.name()), value);
    }
    Ok(GqlValue::Object(out))
}
