//! `cargo xtask bench`: bundle size against its budget, sign-in latency in headless Chromium, the
//! Search API reporting (the sandbox's aggregation, the Activity page's 7-day charts), the token
//! proxy's cost, and Lighthouse scores, measured on this machine in one run. Prints one
//! Markdown table (for the README's performance section) and writes it with every raw figure to
//! target/bench/report.json. A section that fails is shown as FAILED and the others still run; the
//! command then exits non-zero, as it does when the bundle is over budget.

mod budget;
mod bundle;
mod floor;
mod lambda;
mod lighthouse;
mod proxy;
mod report;
mod script;
mod search;
mod signin;
mod stats;

use serde_json::json;

use crate::services::{Servers, StackOptions, start_stack};
use crate::util::{Result, heading};
use report::Section;

/// Sign-in runs: the default and the fewest a median is taken over.
const MIN_RUNS: usize = 10;

fn usage() -> String {
    format!(
        "\
usage: cargo xtask bench [--runs N] [--only SECTIONS]

  --runs N          sign-ins in headless Chromium, for each of the two paces (default {MIN_RUNS}, at least {MIN_RUNS})
  --only SECTIONS   comma-separated subset of {} (default: all)

Writes target/bench/report.json and prints the table; exits non-zero when the bundle is over its
{} brotli budget or a section failed.
",
        SECTIONS.join(","),
        report::kb(bundle::BUDGET_BROTLI_BYTES as f64)
    )
}

const SECTIONS: [&str; 6] = [
    "bundle",
    "sign-in",
    "search",
    "budget",
    "proxy",
    "lighthouse",
];

#[derive(Debug, PartialEq)]
pub struct Options {
    pub runs: usize,
    pub only: Vec<&'static str>,
}

pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        runs: MIN_RUNS,
        only: SECTIONS.to_vec(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => {
                let value = it.next().ok_or("--runs needs a number, e.g. --runs 20")?;
                options.runs = value
                    .parse()
                    .ok()
                    .filter(|n| *n >= MIN_RUNS)
                    .ok_or_else(|| {
                        format!(
                            "--runs must be a whole number of at least {MIN_RUNS}, not `{value}`"
                        )
                    })?;
            }
            "--only" => {
                let value = it
                    .next()
                    .ok_or("--only needs a list, e.g. --only bundle,proxy")?;
                let mut only = Vec::new();
                for name in value.split(',').map(str::trim) {
                    let known = SECTIONS.iter().find(|s| **s == name).ok_or_else(|| {
                        format!(
                            "unknown section `{name}` in --only; choose from {}",
                            SECTIONS.join(",")
                        )
                    })?;
                    only.push(*known);
                }
                options.only = only;
            }
            "--help" | "-h" => return Err(usage()),
            other => return Err(format!("unknown bench option `{other}`.\n\n{}", usage())),
        }
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result {
    let options = parse_args(args)?;
    let wanted = |name: &str| options.only.contains(&name);
    let target = crate::util::target_dir();
    let out_dir = target.join("bench");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let report_path = out_dir.join("report.json");
    let previous = std::fs::read_to_string(&report_path)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());

    let dist = crate::spa::dist();
    let needs_build = wanted("bundle")
        || wanted("sign-in")
        || wanted("search")
        || wanted("budget")
        || wanted("lighthouse");
    let build = if needs_build {
        crate::spa::build("/")
    } else {
        Ok(())
    };
    let mut sections = Vec::new();

    sections.push(match (&build, wanted("bundle")) {
        (_, false) => Section::skipped("bundle"),
        (Ok(()), true) => {
            heading("bundle: sizes (raw, gzip -9, brotli 11) and the wasm breakdown (twiggy)");
            bundle::section(&dist, &target, previous.as_ref())
        }
        (Err(error), true) => Section::failed("bundle", format!("the SPA build failed: {error}")),
    });

    if wanted("sign-in") || wanted("search") || wanted("lighthouse") {
        let stack = build
            .clone()
            .and_then(|()| Servers::Optimised.build())
            .and_then(|()| bench_stack(&dist, crate::spa::SiteUse::Bench, UNLIMITED));
        match stack {
            Ok(stack) => {
                sections.push(if wanted("sign-in") {
                    let floor_dist = out_dir.join("floor-dist");
                    let floor = floor::write_dist(&floor_dist).and_then(|()| {
                        bench_stack(&floor_dist, crate::spa::SiteUse::BenchFloor, UNLIMITED)
                    });
                    signin::section(&stack, floor.as_ref().map_err(String::as_str), options.runs)
                } else {
                    Section::skipped("sign-in")
                });
                sections.push(if wanted("search") {
                    search::section(Ok(&stack), &out_dir)
                } else {
                    Section::skipped("search")
                });
                sections.push(if wanted("lighthouse") {
                    lighthouse::section(&format!("{}/", stack.cdn.address), &out_dir)
                } else {
                    Section::skipped("lighthouse")
                });
                drop(stack);
            }
            Err(error) => {
                for name in ["sign-in", "search", "lighthouse"] {
                    sections.push(if name == "search" && wanted(name) {
                        // The sandbox's aggregation needs no stack: it is still measured.
                        search::section(Err(&error), &out_dir)
                    } else if wanted(name) {
                        Section::failed(name, format!("the local stack did not start: {error}"))
                    } else {
                        Section::skipped(name)
                    });
                }
            }
        }
    } else {
        for name in ["sign-in", "search", "lighthouse"] {
            sections.push(Section::skipped(name));
        }
    }

    sections.push(if wanted("budget") {
        // A stack of its own, whose sandbox holds the client id to a Webex-like limit.
        let stack = build
            .clone()
            .and_then(|()| Servers::Optimised.build())
            .and_then(|()| bench_stack(&dist, crate::spa::SiteUse::Bench, budget::SANDBOX_LIMIT));
        budget::section(stack.as_ref().map_err(String::as_str))
    } else {
        Section::skipped("budget")
    });

    sections.push(if wanted("proxy") {
        proxy::section()
    } else {
        Section::skipped("proxy")
    });
    sections.push(lambda::section(&target, wanted("proxy")));

    let table = report::markdown(&sections);
    let context = json!({
        "unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "git_commit": crate::util::first_line(crate::util::cmd("git").args(["rev-parse", "--short", "HEAD"])),
        "sign_in_runs": options.runs,
        "sections_run": options.only,
    });
    let mut report = report::json_report(&sections, &table, context);
    keep_skipped_sections(&mut report, previous.as_ref());
    let text = serde_json::to_string_pretty(&report).expect("json");
    std::fs::write(&report_path, text)
        .map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;

    heading("bench results");
    println!("{table}");
    println!("written to {}", report_path.display());
    verdict(&sections)
}

