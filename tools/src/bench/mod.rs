//! `cargo run -p tools -- bench`: how fast the generator is and how fast its output
//! compiles.
//!
//! Every figure comes from an optimized build: run from a debug build, the benchmark
//! builds `tools` in release and runs that instead. Each generation is a separate process
//! (`tools generate --spec … --out …`, the library call `cargo xtask codegen` makes, with
//! the same allocator), timed from outside for its wall time and
//! peak resident memory (`wait4`'s `ru_maxrss`), while it reports its own split into
//! load, lower, emit, format and write. One warm-up run is not counted; figures are medians
//! of the counted runs, memory the largest peak. Results print as tables and are saved as
//! JSON under `target/bench/` so runs can be compared.

mod compile;
mod decode;
mod derive;
mod server;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use codegen::{Filter, Timings};
use serde_json::{json, Value};

use crate::testdata;

/// What the benchmark was asked to do.
#[derive(clap::Args)]
pub struct Options {
    /// Counted runs per description, after one warm-up.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Operation counts of the synthetic series.
    #[arg(long, value_delimiter = ',', default_value = "250,1000,4000,16000")]
    pub sizes: Vec<usize>,
    /// Skip the `cargo check` of the generated crates.
    #[arg(long)]
    pub no_check: bool,
    /// Save the results as `target/bench/<NAME>.json` (`run-<unix time>` by default).
    #[arg(long)]
    pub name: Option<String>,
    /// The large descriptions whose crates' build cost is measured: names of
    /// `testdata/big/`, or paths of other descriptions.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "kubernetes.json,stripe.json,microsoft-graph.json"
    )]
    pub big: Vec<String>,
    /// The real descriptions of `testdata/real/` whose generation is timed.
    #[arg(long, value_delimiter = ',', default_values_t = testdata::REAL.iter().map(|s| s.to_string()))]
    pub real: Vec<String>,
    /// Also time generation of the large descriptions (their crates' build cost aside).
    #[arg(long)]
    pub generate_big: bool,
    /// Only measure what the crates of `--big` cost to build.
    #[arg(long, conflicts_with = "no_check")]
    pub compile_only: bool,
    /// Only measure serving: requests per second of a generated route against a
    /// hand-written axum handler doing the same decoding (`wrk`, rounds of 10 s).
    #[arg(long)]
    pub server: bool,
    /// Only measure what the server side costs to compile: the crate-only `cargo check`
    /// of each `--big` crate with `--features server` against with `--features client`.
    #[arg(long, conflicts_with_all = ["compile_only", "server"])]
    pub server_compile: bool,
    /// With `--server`: how many rounds of each.
    #[arg(long, default_value_t = 3)]
    pub server_rounds: usize,
    /// Features of the crates of `--big` turned on in every build measured (`client`),
    /// besides the groups.
    #[arg(long, value_delimiter = ',')]
    pub features: Vec<String>,
    /// Only measure decoding: typed `decode` of response bodies against parsing them
    /// into `serde_json::Value`, for these descriptions (`testdata/real/` names, or
    /// `testdata/big/` ones).
    #[arg(
        long,
        value_delimiter = ',',
        num_args = 0..,
        default_missing_value = "stripe.json,kubernetes.json,camunda-orchestration-cluster.json,elastic-cloud-enterprise.json"
    )]
    pub decode: Option<Vec<String>>,
    /// With `--decode`: the crates are written by this build of `xtask` (an earlier
    /// version's, to compare against) instead of this one's generator.
    #[arg(long, requires = "decode")]
    pub generator: Option<PathBuf>,
}

/// The phases line a `codegen --timings` run prints, read back by [`run`].
pub fn timings_line(timings: &Timings) -> String {
    json!({
        "load": timings.load.as_secs_f64(),
        "lower": timings.lower.as_secs_f64(),
        "emit": timings.emit.as_secs_f64(),
        "format": timings.format.as_secs_f64(),
        "write": timings.write.as_secs_f64(),
    })
    .to_string()
}

const PHASES: [&str; 5] = ["load", "lower", "emit", "format", "write"];

/// One thing to generate: a description, possibly filtered.
struct Case {
    label: String,
    spec: PathBuf,
    filter: Filter,
    check: bool,
}

/// The figures of one case, all in seconds and bytes.
struct Measured {
    operations: usize,
    types: usize,
    wall: f64,
    peak: Option<u64>,
    phases: [f64; 5],
    lines: usize,
    check: Option<Result<f64, String>>,
}

/// Runs the benchmarks `options` ask for in the workspace at `root`, printing their
/// tables and saving their figures.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    if options.server {
        // The servers are built in release whatever this build is.
        return server::run(root, options.server_rounds, 10);
    }
    if options.server_compile {
        // Cargo does the work measured, whatever this build is.
        return measure_all(root, options);
    }
    if cfg!(debug_assertions) {
        return rerun_optimized(root);
    }
    measure_all(root, options)
}

