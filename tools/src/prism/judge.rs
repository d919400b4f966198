//! Judging what came back. A violation Prism reports of our request is ours, unless a
//! [`Defect`] of Prism 5.14.2 explains it under that defect's exact condition
//! ([`super::defects`]). An excuse covers that one violation or status, never the rest of
//! the operation. Anything that cannot be read is a failure.

use std::collections::BTreeMap;

use codegen::model::{Api, Location, Operation, Style, Ty, TypeKind};
use serde_json::Value;

use super::cases::{place, Asked, Case, Pass, NESTED};
use super::defects::{answer_defect, excuse, Defect, Excused};
use super::violations::request_violations;
use super::{by_case, Answer, Report};
use oracle::validate::Checks;
use oracle::Document;

/// Everything the judge reads.
pub struct Run<'a> {
    pub api: &'a Api,
    pub doc: &'a Document,
    pub checks: &'a Checks,
    pub cases: &'a [Case],
    pub built: &'a [Value],
    pub asked: &'a [Vec<Asked>],
    pub answers: &'a [Answer],
    /// Operations not sent (by index), each listed as a gap: Prism cannot tell them from
    /// another operation.
    pub unsent: &'a BTreeMap<usize, String>,
}

pub fn judge(run: &Run, report: &mut Report) {
    gaps(run, report);
    let answers = by_case(run.answers);
    for (n, (case, built)) in run.cases.iter().zip(run.built).enumerate() {
        if run.unsent.contains_key(&case.index) {
            continue;
        }
        let op = &run.api.operations[case.index];
        let who = format!("{} [{}]", op.id, case.pass.as_str());
        for (place, why) in &case.impossible {
            report.impossible.push(format!("{who} {place}: {why}"));
        }
        for (place, why) in &case.left_out {
            report.gaps.push(format!("{who} {place}: left out: {why}"));
        }
        if let Some(unfit) = built.get("unfit").and_then(Value::as_str) {
            report.failures.push(format!("{who}: {unfit}"));
            continue;
        }
        round_trip(run, op, case, built, &who, report);
        if let Some(refusal) = built.get("refusal").and_then(Value::as_str) {
            match nested_refusal(op, case, refusal) {
                Some(place) => report.excused.push(Excused {
                    operation: op.id.clone(),
                    pass: case.pass.as_str(),
                    place,
                    status: None,
                    defect: Defect::Impossible,
                }),
                None => report
                    .failures
                    .push(format!("{who}: the request was refused: {refusal}")),
            }
            continue;
        }
        let answers = answers.get(&n).map(Vec::as_slice).unwrap_or_default();
        for answer in answers {
            request_side(run, op, case, answer, &who, report);
        }
        if case.pass == Pass::Plain {
            statuses(run, op, case, answers, &who, report);
        }
    }
    report.excused.sort();
    report.excused.dedup();
}

/// The place of the parameter the runtime refused as nested too deeply, when the case
/// holds it as impossible for that reason (a required parameter whose every value nests a
/// list or an object, which no style writes).
fn nested_refusal(op: &Operation, case: &Case, refusal: &str) -> Option<String> {
    let rest = refusal.strip_prefix("parameter `")?;
    let (wire, problem) = rest.split_once('`')?;
    if !problem.starts_with(" is nested too deeply") {
        return None;
    }
    let param = op.params.iter().find(|p| p.wire == wire)?;
    let here = place(param.location, &param.wire);
    case.impossible
        .iter()
        .any(|(place, why)| *place == here && why == NESTED)
        .then_some(here)
}

/// What the run leaves untested on purpose: one item for a list in the path (a literal
/// comma there kills Prism), Swagger `tsv` lists (Prism never reads them), optional
/// deepObject properties with capitals, cookies (Prism validates none), statuses that
/// cannot be asked for.
fn gaps(run: &Run, report: &mut Report) {
    for op in &run.api.operations {
        for param in &op.params {
            let list = matches!(kind_of(run.api, &param.ty), Some(Kind::List));
            let gap = match param.location {
                Location::Path if list => {
                    Some("one item sent: a list of more in the path kills Prism")
                }
                Location::Query if param.style == Style::TabDelimited => {
                    Some("Prism does not validate Swagger tsv lists")
                }
                Location::Cookie => Some("Prism does not validate cookies"),
                _ => None,
            };
            if let Some(gap) = gap {
                report.gaps.push(format!(
                    "{} {}: {gap}",
                    op.id,
                    place(param.location, &param.wire)
                ));
            }
        }
        for response in &op.responses {
            if let codegen::model::Status::Code(code) = response.status {
                if code < 200 {
                    report.gaps.push(format!(
                        "{} status {code}: an informational status cannot be asked for",
                        op.id
                    ));
                }
            }
        }
    }
}

enum Kind {
    List,
    Object,
}

