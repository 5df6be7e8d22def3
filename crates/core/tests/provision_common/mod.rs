//! The organisation the provisioning tests resolve against, built from list answers as the
//! console reads them (so the readers of `UserResponseDTO` and of named records are exercised).

#![allow(dead_code)] // Each test file uses a different part.

use serde_json::{Value, json};
use wxcc_core::provision::directory::{Directory, DirectoryUser, NamedRecord};
use wxcc_core::provision::resolve::{Resolution, ResolveOptions, resolve};
use wxcc_core::provision::template::read_upload;

fn named(records: Value) -> Vec<NamedRecord> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| NamedRecord::from_value(r).expect("fixture record"))
        .collect()
}

pub fn directory() -> Directory {
    let users = json!([
        {"id": "u-ann", "email": "Ann@Example.com", "teamIds": ["t-sales"], "siteId": "s-main",
         "skillProfileId": "sp-std", "agentProfileId": "dp-agent", "multimediaProfileId": "mm-voice",
         "contactCenterEnabled": true, "version": 3, "lastUpdatedTime": 1_739_145_600_000u64},
        {"id": "u-bob", "email": "bob@example.com", "teamIds": [], "contactCenterEnabled": false,
         "version": 1, "lastUpdatedTime": 1_739_000_000_000u64},
        {"id": "u-cat", "email": "cat@example.com", "teamIds": ["t-support"], "siteId": "s-east",
         "agentProfileId": "dp-agent", "contactCenterEnabled": true, "version": 7},
        {"id": "u-twin1", "email": "twin@example.com"},
        {"id": "u-twin2", "email": "TWIN@example.com"}
    ]);
    Directory {
        users: users
            .as_array()
            .unwrap()
            .iter()
            .map(|u| DirectoryUser::from_value(u).expect("fixture user"))
            .collect(),
        teams: named(json!([
            {"id": "t-sales", "name": "Sales", "siteId": "s-main"},
            {"id": "t-support", "name": "Support", "siteId": "s-east"},
            {"id": "t-night-main", "name": "Night", "siteId": "s-main"},
            {"id": "t-night-east", "name": "night", "siteId": "s-east"},
            {"id": "t-formula", "name": "=SUM(A1)", "siteId": "s-main"}
        ])),
        sites: named(json!([
            {"id": "s-main", "name": "Main site"},
            {"id": "s-east", "name": "East"}
        ])),
        skill_profiles: named(json!([
            {"id": "sp-std", "name": "Standard skills"},
            {"id": "sp-gold1", "name": "Gold"},
            {"id": "sp-gold2", "name": " gold "}
        ])),
        desktop_profiles: named(json!([
            {"id": "dp-agent", "name": "Agent desktop"},
            {"id": "dp-super", "name": "Supervisor desktop"}
        ])),
        multimedia_profiles: named(json!([
            {"id": "mm-voice", "name": "Voice and chat"},
            {"id": "mm-all", "name": "Everything"}
        ])),
    }
}

/// The template's header, in its order.
pub const HEADER: &str =
    "email,teams,site,skill profile,desktop profile,multimedia profile,Contact Center enabled";

/// Reads and resolves a CSV text against [`directory`].
pub fn resolve_text(text: &str, options: ResolveOptions) -> Resolution {
    let upload = read_upload(text.as_bytes()).expect("the file is read");
    resolve(&upload, &directory(), options)
}
