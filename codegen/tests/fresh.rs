//! The generator is its own freshness test: `generated/` must be exactly what
//! `cargo xtask codegen` would write from `specs/` now, and the check that says so must
//! notice a stale tree, name what is stale, and change nothing.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::{Change, Config};

#[test]
fn generated_crate_is_fresh() {
    let generated = codegen::generate(&Config::workspace(support::workspace()).check())
        .unwrap_or_else(|problems| panic!("{problems}"));
    assert!(
        generated.changes.is_empty(),
        "generated/ is stale, run `cargo xtask codegen`: {:?}",
        generated.changes
    );
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
}

/// Every file under `dir` and its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// A stale tree: a generated file edited, one deleted, and one the generator no longer
/// makes. The check lists exactly those, in its changes, and writes nothing.
#[test]
fn check_names_what_is_stale_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models");
    let spec = "tests/fixtures/models.yaml";
    let write = Config::spec(spec).out(&out);
    let written = codegen::generate(&write).unwrap();
    assert!(!written.changes.is_empty());

    let fresh = codegen::generate(&write.clone().check()).unwrap();
    assert_eq!(fresh.changes, [], "a tree just written is fresh");

    let models = out.join("src/models.rs");
    let edited = std::fs::read_to_string(&models).unwrap() + "// edited\n";
    std::fs::write(&models, edited).unwrap();
    std::fs::remove_file(out.join("Cargo.toml")).unwrap();
    let stale = format!("{}: from an older run\n", codegen::MARKER);
    std::fs::write(out.join("src/old.rs"), &stale).unwrap();
    std::fs::write(out.join("src/notes.md"), "not generated\n").unwrap();
    let before = tree(&out);

    let checked = codegen::generate(&write.clone().check()).unwrap();
    let mut changes = checked.changes.clone();
    changes.sort_by_key(|change| format!("{change:?}"));
    assert_eq!(
        changes,
        [
            Change::Removed("src/old.rs".into()),
            Change::Written("Cargo.toml".into()),
            Change::Written("src/models.rs".into()),
        ]
    );
    assert_eq!(tree(&out), before, "the check changed the tree");

    // A write brings the tree back; the file we did not generate stays.
    let rewritten = codegen::generate(&write).unwrap();
    assert_eq!(rewritten.changes.len(), 3, "{:?}", rewritten.changes);
    let again = codegen::generate(&write.check()).unwrap();
    assert_eq!(again.changes, []);
    assert!(out.join("src/notes.md").exists());
    assert!(!out.join("src/old.rs").exists());
}
