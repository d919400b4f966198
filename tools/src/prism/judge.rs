//! Judging what came back. A violation Prism reports of our request is ours, unless a
//! [`Defect`] of Prism 5.14.2 explains it under that defect's exact condition
//! ([`super::defects`]). An excuse covers that one violation or status, never the rest of
//! the operation. Anything that cannot be read is a failure.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::{Api, Location, Operation, Style, Ty, TypeKind};
use serde_json::Value;

use super::cases::{place, Asked, Case, Pass, NESTED};
use super::classes;
use super::defects::{along, answer_defect, excuse, member_path, names, Defect, Excused};
use super::violations::request_violations;
use super::{by_case, Answer, Examples, Finding, Report};
use crate::examples::{every_example, Example, Finder};
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
    /// Cases not sent (by number), each listed as a gap: Prism routes their request to
    /// another operation.
    pub misrouted: &'a BTreeMap<usize, String>,
    /// The patterns Prism cannot compile (their pointers), which stop it validating the
    /// schemas that hold them.
    pub unchecked: &'a [String],
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
        let impossible_at = |place: String| Excused {
            operation: op.id.clone(),
            pass: case.pass.as_str(),
            place,
            status: None,
            defect: Defect::Impossible,
        };
        if let Some(unfit) = built.get("unfit").and_then(Value::as_str) {
            match impossible_unfit(op, case, unfit) {
                Some(place) => report.excused.push(impossible_at(place)),
                None => report.fail_on(
                    Some(op),
                    "a value the generated types refuse",
                    format!("{who}: {unfit}"),
                ),
            }
            continue;
        }
        round_trip(run, op, case, built, &who, report);
        if let Some(refusal) = built.get("refusal").and_then(Value::as_str) {
            match nested_refusal(op, case, refusal) {
                Some(place) => report.excused.push(impossible_at(place)),
                None => report.fail_on(
                    Some(op),
                    "a request the generated code refuses",
                    format!("{who}: the request was refused: {refusal}"),
                ),
            }
            continue;
        }
        if run.misrouted.contains_key(&n) {
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
    impossible_parameter(
        op,
        case,
        refusal,
        |problem| problem.starts_with(" is nested too deeply"),
        |why| why == NESTED,
    )
}

/// The place of the parameter a message names (`parameter `wire` …`), when the problem
/// it states is one `refused` recognises and the case holds that parameter's value as
/// impossible for a reason `held` accepts.
fn impossible_parameter(
    op: &Operation,
    case: &Case,
    message: &str,
    refused: impl Fn(&str) -> bool,
    held: impl Fn(&str) -> bool,
) -> Option<String> {
    let rest = message.strip_prefix("parameter `")?;
    let (wire, problem) = rest.split_once('`')?;
    if !refused(problem) {
        return None;
    }
    let param = op.params.iter().find(|p| p.wire == wire)?;
    let here = place(param.location, &param.wire);
    case.impossible
        .iter()
        .any(|(place, why)| *place == here && held(why))
        .then_some(here)
}

/// The place of the value the generated type refused, when the case holds that value as
/// impossible: it breaks its own schema (BBC's `mixin`, `type: array` with an `enum` of
/// strings; Apptigent's `lower`, `type: string` with `enum: [true, false]`), so refusing
/// it is right. A body only when the refusal and the schema's problem are at the same
/// member.
fn impossible_unfit(op: &Operation, case: &Case, unfit: &str) -> Option<String> {
    if let Some(body) = unfit.strip_prefix("body: ") {
        let (_, error) = body.rsplit_once(" does not fit the generated type: ")?;
        let refused = super::defects::member_path(error);
        let at = |why: &str| {
            let start = why.rfind("(at `")? + "(at `".len();
            let end = start + why[start..].find('`')?;
            Some(super::defects::names(&why[start..end]))
        };
        return case
            .impossible
            .iter()
            .any(|(place, why)| place == "body" && at(why).as_ref() == Some(&refused))
            .then(|| "body".to_owned());
    }
    impossible_parameter(
        op,
        case,
        unfit,
        |problem| problem.contains("does not fit the generated type"),
        |_| true,
    )
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
            report.fail_on(
                Some(op),
                "a parameter's round trip loses something",
                format!(
                    "{who}: the round trip of parameter `{}` lost something: {error}",
                    param.wire
                ),
            );
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
            report.fail_on(
                Some(op),
                "a body's round trip loses something",
                format!("{who}: the round trip of the body lost something: {error}"),
            );
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
            report.fail_on(
                Some(op),
                "Prism's violations cannot be read",
                format!("{who}: {error}"),
            );
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
            None => report.violations.push(Finding {
                kind: format!(
                    "{} at {}",
                    violation.code,
                    violation.location.get(1).map_or("request", String::as_str)
                ),
                text: format!("{who} {place}: {} ({})", violation.message, violation.code),
                class: classes::of_violation(run.doc, op, &violation),
            }),
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
                report.fail_on(
                    Some(op),
                    "a status asked is not answered",
                    format!("{who}: asked {}, no answer", one.code),
                );
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
        match answer_defect(run.doc, run.checks, run.unchecked, op, one, answer) {
            Ok(Some(defect)) => report.excused.push(Excused {
                operation: op.id.clone(),
                pass: case.pass.as_str(),
                place: format!("status {}", one.code),
                status: Some(one.code),
                defect,
            }),
            Ok(None) => report.fail_on(
                Some(op),
                if answer.decoded.starts_with("DecodeError") {
                    "an answer does not decode"
                } else {
                    "an answer decodes to another variant"
                },
                format!(
                    "{who}: asked {}, got {}, decoded `{}`, expected `{}`",
                    one.code, answer.status, answer.decoded, one.expected
                ),
            ),
            Err(error) => report.fail_on(
                Some(op),
                "Prism's answer cannot be read",
                format!("{who}: asked {}: {error}", one.code),
            ),
        }
    }
}

