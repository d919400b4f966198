//! Interrupting a run at any point leaves the output exactly as it was, or exactly as the
//! run meant to leave it: a write that fails part way changes nothing, and a process
//! killed with SIGKILL at any moment while it rewrites a standalone crate leaves, in
//! `src/`, either the old tree or the new one, never a mix of the two, and a `Cargo.toml`
//! that is the old one or the new one.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codegen::{Change, Config, DiagnosticKind, File};

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

/// The standalone crate `api` of `spec`, written to `out`.
fn write(spec: &str, out: &Path) -> codegen::Generated {
    codegen::generate(&Config::spec(spec).out(out).name("api"))
        .unwrap_or_else(|problems| panic!("{spec}:\n{problems}"))
}

/// The files of that crate, in memory.
fn files(spec: &str) -> Vec<File> {
    codegen::generate(&Config::spec(spec).name("api"))
        .unwrap_or_else(|problems| panic!("{spec}:\n{problems}"))
        .files
}

const MODELS: &str = "tests/fixtures/models.yaml";
const BODIES: &str = "tests/fixtures/bodies.yaml";

/// A file under `dir` whose path is just short enough for the system (`PATH_MAX`, 4,096
/// bytes with its NUL): the same file staged beside `dir`, under the longer name of the
/// staging directory, is not.
fn file_too_deep_to_stage(dir: &Path) -> PathBuf {
    const PATH_MAX: usize = 4096;
    let mut path = dir.to_path_buf();
    // Leave room for the last component, `f`, and for fewer bytes than the staging
    // name (`.codegen-src-PID`) adds to `src`.
    while path.as_os_str().len() + 1 + 200 < PATH_MAX - 8 {
        path.push("d".repeat(200));
    }
    let rest = PATH_MAX - 8 - path.as_os_str().len() - 1;
    path.push("d".repeat(rest));
    std::fs::create_dir_all(&path).unwrap();
    let file = path.join("f");
    std::fs::write(&file, "not generated, kept\n").unwrap();
    assert!(file.as_os_str().len() < PATH_MAX);
    file
}

#[test]
fn a_write_that_fails_part_way_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("out");
    write(MODELS, &root);
    std::fs::write(root.join("src/notes.md"), "not generated, kept\n").unwrap();
    // The new `src/` is written in full beside the old, our files first, then the
    // others are copied in: copying this one fails, after the generated files were
    // staged.
    file_too_deep_to_stage(&root.join("src"));
    let before = tree(&root);

    let problems = codegen::generate(&Config::spec(BODIES).out(&root).name("api"))
        .expect_err("a path the system refuses was written");
    let message = problems.to_string();
    let [problem] = &problems.iter().collect::<Vec<_>>()[..] else {
        panic!("one diagnostic expected: {message}");
    };
    assert_eq!(problem.kind, DiagnosticKind::Io, "{message}");
    assert!(
        problem.file.as_ref().is_some_and(|f| f.starts_with(&root)) && message.contains("ddd"),
        "the error names the file: {message}"
    );
    assert_eq!(tree(&root), before, "a failed write changed the output");
    let leftovers = staged(&root);
    assert!(
        leftovers.is_empty(),
        "staged files left behind: {leftovers:?}"
    );
}

#[test]
fn files_we_did_not_generate_are_kept_and_stale_ones_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(MODELS, root);
    std::fs::write(root.join("src/extra.rs"), "// hand-written\n").unwrap();
    // What an earlier run generated and this one does not: it starts with the marker.
    let stale = format!("{}: an older file\n", codegen::MARKER);
    std::fs::write(root.join("src/old.rs"), stale).unwrap();
    let generated = write(MODELS, root);
    assert_eq!(generated.changes, [Change::Removed("src/old.rs".into())]);
    let mut want = expected(&generated.files);
    want.insert("src/extra.rs".into(), b"// hand-written\n".to_vec());
    assert_eq!(tree(root), want);
}

#[test]
fn a_run_with_nothing_to_change_still_removes_what_killed_runs_staged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files = write(MODELS, root).files;
    // What a run killed after staging leaves when the tree it saw was already current.
    std::fs::create_dir(root.join(".codegen-src-4242")).unwrap();
    std::fs::write(root.join(".codegen-src-4242/lib.rs"), "partial").unwrap();
    std::fs::write(root.join(".codegen-Cargo.toml-4242"), "partial").unwrap();
    assert_eq!(write(MODELS, root).changes, []);
    let leftovers = staged(root);
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert_eq!(tree(root), expected(&files));
}

// ---------------------------------------------------------------------------------------
// SIGKILL at any moment

/// How many times a child is killed.
const KILLS: u32 = 40;

/// The two crates: the child writes the second over the first. Small descriptions, so
/// that writing is a good part of a run, and different in every file (`Cargo.toml` and
/// the runtime's headers name their description).
const A: &str = "../specs/camunda-users.yaml";
const B: &str = "../specs/elastic-users.json";

const CHILD: &str = "CODEGEN_INTERRUPT_CHILD";

/// The child: warms up, says `ready`, and on a line of its standard input writes B over
/// A in `root`, as `cargo xtask codegen --spec` does; then it says `done` and waits to be
/// killed (or, if the parent is gone and its input closed, ends).
fn child(root: &Path) -> ! {
    use std::io::Write;
    // The first run of a process is slower (lazy statics, first page faults): not this one.
    files(B);
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut stdin = std::io::stdin().lock();
    let mut go = String::new();
    stdin.read_line(&mut go).unwrap();
    write(B, root);
    println!("done");
    std::io::stdout().flush().unwrap();
    let _ = std::io::copy(&mut stdin, &mut std::io::sink());
    std::process::exit(0)
}

