//! Auth state: one enum in an `RwSignal`, provided through context, plus the storage it mirrors.

pub mod callback;
pub mod proxy;
pub mod refresh;
pub mod signin;

use leptos::prelude::*;
use wxcc_core::callback::CallbackError;
use wxcc_core::config::{AppConfig, ProxyMode};
use wxcc_core::session::SessionRecord;

use crate::browser::storage;
use crate::flow::FlowLog;

/// sessionStorage keys. Nothing here goes to localStorage: a session ends with its tab.
pub const SESSION_KEY: &str = "wxcc.session";
pub const PENDING_KEY: &str = "wxcc.pending";
pub const FLOW_KEY: &str = "wxcc.flow";

/// Where the tab stands in the grant.
#[derive(Clone, Debug, PartialEq)]
pub enum Auth {
    /// Looking for a session (stored in this tab, or restorable through the proxy's cookie).
    Restoring,
    SignedOut {
        notice: Option<String>,
    },
    /// On the way to the authorize page.
    Redirecting,
    /// Back at the callback, exchanging the code.
    Exchanging,
    SignedIn(SessionRecord),
    /// The callback or the exchange failed; the screen says why and offers "Sign in again".
    Failed(CallbackError),
}

/// Everything the views share, `Copy` so closures can capture it freely.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub config: StoredValue<AppConfig>,
    pub auth: RwSignal<Auth>,
    pub flow: RwSignal<FlowLog>,
    /// Wall clock in ms, ticking every second for countdowns and proactive refresh.
    pub now: RwSignal<u64>,
    /// Until when (ms) a rate-limited call waits before it retries, shown as a countdown; 0 when
    /// none is waiting.
    pub retry_until: RwSignal<u64>,
    /// How many refreshes this tab has done (shown in the inspector).
    pub refreshes: RwSignal<u32>,
    pub refresher: StoredValue<refresh::Refresher, LocalStorage>,
    /// Where the views' calls go: the session's API base (the region switcher's value) and its
    /// orgId (known late when it comes from /v1/people/me). Views track it, so a region switch or
    /// the orgId arriving refetches; a token refresh changes neither, so it refetches nothing.
    pub api_target: Memo<Option<(String, Option<String>)>>,
}

impl Ctx {
    pub fn new(config: AppConfig) -> Ctx {
        let auth = RwSignal::new(Auth::Restoring);
        Ctx {
            config: StoredValue::new(config),
            auth,
            flow: RwSignal::new(crate::flow::load()),
            now: RwSignal::new(crate::browser::now_ms()),
            retry_until: RwSignal::new(0),
            refreshes: RwSignal::new(0),
            refresher: StoredValue::new_local(refresh::Refresher::default()),
            api_target: Memo::new(move |_| {
                auth.with(|a| match a {
                    Auth::SignedIn(s) => Some((s.region_or_api_base.url(), s.org_id.clone())),
                    _ => None,
                })
            }),
        }
    }

    /// Whether the tab is signed in (tracked).
    pub fn signed_in(&self) -> bool {
        self.auth.with(|a| matches!(a, Auth::SignedIn(_)))
    }

    /// Whether the tab is signed in with granted scopes that pass `check` (tracked).
    pub fn granted(&self, check: impl FnOnce(&[String]) -> bool) -> bool {
        self.auth.with(|a| match a {
            Auth::SignedIn(s) => check(&s.granted_scopes),
            _ => false,
        })
    }

    pub fn cookie_mode(&self) -> bool {
        self.config
            .with_value(|c| c.proxy_mode == ProxyMode::Cookie)
    }

    /// The session, if signed in (not tracked: for use inside async tasks).
    pub fn session(&self) -> Option<SessionRecord> {
        self.auth.with_untracked(|a| match a {
            Auth::SignedIn(s) => Some(s.clone()),
            _ => None,
        })
    }

    /// Stores and shows a (new or refreshed) session.
    pub fn set_session(&self, session: SessionRecord) {
        if let Err(e) = storage::set(SESSION_KEY, &session.encode()) {
            leptos::logging::warn!("the session could not be saved in this tab: {e}");
        }
        self.auth.set(Auth::SignedIn(session));
    }

    /// Ends the session locally with a notice (the proxy's cookie is cleared by `sign_out`).
    pub fn end_session(&self, notice: impl Into<String>) {
        storage::remove(SESSION_KEY);
        self.auth.set(Auth::SignedOut {
            notice: Some(notice.into()),
        });
    }
}

/// Points the session at another region (or back at the configured API base), for this tab.
pub fn switch_api_base(ctx: Ctx, base: wxcc_core::config::ApiBase) {
    if let Some(mut session) = ctx.session() {
        session.region_or_api_base = base;
        ctx.set_session(session);
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// Called once at start-up (not on the callback page): the tab's stored session, else a silent
/// restore through the proxy's cookie, else signed out.
pub fn restore(ctx: Ctx) {
    match storage::get(SESSION_KEY).map(|text| SessionRecord::decode(&text)) {
        Some(Ok(session)) => {
            ctx.auth.set(Auth::SignedIn(session));
            refresh::ensure_org(ctx);
        }
        Some(Err(problem)) => ctx.end_session(problem.notice()),
        None if ctx.cookie_mode() => {
            leptos::task::spawn_local(async move {
                match refresh::restore_from_cookie(ctx).await {
                    Some(session) => {
                        ctx.set_session(session);
                        refresh::ensure_org(ctx);
                    }
                    None => ctx.auth.set(Auth::SignedOut { notice: None }),
                }
            });
        }
        None => ctx.auth.set(Auth::SignedOut { notice: None }),
    }
}

/// Clears this tab's session, asks the proxy to drop the sealed refresh token, and optionally
/// continues to Webex's own logout page.
pub async fn sign_out(ctx: Ctx, also_webex: bool) {
    storage::remove(SESSION_KEY);
    storage::remove(FLOW_KEY);
    let config = ctx.config.get_value();
    proxy::logout(&config).await;
    ctx.flow.set(FlowLog::default());
    ctx.auth.set(Auth::SignedOut {
        notice: Some("You are signed out.".into()),
    });
    if also_webex && let Some(url) = &config.logout_url {
        let _ = crate::browser::navigate_away(url);
    }
}
