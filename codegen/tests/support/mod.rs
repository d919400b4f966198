//! What the tests that compile generated crates share: where things are, and the check
//! itself (`cargo clippy` and `cargo doc`, warnings denied, dependencies built once).

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A path under `../shared/specs/`; the test fails (never skips) when it is missing.
pub fn shared_spec(relative: &str) -> PathBuf {
    let path = workspace().join("../shared/specs").join(relative);
    assert!(
        path.exists(),
        "{} is missing: this test needs ../shared/specs/ beside the project",
        path.display()
    );
    path
}

/// Runs `cargo clippy` and `cargo doc` on the crate in `dir` with warnings denied, and
/// fails the test with the compiler's output unless both are clean. The workspace's lock
/// file pins the dependencies, so nothing resolves anew, and one shared target directory
/// builds them once for every test.
pub fn assert_compiles_cleanly(dir: &Path, what: &str) {
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = workspace().join("target/compile-tests/target");
    for task in [
        &["clippy", "--quiet"][..],
        &["doc", "--no-deps", "--quiet"][..],
    ] {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(task)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-Dwarnings")
            .env("RUSTDOCFLAGS", "-Dwarnings")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && !stderr.contains("warning"),
            "`cargo {}` of the crate generated from {what} failed:\n{stderr}",
            task[0]
        );
    }
}
