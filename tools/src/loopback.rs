//! `cargo run -p tools -- loopback --spec FILE`: the generated client against the
//! generated server, in one process, for every operation of a description and every
//! status it documents.
//!
//! 1. The crate is generated (client, server and mock) under `target/loopback/`, with a
//!    harness crate that serves `App::mock()` on 127.0.0.1 with an observer, and sends
//!    each case with the generated client.
//! 2. The cases are the Prism run's ([`crate::prism`]): plain values (the description's
//!    examples where valid, else values of its schemas), then the edges (optional parts
//!    left out, empty lists, text holding `, & = # % + [ ]`, spaces and non-ASCII
//!    letters). Each is sent once per documented status, asked of the mock with
//!    `Prefer: code=N`.
//! 3. What the handler received must be what the client sent, and what the client
//!    decoded what the handler answered, both compared as `Debug` text. A difference is a
//!    failure unless a named [`Known`] case of the styles explains it.
//!
//! It ends with one line ([`Report::summary`]) and fails unless every status of every
//! case came back as it went.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use codegen::model::{Api, Location, Operation, Payload, Status};
use codegen::Filter;
use serde_json::{json, Value};

use crate::prism::cases::{self, Case};
use crate::prism::harness;

/// Differences in the nature of a style, not bugs: the value a client writes is read
/// back as another by any reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Known {
    /// An item holding the character that separates items where the style does not
    /// escape it (`,` in a header list, the space of `spaceDelimited`, `|` of
    /// `pipeDelimited`, `.` of an exploded `label`).
    SeparatorInItem,
    /// The description documents a body for a status that has none (204, 205, 304):
    /// HTTP leaves it out, so the client reads an empty one.
    BodyOnNoContent,
    /// A header parameter named `Accept` (Elastic's) left out: the client writes its
    /// own `Accept` (the documented media types), which the server reads as the
    /// parameter.
    AcceptParameter,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Operations of the description.
    pub operations: usize,
    /// Requests sent: a case once per status.
    pub requests: usize,
    /// Statuses asked, and those that came back as they went.
    pub statuses: usize,
    /// Statuses whose value came back equal to what was sent.
    pub checked: usize,
    /// What came back otherwise, unexcused.
    pub failures: Vec<String>,
    /// Cases a [`Known`] difference explains.
    pub known: Vec<String>,
    /// What was not sent, and why.
    pub gaps: Vec<String>,
}

impl Report {
    /// Whether every status came back as it went, or is excused or unsendable.
    pub fn is_clean(&self) -> bool {
        let unsendable = self
            .gaps
            .iter()
            .filter(|gap| gap.contains("the client cannot write it"))
            .count();
        self.failures.is_empty() && self.checked + self.known.len() + unsendable == self.statuses
    }

    /// One line of counts, for the test's output.
    pub fn summary(&self) -> String {
        format!(
            "loopback: {} operations, {} requests, {}/{} statuses came back as they went, {} failures, {} known differences of the styles, {} gaps",
            self.operations,
            self.requests,
            self.checked,
            self.statuses,
            self.failures.len(),
            self.known.len(),
            self.gaps.len()
        )
    }
}

