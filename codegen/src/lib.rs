//! Turns OpenAPI 3.0/3.1 and Swagger 2.0 descriptions into Rust types for every operation:
//! models for the schemas and, per operation, `{Op}Responses` and `{Op}Errors` decoded by
//! HTTP status.
//!
//! One call does everything: [`generate`] reads the description, writes (or checks) the
//! crate, and returns what it did, with every warning; on bad input it returns every
//! problem found, each naming its file and JSON pointer, and changes nothing.
//!
//! ```no_run
//! // In your project's xtask: regenerate `api-types/` from `api.yaml`.
//! let generated = codegen::generate(
//!     &codegen::Config::spec("api.yaml").out("api-types").name("api-types"),
//! )?;
//! for change in &generated.changes {
//!     println!("{change:?}");
//! }
//! eprint!("{}", generated.warnings.summary(3));
//! # Ok::<(), codegen::Diagnostics>(())
//! ```
//!
//! What the description does not say about the crate — a schema that is the user's own
//! type, extra derives, the date library, names, groups, overlays that patch the
//! description — the [`Settings`] say: built in code ([`Config::settings`]) or read from
//! a TOML file ([`Config::settings_file`]; `docs/settings.md` lists its keys).
//!
//! The stages read top to bottom in [`generate`], each a module that uses only the
//! modules before it (`tests/pipeline.rs` checks it): `load` (parse, recognise the
//! version, find the files `$ref`s reach) → `lower` (into the plain-data [`model`], every
//! name claimed by `naming`) → `filter` (the operations asked for and the types they
//! reach) → `derives` (the derives and attributes the settings ask for, checked) → `emit`
//! (the crate's files, planned as tokens) → `format` (printed with `prettyplease`) →
//! `write` (atomic writes, or a check that changes nothing). `config` (the run's
//! options), `settings` (what the user says that the description does not),
//! `diagnostics`, `model`, `naming` and `markdown` (text shown verbatim in docs and
//! messages) are what every stage shares.

#![warn(missing_docs)]

mod config;
mod diagnostics;
mod markdown;
pub mod model;
mod naming;
pub mod settings;

mod derives;
mod emit;
mod filter;
mod format;
mod load;
mod lower;
mod write;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use config::{Config, Filter, Mode, Reach, Runtime, Source, MARKER};
pub use diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Severity};
pub use format::File;
pub use settings::Settings;
pub use write::Change;

use diagnostics::Result;
use emit::Described;
use model::Api;

/// What a successful run produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file of the output, relative to its root, sorted by path.
    pub files: Vec<File>,
    /// What the run wrote or removed (in [`Mode::Check`]: would write or remove);
    /// empty when the output is kept in memory or was already current.
    pub changes: Vec<Change>,
    /// What the generator guessed or dropped; see [`Diagnostics::summary`].
    pub warnings: Diagnostics,
    /// Where the run spent its time.
    pub timings: Timings,
    /// The lowered model of each description read, in order: for tools that want to
    /// know what a type or operation became.
    pub models: Vec<Api>,
}

/// Where a run spent its time, stage by stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading and parsing the files, and resolving which ones `$ref`s reach.
    pub load: Duration,
    /// Lowering into the model, and filtering.
    pub lower: Duration,
    /// Building tokens.
    pub emit: Duration,
    /// Parsing the tokens and printing them with `prettyplease`.
    pub format: Duration,
    /// Writing (or comparing) the files.
    pub write: Duration,
}

/// Runs the generator as `config` says: reads, lowers, filters, emits, formats and
/// writes (or checks) the output. Fails with every problem found, errors and warnings,
/// when one of them is an error (or a warning, if [`Config::deny_warnings`]); a failed
/// run changes nothing on disk. It never panics: a fault of the generator itself is an
/// error of kind [`DiagnosticKind::Internal`] naming the node it was working on.
pub fn generate(config: &Config) -> Result<Generated> {
    let mut timings = Timings::default();
    let mut diagnostics = Diagnostics::new();
    let settings = settings_of(config)?;
    let mut described = Vec::new();
    for description in load::descriptions(config)? {
        let read = diagnostics::guard(&description.path, || {
            read(
                config,
                &settings,
                &description,
                &mut timings,
                &mut diagnostics,
            )
        });
        if let Some((api, derived)) = diagnostics.absorb(read) {
            described.push(Described {
                api,
                path: description.path,
                shown: description.shown,
                derived,
            });
        }
    }
    let (described, warnings) = diagnostics.finish(described)?;
    if config.deny_warnings && !warnings.is_empty() {
        return Err(denied(warnings));
    }
    let files = diagnostics::guard(config.source.path(), || {
        let planned = emit::plan(config, &settings, &described)?;
        let (files, cost) = format::format(planned)?;
        timings.emit += cost.emit;
        timings.format += cost.format;
        Ok(files)
    })?;
    let start = Instant::now();
    let changes = match &config.out {
        Some(out) => diagnostics::guard(out, || write::sync(out, &files, config.mode))?,
        None => Vec::new(),
    };
    timings.write = start.elapsed();
    Ok(Generated {
        files,
        changes,
        warnings,
        timings,
        models: described.into_iter().map(|d| d.api).collect(),
    })
}

/// The settings of the run: those of its settings file, if it names one, else those
/// built in code. They shape one standalone crate, not the workspace's crate of many
/// descriptions.
fn settings_of(config: &Config) -> Result<Settings> {
    if let config::Source::Workspace { root } = &config.source {
        if config.settings_file.is_some() || !config.settings.is_default() {
            return Err(Diagnostic::error(
                DiagnosticKind::Settings,
                config.settings_file.as_deref().unwrap_or(root),
                "",
                "generation settings apply to a standalone crate (`--spec`), not to the workspace's crate",
            )
            .into());
        }
    }
    match &config.settings_file {
        Some(file) => Settings::read(file),
        None => {
            config.settings.check()?;
            Ok(config.settings.clone())
        }
    }
}

/// Loads (with the settings' overlays), lowers and filters one description, and resolves
/// the derives its settings ask for, pushing its warnings.
fn read(
    config: &Config,
    settings: &Settings,
    description: &load::Description,
    timings: &mut Timings,
    diagnostics: &mut Diagnostics,
) -> Result<(model::Api, derives::Derived)> {
    let start = Instant::now();
    let base = settings.base(&description.path);
    let overlays: Vec<PathBuf> = settings.overlays.iter().map(|o| base.join(o)).collect();
    let document = match &description.text {
        Some(text) => {
            load::Document::parse_reaching(&description.path, text, config.reach, &overlays)?
        }
        None => load::Document::load_reaching(&description.path, config.reach, &overlays)?,
    };
    let loaded = Instant::now();
    timings.load += loaded - start;
    let (api, warnings) = lower::lower(&document, settings)?;
    diagnostics.extend(warnings);
    let api = filter::filter(api, &config.filter, &description.path)?;
    let derived = derives::derives(&api, settings)?;
    timings.lower += loaded.elapsed();
    Ok((api, derived))
}

/// The warnings of a run that denies them, with one error that says so.
fn denied(warnings: Diagnostics) -> Diagnostics {
    let count = warnings.len();
    let mut all = warnings;
    all.push(Diagnostic::run_error(
        DiagnosticKind::Option,
        format!("{count} warning(s), and warnings are denied: nothing was written"),
    ));
    all
}
