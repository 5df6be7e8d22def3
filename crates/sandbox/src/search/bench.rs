//! A measurement for `cargo xtask bench` (issue 23, "Performance"): how long the sandbox takes to
//! answer an interval aggregation over a given number of task records. The records are made
//! here, deterministically, over the seven days before now; only the query is timed.

use std::time::{Duration, Instant};

use serde_json::json;

use super::{DataSource, execute};
use crate::config::Knobs;
use crate::ids::SeededRng;
use crate::seed::TaskRecord;
use crate::state::now_ms;

const DAY_MS: i64 = 86_400_000;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct BenchRun {
    pub records: usize,
    /// Aggregation rows on the first page.
    pub rows: usize,
    /// Time to answer the query, from the request body to the serialised answer.
    pub elapsed: Duration,
}

fn synthetic_tasks(count: usize, now: i64) -> Vec<TaskRecord> {
    let mut rng = SeededRng::derive(23, "search-bench");
    const CHANNELS: [&str; 5] = ["telephony", "telephony", "chat", "email", "social"];
    let start = now - 7 * DAY_MS;
    let mut tasks: Vec<TaskRecord> = (0..count)
        .map(|i| {
            let created_ms = start + rng.below((7 * DAY_MS - 3_600_000) as u64) as i64;
            let enqueued_ms = 5_000 + rng.below(120_000) as i64;
            let agent = rng.below(200);
            let queue = rng.below(30);
            TaskRecord {
                id: format!("bench-task-{i:07}"),
                channel_type: CHANNELS[rng.below(CHANNELS.len() as u64) as usize],
                status: if rng.chance(8) {
                    "abandoned"
                } else {
                    "completed"
                },
                created_ms,
                ended_ms: created_ms + enqueued_ms + 60_000 + rng.below(900_000) as i64,
                agent_id: format!("agent-{agent}"),
                agent_name: format!("Agent {agent}"),
                agent_email: format!("agent{agent}@example.com"),
                team_id: format!("team-{}", agent % 24),
                team_name: format!("Team {}", agent % 24),
                site_id: format!("site-{}", agent % 6),
                site_name: format!("Site {}", agent % 6),
                queue_id: format!("queue-{queue}"),
                queue_name: format!("Queue {queue}"),
                origin: "+15550000000".into(),
                destination: "+18005550100".into(),
                wrapup_code: "Resolved".into(),
                enqueued_ms,
            }
        })
        .collect();
    tasks.sort_by_key(|t| t.created_ms);
    tasks
}

/// Answers one hourly aggregation (per channel: contacts, handled, average and maximum queue
/// time) over `records` tasks of the last seven days, and reports how long the answer took.
pub fn interval_aggregation_benchmark(records: usize) -> BenchRun {
    let now = now_ms();
    let tasks = synthetic_tasks(records, now);
    let query = format!(
        r#"{{ taskDetails(from: {from}, to: {now},
              aggregationInterval: {{interval: HOURLY, timezone: "Europe/Berlin"}},
              aggregations: [
                {{field: "id", type: count, name: "contacts"}}
                {{field: "id", type: count, name: "handled", filter: {{isContactHandled: {{equals: true}}}}}}
                {{field: "queueDuration", type: average, name: "avgQueueMs"}}
                {{field: "queueDuration", type: max, name: "maxQueueMs"}}
              ]) {{
              tasks {{ intervalStartTime channelType aggregation {{ name value }} }}
              pageInfo {{ hasNextPage endCursor }} }} }}"#,
        from = now - 7 * DAY_MS,
    );
    let body = json!({ "query": query });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let started = Instant::now();
    let response = runtime
        .block_on(execute(
            &body,
            DataSource::Owned { tasks },
            Knobs::default(),
            now,
        ))
        .expect("the benchmark query is valid");
    let bytes = runtime
        .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
        .expect("the answer is in memory");
    let elapsed = started.elapsed();
    let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let rows = answer["data"]["taskDetails"]["tasks"]
        .as_array()
        .map_or(0, Vec::len);
    BenchRun {
        records,
        rows,
        elapsed,
    }
}
