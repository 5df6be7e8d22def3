//! Sign-in latency: headless Chromium signs in N times through the sandbox and the proxy, and the
//! app's Performance API marks (placed in the callback document), its navigation timing and the
//! resource timing of the wasm and config.json split the time into phases: the headline ones,
//! then where the time goes, step by step, from the consent POST to the first data on screen.
//!
//! The measured person spends [`PAUSE_MS`] on the start page before pressing "Sign in"; the same
//! sign-ins pressed the moment that page loads are shown in one more row, not held to the target.
//! The target is relative: the paced sign-ins alternate with those of the floor (see
//! [`super::floor`]), a page without wasm doing the same sign-in, and the median of the per-run
//! ratios is what is held to [`super::floor::TARGET_RATIO`]. The absolute total is shown, not judged.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::report::{Row, Section, Status, ms};
use super::stats::summarize;
use crate::services::Stack;
use crate::util::Result;

const WASM_START: &str = "wxcc:wasm-start";
pub const EXCHANGE_START: &str = "wxcc:exchange-start";
pub const EXCHANGE_END: &str = "wxcc:exchange-end";
pub const API_START: &str = "wxcc:first-api-start";
pub const API_END: &str = "wxcc:first-api-end";
pub const RENDERED: &str = "wxcc:first-data-rendered";
pub const MARKS: [&str; 6] = [
    WASM_START,
    EXCHANGE_START,
    EXCHANGE_END,
    API_START,
    API_END,
    RENDERED,
];

/// How long the measured person stays on the start page before pressing "Sign in with Webex": one
/// second, less than anyone needs to read it and find the button. The sign-in then does not overlap
/// that page's own start-up work, as it does not for a person.
pub const PAUSE_MS: u64 = 1000;

/// The resources whose timing the phases read, by the end of their path.
const WASM: &str = "_bg.wasm";
const CONFIG: &str = "/config.json";

/// A moment in one run of the callback document, in ms since its navigation started.
#[derive(Clone, Copy, Debug)]
pub enum Point {
    NavigationStart,
    /// A field of the navigation timing the script reports (`fetch_start`, `response_end`).
    Navigation(&'static str),
    Mark(&'static str),
    /// A field (`start`, `response_end`) of the first resource whose path ends with the text.
    Resource(&'static str, &'static str),
}

/// One row: a name and the time between two points.
pub struct Phase {
    pub name: &'static str,
    pub start: Point,
    pub end: Point,
}

const fn phase(name: &'static str, start: Point, end: Point) -> Phase {
    Phase { name, start, end }
}

use Point::{Mark, Navigation, NavigationStart, Resource};

/// The headline phases, then the steps in order (they add up to the total), then config.json,
/// which runs alongside the wasm.
pub const PHASES: [Phase; 13] = [
    phase(
        "wasm start (navigation → wasm-start)",
        NavigationStart,
        Mark(WASM_START),
    ),
    phase(
        "code exchange (exchange-start → -end)",
        Mark(EXCHANGE_START),
        Mark(EXCHANGE_END),
    ),
    phase(
        "first API call (first-api-start → -end)",
        Mark(API_START),
        Mark(API_END),
    ),
    phase(
        "render (first-api-end → first-data-rendered)",
        Mark(API_END),
        Mark(RENDERED),
    ),
    phase(
        "total (navigation → first-data-rendered)",
        NavigationStart,
        Mark(RENDERED),
    ),
    phase(
        "step 1: consent POST + redirect (navigation → callback request)",
        NavigationStart,
        Navigation("fetch_start"),
    ),
    phase(
        "step 2: callback page (request → page received)",
        Navigation("fetch_start"),
        Navigation("response_end"),
    ),
    phase(
        "step 3: wasm at hand (page received → wasm received)",
        Navigation("response_end"),
        Resource(WASM, "response_end"),
    ),
    phase(
        "step 4: wasm compiled and started (wasm received → wasm-start)",
        Resource(WASM, "response_end"),
        Mark(WASM_START),
    ),
    phase(
        "step 5: app start to exchange (wasm-start → exchange-start)",
        Mark(WASM_START),
        Mark(EXCHANGE_START),
    ),
    phase(
        "step 6: session to first call (exchange-end → first-api-start)",
        Mark(EXCHANGE_END),
        Mark(API_START),
    ),
    phase(
        "config.json (request → response)",
        Resource(CONFIG, "start"),
        Resource(CONFIG, "response_end"),
    ),
    phase(
        "config.json ready before the app starts (response → wasm-start)",
        Resource(CONFIG, "response_end"),
        Mark(WASM_START),
    ),
];

/// The first resource entry of a run whose path ends with `suffix`.
fn resource<'a>(run: &'a Value, suffix: &str) -> Option<&'a Value> {
    run["resources"]
        .as_array()?
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
}

