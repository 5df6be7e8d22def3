//! API records as table rows people can read: nested fields flattened to dotted paths, and each
//! cell classified as a time, a duration, a name that links to its record (the id kept for
//! machines), or a plain value. The CSV export uses the same paths with the raw values.

use serde_json::Value;

use crate::activity::{NAMED_IDS, is_duration_field, is_time_field};

/// Nested objects whose `{id, name}` is a record the console lists: `(key, list slug)`.
const NAMED_OBJECTS: [(&str, &str); 10] = [
    ("owner", "users"),
    ("agent", "users"),
    ("queue", "queues"),
    ("team", "teams"),
    ("site", "sites"),
    // The Search API's task records (`lastQueue { id name }` …).
    ("lastAgent", "users"),
    ("lastQueue", "queues"),
    ("lastTeam", "teams"),
    ("lastSite", "sites"),
    ("lastEntryPoint", "entry-points"),
];

/// Every scalar field of a record with its dotted path (`attributes.owner.name`), in the API's
/// order; arrays stay whole (shown and exported as JSON).
pub fn flatten(record: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk("", record, &mut out);
    out
}

fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                walk(&path, inner, out);
            }
        }
        other => out.push((prefix.to_owned(), other.clone())),
    }
}

/// How a cell is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// Epoch milliseconds: shown as a date and time in the browser's locale and time zone.
    Time(u64),
    /// Milliseconds: shown as `1 h 05 min`.
    Duration(u64),
    /// A record the console lists, shown by name and linking to `/config/{slug}/{id}`.
    Named {
        name: String,
        id: String,
        slug: &'static str,
    },
    /// Anything else, as the API sent it.
    Raw(Value),
}

fn last(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn parent(path: &str) -> &str {
    path.rsplit_once('.').map(|(p, _)| p).unwrap_or("")
}

fn sibling(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn find<'a>(row: &'a [(String, Value)], path: &str) -> Option<&'a Value> {
    row.iter().find(|(p, _)| p == path).map(|(_, v)| v)
}

/// The name field shown in place of an id field at `path`, and the list it links to.
fn name_for(path: &str) -> Option<(String, &'static str)> {
    let key = last(path);
    if let Some((_, name, slug)) = NAMED_IDS.iter().find(|(id, _, _)| *id == key) {
        return Some((sibling(parent(path), name), slug));
    }
    if key == "id" {
        let owner = last(parent(path));
        if let Some((_, slug)) = NAMED_OBJECTS.iter().find(|(k, _)| *k == owner) {
            return Some((sibling(parent(path), "name"), slug));
        }
    }
    None
}

/// How the cell at `path` of a flattened row is shown.
pub fn shown(row: &[(String, Value)], path: &str) -> Shown {
    let Some(value) = find(row, path) else {
        return Shown::Raw(Value::Null);
    };
    let key = last(path);
    if is_time_field(key, value) {
        return Shown::Time(value.as_u64().unwrap_or_default());
    }
    if is_duration_field(key)
        && let Some(ms) = value.as_u64()
    {
        return Shown::Duration(ms);
    }
    if let (Some((name_path, slug)), Some(id)) = (name_for(path), value.as_str())
        && let Some(name) = find(row, &name_path)
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
    {
        return Shown::Named {
            name: name.to_owned(),
            id: id.to_owned(),
            slug,
        };
    }
    Shown::Raw(value.clone())
}

/// The columns a table shows for `rows`: the flattened paths in first-seen order, without the name
/// fields that are shown in place of their ids, at most `max`.
pub fn columns(rows: &[Vec<(String, Value)>], max: usize) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for row in rows {
        for (path, _) in row {
            if !all.contains(path) {
                all.push(path.clone());
            }
        }
    }
    let replaced: Vec<String> = all
        .iter()
        .filter_map(|p| name_for(p).map(|(name, _)| name))
        .collect();
    let shown: Vec<String> = all.into_iter().filter(|p| !replaced.contains(p)).collect();
    // What people look for first: the record's id, the names, the times; then the rest in the
    // API's order (one pass per rank keeps that order, with no sort in the wasm).
    let rank = |p: &str| {
        if p == "id" {
            0
        } else if name_for(p).is_some() {
            1
        } else if last(p).ends_with("Time") {
            2
        } else {
            3
        }
    };
    let mut shown: Vec<String> = (0..4)
        .flat_map(|r| shown.iter().filter(move |p| rank(p) == r).cloned())
        .collect();
    shown.truncate(max);
    shown
}

