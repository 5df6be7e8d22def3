//! One query's arguments, checked as the reference documents them (§1 time arguments, §3 limits),
//! then answered from the seeded records: raw records a page at a time, or aggregation rows.
//! Every refusal is a GraphQL error carrying the HTTP status it answers with (`status` extension).

use async_graphql::dynamic::{ResolverContext, ValueAccessor};
use async_graphql::{Error, ErrorExtensions, SelectionField, Value as GqlValue};

use super::SearchContext;
use super::aggregate::{self, Aggregation, Op};
use super::fields::{Kind, QueryKind};
use super::filter::{self, Filter, Unit};
use super::interval::{Bucketer, Interval};
use super::raw;
use super::records::{self, Rec, Records};

pub const DAY_MS: i64 = 86_400_000;
/// `from` may reach this many months back (spec).
const MONTHS_BACK: u32 = 36;
/// `to - from` at most (spec; the GitHub guide's 13 months is the looser reading).
const MAX_SPAN_MS: i64 = 365 * DAY_MS;
/// Raw CAR/AAR fetches: span at most 30 days.
const MAX_ACTIVITY_SPAN_MS: i64 = 30 * DAY_MS;
/// Arguments in total across `filter`, `extFilter` and `predicate`.
const MAX_FILTER_ARGUMENTS: usize = 1_000;
/// Group-by fields at most.
pub const MAX_GROUP_BY: usize = 10;

/// A 400 (Validation Error) with `message`.
pub fn invalid(message: impl Into<String>) -> Error {
    status_error(400, message)
}

pub fn status_error(status: u16, message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("status", status))
}

/// The parsed, checked arguments of one query.
pub struct Arguments {
    pub from: i64,
    pub to: i64,
    pub ended_time: bool,
    pub filter: Option<Filter>,
    pub ext_filter: Option<Filter>,
    pub aggregations: Vec<Aggregation>,
    pub interval: Option<Bucketer>,
    pub cursor: Option<String>,
}

impl Arguments {
    pub fn span(&self) -> i64 {
        self.to - self.from
    }
}

fn window(ctx: &ResolverContext, search: &SearchContext) -> Result<(i64, i64), Error> {
    let from = ctx.args.try_get("from")?.i64()?;
    let mut to = ctx.args.try_get("to")?.i64()?;
    let now = search.now_ms;
    if from < 0 {
        return Err(invalid(format!(
            "from ({from}) must be an epoch time in milliseconds"
        )));
    }
    let oldest = chrono::DateTime::from_timestamp_millis(now)
        .and_then(|n| n.checked_sub_months(chrono::Months::new(MONTHS_BACK)))
        .map_or(0, |t| t.timestamp_millis());
    if from < oldest {
        return Err(invalid(format!(
            "from ({from}) must be no more than {MONTHS_BACK} months in the past (not before {oldest})"
        )));
    }
    if to > now {
        if search.knobs.search_future_to == "clamp" {
            to = now;
        } else {
            return Err(invalid(format!(
                "to ({to}) must not be later than the current time ({now})"
            )));
        }
    }
    if to <= from {
        return Err(invalid(format!("from ({from}) must be before to ({to})")));
    }
    if to - from > MAX_SPAN_MS {
        return Err(invalid(format!(
            "The difference between to and from must be at most 365 days ({MAX_SPAN_MS} milliseconds), got {}",
            to - from
        )));
    }
    Ok((from, to))
}

fn optional<'a>(ctx: &'a ResolverContext, name: &str) -> Option<ValueAccessor<'a>> {
    ctx.args.get(name).filter(|v| !v.is_null())
}

