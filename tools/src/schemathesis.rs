//! `cargo run -p tools -- schemathesis --spec FILE`: Schemathesis, a client the project
//! did not write, runs every check it has against the generated mock of a description,
//! negative data included. Only the three stateful checks a stateless mock cannot pass
//! are left out, by name ([`LEFT_OUT`]).
//!
//! 1. The crate is generated (with the server and the mock) under
//!    `target/schemathesis/`, and a runner crate beside it serves `App::mock()` with an
//!    authenticator that knows one secret per kind of scheme (so credentials Schemathesis
//!    makes up are refused with a 403, as a real server would, where the plain mock
//!    accepts any). It is started on a free port of 127.0.0.1.
//! 2. The pinned Schemathesis (`tools/schemathesis/`, installed by its `install.sh`) runs
//!    against it with a fixed seed, its report written as NDJSON events.
//! 3. Every check result is read from the report: a failure is the server's unless a
//!    named [`Excuse`] explains it under that excuse's exact condition; anything the
//!    report holds that cannot be read is a failure too.
//!
//! It ends with one line ([`Report::summary`]) and fails unless no failure is left.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use base64::Engine as _;
use codegen::model::{Api, Location, SchemeKind};
use codegen::Filter;
use serde_json::Value;

/// The checks left out: they follow a resource across requests (create, delete, read
/// again; another user's object), which a stateless mock has none of.
pub const LEFT_OUT: &[&str] = &[
    "use_after_free",
    "ensure_resource_availability",
    "object_level_authorization",
];

/// The secrets the runner's authenticator accepts, and Schemathesis is given.
const TOKEN: &str = "st-token";
const USER: &str = "st";
const PASSWORD: &str = "st-secret";
const KEY: &str = "st-key";

/// Why a failed check is not the server's fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Excuse {
    /// The operation documents no response a refusal could be (no 400, 422, 4XX nor
    /// `default`), and the request was one Schemathesis made to break the description:
    /// the server must refuse it, and any status it refuses with is undocumented.
    NoRefusalDocumented,
    /// A form (`multipart/form-data`, URL-encoded) writes an empty list as no part or
    /// pair at all, so a required list left out and an empty one are the same request:
    /// Schemathesis sends it as valid (an empty list) and, in its coverage phase, as
    /// invalid (the list missing); the server reads it as the empty list.
    EmptyListInForm,
    /// A multipart list is a part per item (as the generated client writes it), so one
    /// JSON part that is not an array is one item; Schemathesis meant it as the whole
    /// list, of the wrong type.
    ListItemPart,
    /// A URL-encoded list property written the way generic form writers write lists, its
    /// bare name once per item (`expand=a&expand=b`; the server reads that beside the
    /// list's own style), so a list of one item is the same text as a string:
    /// Schemathesis meant `expand=AAA` as a string, of the wrong type, and the server
    /// reads the list `["AAA"]`.
    OneItemList,
    /// A request Schemathesis made to break the description's security scheme (an
    /// `Authorization` of the wrong form), answered with the 401 and `WWW-Authenticate`
    /// missing credentials get, by an operation that documents no 401, 4XX nor
    /// `default`.
    NoUnauthorizedDocumented,
    /// A form's values are text: a string property Schemathesis gave another type
    /// (an integer, an object) goes on the wire as its text, which the string admits, so
    /// the server accepts what Schemathesis meant as the wrong type.
    TextInForm,
    /// The operation declares `Accept` as a header parameter, which OpenAPI says is
    /// ignored; Schemathesis fills it with any string as valid data, and the server
    /// answers an `Accept` nothing documented satisfies with the 406 HTTP asks for.
    AcceptParameter,
    /// The path of the request matches several templates of the description
    /// (`/users/search` is also `/users/{username}`), and a method the most concrete one
    /// lacks goes to another that has it; so a 405's `Allow` lists, beside the methods
    /// of the template Schemathesis tested, those of the other templates the path
    /// matches, which Schemathesis reads as undocumented.
    OverlappingTemplates,
    /// A request target (path and query) longer than the 65,534 bytes hyper, the HTTP
    /// library under axum, reads: hyper answers 414 itself, with no body nor
    /// `Content-Type`, before any route runs. The refusal is HTTP's own (RFC 9110,
    /// 15.5.15), which no description documents and Schemathesis does not expect.
    UriTooLong,
    /// A parameter of `type: integer` with no `format` (so no bound) given a value past
    /// `i64`, refused. This is a choice, not a defect: such an integer is an `i64` in
    /// the generated types, as in every Rust generator, since a `limit` or an id typed
    /// as a big-number type would serve no one; the server refuses what the type cannot
    /// hold, naming the parameter (a setting, `[scalars.integers]`, picks another type
    /// by `format`).
    IntegerPastI64,
    /// A required member of an object inside a form body left out (Stripe's
    /// `shipping[address]`), in a case Schemathesis made invalid that way, accepted: a
    /// form writes an empty object or list as no pair at all, so leaving the member out
    /// is the text of the empty object or list its schema admits, which the server reads.
    EmptyMemberInForm,
    /// A value Schemathesis means as valid that a URL-encoded form cannot write, refused:
    /// a `deepObject` key holding `[` or `]` (`tax[a]b]` reads as the key `a` and stray
    /// text), or objects as the items of a list, which Schemathesis writes as their
    /// keys, each a bare pair (`items=price&items=quantity`), not as the items.
    UnwritableForm,
    /// A text body (`text/plain`, or `application/text`, which the project's hooks write
    /// the same way) whose schema is a string and nothing else: what Schemathesis meant
    /// as another type (an object, a list) goes on the wire as its text, which is a
    /// value of that string, so the server accepts it.
    TextBody,
}

