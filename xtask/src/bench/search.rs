//! Reporting on the Search API (issue 23): how fast the sandbox answers an interval aggregation
//! over 100,000 task records (its `search_bench` example, built in the servers' optimised profile,
//! run several times), and, in headless Chromium on the bench's stack, how long each Activity view
//! takes from the click on "Last 7 days" to all its charts on screen, with the POST /search
//! requests that click made (tests/bench/search.mjs). Targets: the aggregation's median within
//! [`AGGREGATION_TARGET_MS`]; each view's median within [`CLICK_TARGET_MS`], and no run of a view
//! making more requests than it draws charts.

use std::path::Path;

use serde_json::{Value, json};

use super::report::{Row, Section, Status, ms};
use super::stats::summarize;
use crate::services::{Servers, Stack};
use crate::util::{Result, cmd};

/// Records the aggregation runs over.
pub const RECORDS: usize = 100_000;
/// Runs of the aggregation the median is taken over.
pub const AGGREGATION_RUNS: usize = 7;
pub const AGGREGATION_TARGET_MS: f64 = 200.0;
/// Sign-ins the page timings are taken over (each times every view once).
pub const PAGE_RUNS: usize = 5;
pub const CLICK_TARGET_MS: f64 = 1000.0;

const EXAMPLE: &str = "search_bench";
const SCRIPT: &str = "tests/bench/search.mjs";

/// One line of the example's output: records, rows, milliseconds.
pub fn parse_example(text: &str) -> Option<(u64, u64, f64)> {
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("search interval aggregation:"))?;
    let mut parts = line.split(',').map(str::trim);
    let number = |part: Option<&str>, unit: &str| -> Option<f64> {
        part?
            .strip_suffix(unit)?
            .trim()
            .replace(',', "")
            .parse()
            .ok()
    };
    let records = number(parts.next(), "records")?;
    let rows = number(parts.next(), "rows")?;
    let elapsed = number(parts.next(), "ms")?;
    Some((records as u64, rows as u64, elapsed))
}

/// The aggregation's row, and the missed target if its median is over.
pub fn aggregation_rows(times: &[f64], rows: u64) -> (Vec<Row>, Option<String>) {
    let measure =
        format!("interval aggregation over {RECORDS} records (sandbox, hourly × channel)");
    let Some(summary) = summarize(times) else {
        return (
            vec![Row::single(
                measure,
                "–",
                "not measured: no run printed its time",
            )],
            Some("the interval aggregation was not measured".into()),
        );
    };
    let detail = format!(
        "{} runs, {rows} rows answered, query to serialised answer; target ≤ {}",
        summary.n,
        ms(AGGREGATION_TARGET_MS)
    );
    let missed = (summary.median > AGGREGATION_TARGET_MS).then(|| {
        format!(
            "the interval aggregation over {RECORDS} records took {} (median), over the {} target",
            ms(summary.median),
            ms(AGGREGATION_TARGET_MS)
        )
    });
    (vec![Row::summary(measure, &summary, ms, detail)], missed)
}

fn count(n: f64) -> String {
    format!("{n:.0}")
}

