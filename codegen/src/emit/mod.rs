//! Emission: the model becomes the files of a crate, planned here and printed by the
//! `format` stage. Rust is built as tokens with `quote`: the models and operations item
//! by item, on demand, so that formatting can build and print them in parallel chunks.
//! [`layout`] says which files a crate has; the rest of the modules build one file each.

mod construct;
pub mod docs;
mod extras;
mod features;
mod layout;
mod manifest;
mod models;
mod operations;
mod pages;
mod plan;
mod request;
mod responses;
mod scalars;
mod server;
mod servers;
mod tokens;

pub use layout::{plan, Described};
pub use plan::{Body, Planned};
