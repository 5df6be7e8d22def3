//! The Contact Center API port (what api.wxcc-<region>.cisco.com does): configuration lists under
//! `/organization/{orgid}/…` and the analytics endpoints under `/v1/…`.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Extension, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rand::Rng;
use serde_json::{Map, Value, json};

use crate::http_util::{TrackingId, bearer_token};
use crate::rsql;
use crate::seed::{Collection, Role, TaskRecord, known_fields};
use crate::state::{AppState, TokenProblem, now_ms};

/// Scopes that allow reading configuration and analytics (any one suffices).
pub const READ_SCOPES: &[&str] = &["cjp:config_read", "cjp:config"];

/// Who is calling, established by the auth middleware.
#[derive(Debug, Clone)]
pub struct Caller {
    pub org_id: String,
    pub role: Role,
    pub scopes: Vec<String>,
}

/// An error in the spec's `ApiErrorResponse` shape.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub reason: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            reason,
            message: message.into(),
            retry_after: None,
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "Bad Request", message)
    }

    fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    pub fn into_response_with(self, tracking: &TrackingId) -> Response {
        let body = json!({
            "trackingId": tracking.0,
            "error": {
                "key": self.status.as_u16().to_string(),
                "reason": self.reason,
                "message": [{"description": self.message}],
            }
        });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for collection in Collection::ALL {
        router = router.route(
            &format!("/organization/{{orgid}}/{}", collection.path()),
            get(move |state, caller, tracking, path, uri| {
                list_config(collection, state, caller, tracking, path, uri)
            }),
        );
    }
    router
        .route("/v1/tasks", get(tasks))
        .route("/v1/agents/activities", get(agent_activities))
        .route("/v1/agents/statistics", get(agent_statistics))
        .route("/v1/queues/statistics", get(queue_statistics))
}

/// Faults, latency, authentication and rate limiting, in that order, before any API handler.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let tracking = request
        .extensions()
        .get::<TrackingId>()
        .cloned()
        .unwrap_or(TrackingId(String::new()));
    match admit(&state, &mut request).await {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response_with(&tracking),
    }
}

async fn admit(state: &AppState, request: &mut Request) -> Result<(), ApiError> {
    let cfg = state.config();
    let latency = state.store().faults.latency_ms.unwrap_or(cfg.latency_ms);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    {
        let mut store = state.store();
        if store.faults.force_429 > 0 || cfg.force_429 {
            store.faults.force_429 = store.faults.force_429.saturating_sub(1);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                "Rate limit exceeded (forced by the sandbox). Retry after the time in Retry-After.",
            );
            e.retry_after = Some(2);
            return Err(e);
        }
        if store.faults.force_5xx > 0 {
            store.faults.force_5xx -= 1;
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
                "The service is temporarily unavailable (forced by the sandbox). Retry later.",
            ));
        }
    }
    if cfg.error_rate > 0.0 && rand::rng().random::<f64>() < cfg.error_rate {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "Internal server error (injected by the sandbox error_rate). Retry later.",
        ));
    }

    let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", m);
    let Some(token) = bearer_token(request.headers()) else {
        return Err(unauthorized(
            "Missing bearer token: send Authorization: Bearer <access token>.",
        ));
    };
    let grant = match state.access_grant(token) {
        Ok(g) => g,
        Err(TokenProblem::Expired) => {
            return Err(unauthorized(
                "The access token has expired. Refresh it and retry.",
            ));
        }
        Err(TokenProblem::Unknown) => {
            return Err(unauthorized("The access token is invalid. Sign in again."));
        }
    };
    let Some(user) = state.sign_in_user(&grant.user_key) else {
        return Err(unauthorized(
            "The access token's user no longer exists. Sign in again.",
        ));
    };

    {
        let now = now_ms();
        let mut store = state.store();
        let window = store
            .rate_windows
            .entry(grant.client_id.clone())
            .or_insert((now, 0));
        if now - window.0 >= 60_000 {
            *window = (now, 0);
        }
        if window.1 >= cfg.rate_limit_per_minute {
            let wait_ms = (window.0 + 60_000 - now).max(0);
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests",
                format!(
                    "Rate limit of {} requests per minute exceeded for this client. Retry after the time in Retry-After.",
                    cfg.rate_limit_per_minute
                ),
            );
            e.retry_after = Some(((wait_ms + 999) / 1000).max(1) as u64);
            return Err(e);
        }
        window.1 += 1;
    }
    request.extensions_mut().insert(Caller {
        org_id: user.org_id.clone(),
        role: user.role,
        scopes: grant.scopes,
    });
    Ok(())
}

