//! The response types follow Cisco's spec (found by `wxcc-spec-fixture`): every field they read
//! exists in the spec's schema, and the spec's own example of a user list decodes.

use serde_json::Value;
use wxcc_core::model::{ListPage, User};
use wxcc_spec_fixture::load_spec;

fn properties<'a>(spec: &'a Value, schema: &str) -> &'a serde_json::Map<String, Value> {
    spec["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{schema} has properties in the spec"))
}

#[test]
fn the_fields_read_exist_in_the_spec() {
    let spec = load_spec();
    let expected: [(&str, &[&str]); 3] = [
        (
            "MetaDataWithPagingInfo",
            &[
                "orgid",
                "page",
                "pageSize",
                "totalPages",
                "totalRecords",
                "links",
            ],
        ),
        (
            "PaginationLinks",
            &["self", "first", "last", "next", "prev"],
        ),
        (
            "UserResponseDTO",
            &["id", "firstName", "lastName", "email", "active", "teamIds"],
        ),
    ];
    for (schema, fields) in expected {
        let props = properties(&spec, schema);
        for field in fields {
            assert!(
                props.contains_key(*field),
                "{schema}.{field} is not in the spec"
            );
        }
    }
}

#[test]
fn the_spec_example_of_a_user_list_decodes() {
    let spec = load_spec();
    let example = &spec["paths"]["/organization/{orgid}/v2/user"]["get"]["responses"]["200"]["content"]
        ["application/json"]["example"];
    assert!(example.is_object(), "the spec has an example user list");
    let page = ListPage::from_value(example);
    assert!(!page.data.is_empty());
    assert!(!User::from_value(&page.data[0]).id.is_empty());
}
