//! The provisioning writes follow Cisco's spec (found by `wxcc-spec-fixture`): every property a
//! bulk item or a new team carries exists in the spec's schema, a new team has every property
//! `TeamDTO` requires, the spec's own example of a bulk result reads as the failure it shows, and
//! the spec still sets no item limit (which is why `batches::MAX_ITEMS_PER_REQUEST` is the
//! console's own).

use serde_json::Value;
use wxcc_core::provision::batches::plan_writes;
use wxcc_core::provision::bulk_answer::{Outcome, read_bulk_answer};
use wxcc_core::provision::diff::{FieldChange, UserDiff};
use wxcc_core::provision::resolve::TeamToCreate;
use wxcc_core::provision::settings::{Field, FieldValue};
use wxcc_core::provision::team_create::team_bulk_body;
use wxcc_spec_fixture::load_spec;

const ORG: &str = "f53c8b54-46ca-43f6-ba05-08426a46e23d";

fn schema<'a>(spec: &'a Value, name: &str) -> &'a Value {
    let schema = &spec["components"]["schemas"][name];
    assert!(schema.is_object(), "{name} is a schema of the spec");
    schema
}

fn property_names(spec: &Value, name: &str) -> Vec<String> {
    schema(spec, name)["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name} has properties"))
        .keys()
        .cloned()
        .collect()
}

fn assert_keys_in(object: &Value, spec: &Value, schema_name: &str) {
    let known = property_names(spec, schema_name);
    for key in object.as_object().expect("an object").keys() {
        assert!(
            known.contains(key),
            "{key} is not a property of {schema_name}"
        );
    }
}

/// A diff that changes every field, so the item holds every property provisioning writes.
fn every_field_diff() -> UserDiff {
    let id = |s: &str| FieldValue::Id(Some(s.to_owned()));
    let changes = Field::ALL
        .into_iter()
        .map(|field| FieldChange {
            field,
            before: FieldValue::Id(None),
            after: match field {
                Field::Teams => FieldValue::Ids(vec!["t1".into()]),
                Field::ContactCenterEnabled => FieldValue::Flag(Some(true)),
                _ => id("x1"),
            },
            teams_to_create: Vec::new(),
            before_label: String::new(),
            after_label: String::new(),
        })
        .collect();
    UserDiff {
        row: 2,
        user_id: "u1".into(),
        email: "a@example.com".into(),
        version: Some(1),
        last_updated_time: Some(1),
        changes,
    }
}

#[test]
fn a_bulk_user_item_uses_only_the_specs_property_names() {
    let spec = load_spec();
    let request = &spec["paths"]["/organization/{orgid}/user/bulk"]["patch"]["requestBody"]["content"]
        ["application/json"]["schema"]["$ref"];
    assert_eq!(request, "#/components/schemas/BulkRequestDTOUserDTO");
    let plan = plan_writes(&[every_field_diff()], &[], &[]);
    let body: Value = serde_json::from_str(&plan.batches[0].request_body(ORG)).unwrap();
    assert_keys_in(&body, &spec, "BulkRequestDTOUserDTO");
    let item = &body["items"][0];
    assert_keys_in(item, &spec, "BulkRequestItemDTOUserDTO");
    assert_keys_in(&item["item"], &spec, "UserDTO");
    assert_eq!(
        item["item"].as_object().unwrap().len(),
        3 + Field::ALL.len()
    );
    // The user list reads the same names back.
    let response = property_names(&spec, "UserResponseDTO");
    for field in Field::ALL {
        assert!(
            response.contains(&field.json_name().to_owned()),
            "{field:?}"
        );
    }
    for key in ["version", "lastUpdatedTime", "email", "id"] {
        assert!(response.contains(&key.to_owned()), "{key}");
    }
}

#[test]
fn the_spec_sets_no_limit_on_bulk_items() {
    let spec = load_spec();
    let items = &schema(&spec, "BulkRequestDTOUserDTO")["properties"]["items"];
    assert!(items.is_object());
    assert_eq!(
        items.get("maxItems"),
        None,
        "the spec now has a limit: use it"
    );
    let description =
        spec["paths"]["/organization/{orgid}/user/bulk"]["patch"]["requestBody"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
    for word in ["maximum", "at most", "limit"] {
        assert!(
            !description.contains(word),
            "the description mentions a {word}"
        );
    }
}

#[test]
fn the_specs_example_of_a_bulk_result_reads_as_its_failure() {
    let spec = load_spec();
    let result_schema = &spec["paths"]["/organization/{orgid}/user/bulk"]["patch"]["responses"]["207"]
        ["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(result_schema, "#/components/schemas/BulkResponseDTO");
    let example = &schema(&spec, "BulkResponseItemDTO")["example"];
    for key in ["itemIdentifier", "status", "apiError"] {
        assert!(example.get(key).is_some(), "the example has {key}");
    }
    let mut diff = every_field_diff();
    diff.changes.truncate(1);
    let mut plan = plan_writes(&[diff], &[], &[]);
    // Point the batch's one item at the example's identifier.
    let identifier = example["itemIdentifier"].as_u64().unwrap() as u32;
    plan.batches[0].items[0].item_identifier = identifier;
    let answer = serde_json::json!({"items": [example]}).to_string();
    let outcome = &read_bulk_answer(&plan.batches[0], 207, &answer)[0].outcome;
    assert_eq!(
        outcome,
        &Outcome::Failed {
            reason: "siteId: not found for given orgId. (HTTP 400, tracking ID ccconfig_c1a4fcef-aee2-4dea-8977-29f594760552)".into()
        }
    );
}

#[test]
fn a_new_team_has_what_teamdto_requires_and_nothing_else() {
    let spec = load_spec();
    let team = TeamToCreate {
        name: "Night".into(),
        site_id: "s1".into(),
        first_line: 2,
    };
    let body: Value = serde_json::from_str(&team_bulk_body(&[team], 0..1, ORG)).unwrap();
    assert_keys_in(&body, &spec, "BulkRequestDTOTeamDTO");
    assert_keys_in(&body["items"][0], &spec, "BulkRequestItemDTOTeamDTO");
    let item = &body["items"][0]["item"];
    assert_keys_in(item, &spec, "TeamDTO");
    for required in schema(&spec, "TeamDTO")["required"].as_array().unwrap() {
        let required = required.as_str().unwrap();
        assert!(item.get(required).is_some(), "a new team lacks {required}");
    }
    let statuses = &schema(&spec, "TeamDTO")["properties"]["teamStatus"]["enum"];
    assert!(statuses.as_array().unwrap().contains(&item["teamStatus"]));
    let types = &schema(&spec, "TeamDTO")["properties"]["teamType"]["enum"];
    assert!(types.as_array().unwrap().contains(&item["teamType"]));
}
