//! Turns OpenAPI 3.0/3.1 and Swagger 2.0 descriptions into Rust types for every operation:
//! models for the schemas and, per operation, `{Op}Responses` and `{Op}Errors` decoded by
//! HTTP status.
//!
//! The pipeline reads top to bottom: [`load`] (parse, recognise the version, resolve
//! `$ref`s) → [`lower`] (into the plain-data [`model`], with names from [`naming`]) →
//! optionally [`filter`] (the operations asked for and the types they reach) → [`emit`]
//! (tokens, formatted with `prettyplease`) → [`output`] (the files of a module or a crate)
//! → [`write`] (atomic writes, or a check that changes nothing).

pub mod emit;
pub mod error;
pub mod filter;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod output;
pub mod write;

pub use error::{Diagnostic, Error, Result};
pub use filter::Filter;
pub use load::Reach;
pub use output::{
    standalone_crate, standalone_crate_timed, workspace_crate, workspace_specs, File, Phases,
};
pub use write::{sync, Change, Mode};

use std::path::Path;

/// Loads and lowers one description.
pub fn api(spec: &Path) -> Result<model::Api> {
    let document = load::Document::load(spec)?;
    lower::lower(&document)
}