impl fmt::Display for Excuse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Excuse::NoRefusalDocumented => "NoRefusalDocumented",
            Excuse::EmptyListInForm => "EmptyListInForm",
            Excuse::ListItemPart => "ListItemPart",
            Excuse::OneItemList => "OneItemList",
            Excuse::TextInForm => "TextInForm",
            Excuse::NoUnauthorizedDocumented => "NoUnauthorizedDocumented",
            Excuse::AcceptParameter => "AcceptParameter",
            Excuse::OverlappingTemplates => "OverlappingTemplates",
            Excuse::UriTooLong => "UriTooLong",
            Excuse::IntegerPastI64 => "IntegerPastI64",
            Excuse::TextBody => "TextBody",
            Excuse::EmptyMemberInForm => "EmptyMemberInForm",
            Excuse::UnwritableForm => "UnwritableForm",
        })
    }
}

/// A failed check a named excuse explains.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Excused {
    /// Why it is excused.
    pub excuse: Excuse,
    /// `status_code_conformance GET /users/{username}`.
    pub check: String,
}

impl fmt::Display for Excused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.check, self.excuse)
    }
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Operations Schemathesis tested.
    pub operations: usize,
    /// Requests it sent (its test cases).
    pub cases: usize,
    /// Each check's name and how often it ran.
    pub checks: BTreeMap<String, usize>,
    /// Failed checks no excuse explains, each with what was sent and answered.
    pub failures: Vec<String>,
    /// Failed checks a named excuse explains, each once per check and operation.
    pub excused: Vec<Excused>,
}

impl Report {
    /// Nothing failed but what is excused.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty() && self.cases > 0
    }

    /// The one line a run ends with.
    pub fn summary(&self) -> String {
        let runs: usize = self.checks.values().sum();
        format!(
            "schemathesis: {} operations, {} test cases, {} checks ({} results), {} failures, {} excused",
            self.operations,
            self.cases,
            self.checks.len(),
            runs,
            self.failures.len(),
            self.excused.len(),
        )
    }
}

/// How a run is made.
#[derive(Debug, Clone)]
pub struct Options {
    /// The operations to keep (a large description is checked in part).
    pub filter: Filter,
    /// Test cases per operation and phase.
    pub examples: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            filter: Filter::all(),
            examples: 10,
        }
    }
}

/// Runs Schemathesis on the mock of `spec` and prints what it found; fails unless clean.
pub fn main(root: &Path, spec: &Path, options: &Options) -> Result<(), String> {
    let report = run(root, spec, options)?;
    for excused in &report.excused {
        println!("  excused: {excused}");
    }
    for failure in &report.failures {
        println!("FAIL {failure}");
    }
    println!("{}", report.summary());
    if report.is_clean() {
        Ok(())
    } else {
        Err(format!("{} failures", report.failures.len()))
    }
}

