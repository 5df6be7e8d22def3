//! The app state every module shares: one `Auth` enum in an `RwSignal` and the few signals beside
//! it, provided through context. The lowest layer with `flow`, `http` and `browser`: it imports
//! none of `auth`, `api` or `views`, which all build on it.

use leptos::prelude::*;
use wxcc_core::callback::CallbackError;
use wxcc_core::config::{AppConfig, ProxyMode};
use wxcc_core::session::SessionRecord;

use crate::browser::storage;
use crate::flow::FlowLog;

/// The sessionStorage key of the tab's session record. Nothing goes to localStorage: a session
/// ends with its tab.
pub const SESSION_KEY: &str = "wxcc.session";

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
    /// Until when (ms) a 429 pauses every API call of every tab, shown as a countdown while it
    /// lies ahead.
    pub retry_until: RwSignal<u64>,
    /// How many of this tab's API calls wait for the shared API budget (shown as a status).
    pub api_queued: RwSignal<u32>,
    /// How many refreshes this tab has done (shown in the inspector).
    pub refreshes: RwSignal<u32>,
    /// What the inspector should say about the last refresh (e.g. Webex returned the same token);
    /// empty when nothing.
    pub refresh_note: RwSignal<String>,
    /// What went wrong with the last sign-out's call to the proxy (shown with "Retry sign-out");
    /// empty when nothing did.
    pub sign_out_problem: RwSignal<String>,
    /// For how many days the proxy offers "Keep me signed in on this device" (its probe says so;
    /// 0 = not offered).
    pub remember_days: RwSignal<u32>,
    /// Where the views' calls go: the session's API base (the region switcher's value) and its
    /// orgId (known late when it comes from /v1/people/me). Views use it as a source of their
    /// loads, so a region switch or the orgId arriving refetches; a token refresh changes neither,
    /// so it refetches nothing.
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
            api_queued: RwSignal::new(0),
            refreshes: RwSignal::new(0),
            refresh_note: RwSignal::new(String::new()),
            sign_out_problem: RwSignal::new(String::new()),
            remember_days: RwSignal::new(0),
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

    /// The session, if signed in and not past its absolute end (not tracked: for use inside
    /// async tasks). Past the end there is none, so no call goes out with its token even before
    /// the tick signs the tab out.
    pub fn session(&self) -> Option<SessionRecord> {
        let now = crate::browser::now_ms();
        self.auth.with_untracked(|a| match a {
            Auth::SignedIn(s) if !s.has_ended(now) => Some(s.clone()),
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

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}
