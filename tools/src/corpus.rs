//! `cargo run -p tools -- corpus`: the generator on ~1,400 public descriptions written by
//! strangers (the APIs.guru directory, fetched by `../shared/corpus/get.sh`), none of
//! which the project was built against. It reports:
//!
//! - how many descriptions generate, and the refusals grouped by diagnostic kind (each
//!   must be a real defect of its description: a valid description must generate);
//! - crashes: a panic caught as an internal error, or a process that died (must be 0);
//! - for a fixed sample (every n-th description, sorted by path), how many crates pass
//!   `cargo clippy` with warnings denied, and for every one that does not, why;
//! - for a fixed sample, the Prism run (`tools prism`) of each;
//! - for a fixed sample, the loopback (`tools loopback`) of each;
//! - how many operations were recognised as paginated, by what said so and how the next
//!   page is asked for (issue 17's count; a sample is checked by hand in docs/sdk.md);
//! - how many operations name, in what they take or answer, a type called after another
//!   operation (issue 26's count, which should be 0).
//!
//! Each description is generated in a process of its own (this binary, `corpus --one`),
//! so that a crash or a hang costs one description, not the sweep. Everything goes under
//! `target/corpus/`; the report is also saved as `target/corpus/report.json`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long one description may take to generate before it counts as a hang.
const GENERATE_TIMEOUT: Duration = Duration::from_secs(300);

