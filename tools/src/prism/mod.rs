//! `cargo run -p tools -- prism --spec FILE`: every operation of a description through
//! Stoplight Prism, a mock server that validates each request against the description,
//! and Prism's answer for every documented status through the generated `decode`.
//!
//! 1. The crate is generated, and a harness crate that runs its code ([`harness`]).
//! 2. Prism serves a copy of the description with the media types the generator assumes
//!    stated and examples that contradict their schema replaced ([`copy`]); each change
//!    is listed.
//! 3. Two requests per operation ([`cases`]): plain values, then the edges (optional
//!    parts left out, empty lists, reserved characters, non-ASCII text); the plain one is
//!    sent again once per documented status, asked with `Prefer: code=…`.
//! 4. The harness builds each request with the generated code and writes back what the
//!    generated types made of the values: a dropped or renamed member fails the round
//!    trip. The tool sends it; a request that kills Prism is recorded and Prism restarts.
//! 5. Every answer is judged ([`judge`]): a violation Prism reports of our request
//!    ([`violations`]) is ours unless a named Prism defect ([`defects`]) explains it under
//!    its exact condition; anything that cannot be read (a cut header, a body that is not
//!    JSON) is a failure.
//!
//! It ends with one line ([`Report::summary`]) and fails unless the run is clean.

pub(crate) mod cases;
mod classes;
mod copy;
mod defects;
pub(crate) mod harness;
mod judge;
mod router;
pub mod server;
pub mod sweep;
mod violations;

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use cases::{Asked, Pass};
pub use defects::{Defect, Excused};

/// The base URL requests are built with; the current Prism's replaces it when they are
/// sent (Prism changes port when it restarts).
const BUILT_BASE: &str = "http://127.0.0.1:9";

/// How long one request may take: Prism's dynamic mock of a large schema can take a
/// while (Meshery's preferences: 6.7 MB, 13 s on a busy machine, over a minute with two
/// sweeps' jobs beside it).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Operations of the description.
    pub operations: usize,
    /// Requests sent, each asked status and each retry with the dynamic mock counted.
    pub sent: usize,
    /// Violations of our requests that no defect explains.
    pub violations: Vec<Finding>,
    /// Statuses asked (with `Prefer: code=…`).
    pub statuses: usize,
    /// Statuses asked whose answer decoded to the documented variant.
    pub decoded: usize,
    /// Everything else that went wrong: a value the generated types refused, a request
    /// refused without cause, a round trip that lost something, an answer that cannot be
    /// read, a request that killed Prism, an example that does not survive the round trip.
    pub failures: Vec<Finding>,
    /// Cases a named Prism defect explains, each under its exact condition.
    pub excused: Vec<Excused>,
    /// What the run leaves untested on purpose.
    pub gaps: Vec<String>,
    /// Values no choice can make valid, by operation and place.
    pub impossible: Vec<String>,
    /// What the copy Prism serves changed in the description.
    pub changes: Vec<(String, String)>,
    /// Times Prism was started again after a request killed it.
    pub restarts: usize,
    /// The description's examples through the generated types.
    pub examples: Examples,
    /// Seconds spent in each step (generating, building, sending, judging), for the
    /// sweep's report.
    pub timings: Vec<(&'static str, f64)>,
}

/// Something of ours that went wrong: its kind, by which the Prism sweep groups them
/// (`type at query`, `an answer does not decode`), and what happened.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What went wrong, in words the sweep groups by.
    pub kind: String,
    /// The operation, the case and what happened, one line.
    pub text: String,
    /// The class of issue 23 it belongs to, if any ([`classes`]).
    pub class: Option<classes::Class>,
}

