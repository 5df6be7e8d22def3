//! The native cargo tests, split in two suites: everything but the conformance tests, and the
//! conformance tests, which need Cisco's OpenAPI spec (never in the repository). Without the spec
//! the conformance suite is skipped outside CI, and saying so is xtask's decision: the tests
//! themselves fail without it (`wxcc-spec-fixture`), so a skip can never pass for a run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Result, cmd, root};

pub const SPEC_ENV: &str = "WXCC_OPENAPI_SPEC";
/// Where CI lays out Cisco's spec, relative to the repository.
pub const SPEC_BESIDE: &str = "../shared/webex-openapi/webex-contact-center.json";
/// The SPA is tested in the browser, not natively.
const SPA_PACKAGE: &str = "wxcc-console";
/// The tests of `crates/token-proxy/tests/lambda_runtime.rs` are in this module; they are a suite
/// of their own, run once.
pub const LAMBDA_RUNTIME_TESTS: &str = "lambda_runtime::";

/// What to do with the conformance suite.
#[derive(Debug, PartialEq, Eq)]
pub enum Conformance {
    Run(PathBuf),
    /// Not run, and counted as skipped, with why and how to run it.
    Skip(String),
    /// Not run, and counted as a failure, with why.
    Fail(String),
}

/// The conformance test targets: `crates/*/tests/conformance*` and `*_conformance.rs`.
pub fn is_conformance_target(name: &str) -> bool {
    name.starts_with("conformance") || name.ends_with("_conformance")
}

