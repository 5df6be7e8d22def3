//! Reading the Search API's answers into what the Activity page draws: chart series
//! ([`Grouped`]) with names instead of ids and values in units people read, and pages of task
//! records with their next cursor. Aggregation rows carry `aggregation: [{name, value}]`, matched
//! on the name (the API may reorder them); a missing value counts as 0.

use std::collections::BTreeMap;

use serde_json::Value;

use super::query::names;
use super::window::bucket_of;
use crate::chart::{Grouped, Series};

/// An answer that carries no records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerProblem {
    /// HTTP 200 with GraphQL `errors`: the API's messages, joined.
    Errors(String),
    /// No `data.<query>.<list>` array.
    Missing,
}

impl AnswerProblem {
    pub fn message(&self) -> String {
        match self {
            AnswerProblem::Errors(text) => {
                format!("Webex could not run the query: {text}")
            }
            AnswerProblem::Missing => {
                "Webex answered without the records the query asked for.".into()
            }
        }
    }
}

/// The records at `data.<query>.<list>`, or why there are none.
pub fn records<'a>(
    answer: &'a Value,
    query: &str,
    list: &str,
) -> Result<&'a [Value], AnswerProblem> {
    if let Some(errors) = answer["errors"].as_array().filter(|e| !e.is_empty()) {
        let text: Vec<&str> = errors
            .iter()
            .filter_map(|e| e["message"].as_str())
            .collect();
        return Err(AnswerProblem::Errors(if text.is_empty() {
            "no reason given".into()
        } else {
            text.join("; ")
        }));
    }
    answer["data"][query][list]
        .as_array()
        .map(Vec::as_slice)
        .ok_or(AnswerProblem::Missing)
}

/// The value of the aggregation called `name` in `row`, 0 when absent.
pub fn aggregate(row: &Value, name: &str) -> f64 {
    row["aggregation"]
        .as_array()
        .and_then(|list| list.iter().find(|a| a["name"] == name))
        .and_then(|a| a["value"].as_f64())
        .unwrap_or(0.0)
}

/// `telephony` → `Telephony`; a missing channel reads "Unknown".
fn channel_label(channel: Option<&str>) -> String {
    let mut chars = channel
        .filter(|c| !c.is_empty())
        .unwrap_or("unknown")
        .chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn series(label: &str, values: Vec<f64>) -> Series {
    Series {
        label: label.to_string(),
        values,
    }
}

/// Contacts per channel, most first.
pub fn contacts_by_channel(rows: &[Value]) -> Grouped {
    let mut per: BTreeMap<String, f64> = BTreeMap::new();
    for row in rows {
        *per.entry(channel_label(row["channelType"].as_str()))
            .or_default() += aggregate(row, names::CONTACTS);
    }
    let mut list: Vec<(String, f64)> = per.into_iter().collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (keys, values) = list.into_iter().unzip();
    Grouped {
        keys,
        series: vec![series("Contacts", values)],
    }
}

/// Offered, handled and abandoned per bucket (keys: each bucket's start, epoch ms), every bucket
/// shown, also those the API left out because nothing happened in them.
pub fn contacts_per_interval(rows: &[Value], buckets: &[u64], step: u64) -> Grouped {
    const SERIES: [(&str, &str); 3] = [
        ("Offered", names::OFFERED),
        ("Handled", names::HANDLED),
        ("Abandoned", names::ABANDONED),
    ];
    let mut sums = vec![[0.0; 3]; buckets.len()];
    for row in rows {
        let Some(slot) = row["intervalStartTime"]
            .as_u64()
            .and_then(|start| bucket_of(buckets, step, start))
        else {
            continue;
        };
        for (sum, (_, name)) in sums[slot].iter_mut().zip(SERIES) {
            *sum += aggregate(row, name);
        }
    }
    Grouped {
        keys: buckets.iter().map(u64::to_string).collect(),
        series: SERIES
            .iter()
            .enumerate()
            .map(|(i, (label, _))| series(label, sums.iter().map(|s| s[i]).collect()))
            .collect(),
    }
}

/// One queue's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueFigures {
    pub name: String,
    pub contacts: f64,
    pub abandoned: f64,
    pub average_queue_ms: f64,
    pub max_queue_ms: f64,
}