/// The examples a description carries (of schemas, media types, parameters), each read
/// into the generated type it must fit, written back and compared with what went in,
/// schema in hand (`oracle::compare`).
#[derive(Debug, Default)]
pub struct Examples {
    /// Examples found, tested or not.
    pub found: usize,
    /// Those that came back saying the same.
    pub decoded: usize,
    /// Those that did not, but break their own schema (the independent validator says
    /// so): the description's defect, not ours. The pointer and the validator's word.
    pub contradicting: Vec<String>,
    /// Those that did not, and conform: each is also a failure of the run.
    pub failing: usize,
    /// Those no generated type reads (an XML body, a form), or that the finder did not
    /// reach: the pointer and why.
    pub untested: Vec<(String, String)>,
    /// Issue 28's family: the unions (`oneOf`/`anyOf`) with a nullable branch and a
    /// branch that is a list, an object or another union.
    pub family: usize,
    /// Values made of the family's schemas (valid under them) that went through their
    /// types as examples do.
    pub family_values: usize,
    /// Those of the made values that did not come back (each also a failure of the run).
    pub family_failing: usize,
    /// Unions of the family no value valid under could be made of (a `oneOf` whose
    /// branches all take the same values: the description's): pointer and why.
    pub family_unmade: Vec<(String, String)>,
}

impl Examples {
    /// The line about issue 28's family.
    pub fn family_summary(&self) -> String {
        format!(
            "unions with a nullable branch and a list, object or union branch: {}, {} values made of them, {} fail, {} of which no valid value could be made",
            self.family,
            self.family_values,
            self.family_failing,
            self.family_unmade.len()
        )
    }

    /// The line that follows the summary.
    pub fn summary(&self) -> String {
        format!(
            "examples: {} found, {} decoded, {} contradict their schema, {} fail, {} untested",
            self.found,
            self.decoded,
            self.contradicting.len(),
            self.failing,
            self.untested.len()
        )
    }
}

impl Report {
    /// Records a failure of the kind `kind`.
    pub(crate) fn fail(&mut self, kind: &str, text: String) {
        self.fail_on(None, kind, text);
    }

    /// Records a failure of the kind `kind` of the operation `op`.
    pub(crate) fn fail_on(
        &mut self,
        op: Option<&codegen::model::Operation>,
        kind: &str,
        text: String,
    ) {
        let class = classes::of_failure(op, kind, &text);
        self.failures.push(Finding {
            kind: kind.to_owned(),
            text,
            class,
        });
    }

    /// The excused cases that are Prism's defects (not the description's: impossible
    /// values, untyped objects).
    pub fn prism_defects(&self) -> usize {
        self.excused
            .iter()
            .filter(|e| !matches!(e.defect, Defect::Impossible | Defect::UntypedObject))
            .count()
    }
}

impl Report {
    /// No violation of ours, every asked status decoded or excused, nothing failed.
    pub fn is_clean(&self) -> bool {
        let excused_statuses = self.excused.iter().filter(|e| e.status.is_some()).count();
        self.violations.is_empty()
            && self.failures.is_empty()
            && self.decoded + excused_statuses == self.statuses
    }

    /// The one line a run ends with.
    pub fn summary(&self) -> String {
        let excused_statuses = self.excused.iter().filter(|e| e.status.is_some()).count();
        format!(
            "prism: {} operations, {} requests sent, {} request violations, {}/{} statuses decoded ({} excused), {} failures, {} excused by known Prism defects, {} by impossible values, {} coverage gaps, {} impossible values, {} changes to the copy, {} restarts",
            self.operations,
            self.sent,
            self.violations.len(),
            self.decoded,
            self.statuses,
            excused_statuses,
            self.failures.len(),
            self.prism_defects(),
            self.excused.len() - self.prism_defects(),
            self.gaps.len(),
            self.impossible.len(),
            self.changes.len(),
            self.restarts
        )
    }
}

