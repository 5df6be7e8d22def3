//! Shared, in-memory sandbox state: pending sign-ins, codes, tokens, fault counters, rate windows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::config::{Knobs, SandboxConfig};
use crate::live::{LiveRecords, OrgWrite, Records};
use crate::seed::{self, Collection, SeedData, SignInUser};

/// A sign-in the consent page is waiting on, keyed by an opaque transaction id.
#[derive(Debug, Clone)]
pub struct PendingAuthorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub expires_at_ms: i64,
}

/// An authorization code waiting to be redeemed once.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub user_key: String,
    pub scopes: Vec<String>,
    pub code_challenge: Option<String>,
    pub expires_at_ms: i64,
}

/// What a token grants: who, through which client, with which scopes, from when until when.
#[derive(Debug, Clone)]
pub struct Grant {
    pub user_key: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub issued_at_ms: i64,
    pub expires_at_ms: i64,
}

/// What the control endpoint shows and changes: the counters and the run-time-only switch, and the
/// configuration's knobs, starting from the configuration's values. Serialized flat, one field per
/// knob, as `GET /_sandbox/faults` shows it and `POST` names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// The next N API requests answer 429.
    pub force_429: u32,
    /// The next N API requests answer 503.
    pub force_5xx: u32,
    /// Issue access tokens without the `_<ciCluster>_<orgId>` tail from now on.
    pub opaque_tokens: bool,
    #[serde(flatten)]
    pub knobs: Knobs,
}

impl Faults {
    pub fn from_config(config: &SandboxConfig) -> Faults {
        Faults {
            force_429: 0,
            force_5xx: 0,
            opaque_tokens: false,
            knobs: config.knobs.clone(),
        }
    }
}

/// Mutable state behind one lock; no lock is held across an await.
#[derive(Debug)]
pub struct Store {
    pub pending: HashMap<String, PendingAuthorization>,
    pub codes: HashMap<String, IssuedCode>,
    /// Redeemed codes and the access token each produced, so a replayed code revokes it (RFC 6749 §4.1.2).
    pub used_codes: HashMap<String, String>,
    pub access_tokens: HashMap<String, Grant>,
    pub refresh_tokens: HashMap<String, Grant>,
    /// The access token each refresh token produced last, for stable refresh.
    pub last_access_token: HashMap<String, String>,
    pub faults: Faults,
    /// Per-client fixed one-minute windows: (window start ms, requests in it).
    pub rate_windows: HashMap<String, (i64, u32)>,
}

impl Store {
    fn new(config: &SandboxConfig) -> Store {
        Store {
            pending: HashMap::new(),
            codes: HashMap::new(),
            used_codes: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            last_access_token: HashMap::new(),
            faults: Faults::from_config(config),
            rate_windows: HashMap::new(),
        }
    }
}

/// Cheap-to-clone handle shared by both routers.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: SandboxConfig,
    pub seed: SeedData,
    store: Mutex<Store>,
    /// The configuration records writes have changed.
    live: LiveRecords,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.0.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Seeds the data from `config.seed`; task times are anchored at the start of the current UTC hour.
    pub fn new(config: SandboxConfig) -> AppState {
        let seed = seed::generate(config.seed, seed::hour_floor(now_ms()));
        let store = Mutex::new(Store::new(&config));
        AppState(Arc::new(Inner {
            config,
            seed,
            store,
            live: LiveRecords::default(),
        }))
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.0.config
    }

    pub fn seed(&self) -> &SeedData {
        &self.0.seed
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.0
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The configuration records of `collection` in `org` as writes have left them (empty for an
    /// org the seed does not have).
    pub fn records(&self, org: &str, collection: Collection) -> Records<'_> {
        match self.0.seed.orgs.get(org) {
            Some(seed) => self.0.live.records(org, seed, collection),
            None => Records::Seeded(&[]),
        }
    }

    /// Runs `change` with write access to `org`'s configuration records; `None` for an org the
    /// seed does not have.
    pub fn write<R>(&self, org: &str, change: impl FnOnce(&mut OrgWrite<'_>) -> R) -> Option<R> {
        let seed = self.0.seed.orgs.get(org)?;
        Some(self.0.live.write(org, seed, change))
    }

    /// Returns every org's configuration records to the seed's.
    pub fn reset_writes(&self) {
        self.0.live.reset();
    }

    /// Org of the admin and agent sign-in users.
    pub fn primary_org_id(&self) -> &str {
        &self.0.seed.primary_org_id
    }

    /// Org of the `other-org-admin` sign-in user.
    pub fn second_org_id(&self) -> &str {
        &self.0.seed.second_org_id
    }

    /// The users offered on the consent page.
    pub fn sign_in_users(&self) -> &[SignInUser] {
        &self.0.seed.sign_in_users
    }

    pub fn sign_in_user(&self, key: &str) -> Option<&SignInUser> {
        self.0.seed.sign_in_users.iter().find(|u| u.key == key)
    }

    /// The grant behind a live access token, or why there is none.
    pub fn access_grant(&self, token: &str) -> Result<Grant, TokenProblem> {
        let store = self.store();
        match store.access_tokens.get(token) {
            None => Err(TokenProblem::Unknown),
            Some(g) if g.expires_at_ms <= now_ms() => Err(TokenProblem::Expired),
            Some(g) => Ok(g.clone()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Expired,
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
