//! The in-process revocation store: for a single standalone server. Bounded: ended records are
//! dropped when the map fills, and a map full of running ones refuses the next sign-out (an error
//! the user sees) rather than forgetting an earlier one.

use super::{RevocationStore, StoreError, StoreFuture};
use crate::sealing::SessionId;
use std::collections::HashMap;
use std::sync::Mutex;

/// How many revoked sessions one process keeps at most. Each needs a real sign-in at Webex first,
/// so filling it is costly; the bound keeps memory fixed whatever happens.
pub const MAX_IN_PROCESS_ENTRIES: usize = 100_000;

#[derive(Debug)]
pub struct InProcess {
    /// Session id → the end of its record (unix seconds).
    revoked: Mutex<HashMap<SessionId, u64>>,
    capacity: usize,
}

impl InProcess {
    pub fn new(capacity: usize) -> Self {
        Self {
            revoked: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// Records held now, ended or not (for tests of the bound).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, u64>> {
        // A panic while holding the lock leaves the map consistent (single inserts/removes).
        self.revoked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn record(&self, id: &SessionId, until: u64, now: u64) -> Result<(), StoreError> {
        let mut revoked = self.lock();
        if revoked.len() >= self.capacity && !revoked.contains_key(id) {
            revoked.retain(|_, end| *end > now);
            if revoked.len() >= self.capacity {
                return Err(StoreError(format!(
                    "the in-process revocation store holds {} running sign-outs, its limit; \
                     use WXCC_PROXY_REVOCATION_STORE=dynamodb for this many sessions",
                    revoked.len()
                )));
            }
        }
        let end = revoked.entry(*id).or_insert(until);
        *end = (*end).max(until);
        Ok(())
    }
}

impl RevocationStore for InProcess {
    fn revoke<'a>(&'a self, id: &'a SessionId, until: u64, now: u64) -> StoreFuture<'a, ()> {
        let result = self.record(id, until, now);
        Box::pin(async move { result })
    }

    fn is_revoked<'a>(&'a self, id: &'a SessionId, now: u64) -> StoreFuture<'a, bool> {
        let revoked = self.lock().get(id).is_some_and(|end| *end > now);
        Box::pin(async move { Ok(revoked) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_revoked_id_is_refused_until_its_end_and_others_are_not() {
        let store = InProcess::new(10);
        let (signed_out, other) = (SessionId::random(), SessionId::random());
        store.revoke(&signed_out, 1_000, 100).await.unwrap();
        assert!(store.is_revoked(&signed_out, 999).await.unwrap());
        assert!(!store.is_revoked(&signed_out, 1_000).await.unwrap());
        assert!(!store.is_revoked(&other, 500).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_store_drops_ended_records_and_refuses_rather_than_forgets() {
        let store = InProcess::new(2);
        let ids: Vec<SessionId> = (0..4).map(|_| SessionId::random()).collect();
        store.revoke(&ids[0], 200, 100).await.unwrap();
        store.revoke(&ids[1], 900, 100).await.unwrap();
        // At 300 the first record has ended: it makes room.
        store.revoke(&ids[2], 900, 300).await.unwrap();
        assert_eq!(store.len(), 2);
        assert!(!store.is_revoked(&ids[0], 150).await.unwrap());
        // Both running: the next sign-out is refused, the earlier ones still hold.
        let refused = store.revoke(&ids[3], 900, 300).await.unwrap_err();
        assert!(refused.0.contains("dynamodb"), "{refused}");
        assert!(store.is_revoked(&ids[1], 300).await.unwrap());
        assert!(store.is_revoked(&ids[2], 300).await.unwrap());
        // Revoking a held id again needs no room.
        store.revoke(&ids[1], 950, 300).await.unwrap();
    }
}
