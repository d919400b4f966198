//! Writing: the output changes all at once or not at all. Each directory we manage (a
//! crate's `src/`) is built in full beside itself, then exchanged with it in one atomic
//! rename, so a run that fails or is killed at any point leaves the old tree or the new
//! one, never a mix. Files outside those directories (a standalone crate's `Cargo.toml`)
//! are staged alongside and each renamed into place after the trees. In check mode
//! nothing is written: the differences are reported instead.

use std::path::{Path, PathBuf};

use crate::config::Mode;
use crate::config::MARKER;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::format::File;

/// What a run changed (or, in check mode, would change), relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A file written anew or changed.
    Written(PathBuf),
    /// A file generated earlier that the run no longer produces.
    Removed(PathBuf),
}

/// Names of what a run stages in the root: hidden, and recognisably ours, so that what a
/// killed run left behind is removed by the next.
const STAGING_PREFIX: &str = ".codegen-";

/// The directory of a crate that a run owns: generated files in it that are no longer
/// generated are removed (files we did not generate are kept).
const MANAGED: &[&str] = &["src"];

/// Brings `root` to hold exactly `files`. Generated files under `src/` that are not
/// among `files` are stale and removed; files there that we did not generate are kept.
pub(crate) fn sync(root: &Path, files: &[File], mode: Mode) -> Result<Vec<Change>> {
    let managed: Vec<&Path> = MANAGED.iter().map(Path::new).collect();
    let managed = &managed[..];
    let changes = changes(root, files, managed);
    if mode == Mode::Check {
        return Ok(changes);
    }
    // Even a run with nothing to change clears what killed runs staged: their debris
    // must not outlive the next run just because the tree they left is already current.
    remove_leftovers(root);
    if changes.is_empty() {
        return Ok(changes);
    }
    std::fs::create_dir_all(root).map_err(|e| io_error(root, "create the directory", e))?;
    // Stage everything first, so that a failure while writing changes nothing.
    let mut staged_dirs = Vec::new();
    let mut staged_files = Vec::new();
    let result = stage(
        root,
        files,
        managed,
        &changes,
        &mut staged_dirs,
        &mut staged_files,
    )
    .and_then(|()| {
        for (staged, target) in &staged_dirs {
            if target.exists() {
                exchange(staged, target)?;
            } else {
                std::fs::rename(staged, target)
                    .map_err(|e| io_error(target, "move into place", e))?;
            }
        }
        for (staged, target) in &staged_files {
            std::fs::rename(staged, target).map_err(|e| io_error(target, "replace the file", e))?;
        }
        Ok(())
    });
    // After an exchange a staged directory holds the old tree; after a failure, the
    // partial new one. Either way it goes.
    for (staged, _) in &staged_dirs {
        let _ = std::fs::remove_dir_all(staged);
    }
    for (staged, _) in &staged_files {
        let _ = std::fs::remove_file(staged);
    }
    result.map(|()| changes)
}

/// Writes the new state beside the old: a full new tree for each managed directory with
/// a change, and each changed file outside them. Records (staged, target) pairs.
fn stage(
    root: &Path,
    files: &[File],
    managed: &[&Path],
    changes: &[Change],
    staged_dirs: &mut Vec<(PathBuf, PathBuf)>,
    staged_files: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    for dir in managed {
        let touched = changes.iter().any(|change| match change {
            Change::Written(path) | Change::Removed(path) => path.starts_with(dir),
        });
        if touched {
            let inside: Vec<&File> = files.iter().filter(|f| f.path.starts_with(dir)).collect();
            let (staged, target) = (staging_path(root, dir), root.join(dir));
            staged_dirs.push((staged.clone(), target.clone()));
            stage_dir(root, &target, &staged, &inside)?;
        }
    }
    let in_managed = |path: &Path| managed.iter().any(|dir| path.starts_with(dir));
    for file in files.iter().filter(|f| !in_managed(&f.path)) {
        if changes.contains(&Change::Written(file.path.clone())) {
            let target = root.join(&file.path);
            let dir = target.parent().unwrap_or(root);
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the directory", e))?;
            let staged = staging_path(root, &file.path);
            staged_files.push((staged.clone(), target));
            write_durably(&staged, file.contents.as_bytes())?;
        }
    }
    Ok(())
}

