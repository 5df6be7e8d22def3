//! Configuration records as writes leave them. Reads and writes see the seed's records of a kind
//! until the first write to that kind in an org; from then on a copy, which writes change in place
//! (copy on write: a read holds an `Arc` of the list it started with, so it never sees half of a
//! write). One lock covers every org's written kinds, so a bulk request's items and the membership
//! lists they touch change together. Writes last for the sandbox's lifetime (or until the control
//! endpoint's `reset_writes`).

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

use crate::seed::{Collection, OrgData};

/// Every written kind of every org, and the last `lastUpdatedTime` given out.
#[derive(Debug, Default)]
pub struct LiveRecords(Mutex<Written>);

#[derive(Debug, Default)]
struct Written {
    kinds: BTreeMap<(String, Collection), Arc<Vec<Value>>>,
    last_stamp_ms: i64,
}

/// The records of one kind as they stand: the seed's, or the written copy.
pub enum Records<'a> {
    Seeded(&'a [Value]),
    Written(Arc<Vec<Value>>),
}

impl Deref for Records<'_> {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        match self {
            Records::Seeded(records) => records,
            Records::Written(records) => records,
        }
    }
}

impl LiveRecords {
    fn lock(&self) -> MutexGuard<'_, Written> {
        // A panic while holding the lock leaves whole records behind; keep serving.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The records of `collection` in `org` (whose seeded data is `seed`).
    pub fn records<'a>(&self, org: &str, seed: &'a OrgData, collection: Collection) -> Records<'a> {
        match self.lock().kinds.get(&(org.to_string(), collection)) {
            Some(written) => Records::Written(written.clone()),
            None => Records::Seeded(seed.records(collection)),
        }
    }

    /// Runs `change` with write access to `org`'s records, all under one lock.
    pub fn write<R>(
        &self,
        org: &str,
        seed: &OrgData,
        change: impl FnOnce(&mut OrgWrite<'_>) -> R,
    ) -> R {
        let mut written = self.lock();
        let mut access = OrgWrite {
            org,
            seed,
            written: &mut written,
        };
        change(&mut access)
    }

    /// Forgets every write: reads see the seed again.
    pub fn reset(&self) {
        self.lock().kinds.clear();
    }
}

/// Write access to one org's configuration records.
pub struct OrgWrite<'a> {
    org: &'a str,
    seed: &'a OrgData,
    written: &'a mut Written,
}

impl OrgWrite<'_> {
    pub fn org(&self) -> &str {
        self.org
    }

    /// The records of `collection` as they stand.
    pub fn records(&self, collection: Collection) -> &[Value] {
        match self.written.kinds.get(&(self.org.to_string(), collection)) {
            Some(written) => written,
            None => self.seed.records(collection),
        }
    }

    /// The record of `collection` with this `id`.
    pub fn record(&self, collection: Collection, id: &str) -> Option<&Value> {
        self.records(collection)
            .iter()
            .find(|r| r["id"].as_str() == Some(id))
    }

    /// The records of `collection`, to change (copied from the seed on the first write).
    pub fn records_mut(&mut self, collection: Collection) -> &mut Vec<Value> {
        let seed = self.seed;
        let list = self
            .written
            .kinds
            .entry((self.org.to_string(), collection))
            .or_insert_with(|| Arc::new(seed.records(collection).to_vec()));
        Arc::make_mut(list)
    }

    /// The record of `collection` with this `id`, to change.
    pub fn record_mut(&mut self, collection: Collection, id: &str) -> Option<&mut Value> {
        self.records_mut(collection)
            .iter_mut()
            .find(|r| r["id"].as_str() == Some(id))
    }

    /// A `lastUpdatedTime` for a write now: the clock, or one millisecond after the last one given
    /// out when the clock has not moved on, so every write moves it.
    pub fn stamp(&mut self, now_ms: i64) -> i64 {
        let stamp = now_ms.max(self.written.last_stamp_ms + 1);
        self.written.last_stamp_ms = stamp;
        stamp
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn seed() -> OrgData {
        let mut data = OrgData::default();
        data.collections
            .insert(Collection::Team, vec![json!({"id": "t1", "name": "A"})]);
        data
    }

    #[test]
    fn reads_see_the_seed_until_a_write_and_keep_what_they_started_with() {
        let (live, seed) = (LiveRecords::default(), seed());
        let before = live.records("o", &seed, Collection::Team);
        assert!(matches!(before, Records::Seeded(_)));
        live.write("o", &seed, |w| {
            w.record_mut(Collection::Team, "t1").unwrap()["name"] = json!("B");
        });
        assert_eq!(before[0]["name"], "A");
        assert_eq!(live.records("o", &seed, Collection::Team)[0]["name"], "B");
        assert_eq!(seed.records(Collection::Team)[0]["name"], "A");
        assert!(live.records("other", &seed, Collection::Team)[0]["name"] == "A");
        live.reset();
        assert_eq!(live.records("o", &seed, Collection::Team)[0]["name"], "A");
    }

    #[test]
    fn stamps_always_move_forward() {
        let (live, seed) = (LiveRecords::default(), seed());
        let stamps: Vec<i64> = (0..3)
            .map(|_| live.write("o", &seed, |w| w.stamp(1_000)))
            .collect();
        assert_eq!(stamps, [1_000, 1_001, 1_002]);
        assert_eq!(live.write("o", &seed, |w| w.stamp(5_000)), 5_000);
    }
}
