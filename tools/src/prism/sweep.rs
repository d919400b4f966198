//! `cargo run -p tools --release -- prism-sweep`: every description of the corpus through
//! the Prism run ([`super::run`]), examples included, in the background and resumable.
//!
//! - Each description runs in a process of its own (this binary, `prism --spec … --slot …
//!   --result …`), in a process group of its own, so a crash or a hang costs one
//!   description: after `--timeout` minutes the whole group (the run, its Prism, its
//!   cargo) is killed and the description is reported as such.
//! - `--jobs` workers run side by side, each in a slot (`target/prism-sweep/slot-N/`)
//!   whose generated crate, harness and cargo target directory every description it
//!   takes reuses: the dependencies build once per slot, and the artifacts of one
//!   description replace the last one's, which are deleted when it is done, so the disk
//!   used stays that of one description per slot.
//! - Descriptions are taken in a fixed order spread over the corpus, so the results of a
//!   sweep stopped early are a sample of the whole.
//! - The result of each description is kept in `target/prism-sweep/results/` (written
//!   whole, then renamed), with the answers of a run that is not clean (compressed), so
//!   a sweep that is stopped goes on where it stopped when started again; `--fresh`
//!   forgets them, `--again` runs the unclean ones again.
//! - The report (`target/prism-sweep/report.json`, and printed) says which descriptions
//!   are clean and groups the reasons of the others by kind: violations of our requests,
//!   failures, the named Prism defects excused, the description's own defects.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Map, Value};

use super::{Halt, Report};

/// What the sweep was asked to do.
#[derive(clap::Args)]
pub struct Options {
    /// Where the corpus is (fetched there by `../shared/corpus/get.sh` when missing).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Descriptions run at a time, each in its own slot.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Only the descriptions whose path (relative to the corpus) contains one of these.
    #[arg(long)]
    pub only: Vec<String>,
    /// Run again the descriptions whose kept result is not clean.
    #[arg(long)]
    pub again: bool,
    /// Forget every kept result first.
    #[arg(long)]
    pub fresh: bool,
    /// Print the report of the kept results and run nothing.
    #[arg(long)]
    pub report: bool,
    /// Minutes one description may take before its run is killed.
    #[arg(long, default_value_t = 40)]
    pub timeout: u64,
}

/// Where the sweep keeps everything.
fn home() -> PathBuf {
    crate::work_dir("prism-sweep")
}

/// Runs the sweep as `options` say (or only prints the report of what is kept), and
/// prints the report.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let dir = match &options.dir {
        Some(dir) => dir.clone(),
        None => crate::corpus::fetch(root)?,
    };
    let all = crate::corpus::descriptions(&dir)?;
    let chosen: Vec<(String, PathBuf)> = all
        .iter()
        .map(|path| (crate::corpus::shown(path, &dir), path.clone()))
        .filter(|(name, _)| {
            options.only.is_empty() || options.only.iter().any(|o| name.contains(o))
        })
        .collect();
    let results = home().join("results");
    if options.fresh {
        let _ = std::fs::remove_dir_all(&results);
    }
    std::fs::create_dir_all(&results).map_err(|e| format!("{}: {e}", results.display()))?;
    if !options.report {
        let mut pending: Vec<&(String, PathBuf)> = chosen
            .iter()
            .filter(|(name, _)| match read_result(&results, name) {
                None => true,
                Some(kept) => options.again && kept["status"] != "clean",
            })
            .collect();
        // In an order fixed but spread over the corpus (by a hash of the name), not one
        // provider's thirty descriptions after another: the results of a sweep stopped
        // early are a sample of the whole.
        pending.sort_by_key(|(name, _)| super::fnv(name));
        eprintln!(
            "prism-sweep: {} descriptions, {} to run, {} kept in {}",
            chosen.len(),
            pending.len(),
            chosen.len() - pending.len(),
            results.display()
        );
        sweep(&pending, options, &results)?;
    }
    let kept: Vec<Value> = chosen
        .iter()
        .filter_map(|(name, _)| read_result(&results, name))
        .collect();
    let report = summarise(&kept, chosen.len());
    print(&report);
    let file = home().join("report.json");
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!("\nsaved {}", file.display());
    Ok(())
}

