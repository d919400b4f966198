//! Lowering: a loaded [`Document`] of any supported version becomes one [`Api`]. This
//! module owns the walk over paths and webhooks; `operation` lowers one operation with
//! its parameters and body, `responses` its responses, `schema` the types, and `keywords`
//! reads single schema nodes. Every name is claimed here, in the namespace of the module
//! it will live in, so emission only reads names.

mod body;
mod context;
mod cycles;
mod keywords;
mod operation;
mod responses;
mod schema;
mod servers;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use crate::load::{child, Document};
use crate::model::{Api, Group, Operation};
use crate::naming::{feature_name, Namespace};
use crate::settings::{toml_key, Grouping, Settings};
use context::Operations;
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
    let (types, renumbered) = schemas.finish(&mut diagnostics);
    for op in operations.iter_mut().chain(&mut webhooks) {
        for ty in op.types_mut() {
            ty.renumber(&renumbered);
        }
    }
    let settings_file = settings.shown_file();
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
            Kind::Settings,
            &settings_file,
            &key,
            message,
        ));
    }
    let groups = group(
        &mut operations,
        &mut webhooks,
        settings,
        &settings_file,
        &mut diagnostics,
    );
    let (title, api_version, description) = info(doc, &mut diagnostics);
    let api = Api {
        title,
        api_version,
        description,
        types,
        operations,
        webhooks,
        servers: servers::servers(doc, &mut diagnostics),
        security_schemes,
        groups,
    };
    diagnostics.finish(api)
}

/// Puts each operation in a group: by default its first tag, or, for an operation
/// without tags, the first segment of its path that is not a version (`customers` of
/// `/v1/customers/{id}`), as Stripe's description has no tags; the settings may group by
/// path alone, or not at all, and rename groups. Each group gets a feature name.
fn group(
    operations: &mut [Operation],
    webhooks: &mut [Operation],
    settings: &Settings,
    settings_file: &std::path::Path,
    diagnostics: &mut Diagnostics,
) -> Vec<Group> {
    let mut features = Namespace::with(&["default", "full", "client", "blocking"]);
    let mut groups: Vec<(String, Group)> = Vec::new();
    let renames = &settings.rename.groups;
    let mut renamed = std::collections::BTreeSet::new();
    for op in operations.iter_mut().chain(webhooks) {
        let tag = match settings.groups {
            Grouping::Tags => op.tags.first(),
            Grouping::Paths | Grouping::Off => None,
        };
        let key = match (settings.groups, tag) {
            (Grouping::Off, _) => "all".to_owned(),
            (_, Some(tag)) => tag.clone(),
            (_, None) => first_segment(&op.path),
        };
        op.group = match groups.iter().find(|(k, _)| *k == key) {
            Some((_, group)) => group.feature.clone(),
            None => {
                let natural = feature_name(&key);
                let wanted = match renames.get(&key).or_else(|| renames.get(&natural)) {
                    Some(new) => {
                        renamed.insert(if renames.contains_key(&key) {
                            key.clone()
                        } else {
                            natural
                        });
                        feature_name(new)
                    }
                    None => natural,
                };
                let feature = features.claim(wanted);
                let doc = match (settings.groups, tag) {
                    (Grouping::Off, _) => "Every operation.".to_owned(),
                    (_, Some(tag)) => format!("The operations tagged `{tag}`."),
                    (_, None) => format!("The operations under `/{key}`."),
                };
                groups.push((
                    key,
                    Group {
                        feature: feature.clone(),
                        doc,
                    },
                ));
                feature
            }
        };
    }
    for key in renames.keys().filter(|key| !renamed.contains(*key)) {
        let known: Vec<&str> = groups.iter().map(|(key, _)| key.as_str()).collect();
        diagnostics.push(Diagnostic::error(
            Kind::Settings,
            settings_file,
            &format!("rename.groups.{}", toml_key(key)),
            format!(
                "no group is called `{key}`; the groups are: {}",
                known.join(", ")
            ),
        ));
    }
    // One group is no choice: no features.
    if settings.groups == Grouping::Off {
        return Vec::new();
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// The first segment of `path` that names something: not empty, not a `{parameter}`,
/// not a version (`v1`, `v2beta1`) or `api`.
fn first_segment(path: &str) -> String {
    let is_version = |segment: &str| {
        let rest = segment.strip_prefix('v').unwrap_or("");
        rest.starts_with(|c: char| c.is_ascii_digit())
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version(s) && *s != "api")
        .unwrap_or("default")
        .to_owned()
}

/// Title, version and description from `info`; a field of the wrong type is dropped,
/// with a warning.
fn info(doc: &Document, diagnostics: &mut Diagnostics) -> (String, String, Option<String>) {
    let info = doc.root.get("info");
    if info.is_some_and(|info| !info.is_object()) {
        diagnostics.push(doc.warning(Kind::Structure, "#/info", "`info` must be an object"));
    }
    let mut text = |key: &str| match info.and_then(|info| info.get(key)) {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            diagnostics.push(doc.warning(
                Kind::IgnoredKeyword,
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
