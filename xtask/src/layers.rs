//! The SPA's modules import one way: views → api → auth → ctx → flow/tabs/router/… → browser/http.
//! A test reads every `crate::` path in `src/` and checks it against the layer table, so an import
//! circle (or a shortcut upwards) fails the build instead of creeping back in.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Each top-level module of `src/` and its layer: a module may import only lower layers (and
    /// its own submodules).
    const LAYERS: &[(&str, u8)] = &[
        ("browser", 0),
        ("http", 0),
        ("load", 0),
        ("tabs", 1),
        ("flow", 1),
        ("router", 1),
        ("resources", 1),
        ("config_loader", 1),
        ("ctx", 2),
        ("auth", 3),
        ("api", 4),
        ("views", 5),
    ];

    fn layer(module: &str) -> Option<u8> {
        LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
    }

    /// The top-level module a file under `src/` belongs to (`None` for lib.rs and main.rs, the
    /// root that assembles everything).
    fn owner(relative: &Path) -> Option<String> {
        let first = relative.components().next()?.as_os_str().to_str()?;
        let name = first.trim_end_matches(".rs");
        (name != "lib" && name != "main").then(|| name.to_string())
    }

    /// Every `crate::module` a source text names, including inside `use crate::{a, b}` groups.
    fn imports(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                for part in inner.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    found.push(name);
                }
            } else {
                found.push(
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                );
            }
        }
        found.retain(|name| !name.is_empty());
        found
    }

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_spa_imports_only_downwards() {
        let src = crate::util::root().join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in &files {
            let relative = file.strip_prefix(&src).unwrap();
            let Some(module) = owner(relative) else {
                continue;
            };
            let Some(own) = layer(&module) else {
                panic!(
                    "src/{} is not in the layer table; add it to LAYERS",
                    relative.display()
                );
            };
            let text = std::fs::read_to_string(file).unwrap();
            for import in imports(&text) {
                if import == module {
                    continue;
                }
                match layer(&import) {
                    Some(theirs) if theirs < own => {}
                    _ => wrong
                        .entry(relative.display().to_string())
                        .or_default()
                        .push(import),
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "imports that do not go downwards: {wrong:#?}"
        );
    }

    #[test]
    fn the_import_reader_finds_paths_and_groups() {
        let text = "use crate::ctx::{Auth, Ctx};\nuse crate::{api, browser::storage};\nlet x = crate::flow::load();";
        assert_eq!(imports(text), ["ctx", "api", "browser", "flow"]);
        assert_eq!(owner(Path::new("views/home.rs")).as_deref(), Some("views"));
        assert_eq!(owner(Path::new("lib.rs")), None);
    }
}
