//! Judging what came back. A violation Prism reports of our request is ours, unless a
//! [`Defect`] of Prism 5.14.2 explains it under that defect's exact condition (each read
//! from Prism's source and reproduced; `tools/prism/NOTES.md`), checked against what we
//! sent and what the description says. An excuse covers that one violation or status,
//! never the rest of the operation. Anything that cannot be read is a failure.

use std::collections::BTreeMap;
use std::fmt;

use codegen::model::{Api, Location, Operation, Payload, Style, Ty, TypeKind};
use serde_json::Value;

use super::cases::{place, Asked, Case, Pass, NESTED};
use super::{by_case, Answer, Report};
use oracle::document::{child, types};
use oracle::validate::Checks;
use oracle::Document;

/// A defect of Prism 5.14.2, each with the exact condition under which it is excused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Defect {
    /// A `spaceDelimited` (Swagger `ssv`) query list of two or more items, not exploded:
    /// Prism splits on the text `%20` after decoding, so the whole value is item 0.
    SpaceDelimited,
    /// A required Swagger `tsv` query parameter: Prism has no reader for the style and
    /// always finds it missing.
    TabDelimited,
    /// A required property with a capital letter in a `deepObject` (or exploded form)
    /// object parameter: Prism lowercases the keys it receives, never the schema's.
    DeepObjectCapitals,
    /// An optional `deepObject` (or exploded form) query object of `type: object` that
    /// was not sent: Prism builds it as an object all the same and finds its required
    /// properties missing.
    AbsentObject,
    /// An array property of a URL-encoded body without an encoding `style`: Prism reads
    /// every value as text ("must be array").
    FormArray,
    /// A styled property of a URL-encoded body whose text holds a reserved character we
    /// write as the format says (the `,` between items, `+` for a space): Prism refuses it.
    FormReserved,
    /// A multipart part holding an object (a JSON part) or an array (repeated parts):
    /// Prism reads every part as text ("must be object", "must be array").
    MultipartStructured,
    /// A multipart part whose text holds a `%XX`: Prism percent-decodes part values
    /// before validating them.
    MultipartPercent,
    /// `0`/`1` for a path, query or header parameter whose `oneOf` has an integer (or
    /// number) branch before a boolean one, or `true`/`false` where a boolean branch comes
    /// before an integer (or number) one: Prism's validator coerces the text in place in
    /// the first branch and coerces the result again in the later one (`1` becomes
    /// `true`), so two branches match text only one of them reads.
    OneOfCoercion,
    /// A list of two or more items joined into one text (a `form` list not exploded, a
    /// `simple` one …) for a parameter whose schema is not `type: array` at its top (a
    /// `oneOf` with a list among its branches): Prism splits a parameter's text into items
    /// only when the top says `type: array`, and validates `15,16` whole.
    UnionList,
    /// A header parameter named `Accept`, `Content-Type` or `Authorization` in an OpenAPI
    /// 3.x description, which the specification says to ignore and the generator leaves
    /// out: Prism validates it all the same (required, or against its schema).
    IgnoredHeader,
    /// A request body of a media type Prism does not parse (not JSON, not a form: XML,
    /// text) whose schema is not a string: Prism validates the raw text against the
    /// schema ("Request body must be object").
    RawBody,
    /// Prism's own mock body breaks the description: Prism flags it, the independent
    /// validator agrees, and `decode` failed where they say.
    InvalidMock,
    /// Prism answered with no body where the description documents one.
    EmptyMock,
    /// Prism's mock wrote 2^128 (one past `f32`'s range) for a `format: float` member,
    /// which `decode` refuses as out of range.
    FloatPastRange,
    /// Prism could not make a body for the response's schema (`SCHEMA_TOO_COMPLEX`).
    TooComplex,
    /// Prism cannot write its mock of a `text/*` response whose schema is not a string
    /// (an object, array, number or boolean): 500 `NO_COMPLEX_OBJECT_TEXT`.
    ComplexText,
    /// Prism died writing a `sl-violations` header with a character above U+00FF (its
    /// log says so).
    HeaderCharacter,
    /// Prism died reading a request that lacks a header parameter of `type: array` (an
    /// optional one left out): its `simple` reader splits the absent value (`TypeError:
    /// Cannot read properties of undefined (reading 'split')`, its log says).
    AbsentArrayHeader,
    /// A value no choice can make valid under the description (not Prism's fault: the
    /// description's); only the violations at its own place are excused.
    Impossible,
}

