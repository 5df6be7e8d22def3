//! Aggregation queries (§3 "Aggregation object"): `count`, `sum`, `average`, `min`, `max` and
//! `cardinality` over a field, each named, with its own sub-`filter`; rows grouped by every
//! scalar selected beside `aggregation` (at most 10, `intervalStartTime` included), bucketed by
//! `aggregationInterval`, and paged 1,000 rows at a time with composite-key cursors like Cisco's
//! (`channelType=telephony::intervalStartTime=…`). Empty buckets are left out, as documented.

use std::collections::{HashMap, HashSet};

use async_graphql::dynamic::ListAccessor;
use async_graphql::indexmap::IndexMap;
use async_graphql::{Error, Name, Number, SelectionField, Value as GqlValue};

use super::fields::Kind;
use super::filter::{self, Filter, Unit};
use super::query::{Arguments, MAX_GROUP_BY, depth, invalid, is_numeric_op, matched_time, passes};
use super::raw::{container, gql, leaf_paths};
use super::records::{Rec, Val};

/// Aggregation rows per page.
pub const GROUPS_PER_PAGE: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Count,
    Sum,
    Average,
    Min,
    Max,
    Cardinality,
}

#[derive(Debug)]
pub struct Aggregation {
    pub field: String,
    pub op: Op,
    pub name: String,
    pub filter: Option<Filter>,
    pub ext_filter: Option<Filter>,
    /// A `predicate` on global variables: the seed has none, so nothing passes it.
    pub predicate: bool,
}

pub fn parse(
    kind: &Kind,
    list: ListAccessor,
    count: &mut usize,
) -> Result<Vec<Aggregation>, Error> {
    if list.is_empty() {
        return Err(invalid(
            "aggregations is empty: give at least one {field, type, name}, or leave it out for raw records",
        ));
    }
    let mut out: Vec<Aggregation> = Vec::new();
    for item in list.iter() {
        let item = item.object()?;
        let field = item.try_get("field")?.string()?.to_string();
        let name = item.try_get("name")?.string()?.to_string();
        let op = match item.try_get("type")?.enum_name()? {
            "count" => Op::Count,
            "sum" => Op::Sum,
            "average" => Op::Average,
            "min" => Op::Min,
            "max" => Op::Max,
            _ => Op::Cardinality,
        };
        let Some(spec) = kind.field(&field) else {
            return Err(invalid(format!(
                "aggregation {name:?}: {field:?} is not a field of {}",
                kind.name
            )));
        };
        if is_numeric_op(op) && !spec.ty.is_numeric() {
            return Err(invalid(format!(
                "aggregation {name:?}: {op:?} needs a numeric field; {field} is not one"
            )));
        }
        if name.is_empty() || out.iter().any(|a| a.name == name) {
            return Err(invalid(format!(
                "aggregation names must be non-empty and unique; {name:?} is not"
            )));
        }
        let compile = |key: &str, count: &mut usize| -> Result<Option<Filter>, Error> {
            item.get(key)
                .filter(|v| !v.is_null())
                .map(|v| filter::compile(kind, v.as_value(), "", count).map_err(invalid))
                .transpose()
        };
        let filter = compile("filter", count)?;
        let ext_filter = compile("extFilter", count)?;
        let predicate = match item.get("predicate").map(|p| p.as_value()) {
            Some(GqlValue::Object(variables)) => {
                for conditions in variables.values() {
                    if let GqlValue::Object(fields) = conditions {
                        for operators in fields.values() {
                            if let GqlValue::Object(ops) = operators {
                                *count += ops.len();
                            }
                        }
                    }
                }
                true
            }
            _ => false,
        };
        out.push(Aggregation {
            field,
            op,
            name,
            filter,
            ext_filter,
            predicate,
        });
    }
    Ok(out)
}

#[derive(Default)]
struct Accumulator {
    count: u64,
    sum: f64,
    min: Option<f64>,
    max: Option<f64>,
    distinct: HashSet<String>,
}

impl Accumulator {
    fn add(&mut self, op: Op, value: &Val) {
        if *value == Val::Null {
            return;
        }
        self.count += 1;
        match op {
            Op::Count => {}
            Op::Cardinality => {
                self.distinct.insert(value.key_text());
            }
            _ => {
                if let Some(x) = value.number() {
                    self.sum += x;
                    self.min = Some(self.min.map_or(x, |m| m.min(x)));
                    self.max = Some(self.max.map_or(x, |m| m.max(x)));
                }
            }
        }
    }

