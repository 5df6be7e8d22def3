//! Deterministic organisation data: the same seed always yields the same users, teams, queues, tasks…
//!
//! Configuration entities are kept as JSON objects shaped like the spec's DTOs, so filtering,
//! projection and search work on field names exactly as clients send them.

mod collection;
mod tasks;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ids::SeededRng;

pub use collection::Collection;
pub use tasks::TaskRecord;
use tasks::generate_tasks;

/// Role of a sign-in user; the API refuses configuration reads to non-admins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Agent,
}

/// A person who can sign in on the sandbox's consent page.
#[derive(Debug, Clone)]
pub struct SignInUser {
    /// Stable key used by the consent form.
    pub key: String,
    pub id: String,
    pub org_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
}

impl SignInUser {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// All data of one organisation.
#[derive(Debug, Default)]
pub struct OrgData {
    pub collections: BTreeMap<Collection, Vec<Value>>,
    /// Sorted by `created_ms` ascending.
    pub tasks: Vec<TaskRecord>,
}

/// Everything seeded.
#[derive(Debug)]
pub struct SeedData {
    pub primary_org_id: String,
    pub second_org_id: String,
    pub sign_in_users: Vec<SignInUser>,
    pub orgs: BTreeMap<String, OrgData>,
}

const FIRST_NAMES: &[&str] = &[
    "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kavya",
    "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
    "Wei", "Ximena", "Yusuf", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Adams", "Baker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
    "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Quiroga", "Rossi", "Schmidt",
    "Tanaka", "Ueda", "Varga", "Walsh", "Xu", "Yilmaz", "Zhang",
];
const SITES: &[(&str, &str)] = &[
    ("Austin", "America/Chicago"),
    ("Bangalore", "Asia/Kolkata"),
    ("Berlin", "Europe/Berlin"),
    ("London", "Europe/London"),
    ("Sydney", "Australia/Sydney"),
    ("Toronto", "America/Toronto"),
];
const FUNCTIONS: &[&str] = &[
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
const WRAPUP_CODES: &[&str] = &[
    "Resolved",
    "Escalated",
    "Callback Scheduled",
    "Sale",
    "No Answer",
    "Wrong Number",
];
/// First second of 2025, a fixed base for created/updated times of configuration entities.
const CONFIG_EPOCH_MS: i64 = 1_735_689_600_000;
const DAY_MS: i64 = 86_400_000;

fn obj(value: Value) -> Value {
    debug_assert!(value.is_object());
    value
}

fn stamp(rng: &mut SeededRng, record: &mut Value) {
    let created = CONFIG_EPOCH_MS + rng.below(180) as i64 * DAY_MS;
    let updated = created + rng.below(120) as i64 * DAY_MS;
    if let Value::Object(map) = record {
        map.insert("version".into(), json!(1 + rng.below(5)));
        map.insert("createdTime".into(), json!(created));
        map.insert("lastUpdatedTime".into(), json!(updated));
    }
}

fn field<'a>(record: &'a Value, name: &str) -> &'a str {
    record.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// Builds the sandbox's world. `now_ms` anchors task times (tasks lie in the days before it);
/// callers pass the start of the current UTC hour so restarts within the hour reproduce identical data.
pub fn generate(seed: u64, now_ms: i64) -> SeedData {
    let mut ids = SeededRng::derive(seed, "orgs");
    let primary_org_id = ids.uuid();
    let second_org_id = ids.uuid();

    let sign_in_users = vec![
        SignInUser {
            key: "admin".into(),
            id: ids.uuid(),
            org_id: primary_org_id.clone(),
            email: "avery.admin@wxcc-sandbox.example.com".into(),
            first_name: "Avery".into(),
            last_name: "Admin".into(),
            role: Role::Admin,
        },
        SignInUser {
            key: "agent".into(),
            id: ids.uuid(),
            org_id: primary_org_id.clone(),
            email: "sam.agent@wxcc-sandbox.example.com".into(),
            first_name: "Sam".into(),
            last_name: "Agent".into(),
            role: Role::Agent,
        },
        SignInUser {
            key: "other-org-admin".into(),
            id: ids.uuid(),
            org_id: second_org_id.clone(),
            email: "olivia.other@other-org.example.com".into(),
            first_name: "Olivia".into(),
            last_name: "Other".into(),
            role: Role::Admin,
        },
    ];

    let mut orgs = BTreeMap::new();
    let primary_people: Vec<&SignInUser> = sign_in_users
        .iter()
        .filter(|u| u.org_id == primary_org_id)
        .collect();
    orgs.insert(
        primary_org_id.clone(),
        generate_org(seed, &primary_org_id, 300, 24, &primary_people, now_ms),
    );
    let second_people: Vec<&SignInUser> = sign_in_users
        .iter()
        .filter(|u| u.org_id == second_org_id)
        .collect();
    orgs.insert(
        second_org_id.clone(),
        generate_org(seed ^ 0x5eed, &second_org_id, 40, 4, &second_people, now_ms),
    );

    SeedData {
        primary_org_id,
        second_org_id,
        sign_in_users,
        orgs,
    }
}

fn generate_org(
    seed: u64,
    org: &str,
    user_count: usize,
    team_count: usize,
    people: &[&SignInUser],
    now_ms: i64,
) -> OrgData {
    let mut rng = SeededRng::derive(seed, org);
    let mut data = OrgData::default();

    let multimedia_profile = rng.uuid();
    let sites: Vec<Value> = SITES
        .iter()
        .map(|(name, _)| {
            let mut s = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": name, "active": true,
                "multimediaProfileId": multimedia_profile, "description": format!("{name} contact center"),
                "systemDefault": false,
            }));
            stamp(&mut rng, &mut s);
            s
        })
        .collect();

    let skill_profiles: Vec<Value> = (0..8)
        .map(|i| {
            let function = FUNCTIONS[i % FUNCTIONS.len()];
            let skills: Vec<Value> = (0..1 + rng.below(3))
                .map(|k| {
                    json!({"skillId": rng.uuid(), "skillName": format!("{function} skill {}", k + 1),
                           "booleanValue": true, "proficiencyValue": 1 + rng.below(10)})
                })
                .collect();
            let mut p = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": format!("{function} skills {}", i / FUNCTIONS.len() + 1),
                "description": format!("Skills for {function} agents"), "activeSkills": skills,
            }));
            stamp(&mut rng, &mut p);
            p
        })
        .collect();

    let agent_profiles: Vec<Value> = ["Standard Agent", "Senior Agent", "Supervisor", "Outbound Agent", "Chat Only"]
        .iter()
        .map(|name| {
            let mut p = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": name, "description": format!("{name} desktop profile"),
                "parentType": "ORGANIZATION", "screenPopup": rng.chance(50), "lastAgentRouting": false,
                "autoWrapUp": rng.chance(50), "autoAnswer": false, "autoWrapAfterSeconds": 30,
                "agentAvailableAfterOutdial": false, "allowAutoWrapUpExtension": true,
                "accessWrapUpCode": "ALL", "accessIdleCode": "ALL", "accessQueue": "ALL", "accessEntryPoint": "ALL",
                "accessBuddyTeam": "ALL", "consultToQueue": true, "outdialEnabled": *name == "Outbound Agent",
                "agentDNValidation": "PROVISIONED_VALUE", "active": true, "systemDefault": false,
            }));
            stamp(&mut rng, &mut p);
            p
        })
        .collect();

    let mut teams: Vec<Value> = (0..team_count)
        .map(|i| {
            let site = &sites[i % sites.len()];
            let function = FUNCTIONS[(i / sites.len()) % FUNCTIONS.len()];
            let mut t = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": format!("{} {function} {}", field(site, "name"), i / (sites.len() * FUNCTIONS.len()) + 1),
                "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": true,
                "siteId": field(site, "id"), "siteName": field(site, "name"),
                "skillProfileId": field(rng.pick(&skill_profiles), "id"), "multiMediaProfileId": multimedia_profile,
                "userIds": [], "description": format!("{function} team in {}", field(site, "name")),
                "systemDefault": false, "rankQueuesForTeam": false,
            }));
            stamp(&mut rng, &mut t);
            t
        })
        .collect();

    let mut users: Vec<Value> = Vec::with_capacity(user_count);
    for i in 0..user_count {
        let (id, first, last, email, is_admin) = match people.get(i) {
            Some(p) => (
                p.id.clone(),
                p.first_name.clone(),
                p.last_name.clone(),
                p.email.clone(),
                p.role == Role::Admin,
            ),
            None => {
                let first = rng.pick(FIRST_NAMES).to_string();
                let last = rng.pick(LAST_NAMES).to_string();
                let email = format!(
                    "{}.{}{}@wxcc-sandbox.example.com",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    i
                );
                (rng.uuid(), first, last, email, false)
            }
        };
        let team_index = i % teams.len();
        let team_id = field(&teams[team_index], "id").to_string();
        let site_id = field(&teams[team_index], "siteId").to_string();
        let site_name = field(&teams[team_index], "siteName").to_string();
        let timezone = SITES
            .iter()
            .find(|(n, _)| *n == site_name)
            .map(|(_, tz)| *tz)
            .unwrap_or("UTC");
        let profile_type = if is_admin { "ADMINISTRATOR" } else { "AGENT" };
        let mut u = obj(json!({
            "organizationId": org, "id": id, "firstName": first, "lastName": last, "email": email,
            "workPhone": format!("+1555{:07}", rng.below(10_000_000)), "ciUserId": id,
            "timezone": timezone, "xspVersion": "xsp-24.0", "userProfileId": rng.uuid(), "userProfileType": profile_type,
            "contactCenterEnabled": !rng.chance(5) || i < people.len(), "siteId": site_id, "siteName": site_name,
            "teamIds": [team_id], "skillProfileId": field(rng.pick(&skill_profiles), "id"),
            "agentProfileId": field(rng.pick(&agent_profiles), "id"), "multimediaProfileId": multimedia_profile,
            "active": !rng.chance(3) || i < people.len(), "imiUserCreated": false, "systemDefault": false,
            "userLevelBurnoutInclusion": "INCLUDED", "userLevelAutoCSATInclusion": "INCLUDED",
            "userLevelWellnessBreakReminders": "DISABLED", "userLevelSummariesInclusion": "INCLUDED",
        }));
        stamp(&mut rng, &mut u);
        if let Some(Value::Array(members)) = teams[team_index].get_mut("userIds") {
            members.push(json!(id));
        }
        users.push(u);
    }

    let queues: Vec<Value> = (0..30)
        .map(|i| {
            let function = FUNCTIONS[i % FUNCTIONS.len()];
            let channel = ["TELEPHONY", "TELEPHONY", "CHAT", "EMAIL", "SOCIAL_CHANNEL"][i % 5];
            let groups: Vec<Value> = (0..1 + rng.below(2)).map(|_| json!({"teamId": field(rng.pick(&teams), "id")})).collect();
            let mut q = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": format!("{function} {} Queue {}", channel.to_lowercase().replace("_channel", ""), i / FUNCTIONS.len() + 1),
                "description": format!("{function} requests over {}", channel.to_lowercase()),
                "queueType": "INBOUND", "checkAgentAvailability": true, "channelType": channel,
                "serviceLevelThreshold": 30 + rng.below(5) * 15, "maxActiveContacts": 50 + rng.below(200),
                "maxTimeInQueue": 600 + rng.below(6) * 300, "timezone": SITES[i % SITES.len()].1, "active": true,
                "monitoringPermitted": true, "parkingPermitted": false, "recordingPermitted": true,
                "recordingAllCallsPermitted": false, "pauseRecordingPermitted": true, "recordingPauseDuration": 10,
                "routingType": "LONGEST_AVAILABLE_AGENT", "queueRoutingType": "TEAM_BASED",
                "callDistributionGroups": [{"agentGroups": groups, "order": 1, "duration": 0}],
                "xspVersion": "xsp-24.0", "systemDefault": false, "manuallyAssignable": false,
            }));
            if channel == "SOCIAL_CHANNEL" {
                q["socialChannelType"] = json!("WHATSAPP");
            }
            stamp(&mut rng, &mut q);
            q
        })
        .collect();

    let entry_points: Vec<Value> = (0..20)
        .map(|i| {
            let function = FUNCTIONS[i % FUNCTIONS.len()];
            let channel = ["TELEPHONY", "TELEPHONY", "CHAT", "EMAIL", "SOCIAL_CHANNEL"][i % 5];
            let mut e = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": format!("{function} {} EP {}", channel.to_lowercase().replace("_channel", ""), i / FUNCTIONS.len() + 1),
                "description": format!("{function} entry point"), "entryPointType": "INBOUND", "channelType": channel,
                // The spec marks socialChannelType required on every entry point, whatever the channel.
                "socialChannelType": "MESSENGER", "active": true,
                "serviceLevelThreshold": 30, "maximumActiveContacts": 100 + rng.below(400),
                "controlFlowScriptUrl": "https://flow.wxcc-sandbox.example.com/flows/default",
                "overflowNumber": "", "timezone": SITES[i % SITES.len()].1, "imiOrgType": "MIXED_MODE",
                "assetId": rng.uuid(), "xspVersion": "xsp-24.0", "systemDefault": false, "callbackEnabled": false,
            }));
            stamp(&mut rng, &mut e);
            e
        })
        .collect();

    let idle_type = rng.uuid();
    let wrap_type = rng.uuid();
    let mut aux_codes = Vec::new();
    for (names, code, type_id) in [
        (IDLE_CODES, "IDLE_CODE", &idle_type),
        (WRAPUP_CODES, "WRAP_UP_CODE", &wrap_type),
    ] {
        for (i, name) in names.iter().enumerate() {
            let mut a = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": name, "description": format!("{name} ({})", code.to_lowercase()),
                "defaultCode": i == 0, "active": true, "isSystemCode": false, "workTypeId": type_id,
                "workTypeCode": code, "burnoutInclusion": "NOT_APPLICABLE", "systemDefault": false,
            }));
            stamp(&mut rng, &mut a);
            aux_codes.push(a);
        }
    }

    let address_books: Vec<Value> = std::iter::once(("Global Directory".to_string(), None))
        .chain(sites.iter().map(|s| (format!("{} Directory", field(s, "name")), Some(field(s, "id").to_string()))))
        .map(|(name, site)| {
            let mut b = obj(json!({
                "organizationId": org, "id": rng.uuid(), "name": name, "description": format!("Speed dials: {name}"),
                "parentType": if site.is_some() { "SITE" } else { "ORGANIZATION" },
            }));
            if let (Some(site), Value::Object(map)) = (site, &mut b) {
                map.insert("siteId".into(), json!(site));
            }
            stamp(&mut rng, &mut b);
            b
        })
        .collect();

    data.tasks = generate_tasks(&mut rng, &users, &teams, &queues, now_ms);
    // Teams list their members in a stable order.
    for t in &mut teams {
        if let Some(Value::Array(members)) = t.get_mut("userIds") {
            members.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        }
    }
    data.collections.insert(Collection::User, users);
    data.collections.insert(Collection::Team, teams);
    data.collections.insert(Collection::Site, sites);
    data.collections
        .insert(Collection::ContactServiceQueue, queues);
    data.collections
        .insert(Collection::EntryPoint, entry_points);
    data.collections
        .insert(Collection::AgentProfile, agent_profiles);
    data.collections
        .insert(Collection::SkillProfile, skill_profiles);
    data.collections
        .insert(Collection::AuxiliaryCode, aux_codes);
    data.collections
        .insert(Collection::AddressBook, address_books);
    data
}