/// Runs the sweep on `spec` and prints what it found; fails unless it is clean. With
/// `slot` (what the Prism sweep runs), the run works in that directory and writes its
/// result as JSON to `result` instead, and succeeds whatever it found.
pub fn main(
    root: &Path,
    spec: &Path,
    slot: Option<&Path>,
    result: Option<&Path>,
) -> Result<(), String> {
    if let (Some(slot), Some(result)) = (slot, result) {
        let report = run_in(root, spec, &Place::slot(slot));
        let saved = sweep::result(report.as_ref());
        return write(
            result,
            &(serde_json::to_string_pretty(&saved).unwrap_or_default() + "\n"),
        );
    }
    let report = run(root, spec)?;
    for (pointer, change) in &report.changes {
        println!("  copy: {pointer}: {change}");
    }
    for excused in &report.excused {
        println!("  excused: {excused}");
    }
    for gap in &report.gaps {
        println!("  gap: {gap}");
    }
    for line in &report.impossible {
        println!("  impossible: {line}");
    }
    for (pointer, why) in &report.examples.untested {
        println!("  untested example: {pointer}: {why}");
    }
    for line in &report.examples.contradicting {
        println!("  contradicting example: {line}");
    }
    for (pointer, why) in &report.examples.family_unmade {
        println!("  no valid value made of: {pointer}: {why}");
    }
    for finding in report.violations.iter().chain(&report.failures) {
        println!("  FAIL {}", finding.text);
    }
    println!("{}", report.summary());
    println!("{}", report.examples.summary());
    println!("{}", report.examples.family_summary());
    if report.is_clean() {
        Ok(())
    } else {
        Err("the run was not clean".to_owned())
    }
}

/// A directory name for `spec`: its stem and a hash of its path, so that descriptions of
/// the same name (`openapi.json` of two providers) do not share one.
fn slug(spec: &Path) -> String {
    let stem: String = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("api")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{stem}-{:08x}", fnv(&spec.display().to_string()) as u32)
}

/// The FNV-1a hash of `text`: the same on every run and machine.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where a run works: its directory (the generated crate, the harness, Prism's copy and
/// logs, the answers), the cargo target directory the harness builds in, and the
/// harness's package name.
pub struct Place {
    /// The run's directory.
    pub work: PathBuf,
    /// The cargo target directory the harness builds in.
    pub target: PathBuf,
    /// The harness's package name.
    pub harness: String,
}

impl Place {
    /// A directory of `spec`'s own under `target/prism/`, building in the compile tests'
    /// target directory (so dependencies build once), with a harness named after it: runs
    /// for several descriptions share that directory, and may run at once.
    pub fn of(root: &Path, spec: &Path) -> Place {
        let slug = slug(spec);
        Place {
            work: root.join("target/prism").join(&slug),
            target: root.join("target/compile-tests/target"),
            harness: format!("prism-harness-{slug}"),
        }
    }

    /// A slot of the Prism sweep: one description after another in the same directory,
    /// with a target directory of the slot's own, so that each build replaces the last
    /// one's artifacts instead of adding to them.
    pub fn slot(dir: &Path) -> Place {
        Place {
            work: dir.to_path_buf(),
            target: dir.join("target"),
            harness: "prism-harness".to_owned(),
        }
    }
}

/// Why a run stopped before judging anything.
#[derive(Debug)]
pub enum Halt {
    /// The generator refused the description (its diagnostics).
    Refused(String),
    /// Something else stood in the way: the harness did not build, Prism did not start.
    Broken(String),
}

impl fmt::Display for Halt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Halt::Refused(why) | Halt::Broken(why) => f.write_str(why),
        }
    }
}

impl From<String> for Halt {
    fn from(why: String) -> Halt {
        Halt::Broken(why)
    }
}

/// Sends every operation of `spec` through Prism and judges what came back, working in
/// `target/prism/`.
pub fn run(root: &Path, spec: &Path) -> Result<Report, String> {
    run_in(root, spec, &Place::of(root, spec)).map_err(|halt| halt.to_string())
}