/// The file a description's result is kept in: its path in the corpus, `/` as `__`.
fn result_file(results: &Path, name: &str) -> PathBuf {
    results.join(format!("{}.json", name.replace('/', "__")))
}

fn read_result(results: &Path, name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(result_file(results, name)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Runs `pending` on `options.jobs` workers, each in its own slot.
fn sweep(pending: &[&(String, PathBuf)], options: &Options, results: &Path) -> Result<(), String> {
    // The runs use a copy of this binary: a `cargo build` while the sweep runs would
    // replace it under them.
    let exe = home().join(format!("tools-{}", std::process::id()));
    std::fs::copy(std::env::current_exe().map_err(|e| e.to_string())?, &exe)
        .map_err(|e| format!("cannot copy the tools to {}: {e}", exe.display()))?;
    let swept = run_all(&exe, pending, options, results);
    let _ = std::fs::remove_file(&exe);
    swept
}

fn run_all(
    exe: &Path,
    pending: &[&(String, PathBuf)],
    options: &Options,
    results: &Path,
) -> Result<(), String> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let clean = AtomicUsize::new(0);
    let failed: Mutex<Option<String>> = Mutex::new(None);
    let timeout = Duration::from_secs(options.timeout * 60);
    std::thread::scope(|scope| {
        for slot in 0..options.jobs.max(1) {
            let (next, done, clean, failed) = (&next, &done, &clean, &failed);
            scope.spawn(move || {
                let slot_dir = home().join(format!("slot-{slot}"));
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some((name, path)) = pending.get(index) else {
                        return;
                    };
                    let start = Instant::now();
                    let result = one(exe, &slot_dir, name, path, timeout);
                    let status = result["status"].as_str().unwrap_or_default().to_owned();
                    if let Err(error) = keep(results, &slot_dir, name, &result) {
                        *failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
                        return;
                    }
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if status == "clean" {
                        clean.fetch_add(1, Ordering::Relaxed);
                    }
                    eprintln!(
                        "prism-sweep: [{finished}/{}] {name}: {status} ({:.0} s; {} clean so far)",
                        pending.len(),
                        start.elapsed().as_secs_f64(),
                        clean.load(Ordering::Relaxed)
                    );
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Runs one description in a process of its own in `slot` and returns its result.
fn one(exe: &Path, slot: &Path, name: &str, path: &Path, timeout: Duration) -> Value {
    let start = Instant::now();
    let _ = std::fs::create_dir_all(slot);
    let result = slot.join("result.json");
    let _ = std::fs::remove_file(&result);
    let log = slot.join("run.log");
    let stopped = |status: &str, why: String| {
        json!({
            "description": name,
            "status": status,
            "error": why,
            "seconds": start.elapsed().as_secs_f64(),
        })
    };
    let output = match std::fs::File::create(&log) {
        Ok(file) => file,
        Err(error) => return stopped("error", format!("cannot create {}: {error}", log.display())),
    };
    let mut command = Command::new(exe);
    command
        .arg("prism")
        .arg("--spec")
        .arg(path)
        .arg("--slot")
        .arg(slot)
        .arg("--result")
        .arg(&result)
        // Nothing reads the incremental caches of crates built once.
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::from(output.try_clone().expect("a log file")))
        .stderr(Stdio::from(output));
    group_of_its_own(&mut command);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return stopped("error", format!("cannot start: {error}")),
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > timeout => {
                kill_group(&child);
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(_) => break None,
        }
    };
    // Whatever the run left behind (a Prism, a cargo) goes with it.
    kill_group(&child);
    let tail = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().rev().take(5).collect();
        lines.into_iter().rev().collect::<Vec<_>>().join(" / ")
    };
    let Some(status) = status else {
        return stopped(
            "timeout",
            format!(
                "no result within {} min: {}",
                timeout.as_secs() / 60,
                tail()
            ),
        );
    };
    let kept = std::fs::read_to_string(&result)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    match kept {
        Some(mut kept) => {
            kept["description"] = json!(name);
            kept["seconds"] = json!(start.elapsed().as_secs_f64());
            kept
        }
        None => stopped("crashed", format!("exited with {status}: {}", tail())),
    }
}

/// Puts the child in a process group of its own (so that a timeout kills what it started
/// too) that dies with the sweep.
fn group_of_its_own(command: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt as _;
        command.process_group(0);
        super::server::die_with_parent(command);
    }
}

fn kill_group(child: &std::process::Child) {
    #[cfg(unix)]
    {
        if let Ok(pid) = i32::try_from(child.id()) {
            // SAFETY: `kill` reads its two integers and nothing else.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = child;
}

/// Keeps a description's result (and, for one that is not clean, its answers), and
/// deletes what the slot no longer needs.
fn keep(results: &Path, slot: &Path, name: &str, result: &Value) -> Result<(), String> {
    let mut result = result.clone();
    result["finished"] = json!(SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()));
    let file = result_file(results, name);
    let answers = slot.join("answers.jsonl");
    let kept_answers = file.with_extension("answers.jsonl.gz");
    if result["status"] != "clean" && answers.exists() {
        compress(&answers, &kept_answers)?;
    } else {
        let _ = std::fs::remove_file(&kept_answers);
    }
    let partial = file.with_extension("json.partial");
    std::fs::write(
        &partial,
        serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
    )
    .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    std::fs::rename(&partial, &file)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    clear(slot);
    Ok(())
}

fn compress(from: &Path, to: &Path) -> Result<(), String> {
    let text = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let file = std::fs::File::create(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    encoder
        .write_all(&text)
        .and_then(|()| encoder.finish().map(drop))
        .map_err(|e| format!("{}: {e}", to.display()))
}

/// Deletes what one description left in a slot: its logs, answers and copy, and the
/// build artifacts of its crate and harness (the dependencies' stay for the next one).
fn clear(slot: &Path) {
    for file in ["answers.jsonl", "description.json", "result.json"] {
        let _ = std::fs::remove_file(slot.join(file));
    }
    if let Ok(entries) = std::fs::read_dir(slot) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("prism.") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let profile = slot.join("target/debug");
    for dir in ["deps", ".fingerprint", "build", "incremental", ""] {
        let Ok(entries) = std::fs::read_dir(profile.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().replace('-', "_");
            let ours = ["prism_api", "libprism_api", "prism_harness"]
                .iter()
                .any(|prefix| name.starts_with(prefix));
            if ours {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
}

/// What a run in a slot (`prism --slot`) writes as its result: the report in full, but
/// lists cut at this many entries (their counts stay whole).
const LISTED: usize = 200;

/// The result of one run, as the sweep keeps it.
pub fn result(report: Result<&Report, &Halt>) -> Value {
    let report = match report {
        Ok(report) => report,
        Err(Halt::Refused(why)) => {
            return json!({ "status": "refused", "error": first_line(why) });
        }
        Err(Halt::Broken(why)) => {
            return json!({ "status": "error", "error": why.chars().take(4000).collect::<String>() });
        }
    };
    let listed = |items: &mut dyn Iterator<Item = Value>| -> Value {
        Value::Array(items.take(LISTED).collect())
    };
    let mut excused: BTreeMap<String, usize> = BTreeMap::new();
    for excuse in &report.excused {
        *excused.entry(format!("{:?}", excuse.defect)).or_default() += 1;
    }
    json!({
        "status": if report.is_clean() { "clean" } else { "not clean" },
        "summary": report.summary(),
        "operations": report.operations,
        "sent": report.sent,
        "statuses": report.statuses,
        "decoded": report.decoded,
        "violations": report.violations.len(),
        "failures": report.failures.len(),
        "violation_list": listed(&mut report.violations.iter().map(finding)),
        "failure_list": listed(&mut report.failures.iter().map(finding)),
        "excused": excused,
        "impossible": report.impossible.len(),
        "impossible_list": listed(&mut report.impossible.iter().map(|i| json!(i))),
        "gaps": report.gaps.len(),
        "changes": report.changes.len(),
        "restarts": report.restarts,
        "timings": report.timings.iter().map(|(step, seconds)| (step.to_string(), json!(seconds))).collect::<Map<_, _>>(),
        "examples": {
            "found": report.examples.found,
            "decoded": report.examples.decoded,
            "contradicting": report.examples.contradicting.len(),
            "failing": report.examples.failing,
            "untested": report.examples.untested.len(),
            "family": report.examples.family,
            "family_values": report.examples.family_values,
            "family_failing": report.examples.family_failing,
            "family_unmade": report.examples.family_unmade.len(),
            "contradicting_list": listed(&mut report.examples.contradicting.iter().map(|c| json!(c))),
            "untested_by_reason": by_reason(&report.examples.untested),
        },
    })
}

/// A finding as the result lists it: its kind, what happened, and its class of issue 23
/// (or `null`).
fn finding(finding: &super::Finding) -> Value {
    json!([finding.kind, finding.text, finding.class.map(|c| c.name())])
}

/// The untested examples counted by reason (what follows the pointer).
fn by_reason(untested: &[(String, String)]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (_, why) in untested {
        *counts.entry(general(why)).or_default() += 1;
    }
    counts
}

/// A message with what is particular to one place (names in backticks, numbers) taken
/// out, so that messages of one kind count together.
fn general(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                if quoted {
                    out.push_str("`…`");
                }
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

/// The report over the kept results of `total` chosen descriptions.
fn summarise(kept: &[Value], total: usize) -> Value {
    let count = |status: &str| kept.iter().filter(|r| r["status"] == status).count();
    let generated = kept
        .iter()
        .filter(|r| matches!(r["status"].as_str(), Some("clean" | "not clean")))
        .count();
    let clean = count("clean");
    // Reasons: kind -> descriptions (with how many cases each).
    let mut reasons: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut note = |kind: String, description: &str, n: usize| {
        *reasons
            .entry(kind)
            .or_default()
            .entry(description.to_owned())
            .or_default() += n;
    };
    let mut excused: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut examples: BTreeMap<&str, usize> = BTreeMap::new();
    let mut untested: BTreeMap<String, usize> = BTreeMap::new();
    let mut seconds = 0.0;
    let (mut first, mut last) = (u64::MAX, 0);
    for result in kept {
        let name = result["description"].as_str().unwrap_or_default();
        seconds += result["seconds"].as_f64().unwrap_or(0.0);
        if let Some(finished) = result["finished"].as_u64() {
            let started = finished.saturating_sub(result["seconds"].as_f64().unwrap_or(0.0) as u64);
            first = first.min(started);
            last = last.max(finished);
        }
        match result["status"].as_str().unwrap_or_default() {
            "clean" | "not clean" => {}
            "refused" => note(
                format!(
                    "description: refused by the generator: {}",
                    general(result["error"].as_str().unwrap_or_default())
                ),
                name,
                1,
            ),
            other => note(
                format!(
                    "run {other}: {}",
                    general(&first_line(result["error"].as_str().unwrap_or_default()))
                ),
                name,
                1,
            ),
        }
        for (list, what) in [("violation_list", "violation"), ("failure_list", "failure")] {
            for entry in result[list].as_array().into_iter().flatten() {
                let reason = match entry[2].as_str() {
                    Some(class) => format!("ours, a class of issue 23: {class}"),
                    None => format!("ours: {what}: {}", entry[0].as_str().unwrap_or_default()),
                };
                note(reason, name, 1);
            }
        }
        for (defect, n) in result["excused"].as_object().into_iter().flatten() {
            if defect == "UntypedObject" {
                // The description's, not Prism's: reported with the description's reasons.
                note(
                    "description: a schema with properties but no type, a non-object there (excused)"
                        .to_owned(),
                    name,
                    n.as_u64().unwrap_or(0) as usize,
                );
                continue;
            }
            let entry = excused.entry(defect.clone()).or_default();
            entry.0 += n.as_u64().unwrap_or(0) as usize;
            entry.1 += 1;
        }
        if result["impossible"].as_u64().unwrap_or(0) > 0 {
            note(
                "description: values no choice makes valid (excused at their place)".to_owned(),
                name,
                result["impossible"].as_u64().unwrap_or(0) as usize,
            );
        }
        let ex = &result["examples"];
        for key in [
            "found",
            "decoded",
            "contradicting",
            "failing",
            "untested",
            "family",
            "family_values",
            "family_failing",
            "family_unmade",
        ] {
            *examples.entry(key).or_default() += ex[key].as_u64().unwrap_or(0) as usize;
        }
        if ex["contradicting"].as_u64().unwrap_or(0) > 0 {
            note(
                "description: examples that contradict their own schema".to_owned(),
                name,
                ex["contradicting"].as_u64().unwrap_or(0) as usize,
            );
        }
        for (why, n) in ex["untested_by_reason"].as_object().into_iter().flatten() {
            *untested.entry(why.clone()).or_default() += n.as_u64().unwrap_or(0) as usize;
        }
    }
    let not_clean: Vec<&str> = kept
        .iter()
        .filter(|r| r["status"] == "not clean")
        .filter_map(|r| r["description"].as_str())
        .collect();
    // Those not clean only for classes of issue 23 (fixed apart), and the others.
    let only_named = kept
        .iter()
        .filter(|r| r["status"] == "not clean")
        .filter(|r| {
            ["violation_list", "failure_list"].iter().all(|list| {
                r[*list]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|entry| entry[2].is_string())
            })
        })
        .count();
    let reasons: Map<String, Value> = reasons
        .into_iter()
        .map(|(kind, descriptions)| {
            let cases: usize = descriptions.values().sum();
            (
                kind,
                json!({ "descriptions": descriptions.len(), "cases": cases, "which": descriptions }),
            )
        })
        .collect();
    json!({
        "descriptions": total,
        "run": kept.len(),
        "generated": generated,
        "clean": clean,
        "not_clean": count("not clean"),
        "refused": count("refused"),
        "errors": count("error") + count("crashed") + count("timeout"),
        "clean_share": if generated == 0 { 0.0 } else { clean as f64 / generated as f64 },
        "seconds_busy": seconds,
        "seconds_span": last.saturating_sub(first),
        "not_clean_only_issue_23_classes": only_named,
        "not_clean_list": not_clean,
        "reasons": reasons,
        "excused": excused.into_iter().map(|(defect, (n, d))| (defect, json!({ "cases": n, "descriptions": d }))).collect::<Map<_, _>>(),
        "examples": examples,
        "family_descriptions": kept.iter().filter(|r| r["examples"]["family"].as_u64().unwrap_or(0) > 0).count(),
        "untested_examples": untested,
    })
}

fn print(report: &Value) {
    let n = |key: &str| report[key].as_u64().unwrap_or(0);
    println!(
        "prism-sweep: {} descriptions ({} run), {} generate, {} clean ({:.1}% of those), {} not clean, {} refused by the generator, {} errors; {:.0} s busy, {} s from first to last",
        n("descriptions"),
        n("run"),
        n("generated"),
        n("clean"),
        100.0 * report["clean_share"].as_f64().unwrap_or(0.0),
        n("not_clean"),
        n("refused"),
        n("errors"),
        report["seconds_busy"].as_f64().unwrap_or(0.0),
        n("seconds_span"),
    );
    println!(
        "  of those not clean, {} are so only for classes of issue 23 (fixed apart)",
        n("not_clean_only_issue_23_classes")
    );
    let ex = &report["examples"];
    let e = |key: &str| ex[key].as_u64().unwrap_or(0);
    println!(
        "examples: {} found, {} decoded, {} contradict their schema, {} fail, {} untested",
        e("found"),
        e("decoded"),
        e("contradicting"),
        e("failing"),
        e("untested")
    );
    println!(
        "issue 28's family (unions with a nullable branch and a list, object or union branch): {} in {} descriptions, {} values made of them, {} fail, {} of which no valid value could be made",
        e("family"),
        report["family_descriptions"].as_u64().unwrap_or(0),
        e("family_values"),
        e("family_failing"),
        e("family_unmade")
    );
    println!("reasons (descriptions, cases):");
    for (kind, entry) in report["reasons"].as_object().into_iter().flatten() {
        let which: Vec<&String> = entry["which"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .collect();
        let shown: Vec<&str> = which.iter().take(4).map(|s| s.as_str()).collect();
        println!(
            "  {kind}: {} in {} ({}{})",
            entry["cases"],
            entry["descriptions"],
            shown.join(", "),
            if which.len() > 4 { ", …" } else { "" }
        );
    }
    println!("named Prism defects excused (cases, descriptions):");
    for (defect, entry) in report["excused"].as_object().into_iter().flatten() {
        println!(
            "  {defect}: {} in {}",
            entry["cases"], entry["descriptions"]
        );
    }
    println!("untested examples by reason:");
    for (why, count) in report["untested_examples"]
        .as_object()
        .into_iter()
        .flatten()
    {
        println!("  {why}: {count}");
    }
}
