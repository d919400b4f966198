//! What a generated crate costs its users to build: for each large description in
//! `testdata/big/`, the crate-only `cargo check` and debug `cargo build` of the
//! whole crate (every feature), and the check of its largest group of operations alone,
//! each with its wall time and peak memory; and the generated lines by kind of item.
//!
//! Crate-only: the dependencies are built first, in a target directory the cases share,
//! then `src/lib.rs` is touched and the crate built again with `CARGO_INCREMENTAL=0`,
//! so the figure is the full cost of the crate on a clean build (what every user and
//! every CI run pays), not an incremental rebuild that reuses earlier work. The checks
//! are also timed the way issue 11 measured its baseline, with cargo's default
//! incremental compilation on (touched, checked again), for a like-for-like ratio.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Instant, SystemTime};

use codegen::model::{Api, TypeId};
use serde_json::{json, Value};

use super::{create_dir, mib, wait_with_peak};
use crate::cargo;

/// A build's wall time in seconds and its peak memory in bytes.
pub struct Cost {
    pub seconds: f64,
    pub peak: Option<u64>,
}

/// What one description's crate costs.
pub struct Compiled {
    pub label: String,
    pub check: Result<Cost, String>,
    /// The check with incremental compilation on, as issue 11 measured.
    pub check_incremental: Result<Cost, String>,
    pub build: Result<Cost, String>,
    pub group: String,
    pub group_check: Result<Cost, String>,
    pub group_check_incremental: Result<Cost, String>,
    pub lines: BTreeMap<&'static str, usize>,
}

/// Generates `spec`'s crate under `bench` and measures it, with `features` (besides
/// the groups) on in every build.
pub fn measure(
    root: &Path,
    bench: &Path,
    spec: &Path,
    features: &[String],
) -> Result<Compiled, String> {
    let label = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let out = bench.join("compile").join(label.replace('.', "-"));
    create_dir(&out)?;
    let config = codegen::Config::spec(spec).out(&out).name("bench-crate");
    let generated = codegen::generate(&config).map_err(|problems| problems.to_string())?;
    let group = largest_group(&generated.models[0]);
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let target = bench.join("check-target");
    let with = |command: &str| {
        let mut args = vec![command.to_owned()];
        if !features.is_empty() {
            args.extend(["--features".to_owned(), features.join(",")]);
        }
        args
    };
    let check = crate_only(&out, &target, &with("check"), Rebuild::Clean);
    eprintln!("  check: {}", seconds(&check));
    let check_incremental = crate_only(&out, &target, &with("check"), Rebuild::Incremental);
    eprintln!("  check, incremental: {}", seconds(&check_incremental));
    let build = crate_only(&out, &target, &with("build"), Rebuild::Clean);
    eprintln!("  build: {}", seconds(&build));
    let group_args = group.as_deref().map(|group| {
        let mut on = vec![group.to_owned()];
        on.extend(features.iter().cloned());
        vec![
            "check".to_owned(),
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            on.join(","),
        ]
    });
    let group_check = |rebuild| match &group_args {
        Some(args) => crate_only(&out, &target, args, rebuild),
        None => Err("the crate has no groups".to_owned()),
    };
    let (group_check, group_check_incremental) = (
        group_check(Rebuild::Clean),
        group_check(Rebuild::Incremental),
    );
    Ok(Compiled {
        label,
        check,
        check_incremental,
        build,
        group: group.unwrap_or_default(),
        group_check,
        group_check_incremental,
        lines: lines_by_kind(&out.join("src"))?,
    })
}

/// What the server side adds to a crate's check: the same crate, every group, checked
/// with the client and with the server (issue 25 asks at most 1.5 times the client's).
pub struct ServerCost {
    /// The description's file name.
    pub label: String,
    /// The check with `--features client`.
    pub client: Result<Cost, String>,
    /// The check with `--features server`.
    pub server: Result<Cost, String>,
}