/// What the sweep was asked to do.
#[derive(clap::Args)]
pub struct Options {
    /// Where the corpus is (fetched there by `../shared/corpus/get.sh` when missing).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Generate only every n-th description (sorted by path): 1 is all of them.
    #[arg(long, default_value_t = 1)]
    pub every: usize,
    /// Compile the crates of this many descriptions, spread evenly over the corpus.
    #[arg(long, default_value_t = 100)]
    pub compile: usize,
    /// Run this many descriptions, spread evenly, through Prism.
    #[arg(long, default_value_t = 20)]
    pub prism: usize,
    /// Run the loopback (the generated client against the generated server) on this
    /// many descriptions, spread evenly.
    #[arg(long, default_value_t = 20)]
    pub loopback: usize,
    /// Processes at a time for generation (the compile and Prism samples run one by one).
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Generate one description in this process and print what happened as JSON (what
    /// the sweep runs for each description).
    #[arg(long, hide = true)]
    pub one: Option<PathBuf>,
}

/// Each crate of the compile sample, `Ok` when clippy found nothing.
type Compiled = Vec<(PathBuf, Result<(), String>)>;

/// What happened to one description.
#[derive(Debug, Clone)]
struct Outcome {
    path: PathBuf,
    /// `generated`, `refused`, `internal` (a panic caught) or `crashed`.
    status: &'static str,
    /// Errors (for a refusal) or the crash: kind and first message.
    errors: Vec<(String, String)>,
    /// Warnings by kind.
    warnings: BTreeMap<String, usize>,
    /// Operations, and those recognised as paginated by convention.
    operations: usize,
    paginated: BTreeMap<String, usize>,
    /// Operations whose own items, and whose reach, name a type called after another
    /// operation ([`borrowed_names`]).
    borrowed: Borrowed,
    seconds: f64,
}

/// Operations that name a type called after another operation: in their own items
/// (parameters, body, responses: what a signature shows), and anywhere in the types they
/// reach.
#[derive(Debug, Clone, Default)]
struct Borrowed {
    signatures: usize,
    reached: usize,
    /// The first case, for a reader to look at: `GetRecords: DeleteAccountsOk`.
    example: Option<String>,
}

/// Runs the sweep `options` ask for from the workspace at `root`, printing its report.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    if let Some(spec) = &options.one {
        println!("{}", one(spec));
        return Ok(());
    }
    let dir = match &options.dir {
        Some(dir) => dir.clone(),
        None => fetch(root)?,
    };
    let all = descriptions(&dir)?;
    let chosen: Vec<PathBuf> = all.iter().step_by(options.every.max(1)).cloned().collect();
    let work = crate::work_dir("corpus");
    let start = Instant::now();
    let outcomes = generate_all(&chosen, options.jobs.max(1))?;
    let generation_seconds = start.elapsed().as_secs_f64();
    let report = Report::of(&outcomes, &dir);
    report.print(generation_seconds);

    let compile_sample = spread(&chosen, options.compile);
    let start = Instant::now();
    let compiled = compile_sample_crates(root, &work, &compile_sample, &dir)?;
    let compile_seconds = start.elapsed().as_secs_f64();
    print_compiled(&compiled, compile_seconds);

    let prism_sample = spread(&chosen, options.prism);
    let start = Instant::now();
    let prism = prism_sample_runs(root, &prism_sample, &dir);
    let prism_seconds = start.elapsed().as_secs_f64();
    print_prism(&prism, prism_seconds);

    let loopback_sample = spread(&chosen, options.loopback);
    let start = Instant::now();
    let loopback: Vec<(PathBuf, Result<crate::loopback::Report, String>)> = loopback_sample
        .iter()
        .map(|path| {
            let filter = codegen::Filter::all();
            (path.clone(), crate::loopback::run(root, path, &filter))
        })
        .collect();
    let loopback_seconds = start.elapsed().as_secs_f64();
    let loopback_clean = loopback
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|r| r.is_clean()))
        .count();
    println!(
        "
loopback sample: {loopback_clean}/{} descriptions clean ({loopback_seconds:.0} s)",
        loopback.len()
    );
    for (path, result) in &loopback {
        match result {
            Ok(report) => println!("  {}: {}", shown(path, &dir), report.summary()),
            Err(error) => println!("  {}: error: {}", shown(path, &dir), first_line(error)),
        }
    }

    let saved = json!({
        "corpus": dir.display().to_string(),
        "descriptions": outcomes.len(),
        "generated": report.generated,
        "refused": report.refused.iter().map(|(kind, list)| (kind.clone(), json!(list))).collect::<serde_json::Map<_, _>>(),
        "crashes": report.crashes,
        "warnings": report.warnings,
        "operations": report.operations,
        "paginated": report.paginated,
        "borrowed_names": {
            "signatures": report.borrowed.signatures,
            "reached": report.borrowed.reached,
            "descriptions": report.borrowed_descriptions.iter().map(|(name, b)| json!({
                "description": name,
                "signatures": b.signatures,
                "reached": b.reached,
                "example": b.example,
            })).collect::<Vec<_>>(),
        },
        "generation_seconds": generation_seconds,
        "compiled": compiled.iter().map(|(path, result)| json!({
            "description": shown(path, &dir),
            "clean": result.is_ok(),
            "problem": result.as_ref().err(),
        })).collect::<Vec<_>>(),
        "compile_seconds": compile_seconds,
        "prism": prism.iter().map(|(path, result)| json!({
            "description": shown(path, &dir),
            "summary": result.as_ref().map(|r| r.summary()).unwrap_or_else(|e| format!("error: {e}")),
            "clean": result.as_ref().is_ok_and(|r| r.is_clean()),
        })).collect::<Vec<_>>(),
        "prism_seconds": prism_seconds,
        "loopback": loopback.iter().map(|(path, result)| json!({
            "description": shown(path, &dir),
            "summary": result.as_ref().map(|r| r.summary()).unwrap_or_else(|e| format!("error: {e}")),
        })).collect::<Vec<_>>(),
        "loopback_seconds": loopback_seconds,
    });
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let file = work.join("report.json");
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&saved).unwrap_or_default() + "\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!("\nsaved {}", file.display());
    let clean = report.crashes.is_empty()
        && compiled.iter().all(|(_, result)| result.is_ok())
        && prism
            .iter()
            .all(|(_, result)| result.as_ref().is_ok_and(|r| r.is_clean()))
        && loopback_clean == loopback.len();
    if clean {
        Ok(())
    } else {
        Err("the sweep found problems (above)".to_owned())
    }
}