/// The run on `spec`.
pub fn run(root: &Path, spec: &Path, options: &Options) -> Result<Report, String> {
    let spec = &spec
        .canonicalize()
        .map_err(|error| format!("cannot read {}: {error}", spec.display()))?;
    install(root)?;
    let api = crate::served::generate(root, spec, &options.filter)?;
    let binary = crate::served::build(
        root,
        spec,
        "st-serve",
        "tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }",
        RUNNER,
    )?;
    let mut server = Server::start(&binary)?;
    let dir = root.join("target/schemathesis");
    // Its events are written there, and it runs there: a clean clone has no such directory.
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let events = dir.join(format!("{}.ndjson", crate::served::tag(spec)));
    let _ = std::fs::remove_file(&events);
    let mut command = Command::new(root.join("tools/schemathesis/venv/bin/schemathesis"));
    command
        // Writers for text media types it does not know (see the file).
        .env(
            "SCHEMATHESIS_HOOKS",
            root.join("tools/schemathesis/hooks.py"),
        )
        .arg("run")
        .arg(spec)
        .args(["--url", &server.base])
        .args(["--checks", "all", "--exclude-checks", &LEFT_OUT.join(",")])
        .args(["--mode", "all", "--seed", "1", "--workers", "1"])
        // No database of examples from earlier runs, which it would replay first: a
        // run is then the same on a clean clone and on a machine that ran it before.
        .args(["--generation-database", "none"])
        .args(["--max-examples", &options.examples.to_string()])
        .args(["--suppress-health-check", "all", "--warnings", "off"])
        .args(["--request-timeout", "30"])
        .args(["--report", "ndjson", "--report-ndjson-path"])
        .arg(&events);
    for (name, value) in credentials(&api) {
        command.args(["--header", &format!("{name}: {value}")]);
    }
    for tag in &options.filter.tags {
        command.args(["--include-tag", tag]);
    }
    for id in &options.filter.operations {
        command.args(["--include-operation-id", id]);
    }
    let output = command
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run Schemathesis: {error}"))?;
    server.stop();
    let text = std::fs::read_to_string(&events).map_err(|error| {
        format!(
            "Schemathesis wrote no report ({error}); its output:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let mut report = read(&text, &api, &Described::of(spec));
    if report.cases == 0 {
        report.failures.push(format!(
            "Schemathesis tested nothing; its output:\n{}",
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    Ok(report)
}

/// Installs the pinned Schemathesis, if it is not.
fn install(root: &Path) -> Result<(), String> {
    let status = Command::new(root.join("tools/schemathesis/install.sh"))
        .status()
        .map_err(|error| format!("cannot run tools/schemathesis/install.sh: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("tools/schemathesis/install.sh failed".to_owned())
    }
}

/// The headers that carry the secrets the runner accepts, one per header the
/// description's schemes use (the first scheme's, for `Authorization`).
fn credentials(api: &Api) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for scheme in &api.security_schemes {
        let (name, value) = match &scheme.kind {
            SchemeKind::Bearer => ("Authorization".to_owned(), format!("Bearer {TOKEN}")),
            SchemeKind::Basic => {
                let pair =
                    base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
                ("Authorization".to_owned(), format!("Basic {pair}"))
            }
            SchemeKind::ApiKey { location, name } => match location {
                Location::Header => (name.clone(), KEY.to_owned()),
                Location::Cookie => ("Cookie".to_owned(), format!("{name}={KEY}")),
                Location::Query | Location::Path => continue,
            },
        };
        if !headers
            .iter()
            .any(|(known, _)| known.eq_ignore_ascii_case(&name))
        {
            headers.push((name, value));
        }
    }
    headers
}

/// The runner: the mock, with an authenticator that accepts only the secrets the run
/// gives Schemathesis.
const RUNNER: &str = r#"// Written by `cargo run -p tools -- schemathesis`.
use api::runtime::auth::Secret;
use api::runtime::server::{auth::BoxFuture, Authenticator, Denied, Presented};

struct Known;

impl Authenticator for Known {
    fn authenticate<'a>(&'a self, presented: Presented<'a>) -> BoxFuture<'a, Result<(), Denied>> {
        let known = presented.credentials.iter().all(|(_, secret)| match secret {
            Secret::Token(token) => *token == "st-token",
            Secret::Basic(basic) => basic.username == "st" && basic.password == "st-secret",
            Secret::ApiKey(key) => key.key == "st-key" || key.key.ends_with(" st-key"),
        });
        Box::pin(std::future::ready(if known {
            Ok(())
        } else {
            Err(Denied("these credentials are not the test's".into()))
        }))
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let router = api::server::App::mock().authenticator(Known).into_router();
    api::runtime::server::axum::serve(listener, router).await
}
"#;

/// The runner, started; stopped (by its pid) when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(binary: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no standard output")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|error| error.to_string())?;
        let Some(base) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            return Err(format!("the mock did not start: {line}"));
        };
        Ok(Server {
            base: base.to_owned(),
            child,
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads the NDJSON events of a run: each scenario's test cases, their checks, and the
/// request and answer of each.
fn read(text: &str, api: &Api, described: &Described) -> Report {
    let mut report = Report::default();
    let mut operations: std::collections::BTreeSet<String> = Default::default();
    let mut excused: std::collections::BTreeSet<Excused> = Default::default();
    for (number, line) in text.lines().enumerate() {
        let event: Value = match serde_json::from_str(line) {
            Ok(event) => event,
            Err(error) => {
                report.failures.push(format!(
                    "line {} of the report is not JSON: {error}",
                    number + 1
                ));
                continue;
            }
        };
        if let Some(errored) = event.get("NonFatalError") {
            report.failures.push(format!("Schemathesis: {errored}"));
            continue;
        }
        let Some(scenario) = event.get("ScenarioFinished") else {
            continue;
        };
        let recorder = &scenario["recorder"];
        let label = recorder["label"].as_str().unwrap_or_default().to_owned();
        operations.insert(label.clone());
        let Some(cases) = recorder["checks"].as_object() else {
            continue;
        };
        for (id, checks) in cases {
            report.cases += 1;
            let case = &recorder["cases"][id]["value"];
            let interaction = &recorder["interactions"][id];
            for check in checks.as_array().into_iter().flatten() {
                let name = check["name"].as_str().unwrap_or("?").to_owned();
                *report.checks.entry(name.clone()).or_default() += 1;
                if check["status"] != "failure" {
                    continue;
                }
                let failure = Failure {
                    check: &name,
                    label: &label,
                    case,
                    interaction,
                    info: check,
                };
                match excuse(&failure, api, described) {
                    Some(excuse) => {
                        excused.insert(Excused {
                            excuse,
                            check: format!("{name} {label}"),
                        });
                    }
                    None => report.failures.push(failure.to_string()),
                }
            }
        }
    }
    report.operations = operations.len();
    report.excused = excused.into_iter().collect();
    report
}

/// A failed check: its name, the operation, the case, what was sent and answered.
struct Failure<'a> {
    check: &'a str,
    label: &'a str,
    case: &'a Value,
    interaction: &'a Value,
    info: &'a Value,
}

impl Failure<'_> {
    fn status(&self) -> u64 {
        self.interaction["response"]["status_code"]
            .as_u64()
            .unwrap_or(0)
    }

    /// `GET /path/{id}`, as the description writes the operation.
    fn case_label(&self) -> Option<String> {
        let method = self.case["method"].as_str()?;
        let path = self.case["path"].as_str()?;
        Some(format!("{} {path}", method.to_ascii_uppercase()))
    }

    fn negative(&self) -> bool {
        self.case["meta"]["generation"]["mode"] == "negative"
    }
}

impl fmt::Display for Failure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request = &self.interaction["request"];
        let body = |value: &Value| {
            value
                .get("$base64")
                .and_then(Value::as_str)
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                .map(|bytes| {
                    String::from_utf8_lossy(&bytes)
                        .chars()
                        .take(400)
                        .collect::<String>()
                })
                .unwrap_or_default()
        };
        write!(
            f,
            "{} {}: {} {} {} -> {} {}; {}",
            self.check,
            self.label,
            request["method"].as_str().unwrap_or_default(),
            request["uri"].as_str().unwrap_or_default(),
            body(&request["body"]),
            self.status(),
            body(&self.interaction["response"]["content"]),
            self.info
                .get("failure_info")
                .map(Value::to_string)
                .unwrap_or_default()
                .chars()
                .take(600)
                .collect::<String>()
        )
    }
}

/// The operation a case was sent to.
fn operation<'a>(failure: &Failure, api: &'a Api) -> Option<&'a codegen::model::Operation> {
    let method = failure.case["method"].as_str()?;
    let path = failure.case["path"].as_str()?;
    api.operations
        .iter()
        .find(|op| op.method.as_str() == method && op.path == path)
}

/// Whether the form body of `op` in `media_type` has a list member named `name`.
fn form_list(api: &Api, op: &codegen::model::Operation, media_type: &str, name: &str) -> bool {
    use codegen::model::{Payload, Ty};
    let Some(content) = op.body.iter().flat_map(|b| &b.contents).find(|c| {
        c.media_types
            .iter()
            .any(|m| media_type.starts_with(m.as_str()))
    }) else {
        return false;
    };
    let Payload::Form(ty) = &content.payload else {
        return false;
    };
    let is_list = |ty: &Ty| match api.unaliased(ty) {
        Ty::List(_) => true,
        Ty::Option(inner) => matches!(api.unaliased(inner), Ty::List(_)),
        _ => false,
    };
    api.structure(ty).is_some_and(|s| {
        s.fields
            .iter()
            .any(|field| field.wire == name && is_list(&field.ty))
    })
}

/// The required list members of the form body of `op` in `media_type`, by wire name.
fn required_lists(api: &Api, op: &codegen::model::Operation, media_type: &str) -> Vec<String> {
    use codegen::model::Payload;
    let Some(content) = op.body.iter().flat_map(|b| &b.contents).find(|c| {
        c.media_types
            .iter()
            .any(|m| media_type.starts_with(m.as_str()))
    }) else {
        return Vec::new();
    };
    let Payload::Form(ty) = &content.payload else {
        return Vec::new();
    };
    api.structure(ty).map_or(Vec::new(), |s| {
        s.fields
            .iter()
            .filter(|field| field.required && form_list(api, op, media_type, &field.wire))
            .map(|field| field.wire.clone())
            .collect()
    })
}

/// The excuse for `failure`, when one explains it under its exact condition. Each kind
/// looks at answers of its own status or check (a 414; a 400 to a valid request; a 2xx; a
/// 406; a 400 or 401 to an invalid one; a 405), so at most one applies.
fn excuse(failure: &Failure, api: &Api, described: &Described) -> Option<Excuse> {
    uri_excuse(failure)
        .or_else(|| integer_excuse(failure, api))
        .or_else(|| form_excuse(failure, api))
        .or_else(|| text_excuse(failure, described))
        .or_else(|| accept_excuse(failure, &described.accept_parameters))
        .or_else(|| undocumented_excuse(failure, api))
        .or_else(|| overlapping_excuse(failure, api))
        .or_else(|| {
            described
                .document
                .as_ref()
                .and_then(|doc| nested_form_excuse(failure, doc))
        })
}

/// The longest request target hyper reads; past it, it answers 414 itself.
const HYPER_MAX_URI: usize = u16::MAX as usize - 1;

/// A 414 to a request whose target is past what hyper reads: `UriTooLong`.
fn uri_excuse(failure: &Failure) -> Option<Excuse> {
    if failure.status() != 414 {
        return None;
    }
    (request_target(failure)?.len() > HYPER_MAX_URI).then_some(Excuse::UriTooLong)
}

/// The request target the case sent (path and query, as on the request line): its URI
/// without the scheme and authority.
fn request_target<'a>(failure: &Failure<'a>) -> Option<&'a str> {
    let uri = failure.interaction["request"]["uri"].as_str()?;
    let after_scheme = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    Some(&after_scheme[after_scheme.find('/')?..])
}

