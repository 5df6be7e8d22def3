//! Sign-in latency: headless Chromium signs in N times through the sandbox and the proxy, and the
//! app's Performance API marks (placed in the callback document) split the time into phases.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::report::{Row, Section, ms};
use super::stats::summarize;
use crate::services::Stack;
use crate::util::{Result, cmd};

const WASM_START: &str = "wxcc:wasm-start";
const EXCHANGE_START: &str = "wxcc:exchange-start";
const EXCHANGE_END: &str = "wxcc:exchange-end";
const API_START: &str = "wxcc:first-api-start";
const API_END: &str = "wxcc:first-api-end";
const RENDERED: &str = "wxcc:first-data-rendered";
pub const MARKS: [&str; 6] = [
    WASM_START,
    EXCHANGE_START,
    EXCHANGE_END,
    API_START,
    API_END,
    RENDERED,
];

/// A phase is the time between two marks; `None` as the start means the document's navigation start.
pub const PHASES: [(&str, Option<&str>, &str); 5] = [
    ("wasm start (navigation → wasm-start)", None, WASM_START),
    (
        "code exchange (exchange-start → -end)",
        Some(EXCHANGE_START),
        EXCHANGE_END,
    ),
    (
        "first API call (first-api-start → -end)",
        Some(API_START),
        API_END,
    ),
    (
        "render (first-api-end → first-data-rendered)",
        Some(API_END),
        RENDERED,
    ),
    ("total (navigation → first-data-rendered)", None, RENDERED),
];

/// Each phase's duration in one run; None when one of its marks is missing.
pub fn phases(marks: &BTreeMap<String, f64>) -> Vec<Option<f64>> {
    PHASES
        .iter()
        .map(|(_, start, end)| {
            let end = *marks.get(*end)?;
            let start = match start {
                Some(name) => *marks.get(*name)?,
                None => 0.0,
            };
            Some(end - start)
        })
        .collect()
}

/// Turns the script's JSON into table rows: one row per phase (median, min – max over the runs),
/// plus a row naming any mark the app never placed.
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
    let mut consent_redirect = Vec::new();
    let mut missing: BTreeMap<&str, usize> = BTreeMap::new();
    for run in runs {
        let marks: BTreeMap<String, f64> = run["marks"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_f64()?)))
                    .collect()
            })
            .unwrap_or_default();
        for name in MARKS {
            if !marks.contains_key(name) {
                *missing.entry(name).or_default() += 1;
            }
        }
        for (i, value) in phases(&marks).into_iter().enumerate() {
            if let Some(value) = value {
                per_phase[i].push(value);
            }
        }
        if let Some(fetch_start) = run["navigation"]["fetch_start"].as_f64() {
            consent_redirect.push(fetch_start);
        }
    }
    let n = runs.len();
    let mut rows = Vec::new();
    for ((name, _, _), values) in PHASES.iter().zip(&per_phase) {
        match summarize(values) {
            Some(summary) => rows.push(Row::summary(
                *name,
                &summary,
                ms,
                format!("{} of {n} runs", summary.n),
            )),
            None => rows.push(Row::single(
                *name,
                "–",
                "not measured: a mark is missing (see below)",
            )),
        }
    }
    if let Some(summary) = summarize(&consent_redirect) {
        rows.push(Row::summary(
            "of which consent POST + redirect (navigation → callback fetch)",
            &summary,
            ms,
            "part of total and wasm start",
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

pub fn section(stack: &Stack, runs: usize) -> Section {
    match measure(stack, runs) {
        Ok((rows, problems, raw)) => {
            let data = json!({"runs": runs, "problems": problems, "raw": raw});
            if problems.is_empty() {
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

fn measure(stack: &Stack, runs: usize) -> Result<(Vec<Row>, Vec<String>, Value)> {
    crate::util::heading(&format!(
        "sign-in latency: {runs} sign-ins in headless Chromium"
    ));
    let output = cmd("node")
        .arg("tests/bench/signin.mjs")
        .args([
            "--origin",
            &stack.spa_origin,
            "--identity",
            &stack.identity_url,
            "--runs",
            &runs.to_string(),
        ])
        .env("CHROME_PATH", "/usr/bin/chromium")
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| {
            format!("cannot run node tests/bench/signin.mjs: {e} (is Node 20 installed?)")
        })?;
    if !output.status.success() {
        return Err(format!(
            "tests/bench/signin.mjs failed ({}); its errors are above. Retry: node tests/bench/signin.mjs --origin {} --identity {}",
            output.status, stack.spa_origin, stack.identity_url
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let json_line = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or("");
    let value: Value = serde_json::from_str(json_line).map_err(|e| {
        format!(
            "the sign-in script's output is not JSON ({e}): {}",
            text.trim()
        )
    })?;
    let (rows, problems) = rows_from(&value)?;
    Ok((rows, problems, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn phases_are_differences_of_marks() {
        let all = marks(&[
            (WASM_START, 100.0),
            (EXCHANGE_START, 120.0),
            (EXCHANGE_END, 150.0),
            (API_START, 160.0),
            (API_END, 200.0),
            (RENDERED, 210.0),
        ]);
        assert_eq!(
            phases(&all),
            vec![Some(100.0), Some(30.0), Some(40.0), Some(10.0), Some(210.0)]
        );
        let partial = marks(&[(WASM_START, 100.0), (RENDERED, 210.0)]);
        assert_eq!(
            phases(&partial),
            vec![Some(100.0), None, None, None, Some(210.0)]
        );
    }

    #[test]
    fn rows_report_medians_and_name_missing_marks() {
        let run = |total: f64| {
            json!({"marks": {WASM_START: 50.0, EXCHANGE_START: 60.0, EXCHANGE_END: 70.0, API_START: 71.0, API_END: 81.0, RENDERED: total},
                   "navigation": {"fetch_start": 5.0}})
        };
        let output = json!({"runs": [run(90.0), run(100.0), run(95.0)], "errors": []});
        let (rows, problems) = rows_from(&output).unwrap();
        assert!(problems.is_empty());
        let total = rows
            .iter()
            .find(|r| r.measure.starts_with("total"))
            .unwrap();
        assert_eq!(
            (total.value.as_str(), total.range.as_str()),
            ("95.0 ms", "90.0 ms – 100 ms")
        );

        let without = json!({"runs": [{"marks": {WASM_START: 50.0, RENDERED: 90.0}}], "errors": ["run 2: timeout"]});
        let (rows, problems) = rows_from(&without).unwrap();
        assert!(
            problems.contains(&format!("mark {EXCHANGE_START} missing in 1 of 1 runs")),
            "{problems:?}"
        );
        assert!(problems.contains(&"run 2: timeout".to_string()));
        assert!(
            rows.iter()
                .any(|r| r.measure.starts_with("code exchange") && r.value == "–")
        );

        assert!(
            rows_from(&json!({"runs": [], "errors": ["run 1: boom"]}))
                .unwrap_err()
                .contains("boom")
        );
    }
}
