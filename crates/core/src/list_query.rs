//! The paging/filter/search query shared by every Contact Center list view, encoded for the API
//! call and read back from the address bar so deep links survive a reload.

/// Default page size of the list views.
pub const DEFAULT_PAGE_SIZE: u32 = 25;

/// Query of a list endpoint such as `GET /organization/{orgid}/v2/user`. Names follow the spec
/// (`page` starts at 0, `pageSize`, `filter` in RSQL, `attributes` comma-separated, `search`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub page: u32,
    pub page_size: u32,
    pub filter: Option<String>,
    /// Sent as one comma-separated `attributes` parameter.
    pub attributes: Option<String>,
    pub search: Option<String>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            page: 0,
            page_size: DEFAULT_PAGE_SIZE,
            filter: None,
            attributes: None,
            search: None,
        }
    }
}

fn non_blank(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ListQuery {
    /// Sets the projected attributes from a list (empty list = all attributes).
    pub fn with_attributes<S: AsRef<str>>(mut self, attributes: &[S]) -> Self {
        let joined: Vec<&str> = attributes
            .iter()
            .map(AsRef::as_ref)
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        self.attributes = (!joined.is_empty()).then(|| joined.join(","));
        self
    }

    /// Whether `name` is one of the projected attributes.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes
            .as_deref()
            .is_some_and(|list| list.split(',').any(|a| a.trim() == name))
    }

    /// The form-encoded query string (no leading `?`), blank fields left out.
    pub fn to_query_string(&self) -> String {
        let mut pairs = vec![
            ("page", self.page.to_string()),
            ("pageSize", self.page_size.to_string()),
        ];
        for (name, value) in [
            ("filter", &self.filter),
            ("attributes", &self.attributes),
            ("search", &self.search),
        ] {
            if let Some(value) = non_blank(value.clone()) {
                pairs.push((name, value));
            }
        }
        crate::route::form_encode(&pairs)
    }

    /// Reads a query string back (leading `?` allowed). Unknown parameters are ignored and bad
    /// numbers fall back to the defaults, so a mangled deep link still opens the view.
    pub fn from_query_string(query: &str) -> ListQuery {
        let pairs = crate::route::query_pairs(query);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        ListQuery {
            page: get("page").and_then(|v| v.parse().ok()).unwrap_or(0),
            page_size: get("pageSize")
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(DEFAULT_PAGE_SIZE),
            filter: non_blank(get("filter")),
            attributes: non_blank(get("attributes")),
            search: non_blank(get("search")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rsql::Filter;

    #[test]
    fn encodes_every_parameter() {
        let query = ListQuery {
            page: 2,
            page_size: 50,
            filter: Some(Filter::eq("firstName", "Ann Lee").to_rsql()),
            search: Some("Cisco".into()),
            ..ListQuery::default()
        }
        .with_attributes(&["id", " email ", ""]);
        assert_eq!(
            query.to_query_string(),
            "page=2&pageSize=50&filter=firstName%3D%3D%22Ann+Lee%22&attributes=id%2Cemail&search=Cisco"
        );
    }

    #[test]
    fn knows_its_projected_attributes() {
        let query = ListQuery::default().with_attributes(&["id", " email "]);
        assert!(query.has_attribute("id") && query.has_attribute("email"));
        assert!(!query.has_attribute("name") && !query.has_attribute("em"));
        assert!(!ListQuery::default().has_attribute("id"));
    }

    #[test]
    fn blank_fields_are_left_out() {
        let query = ListQuery {
            search: Some("  ".into()),
            ..ListQuery::default()
        }
        .with_attributes::<&str>(&[]);
        assert_eq!(query.to_query_string(), "page=0&pageSize=25");
    }

    #[test]
    fn round_trips_through_the_address_bar() {
        let query = ListQuery {
            page: 3,
            page_size: 10,
            filter: Some(r#"id=in=(a,b);name=="x \"y\"""#.into()),
            attributes: Some("id,name".into()),
            search: Some("a&b=c".into()),
        };
        assert_eq!(
            ListQuery::from_query_string(&format!("?{}", query.to_query_string())),
            query
        );
    }

    #[test]
    fn mangled_deep_links_fall_back_to_defaults() {
        assert_eq!(ListQuery::from_query_string(""), ListQuery::default());
        assert_eq!(
            ListQuery::from_query_string("page=-1&pageSize=0&x=1&%zz"),
            ListQuery::default()
        );
    }
}