/// A valid request refused with a 400 whose every violation is an `i64` parameter (or
/// body member) given an integer past `i64`: `IntegerPastI64`.
fn integer_excuse(failure: &Failure, api: &Api) -> Option<Excuse> {
    if failure.check != "positive_data_acceptance" || failure.status() != 400 {
        return None;
    }
    let op = operation(failure, api)?;
    let violations = answered_violations(failure)?;
    let past_i64 = |violation: &Value| {
        let location = violation["location"].as_str().unwrap_or_default();
        // serde's words for a number `i64` cannot hold: past `u64`, a float; between,
        // an integer. The number is the last text in backticks (a body's names the
        // member before it: `amounts`: … `4.2e20`, expected i64).
        let detail = violation["detail"].as_str().unwrap_or_default();
        let number = detail
            .split('`')
            .skip(1)
            .step_by(2)
            .last()
            .and_then(|text| text.parse::<f64>().ok());
        let past = violation["keyword"] == "type"
            && detail.ends_with("expected i64")
            && number.is_some_and(|number| number.abs() >= 9.223_372_036_854_776e18);
        // In a body, serde's `expected i64` says the member is an `i64`.
        if location == "body" {
            return past;
        }
        let Some((place, name)) = location.split_once('.') else {
            return false;
        };
        let place = match place {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            _ => return false,
        };
        let is_i64 = op.params.iter().any(|param| {
            let ty = match api.unaliased(&param.ty) {
                codegen::model::Ty::Option(inner) => api.unaliased(inner),
                ty => ty,
            };
            param.wire == name && param.location == place && *ty == codegen::model::Ty::I64
        });
        is_i64 && past
    };
    (!violations.is_empty() && violations.iter().all(past_i64)).then_some(Excuse::IntegerPastI64)
}

