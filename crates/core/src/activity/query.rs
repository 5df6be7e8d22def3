//! The GraphQL requests of the Activity page for Webex's Search API (`POST /search`): one request
//! per chart, aggregated by the API (counts, sums, averages grouped by channel, interval, queue or
//! agent) rather than pages of raw records, plus the raw task records a page at a time.
//!
//! The window goes in as the variables `$from`/`$to` (`Long!`, epoch ms), as Cisco's samples do;
//! the interval, the time zone and the paging cursor are written into the query text as literals
//! (the `Pagination` input type is unpublished, and literals are what the samples send).

use crate::json::{ObjectWriter, quote};

use super::window::{Interval, Window};

/// A request body for `POST /search`: `{"query": …, "variables": {"from": …, "to": …}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    pub window: Window,
}

impl SearchRequest {
    fn new(query: String, window: Window) -> SearchRequest {
        SearchRequest { query, window }
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        body(&self.query, &variables(self.window))
    }
}

/// `{"from": …, "to": …}`.
pub fn variables(window: Window) -> String {
    ObjectWriter::default()
        .number("from", window.from)
        .number("to", window.to)
        .finish()
}

/// A body from a query and variables already written as JSON (the explorer's editor).
pub fn body(query: &str, variables_json: &str) -> String {
    ObjectWriter::default()
        .text("query", query)
        .json("variables", variables_json)
        .finish()
}

/// The operation's head: the two variables every request takes.
const HEAD: &str = "query ($from: Long!, $to: Long!)";

/// `{ field: "id", type: count, name: "…" }`, optionally with a sub-filter (that aggregation only).
fn aggregation(field: &str, kind: &str, name: &str, filter: Option<&str>) -> String {
    match filter {
        Some(filter) => {
            format!("{{ field: {field:?}, type: {kind}, name: {name:?}, filter: {filter} }}")
        }
        None => format!("{{ field: {field:?}, type: {kind}, name: {name:?} }}"),
    }
}

/// One aggregation query: `query_name(from, to, extra arguments, aggregations: […]) { list {
/// group keys, aggregation { name value } } pageInfo { … } }`.
fn aggregated(
    query_name: &str,
    list: &str,
    arguments: &str,
    aggregations: &[String],
    group_by: &str,
) -> String {
    format!(
        "{HEAD} {{\n  {query_name}(from: $from, to: $to{arguments},\n    aggregations: [\n      {}\n    ]) {{\n    \
         {list} {{ {group_by}aggregation {{ name value }} }}\n    pageInfo {{ hasNextPage endCursor }}\n  }}\n}}\n",
        aggregations.join("\n      ")
    )
}

/// The sub-filter of abandoned contacts in `taskDetails` (CSR) and `taskLegDetails` (CLR).
const CSR_ABANDONED: &str = r#"{ contactHandleType: { equals: "abandoned" } }"#;
const CLR_ABANDONED: &str = r#"{ handleType: { equals: "abandoned" } }"#;

/// Aggregation names: the readers match answers on these (the API may reorder them).
pub mod names {
    pub const CONTACTS: &str = "contacts";
    pub const OFFERED: &str = "offered";
    pub const HANDLED: &str = "handled";
    pub const ABANDONED: &str = "abandoned";
    pub const AVERAGE_QUEUE_MS: &str = "averageQueueMs";
    pub const MAX_QUEUE_MS: &str = "maxQueueMs";
    /// The agent states `agentSession` measures (`channelInfo.<field>`), with their labels and
    /// aggregation names.
    pub const STATES: [(&str, &str, &str); 6] = [
        ("Available", "availableDuration", "availableMs"),
        ("Idle", "idleDuration", "idleMs"),
        ("Ringing", "ringingDuration", "ringingMs"),
        ("Connected", "connectedDuration", "connectedMs"),
        ("Hold", "holdDuration", "holdMs"),
        ("Wrap-up", "wrapupDuration", "wrapupMs"),
    ];
}

/// Contacts created in the window, per channel (Cisco's example 4.1).
pub fn contacts_by_channel(window: Window) -> SearchRequest {
    let count = [aggregation("id", "count", names::CONTACTS, None)];
    SearchRequest::new(
        aggregated("taskDetails", "tasks", "", &count, "channelType "),
        window,
    )
}

/// Contacts offered to agents, handled by agents and abandoned, per interval, bucketed in the
/// browser's time zone.
pub fn contacts_per_interval(window: Window, interval: Interval, time_zone: &str) -> SearchRequest {
    let zone = if time_zone.is_empty() {
        "UTC"
    } else {
        time_zone
    };
    let arguments = format!(
        ",\n    aggregationInterval: {{ interval: {}, timezone: {} }}",
        interval.graphql_name(),
        quote(zone)
    );
    let aggregations = [
        aggregation(
            "id",
            "count",
            names::OFFERED,
            Some("{ isContactOffered: { equals: true } }"),
        ),
        aggregation(
            "id",
            "count",
            names::HANDLED,
            Some("{ isContactHandled: { equals: true } }"),
        ),
        aggregation("id", "count", names::ABANDONED, Some(CSR_ABANDONED)),
    ];
    SearchRequest::new(
        aggregated(
            "taskDetails",
            "tasks",
            &arguments,
            &aggregations,
            "intervalStartTime ",
        ),
        window,
    )
}

