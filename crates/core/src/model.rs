//! Response types of the Contact Center and identity APIs the views read, following Cisco's
//! OpenAPI spec (`MetaDataWithPagingInfo`, `PaginationLinks`, `UserResponseDTO`, people/me).
//! Every field is optional or defaulted and unknown fields are ignored, so a newer API version
//! that adds or drops a field never breaks a view.

use serde::Deserialize;
use serde_json::Value;

/// `{meta, data}` of every configuration list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ListPage<T = Value> {
    #[serde(default)]
    pub meta: PageMeta,
    #[serde(default)]
    pub data: Vec<T>,
}

/// The spec's `MetaDataWithPagingInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageMeta {
    pub orgid: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    pub total_pages: Option<u32>,
    pub total_records: Option<u64>,
    pub links: Option<PageLinks>,
}

/// The spec's `PaginationLinks`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PageLinks {
    #[serde(rename = "self")]
    pub this: Option<String>,
    pub first: Option<String>,
    pub last: Option<String>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// The fields of `UserResponseDTO` the console shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
    pub team_ids: Vec<String>,
}

impl User {
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PeopleMe {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub emails: Vec<String>,
    /// Base64 of `ciscospark://us/ORGANIZATION/<uuid>`; see [`crate::token::decode_people_org_id`].
    pub org_id: Option<String>,
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
        let page: ListPage<User> = serde_json::from_str(body).unwrap();
        assert_eq!(page.meta.total_records, Some(300));
        assert_eq!(page.meta.links.unwrap().next.as_deref(), Some("/a?page=2"));
        assert_eq!(page.data[0].display_name(), "Ada Lovelace");
        assert_eq!(page.data[0].team_ids, vec!["t1"]);
    }

    #[test]
    fn missing_parts_default_instead_of_failing() {
        let page: ListPage<User> =
            serde_json::from_str(r#"{"data":[{"id":"u2","email":"x@y"}]}"#).unwrap();
        assert_eq!(page.meta, PageMeta::default());
        assert_eq!(page.data[0].display_name(), "x@y");
        let empty: ListPage = serde_json::from_str("{}").unwrap();
        assert!(empty.data.is_empty());
    }

    #[test]
    fn people_me() {
        let me: PeopleMe =
            serde_json::from_str(r#"{"displayName":"Avery","emails":["a@b"],"orgId":"Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi8x","x":1}"#)
                .unwrap();
        assert_eq!(me.display_name.as_deref(), Some("Avery"));
        assert_eq!(me.emails, vec!["a@b"]);
    }
}