/// Whether `ty` is a list or an object, through aliases.
fn kind_of(api: &Api, ty: &Ty) -> Option<Kind> {
    let mut ty = ty;
    for _ in 0..64 {
        match ty {
            Ty::List(_) => return Some(Kind::List),
            Ty::Map(_) => return Some(Kind::Object),
            Ty::Option(inner) => ty = inner,
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => ty = inner,
                TypeKind::Struct(_) => return Some(Kind::Object),
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// What the generated types wrote back of the values must say what was meant: a dropped,
/// renamed or changed member fails.
fn round_trip(
    run: &Run,
    op: &Operation,
    case: &Case,
    built: &Value,
    who: &str,
    report: &mut Report,
) {
    let back = &built["params_back"];
    for param in &op.params {
        let sent = case.params.get(&param.wire);
        let came = back.get(&param.wire).unwrap_or(&Value::Null);
        let schema =
            oracle::Maker::new(run.doc, oracle::Options::plain()).param_schema(&param.pointer);
        let result = match (sent, &schema) {
            (None, _) if came.is_null() => Ok(()),
            (None, _) => Err(format!("absent, came back as {came}")),
            (Some(sent), Some((pointer, node))) => {
                oracle::compare::equivalent(run.doc, Some((node, pointer)), sent, came, "")
            }
            (Some(sent), None) => oracle::compare::equivalent(run.doc, None, sent, came, ""),
        };
        if let Err(error) = result {
            report.failures.push(format!(
                "{who}: the round trip of parameter `{}` lost something: {error}",
                param.wire
            ));
        }
    }
    let came = &built["body_back"];
    if let (Some(schema), false) = (&case.body_schema, came.is_null()) {
        let node = run.doc.get(schema);
        let result = oracle::compare::equivalent(
            run.doc,
            node.map(|node| (node, schema.as_str())),
            &case.body,
            came,
            "",
        );
        if let Err(error) = result {
            report.failures.push(format!(
                "{who}: the round trip of the body lost something: {error}"
            ));
        }
    }
}

/// The violations of our request in one answer: each excused under its defect's exact
/// condition, or counted as ours.
fn request_side(
    run: &Run,
    op: &Operation,
    case: &Case,
    answer: &Answer,
    who: &str,
    report: &mut Report,
) {
    let violations = match request_violations(answer) {
        Ok(violations) => violations,
        Err(error) => {
            report.failures.push(format!("{who}: {error}"));
            return;
        }
    };
    for violation in violations {
        let place = violation.location[1..].join(".");
        match excuse(run.doc, op, case, &violation) {
            Some(defect) => report.excused.push(Excused {
                operation: op.id.clone(),
                pass: case.pass.as_str(),
                place,
                status: None,
                defect,
            }),
            None => report.violations.push(format!(
                "{who} {place}: {} ({})",
                violation.message, violation.code
            )),
        }
    }
}

/// Every asked status must decode to its documented variant, or a defect must explain
/// why not under its exact condition.
fn statuses(
    run: &Run,
    op: &Operation,
    case: &Case,
    answers: &[&Answer],
    who: &str,
    report: &mut Report,
) {
    for one in &run.asked[case.index] {
        report.statuses += 1;
        let Some(answer) = answers.iter().find(|a| a.prefer == Some(one.code)) else {
            // The request killed Prism, for a defect already excused.
            let excused = report.excused.iter().any(|e| {
                e.operation == op.id && e.pass == case.pass.as_str() && e.status == Some(one.code)
            });
            if !excused {
                report
                    .failures
                    .push(format!("{who}: asked {}, no answer", one.code));
            }
            continue;
        };
        if answer.decoded == one.expected {
            report.decoded += 1;
            continue;
        }
        // Prism refused the request for a violation an excuse covers, so it could not
        // answer with the status asked: the same excuse covers the status.
        let refused_for = request_violations(answer).ok().and_then(|violations| {
            let defects: Vec<Option<Defect>> = violations
                .iter()
                .map(|violation| excuse(run.doc, op, case, violation))
                .collect();
            match defects.first() {
                Some(Some(first)) if defects.iter().all(Option::is_some) => Some(*first),
                _ => None,
            }
        });
        if let Some(defect) = refused_for {
            report.excused.push(Excused {
                operation: op.id.clone(),
                pass: case.pass.as_str(),
                place: format!("status {}", one.code),
                status: Some(one.code),
                defect,
            });
            continue;
        }
        match answer_defect(run.doc, run.checks, op, one, answer) {
            Ok(Some(defect)) => report.excused.push(Excused {
                operation: op.id.clone(),
                pass: case.pass.as_str(),
                place: format!("status {}", one.code),
                status: Some(one.code),
                defect,
            }),
            Ok(None) => report.failures.push(format!(
                "{who}: asked {}, got {}, decoded `{}`, expected `{}`",
                one.code, answer.status, answer.decoded, one.expected
            )),
            Err(error) => report
                .failures
                .push(format!("{who}: asked {}: {error}", one.code)),
        }
    }
}
