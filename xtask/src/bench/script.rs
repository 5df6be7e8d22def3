//! The bench's page scripts (tests/bench/*.mjs): run with Node and Debian's Chromium, their progress
//! on stderr, their one JSON object the last `{…}` line of stdout.

use serde_json::Value;

use crate::util::{Result, cmd};

/// Runs `node script args…` and reads its JSON. A failure says how to run it again by hand.
pub fn run(script: &str, args: &[String]) -> Result<Value> {
    let output = cmd("node")
        .arg(script)
        .args(args)
        .env("CHROME_PATH", "/usr/bin/chromium")
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node {script}: {e} (is Node 20 installed?)"))?;
    let retry = format!("node {script} {}", args.join(" "));
    if !output.status.success() {
        return Err(format!(
            "{script} failed ({}); its errors are above. Retry: {retry}",
            output.status
        ));
    }
    last_json_line(&String::from_utf8_lossy(&output.stdout))
        .map_err(|e| format!("{script} printed no JSON ({e}). Retry: {retry}"))
}

/// The last line of `stdout` that is a JSON object.
pub fn last_json_line(stdout: &str) -> std::result::Result<Value, String> {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .ok_or_else(|| format!("no line starts with {{: {}", stdout.trim()))?;
    serde_json::from_str(line).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_object_line_is_the_answer() {
        let out = "progress\n{\"a\": 1}\nmore\n{\"b\": 2}\n";
        assert_eq!(last_json_line(out).unwrap()["b"], 2);
        assert!(last_json_line("no json here").is_err());
        assert!(last_json_line("{not json").is_err());
    }
}