impl Defect {
    pub fn describe(self) -> &'static str {
        match self {
            Defect::SpaceDelimited => {
                "Prism splits spaceDelimited lists on the text %20 after decoding"
            }
            Defect::TabDelimited => "Prism cannot read Swagger tsv query parameters",
            Defect::DeepObjectCapitals => "Prism lowercases deepObject keys, never the schema's",
            Defect::AbsentObject => {
                "Prism reads an absent deepObject or exploded form object as an empty object"
            }
            Defect::FormArray => {
                "Prism reads URL-encoded array properties without an encoding style as text"
            }
            Defect::FormReserved => {
                "Prism refuses reserved characters the format writes in styled form properties"
            }
            Defect::MultipartStructured => "Prism reads object and array multipart parts as text",
            Defect::MultipartPercent => "Prism percent-decodes multipart part values",
            Defect::OneOfCoercion => {
                "Prism coerces parameter text inside one oneOf branch and again in the next (1 becomes true)"
            }
            Defect::UnionList => {
                "Prism splits a parameter's list only when its schema's top says type: array"
            }
            Defect::IgnoredHeader => {
                "Prism validates the Accept, Content-Type and Authorization header parameters OpenAPI 3 says to ignore"
            }
            Defect::RawBody => {
                "Prism validates the raw text of a body it does not parse (XML, text) against its schema"
            }
            Defect::InvalidMock => {
                "Prism's mock body breaks the description, and decode rightly refuses it"
            }
            Defect::EmptyMock => "Prism's mock sent no body where the description documents one",
            Defect::FloatPastRange => {
                "Prism's mock writes ±2^128 for format: float, past f32's range"
            }
            Defect::TooComplex => "Prism cannot make a body for this schema (SCHEMA_TOO_COMPLEX)",
            Defect::ComplexText => {
                "Prism cannot write a mock that is not a string as text/* (NO_COMPLEX_OBJECT_TEXT)"
            }
            Defect::HeaderCharacter => {
                "Prism dies writing a character above U+00FF into sl-violations"
            }
            Defect::AbsentArrayHeader => {
                "Prism dies reading a request without a header parameter of type: array"
            }
            Defect::Impossible => "no value of the description's schema is valid here",
        }
    }
}

/// One case a defect explains.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Excused {
    pub operation: String,
    pub pass: &'static str,
    /// The violation's location (`query.color`), or the status asked.
    pub place: String,
    pub status: Option<u16>,
    pub defect: Defect,
}

impl fmt::Display for Excused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}: {:?}",
            self.operation, self.pass, self.place, self.defect
        )
    }
}

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

/// One violation, as Prism reports it.
struct Violation {
    /// `["request", "query", "color", "0"]`: the leading `request` is added to the
    /// locations of Prism's own 422, which lack it.
    location: Vec<String>,
    code: String,
    message: String,
}

/// The request violations Prism reports in an answer, or why they cannot be read.
fn request_violations(answer: &Answer) -> Result<Vec<Violation>, String> {
    let mut found = Vec::new();
    for entry in header_violations(answer)? {
        if entry.location.first().map(String::as_str) == Some("request") {
            found.push(entry);
        }
    }
    if let Some(problem) = problem(answer)? {
        let kind = problem
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind.ends_with("#UNPROCESSABLE_ENTITY") {
            let list = problem
                .get("validation")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    format!("a 422 of Prism's without its list of violations: {problem}")
                })?;
            for entry in list {
                let mut violation = violation(entry)?;
                violation.location.insert(0, "request".to_owned());
                if severity_error(entry) {
                    found.push(violation);
                }
            }
        } else if kind.ends_with("#SCHEMA_TOO_COMPLEX") || kind.ends_with("#NO_COMPLEX_OBJECT_TEXT")
        {
            // About Prism's answer, not the request (Prism validated the request before
            // and its violations are in the header): see `statuses`.
        } else if kind.contains("stoplight.io/prism/errors#") {
            // NO_PATH_MATCHED_ERROR, UNAUTHORIZED …: the request did not fit at all.
            found.push(Violation {
                location: vec!["request".to_owned()],
                code: kind.rsplit('#').next().unwrap_or_default().to_owned(),
                message: problem.to_string(),
            });
        }
    }
    Ok(found)
}