impl QueueFigures {
    /// Abandoned contacts as a percentage of all, 0 without contacts.
    pub fn abandon_rate(&self) -> f64 {
        if self.contacts > 0.0 {
            self.abandoned / self.contacts * 100.0
        } else {
            0.0
        }
    }
}

/// A record's name (`object.name`), else its id, else "—".
fn name_of(object: &Value) -> String {
    object["name"]
        .as_str()
        .filter(|n| !n.is_empty())
        .or(object["id"].as_str().filter(|id| !id.is_empty()))
        .unwrap_or("—")
        .to_string()
}

/// Per queue (grouped by `queue_object`: `queue` for legs, `lastQueue` for contacts), the busiest
/// first. Contacts that never queued (a null queue) are left out: they have no queue to show.
pub fn queues(rows: &[Value], queue_object: &str) -> Vec<QueueFigures> {
    let mut list: Vec<QueueFigures> = rows
        .iter()
        .filter(|row| row[queue_object]["id"].is_string())
        .map(|row| QueueFigures {
            name: name_of(&row[queue_object]),
            contacts: aggregate(row, names::CONTACTS),
            abandoned: aggregate(row, names::ABANDONED),
            average_queue_ms: aggregate(row, names::AVERAGE_QUEUE_MS),
            max_queue_ms: aggregate(row, names::MAX_QUEUE_MS),
        })
        .collect();
    list.sort_by(|a, b| b.contacts.total_cmp(&a.contacts).then(a.name.cmp(&b.name)));
    list
}

/// Contacts and abandoned contacts per queue.
pub fn queue_contacts(queues: &[QueueFigures]) -> Grouped {
    Grouped {
        keys: queues.iter().map(|q| q.name.clone()).collect(),
        series: vec![
            series("Contacts", queues.iter().map(|q| q.contacts).collect()),
            series("Abandoned", queues.iter().map(|q| q.abandoned).collect()),
        ],
    }
}

/// Average and longest time in queue per queue, in milliseconds.
pub fn queue_times(queues: &[QueueFigures]) -> Grouped {
    Grouped {
        keys: queues.iter().map(|q| q.name.clone()).collect(),
        series: vec![
            series(
                "Average",
                queues.iter().map(|q| q.average_queue_ms).collect(),
            ),
            series("Longest", queues.iter().map(|q| q.max_queue_ms).collect()),
        ],
    }
}

/// Abandon rate per queue, in percent.
pub fn abandon_rates(queues: &[QueueFigures]) -> Grouped {
    Grouped {
        keys: queues.iter().map(|q| q.name.clone()).collect(),
        series: vec![series(
            "Abandoned (%)",
            queues.iter().map(QueueFigures::abandon_rate).collect(),
        )],
    }
}

/// One agent's figures, summed over their sessions.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentFigures {
    pub name: String,
    pub handled: f64,
    /// Milliseconds per state, in the order of [`names::STATES`].
    pub states_ms: [f64; 6],
}

/// Per agent (rows of the same agent added up), the agents with the most time first.
pub fn agents(rows: &[Value]) -> Vec<AgentFigures> {
    let mut per: BTreeMap<String, AgentFigures> = BTreeMap::new();
    for row in rows {
        let id = row["agentId"].as_str().unwrap_or_default().to_string();
        let name = row["agentName"]
            .as_str()
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| {
                if id.is_empty() {
                    "—".into()
                } else {
                    id.clone()
                }
            });
        let figures = per.entry(id).or_insert_with(|| AgentFigures {
            name,
            handled: 0.0,
            states_ms: [0.0; 6],
        });
        figures.handled += aggregate(row, names::HANDLED);
        for (ms, (_, _, name)) in figures.states_ms.iter_mut().zip(names::STATES) {
            *ms += aggregate(row, name);
        }
    }
    let total = |a: &AgentFigures| a.states_ms.iter().sum::<f64>();
    let mut list: Vec<AgentFigures> = per.into_values().collect();
    list.sort_by(|a, b| total(b).total_cmp(&total(a)).then(a.name.cmp(&b.name)));
    list
}

/// Contacts handled per agent.
pub fn agent_handled(agents: &[AgentFigures]) -> Grouped {
    Grouped {
        keys: agents.iter().map(|a| a.name.clone()).collect(),
        series: vec![series(
            "Handled",
            agents.iter().map(|a| a.handled).collect(),
        )],
    }
}