    /// The value as Cisco's samples show it, a float; `null` for the mean, minimum or maximum of
    /// no values.
    fn value(&self, op: Op) -> Option<f64> {
        match op {
            Op::Count => Some(self.count as f64),
            Op::Cardinality => Some(self.distinct.len() as f64),
            Op::Sum => Some(self.sum),
            Op::Average => (self.count > 0).then(|| self.sum / self.count as f64),
            Op::Min => self.min,
            Op::Max => self.max,
        }
    }
}

struct Group<'a> {
    bucket: Option<i64>,
    keys: Vec<Val<'a>>,
    composite: String,
    accumulators: Vec<Accumulator>,
}

/// The units of aggregation: the records, or the entries of their lists down to `depth`.
fn units<'a>(roots: &[Rec<'a>], depth: usize) -> Vec<Unit<'a>> {
    let mut level: Vec<Unit<'a>> = roots
        .iter()
        .enumerate()
        .map(|(i, r)| Unit {
            chain: vec![*r],
            positions: vec![i],
        })
        .collect();
    for _ in 0..depth {
        level = level
            .into_iter()
            .flat_map(|unit| {
                let last = *unit.chain.last().expect("a unit has a record");
                last.children()
                    .into_iter()
                    .enumerate()
                    .map(move |(i, child)| {
                        let mut chain = unit.chain.clone();
                        chain.push(child);
                        let mut positions = unit.positions.clone();
                        positions.push(i);
                        Unit { chain, positions }
                    })
            })
            .collect();
    }
    level
}