/// Scope, then role: configuration and analytics need a read scope and the admin role.
fn authorize_read(caller: &Caller) -> Result<(), ApiError> {
    if !caller
        .scopes
        .iter()
        .any(|s| READ_SCOPES.contains(&s.as_str()))
    {
        return Err(ApiError::forbidden(
            "The access token is missing the required scope cjp:config_read (or cjp:config). Sign in again requesting it.",
        ));
    }
    if caller.role != Role::Admin {
        return Err(ApiError::forbidden(
            "The user is missing the admin role: only Contact Center administrators can read this resource.",
        ));
    }
    Ok(())
}

fn check_org(caller: &Caller, org: &str) -> Result<(), ApiError> {
    if org != caller.org_id {
        return Err(ApiError::forbidden(format!(
            "The access token is not valid for organization {org}; use your own organization id ({}).",
            caller.org_id
        )));
    }
    Ok(())
}

fn query_pairs(uri: &Uri) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(uri.query().unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("The query string is malformed: {e}")))
}

fn last_param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn int_param(pairs: &[(String, String)], name: &str) -> Result<Option<i64>, ApiError> {
    last_param(pairs, name)
        .map(|v| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::bad_request(format!("{name} must be an integer, got {v:?}")))
        })
        .transpose()
}

fn bool_param(pairs: &[(String, String)], name: &str) -> Result<(), ApiError> {
    match last_param(pairs, name) {
        None | Some("true") | Some("false") => Ok(()),
        Some(v) => Err(ApiError::bad_request(format!(
            "{name} must be true or false, got {v:?}"
        ))),
    }
}

fn respond(result: Result<Value, ApiError>, tracking: &TrackingId) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response_with(tracking),
    }
}

// ---------- configuration lists ----------

async fn list_config(
    collection: Collection,
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(tracking): Extension<TrackingId>,
    Path(org): Path<String>,
    uri: Uri,
) -> Response {
    respond(
        list_config_body(collection, &state, &caller, &org, &uri),
        &tracking,
    )
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

// ---------- analytics ----------

const CHANNEL_TYPES: &[&str] = &["email", "chat", "telephony", "social"];

struct AnalyticsQuery {
    pairs: Vec<(String, String)>,
}

impl AnalyticsQuery {
    fn new(uri: &Uri, caller: &Caller) -> Result<Self, ApiError> {
        authorize_read(caller)?;
        let pairs = query_pairs(uri)?;
        if let Some(org) = last_param(&pairs, "orgId") {
            check_org(caller, org)?;
        }
        Ok(AnalyticsQuery { pairs })
    }

    fn required_ms(&self, name: &str) -> Result<i64, ApiError> {
        int_param(&self.pairs, name)?.ok_or_else(|| {
            ApiError::bad_request(format!(
                "{name} is required: an epoch timestamp in milliseconds"
            ))
        })
    }

    fn range(&self, to_required: bool) -> Result<(i64, i64), ApiError> {
        let from = self.required_ms("from")?;
        let to = if to_required {
            self.required_ms("to")?
        } else {
            int_param(&self.pairs, "to")?.unwrap_or_else(now_ms)
        };
        if from < 0 || to <= from {
            return Err(ApiError::bad_request(format!(
                "from ({from}) must be before to ({to}) and not negative"
            )));
        }
        Ok((from, to))
    }

    fn page_size(&self) -> Result<usize, ApiError> {
        let size = int_param(&self.pairs, "pageSize")?.unwrap_or(100);
        if !(1..=1000).contains(&size) {
            return Err(ApiError::bad_request(format!(
                "pageSize must be between 1 and 1000, got {size}"
            )));
        }
        Ok(size as usize)
    }

    fn list(&self, name: &str, max: usize) -> Result<Option<Vec<String>>, ApiError> {
        let Some(text) = last_param(&self.pairs, name) else {
            return Ok(None);
        };
        let items: Vec<String> = text
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if items.len() > max {
            return Err(ApiError::bad_request(format!(
                "{name} accepts at most {max} values, got {}",
                items.len()
            )));
        }
        Ok(Some(items))
    }

    fn channel_types(&self) -> Result<Option<Vec<String>>, ApiError> {
        let list = self.list("channelTypes", CHANNEL_TYPES.len() * 4)?;
        if let Some(bad) = list
            .iter()
            .flatten()
            .find(|c| !CHANNEL_TYPES.contains(&c.as_str()))
        {
            return Err(ApiError::bad_request(format!(
                "channelTypes: {bad:?} is not a channel type; use lowercase email, chat, telephony or social"
            )));
        }
        Ok(list)
    }

    fn interval_minutes(&self) -> Result<Option<i64>, ApiError> {
        match int_param(&self.pairs, "interval")? {
            None => Ok(None),
            Some(m @ (15 | 30 | 60)) => Ok(Some(m)),
            Some(m) => Err(ApiError::bad_request(format!(
                "interval must be 15, 30 or 60 (minutes), got {m}"
            ))),
        }
    }
}

fn org_tasks<'a>(state: &'a AppState, caller: &Caller) -> &'a [TaskRecord] {
    state
        .seed()
        .orgs
        .get(&caller.org_id)
        .map(|o| o.tasks.as_slice())
        .unwrap_or_default()
}