/// One generation, as `cargo xtask codegen --spec SPEC --out OUT` makes it, printing where
/// the time went as one JSON line: the process the benchmark times.
pub fn generate_once(spec: &Path, out: &Path, filter: Filter) -> Result<(), String> {
    let config = codegen::Config::spec(spec)
        .out(out)
        .name("bench-out")
        .filter(filter);
    let generated = codegen::generate(&config).map_err(|problems| problems.to_string())?;
    println!("{}", timings_line(&generated.timings));
    Ok(())
}

/// Builds `tools` in release and runs this same command with it.
fn rerun_optimized(root: &Path) -> Result<(), String> {
    eprintln!("bench: building the tools in release (timings of debug builds mislead)");
    let built = crate::cargo()
        .args(["build", "--release", "--quiet", "-p", "tools"])
        .current_dir(root)
        .status();
    if !matches!(built, Ok(status) if status.success()) {
        return Err("`cargo build --release -p tools` failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let exe = target
        .join("release")
        .join(format!("tools{}", std::env::consts::EXE_SUFFIX));
    match Command::new(&exe)
        .args(std::env::args_os().skip(1))
        .status()
    {
        Ok(status) if status.success() => Ok(()),
        Ok(_) => Err("the benchmark failed".to_owned()),
        Err(error) => Err(format!("cannot run {}: {error}", exe.display())),
    }
}

fn measure_all(root: &Path, options: &Options) -> Result<(), String> {
    let bench = root.join("target/bench");
    if let Some(names) = &options.decode {
        let mut decoded = Vec::new();
        for name in names {
            let spec = if testdata::BIG.contains(&name.as_str()) {
                testdata::big(root, name)?
            } else {
                testdata::real(root, name)
            };
            eprintln!("bench: decoding the responses of {name}");
            decoded.push(decode::measure(
                root,
                &bench,
                &spec,
                options.generator.as_deref(),
            )?);
        }
        decode::print(&decoded);
        return save(
            &bench,
            options,
            json!({ "decoded": decoded.iter().map(decode::to_json).collect::<Vec<_>>() }),
        );
    }
    if options.server_compile {
        let mut costs = Vec::new();
        for name in &options.big {
            let spec = testdata::big(root, name)?;
            eprintln!("bench: checking the crate of {name}, client and server");
            costs.push(compile::measure_server(root, &bench, &spec)?);
        }
        compile::print_server(&costs);
        return save(
            &bench,
            options,
            json!({ "server_compile": costs.iter().map(compile::server_json).collect::<Vec<_>>() }),
        );
    }
    let mut compiled = Vec::new();
    if !options.no_check {
        for name in &options.big {
            let spec = testdata::big_or_path(root, name)?;
            eprintln!("bench: building the crate of {name}");
            compiled.push(compile::measure(root, &bench, &spec, &options.features)?);
        }
    }
    if options.compile_only {
        compile::print(&compiled);
        return save(
            &bench,
            options,
            json!({
                "compiled": compiled.iter().map(compile::to_json).collect::<Vec<_>>(),
            }),
        );
    }
    let mut cases: Vec<Case> = options
        .real
        .iter()
        .map(|name| Case {
            label: name.clone(),
            spec: testdata::real(root, name),
            filter: Filter::default(),
            check: !options.no_check,
        })
        .collect();
    if let Some(first) = options.real.first() {
        cases.push(Case {
            label: format!("{first} --tags User"),
            spec: testdata::real(root, first),
            filter: Filter {
                tags: vec!["User".into()],
                operations: Vec::new(),
            },
            check: !options.no_check,
        });
    }
    if options.generate_big {
        for name in &options.big {
            cases.push(Case {
                label: name.clone(),
                spec: testdata::big_or_path(root, name)?,
                filter: Filter::default(),
                check: false,
            });
        }
    }
    let synth = bench.join("synth");
    create_dir(&synth)?;
    for &n in &options.sizes {
        let spec = synth.join(format!("synth-{n}.json"));
        write_synth(n, &spec)?;
        cases.push(Case {
            label: format!("synth {n}"),
            spec,
            filter: Filter::default(),
            check: false,
        });
    }

    let runs = options.runs.max(1);
    let mut results = Vec::new();
    for case in &cases {
        eprintln!("bench: {} ({runs} runs)", case.label);
        let measured = measure(root, &bench, case, runs)?;
        results.push((case, measured));
    }
    let (real, synthetic): (Vec<_>, Vec<_>) = results
        .iter()
        .partition(|(case, _)| !case.label.starts_with("synth "));
    print_descriptions(&real);
    print_synthetic(&synthetic);
    compile::print(&compiled);
    save(
        &bench,
        options,
        json!({
            "runs": runs,
            "descriptions": real.iter().map(|(c, m)| to_json(c, m)).collect::<Vec<_>>(),
            "synthetic": synthetic.iter().map(|(c, m)| to_json(c, m)).collect::<Vec<_>>(),
            "compiled": compiled.iter().map(compile::to_json).collect::<Vec<_>>(),
        }),
    )
}

/// Saves `results` as `target/bench/<name>.json`, with when and where they were taken.
fn save(bench: &Path, options: &Options, mut results: Value) -> Result<(), String> {
    let name = options
        .name
        .clone()
        .unwrap_or_else(|| format!("run-{}", unix_seconds()));
    let file = bench.join(format!("{name}.json"));
    results["name"] = json!(name);
    results["unix_time"] = json!(unix_seconds());
    results["cpus"] = json!(std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1));
    let text = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
    std::fs::write(&file, text + "\n").map_err(|e| format!("{}: {e}", file.display()))?;
    println!("\nsaved {}", file.display());
    Ok(())
}

/// Writes the synthetic description with `n` operations to `spec`, in a process of its
/// own: building it here would raise this process's peak memory, which every child
/// started afterwards inherits in its `ru_maxrss` (the kernel counts the memory of the
/// process a child was spawned from until it execs).
fn write_synth(n: usize, spec: &Path) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = Command::new(exe)
        .args(["synth", "--operations", &n.to_string(), "--out"])
        .arg(spec)
        .status()
        .map_err(|e| format!("cannot run `tools synth`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`tools synth --operations {n}` failed"))
    }
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn measure(root: &Path, bench: &Path, case: &Case, runs: usize) -> Result<Measured, String> {
    let slug: String = case
        .label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let out = bench.join("out").join(&slug);
    let mut walls = Vec::new();
    let mut peak = None;
    let mut phases: [Vec<f64>; 5] = Default::default();
    for index in 0..=runs {
        if out.exists() {
            std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let run = generate(&case.spec, &out, &case.filter)?;
        if index == 0 {
            continue; // warm-up
        }
        walls.push(run.wall);
        peak = peak.max(run.peak);
        for (all, one) in phases.iter_mut().zip(run.phases) {
            all.push(one);
        }
    }
    let scan = scan(&out.join("src")).map_err(|e| format!("{}: {e}", out.display()))?;
    let check = case.check.then(|| check_crate(root, bench, &out));
    Ok(Measured {
        operations: scan.operations,
        types: scan.types,
        wall: median(&mut walls),
        peak,
        phases: phases.map(|mut p| median(&mut p)),
        lines: scan.lines,
        check,
    })
}

struct Run {
    wall: f64,
    peak: Option<u64>,
    phases: [f64; 5],
}

/// One [`generate_once`] process, the same executable as this one.
fn generate(spec: &Path, out: &Path, filter: &Filter) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    command
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out);
    if !filter.tags.is_empty() {
        command.arg("--tags").arg(filter.tags.join(","));
    }
    if !filter.operations.is_empty() {
        command.arg("--operations").arg(filter.operations.join(","));
    }
    let start = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the generator: {e}"))?;
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = String::new();
    let _ = child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout);
    let (status, peak) = wait_with_peak(child).map_err(|e| e.to_string())?;
    let wall = start.elapsed().as_secs_f64();
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("generating {} failed:\n{errors}", spec.display()));
    }
    let line = stdout
        .lines()
        .find(|line| line.starts_with('{'))
        .ok_or("`tools generate` printed no timings")?;
    let timings: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    Ok(Run {
        wall,
        peak,
        phases: PHASES.map(|phase| timings[phase].as_f64().unwrap_or(0.0)),
    })
}