/// How a killed run left the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Left {
    Old,
    New,
    /// `src/` new and `Cargo.toml` old: the run was killed between the two renames
    /// (`Cargo.toml` is renamed into place right after `src/`).
    NewSourcesOldManifest,
}

/// The state `now` is, for a kill in a run that was writing `new` over `old`; panics
/// with what is wrong when it is none of the allowed ones.
fn classify(
    now: &BTreeMap<PathBuf, Vec<u8>>,
    old: &BTreeMap<PathBuf, Vec<u8>>,
    new: &BTreeMap<PathBuf, Vec<u8>>,
    kill: u32,
) -> Left {
    if now == old {
        return Left::Old;
    }
    if now == new {
        return Left::New;
    }
    let manifest = Path::new("Cargo.toml");
    let sources = |tree: &BTreeMap<PathBuf, Vec<u8>>| -> BTreeMap<PathBuf, Vec<u8>> {
        tree.iter()
            .filter(|(path, _)| path.as_path() != manifest)
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect()
    };
    if sources(now) == sources(new) && now.get(manifest) == old.get(manifest) {
        return Left::NewSourcesOldManifest;
    }
    let unexpected: Vec<_> = now
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes) && new.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    let missing: Vec<_> = old.keys().filter(|path| !now.contains_key(*path)).collect();
    panic!(
        "kill {kill} left a crate that is neither the old nor the new one: {} files, \
         unexpected: {unexpected:?}, missing: {missing:?}",
        now.len()
    );
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_tree_or_the_new() {
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;

    if let Some(root) = std::env::var_os(CHILD) {
        child(Path::new(&root));
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("out");
    let (want_a, want_b) = (expected(&files(A)), expected(&files(B)));
    assert!(
        want_a
            .iter()
            .all(|(path, bytes)| want_b.get(path) != Some(bytes)),
        "the two crates share a file: a kill could not tell them apart there"
    );

    // How long a run takes here, and its write: where the kills should land.
    let mut run = Duration::ZERO;
    let mut writing = Duration::ZERO;
    for _ in 0..3 {
        write(A, &root);
        let start = Instant::now();
        let generated = write(B, &root);
        run += start.elapsed() / 3;
        writing += generated.timings.write / 3;
    }
    // A staircase: a kill that left the old crate came too early, so the next one
    // comes a step later; one that left the new crate, a step earlier. The moments
    // gather where the old tree is exchanged for the new, whatever the machine's load,
    // and each kill lands up to half a write before or after, spread evenly over them.
    // Steps double while the kills keep landing on one side (the child may run slower
    // than this process did), and fall back once they cross.
    let step = (writing / 4).max(run / 80).max(Duration::from_millis(1));
    let mut moment = run.saturating_sub(writing);
    let mut streak: (Option<bool>, u32) = (None, 0);

    let exe = std::env::current_exe().unwrap();
    let mut seen: BTreeMap<Left, u32> = BTreeMap::new();
    let mut finished = 0;
    for kill in 0..KILLS {
        write(A, &root);
        assert_eq!(tree(&root), want_a);
        let mut child = Command::new(&exe)
            .args([
                "a_run_killed_at_any_moment_leaves_the_old_tree_or_the_new",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut stderr = child.stderr.take().unwrap();
        let mut line = String::new();
        // (The test harness prints `test NAME ... ` before the child's first line.)
        while !line.ends_with("ready\n") {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                let mut text = String::new();
                stderr.read_to_string(&mut text).unwrap();
                panic!("kill {kill}: the child ended before it was ready:\n{text}");
            }
        }
        stdin.write_all(b"go\n").unwrap();
        let spread = f64::from((kill * 7919) % KILLS) / f64::from(KILLS) - 0.5;
        let at = if spread < 0.0 {
            moment.saturating_sub(writing.mul_f64(-spread))
        } else {
            moment + writing.mul_f64(spread)
        };
        std::thread::sleep(at);
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        let mut errors = String::new();
        stderr.read_to_string(&mut errors).unwrap();
        assert!(
            status.signal() == Some(9) && !errors.contains("panicked"),
            "kill {kill}: the child did not die of the kill ({status}):\n{errors}"
        );
        let left = classify(&tree(&root), &want_a, &want_b, kill);
        if rest.contains("done") {
            assert_eq!(left, Left::New, "kill {kill}: a finished run left {left:?}");
            finished += 1;
        }
        *seen.entry(left).or_insert(0) += 1;
        let early = left == Left::Old;
        streak = match streak {
            (Some(side), count) if side == early => (Some(side), count + 1),
            _ => (Some(early), 0),
        };
        let this_step = step * 2u32.pow((streak.1 / 2).min(6));
        moment = if early {
            moment + this_step
        } else {
            moment.saturating_sub(this_step)
        };
        // The next run repairs whatever the kill left.
        write(A, &root);
        assert_eq!(
            tree(&root),
            want_a,
            "kill {kill}: the next run did not repair it"
        );
    }
    println!(
        "{KILLS} kills, a run in {run:?} of which writing {writing:?}, steps of {step:?}: \
         {seen:?}, {finished} after the run had finished"
    );
    assert!(
        seen.contains_key(&Left::Old) && seen.len() > 1,
        "the kills all landed on one side of the exchange: {seen:?}"
    );
    // What the killed runs staged is gone after the next run.
    let leftovers = staged(&root);
    assert!(
        leftovers.is_empty(),
        "a run did not remove what killed runs staged: {leftovers:?}"
    );
}