fn in_list(list: &Option<Vec<String>>, value: &str) -> bool {
    list.as_ref().is_none_or(|l| l.iter().any(|v| v == value))
}

async fn tasks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(tracking): Extension<TrackingId>,
    uri: Uri,
) -> Response {
    let result = (|| {
        let q = AnalyticsQuery::new(&uri, &caller)?;
        let (from, to) = q.range(false)?;
        let channels = q.channel_types()?;
        let page_size = q.page_size()?;
        let data: Vec<Value> = org_tasks(&state, &caller)
            .iter()
            .filter(|t| {
                t.created_ms >= from && t.created_ms < to && in_list(&channels, t.channel_type)
            })
            .take(page_size)
            .map(|t| {
                json!({
                    "id": t.id,
                    "attributes": {
                        "owner": {"id": t.agent_id, "name": t.agent_name},
                        "queue": {"id": t.queue_id, "name": t.queue_name},
                        "channelType": t.channel_type,
                        "status": t.status,
                        "createdTime": t.created_ms,
                        "lastUpdatedTime": t.ended_ms,
                        "captureRequested": false,
                        "origin": t.origin,
                        "destination": t.destination,
                        "direction": "inbound",
                    }
                })
            })
            .collect();
        Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
    })();
    respond(result, &tracking)
}

async fn agent_activities(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(tracking): Extension<TrackingId>,
    uri: Uri,
) -> Response {
    let result = (|| {
        let q = AnalyticsQuery::new(&uri, &caller)?;
        let (from, to) = q.range(false)?;
        if to - from >= 86_400_000 {
            return Err(ApiError::bad_request(
                "The difference between to and from must be less than 24 hours",
            ));
        }
        let agents = q.list("agentIds", 100)?;
        let teams = q.list("teamIds", 100)?;
        let channels = q.channel_types()?;
        let page_size = q.page_size()?;
        let page = int_param(&q.pairs, "page")?.unwrap_or(0);
        if page < 0 {
            return Err(ApiError::bad_request(format!(
                "page must be 0 or more, got {page}"
            )));
        }
        let data: Vec<Value> = org_tasks(&state, &caller)
            .iter()
            .filter(|t| t.status == "completed")
            .filter(|t| t.created_ms >= from && t.created_ms < to)
            .filter(|t| in_list(&agents, &t.agent_id) && in_list(&teams, &t.team_id) && in_list(&channels, t.channel_type))
            .skip(page as usize * page_size)
            .take(page_size)
            .map(|t| {
                json!({
                    "active": false, "agentId": t.agent_id, "agentDn": "", "agentLogin": t.agent_email,
                    "agentSessionId": format!("session-{}", &t.id[..8]), "agentName": t.agent_name,
                    "currentState": "connected", "siteId": t.site_id, "siteName": t.site_name,
                    "teamId": t.team_id, "teamName": t.team_name, "isLogin": 1, "taskId": t.id,
                    "channelId": t.id, "channelType": t.channel_type, "subChannelType": "",
                    "idleCodeName": "", "idleCode": "", "queueId": t.queue_id, "queueName": t.queue_name,
                    "wrapupCodeName": t.wrapup_code, "reason": "", "startTime": t.created_ms + t.enqueued_ms,
                    "endTime": t.ended_ms, "mmProfileType": "BLENDED",
                })
            })
            .collect();
        Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
    })();
    respond(result, &tracking)
}

/// Statistics are bucketed on 15-minute boundaries; without an interval the whole range is one bucket.
fn buckets(q: &AnalyticsQuery) -> Result<(i64, i64, Option<i64>), ApiError> {
    let (from, to) = q.range(true)?;
    let quarter = 15 * 60_000;
    let (from, to) = (from - from.rem_euclid(quarter), to - to.rem_euclid(quarter));
    if to <= from {
        return Err(ApiError::bad_request(
            "from and to fall in the same 15-minute window; widen the range",
        ));
    }
    Ok((from, to, q.interval_minutes()?.map(|m| m * 60_000)))
}

fn bucket_of(created: i64, from: i64, interval: Option<i64>) -> i64 {
    interval.map_or(from, |i| from + (created - from) / i * i)
}