/// The `sl-violations` header's entries of severity `Error` (deprecation warnings are
/// not violations): none without the header; an error when it is not UTF-8 or not a
/// JSON list. Prism cuts a long list into `Too many violations! ` and its first 8092
/// characters (`prism-http-server/dist/server.js:30-40`), and lists the request's
/// violations before the response's (`:75`): once a complete entry about the response
/// is read, every one about the request was, and the complete entries are the answer.
/// A cut list without one is an error.
fn header_violations(answer: &Answer) -> Result<Vec<Violation>, String> {
    let Some(raw) = answer.header("sl-violations") else {
        return Ok(Vec::new());
    };
    let text = std::str::from_utf8(raw)
        .map_err(|_| "the sl-violations header is not UTF-8 text".to_owned())?;
    if let Some(cut) = text.strip_prefix("Too many violations! ") {
        let entries = complete_entries(cut);
        let about_response = entries
            .iter()
            .any(|entry| entry.pointer("/location/0").and_then(Value::as_str) == Some("response"));
        if !about_response {
            return Err(format!(
                "the sl-violations header was cut before the request's violations ended: {}",
                text.chars().take(120).collect::<String>()
            ));
        }
        return entries
            .iter()
            .filter(|entry| severity_error(entry))
            .map(violation)
            .collect();
    }
    let list: Vec<Value> = serde_json::from_str(text).map_err(|error| {
        format!(
            "the sl-violations header is not a JSON list ({error}): {}",
            text.chars().take(120).collect::<String>()
        )
    })?;
    list.iter()
        .filter(|entry| severity_error(entry))
        .map(violation)
        .collect()
}

/// The complete values at the start of a JSON list that was cut short.
fn complete_entries(text: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let Some(mut rest) = text.strip_prefix('[') else {
        return entries;
    };
    loop {
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        let Some(Ok(entry)) = stream.next() else {
            return entries;
        };
        entries.push(entry);
        rest = rest[stream.byte_offset()..].trim_start();
        match rest.strip_prefix(',') {
            Some(next) => rest = next,
            None => return entries,
        }
    }
}

fn severity_error(entry: &Value) -> bool {
    entry.get("severity").and_then(Value::as_str) != Some("Warning")
}