fn at(run: &Value, point: Point) -> Option<f64> {
    match point {
        NavigationStart => Some(0.0),
        Navigation(field) => run["navigation"][field].as_f64(),
        Mark(name) => run["marks"][name].as_f64(),
        Resource(suffix, field) => resource(run, suffix)?[field].as_f64(),
    }
}

/// Each phase's duration in one run; None when one of its points is missing.
pub fn phases(run: &Value) -> Vec<Option<f64>> {
    PHASES
        .iter()
        .map(|p| Some(at(run, p.end)? - at(run, p.start)?))
        .collect()
}

/// How many fetches the page started between the first API call's start and its answer, that call
/// included: the calls it shared the browser's connections with. Each cross-origin call with a
/// bearer token sends its own CORS preflight first, and the sandbox speaks HTTP/1.1 (six
/// connections per host), so this count, more than the server, sets the first call's time.
pub fn calls_alongside_first(run: &Value) -> Option<f64> {
    let (start, end) = (at(run, Mark(API_START))?, at(run, Mark(API_END))?);
    let count = run["resources"]
        .as_array()?
        .iter()
        .filter(|r| r["initiator"].as_str() == Some("fetch"))
        .filter_map(|r| r["start"].as_f64())
        .filter(|t| (start..=end).contains(t))
        .count();
    Some(count as f64)
}

/// Turns the script's JSON into table rows: one row per phase (median, min – max over the runs),
/// how often the wasm came from the HTTP cache and config.json from its preload, and a row naming
/// any mark the app never placed.
pub fn rows_from(output: &Value) -> Result<(Vec<Row>, Vec<String>)> {
    let runs = output["runs"]
        .as_array()
        .ok_or("the sign-in script printed no runs")?;
    let script_errors: Vec<String> = output["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if runs.is_empty() {
        return Err(format!(
            "every sign-in run failed: {}",
            script_errors.join("; ")
        ));
    }
    let mut per_phase: Vec<Vec<f64>> = vec![Vec::new(); PHASES.len()];
    let mut missing: BTreeMap<&str, usize> = BTreeMap::new();
    for run in runs {
        for name in MARKS {
            if run["marks"][name].as_f64().is_none() {
                *missing.entry(name).or_default() += 1;
            }
        }
        for (i, value) in phases(run).into_iter().enumerate() {
            if let Some(value) = value {
                per_phase[i].push(value);
            }
        }
    }
    let n = runs.len();
    let count = |test: &dyn Fn(&Value) -> bool| runs.iter().filter(|r| test(r)).count();
    let wasm_cached =
        count(&|r| resource(r, WASM).is_some_and(|w| w["transfer_size"].as_f64() == Some(0.0)));
    let config_preloaded =
        count(&|r| resource(r, CONFIG).is_some_and(|c| c["initiator"].as_str() == Some("link")));
    let mut rows = Vec::new();
    for (phase, values) in PHASES.iter().zip(&per_phase) {
        let detail = match phase.end {
            Resource(WASM, _) => format!("wasm from the HTTP cache in {wasm_cached} of {n} runs"),
            Resource(CONFIG, _) => {
                format!(
                    "preloaded by the page in {config_preloaded} of {n} runs; alongside steps 3–4"
                )
            }
            _ if phase.name.starts_with("step") => "part of total".to_string(),
            _ if phase.name.starts_with("total") => {
                let paced = match output["pause_ms"].as_u64() {
                    Some(pause) if pause > 0 => {
                        format!(", each after {pause} ms on the start page")
                    }
                    _ => String::new(),
                };
                format!(
                    "{} of {n} runs{paced}; not a target: the ratio to the floor is",
                    values.len()
                )
            }
            _ => format!("{} of {n} runs", values.len()),
        };
        match summarize(values) {
            Some(summary) => rows.push(Row::summary(phase.name, &summary, ms, detail)),
            None => rows.push(Row::single(
                phase.name,
                "–",
                "not measured: a mark or a timing is missing",
            )),
        }
    }
    let alongside: Vec<f64> = runs.iter().filter_map(calls_alongside_first).collect();
    if let Some(summary) = summarize(&alongside) {
        rows.push(Row::summary(
            "API calls in flight with the first (its start → its answer)",
            &summary,
            |n| format!("{n:.0}"),
            "each with its own CORS preflight; the sandbox serves HTTP/1.1, six connections per host",
        ));
    }
    let mut problems: Vec<String> = missing
        .iter()
        .map(|(name, count)| format!("mark {name} missing in {count} of {n} runs"))
        .collect();
    problems.extend(script_errors);
    if !problems.is_empty() {
        rows.push(Row::single("problems", "–", problems.join("; ")));
    }
    Ok((rows, problems))
}

