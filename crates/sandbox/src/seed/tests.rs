//! The seed is deterministic, realistically sized, and every id a record refers to exists.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

const NOW: i64 = 1_800_000_000_000;

#[test]
fn deterministic_for_a_seed() {
    let a = generate(42, NOW);
    let b = generate(42, NOW);
    assert_eq!(a.primary_org_id, b.primary_org_id);
    for c in Collection::ALL {
        let org = |s: &SeedData| s.orgs[&s.primary_org_id].records(c).to_vec();
        assert_eq!(org(&a), org(&b), "{c:?}");
    }
    let (pa, pb) = (&a.orgs[&a.primary_org_id], &b.orgs[&b.primary_org_id]);
    assert_eq!(pa.tasks.len(), pb.tasks.len());
    assert_eq!(pa.subscriptions, pb.subscriptions);
    assert_eq!(
        pa.callbacks.iter().map(|c| &c.record).collect::<Vec<_>>(),
        pb.callbacks.iter().map(|c| &c.record).collect::<Vec<_>>()
    );
    let c = generate(43, NOW);
    assert_ne!(a.primary_org_id, c.primary_org_id);
}

#[test]
fn sizes_are_realistic_and_every_kind_has_records() {
    let s = generate(1, NOW);
    for org_id in [&s.primary_org_id, &s.second_org_id] {
        let org = &s.orgs[org_id];
        for c in Collection::ALL {
            assert!(!org.records(c).is_empty(), "{c:?} in {org_id}");
            for r in org.records(c) {
                assert_eq!(field(r, "organizationId"), org_id.as_str(), "{c:?}");
            }
        }
        assert!(!org.subscriptions.is_empty() && !org.flows.is_empty());
        assert!(!org.workspaces.is_empty() && !org.callbacks.is_empty());
    }
    let org = &s.orgs[&s.primary_org_id];
    assert_eq!(org.records(Collection::User).len(), 300);
    assert_eq!(org.records(Collection::Team).len(), 24);
    // The Search API's long windows need history: at least 20,000 tasks over at least 30 days.
    assert!(org.tasks.len() >= 20_000, "{} tasks", org.tasks.len());
    let oldest = org.tasks.first().unwrap().created_ms;
    assert!(NOW - oldest >= 30 * 86_400_000, "history starts {oldest}");
    assert!(org.tasks.iter().all(|t| t.created_ms < NOW));
    assert!(org.callbacks.iter().all(|c| c.trigger_ms > NOW));
    // Sign-in users are listed as users of their org, under the id they sign in with.
    let admin = &s.sign_in_users[0];
    assert!(org.record(Collection::User, &admin.id).is_some());
}

#[test]
fn ids_are_unique_within_each_kind() {
    let s = generate(7, NOW);
    for org in s.orgs.values() {
        for c in Collection::ALL {
            let ids: Vec<&str> = org.records(c).iter().map(|r| field(r, "id")).collect();
            let unique: BTreeSet<&str> = ids.iter().copied().collect();
            assert_eq!(ids.len(), unique.len(), "{c:?}");
        }
    }
}

/// `(kind, field, kind it refers to)`: single ids, or arrays of ids.
const REFERENCES: &[(Collection, &str, Collection)] = &[
    (Collection::User, "siteId", Collection::Site),
    (Collection::User, "teamIds", Collection::Team),
    (Collection::User, "skillProfileId", Collection::SkillProfile),
    (Collection::User, "agentProfileId", Collection::AgentProfile),
    (
        Collection::User,
        "multimediaProfileId",
        Collection::MultimediaProfile,
    ),
    (Collection::User, "userProfileId", Collection::UserProfile),
    (Collection::Team, "siteId", Collection::Site),
    (Collection::Team, "skillProfileId", Collection::SkillProfile),
    (
        Collection::Team,
        "multiMediaProfileId",
        Collection::MultimediaProfile,
    ),
    (
        Collection::Team,
        "desktopLayoutId",
        Collection::DesktopLayout,
    ),
    (Collection::Team, "userIds", Collection::User),
    (
        Collection::Site,
        "multimediaProfileId",
        Collection::MultimediaProfile,
    ),
    (Collection::DesktopLayout, "teamIds", Collection::Team),
    (
        Collection::AuxiliaryCode,
        "workTypeId",
        Collection::WorkType,
    ),
    (
        Collection::DialNumber,
        "entryPointId",
        Collection::EntryPoint,
    ),
    (
        Collection::BusinessHours,
        "holidaysId",
        Collection::HolidayList,
    ),
    (Collection::AddressBook, "siteId", Collection::Site),
];

