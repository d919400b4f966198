//! Pay for what you use: in a standalone crate each group of operations is a cargo
//! feature, and every item is compiled only under the features that need it. An
//! operation needs its group's; a type, the groups of the operations that reach it. A
//! type most groups reach (more than [`SHARED`]) is always compiled, which keeps the
//! attributes short; one no operation reaches, only under `full`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Operation, TypeId};

/// Reached by more groups than this, a type is always compiled.
const SHARED: usize = 8;

/// The features every type needs, when the crate has groups to choose from. Plain data,
/// so rendering threads can share it; tokens are made on demand.
pub struct Gates {
    types: Vec<Gate>,
    groups: Vec<String>,
}

enum Gate {
    Always,
    /// Reached by no operation.
    Full,
    /// Reached by these groups (indexes into `Gates::groups`).
    Any(Vec<usize>),
}

impl Gates {
    /// The gates of `api`'s items; `None` when it has fewer than two groups, where a
    /// feature would choose nothing.
    pub fn of(api: &Api) -> Option<Gates> {
        let mut groups: Vec<String> = Vec::new();
        for op in api.operations.iter().chain(&api.webhooks) {
            if !groups.contains(&op.group) {
                groups.push(op.group.clone());
            }
        }
        if groups.len() < 2 {
            return None;
        }
        let reached = reached_by(api, &groups);
        let types = reached
            .into_iter()
            .map(|by| match by.len() {
                0 => Gate::Full,
                n if n > SHARED => Gate::Always,
                _ => Gate::Any(by),
            })
            .collect();
        Some(Gates { types, groups })
    }

    /// The attribute of the type `id`.
    pub fn of_type(&self, id: TypeId) -> TokenStream {
        match &self.types[id.0] {
            Gate::Always => TokenStream::new(),
            Gate::Full => quote!(#[cfg(feature = "full")]),
            Gate::Any(by) => any_of(by.iter().map(|g| self.groups[*g].as_str())),
        }
    }

    /// The features of the groups, in the order operations first use them.
    pub fn features(&self) -> &[String] {
        &self.groups
    }
}

/// The attribute of an operation's items.
pub fn of_operation(gates: Option<&Gates>, op: &Operation) -> TokenStream {
    match gates {
        Some(_) => any_of([op.group.as_str()]),
        None => TokenStream::new(),
    }
}

pub fn any_of<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let features: Vec<&str> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        all => quote!(#[cfg(any(#(feature = #all),*))]),
    }
}

/// For each type, the groups (indexes into `groups`) whose operations reach it.
fn reached_by(api: &Api, groups: &[String]) -> Vec<Vec<usize>> {
    let mut by: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    for (group, feature) in groups.iter().enumerate() {
        let mut pending = Vec::new();
        for op in api
            .operations
            .iter()
            .chain(&api.webhooks)
            .filter(|op| &op.group == feature)
        {
            for ty in op.types() {
                ty.named(&mut pending);
            }
        }
        while let Some(TypeId(index)) = pending.pop() {
            if by[index].last() == Some(&group) {
                continue;
            }
            by[index].push(group);
            for ty in api.types[index].kind.types() {
                ty.named(&mut pending);
            }
        }
    }
    by
}
