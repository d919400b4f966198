//! What the test binaries share: where things are, which fixtures there are, how a
//! generated crate is written, and the check that it builds (`cargo clippy` and
//! `cargo doc`, warnings denied, dependencies built once).
//!
//! Every crate here is made by `codegen::generate`, the library's one entry point, so the
//! tests check what users get and never a copy of the generator.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A real description of `testdata/real/` (or, for `oas-examples/…`, of `testdata/`),
/// kept in the repository with its provenance (`testdata/README.md`).
pub fn real_spec(relative: &str) -> PathBuf {
    let dir = if relative.starts_with("oas-examples") {
        "testdata"
    } else {
        "testdata/real"
    };
    let path = workspace().join(dir).join(relative);
    assert!(path.exists(), "{} is missing", path.display());
    path
}

/// The four real descriptions in `testdata/real/`, by file name.
pub const REAL_SPECS: &[&str] = &[
    "camunda-orchestration-cluster.json",
    "camunda-orchestration-cluster-8.8.yaml",
    "elastic-cloud-enterprise.json",
    "elastic-cloud.json",
];

/// The fixtures that the snapshot and compile tests take, as a glob relative to
/// `codegen/tests/` (for `insta::glob!`) under the one convention of
/// `codegen/tests/fixtures/`:
///
/// - a `*.yaml` or `*.json` file at the top is a description of one feature that must
///   generate a crate that builds cleanly;
/// - a directory holding an `api.yaml` is one such description spread over several files
///   (`multi_file/`), `api.yaml` being its root;
/// - other directories hold descriptions that are not such fixtures, each read by its own
///   test: `invalid/` (errors, `errors.rs`), `warnings/` (warnings, `warnings.rs`),
///   `hostile/` (`hostile/`), `versions/` (one description in three formats,
///   `snapshots.rs` and `compile.rs`).
///
/// Adding a fixture is dropping a file (or a directory with an `api.yaml`) in there.
pub const FIXTURES_GLOB: &str = "fixtures/{*.yaml,*.json,*/api.yaml}";

/// The fixtures [`FIXTURES_GLOB`] takes, sorted, as paths relative to `codegen/`
/// (`tests/fixtures/models.yaml`), for tests that do not snapshot them.
pub fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if path.join("api.yaml").is_file() {
                found.push(Path::new("tests/fixtures").join(name).join("api.yaml"));
            }
        } else if name.ends_with(".yaml") || name.ends_with(".json") {
            found.push(Path::new("tests/fixtures").join(name));
        }
    }
    found.sort();
    assert!(found.len() > 10, "only {} fixtures found", found.len());
    found
}

/// `path` relative to `codegen/`, as the tests name descriptions (their working
/// directory is `codegen/`), so snapshots do not hold where the project is.
pub fn relative(path: &Path) -> PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

/// A short name for a fixture, usable as a crate or module name: its file stem, or its
/// directory for a multi-file one (`multi_file`).
pub fn fixture_name(fixture: &Path) -> String {
    let stem = if fixture.file_name().is_some_and(|n| n == "api.yaml") {
        fixture.parent().unwrap().file_name().unwrap()
    } else {
        fixture.file_stem().unwrap()
    };
    stem.to_string_lossy().replace(['.', '-'], "_")
}

/// Generates `spec` as the standalone crate `name` into `target/compile-tests/NAME`,
/// failing the test with every diagnostic if it does not generate.
pub fn write_crate(spec: &Path, name: &str) -> (PathBuf, codegen::Generated) {
    let out = workspace().join("target/compile-tests").join(name);
    let config = codegen::Config::spec(spec).out(&out).name(name);
    let generated = codegen::generate(&config)
        .unwrap_or_else(|problems| panic!("{} does not generate:\n{problems}", spec.display()));
    (out, generated)
}

/// The user's own types the fixtures' settings name, as a crate beside the generated
/// ones (`target/compile-tests/user-types`).
const USER_TYPES: &str = r#"//! Types of the user's own, which generated crates use in place of schemas.

use std::fmt;

