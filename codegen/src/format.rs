//! Formatting: the planned files become text. Token streams are parsed with `syn` and
//! printed by `prettyplease`; nothing edits the printed text afterwards. A module of many
//! items is built and printed in chunks on every core (tokens cannot cross threads, so
//! each thread builds its own), which keeps memory bounded by the output rather than by
//! a syntax tree of all of it. Text that is not Rust (a manifest, the runtime's copy) is
//! taken as it is.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::emit::{FileBody, Planned};

/// One file to write, relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Where the file goes, relative to the output root (`src/models.rs`).
    pub path: PathBuf,
    /// Its text, header included.
    pub contents: String,
}

/// Time spent building tokens and printing them, summed over threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cost {
    pub emit: Duration,
    pub format: Duration,
}

/// Items per unit of work: enough to amortise a thread's start, few enough to balance.
const CHUNK: usize = 16;

/// Prints every planned file, in order.
pub fn format(planned: Vec<Planned<'_>>) -> Result<(Vec<File>, Cost)> {
    let mut files = Vec::with_capacity(planned.len());
    let mut cost = Cost::default();
    for plan in planned {
        let start = Instant::now();
        let failed = |pointer: String, message: String| -> Diagnostics {
            Diagnostic::error(DiagnosticKind::Internal, &plan.source, &pointer, message).into()
        };
        let body = match plan.body {
            FileBody::Text(text) => text,
            FileBody::Tokens(tokens) => {
                let text = unparse(tokens).map_err(|message| failed(String::new(), message))?;
                cost.format += start.elapsed();
                text
            }
            FileBody::Items {
                prefix,
                count,
                item,
                pointer,
            } => {
                let (text, items_cost) = items(prefix, count, &*item, &*pointer)
                    .map_err(|(pointer, message)| failed(pointer, message))?;
                cost.emit += items_cost.emit;
                cost.format += items_cost.format;
                text
            }
        };
        // A blank line between the header and Rust; text brings its own header.
        let mut contents = plan.header;
        if !contents.is_empty() {
            contents.push('\n');
        }
        contents.push_str(&body);
        files.push(File {
            path: plan.path,
            contents,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, cost))
}

/// A module: the inner attributes `prefix`, then `count` items built by `item(index)`,
/// in order, a blank line between them; a failure names the pointer `pointer(index)` of
/// the item that does not parse. Formatting item by item gives the same text as
/// formatting the whole file, since `prettyplease` prints items one after another.
fn items(
    prefix: TokenStream,
    count: usize,
    item: &(dyn Fn(usize) -> TokenStream + Sync),
    pointer: &(dyn Fn(usize) -> String + Sync),
) -> std::result::Result<(String, Cost), (String, String)> {
    let start = Instant::now();
    let mut out = unparse(prefix).map_err(|message| (String::new(), message))?;
    let mut cost = Cost {
        format: start.elapsed(),
        ..Cost::default()
    };
    let chunks = count.div_ceil(CHUNK);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks);
    let next = AtomicUsize::new(0);
    type Done = (usize, std::result::Result<String, (String, String)>, Cost);
    let work = || {
        let mut done: Vec<Done> = Vec::new();
        loop {
            let chunk = next.fetch_add(1, Ordering::Relaxed);
            if chunk >= chunks {
                return done;
            }
            let start = Instant::now();
            let range = chunk * CHUNK..((chunk + 1) * CHUNK).min(count);
            let built_and_printed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let tokens: Vec<TokenStream> = range.clone().map(item).collect();
                let built = Instant::now();
                let printed: std::result::Result<Vec<String>, String> =
                    tokens.into_iter().map(unparse).collect();
                (built, printed)
            }));
            let (built, printed) = match built_and_printed {
                Ok((built, printed)) => (built, printed),
                Err(_) => (
                    Instant::now(),
                    Err(format!(
                        "the generator failed on items {}..{} of this module; this is a bug in the generator",
                        range.start, range.end
                    )),
                ),
            };
            let text = printed.map(|items| items.join("\n")).map_err(|message| {
                // Find the item at fault, to name where it comes from.
                let culprit = range
                    .clone()
                    .find(|&index| {
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            unparse(item(index)).is_err()
                        }))
                        .unwrap_or(true)
                    })
                    .unwrap_or(range.start);
                (pointer(culprit), message)
            });
            let chunk_cost = Cost {
                emit: built - start,
                format: built.elapsed(),
            };
            done.push((chunk, text, chunk_cost));
        }
    };
    let mut results: Vec<Done> = if threads <= 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|handle| handle.join().unwrap_or_default())
                .collect()
        })
    };
    if results.len() != chunks {
        return Err((
            String::new(),
            "a formatting thread failed; this is a bug in the generator".to_owned(),
        ));
    }
    results.sort_by_key(|(chunk, _, _)| *chunk);
    // One allocation for the file instead of a copy at every doubling (files reach 50 MB).
    let length = results
        .iter()
        .map(|(_, text, _)| text.as_ref().map_or(0, |t| t.len() + 1));
    out.reserve(length.sum());
    for (_, text, chunk_cost) in results {
        let text = text?;
        if !text.is_empty() {
            out.push('\n');
            out.push_str(&text);
        }
        cost.emit += chunk_cost.emit;
        cost.format += chunk_cost.format;
    }
    Ok((out, cost))
}

/// The printed text of `tokens`, a file's worth of items: its inner attributes, then
/// each item printed on its own, a blank line between items as a person would leave.
fn unparse(tokens: TokenStream) -> std::result::Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        format!("the generator produced Rust that does not parse ({error}); this is a bug in the generator")
    })?;
    let mut printed = Vec::with_capacity(file.items.len() + 1);
    if !file.attrs.is_empty() {
        printed.push(prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: file.attrs,
            items: Vec::new(),
        }));
    }
    // `use` declarations stay together, as rustfmt groups them.
    let mut uses = Vec::new();
    for item in file.items {
        if matches!(item, syn::Item::Use(_)) {
            uses.push(item);
            continue;
        }
        if !uses.is_empty() {
            printed.push(print_items(std::mem::take(&mut uses)));
        }
        printed.push(print_items(vec![item]));
    }
    if !uses.is_empty() {
        printed.push(print_items(uses));
    }
    Ok(printed.join("\n"))
}

fn print_items(items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
}
