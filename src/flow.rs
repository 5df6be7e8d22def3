//! The grant-flow log ([`wxcc_core::flow_log`]) in this tab's sessionStorage.

pub use wxcc_core::flow_log::{FlowLog, Step};

use crate::browser::storage;

pub fn load() -> FlowLog {
    storage::get(super::auth::FLOW_KEY)
        .and_then(|text| FlowLog::from_json(&text))
        .unwrap_or_default()
}

pub fn save(log: &FlowLog) {
    let _ = storage::set(super::auth::FLOW_KEY, &log.to_json());
}
