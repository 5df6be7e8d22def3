//! `POST /search`: Webex Contact Center's GraphQL Search API (spec `getSearchResults`), answered
//! by a real GraphQL engine (async-graphql's dynamic schema) over the same seeded tasks that
//! `/v1/tasks` and `/v1/agents/activities` serve. The queries `taskDetails`, `agentSession`,
//! `taskLegDetails` and the older `task`; filters, aggregations, intervals and cursor paging as
//! `webex-search-api.md` (the reference notes beside the project) documents them. The README's
//! `/search` section names the source of each behaviour.
//!
//! Order of checks after the API guard (faults, token, rate limit): scope, role, `orgId`, then the
//! body, then the GraphQL document and its arguments.

mod aggregate;
mod bench;
mod fields;
mod filter;
mod interval;
mod query;
mod raw;
mod records;
mod schema;

use std::sync::OnceLock;

use async_graphql::dynamic::Schema;
use async_graphql::{Request, Variables};
use axum::Json;
use axum::Router;
use axum::body::{Bytes, HttpBody};
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::Predicate;

use crate::api::{ApiError, Caller, check_org};
use crate::config::Knobs;
use crate::seed::{Collection, TaskRecord};
use crate::state::{AppState, now_ms};

pub use bench::{BenchRun, interval_aggregation_benchmark};
use records::EntryPoint;

/// Scopes that allow `/search` (any one suffices).
const SEARCH_SCOPES: &[&str] = &["cjp:config", "cjp:config_read"];
/// Answers above this size are gzip-compressed when the client accepts gzip.
const COMPRESS_ABOVE_BYTES: u64 = 1_000_000;

/// Where a query's records come from: the sandbox's seeded org, or records a caller supplies
/// (the benchmark).
pub enum DataSource {
    Sandbox { state: AppState, org_id: String },
    Owned { tasks: Vec<TaskRecord> },
}

impl DataSource {
    fn tasks(&self) -> &[TaskRecord] {
        match self {
            DataSource::Sandbox { state, org_id } => state
                .seed()
                .orgs
                .get(org_id)
                .map(|o| o.tasks.as_slice())
                .unwrap_or_default(),
            DataSource::Owned { tasks } => tasks,
        }
    }

    fn entry_points(&self) -> Vec<EntryPoint> {
        let DataSource::Sandbox { state, org_id } = self else {
            return Vec::new();
        };
        let field = |r: &Value, name: &str| r[name].as_str().unwrap_or_default().to_string();
        state
            .seed()
            .orgs
            .get(org_id)
            .map(|o| {
                o.records(Collection::EntryPoint)
                    .iter()
                    .map(|r| (field(r, "id"), field(r, "name")))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What a query's resolvers read: the records, the clock and the knobs of this request.
pub struct SearchContext {
    pub data: DataSource,
    pub now_ms: i64,
    pub knobs: Knobs,
}

/// The four queries and the schema, built once per process.
fn schema() -> &'static Schema {
    static KINDS: OnceLock<Vec<fields::Kind>> = OnceLock::new();
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let kinds = KINDS.get_or_init(fields::kinds);
        schema::build(kinds).expect("the search schema is well formed")
    })
}

/// The GraphQL schema in SDL, for tests and for anyone writing queries.
pub fn schema_sdl() -> String {
    schema().sdl()
}

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/search",
        post(search).layer(
            CompressionLayer::new()
                .no_br()
                .no_deflate()
                .no_zstd()
                .compress_when(LargeBody),
        ),
    )
}

/// Compresses only answers whose size is known and above the documented threshold.
#[derive(Clone, Copy)]
struct LargeBody;

impl Predicate for LargeBody {
    fn should_compress<B: HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        response
            .body()
            .size_hint()
            .exact()
            .is_some_and(|n| n > COMPRESS_ABOVE_BYTES)
    }
}

/// Runs one GraphQL request against `data` and answers it as Webex does.
pub async fn execute(
    body: &Value,
    data: DataSource,
    knobs: Knobs,
    now: i64,
) -> Result<Response, ApiError> {
    let (query, variables) = request_parts(body, &knobs)?;
    let request = Request::new(query)
        .variables(Variables::from_json(variables))
        .data(SearchContext {
            data,
            now_ms: now,
            knobs: knobs.clone(),
        });
    let response = schema().execute(request).await;
    if response.errors.is_empty() {
        return Ok(Json(response).into_response());
    }
    let status = response
        .errors
        .iter()
        .find_map(|e| e.extensions.as_ref()?.get("status").cloned())
        .and_then(|s| match s {
            async_graphql::Value::Number(n) => n.as_u64(),
            _ => None,
        })
        .unwrap_or(400);
    let message = response
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    if status == 413 {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Content Too Large",
            message,
        ));
    }
    if knobs.search_query_error_status == 200 {
        return Ok(Json(response).into_response());
    }
    Err(ApiError::bad_request(message))
}

/// `query` and `variables` of the spec's `SearchRequest`, refusing anything else.
fn request_parts(body: &Value, knobs: &Knobs) -> Result<(String, Value), ApiError> {
    let Value::Object(fields) = body else {
        return Err(ApiError::bad_request(
            "The body must be a JSON object {\"query\": \"…\", \"variables\": {…}}.",
        ));
    };
    if let Some(unknown) = fields
        .keys()
        .find(|k| !matches!(k.as_str(), "query" | "variables" | "operationName"))
    {
        return Err(ApiError::bad_request(format!(
            "Unknown field {unknown:?} in the body: a SearchRequest has query and variables."
        )));
    }
    let query = match fields.get("query") {
        Some(Value::String(q)) if !q.trim().is_empty() => q.clone(),
        _ => {
            return Err(ApiError::bad_request(
                "query is required: the GraphQL document as one string.",
            ));
        }
    };
    let variables = match fields.get("variables") {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(v @ Value::Object(map)) => {
            if !map.is_empty() && knobs.search_variables == "persisted_only" {
                return Err(ApiError::bad_request(
                    "variables apply only to persisted queries: write the values into the query.",
                ));
            }
            v.clone()
        }
        Some(_) => return Err(ApiError::bad_request("variables must be a JSON object.")),
    };
    Ok((query, variables))
}

async fn search(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require_scope(
        SEARCH_SCOPES,
        "The access token is missing the required scope cjp:config_read (or cjp:config). Sign in again requesting it.",
    )?;
    caller.require_admin(
        "The user is missing the Administrator or Supervisor role required by the Search API.",
    )?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(uri.query().unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("The query string is malformed: {e}")))?;
    if let Some((_, org)) = pairs.iter().rev().find(|(k, _)| k == "orgId") {
        check_org(&caller, org)?;
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json {
        return Err(ApiError::bad_request(
            "The body must be sent as Content-Type: application/json.",
        ));
    }
    let body: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("The body is not valid JSON: {e}")))?;
    let knobs = state.store().faults.knobs.clone();
    let data = DataSource::Sandbox {
        state,
        org_id: caller.org_id.clone(),
    };
    execute(&body, data, knobs, now_ms()).await
}
