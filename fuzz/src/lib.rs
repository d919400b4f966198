//! What the targets share: the generator's whole pipeline on a description held in
//! memory, as `codegen::standalone_crate` runs it on a file (load, lower, filter, emit,
//! format), without touching the disk.

use std::cell::Cell;
use std::path::Path;

use codegen::model::{Api, Operation};
use codegen::Filter;
use quote::quote;

/// Lets libFuzzer report a stack overflow of the fuzzing thread as a crash and save the
/// input, like a panic. Without this, the overflow is a bare SIGSEGV: under `cargo fuzz`
/// libFuzzer's `main` runs instead of Rust's, so no alternate signal stack exists,
/// libFuzzer's handler has no stack to run on, and the process dies without a word or an
/// artifact. Gives this thread an alternate stack and makes the installed handlers of
/// SIGSEGV and SIGBUS use it; cheap after the first call on a thread. (Threads the
/// generator spawns to render chunks get none: an overflow there still dies bare, and
/// the smoke still fails on it.)
pub fn catch_stack_overflows() {
    thread_local! {
        static DONE: Cell<bool> = const { Cell::new(false) };
    }
    if DONE.with(|done| done.replace(true)) {
        return;
    }
    const SIZE: usize = 1 << 20;
    let stack: &'static mut [u8] = Box::leak(vec![0u8; SIZE].into_boxed_slice());
    // SAFETY: the stack is leaked, so it outlives the thread; `sigaction` is only read
    // and written back with one more flag.
    unsafe {
        let alternate = libc::stack_t {
            ss_sp: stack.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: SIZE,
        };
        libc::sigaltstack(&alternate, std::ptr::null_mut());
        for signal in [libc::SIGSEGV, libc::SIGBUS] {
            let mut action: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, std::ptr::null(), &mut action) == 0 {
                action.sa_flags |= libc::SA_ONSTACK;
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }
}

/// Runs the pipeline on `text`, read from `file` (named in diagnostics only), then again
/// from the lowering on, filtered to one of its operations or tags (`select` picks which,
/// so each input always takes the same path). A diagnostic is a fine outcome; a panic, a
/// stack overflow or a hang is a bug, and so are Rust that does not parse (which `render`
/// reports as an error) and a filter naming an existing operation or tag that is refused:
/// this panics on those, with `context` (the description, when the target built it).
pub fn generate(file: &Path, text: &str, context: &str, select: usize) {
    catch_stack_overflows();
    let Ok(document) = codegen::load::Document::parse(file, text) else {
        return;
    };
    let Ok(api) = codegen::lower::lower(&document) else {
        return;
    };
    let Ok(api) = codegen::filter::filter(api, &Filter::all(), file) else {
        panic!("keeping everything was refused\n{context}");
    };
    emit(&api, context);
    lib(&api, context);

    let operations: Vec<&Operation> = api.operations.iter().chain(&api.webhooks).collect();
    let Some(operation) = operations.get(select % operations.len().max(1)) else {
        return;
    };
    let by_tag = (select / operations.len()) % 2 == 1 && !operation.tags.is_empty();
    let filter = if by_tag {
        Filter {
            tags: vec![operation.tags[select % operation.tags.len()].clone()],
            operations: Vec::new(),
        }
    } else {
        Filter {
            tags: Vec::new(),
            operations: vec![operation.id.clone()],
        }
    };
    match codegen::filter::filter(api.clone(), &filter, file) {
        Ok(filtered) => emit(&filtered, context),
        Err(error) => panic!("{filter:?} was refused: {error}\n{context}"),
    }
}

/// `models.rs` and `operations.rs`.
fn emit(api: &Api, context: &str) {
    for emit in [codegen::emit::models_file, codegen::emit::operations_file] {
        if let Err(message) = emit(api, "// fuzz\n") {
            panic!("{message}\n{context}");
        }
    }
}

/// The crate's `lib.rs`, whose inner doc holds the title, version and description (as
/// `output::module_doc` writes it; that function is private).
fn lib(api: &Api, context: &str) {
    let mut doc = format!("# {}", api.title);
    if !api.api_version.is_empty() {
        doc.push_str(&format!(" (version {})", api.api_version));
    }
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    let doc = codegen::emit::docs::inner_doc_attrs(&doc, "Generated from `fuzz`.");
    let lib = quote! {
        #doc
        #![warn(missing_docs)]
        pub mod runtime;
        pub mod models;
        pub mod operations;
    };
    if let Err(message) = codegen::emit::render("// fuzz\n", lib) {
        panic!("lib.rs: {message}\n{context}");
    }
}
