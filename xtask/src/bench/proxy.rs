//! Proxy: what the token proxy costs. `POST /refresh` through the proxy versus the sandbox's token
//! endpoint called directly, at a few concurrency levels, from a small loopback load generator;
//! plus the proxy's peak RSS and its start-up time.
//!
//! Both servers are built with an optimised profile of their own (`bench-servers`: opt-level 3, no
//! LTO, unwinding), not the workspace's size-tuned release profile meant for the wasm, and run with
//! `RUST_LOG=warn` so per-request logging does not dominate the figures.

mod grant;
mod load;
mod servers;

use serde_json::{Value, json};

use super::report::{Row, Section, mib, ms, per_second};
use super::stats::summarize;
use crate::util::{Result, heading};
use load::{Target, round};
use servers::proc_status_kb;

/// Only a header value and a registered redirect: nothing listens there.
const ORIGIN: &str = "http://127.0.0.1:8080";
const REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";

/// Concurrency levels and the requests one round sends at each (bounded in count and in time).
const LEVELS: [(usize, usize); 3] = [(1, 500), (32, 3_000), (200, 5_000)];
const ROUNDS: usize = 3;
const STARTS: usize = 5;

pub fn section() -> Section {
    match measure() {
        Ok((rows, data, 0)) => Section::ok("proxy", rows, data),
        Ok((rows, data, errors)) => {
            let mut section = Section::failed(
                "proxy",
                format!("{errors} requests failed under load (see the rows above)"),
            );
            section.rows = rows;
            section.data = data;
            section
        }
        Err(error) => Section::failed("proxy", error),
    }
}

fn measure() -> Result<(Vec<Row>, Value, u64)> {
    let (sandbox_bin, proxy_bin) = servers::build()?;
    heading("proxy: /refresh through the proxy vs the sandbox's token endpoint directly");
    let (_sandbox, identity) = servers::start_sandbox(&sandbox_bin)?;
    let proxy = servers::start_proxy(&proxy_bin, &identity)?;
    let idle_rss_kb = proc_status_kb(proxy.pid(), "VmRSS");

    // A current-thread runtime keeps the load generator on one core, leaving the other to the servers.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the load generator's runtime: {e}"))?;
    let (proxy_target, direct_target) =
        runtime.block_on(grant::targets(&identity, &proxy.address))?;

    let mut rows = Vec::new();
    let mut figures = Vec::new();
    let mut total_errors = 0;
    let mut p50_at_one = [f64::NAN; 2];
    for (t, (label, target)) in [
        ("via proxy", &proxy_target),
        ("sandbox direct", &direct_target),
    ]
    .into_iter()
    .enumerate()
    {
        for (concurrency, requests) in LEVELS {
            let level = measure_level(&runtime, label, target, concurrency, requests);
            total_errors += level.errors;
            if concurrency == 1 {
                p50_at_one[t] = level.p50_median;
            }
            rows.extend(level.rows);
            figures.push(level.figures);
        }
    }
    if !p50_at_one.iter().any(|v| v.is_nan()) {
        rows.push(Row::single(
            "proxy overhead at c=1 (p50 via proxy − direct)",
            ms(p50_at_one[0] - p50_at_one[1]),
            "unseal + upstream call + seal, on loopback",
        ));
    }
    let peak_rss_kb = proc_status_kb(proxy.pid(), "VmHWM");
    drop(proxy);
    match peak_rss_kb {
        Some(kb) => rows.push(Row::single(
            "proxy peak RSS (VmHWM)",
            mib(kb as f64 * 1024.0),
            format!(
                "after all rounds; idle after start {}",
                idle_rss_kb.map_or("?".into(), |k| mib(k as f64 * 1024.0))
            ),
        )),
        None => rows.push(Row::single(
            "proxy peak RSS (VmHWM)",
            "–",
            "/proc/<pid>/status unreadable",
        )),
    }

    let mut starts = Vec::new();
    for _ in 0..STARTS {
        starts.push(servers::start_up_ms(&proxy_bin, &identity)?);
    }
    let start_summary = summarize(&starts).expect("at least one start");
    rows.push(Row::summary(
        "proxy start-up (spawn → first 200 on /healthz)",
        &start_summary,
        ms,
        format!("{STARTS} starts"),
    ));
    let data = json!({
        "profile": crate::services::Servers::OPTIMISED_PROFILE,
        "levels": figures,
        "peak_rss_kb": peak_rss_kb,
        "idle_rss_kb": idle_rss_kb,
        "start_up_ms": start_summary.json(),
        "start_up_samples_ms": starts,
    });
    Ok((rows, data, total_errors))
}

/// What one target at one concurrency level measured over [`ROUNDS`] rounds.
struct Level {
    rows: Vec<Row>,
    figures: Value,
    errors: u64,
    /// The median of the rounds' p50s; NaN when no request succeeded.
    p50_median: f64,
}

fn measure_level(
    runtime: &tokio::runtime::Runtime,
    label: &str,
    target: &Target,
    concurrency: usize,
    requests: usize,
) -> Level {
    let mut p50s = Vec::new();
    let mut p99s = Vec::new();
    let mut rates = Vec::new();
    let mut errors = 0;
    let mut sent = 0;
    // Warm-up: open the connections and fill the proxy's upstream pool; not counted.
    runtime.block_on(round(target, concurrency, concurrency * 2));
    for _ in 0..ROUNDS {
        let result = runtime.block_on(round(target, concurrency, requests));
        let (p50, p99, rate) = result.figures();
        p50s.push(p50.unwrap_or(f64::NAN));
        p99s.push(p99.unwrap_or(f64::NAN));
        rates.push(rate);
        errors += result.errors;
        sent += result.latencies_ms.len() as u64 + result.errors;
    }
    let list = |values: &[f64], unit: fn(f64) -> String| {
        values
            .iter()
            .map(|v| unit(*v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "  {label} c={concurrency}: p50 {}; p99 {}; {}; {errors} errors",
        list(&p50s, ms),
        list(&p99s, ms),
        list(&rates, per_second)
    );
    let detail = format!("{sent} requests in {ROUNDS} rounds, {errors} errors");
    let name = |what: &str| format!("/refresh {label}, c={concurrency}: {what}");
    let mut rows = Vec::new();
    for (what, values, unit) in [
        ("p50", &p50s, ms as fn(f64) -> String),
        ("p99", &p99s, ms),
        ("throughput", &rates, per_second),
    ] {
        match summarize(values) {
            Some(s) => rows.push(Row::summary(name(what), &s, unit, detail.clone())),
            None => rows.push(Row::single(
                name(what),
                "–",
                format!("no successful request; {detail}"),
            )),
        }
    }
    let figures = json!({
        "target": label, "concurrency": concurrency, "requests_per_round": requests, "rounds": ROUNDS,
        "p50_ms": summarize(&p50s).map(|s| s.json()), "p99_ms": summarize(&p99s).map(|s| s.json()),
        "requests_per_second": summarize(&rates).map(|s| s.json()), "errors": errors, "sent": sent,
    });
    Level {
        rows,
        figures,
        errors,
        p50_median: summarize(&p50s).map_or(f64::NAN, |s| s.median),
    }
}
