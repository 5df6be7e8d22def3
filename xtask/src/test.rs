//! `cargo xtask test`: every suite, one closing line `N passed, M failed` (`, K skipped` when a
//! suite could not run here and need not: the conformance suite without Cisco's spec, outside CI).
//!
//! Suites keep running after a failure so one run shows everything that is wrong; the exit code
//! is non-zero when anything failed.

mod dynamodb;
mod native;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use native::{Conformance, LAMBDA_RUNTIME_TESTS};

use crate::process::Process;
use crate::services::{READY_WITHIN, Servers, StackOptions, start_stack_with};
use crate::spa::SiteUse;
use crate::util::{Result, cmd, describe, heading, root, target_dir};

/// What a suite contributed to the closing line.
struct Outcome {
    suite: &'static str,
    passed: u64,
    failed: u64,
    /// Suites not run, deliberately: never counted as passed.
    skipped: u64,
    note: String,
}

impl Outcome {
    /// A suite that could not run (one failure), with why.
    fn failed(suite: &'static str, note: String) -> Outcome {
        Outcome {
            suite,
            passed: 0,
            failed: 1,
            skipped: 0,
            note,
        }
    }

    /// A suite not run here (one skip), with why and how to run it.
    fn skipped(suite: &'static str, note: String) -> Outcome {
        Outcome {
            suite,
            passed: 0,
            failed: 0,
            skipped: 1,
            note,
        }
    }

    /// This suite with the results of another run of it (a second cargo command) added.
    fn and(mut self, other: Outcome) -> Outcome {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.note = [self.note, other.note]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        self
    }
}