/// Runs the loopback of `spec` and prints what it found; fails unless it is clean.
pub fn main(root: &Path, spec: &Path, filter: &Filter) -> Result<(), String> {
    let report = run(root, spec, filter)?;
    for known in &report.known {
        println!("  known: {known}");
    }
    for gap in &report.gaps {
        println!("  gap: {gap}");
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

/// The codes a case is asked for: every documented one; a range as its first code,
/// `default` as 200 when it stands for the successes, else 500.
fn codes(op: &Operation) -> Vec<u16> {
    let has_success = op
        .responses
        .iter()
        .any(|r| r.status != Status::Default && r.is_success());
    let mut codes = Vec::new();
    for response in &op.responses {
        let code = match response.status {
            Status::Code(code) => code,
            Status::Range(hundreds) => hundreds * 100,
            Status::Default if has_success => 500,
            Status::Default => 200,
        };
        // Informational statuses are no answer a handler can give.
        if code >= 200 && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The loopback of `spec`, keeping the operations `filter` keeps.
pub fn run(root: &Path, spec: &Path, filter: &Filter) -> Result<Report, String> {
    let spec = &spec
        .canonicalize()
        .map_err(|error| format!("cannot read {}: {error}", spec.display()))?;
    let api = crate::served::generate(root, spec, filter)?;
    let doc = oracle::Document::read(spec)?;
    let checks = oracle::validate::Checks::new(&doc);
    let all = cases::cases(&api, &doc, &checks);
    let binary = crate::served::build(
        root,
        spec,
        "loop-harness",
        "serde = \"1\"\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"rt\", \"macros\", \"net\"] }",
        &main_rs(&api),
    )?;
    let mut report = Report {
        operations: api.operations.len(),
        ..Report::default()
    };
    let mut input = String::new();
    for case in &all {
        let op = &api.operations[case.index];
        if !case.impossible.is_empty() {
            report.gaps.push(format!(
                "{} {}: impossible values at {}",
                op.id,
                case.pass.as_str(),
                case.impossible
                    .iter()
                    .map(|(place, _)| place.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
        let params = sent_params(op, case);
        let body = sent_body(op, case);
        for code in codes(op) {
            report.statuses += 1;
            let line = json!({
                "index": case.index,
                "case": format!("{} {} {code}", op.id, case.pass.as_str()),
                "params": params,
                "body": body,
                "code": code,
            });
            let _ = writeln!(input, "{line}");
        }
    }
    let mut child = Command::new(&binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("cannot run the harness: {error}"))?;
    let mut stdin = child.stdin.take().ok_or("no standard input")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|error| format!("the harness failed: {error}"))?;
    let _ = writer.join();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(verdict) = serde_json::from_str::<Value>(line) else {
            report.failures.push(format!("the harness wrote: {line}"));
            continue;
        };
        report.requests += 1;
        let case = verdict["case"].as_str().unwrap_or_default();
        match verdict["verdict"].as_str() {
            Some("same") => report.checked += 1,
            Some("unsendable") => {
                let detail = verdict["detail"].as_str().unwrap_or_default();
                report
                    .gaps
                    .push(format!("{case}: the client cannot write it: {detail}"));
            }
            _ => {
                let detail = verdict["detail"].as_str().unwrap_or_default();
                match known(&api, &verdict) {
                    Some(known) => report.known.push(format!("{case}: {known:?}")),
                    None => report.failures.push(format!("{case}: {detail}")),
                }
            }
        }
    }
    if !output.status.success() {
        report
            .failures
            .push(format!("the harness exited with {}", output.status));
    }
    Ok(report)
}

/// The parameters of a case as the client sends them: an optional list or object that
/// is empty is left out (the styles write nothing for it), so the handler gets `None`.
fn sent_params(op: &Operation, case: &Case) -> Value {
    let mut params = case.params.clone();
    for param in &op.params {
        let empty = match params.get(&param.wire) {
            Some(Value::Array(items)) => items.iter().all(Value::is_null),
            Some(Value::Object(members)) => members.values().all(Value::is_null),
            _ => false,
        };
        if empty && !param.required && param.content.is_none() {
            params.remove(&param.wire);
        }
    }
    Value::Object(params)
}

/// The body of a case as the client sends it: a form writes an empty list, an empty
/// object or `null` of an optional member as nothing, so the handler gets `None`; so
/// too inside a `deepObject` member (Stripe's), where an object whose members are all
/// left out writes no pair at all.
fn sent_body(op: &Operation, case: &Case) -> Value {
    let form = op
        .body
        .as_ref()
        .and_then(|b| b.contents.first())
        .is_some_and(|c| matches!(c.payload, Payload::Form(_)));
    let mut body = case.body.clone();
    if let (true, Value::Object(members)) = (form, &mut body) {
        members.retain(|_, value| written(value));
    }
    body
}

/// Whether a form writes anything of `value`, with what it leaves out taken out of it.
fn written(value: &mut Value) -> bool {
    match value {
        Value::Null => false,
        Value::Array(items) => {
            items.retain_mut(written);
            !items.is_empty()
        }
        Value::Object(members) => {
            members.retain(|_, member| written(member));
            !members.is_empty()
        }
        _ => true,
    }
}

/// The [`Known`] difference that explains a verdict: an item of a parameter's list that
/// holds the separator its style leaves unescaped.
fn known(api: &Api, verdict: &Value) -> Option<Known> {
    let index = verdict["index"].as_u64()? as usize;
    let op = api.operations.get(index)?;
    let params = &verdict["params"];
    let code = verdict["code"].as_u64().unwrap_or(0) as u16;
    let bodiless = matches!(code, 204 | 205 | 304);
    let documents_body = op
        .responses
        .iter()
        .any(|r| r.status == Status::Code(code) && !r.contents.is_empty());
    if bodiless && documents_body {
        return Some(Known::BodyOnNoContent);
    }
    let accept = op
        .params
        .iter()
        .find(|p| p.location == Location::Header && p.wire.eq_ignore_ascii_case("accept"));
    if accept.is_some_and(|p| params.get(&p.wire).is_none()) {
        return Some(Known::AcceptParameter);
    }
    for param in &op.params {
        let separators: &[char] = match (param.location, param.style) {
            (Location::Header, _) => &[','],
            (_, codegen::model::Style::SpaceDelimited) => &[' '],
            (_, codegen::model::Style::PipeDelimited) => &['|'],
            (_, codegen::model::Style::TabDelimited) => &['\t'],
            (_, codegen::model::Style::Label) if param.explode => &['.'],
            _ => continue,
        };
        let holds = match &params[&param.wire] {
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .any(|item| item.contains(separators)),
            Value::Object(members) => members.iter().any(|(k, v)| {
                k.contains(separators) || v.as_str().is_some_and(|v| v.contains(separators))
            }),
            _ => false,
        };
        if holds {
            return Some(Known::SeparatorInItem);
        }
    }
    None
}

/// The harness: the dispatch over `api`'s operations, then what is the same for every
/// description.
fn main_rs(api: &Api) -> String {
    let mut out = String::from(
        "// Written by `cargo run -p tools -- loopback`.\n#![allow(deprecated, unused_variables)]\n\n",
    );
    out.push_str(
        "async fn one(index: usize, case: &Value, client: &Client, seen: &Seen) -> Result<(String, String), String> {\n    match index {\n",
    );
    for (index, op) in api.operations.iter().enumerate() {
        let _ = writeln!(out, "        {index} => {{");
        if op.params.is_empty() {
            out.push_str("            let params = ();\n");
        } else {
            let _ = writeln!(
                out,
                "            let params = api::operations::{} {{",
                op.names.params
            );
            for param in &op.params {
                let _ = writeln!(
                    out,
                    "                {}: field(&case[\"params\"], {:?})?,",
                    param.name, param.wire
                );
            }
            out.push_str("            };\n");
        }
        let body = harness::body_value(api, op, "&case[\"body\"]");
        let _ = writeln!(out, "            let body = {body};");
        let upload = op.body.as_ref().is_some_and(|b| {
            b.choice.is_none()
                && matches!(
                    b.contents.first().map(|c| &c.payload),
                    Some(Payload::Binary)
                )
        });
        let _ = writeln!(
            out,
            "            check::<api::operations::{}>(client, seen, &params, &body, case[\"code\"].as_u64().unwrap_or(200), {upload}).await",
            op.names.marker
        );
        out.push_str("        }\n");
    }
    out.push_str("        _ => Err(format!(\"no operation {index}\")),\n    }\n}\n\n");
    out.push_str(&credentials(api));
    out.push_str(HARNESS);
    out
}

/// `credentials()`: a secret for every scheme (the mock accepts any).
fn credentials(api: &Api) -> String {
    let mut out = String::from(
        "fn credentials() -> api::auth::Credentials {\n    api::auth::Credentials {\n",
    );
    for scheme in &api.security_schemes {
        let value = match &scheme.kind {
            codegen::model::SchemeKind::Bearer => "Some(\"token\".to_owned())",
            codegen::model::SchemeKind::Basic => {
                "Some(api::runtime::Basic::new(\"user\", \"secret\"))"
            }
            codegen::model::SchemeKind::ApiKey { .. } => "Some(api::runtime::ApiKey::new(\"key\"))",
        };
        let _ = writeln!(out, "        {}: {value},", scheme.field);
    }
    out.push_str("    }\n}\n");
    out
}

const HARNESS: &str = r#"
use std::io::BufRead as _;
use std::sync::{Arc, Mutex};

use api::runtime::server::{Info, Observer};
use api::runtime::Operation;
use serde_json::{json, Value};

type Client = api::runtime::client::Client<api::auth::Credentials>;

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Observer for Seen {
    fn received(&self, _: &'static Info, params: &dyn std::fmt::Debug, body: &dyn std::fmt::Debug) {
        self.0.lock().unwrap().push(format!("{params:?} {body:?}"));
    }
    fn answered(&self, _: &'static Info, answer: &dyn std::fmt::Debug) {
        self.0.lock().unwrap().push(format!("{answer:?}"));
    }
}

fn field<T: serde::de::DeserializeOwned>(params: &Value, wire: &str) -> Result<T, String> {
    let value = params.get(wire).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value.clone())
        .map_err(|error| format!("parameter `{wire}`: {value} does not fit the generated type: {error}"))
}

fn value<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, String> {
    serde_json::from_value(body.clone())
        .map_err(|error| format!("body: {body} does not fit the generated type: {error}"))
}

/// A streamed operation's answer, `Ok(Whole(x))`, is the response `x` the client decodes.
fn unwrapped(answer: String) -> String {
    match answer.strip_prefix("Ok(Whole(") {
        Some(inner) => format!("Ok({}", inner.strip_suffix(')').unwrap_or(inner)),
        None => answer,
    }
}

/// Sends the case with the client, asking the mock for `code`: `same`, or what differs.
async fn check<O: Operation>(client: &Client, seen: &Seen, params: &O::Params, body: &O::Body, code: u64, upload: bool) -> Result<(String, String), String>
where
    O::Params: std::fmt::Debug,
    O::Body: std::fmt::Debug,
    O::Responses: std::fmt::Debug,
    O::Errors: std::fmt::Debug,
{
    let sent = format!("{params:?} {body:?}");
    let reply = client
        .call::<O>(params, body)
        .header("Prefer", &format!("code={code}"))
        .send()
        .await;
    let decoded = match reply {
        Ok(decoded) => format!("{decoded:?}"),
        // The client refuses to write what the description's styles cannot carry: no
        // request, nothing to compare.
        Err(api::runtime::client::Error::Encode(error)) => {
            return Ok(("unsendable".into(), error.to_string()))
        }
        Err(error) => return Err(format!("the client failed: {error}")),
    };
    let seen = std::mem::take(&mut *seen.0.lock().unwrap());
    let [received, answered] = <[String; 2]>::try_from(seen)
        .map_err(|seen| format!("the handler did not run as once: {seen:?}; the client decoded {decoded}"))?;
    if received != sent && !upload {
        return Ok(("different".into(), format!("sent {sent}\nreceived {received}")));
    }
    let answered = unwrapped(answered);
    if answered != decoded {
        return Ok(("different".into(), format!("answered {answered}\ndecoded {decoded}")));
    }
    Ok(("same".into(), String::new()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let seen = Seen::default();
    let router = api::server::App::mock().observer(seen.clone()).into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        api::runtime::server::axum::serve(listener, router).await.ok();
    });
    let client = api::runtime::client::Client::new(base)
        .with_credentials(credentials())
        .with_retries(api::runtime::retry::Policy::none());
    for line in std::io::stdin().lock().lines() {
        let line: Value = serde_json::from_str(&line.expect("a line")).expect("a JSON line");
        let index = line["index"].as_u64().unwrap_or(u64::MAX) as usize;
        let (verdict, detail) = match one(index, &line, &client, &seen).await {
            Ok(outcome) => outcome,
            Err(error) => ("failed".to_owned(), error),
        };
        seen.0.lock().unwrap().clear();
        println!("{}", json!({"case": line["case"], "index": index, "code": line["code"], "params": line["params"], "body": line["body"], "verdict": verdict, "detail": detail}));
    }
}
"#;
