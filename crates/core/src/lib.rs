//! Pure, I/O-free core of the wxcc-console SPA.
//!
//! Nothing in this crate touches the network, storage, clocks or randomness: the SPA shell reads
//! those (WebCrypto, `Date.now()`, sessionStorage, fetch) and passes plain values in. That keeps
//! every decision here testable natively and the wasm small.
//!
//! Times are integer milliseconds since the Unix epoch (`now_ms: u64`, i.e. `Date.now() as u64`).
//!
//! Modules: [`secret`] (redacting newtypes), [`pkce`], [`config`] (`config.json`), [`authorize`],
//! [`callback`], [`dpop`] (handle mode's proofs of possession), [`token`] (orgId/ciCluster),
//! [`expiry`], [`session`], [`proxy_protocol`] (the token proxy's wire contract), [`scopes`],
//! [`rsql`],
//! [`list_query`], [`curl`], [`api_error`], [`scheduler`] (the API budget shared by the tabs),
//! [`calendar`] (dates as days since 1970), [`route`], [`provision`] (bulk onboarding from CSV),
//! [`web_url`].

pub mod activity;
pub mod api_error;
pub mod authorize;
pub mod calendar;
pub mod callback;
pub mod catalogue;
pub mod chart;
pub mod config;
pub mod csv;
pub mod curl;
pub mod dpop;
pub mod expiry;
pub mod flow_log;
pub mod html;
pub mod json;
pub mod list_query;
pub mod model;
pub mod pkce;
pub mod provision;
pub mod proxy_protocol;
pub mod return_path;
pub mod route;
pub mod rsql;
pub mod scheduler;
pub mod scopes;
pub mod secret;
pub mod session;
pub mod tab_message;
pub mod table;
pub mod token;
pub mod web_url;
