//! `cargo xtask prism --spec FILE`: generates the crate for a description, sends every
//! operation through Stoplight Prism (which validates each request against the
//! description), asks Prism for each documented status and decodes its answer with the
//! generated `decode`. Ends with one line:
//!
//! `prism: N operations sent, V request violations, D/S statuses decoded, K known Prism defects`
//!
//! and fails when V > 0 or D < S. Cases that a known Prism defect prevents count in K,
//! not in V or S, and are listed by name.

mod classify;
pub(crate) mod harness;
pub mod server;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::{Api, Location, Operation, Payload, Status};
use serde_json::{json, Value};

use classify::Defect;

/// What a run found.
#[derive(Default)]
pub struct Report {
    pub sent: usize,
    pub violations: Vec<String>,
    pub statuses: usize,
    pub decoded: usize,
    pub failures: Vec<String>,
    defects: BTreeSet<(String, String, Defect)>,
    /// Operations whose description admits no valid request, and why.
    pub impossible: Vec<String>,
}

impl Report {
    /// The one line a run ends with.
    pub fn summary(&self) -> String {
        format!(
            "prism: {} operations sent, {} request violations, {}/{} statuses decoded, {} known Prism defects, {} made impossible by the description",
            self.sent,
            self.violations.len(),
            self.decoded,
            self.statuses,
            self.defects.len(),
            self.impossible.len()
        )
    }
}

/// The statuses asked of one operation: the code in `Prefer`, and what `decode` must
/// make of the answer (`Ok Created`, `Err Conflict`).
struct Asked {
    code: u16,
    expected: String,
}

/// Runs the sweep on `spec` and prints what it found; fails unless it is clean.
pub fn main(root: &Path, spec: &Path) -> Result<(), String> {
    let report = run(root, spec)?;
    for line in report.violations.iter().chain(&report.failures) {
        eprintln!("  {line}");
    }
    for (op, place, defect) in &report.defects {
        eprintln!("  known defect: {op} ({place}): {}", defect.describe());
    }
    for line in &report.impossible {
        eprintln!("  impossible: {line}");
    }
    // The description's own impossibilities are named, and only then counted.
    let impossible = if report.impossible.is_empty() {
        String::new()
    } else {
        format!(
            ", {} made impossible by the description",
            report.impossible.len()
        )
    };
    println!(
        "prism: {} operations sent, {} request violations, {}/{} statuses decoded, {} known Prism defects{impossible}",
        report.sent,
        report.violations.len(),
        report.decoded,
        report.statuses,
        report.defects.len()
    );
    let clean = report.violations.is_empty()
        && report.decoded == report.statuses
        && report.failures.is_empty();
    if clean {
        Ok(())
    } else {
        Err("the run was not clean".to_owned())
    }
}

