//! The docs of a generated crate and of each description's module: what the description
//! says of itself, the features (one per group of operations), and the generation
//! settings it was made with.

use super::docs::inner_doc_attrs;
use crate::model::Api;
use crate::settings::{Grouping, Scalars, Settings};

/// The doc of a description's module: its title, version and description, and what
/// each of its files holds.
pub(super) fn module_doc(api: &Api, source: &str) -> proc_macro2::TokenStream {
    let mut doc = format!("# {}", api.title);
    if !api.api_version.is_empty() {
        doc.push_str(&format!(" (version {})", api.api_version));
    }
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    let own = format!(
        "Generated from `{source}`: [`models`] holds the schemas' types, [`operations`] one\n\
         type per operation with its parameters and its responses by status, [`servers`]\n\
         the base URLs and [`auth`] the credentials requests may need."
    );
    inner_doc_attrs(&doc, &own)
}

/// The crate doc's list of features: one per group of operations.
pub(super) fn features_doc(api: &Api, features: &[String]) -> proc_macro2::TokenStream {
    let mut doc = String::from(
        "\n# Features\n\n\
         Each group of operations is a feature that compiles its operations and the types\n\
         they reach; `full`, the default, is all of them (and the types no operation\n\
         reaches). To compile only what you use, turn the default off and name groups:\n\
         `default-features = false, features = [\"…\"]`. Names do not depend on the features.\n\
         `client` adds `runtime::client` (reqwest), `blocking` its blocking version.\n\
         `server` adds each description's `server` and `rules` modules (an `axum` router\n\
         over the same types), `mock` its `mock` module answering from examples.\n\n",
    );
    for feature in features {
        let what = api
            .groups
            .iter()
            .find(|g| &g.feature == feature)
            .map_or(String::new(), |g| g.doc.clone());
        doc.push_str(&format!("- `{feature}`: {what}\n"));
    }
    inner_doc_attrs("", &doc)
}

/// The crate doc's list of the generation settings and overlays used, so a reader of the
/// crate knows what was asked beyond the description (and a changed setting changes the
/// crate, which `--check` then finds stale). Nothing for default settings.
pub(super) fn settings_doc(settings: &Settings) -> Option<proc_macro2::TokenStream> {
    if settings.is_default() {
        return None;
    }
    let mut doc = String::from("\n# Generation settings\n\n");
    match &settings.file {
        Some(file) => doc.push_str(&format!(
            "Generated with the settings of `{}`:\n\n",
            file.display().to_string().replace('\\', "/")
        )),
        None => doc.push_str("Generated with these settings:\n\n"),
    }
    for line in settings_lines(settings) {
        doc.push_str(&format!("- {line}\n"));
    }
    Some(inner_doc_attrs("", &doc))
}

/// The settings as the lines of the crate docs' list: each one that differs from the
/// default, in the file's words, so a reader of the crate knows what was asked.
fn settings_lines(settings: &Settings) -> Vec<String> {
    let mut lines = Vec::new();
    let list = |items: &[String]| {
        items
            .iter()
            .map(|item| format!("`{item}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for overlay in &settings.overlays {
        lines.push(format!("overlay `{}`", overlay.display()));
    }
    if settings.groups != Grouping::default() {
        lines.push(format!(
            "groups: `{}`",
            kebab(&format!("{:?}", settings.groups))
        ));
    }
    for (schema, replacement) in &settings.replace {
        let mut line = format!("`{schema}` is `{}`", replacement.path());
        if !replacement.implements().is_empty() {
            line.push_str(&format!(" (implements {})", list(replacement.implements())));
        }
        lines.push(line);
    }
    if !settings.models.derive.is_empty() {
        lines.push(format!(
            "every model derives {}",
            list(&settings.models.derive)
        ));
    }
    if !settings.models.attributes.is_empty() {
        lines.push(format!(
            "every model has {}",
            list(&settings.models.attributes)
        ));
    }
    for (schema, model) in &settings.models.schemas {
        if !model.derive.is_empty() {
            lines.push(format!("`{schema}` derives {}", list(&model.derive)));
        }
        if !model.attributes.is_empty() {
            lines.push(format!("`{schema}` has {}", list(&model.attributes)));
        }
    }
    let scalars = &settings.scalars;
    let defaults = Scalars::default();
    // Each choice beside its default, as their names (`Time`, `Chrono`).
    let pair = |chosen: &dyn std::fmt::Debug, default: &dyn std::fmt::Debug| {
        (format!("{chosen:?}"), format!("{default:?}"))
    };
    let scalar_lines = [
        ("date-time", pair(&scalars.date_time, &defaults.date_time)),
        ("date", pair(&scalars.date, &defaults.date)),
        ("unix-time", pair(&scalars.unix_time, &defaults.unix_time)),
        ("uuid", pair(&scalars.uuid, &defaults.uuid)),
        ("binary", pair(&scalars.binary, &defaults.binary)),
    ];
    for (format, (chosen, default)) in scalar_lines {
        if chosen != default {
            lines.push(format!("`format: {format}` as `{}`", kebab(&chosen)));
        }
    }
    for (format, ty) in &scalars.integers {
        lines.push(format!("integers of `format: {format}` as `{ty}`"));
    }
    for (what, renames) in [
        ("operation", &settings.rename.operations),
        ("schema", &settings.rename.schemas),
        ("group", &settings.rename.groups),
    ] {
        for (from, to) in renames {
            lines.push(format!("{what} `{from}` renamed `{to}`"));
        }
    }
    for (what, skipped) in [
        ("operation", &settings.skip.operations),
        ("schema", &settings.skip.schemas),
    ] {
        for name in skipped {
            lines.push(format!("{what} `{name}` skipped"));
        }
    }
    for (id, pages) in &settings.pagination {
        let mut how = Vec::new();
        for (key, members) in [
            ("items", &pages.items),
            ("next link", &pages.next_link),
            ("cursor", &pages.cursor),
            ("next cursor", &pages.next_cursor),
        ] {
            if let Some(members) = members {
                how.push(format!("{key} `{}`", members.shown()));
            }
        }
        if let Some(header) = &pages.next_header {
            how.push(format!("next header `{header}`"));
        }
        lines.push(format!("`{id}` comes in pages: {}", how.join(", ")));
    }
    for (name, dependency) in &settings.dependencies {
        lines.push(format!("depends on `{name} = {}`", dependency.inline()));
    }
    lines
}

/// `DateTime` as the file writes it, `date-time`.
fn kebab(debug: &str) -> String {
    let mut out = String::new();
    for (index, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::settings_lines;
    use crate::settings::Settings;

    #[test]
    fn a_chosen_scalar_is_listed_in_the_file_s_words() {
        let settings = Settings::parse(
            Path::new("api.codegen.toml"),
            "[scalars]\ndate-time = \"time\"\n",
        )
        .unwrap();
        assert!(settings_lines(&settings).contains(&"`format: date-time` as `time`".to_owned()));
    }

    #[test]
    fn a_declared_pagination_is_listed_in_the_file_s_words() {
        let settings = Settings::parse(
            Path::new("api.codegen.toml"),
            "[pagination.listPets]\nitems = \"data\"\ncursor = \"after\"\nnext-cursor = [\"paging\", \"next.after\"]\n",
        )
        .unwrap();
        assert!(settings_lines(&settings).contains(
            &"`listPets` comes in pages: items `data`, cursor `after`, next cursor `[\"paging\", \"next.after\"]`".to_owned()
        ));
    }
}
