//! Sign-out that holds: `/logout` records the session's id here until the session's absolute end,
//! and `/refresh` (and the probe) refuse every sealed value carrying a recorded id, the current one
//! and every earlier re-sealed one alike (they share the id, not the bytes).
//!
//! Two stores, chosen by `WXCC_PROXY_REVOCATION_STORE`:
//! - [`InProcess`] (`memory`, the default): a bounded map in the process. Right for ONE standalone
//!   server only: each Lambda instance, or each of several servers, would have its own, and a
//!   restart forgets every sign-out.
//! - [`DynamoDb`] (`dynamodb`): a table with TTL on an epoch-seconds attribute, shared by every
//!   instance (Lambda, several servers).

mod dynamodb;
mod memory;

pub use dynamodb::{DynamoDb, DynamoDbSettings, EXPIRES_AT_ATTRIBUTE, SESSION_ID_ATTRIBUTE};
pub use memory::{InProcess, MAX_IN_PROCESS_ENTRIES};

use crate::sealing::SessionId;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a store call returns, boxed so stores can sit behind one `dyn` type.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where revoked session ids are kept until their session's end.
pub trait RevocationStore: Send + Sync + fmt::Debug {
    /// Records `id` as revoked until `until` (unix seconds: the session's absolute end, after which
    /// every value of it is refused anyway). `now` lets a bounded store drop what has ended.
    fn revoke<'a>(&'a self, id: &'a SessionId, until: u64, now: u64) -> StoreFuture<'a, ()>;

    /// Whether `id` was revoked and its record still runs at `now`.
    fn is_revoked<'a>(&'a self, id: &'a SessionId, now: u64) -> StoreFuture<'a, bool>;
}

/// A store that failed: what failed, in words for the log (never a secret, never a session id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which store the configuration chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    InProcess,
    DynamoDb(DynamoDbSettings),
}

/// The store `choice` names.
pub fn open_store(choice: &StoreChoice) -> Arc<dyn RevocationStore> {
    match choice {
        StoreChoice::InProcess => Arc::new(InProcess::new(MAX_IN_PROCESS_ENTRIES)),
        StoreChoice::DynamoDb(settings) => Arc::new(DynamoDb::new(settings)),
    }
}