/// An amount of money in a currency: the pet shop's `Money` schema, as its users want it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Money {
    /// Decimal digits, as text so nothing is rounded.
    pub amount: String,
    /// ISO 4217.
    pub currency: String,
}

/// A Camunda process instance key: a Java `long` that the API sends as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, schemars::JsonSchema)]
#[schemars(with = "String")]
pub struct ProcessInstanceKey(pub i64);

impl fmt::Display for ProcessInstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for ProcessInstanceKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ProcessInstanceKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map(ProcessInstanceKey).map_err(serde::de::Error::custom)
    }
}
"#;

/// Writes the user's crate (once per content) and returns its directory.
pub fn user_types() -> PathBuf {
    let dir = workspace().join("target/compile-tests/user-types");
    let files = [
        (
            "Cargo.toml",
            "[package]\nname = \"user-types\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nschemars = \"1\"\nserde = { version = \"1\", features = [\"derive\"] }\n",
        ),
        ("src/lib.rs", USER_TYPES),
    ];
    for (file, contents) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contents) {
            std::fs::write(&path, contents).unwrap();
        }
    }
    dir
}

/// [`write_crate`], then [`assert_compiles_cleanly`].
pub fn compiles_cleanly(spec: &Path, name: &str) -> codegen::Generated {
    let (out, generated) = write_crate(spec, name);
    assert_compiles_cleanly(&out, &spec.display().to_string());
    generated
}

/// Runs `cargo clippy` and `cargo doc` on the crate in `dir` with warnings denied, and
/// fails the test with the compiler's output unless both are clean. The workspace's lock
/// file pins the dependencies, so nothing resolves anew, and one shared target directory
/// builds them once for every test. The server side is on (`mock` turns on `server`):
/// its modules are only compiled with it.
pub fn assert_compiles_cleanly(dir: &Path, what: &str) {
    for task in [
        &["clippy", "--quiet"][..],
        &["doc", "--no-deps", "--quiet"][..],
    ] {
        cargo(dir, &with_server(dir, task), what);
    }
}

/// `task` with the server side on, where the crate has one (`mock` turns on `server`): a
/// crate of descriptions without operations, or the workspace's kind, has no such feature.
fn with_server<'a>(dir: &Path, task: &[&'a str]) -> Vec<&'a str> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    let mut task = task.to_vec();
    if manifest.lines().any(|line| line.starts_with("mock = [")) {
        task.extend(["--features", "mock"]);
    }
    task
}

/// [`write_crate`], then [`assert_compiles_cleanly`], and again with every feature on:
/// the client, with the `client` module's method per operation, and the blocking one.
pub fn compiles_cleanly_with_client(spec: &Path, name: &str) -> codegen::Generated {
    let generated = compiles_cleanly(spec, name);
    let dir = workspace().join("target/compile-tests").join(name);
    let what = format!("{} with every feature", spec.display());
    for task in [
        &["clippy", "--quiet", "--all-features"][..],
        &["doc", "--no-deps", "--quiet", "--all-features"][..],
    ] {
        cargo(&dir, task, &what);
    }
    generated
}

/// `cargo clippy` of the crate in `dir` with warnings denied (the server side on), for a
/// crate too large to document in a test as well.
pub fn assert_clippy_clean(dir: &Path, what: &str) {
    cargo(dir, &with_server(dir, &["clippy", "--quiet"]), what);
}

/// [`assert_compiles_cleanly`], and `cargo test --doc`, which must find no doctest: no
/// text of a description may become code that `cargo test` runs.
pub fn assert_builds_without_doctests(dir: &Path, what: &str) {
    assert_compiles_cleanly(dir, what);
    let stdout = cargo(dir, &["test", "--doc"], what);
    assert!(
        stdout.contains("running 0 tests"),
        "doctests were generated from {what}:\n{stdout}"
    );
}

/// `cargo check` of the crate in `dir` with only `features` on (none: `--no-default-features`
/// alone), warnings denied; fails the test with the compiler's output unless it is clean.
pub fn assert_checks_with_features(dir: &Path, features: &[&str], what: &str) {
    let features = features.join(",");
    let mut task = vec!["check", "--quiet", "--no-default-features"];
    if !features.is_empty() {
        task.extend(["--features", &features]);
    }
    cargo(dir, &task, &format!("{what} with features [{features}]"));
}

