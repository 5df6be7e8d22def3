//! The sign-in floor: the app's sign-in made by a page without wasm, a few lines of plain script
//! (tests/bench/floor.js): the same consent redirect, the code exchange through the token proxy with
//! the app's headers and body, the call the app's first data comes from, and that figure on screen.
//! It is timed in the same run as the app, run i of the floor right after run i of the app, so the
//! app is held to a multiple of what this machine's browser, network and servers cost at that
//! moment, not to an absolute time that differs between machines of the same kind.
//!
//! The floor is deployed by the app's own deployment code (CSP, first paint, early fetches,
//! `_headers`, the hashed script cached like the app's assets) into a site of its own, served by a
//! twin of the bench's stack: the token proxy sends one fixed redirect URI with every exchange and
//! the sandbox checks it against the one the code was issued for, so the floor's callback has to be
//! the page at `/callback` of an origin of its own.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::report::Row;
use super::signin::{API_END, API_START, EXCHANGE_END, EXCHANGE_START, total};
use super::stats::summarize;
use crate::util::{Result, root};

/// The median of the per-run ratios (app total ÷ floor total) the project aims for.
pub const TARGET_RATIO: f64 = 2.5;

/// The floor's script in the repository.
const SCRIPT: &str = "tests/bench/floor.js";

/// Writes the floor's "dist" (its page and its script) into `dir`, ready for
/// [`crate::spa::deploy`] as trunk's output is.
pub fn write_dist(dir: &Path) -> Result {
    let script = std::fs::read_to_string(root().join(SCRIPT))
        .map_err(|e| format!("cannot read {SCRIPT}: {e}"))?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let name = script_file_name(&script);
    let write = |file: &str, text: &str| {
        std::fs::write(dir.join(file), text)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(file).display()))
    };
    write(&name, &script)?;
    write("index.html", &page(&name))
}

/// `floor-<16 hex digits of its SHA-256>.js`: named like trunk's hashed assets, so the deployment
/// caches it for a year as it does the app's, and the callback page takes it from the HTTP cache.
fn script_file_name(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("floor-{hex}.js")
}

/// The page, in the shape the deployment expects of trunk's (a `<meta charset>`, `</head>`, an
/// empty `<body>`): no inline script, no stylesheet, an icon that needs no request.
fn page(script_name: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>wxcc-console sign-in floor</title>\
         <link rel=\"icon\" href=\"data:,\"><script type=\"module\" src=\"/{script_name}\"></script>\
         </head><body></body></html>"
    )
}