/// A form body Schemathesis broke in a way a form cannot tell apart, accepted with a 2xx:
/// `EmptyListInForm`, `ListItemPart`, `OneItemList` and `TextInForm`.
fn form_excuse(failure: &Failure, api: &Api) -> Option<Excuse> {
    let phase = &failure.case["meta"]["phase"]["data"];
    let media = failure.case["media_type"].as_str().unwrap_or_default();
    let form = media.starts_with("multipart/form-data")
        || media.starts_with("application/x-www-form-urlencoded");
    if failure.check == "negative_data_rejection" && form && (200..300).contains(&failure.status())
    {
        let op = operation(failure, api)?;
        let scenario = phase["scenario"].as_str().unwrap_or_default();
        let description = phase["description"].as_str().unwrap_or_default();
        if scenario == "object_missing_required_property" {
            let name = description.strip_prefix("Missing required property: ")?;
            if form_list(api, op, media, name) {
                return Some(Excuse::EmptyListInForm);
            }
        }
        // The same, from the other phases: the body left out a required list.
        let body = failure.case["body"].as_object();
        let missing_list = required_lists(api, op, media)
            .iter()
            .any(|name| body.is_none_or(|body| !body.contains_key(name)));
        if missing_list {
            return Some(Excuse::EmptyListInForm);
        }
        if scenario == "incorrect_type" {
            let location = phase["location"].as_str().unwrap_or_default();
            let name = location
                .strip_prefix("/properties/")?
                .strip_suffix("/type")?;
            if form_list(api, op, media, name) {
                return Some(if media.starts_with("multipart/form-data") {
                    Excuse::ListItemPart
                } else {
                    Excuse::OneItemList
                });
            }
        }
        // The same from the fuzzing phase, which says what it broke only in its message:
        // every line a list property that became another type.
        let message = failure.info["failure_info"]["failure"]["message"]
            .as_str()
            .unwrap_or_default();
        let broken: Vec<&str> = message
            .lines()
            .filter_map(|line| line.trim().strip_prefix("- violates "))
            .collect();
        if media.starts_with("multipart/form-data") {
            let list_became_other = |line: &str| {
                line.strip_prefix("`type` at /properties/")
                    .and_then(|rest| rest.split_once(" (was array, became "))
                    .is_some_and(|(name, _)| form_list(api, op, media, name))
            };
            if !broken.is_empty() && broken.iter().all(|line| list_became_other(line)) {
                return Some(Excuse::ListItemPart);
            }
        }
        let string_became_other = |line: &str| {
            line.strip_prefix("`type` at /properties/")
                .is_some_and(|rest| rest.contains(" (was string, became "))
        };
        if !broken.is_empty() && broken.iter().all(|line| string_became_other(line)) {
            return Some(Excuse::TextInForm);
        }
    }
    None
}

