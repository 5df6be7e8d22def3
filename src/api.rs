//! The one API client every view uses: Bearer token from the session, one refresh-and-retry on
//! 401 (single flight), bounded waits on 429 honouring Retry-After, decoded errors otherwise.
//! Every call goes through the origin's one scheduler (`scheduler`): a token of the budget the
//! tabs share, identical GETs as one request, list and count answers kept briefly for every tab.

mod scheduler;

use leptos::prelude::*;
use wxcc_core::api_error::{ApiError, ApiErrorKind};

use crate::auth::proxy::RefreshFailure;
use crate::auth::refresh;
use crate::browser;
use crate::ctx::{Auth, Ctx};
use crate::flow::Step;
use crate::http;

pub use scheduler::start as start_scheduler;
pub use wxcc_core::scheduler::{Freshness, Priority};

/// How often a rate-limited call is retried, and the longest single wait honoured.
const MAX_RATE_LIMIT_RETRIES: u32 = 2;
const MAX_RETRY_AFTER_SECS: u64 = 30;

/// A successful call, with what the views and the explorer show about it.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiCall {
    pub url: String,
    pub status: u16,
    pub json: serde_json::Value,
    pub tracking_id: Option<String>,
    pub elapsed_ms: f64,
}

/// How a call waits its turn: who is waiting for it, and whether a kept answer will do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Call {
    pub priority: Priority,
    pub freshness: Freshness,
}

impl Call {
    /// Counts, CSV paging, bulk work: yields to what the person is looking at.
    pub const BACKGROUND: Call = Call {
        priority: Priority::Background,
        freshness: Freshness::Cached,
    };

    /// The person asked for the current answer ("Refresh", the explorer's "Send").
    pub fn refreshed(self) -> Call {
        Call {
            freshness: Freshness::Refresh,
            ..self
        }
    }
}

/// GET `path_and_query` on the session's Contact Center API base (`/organization/{orgId}/…`).
pub async fn get(ctx: Ctx, path_and_query: &str) -> Result<ApiCall, ApiError> {
    get_with(ctx, path_and_query, Call::default()).await
}

/// [`get`], waiting its turn as `call` says.
pub async fn get_with(ctx: Ctx, path_and_query: &str, call: Call) -> Result<ApiCall, ApiError> {
    let base = ctx
        .session()
        .map(|s| s.region_or_api_base.url())
        .unwrap_or_else(|| ctx.config.with_value(|c| c.api_base_url()));
    get_absolute_with(
        ctx,
        &format!("{}{path_and_query}", base.trim_end_matches('/')),
        call,
    )
    .await
}

/// The signed-in user's orgId, or an error that says to sign in.
pub fn org_id(ctx: Ctx) -> Result<String, ApiError> {
    match ctx.session() {
        None => Err(not_signed_in()),
        Some(session) => session.org_id.ok_or_else(|| ApiError {
            status: 0,
            kind: ApiErrorKind::Client,
            message:
                "The organization of this sign-in is not known yet: the console is asking Webex \
                      (GET /v1/people/me). This view loads as soon as it answers."
                    .into(),
            tracking_id: None,
            error_code: None,
        }),
    }
}

fn not_signed_in() -> ApiError {
    ApiError {
        status: 401,
        kind: ApiErrorKind::Unauthorized,
        message: "You are not signed in.".into(),
        tracking_id: None,
        error_code: None,
    }
}

/// POST a GraphQL request (`{"query", "variables"}` as JSON text) to the Search API,
/// `/search?orgId=…` on the session's API base: the same token, refresh and rate-limit handling as
/// [`get`].
pub async fn search(ctx: Ctx, body: String) -> Result<ApiCall, ApiError> {
    let org = org_id(ctx)?;
    let base = ctx
        .session()
        .map(|s| s.region_or_api_base.url())
        .unwrap_or_else(|| ctx.config.with_value(|c| c.api_base_url()));
    let url = search_url(&base, &org);
    let send = Box::pin(send_with_retries(
        ctx,
        url.clone(),
        Some(body),
        Priority::Foreground,
    ));
    scheduler::answer("POST", &url, Freshness::Refresh, send).await
}

/// The Search API's address on `base` for `org`.
pub fn search_url(base: &str, org: &str) -> String {
    format!(
        "{}{}?orgId={org}",
        base.trim_end_matches('/'),
        wxcc_core::catalogue::search::PATH
    )
}

