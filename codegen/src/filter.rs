//! Filtering: keep the operations a user asks for (by tag or by `operationId`) and only
//! the types they reach. It runs on the lowered [`Api`], between lowering and emission,
//! so names stay exactly what the whole description gave them: filtering never renames.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::model::{Api, HeaderTy, Operation, Payload, Ty, TypeDef, TypeId, TypeKind};

/// Which operations to keep: those with any of `tags` and those named in `operations`
/// (the union). Both empty keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Tag names, matched exactly.
    pub tags: Vec<String>,
    /// `operationId`s (or the ids made of method and path), matched exactly.
    pub operations: Vec<String>,
}

impl Filter {
    /// Keeps everything.
    pub fn all() -> Self {
        Filter::default()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty()
    }

    /// The command-line flags that select the same operations (` --tags A,B`), for the
    /// headers that name the command regenerating a file.
    pub fn flags(&self) -> String {
        let mut flags = String::new();
        for (flag, values) in [("--tags", &self.tags), ("--operations", &self.operations)] {
            if !values.is_empty() {
                flags.push_str(&format!(" {flag} {}", values.join(",")));
            }
        }
        flags
    }
}

/// The part of `api` that `filter` selects: its operations and webhooks, in their order,
/// and the types they reach through any type reference, in their order, with
/// [`TypeId`]s remapped. A tag or operation id that selects nothing is an error naming it
/// (`file` is the description, for the diagnostic).
pub fn filter(mut api: Api, filter: &Filter, file: &Path) -> Result<Api> {
    if filter.is_empty() {
        return Ok(api);
    }
    let diagnostics: Vec<Diagnostic> = unknown(&api, filter)
        .into_iter()
        .map(|message| Diagnostic::new(file, "", message))
        .collect();
    if !diagnostics.is_empty() {
        return Err(Error { diagnostics });
    }
    let selected = |op: &Operation| {
        filter.operations.contains(&op.id) || op.tags.iter().any(|t| filter.tags.contains(t))
    };
    api.operations.retain(selected);
    api.webhooks.retain(selected);

    let reached = reachable(&api.types, api.operations.iter().chain(&api.webhooks));
    // Old index to new id; kept types stay in their order, so do their names.
    let mut remap = vec![None; reached.len()];
    let mut next = 0;
    for (old, keep) in reached.iter().enumerate() {
        if *keep {
            remap[old] = Some(TypeId(next));
            next += 1;
        }
    }
    let types = std::mem::take(&mut api.types);
    api.types = types
        .into_iter()
        .zip(&reached)
        .filter_map(|(def, keep)| keep.then_some(def))
        .collect();
    for def in &mut api.types {
        for ty in type_refs_mut(&mut def.kind) {
            renumber(ty, &remap);
        }
    }
    for op in api.operations.iter_mut().chain(&mut api.webhooks) {
        for ty in operation_refs_mut(op) {
            renumber(ty, &remap);
        }
    }
    Ok(api)
}

/// One message per tag or operation id of `filter` that selects no operation.
fn unknown(api: &Api, filter: &Filter) -> Vec<String> {
    let all: Vec<&Operation> = api.operations.iter().chain(&api.webhooks).collect();
    let mut messages = Vec::new();
    for tag in &filter.tags {
        if all.iter().any(|op| op.tags.contains(tag)) {
            continue;
        }
        let mut message = format!("no operation has the tag `{tag}`");
        let mut known: Vec<&str> = all
            .iter()
            .flat_map(|op| op.tags.iter().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        if let Some(close) = known.iter().find(|k| k.eq_ignore_ascii_case(tag)) {
            message.push_str(&format!("; did you mean `{close}`?"));
        } else if !known.is_empty() {
            message.push_str(&format!("; the tags are: {}", known.join(", ")));
        }
        messages.push(message);
    }
    for id in &filter.operations {
        if all.iter().any(|op| &op.id == id) {
            continue;
        }
        let mut message = format!("no operation has the operationId `{id}`");
        if let Some(close) = all.iter().find(|op| op.id.eq_ignore_ascii_case(id)) {
            message.push_str(&format!("; did you mean `{}`?", close.id));
        }
        messages.push(message);
    }
    messages
}

/// Which types `operations` reach, directly or through other types, by index.
fn reachable<'a>(types: &[TypeDef], operations: impl Iterator<Item = &'a Operation>) -> Vec<bool> {
    let mut reached = vec![false; types.len()];
    let mut pending = Vec::new();
    for op in operations {
        for ty in operation_refs(op) {
            named(ty, &mut pending);
        }
    }
    while let Some(TypeId(index)) = pending.pop() {
        if std::mem::replace(&mut reached[index], true) {
            continue;
        }
        for ty in type_refs(&types[index].kind) {
            named(ty, &mut pending);
        }
    }
    reached
}

/// The named types inside `ty` (`Vec<Option<Foo>>` holds `Foo`).
fn named(ty: &Ty, into: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => into.push(*id),
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => named(inner, into),
        _ => {}
    }
}

fn renumber(ty: &mut Ty, remap: &[Option<TypeId>]) {
    match ty {
        Ty::Named(id) => {
            *id = remap[id.0].expect("every type a kept item refers to is reached, so kept");
        }
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => renumber(inner, remap),
        _ => {}
    }
}

// The two pairs below list every `Ty` the model holds: a new place for a type in the
// model must be added to both, or filtered crates lose the types it names.

fn type_refs(kind: &TypeKind) -> Vec<&Ty> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(&s.additional)
            .collect(),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
        TypeKind::OneOf(o) => o.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
    }
}

fn type_refs_mut(kind: &mut TypeKind) -> Vec<&mut Ty> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter_mut()
            .map(|f| &mut f.ty)
            .chain(&mut s.additional)
            .collect(),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
        TypeKind::OneOf(o) => o.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
    }
}

fn payload_ty(payload: &Payload) -> Option<&Ty> {
    match payload {
        Payload::Json(ty) | Payload::Form(ty) => Some(ty),
        Payload::Empty | Payload::Text | Payload::Binary => None,
    }
}

fn payload_ty_mut(payload: &mut Payload) -> Option<&mut Ty> {
    match payload {
        Payload::Json(ty) | Payload::Form(ty) => Some(ty),
        Payload::Empty | Payload::Text | Payload::Binary => None,
    }
}

fn operation_refs(op: &Operation) -> Vec<&Ty> {
    let params = op.params.iter().map(|p| &p.ty);
    let body = op.body.iter().filter_map(|b| payload_ty(&b.payload));
    let responses = op.responses.iter().flat_map(|r| {
        let headers = r.headers.iter().filter_map(|h| match &h.ty {
            HeaderTy::Scalar(ty) => Some(ty),
            HeaderTy::Enum { .. } => None,
        });
        payload_ty(&r.payload).into_iter().chain(headers)
    });
    params.chain(body).chain(responses).collect()
}

fn operation_refs_mut(op: &mut Operation) -> Vec<&mut Ty> {
    let params = op.params.iter_mut().map(|p| &mut p.ty);
    let body = op
        .body
        .iter_mut()
        .filter_map(|b| payload_ty_mut(&mut b.payload));
    let responses = op.responses.iter_mut().flat_map(|r| {
        let headers = r.headers.iter_mut().filter_map(|h| match &mut h.ty {
            HeaderTy::Scalar(ty) => Some(ty),
            HeaderTy::Enum { .. } => None,
        });
        payload_ty_mut(&mut r.payload).into_iter().chain(headers)
    });
    params.chain(body).chain(responses).collect()
}