/// Each run's total by its run number, for the runs that placed their last mark.
fn totals_by_run(output: &Value) -> BTreeMap<u64, f64> {
    output["runs"]
        .as_array()
        .map(|runs| {
            runs.iter()
                .filter_map(|run| Some((run["run"].as_u64()?, total(run)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// App total ÷ floor total for each run number both measured, in run order.
pub fn paired_ratios(app: &Value, floor: &Value) -> Vec<f64> {
    let floor = totals_by_run(floor);
    totals_by_run(app)
        .into_iter()
        .filter_map(|(run, app)| Some(app / floor.get(&run)?))
        .collect()
}

pub fn times(ratio: f64) -> String {
    format!("{ratio:.2} ×")
}

/// The verdict on the median per-run ratio: None within [`TARGET_RATIO`], else what missed it.
/// Without a single pair there is nothing to judge, which is a problem of its own.
pub fn missed_target(ratios: &[f64]) -> Option<String> {
    let Some(summary) = summarize(ratios) else {
        return Some("no run of the app has a floor run to compare with".into());
    };
    (summary.median > TARGET_RATIO).then(|| {
        format!(
            "sign-in takes {} its floor (median of {} paired runs), over the target of {}",
            times(summary.median),
            summary.n,
            times(TARGET_RATIO)
        )
    })
}

/// The floor's runs that failed, as problems for the section.
pub fn problems(floor: &Value) -> Vec<String> {
    let listed = |key: &str| -> Vec<String> {
        floor[key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| format!("floor {s}")))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut problems = listed("errors");
    if let Some(runs) = floor["runs"].as_array() {
        for run in runs {
            if let Some(error) = run["floor_error"].as_str() {
                problems.push(format!("floor run {}: {error}", run["run"]));
            } else if total(run).is_none() {
                problems.push(format!("floor run {}: no first data", run["run"]));
            }
        }
    }
    problems
}

/// The ratio row (the target) and the floor's own row, with its exchange and first call.
pub fn rows(app: &Value, floor: &Value) -> Vec<Row> {
    let mut rows = Vec::new();
    let ratios = paired_ratios(app, floor);
    let ratio_measure = "total ÷ floor (median of per-run ratios)";
    match summarize(&ratios) {
        Some(summary) => rows.push(Row::summary(
            ratio_measure,
            &summary,
            times,
            format!(
                "{} paired runs (app run i, then floor run i); target ≤ {}",
                summary.n,
                times(TARGET_RATIO)
            ),
        )),
        None => rows.push(Row::single(
            ratio_measure,
            "–",
            "not measured: no run of the app has a floor run to compare with",
        )),
    }
    let runs = floor["runs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let totals: Vec<f64> = runs.iter().filter_map(total).collect();
    let median_between = |start: &str, end: &str| {
        let values: Vec<f64> = runs
            .iter()
            .filter_map(|r| Some(r["marks"][end].as_f64()? - r["marks"][start].as_f64()?))
            .collect();
        summarize(&values).map_or("–".into(), |s| super::report::ms(s.median))
    };
    let floor_measure = "floor: the same sign-in without wasm (navigation → first-data-rendered)";
    match summarize(&totals) {
        Some(summary) => rows.push(Row::summary(
            floor_measure,
            &summary,
            super::report::ms,
            format!(
                "{} of {} runs; plain script: consent redirect, POST /proxy/token, GET …/v2/user; \
                 exchange {}, first call {} (medians)",
                totals.len(),
                runs.len(),
                median_between(EXCHANGE_START, EXCHANGE_END),
                median_between(API_START, API_END)
            ),
        )),
        None => rows.push(Row::single(
            floor_measure,
            "–",
            "not measured: no floor run placed its last mark",
        )),
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(number: u64, total: f64) -> Value {
        json!({"run": number, "marks": {
            EXCHANGE_START: 20.0, EXCHANGE_END: 30.0, API_START: 31.0, API_END: 41.0,
            super::super::signin::RENDERED: total,
        }})
    }

    #[test]
    fn ratios_pair_runs_by_their_number() {
        let app = json!({"runs": [run(1, 100.0), run(2, 150.0), run(3, 90.0), run(4, 80.0)]});
        // Floor run 3 failed; run 4 of the app has no partner. Order in the list does not matter.
        let floor = json!({"runs": [run(2, 50.0), run(1, 40.0), {"run": 3, "marks": {}}]});
        assert_eq!(paired_ratios(&app, &floor), [2.5, 3.0]);
        assert!(paired_ratios(&app, &json!({"runs": []})).is_empty());
    }

    #[test]
    fn the_target_is_on_the_median_ratio() {
        assert_eq!(missed_target(&[2.0, 2.4, 3.0]), None);
        assert_eq!(missed_target(&[2.5, 2.5]), None, "the target itself passes");
        assert_eq!(
            missed_target(&[2.0, 2.6, 3.1]).as_deref(),
            Some(
                "sign-in takes 2.60 × its floor (median of 3 paired runs), over the target of 2.50 ×"
            )
        );
        assert_eq!(
            missed_target(&[]).as_deref(),
            Some("no run of the app has a floor run to compare with")
        );
    }

    #[test]
    fn rows_show_the_ratio_then_the_floor() {
        let app = json!({"runs": [run(1, 100.0), run(2, 120.0)]});
        let floor = json!({"runs": [run(1, 50.0), run(2, 40.0)], "errors": []});
        let rows = rows(&app, &floor);
        assert_eq!(rows[0].measure, "total ÷ floor (median of per-run ratios)");
        assert_eq!(
            (rows[0].value.as_str(), rows[0].range.as_str()),
            ("2.50 ×", "2.00 × – 3.00 ×")
        );
        assert!(
            rows[0].detail.ends_with("target ≤ 2.50 ×"),
            "{}",
            rows[0].detail
        );
        assert!(rows[1].measure.starts_with("floor:"));
        assert_eq!(rows[1].value, "45.0 ms");
        assert!(
            rows[1]
                .detail
                .contains("exchange 10.0 ms, first call 10.0 ms"),
            "{}",
            rows[1].detail
        );
        let none = super::rows(&app, &json!({"runs": []}));
        assert_eq!((none[0].value.as_str(), none[1].value.as_str()), ("–", "–"));
    }

    #[test]
    fn failed_floor_runs_are_problems() {
        let floor = json!({
            "runs": [run(1, 50.0), {"run": 2, "marks": {}, "floor_error": "POST /token answered 400"}, {"run": 3, "marks": {}}],
            "errors": ["run 4: timeout"],
        });
        assert_eq!(
            problems(&floor),
            [
                "floor run 4: timeout",
                "floor run 2: POST /token answered 400",
                "floor run 3: no first data"
            ]
        );
        assert!(problems(&json!({"runs": [run(1, 50.0)], "errors": []})).is_empty());
    }

    #[test]
    fn the_page_loads_its_hashed_script_and_nothing_inline() {
        let name = script_file_name("console.log(1)");
        assert!(
            name.starts_with("floor-") && name.ends_with(".js"),
            "{name}"
        );
        assert_eq!(name.len(), "floor-".len() + 16 + ".js".len());
        assert_ne!(name, script_file_name("console.log(2)"));
        let html = page(&name);
        assert!(html.contains(&format!(
            "<script type=\"module\" src=\"/{name}\"></script>"
        )));
        assert!(crate::csp::inline_script_hashes(&html).is_empty());
        // What the deployment anchors on.
        for anchor in ["<meta charset", "</head>", "<body>"] {
            assert!(html.contains(anchor), "{anchor}");
        }
    }
}