pub async fn get_absolute(ctx: Ctx, url: &str) -> Result<ApiCall, ApiError> {
    get_absolute_with(ctx, url, Call::default()).await
}

/// [`get_absolute`], waiting its turn as `call` says.
pub async fn get_absolute_with(ctx: Ctx, url: &str, call: Call) -> Result<ApiCall, ApiError> {
    let first_call = ctx.flow.with_untracked(|f| f.awaiting_first_call());
    if first_call {
        browser::mark("wxcc:first-api-start");
    }
    let send = Box::pin(send_with_retries(ctx, url.to_string(), None, call.priority));
    let result = scheduler::answer("GET", url, call.freshness, send).await;
    if first_call && ctx.flow.with_untracked(|f| f.awaiting_first_call()) {
        browser::mark("wxcc:first-api-end");
        record_first_call(ctx, url, &result);
    }
    result
}

/// GET `url`, or POST `body` (JSON) to it: the answer's JSON, or the error it decodes to.
async fn send_with_retries(
    ctx: Ctx,
    url: String,
    body: Option<String>,
    priority: Priority,
) -> Result<scheduler::Fetched, ApiError> {
    let method = if body.is_some() { "POST" } else { "GET" };
    let response = send_attempts(ctx, method, &url, body, priority).await?;
    if !response.ok() {
        return Err(ApiError::from_response(
            response.status,
            &response.error_headers(),
            &response.body,
            browser::now_ms(),
        ));
    }
    let json = if response.body.trim().is_empty() {
        serde_json::Value::Null
    } else {
        wxcc_core::json::parse(&response.body).map_err(|_| ApiError {
            status: response.status,
            kind: ApiErrorKind::Client,
            message: "The API answered with something that is not JSON.".into(),
            tracking_id: response.tracking_id.clone(),
            error_code: None,
        })?
    };
    Ok(fetched(url, response, json))
}

/// The answer as the scheduler keeps it: the call with its JSON, and the text it came as.
fn fetched(
    url: String,
    response: http::HttpResponse,
    json: serde_json::Value,
) -> scheduler::Fetched {
    scheduler::Fetched {
        call: ApiCall {
            url,
            status: response.status,
            json,
            tracking_id: response.tracking_id,
            elapsed_ms: response.elapsed_ms,
        },
        body: response.body,
    }
}

/// Sends `method` to `url`, each attempt with a token of the shared budget, and returns the last
/// answer whatever its status. Retried only where the API did not process the request: a 401 once
/// after a refresh, a 429 after its Retry-After. A 5xx or a network error is never retried here:
/// for a write it leaves the outcome unknown, which only reading the record back can settle.
async fn send_attempts(
    ctx: Ctx,
    method: &'static str,
    url: &str,
    body: Option<String>,
    priority: Priority,
) -> Result<http::HttpResponse, ApiError> {
    let mut may_refresh = true;
    let mut rate_limit_retries = 0;
    loop {
        scheduler::take_token(ctx, priority).await;
        let session = ctx.session().ok_or_else(not_signed_in)?;
        let token = session.access_token;
        let mut headers = vec![
            ("authorization", format!("Bearer {}", token.secret())),
            ("accept", "application/json".into()),
        ];
        if body.is_some() {
            headers.push(("content-type", "application/json".into()));
        }
        let response = http::send(http::Request {
            method,
            url,
            headers,
            body: body.clone(),
            with_credentials: false,
        })
        .await
        .map_err(|e| ApiError::network(&format!("{e}. Check your connection; if it persists, the API may not allow this origin (CORS).")))?;
        if response.status != 401 && response.status != 429 {
            return Ok(response);
        }
        let error = ApiError::from_response(
            response.status,
            &response.error_headers(),
            &response.body,
            browser::now_ms(),
        );
        match error.kind {
            ApiErrorKind::Unauthorized if may_refresh => {
                may_refresh = false;
                match refresh::after_unauthorized(ctx, &token).await {
                    Ok(()) => continue,
                    Err(RefreshFailure::SessionOver) => return Err(error),
                    Err(RefreshFailure::Unavailable(refresh_error)) => return Err(refresh_error),
                }
            }
            ApiErrorKind::RateLimited { retry_after_secs }
                if rate_limit_retries < MAX_RATE_LIMIT_RETRIES =>
            {
                rate_limit_retries += 1;
                let secs = retry_after_secs.unwrap_or(2).clamp(1, MAX_RETRY_AFTER_SECS);
                // The whole budget pauses, in every tab; the next attempt's token waits it out.
                scheduler::pause(ctx, browser::now_ms() + secs * 1000).await;
            }
            _ => return Ok(response),
        }
    }
}