/// Waits for `child`, also reading its peak resident memory in bytes.
#[cfg(unix)]
fn wait_with_peak(child: Child) -> std::io::Result<(ExitStatus, Option<u64>)> {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data, valid when zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals; `pid` is our unreaped child, reaped
        // here and never waited for again (`Child` does not wait on drop).
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    // Linux counts KiB; macOS, bytes.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    let peak = u64::try_from(usage.ru_maxrss).ok().map(|kib| kib * unit);
    Ok((ExitStatus::from_raw(status), peak))
}

/// This process's own peak resident memory in bytes.
#[cfg(unix)]
fn own_peak() -> Option<u64> {
    // SAFETY: as in `wait_with_peak`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a live local.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return None;
    }
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    u64::try_from(usage.ru_maxrss).ok().map(|kib| kib * unit)
}

#[cfg(not(unix))]
fn own_peak() -> Option<u64> {
    None
}

#[cfg(not(unix))]
fn wait_with_peak(mut child: Child) -> std::io::Result<(ExitStatus, Option<u64>)> {
    Ok((child.wait()?, None))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// What a generated crate holds, counted line by line (never read whole: the crate of
/// 16,000 operations is too big to hold here without inflating later peaks).
#[derive(Default)]
struct Scan {
    /// Lines of Rust in `src/`.
    lines: usize,
    /// Operations (`impl runtime::Operation for` in `operations.rs`).
    operations: usize,
    /// Types of `models.rs`.
    types: usize,
}

fn scan(src: &Path) -> std::io::Result<Scan> {
    let mut scan = Scan::default();
    for entry in std::fs::read_dir(src)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let models = path.ends_with("models.rs");
        let operations = path.ends_with("operations.rs");
        for line in BufReader::new(std::fs::File::open(&path)?).lines() {
            let line = line?;
            scan.lines += 1;
            if models
                && ["pub struct ", "pub enum ", "pub type "]
                    .iter()
                    .any(|p| line.starts_with(p))
            {
                scan.types += 1;
            }
            if operations && line.starts_with("impl runtime::Operation for ") {
                scan.operations += 1;
            }
        }
    }
    Ok(scan)
}