/// Generates `spec`'s crate under `bench` and times its crate-only check with
/// `--features client`, then with `--features server`, each on a clean rebuild.
pub fn measure_server(root: &Path, bench: &Path, spec: &Path) -> Result<ServerCost, String> {
    let label = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let out = bench.join("compile").join(label.replace('.', "-"));
    create_dir(&out)?;
    let config = codegen::Config::spec(spec).out(&out).name("bench-crate");
    codegen::generate(&config).map_err(|problems| problems.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let target = bench.join("check-target");
    let client = crate_only(
        &out,
        &target,
        &["check", "--features", "client"].map(String::from),
        Rebuild::Clean,
    );
    eprintln!("  check with `client`: {}", seconds(&client));
    let server = crate_only(
        &out,
        &target,
        &["check", "--features", "server"].map(String::from),
        Rebuild::Clean,
    );
    eprintln!("  check with `server`: {}", seconds(&server));
    Ok(ServerCost {
        label,
        client,
        server,
    })
}

/// Prints each crate's client and server checks and their ratio.
pub fn print_server(costs: &[ServerCost]) {
    println!(
        "
crate-only cargo check (CARGO_INCREMENTAL=0, dependencies built), every group:"
    );
    for c in costs {
        let ratio = match (&c.client, &c.server) {
            (Ok(client), Ok(server)) => format!("{:.2}x", server.seconds / client.seconds),
            _ => "-".to_owned(),
        };
        println!(
            "  {}: with `client` {}, with `server` {}: {ratio}",
            c.label,
            seconds(&c.client),
            seconds(&c.server)
        );
    }
}

/// The figures of [`print_server`], for the saved JSON.
pub fn server_json(c: &ServerCost) -> Value {
    let cost = |cost: &Result<Cost, String>| match cost {
        Ok(cost) => json!({ "seconds": cost.seconds, "peak_bytes": cost.peak }),
        Err(error) => json!({ "error": error }),
    };
    json!({ "label": c.label, "client": cost(&c.client), "server": cost(&c.server) })
}

/// The group whose operations reach the most types: the dearest one to compile alone.
fn largest_group(api: &Api) -> Option<String> {
    let mut reached: BTreeMap<&str, Vec<bool>> = BTreeMap::new();
    for op in api.operations.iter().chain(&api.webhooks) {
        let seen = reached
            .entry(op.group.as_str())
            .or_insert_with(|| vec![false; api.types.len()]);
        let mut pending = Vec::new();
        for ty in op.types() {
            ty.named(&mut pending);
        }
        while let Some(TypeId(index)) = pending.pop() {
            if !std::mem::replace(&mut seen[index], true) {
                for ty in api.types[index].kind.types() {
                    ty.named(&mut pending);
                }
            }
        }
    }
    if reached.len() < 2 {
        return None;
    }
    reached
        .into_iter()
        .max_by_key(|(_, seen)| seen.iter().filter(|s| **s).count())
        .map(|(group, _)| group.to_owned())
}

/// How the timed rebuild of a touched crate runs.
#[derive(Clone, Copy)]
enum Rebuild {
    /// `CARGO_INCREMENTAL=0`: everything of the crate is compiled again.
    Clean,
    /// Cargo's default for dev builds: what the earlier build left is reused.
    Incremental,
}

/// `cargo ARGS` of the crate in `dir` alone: once to build what it needs, then, the
/// crate touched, again as `rebuild` says, timed.
fn crate_only(
    dir: &Path,
    target: &Path,
    args: &[String],
    rebuild: Rebuild,
) -> Result<Cost, String> {
    let run = |incremental: bool| {
        let mut command = cargo();
        command
            .args(args)
            .arg("--quiet")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if !incremental {
            command.env("CARGO_INCREMENTAL", "0");
        }
        let start = Instant::now();
        let child = command
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let (status, peak) = wait_with_peak(child).map_err(|e| e.to_string())?;
        let seconds = start.elapsed().as_secs_f64();
        if status.success() {
            Ok(Cost { seconds, peak })
        } else {
            Err(format!(
                "`cargo {}` failed in {}",
                args.join(" "),
                dir.display()
            ))
        }
    };
    run(true)?;
    let lib = dir.join("src/lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
    run(matches!(rebuild, Rebuild::Incremental))
}

/// Lines of the generated sources by kind of item: each top-level item (with the
/// attributes and docs before it, and the impls after it) counts for the kind of the
/// type it defines or implements for.
fn lines_by_kind(src: &Path) -> Result<BTreeMap<&'static str, usize>, String> {
    let mut lines = BTreeMap::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| e.to_string())? {
            let path: PathBuf = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let file = if dir.ends_with("runtime") {
                "runtime".to_owned()
            } else {
                path.file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned())
            };
            let mut kind = "other";
            for line in text.lines() {
                if let Some(next) = item_kind(&file, line) {
                    kind = next;
                }
                *lines.entry(kind).or_default() += 1;
            }
        }
    }
    Ok(lines)
}