/// The answer to a write, whatever its status: a bulk endpoint's 207 and a refusal alike are
/// read by the caller (`wxcc_core::provision::bulk_answer`), item by item.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteAnswer {
    pub status: u16,
    pub body: String,
    pub tracking_id: Option<String>,
}

/// Sends `body` (JSON) with `method` (`PATCH`, `PUT`, `POST`) to `path_and_query` on the
/// session's Contact Center API base. `Err` when no answer came (a network error: the outcome is
/// unknown, read the record back) or the session could not be renewed after a 401 (the API did
/// not process it). Only ever called from an action the person took, never on load.
pub async fn write(
    ctx: Ctx,
    method: &'static str,
    path_and_query: &str,
    body: String,
    priority: Priority,
) -> Result<WriteAnswer, ApiError> {
    let base = ctx
        .session()
        .map(|s| s.region_or_api_base.url())
        .unwrap_or_else(|| ctx.config.with_value(|c| c.api_base_url()));
    let url = format!("{}{path_and_query}", base.trim_end_matches('/'));
    let sent_to = url.clone();
    let send = Box::pin(async move {
        let response = send_attempts(ctx, method, &url, Some(body), priority).await?;
        // The scheduler hands back the call, not the text: a body that is not JSON (a proxy's
        // error page) travels as a JSON string and comes back out as it was.
        let json = wxcc_core::json::parse(&response.body)
            .unwrap_or_else(|_| serde_json::Value::String(response.body.clone()));
        Ok(fetched(url, response, json))
    });
    // Every answer counts as a write for the kept lists, whatever its status: a 207 may hold
    // some writes, and a 5xx may have written.
    let call = scheduler::answer(method, &sent_to, Freshness::Refresh, send).await?;
    Ok(WriteAnswer {
        status: call.status,
        body: match call.json {
            serde_json::Value::String(text) => text,
            json => json.to_string(),
        },
        tracking_id: call.tracking_id,
    })
}

fn record_first_call(ctx: Ctx, url: &str, result: &Result<ApiCall, ApiError>) {
    ctx.flow.update(|flow| {
        match result {
            Ok(call) => flow.record(
                Step::FirstApiCall,
                &[
                    ("GET", &call.url),
                    ("Authorization", "Bearer (access token, masked)"),
                    ("status", &call.status.to_string()),
                    ("trackingId", call.tracking_id.as_deref().unwrap_or("—")),
                ],
                Some(call.elapsed_ms),
                true,
            ),
            Err(e) => flow.record(
                Step::FirstApiCall,
                &[("GET", url), ("error", &e.title())],
                None,
                false,
            ),
        }
        crate::flow::save(flow);
    });
}

/// When a session's token does not carry the orgId, asks `GET /v1/people/me` for it (and the
/// inspector says so). Runs whenever a session that needs it appears: after sign-in, on restore.
pub fn look_up_org_when_needed(ctx: Ctx) {
    let needed = crate::load::flag(move || {
        ctx.auth
            .with(|a| matches!(a, Auth::SignedIn(s) if s.needs_org_lookup()))
    });
    crate::load::effect(move || {
        if needed.get() {
            leptos::task::spawn_local(look_up_org(ctx));
        }
    });
}

async fn look_up_org(ctx: Ctx) {
    let url = format!(
        "{}/people/me",
        ctx.config.with_value(|c| c.identity_api_base_url.clone())
    );
    match get_absolute(ctx, &url).await {
        Ok(call) => {
            let me = wxcc_core::model::PeopleMe::from_value(&call.json);
            let org = me
                .org_id
                .as_deref()
                .and_then(wxcc_core::token::decode_people_org_id);
            if let (Some(org), Some(mut session)) = (org, ctx.session()) {
                session.set_org_from_people_api(org);
                ctx.set_session(session);
            }
        }
        Err(e) => leptos::logging::warn!("could not look up the organization: {}", e.title()),
    }
}
