//! Who may call: the guard every API request passes (faults, latency, token, rate limit) and the
//! per-endpoint checks after it (scope, role, organization).

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;

use super::error::ApiError;
use crate::http_util::{Credentials, credentials};
use crate::seed::{OrgData, Role};
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

/// Faults, latency, authentication and rate limiting, in that order, before any API handler.
pub async fn guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    admit(&state, &mut request).await.map_err(|e| {
        // Webex documents its 429s as carrying CORS headers but no body; the spec gives them one.
        if e.status == StatusCode::TOO_MANY_REQUESTS && !state.store().faults.knobs.json_429 {
            e.without_body()
        } else {
            e
        }
    })?;
    Ok(next.run(request).await)
}

async fn admit(state: &AppState, request: &mut Request) -> Result<(), ApiError> {
    let cfg = state.config();
    let latency = state.store().faults.knobs.latency_ms;
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
    // Webex Contact Center: 400 for a missing or malformed header, 401 for a bad token in a good one.
    let token = match credentials(request.headers()) {
        Credentials::Bearer(token) => token,
        Credentials::Missing => {
            return Err(ApiError::bad_request(
                "Missing Authorization header: send Authorization: Bearer <access token>.",
            ));
        }
        Credentials::Malformed => {
            return Err(ApiError::bad_request(
                "Invalid Authorization header: it must be of the form Bearer <access token>.",
            ));
        }
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

impl Caller {
    /// A 403 saying `message` unless the token holds one of `scopes`.
    pub fn require_scope(&self, scopes: &[&str], message: &str) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| scopes.contains(&s.as_str())) {
            Ok(())
        } else {
            Err(ApiError::forbidden(message))
        }
    }

    /// A 403 saying `message` unless the user is an administrator.
    pub fn require_admin(&self, message: &str) -> Result<(), ApiError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::forbidden(message))
        }
    }
}

/// Scope, then role: configuration and analytics need a read scope and the admin role.
pub fn authorize_read(caller: &Caller) -> Result<(), ApiError> {
    caller.require_scope(
        READ_SCOPES,
        "The access token is missing the required scope cjp:config_read (or cjp:config). Sign in again requesting it.",
    )?;
    caller.require_admin(
        "The user is missing the admin role: only Contact Center administrators can read this resource.",
    )
}

pub fn check_org(caller: &Caller, org: &str) -> Result<(), ApiError> {
    if org != caller.org_id {
        return Err(ApiError::forbidden(format!(
            "The access token is not valid for organization {org}; use your own organization id ({}).",
            caller.org_id
        )));
    }
    Ok(())
}

/// The seeded data of `org`, which must be the caller's.
pub fn own_org<'a>(
    state: &'a AppState,
    caller: &Caller,
    org: &str,
) -> Result<&'a OrgData, ApiError> {
    check_org(caller, org)?;
    state
        .seed()
        .orgs
        .get(org)
        .ok_or_else(|| ApiError::forbidden(format!("Unknown organization {org}.")))
}
