//! `cargo xtask test`: every suite, one closing line `N passed, M failed`.
//!
//! Suites keep running after a failure so one run shows everything that is wrong; the exit code
//! is non-zero when anything failed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::process::Process;
use crate::services::{READY_WITHIN, Servers, StackOptions, start_stack};
use crate::spa::SiteUse;
use crate::util::{Result, cmd, describe, heading, root, target_dir};

/// What a suite contributed to the closing line.
struct Outcome {
    suite: &'static str,
    passed: u64,
    failed: u64,
    note: String,
}

impl Outcome {
    /// A suite that could not run (one failure), with why.
    fn failed(suite: &'static str, note: String) -> Outcome {
        Outcome {
            suite,
            passed: 0,
            failed: 1,
            note,
        }
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
        let mut native = cmd("cargo");
        native.args(["test", "--workspace", "--exclude", "wxcc-console"]);
        // The Lambda runtime tests are a suite of their own below; run them once.
        native.args(["--", "--skip", LAMBDA_RUNTIME_TESTS]);
        let spec = spec_path();
        match &spec {
            Some(spec) => native.env(SPEC_ENV, spec),
            None => native.env_remove(SPEC_ENV),
        };
        let mut outcome = cargo_tests("unit + integration (native)", native);
        if spec.is_none() {
            outcome.note = match outcome.note.as_str() {
                "" => NO_SPEC.to_string(),
                note => format!("{NO_SPEC}; {note}"),
            };
        }
        outcomes.push(outcome);
        outcomes.push(lambda_runtime());
        outcomes.push(deployment_template());
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
        println!(
            "  {:<48} {:>4} passed {:>3} failed  {}",
            o.suite, o.passed, o.failed, o.note
        );
    }
    let passed: u64 = outcomes.iter().map(|o| o.passed).sum();
    let failed: u64 = outcomes.iter().map(|o| o.failed).sum();
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        Err(format!("{failed} failed"))
    } else {
        Ok(())
    }
}

const SPEC_ENV: &str = "WXCC_OPENAPI_SPEC";
/// Where CI lays out Cisco's spec, relative to the repository.
const SPEC_BESIDE: &str = "../shared/webex-openapi/webex-contact-center.json";
const NO_SPEC: &str = "no OpenAPI spec for the conformance tests";

/// Cisco's OpenAPI spec for the conformance tests (never copied into the repository), or None
/// after saying plainly that it is missing and what to set.
fn spec_path() -> Option<PathBuf> {
    let set = std::env::var_os(SPEC_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_else(|_| root());
    let beside = root().join(SPEC_BESIDE);
    let found = locate_spec(set.clone(), &cwd, &beside);
    match (&found, set) {
        (Some(path), Some(_)) if !path.is_file() => println!(
            "{SPEC_ENV}={} is not a file: the conformance tests will fail",
            path.display()
        ),
        (Some(path), Some(_)) => println!("using the OpenAPI spec {SPEC_ENV}={}", path.display()),
        (Some(path), None) => println!(
            "using the OpenAPI spec beside the repository: {}",
            path.display()
        ),
        (None, _) => println!(
            "{NO_SPEC}: {SPEC_ENV} is not set and {} does not exist, so they will fail.\n  \
             Set {SPEC_ENV}=/path/to/webex-contact-center.json.",
            beside.display()
        ),
    }
    found
}

/// `$WXCC_OPENAPI_SPEC` (`set`, relative to `cwd`) when set, else the copy `beside` the
/// repository when it exists, else None.
fn locate_spec(set: Option<PathBuf>, cwd: &Path, beside: &Path) -> Option<PathBuf> {
    match set {
        Some(path) => Some(cwd.join(path)),
        None => beside.is_file().then(|| beside.to_path_buf()),
    }
}

/// The tests of `crates/token-proxy/tests/lambda_runtime.rs` are in this module.
const LAMBDA_RUNTIME_TESTS: &str = "lambda_runtime::";

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
    // Everything at the domain root, then the sub-path deployment's own specs (tagged @subpath)
    // against a second build made with `--public-url /console/`.
    let root_run = run_suite(
        &crate::spa::dist(),
        "/",
        SiteUse::EndToEnd,
        &["--grep-invert", "@subpath"],
    );
    let sub_dist = target_dir().join("dist-console");
    let sub_run = crate::spa::build_into("/console/", &sub_dist).and_then(|()| {
        run_suite(
            &sub_dist,
            "/console/",
            SiteUse::EndToEndSubPath,
            &["--grep", "@subpath"],
        )
    });
    let mut outcome = Outcome {
        suite,
        passed: 0,
        failed: 0,
        note: String::new(),
    };
    for run in [root_run, sub_run] {
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

/// Starts a stack for the site built in `dist` at `base_path`, runs Playwright with `filter`, and
/// always stops the stack. Returns (passed, failed); a run that fails without a report counts one.
fn run_suite(
    dist: &std::path::Path,
    base_path: &'static str,
    site: SiteUse,
    filter: &[&str],
) -> Result<(u64, u64)> {
    heading(&format!(
        "starting the sandbox, token proxy and local CDN (app at {base_path})"
    ));
    let options = StackOptions {
        spa_port: 0,
        proxy_mode: "cookie",
        // The suite signs in dozens of times a minute with one client: well past the sandbox's
        // default (Webex's per-client limit). 429 handling is tested with the sandbox's forced-429
        // knob.
        sandbox_args: vec!["--rate-limit".into(), "100000".into()],
        site: site.dir(),
        base_path,
        servers: Servers::Debug,
    };
    let stack = start_stack(dist, &options)?;
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

    #[test]
    fn the_spec_comes_from_the_variable_else_from_beside_the_repository() {
        let cwd = Path::new("/work/here");
        let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let missing = Path::new("/nowhere/webex-contact-center.json");
        assert_eq!(
            locate_spec(Some("spec.json".into()), cwd, missing),
            Some(PathBuf::from("/work/here/spec.json"))
        );
        assert_eq!(
            locate_spec(Some("/abs/spec.json".into()), cwd, &beside),
            Some(PathBuf::from("/abs/spec.json"))
        );
        assert_eq!(locate_spec(None, cwd, &beside), Some(beside.clone()));
        assert_eq!(locate_spec(None, cwd, missing), None);
    }

    #[test]
    fn sums_every_result_line() {
        let out = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; finished in 0.01s\n\
                   test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured\n";
        assert_eq!(sum_test_results(out), (8, 2));
        assert_eq!(sum_test_results("no tests here"), (0, 0));
    }
}
