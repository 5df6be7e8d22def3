//! The requests the console's Activity page sends (`wxcc_core::activity::query`) are answered by
//! `POST /search` with records, for a short and a week-long window: the sandbox and the page
//! agree on the query grammar.

mod common;

use common::search::*;
use common::*;
use serde_json::Value;
use wxcc_core::activity::query::{self, QueueSource};
use wxcc_core::activity::window::{Interval, Window};

#[tokio::test]
async fn every_request_of_the_activity_page_is_answered_with_records() {
    let (sb, token) = start_search().await;
    let now = now_ms();
    for span in [4 * HOUR_MS, 7 * DAY_MS] {
        let window = Window {
            from: (now - span) as u64,
            to: now as u64,
        };
        let interval = Interval::for_span(window.span_ms());
        let requests = [
            ("taskDetails", "tasks", query::contacts_by_channel(window)),
            (
                "taskDetails",
                "tasks",
                query::contacts_per_interval(window, interval, "Europe/Berlin"),
            ),
            (
                "taskLegDetails",
                "taskLegs",
                query::per_queue(window, QueueSource::Legs),
            ),
            (
                "taskDetails",
                "tasks",
                query::per_queue(window, QueueSource::Contacts),
            ),
            ("agentSession", "agentSessions", query::per_agent(window)),
            ("taskDetails", "tasks", query::task_total(window)),
            (
                "taskDetails",
                "tasks",
                query::task_page(window, query::FIRST_CURSOR),
            ),
        ];
        for (name, list, request) in requests {
            let response = post_text(&sb, &token, request.body()).await;
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            assert_eq!(status, 200, "{}: {body}", request.query);
            let records = body["data"][name][list].as_array();
            assert!(
                records.is_some_and(|r| !r.is_empty()),
                "{}: {body}",
                request.query
            );
        }
    }
}
