//! The project's own tools, apart from the generator: the Prism conformance run
//! ([`prism`]), the sweep over the broad corpus ([`corpus`]), the benchmarks ([`bench`]),
//! the synthetic descriptions they scale with ([`synth`]) and the crates the `request`
//! fuzz target builds with ([`fuzz_prepare`]). Values and the reading of descriptions
//! come from the `oracle` crate, never from the generator's model.

#![warn(missing_docs)]

pub mod bench;
pub mod corpus;
pub mod fuzz_prepare;
// Not yet documented item by item: its owner documents it as the judge is split up.
#[allow(missing_docs)]
pub mod prism;
pub mod synth;
pub mod testdata;

use std::path::{Path, PathBuf};

/// The workspace's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tools lives in the workspace")
}

/// A `cargo` command, the one that runs us when there is one.
pub fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The directory a tool writes under: `target/<name>/` of the workspace.
pub fn work_dir(name: &str) -> PathBuf {
    root().join("target").join(name)
}
