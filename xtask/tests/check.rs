//! `cargo xtask codegen --check`, the command CI runs: on a fresh tree it succeeds and
//! says nothing; on a stale one it fails, naming each stale file, and changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
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
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn check_fails_on_a_stale_tree_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/models.yaml");
    let spec = spec.to_str().unwrap();
    let out_arg = out.to_str().unwrap();
    let spec_args = [
        "codegen", "--spec", spec, "--out", out_arg, "--name", "models",
    ];

    let written = xtask(&spec_args);
    assert!(written.status.success(), "{written:?}");
    let mut check_args = spec_args.to_vec();
    check_args.push("--check");
    let fresh = xtask(&check_args);
    assert!(
        fresh.status.success(),
        "a tree just written is stale: {fresh:?}"
    );
    assert!(
        fresh.stdout.is_empty() && fresh.stderr.is_empty(),
        "{fresh:?}"
    );

    let models = out.join("src/models.rs");
    let mut text = std::fs::read_to_string(&models).unwrap();
    text.push_str("// edited\n");
    std::fs::write(&models, text).unwrap();
    std::fs::remove_file(out.join("src/operations.rs")).unwrap();
    let before = tree(&out);

    let stale = xtask(&check_args);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stderr}");
    assert!(stale.stdout.is_empty(), "{stale:?}");
    assert_eq!(
        stderr,
        format!(
            "{out_arg} is stale; run `cargo xtask codegen`:\n  differs: src/models.rs\n  differs: src/operations.rs\n"
        )
    );
    assert_eq!(tree(&out), before, "--check changed the tree");
}