/// The plan for this run: CI (`CI=true`), `$WXCC_OPENAPI_SPEC`, and the copy beside the repository.
pub fn conformance_from_env() -> Conformance {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let set = std::env::var_os(SPEC_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_else(|_| root());
    conformance(ci, set, &cwd, &root().join(SPEC_BESIDE))
}

/// Run with `$WXCC_OPENAPI_SPEC` (`set`, relative to `cwd`) when set, else with the copy `beside`
/// the repository; with neither, CI fails (it must check conformance) and anyone else skips. A
/// variable naming no file fails everywhere: whoever set it meant the suite to run.
pub fn conformance(ci: bool, set: Option<PathBuf>, cwd: &Path, beside: &Path) -> Conformance {
    match set {
        Some(path) => {
            let path = cwd.join(path);
            if path.is_file() {
                Conformance::Run(path)
            } else {
                Conformance::Fail(format!(
                    "{SPEC_ENV}={} is not a file; point it at Cisco's webex-contact-center.json",
                    path.display()
                ))
            }
        }
        None if beside.is_file() => Conformance::Run(beside.to_path_buf()),
        None => {
            let missing = format!("{SPEC_ENV} is not set and there is no {}", beside.display());
            if ci {
                Conformance::Fail(format!(
                    "CI needs Cisco's OpenAPI spec: {missing}; set {SPEC_ENV}=/path/to/webex-contact-center.json"
                ))
            } else {
                Conformance::Skip(format!(
                    "no OpenAPI spec ({missing}); to run it, set {SPEC_ENV}=/path/to/webex-contact-center.json (Cisco's Webex Contact Center spec)"
                ))
            }
        }
    }
}

/// The integration test targets of the natively tested packages, from `cargo metadata`.
pub fn test_targets() -> Result<Vec<String>> {
    let output = cmd("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    Ok(test_targets_in(&metadata))
}

fn test_targets_in(metadata: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|package| package["name"] != SPA_PACKAGE)
        .flat_map(|package| package["targets"].as_array().into_iter().flatten())
        .filter(|target| {
            target["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "test"))
        })
        .filter_map(|target| target["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `cargo test` for the natively tested packages, the targets chosen by `args`. Every test binary
/// runs even after one fails, so the closing line counts every failure, not just the first.
fn workspace_tests<'a>(args: impl IntoIterator<Item = &'a str>) -> Command {
    let mut command = cmd("cargo");
    command.args([
        "test",
        "--no-fail-fast",
        "--workspace",
        "--exclude",
        SPA_PACKAGE,
    ]);
    command.args(args);
    command
}

/// Every native test but the conformance ones (and the Lambda runtime's): the libraries' and
/// binaries' unit tests and the other integration test targets, then the doc tests (cargo runs
/// those on their own when targets are named).
pub fn everything_but_conformance(targets: &[String]) -> [Command; 2] {
    let mut selected = vec!["--lib", "--bins"];
    for target in targets.iter().filter(|t| !is_conformance_target(t)) {
        selected.extend(["--test", target.as_str()]);
    }
    let mut tests = workspace_tests(selected);
    tests.args(["--", "--skip", LAMBDA_RUNTIME_TESTS]);
    [tests, workspace_tests(["--doc"])]
}

/// The conformance test targets, with the spec at `spec`; None when there are none.
pub fn conformance_tests(targets: &[String], spec: &Path) -> Option<Command> {
    let selected: Vec<&str> = targets
        .iter()
        .filter(|t| is_conformance_target(t))
        .flat_map(|t| ["--test", t.as_str()])
        .collect();
    if selected.is_empty() {
        return None;
    }
    let mut tests = workspace_tests(selected);
    tests.env(SPEC_ENV, spec);
    Some(tests)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(command: &Command) -> Vec<String> {
        command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    fn targets() -> Vec<String> {
        test_targets_in(&json!({"packages": [
            {"name": "wxcc-console", "targets": [{"name": "load", "kind": ["test"]}]},
            {"name": "wxcc-core", "targets": [
                {"name": "wxcc_core", "kind": ["lib"]},
                {"name": "catalogue_conformance", "kind": ["test"]},
            ]},
            {"name": "wxcc-sandbox", "targets": [
                {"name": "conformance", "kind": ["test"]},
                {"name": "binary", "kind": ["test"]},
            ]},
            {"name": "wxcc-token-proxy", "targets": [
                {"name": "wxcc-token-proxy", "kind": ["bin"]},
                {"name": "binary", "kind": ["test"]},
            ]},
        ]}))
    }

    #[test]
    fn the_test_targets_are_the_native_packages_integration_tests_once_each() {
        assert_eq!(
            targets(),
            ["binary", "catalogue_conformance", "conformance"]
        );
    }

    #[test]
    fn conformance_targets_are_known_by_their_names() {
        for name in ["conformance", "conformance_errors", "catalogue_conformance"] {
            assert!(is_conformance_target(name), "{name}");
        }
        for name in ["binary", "api_errors", "lambda_runtime", "conformant"] {
            assert!(!is_conformance_target(name), "{name}");
        }
    }

    #[test]
    fn the_native_suite_names_every_target_but_the_conformance_ones() {
        let [tests, doc] = everything_but_conformance(&targets());
        assert_eq!(
            args(&tests),
            [
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                "wxcc-console",
                "--lib",
                "--bins",
                "--test",
                "binary",
                "--",
                "--skip",
                "lambda_runtime::"
            ]
        );
        assert_eq!(
            args(&doc),
            [
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                "wxcc-console",
                "--doc"
            ]
        );
    }

    #[test]
    fn the_conformance_suite_names_only_the_conformance_targets_with_the_spec() {
        let spec = Path::new("/specs/webex-contact-center.json");
        let tests = conformance_tests(&targets(), spec).unwrap();
        assert_eq!(
            args(&tests),
            [
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                "wxcc-console",
                "--test",
                "catalogue_conformance",
                "--test",
                "conformance"
            ]
        );
        assert!(
            tests
                .get_envs()
                .any(|(name, value)| name == SPEC_ENV && value == Some(spec.as_os_str()))
        );
        assert!(conformance_tests(&["binary".to_string()], spec).is_none());
    }

    #[test]
    fn the_spec_decides_between_run_skip_and_fail() {
        let cwd = Path::new("/work/here");
        // A file that exists wherever the tests run.
        let existing = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let missing = Path::new("/nowhere/webex-contact-center.json");
        for ci in [false, true] {
            // Found: run, in CI or not; the variable wins over the copy beside the repository.
            assert_eq!(
                conformance(ci, Some(existing.clone()), cwd, missing),
                Conformance::Run(existing.clone())
            );
            assert_eq!(
                conformance(ci, None, cwd, &existing),
                Conformance::Run(existing.clone())
            );
            // A variable naming no file fails, in CI or not (relative to the working directory).
            let Conformance::Fail(why) = conformance(ci, Some("spec.json".into()), cwd, &existing)
            else {
                panic!("a variable naming no file must fail");
            };
            assert!(why.contains("/work/here/spec.json"), "{why}");
        }
        // Nothing found: CI fails, anyone else skips; both say what to set.
        let Conformance::Fail(why) = conformance(true, None, cwd, missing) else {
            panic!("CI without the spec must fail");
        };
        assert!(why.contains(SPEC_ENV) && why.contains("CI"), "{why}");
        let Conformance::Skip(why) = conformance(false, None, cwd, missing) else {
            panic!("without the spec outside CI, the suite is skipped");
        };
        assert!(why.contains(SPEC_ENV) && why.contains("Cisco"), "{why}");
        assert!(why.contains(&missing.display().to_string()), "{why}");
    }
}