/// [`run`], working in `place`.
pub fn run_in(root: &Path, spec: &Path, place: &Place) -> Result<Report, Halt> {
    let mut clock = std::time::Instant::now();
    let mut lap = |step: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((step, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    let work = &place.work;
    let api_dir = work.join("api");
    let config = codegen::Config::spec(spec).out(&api_dir).name("prism-api");
    let generated =
        codegen::generate(&config).map_err(|problems| Halt::Refused(problems.to_string()))?;
    let api = &generated.models[0];
    let doc = oracle::Document::read(spec)?;
    let checks = oracle::validate::Checks::new(&doc);

    let mut report = Report {
        operations: api.operations.len(),
        ..Report::default()
    };
    let mut routes = BTreeMap::new();
    let mut unchecked = Vec::new();
    let mut served_operations = router::operations(&doc.root);
    // The copy Prism serves; none when the description's `$ref`s name other files, which
    // a copy would lose (Prism serves the original).
    let mut copied = None;
    if !has_external_refs(&doc.root) {
        let copy = copy::copy(&doc, &server::regexp_compiles)?;
        report.changes = copy.changes;
        report.gaps.extend(
            copy.unchecked
                .iter()
                .map(|(pointer, why)| format!("{pointer}: {why}")),
        );
        routes = copy.routes;
        unchecked = copy.unchecked.iter().map(|(at, _)| at.clone()).collect();
        served_operations = router::operations(&copy.root);
        copied = Some(copy.root);
    }

    let cases = cases::cases(api, &doc, &checks);
    let asked: Vec<Vec<Asked>> = api.operations.iter().map(cases::asked).collect();
    let examples = judge::Found::of(&doc, api, &checks, &mut report.examples);
    lap("generate", &mut report.timings);
    let binary = build_harness(root, place, api, &examples.types)?;
    lap("build", &mut report.timings);
    let examples_back = run_harness(
        &binary,
        "examples",
        examples
            .tested
            .iter()
            .map(|(example, ty)| json!({ "type": ty, "value": example.value })),
    )?;
    let built = run_harness(
        &binary,
        "build",
        cases.iter().enumerate().map(|(n, case)| {
            json!({
                "case": n,
                "index": case.index,
                "base": BUILT_BASE,
                "params": case.params,
                "body": case.body,
            })
        }),
    )?;

    let unsent = indistinct(api, &routes);
    for (index, others) in &unsent {
        let op = &api.operations[*index];
        report.gaps.push(format!(
            "{} ({} {}): not sent: Prism cannot tell it from {others}, which have the same method and path but for parameter names",
            op.id, op.method, op.path
        ));
    }
    let mut misrouted = misrouted(api, &cases, &built, &routes, &served_operations);
    if let Some(root) = copied.as_mut().filter(|_| !misrouted.is_empty()) {
        // Prism takes the later of two path keys that match a request alike: served with
        // the keys of more literal text later, the more particular one wins.
        if copy::order_paths(root) {
            report.changes.push((
                "#/paths".to_owned(),
                "path keys served in order of their literal text, fewest first: Prism routes a request two keys match alike to the later one".to_owned(),
            ));
            served_operations = router::operations(root);
            misrouted = self::misrouted(api, &cases, &built, &routes, &served_operations);
        }
    }
    let served = match &copied {
        Some(root) => {
            let served = work.join("description.json");
            write(
                &served,
                &serde_json::to_string_pretty(root).unwrap_or_default(),
            )?;
            served
        }
        None => spec.to_path_buf(),
    };
    for (n, why) in &misrouted {
        let case = &cases[*n];
        let op = &api.operations[case.index];
        report.gaps.push(format!(
            "{} [{}]: not sent: {why}",
            op.id,
            case.pass.as_str()
        ));
    }
    let mut answers: Vec<Answer> = Vec::new();
    // A description of webhooks alone has nothing to send (and Prism refuses it).
    if !cases.is_empty() {
        let mut prism = server::Prism::start(root, &served, work.join("prism.log"))?;
        for (n, (case, built)) in cases.iter().zip(&built).enumerate() {
            if unsent.contains_key(&case.index) || misrouted.contains_key(&n) {
                continue;
            }
            let op = &api.operations[case.index];
            let Some(request) = built.get("request") else {
                continue;
            };
            let prefers: Vec<Option<u16>> = match case.pass {
                Pass::Plain => std::iter::once(None)
                    .chain(asked[case.index].iter().map(|a| Some(a.code)))
                    .collect(),
                Pass::Edges => vec![None],
            };
            let route = routes.get(&op.pointer).map_or("", String::as_str);
            for prefer in prefers {
                report.sent += 1;
                let mut sent = send(&mut prism, request, route, prefer, false);
                // Prism's static mock gives up on large schemas (SCHEMA_TOO_COMPLEX); its
                // dynamic one (seeded, so the same every run) makes a body all the same.
                if sent.as_ref().is_ok_and(too_complex) && prefer.is_some() {
                    report.sent += 1;
                    sent = send(&mut prism, request, route, prefer, true);
                }
                match sent {
                    Ok(answer) => answers.push(Answer {
                        case: n,
                        prefer,
                        ..answer
                    }),
                    Err(Sent::Killed(error)) => {
                        // Prism dies writing a character above U+00FF into its own
                        // `sl-violations` header, or splitting an absent array header
                        // (its standard error says so): not our request.
                        let why = prism.errors();
                        let defect = if why
                            .contains("Invalid character in header content [\"sl-violations\"]")
                        {
                            Some(Defect::HeaderCharacter)
                        } else if defects::absent_array_header(&doc, op, request, &why) {
                            Some(Defect::AbsentArrayHeader)
                        } else {
                            None
                        };
                        if let Some(defect) = defect {
                            report.excused.push(Excused {
                                operation: op.id.clone(),
                                pass: case.pass.as_str(),
                                place: prefer
                                    .map_or("request".to_owned(), |c| format!("status {c}")),
                                status: prefer,
                                defect,
                            });
                        } else {
                            let last = why
                                .lines()
                                .rev()
                                .find(|l| !l.trim().is_empty())
                                .unwrap_or("");
                            report.fail_on(
                                Some(op),
                                "a request kills Prism",
                                format!(
                                    "{} ({}{}): the request killed Prism ({error}; {last}); it was started again",
                                    op.id,
                                    case.pass.as_str(),
                                    prefer.map(|c| format!(", Prefer: code={c}")).unwrap_or_default()
                                ),
                            );
                        }
                        prism.restart()?;
                    }
                    Err(Sent::Failed(error)) => report.fail_on(
                        Some(op),
                        "a request gets no answer",
                        format!("{} ({}): no answer: {error}", op.id, case.pass.as_str()),
                    ),
                }
            }
        }
        report.restarts = prism.restarts;
    }
    lap("send", &mut report.timings);

    let decoded = run_harness(&binary, "decode", answers.iter().map(|answer| {
        json!({
            "case": answer.case,
            "index": cases[answer.case].index,
            "status": answer.status,
            "headers": answer.headers.iter().map(|(name, value)| json!([name, encode(value)])).collect::<Vec<_>>(),
            "body": encode(&answer.body),
        })
    }))?;
    for (answer, decoded) in answers.iter_mut().zip(decoded) {
        answer.decoded = decoded["decoded"].as_str().unwrap_or_default().to_owned();
    }
    // Every answer, for a look when something is off.
    let dump: Vec<String> = answers
        .iter()
        .map(|answer| {
            let case = &cases[answer.case];
            json!({
                "operation": api.operations[case.index].id,
                "pass": case.pass.as_str(),
                "request": built[answer.case].get("request"),
                "prefer": answer.prefer,
                "status": answer.status,
                "headers": answer.headers.iter().map(|(n, v)| json!([n, String::from_utf8_lossy(v)])).collect::<Vec<_>>(),
                "body": String::from_utf8_lossy(&answer.body).chars().take(4000).collect::<String>(),
                "decoded": answer.decoded,
            })
            .to_string()
        })
        .collect();
    write(&work.join("answers.jsonl"), &(dump.join("\n") + "\n"))?;
    judge::examples(&doc, &checks, &examples, &examples_back, &mut report);
    // The validator the judge asks whether Prism's answers break the description: one
    // that can read every schema. A pattern Node cannot compile is mostly one the
    // validator cannot either, and a schema it cannot read takes anything.
    let readable = (!unchecked.is_empty()).then(|| {
        let mut root = doc.root.clone();
        for at in &unchecked {
            let path = oracle::document::percent_decode(at.trim_start_matches('#'));
            if let Some((parent, _)) = path.rsplit_once('/') {
                if let Some(Value::Object(schema)) = root.pointer_mut(parent) {
                    schema.remove("pattern");
                }
            }
        }
        oracle::validate::Checks::new(&oracle::Document::new(root))
    });
    judge::judge(
        &judge::Run {
            api,
            doc: &doc,
            checks: readable.as_ref().unwrap_or(&checks),
            cases: &cases,
            built: &built,
            asked: &asked,
            answers: &answers,
            unsent: &unsent,
            misrouted: &misrouted,
            unchecked: &unchecked,
        },
        &mut report,
    );
    lap("judge", &mut report.timings);
    Ok(report)
}

/// Operations Prism cannot tell apart: the same method and the same path but for the
/// names of its parameters (Spanner's `GET /v1/{name}` and `GET /v1/{parent}`, which
/// OpenAPI forbids). Prism answers every request to them as one of them, so a request
/// to the others would be checked against another operation: none is sent. By index,
/// with the operations each is confused with.
fn indistinct(
    api: &codegen::model::Api,
    routes: &BTreeMap<String, String>,
) -> BTreeMap<usize, String> {
    let mut by_route: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (index, op) in api.operations.iter().enumerate() {
        let route = routes.get(&op.pointer).map_or("", String::as_str);
        let mut shape = String::new();
        let mut in_name = false;
        for c in format!("{}{route}", op.path).chars() {
            match c {
                '{' => {
                    in_name = true;
                    shape.push_str("{}");
                }
                '}' => in_name = false,
                _ if in_name => {}
                _ => shape.push(c),
            }
        }
        by_route
            .entry((op.method.to_string(), shape))
            .or_default()
            .push(index);
    }
    let mut unsent = BTreeMap::new();
    for indices in by_route.values().filter(|indices| indices.len() > 1) {
        for &index in indices {
            let others: Vec<String> = indices
                .iter()
                .filter(|&&other| other != index)
                .map(|&other| {
                    let op = &api.operations[other];
                    format!("{} ({} {})", op.id, op.method, op.path)
                })
                .collect();
            unsent.insert(index, others.join(", "));
        }
    }
    unsent
}

/// The cases whose request Prism would check against another operation than theirs
/// ([`router`]), by number, with why: the description has two path keys that match the
/// request's path, and Prism's router takes the other.
fn misrouted(
    api: &codegen::model::Api,
    cases: &[cases::Case],
    built: &[Value],
    routes: &BTreeMap<String, String>,
    served: &[(String, String)],
) -> BTreeMap<usize, String> {
    let mut found = BTreeMap::new();
    for (n, (case, built)) in cases.iter().zip(built).enumerate() {
        let Some(uri) = built.pointer("/request/uri").and_then(Value::as_str) else {
            continue;
        };
        let op = &api.operations[case.index];
        let route = routes.get(&op.pointer).map_or("", String::as_str);
        let target = routed(uri.strip_prefix(BUILT_BASE).unwrap_or(uri), route);
        let path = target.split('?').next().unwrap_or_default();
        let ours = copy::fragment_route(&op.path)
            .map(|(key, _)| key)
            .or_else(|| copy::key_query(&op.path).map(|(path, _)| path.to_owned()))
            .unwrap_or_else(|| op.path.clone());
        let method = op.method.to_string();
        let Some(chosen) = router::route(served, &method, path) else {
            continue;
        };
        let (key, _) = &served[chosen];
        if *key != ours {
            found.insert(
                n,
                format!(
                    "Prism routes `{} {path}` to the path `{key}`, not `{}`: its router ranks the keys that match by their segments and takes the later of two that rank the same",
                    method.to_ascii_uppercase(),
                    op.path
                ),
            );
        }
    }
    found
}

/// One answer of Prism's.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The case it answers (an index into the run's cases).
    pub case: usize,
    /// The status asked for with `Prefer: code=…`, if any.
    pub prefer: Option<u16>,
    /// The status Prism answered with.
    pub status: u16,
    /// Headers as received: name and raw bytes.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body as received.
    pub body: Vec<u8>,
    /// What the generated `decode` made of it.
    pub decoded: String,
}

impl Answer {
    /// The value of the header `name`, as received.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_slice())
    }
}

