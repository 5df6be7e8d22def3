//! The explorer's GraphQL tab: Webex's Search API (`POST /search`, the replacement of the
//! deprecated statistics endpoints) and the example queries its editor offers. The examples are
//! Cisco's (from the getting-started guide and the samples repository, as collected in
//! `webex-search-api.md`), with the window as the variables `$from`/`$to` so they work on any day.

/// The path, on the same API base as every other call.
pub const PATH: &str = "/search";

/// Any one of these scopes unlocks the Search API (the API reference); the first is the one to
/// ask for.
pub const SCOPES: &[&str] = &["cjp:config_read", "cjp:config"];

/// The roles the Search API needs, besides a scope.
pub const ROLES: &str = "Administrator or Supervisor";

/// What to do about a 403 from `/search`.
pub fn forbidden_advice() -> String {
    format!(
        "The Search API needs the {} (or {}) scope and the {ROLES} role in Contact Center. Check that \
         \"{}\" is in scopes in config.json and on your integration, ask your administrator for the \
         role, then sign in again.",
        SCOPES[0], SCOPES[1], SCOPES[0]
    )
}

/// An example for the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// Stable slug, used in deep links (`example=by-channel`).
    pub id: &'static str,
    pub title: &'static str,
    pub query: &'static str,
}

pub const EXAMPLES: [Example; 6] = [
    Example {
        id: "by-channel",
        title: "Contacts per channel (aggregation, grouped by channelType)",
        query: r#"query ($from: Long!, $to: Long!) {
  taskDetails(from: $from, to: $to,
    aggregations: [{ field: "id", type: count, name: "tasks" }]) {
    tasks { channelType aggregation { name value } }
    pageInfo { hasNextPage endCursor }
  }
}
"#,
    },
    Example {
        id: "raw-tasks",
        title: "Raw task records, first page (cursor paging)",
        query: r#"query ($from: Long!, $to: Long!) {
  taskDetails(from: $from, to: $to, timeComparator: endedTime,
    filter: { isActive: { equals: false } }, pagination: { cursor: "NA" }) {
    tasks { id channelType status direction createdTime endedTime totalDuration queueDuration
      connectedDuration holdDuration wrapupDuration terminationType contactHandleType
      lastQueue { id name } lastAgent { id name } lastTeam { id name } lastSite { id name } }
    pageInfo { hasNextPage endCursor }
  }
}
"#,
    },
    Example {
        id: "queue-intervals",
        title: "Per queue and hour: offered, handled, abandoned (taskLegDetails, Early Access)",
        query: r#"query ($from: Long!, $to: Long!) {
  taskLegDetails(from: $from, to: $to,
    aggregationInterval: { interval: HOURLY, timezone: "UTC" }
    aggregations: [
      { field: "id", type: count, name: "legs" }
      { field: "queueCount", type: sum, name: "presented" }
      { field: "id", type: count, name: "handled", filter: { isTaskLegHandled: { equals: true } } }
      { field: "id", type: count, name: "abandoned", filter: { handleType: { equals: "abandoned" } } }
      { field: "queueDuration", type: average, name: "avgQueueMs" }
    ]) {
    taskLegs { intervalStartTime queue { id name } channelType aggregation { name value } }
    pageInfo { hasNextPage endCursor }
  }
}
"#,
    },
    Example {
        id: "queues-last-queue",
        title: "Per queue (last queue of each contact, taskDetails)",
        query: r#"query ($from: Long!, $to: Long!) {
  taskDetails(from: $from, to: $to,
    aggregations: [
      { field: "id", type: count, name: "contacts" }
      { field: "id", type: count, name: "abandoned", filter: { contactHandleType: { equals: "abandoned" } } }
      { field: "queueDuration", type: average, name: "averageQueueMs" }
      { field: "queueDuration", type: max, name: "maxQueueMs" }
    ]) {
    tasks { lastQueue { id name } aggregation { name value } }
    pageInfo { hasNextPage endCursor }
  }
}
"#,
    },
    Example {
        id: "agent-states",
        title: "Per agent and hour: time in each state (agentSession)",
        query: r#"query ($from: Long!, $to: Long!) {
  agentSession(from: $from, to: $to,
    aggregationInterval: { interval: HOURLY }
    aggregations: [
      { field: "channelInfo.availableDuration", type: sum, name: "availableMs" }
      { field: "channelInfo.idleDuration", type: sum, name: "idleMs" }
      { field: "channelInfo.connectedDuration", type: sum, name: "connectedMs" }
      { field: "channelInfo.wrapupDuration", type: sum, name: "wrapupMs" }
      { field: "channelInfo.connectedCount", type: sum, name: "connectedCount" }
    ]) {
    agentSessions { intervalStartTime agentId agentName teamName
      channelInfo { channelType } aggregation { name value } }
    pageInfo { hasNextPage endCursor }
  }
}
"#,
    },
    Example {
        id: "waiting-now",
        title: "Contacts waiting in queue right now, per queue",
        query: r#"query ($from: Long!, $to: Long!) {
  taskDetails(from: $from, to: $to,
    filter: { and: [ { isActive: { equals: true } } { status: { equals: "parked" } }
                     { direction: { equals: "inbound" } } ] }
    aggregations: [ { field: "id", type: count, name: "waiting" } ]) {
    tasks { lastQueue { id name } aggregation { name value } }
  }
}
"#,
    },
];

/// The example with this id, else the first.
pub fn example(id: &str) -> &'static Example {
    EXAMPLES.iter().find(|e| e.id == id).unwrap_or(&EXAMPLES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_valid_graphql_over_the_window_variables() {
        let mut ids = std::collections::HashSet::new();
        for example in EXAMPLES {
            assert!(ids.insert(example.id), "{} twice", example.id);
            async_graphql_parser::parse_query(example.query)
                .unwrap_or_else(|e| panic!("{}: {e}", example.id));
            assert!(
                example.query.contains("from: $from, to: $to"),
                "{}",
                example.id
            );
        }
        assert_eq!(example("agent-states").id, "agent-states");
        assert_eq!(example("nope").id, EXAMPLES[0].id);
    }

    #[test]
    fn a_403_names_the_scope_and_the_role() {
        let advice = forbidden_advice();
        assert!(advice.contains("cjp:config_read") && advice.contains("Supervisor"));
    }
}
