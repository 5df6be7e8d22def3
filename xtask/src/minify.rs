//! Minifies wasm-bindgen's JS glue after `trunk build` and keeps its Subresource Integrity hash
//! right. Trunk's own JS minifier (minify-js 0.5) cannot parse the glue's `export { … as default }`
//! and leaves it as written, so terser (pinned in package.json) minifies it; the README's bundle
//! figures say how much that saves. CSS and the page are minified by trunk
//! (`minify = "on_release"`).

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::util::{Result, cmd, run};

/// Every top-level `.js` file in `dist` that index.html loads with an integrity hash (the glue)
/// through terser, and that hash updated to the new contents. Other scripts are left as they are.
pub fn js_glue(dist: &Path) -> Result {
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_none_or(|ext| ext != "js") {
            continue;
        }
        let before = read(&path)?;
        if !index.contains(&sri_sha384(&before)) {
            continue;
        }
        run(
            "minifying the JS glue (terser)",
            cmd("terser")
                .arg(&path)
                .args(["--module", "--compress", "--mangle", "--output"])
                .arg(&path),
        )?;
        let after = read(&path)?;
        println!(
            "minified {} with terser: {:.1} → {:.1} kB",
            path.file_name().unwrap_or_default().to_string_lossy(),
            before.len() as f64 / 1000.0,
            after.len() as f64 / 1000.0
        );
        index = replace_integrity(&index, &before, &after)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    std::fs::write(&index_path, index)
        .map_err(|e| format!("cannot write {}: {e}", index_path.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The `sha384-…` value trunk writes into `integrity` attributes.
fn sri_sha384(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// `html` with the integrity hash of `before` replaced by that of `after`; an error when the page
/// does not reference `before` (the browser would refuse the file).
fn replace_integrity(html: &str, before: &[u8], after: &[u8]) -> Result<String> {
    let old = sri_sha384(before);
    if !html.contains(&old) {
        return Err(format!("index.html has no integrity hash {old} for it"));
    }
    Ok(html.replace(&old, &sri_sha384(after)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integrity_hash_follows_the_minified_file() {
        // The SRI example value for `alert('Hello, world.');` (W3C SRI spec, section 3.2).
        assert_eq!(
            sri_sha384(b"alert('Hello, world.');"),
            "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
        );
        let page = format!(
            "<link rel=\"modulepreload\" href=\"/app.js\" integrity=\"{}\">",
            sri_sha384(b"let a = 1;")
        );
        let updated = replace_integrity(&page, b"let a = 1;", b"let a=1").unwrap();
        assert!(updated.contains(&sri_sha384(b"let a=1")));
        assert!(!updated.contains(&sri_sha384(b"let a = 1;")));
        assert!(replace_integrity(&page, b"other", b"x").is_err());
    }
}
