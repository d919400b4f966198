//! The generator, once, on arbitrary text: parsing YAML or JSON, recognising the version
//! and following `$ref`s (and all that comes after, when the text gets that far) must end
//! in a crate or diagnostics, never a panic, a stack overflow, a hang or an internal
//! error. Cheaper per input than `pipeline`, which generates twice.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Descriptions are read as UTF-8 text; other bytes never reach the generator.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A directory that does not exist: a `$ref` to another file fails to read, the same
    // way on every machine, instead of reading whatever lies beside the fuzzer.
    codegen_fuzz::generate_once(Path::new("/nonexistent/fuzz/api.yaml"), text, "");
});
