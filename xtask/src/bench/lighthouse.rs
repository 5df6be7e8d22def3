//! Lighthouse (npm, pinned in package.json) with the system Chromium against the built app
//! served by the local CDN: performance, accessibility and best-practices, median of a few runs.
//! Lighthouse's defaults apply (mobile emulation, simulated throttling), so figures compare across runs.

use std::path::Path;

use serde_json::{Value, json};

use super::report::{Row, Section, Status, ms, plain, score};
use super::stats::summarize;
use crate::util::{Result, cmd};

pub const RUNS: usize = 3;
const CATEGORIES: [&str; 3] = ["performance", "accessibility", "best-practices"];
/// The lowest median score the project accepts per category (none for accessibility, which has
/// stayed at 100 without one).
const TARGETS: [(&str, f64); 2] = [("performance", 98.0), ("best-practices", 100.0)];
const METRICS: [(&str, &str); 5] = [
    (
        "first-contentful-paint",
        "first contentful paint (simulated)",
    ),
    (
        "largest-contentful-paint",
        "largest contentful paint (simulated)",
    ),
    ("speed-index", "speed index (simulated)"),
    ("total-blocking-time", "total blocking time (simulated)"),
    ("cumulative-layout-shift", "cumulative layout shift"),
];

/// Metrics that are not durations.
const UNITLESS: [&str; 1] = ["cumulative-layout-shift"];
const CHROME_FLAGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage";

/// Category scores (0–100) and metric values (ms), each None when the report lacks it.
pub type Figures = (Vec<Option<f64>>, Vec<Option<f64>>);

/// The figures of one Lighthouse JSON report.
pub fn figures(report: &Value) -> Result<Figures> {
    if report["categories"].is_null() {
        return Err("the Lighthouse report has no categories".into());
    }
    if let Some(error) = report["runtimeError"]["message"].as_str() {
        return Err(format!("Lighthouse could not audit the page: {error}"));
    }
    let scores = CATEGORIES
        .iter()
        .map(|c| report["categories"][c]["score"].as_f64().map(|s| s * 100.0))
        .collect();
    let metrics = METRICS
        .iter()
        .map(|(id, _)| report["audits"][id]["numericValue"].as_f64())
        .collect();
    Ok((scores, metrics))
}

fn one_run(url: &str, out: &Path) -> Result<Value> {
    let output = cmd("lighthouse")
        .arg(url)
        .args(["--output=json", "--quiet", "--no-enable-error-reporting"])
        .arg(format!("--output-path={}", out.display()))
        .arg(format!("--only-categories={}", CATEGORIES.join(",")))
        .arg(format!("--chrome-flags={CHROME_FLAGS}"))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .output()
        .map_err(|e| {
            format!("cannot run lighthouse: {e} (run `cargo xtask setup` to install the npm tools)")
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "lighthouse failed ({}): {}",
            output.status,
            stderr.trim().lines().last().unwrap_or("")
        ));
    }
    let text =
        std::fs::read_to_string(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("the Lighthouse report is not JSON: {e}"))
}

/// Lighthouse's own words for a transient failure to record the page load's trace (NO_NAVSTART,
/// NO_TRACING_STARTED, …): it asks to be run again. Now and then a run does this on this machine.
const TRANSIENT: &str = "Please run Lighthouse again";

/// `attempt()`, made once more when it fails with Lighthouse's transient trace error; the bool
/// says whether it was. Any other failure, or a second transient one, is the result.
fn again_if_transient<T>(mut attempt: impl FnMut() -> Result<T>) -> Result<(T, bool)> {
    match attempt() {
        Err(error) if error.contains(TRANSIENT) => {
            println!("  Lighthouse could not record the trace ({error}); running it again");
            attempt().map(|value| (value, true))
        }
        other => other.map(|value| (value, false)),
    }
}

pub fn section(url: &str, out_dir: &Path) -> Section {
    match measure(url, out_dir) {
        Ok((rows, data)) => match missed_targets(&data) {
            Some(message) => Section {
                name: "lighthouse",
                status: Status::MissedTarget(message),
                rows,
                data,
            },
            None => Section::ok("lighthouse", rows, data),
        },
        Err(error) => Section::failed("lighthouse", error),
    }
}

/// Every category whose median score is below its target, said plainly.
fn missed_targets(data: &Value) -> Option<String> {
    let missed: Vec<String> = TARGETS
        .iter()
        .filter_map(|(category, target)| {
            let median = data[category]["median"].as_f64()?;
            (median < *target).then(|| {
                format!("{category} median {median:.0} is below its target of {target:.0}")
            })
        })
        .collect();
    (!missed.is_empty()).then(|| missed.join("; "))
}

