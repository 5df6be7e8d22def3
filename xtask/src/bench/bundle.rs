//! Bundle: what every user downloads before the first paint — the release wasm, js and css, raw,
//! gzip -9 and brotli 11 — checked against the budget, plus what the wasm holds (twiggy).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::report::{Row, Section, Status, kb};
use crate::util::{Result, cmd, first_line, run};

/// The whole app (wasm + js + css), brotli-compressed, in bytes (1 kB = 1000 bytes).
pub const BUDGET_BROTLI_BYTES: u64 = 200_000;
pub const TWIGGY_VERSION: &str = "0.8.0";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Wasm,
    Js,
    Css,
}

impl Kind {
    fn of(path: &Path) -> Option<Kind> {
        match path.extension()?.to_str()? {
            "wasm" => Some(Kind::Wasm),
            "js" => Some(Kind::Js),
            "css" => Some(Kind::Css),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Wasm => "wasm",
            Kind::Js => "js",
            Kind::Css => "css",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Sizes {
    fn add(&mut self, other: Sizes) {
        self.raw += other.raw;
        self.gzip += other.gzip;
        self.brotli += other.brotli;
    }
}

pub fn compressed_sizes(bytes: &[u8]) -> Sizes {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes).expect("writing to memory");
    let gzip = gzip.finish().expect("writing to memory").len() as u64;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut brotli, &params).expect("writing to memory");
    Sizes {
        raw: bytes.len() as u64,
        gzip,
        brotli: brotli.len() as u64,
    }
}

/// Sizes per kind of the files at the top of `dist` (trunk puts the app there; config.json and
/// index.html are not counted: they are tiny and belong to the deployment).
pub fn measure(dist: &Path) -> Result<BTreeMap<Kind, (Vec<String>, Sizes)>> {
    let entries = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e} (did trunk build?)", dist.display()))?;
    let mut by_kind: BTreeMap<Kind, (Vec<String>, Sizes)> = BTreeMap::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(kind) = Kind::of(&path) else {
            continue;
        };
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let slot = by_kind.entry(kind).or_default();
        slot.0.push(
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        );
        slot.1.add(compressed_sizes(&bytes));
    }
    if !by_kind.contains_key(&Kind::Wasm) {
        return Err(format!(
            "no .wasm in {}: the SPA build did not produce the app",
            dist.display()
        ));
    }
    Ok(by_kind)
}

/// Ok when the app's brotli total is within budget; otherwise a message naming what grew since the
/// previous report (or, without one, the largest part) so the growth can be traced.
pub fn check_budget(
    current: &BTreeMap<Kind, Sizes>,
    previous: Option<&Value>,
    budget: u64,
) -> std::result::Result<(), String> {
    let total: u64 = current.values().map(|s| s.brotli).sum();
    if total <= budget {
        return Ok(());
    }
    let mut message = format!(
        "the app is {} brotli, {} over the {} budget",
        kb(total as f64),
        kb((total - budget) as f64),
        kb(budget as f64)
    );
    let before = |kind: Kind| {
        previous
            .and_then(|p| p["sections"]["bundle"]["data"]["assets"][kind.name()]["brotli"].as_u64())
    };
    let grown: Vec<String> = current
        .iter()
        .filter_map(|(kind, sizes)| {
            let old = before(*kind)?;
            (sizes.brotli > old).then(|| {
                format!(
                    "{} grew by {} since the last bench ({} → {})",
                    kind.name(),
                    kb((sizes.brotli - old) as f64),
                    kb(old as f64),
                    kb(sizes.brotli as f64)
                )
            })
        })
        .collect();
    if grown.is_empty() {
        let (kind, sizes) = current
            .iter()
            .max_by_key(|(_, s)| s.brotli)
            .expect("the budget is exceeded, so there is at least one asset");
        message.push_str(&format!(
            "; the largest part is the {} at {} brotli (the `wasm by crate` row shows which crates cost most)",
            kind.name(),
            kb(sizes.brotli as f64)
        ));
    } else {
        message.push_str(&format!("; {}", grown.join(", ")));
    }
    Err(message)
}

