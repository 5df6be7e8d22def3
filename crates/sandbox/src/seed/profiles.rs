//! Profiles and codes: multimedia, user (access), skill and desktop (agent) profiles, skills,
//! work types and the idle/wrap-up codes that belong to them.

use serde_json::{Value, json};

use super::{Collection, OrgData, field, record};
use crate::ids::SeededRng;

/// Business functions that name skills, skill profiles, teams and queues.
pub(super) const FUNCTIONS: &[&str] = &[
    "Sales",
    "Support",
    "Billing",
    "Onboarding",
    "Retention",
    "Technical",
];
const IDLE_CODES: &[&str] = &[
    "Break",
    "Lunch",
    "Meeting",
    "Training",
    "Coaching",
    "Email Follow-up",
    "Personal",
];
pub(super) const WRAPUP_CODES: &[&str] = &[
    "Resolved",
    "Escalated",
    "Callback Scheduled",
    "Sale",
    "No Answer",
    "Wrong Number",
];

/// The first is every site's, team's and user's default.
pub(super) fn multimedia_profiles(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        ("Blended Default", "BLENDED", 1, 3, 5, 3),
        ("Telephony Only", "EXCLUSIVE", 1, 0, 0, 0),
        ("Digital Only", "EXCLUSIVE", 0, 5, 5, 5),
    ]
    .into_iter()
    .map(|(name, mode, telephony, chat, email, social)| {
        record(
            rng,
            org,
            json!({
                "name": name, "description": format!("{name} multimedia profile"),
                "telephony": telephony, "chat": chat, "email": email, "social": social,
                "active": true, "blendingModeEnabled": mode == "BLENDED", "blendingMode": mode,
                "systemDefault": name == "Blended Default",
            }),
        )
    })
    .collect()
}

/// The work types idle and wrap-up codes belong to.
pub(super) fn work_types(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [("Idle", "IDLE_CODE"), ("Wrap Up", "WRAP_UP_CODE")]
        .into_iter()
        .map(|(name, code)| {
            record(
                rng,
                org,
                json!({
                    "name": name, "description": format!("{name} codes"), "workTypeCode": code,
                    "active": true, "systemDefault": true,
                }),
            )
        })
        .collect()
}

/// Proficiency skills, two per business function, and one boolean language skill.
pub(super) fn skills(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    let mut skills: Vec<Value> = FUNCTIONS
        .iter()
        .flat_map(|function| (1..=2).map(move |k| format!("{function} skill {k}")))
        .map(|name| {
            let threshold = 20 + rng.below(4) * 10;
            record(
                rng,
                org,
                json!({
                    "name": name, "description": format!("Proficiency in {name}"),
                    "serviceLevelThreshold": threshold, "active": true, "dynamicSkill": false,
                    "skillType": "Proficiency",
                }),
            )
        })
        .collect();
    skills.push(record(
        rng,
        org,
        json!({
            "name": "Speaks Spanish", "description": "Can handle Spanish-speaking customers",
            "serviceLevelThreshold": 30, "active": true, "dynamicSkill": false, "skillType": "Boolean",
        }),
    ));
    skills
}

/// Access profiles: the first is the administrators', the last the standard agents'.
pub(super) fn user_profiles(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        ("Contact Center Administrator", "ADMINISTRATOR", "ALL"),
        ("Supervisor", "SUPERVISOR", "SPECIFIC"),
        ("Premium Agent", "PREMIUM_AGENT", "PROVISIONED_VALUE"),
        ("Standard Agent", "STANDARD_AGENT", "PROVISIONED_VALUE"),
    ]
    .into_iter()
    .map(|(name, profile_type, access)| {
        let permissions: Vec<Value> = ["sites", "teams", "queues", "entryPoints", "users"]
            .iter()
            .map(|area| {
                let level = match profile_type {
                    "ADMINISTRATOR" => "EDIT",
                    "SUPERVISOR" => "VIEW",
                    _ => "NONE",
                };
                json!({"id": rng.uuid(), "name": area, "access": level})
            })
            .collect();
        record(
            rng,
            org,
            json!({
                "name": name, "description": format!("Access for {}", name.to_lowercase()),
                "profileType": profile_type, "active": true,
                "permissionAccessLevel": access, "resourceAccessLevel": access,
                "permissions": permissions, "systemDefault": profile_type == "ADMINISTRATOR",
            }),
        )
    })
    .collect()
}