fn violation(entry: &Value) -> Result<Violation, String> {
    let location = entry
        .get("location")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("a violation without a location: {entry}"))?
        .iter()
        .map(|part| {
            part.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| part.to_string())
        })
        .collect();
    Ok(Violation {
        location,
        code: match entry.get("code") {
            Some(Value::String(code)) => code.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        },
        message: entry
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

/// The problem+json body of one of Prism's own answers, read whole; an error when it does
/// not parse.
fn problem(answer: &Answer) -> Result<Option<Value>, String> {
    let media = answer
        .header("content-type")
        .and_then(|v| std::str::from_utf8(v).ok())
        .unwrap_or_default();
    if !media.starts_with("application/problem+json") {
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(&answer.body).map_err(|error| {
        format!(
            "a problem+json answer that is not JSON ({error}): {}",
            String::from_utf8_lossy(&answer.body)
                .chars()
                .take(120)
                .collect::<String>()
        )
    })?;
    // Only Prism's own problems: a documented problem+json error body is the API's.
    let own = value
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains("stoplight.io/prism/errors#"));
    Ok(own.then_some(value))
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
        match excuse(run, op, case, &violation) {
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

/// The defect that explains `violation` of the request of `case`, if one does under its
/// exact condition.
fn excuse(run: &Run, op: &Operation, case: &Case, violation: &Violation) -> Option<Defect> {
    let location: Vec<&str> = violation
        .location
        .iter()
        .skip(1)
        .map(String::as_str)
        .collect();
    // The violation is about a parameter's whole value, not an item or member of it.
    let whole_param = location.len() == 2;
    let (kind, name) = match location.as_slice() {
        [kind, name, ..] => (*kind, *name),
        ["header"] if violation.code == "required" => {
            return ignored_header(run, op, quoted(&violation.message)?);
        }
        ["query"] if violation.code == "required" => ("query", ""),
        ["body", ..] => ("body", ""),
        _ => return None,
    };
    // Impossible values: only at their own place.
    let here = |place: &str| {
        place.eq_ignore_ascii_case(&format!("{kind}.{name}")) || (kind == "body" && place == "body")
    };
    if case.impossible.iter().any(|(place, _)| here(place)) {
        return Some(Defect::Impossible);
    }
    match kind {
        "path" | "query" | "header" => {
            let location = match kind {
                "path" => Location::Path,
                "query" => Location::Query,
                _ => Location::Header,
            };
            if kind == "query" && name.is_empty() {
                return tab_delimited(op, violation);
            }
            if location == Location::Header {
                if let Some(defect) = ignored_header(run, op, name) {
                    return Some(defect);
                }
            }
            let param = op
                .params
                .iter()
                .find(|p| p.location == location && p.wire.eq_ignore_ascii_case(name))?;
            let object_style =
                param.style == Style::DeepObject || (param.style == Style::Form && param.explode);
            let Some(sent) = case.params.get(&param.wire) else {
                let absent_object = location == Location::Query
                    && object_style
                    && !param.required
                    && violation.code == "required"
                    && quoted(&violation.message).is_some_and(|key| requires(run, param, key));
                return absent_object.then_some(Defect::AbsentObject);
            };
            let items = sent.as_array().map_or(0, Vec::len);
            let spaced = matches!(param.style, Style::SpaceDelimited) && !param.explode;
            if location == Location::Query && spaced && items >= 2 {
                return Some(Defect::SpaceDelimited);
            }
            if location == Location::Query
                && object_style
                && violation.code == "required"
                && quoted(&violation.message).is_some_and(|key| key.chars().any(char::is_uppercase))
            {
                return Some(Defect::DeepObjectCapitals);
            }
            if whole_param && union_list(run, param, sent) {
                return Some(Defect::UnionList);
            }
            if violation.code == "oneOf" && coerced(run, param, sent) {
                return Some(Defect::OneOfCoercion);
            }
            None
        }
        "body" if location == ["body"] && raw_body(run, op, violation) => Some(Defect::RawBody),
        "body" => form_defect(run, op, case, violation, name),
        _ => None,
    }
}

/// Whether the parameter's schema is `type: object` (what Prism's deepObject and form
/// readers test, `prism-http/dist/validator/deserializers/style/deepObject.js:24`,
/// `form.js:8,13`) and requires `key`.
fn requires(run: &Run, param: &codegen::model::Param, key: &str) -> bool {
    let maker = oracle::Maker::new(run.doc, oracle::Options::plain());
    let Some((pointer, schema)) = maker.param_schema(&param.pointer) else {
        return false;
    };
    let schema = run.doc.resolve(schema, &pointer).1;
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|k| k.as_str() == Some(key)))
}

/// A required Swagger `tsv` parameter reported missing.
fn tab_delimited(op: &Operation, violation: &Violation) -> Option<Defect> {
    let missing = quoted(&violation.message)?;
    op.params
        .iter()
        .any(|p| {
            p.location == Location::Query
                && p.style == Style::TabDelimited
                && p.required
                && p.wire == missing
        })
        .then_some(Defect::TabDelimited)
}

/// The property a message names in quotes (`must have required property 'userName'`).
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('\'')? + 1;
    let end = start + message[start..].find('\'')?;
    Some(&message[start..end])
}

/// Whether Prism died (`why`, its standard error) splitting the absent value of a header
/// parameter of `type: array` (`prism-http/dist/validator/deserializers/style/simple.js:20`),
/// and `request` (as built) lacks such a header parameter of `op`.
pub fn absent_array_header(doc: &Document, op: &Operation, request: &Value, why: &str) -> bool {
    let split = why.contains("reading 'split'") && why.contains("deserializeArray");
    let sent: Vec<String> = request["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| pair[0].as_str().map(str::to_ascii_lowercase))
        .collect();
    let maker = oracle::Maker::new(doc, oracle::Options::plain());
    let array = |param: &codegen::model::Param| {
        maker
            .param_schema(&param.pointer)
            .is_some_and(|(pointer, schema)| {
                doc.resolve(schema, &pointer)
                    .1
                    .get("type")
                    .and_then(Value::as_str)
                    == Some("array")
            })
    };
    split
        && op.params.iter().any(|param| {
            param.location == Location::Header
                && !sent.contains(&param.wire.to_ascii_lowercase())
                && array(param)
        })
}

/// A header `name` (as Prism reports it, lowercased) that OpenAPI 3.x says to ignore as a
/// parameter, which the generator left out of `op`: Prism's readers keep every declared
/// header parameter (`http-spec/oas3/transformers/request.js` filters none).
fn ignored_header(run: &Run, op: &Operation, name: &str) -> Option<Defect> {
    let ignored = matches!(
        name.to_ascii_lowercase().as_str(),
        "accept" | "content-type" | "authorization"
    );
    let left_out = !op
        .params
        .iter()
        .any(|p| p.location == Location::Header && p.wire.eq_ignore_ascii_case(name));
    (ignored && left_out && run.doc.version().starts_with('3')).then_some(Defect::IgnoredHeader)
}

/// Whether the text sent for `param` is one Prism's validator (ajv, `coerceTypes: true`)
/// coerces across two branches of its `oneOf`: ajv coerces the value in place inside a
/// branch and the next branch sees the result, which it may coerce again. `1` read by an
/// integer branch becomes `true` for a later boolean branch; `true` read by a boolean
/// branch becomes `1` for a later integer one. Text two branches really read (`42` for an
/// integer branch and a plain string one) is the description's ambiguity, not this.
fn coerced(run: &Run, param: &codegen::model::Param, sent: &Value) -> bool {
    let text = match sent {
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::String(text) => text.clone(),
        _ => return false,
    };
    let maker = oracle::Maker::new(run.doc, oracle::Options::plain());
    let Some((pointer, schema)) = maker.param_schema(&param.pointer) else {
        return false;
    };
    let (pointer, schema) = run.doc.resolve(schema, &pointer);
    let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
        return false;
    };
    let branch_types: Vec<Vec<String>> = branches
        .iter()
        .enumerate()
        .map(|(index, branch)| {
            let at = child(&child(&pointer, "oneOf"), &index.to_string());
            types(run.doc.resolve(branch, &at).1)
        })
        .collect();
    let first = |kinds: &[&str]| {
        branch_types
            .iter()
            .position(|t| t.iter().any(|t| kinds.contains(&t.as_str())))
    };
    match (
        text.as_str(),
        first(&["integer", "number"]),
        first(&["boolean"]),
    ) {
        ("0" | "1", Some(numeric), Some(boolean)) => numeric < boolean,
        ("true" | "false", Some(numeric), Some(boolean)) => boolean < numeric,
        _ => false,
    }
}

/// Whether a list of two or more items was sent for `param` joined into one text, and
/// its schema's top is not `type: array`: Prism's readers split the text only when it is
/// (`prism-http/dist/validator/deserializers/style/form.js:8-10`, `simple.js:5-7`), and
/// hand the joined text to the validator otherwise.
fn union_list(run: &Run, param: &codegen::model::Param, sent: &Value) -> bool {
    let exploded = matches!(param.style, Style::Form | Style::Matrix) && param.explode;
    if exploded || sent.as_array().is_none_or(|items| items.len() < 2) {
        return false;
    }
    let maker = oracle::Maker::new(run.doc, oracle::Options::plain());
    let Some((pointer, schema)) = maker.param_schema(&param.pointer) else {
        return false;
    };
    let schema = run.doc.resolve(schema, &pointer).1;
    schema.get("type").and_then(Value::as_str) != Some("array")
}

/// A `type` violation of the whole body, sent in a media type Prism reads as text (not
/// JSON, not a form), whose schema's type is known and is not a string
/// (`prism-http-server/dist/server.js:41-51` reads such a body as text;
/// `prism-http/dist/validator/validators/body.js:151-155` validates that text as it is).
fn raw_body(run: &Run, op: &Operation, violation: &Violation) -> bool {
    let Some(content) = op.body.as_ref().and_then(|b| b.contents.first()) else {
        return false;
    };
    let media = content.media_types[0].to_ascii_lowercase();
    let essence = media.split(';').next().unwrap_or_default().trim();
    let parsed = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
        || essence == "application/x-www-form-urlencoded"
        || essence == "multipart/form-data";
    if parsed || !matches!(content.payload, Payload::Text | Payload::Binary) {
        return false;
    }
    let Some((node, at)) = content
        .schema
        .as_deref()
        .and_then(|at| Some((run.doc.get(at)?, at)))
    else {
        return false;
    };
    let kinds = types(run.doc.resolve(node, at).1);
    violation.code == "type"
        && violation.message.starts_with("Request body must be ")
        && !kinds.is_empty()
        && !kinds.iter().any(|t| t == "string")
}

/// The defects of form and multipart bodies (items 4 and 5 of the notes).
fn form_defect(
    run: &Run,
    op: &Operation,
    case: &Case,
    violation: &Violation,
    property: &str,
) -> Option<Defect> {
    let content = op.body.as_ref()?.contents.first()?;
    if !matches!(content.payload, Payload::Form(_)) {
        return None;
    }
    let multipart = content.media_types[0]
        .to_ascii_lowercase()
        .starts_with("multipart/");
    let sent = case.body.get(property);
    let encoding = content.encoding.iter().find(|e| e.property == property);
    let schema_types = property_types(run, content.schema.as_deref(), property);
    let structured = schema_types.iter().any(|t| t == "array" || t == "object");
    let says = |kind: &str| {
        violation.message.ends_with(&format!("must be {kind}"))
            || violation.message.contains(&format!("must be {kind},"))
    };
    if multipart {
        if sent.is_some() && structured && (says("array") || says("object")) {
            return Some(Defect::MultipartStructured);
        }
        let percent = sent.and_then(Value::as_str).is_some_and(has_percent_escape);
        if percent {
            return Some(Defect::MultipartPercent);
        }
        return None;
    }
    let described_style = described_encoding_style(run, content, property);
    if says("array") && schema_types.iter().any(|t| t == "array") {
        // No `style` in the description's encoding: every value is read as text. With
        // a Swagger csv/ssv/pipes field (styled), an absent one is read as `''`.
        if (sent.is_some() && !described_style) || (sent.is_none() && described_style) {
            return Some(Defect::FormArray);
        }
    }
    if violation.message == "Reserved characters used in request body" && described_style {
        let texts = sent.map(texts_of).unwrap_or_default();
        let spaced = texts.iter().any(|t| t.contains(' '));
        let reserved = texts
            .iter()
            .any(|t| t.chars().any(|c| "/?#[]@!$&'()*+,;=".contains(c)));
        let joined = encoding.is_some_and(|e| !e.explode)
            && sent
                .and_then(Value::as_array)
                .is_some_and(|items| items.len() >= 2);
        let allowed = encoding.is_some_and(|e| e.allow_reserved);
        if (spaced || joined || (reserved && allowed)) && violation.code.is_empty() {
            return Some(Defect::FormReserved);
        }
    }
    None
}

/// Whether the description gives the form property an Encoding Object with a `style`
/// (OpenAPI 3), or a `collectionFormat` other than `multi` (Swagger 2.0).
fn described_encoding_style(run: &Run, content: &codegen::model::Content, property: &str) -> bool {
    if let Some(media) = content.media.as_deref().and_then(|m| run.doc.get(m)) {
        return media
            .get("encoding")
            .and_then(|e| e.get(property))
            .and_then(|e| e.get("style"))
            .is_some();
    }
    // Swagger 2.0: the form's schema pointer is the operation's parameter list.
    let Some(Value::Array(params)) = content.schema.as_deref().and_then(|s| run.doc.get(s)) else {
        return false;
    };
    params.iter().any(|param| {
        let param = run.doc.resolve(param, "#").1;
        param.get("name").and_then(Value::as_str) == Some(property)
            && matches!(
                param.get("collectionFormat").and_then(Value::as_str),
                Some("csv" | "ssv" | "pipes" | "tsv")
            )
    })
}

/// The JSON types the form's schema gives `property`.
fn property_types(run: &Run, schema: Option<&str>, property: &str) -> Vec<String> {
    let Some(pointer) = schema else {
        return Vec::new();
    };
    let Some(node) = run.doc.get(pointer) else {
        return Vec::new();
    };
    if let Value::Array(params) = node {
        // Swagger 2.0 formData parameters carry their schema's keywords.
        return params
            .iter()
            .map(|param| run.doc.resolve(param, "#").1)
            .find(|param| param.get("name").and_then(Value::as_str) == Some(property))
            .map(types)
            .unwrap_or_default();
    }
    let view = oracle::document::ObjectView::of(run.doc, node, pointer);
    view.property(property)
        .map(|(schema, at)| types(run.doc.resolve(schema, at).1))
        .unwrap_or_default()
}

fn has_percent_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Every text a value holds: itself, its items, its members' values.
fn texts_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(texts_of).collect(),
        Value::Object(members) => members.values().flat_map(texts_of).collect(),
        other => vec![other.to_string()],
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
                .map(|violation| excuse(run, op, case, violation))
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
        match answer_defect(run, op, one, answer) {
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

/// The defect behind an answer that did not decode to the expected variant.
fn answer_defect(
    run: &Run,
    op: &Operation,
    asked: &Asked,
    answer: &Answer,
) -> Result<Option<Defect>, String> {
    if let Some(problem) = problem(answer)? {
        let kind = problem
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind.ends_with("#SCHEMA_TOO_COMPLEX") && answer.status == 500 {
            return Ok(Some(Defect::TooComplex));
        }
        if kind.ends_with("#NO_COMPLEX_OBJECT_TEXT")
            && answer.status == 500
            && asked_response(op, asked).is_some_and(|r| text_not_string(run, r))
        {
            return Ok(Some(Defect::ComplexText));
        }
        return Ok(None);
    }
    if !answer.decoded.starts_with("DecodeError") {
        return Ok(None);
    }
    let Some(response) = asked_response(op, asked) else {
        return Ok(None);
    };
    let documented = response.contents.iter().find(|c| c.schema.is_some());
    if answer.body.is_empty() {
        return Ok(documented.is_some().then_some(Defect::EmptyMock));
    }
    if float_past_range(answer) {
        return Ok(Some(Defect::FloatPastRange));
    }
    let flagged: Vec<Vec<String>> = header_violations(answer)?
        .into_iter()
        .filter(|v| v.location.first().map(String::as_str) == Some("response"))
        .map(|v| v.location)
        .collect();
    if flagged.is_empty() {
        return Ok(None);
    }
    // Prism says its body breaks the description; the independent validator must say so
    // too, at a place on the path where `decode` failed.
    let Some(content) = documented else {
        return Ok(None);
    };
    let Some(schema) = content.schema.as_deref() else {
        return Ok(None);
    };
    let Ok(body) = serde_json::from_slice::<Value>(&answer.body) else {
        return Ok(None);
    };
    let failed_at = decode_path(&answer.decoded);
    let prism_at: Vec<Vec<String>> = flagged
        .iter()
        .map(|location| {
            names(
                &location
                    .iter()
                    .skip(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect();
    // On one path: one is a prefix of the other (a missing member is reported at its
    // parent). An error that names no member is only on the path of another that names
    // none.
    let along = |a: &[String], b: &[String]| {
        a.is_empty() == b.is_empty() && (a.starts_with(b) || b.starts_with(a))
    };
    let agree = run.checks.problems(schema, &body).iter().any(|(_, at)| {
        let invalid_at = names(at);
        along(&failed_at, &invalid_at) && prism_at.iter().any(|p| along(p, &invalid_at))
    });
    Ok(agree.then_some(Defect::InvalidMock))
}

/// The documented response that `asked` expects.
fn asked_response<'o>(op: &'o Operation, asked: &Asked) -> Option<&'o codegen::model::Response> {
    op.responses.iter().find(|r| {
        format!(
            "{} {}",
            if asked.expected.starts_with("Ok") {
                "Ok"
            } else {
                "Err"
            },
            r.variant
        ) == asked.expected
    })
}

/// Whether `response` documents a `text/*` media type whose schema says its value is not
/// a string: Prism's mock of it is then an object, list, number or boolean, which its
/// text serializer refuses (`prism-http-server/dist/serialize.js:17-26`).
fn text_not_string(run: &Run, response: &codegen::model::Response) -> bool {
    response.contents.iter().any(|content| {
        let text = content
            .media_types
            .iter()
            .any(|m| m.to_ascii_lowercase().starts_with("text/"));
        let Some(node) = content
            .schema
            .as_deref()
            .and_then(|s| Some((run.doc.get(s)?, s)))
        else {
            return false;
        };
        text && never_string(run, node.0, node.1)
    })
}

/// Whether every value of the schema has a known type that is not a string: its own
/// `type`, or, for a `oneOf`/`anyOf` without one, every branch's (a stream's events by
/// their `type`, each an object). Prism's mock of such a schema is never a string.
fn never_string(run: &Run, node: &Value, at: &str) -> bool {
    let (at, node) = run.doc.resolve(node, at);
    let kinds = types(node);
    if !kinds.is_empty() {
        return !kinds.iter().any(|t| t == "string");
    }
    ["oneOf", "anyOf"].iter().any(|key| {
        node.get(*key)
            .and_then(Value::as_array)
            .is_some_and(|branches| {
                !branches.is_empty()
                    && branches.iter().enumerate().all(|(index, branch)| {
                        let kinds = types(
                            run.doc
                                .resolve(branch, &child(&child(&at, key), &index.to_string()))
                                .1,
                        );
                        !kinds.is_empty() && !kinds.iter().any(|t| t == "string")
                    })
            })
    })
}

/// Whether `decode` refused a number as out of range at a member to which Prism's body
/// gives ±2^128, the value Prism writes as the limit of `format: float`.
fn float_past_range(answer: &Answer) -> bool {
    const TWO_TO_128: &str = "3.402823669209385e+38";
    if !answer.decoded.contains("number out of range") {
        return false;
    }
    let Some(member) = decode_path(&answer.decoded).pop() else {
        return false;
    };
    let body = String::from_utf8_lossy(&answer.body);
    ["", "-"]
        .iter()
        .any(|sign| body.contains(&format!("\"{member}\":{sign}{TWO_TO_128}")))
}

/// The member names of a JSON pointer or location, indices left out (`/items/1/x` gives
/// `items`, `x`), `~1` and `~0` undone.
fn names(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .filter(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()))
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The members a `DecodeError` names, outermost first: the runtime prefixes each
/// member's error with `` `name`: ``, and a missing one is `` missing member `name` ``.
fn decode_path(decoded: &str) -> Vec<String> {
    let mut path = Vec::new();
    let Some(start) = decoded.find("JSON: ") else {
        return path;
    };
    let mut rest = &decoded[start + "JSON: ".len()..];
    loop {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find("`: ") {
                path.push(after[..end].to_owned());
                rest = &after[end + 3..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("missing member `") {
            if let Some(end) = after.find('`') {
                path.push(after[..end].to_owned());
            }
        }
        return path;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_name_the_members_on_the_way() {
        let decoded = "DecodeError the body of a 200 response is not the documented JSON: `items`: `x`: invalid type: string \"a\", expected i64";
        assert_eq!(decode_path(decoded), ["items", "x"]);
        let missing = "DecodeError the body of a 200 response is not the documented JSON: `a`: missing member `b` at line 1";
        assert_eq!(decode_path(missing), ["a", "b"]);
    }

    #[test]
    fn locations_read_as_member_names() {
        assert_eq!(names("/items/1/c~0d"), ["items", "c~d"]);
        assert_eq!(names(""), Vec::<String>::new());
    }

    #[test]
    fn a_cut_violations_header_is_a_failure_not_silence() {
        let answer = Answer {
            headers: vec![(
                "sl-violations".to_owned(),
                b"Too many violations! [{\"location\":[\"request\"".to_vec(),
            )],
            ..Answer::default()
        };
        assert!(request_violations(&answer).is_err());
        let latin1 = Answer {
            headers: vec![("sl-violations".to_owned(), vec![b'[', 0xe4, b']'])],
            ..Answer::default()
        };
        assert!(request_violations(&latin1).is_err());
    }

    /// Spanner's scans: Prism's mock breaks the description in so many places that it
    /// cut the header; the request's violations come first, so a complete entry about
    /// the response shows that every one about the request was read.
    #[test]
    fn a_cut_violations_header_is_read_up_to_the_cut_when_the_request_part_is_whole() {
        let header = |text: &str| Answer {
            headers: vec![("sl-violations".to_owned(), text.as_bytes().to_vec())],
            ..Answer::default()
        };
        let request = r#"{"location":["request","query","n"],"severity":"Error","code":"type","message":"x"}"#;
        let response = r#"{"location":["response","body","a"],"severity":"Error","code":"type","message":"y"}"#;
        let only_response = header(&format!(
            "Too many violations! [{response},{response},{{\"loc"
        ));
        assert!(request_violations(&only_response).unwrap().is_empty());
        let both = header(&format!(
            "Too many violations! [{request}, {response},{{\"loc"
        ));
        let found = request_violations(&both).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, ["request", "query", "n"]);
        // Cut among the request's own: more of them may have followed.
        let requests_only = header(&format!(
            "Too many violations! [{request},{request},{{\"loc"
        ));
        assert!(request_violations(&requests_only).is_err());
    }

    #[test]
    fn warnings_are_not_violations() {
        let answer = Answer {
            headers: vec![(
                "sl-violations".to_owned(),
                br#"[{"location":["request","query","old"],"severity":"Warning","code":"deprecated","message":"x"}]"#.to_vec(),
            )],
            ..Answer::default()
        };
        assert!(request_violations(&answer).unwrap().is_empty());
    }

    /// Prism validates the request before it writes its mock: when the writing fails
    /// (`NO_COMPLEX_OBJECT_TEXT`), the request's violations are still in the header, and
    /// the failure itself is not one of them.
    #[test]
    fn a_mock_prism_cannot_write_is_not_a_request_violation() {
        let answer = Answer {
            status: 500,
            headers: vec![
                ("content-type".to_owned(), b"application/problem+json".to_vec()),
                (
                    "sl-violations".to_owned(),
                    br#"[{"location":["request","query","n"],"severity":"Error","code":"type","message":"x"}]"#.to_vec(),
                ),
            ],
            body: br#"{"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT","title":"Cannot serialise complex objects as text","status":500}"#.to_vec(),
            ..Answer::default()
        };
        let found = request_violations(&answer).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, ["request", "query", "n"]);
    }

    #[test]
    fn a_quoted_property_is_found() {
        assert_eq!(
            quoted("Request query parameter filter must have required property 'userName'"),
            Some("userName")
        );
    }
}