/// The crate an item of the wasm belongs to, from its demangled name; custom sections (names,
/// wasm-bindgen's metadata — stripped before shipping) and data are grouped under a label.
pub fn owner_of(item: &str) -> String {
    // wasm-bindgen runs its describe functions at build time and removes them with the custom sections.
    let bindgen_only = [
        "export \"__wbindgen_describe",
        "__wbindgen_describe",
        "import __wbindgen_placeholder",
    ];
    if item.starts_with("custom section")
        || item.starts_with('"')
        || bindgen_only.iter().any(|p| item.starts_with(p))
    {
        return NOT_SHIPPED.into();
    }
    if item.starts_with("data[") || item.starts_with("data segment") {
        return "(data segments: strings, panic locations, tables)".into();
    }
    owning_crate(item).unwrap_or_else(|| "(other: glue, imports, unnamed)".into())
}

/// Items of rustc's wasm that never ship: names and wasm-bindgen's metadata and describe functions.
pub const NOT_SHIPPED: &str = "(custom sections, not shipped)";

const PRIMITIVES: [&str; 17] = [
    "str", "char", "bool", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

/// `a::b::c` → `a`; `core[hash]::…` → `core`; `<X as Trait>::f` → X's crate, or the trait's crate
/// when X is generic or a std type (the impl then lives with the trait).
fn owning_crate(path: &str) -> Option<String> {
    let path = path
        .trim_start_matches(['&', '*', ' '])
        .trim_start_matches("mut ")
        .trim_start_matches("dyn ");
    if let Some(inner) = path.strip_prefix('<') {
        let mut depth = 0usize;
        let mut as_at = None;
        let mut end = inner.len();
        for (i, c) in inner.char_indices() {
            match c {
                '<' => depth += 1,
                '>' if depth == 0 => {
                    end = i;
                    break;
                }
                '>' => depth -= 1,
                ' ' if depth == 0 && as_at.is_none() && inner[i..].starts_with(" as ") => {
                    as_at = Some(i)
                }
                _ => {}
            }
        }
        let (self_type, trait_path) = match as_at {
            Some(at) => (&inner[..at], Some(&inner[at + 4..end])),
            None => (&inner[..end], None),
        };
        // `<str>::to_lowercase`, `<char>::…`: inherent methods of primitives live in core/alloc.
        let self_crate = owning_crate(self_type)
            .or_else(|| PRIMITIVES.contains(&self_type).then(|| "core".to_string()));
        let trait_crate = trait_path.and_then(owning_crate);
        return match self_crate {
            Some(c) if !matches!(c.as_str(), "core" | "alloc" | "std") => Some(c),
            other => trait_crate.or(other),
        };
    }
    let (head, _) = path.split_once("::")?;
    let head = head.split_once('[').map_or(head, |(name, _)| name);
    (!head.is_empty() && head.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| head.to_string())
}

pub struct Breakdown {
    /// The largest single items (functions, data) in bytes of the pre-wasm-opt wasm.
    pub top_items: Vec<(String, u64)>,
    /// Bytes per crate, largest first.
    pub crates: Vec<(String, u64)>,
    pub wasm: PathBuf,
    pub wasm_bytes: u64,
}

/// Sums twiggy's item sizes per owning crate, largest first.
pub fn by_crate(items: &[(String, u64)]) -> Vec<(String, u64)> {
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    for (name, size) in items {
        *totals.entry(owner_of(name)).or_default() += size;
    }
    let mut list: Vec<(String, u64)> = totals.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list
}

/// twiggy's `top --format json` output as (name, shallow size) pairs.
pub fn parse_twiggy_top(text: &str) -> Result<Vec<(String, u64)>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("twiggy's JSON is not understood: {e}"))?;
    let items = value
        .as_array()
        .ok_or("twiggy's JSON is not a list of items")?;
    Ok(items
        .iter()
        .filter_map(|item| {
            Some((
                item["name"].as_str()?.to_string(),
                item["shallow_size"].as_u64()?,
            ))
        })
        .collect())
}

/// Installs twiggy with cargo when it is missing (said aloud, like setup does for trunk).
fn ensure_twiggy() -> Result {
    let want = format!("twiggy {TWIGGY_VERSION}");
    // twiggy 0.8 answers `--version` with `twiggy-opt 0.8.0`.
    let installed = first_line(cmd("twiggy").arg("--version"));
    if installed
        .as_deref()
        .and_then(|l| l.split_whitespace().nth(1))
        == Some(TWIGGY_VERSION)
    {
        println!("  ok   {want}");
        return Ok(());
    }
    println!(
        "  get  {want} with cargo install (needed for the wasm breakdown; cargo shows its progress)"
    );
    run(
        "installing twiggy",
        cmd("cargo").args(["install", "--locked", "twiggy", "--version", TWIGGY_VERSION]),
    )
}

