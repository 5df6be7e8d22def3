//! Small process helpers shared by the commands.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the repository")
        .to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `target/` in the repository.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// PATH with the project's tools first: npm's binaries (wasm-opt, playwright) and cargo's installs.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command run from the repository root with the project's PATH.
pub fn cmd(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

/// Prints a step heading so long installs and builds never look like a hang.
pub fn heading(text: &str) {
    println!("\n==> {text}");
}

/// Runs a command with inherited output; a failure names the step and the command to retry.
pub fn run(step: &str, command: &mut Command) -> Result {
    let status = command
        .status()
        .map_err(|e| not_started(step, command, e))?;
    finished(step, command, status)
}

fn not_started(step: &str, command: &Command, error: std::io::Error) -> String {
    format!("{step}: could not start `{}`: {error}", describe(command))
}

/// Ok for a successful exit; otherwise the step, the status and the command to retry.
fn finished(step: &str, command: &Command, status: std::process::ExitStatus) -> Result {
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{step} failed ({status}).\n  Retry it with: {}",
            describe(command)
        ))
    }
}

/// [`run`], with the command's output passed through line by line except lines containing
/// `hidden` (a known, explained message that would only alarm).
pub fn run_hiding(step: &str, command: &mut Command, hidden: &str) -> Result {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| not_started(step, command, e))?;
    let forward = |from: Box<dyn std::io::Read + Send>, to_stderr: bool| {
        let hidden = hidden.to_string();
        std::thread::spawn(move || {
            for line in BufReader::new(from)
                .lines()
                .map_while(std::result::Result::ok)
            {
                if line.contains(&hidden) {
                    continue;
                }
                if to_stderr {
                    let _ = writeln!(std::io::stderr(), "{line}");
                } else {
                    let _ = writeln!(std::io::stdout(), "{line}");
                }
            }
        })
    };
    let out = forward(Box::new(child.stdout.take().expect("piped")), false);
    let err = forward(Box::new(child.stderr.take().expect("piped")), true);
    let status = child.wait().map_err(|e| format!("{step}: {e}"))?;
    let _ = (out.join(), err.join());
    finished(step, command, status)
}

/// The first line a command prints on stdout, or None when it cannot run or fails.
pub fn first_line(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.lines().next().unwrap_or("").trim().to_string())
}

/// `program arg arg …` for messages.
pub fn describe(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// A free loopback port. The tiny window before the service binds it is acceptable for local runs.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("could not find a free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}