pub fn run(args: &[String]) -> Result {
    let only_e2e = args.iter().any(|a| a == "--e2e-only");
    let mut outcomes = Vec::new();

    if !only_e2e {
        outcomes.push(check(
            "format",
            cmd("cargo").args(["fmt", "--all", "--check"]),
        ));
        outcomes.push(check(
            "clippy (native)",
            cmd("cargo").args([
                "clippy",
                "--workspace",
                "--exclude",
                "wxcc-console",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ));
        outcomes.push(check(
            "clippy (wasm SPA)",
            cmd("cargo").args([
                "clippy",
                "-p",
                "wxcc-console",
                "-p",
                "wasm-streams",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ));
        outcomes.extend(native_suites(native::conformance_from_env()));
        outcomes.push(lambda_runtime());
        outcomes.push(deployment_template());
        outcomes.push(dynamodb::suite());
        let mut browser = cmd("cargo");
        browser
            .args([
                "test",
                "-p",
                "wxcc-console",
                "-p",
                "wasm-streams",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                root().join("tests/webdriver.json"),
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        outcomes.push(cargo_tests(
            "browser (wasm-bindgen-test, headless Chromium)",
            browser,
        ));
    }
    outcomes.push(end_to_end());
    outcomes.push(demo_smoke());

    heading("summary");
    for o in &outcomes {
        println!("{}", suite_line(o));
    }
    println!("{}", closing_line(&outcomes));
    let failed: u64 = outcomes.iter().map(|o| o.failed).sum();
    if failed > 0 {
        Err(format!("{failed} failed"))
    } else {
        Ok(())
    }
}

/// One line of the summary: the suite's counts, or that it was skipped; then the note.
fn suite_line(o: &Outcome) -> String {
    let counts = if o.skipped > 0 && o.passed == 0 && o.failed == 0 {
        "SKIPPED".to_string()
    } else {
        format!("{:>4} passed {:>3} failed", o.passed, o.failed)
    };
    format!("  {:<48} {counts:<22}  {}", o.suite, o.note)
        .trim_end()
        .to_string()
}

/// `N passed, M failed`, and `, K skipped` when a suite was skipped.
fn closing_line(outcomes: &[Outcome]) -> String {
    let passed: u64 = outcomes.iter().map(|o| o.passed).sum();
    let failed: u64 = outcomes.iter().map(|o| o.failed).sum();
    let skipped: u64 = outcomes.iter().map(|o| o.skipped).sum();
    match skipped {
        0 => format!("{passed} passed, {failed} failed"),
        _ => format!("{passed} passed, {failed} failed, {skipped} skipped"),
    }
}

/// The native tests but the conformance ones, then the conformance suite as `plan` says.
fn native_suites(plan: Conformance) -> [Outcome; 2] {
    let suite = "unit + integration (native)";
    let conformance_suite = "conformance with Cisco's OpenAPI spec (native)";
    let targets = match native::test_targets() {
        Ok(targets) => targets,
        Err(e) => {
            return [
                Outcome::failed(suite, e.clone()),
                Outcome::failed(conformance_suite, e),
            ];
        }
    };
    let [tests, doc] = native::everything_but_conformance(&targets);
    let everything_else = cargo_tests(suite, tests).and(cargo_tests(suite, doc));
    let conformance = match plan {
        Conformance::Run(spec) => {
            println!("using the OpenAPI spec {}", spec.display());
            match native::conformance_tests(&targets, &spec) {
                Some(command) => cargo_tests(conformance_suite, command),
                None => Outcome::failed(
                    conformance_suite,
                    "no conformance test target found (crates/*/tests/conformance*, *_conformance.rs)"
                        .into(),
                ),
            }
        }
        Conformance::Skip(why) => {
            heading(&format!("{conformance_suite}: SKIPPED"));
            println!("{why}");
            Outcome::skipped(conformance_suite, why)
        }
        Conformance::Fail(why) => {
            heading(&format!("{conformance_suite}: FAILED"));
            println!("{why}");
            Outcome::failed(conformance_suite, why)
        }
    };
    [everything_else, conformance]
}

/// The built `wxcc-token-proxy-lambda` under a local Lambda Runtime API, against the sandbox.
fn lambda_runtime() -> Outcome {
    let mut command = cmd("cargo");
    command.args([
        "test",
        "-p",
        "wxcc-token-proxy",
        "--test",
        "lambda_runtime",
        "--",
        LAMBDA_RUNTIME_TESTS,
    ]);
    cargo_tests("Lambda runtime (the binary, Runtime API, sandbox)", command)
}

/// The deployment template for an example config: its headers agree with `_headers` (checked
/// while it is written), and cfn-lint passes it.
fn deployment_template() -> Outcome {
    let suite = "deployment template (_headers, cfn-lint)";
    heading(&format!(
        "{suite}: cargo xtask package's template for an example config"
    ));
    let template = match crate::package::example::write() {
        Ok(path) => path,
        Err(e) => return Outcome::failed(suite, e),
    };
    println!(
        "the template's response headers agree with _headers: {}",
        template.display()
    );
    let mut lint = Command::new(crate::setup::cfn_lint_path());
    lint.arg(&template);
    let mut outcome = check(suite, &mut lint);
    outcome.passed += 1;
    outcome
}

/// A check that is one pass or one fail (fmt, clippy).
fn check(suite: &'static str, command: &mut Command) -> Outcome {
    heading(&format!("{suite}: {}", describe(command)));
    let ok = command.status().map(|s| s.success()).unwrap_or(false);
    Outcome {
        suite,
        passed: u64::from(ok),
        failed: u64::from(!ok),
        skipped: 0,
        note: if ok {
            String::new()
        } else {
            format!("retry: {}", describe(command))
        },
    }
}

/// Runs `cargo test`, echoing its output, and sums its `test result:` lines. A run that fails
/// without reporting a failed test (a compile error) counts as one failure.
fn cargo_tests(suite: &'static str, mut command: Command) -> Outcome {
    heading(&format!("{suite}: {}", describe(&command)));
    let retry = describe(&command);
    let (ok, output) = match tee(&mut command) {
        Ok(result) => result,
        Err(e) => return Outcome::failed(suite, e),
    };
    let (passed, mut failed) = sum_test_results(&output);
    if !ok && failed == 0 {
        failed = 1;
    }
    Outcome {
        suite,
        passed,
        failed,
        skipped: 0,
        note: if ok {
            String::new()
        } else {
            format!("retry: {retry}")
        },
    }
}

/// Runs a command, printing its stdout as it comes and keeping a copy.
fn tee(command: &mut Command) -> Result<(bool, String)> {
    command.stdout(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let mut copy = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped"))
        .lines()
        .map_while(|l| l.ok())
    {
        println!("{line}");
        copy.push_str(&line);
        copy.push('\n');
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status.success(), copy))
}

/// Sums `test result: ok. 12 passed; 0 failed; …` lines (cargo test and wasm-bindgen-test).
fn sum_test_results(output: &str) -> (u64, u64) {
    let mut passed = 0;
    let mut failed = 0;
    for line in output
        .lines()
        .filter(|l| l.trim_start().starts_with("test result:"))
    {
        for part in line.split([';', '.']) {
            let words: Vec<&str> = part.split_whitespace().collect();
            if let [n, label] = words[words.len().saturating_sub(2)..] {
                match (n.parse::<u64>(), label) {
                    (Ok(n), "passed") => passed += n,
                    (Ok(n), "failed") => failed += n,
                    _ => {}
                }
            }
        }
    }
    (passed, failed)
}

/// Builds the SPA and the servers, starts the stack, runs Playwright, and always stops the stack.
fn end_to_end() -> Outcome {
    let suite = "end-to-end (Playwright, headless Chromium)";
    let fail = |note: String| Outcome::failed(suite, note);
    if let Err(e) = crate::spa::build("/").and_then(|()| Servers::Debug.build()) {
        return fail(e);
    }
    // Everything at the domain root but the specs that need a stack of their own (tagged), then
    // the sub-path deployment's (@subpath) against a second build made with `--public-url
    // /console/`, the session end's (@session-end) against a proxy whose sessions last 20 s,
    // handle mode's (@handle) against a proxy and an app in handle mode, and the shared budget's
    // (@low-limit) against a sandbox that answers 429 past a low limit.
    let root = Suite {
        base_path: "/",
        site: SiteUse::EndToEnd,
        proxy_mode: "cookie",
        proxy_env: Vec::new(),
        sandbox_rate_limit: SUITE_RATE_LIMIT,
    };
    let root_run = run_suite(
        &crate::spa::dist(),
        &root,
        &["--grep-invert", "@subpath|@session-end|@handle|@low-limit"],
    );
    let sub_dist = target_dir().join("dist-console");
    let sub_run = crate::spa::build_into("/console/", &sub_dist).and_then(|()| {
        let sub_path = Suite {
            base_path: "/console/",
            site: SiteUse::EndToEndSubPath,
            ..root.clone()
        };
        run_suite(&sub_dist, &sub_path, &["--grep", "@subpath"])
    });
    let short_session = Suite {
        site: SiteUse::EndToEndShortSession,
        proxy_env: vec![(SESSION_LIFETIME_VARIABLE, SHORT_SESSION_SECS.to_string())],
        ..root.clone()
    };
    let session_end_run = run_suite(
        &crate::spa::dist(),
        &short_session,
        &["--grep", "@session-end"],
    );
    let handle = Suite {
        site: SiteUse::EndToEndHandle,
        proxy_mode: "handle",
        ..root.clone()
    };
    let handle_run = run_suite(&crate::spa::dist(), &handle, &["--grep", "@handle"]);
    let low_limit = Suite {
        site: SiteUse::EndToEndLowLimit,
        sandbox_rate_limit: LOW_RATE_LIMIT,
        ..root.clone()
    };
    let low_limit_run = run_suite(&crate::spa::dist(), &low_limit, &["--grep", "@low-limit"]);
    let mut outcome = Outcome {
        suite,
        passed: 0,
        failed: 0,
        skipped: 0,
        note: String::new(),
    };
    for run in [
        root_run,
        sub_run,
        session_end_run,
        handle_run,
        low_limit_run,
    ] {
        match run {
            Ok((passed, failed)) => {
                outcome.passed += passed;
                outcome.failed += failed;
            }
            Err(e) => {
                outcome.failed += 1;
                outcome.note = e;
            }
        }
    }
    if outcome.failed > 0 && outcome.note.is_empty() {
        outcome.note = "see the Playwright output above".into();
    }
    outcome
}

/// The token proxy's session lifetime variable, and the short session the @session-end specs run.
const SESSION_LIFETIME_VARIABLE: &str = "WXCC_PROXY_SESSION_LIFETIME_SECS";
const SHORT_SESSION_SECS: u64 = 20;

/// The sandbox's per-client limit for the suites: they sign in dozens of times a minute with one
/// client, well past Webex's limit (429 handling is tested with the sandbox's forced-429 knob) …
const SUITE_RATE_LIMIT: u32 = 100_000;
/// … but for the @low-limit specs, whose tabs must share a low limit with no 429. It is the
/// `LOW_LIMIT` of tests/e2e/budget.spec.ts, which configures the app's budget to match.
const LOW_RATE_LIMIT: u32 = 12;

/// How one end-to-end run's stack differs from the others'.
#[derive(Clone)]
struct Suite {
    /// `/`, or the sub-path the SPA in `dist` was built for.
    base_path: &'static str,
    site: SiteUse,
    /// The proxy's mode and the app's `proxy_mode`: `cookie` or `handle`.
    proxy_mode: &'static str,
    /// Extra token-proxy variables.
    proxy_env: Vec<(&'static str, String)>,
    /// The sandbox's per-client limit (requests per minute).
    sandbox_rate_limit: u32,
}

/// Starts a stack for the site built in `dist` as `suite` says, runs Playwright with `filter`,
/// and always stops the stack. Returns (passed, failed); a run that fails without a report counts
/// one (so does one whose filter found no test: Playwright then exits non-zero).
fn run_suite(dist: &std::path::Path, suite: &Suite, filter: &[&str]) -> Result<(u64, u64)> {
    let (base_path, site) = (suite.base_path, suite.site);
    heading(&format!(
        "starting the sandbox, token proxy and local CDN (app at {base_path}, {} mode{})",
        suite.proxy_mode,
        suite
            .proxy_env
            .iter()
            .map(|(k, v)| format!(", {k}={v}"))
            .collect::<String>()
    ));
    let options = StackOptions {
        spa_port: 0,
        proxy_mode: suite.proxy_mode,
        sandbox_args: vec!["--rate-limit".into(), suite.sandbox_rate_limit.to_string()],
        site: site.dir(),
        base_path,
        servers: Servers::Debug,
    };
    let stack = start_stack_with(dist, &options, &suite.proxy_env)?;
    let report = playwright_report(site);
    let _ = std::fs::remove_file(&report);
    let mut playwright = playwright(site, &stack.app_url);
    playwright
        .args(filter)
        .env("WXCC_SANDBOX_IDENTITY", &stack.identity_url)
        .env("WXCC_SANDBOX_API", &stack.api_url)
        .env("WXCC_PROXY_URL", &stack.proxy.address);
    heading(&format!(
        "end-to-end at {}: {}",
        stack.app_url,
        describe(&playwright)
    ));
    let ok = playwright.status().map(|s| s.success()).unwrap_or(false);
    drop(stack);
    let (passed, mut failed) = std::fs::read_to_string(&report)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .map(|json| {
            let stat = |key: &str| json["stats"][key].as_u64().unwrap_or(0);
            (stat("expected") + stat("flaky"), stat("unexpected"))
        })
        .unwrap_or((0, 0));
    if !ok && failed == 0 {
        failed = 1;
    }
    Ok((passed, failed))
}

/// Playwright with the project's config (and Debian's Chromium) against the app at `base_url`,
/// writing its JSON report to [`playwright_report`]`(site)`.
fn playwright(site: SiteUse, base_url: &str) -> Command {
    let mut command = cmd("playwright");
    command
        .args(["test", "--config", "tests/playwright.config.ts"])
        .env("WXCC_BASE_URL", base_url)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", playwright_report(site))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    command
}

/// Where Playwright writes its JSON report for the run against `site`.
fn playwright_report(site: SiteUse) -> PathBuf {
    target_dir().join(format!("playwright-{}.json", site.name()))
}

/// `cargo xtask demo` on `port`, with a site directory of its own so that a demo the developer
/// is running keeps its site (and the sandbox ports in its config.json).
fn demo_smoke_args(port: u16) -> Vec<String> {
    let site = SiteUse::DemoSmoke.dir();
    vec![
        "demo".into(),
        "--port".into(),
        port.to_string(),
        "--site".into(),
        site.to_string_lossy().into_owned(),
    ]
}

/// `cargo xtask demo` as a user runs it: it must print its URL, serve a page that loads in headless
/// Chromium without console errors (the shell specs), and stop everything on Ctrl-C.
fn demo_smoke() -> Outcome {
    let suite = "demo smoke (cargo xtask demo, Ctrl-C)";
    let fail = |note: String| Outcome::failed(suite, note);
    let port = match crate::util::free_port() {
        Ok(port) => port,
        Err(e) => return fail(e),
    };
    let args = demo_smoke_args(port);
    heading(&format!("{suite}: cargo xtask {}", args.join(" ")));
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return fail(format!("cannot find the xtask binary: {e}")),
    };
    let mut demo = cmd(exe.to_str().unwrap_or("xtask"));
    demo.args(args);
    // The demo builds first, then prints the URL to open in its banner.
    let demo = match Process::start("demo", demo, crate::demo::READY_LINE, READY_WITHIN) {
        Ok(demo) => demo,
        Err(e) => return fail(format!("the demo did not print the URL to open: {e}")),
    };
    let url = demo.address.trim_end_matches('/').to_string();
    let page_ok = playwright(SiteUse::DemoSmoke, &url)
        .arg("shell.spec.ts")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let stopped_ok = demo.interrupt();
    let checks = [
        (page_ok, "the demo page did not load cleanly"),
        (stopped_ok, "the demo did not exit cleanly on Ctrl-C"),
    ];
    let failures: Vec<&str> = checks
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, what)| *what)
        .collect();
    Outcome {
        suite,
        passed: checks.iter().filter(|(ok, _)| *ok).count() as u64,
        failed: failures.len() as u64,
        skipped: 0,
        note: failures.join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_smoke_test_never_deploys_into_the_running_demos_site() {
        let args = demo_smoke_args(9);
        assert_eq!(args[0], "demo");
        let smoke = crate::demo::parse(&args[1..])
            .unwrap()
            .expect("options, not help");
        let default = crate::demo::parse(&[]).unwrap().expect("options, not help");
        assert_eq!(smoke.site, SiteUse::DemoSmoke.dir());
        assert_eq!(default.site, SiteUse::Demo.dir());
        assert_ne!(smoke.site, default.site);
    }

    fn outcome(suite: &'static str, passed: u64, failed: u64) -> Outcome {
        Outcome {
            suite,
            passed,
            failed,
            skipped: 0,
            note: String::new(),
        }
    }

    #[test]
    fn a_skipped_suite_says_so_and_why_and_counts_as_skipped_not_passed() {
        let why =
            "no OpenAPI spec; to run it, set WXCC_OPENAPI_SPEC=/path/to/webex-contact-center.json";
        let outcomes = [
            outcome("unit + integration (native)", 276, 0),
            Outcome::skipped("conformance", why.to_string()),
        ];
        let line = suite_line(&outcomes[1]);
        assert!(line.starts_with("  conformance "), "{line:?}");
        assert!(line.contains("SKIPPED") && line.ends_with(why), "{line:?}");
        assert!(!line.contains("passed"), "{line:?}");
        assert_eq!(closing_line(&outcomes), "276 passed, 0 failed, 1 skipped");
    }

    #[test]
    fn without_a_skip_the_closing_line_is_passed_and_failed() {
        let outcomes = [
            outcome("unit + integration (native)", 276, 1),
            Outcome::failed("conformance", "CI needs Cisco's OpenAPI spec".into()),
        ];
        assert_eq!(closing_line(&outcomes), "276 passed, 2 failed");
        assert_eq!(
            suite_line(&outcomes[0]),
            format!(
                "  {:<48}  276 passed   1 failed",
                "unit + integration (native)"
            )
        );
        assert!(suite_line(&outcomes[1]).contains("   0 passed   1 failed  CI needs"));
    }

    #[test]
    fn two_runs_of_a_suite_add_up() {
        let mut doc = outcome("native", 2, 1);
        doc.note = "retry: cargo test --doc".into();
        let both = outcome("native", 10, 0).and(doc);
        assert_eq!((both.passed, both.failed, both.skipped), (12, 1, 0));
        assert_eq!(both.note, "retry: cargo test --doc");
    }

    #[test]
    fn sums_every_result_line() {
        let out = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; finished in 0.01s\n\
                   test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured\n";
        assert_eq!(sum_test_results(out), (8, 2));
        assert_eq!(sum_test_results("no tests here"), (0, 0));
    }
}
