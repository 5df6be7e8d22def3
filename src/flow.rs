//! The grant-flow log ([`wxcc_core::flow_log`]) in this tab's sessionStorage.

pub use wxcc_core::flow_log::{FlowLog, Step};

use crate::browser::storage;

/// The sessionStorage key of the grant-flow log.
pub const FLOW_KEY: &str = "wxcc.flow";

pub fn load() -> FlowLog {
    storage::get(FLOW_KEY)
        .and_then(|text| FlowLog::from_json(&text))
        .unwrap_or_default()
}

pub fn save(log: &FlowLog) {
    let _ = storage::set(FLOW_KEY, &log.to_json());
}

/// Forgets the log (sign-out): the next sign-in starts a new one.
pub fn clear() {
    storage::remove(FLOW_KEY);
}
