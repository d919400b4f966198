//! `cargo xtask codegen`: regenerates `generated/` from `specs/`, checks it is fresh, or
//! turns any description into a standalone crate; `cargo xtask bench` and `synth` measure
//! it. Flags only; the work is `codegen`'s, `bench`'s and `synth`'s.

mod bench;
mod fuzz_prepare;
mod prism;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generation allocates millions of small token trees; mimalloc makes that far cheaper
/// than the system allocator (measured in `cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use codegen::{Change, Filter, Mode, Reach};

#[derive(Parser)]
#[command(about = "Project tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate `generated/` from `specs/`, or write a crate for one description.
    Codegen {
        /// Change nothing; fail, naming the stale files, when the output is not fresh.
        #[arg(long)]
        check: bool,
        /// A description (OpenAPI 3.x or Swagger 2.0, YAML or JSON) to generate a crate from.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Directory of the standalone crate (with `--spec`).
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// Package name of the standalone crate; the description's file stem by default.
        #[arg(long, requires = "spec")]
        name: Option<String>,
        /// Keep only the operations with any of these tags (and the types they reach).
        #[arg(long, requires = "spec", value_delimiter = ',')]
        tags: Vec<String>,
        /// Keep only these operations, by operationId (with `--tags`: either selects).
        #[arg(long, requires = "spec", value_delimiter = ',')]
        operations: Vec<String>,
        /// Follow `$ref`s to files outside the description's directory, absolute paths
        /// included (refused by default: descriptions may come from third parties).
        /// URLs are never fetched.
        #[arg(long, requires = "spec")]
        allow_outside_refs: bool,
        /// Fail, writing nothing, when the description gives any warning.
        #[arg(long)]
        deny_warnings: bool,
        /// Print where the time went, as JSON (for `cargo xtask bench`).
        #[arg(long, hide = true, requires = "spec")]
        timings: bool,
    },
    /// Time generation and the `cargo check` of its output (in release; see README).
    Bench {
        /// Counted runs per description, after one warm-up.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Operation counts of the synthetic series.
        #[arg(long, value_delimiter = ',', default_value = "250,1000,4000,16000")]
        sizes: Vec<usize>,
        /// Skip the `cargo check` of the generated crates.
        #[arg(long)]
        no_check: bool,
        /// Save the results as `target/bench/<NAME>.json` (`run-<unix time>` by default).
        #[arg(long)]
        name: Option<String>,
        /// The descriptions of `../shared/big-specs/` whose crates' build cost is measured.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "kubernetes.json,stripe.json,microsoft-graph.json"
        )]
        big: Vec<String>,
        /// Only measure what the crates of `--big` cost to build.
        #[arg(long, conflicts_with = "no_check")]
        compile_only: bool,
    },
    /// Send every operation of a description through the Prism mock server, which
    /// validates each request, and decode Prism's answer for every documented status.
    Prism {
        /// The description (OpenAPI 3.x or Swagger 2.0, YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
    },
    /// Generate the crates the `request` fuzz target builds requests with (fuzz/generated/).
    FuzzPrepare,
    /// Write a synthetic OpenAPI 3.0 description with N operations (JSON).
    Synth {
        /// How many operations.
        #[arg(long)]
        operations: usize,
        /// Where to write it; standard output by default.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::Bench {
            runs,
            sizes,
            no_check,
            name,
            big,
            compile_only,
        } => {
            let options = bench::Options {
                runs,
                sizes,
                check: !no_check,
                name,
                big,
                compile_only,
            };
            bench::run(root(), &options)
        }
        Task::Synth { operations, out } => synth(operations, out.as_deref()),
        Task::Prism { spec } => prism::run(root(), &spec),
        Task::FuzzPrepare => fuzz_prepare::run(root()),
        Task::Codegen {
            check,
            spec,
            out,
            name,
            tags,
            operations,
            allow_outside_refs,
            deny_warnings,
            timings,
        } => {
            let mut config = match (spec, out) {
                (Some(spec), Some(out)) => codegen::Config::spec(spec).out(out),
                _ => codegen::Config::workspace(root()),
            };
            if let Some(name) = name {
                config = config.name(name);
            }
            if check {
                config = config.check();
            }
            if allow_outside_refs {
                config = config.reach(Reach::AnyFile);
            }
            let config = config
                .filter(Filter { tags, operations })
                .deny_warnings(deny_warnings);
            no_huge_pages();
            codegen(config, timings)
        }
    }
}

/// mimalloc asks for transparent huge pages, and the kernel zeroes each 2 MiB page in
/// full on its first touch. A run is short and its heap is built once, so the zeroing
/// is pure cost: on the 16,000-operation description it was a sixth of all CPU time.
/// Only the generator opts out; the children of `bench` keep the system's setting.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: takes plain integers and changes only how this process's memory is paged.
    // A kernel that refuses (before 3.15) leaves things as they were, which is fine.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn synth(operations: usize, out: Option<&Path>) -> ExitCode {
    let text = synth::description_json(operations);
    match out {
        None => print!("{text}"),
        Some(out) => {
            if let Err(error) = std::fs::write(out, text) {
                eprintln!("error: cannot write {}: {error}", out.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// `cargo xtask codegen`: one call of the library, then what it did, in words.
fn codegen(config: codegen::Config, timings: bool) -> ExitCode {
    let out = config.out.clone().unwrap_or_default();
    let mode = config.mode;
    match codegen::generate(&config) {
        Ok(generated) => {
            if timings {
                println!("{}", bench::timings_line(&generated.timings));
            }
            eprint!("{}", generated.warnings.summary(3));
            report(&out, &generated.changes, mode)
        }
        Err(problems) => {
            eprintln!("{problems}");
            ExitCode::FAILURE
        }
    }
}

fn report(out: &Path, changes: &[Change], mode: Mode) -> ExitCode {
    if mode == Mode::Check && !changes.is_empty() {
        eprintln!("{} is stale; run `cargo xtask codegen`:", out.display());
        for change in changes {
            match change {
                Change::Written(path) => eprintln!("  differs: {}", path.display()),
                Change::Removed(path) => eprintln!("  no longer generated: {}", path.display()),
            }
        }
        return ExitCode::FAILURE;
    }
    for change in changes {
        match change {
            Change::Written(path) => println!("wrote {}", out.join(path).display()),
            Change::Removed(path) => println!("removed {}", out.join(path).display()),
        }
    }
    ExitCode::SUCCESS
}
