//! Which descriptions a run reads: the one it names, or every description in a project's
//! `specs/`, each with the path headers show it by.

use std::path::{Path, PathBuf};

use crate::config::{Config, Source};
use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};

/// A description to read: where it is, how headers show it, and its text when the
/// caller holds it in memory.
pub struct Description {
    pub path: PathBuf,
    pub shown: String,
    pub text: Option<String>,
}

/// The descriptions `config` asks to read.
pub fn descriptions(config: &Config) -> Result<Vec<Description>> {
    Ok(match &config.source {
        Source::Spec { path, .. } => vec![Description {
            path: path.clone(),
            shown: path.display().to_string(),
            text: None,
        }],
        Source::Text { path, text, .. } => vec![Description {
            path: path.clone(),
            shown: path.display().to_string(),
            text: Some(text.clone()),
        }],
        Source::Workspace { root } => {
            if !config.filter.is_empty() {
                return Err(Diagnostic::error(
                    DiagnosticKind::Option,
                    root,
                    "",
                    "a filter applies to one description (`--spec`), not to a workspace",
                )
                .into());
            }
            workspace_specs(root)?
        }
    })
}

/// The descriptions in `root/specs/`, sorted, each with the path its headers show.
fn workspace_specs(root: &Path) -> Result<Vec<Description>> {
    let dir = root.join("specs");
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            DiagnosticKind::Io,
            &dir,
            "",
            format!("cannot list the descriptions: {e}"),
        ))
    })?;
    let mut specs: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    Ok(specs
        .into_iter()
        .map(|path| {
            let shown = format!(
                "specs/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            Description {
                path,
                shown,
                text: None,
            }
        })
        .collect())
}
