//! Filtering: keep the operations a user asks for (by tag or by `operationId`) and only
//! the types they reach. It runs on the lowered [`Api`], between lowering and emission,
//! so names stay exactly what the whole description gave them: filtering never renames.

use std::path::Path;

use crate::config::Filter;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::model::{Api, Operation, TypeId};

/// The part of `api` that `filter` selects: its operations and webhooks, in their order,
/// and the types they reach through any type reference, in their order, with
/// [`TypeId`]s renumbered. A tag or operation id that selects nothing is an error naming
/// it (`file` is the description, for the diagnostic).
pub fn filter(mut api: Api, filter: &Filter, file: &Path) -> Result<Api> {
    if filter.is_empty() {
        return Ok(api);
    }
    let problems: Diagnostics = unknown(&api, filter)
        .into_iter()
        .map(|message| Diagnostic::error(DiagnosticKind::Option, file, "", message))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let selected = |op: &Operation| {
        filter.operations.contains(&op.id) || op.tags.iter().any(|t| filter.tags.contains(t))
    };
    api.operations.retain(selected);
    api.webhooks.retain(selected);

    let reached = crate::model::reach(
        &api.types,
        api.operations
            .iter()
            .chain(&api.webhooks)
            .flat_map(Operation::types),
    );
    // Kept types stay in their order, so do their names. A dropped type is named by
    // nothing that is kept, so its new id is never read.
    let mut new_ids = Vec::with_capacity(reached.len());
    let mut next = 0;
    for keep in &reached {
        new_ids.push(TypeId(next));
        next += usize::from(*keep);
    }
    let types = std::mem::take(&mut api.types);
    api.types = types
        .into_iter()
        .zip(&reached)
        .filter_map(|(def, keep)| keep.then_some(def))
        .collect();
    api.renumber(&new_ids);
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