async fn agent_statistics(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(tracking): Extension<TrackingId>,
    uri: Uri,
) -> Response {
    let result = (|| {
        let q = AnalyticsQuery::new(&uri, &caller)?;
        let (from, to, interval) = buckets(&q)?;
        let agents = q.list("agentIds", 100)?;
        let mut groups: BTreeMap<(i64, String), Vec<&TaskRecord>> = BTreeMap::new();
        for t in org_tasks(&state, &caller)
            .iter()
            .filter(|t| t.created_ms >= from && t.created_ms < to && in_list(&agents, &t.agent_id))
        {
            groups
                .entry((bucket_of(t.created_ms, from, interval), t.agent_id.clone()))
                .or_default()
                .push(t);
        }
        let data: Vec<Value> = groups
            .into_iter()
            .map(|((start, _), tasks)| {
                let first = tasks[0];
                let mut by_channel: BTreeMap<&str, Vec<&TaskRecord>> = BTreeMap::new();
                for t in &tasks {
                    by_channel.entry(t.channel_type).or_default().push(t);
                }
                let channels: Vec<Value> = by_channel
                    .into_iter()
                    .map(|(channel, ts)| {
                        let handled: Vec<&&TaskRecord> = ts.iter().filter(|t| t.status == "completed").collect();
                        let engaged: i64 = handled.iter().map(|t| t.ended_ms - t.created_ms - t.enqueued_ms).sum();
                        let wrap = handled.len() as i64 * 20_000;
                        let avg = if handled.is_empty() { 0.0 } else { (engaged + wrap) as f64 / handled.len() as f64 };
                        json!({
                            "channelType": channel, "totalOfferedTasks": ts.len(), "totalAssignedTasks": handled.len(),
                            "totalAcceptedTasks": handled.len(), "totalRejectedTasks": 0, "totalTransferredTasks": 0,
                            "totalEngagedDuration": engaged.min(i32::MAX as i64), "totalHoldDuration": 0,
                            "totalWrapUpDuration": wrap, "totalAvailableTime": engaged / 2, "totalUnAvailableTime": 0,
                            "averageHandledTime": avg,
                        })
                    })
                    .collect();
                json!({
                    "intervalStartTime": start, "agentId": first.agent_id, "agentName": first.agent_name,
                    "teamId": first.team_id, "teamName": first.team_name, "channels": channels,
                })
            })
            .collect();
        Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
    })();
    respond(result, &tracking)
}

async fn queue_statistics(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(tracking): Extension<TrackingId>,
    uri: Uri,
) -> Response {
    let result = (|| {
        let q = AnalyticsQuery::new(&uri, &caller)?;
        let (from, to, interval) = buckets(&q)?;
        let queues = q.list("queueIds", 100)?;
        let mut groups: BTreeMap<(i64, String, &str), Vec<&TaskRecord>> = BTreeMap::new();
        for t in org_tasks(&state, &caller)
            .iter()
            .filter(|t| t.created_ms >= from && t.created_ms < to && in_list(&queues, &t.queue_id))
        {
            groups
                .entry((
                    bucket_of(t.created_ms, from, interval),
                    t.queue_id.clone(),
                    t.channel_type,
                ))
                .or_default()
                .push(t);
        }
        let data: Vec<Value> = groups
            .into_iter()
            .map(|((start, queue_id, channel), ts)| {
                let handled: Vec<&&TaskRecord> = ts.iter().filter(|t| t.status == "completed").collect();
                let n = ts.len() as f64;
                let avg_enqueued = ts.iter().map(|t| t.enqueued_ms).sum::<i64>() as f64 / n;
                let avg_handled = if handled.is_empty() {
                    0.0
                } else {
                    handled.iter().map(|t| t.ended_ms - t.created_ms - t.enqueued_ms).sum::<i64>() as f64 / handled.len() as f64
                };
                let within_sla = ts.iter().filter(|t| t.enqueued_ms <= 30_000).count() as f64;
                json!({
                    "intervalStartTime": start, "queueId": queue_id, "queueName": ts[0].queue_name, "channelType": channel,
                    "totalOfferedTasks": ts.len(), "totalEnqueuedTasks": ts.len(), "totalAssignedTasks": handled.len(),
                    "totalAcceptedTasks": handled.len(), "totalRejectedTasks": 0,
                    "totalAbandonedTasks": ts.len() - handled.len(), "averageEnqueuedTime": avg_enqueued,
                    "averageHandledTime": avg_handled, "serviceLevelThresholdPercentage": within_sla * 100.0 / n,
                })
            })
            .collect();
        Ok(json!({"meta": {"orgId": caller.org_id}, "data": data}))
    })();
    respond(result, &tracking)
}

/// 404 for paths the sandbox does not serve, in the API's error shape.
pub async fn not_found(Extension(tracking): Extension<TrackingId>, uri: Uri) -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Not Found",
        format!("No such endpoint {} in the sandbox.", uri.path()),
    )
    .into_response_with(&tracking)
}

pub async fn method_not_allowed(Extension(tracking): Extension<TrackingId>) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        "The sandbox serves this path with GET only.",
    )
    .into_response_with(&tracking)
}