/// Sends every operation of `spec` through Prism and judges what came back.
pub fn run(root: &Path, spec: &Path) -> Result<Report, String> {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let work = root.join("target/prism").join(stem);
    let api_dir = work.join("api");
    let config = codegen::Config::spec(spec).out(&api_dir).name("prism-api");
    let generated = codegen::generate(&config).map_err(|problems| problems.to_string())?;
    let api = &generated.models[0];
    let doc = oracle::Document::read(spec)?;
    let (cases, asked, impossible) = cases(api, &doc);
    let harness = build_harness(root, &work, api)?;
    let cases_file = work.join("cases.json");
    std::fs::write(
        &cases_file,
        serde_json::to_string_pretty(&cases).unwrap_or_default(),
    )
    .map_err(|e| format!("cannot write {}: {e}", cases_file.display()))?;
    let mut prism = server::Prism::start(root, spec, work.join("prism.log"))?;
    let output = Command::new(&harness)
        .arg(&prism.url)
        .arg(&cases_file)
        .output()
        .map_err(|e| format!("cannot run the harness: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the harness failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let reports: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let mut report = judge(api, &asked, &impossible, &reports);
    if !prism.is_running() {
        report.failures.push(format!(
            "Prism stopped during the run (a request crashed it); see {}",
            prism.log.display()
        ));
    }
    Ok(report)
}

/// The case of every operation (its parameters, body and the statuses to ask for), and
/// what each asked status must decode to, by operation.
fn cases(api: &Api, doc: &oracle::Document) -> (Vec<Value>, Vec<Vec<Asked>>, Vec<Vec<String>>) {
    let mut cases = Vec::new();
    let mut all_asked = Vec::new();
    let mut all_impossible = Vec::new();
    let checks = oracle::validate::Checks::new(doc);
    let maker = oracle::Maker::new(doc, oracle::Options::plain()).checked(&checks);
    for (index, op) in api.operations.iter().enumerate() {
        let mut source = oracle::source::Seeded::from_text(&op.id);
        let mut impossible = Vec::new();
        let mut params = serde_json::Map::new();
        for param in &op.params {
            // A header parameter `Accept` (Elastic's, for a CSV answer) is sent as the
            // caller gives it, in place of the documented media types; a value made from
            // its schema (`"text"`) is no media type, and Prism stops answering on it. So
            // an optional one is left out, and a required one asks for JSON.
            let accept =
                param.location == Location::Header && param.wire.eq_ignore_ascii_case("accept");
            let value = match (accept, param.required) {
                (true, false) => continue,
                (true, true) => json!("application/json"),
                (false, _) => maker.param(&mut source, &param.pointer),
            };
            params.insert(param.wire.clone(), value);
        }
        let body = match op.body.as_ref().and_then(|b| b.contents.first()) {
            None => Value::Null,
            Some(content) => match &content.payload {
                Payload::Text => json!("text body"),
                Payload::Binary => json!(b"binary body".to_vec()),
                _ => {
                    let body = maker.body(
                        &mut source,
                        content.media.as_deref(),
                        content.schema.as_deref(),
                    );
                    if let Some(schema) = content.schema.as_deref() {
                        if let Some(problem) = checks.problem(schema, &body) {
                            impossible.push(format!("{schema}: {problem}"));
                        }
                    }
                    body
                }
            },
        };
        let asked = asked(op);
        let prefer: Vec<u16> = asked.iter().map(|a| a.code).collect();
        cases.push(json!({ "index": index, "params": params, "body": body, "prefer": prefer }));
        all_asked.push(asked);
        all_impossible.push(impossible);
    }
    (cases, all_asked, all_impossible)
}

/// A status for each documented response, with the variant it must decode to. A range
/// is asked as its first code the operation does not list; `default` as a code nothing
/// else covers. 1xx answers are never final, so they cannot be asked for.
fn asked(op: &Operation) -> Vec<Asked> {
    let covered = |code: u16| {
        op.responses.iter().any(|r| match r.status {
            Status::Code(c) => c == code,
            Status::Range(h) => code / 100 == h,
            Status::Default => false,
        })
    };
    let no_success = !op.responses.iter().any(|r| r.is_success());
    let mut asked = Vec::new();
    for response in &op.responses {
        let code = match response.status {
            Status::Code(code) if code >= 200 => Some(code),
            Status::Code(_) => None,
            Status::Range(hundreds) => (hundreds * 100..hundreds * 100 + 100)
                .find(|code| !op.responses.iter().any(|r| r.status == Status::Code(*code))),
            Status::Default => [599, 598, 597, 499, 498]
                .into_iter()
                .find(|code| !covered(*code)),
        };
        let Some(code) = code else { continue };
        let success = response.is_success()
            || (response.status == Status::Default && no_success && code < 300);
        let side = if success { "Ok" } else { "Err" };
        asked.push(Asked {
            code,
            expected: format!("{side} {}", response.variant),
        });
    }
    asked
}

/// Writes the harness crate under `work` and builds it, sharing the compile tests'
/// target directory so dependencies build once.
fn build_harness(root: &Path, work: &Path, api: &Api) -> Result<PathBuf, String> {
    let dir = work.join("harness");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let write = |path: PathBuf, text: String| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    // One binary per description: runs for several descriptions share the target
    // directory, and may run at once.
    let stem = work.file_name().and_then(|s| s.to_str()).unwrap_or("api");
    let name: String = format!("prism-harness-{stem}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    write(dir.join("Cargo.toml"), harness::manifest(&name, "../api"))?;
    write(dir.join("src/main.rs"), harness::main_rs(api))?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    write(dir.join("Cargo.lock"), lock)?;
    let target = root.join("target/compile-tests/target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the harness in {} does not build", dir.display()));
    }
    Ok(target.join("debug").join(name))
}

/// Counts what the harness saw.
fn judge(api: &Api, asked: &[Vec<Asked>], impossible: &[Vec<String>], reports: &[Value]) -> Report {
    let mut report = Report::default();
    // Operations whose request a known defect spoils: their statuses are not asked.
    let mut spoiled: BTreeMap<usize, ()> = BTreeMap::new();
    for (index, op) in api.operations.iter().enumerate() {
        if !impossible[index].is_empty() {
            for why in &impossible[index] {
                report.impossible.push(format!("{}: {why}", op.id));
            }
            report.sent += 1;
            spoiled.insert(index, ());
            continue;
        }
        for (place, defect) in classify::known_before(op) {
            report.defects.insert((op.id.clone(), place, defect));
        }
        let Some(plain) = reports
            .iter()
            .find(|r| r["index"] == index && r["prefer"].is_null())
        else {
            report.failures.push(format!("{}: no report", op.id));
            continue;
        };
        if let Some(error) = plain.get("error").and_then(Value::as_str) {
            report.failures.push(format!("{}: {error}", op.id));
            continue;
        }
        report.sent += 1;
        for violation in classify::request_violations(plain) {
            match classify::defect(op, &violation) {
                Some(defect) => {
                    let place = violation["location"].to_string();
                    report.defects.insert((op.id.clone(), place, defect));
                    spoiled.insert(index, ());
                }
                None => report.violations.push(format!("{}: {violation}", op.id)),
            }
        }
    }
    for (index, op) in api.operations.iter().enumerate() {
        if spoiled.contains_key(&index) {
            continue;
        }
        for one in &asked[index] {
            report.statuses += 1;
            let seen = reports
                .iter()
                .find(|r| r["index"] == index && r["prefer"] == one.code);
            let decoded = seen
                .and_then(|r| r["decoded"].as_str())
                .unwrap_or("no answer");
            let defect = seen.and_then(classify::answer_defect);
            if decoded == one.expected {
                report.decoded += 1;
            } else if let Some(defect) = defect {
                report.statuses -= 1;
                report
                    .defects
                    .insert((op.id.clone(), format!("status {}", one.code), defect));
            } else {
                let status = seen.map(|r| r["status"].to_string()).unwrap_or_default();
                report.failures.push(format!(
                    "{}: asked {}, got {status}, decoded `{decoded}`, expected `{}`",
                    op.id, one.code, one.expected
                ));
            }
        }
    }
    report
}
