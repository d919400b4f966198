//! The loader on arbitrary text: parsing YAML or JSON, recognising the version and
//! following `$ref`s must end in a document or an error, never a panic, a stack overflow
//! or a hang.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    codegen_fuzz::catch_stack_overflows();
    // Descriptions are read as UTF-8 text; other bytes never reach the loader.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A directory that does not exist: a `$ref` to another file fails to read, the same
    // way on every machine, instead of reading whatever lies beside the fuzzer.
    let _ = codegen::load::Document::parse(Path::new("/nonexistent/fuzz/api.yaml"), text);
});