/// twiggy on the wasm as rustc left it: trunk's wasm-opt output has no names, this one does.
pub fn breakdown(target_dir: &Path) -> Result<Breakdown> {
    let wasm = target_dir.join("wasm32-unknown-unknown/release/wxcc-console.wasm");
    let wasm_bytes = std::fs::metadata(&wasm)
        .map_err(|e| {
            format!(
                "cannot find the named wasm {}: {e} (trunk build --release makes it)",
                wasm.display()
            )
        })?
        .len();
    ensure_twiggy()?;
    let output = cmd("twiggy")
        .args(["top", "--format", "json"])
        .arg(&wasm)
        .output()
        .map_err(|e| format!("cannot run twiggy: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "twiggy failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let items = parse_twiggy_top(&String::from_utf8_lossy(&output.stdout))?;
    let crates = by_crate(&items);
    let mut top_items: Vec<(String, u64)> = items
        .into_iter()
        .filter(|(name, _)| owner_of(name) != NOT_SHIPPED)
        .collect();
    top_items.sort_by_key(|item| std::cmp::Reverse(item.1));
    top_items.truncate(15);
    Ok(Breakdown {
        top_items,
        crates,
        wasm,
        wasm_bytes,
    })
}

/// Builds nothing itself: bench runs `spa::build("/")` first and passes dist/ here.
pub fn section(dist: &Path, target_dir: &Path, previous: Option<&Value>) -> Section {
    let by_kind = match measure(dist) {
        Ok(by_kind) => by_kind,
        Err(error) => return Section::failed("bundle", error),
    };
    let mut rows = Vec::new();
    let mut assets = serde_json::Map::new();
    let mut total = Sizes::default();
    for (kind, (files, sizes)) in &by_kind {
        total.add(*sizes);
        rows.push(Row::single(
            format!("{} (brotli 11)", kind.name()),
            kb(sizes.brotli as f64),
            format!(
                "raw {}, gzip -9 {}",
                kb(sizes.raw as f64),
                kb(sizes.gzip as f64)
            ),
        ));
        assets.insert(
            kind.name().into(),
            json!({"files": files, "raw": sizes.raw, "gzip": sizes.gzip, "brotli": sizes.brotli}),
        );
    }
    rows.push(Row::single(
        "app total (brotli 11)",
        kb(total.brotli as f64),
        format!(
            "budget {} ({}); raw {}, gzip -9 {}",
            kb(BUDGET_BROTLI_BYTES as f64),
            if total.brotli <= BUDGET_BROTLI_BYTES {
                "within"
            } else {
                "OVER"
            },
            kb(total.raw as f64),
            kb(total.gzip as f64)
        ),
    ));
    let mut data = json!({
        "assets": assets,
        "total": {"raw": total.raw, "gzip": total.gzip, "brotli": total.brotli},
        "budget_brotli": BUDGET_BROTLI_BYTES,
    });
    match breakdown(target_dir) {
        Ok(b) => {
            let named: u64 = b
                .crates
                .iter()
                .filter(|(c, _)| c != NOT_SHIPPED)
                .map(|(_, s)| s)
                .sum();
            let top: Vec<String> = b
                .crates
                .iter()
                .filter(|(c, _)| c != NOT_SHIPPED)
                .take(8)
                .map(|(c, s)| format!("{c} {:.0}%", 100.0 * *s as f64 / named.max(1) as f64))
                .collect();
            rows.push(Row::single(
                "wasm by crate (twiggy, before wasm-opt)",
                kb(named as f64),
                top.join(", "),
            ));
            let items: Vec<String> = b
                .top_items
                .iter()
                .take(5)
                .map(|(n, s)| format!("{} {}", shorten(without_hash(n), 70), kb(*s as f64)))
                .collect();
            rows.push(Row::single("largest wasm items", "", items.join("; ")));
            data["twiggy"] = json!({
                "wasm": b.wasm.display().to_string(),
                "wasm_bytes": b.wasm_bytes,
                "code_and_data_bytes": named,
                "crates": b.crates.iter().map(|(c, s)| json!({"crate": c, "bytes": s})).collect::<Vec<_>>(),
                "top_items": b.top_items.iter().map(|(n, s)| json!({"item": n, "bytes": s})).collect::<Vec<_>>(),
            });
        }
        Err(error) => {
            rows.push(Row::single(
                "wasm by crate",
                "–",
                format!("twiggy failed: {error}"),
            ));
            data["twiggy_error"] = json!(error);
        }
    }
    let sizes: BTreeMap<Kind, Sizes> = by_kind.iter().map(|(k, (_, s))| (*k, *s)).collect();
    let status = match check_budget(&sizes, previous, BUDGET_BROTLI_BYTES) {
        Ok(()) => Status::Ok,
        Err(message) => Status::OverBudget(message),
    };
    Section {
        name: "bundle",
        status,
        rows,
        data,
    }
}

/// `f::h0123456789abcdef` → `f`: the symbol hash says nothing to a reader.
fn without_hash(name: &str) -> &str {
    match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            head
        }
        _ => name,
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(wasm: u64, js: u64) -> BTreeMap<Kind, Sizes> {
        [
            (
                Kind::Wasm,
                Sizes {
                    raw: wasm * 4,
                    gzip: wasm * 2,
                    brotli: wasm,
                },
            ),
            (
                Kind::Js,
                Sizes {
                    raw: js * 4,
                    gzip: js * 2,
                    brotli: js,
                },
            ),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn within_budget_passes_and_over_budget_names_the_growth() {
        assert!(check_budget(&sizes(140_000, 10_000), None, 150_000).is_ok());
        let previous = json!({"sections": {"bundle": {"data": {"assets": {"wasm": {"brotli": 120_000}, "js": {"brotli": 10_000}}}}}});
        let error = check_budget(&sizes(145_000, 10_000), Some(&previous), 150_000).unwrap_err();
        assert!(
            error.contains("155.0 kB brotli, 5.0 kB over the 150.0 kB budget"),
            "{error}"
        );
        assert!(
            error.contains("wasm grew by 25.0 kB since the last bench (120.0 kB → 145.0 kB)"),
            "{error}"
        );
        assert!(!error.contains("js grew"), "{error}");
        let error = check_budget(&sizes(145_000, 10_000), None, 150_000).unwrap_err();
        assert!(
            error.contains("the largest part is the wasm at 145.0 kB"),
            "{error}"
        );
    }

    #[test]
    fn compression_shrinks_repetitive_input() {
        let text = "leptos ".repeat(10_000);
        let s = compressed_sizes(text.as_bytes());
        assert_eq!(s.raw, 70_000);
        assert!(s.gzip < 1_000 && s.brotli < s.gzip, "{s:?}");
    }

    #[test]
    fn items_are_attributed_to_crates() {
        assert_eq!(owner_of("leptos::mount::mount_to_body::h1234"), "leptos");
        assert_eq!(
            owner_of(
                "<serde_json::de::Deserializer<R> as serde::de::Deserializer>::deserialize_any"
            ),
            "serde_json"
        );
        assert_eq!(owner_of("<&mut T as core::fmt::Write>::write_str"), "core");
        assert_eq!(owner_of("core::fmt::write::h9"), "core");
        assert_eq!(owner_of("custom section '.debug_info'"), NOT_SHIPPED);
        assert_eq!(
            owner_of("data[3]"),
            "(data segments: strings, panic locations, tables)"
        );
        assert_eq!(owner_of("code[123]"), "(other: glue, imports, unnamed)");
        let crates = by_crate(&[("a::x".into(), 5), ("b::y".into(), 9), ("a::z".into(), 6)]);
        assert_eq!(crates, vec![("a".to_string(), 11), ("b".to_string(), 9)]);
    }

    #[test]
    fn item_names_lose_their_hash() {
        assert_eq!(without_hash("a::b::h0123456789abcdef"), "a::b");
        assert_eq!(without_hash("a::hello"), "a::hello");
    }

    #[test]
    fn reads_twiggy_json() {
        let items =
            parse_twiggy_top(r#"[{"name":"f::g","shallow_size":10,"shallow_size_percent":1.0}]"#)
                .unwrap();
        assert_eq!(items, vec![("f::g".to_string(), 10)]);
        assert!(parse_twiggy_top("nope").is_err());
    }
}
