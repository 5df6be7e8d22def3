//! The organisation's structure: sites, teams (with their desktop layouts) and users.

use serde_json::{Value, json};

use super::profiles::FUNCTIONS;
use super::{Collection, OrgData, Role, SignInUser, field, record};
use crate::ids::SeededRng;

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
/// Sites and their time zones.
pub(super) const SITES: &[(&str, &str)] = &[
    ("Austin", "America/Chicago"),
    ("Bangalore", "Asia/Kolkata"),
    ("Berlin", "Europe/Berlin"),
    ("London", "Europe/London"),
    ("Sydney", "Australia/Sydney"),
    ("Toronto", "America/Toronto"),
];
/// Functions whose teams get a desktop layout of their own; the others use the global one.
const LAYOUT_FUNCTIONS: &[&str] = &["Sales", "Support"];

fn first_id(data: &OrgData, collection: Collection) -> String {
    data.records(collection)
        .first()
        .map(|r| field(r, "id").to_string())
        .unwrap_or_default()
}

pub(super) fn sites(rng: &mut SeededRng, org: &str, data: &OrgData) -> Vec<Value> {
    let multimedia_profile = first_id(data, Collection::MultimediaProfile);
    SITES
        .iter()
        .map(|(name, _)| {
            record(
                rng,
                org,
                json!({
                    "name": name, "active": true, "multimediaProfileId": multimedia_profile,
                    "description": format!("{name} contact center"), "systemDefault": false,
                }),
            )
        })
        .collect()
}

/// Teams spread over the sites and functions, and the desktop layouts that list them.
pub(super) fn teams_and_layouts(
    rng: &mut SeededRng,
    org: &str,
    count: usize,
    data: &OrgData,
) -> (Vec<Value>, Vec<Value>) {
    let sites = data.records(Collection::Site);
    let skill_profiles = data.records(Collection::SkillProfile);
    let multimedia_profile = first_id(data, Collection::MultimediaProfile);
    let mut layouts: Vec<Value> = std::iter::once("Global")
        .chain(LAYOUT_FUNCTIONS.iter().copied())
        .map(|name| {
            let global = name == "Global";
            let content = json!({"version": "0.0.6", "appTitle": format!("{name} Desktop"), "logo": "",
                                 "dragDropEnabled": false, "notificationTimer": 8, "maximumNotificationCount": 3});
            record(
                rng,
                org,
                json!({
                    "name": format!("{name} Layout"), "description": format!("Desktop layout for {name} agents"),
                    "editedBy": "avery.admin@wxcc-sandbox.example.com",
                    "jsonFileName": format!("{}-layout.json", name.to_lowercase()),
                    "jsonFileContent": content.to_string(), "global": global, "status": true,
                    "defaultJsonModified": !global, "validated": true, "teamIds": [], "systemDefault": global,
                }),
            )
        })
        .collect();
    let teams = (0..count)
        .map(|i| {
            let site = &sites[i % sites.len()];
            let function = FUNCTIONS[(i / sites.len()) % FUNCTIONS.len()];
            let layout_index = LAYOUT_FUNCTIONS
                .iter()
                .position(|f| *f == function)
                .map_or(0, |p| p + 1);
            let skill_profile = field(rng.pick(skill_profiles), "id").to_string();
            let team = record(
                rng,
                org,
                json!({
                    "name": format!("{} {function} {}", field(site, "name"), i / (sites.len() * FUNCTIONS.len()) + 1),
                    "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": true,
                    "siteId": field(site, "id"), "siteName": field(site, "name"),
                    "skillProfileId": skill_profile, "multiMediaProfileId": multimedia_profile,
                    "desktopLayoutId": field(&layouts[layout_index], "id"),
                    "userIds": [], "description": format!("{function} team in {}", field(site, "name")),
                    "systemDefault": false, "rankQueuesForTeam": false,
                }),
            );
            if layout_index > 0 {
                push_to(&mut layouts[layout_index], "teamIds", field(&team, "id"));
            }
            team
        })
        .collect();
    (teams, layouts)
}

fn push_to(record: &mut Value, array: &str, id: &str) {
    if let Some(Value::Array(items)) = record.get_mut(array) {
        items.push(json!(id));
    }
}

/// Users, the sign-in users first, each a member of one team (whose `userIds` list them).
pub(super) fn users(
    rng: &mut SeededRng,
    org: &str,
    count: usize,
    people: &[&SignInUser],
    data: &mut OrgData,
) -> Vec<Value> {
    let pick_id =
        |rng: &mut SeededRng, c: Collection| field(rng.pick(data.records(c)), "id").to_string();
    let profiles = data.records(Collection::UserProfile);
    let profile_of = |profile_type: &str| {
        profiles
            .iter()
            .find(|p| field(p, "profileType") == profile_type)
            .cloned()
            .unwrap_or_default()
    };
    let (admin_profile, premium_profile, agent_profile) = (
        profile_of("ADMINISTRATOR"),
        profile_of("PREMIUM_AGENT"),
        profile_of("STANDARD_AGENT"),
    );
    let multimedia_profile = first_id(data, Collection::MultimediaProfile);
    let teams: Vec<(String, String, String)> = data
        .records(Collection::Team)
        .iter()
        .map(|t| {
            (
                field(t, "id").to_string(),
                field(t, "siteId").to_string(),
                field(t, "siteName").to_string(),
            )
        })
        .collect();
    let mut users = Vec::with_capacity(count);
    let mut members: Vec<Vec<String>> = vec![Vec::new(); teams.len()];
    for i in 0..count {
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
        let (team_id, site_id, site_name) = &teams[team_index];
        let timezone = SITES
            .iter()
            .find(|(n, _)| n == site_name)
            .map(|(_, tz)| *tz)
            .unwrap_or("UTC");
        let profile = match (is_admin, rng.chance(20)) {
            (true, _) => &admin_profile,
            (false, true) => &premium_profile,
            (false, false) => &agent_profile,
        };
        let fields = json!({
            "firstName": first, "lastName": last, "email": email,
            "workPhone": format!("+1555{:07}", rng.below(10_000_000)), "ciUserId": id,
            "timezone": timezone, "xspVersion": "xsp-24.0",
            "userProfileId": field(profile, "id"), "userProfileType": field(profile, "profileType"),
            "contactCenterEnabled": !rng.chance(5) || i < people.len(), "siteId": site_id, "siteName": site_name,
            "teamIds": [team_id], "skillProfileId": pick_id(rng, Collection::SkillProfile),
            "agentProfileId": pick_id(rng, Collection::AgentProfile), "multimediaProfileId": multimedia_profile,
            "active": !rng.chance(3) || i < people.len(), "imiUserCreated": false, "systemDefault": false,
            "userLevelBurnoutInclusion": "INCLUDED", "userLevelAutoCSATInclusion": "INCLUDED",
            "userLevelWellnessBreakReminders": "DISABLED", "userLevelSummariesInclusion": "INCLUDED",
        });
        let mut user = record(rng, org, fields);
        // A user's id is its Webex (CI) id, the same as at sign-in.
        user["id"] = json!(id);
        members[team_index].push(id);
        users.push(user);
    }
    if let Some(teams) = data.collections.get_mut(&Collection::Team) {
        for (team, mut ids) in teams.iter_mut().zip(members) {
            // Teams list their members in a stable order.
            ids.sort();
            team["userIds"] = json!(ids);
        }
    }
    users
}