/// A column's heading: the field's own name, or for a record shown by name the field that holds it
/// (`owner` for `attributes.owner.id`, `agent` for `agentId`).
pub fn heading(path: &str) -> &str {
    let key = last(path);
    match name_for(path) {
        Some(_) if key == "id" => last(parent(path)),
        Some(_) => key.strip_suffix("Id").unwrap_or(key),
        None => key,
    }
}

/// Every path of any row, in first-seen order: the CSV export's header.
pub fn all_paths(rows: &[Vec<(String, Value)>]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for row in rows {
        for (path, _) in row {
            if !all.contains(path) {
                all.push(path.clone());
            }
        }
    }
    all
}

/// The raw value at `path` (for the CSV export).
pub fn raw<'a>(row: &'a [(String, Value)], path: &str) -> Option<&'a Value> {
    find(row, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn task() -> Value {
        json!({"id": "t1", "attributes": {"owner": {"id": "u1", "name": "Ann Lee"},
               "queue": {"id": "q1", "name": "Sales"}, "channelType": "chat",
               "createdTime": 1_795_943_700_000u64, "tags": ["a", "b"]}})
    }

    #[test]
    fn nested_fields_flatten_to_dotted_paths() {
        // The order is the object's: the API's in the browser (serde_json's preserve_order), sorted
        // natively.
        let mut paths: Vec<String> = flatten(&task()).into_iter().map(|(p, _)| p).collect();
        paths.sort();
        let mut expected = vec![
            "id",
            "attributes.owner.id",
            "attributes.owner.name",
            "attributes.queue.id",
            "attributes.queue.name",
            "attributes.channelType",
            "attributes.createdTime",
            "attributes.tags",
        ];
        expected.sort();
        assert_eq!(paths, expected);
    }

    #[test]
    fn cells_are_times_durations_names_or_raw() {
        let row = flatten(&task());
        assert_eq!(
            shown(&row, "attributes.createdTime"),
            Shown::Time(1_795_943_700_000)
        );
        assert_eq!(
            shown(&row, "attributes.owner.id"),
            Shown::Named {
                name: "Ann Lee".into(),
                id: "u1".into(),
                slug: "users"
            }
        );
        assert_eq!(
            shown(&row, "attributes.queue.id"),
            Shown::Named {
                name: "Sales".into(),
                id: "q1".into(),
                slug: "queues"
            }
        );
        assert_eq!(
            shown(&row, "attributes.channelType"),
            Shown::Raw(json!("chat"))
        );
        assert_eq!(shown(&row, "missing"), Shown::Raw(Value::Null));
        let stats = flatten(
            &json!({"agentId": "u2", "agentName": "Bo", "teamId": "t9", "teamName": "",
                                   "totalEngagedDuration": 3_900_000}),
        );
        assert_eq!(
            shown(&stats, "agentId"),
            Shown::Named {
                name: "Bo".into(),
                id: "u2".into(),
                slug: "users"
            }
        );
        assert_eq!(
            shown(&stats, "teamId"),
            Shown::Raw(json!("t9")),
            "no name: the id is shown"
        );
        assert_eq!(
            shown(&stats, "totalEngagedDuration"),
            Shown::Duration(3_900_000)
        );
    }

    #[test]
    fn columns_hide_the_names_shown_in_place_of_ids() {
        let rows = vec![flatten(&task()), flatten(&json!({"id": "t2", "extra": 1}))];
        let shown = columns(&rows, 10);
        assert_eq!(
            shown.last().map(String::as_str),
            Some("extra"),
            "first-seen order across rows"
        );
        assert_eq!(shown[0], "id");
        assert_eq!(heading("attributes.owner.id"), "owner");
        assert_eq!(heading("agentId"), "agent");
        assert_eq!(heading("attributes.createdTime"), "createdTime");
        assert_eq!(heading("id"), "id");
        assert!(
            shown[1].ends_with(".id") && shown[2].ends_with(".id"),
            "names next: {shown:?}"
        );
        assert_eq!(shown[3], "attributes.createdTime", "then times");
        assert_eq!(
            columns(&rows, 3),
            ["id", shown[1].as_str(), shown[2].as_str()],
            "the names survive a narrow table"
        );
        let mut sorted = shown.clone();
        sorted.sort();
        let mut expected = vec![
            "id",
            "attributes.owner.id",
            "attributes.queue.id",
            "attributes.channelType",
            "attributes.createdTime",
            "attributes.tags",
            "extra",
        ];
        expected.sort();
        assert_eq!(sorted, expected);
        assert_eq!(columns(&rows, 2).len(), 2);
        assert!(all_paths(&rows).contains(&"attributes.owner.name".to_string()));
        assert_eq!(
            raw(&rows[0], "attributes.createdTime"),
            Some(&json!(1_795_943_700_000u64))
        );
    }
}