/// The examples of a description the harness reads, each with the index of its generated
/// type among `types` (as the harness names them).
pub struct Found {
    pub tested: Vec<(Example, usize)>,
    pub types: Vec<String>,
    /// How many of `tested`, at its end, are values made for issue 28's family rather
    /// than examples.
    pub made: usize,
}

/// Values made per union of issue 28's family.
const FAMILY_VALUES: usize = 8;

impl Found {
    /// Finds the examples of `doc` and their types in `api`; counts them in `examples`,
    /// and lists there those no type reads and those the finder does not reach.
    pub fn of(doc: &Document, api: &Api, checks: &Checks, examples: &mut Examples) -> Found {
        let found = Finder::find(doc, api);
        let mut everywhere = BTreeSet::new();
        every_example(&doc.root, "#", false, &mut everywhere);
        for pointer in everywhere {
            if !found.contains_key(&pointer) {
                let why = unreached(&pointer).to_owned();
                examples.untested.push((pointer, why));
            }
        }
        let mut types: Vec<String> = Vec::new();
        let mut tested = Vec::new();
        for (_, example) in found {
            match &example.ty {
                Err(why) => examples
                    .untested
                    .push((example.pointer.clone(), why.clone())),
                Ok(ty) => {
                    let name = super::harness::rust(api, ty);
                    let index = match types.iter().position(|t| *t == name) {
                        Some(index) => index,
                        None => {
                            types.push(name);
                            types.len() - 1
                        }
                    };
                    tested.push((example, index));
                }
            }
        }
        examples.found = tested.len() + examples.untested.len();
        let mut index_of = |ty: &Ty| {
            let name = super::harness::rust(api, ty);
            match types.iter().position(|t| *t == name) {
                Some(index) => index,
                None => {
                    types.push(name);
                    types.len() - 1
                }
            }
        };
        let mut made = Vec::new();
        let maker = oracle::Maker::new(doc, oracle::Options::varied()).checked(checks);
        for (id, def) in api.types.iter().enumerate() {
            let Some(node) = doc.get(&def.pointer) else {
                continue;
            };
            if !matches!(def.kind, TypeKind::OneOf(_))
                || !nullable_union_family(doc, node, &def.pointer)
            {
                continue;
            }
            examples.family += 1;
            let named = Ty::Named(codegen::model::TypeId(id));
            let ty = if oracle::document::is_nullable(node) {
                Ty::Option(Box::new(named))
            } else {
                named
            };
            let index = index_of(&ty);
            let mut values: Vec<Value> = Vec::new();
            let mut problem = None;
            for seed in 0..FAMILY_VALUES * 4 {
                if values.len() == FAMILY_VALUES {
                    break;
                }
                let mut source =
                    oracle::source::Seeded::from_text(&format!("{}\0{seed}", def.pointer));
                let value = maker.value(&mut source, node, &def.pointer);
                // A value of a union told apart by its discriminator is valid when the
                // branch it names takes it: JSON Schema knows no discriminator, and
                // finds an object two branches take valid under neither.
                let under = discriminated(doc, node, &def.pointer, &value)
                    .unwrap_or_else(|| def.pointer.clone());
                match checks.problem(&under, &value) {
                    None if !values.contains(&value) => values.push(value),
                    None => {}
                    Some(why) => problem = Some(why),
                }
            }
            if values.is_empty() {
                let why = problem.unwrap_or_default();
                examples.family_unmade.push((def.pointer.clone(), why));
            }
            for (n, value) in values.into_iter().enumerate() {
                let example = Example {
                    pointer: format!("{} (value {n} made of it)", def.pointer),
                    schema: def.pointer.clone(),
                    value,
                    ty: Ok(ty.clone()),
                };
                made.push((example, index));
            }
        }
        examples.family_values = made.len();
        let made_count = made.len();
        tested.extend(made);
        Found {
            tested,
            types,
            made: made_count,
        }
    }
}

