//! Deterministic organisation data: the same seed always yields the same users, teams, queues, tasks…
//!
//! Configuration entities are kept as JSON objects shaped like the spec's DTOs, so filtering,
//! projection and search work on field names exactly as clients send them. Records refer to each
//! other only by ids that exist (a team's `siteId`, a user's `teamIds`, a dial number's
//! `entryPointId`…); `tests.rs` checks every such reference.

mod address_books;
mod calendar;
mod callbacks;
mod collection;
mod people;
mod profiles;
mod routing;
mod services;
mod tasks;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::ids::SeededRng;

pub use calendar::rfc3339;
pub use callbacks::ScheduledCallback;
pub use collection::{ALWAYS_UNFILTERABLE, Collection};
pub use services::{FLOW_PROJECT_ID, Flow, event_types};
pub use tasks::TaskRecord;

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
    /// The entries of each address book, by the book's id (`AddressBookEntryDTO`s).
    pub address_book_entries: BTreeMap<String, Vec<Value>>,
    /// Sorted by `created_ms` ascending.
    pub tasks: Vec<TaskRecord>,
    /// Webhook subscriptions made with the v2 API (`SubscriptionResponseEnhanced`).
    pub subscriptions: Vec<Value>,
    /// Sorted by trigger time ascending.
    pub callbacks: Vec<ScheduledCallback>,
    pub flows: Vec<Flow>,
    /// Journey workspaces (`WorkspaceResponseModel`).
    pub workspaces: Vec<Value>,
}

impl OrgData {
    fn put(&mut self, collection: Collection, records: Vec<Value>) {
        self.collections.insert(collection, records);
    }

    /// The records of a configuration kind (empty when none were seeded).
    pub fn records(&self, collection: Collection) -> &[Value] {
        self.collections
            .get(&collection)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The record of a kind with this `id`.
    pub fn record(&self, collection: Collection, id: &str) -> Option<&Value> {
        self.records(collection)
            .iter()
            .find(|r| field(r, "id") == id)
    }
}

/// Everything seeded.
#[derive(Debug)]
pub struct SeedData {
    pub primary_org_id: String,
    pub second_org_id: String,
    pub sign_in_users: Vec<SignInUser>,
    pub orgs: BTreeMap<String, OrgData>,
}

/// First second of 2025, a fixed base for created/updated times of configuration entities.
const CONFIG_EPOCH_MS: i64 = 1_735_689_600_000;
const DAY_MS: i64 = 86_400_000;

/// Adds `version`, `createdTime` and `lastUpdatedTime`, as every configuration DTO has them.
fn stamp(rng: &mut SeededRng, record: &mut Value) {
    let created = CONFIG_EPOCH_MS + rng.below(180) as i64 * DAY_MS;
    let updated = created + rng.below(120) as i64 * DAY_MS;
    if let Value::Object(map) = record {
        map.insert("version".into(), json!(1 + rng.below(5)));
        map.insert("createdTime".into(), json!(created));
        map.insert("lastUpdatedTime".into(), json!(updated));
    }
}

/// A stamped configuration record of `org`: `fields` plus `organizationId` and `id`.
fn record(rng: &mut SeededRng, org: &str, fields: Value) -> Value {
    let mut map = Map::new();
    map.insert("organizationId".into(), json!(org));
    map.insert("id".into(), json!(rng.uuid()));
    if let Value::Object(rest) = fields {
        map.extend(rest);
    }
    let mut value = Value::Object(map);
    stamp(rng, &mut value);
    value
}

fn field<'a>(record: &'a Value, name: &str) -> &'a str {
    record.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// A 24-hex-digit id, the form of the flow store's and Journey's (MongoDB) ids.
fn object_id(rng: &mut SeededRng) -> String {
    format!(
        "{:012x}{:012x}",
        rng.next_u64() & 0xffff_ffff_ffff,
        rng.next_u64() & 0xffff_ffff_ffff
    )
}