/// The value of the answer's `header` (any case), or the empty string.
fn answered(failure: &Failure, header: &str) -> String {
    let headers = &failure.interaction["response"]["headers"];
    headers
        .as_object()
        .into_iter()
        .flatten()
        .find(|(name, _)| name.eq_ignore_ascii_case(header))
        .and_then(|(_, values)| values.get(0).or(Some(values)))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A 406 to an `Accept` Schemathesis filled in as the declared header parameter:
/// `AcceptParameter`.
fn accept_excuse(
    failure: &Failure,
    accept_parameters: &std::collections::BTreeSet<String>,
) -> Option<Excuse> {
    let problem = answered(failure, "content-type").starts_with("application/problem+json");
    let accept_checks = [
        "status_code_conformance",
        "content_type_conformance",
        "positive_data_acceptance",
    ];
    if accept_checks.contains(&failure.check) && failure.status() == 406 && problem {
        let sent_accept = failure.case["headers"].as_object().is_some_and(|headers| {
            headers
                .keys()
                .any(|name| name.eq_ignore_ascii_case("accept"))
        });
        if sent_accept && accept_parameters.contains(&failure.case_label()?) {
            return Some(Excuse::AcceptParameter);
        }
    }
    None
}

/// A refusal with a status the operation does not document: `NoRefusalDocumented`,
/// `NoUnauthorizedDocumented`.
fn undocumented_excuse(failure: &Failure, api: &Api) -> Option<Excuse> {
    // An undocumented status fails both the status and, its media type undocumented
    // too, the content type.
    let undocumented_checks = ["status_code_conformance", "content_type_conformance"];
    if undocumented_checks.contains(&failure.check) && failure.negative() {
        let method = failure.case["method"].as_str()?;
        let path = failure.case["path"].as_str()?;
        let op = api
            .operations
            .iter()
            .find(|op| op.method.as_str() == method && op.path == path)?;
        use codegen::model::Status;
        let documents = |code: u16| {
            op.responses.iter().any(|r| {
                r.status == Status::Code(code)
                    || matches!(r.status, Status::Range(4) | Status::Default)
            })
        };
        match failure.status() {
            400 if !documents(400) && !documents(422) => return Some(Excuse::NoRefusalDocumented),
            401 if !documents(401) && !answered(failure, "www-authenticate").is_empty() => {
                return Some(Excuse::NoUnauthorizedDocumented)
            }
            _ => {}
        }
    }
    None
}

/// A 405 whose `Allow` holds every method of the template Schemathesis tested, and
/// beside them only methods of other templates the request's path matches:
/// `OverlappingTemplates`.
fn overlapping_excuse(failure: &Failure, api: &Api) -> Option<Excuse> {
    if failure.check != "allow_header_conformance" || failure.status() != 405 {
        return None;
    }
    // The case's method is the one sent (`OPTIONS`); its label names the operation.
    let (_, template) = failure.label.split_once(' ')?;
    let path = request_target(failure)?.split(['?', '#']).next()?;
    // The segments after the base path the mock is served under: as many as the
    // tested template has.
    let count = template.split('/').count() - 1;
    let all_segments: Vec<&str> = path.split('/').collect();
    let segments: Vec<String> = all_segments[all_segments.len().checked_sub(count)?..]
        .iter()
        .map(|segment| {
            percent_encoding::percent_decode_str(segment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let with_head = |mut methods: std::collections::BTreeSet<String>| {
        if methods.contains("GET") {
            methods.insert("HEAD".to_owned());
        }
        methods
    };
    let methods_where = |keep: &dyn Fn(&codegen::model::Operation) -> bool| {
        with_head(
            api.operations
                .iter()
                .filter(|op| keep(op))
                .map(|op| op.method.as_str().to_ascii_uppercase())
                .collect(),
        )
    };
    let own = methods_where(&|op| op.path == template);
    let all = methods_where(&|op| op.path == template || template_matches(&op.path, &segments));
    let advertised: std::collections::BTreeSet<String> = answered(failure, "allow")
        .split(',')
        .map(|method| method.trim().to_ascii_uppercase())
        .filter(|method| !method.is_empty())
        .collect();
    // The server lists only the templates whose parameters the path's values fit, which
    // this does not judge: every extra method must be one of another matching template.
    (advertised != own && own.is_subset(&advertised) && advertised.is_subset(&all))
        .then_some(Excuse::OverlappingTemplates)
}

/// Whether a path template matches a request's path (its segments after the base path,
/// percent-decoded): as many segments, each literal one equal, each templated one
/// holding its literal text around the parameters (`{id}.json`).
fn template_matches(template: &str, requested: &[String]) -> bool {
    let keyed: Vec<&str> = template.split('/').skip(1).collect();
    keyed.len() == requested.len()
        && keyed.iter().zip(requested).all(|(key, segment)| {
            let mut literals = Vec::new();
            let mut rest = *key;
            while let Some((before, after)) = rest.split_once('{') {
                literals.push(before);
                rest = after.split_once('}').map_or("", |(_, after)| after);
            }
            literals.push(rest);
            match literals.as_slice() {
                [only] => *only == segment.as_str(),
                [first, middle @ .., last] => {
                    let Some(mut inner) = segment
                        .strip_prefix(first)
                        .and_then(|inner| inner.strip_suffix(last))
                    else {
                        return false;
                    };
                    middle.iter().all(|literal| match inner.find(literal) {
                        Some(at) => {
                            inner = &inner[at + literal.len()..];
                            true
                        }
                        None => false,
                    })
                }
                [] => false,
            }
        })
}

/// `METHOD /path` of each operation of `spec` that declares a header parameter named
/// `Accept` (any case), read from the description itself: the generator drops it.
/// What the excuses need to know of the description beyond the generator's model.
#[derive(Default)]
struct Described {
    /// The description itself, read as JSON.
    document: Option<oracle::Document>,
    /// `METHOD /path` of the operations that declare `Accept` as a header parameter.
    accept_parameters: std::collections::BTreeSet<String>,
    /// `METHOD /path` and media type of the text bodies whose schema is a string and
    /// nothing else, so that any text is a value of it.
    free_text: std::collections::BTreeSet<(String, String)>,
}

impl Described {
    fn of(spec: &Path) -> Described {
        let Ok(document) = oracle::Document::read(spec) else {
            return Described::default();
        };
        Described {
            accept_parameters: accept_parameters(&document),
            free_text: free_text(&document),
            document: Some(document),
        }
    }
}

/// What Schemathesis did to a form body below its top level that the form's text cannot
/// show: `EmptyMemberInForm` (a negative case accepted) and `UnwritableForm` (a positive
/// one refused).
fn nested_form_excuse(failure: &Failure, document: &oracle::Document) -> Option<Excuse> {
    let media = failure.case["media_type"].as_str().unwrap_or_default();
    let urlencoded = media.starts_with("application/x-www-form-urlencoded");
    let multipart = media.starts_with("multipart/form-data");
    if !urlencoded && !multipart {
        return None;
    }
    let label = failure.case_label()?;
    let (method, path) = label.split_once(' ')?;
    let operation = document
        .get("#/paths")?
        .get(path)?
        .get(method.to_ascii_lowercase())?;
    let body = form_body_schema(document, operation, media)?;
    if failure.check == "negative_data_rejection" && (200..300).contains(&failure.status()) {
        // `Invalid component: shipping -> Missing required property: address`, the one
        // thing Schemathesis broke, below the top level.
        let message = failure.info["failure_info"]["failure"]["message"].as_str()?;
        let components: Vec<&str> = message
            .lines()
            .filter_map(|line| line.trim().strip_prefix("Invalid component: "))
            .collect();
        let [component] = components[..] else {
            return None;
        };
        let mut chain: Vec<&str> = component.split(" -> ").collect();
        let name = chain.pop()?.strip_prefix("Missing required property: ")?;
        if chain.is_empty() {
            return None;
        }
        // Where an object on the way was written as no pair at all (it held nothing but
        // empty members), the request left that object out: valid if it is optional.
        let sent = sent_text(failure);
        let mut schema = body;
        let mut prefix = String::new();
        for step in chain {
            prefix = if prefix.is_empty() {
                step.to_owned()
            } else {
                format!("{prefix}[{step}]")
            };
            let bracketed = format!("{prefix}[");
            let written = sent
                .iter()
                .any(|(pair, _)| *pair == prefix || pair.starts_with(&bracketed));
            if urlencoded && !written {
                return (!requires(document, schema, step, 0)).then_some(Excuse::EmptyMemberInForm);
            }
            schema = member_schema(document, schema, step, 0)?;
        }
        let member = member_schema(document, schema, name, 0)?;
        return admits_empty(document, member, urlencoded).then_some(Excuse::EmptyMemberInForm);
    }
    if failure.check == "positive_data_acceptance" && failure.status() == 400 && urlencoded {
        let value = failure.case["body"].as_object()?;
        let sent = sent_text(failure);
        let violations = answered_violations(failure)?;
        let unwritable = |violation: &Value| {
            let pointer = violation["pointer"].as_str().unwrap_or_default();
            let keyword = violation["keyword"].as_str().unwrap_or_default();
            let Some(top) = pointer.strip_prefix('/') else {
                return false;
            };
            // A pair the reader could not take apart, under a member whose value, as
            // Schemathesis made it, has a key holding a bracket.
            if keyword == "additionalProperties" && !top.contains('/') {
                return top
                    .split_once('[')
                    .is_some_and(|(member, _)| value.get(member).is_some_and(has_bracket_key));
            }
            // An item that came as text where Schemathesis made an object, and the
            // member was written as bare pairs, none bracketed.
            if keyword == "type" && violation["detail"] == "must be an object, not a string" {
                let mut parts = top.split('/');
                let (Some(member), Some(index), None) = (parts.next(), parts.next(), parts.next())
                else {
                    return false;
                };
                // Each key of those objects came as an item of its own, so the items
                // read outnumber the objects made: any index of the member counts.
                let made_object = index.parse::<usize>().is_ok()
                    && value
                        .get(member)
                        .and_then(Value::as_array)
                        .is_some_and(|items| items.iter().any(Value::is_object));
                let bracketed = format!("{member}[");
                let bare = sent.iter().any(|(name, _)| name == member);
                let nested = sent.iter().any(|(name, _)| name.starts_with(&bracketed));
                return made_object && bare && !nested;
            }
            false
        };
        return (!violations.is_empty() && violations.iter().all(unwritable))
            .then_some(Excuse::UnwritableForm);
    }
    None
}

/// The violations the server's problem answer lists (`None` when the answer is not one).
fn answered_violations(failure: &Failure) -> Option<Vec<Value>> {
    let content = &failure.interaction["response"]["content"];
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.get("$base64")?.as_str()?)
        .ok()?;
    let mut answer: Value = serde_json::from_slice(&bytes).ok()?;
    match answer["violations"].take() {
        Value::Array(violations) => Some(violations),
        _ => None,
    }
}

/// The pairs of the URL-encoded body the case sent, decoded.
fn sent_text(failure: &Failure) -> Vec<(String, String)> {
    let body = &failure.interaction["request"]["body"];
    let bytes = match body {
        Value::String(text) => text.as_bytes().to_vec(),
        Value::Object(_) => body["$base64"]
            .as_str()
            .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let decode = |text: &str| {
        let text = text.replace('+', " ");
        percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned()
    };
    String::from_utf8_lossy(&bytes)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Whether a value holds, at any depth, an object with a key holding `[` or `]`.
fn has_bracket_key(value: &Value) -> bool {
    match value {
        Value::Object(members) => members
            .iter()
            .any(|(key, member)| key.contains(['[', ']']) || has_bracket_key(member)),
        Value::Array(items) => items.iter().any(has_bracket_key),
        _ => false,
    }
}

/// The schema of an operation's form body in `media` (OpenAPI 3's `requestBody`).
fn form_body_schema<'a>(
    document: &'a oracle::Document,
    operation: &'a Value,
    media: &str,
) -> Option<&'a Value> {
    let body = document.resolve(operation.get("requestBody")?, "#/paths").1;
    let (_, content) = body
        .get("content")?
        .as_object()?
        .iter()
        .find(|(key, _)| media.starts_with(key.as_str()))?;
    Some(document.resolve(content.get("schema")?, "#/paths").1)
}

/// The schema of the member `name` of objects of `schema`: its own property, or one of
/// an `allOf`, `anyOf` or `oneOf` branch.
fn member_schema<'a>(
    document: &'a oracle::Document,
    schema: &'a Value,
    name: &str,
    depth: usize,
) -> Option<&'a Value> {
    let schema = document.resolve(schema, "#/paths").1;
    if let Some(member) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(document.resolve(member, "#/paths").1);
    }
    if depth >= 16 {
        return None;
    }
    ["allOf", "anyOf", "oneOf"]
        .iter()
        .filter_map(|key| schema.get(*key)?.as_array())
        .flatten()
        .find_map(|branch| member_schema(document, branch, name, depth + 1))
}