/// The branch of the union `node` (at `pointer`) whose discriminator names `value`'s
/// discriminating property: the `mapping`'s target, or else the schema of that name, if
/// it is one of the union's branches.
fn discriminated(doc: &Document, node: &Value, pointer: &str, value: &Value) -> Option<String> {
    let (_, node) = doc.resolve(node, pointer);
    let discriminator = node.get("discriminator")?;
    let property = discriminator.get("propertyName")?.as_str()?;
    let name = value.get(property)?.as_str()?;
    let target = match discriminator.get("mapping").and_then(|m| m.get(name)) {
        Some(target) => target.as_str()?.to_owned(),
        None => format!("#/components/schemas/{name}"),
    };
    let target = if target.starts_with('#') {
        target
    } else {
        format!("#/components/schemas/{target}")
    };
    let branches = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| node.get(*key).and_then(Value::as_array))
        .flatten();
    let is_branch = branches
        .filter_map(|branch| branch.get("$ref").and_then(Value::as_str))
        .any(|reference| reference == target);
    (is_branch && doc.get(&target).is_some()).then_some(target)
}

/// Whether the schema is issue 28's family: a `oneOf` or `anyOf` with a nullable branch
/// and a branch that is a list, an object or another union.
fn nullable_union_family(doc: &Document, node: &Value, pointer: &str) -> bool {
    let (pointer, node) = doc.resolve(node, pointer);
    let branches: Vec<&Value> = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| node.get(*key).and_then(Value::as_array))
        .flatten()
        .collect();
    let resolved: Vec<&Value> = branches
        .iter()
        .map(|branch| doc.resolve(branch, &pointer).1)
        .collect();
    let nullable = branches.iter().zip(&resolved).any(|(branch, target)| {
        oracle::document::is_nullable(branch) || oracle::document::is_nullable(target)
    });
    let structured = resolved.iter().any(|branch| {
        let kinds = oracle::document::types(branch);
        kinds.iter().any(|t| t == "array" || t == "object")
            || [
                "properties",
                "items",
                "additionalProperties",
                "oneOf",
                "anyOf",
            ]
            .iter()
            .any(|key| branch.get(*key).is_some())
    });
    nullable && structured
}

/// Each example read into its type and written back (`back`, the harness's answers, in
/// order) must say what it said, schema in hand; one that does not is a failure, unless
/// the independent validator finds that it breaks its own schema.
pub fn examples(
    doc: &Document,
    checks: &Checks,
    found: &Found,
    back: &[Value],
    report: &mut Report,
) {
    let examples = found.tested.len() - found.made;
    for (n, ((example, _), answer)) in found.tested.iter().zip(back).enumerate() {
        let made = n >= examples;
        let schema = doc
            .get(&example.schema)
            .map(|node| (node, example.schema.as_str()));
        let error = match answer.get("back") {
            Some(came) => oracle::compare::equivalent(doc, schema, &example.value, came, "").err(),
            None => Some(
                answer["error"]
                    .as_str()
                    .unwrap_or("the harness did not answer")
                    .to_owned(),
            ),
        };
        let Some(error) = error else {
            if !made {
                report.examples.decoded += 1;
            }
            continue;
        };
        if made {
            // Made valid under the schema: a failure is ours.
            report.examples.family_failing += 1;
            report.fail(
                "a value of a union with a nullable branch does not survive the round trip",
                format!(
                    "{}: {error}\n    value: {}",
                    example.pointer,
                    oracle::compare::short(&example.value)
                ),
            );
            continue;
        }
        // The validator must find the example broken on the path where it failed, or at
        // the object that lacks, or should not have, the member it failed at.
        // A member dropped or added may also break its own schema where it is (a `null`
        // the schema does not allow, which the generated type leaves out).
        let failed_at = failure_path(&error);
        let member = dropped_or_added(&error);
        let contradiction = checks
            .problems(&example.schema, &example.value)
            .into_iter()
            .find(|(_, at)| {
                let at = names(at);
                along(&failed_at, &at) || member.as_ref().is_some_and(|m| along(m, &at))
            });
        match contradiction {
            Some((problem, at)) => report
                .examples
                .contradicting
                .push(format!("{}: {problem} (at `{at}`)", example.pointer)),
            None => {
                report.examples.failing += 1;
                let kind = if answer.get("back").is_some() {
                    "an example's round trip loses something"
                } else if error.starts_with("does not deserialize") {
                    "an example does not decode"
                } else {
                    "an example does not read back what it wrote"
                };
                report.fail(kind, format!("example {}: {error}", example.pointer));
            }
        }
    }
}

