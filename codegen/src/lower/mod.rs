//! Lowering: a loaded [`Document`] of any supported version becomes one [`Api`]. This
//! module owns the walk over paths and webhooks; `operation` lowers one operation with
//! its parameters and body, `responses` its responses, `schema` the types, and `keywords`
//! reads single schema nodes; `shared` names again the types several operations share;
//! `pagination` recognises pages and `declared_pages` takes those the settings declare.
//! Every name is claimed here, in the namespace of the module it will live in, so
//! emission only reads names.

mod body;
mod cycles;
mod declared_pages;
mod groups;
mod keywords;
mod operation;
mod operations;
mod pagination;
mod responses;
mod retries;
mod rules;
mod schema;
mod servers;
mod shared;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::load::{child, Document};
use crate::model::Api;
use crate::settings::{toml_key, Settings};
use operations::Operations;
use schema::Schemas;

/// Lowers the whole description as `settings` say, reporting every problem found, not
/// just the first: the model and the warnings, or every problem when one of them is an
/// error.
pub fn lower(doc: &Document, settings: &Settings) -> Result<(Api, Diagnostics)> {
    let mut diagnostics = Diagnostics::new();
    let mut schemas = Schemas::new(doc, settings);
    schemas.define_components(&mut diagnostics);
    let security_schemes = servers::security_schemes(doc, &mut diagnostics);
    let mut lowering = Operations::new(doc, &mut schemas, &security_schemes);
    let mut operations = lowering.path_items("paths", &mut diagnostics);
    let mut webhooks = lowering.path_items("webhooks", &mut diagnostics);
    let ids = std::mem::take(&mut lowering.ids);
    let mut finished = schemas.finish(&mut diagnostics);
    for op in operations.iter_mut().chain(&mut webhooks) {
        for ty in op.types_mut() {
            ty.renumber(&finished.renumbered);
        }
    }
    shared::rename(
        doc,
        &mut finished.types,
        &mut operations,
        &webhooks,
        &mut finished.names,
        &finished.origins,
        &finished.places,
    );
    let types = finished.types;
    let settings_file = settings.shown_file();
    unknown_operations(settings, &ids, &settings_file, &mut diagnostics);
    let groups = groups::group(
        &mut operations,
        &mut webhooks,
        settings,
        &settings_file,
        &mut diagnostics,
    );
    let (title, api_version, description) = info(doc, &mut diagnostics);
    let mut api = Api {
        title,
        api_version,
        description,
        types,
        operations,
        webhooks,
        servers: servers::servers(doc, &mut diagnostics),
        security_schemes,
        groups,
        rules: Default::default(),
    };
    pagination::recognise(doc, &mut api, &mut diagnostics);
    declared_pages::declare(&mut api, settings, &ids, &mut diagnostics);
    api.rules = rules::rules(doc, &api);
    diagnostics.finish(api)
}

/// Errors for the operations the settings skip or rename that the description does not
/// have: a setting that no longer applies says so.
fn unknown_operations(
    settings: &Settings,
    ids: &BTreeSet<String>,
    settings_file: &Path,
    diagnostics: &mut Diagnostics,
) {
    let unknown_ids = settings
        .skip
        .operations
        .iter()
        .map(|id| ("skip.operations", id))
        .chain(
            settings
                .rename
                .operations
                .keys()
                .map(|id| ("rename.operations", id)),
        )
        .filter(|(_, id)| !ids.contains(*id));
    for (table, id) in unknown_ids {
        let mut message = format!("no operation has the operationId `{id}`");
        if let Some(close) = ids.iter().find(|known| known.eq_ignore_ascii_case(id)) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        // A list's entry is named by the message; a table's key is part of the path.
        let key = match table {
            "skip.operations" => table.to_owned(),
            _ => format!("{table}.{}", toml_key(id)),
        };
        diagnostics.push(Diagnostic::error(
            DiagnosticKind::Settings,
            settings_file,
            &key,
            message,
        ));
    }
}

/// Title, version and description from `info`; a field of the wrong type is dropped,
/// with a warning.
fn info(doc: &Document, diagnostics: &mut Diagnostics) -> (String, String, Option<String>) {
    let info = doc.root.get("info");
    if info.is_some_and(|info| !info.is_object()) {
        diagnostics.push(doc.warning(
            DiagnosticKind::Structure,
            "#/info",
            "`info` must be an object",
        ));
    }
    let mut text = |key: &str| match info.and_then(|info| info.get(key)) {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            diagnostics.push(doc.warning(
                DiagnosticKind::IgnoredKeyword,
                &child("#/info", key),
                format!("`{key}` must be a string, not {other}; it is ignored"),
            ));
            None
        }
    };
    let title = text("title").unwrap_or_else(|| "API".to_owned());
    let version = text("version").unwrap_or_default();
    (title, version, text("description"))
}
