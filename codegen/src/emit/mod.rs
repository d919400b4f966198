//! Emission: the model becomes Rust source. Items are built as tokens with `quote`, parsed
//! with `syn` and printed by `prettyplease`; nothing edits the printed text afterwards.

pub mod docs;
mod features;
mod models;
mod operations;
mod request;
mod responses;
mod servers;

pub use features::Gates;
pub use servers::{auth, servers};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, Ty};

pub use models::models_file;
pub use operations::operations_file;

/// An identifier for a name the naming module made (always a valid, non-keyword name).
pub fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}

/// Renders [`Ty`]s, naming model types as seen from the module being emitted.
#[derive(Clone, Copy)]
pub struct TypeRefs<'a> {
    pub api: &'a Api,
    /// Emitting the operations module, which names models as `super::models::X`.
    pub from_operations: bool,
}

impl TypeRefs<'_> {
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::String => quote!(String),
            Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::Uuid => quote!(uuid::Uuid),
            Ty::Bytes => quote!(crate::runtime::Binary),
            Ty::Any => quote!(serde_json::Value),
            Ty::List(inner) => {
                let inner = self.ty(inner);
                quote!(Vec<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty(inner);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            Ty::Option(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            Ty::Named(id) => {
                let name = ident(&self.api.types[id.0].name);
                if self.from_operations {
                    quote!(super::models::#name)
                } else {
                    quote!(#name)
                }
            }
        }
    }
}

/// An item the generator made that does not parse: a bug of ours, reported with the
/// pointer of what the item was made from.
#[derive(Debug)]
pub struct Failed {
    pub pointer: String,
    pub message: String,
}

impl Api {
    /// The Rust type `ty` is in a standalone crate generated from this description, as
    /// a path from the crate's root (`Vec<crate::models::Pet>`): for tools and tests that
    /// write code against the generated crate.
    pub fn rust_type(&self, ty: &Ty) -> String {
        let refs = TypeRefs {
            api: self,
            from_operations: true,
        };
        refs.ty(ty)
            .to_string()
            .replace("super :: models ::", "crate :: models ::")
    }
}

/// Time spent building tokens and formatting them, summed over threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cost {
    pub emit: Duration,
    pub format: Duration,
}

/// Items per unit of work: enough to amortise a thread's start, few enough to balance.
const CHUNK: usize = 16;

/// Prints a module file: `header` (comment lines, already `//`-prefixed), the inner
/// attributes `prefix`, then `count` items built by `item(index)`, in order; a failure
/// names the pointer `pointer(index)` of the item that does not parse.
///
/// Items are built and formatted in chunks on every core: tokens cannot cross threads,
/// so each thread builds its own. Formatting item by item gives the same text as
/// formatting the whole file, since `prettyplease` prints items one after another, and
/// it keeps memory bounded by the output rather than by a syntax tree of all of it.
pub fn render_module(
    header: &str,
    prefix: TokenStream,
    count: usize,
    item: &(dyn Fn(usize) -> TokenStream + Sync),
    pointer: &(dyn Fn(usize) -> String + Sync),
) -> Result<(String, Cost), Failed> {
    let start = Instant::now();
    let prefix = unparse(prefix).map_err(|message| Failed {
        pointer: String::new(),
        message,
    })?;
    let mut out = format!("{header}\n{prefix}");
    let mut cost = Cost {
        format: start.elapsed(),
        ..Cost::default()
    };
    let chunks = count.div_ceil(CHUNK);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let chunk = next.fetch_add(1, Ordering::Relaxed);
            if chunk >= chunks {
                return done;
            }
            let start = Instant::now();
            let range = chunk * CHUNK..((chunk + 1) * CHUNK).min(count);
            let built_and_printed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let tokens: TokenStream = range.clone().map(item).collect();
                (Instant::now(), unparse(tokens))
            }));
            let Ok((built, text)) = built_and_printed else {
                let failed = Failed {
                    pointer: pointer(range.start),
                    message: format!(
                        "the generator failed on items {}..{} of this module; this is a bug in the generator",
                        range.start, range.end
                    ),
                };
                done.push((chunk, Err(failed), Cost::default()));
                continue;
            };
            let text = text.map_err(|message| {
                // Find the item at fault, to name where it comes from.
                let culprit = range
                    .clone()
                    .find(|&index| unparse(item(index)).is_err())
                    .unwrap_or(range.start);
                Failed {
                    pointer: pointer(culprit),
                    message,
                }
            });
            let chunk_cost = Cost {
                emit: built - start,
                format: built.elapsed(),
            };
            done.push((chunk, text, chunk_cost));
        }
    };
    let mut results: Vec<(usize, Result<String, Failed>, Cost)> = if threads <= 1 {
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
        return Err(Failed {
            pointer: String::new(),
            message: "a formatting thread failed; this is a bug in the generator".to_owned(),
        });
    }
    results.sort_by_key(|(chunk, _, _)| *chunk);
    // One allocation for the file instead of a copy at every doubling (files reach 50 MB).
    let length = results
        .iter()
        .map(|(_, text, _)| text.as_ref().map_or(0, String::len));
    out.reserve(length.sum());
    for (_, text, chunk_cost) in results {
        out.push_str(&text?);
        cost.emit += chunk_cost.emit;
        cost.format += chunk_cost.format;
    }
    Ok((out, cost))
}

/// Prints `tokens` as a formatted file under `header` (comment lines, already `//`-prefixed).
pub fn render(header: &str, tokens: TokenStream) -> Result<String, String> {
    Ok(format!("{header}\n{}", unparse(tokens)?))
}

fn unparse(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        format!("the generator produced Rust that does not parse ({error}); this is a bug in the generator")
    })?;
    Ok(prettyplease::unparse(&file))
}
