//! Hostile descriptions: descriptions are untrusted input, so none may inject code into
//! the generated crate, make us read files outside the description's directory, or crash,
//! hang or exhaust the generator.
//!
//! - `names`: names and texts built to break out of identifiers, strings and doc
//!   comments give a crate that builds with warnings denied (`clippy`, `doc`, no
//!   doctests) and holds exactly the items the model says it should (`items`), checked
//!   on the syntax tree, with no identifier of the attack anywhere outside string
//!   literals.
//! - `refs`: `$ref`s that leave the description's directory are refused with the file
//!   and pointer.
//! - `bounded`: deep nesting, alias bombs, very large files and cycles of references end
//!   in the one diagnostic or output each must give, within a time limit and a memory
//!   limit; each runs in a child process, so a stack overflow, an abort or a hang fails
//!   its test instead of the run.
//!
//! Fixtures are in `tests/fixtures/hostile/`; the big ones are made at run time.

#[path = "../support/mod.rs"]
mod support;

mod bounded;
mod items;
mod names;
mod refs;

use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    support::relative(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/hostile")
            .join(name),
    )
}