/// Skill profiles whose active skills are seeded skills of their function.
pub(super) fn skill_profiles(rng: &mut SeededRng, org: &str, data: &OrgData) -> Vec<Value> {
    let skills = data.records(Collection::Skill);
    (0..8)
        .map(|i| {
            let function = FUNCTIONS[i % FUNCTIONS.len()];
            let own: Vec<&Value> = skills
                .iter()
                .filter(|s| field(s, "name").starts_with(function))
                .collect();
            let count = 1 + rng.below(own.len() as u64) as usize;
            let active: Vec<Value> = own
                .iter()
                .take(count)
                .map(|skill| {
                    json!({"skillId": field(skill, "id"), "skillName": field(skill, "name"),
                           "booleanValue": true, "proficiencyValue": 1 + rng.below(10)})
                })
                .collect();
            record(
                rng,
                org,
                json!({
                    "name": format!("{function} skills {}", i / FUNCTIONS.len() + 1),
                    "description": format!("Skills for {function} agents"), "activeSkills": active,
                }),
            )
        })
        .collect()
}

/// Desktop profiles (the spec's "agent profiles").
pub(super) fn agent_profiles(rng: &mut SeededRng, org: &str) -> Vec<Value> {
    [
        "Standard Agent",
        "Senior Agent",
        "Supervisor",
        "Outbound Agent",
        "Chat Only",
    ]
    .iter()
    .map(|name| {
        let screen_popup = rng.chance(50);
        let auto_wrap_up = rng.chance(50);
        record(
            rng,
            org,
            json!({
                "name": name, "description": format!("{name} desktop profile"),
                "parentType": "ORGANIZATION", "screenPopup": screen_popup, "lastAgentRouting": false,
                "autoWrapUp": auto_wrap_up, "autoAnswer": false, "autoWrapAfterSeconds": 30,
                "agentAvailableAfterOutdial": false, "allowAutoWrapUpExtension": true,
                "accessWrapUpCode": "ALL", "accessIdleCode": "ALL", "accessQueue": "ALL", "accessEntryPoint": "ALL",
                "accessBuddyTeam": "ALL", "consultToQueue": true, "outdialEnabled": *name == "Outbound Agent",
                "agentDNValidation": "PROVISIONED_VALUE", "active": true, "systemDefault": false,
            }),
        )
    })
    .collect()
}

/// Idle and wrap-up codes, each pointing at the work type of its kind.
pub(super) fn auxiliary_codes(rng: &mut SeededRng, org: &str, data: &OrgData) -> Vec<Value> {
    let work_type = |code: &str| -> String {
        data.records(Collection::WorkType)
            .iter()
            .find(|w| field(w, "workTypeCode") == code)
            .map(|w| field(w, "id").to_string())
            .unwrap_or_default()
    };
    let mut codes = Vec::new();
    for (names, code) in [(IDLE_CODES, "IDLE_CODE"), (WRAPUP_CODES, "WRAP_UP_CODE")] {
        let type_id = work_type(code);
        for (i, name) in names.iter().enumerate() {
            codes.push(record(
                rng,
                org,
                json!({
                    "name": name, "description": format!("{name} ({})", code.to_lowercase()),
                    "defaultCode": i == 0, "active": true, "isSystemCode": false, "workTypeId": type_id,
                    "workTypeCode": code, "burnoutInclusion": "NOT_APPLICABLE", "systemDefault": false,
                }),
            ));
        }
    }
    codes
}