enum Sent {
    /// The connection broke and Prism is gone.
    Killed(String),
    /// No answer, Prism still running.
    Failed(String),
}

/// Whether Prism gave up making a body (`SCHEMA_TOO_COMPLEX`).
fn too_complex(answer: &Answer) -> bool {
    answer.status == 500
        && String::from_utf8_lossy(&answer.body).contains("prism/errors#SCHEMA_TOO_COMPLEX")
}

/// Sends a built request (JSON from the harness) to the current Prism, with `route`
/// after its path (the escaped fragment of a path key, see [`copy`]); `dynamic` asks
/// for a body made by its dynamic mock.
fn send(
    prism: &mut server::Prism,
    request: &Value,
    route: &str,
    prefer: Option<u16>,
    dynamic: bool,
) -> Result<Answer, Sent> {
    let uri = request["uri"].as_str().unwrap_or_default();
    let uri = match uri.strip_prefix(BUILT_BASE) {
        Some(rest) => format!("{}{}", prism.url, routed(rest, route)),
        None => return Err(Sent::Failed(format!("a request to another server: {uri}"))),
    };
    let mut builder = ureq::http::Request::builder()
        .method(request["method"].as_str().unwrap_or("GET"))
        .uri(&uri);
    for pair in request["headers"].as_array().into_iter().flatten() {
        builder = builder.header(pair[0].as_str().unwrap_or_default(), decode(&pair[1]));
    }
    match (prefer, dynamic) {
        (Some(code), false) => builder = builder.header("prefer", format!("code={code}")),
        (Some(code), true) => {
            builder = builder.header("prefer", format!("code={code}, dynamic=true"));
        }
        (None, _) => {}
    }
    let body = decode(&request["body"]);
    let request = builder
        .body(body)
        .map_err(|error| Sent::Failed(format!("cannot send it: {error}")))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .allow_non_standard_methods(true)
        .build()
        .into();
    let response = match agent.run(request) {
        Ok(response) => response,
        Err(error) => {
            return Err(if prism.died() {
                Sent::Killed(error.to_string())
            } else {
                Sent::Failed(error.to_string())
            });
        }
    };
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
        .collect();
    let body = response
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .map_err(|error| Sent::Failed(format!("the body could not be read: {error}")))?;
    Ok(Answer {
        status,
        headers,
        body,
        ..Answer::default()
    })
}