/// Where the per-queue figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueSource {
    /// `taskLegDetails`: one record per leg in a queue, so a contact counts in every queue it
    /// waited in (Early Access at Webex).
    Legs,
    /// `taskDetails`: one record per contact, counted in its last queue (every org has it).
    Contacts,
}

impl QueueSource {
    pub fn query_name(self) -> &'static str {
        match self {
            QueueSource::Legs => "taskLegDetails",
            QueueSource::Contacts => "taskDetails",
        }
    }

    pub fn list(self) -> &'static str {
        match self {
            QueueSource::Legs => "taskLegs",
            QueueSource::Contacts => "tasks",
        }
    }

    /// The object holding the queue's id and name in a record.
    pub fn queue_object(self) -> &'static str {
        match self {
            QueueSource::Legs => "queue",
            QueueSource::Contacts => "lastQueue",
        }
    }
}

/// Per queue: contacts, abandoned contacts, average and longest time in queue.
pub fn per_queue(window: Window, source: QueueSource) -> SearchRequest {
    let abandoned = match source {
        QueueSource::Legs => CLR_ABANDONED,
        QueueSource::Contacts => CSR_ABANDONED,
    };
    let aggregations = [
        aggregation("id", "count", names::CONTACTS, None),
        aggregation("id", "count", names::ABANDONED, Some(abandoned)),
        aggregation("queueDuration", "average", names::AVERAGE_QUEUE_MS, None),
        aggregation("queueDuration", "max", names::MAX_QUEUE_MS, None),
    ];
    let group_by = format!("{} {{ id name }} ", source.queue_object());
    SearchRequest::new(
        aggregated(
            source.query_name(),
            source.list(),
            "",
            &aggregations,
            &group_by,
        ),
        window,
    )
}

/// Per agent: contacts handled (connected) and time in each state, summed over the agent's
/// sessions that started in the window.
pub fn per_agent(window: Window) -> SearchRequest {
    let mut aggregations = vec![aggregation(
        "channelInfo.connectedCount",
        "sum",
        names::HANDLED,
        None,
    )];
    aggregations.extend(
        names::STATES.iter().map(|(_, field, name)| {
            aggregation(&format!("channelInfo.{field}"), "sum", name, None)
        }),
    );
    SearchRequest::new(
        aggregated(
            "agentSession",
            "agentSessions",
            "",
            &aggregations,
            "agentId agentName ",
        ),
        window,
    )
}

/// How many contacts the window has: the total beside the raw records.
pub fn task_total(window: Window) -> SearchRequest {
    let count = [aggregation("id", "count", names::CONTACTS, None)];
    SearchRequest::new(aggregated("taskDetails", "tasks", "", &count, ""), window)
}

/// The fields of a raw task record the table and the CSV show.
pub const TASK_FIELDS: &str = "id channelType direction status createdTime endedTime totalDuration \
    queueDuration connectedDuration holdDuration wrapupDuration terminationType contactHandleType \
    lastQueue { id name } lastAgent { id name } lastTeam { id name } lastSite { id name }";

/// The first cursor (`"NA"`), as Cisco documents it.
pub const FIRST_CURSOR: &str = "NA";