/// Time in each state per agent, in milliseconds (stacked in the chart).
pub fn agent_states(agents: &[AgentFigures]) -> Grouped {
    Grouped {
        keys: agents.iter().map(|a| a.name.clone()).collect(),
        series: names::STATES
            .iter()
            .enumerate()
            .map(|(i, (label, _, _))| {
                series(label, agents.iter().map(|a| a.states_ms[i]).collect())
            })
            .collect(),
    }
}

/// The single total of an aggregation without group keys (the task count).
pub fn total(rows: &[Value], name: &str) -> u64 {
    rows.iter()
        .map(|row| aggregate(row, name))
        .sum::<f64>()
        .round() as u64
}

/// The cursor of the next page, `None` on the last.
pub fn next_cursor(answer: &Value, query: &str) -> Option<String> {
    let info = &answer["data"][query]["pageInfo"];
    if info["hasNextPage"].as_bool() != Some(true) {
        return None;
    }
    info["endCursor"].as_str().map(str::to_string)
}

/// The columns of the task records table: the field's dotted path (what the CSV names it) and its
/// heading. Queues, agents, teams and sites show by name (`table::shown`).
pub const TASK_COLUMNS: [(&str, &str); 11] = [
    ("createdTime", "Created"),
    ("channelType", "Channel"),
    ("direction", "Direction"),
    ("status", "Status"),
    ("lastQueue.id", "Queue"),
    ("lastAgent.id", "Agent"),
    ("queueDuration", "In queue"),
    ("connectedDuration", "Connected"),
    ("totalDuration", "Total"),
    ("contactHandleType", "Handled as"),
    ("terminationType", "Ended"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(keys: Value, aggregations: &[(&str, f64)]) -> Value {
        let mut row = keys;
        row["aggregation"] = aggregations
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect();
        row
    }

    #[test]
    fn records_are_found_and_graphql_errors_say_what_went_wrong() {
        let answer = json!({"data": {"taskDetails": {"tasks": [{"id": "a"}], "pageInfo": {}}}});
        assert_eq!(records(&answer, "taskDetails", "tasks").unwrap().len(), 1);
        assert_eq!(
            records(&answer, "agentSession", "agentSessions"),
            Err(AnswerProblem::Missing)
        );
        let failed = json!({"data": null, "errors": [{"message": "Unknown field \"foo\""}, {"message": "second"}]});
        let problem = records(&failed, "taskDetails", "tasks").unwrap_err();
        assert_eq!(
            problem,
            AnswerProblem::Errors("Unknown field \"foo\"; second".into())
        );
        assert!(problem.message().contains("Unknown field"));
        assert_eq!(
            records(&json!({"errors": [{}]}), "x", "y"),
            Err(AnswerProblem::Errors("no reason given".into()))
        );
    }

    #[test]
    fn aggregations_are_matched_by_name_in_any_order() {
        let r = row(json!({}), &[("handled", 9.0), ("offered", 12.0)]);
        assert_eq!(aggregate(&r, "offered"), 12.0);
        assert_eq!(aggregate(&r, "handled"), 9.0);
        assert_eq!(aggregate(&r, "abandoned"), 0.0);
        assert_eq!(
            aggregate(&json!({"aggregation": [{"name": "x", "value": null}]}), "x"),
            0.0
        );
    }

    #[test]
    fn channels_read_as_words_most_first() {
        let rows = [
            row(json!({"channelType": "email"}), &[("contacts", 3.0)]),
            row(json!({"channelType": "telephony"}), &[("contacts", 40.0)]),
            row(json!({"channelType": null}), &[("contacts", 1.0)]),
        ];
        let g = contacts_by_channel(&rows);
        assert_eq!(g.keys, ["Telephony", "Email", "Unknown"]);
        assert_eq!(g.series[0].values, [40.0, 3.0, 1.0]);
    }

    #[test]
    fn intervals_fill_the_buckets_the_api_left_out() {
        let step = super::super::window::HOUR_MS;
        let buckets = [0, step, 2 * step, 3 * step];
        let rows = [
            row(
                json!({"intervalStartTime": 2 * step}),
                &[("offered", 5.0), ("handled", 4.0), ("abandoned", 1.0)],
            ),
            row(
                json!({"intervalStartTime": 0}),
                &[("offered", 2.0), ("handled", 2.0)],
            ),
            row(
                json!({"intervalStartTime": 9 * step}),
                &[("offered", 100.0)],
            ),
            row(json!({}), &[("offered", 100.0)]),
        ];
        let g = contacts_per_interval(&rows, &buckets, step);
        assert_eq!(g.keys, ["0", "3600000", "7200000", "10800000"]);
        assert_eq!(g.series[0].values, [2.0, 0.0, 5.0, 0.0]);
        assert_eq!(g.series[1].values, [2.0, 0.0, 4.0, 0.0]);
        assert_eq!(g.series[2].values, [0.0, 0.0, 1.0, 0.0]);
        assert_eq!(g.series[2].label, "Abandoned");
    }

    #[test]
    fn queues_show_by_name_with_their_rates_and_times() {
        let rows = [
            row(
                json!({"lastQueue": {"id": "q1", "name": "Sales"}}),
                &[
                    ("contacts", 10.0),
                    ("abandoned", 1.0),
                    ("averageQueueMs", 30_000.0),
                    ("maxQueueMs", 90_000.0),
                ],
            ),
            row(
                json!({"lastQueue": {"id": "q2", "name": null}}),
                &[("contacts", 20.0)],
            ),
            row(
                json!({"lastQueue": {"id": null, "name": null}}),
                &[("contacts", 99.0)],
            ),
        ];
        let q = queues(&rows, "lastQueue");
        assert_eq!(q.len(), 2, "contacts without a queue are left out");
        assert_eq!(q[0].name, "q2", "the id when the name is missing");
        assert_eq!(q[1].name, "Sales");
        assert_eq!(q[1].abandon_rate(), 10.0);
        assert_eq!(q[0].abandon_rate(), 0.0);
        assert_eq!(queue_contacts(&q).series[1].values, [0.0, 1.0]);
        assert_eq!(queue_times(&q).series[1].values, [0.0, 90_000.0]);
        assert_eq!(abandon_rates(&q).series[0].values, [0.0, 10.0]);
        let legs = [row(
            json!({"queue": {"id": "q1", "name": "Sales"}}),
            &[("contacts", 1.0)],
        )];
        assert_eq!(queues(&legs, "queue")[0].name, "Sales");
    }

    #[test]
    fn agents_add_up_their_rows_and_the_busiest_come_first() {
        let rows = [
            row(
                json!({"agentId": "a1", "agentName": "Ann"}),
                &[("handled", 2.0), ("connectedMs", 1000.0)],
            ),
            row(
                json!({"agentId": "a2", "agentName": "Bob"}),
                &[("handled", 1.0), ("availableMs", 9000.0)],
            ),
            row(
                json!({"agentId": "a1", "agentName": "Ann"}),
                &[("handled", 3.0), ("wrapupMs", 500.0)],
            ),
            row(json!({"agentId": "a3"}), &[]),
        ];
        let a = agents(&rows);
        assert_eq!(
            a.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
            ["Bob", "Ann", "a3"]
        );
        assert_eq!(a[1].handled, 5.0);
        assert_eq!(a[1].states_ms, [0.0, 0.0, 0.0, 1000.0, 0.0, 500.0]);
        let states = agent_states(&a);
        assert_eq!(states.series.len(), 6);
        assert_eq!(states.series[0].label, "Available");
        assert_eq!(states.series[0].values, [9000.0, 0.0, 0.0]);
        assert_eq!(agent_handled(&a).series[0].values, [1.0, 5.0, 0.0]);
    }

    #[test]
    fn pages_end_when_the_api_says_there_is_no_next() {
        let page = |next: bool, cursor: Value| json!({"data": {"taskDetails": {"tasks": [], "pageInfo": {"hasNextPage": next, "endCursor": cursor}}}});
        assert_eq!(
            next_cursor(&page(true, json!("250")), "taskDetails"),
            Some("250".into())
        );
        assert_eq!(next_cursor(&page(false, json!(null)), "taskDetails"), None);
        assert_eq!(next_cursor(&page(true, json!(null)), "taskDetails"), None);
        let rows = [row(json!({}), &[("contacts", 1234.0)])];
        assert_eq!(total(&rows, "contacts"), 1234);
        assert_eq!(total(&[], "contacts"), 0);
    }
}