/// One run's total (navigation → first data), when it placed its last mark.
pub fn total(run: &Value) -> Option<f64> {
    Some(at(run, Mark(RENDERED))? - at(run, NavigationStart)?)
}

/// Each run's total, for the runs that placed their last mark.
fn totals(output: &Value) -> Vec<f64> {
    output["runs"]
        .as_array()
        .map(|runs| runs.iter().filter_map(total).collect())
        .unwrap_or_default()
}

/// `floor` is the twin stack serving the floor, or why it did not start: without it the target
/// cannot be judged, so the section fails, still with the app's rows.
pub fn section(stack: &Stack, floor: std::result::Result<&Stack, &str>, runs: usize) -> Section {
    let measured =
        measure(stack, runs, PAUSE_MS, floor.ok()).and_then(|(mut rows, mut problems, raw)| {
            // The same sign-ins by a robot that clicks the moment the start page loads: shown, not
            // held to the target (the start page's own start-up still runs while it signs in).
            let (_, _, at_once) = measure(stack, runs, 0, None)?;
            let after_total = rows
                .iter()
                .position(|r| r.measure.starts_with("total"))
                .map_or(rows.len(), |i| i + 1);
            let mut added = super::floor::rows(&raw, &raw["floor"]);
            added.push(robot_row(&at_once));
            rows.splice(after_total..after_total, added);
            match floor {
                Ok(_) => problems.extend(super::floor::problems(&raw["floor"])),
                Err(error) => problems.push(format!("the floor's stack did not start: {error}")),
            }
            Ok((rows, problems, json!({"paced": raw, "at_once": at_once})))
        });
    match measured {
        Ok((rows, problems, raw)) => {
            let ratios = super::floor::paired_ratios(&raw["paced"], &raw["paced"]["floor"]);
            let missed = super::floor::missed_target(&ratios);
            let data = json!({"runs": runs, "problems": problems, "ratios": ratios, "raw": raw});
            if let (true, Some(message)) = (problems.is_empty(), missed) {
                Section {
                    name: "sign-in",
                    status: Status::MissedTarget(message),
                    rows,
                    data,
                }
            } else if problems.is_empty() {
                Section::ok("sign-in", rows, data)
            } else {
                let mut section = Section::failed("sign-in", problems.join("; "));
                section.rows = rows;
                section.data = data;
                section
            }
        }
        Err(error) => Section::failed("sign-in", error),
    }
}

/// The total of sign-ins started the moment the start page loaded.
pub fn robot_row(output: &Value) -> Row {
    let detail = "\"Sign in\" pressed the moment the start page loaded, while its own start-up still runs; not the target's workload";
    match summarize(&totals(output)) {
        Some(summary) => Row::summary(
            "total, clicked at once (navigation → first-data-rendered)",
            &summary,
            ms,
            detail,
        ),
        None => Row::single(
            "total, clicked at once (navigation → first-data-rendered)",
            "–",
            "not measured: no run placed every mark",
        ),
    }
}

