//! What the targets share: the generator's one entry point, `codegen::generate`, on a
//! description held in memory (`Config::text`), without touching the disk.

use std::cell::Cell;
use std::path::Path;

use codegen::{Config, Diagnostics, Filter, DiagnosticKind};

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

/// A failed run is a fine outcome, unless the generator says it failed itself: Rust it
/// made that does not parse, say (`DiagnosticKind::Internal`), which is a bug.
fn no_internal(problems: &Diagnostics, context: &str) {
    if let Some(bug) = problems.iter().find(|d| d.kind == DiagnosticKind::Internal) {
        panic!("{bug}\n{context}");
    }
}

/// Generates the crate of `text`, said to be at `file` (named in diagnostics only, and
/// where `$ref`s to other files are looked for). A diagnostic is a fine outcome; a panic,
/// a stack overflow, a hang or an internal error is a bug: this panics on the last, with
/// `context` (the description, when the target built it). Returns what was generated.
pub fn generate_once(file: &Path, text: &str, context: &str) -> Option<codegen::Generated> {
    catch_stack_overflows();
    match codegen::generate(&Config::text(file, text)) {
        Ok(generated) => Some(generated),
        Err(problems) => {
            no_internal(&problems, context);
            None
        }
    }
}

/// [`generate_once`], then again filtered to one of its operations or one of their tags,
/// picked from the model the first run returned (`select` picks which, so each input
/// always takes the same path). A filter naming an existing operation or tag that is
/// refused is a bug, and so is a filtered crate holding other operations.
pub fn generate(file: &Path, text: &str, context: &str, select: usize) {
    let Some(generated) = generate_once(file, text, context) else {
        return;
    };
    let api = &generated.models[0];
    let operations: Vec<_> = api.operations.iter().chain(&api.webhooks).collect();
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
    match codegen::generate(&Config::text(file, text).filter(filter.clone())) {
        Ok(filtered) => {
            let kept = &filtered.models[0];
            let selected = |op: &codegen::model::Operation| {
                filter.operations.contains(&op.id)
                    || op.tags.iter().any(|t| filter.tags.contains(t))
            };
            let all_selected = kept.operations.iter().chain(&kept.webhooks).all(selected);
            assert!(
                all_selected && kept.operations.len() + kept.webhooks.len() > 0,
                "{filter:?} kept other operations, or none\n{context}"
            );
        }
        Err(problems) => panic!("{filter:?} was refused: {problems}\n{context}"),
    }
}