pub fn answer(
    kind: &Kind,
    args: &Arguments,
    selection: &[SelectionField],
    roots: Vec<Rec>,
) -> Result<GqlValue, Error> {
    let mut paths = Vec::new();
    for field in selection {
        leaf_paths(*field, "", &mut paths);
    }
    let interval_selected = paths.iter().any(|p| p == "intervalStartTime");
    paths.retain(|p| p != "intervalStartTime" && !p.starts_with("aggregation."));
    let mut seen = HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    if interval_selected && args.interval.is_none() {
        return Err(invalid(
            "intervalStartTime is selected without aggregationInterval",
        ));
    }
    if let Some(bad) = paths.iter().find(|p| kind.field(p).is_none()) {
        return Err(invalid(format!(
            "{bad} cannot be a group-by field of an aggregation query"
        )));
    }
    let group_by = paths.len() + usize::from(interval_selected);
    if group_by > MAX_GROUP_BY {
        return Err(invalid(format!(
            "{group_by} group-by fields are selected; at most {MAX_GROUP_BY} are allowed"
        )));
    }
    let unit_depth = paths
        .iter()
        .chain(args.aggregations.iter().map(|a| &a.field))
        .map(|p| depth(kind, p))
        .max()
        .unwrap_or(0);
    // Cursor keys name the fields in alphabetical order, as in Cisco's samples.
    let mut key_order: Vec<(&str, Option<usize>)> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), Some(i)))
        .collect();
    if args.interval.is_some() {
        key_order.push(("intervalStartTime", None));
    }
    key_order.sort_by_key(|(p, _)| *p);

    // An aggregation of a field above the unit level (a session's count beside its activities'
    // durations) takes each record of its level once per group, not once per entry below it.
    let levels: Vec<usize> = args
        .aggregations
        .iter()
        .map(|a| depth(kind, &a.field))
        .collect();
    let mut taken: HashSet<(usize, usize, Vec<usize>)> = HashSet::new();
    let mut index: HashMap<(Option<i64>, Vec<Val>), usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut values = Vec::new();
    for unit in units(&roots, unit_depth) {
        if !passes(args, &unit) {
            continue;
        }
        let keys: Vec<Val> = paths
            .iter()
            .map(|p| {
                values.clear();
                unit.values(p, &mut values);
                values.drain(..).next().unwrap_or(Val::Null)
            })
            .collect();
        let bucket = args
            .interval
            .map(|b| b.start(matched_time(&unit.chain[0], args.ended_time)));
        let at = *index
            .entry((bucket, keys))
            .or_insert_with_key(|(bucket, keys)| {
                // The cursor text is made once per group, not per record.
                let composite = key_order
                    .iter()
                    .map(|(path, i)| {
                        let text = i.map_or_else(
                            || bucket.unwrap_or_default().to_string(),
                            |i| keys[i].key_text(),
                        );
                        format!("{path}={text}")
                    })
                    .collect::<Vec<_>>()
                    .join("::");
                groups.push(Group {
                    bucket: *bucket,
                    keys: keys.clone(),
                    composite,
                    accumulators: args
                        .aggregations
                        .iter()
                        .map(|_| Accumulator::default())
                        .collect(),
                });
                groups.len() - 1
            });
        for (k, (aggregation, accumulator)) in args
            .aggregations
            .iter()
            .zip(&mut groups[at].accumulators)
            .enumerate()
        {
            let level = levels[k];
            if level < unit_depth && !taken.insert((at, k, unit.positions[..=level].to_vec())) {
                continue;
            }
            let passes_own = !aggregation.predicate
                && aggregation.filter.as_ref().is_none_or(|f| f.matches(&unit))
                && aggregation
                    .ext_filter
                    .as_ref()
                    .is_none_or(|f| f.matches(&unit));
            if passes_own {
                values.clear();
                unit.values(&aggregation.field, &mut values);
                for v in &values {
                    accumulator.add(aggregation.op, v);
                }
            }
        }
    }
    groups.sort_by(|a, b| {
        a.bucket.cmp(&b.bucket).then_with(|| {
            a.keys
                .iter()
                .zip(&b.keys)
                .map(|(x, y)| {
                    x.sort_key()
                        .partial_cmp(&y.sort_key())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    });
    let start = match &args.cursor {
        None => 0,
        Some(cursor) => groups
            .iter()
            .position(|g| &g.composite == cursor)
            .map(|i| i + 1)
            .ok_or_else(|| {
                invalid(format!(
                    "pagination cursor {cursor:?} is not a cursor this query returned"
                ))
            })?,
    };
    let end = (start + GROUPS_PER_PAGE).min(groups.len());
    let mut names: Vec<(usize, &Aggregation)> = args.aggregations.iter().enumerate().collect();
    // Entries come back ordered by name, not as requested (Cisco's samples reorder them too).
    names.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let rows = groups[start..end]
        .iter()
        .map(|group| {
            let mut row = IndexMap::new();
            if interval_selected {
                row.insert(
                    Name::new("intervalStartTime"),
                    group
                        .bucket
                        .map_or(GqlValue::Null, |b| GqlValue::Number(Number::from(b))),
                );
            }
            for (path, key) in paths.iter().zip(&group.keys) {
                set_path(kind, &mut row, "", path, gql(key));
            }
            let aggregation = names
                .iter()
                .map(|(i, a)| {
                    let mut entry = IndexMap::new();
                    entry.insert(Name::new("name"), GqlValue::String(a.name.clone()));
                    let value = group.accumulators[*i]
                        .value(a.op)
                        .and_then(Number::from_f64);
                    entry.insert(
                        Name::new("value"),
                        value.map_or(GqlValue::Null, GqlValue::Number),
                    );
                    GqlValue::Object(entry)
                })
                .collect();
            row.insert(Name::new("aggregation"), GqlValue::List(aggregation));
            GqlValue::Object(row)
        })
        .collect();
    let next = (end < groups.len()).then(|| groups[end - 1].composite.clone());
    Ok(container(kind, rows, next))
}

/// Puts `value` at a dotted path of a row, a list on the way holding the row's one entry.
fn set_path(
    kind: &Kind,
    row: &mut IndexMap<Name, GqlValue>,
    abs: &str,
    path: &str,
    value: GqlValue,
) {
    let (segment, rest) = path
        .split_once('.')
        .map_or((path, None), |(s, r)| (s, Some(r)));
    let Some(rest) = rest else {
        row.insert(Name::new(segment), value);
        return;
    };
    let here = if abs.is_empty() {
        segment.to_string()
    } else {
        format!("{abs}.{segment}")
    };
    let is_list = kind.lists.contains(&here.as_str());
    let slot = row.entry(Name::new(segment)).or_insert_with(|| {
        if is_list {
            GqlValue::List(vec![GqlValue::Object(IndexMap::new())])
        } else {
            GqlValue::Object(IndexMap::new())
        }
    });
    let inner = match slot {
        GqlValue::List(items) => items.first_mut(),
        other => Some(other),
    };
    if let Some(GqlValue::Object(inner)) = inner {
        set_path(kind, inner, &here, rest, value);
    }
}