/// What the page script's JSON says: two rows per view (the time from the click to its charts,
/// the requests it made), the problems (failed runs) and the targets missed.
pub fn page_rows(output: &Value) -> Result<(Vec<Row>, Vec<String>, Vec<String>)> {
    let views = output["views"]
        .as_array()
        .ok_or("the search script printed no views")?;
    let mut rows = Vec::new();
    let mut problems: Vec<String> = strings(&output["errors"]);
    let mut missed = Vec::new();
    for view in views {
        let name = view["view"].as_str().unwrap_or("?");
        let charts = view["charts"].as_f64().unwrap_or(0.0);
        let runs = view["runs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let errors = strings(&view["errors"]);
        problems.extend(errors.iter().map(|e| format!("{name}: {e}")));
        let times: Vec<f64> = runs.iter().filter_map(|r| r["ms"].as_f64()).collect();
        // A run's requests: those counted to the end of its view when the script got there.
        let requests: Vec<f64> = runs
            .iter()
            .filter_map(|r| r["requests"].as_f64().or(r["requests_at_render"].as_f64()))
            .collect();
        let attempted = runs.len() + errors.len();
        let measure = format!("7 days, {name}: click → every chart on screen");
        match summarize(&times) {
            Some(summary) => {
                rows.push(Row::summary(
                    measure,
                    &summary,
                    ms,
                    format!(
                        "{} of {attempted} runs; target ≤ {}",
                        summary.n,
                        ms(CLICK_TARGET_MS)
                    ),
                ));
                if summary.median > CLICK_TARGET_MS {
                    missed.push(format!(
                        "the {name} view showed its 7-day charts {} after the click (median), over the {} target",
                        ms(summary.median),
                        ms(CLICK_TARGET_MS)
                    ));
                }
            }
            None => {
                rows.push(Row::single(measure, "–", "not measured: no run finished"));
                problems.push(format!("{name}: no run finished"));
            }
        }
        if let Some(summary) = summarize(&requests) {
            let what = if name == "tasks" {
                "answers (the total and the first page)"
            } else {
                "charts"
            };
            rows.push(Row::summary(
                format!("7 days, {name}: POST /search requests"),
                &summary,
                count,
                format!("{charts:.0} {what}; target ≤ one per chart in every run"),
            ));
            if summary.max > charts {
                missed.push(format!(
                    "the {name} view made up to {:.0} search requests for {charts:.0} charts",
                    summary.max
                ));
            }
        }
    }
    Ok((rows, problems, missed))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Builds the example in the profile [`Servers::Optimised`] builds the servers in, so the
/// aggregation is timed in the code the bench's sandbox runs.
fn build_example() -> Result {
    let mut command = cmd("cargo");
    command.arg("build");
    Servers::optimised_profile(&mut command).args([
        "--package",
        "wxcc-sandbox",
        "--example",
        EXAMPLE,
    ]);
    crate::util::run("building the sandbox's search_bench example", &mut command)
}

/// Builds the example and runs it [`AGGREGATION_RUNS`] times.
fn measure_aggregation() -> Result<(Vec<f64>, u64)> {
    crate::util::heading(&format!(
        "search: the sandbox's interval aggregation over {RECORDS} records, {AGGREGATION_RUNS} runs ({} profile)",
        Servers::OPTIMISED_PROFILE
    ));
    build_example()?;
    let binary = crate::util::target_dir()
        .join(Servers::OPTIMISED_PROFILE)
        .join("examples")
        .join(EXAMPLE);
    let mut times = Vec::new();
    let mut rows = 0;
    for run in 1..=AGGREGATION_RUNS {
        let output = std::process::Command::new(&binary)
            .arg(RECORDS.to_string())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let (_, answered, elapsed) = parse_example(&text).ok_or_else(|| {
            format!(
                "{EXAMPLE} run {run} printed no time ({}): {}{}",
                output.status,
                text.trim(),
                String::from_utf8_lossy(&output.stderr).trim()
            )
        })?;
        println!("aggregation run {run}/{AGGREGATION_RUNS}: {elapsed} ms, {answered} rows");
        times.push(elapsed);
        rows = answered;
    }
    Ok((times, rows))
}

/// Runs the page script against the bench's stack; its JSON.
fn measure_page(stack: &Stack, screenshot: &Path) -> Result<Value> {
    crate::util::heading(&format!(
        "search: the Activity page's views over the last 7 days, {PAGE_RUNS} sign-ins in headless Chromium"
    ));
    super::script::run(
        SCRIPT,
        &[
            "--origin".to_string(),
            stack.spa_origin.clone(),
            "--identity".into(),
            stack.identity_url.clone(),
            "--runs".into(),
            PAGE_RUNS.to_string(),
            "--screenshot".into(),
            screenshot.display().to_string(),
        ],
    )
}

/// `stack` is the bench's stack, or why it did not start: the aggregation is measured either way.
pub fn section(stack: std::result::Result<&Stack, &str>, out_dir: &Path) -> Section {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut missed = Vec::new();
    let mut data = serde_json::Map::new();
    match measure_aggregation() {
        Ok((times, answered)) => {
            let (added, over) = aggregation_rows(&times, answered);
            rows.extend(added);
            missed.extend(over);
            data.insert(
                "aggregation".into(),
                json!({"records": RECORDS, "rows": answered, "ms": times, "summary": summarize(&times).map(|s| s.json())}),
            );
        }
        Err(error) => problems.push(format!("aggregation: {error}")),
    }
    let screenshot = out_dir.join("activity.png");
    let page = match stack {
        Ok(stack) => measure_page(stack, &screenshot),
        Err(error) => Err(format!("the local stack did not start: {error}")),
    };
    match page {
        Ok(output) => match page_rows(&output) {
            Ok((added, page_problems, page_missed)) => {
                rows.extend(added);
                problems.extend(page_problems);
                missed.extend(page_missed);
                if output["screenshot"].is_string() {
                    rows.push(Row::single(
                        "screenshot: overview, last 7 days, 1280 px wide",
                        "–",
                        screenshot.display().to_string(),
                    ));
                }
                data.insert("page".into(), output);
            }
            Err(error) => problems.push(error),
        },
        Err(error) => problems.push(format!("page: {error}")),
    }
    let data = Value::Object(data);
    let status = Status::from_findings(&problems, &missed);
    Section {
        name: "search",
        status,
        rows,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_line() {
        assert_eq!(
            parse_example("search interval aggregation: 100000 records, 840 rows, 57 ms\n"),
            Some((100_000, 840, 57.0))
        );
        assert_eq!(parse_example("something else"), None);
        assert_eq!(
            parse_example("search interval aggregation: 10 records, 3 rows"),
            None
        );
    }

    #[test]
    fn the_aggregation_is_held_to_its_median() {
        let (rows, missed) = aggregation_rows(&[60.0, 250.0, 70.0], 840);
        assert_eq!((rows[0].value.as_str(), missed), ("70.0 ms", None));
        assert!(
            rows[0].detail.contains("3 runs, 840 rows"),
            "{}",
            rows[0].detail
        );
        let (_, missed) = aggregation_rows(&[210.0, 250.0, 70.0], 840);
        assert!(missed.unwrap().contains("210 ms (median)"));
        let (rows, missed) = aggregation_rows(&[], 0);
        assert_eq!(rows[0].value, "–");
        assert!(missed.is_some());
    }

    fn view(name: &str, charts: u64, runs: Value, errors: Value) -> Value {
        json!({"view": name, "charts": charts, "runs": runs, "errors": errors})
    }

    #[test]
    fn page_rows_per_view_with_their_targets() {
        let output = json!({"errors": [], "views": [
            view("overview", 2, json!([
                {"run": 1, "ms": 300.0, "requests_at_render": 2, "requests": 2},
                {"run": 2, "ms": 500.0, "requests_at_render": 2},
                {"run": 3, "ms": 400.0, "requests_at_render": 2, "requests": 2},
            ]), json!([])),
            view("queues", 3, json!([{"run": 1, "ms": 1500.0, "requests_at_render": 2, "requests": 4}]), json!(["run 2: timeout"])),
        ]});
        let (rows, problems, missed) = page_rows(&output).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0].measure,
            "7 days, overview: click → every chart on screen"
        );
        assert_eq!(
            (rows[0].value.as_str(), rows[0].range.as_str()),
            ("400 ms", "300 ms – 500 ms")
        );
        assert_eq!(rows[0].detail, "3 of 3 runs; target ≤ 1000 ms");
        assert_eq!(rows[1].value, "2");
        assert_eq!(
            rows[1].detail,
            "2 charts; target ≤ one per chart in every run"
        );
        assert_eq!(rows[2].detail, "1 of 2 runs; target ≤ 1000 ms");
        assert_eq!(problems, ["queues: run 2: timeout"]);
        assert_eq!(missed.len(), 2, "{missed:?}");
        assert!(missed[0].contains("queues view showed its 7-day charts 1500 ms"));
        assert!(missed[1].contains("up to 4 search requests for 3 charts"));

        let none = json!({"errors": ["run 1: sign-in failed"], "views": [view("tasks", 2, json!([]), json!([]))]});
        let (rows, problems, _) = page_rows(&none).unwrap();
        assert_eq!(rows[0].value, "–");
        assert_eq!(
            problems,
            ["run 1: sign-in failed", "tasks: no run finished"]
        );
        assert!(page_rows(&json!({})).is_err());
    }
}