/// `route` put after the path of `target` (a path and maybe a query), before its query.
fn routed(target: &str, route: &str) -> String {
    match target.split_once('?') {
        Some((path, query)) => format!("{path}{route}?{query}"),
        None => format!("{target}{route}"),
    }
}

fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode(text: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text.as_str().unwrap_or_default())
        .unwrap_or_default()
}

/// Whether a `$ref` anywhere names another file.
fn has_external_refs(node: &Value) -> bool {
    match node {
        Value::Object(fields) => fields.iter().any(|(key, value)| {
            (key == "$ref" && value.as_str().is_some_and(|r| !r.starts_with('#')))
                || has_external_refs(value)
        }),
        Value::Array(items) => items.iter().any(has_external_refs),
        _ => false,
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes the harness crate in `place` and builds it in its target directory; its
/// examples mode reads `example_types`.
fn build_harness(
    root: &Path,
    place: &Place,
    api: &codegen::model::Api,
    example_types: &[String],
) -> Result<PathBuf, String> {
    let dir = place.work.join("harness");
    let name = &place.harness;
    write(&dir.join("Cargo.toml"), &harness::manifest(name, "../api"))?;
    write(
        &dir.join("src/main.rs"),
        &harness::main_rs(api, example_types),
    )?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    write(&dir.join("Cargo.lock"), &lock)?;
    let mut cargo = crate::cargo();
    cargo
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &place.target);
    server::die_with_parent(&mut cargo);
    let output = cargo
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the harness in {} does not build:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(place.target.join("debug").join(name))
}

/// Runs the harness in `mode` on `lines` and returns its answer to each, in order.
fn run_harness(
    binary: &Path,
    mode: &str,
    lines: impl Iterator<Item = Value>,
) -> Result<Vec<Value>, String> {
    let input: Vec<String> = lines.map(|line| line.to_string()).collect();
    let mut child = Command::new(binary)
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the harness: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let count = input.len();
    let writer = std::thread::spawn(move || {
        for line in input {
            if writeln!(stdin, "{line}").is_err() {
                break;
            }
        }
    });
    let stdout = child.stdout.take().expect("piped");
    let mut answers = Vec::with_capacity(count);
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let answer: Value = serde_json::from_str(&line)
            .map_err(|e| format!("the harness printed a line that is not JSON ({e}): {line}"))?;
        answers.push(answer);
    }
    let _ = writer.join();
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() || answers.len() != count {
        return Err(format!(
            "the harness ({mode}) failed after {} of {count} lines: {}",
            answers.len(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(answers)
}

/// The answers by case, for the judge.
pub(crate) fn by_case(answers: &[Answer]) -> BTreeMap<usize, Vec<&Answer>> {
    let mut grouped: BTreeMap<usize, Vec<&Answer>> = BTreeMap::new();
    for answer in answers {
        grouped.entry(answer.case).or_default().push(answer);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_prism_cannot_tell_apart_are_found() {
        let spec = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/v1/{name}": {"get": {"operationId": "operations", "parameters": [
                    {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "none"}}}},
                "/v1/{parent}": {"get": {"operationId": "scans", "parameters": [
                    {"name": "parent", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "none"}}},
                    "post": {"operationId": "create", "parameters": [
                    {"name": "parent", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "none"}}}},
                "/v1/{parent}#tags": {"get": {"operationId": "tags", "parameters": [
                    {"name": "parent", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "none"}}}}
            }
        });
        let generated =
            codegen::generate(&codegen::Config::text("t.json", spec.to_string())).unwrap();
        let api = &generated.models[0];
        let tags = api.operations.iter().find(|op| op.id == "tags").unwrap();
        let routes = BTreeMap::from([(tags.pointer.clone(), "%23tags".to_owned())]);
        let unsent: Vec<&str> = indistinct(api, &routes)
            .keys()
            .map(|&index| api.operations[index].id.as_str())
            .collect();
        assert_eq!(unsent.len(), 2, "{unsent:?}");
        assert!(unsent.contains(&"operations") && unsent.contains(&"scans"));
        // Without its route the fragment's operation is the same GET too.
        assert_eq!(indistinct(api, &BTreeMap::new()).len(), 3);
    }

    #[test]
    fn a_route_goes_after_the_path_before_the_query() {
        assert_eq!(routed("/tags/a?k=1", "%23tagKeys"), "/tags/a%23tagKeys?k=1");
        assert_eq!(routed("/", "%23X=1"), "/%23X=1");
        assert_eq!(routed("/a?b", ""), "/a?b");
    }
}
