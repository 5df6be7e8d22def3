//! Modules import one way. In every crate of the workspace (`src/`, `crates/*/src`, `xtask/src`) a
//! test reads each top-level module's `crate::` (and root-reaching `super::`) paths and fails on any
//! import circle between top-level modules, naming it. The SPA is held to more: its modules sit in
//! a layer table (views → api → auth → ctx → flow/tabs/router/… → browser/http) and may import
//! only lower layers, so a shortcut upwards fails too, not only a circle.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

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

    /// The top-level module a file under a crate's `src/` belongs to: `None` for the crate roots
    /// (lib.rs, main.rs, which assemble everything) and for `bin/`, whose files are crate roots of
    /// their own and reach the library by its name, not by `crate::`.
    fn owner(relative: &Path) -> Option<String> {
        let first = relative.components().next()?.as_os_str().to_str()?;
        let name = first.trim_end_matches(".rs");
        (!matches!(name, "lib" | "main" | "bin")).then(|| name.to_string())
    }

    /// How many modules deep a file's module sits below the crate root (`a.rs` and `a/mod.rs`: 1,
    /// `a/b.rs`: 2), which says how many `super::` reach the root.
    fn depth(relative: &Path) -> usize {
        let parts = relative.components().count();
        if relative.file_name().is_some_and(|f| f == "mod.rs") {
            parts - 1
        } else {
            parts
        }
    }

    fn identifier(text: &str) -> String {
        text.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    }

    /// The code of a source text without its line comments, so a doc link such as
    /// [`crate::clock::ManualClock`] is not read as an import.
    fn code_only(text: &str) -> String {
        text.lines()
            .map(|line| match line.find("//") {
                // `"https://…"` is a string, not a comment: keep lines whose `//` follows a quote.
                Some(i) if !line[..i].contains('"') => &line[..i],
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every top-level module a source text names through `crate::`, including inside
    /// `use crate::{a, b}` groups.
    fn imports(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for (i, _) in text.match_indices("crate::") {
            // `other_crate::x` names another crate; `$crate::x` (in a macro) is this one.
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                found.extend(inner.split(',').map(|part| identifier(part.trim())));
            } else {
                found.push(identifier(rest));
            }
        }
        found.retain(|name| !name.is_empty());
        found
    }

    /// The top-level modules a file at `depth` names through enough `super::` to climb to the
    /// crate root (`super::super::x` from `a/b.rs` is `crate::x`). Inline modules (`mod tests`)
    /// sit one deeper than their file, so from them such a path stays inside: reading by file
    /// depth may over-report, never miss.
    fn root_reaching_supers(text: &str, depth: usize) -> Vec<String> {
        let mut found = Vec::new();
        for (i, _) in text.match_indices("super::") {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut rest = &text[i..];
            let mut climbs = 0;
            while let Some(after) = rest.strip_prefix("super::") {
                climbs += 1;
                rest = after;
            }
            if climbs >= depth {
                found.push(identifier(rest));
            }
        }
        found.retain(|name| !name.is_empty());
        found
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Which top-level module imports which, and from which files (for the failure message).
    type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

    /// The import graph between the top-level modules of the crate whose sources are in `src`.
    /// Paths that name no top-level module of this crate (an item of the root, a name in a
    /// string) are left out.
    fn import_graph(src: &Path) -> Graph {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        let modules: BTreeSet<String> = files
            .iter()
            .filter_map(|file| owner(file.strip_prefix(src).unwrap()))
            .collect();
        let mut graph = Graph::new();
        for file in &files {
            let relative = file.strip_prefix(src).unwrap();
            let Some(module) = owner(relative) else {
                continue;
            };
            let text = code_only(&std::fs::read_to_string(file).unwrap());
            let named = imports(&text)
                .into_iter()
                .chain(root_reaching_supers(&text, depth(relative)));
            let edges = graph.entry(module.clone()).or_default();
            for import in named.filter(|m| *m != module && modules.contains(m)) {
                edges
                    .entry(import)
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
        graph
    }

    /// Every import circle in `graph`, each as the path `a → b → … → a` with the files that make
    /// each step. One circle per strongly connected group of modules (Tarjan's algorithm finds
    /// the groups; a breadth-first search inside one gives a shortest circle through its first
    /// module), so a knot of many modules is reported once.
    fn cycles(graph: &Graph) -> Vec<String> {
        let groups = strongly_connected(graph);
        groups
            .iter()
            .filter(|group| group.len() > 1)
            .map(|group| {
                let path = shortest_cycle(graph, group);
                let steps: Vec<String> = path
                    .windows(2)
                    .map(|pair| {
                        let files = &graph[&pair[0]][&pair[1]];
                        let files: Vec<&str> = files.iter().map(String::as_str).collect();
                        format!("{} → {} ({})", pair[0], pair[1], files.join(", "))
                    })
                    .collect();
                format!("{}: {}", path.join(" → "), steps.join("; "))
            })
            .collect()
    }

    fn strongly_connected(graph: &Graph) -> Vec<Vec<String>> {
        struct Search<'a> {
            graph: &'a Graph,
            index: BTreeMap<&'a str, usize>,
            low: BTreeMap<&'a str, usize>,
            stack: Vec<&'a str>,
            groups: Vec<Vec<String>>,
        }
        impl<'a> Search<'a> {
            fn visit(&mut self, node: &'a str) {
                let n = self.index.len();
                self.index.insert(node, n);
                self.low.insert(node, n);
                self.stack.push(node);
                for next in self.graph.get(node).into_iter().flat_map(|e| e.keys()) {
                    let next = next.as_str();
                    if !self.index.contains_key(next) {
                        self.visit(next);
                        self.low.insert(node, self.low[node].min(self.low[next]));
                    } else if self.stack.contains(&next) {
                        self.low.insert(node, self.low[node].min(self.index[next]));
                    }
                }
                if self.low[node] == self.index[node] {
                    let mut group = Vec::new();
                    while let Some(member) = self.stack.pop() {
                        group.push(member.to_string());
                        if member == node {
                            break;
                        }
                    }
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
        let mut search = Search {
            graph,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            groups: Vec::new(),
        };
        for node in graph.keys() {
            if !search.index.contains_key(node.as_str()) {
                search.visit(node);
            }
        }
        search.groups
    }

    /// A shortest circle from the group's first module back to it, through the group only.
    fn shortest_cycle(graph: &Graph, group: &[String]) -> Vec<String> {
        let start = &group[0];
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.as_str()]);
        while let Some(node) = queue.pop_front() {
            for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
                if !group.contains(next) {
                    continue;
                }
                if next == start {
                    let mut path = vec![start.clone()];
                    let mut at = node;
                    while at != start {
                        path.push(at.to_string());
                        at = came_from[at];
                    }
                    path.push(start.clone());
                    path.reverse();
                    return path;
                }
                if !came_from.contains_key(next.as_str()) {
                    came_from.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        unreachable!("a strongly connected group of two or more has a circle through each member")
    }

    /// The source directories of every crate in the workspace.
    fn crate_sources() -> Vec<PathBuf> {
        let root = crate::util::root();
        let mut sources = vec![root.join("src"), root.join("xtask/src")];
        for entry in std::fs::read_dir(root.join("crates")).unwrap() {
            let src = entry.unwrap().path().join("src");
            if src.is_dir() {
                sources.push(src);
            }
        }
        sources.sort();
        sources
    }

    #[test]
    fn no_crate_has_an_import_circle() {
        let root = crate::util::root();
        let mut found = Vec::new();
        for src in crate_sources() {
            let name = src.strip_prefix(&root).unwrap().display().to_string();
            found.extend(
                cycles(&import_graph(&src))
                    .into_iter()
                    .map(|cycle| format!("{name}: {cycle}")),
            );
        }
        assert!(
            found.is_empty(),
            "import circles between top-level modules (give the shared part a module of its \
             own that both import):\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_spa_imports_only_downwards() {
        let src = crate::util::root().join("src");
        let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (module, edges) in import_graph(&src) {
            let Some(own) = layer(&module) else {
                panic!("src/{module} is not in the layer table; add it to LAYERS");
            };
            for (import, files) in edges {
                if layer(&import).is_none_or(|theirs| theirs >= own) {
                    for file in files {
                        wrong.entry(file).or_default().push(import.clone());
                    }
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
        let text = "use crate::ctx::{Auth, Ctx};\nuse crate::{api, browser::storage};\nlet x = crate::flow::load();\nuse other_crate::views;\n$crate::tabs::x";
        assert_eq!(imports(text), ["ctx", "api", "browser", "flow", "tabs"]);
        assert_eq!(owner(Path::new("views/home.rs")).as_deref(), Some("views"));
        assert_eq!(owner(Path::new("lib.rs")), None);
        assert_eq!(owner(Path::new("bin/server.rs")), None);
        let commented = code_only(
            "/// See [`crate::api`].\nuse crate::ctx; // and crate::views\nlet u = \"https://x\"; crate::flow::go();",
        );
        assert_eq!(imports(&commented), ["ctx", "flow"]);
    }

    #[test]
    fn supers_count_only_when_they_climb_to_the_root() {
        let text = "use super::shared;\nuse super::super::state::AppState;\nuse self::super::x;";
        assert_eq!(depth(Path::new("app.rs")), 1);
        assert_eq!(depth(Path::new("api/mod.rs")), 1);
        assert_eq!(depth(Path::new("api/routes.rs")), 2);
        assert_eq!(root_reaching_supers(text, 1), ["shared", "state"]);
        assert_eq!(root_reaching_supers(text, 2), ["state"]);
        assert!(root_reaching_supers(text, 3).is_empty());
    }

    fn synthetic(edges: &[(&str, &str)]) -> Graph {
        let mut graph = Graph::new();
        for (from, to) in edges {
            graph
                .entry(from.to_string())
                .or_default()
                .entry(to.to_string())
                .or_default()
                .insert(format!("{from}.rs"));
            graph.entry(to.to_string()).or_default();
        }
        graph
    }

    #[test]
    fn a_circle_is_found_and_named() {
        let graph = synthetic(&[
            ("app", "handlers"),
            ("handlers", "state"),
            ("state", "app"),
            ("app", "config"),
            ("config", "clock"),
        ]);
        assert_eq!(
            cycles(&graph),
            ["app → handlers → state → app: app → handlers (app.rs); \
              handlers → state (handlers.rs); state → app (state.rs)"]
        );
    }

    #[test]
    fn a_graph_that_goes_one_way_has_no_circle() {
        let graph = synthetic(&[
            ("app", "handlers"),
            ("app", "state"),
            ("handlers", "state"),
            ("handlers", "policy"),
            ("policy", "state"),
        ]);
        assert!(cycles(&graph).is_empty());
    }

    #[test]
    fn separate_knots_are_each_reported_once() {
        let graph = synthetic(&[
            ("a", "b"),
            ("b", "c"),
            ("c", "a"),
            ("b", "a"),
            ("x", "y"),
            ("y", "x"),
            ("a", "x"),
        ]);
        assert_eq!(
            cycles(&graph),
            [
                "x → y → x: x → y (x.rs); y → x (y.rs)",
                "a → b → a: a → b (a.rs); b → a (b.rs)"
            ]
        );
    }
}