/// The files that differ from `files`, then the generated files under `managed` that
/// are no longer produced.
fn changes(root: &Path, files: &[File], managed: &[&Path]) -> Vec<Change> {
    let mut changes: Vec<Change> = files
        .iter()
        .filter(|file| {
            std::fs::read(root.join(&file.path)).ok().as_deref() != Some(file.contents.as_bytes())
        })
        .map(|file| Change::Written(file.path.clone()))
        .collect();
    for dir in managed {
        let (generated, _) = existing_files(&root.join(dir));
        for path in generated {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !files.iter().any(|f| f.path == relative) {
                changes.push(Change::Removed(relative));
            }
        }
    }
    changes
}

fn io_error(path: &Path, what: &str, error: std::io::Error) -> Diagnostics {
    Diagnostic::error(
        DiagnosticKind::Io,
        path,
        "",
        format!("cannot {what}: {error}"),
    )
    .into()
}

/// A path in `root` for staging `what`, unique to this process.
fn staging_path(root: &Path, what: &Path) -> PathBuf {
    let what = what.to_string_lossy().replace(['/', '\\'], "-");
    root.join(format!("{STAGING_PREFIX}{what}-{}", std::process::id()))
}

/// Removes what runs that were killed left staged in `root`. Best effort: a leftover we
/// cannot remove is only clutter.
fn remove_leftovers(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(STAGING_PREFIX)
        {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// Writes `contents` to `path` and flushes it to disk, so that a rename after it never
/// exposes a file whose data is not there yet.
fn write_durably(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path).map_err(|e| io_error(path, "create the file", e))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(path, "write", e))
}

/// Writes the new tree at `staged`: `files` and the files of `target` that are not ours.
fn stage_dir(root: &Path, target: &Path, staged: &Path, files: &[&File]) -> Result<()> {
    std::fs::create_dir_all(staged).map_err(|e| io_error(staged, "create the directory", e))?;
    if let Ok(metadata) = std::fs::metadata(target) {
        let _ = std::fs::set_permissions(staged, metadata.permissions());
    }
    let dir = target.strip_prefix(root).unwrap_or(target);
    for file in files {
        let relative = file.path.strip_prefix(dir).unwrap_or(&file.path);
        let path = staged.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "create the directory", e))?;
        }
        write_durably(&path, file.contents.as_bytes())?;
    }
    let (_, theirs) = existing_files(target);
    for path in theirs {
        let relative = path.strip_prefix(target).unwrap_or(&path);
        let copy = staged.join(relative);
        if copy.exists() {
            continue; // We generate a file of that name now; ours replaces it.
        }
        if let Some(parent) = copy.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "create the directory", e))?;
        }
        std::fs::copy(&path, &copy).map_err(|e| io_error(&path, "keep the file", e))?;
    }
    Ok(())
}

/// Swaps `staged` and `target` in one step where the system can (Linux's
/// `RENAME_EXCHANGE`); elsewhere the old tree is moved aside first, which leaves a short
/// window in which `target` is missing, but never a mix of old and new.
fn exchange(staged: &Path, target: &Path) -> Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without the flag: fall back to two renames.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(error) => return Err(io_error(target, "swap in the new tree", error.into())),
        }
    }
    let aside = staged.with_extension("old");
    std::fs::rename(target, &aside).map_err(|e| io_error(target, "move the old tree aside", e))?;
    if let Err(error) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(io_error(target, "move into place", error));
    }
    // Leave the old tree where `replace_dir` removes it.
    std::fs::rename(&aside, staged).map_err(|e| io_error(&aside, "remove the old tree", e))
}

/// Files under `dir`, sorted: those whose first line says we generated them, and the
/// others.
fn existing_files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut generated, mut theirs) = (Vec::new(), Vec::new());
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(kind) if kind.is_file() => {
                    let ours =
                        std::fs::read(&path).is_ok_and(|text| text.starts_with(MARKER.as_bytes()));
                    if ours { &mut generated } else { &mut theirs }.push(path);
                }
                _ => {}
            }
        }
    }
    generated.sort();
    theirs.sort();
    (generated, theirs)
}