/// The features a generated `Cargo.toml` declares, in its order (`default` left out).
pub fn declared_features(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    manifest
        .lines()
        .skip_while(|line| *line != "[features]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ["))
        .map(|(name, _)| name.to_owned())
        .filter(|name| name != "default")
        .collect()
}

/// Runs `cargo TASK` in the crate at `dir` with warnings denied; fails the test unless it
/// succeeds without a warning. Returns its standard output.
pub fn cargo(dir: &Path, task: &[&str], what: &str) -> String {
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = TargetDir::take();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(task)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target.path())
        // A generated crate is compiled whole when it changes and not at all when it does
        // not: incremental caches of crates this size cost gigabytes and save nothing.
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-Dwarnings")
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("warning"),
        "`cargo {}` of the crate generated from {what} failed:\n{stderr}",
        task[0]
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A target directory for one build of a generated crate, held until dropped.
///
/// Cargo locks a target directory for a whole build, and checking or documenting one
/// crate keeps one core busy: tests running at once that shared one directory would take
/// turns, leaving the other cores idle. So there is one directory per test thread
/// (`target/compile-tests/target`, `target-1` …), each kept across runs; a build takes
/// whichever is free. Each directory builds the dependencies once more (about 1 GB with
/// the client's), so there are at most [`MAX_TARGETS`].
pub struct TargetDir(usize);

/// More directories would cost a gigabyte each for little: few test binaries here run
/// more than four builds at once.
const MAX_TARGETS: usize = 4;

/// The directories no build holds, by number.
static FREE_TARGETS: std::sync::LazyLock<std::sync::Mutex<Vec<usize>>> =
    std::sync::LazyLock::new(|| {
        // As many as the test threads (`RUST_TEST_THREADS`, else one per core).
        let threads = std::env::var("RUST_TEST_THREADS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        std::sync::Mutex::new((0..threads.clamp(1, MAX_TARGETS)).rev().collect())
    });
static TARGET_FREED: std::sync::Condvar = std::sync::Condvar::new();

impl TargetDir {
    /// Waits for a free directory and holds it.
    pub fn take() -> TargetDir {
        let mut free = FREE_TARGETS.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(slot) = free.pop() {
                return TargetDir(slot);
            }
            free = TARGET_FREED.wait(free).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Where it is.
    pub fn path(&self) -> PathBuf {
        let name = match self.0 {
            0 => "target".to_owned(),
            n => format!("target-{n}"),
        };
        workspace().join("target/compile-tests").join(name)
    }
}

impl Drop for TargetDir {
    fn drop(&mut self) {
        let mut free = FREE_TARGETS.lock().unwrap_or_else(|e| e.into_inner());
        free.push(self.0);
        TARGET_FREED.notify_one();
    }
}

/// Every document of the oas-examples corpus in `testdata/oas-examples/`
/// (`*.json`, `*.yaml`, `*.yml` at any depth), sorted.
pub fn oas_examples() -> Vec<PathBuf> {
    let root = real_spec("oas-examples");
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// How the oas-examples tests name a document: from `oas-examples/` on.
pub fn oas_example_name(path: &Path) -> String {
    let text = path.display().to_string();
    text[text.find("oas-examples").unwrap_or(0)..].to_owned()
}

/// A description file as JSON, read by the `oracle` crate rather than by the generator,
/// so that tests check the generator against the description.
pub fn read_description(path: &Path) -> serde_json::Value {
    oracle::Document::read(path)
        .unwrap_or_else(|error| panic!("{error}"))
        .root
}

/// The node a diagnostic's JSON pointer (`#/a/b`) names in `document`.
pub fn node_at<'a>(
    document: &'a serde_json::Value,
    pointer: &str,
) -> Option<&'a serde_json::Value> {
    document.pointer(pointer.strip_prefix('#')?)
}