fn referenced_ids(record: &Value, name: &str) -> Vec<String> {
    match record.get(name) {
        Some(Value::String(id)) => vec![id.clone()],
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn every_reference_points_at_a_seeded_record_of_the_same_org() {
    let s = generate(11, NOW);
    for org in s.orgs.values() {
        let exists = |c: Collection, id: &str| org.record(c, id).is_some();
        for (kind, name, target) in REFERENCES {
            for r in org.records(*kind) {
                for id in referenced_ids(r, name) {
                    assert!(
                        exists(*target, &id),
                        "{kind:?}.{name} = {id}: no such {target:?}"
                    );
                }
            }
        }
        // Names copied beside ids agree with the record they name.
        for u in org.records(Collection::User) {
            let site = org.record(Collection::Site, field(u, "siteId")).unwrap();
            assert_eq!(field(u, "siteName"), field(site, "name"));
            let profile = org
                .record(Collection::UserProfile, field(u, "userProfileId"))
                .unwrap();
            assert_eq!(field(u, "userProfileType"), field(profile, "profileType"));
        }
        for n in org.records(Collection::DialNumber) {
            let ep = org
                .record(Collection::EntryPoint, field(n, "entryPointId"))
                .unwrap();
            assert_eq!(field(n, "entryPointName"), field(ep, "name"));
        }
        for code in org.records(Collection::AuxiliaryCode) {
            let wt = org
                .record(Collection::WorkType, field(code, "workTypeId"))
                .unwrap();
            assert_eq!(field(code, "workTypeCode"), field(wt, "workTypeCode"));
        }
        for p in org.records(Collection::SkillProfile) {
            for skill in p["activeSkills"].as_array().unwrap() {
                let s = org
                    .record(Collection::Skill, field(skill, "skillId"))
                    .unwrap();
                assert_eq!(field(skill, "skillName"), field(s, "name"));
            }
        }
        for q in org.records(Collection::ContactServiceQueue) {
            for group in q["callDistributionGroups"].as_array().unwrap() {
                for team in group["agentGroups"].as_array().unwrap() {
                    assert!(exists(Collection::Team, field(team, "teamId")));
                }
            }
        }
        // Membership is two-way: a team lists exactly the users that list it.
        for t in org.records(Collection::Team) {
            let mut members: Vec<&str> = org
                .records(Collection::User)
                .iter()
                .filter(|u| {
                    referenced_ids(u, "teamIds")
                        .iter()
                        .any(|id| id == field(t, "id"))
                })
                .map(|u| field(u, "id"))
                .collect();
            members.sort();
            assert_eq!(referenced_ids(t, "userIds"), members);
        }
        for l in org.records(Collection::DesktopLayout) {
            for team in referenced_ids(l, "teamIds") {
                let t = org.record(Collection::Team, &team).unwrap();
                assert_eq!(field(t, "desktopLayoutId"), field(l, "id"));
            }
        }
        for book in org.records(Collection::AddressBook) {
            assert!(org.address_book_entries.contains_key(field(book, "id")));
        }
        assert_eq!(
            org.address_book_entries.len(),
            org.records(Collection::AddressBook).len()
        );
        for t in &org.tasks {
            assert!(exists(Collection::User, &t.agent_id));
            assert!(exists(Collection::Team, &t.team_id));
            assert!(exists(Collection::ContactServiceQueue, &t.queue_id));
            assert!(exists(Collection::Site, &t.site_id));
        }
        for c in &org.callbacks {
            assert!(exists(
                Collection::ContactServiceQueue,
                field(&c.record, "queueId")
            ));
            if let Some(agent) = c.record["assigneeAgent"].as_str() {
                assert!(exists(Collection::User, agent));
            }
            if let Some(task) = c.record["sourceInteraction"].as_str() {
                assert!(org.tasks.iter().any(|t| t.id == task));
            }
        }
        let subscriptions: Vec<&str> = org.subscriptions.iter().map(|s| field(s, "id")).collect();
        for w in &org.workspaces {
            for id in referenced_ids(w, "wxccSubscriptionIds") {
                assert!(subscriptions.contains(&id.as_str()));
            }
        }
        let (event_types, _) = event_types();
        let names: Vec<&str> = event_types.iter().map(|e| field(e, "name")).collect();
        for s in &org.subscriptions {
            for event in referenced_ids(s, "eventTypes") {
                assert!(names.contains(&event.as_str()), "{event}");
            }
        }
        for f in &org.flows {
            let latest = f.versions.last().unwrap();
            assert_eq!(f.basic["tags"][0]["flowVersionId"], latest["id"]);
            assert!(
                f.versions
                    .iter()
                    .chain([&f.draft])
                    .all(|v| v["flowId"] == f.basic["id"])
            );
        }
    }
}