/// Builds the sandbox's world. `now_ms` anchors task and callback times (tasks lie in the days
/// before it, callbacks in the days after); callers pass the start of the current UTC hour so
/// restarts within the hour reproduce identical data.
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

    let people_of = |org: &str| -> Vec<&SignInUser> {
        sign_in_users.iter().filter(|u| u.org_id == org).collect()
    };
    let mut orgs = BTreeMap::new();
    let primary = OrgShape {
        users: 300,
        teams: 24,
        tasks_per_day: 680,
    };
    orgs.insert(
        primary_org_id.clone(),
        generate_org(
            seed,
            &primary_org_id,
            primary,
            &people_of(&primary_org_id),
            now_ms,
        ),
    );
    let second = OrgShape {
        users: 40,
        teams: 4,
        tasks_per_day: 40,
    };
    orgs.insert(
        second_org_id.clone(),
        generate_org(
            seed ^ 0x5eed,
            &second_org_id,
            second,
            &people_of(&second_org_id),
            now_ms,
        ),
    );

    SeedData {
        primary_org_id,
        second_org_id,
        sign_in_users,
        orgs,
    }
}

/// How big an organisation is.
#[derive(Debug, Clone, Copy)]
struct OrgShape {
    users: usize,
    teams: usize,
    /// Base number of tasks a day over the seeded history.
    tasks_per_day: u64,
}

/// One organisation: entities are made in dependency order, each kind referring only to kinds
/// made before it (and teams and desktop layouts to each other, settled in `people::teams_and_layouts`).
fn generate_org(
    seed: u64,
    org: &str,
    shape: OrgShape,
    people: &[&SignInUser],
    now_ms: i64,
) -> OrgData {
    let mut rng = SeededRng::derive(seed, org);
    let rng = &mut rng;
    let mut data = OrgData::default();
    data.put(
        Collection::MultimediaProfile,
        profiles::multimedia_profiles(rng, org),
    );
    data.put(Collection::WorkType, profiles::work_types(rng, org));
    data.put(Collection::Skill, profiles::skills(rng, org));
    data.put(Collection::UserProfile, profiles::user_profiles(rng, org));
    data.put(
        Collection::SkillProfile,
        profiles::skill_profiles(rng, org, &data),
    );
    data.put(Collection::AgentProfile, profiles::agent_profiles(rng, org));
    data.put(
        Collection::AuxiliaryCode,
        profiles::auxiliary_codes(rng, org, &data),
    );
    data.put(Collection::Site, people::sites(rng, org, &data));
    let (teams, layouts) = people::teams_and_layouts(rng, org, shape.teams, &data);
    data.put(Collection::Team, teams);
    data.put(Collection::DesktopLayout, layouts);
    let users = people::users(rng, org, shape.users, people, &mut data);
    data.put(Collection::User, users);

    data.put(Collection::HolidayList, routing::holiday_lists(rng, org));
    data.put(
        Collection::BusinessHours,
        routing::business_hours(rng, org, &data),
    );
    data.put(
        Collection::ContactServiceQueue,
        routing::queues(rng, org, &data),
    );
    data.put(Collection::EntryPoint, routing::entry_points(rng, org));
    data.put(
        Collection::DialNumber,
        routing::dial_numbers(rng, org, &data),
    );
    data.put(Collection::DialPlan, routing::dial_plans(rng, org));
    data.put(Collection::OutdialAni, routing::outdial_anis(rng, org));
    data.put(Collection::CadVariable, routing::cad_variables(rng, org));
    data.put(Collection::AudioFile, routing::audio_files(rng, org));
    let (books, entries) = address_books::address_books(rng, org, &data);
    data.put(Collection::AddressBook, books);
    data.address_book_entries = entries;

    // Tasks draw from a stream of their own, so their volume never shifts the records drawn
    // after them (callbacks, subscriptions, flows, workspaces).
    let mut task_rng = SeededRng::derive(seed, &format!("{org}/tasks"));
    data.tasks = tasks::generate_tasks(
        &mut task_rng,
        shape.tasks_per_day,
        data.records(Collection::User),
        data.records(Collection::Team),
        data.records(Collection::ContactServiceQueue),
        now_ms,
    );
    data.callbacks = callbacks::scheduled_callbacks(rng, org, &data, now_ms);
    data.subscriptions = services::subscriptions(rng, people);
    data.flows = services::flows(rng, org, people);
    data.workspaces = services::workspaces(rng, &data);
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