/// The kind of item a line starts, if it starts one.
fn item_kind(file: &str, line: &str) -> Option<&'static str> {
    let starts = |prefix: &str| line.starts_with(prefix);
    Some(match file {
        "models.rs" if starts("pub struct ") => "model structs",
        "models.rs" if starts("pub enum ") => "model enums",
        "models.rs" if starts("pub type ") => "model aliases",
        "operations.rs" if starts("impl runtime::Operation") => "operation impls (write, decode)",
        "operations.rs" if starts("pub struct ") && line.ends_with(';') => "operation markers",
        "operations.rs" if starts("pub struct ") => "parameter structs",
        "operations.rs"
            if starts("pub enum ")
                && (line.contains("Responses {") || line.contains("Errors {")) =>
        {
            "response and error enums"
        }
        "operations.rs" if starts("impl std::fmt::Display") || starts("impl std::error::Error") => {
            "response and error enums"
        }
        "operations.rs" if starts("pub enum ") => "body and header enums",
        "operations.rs" if starts("pub type ") => "webhook payloads",
        "models.rs" | "operations.rs" => return None,
        "serde_impls.rs" => "model serde code",
        "runtime" => "runtime",
        _ => "servers, auth, lib",
    })
}

fn seconds(cost: &Result<Cost, String>) -> String {
    match cost {
        Ok(cost) => format!("{:.1} s, {} MiB", cost.seconds, mib(cost.peak)),
        Err(error) => format!("fails: {error}"),
    }
}

pub fn print(results: &[Compiled]) {
    println!("\ncrate-only builds (CARGO_INCREMENTAL=0 unless said, dependencies built):");
    for c in results {
        println!("  {}", c.label);
        println!("    whole crate, cargo check:  {}", seconds(&c.check));
        println!(
            "      incremental (issue 11):  {}",
            seconds(&c.check_incremental)
        );
        println!("    whole crate, cargo build:  {}", seconds(&c.build));
        println!(
            "    group `{}` alone, check:   {}",
            c.group,
            seconds(&c.group_check)
        );
        println!(
            "      incremental (issue 11):  {}",
            seconds(&c.group_check_incremental)
        );
        let total: usize = c.lines.values().sum();
        println!("    lines: {total}");
        for (kind, n) in &c.lines {
            println!("      {kind:<34} {n:>9}");
        }
    }
}

pub fn to_json(c: &Compiled) -> Value {
    let cost = |cost: &Result<Cost, String>| match cost {
        Ok(cost) => json!({ "seconds": cost.seconds, "peak_bytes": cost.peak }),
        Err(error) => json!({ "error": error }),
    };
    json!({
        "label": c.label,
        "check": cost(&c.check),
        "check_incremental": cost(&c.check_incremental),
        "build": cost(&c.build),
        "group": c.group,
        "group_check": cost(&c.group_check),
        "group_check_incremental": cost(&c.group_check_incremental),
        "lines": c.lines,
    })
}
