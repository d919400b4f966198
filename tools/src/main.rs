//! `cargo run -p tools -- TASK`: the project's own tools, over the `tools` library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The benchmark times generation with the allocator `cargo xtask codegen` uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "The project's tools: conformance, the corpus sweep, benchmarks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Send every operation of a description through the Prism mock server, which
    /// validates each request, and decode Prism's answer for every documented status.
    Prism {
        /// The description (OpenAPI 3.x or Swagger 2.0, YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// Work in this directory of the Prism sweep (with `--result`).
        #[arg(long, hide = true, requires = "result")]
        slot: Option<PathBuf>,
        /// Write the result as JSON to this file, for the Prism sweep.
        #[arg(long, hide = true, requires = "slot")]
        result: Option<PathBuf>,
    },
    /// Every description of the corpus through Prism, examples included: in the
    /// background, resumable, on both cores (see docs/conformance.md).
    PrismSweep(tools::prism::sweep::Options),
    /// Send every operation of a description, for every status it documents, from the
    /// generated client to the generated server (its mock), and compare both ends.
    Loopback {
        /// The description (OpenAPI 3.x or Swagger 2.0, YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// Keep only these operations, by operationId.
        #[arg(long, value_delimiter = ',')]
        operations: Vec<String>,
    },
    /// Run Schemathesis, with every check it has, against the generated mock of a
    /// description.
    Schemathesis {
        /// The description (OpenAPI 3.x or Swagger 2.0, YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// Keep only the operations with any of these tags.
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Test cases per operation and phase.
        #[arg(long, default_value_t = 10)]
        examples: usize,
    },
    /// Generate every description of the broad corpus (fetched by
    /// `../shared/corpus/get.sh`), compile a fixed sample of the crates and run a fixed
    /// sample through Prism.
    Corpus(tools::corpus::Options),
    /// Time generation and the `cargo check` of its output (in release; see docs/).
    Bench(tools::bench::Options),
    /// Write a synthetic OpenAPI 3.0 description with N operations (JSON).
    Synth {
        /// How many operations.
        #[arg(long)]
        operations: usize,
        /// Where to write it; standard output by default.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate the crates the `request` fuzz target builds requests with (fuzz/generated/).
    FuzzPrepare,
    /// Generate one description as `cargo xtask codegen --spec` does and print where the
    /// time went, as JSON (for the benchmark's separate processes).
    #[command(hide = true)]
    Generate {
        #[arg(long)]
        spec: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        #[arg(long, value_delimiter = ',')]
        operations: Vec<String>,
    },
}

fn main() -> ExitCode {
    let root = tools::root();
    let result = match Cli::parse().task {
        Task::Prism { spec, slot, result } => {
            tools::prism::main(root, &spec, slot.as_deref(), result.as_deref())
        }
        Task::PrismSweep(options) => tools::prism::sweep::run(root, &options),
        Task::Loopback { spec, operations } => tools::loopback::main(
            root,
            &spec,
            &codegen::Filter {
                tags: Vec::new(),
                operations,
            },
        ),
        Task::Schemathesis {
            spec,
            tags,
            examples,
        } => tools::schemathesis::main(
            root,
            &spec,
            &tools::schemathesis::Options {
                filter: codegen::Filter {
                    tags,
                    operations: Vec::new(),
                },
                examples,
            },
        ),
        Task::Corpus(options) => tools::corpus::run(root, &options),
        Task::Bench(options) => tools::bench::run(root, &options),
        Task::Synth { operations, out } => tools::synth::write(operations, out.as_deref()),
        Task::FuzzPrepare => tools::fuzz_prepare::run(root),
        Task::Generate {
            spec,
            out,
            tags,
            operations,
        } => tools::bench::generate_once(&spec, &out, codegen::Filter { tags, operations }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