/// Whether objects of `schema` must have the member `name` (its own `required`, or an
/// `allOf` branch's).
fn requires(document: &oracle::Document, schema: &Value, name: &str, depth: usize) -> bool {
    let schema = document.resolve(schema, "#/paths").1;
    let own = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|n| n == name));
    own || (depth < 16
        && schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|branch| requires(document, branch, name, depth + 1)))
}

/// Whether a schema admits the empty list, or (`objects`) the empty object: of that
/// type, with nothing it requires and no lower bound on its size.
fn admits_empty(document: &oracle::Document, schema: &Value, objects: bool) -> bool {
    let schema = document.resolve(schema, "#/paths").1;
    let count = |key: &str| schema.get(key).and_then(Value::as_u64).unwrap_or(0);
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => count("minItems") == 0,
        Some("object") => {
            objects
                && count("minProperties") == 0
                && schema
                    .get("required")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty)
        }
        _ => false,
    }
}

/// A negative case of a text body whose schema any text satisfies, accepted: `TextBody`.
fn text_excuse(failure: &Failure, described: &Described) -> Option<Excuse> {
    if failure.check != "negative_data_rejection" || !(200..300).contains(&failure.status()) {
        return None;
    }
    let media = failure.case["media_type"].as_str()?;
    let media = media.split(';').next().unwrap_or_default().trim();
    let key = (failure.case_label()?, media.to_ascii_lowercase());
    described
        .free_text
        .contains(&key)
        .then_some(Excuse::TextBody)
}

