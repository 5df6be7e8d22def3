//! Address books (speed dials): one for the organisation and one per site, with their entries.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Collection, OrgData, field, record};
use crate::ids::SeededRng;

const ENTRIES: &[&str] = &[
    "Main Reception",
    "IT Helpdesk",
    "Escalations Desk",
    "Facilities",
    "Security Office",
];

/// The books, and each book's entries by book id.
pub(super) fn address_books(
    rng: &mut SeededRng,
    org: &str,
    data: &OrgData,
) -> (Vec<Value>, BTreeMap<String, Vec<Value>>) {
    let owners = std::iter::once(("Global Directory".to_string(), None)).chain(
        data.records(Collection::Site).iter().map(|s| {
            (
                format!("{} Directory", field(s, "name")),
                Some(field(s, "id").to_string()),
            )
        }),
    );
    let mut books = Vec::new();
    let mut entries = BTreeMap::new();
    for (name, site) in owners {
        let mut book = json!({
            // The spec restricts descriptions of books with entries to letters, digits, . _ - and spaces.
            "name": name, "description": format!("Speed dials for {name}"),
            "parentType": if site.is_some() { "SITE" } else { "ORGANIZATION" },
        });
        if let Some(site) = site {
            book["siteId"] = json!(site);
        }
        let book = record(rng, org, book);
        let count = 3 + rng.below(3) as usize;
        let book_entries: Vec<Value> = ENTRIES
            .iter()
            .take(count)
            .map(|entry| {
                let number = format!("+1415555{:04}", rng.below(10_000));
                record(rng, org, json!({"name": entry, "number": number}))
            })
            .collect();
        entries.insert(field(&book, "id").to_string(), book_entries);
        books.push(book);
    }
    (books, entries)
}