/// Start of the UTC hour containing `ms`.
pub fn hour_floor(ms: i64) -> i64 {
    ms - ms.rem_euclid(3_600_000)
}

/// Field names present on any record of a collection (for validating filters and projections).
pub fn known_fields(records: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = records
        .iter()
        .filter_map(Value::as_object)
        .flat_map(Map::keys)
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_for_a_seed() {
        let a = generate(42, 1_800_000_000_000);
        let b = generate(42, 1_800_000_000_000);
        assert_eq!(a.primary_org_id, b.primary_org_id);
        let ua = &a.orgs[&a.primary_org_id].collections[&Collection::User];
        let ub = &b.orgs[&b.primary_org_id].collections[&Collection::User];
        assert_eq!(ua, ub);
        assert_eq!(
            a.orgs[&a.primary_org_id].tasks.len(),
            b.orgs[&b.primary_org_id].tasks.len()
        );
        let c = generate(43, 1_800_000_000_000);
        assert_ne!(a.primary_org_id, c.primary_org_id);
    }

    #[test]
    fn sizes_are_realistic() {
        let s = generate(1, 1_800_000_000_000);
        let org = &s.orgs[&s.primary_org_id];
        assert_eq!(org.collections[&Collection::User].len(), 300);
        assert_eq!(org.collections[&Collection::Team].len(), 24);
        assert!(org.tasks.len() > 500);
        assert!(org.tasks.iter().all(|t| t.created_ms < 1_800_000_000_000));
        // Sign-in users are listed as users of their org.
        let admin = &s.sign_in_users[0];
        assert!(
            org.collections[&Collection::User]
                .iter()
                .any(|u| field(u, "id") == admin.id)
        );
    }
}