/// One page of raw task records (250 a page, the API's size) from `cursor` on (Cisco's example
/// 4.4 without its filter, so the records are the ones the charts count).
pub fn task_page(window: Window, cursor: &str) -> SearchRequest {
    let query = format!(
        "{HEAD} {{\n  taskDetails(from: $from, to: $to, pagination: {{ cursor: {} }}) {{\n    \
         tasks {{ {TASK_FIELDS} }}\n    pageInfo {{ hasNextPage endCursor }}\n  }}\n}}\n",
        quote(cursor)
    );
    SearchRequest::new(query, window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql_parser::parse_query;
    use async_graphql_parser::types::{DocumentOperations, Selection};

    const WINDOW: Window = Window {
        from: 1_772_409_600_000,
        to: 1_772_496_000_000,
    };

    /// Every request the builder writes, each named.
    fn every_request() -> Vec<(&'static str, SearchRequest)> {
        let mut all = vec![
            ("by channel", contacts_by_channel(WINDOW)),
            ("per queue, legs", per_queue(WINDOW, QueueSource::Legs)),
            (
                "per queue, contacts",
                per_queue(WINDOW, QueueSource::Contacts),
            ),
            ("per agent", per_agent(WINDOW)),
            ("total", task_total(WINDOW)),
            ("first page", task_page(WINDOW, FIRST_CURSOR)),
            ("next page", task_page(WINDOW, "channelType=\"x\"::id=5")),
        ];
        for interval in [
            Interval::FifteenMinutes,
            Interval::ThirtyMinutes,
            Interval::Hourly,
            Interval::Daily,
        ] {
            all.push((
                "per interval",
                contacts_per_interval(WINDOW, interval, "America/New_York"),
            ));
        }
        all.push((
            "no zone",
            contacts_per_interval(WINDOW, Interval::Daily, ""),
        ));
        all
    }

    /// The one top-level field of the one operation, and its selection's field names.
    fn top_field(query: &str) -> (String, Vec<String>) {
        let document = parse_query(query).unwrap_or_else(|e| panic!("{e}\n{query}"));
        let DocumentOperations::Single(operation) = document.operations else {
            panic!("one anonymous operation expected");
        };
        let operation = operation.node;
        let names: Vec<String> = operation
            .variable_definitions
            .iter()
            .map(|v| v.node.name.node.to_string())
            .collect();
        assert_eq!(names, ["from", "to"]);
        let [selection] = operation.selection_set.node.items.as_slice() else {
            panic!("one query field expected");
        };
        let Selection::Field(field) = &selection.node else {
            panic!("a field expected");
        };
        let inner = field
            .node
            .selection_set
            .node
            .items
            .iter()
            .filter_map(|s| match &s.node {
                Selection::Field(f) => Some(f.node.name.node.to_string()),
                _ => None,
            })
            .collect();
        (field.node.name.node.to_string(), inner)
    }

    #[test]
    fn every_query_is_valid_graphql_with_one_field_and_the_window_variables() {
        for (what, request) in every_request() {
            let (name, inner) = top_field(&request.query);
            assert!(
                ["taskDetails", "taskLegDetails", "agentSession"].contains(&name.as_str()),
                "{what}: {name}"
            );
            assert!(inner.contains(&"pageInfo".to_string()), "{what}");
        }
    }

    #[test]
    fn the_body_is_json_with_the_query_and_the_window() {
        let request = contacts_by_channel(WINDOW);
        let body: serde_json::Value = serde_json::from_str(&request.body()).unwrap();
        assert_eq!(body["query"], request.query.as_str());
        assert_eq!(body["variables"]["from"], WINDOW.from);
        assert_eq!(body["variables"]["to"], WINDOW.to);
    }

    #[test]
    fn aggregation_queries_name_what_they_count_and_group_by() {
        let q = contacts_by_channel(WINDOW).query;
        assert!(q.contains(r#"{ field: "id", type: count, name: "contacts" }"#));
        assert!(q.contains("tasks { channelType aggregation { name value } }"));
        let q = contacts_per_interval(WINDOW, Interval::Hourly, "Asia/Kolkata").query;
        assert!(
            q.contains(r#"aggregationInterval: { interval: HOURLY, timezone: "Asia/Kolkata" }"#)
        );
        assert!(q.contains("intervalStartTime aggregation"));
        assert!(q.contains(r#"filter: { contactHandleType: { equals: "abandoned" } }"#));
        let q = contacts_per_interval(WINDOW, Interval::Daily, "").query;
        assert!(q.contains(r#"timezone: "UTC""#));
        let legs = per_queue(WINDOW, QueueSource::Legs).query;
        assert!(legs.contains("taskLegDetails(") && legs.contains("taskLegs { queue { id name }"));
        assert!(legs.contains(r#"handleType: { equals: "abandoned" }"#));
        let contacts = per_queue(WINDOW, QueueSource::Contacts).query;
        assert!(contacts.contains("tasks { lastQueue { id name }"));
        assert!(contacts.contains(r#"field: "queueDuration", type: max"#));
        let agents = per_agent(WINDOW).query;
        assert!(agents.contains("agentSessions { agentId agentName aggregation"));
        assert!(
            agents.contains(r#"field: "channelInfo.wrapupDuration", type: sum, name: "wrapupMs""#)
        );
        assert!(
            agents.contains(r#"field: "channelInfo.connectedCount", type: sum, name: "handled""#)
        );
        assert!(!task_total(WINDOW).query.contains("channelType"));
    }

    #[test]
    fn pages_carry_their_cursor_as_a_string_literal_and_no_aggregation() {
        let first = task_page(WINDOW, FIRST_CURSOR).query;
        assert!(first.contains(r#"pagination: { cursor: "NA" }"#));
        assert!(!first.contains("aggregation"));
        assert!(first.contains("lastAgent { id name }"));
        // A cursor with quotes stays one string.
        let odd = task_page(WINDOW, "a\"b").query;
        assert!(odd.contains(r#"cursor: "a\"b""#));
        top_field(&odd);
    }

    #[test]
    fn a_body_from_the_editor_keeps_its_variables_as_written() {
        let text = body("{ x }", r#"{"from": 1}"#);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["variables"]["from"], 1);
        assert_eq!(value["query"], "{ x }");
    }
}