/// The corpus in `target/corpus/apis-guru`, fetched by the shared script if it is not
/// there yet.
pub(crate) fn fetch(root: &Path) -> Result<PathBuf, String> {
    let dir = crate::work_dir("corpus").join("apis-guru");
    if dir.join(".done").exists() {
        return Ok(dir);
    }
    let script = root.join("../shared/corpus/get.sh");
    if !script.exists() {
        return Err(format!(
            "{} is missing: the corpus is fetched by it (or pass --dir)",
            script.display()
        ));
    }
    let status = Command::new("bash")
        .arg(&script)
        .arg(&dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if status.success() {
        Ok(dir)
    } else {
        Err(format!("{} failed", script.display()))
    }
}

/// Every `*.json`, `*.yaml` and `*.yml` under `dir`, sorted.
pub(crate) fn descriptions(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries =
            std::fs::read_dir(&current).map_err(|e| format!("{}: {e}", current.display()))?;
        for entry in entries.flatten() {
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
    if found.is_empty() {
        return Err(format!("no descriptions in {}", dir.display()));
    }
    Ok(found)
}

/// `count` paths spread evenly over `all` (the first, then every n-th): a fixed sample.
fn spread(all: &[PathBuf], count: usize) -> Vec<PathBuf> {
    if count == 0 || all.is_empty() {
        return Vec::new();
    }
    let step = (all.len() / count).max(1);
    all.iter().step_by(step).take(count).cloned().collect()
}

/// `path` as the report shows it: relative to the corpus.
pub(crate) fn shown(path: &Path, dir: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}

/// One description, generated in memory here: the JSON line the sweep reads.
fn one(spec: &Path) -> Value {
    let config = codegen::Config::spec(spec).name("corpus-crate");
    let by_kind = |diagnostics: &codegen::Diagnostics, errors: bool| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for diagnostic in diagnostics.iter().filter(|d| d.is_error() == errors) {
            *counts.entry(diagnostic.kind.as_str()).or_default() += 1;
        }
        counts
    };
    match codegen::generate(&config) {
        Ok(generated) => {
            let operations = generated.models.iter().flat_map(|api| &api.operations);
            let mut paginated: BTreeMap<String, usize> = BTreeMap::new();
            for pagination in operations.clone().filter_map(|op| op.pagination.as_ref()) {
                *paginated.entry(convention(pagination)).or_default() += 1;
            }
            let borrowed = generated.models.iter().map(borrowed_names).fold(
                Borrowed::default(),
                |all, one| Borrowed {
                    signatures: all.signatures + one.signatures,
                    reached: all.reached + one.reached,
                    example: all.example.or(one.example),
                },
            );
            json!({
                "status": "generated",
                "warnings": by_kind(&generated.warnings, false),
                "operations": operations.count(),
                "paginated": paginated,
                "borrowed": {
                    "signatures": borrowed.signatures,
                    "reached": borrowed.reached,
                    "example": borrowed.example,
                },
            })
        }
        Err(problems) => {
            let internal = problems
                .errors()
                .any(|d| d.kind == codegen::DiagnosticKind::Internal);
            let errors: Vec<Value> = problems
                .errors()
                .map(|d| json!([d.kind.as_str(), d.to_string()]))
                .collect();
            json!({
                "status": if internal { "internal" } else { "refused" },
                "errors": errors,
                "warnings": by_kind(&problems, false),
            })
        }
    }
}

/// How many operations of `api` name a type the generator called after another
/// operation. A type counts when it was named by the generator (an inline schema) and the
/// longest name of an operation or a named schema its name starts with, at a word
/// boundary, is another operation's: `DeleteAccountsOk` in what `GetRecords` answers;
/// but not when the schema is inside a reusable component whose own name starts with the
/// same words or starts the type's (the response `AlarmsSearch` of the components is not
/// called after the operation `alarms`, nor the `UpdateStatus` of the schema `Service`
/// after `ServiceUpdate`).
fn borrowed_names(api: &codegen::model::Api) -> Borrowed {
    use codegen::model::{reach, Role};
    use std::collections::BTreeSet;
    let markers: BTreeSet<&str> = api
        .operations
        .iter()
        .map(|op| op.names.marker.as_str())
        .collect();
    let components: BTreeSet<&str> = api
        .types
        .iter()
        .filter(|def| !matches!(def.role, Role::Inline(_)))
        .map(|def| def.name.as_str())
        .collect();
    // The operation a type is called after, if any.
    let owner: Vec<Option<&str>> = api
        .types
        .iter()
        .map(|def| {
            if !matches!(def.role, Role::Inline(_)) {
                return None;
            }
            let name = def.name.as_str();
            // A word starts at an uppercase letter or a digit, or after a digit
            // (`XAmzTarget` after `V2` is cased `V2xAmzTarget`).
            let bytes = name.as_bytes();
            let boundaries = (1..=name.len()).rev().filter(|&at| {
                at == name.len()
                    || bytes[at].is_ascii_uppercase()
                    || bytes[at].is_ascii_digit()
                    || bytes[at - 1].is_ascii_digit()
            });
            for at in boundaries {
                let prefix = &name[..at];
                if markers.contains(prefix) {
                    let own = component_of(&def.pointer).is_some_and(|component| {
                        component.starts_with(&letters(prefix))
                            || letters(name).starts_with(&component)
                    });
                    return (!own).then_some(prefix);
                }
                if components.contains(prefix) {
                    return None;
                }
            }
            None
        })
        .collect();
    let names_another = |op: &codegen::model::Operation, index: usize| {
        owner[index].is_some_and(|owner| owner != op.names.marker)
    };
    let example = |op: &codegen::model::Operation, index: usize| {
        format!("{}: {}", op.names.marker, api.types[index].name)
    };
    let mut borrowed = Borrowed::default();
    for op in &api.operations {
        let own = op.types();
        let mut direct = Vec::new();
        for ty in &own {
            ty.named(&mut direct);
        }
        if let Some(id) = direct.iter().find(|id| names_another(op, id.0)) {
            borrowed.signatures += 1;
            borrowed.example = Some(example(op, id.0));
        }
        let reached = reach(&api.types, own.iter().copied());
        if let Some(index) =
            (0..reached.len()).find(|&index| reached[index] && names_another(op, index))
        {
            borrowed.reached += 1;
            borrowed.example.get_or_insert_with(|| example(op, index));
        }
    }
    borrowed
}

/// The name of the reusable component (a schema, parameter, response, request body or
/// header) a pointer is inside of, in lowercase letters and digits.
fn component_of(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("#/")?;
    let rest = rest.strip_prefix("components/").unwrap_or(rest);
    let (kind, rest) = rest.split_once('/')?;
    let kinds = [
        "schemas",
        "definitions",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
    ];
    kinds.contains(&kind).then(|| {
        let name = rest.split('/').next().unwrap_or_default();
        letters(&name.replace("~1", "/").replace("~0", "~"))
    })
}

/// `name` in lowercase letters and digits only, so `zone_type` and `ZoneType` meet.
fn letters(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What recognised an operation's pagination and how it asks for the next page:
/// `x-ms-pageable: next link`, `shape: cursor`.
fn convention(pagination: &codegen::model::Pagination) -> String {
    use codegen::model::{NextPage, PaginationSource};
    let source = match &pagination.source {
        PaginationSource::Extension(name) => *name,
        PaginationSource::Shape => "shape",
        PaginationSource::Settings => "settings",
    };
    let next = match &pagination.next {
        NextPage::LinkHeader(_) => "Link header",
        NextPage::Link(_) => "next link",
        NextPage::HeaderUrl(_) => "URL header",
        NextPage::Cursor { .. } => "cursor",
        NextPage::LastItem { .. } => "last item",
        NextPage::Offset { .. } => "offset",
    };
    format!("{source}: {next}")
}

/// Generates each description in a process of its own, `jobs` at a time.
fn generate_all(paths: &[PathBuf], jobs: usize) -> Result<Vec<Outcome>, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::with_capacity(paths.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = paths.get(index) else { return };
                let outcome = generate_one(&exe, path);
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if finished % 100 == 0 {
                    eprintln!("corpus: {finished}/{} generated", paths.len());
                }
                outcomes
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(outcome);
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outcomes)
}

fn generate_one(exe: &Path, path: &Path) -> Outcome {
    let start = Instant::now();
    let crashed = |why: String| Outcome {
        path: path.to_path_buf(),
        status: "crashed",
        errors: vec![("crash".to_owned(), why)],
        warnings: BTreeMap::new(),
        operations: 0,
        paginated: BTreeMap::new(),
        borrowed: Borrowed::default(),
        seconds: start.elapsed().as_secs_f64(),
    };
    let child = Command::new(exe)
        .args(["corpus", "--one"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => return crashed(format!("cannot start: {error}")),
    };
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let mut err = String::new();
        let _ = stdout.read_to_string(&mut out);
        let _ = stderr.read_to_string(&mut err);
        (out, err)
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > GENERATE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let (out, err) = reader.join().unwrap_or_default();
    let Some(status) = status else {
        return crashed(format!("no answer within {} s", GENERATE_TIMEOUT.as_secs()));
    };
    let line: Option<Value> = out.lines().find_map(|line| serde_json::from_str(line).ok());
    let (true, Some(line)) = (status.success(), line) else {
        let last = err.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
        return crashed(format!("exited with {status}: {last}"));
    };
    let status = match line["status"].as_str() {
        Some("generated") => "generated",
        Some("refused") => "refused",
        _ => "internal",
    };
    let errors = line["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            (
                pair[0].as_str().unwrap_or_default().to_owned(),
                pair[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let warnings = counts(&line["warnings"]);
    let paginated = counts(&line["paginated"]);
    Outcome {
        path: path.to_path_buf(),
        status,
        errors,
        warnings,
        operations: line["operations"].as_u64().unwrap_or(0) as usize,
        paginated,
        borrowed: Borrowed {
            signatures: line["borrowed"]["signatures"].as_u64().unwrap_or(0) as usize,
            reached: line["borrowed"]["reached"].as_u64().unwrap_or(0) as usize,
            example: line["borrowed"]["example"].as_str().map(str::to_owned),
        },
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// A JSON object of counts by name (`{"structure": 3}`), as `one` writes them.
fn counts(object: &Value) -> BTreeMap<String, usize> {
    object
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, count)| (name.clone(), count.as_u64().unwrap_or(0) as usize))
        .collect()
}

/// The generation part of the report.
struct Report {
    total: usize,
    generated: usize,
    /// Refused descriptions by the kind of their first error: (description, message).
    refused: BTreeMap<String, Vec<(String, String)>>,
    /// Descriptions that crashed the generator or hit an internal error, and how.
    crashes: Vec<(String, String)>,
    /// Warnings by kind: how many, in how many descriptions.
    warnings: BTreeMap<String, (usize, usize)>,
    /// Operations of the descriptions that generate.
    operations: usize,
    /// Paginated operations by convention: how many, in how many descriptions.
    paginated: BTreeMap<String, (usize, usize)>,
    /// Operations naming a type called after another operation, and the descriptions
    /// that have any: in signatures, then anywhere they reach.
    borrowed: Borrowed,
    borrowed_descriptions: Vec<(String, Borrowed)>,
    slowest: Vec<(String, f64)>,
}

impl Report {
    fn of(outcomes: &[Outcome], dir: &Path) -> Report {
        let mut report = Report {
            total: outcomes.len(),
            generated: 0,
            refused: BTreeMap::new(),
            crashes: Vec::new(),
            warnings: BTreeMap::new(),
            operations: 0,
            paginated: BTreeMap::new(),
            borrowed: Borrowed::default(),
            borrowed_descriptions: Vec::new(),
            slowest: Vec::new(),
        };
        for outcome in outcomes {
            let name = shown(&outcome.path, dir);
            for (kind, count) in &outcome.warnings {
                let entry = report.warnings.entry(kind.clone()).or_default();
                entry.0 += count;
                entry.1 += 1;
            }
            report.operations += outcome.operations;
            for (convention, count) in &outcome.paginated {
                let entry = report.paginated.entry(convention.clone()).or_default();
                entry.0 += count;
                entry.1 += 1;
            }
            report.borrowed.signatures += outcome.borrowed.signatures;
            report.borrowed.reached += outcome.borrowed.reached;
            if outcome.borrowed.reached > 0 {
                report
                    .borrowed_descriptions
                    .push((name.clone(), outcome.borrowed.clone()));
            }
            let first = outcome.errors.first().cloned().unwrap_or_default();
            match outcome.status {
                "generated" => report.generated += 1,
                "refused" => report
                    .refused
                    .entry(first.0)
                    .or_default()
                    .push((name.clone(), first.1)),
                _ => report.crashes.push((name.clone(), first.1)),
            }
            report.slowest.push((name, outcome.seconds));
        }
        report.slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
        report.slowest.truncate(5);
        report
    }

    fn print(&self, seconds: f64) {
        println!(
            "corpus: {} descriptions, {} generate, {} refused, {} crashes ({seconds:.0} s)",
            self.total,
            self.generated,
            self.refused.values().map(Vec::len).sum::<usize>(),
            self.crashes.len()
        );
        for (kind, list) in &self.refused {
            println!("  refused, {kind} ({}):", list.len());
            for (name, message) in list {
                println!("    {name}: {}", first_line(message));
            }
        }
        for (name, how) in &self.crashes {
            println!("  CRASH {name}: {}", first_line(how));
        }
        println!("  warnings by kind (count, descriptions):");
        for (kind, (count, descriptions)) in &self.warnings {
            println!("    {kind}: {count} in {descriptions}");
        }
        let paginated: usize = self.paginated.values().map(|(count, _)| count).sum();
        println!(
            "  paginated: {paginated} of {} operations (count, descriptions):",
            self.operations
        );
        for (convention, (count, descriptions)) in &self.paginated {
            println!("    {convention}: {count} in {descriptions}");
        }
        println!(
            "  operations naming a type called after another operation: {} in their signature, {} in the types they reach, in {} descriptions",
            self.borrowed.signatures,
            self.borrowed.reached,
            self.borrowed_descriptions.len()
        );
        let mut worst = self.borrowed_descriptions.clone();
        worst.sort_by_key(|(name, borrowed)| (std::cmp::Reverse(borrowed.reached), name.clone()));
        for (name, borrowed) in worst.iter().take(10) {
            println!(
                "    {name}: {} in signatures, {} reached (such as {})",
                borrowed.signatures,
                borrowed.reached,
                borrowed.example.as_deref().unwrap_or("?")
            );
        }
        println!("  slowest:");
        for (name, seconds) in &self.slowest {
            println!("    {name}: {seconds:.2} s");
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Generates each description of `sample` as a standalone crate under
/// `work/crates/` and runs `cargo clippy` on it with warnings denied, all sharing
/// one target directory so the dependencies build once.
fn compile_sample_crates(
    root: &Path,
    work: &Path,
    sample: &[PathBuf],
    dir: &Path,
) -> Result<Compiled, String> {
    let target = work.join("target");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for (index, path) in sample.iter().enumerate() {
        eprintln!(
            "corpus: compiling {}/{}: {}",
            index + 1,
            sample.len(),
            shown(path, dir)
        );
        let name = format!("corpus-{index:03}");
        let out = work.join("crates").join(&name);
        let config = codegen::Config::spec(path).out(&out).name(&name);
        let result = match codegen::generate(&config) {
            Err(problems) => Err(format!(
                "does not generate: {}",
                first_line(&problems.to_string())
            )),
            Ok(_) => {
                std::fs::write(out.join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
                clippy(&out, &target)
            }
        };
        results.push((path.clone(), result));
    }
    Ok(results)
}

/// `cargo clippy` with warnings denied: `Ok` when clean, else the first problems.
fn clippy(dir: &Path, target: &Path) -> Result<(), String> {
    let output = crate::cargo()
        // The server side on (`mock` turns on `server`): its modules compile only with it.
        .args([
            "clippy",
            "--quiet",
            "--message-format",
            "short",
            "--features",
            "mock",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-Dwarnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() && !stderr.contains("warning") {
        return Ok(());
    }
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("error") || line.contains("warning"))
        .take(5)
        .collect();
    Err(problems.join(" / "))
}

fn print_compiled(results: &[(PathBuf, Result<(), String>)], seconds: f64) {
    let clean = results.iter().filter(|(_, r)| r.is_ok()).count();
    let rate = if results.is_empty() {
        0.0
    } else {
        100.0 * clean as f64 / results.len() as f64
    };
    println!(
        "\ncompile sample: {clean}/{} crates clean under clippy with warnings denied ({rate:.1}%, {seconds:.0} s)",
        results.len()
    );
    for (path, result) in results {
        if let Err(problem) = result {
            println!("  {}: {problem}", path.display());
        }
    }
}

fn prism_sample_runs(
    root: &Path,
    sample: &[PathBuf],
    dir: &Path,
) -> Vec<(PathBuf, Result<crate::prism::Report, String>)> {
    sample
        .iter()
        .enumerate()
        .map(|(index, path)| {
            eprintln!(
                "corpus: Prism {}/{}: {}",
                index + 1,
                sample.len(),
                shown(path, dir)
            );
            (path.clone(), crate::prism::run(root, path))
        })
        .collect()
}

fn print_prism(results: &[(PathBuf, Result<crate::prism::Report, String>)], seconds: f64) {
    let clean = results
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|r| r.is_clean()))
        .count();
    println!(
        "\nPrism sample: {clean}/{} descriptions clean ({seconds:.0} s)",
        results.len()
    );
    for (path, result) in results {
        match result {
            Ok(report) => println!("  {}: {}", path.display(), report.summary()),
            Err(error) => println!("  {}: error: {}", path.display(), first_line(error)),
        }
    }
}
