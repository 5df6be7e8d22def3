//! `cargo xtask setup`: install what is missing, skip what is there, and say which.

use std::path::PathBuf;

use crate::util::{Result, cmd, first_line, heading, root, run, target_dir};

pub const TRUNK_VERSION: &str = "0.21.14";
/// cfn-lint from PyPI, which `cargo xtask test` runs on the deployment template.
pub const CFN_LINT_VERSION: &str = "1.58.0";
/// moto from PyPI, whose server mode is the local DynamoDB `cargo xtask test` runs the revocation
/// store's tests against.
pub const MOTO_VERSION: &str = "5.2.6";

pub fn run_all() -> Result {
    heading("setup: checking the toolchain (each step is skipped when already satisfied)");
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli()?;
    chromium()?;
    npm_tools()?;
    cfn_lint()?;
    moto()?;
    println!("setup: all tools present");
    Ok(())
}

fn wasm_target() -> Result {
    let installed = cmd("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        println!("  ok   wasm32-unknown-unknown target");
        return Ok(());
    }
    println!("  add  wasm32-unknown-unknown target (rustup)");
    run(
        "installing the wasm32 target",
        cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

fn trunk() -> Result {
    let want = format!("trunk {TRUNK_VERSION}");
    if first_line(cmd("trunk").arg("--version")).as_deref() == Some(want.as_str()) {
        println!("  ok   {want}");
        return Ok(());
    }
    println!("  get  {want} with cargo install (this takes a while; cargo shows its progress)");
    run(
        "installing trunk",
        cmd("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]),
    )
}

/// wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly, or trunk and the
/// test runner refuse the wasm. `--locked` is deliberately absent: the CLI's own lock file pins
/// crates that no longer build with this toolchain.
fn wasm_bindgen_cli() -> Result {
    let version = locked_version("wasm-bindgen")?;
    let want = format!("wasm-bindgen {version}");
    let runner_present = first_line(cmd("wasm-bindgen-test-runner").arg("--version")).is_some();
    if first_line(cmd("wasm-bindgen").arg("--version")).as_deref() == Some(want.as_str())
        && runner_present
    {
        println!("  ok   {want} (CLI and test runner)");
        return Ok(());
    }
    println!(
        "  get  wasm-bindgen-cli {version} with cargo install (this takes a while; cargo shows its progress)"
    );
    run(
        "installing wasm-bindgen-cli",
        cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]),
    )
}

fn chromium() -> Result {
    let present = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| std::path::Path::new(p).exists());
    if present {
        println!("  ok   Chromium and ChromeDriver (/usr/bin)");
        return Ok(());
    }
    println!("  get  Chromium and ChromeDriver from Debian (apt-get)");
    let is_root = first_line(cmd("id").arg("-u")).as_deref() == Some("0");
    if !is_root {
        return Err("Chromium and ChromeDriver are missing and apt-get needs root.\n  \
             Install them with: sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
            .into());
    }
    run("apt-get update", cmd("apt-get").arg("update"))?;
    run(
        "installing Chromium",
        cmd("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn npm_tools() -> Result {
    let lock = root().join("package-lock.json");
    let marker = root().join("node_modules/.package-lock.json");
    let modified = |p: &std::path::Path| p.metadata().and_then(|m| m.modified()).ok();
    let fresh = match (modified(&marker), modified(&lock)) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if fresh
        && root().join("node_modules/.bin/wasm-opt").exists()
        && root().join("node_modules/.bin/playwright").exists()
        && root().join("node_modules/.bin/terser").exists()
    {
        println!("  ok   npm tools (binaryen 132 wasm-opt, terser, Playwright) in node_modules");
        return Ok(());
    }
    println!(
        "  get  npm tools with `npm ci` (binaryen 132, terser, Playwright; never a browser download)"
    );
    run(
        "installing npm tools",
        cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

/// cfn-lint in a virtualenv of its own below the target directory, so neither the system's Python
/// nor another project's cfn-lint decides which version lints the template.
pub fn cfn_lint_path() -> PathBuf {
    cfn_lint_venv().join("bin/cfn-lint")
}

fn cfn_lint_venv() -> PathBuf {
    target_dir().join("tools/cfn-lint")
}

fn cfn_lint() -> Result {
    let want = format!("cfn-lint {CFN_LINT_VERSION}");
    if first_line(std::process::Command::new(cfn_lint_path()).arg("--version")).as_deref()
        == Some(want.as_str())
    {
        println!("  ok   {want} (target/tools/cfn-lint)");
        return Ok(());
    }
    println!("  get  {want} from PyPI into a virtualenv (target/tools/cfn-lint)");
    let venv = cfn_lint_venv();
    run(
        "creating the virtualenv for cfn-lint",
        cmd("python3").args(["-m", "venv", "--clear"]).arg(&venv),
    )?;
    run(
        "installing cfn-lint",
        cmd(venv.join("bin/pip").to_str().unwrap_or("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("cfn-lint=={CFN_LINT_VERSION}"),
        ]),
    )
}

/// moto's server in a virtualenv of its own below the target directory (as cfn-lint's).
pub fn moto_server_path() -> PathBuf {
    moto_venv().join("bin/moto_server")
}

fn moto_venv() -> PathBuf {
    target_dir().join("tools/moto")
}

fn moto() -> Result {
    let want = format!("moto {MOTO_VERSION}");
    let installed = first_line(
        std::process::Command::new(moto_venv().join("bin/python")).args([
            "-c",
            "import moto, flask; print('moto ' + moto.__version__)",
        ]),
    );
    if installed.as_deref() == Some(want.as_str()) && moto_server_path().exists() {
        println!("  ok   {want} (target/tools/moto)");
        return Ok(());
    }
    println!("  get  {want} (server mode) from PyPI into a virtualenv (target/tools/moto)");
    let venv = moto_venv();
    run(
        "creating the virtualenv for moto",
        cmd("python3").args(["-m", "venv", "--clear"]).arg(&venv),
    )?;
    run(
        "installing moto's server",
        cmd(venv.join("bin/pip").to_str().unwrap_or("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("moto[server]=={MOTO_VERSION}"),
        ]),
    )
}

/// The version of a package as Cargo.lock pins it.
pub fn locked_version(package: &str) -> Result<String> {
    let path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let needle = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_string());
        }
    }
    Err(format!(
        "Cargo.lock has no `{package}` entry; run `cargo generate-lockfile` and try again"
    ))
}