pub fn arguments(
    kind: &Kind,
    ctx: &ResolverContext,
    search: &SearchContext,
) -> Result<Arguments, Error> {
    let (from, to) = window(ctx, search)?;
    let ended_time = match optional(ctx, "timeComparator") {
        Some(v) => v.enum_name()? == "endedTime",
        None => false,
    };
    let mut count = 0;
    let compile = |v: Option<ValueAccessor>, count: &mut usize| -> Result<Option<Filter>, Error> {
        v.map(|v| filter::compile(kind, v.as_value(), "", count).map_err(invalid))
            .transpose()
    };
    let filter = compile(optional(ctx, "filter"), &mut count)?;
    let ext_filter = compile(optional(ctx, "extFilter"), &mut count)?;
    let aggregations = match optional(ctx, "aggregations") {
        Some(list) => aggregate::parse(kind, list.list()?, &mut count)?,
        None => Vec::new(),
    };
    if count > MAX_FILTER_ARGUMENTS {
        return Err(invalid(format!(
            "The query has {count} filter arguments; at most {MAX_FILTER_ARGUMENTS} are allowed across filter, extFilter and predicate"
        )));
    }
    let interval = match optional(ctx, "aggregationInterval") {
        None => None,
        Some(v) => {
            let v = v.object()?;
            let interval_value = v.try_get("interval")?;
            let name = interval_value.enum_name()?;
            let interval =
                Interval::parse(name).ok_or_else(|| invalid(format!("unknown interval {name}")))?;
            if !interval.allowed_for(to - from) {
                return Err(invalid(format!(
                    "interval {name} is not allowed for a span of {} ms: up to 1 day all intervals, up to 7 days THIRTY_MINUTES or longer, beyond that DAILY, WEEKLY or MONTHLY",
                    to - from
                )));
            }
            let zone = v
                .get("timezone")
                .filter(|z| !z.is_null())
                .map(|z| z.string())
                .transpose()?;
            Some(Bucketer::new(interval, zone).map_err(invalid)?)
        }
    };
    if interval.is_some() && aggregations.is_empty() {
        return Err(invalid(
            "aggregationInterval needs aggregations: it buckets aggregation rows by time",
        ));
    }
    let cursor = match optional(ctx, "pagination") {
        Some(p) => p
            .object()?
            .get("cursor")
            .filter(|c| !c.is_null())
            .map(|c| c.string().map(str::to_string))
            .transpose()?,
        None => None,
    }
    .filter(|c| c != "NA");
    Ok(Arguments {
        from,
        to,
        ended_time,
        filter,
        ext_filter,
        aggregations,
        interval,
        cursor,
    })
}

/// The selection of the answer's list field (`tasks { … }`), and whether `pageInfo` is asked.
fn list_selection<'a>(ctx: &'a ResolverContext, kind: &Kind) -> Vec<SelectionField<'a>> {
    ctx.ctx
        .field()
        .selection_set()
        .filter(|f| f.name() == kind.list)
        .collect()
}

/// The time a record is matched on: `createdTime` (or `endedTime` with `timeComparator`), an
/// agent session's `startTime`.
pub fn matched_time(rec: &Rec, ended_time: bool) -> i64 {
    let path = match rec {
        Rec::Asr(..) => "startTime",
        _ if ended_time => "endedTime",
        _ => "createdTime",
    };
    rec.scalar(path).number().unwrap_or_default() as i64
}

/// Answers one query: the object `{<list>: [...], pageInfo: {...}}`.
pub fn run(kind: &'static Kind, ctx: &ResolverContext) -> Result<GqlValue, Error> {
    let search = ctx.data::<SearchContext>()?;
    let args = arguments(kind, ctx, search)?;
    let selection = list_selection(ctx, kind);
    let tasks = search.data.tasks();
    let entry_points = search.data.entry_points();
    let records = Records {
        entry_points: &entry_points,
    };
    let sessions;
    let seconds = search.knobs.search_asr_total_duration_unit == "s";
    let in_window = |t: i64| t >= args.from && t < args.to;
    let roots: Vec<Rec> = match kind.query {
        QueryKind::TaskDetails | QueryKind::Task => {
            tasks.iter().map(|t| Rec::Csr(t, &records)).collect()
        }
        QueryKind::TaskLegDetails if !search.knobs.search_task_legs => Vec::new(),
        QueryKind::TaskLegDetails => tasks.iter().map(|t| Rec::Clr(t, &records)).collect(),
        QueryKind::AgentSession => {
            sessions = records::sessions(tasks);
            sessions.iter().map(|s| Rec::Asr(s, seconds)).collect()
        }
    };
    let roots: Vec<Rec> = roots
        .into_iter()
        .filter(|r| in_window(matched_time(r, args.ended_time)))
        .collect();
    if args.aggregations.is_empty() {
        if args.span() > MAX_ACTIVITY_SPAN_MS && raw::selects_activities(kind, &selection) {
            return Err(invalid(format!(
                "Raw activity records (CAR/AAR) can be fetched for at most 30 days ({MAX_ACTIVITY_SPAN_MS} ms); the span is {} ms",
                args.span()
            )));
        }
        raw::answer(kind, &args, &selection, roots)
    } else {
        aggregate::answer(kind, &args, &selection, roots)
    }
}

/// Whether a unit passes the query's global `filter` and `extFilter`.
pub fn passes(args: &Arguments, unit: &Unit) -> bool {
    args.filter.as_ref().is_none_or(|f| f.matches(unit))
        && args.ext_filter.as_ref().is_none_or(|f| f.matches(unit))
}

/// How many of the kind's lists a path goes through (0: a field of the record itself).
pub fn depth(kind: &Kind, path: &str) -> usize {
    kind.lists
        .iter()
        .filter(|l| path.strip_prefix(**l).is_some_and(|r| r.starts_with('.')))
        .count()
}

pub fn is_numeric_op(op: Op) -> bool {
    matches!(op, Op::Sum | Op::Average | Op::Min | Op::Max)
}
