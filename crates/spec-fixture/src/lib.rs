//! Finds and loads Cisco's Webex Contact Center OpenAPI spec for the conformance tests.
//!
//! The spec stays outside the repository (see `../shared/webex-openapi/README.md`): it is named by
//! `WXCC_OPENAPI_SPEC`, or else lies beside the repository as CI lays it out. A test that needs it
//! fails when it is missing, saying where to put it: a test never skips itself, so a run without
//! the spec cannot pass for one with it (`cargo xtask test` skips the conformance suite as a whole,
//! visibly, and only outside CI).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The variable naming the spec file; a relative path is taken from the workspace root.
pub const SPEC_ENV: &str = "WXCC_OPENAPI_SPEC";

/// Where the spec lies beside the repository, relative to the workspace root's parent.
const SIBLING_SPEC: &str = "shared/webex-openapi/webex-contact-center.json";

/// The spec as JSON.
///
/// # Panics
/// When the spec cannot be found, read or parsed, with a message saying where to put it.
#[track_caller]
pub fn load_spec() -> Value {
    let path = spec_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "the OpenAPI spec {} cannot be read ({e}). {}",
            path.display(),
            how_to_provide(&workspace_root())
        ),
    };
    match serde_json::from_str(&text) {
        Ok(spec) => spec,
        Err(e) => panic!(
            "the OpenAPI spec {} is not JSON ({e}). {}",
            path.display(),
            how_to_provide(&workspace_root())
        ),
    }
}

/// Where the spec is: `$WXCC_OPENAPI_SPEC`, else the copy beside the repository.
///
/// # Panics
/// When neither names an existing file, with a message saying where to put it.
#[track_caller]
pub fn spec_path() -> PathBuf {
    match locate(std::env::var_os(SPEC_ENV), &workspace_root()) {
        Ok(path) => path,
        Err(problem) => panic!("{problem}"),
    }
}

/// The workspace root: this crate lives in `crates/spec-fixture`.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

fn sibling_spec(root: &Path) -> PathBuf {
    root.parent().unwrap_or(root).join(SIBLING_SPEC)
}

fn how_to_provide(root: &Path) -> String {
    format!(
        "The conformance tests need Cisco's Webex Contact Center OpenAPI spec: put \
         webex-contact-center.json at {} (see ../shared/webex-openapi/README.md beside the \
         repository) or set {SPEC_ENV}=/path/to/webex-contact-center.json.",
        sibling_spec(root).display()
    )
}

/// The spec's path from the variable's value (unset or empty: the sibling copy), or what is wrong.
fn locate(from_env: Option<OsString>, root: &Path) -> Result<PathBuf, String> {
    match from_env.filter(|value| !value.is_empty()) {
        Some(value) => {
            let path = root.join(&value);
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!(
                    "{SPEC_ENV}={} names no file ({}). {}",
                    value.to_string_lossy(),
                    path.display(),
                    how_to_provide(root)
                ))
            }
        }
        None => {
            let sibling = sibling_spec(root);
            if sibling.is_file() {
                Ok(sibling)
            } else {
                Err(format!(
                    "{SPEC_ENV} is not set and there is no spec beside the repository. {}",
                    how_to_provide(root)
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory laid out like CI: `<dir>/repo` is the workspace root, `<dir>/shared` beside it.
    fn layout(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("wxcc-spec-fixture-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("repo")).unwrap();
        dir
    }

    fn put_sibling_spec(dir: &Path) -> PathBuf {
        let spec = dir.join(SIBLING_SPEC);
        std::fs::create_dir_all(spec.parent().unwrap()).unwrap();
        std::fs::write(&spec, "{}").unwrap();
        spec
    }

    #[test]
    fn the_variable_wins_and_a_relative_path_is_taken_from_the_workspace_root() {
        let dir = layout("variable");
        put_sibling_spec(&dir);
        let root = dir.join("repo");
        std::fs::write(root.join("mine.json"), "{}").unwrap();
        assert_eq!(
            locate(Some("mine.json".into()), &root),
            Ok(root.join("mine.json"))
        );
        let absolute = root.join("mine.json");
        assert_eq!(locate(Some(absolute.clone().into()), &root), Ok(absolute));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn without_the_variable_the_copy_beside_the_repository_is_used() {
        let dir = layout("sibling");
        let spec = put_sibling_spec(&dir);
        let root = dir.join("repo");
        assert_eq!(locate(None, &root), Ok(spec.clone()));
        assert_eq!(
            locate(Some("".into()), &root),
            Ok(spec),
            "empty counts as unset"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_spec_is_an_error_that_says_where_to_put_it() {
        let dir = layout("missing");
        let root = dir.join("repo");
        for from_env in [None, Some(OsString::from("/nonexistent/spec.json"))] {
            let problem = locate(from_env.clone(), &root).unwrap_err();
            for needle in [
                SPEC_ENV,
                "../shared/webex-openapi/README.md",
                &sibling_spec(&root).display().to_string(),
            ] {
                assert!(
                    problem.contains(needle),
                    "{from_env:?}: {problem:?} lacks {needle:?}"
                );
            }
        }
        let problem = locate(Some("/nonexistent/spec.json".into()), &root).unwrap_err();
        assert!(problem.contains("/nonexistent/spec.json"), "{problem}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_workspace_root_is_the_repository() {
        assert!(
            workspace_root()
                .join("crates/spec-fixture/Cargo.toml")
                .is_file()
        );
    }
}
