//! `cargo xtask codegen`: regenerates `generated/` from `specs/`, checks it is fresh, or
//! turns any description into a standalone crate. Flags only; the work is `codegen`'s.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{write::Change, Mode};

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
    },
}

fn main() -> ExitCode {
    let Task::Codegen {
        check,
        spec,
        out,
        name,
    } = Cli::parse().task;
    let mode = if check { Mode::Check } else { Mode::Write };
    let result = match (spec, out) {
        (Some(spec), Some(out)) => {
            let name =
                name.unwrap_or_else(|| codegen::output::module_name(&spec).replace('_', "-"));
            codegen::standalone_crate(&spec, &spec.display().to_string(), &name).and_then(|files| {
                codegen::sync(&out, &files, &[Path::new("src")], mode).map(|c| (out, c))
            })
        }
        _ => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("xtask lives in the workspace");
            codegen::workspace_specs(root)
                .and_then(|specs| codegen::workspace_crate(&specs))
                .and_then(|files| {
                    let out = root.join("generated");
                    codegen::sync(&out, &files, &[Path::new("src")], mode).map(|c| (out, c))
                })
        }
    };
    match result {
        Ok((out, changes)) => report(&out, &changes, mode),
        Err(error) => {
            eprintln!("{error}");
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
