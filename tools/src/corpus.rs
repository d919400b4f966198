//! `cargo run -p tools -- corpus`: the broad corpus sweep (written next).

use std::path::Path;

/// What the sweep was asked to do.
#[derive(clap::Args)]
pub struct Options {}

pub fn run(_root: &Path, _options: &Options) -> Result<(), String> {
    Err("not yet".to_owned())
}