/// Seconds of a `cargo check` of the crate alone: dependencies are built by a first check
/// (in a target directory all cases share), then `src/lib.rs` is touched and checked again.
fn check_crate(root: &Path, bench: &Path, out: &Path) -> Result<f64, String> {
    // The workspace's lock file pins the versions, so nothing resolves or downloads anew.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let check = || {
        crate::cargo()
            .args(["check", "--quiet", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", bench.join("check-target"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))
    };
    let first = check()?;
    if !first.status.success() {
        let stderr = String::from_utf8_lossy(&first.stderr);
        let error = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("error");
        return Err(error.chars().take(100).collect());
    }
    let lib = out.join("src/lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
    let start = Instant::now();
    let again = check()?;
    let took = start.elapsed().as_secs_f64();
    if again.status.success() {
        Ok(took)
    } else {
        Err("the second `cargo check` failed".into())
    }
}

fn ms(seconds: f64) -> String {
    format!("{:.1}", seconds * 1000.0)
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or("?".into(), |b| {
        format!("{:.0}", b as f64 / (1024.0 * 1024.0))
    })
}

fn print_descriptions(results: &[&(&Case, Measured)]) {
    println!(
        "\n{:<48} {:>4} {:>5} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "description",
        "ops",
        "types",
        "wall ms",
        "peak MiB",
        "load",
        "lower",
        "emit",
        "format",
        "write",
        "lines",
        "check s"
    );
    for (case, m) in results {
        let check = match &m.check {
            None => "-".to_owned(),
            Some(Ok(seconds)) => format!("{seconds:.2}"),
            Some(Err(error)) => format!("fails: {error}"),
        };
        let [load, lower, emit, format, write] = m.phases.map(ms);
        println!(
            "{:<48} {:>4} {:>5} {:>8} {:>8} {load:>7} {lower:>7} {emit:>7} {format:>7} {write:>7} {:>7} {check:>8}",
            case.label, m.operations, m.types, ms(m.wall), mib(m.peak), m.lines
        );
    }
    println!(
        "(phases in ms, medians; wall includes starting and ending the process; each peak \
         includes up to {} MiB of this process, which children are spawned from)",
        mib(own_peak())
    );
}

fn print_synthetic(results: &[&(&Case, Measured)]) {
    if results.is_empty() {
        return;
    }
    println!(
        "\n{:>6} {:>6} {:>9} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "ops",
        "types",
        "wall ms",
        "peak MiB",
        "µs/op",
        "load",
        "lower",
        "emit",
        "format",
        "write",
        "lines"
    );
    for (_, m) in results {
        let per_op = m.wall * 1e6 / m.operations.max(1) as f64;
        let [load, lower, emit, format, write] = m.phases.map(ms);
        println!(
            "{:>6} {:>6} {:>9} {:>8} {per_op:>8.0} {load:>7} {lower:>7} {emit:>7} {format:>7} {write:>7} {:>8}",
            m.operations, m.types, ms(m.wall), mib(m.peak), m.lines
        );
    }
}

fn to_json(case: &Case, m: &Measured) -> Value {
    let phases: serde_json::Map<String, Value> = PHASES
        .iter()
        .zip(m.phases)
        .map(|(name, seconds)| ((*name).to_owned(), json!(seconds)))
        .collect();
    json!({
        "label": case.label,
        "spec": case.spec.display().to_string(),
        "operations": m.operations,
        "types": m.types,
        "wall_s": m.wall,
        "peak_bytes": m.peak,
        "phases_s": phases,
        "lines": m.lines,
        "per_operation_s": m.wall / m.operations.max(1) as f64,
        "check_s": m.check.as_ref().and_then(|c| c.as_ref().ok()),
        "check_error": m.check.as_ref().and_then(|c| c.as_ref().err()),
    })
}