/// The bodies of the description whose schema is `type: string` and nothing that
/// constrains it (no `format`, `pattern`, length, `enum` …), by `METHOD /path` and media
/// type: OpenAPI 3's `requestBody`, Swagger 2.0's `in: body` parameter under the media
/// types the operation (or the document) `consumes`.
fn free_text(document: &oracle::Document) -> std::collections::BTreeSet<(String, String)> {
    const SAYS_NOTHING: &[&str] = &[
        "type",
        "description",
        "title",
        "example",
        "examples",
        "default",
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
        "xml",
    ];
    let free = |schema: &Value, at: &str| {
        let (_, schema) = document.resolve(schema, at);
        schema.as_object().is_some_and(|schema| {
            schema.get("type").and_then(Value::as_str) == Some("string")
                && schema
                    .keys()
                    .all(|key| SAYS_NOTHING.contains(&key.as_str()) || key.starts_with("x-"))
        })
    };
    let strings = |node: Option<&Value>| -> Vec<String> {
        node.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let mut found = std::collections::BTreeSet::new();
    let Some(Value::Object(paths)) = document.get("#/paths") else {
        return found;
    };
    let root_consumes = strings(document.get("#/consumes"));
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            let label = format!("{} {path}", method.to_ascii_uppercase());
            let mut add = |media: String| {
                found.insert((label.clone(), media));
            };
            if let Some(Value::Object(content)) = operation
                .get("requestBody")
                .map(|body| document.resolve(body, "#/paths").1)
                .and_then(|body| body.get("content"))
            {
                for (media, object) in content {
                    if object
                        .get("schema")
                        .is_some_and(|schema| free(schema, "#/paths"))
                    {
                        add(media.to_ascii_lowercase());
                    }
                }
            }
            let body_parameter = operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|param| document.resolve(param, "#/paths").1)
                .find(|param| param.get("in").and_then(Value::as_str) == Some("body"));
            if let Some(schema) = body_parameter.and_then(|param| param.get("schema")) {
                if free(schema, "#/paths") {
                    let consumes = match operation.get("consumes") {
                        Some(list) => strings(Some(list)),
                        None => root_consumes.clone(),
                    };
                    for media in consumes {
                        add(media);
                    }
                }
            }
        }
    }
    found
}

fn accept_parameters(document: &oracle::Document) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let Some(Value::Object(paths)) = document.get("#/paths") else {
        return found;
    };
    let is_accept = |param: &Value, at: &str| {
        let (_, param) = document.resolve(param, at);
        param.get("in").and_then(Value::as_str) == Some("header")
            && param
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| name.eq_ignore_ascii_case("accept"))
    };
    let declares = |node: &Value, at: &str| {
        node.get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|params| params.iter().any(|param| is_accept(param, at)))
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let shared = declares(&Value::Object(item.clone()), "#/paths");
        for (method, operation) in item {
            if method == "parameters" || !operation.is_object() {
                continue;
            }
            if shared || declares(operation, "#/paths") {
                found.insert(format!("{} {path}", method.to_ascii_uppercase()));
            }
        }
    }
    found
}

/// The `operationId`s of the operations of `spec` whose path starts with `prefix`, in
/// the description's order: a part of a large description to check.
pub fn operations_under(spec: &Path, prefix: &str) -> Vec<String> {
    let Ok(document) = oracle::Document::read(spec) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    if let Some(Value::Object(paths)) = document.get("#/paths") {
        for (path, item) in paths {
            if !path.starts_with(prefix) {
                continue;
            }
            for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    ids.push(id.to_owned());
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::{template_matches, Described};

    #[test]
    fn free_text_bodies_are_found_in_swagger_and_openapi_3() {
        let ece = crate::root().join("testdata/real/elastic-cloud-enterprise.json");
        let free = Described::of(&ece).free_text;
        let key = |label: &str, media: &str| (label.to_owned(), media.to_owned());
        // A Swagger 2.0 body parameter `{type: string}` under the operation's `consumes`.
        let certs = "PUT /platform/configuration/security/extra_certs/{cert_id}";
        assert!(free.contains(&key(certs, "application/text")), "{free:?}");
        // Bodies of JSON objects are not.
        assert!(!free.iter().any(|(label, _)| label == "POST /deployments"));
    }

    fn segments(path: &str) -> Vec<String> {
        path.split('/').skip(1).map(str::to_owned).collect()
    }

    #[test]
    fn templates_match_paths_segment_by_segment() {
        let search = segments("/deployments/_search");
        assert!(template_matches("/deployments/_search", &search));
        assert!(template_matches("/deployments/{deployment_id}", &search));
        assert!(!template_matches("/deployments/{id}/{kind}", &search));
        assert!(!template_matches("/users/{name}", &search));
        // Not the end of a longer path.
        assert!(!template_matches(
            "/groups/{groupId}",
            &segments("/roles/0/groups/search")
        ));
        // Literal text around parameters must be there, in order.
        let file = segments("/files/report.v2.json");
        assert!(template_matches("/files/{name}.json", &file));
        assert!(template_matches("/files/{name}.{version}.json", &file));
        assert!(!template_matches("/files/{name}.xml", &file));
        assert!(!template_matches("/files/draft-{name}", &file));
    }
}
