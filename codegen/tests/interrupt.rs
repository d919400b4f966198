//! Interrupting a run at any point leaves the output exactly as it was, or exactly as the
//! run meant to leave it: a write that fails part way changes nothing, and a process
//! killed with SIGKILL at any moment while it rewrites a crate's `src/` leaves either the
//! old tree or the new one, never a mix of the two.
//!
//! Needs `../shared/specs/` beside the project (CI has it); fails, never skips, without it.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use codegen::{File, Mode};

/// Every file under `dir` and its bytes, except what a run stages (`.codegen-*`), which a
/// killed run may leave behind and the next removes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with(".codegen-") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// What runs staged in `root` and left there (`.codegen-*`).
fn staged(root: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|name| name.to_string_lossy().starts_with(".codegen-"))
        .collect()
}

/// The tree `files` make on their own.
fn expected(files: &[File]) -> BTreeMap<PathBuf, Vec<u8>> {
    files
        .iter()
        .map(|f| (f.path.clone(), f.contents.as_bytes().to_vec()))
        .collect()
}

/// A crate's `src/` only, as `generated/` is written: the shape whose every change is one
/// atomic step.
fn sources(spec: &Path, name: &str) -> Vec<File> {
    codegen::standalone_crate(spec, "spec", name)
        .unwrap()
        .into_iter()
        .filter(|f| f.path.starts_with("src"))
        .collect()
}

fn sync(root: &Path, files: &[File]) -> codegen::Result<Vec<codegen::Change>> {
    codegen::sync(root, files, &[Path::new("src")], Mode::Write)
}

#[test]
fn a_write_that_fails_part_way_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let old = sources(Path::new("tests/fixtures/models.yaml"), "models");
    sync(root, &old).unwrap();
    std::fs::write(root.join("src/notes.md"), "not generated, kept\n").unwrap();
    let before = tree(root);

    // The new crate, with one file whose name no file system takes: writing fails after
    // the files before it were written.
    let mut new = sources(Path::new("tests/fixtures/bodies.yaml"), "bodies");
    new.insert(
        new.len() / 2,
        File {
            path: Path::new("src").join(format!("{}.rs", "x".repeat(300))),
            contents: format!("{}\n", codegen::output::MARKER),
        },
    );
    let error = sync(root, &new).unwrap_err().to_string();
    assert!(
        error.contains("xxxx.rs"),
        "the error names the file: {error}"
    );
    assert_eq!(tree(root), before, "a failed write changed the output");
    let leftovers = staged(root);
    assert!(
        leftovers.is_empty(),
        "staged files left behind: {leftovers:?}"
    );
}

#[test]
fn files_we_did_not_generate_are_kept_and_stale_ones_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let old = sources(Path::new("tests/fixtures/models.yaml"), "models");
    sync(root, &old).unwrap();
    std::fs::write(root.join("src/extra.rs"), "// hand-written\n").unwrap();
    let mut new = old.clone();
    let dropped = new.pop().unwrap();
    let changes = sync(root, &new).unwrap();
    assert_eq!(changes, vec![codegen::Change::Removed(dropped.path)]);
    let mut want = expected(&new);
    want.insert("src/extra.rs".into(), b"// hand-written\n".to_vec());
    assert_eq!(tree(root), want);
}

#[test]
fn a_run_with_nothing_to_change_still_removes_what_killed_runs_staged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = sources(Path::new("tests/fixtures/models.yaml"), "models");
    sync(root, &files).unwrap();
    // What a run killed after staging leaves when the tree it saw was already current.
    std::fs::create_dir(root.join(".codegen-src-4242")).unwrap();
    std::fs::write(root.join(".codegen-src-4242/lib.rs"), "partial").unwrap();
    std::fs::write(root.join(".codegen-Cargo.toml-4242"), "partial").unwrap();
    assert_eq!(sync(root, &files).unwrap(), vec![]);
    let leftovers = staged(root);
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert_eq!(tree(root), expected(&files));
}

