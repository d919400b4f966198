//! An independent reader of OpenAPI descriptions: the one the tests, the Prism harness
//! and the fuzz targets check the generator against. It reads a description's raw JSON
//! as the format says ([`document`]), makes values of its schemas ([`values`], every
//! choice from a [`source::Source`]), validates them ([`validate`], by the `jsonschema`
//! crate), compares what came back through a generated type with what went in
//! ([`compare`]) and makes values that break a schema ([`breaking`]). It never looks at
//! the generator's model.

#![warn(missing_docs)]

pub mod breaking;
pub mod compare;
pub mod document;
pub mod source;
pub mod text;
#[cfg(feature = "validate")]
pub mod validate;
pub mod values;

pub use document::Document;
pub use source::Source;
pub use values::{Maker, Options};
