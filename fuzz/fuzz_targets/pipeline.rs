//! The whole pipeline on arbitrary text: load, lower, emit and format, unfiltered and
//! filtered to one operation or tag. Any description must give Rust that parses, or a
//! diagnostic; a panic, an identifier `quote` refuses or output that does not parse (which
//! `render` reports) is a bug.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As in `load`: `$ref`s to other files fail to read the same way everywhere. The
    // length picks the operation or tag to filter by.
    let file = Path::new("/nonexistent/fuzz/api.yaml");
    codegen_fuzz::generate(file, text, "", data.len());
});