/// How many times the child is killed, at moments spread over its rewriting loop.
const KILLS: u32 = 40;

/// The files of a tree written earlier.
fn files_of(dir: &Path) -> Vec<File> {
    tree(dir)
        .into_iter()
        .map(|(path, bytes)| File {
            path,
            contents: String::from_utf8(bytes).unwrap(),
        })
        .collect()
}

/// The child: rewrites `root` from one crate to the other and back, as fast as it can,
/// until it is killed. It says when it starts, so the kills land in the rewriting.
fn rewrite_forever(root: &Path, a: &Path, b: &Path) -> ! {
    use std::io::Write;
    let (a, b) = (files_of(a), files_of(b));
    println!("rewriting");
    std::io::stdout().flush().unwrap();
    loop {
        sync(root, &a).unwrap();
        sync(root, &b).unwrap();
    }
}

const CHILD: &str = "CODEGEN_INTERRUPT_CHILD";

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_tree_or_the_new() {
    use std::io::BufRead;
    if let Some(paths) = std::env::var_os(CHILD) {
        let paths: Vec<PathBuf> = std::env::split_paths(&paths).collect();
        rewrite_forever(&paths[0], &paths[1], &paths[2]);
    }
    let dir = tempfile::tempdir().unwrap();
    let (root, crate_a, crate_b) = (
        dir.path().join("out"),
        dir.path().join("a"),
        dir.path().join("b"),
    );
    // Two large crates that differ in every file, so every moment of a rewrite matters.
    let a = sources(
        &support::shared_spec("camunda-orchestration-cluster.json"),
        "api",
    );
    let b = sources(
        &support::shared_spec("camunda-orchestration-cluster-8.8.yaml"),
        "api",
    );
    let (want_a, want_b) = (expected(&a), expected(&b));
    sync(&crate_a, &a).unwrap();
    sync(&crate_b, &b).unwrap();
    sync(&root, &a).unwrap();

    // How long one rewrite takes here, to spread the kills over a few of them.
    let start = Instant::now();
    sync(&root, &b).unwrap();
    sync(&root, &a).unwrap();
    let cycle = start.elapsed();

    let exe = std::env::current_exe().unwrap();
    let paths = std::env::join_paths([&root, &crate_a, &crate_b]).unwrap();
    let mut seen = (0, 0);
    for kill in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "a_run_killed_at_any_moment_leaves_the_old_tree_or_the_new",
                "--exact",
                "--nocapture",
            ])
            .env(CHILD, &paths)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("rewriting") {
            line.clear();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "the child ended");
        }
        // Deterministic, uneven moments over the next three rewrites.
        let share = f64::from((kill * 7919) % KILLS) / f64::from(KILLS);
        std::thread::sleep(cycle.mul_f64(3.0 * share));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = tree(&root);
        if now == want_a {
            seen.0 += 1;
        } else if now == want_b {
            seen.1 += 1;
        } else {
            let mixed: Vec<_> = now
                .iter()
                .filter(|(path, bytes)| {
                    want_a.get(*path) != Some(*bytes) && want_b.get(*path) != Some(*bytes)
                })
                .map(|(path, _)| path)
                .collect();
            panic!(
                "kill {kill} left a tree that is neither crate: {} files, unexpected: {mixed:?}",
                now.len()
            );
        }
    }
    println!(
        "{KILLS} kills, one rewrite in {:?}: {} left the first crate, {} the second",
        cycle / 2,
        seen.0,
        seen.1
    );
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "the kills all landed on one side of the rewrites"
    );
    // The next run cleans up what the killed ones staged.
    sync(&root, &a).unwrap();
    let leftovers = staged(&root);
    assert!(
        leftovers.is_empty(),
        "a run did not remove what killed runs staged: {leftovers:?}"
    );
    assert_eq!(tree(&root), want_a);
}
