//! `cargo xtask codegen`: regenerates `generated/` from `specs/`, checks that it is fresh
//! (`--check`), or turns any description into a standalone crate (`--spec FILE --out
//! DIR`, with its settings file, `--settings FILE` or the one beside it). Flags only; the
//! work is the `codegen` library's. The project's other tools
//! (Prism, the corpus sweep, benchmarks) are `cargo run -p tools`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use codegen::{Change, Config, Filter, Mode, Reach, Runtime};

/// Generation allocates millions of small token trees; mimalloc makes that far cheaper
/// than the system allocator (`cargo run -p tools -- bench` measures it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Project tasks")]
enum Task {
    /// Regenerate `generated/` from `specs/`, or write a crate for one description.
    Codegen(Codegen),
}

#[derive(clap::Args)]
struct Codegen {
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
    /// included (refused by default: descriptions may come from third parties). URLs are
    /// never fetched.
    #[arg(long, requires = "spec")]
    allow_outside_refs: bool,
    /// Fail, writing nothing, when the description gives any warning.
    #[arg(long)]
    deny_warnings: bool,
    /// Depend on the runtime crate at this path (relative to the generated crate)
    /// instead of copying its sources into the crate (with `--spec`).
    #[arg(long, requires = "spec")]
    runtime_path: Option<PathBuf>,
    /// Generation settings (TOML, `docs/settings.md`); by default the description's
    /// `STEM.codegen.toml` beside it, when there is one (with `--spec`).
    #[arg(long, requires = "spec")]
    settings: Option<PathBuf>,
    /// The old name of `--settings`, accepted with a warning until the next release.
    #[arg(long, requires = "spec", conflicts_with = "settings", hide = true)]
    config: Option<PathBuf>,
}

fn main() -> ExitCode {
    let Task::Codegen(args) = Task::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace");
    let mut config = match (args.spec, args.out) {
        (Some(spec), Some(out)) => {
            if args.config.is_some() {
                eprintln!("warning: `--config` is deprecated and will be removed in the next release; use `--settings`");
            }
            let beside = codegen::settings::beside(&spec);
            let settings = args
                .settings
                .or(args.config)
                .or_else(|| beside.is_file().then_some(beside));
            let config = Config::spec(spec).out(out);
            match settings {
                Some(file) => config.settings_file(file),
                None => config,
            }
        }
        _ => Config::workspace(root),
    };
    if let Some(name) = args.name {
        config = config.name(name);
    }
    if args.check {
        config = config.check();
    }
    if args.allow_outside_refs {
        config = config.reach(Reach::AnyFile);
    }
    if let Some(path) = args.runtime_path {
        config = config.runtime(Runtime::Path(path));
    }
    let config = config
        .filter(Filter {
            tags: args.tags,
            operations: args.operations,
        })
        .deny_warnings(args.deny_warnings);
    let out = config.out.clone().unwrap_or_default();
    match codegen::generate(&config) {
        Ok(generated) => {
            eprint!("{}", generated.warnings.summary(3));
            report(&out, &generated.changes, config.mode)
        }
        Err(problems) => {
            eprintln!("{problems}");
            ExitCode::FAILURE
        }
    }
}

/// What the run changed, or, in check mode, what is stale.
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
