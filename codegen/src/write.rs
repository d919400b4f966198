//! Writing: files go to disk atomically and only when changed. Every changed file is first
//! written in full to a temporary file beside its target; only when all are staged are
//! they renamed into place, so a run that fails leaves the output as it was. Files we
//! generated before that are no longer produced are removed. In check mode nothing is
//! written: the differences are reported instead.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::{File, MARKER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Change nothing; report what `Write` would change.
    Check,
}

/// What a run changed (or, in check mode, would change), relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Written(PathBuf),
    Removed(PathBuf),
}

/// Brings `root` to hold exactly `files`. Generated files under `managed` (relative to
/// `root`) that are not among `files` are stale and removed.
pub fn sync(root: &Path, files: &[File], managed: &[&Path], mode: Mode) -> Result<Vec<Change>> {
    let io_error = |path: &Path, what: &str, error: std::io::Error| {
        Error::one(path, "", format!("cannot {what}: {error}"))
    };
    let mut changes = Vec::new();
    let mut changed_files = Vec::new();
    for file in files {
        let target = root.join(&file.path);
        let current = std::fs::read(&target).ok();
        if current.as_deref() != Some(file.contents.as_bytes()) {
            changes.push(Change::Written(file.path.clone()));
            changed_files.push((target, file));
        }
    }
    let mut stale = Vec::new();
    for dir in managed {
        for path in generated_files(&root.join(dir)) {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !files.iter().any(|f| f.path == relative) {
                changes.push(Change::Removed(relative));
                stale.push(path);
            }
        }
    }
    if mode == Mode::Check {
        return Ok(changes);
    }

    let mut staged = Vec::with_capacity(changed_files.len());
    for (target, file) in &changed_files {
        let dir = target.parent().unwrap_or(root);
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the directory", e))?;
        let mut temp = tempfile::Builder::new()
            .prefix(".codegen-")
            .tempfile_in(dir)
            .map_err(|e| io_error(dir, "create a temporary file", e))?;
        use std::io::Write;
        temp.write_all(file.contents.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| io_error(temp.path(), "write", e))?;
        staged.push((temp, target));
    }
    for (temp, target) in staged {
        temp.persist(target)
            .map_err(|e| io_error(target, "replace the file", e.error))?;
    }
    for path in stale {
        std::fs::remove_file(&path).map_err(|e| io_error(&path, "remove the stale file", e))?;
    }
    Ok(changes)
}

/// Files under `dir` whose first line says we generated them, sorted.
fn generated_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|text| text.starts_with(MARKER)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
