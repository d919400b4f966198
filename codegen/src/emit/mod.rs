//! Emission: the model becomes the files of a crate, planned here and printed by the
//! `format` stage. Rust is built as tokens with `quote`: the models and operations item
//! by item, on demand, so that formatting can build and print them in parallel chunks.
//! [`plan`](mod@plan) makes the plan of the output, a list of [`planned`] files;
//! [`layout`] says which files a crate has and [`crate_docs`] what its docs say; the rest
//! of the modules build one file each.

mod construct;
mod crate_docs;
pub mod docs;
mod extras;
mod features;
mod layout;
mod manifest;
mod methods;
mod models;
mod operations;
mod pages;
mod plan;
mod planned;
mod request;
mod responses;
mod scalars;
mod server;
mod servers;
mod tokens;

pub use layout::Described;
pub use plan::plan;
pub use planned::{FileBody, Planned};