/// The sandbox's limit for the sign-in, search and Lighthouse stacks: ten sign-ins in a minute make a
/// hundred API calls, and a Webex-like limit would measure Retry-After waits, not the app.
const UNLIMITED: u32 = 100_000;

/// The bench's stack serving the site deployed from `dist` into `site`'s directory, its sandbox
/// answering 429 past `rate_limit` calls a minute per client id. The app and the floor each run on
/// one, started alike, so that neither is timed through servers the other lacks.
fn bench_stack(
    dist: &std::path::Path,
    site: crate::spa::SiteUse,
    rate_limit: u32,
) -> Result<crate::services::Stack> {
    start_stack(
        dist,
        &StackOptions {
            spa_port: 0,
            proxy_mode: "cookie",
            sandbox_args: vec!["--rate-limit".into(), rate_limit.to_string()],
            site: site.dir(),
            base_path: "/",
            // The time measured is the app's; debug servers would add their own.
            servers: Servers::Optimised,
        },
    )
}

/// A partial run (`--only`) keeps the previous figures of the sections it skipped, so the next
/// budget check can still say what grew.
fn keep_skipped_sections(report: &mut serde_json::Value, previous: Option<&serde_json::Value>) {
    let Some(previous) = previous else { return };
    for name in SECTIONS {
        let old = &previous["sections"][name];
        if report["sections"][name]["status"] == "skipped"
            && !old.is_null()
            && old["status"] != "skipped"
        {
            report["sections"][name] = old.clone();
        }
    }
}

/// Ok only when every selected section measured cleanly and within budget.
fn verdict(sections: &[Section]) -> Result {
    let problems: Vec<String> = sections
        .iter()
        .filter_map(|s| {
            s.problem()
                .map(|p| format!("{} {}: {p}", s.name, s.status_word()))
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the bench found problems:\n  - {}",
            problems.join("\n  - ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use report::Status;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        assert_eq!(
            parse_args(&[]).unwrap(),
            Options {
                runs: 10,
                only: SECTIONS.to_vec()
            }
        );
        let o = parse_args(&args(&["--runs", "12", "--only", "bundle, proxy"])).unwrap();
        assert_eq!(
            o,
            Options {
                runs: 12,
                only: vec!["bundle", "proxy"]
            }
        );
        assert!(
            parse_args(&args(&["--runs", "3"]))
                .unwrap_err()
                .contains("at least 10")
        );
        assert!(
            parse_args(&args(&["--only", "speed"]))
                .unwrap_err()
                .contains("unknown section `speed`")
        );
        assert!(
            parse_args(&args(&["--fast"]))
                .unwrap_err()
                .contains("unknown bench option")
        );
    }

    #[test]
    fn partial_runs_keep_earlier_figures() {
        let previous = json!({"sections": {"bundle": {"status": "ok", "data": {"total": 1}}, "proxy": {"status": "ok"}}});
        let mut report =
            json!({"sections": {"bundle": {"status": "skipped"}, "proxy": {"status": "failed"}}});
        keep_skipped_sections(&mut report, Some(&previous));
        assert_eq!(report["sections"]["bundle"]["data"]["total"], 1);
        assert_eq!(report["sections"]["proxy"]["status"], "failed");
    }

    #[test]
    fn over_budget_or_failure_fails_the_run_but_skips_do_not() {
        let ok = || Section::ok("bundle", vec![], serde_json::Value::Null);
        assert!(verdict(&[ok(), Section::skipped("proxy")]).is_ok());
        let error = verdict(&[ok(), Section::failed("proxy", "no port")]).unwrap_err();
        assert!(error.contains("proxy failed: no port"), "{error}");
        let over = Section {
            name: "bundle",
            status: Status::OverBudget("wasm grew by 3.0 kB".into()),
            rows: vec![],
            data: serde_json::Value::Null,
        };
        assert!(
            verdict(&[over])
                .unwrap_err()
                .contains("bundle over budget: wasm grew by 3.0 kB")
        );
    }
}