/// Where an example's round trip failed, as the member names of the object it failed in:
/// `oracle::compare`'s `` at `/a/0/b`: … ``, or the members a deserialization error
/// names. A member that is missing, dropped or added is reported at its object.
fn failure_path(error: &str) -> Vec<String> {
    if let Some(rest) = error.strip_prefix("at `") {
        let pointer = rest.split('`').next().unwrap_or_default();
        let mut path = names(pointer);
        if error.ends_with(" was dropped") || error.ends_with(" was added") {
            path.pop();
        }
        return path;
    }
    let rest = error
        .strip_prefix("does not deserialize: ")
        .unwrap_or(error);
    let mut path = member_path(rest);
    if rest.contains("missing member `") {
        path.pop();
    }
    path
}

/// The member names of the member `oracle::compare` found dropped or added, if it did.
fn dropped_or_added(error: &str) -> Option<Vec<String>> {
    let rest = error.strip_prefix("at `")?;
    let pointer = rest.split('`').next()?;
    (error.ends_with(" was dropped") || error.ends_with(" was added")).then(|| names(pointer))
}

/// Why the finder does not reach an example: the generated code reads no header as JSON,
/// and a component no operation uses is no part of it.
fn unreached(pointer: &str) -> &'static str {
    let component = ["parameters", "requestBodies", "responses", "headers"]
        .iter()
        .any(|kind| {
            pointer.starts_with(&format!("#/components/{kind}/"))
                || pointer.starts_with(&format!("#/{kind}/"))
        });
    if pointer.contains("/headers/") {
        "the example of a header, which the generated code reads as text"
    } else if component {
        "the example of a component no operation uses"
    } else {
        "the finder of examples does not reach it"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_fails_at_the_object_of_a_member_missing_dropped_or_added() {
        assert_eq!(failure_path("at `/a/0/b`: 1 came back as 2"), ["a", "b"]);
        assert_eq!(failure_path("at `/a/extra`: 1 was dropped"), ["a"]);
        assert_eq!(failure_path("at `/x`: 1 was added"), Vec::<String>::new());
        // GitHub's gist example: `files: null` where the schema takes no null.
        let dropped = dropped_or_added("at `/files`: null was dropped");
        assert_eq!(dropped.as_deref(), Some(&["files".to_owned()][..]));
        assert_eq!(dropped_or_added("at `/a`: 1 came back as 2"), None);
        assert_eq!(
            failure_path("does not deserialize: `a`: `b`: invalid type: null, expected a string"),
            ["a", "b"]
        );
        assert_eq!(
            failure_path("does not deserialize: `a`: missing member `id`"),
            ["a"]
        );
    }

    #[test]
    fn a_discriminated_value_is_checked_under_the_branch_it_names() {
        let doc = Document::new(serde_json::json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "U": {
                    "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                    "discriminator": {"propertyName": "t", "mapping": {"a": "#/components/schemas/A"}}
                },
                "A": {"type": "object"},
                "B": {"type": "object"},
                "C": {"type": "object"}
            }}
        }));
        let union = doc.get("#/components/schemas/U").unwrap();
        let at = "#/components/schemas/U";
        let of = |value| discriminated(&doc, union, at, &value);
        assert_eq!(
            of(serde_json::json!({"t": "a"})).as_deref(),
            Some("#/components/schemas/A")
        );
        assert_eq!(
            of(serde_json::json!({"t": "B"})).as_deref(),
            Some("#/components/schemas/B")
        );
        assert_eq!(of(serde_json::json!({"t": "C"})), None, "not a branch");
        assert_eq!(
            of(serde_json::json!({"u": "a"})),
            None,
            "no discriminating property"
        );
        assert_eq!(of(serde_json::Value::Null), None);
    }

    #[test]
    fn unreached_examples_say_why() {
        assert!(unreached("#/components/parameters/member/example").contains("no operation"));
        assert!(unreached("#/paths/~1a/get/responses/200/headers/X/example").contains("header"));
        assert!(unreached("#/components/schemas/A/example").contains("finder"));
    }
}
