//! The state every request shares: the session mode, the allowed origins, the sealer, the client
//! registration, the upstream endpoint, the rate limiter, the session rules and the clock. Its own
//! module so the router (`app`) and the endpoints (`handlers`) both import it and neither imports
//! the other back.

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ServerLimits};
use crate::dpop::{ProofRules, ProofVerifier};
use crate::lifetime::SessionRules;
use crate::limiter::RateLimiter;
use crate::mode::SessionMode;
use crate::revocation::{self, RevocationStore};
use crate::sealing::Sealer;
use crate::transport::TokenEndpoint;
use crate::upstream::ClientRegistration;
use std::sync::Arc;

/// Everything a request needs, shared by all requests.
#[derive(Clone, Debug)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) mode: SessionMode,
    pub(crate) allowed_origins: Vec<String>,
    pub(crate) sealer: Sealer,
    pub(crate) client: ClientRegistration,
    pub(crate) endpoint: TokenEndpoint,
    pub(crate) limiter: RateLimiter,
    pub(crate) sessions: SessionRules,
    pub(crate) clock: Arc<dyn Clock>,
    /// The sessions signed out before their end (see `revocation`).
    pub(crate) revocations: Arc<dyn RevocationStore>,
    /// Handle mode's proof checks and the jtis already used (in-process: see `dpop`).
    pub(crate) proofs: ProofVerifier,
    /// Timeouts, the concurrency limit and the CDN's origin secret (see `config::server`).
    pub(crate) limits: ServerLimits,
}

impl AppState {
    pub fn new(config: &Config) -> Result<Self, String> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// [`AppState::new`] reading the time from `clock` (tests move a [`crate::clock::ManualClock`]).
    pub fn with_clock(config: &Config, clock: Arc<dyn Clock>) -> Result<Self, String> {
        let endpoint = TokenEndpoint::new(config.token_endpoint.clone(), config.upstream_timeout)
            .map_err(|e| {
            format!("cannot build the HTTP client for the token endpoint: {e}; check the TLS setup")
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                mode: config.mode,
                allowed_origins: config.allowed_origins.clone(),
                sealer: config.sealer.clone(),
                client: ClientRegistration {
                    client_id: config.client_id.clone(),
                    client_secret: config.client_secret.clone(),
                    redirect_uri: config.redirect_uri.clone(),
                },
                endpoint,
                limiter: RateLimiter::per_minute(config.rate_limit_per_minute),
                sessions: config.sessions,
                clock,
                revocations: revocation::open_store(&config.revocation),
                proofs: ProofVerifier::new(ProofRules::default()),
                limits: config.limits.clone(),
            }),
        })
    }

    pub fn mode(&self) -> SessionMode {
        self.inner.mode
    }

    pub(crate) fn now_unix(&self) -> u64 {
        self.inner.clock.now_unix()
    }
}
