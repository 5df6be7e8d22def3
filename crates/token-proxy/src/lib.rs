//! wxcc-token-proxy: a small, stateless token-mediating backend (IETF browser-based-apps BCP §6.2).
//!
//! Layout: a pure core ([`request`], [`upstream`], [`sealing`], [`session`], [`lifetime`], [`config`]) with no I/O, and thin
//! adapters: [`transport`] (the upstream HTTP call), [`app`] (the axum `Router`, over the shared [`state`]), [`server`] (the standalone accept
//! loop), [`lambda`] (Lambda host) and the two binaries.

pub mod app;
pub mod clock;
pub mod config;
pub mod dpop;
pub mod error;
mod handlers;
pub mod lambda;
pub mod lifetime;
pub mod limiter;
pub mod logging;
pub mod mode;
mod policy;
pub mod request;
pub mod revocation;
pub mod sealing;
pub mod secrets_manager;
pub mod server;
pub mod session;
pub mod state;
pub mod transport;
pub mod upstream;

pub use app::{ClientIp, app};
pub use config::{Command, Config, ConfigError};
pub use error::{ErrorCode, ProxyError};
pub use request::SessionMode;
pub use state::AppState;
pub use wxcc_core::secret::Secret;
