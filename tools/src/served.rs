//! The crates the server checks build: a description's crate generated with its client,
//! server and mock, and a small binary crate beside it (the Schemathesis runner, the
//! loopback harness) that uses it. Both checks generate the same crate into the same
//! place, with the same features, and build in one target directory, so a description's
//! crate is compiled once for both.

use std::path::{Path, PathBuf};

use codegen::model::Api;
use codegen::{Config, Filter, Runtime};

/// Where the crates are: `target/served/`.
fn dir(root: &Path) -> PathBuf {
    root.join("target/served")
}

/// A name for one description's crates: its stem, in letters, digits and `-`.
pub fn tag(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Generates the crate of `spec` (the operations `filter` keeps), on the workspace's
/// runtime; its model.
pub fn generate(root: &Path, spec: &Path, filter: &Filter) -> Result<Api, String> {
    let tag = tag(spec);
    let config = Config::spec(spec)
        .out(dir(root).join(&tag).join("api"))
        .name(format!("served-api-{tag}"))
        .filter(filter.clone())
        .runtime(Runtime::Path(PathBuf::from("../../../../runtime")));
    let generated = codegen::generate(&config).map_err(|problems| problems.to_string())?;
    generated
        .models
        .into_iter()
        .next()
        .ok_or_else(|| "no model was generated".to_owned())
}

/// Writes and builds the binary crate `name` beside the crate of `spec` (its
/// `src/main.rs` is `main`, its dependencies besides the crate `dependencies`); the
/// binary.
pub fn build(
    root: &Path,
    spec: &Path,
    name: &str,
    dependencies: &str,
    main: &str,
) -> Result<PathBuf, String> {
    let tag = tag(spec);
    let package = format!("{name}-{tag}");
    let crate_dir = dir(root).join(&tag).join(name);
    std::fs::create_dir_all(crate_dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "# Written by `cargo run -p tools`.\n\
         [package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         api = {{ package = \"served-api-{tag}\", path = \"../api\", features = [\"client\", \"mock\"] }}\n\
         {dependencies}\n\
         [profile.dev]\ndebug = false\n\n\
         [workspace]\n"
    );
    write(&crate_dir.join("Cargo.toml"), &manifest)?;
    write(&crate_dir.join("src/main.rs"), main)?;
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    let target = dir(root).join("target");
    let output = crate::cargo()
        .args(["build", "--quiet", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "{package} does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(target.join("debug").join(package))
}

/// Writes `text` to `path` unless it is there already (so cargo sees nothing changed).
fn write(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}