fn measure(url: &str, out_dir: &Path) -> Result<(Vec<Row>, Value)> {
    crate::util::heading(&format!("Lighthouse on {url} ({RUNS} runs)"));
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); CATEGORIES.len()];
    let mut metrics: Vec<Vec<f64>> = vec![Vec::new(); METRICS.len()];
    let mut repeated = 0;
    for run in 1..=RUNS {
        let out = out_dir.join(format!("lighthouse-{run}.json"));
        let ((s, m), again) =
            again_if_transient(|| one_run(url, &out).and_then(|report| figures(&report)))?;
        repeated += usize::from(again);
        println!("  run {run}: scores {s:?}");
        for (i, v) in s.into_iter().enumerate() {
            scores[i].push(v.unwrap_or(f64::NAN));
        }
        for (i, v) in m.into_iter().enumerate() {
            metrics[i].push(v.unwrap_or(f64::NAN));
        }
    }
    let mut rows = Vec::new();
    let mut data = serde_json::Map::new();
    let repeats = match repeated {
        0 => String::new(),
        n => format!(" ({n} repeated after a transient trace error)"),
    };
    let detail = format!(
        "{RUNS} runs{repeats}, mobile emulation, simulated throttling; reports in target/bench/"
    );
    for (name, values) in CATEGORIES.iter().zip(&scores) {
        let target = TARGETS
            .iter()
            .find(|(category, _)| category == name)
            .map(|(_, target)| format!("target ≥ {target:.0}; "))
            .unwrap_or_default();
        match summarize(values) {
            Some(s) => {
                rows.push(Row::summary(
                    format!("{name} score"),
                    &s,
                    score,
                    format!("{target}{detail}"),
                ));
                data.insert((*name).into(), s.json());
            }
            None => rows.push(Row::single(
                format!("{name} score"),
                "–",
                "no score in the report",
            )),
        }
    }
    for ((id, name), values) in METRICS.iter().zip(&metrics) {
        if let Some(s) = summarize(values) {
            let unit = if UNITLESS.contains(id) { plain } else { ms };
            rows.push(Row::summary(*name, &s, unit, ""));
            data.insert((*id).into(), s.json());
        }
    }
    Ok((rows, json!(data)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scores_and_metrics() {
        let report = json!({
            "categories": {"performance": {"score": 0.97}, "accessibility": {"score": 1.0}, "best-practices": {"score": null}},
            "audits": {"first-contentful-paint": {"numericValue": 812.5}},
        });
        let (scores, metrics) = figures(&report).unwrap();
        assert_eq!(scores.len(), 3);
        assert!((scores[0].unwrap() - 97.0).abs() < 1e-9);
        assert_eq!(scores[1], Some(100.0));
        assert_eq!(scores[2], None);
        assert_eq!(metrics, vec![Some(812.5), None, None, None, None]);
        assert!(figures(&json!({})).is_err());
        let broken = json!({"categories": {}, "runtimeError": {"message": "NO_FCP"}});
        assert!(figures(&broken).unwrap_err().contains("NO_FCP"));
    }

    #[test]
    fn scores_below_their_targets_are_named() {
        let scores = |performance: f64, practices: f64| {
            json!({"performance": {"median": performance}, "accessibility": {"median": 90.0},
                   "best-practices": {"median": practices}})
        };
        assert_eq!(missed_targets(&scores(98.0, 100.0)), None);
        assert_eq!(
            missed_targets(&scores(97.0, 96.0)).as_deref(),
            Some(
                "performance median 97 is below its target of 98; best-practices median 96 is below its target of 100"
            )
        );
        assert_eq!(missed_targets(&json!({})), None);
    }

    #[test]
    fn only_a_transient_trace_error_is_tried_again_and_only_once() {
        let transient = || format!("lighthouse failed: … {TRANSIENT}. (NO_NAVSTART)");
        let mut calls = 0;
        let once_flaky = again_if_transient(|| {
            calls += 1;
            if calls == 1 { Err(transient()) } else { Ok(7) }
        });
        assert_eq!(once_flaky, Ok((7, true)));
        assert_eq!(calls, 2);

        let mut calls = 0;
        let clean = again_if_transient(|| {
            calls += 1;
            Ok(1)
        });
        assert_eq!((clean, calls), (Ok((1, false)), 1));

        let mut calls = 0;
        let broken: Result<(u8, bool)> = again_if_transient(|| {
            calls += 1;
            Err("cannot run lighthouse: not found".to_string())
        });
        assert!(broken.is_err());
        assert_eq!(calls, 1, "other failures are not retried");

        let mut calls = 0;
        let always: Result<(u8, bool)> = again_if_transient(|| {
            calls += 1;
            Err(transient())
        });
        assert!(always.unwrap_err().contains("NO_NAVSTART"));
        assert_eq!(calls, 2, "a second transient error is the result");
    }
}
