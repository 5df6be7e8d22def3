//! The root `Cargo.toml` patches this crate in for wasm-streams. If a dependency ever needs a
//! wasm-streams this crate's version cannot stand for, Cargo only warns "patch was not used" and
//! takes the registry crate (and its exported classes) again: this test makes that a failure.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn the_lockfile_resolves_wasm_streams_to_this_crate() {
    let lock_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock");
    let lock = std::fs::read_to_string(lock_path).expect("the workspace has a Cargo.lock");
    let entries: Vec<&str> = lock
        .split("[[package]]")
        .filter(|entry| entry.contains("\nname = \"wasm-streams\"\n"))
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "one wasm-streams in Cargo.lock: {entries:?}"
    );
    assert!(
        !entries[0].contains("source ="),
        "wasm-streams comes from a registry, not crates/wasm-streams: {}",
        entries[0]
    );
}
