//! The token proxy's Lambda function for `provided.al2023` (x86_64): an optimised build of
//! `wxcc-token-proxy-lambda`, checked against the runtime's glibc, zipped as `bootstrap`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::{Result, cmd, run};

/// The cargo profile (defined on the command line, like the bench's): the release profile's LTO,
/// small code, unwinding so the runtime can report a panic as an invocation error, no symbols.
pub const PROFILE: &str = "lambda";
const PROFILE_SETTINGS: [(&str, &str); 4] = [
    ("inherits", "\"release\""),
    ("opt-level", "\"s\""),
    ("panic", "\"unwind\""),
    ("strip", "true"),
];
pub const BINARY: &str = "wxcc-token-proxy-lambda";
/// The glibc of Amazon Linux 2023, which `provided.al2023` runs on.
pub const RUNTIME_GLIBC: (u32, u32) = (2, 34);

/// Builds the function's binary and returns its path (cargo skips the work when nothing changed).
pub fn build() -> Result<PathBuf> {
    let mut command = cmd("cargo");
    command.args(["build", "--profile", PROFILE]);
    for (key, value) in PROFILE_SETTINGS {
        command
            .arg("--config")
            .arg(format!("profile.{PROFILE}.{key}={value}"));
    }
    command.args(["-p", "wxcc-token-proxy", "--bin", BINARY]);
    run("building the Lambda function", &mut command)?;
    Ok(crate::util::target_dir().join(PROFILE).join(BINARY))
}

/// The glibc symbol versions a binary needs (`objdump -p`'s version references).
pub fn glibc_versions(binary: &Path) -> Result<Vec<(u32, u32)>> {
    let output = cmd("objdump")
        .arg("-p")
        .arg(binary)
        .output()
        .map_err(|e| format!("cannot run objdump (binutils) on {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "objdump -p {} failed: {}",
            binary.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(parse_glibc_versions(&String::from_utf8_lossy(
        &output.stdout,
    )))
}

fn parse_glibc_versions(objdump: &str) -> Vec<(u32, u32)> {
    let mut versions: Vec<(u32, u32)> = objdump
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut parts = v.split('.');
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .collect();
    versions.sort();
    versions.dedup();
    versions
}

/// Ok when every needed glibc version exists on the runtime; otherwise which ones do not.
pub fn check_runtime_glibc(needed: &[(u32, u32)]) -> Result {
    let too_new: Vec<String> = needed
        .iter()
        .filter(|v| **v > RUNTIME_GLIBC)
        .map(|(major, minor)| format!("GLIBC_{major}.{minor}"))
        .collect();
    if too_new.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the Lambda binary needs {} but provided.al2023 has glibc {}.{}: build it on an older \
         system or with cargo-zigbuild (target x86_64-unknown-linux-gnu.2.34)",
        too_new.join(", "),
        RUNTIME_GLIBC.0,
        RUNTIME_GLIBC.1
    ))
}

/// Writes `zip` holding `binary` as an executable `bootstrap`, with a fixed timestamp so the same
/// binary always gives the same zip (and CloudFormation sees no change). Returns the zip's size.
pub fn zip_bootstrap(binary: &Path, zip: &Path) -> Result<u64> {
    let bytes =
        std::fs::read(binary).map_err(|e| format!("cannot read {}: {e}", binary.display()))?;
    if let Some(dir) = zip.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file =
        std::fs::File::create(zip).map_err(|e| format!("cannot create {}: {e}", zip.display()))?;
    let mut writer = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .unix_permissions(0o755)
        .last_modified_time(zip::DateTime::default());
    let failed = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", zip.display());
    writer
        .start_file("bootstrap", options)
        .map_err(|e| failed(&e))?;
    writer.write_all(&bytes).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    std::fs::metadata(zip)
        .map(|m| m.len())
        .map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_glibc_versions_from_objdump() {
        let objdump = "Version References:\n  required from libgcc_s.so.1:\n    0x0b792650 0x00 12 GCC_3.0\n  \
            required from libc.so.6:\n    0x06969194 0x00 18 GLIBC_2.14\n    0x069691b4 0x00 17 GLIBC_2.34\n    \
            0x09691a75 0x00 03 GLIBC_2.2.5\n";
        assert_eq!(
            parse_glibc_versions(objdump),
            vec![(2, 2), (2, 14), (2, 34)]
        );
        assert!(check_runtime_glibc(&[(2, 2), (2, 34)]).is_ok());
        let error = check_runtime_glibc(&[(2, 34), (2, 38)]).unwrap_err();
        assert!(
            error.contains("GLIBC_2.38") && !error.contains("GLIBC_2.34,"),
            "{error}"
        );
    }

    #[test]
    fn the_zip_holds_an_executable_bootstrap_and_is_the_same_every_time() {
        let dir = crate::util::target_dir().join("xtask-test-zip");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let binary = dir.join("binary");
        std::fs::write(&binary, b"\x7fELF not really, but bytes").unwrap();
        zip_bootstrap(&binary, &dir.join("a.zip")).unwrap();
        zip_bootstrap(&binary, &dir.join("b.zip")).unwrap();
        let a = std::fs::read(dir.join("a.zip")).unwrap();
        assert_eq!(a, std::fs::read(dir.join("b.zip")).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(archive.len(), 1);
        let entry = archive.by_name("bootstrap").unwrap();
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