/// Signs in `runs` times; with a `floor` stack, each run of the app is followed by one of the floor
/// (the script's output then has the floor's runs under `floor`).
fn measure(
    stack: &Stack,
    runs: usize,
    pause_ms: u64,
    floor: Option<&Stack>,
) -> Result<(Vec<Row>, Vec<String>, Value)> {
    crate::util::heading(&format!(
        "sign-in latency: {runs} sign-ins in headless Chromium, {pause_ms} ms on the start page first{}",
        if floor.is_some() {
            ", each followed by one of the floor"
        } else {
            ""
        }
    ));
    let mut args: Vec<String> = [
        "--origin",
        &stack.spa_origin,
        "--identity",
        &stack.identity_url,
        "--runs",
        &runs.to_string(),
        "--pause-ms",
        &pause_ms.to_string(),
    ]
    .map(String::from)
    .into();
    if let Some(floor) = floor {
        args.extend(
            [
                "--floor-origin",
                &floor.spa_origin,
                "--floor-identity",
                &floor.identity_url,
            ]
            .map(String::from),
        );
    }
    let value = super::script::run("tests/bench/signin.mjs", &args)?;
    let (rows, problems) = rows_from(&value)?;
    Ok((rows, problems, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One run as the script reports it.
    fn run(total: f64) -> Value {
        json!({
            "marks": {WASM_START: 50.0, EXCHANGE_START: 60.0, EXCHANGE_END: 70.0, API_START: 71.0, API_END: 81.0, RENDERED: total},
            "navigation": {"fetch_start": 5.0, "response_end": 9.0},
            "resources": [
                {"path": "/main-0123456789abcdef.css", "start": 10.0, "response_end": 11.0, "transfer_size": 0, "initiator": "link"},
                {"path": "/config.json", "start": 12.0, "response_end": 20.0, "transfer_size": 300, "initiator": "link"},
                {"path": "/app-0123456789abcdef_bg.wasm", "start": 12.0, "response_end": 14.0, "transfer_size": 0, "initiator": "link"},
                {"path": "/proxy/token", "start": 60.5, "response_end": 69.0, "transfer_size": 500, "initiator": "fetch"},
                {"path": "/organization/o/v2/user", "start": 71.2, "response_end": 80.0, "transfer_size": 0, "initiator": "fetch"},
                {"path": "/organization/o/v2/team", "start": 71.4, "response_end": 85.0, "transfer_size": 0, "initiator": "fetch"},
                {"path": "/organization/o/v2/site", "start": 82.0, "response_end": 90.0, "transfer_size": 0, "initiator": "fetch"},
            ],
        })
    }

    fn value_of(rows: &[Row], prefix: &str) -> (String, String, String) {
        let row = rows.iter().find(|r| r.measure.starts_with(prefix)).unwrap();
        (row.value.clone(), row.range.clone(), row.detail.clone())
    }

    #[test]
    fn phases_are_differences_of_marks_and_timings() {
        let all = run(90.0);
        assert_eq!(
            phases(&all),
            [
                50.0, 10.0, 10.0, 9.0, 90.0, 5.0, 4.0, 5.0, 36.0, 10.0, 1.0, 8.0, 30.0
            ]
            .map(Some)
        );
        // The steps add up to the total.
        let steps: f64 = phases(&all)[5..11].iter().map(|v| v.unwrap()).sum::<f64>()
            + [1, 2, 3]
                .iter()
                .map(|i| phases(&all)[*i].unwrap())
                .sum::<f64>();
        assert_eq!(steps, 90.0);
        let partial = json!({"marks": {WASM_START: 100.0, RENDERED: 210.0}});
        let partial = phases(&partial);
        assert_eq!((partial[0], partial[4]), (Some(100.0), Some(210.0)));
        assert_eq!((partial[1], partial[6], partial[11]), (None, None, None));
    }

    #[test]
    fn rows_report_medians_where_the_time_goes_and_missing_marks() {
        let output = json!({"runs": [run(90.0), run(100.0), run(95.0)], "errors": []});
        let (rows, problems) = rows_from(&output).unwrap();
        assert!(problems.is_empty());
        assert_eq!(
            value_of(&rows, "total"),
            (
                "95.0 ms".into(),
                "90.0 ms – 100 ms".into(),
                "3 of 3 runs; not a target: the ratio to the floor is".into()
            )
        );
        assert_eq!(totals(&output), [90.0, 100.0, 95.0]);
        assert_eq!(
            value_of(&rows, "step 3").2,
            "wasm from the HTTP cache in 3 of 3 runs"
        );
        assert!(
            value_of(&rows, "config.json (request")
                .2
                .starts_with("preloaded by the page in 3 of 3 runs")
        );
        assert_eq!(value_of(&rows, "step 1").0, "5.00 ms");
        // The token POST ended before, the site call started after the first answer.
        assert_eq!(calls_alongside_first(&run(90.0)), Some(2.0));
        assert_eq!(value_of(&rows, "API calls in flight").0, "2");

        // The render row is not the one held to the target.
        assert_eq!(value_of(&rows, "render").2, "3 of 3 runs");
        let paced = json!({"runs": [run(90.0)], "errors": [], "pause_ms": 1000});
        assert_eq!(
            value_of(&rows_from(&paced).unwrap().0, "total").2,
            "1 of 1 runs, each after 1000 ms on the start page; not a target: the ratio to the floor is"
        );
        let robot = robot_row(&json!({"runs": [run(170.0), run(190.0), run(180.0)]}));
        assert_eq!(
            (robot.value.as_str(), robot.range.as_str()),
            ("180 ms", "170 ms – 190 ms")
        );
        assert!(robot.measure.contains("clicked at once"));
        assert_eq!(robot_row(&json!({"runs": []})).value, "–");

        let without = json!({"runs": [{"marks": {WASM_START: 50.0, RENDERED: 90.0}}], "errors": ["run 2: timeout"]});
        let (rows, problems) = rows_from(&without).unwrap();
        assert!(
            problems.contains(&format!("mark {EXCHANGE_START} missing in 1 of 1 runs")),
            "{problems:?}"
        );
        assert!(problems.contains(&"run 2: timeout".to_string()));
        assert_eq!(value_of(&rows, "code exchange").0, "–");
        assert_eq!(value_of(&rows, "step 3").0, "–");

        assert!(
            rows_from(&json!({"runs": [], "errors": ["run 1: boom"]}))
                .unwrap_err()
                .contains("boom")
        );
    }
}
