//! A file of the output, planned by emission and printed by the `format` stage.

use std::path::PathBuf;

use proc_macro2::TokenStream;

/// A file of the output, planned: where it goes, its header, what it holds, and the
/// description it comes from (for diagnostics).
pub struct Planned<'a> {
    pub path: PathBuf,
    /// Comment lines, already `//`-prefixed, each ending in a newline.
    pub header: String,
    pub body: FileBody<'a>,
    pub source: PathBuf,
}

/// What a planned file holds.
pub enum FileBody<'a> {
    /// A module of many items: its inner attributes and `use`s, then `count` items, each
    /// built on demand by `item(index)`; `pointer(index)` names where an item comes from.
    Items {
        prefix: TokenStream,
        count: usize,
        item: Box<dyn Fn(usize) -> TokenStream + Sync + 'a>,
        pointer: Box<dyn Fn(usize) -> String + Sync + 'a>,
    },
    /// A small Rust file, whole.
    Tokens(TokenStream),
    /// Text that is not formatted (a manifest, the runtime's sources).
    Text(String),
}
