//! The generator on arbitrary text, unfiltered and then filtered to one operation or tag
//! of the model the first run returned. Any description must give a crate, or
//! diagnostics; a panic, an identifier `quote` refuses or output that does not parse
//! (which the generator reports as an internal error) is a bug.
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
