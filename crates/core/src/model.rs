//! Response types of the Contact Center and identity APIs the views read, following Cisco's
//! OpenAPI spec (`MetaDataWithPagingInfo`, `PaginationLinks`, `UserResponseDTO`, people/me).
//! Every field is optional or defaulted and unknown fields are ignored, so a newer API version
//! that adds or drops a field never breaks a view.
//!
//! They are read from an already parsed [`Value`] field by field (`from_value`) rather than through
//! a derived `Deserialize`: the same tolerance (a missing or wrongly typed field is `None` or empty,
//! never an error for the whole answer) at a fraction of the wasm that serde's visitors take.

use serde_json::Value;

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn number(value: &Value, key: &str) -> Option<u64> {
    value.get(key).and_then(Value::as_u64)
}

fn small_number(value: &Value, key: &str) -> Option<u32> {
    number(value, key).and_then(|n| u32::try_from(n).ok())
}

fn texts(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// `{meta, data}` of every configuration list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    pub meta: PageMeta,
    pub data: Vec<Value>,
}

impl ListPage {
    pub fn from_value(value: &Value) -> ListPage {
        ListPage {
            meta: value
                .get("meta")
                .map(PageMeta::from_value)
                .unwrap_or_default(),
            data: value
                .get("data")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// The spec's `MetaDataWithPagingInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub orgid: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    pub total_pages: Option<u32>,
    pub total_records: Option<u64>,
    pub links: Option<PageLinks>,
}

impl PageMeta {
    pub fn from_value(value: &Value) -> PageMeta {
        PageMeta {
            orgid: text(value, "orgid"),
            page: small_number(value, "page"),
            page_size: small_number(value, "pageSize"),
            total_pages: small_number(value, "totalPages"),
            total_records: number(value, "totalRecords"),
            links: value
                .get("links")
                .filter(|links| links.is_object())
                .map(PageLinks::from_value),
        }
    }
}

/// The spec's `PaginationLinks`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// `self` in the JSON.
    pub this: Option<String>,
    pub first: Option<String>,
    pub last: Option<String>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl PageLinks {
    pub fn from_value(value: &Value) -> PageLinks {
        PageLinks {
            this: text(value, "self"),
            first: text(value, "first"),
            last: text(value, "last"),
            next: text(value, "next"),
            prev: text(value, "prev"),
        }
    }
}

/// The fields of `UserResponseDTO` the console shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
    pub team_ids: Vec<String>,
}

impl User {
    pub fn from_value(value: &Value) -> User {
        User {
            id: text(value, "id").unwrap_or_default(),
            first_name: text(value, "firstName"),
            last_name: text(value, "lastName"),
            email: text(value, "email"),
            active: value.get("active").and_then(Value::as_bool),
            team_ids: texts(value, "teamIds"),
        }
    }

    /// "First Last", or the email, or the id.
    pub fn display_name(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.trim().is_empty() {
            name
        } else {
            self.email.clone().unwrap_or_else(|| self.id.clone())
        }
    }
}

/// `GET /v1/people/me`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleMe {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub emails: Vec<String>,
    /// Base64 of `ciscospark://us/ORGANIZATION/<uuid>`; see [`crate::token::decode_people_org_id`].
    pub org_id: Option<String>,
}

impl PeopleMe {
    pub fn from_value(value: &Value) -> PeopleMe {
        PeopleMe {
            id: text(value, "id"),
            display_name: text(value, "displayName"),
            emails: texts(value, "emails"),
            org_id: text(value, "orgId"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_user_page_and_ignores_unknown_fields() {
        let body = r#"{"meta":{"orgid":"o","page":1,"pageSize":10,"totalPages":30,"totalRecords":300,
            "links":{"self":"/a?page=1","next":"/a?page=2","prev":"/a?page=0"},"newField":true},
            "data":[{"id":"u1","firstName":"Ada","lastName":"Lovelace","email":"ada@example.com",
            "active":true,"teamIds":["t1"],"imiUserCreated":false}]}"#;
        let page = ListPage::from_value(&serde_json::from_str(body).unwrap());
        assert_eq!(page.meta.total_records, Some(300));
        assert_eq!(page.meta.total_pages, Some(30));
        assert_eq!(page.meta.page_size, Some(10));
        assert_eq!(page.meta.orgid.as_deref(), Some("o"));
        let links = page.meta.links.unwrap();
        assert_eq!(links.this.as_deref(), Some("/a?page=1"));
        assert_eq!(links.next.as_deref(), Some("/a?page=2"));
        assert_eq!(links.last, None);
        let user = User::from_value(&page.data[0]);
        assert_eq!(user.display_name(), "Ada Lovelace");
        assert_eq!(user.team_ids, vec!["t1"]);
        assert_eq!(user.active, Some(true));
    }

    #[test]
    fn missing_parts_default_instead_of_failing() {
        let page = ListPage::from_value(
            &serde_json::from_str(r#"{"data":[{"id":"u2","email":"x@y"}]}"#).unwrap(),
        );
        assert_eq!(page.meta, PageMeta::default());
        assert_eq!(User::from_value(&page.data[0]).display_name(), "x@y");
        assert_eq!(
            User::from_value(&serde_json::json!({"id": "u3"})).display_name(),
            "u3"
        );
        assert_eq!(
            ListPage::from_value(&serde_json::json!({})),
            ListPage::default()
        );
    }

    #[test]
    fn wrongly_typed_fields_are_missing_not_fatal() {
        let odd = serde_json::json!({
            "meta": {"totalRecords": "300", "totalPages": -1, "page": 5_000_000_000u64, "links": "x"},
            "data": {"not": "a list"}
        });
        let page = ListPage::from_value(&odd);
        assert_eq!(page, ListPage::default());
        let me = PeopleMe::from_value(
            &serde_json::json!({"displayName": 7, "emails": ["a@b", 3, null]}),
        );
        assert_eq!(me.display_name, None);
        assert_eq!(me.emails, vec!["a@b"]);
        assert_eq!(
            ListPage::from_value(&serde_json::json!([1, 2])),
            ListPage::default()
        );
    }

    #[test]
    fn people_me() {
        let me = PeopleMe::from_value(
            &serde_json::from_str(r#"{"id":"p1","displayName":"Avery","emails":["a@b"],"orgId":"Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8x","x":1}"#)
                .unwrap(),
        );
        assert_eq!(me.id.as_deref(), Some("p1"));
        assert_eq!(
            me.org_id.as_deref(),
            Some("Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8x")
        );
        assert_eq!(me.display_name.as_deref(), Some("Avery"));
        assert_eq!(me.emails, vec!["a@b"]);
    }
}
