//! What is sent: for every operation, two requests and the statuses to ask for.
//!
//! - The plain pass: every parameter (optional ones too) and the body, from the
//!   description's examples where they are valid, else plain values of the schemas; then
//!   the same request once per documented status, asked with `Prefer: code=…`.
//! - The edges pass: a second request whose optional parameters and properties are left
//!   out at random, whose lists may be empty, and whose text holds what is easy to write
//!   wrongly: `, & = # % + [ ]`, spaces and non-ASCII letters (only ASCII in headers,
//!   which cannot carry anything else).
//!
//! Values come from the `oracle` value maker, checked against the schemas by `jsonschema`:
//! a value no choice can make valid (a `oneOf` whose alternatives all accept it, say) is
//! impossible, and only the violations at its own place are excused.

use codegen::model::{Api, Location, Operation, Payload, Status, Style};
use serde_json::{json, Map, Value};

use oracle::source::{Seeded, Source};
use oracle::validate::Checks;
use oracle::values::{Maker, Options};
use oracle::Document;

/// Which request of an operation a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pass {
    Plain,
    Edges,
}

impl Pass {
    pub fn as_str(self) -> &'static str {
        match self {
            Pass::Plain => "plain",
            Pass::Edges => "edges",
        }
    }
}

/// One request to build and send.
pub struct Case {
    /// The operation's index in the model.
    pub index: usize,
    pub pass: Pass,
    /// Parameter values by wire name; a parameter left out is absent.
    pub params: Map<String, Value>,
    pub body: Value,
    /// Where the body's schema is, for the round trip.
    pub body_schema: Option<String>,
    /// Values that break their schema whatever is chosen: the place (`query.name`,
    /// `body`) and why.
    pub impossible: Vec<(String, String)>,
    /// Optional parameters left out because no request can carry their value as the
    /// description has it: the place and why.
    pub left_out: Vec<(String, String)>,
}

/// Why a value nesting a list or an object in a parameter cannot be sent.
pub const NESTED: &str =
    "OpenAPI's styles write no list or object inside a parameter's list or object";

/// A status asked of an operation: the code sent in `Prefer`, and what `decode` must make
/// of the answer (`Ok Created`, `Err Conflict`).
pub struct Asked {
    pub code: u16,
    pub expected: String,
}

/// The cases of every operation, in order: the plain one, then the edges one.
pub fn cases(api: &Api, doc: &Document, checks: &Checks) -> Vec<Case> {
    let mut cases = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        for pass in [Pass::Plain, Pass::Edges] {
            cases.push(case(op, index, pass, doc, checks));
        }
    }
    cases
}

fn case(op: &Operation, index: usize, pass: Pass, doc: &Document, checks: &Checks) -> Case {
    let options = match pass {
        Pass::Plain => Options::plain(),
        Pass::Edges => Options::edges(),
    };
    let maker = Maker::new(doc, options).checked(checks);
    let mut source = Seeded::from_text(&format!("{}\0{}", op.id, pass.as_str()));
    let mut params = Map::new();
    let mut impossible = Vec::new();
    let mut left_out = Vec::new();
    for param in &op.params {
        // A header parameter `Accept` (Elastic's, for a CSV answer) is sent as the caller
        // gives it, in place of the documented media types; a value made from its schema
        // is no media type, and Prism stops answering on it. So an optional one is left
        // out, and a required one asks for JSON.
        let accept =
            param.location == Location::Header && param.wire.eq_ignore_ascii_case("accept");
        if accept {
            if param.required {
                params.insert(param.wire.clone(), json!("application/json"));
            }
            continue;
        }
        if pass == Pass::Edges && !param.required && source.draw(3) == 0 {
            continue;
        }
        let mut value = maker.param(&mut source, &param.pointer);
        if param.location == Location::Header {
            value = header_text(value);
        }
        let schema_pointer = maker.param_schema(&param.pointer).map(|(at, _)| at);
        let fits = |value: &Value| {
            schema_pointer
                .as_deref()
                .is_none_or(|at| checks.matches(at, value))
        };
        let here = place(param.location, &param.wire);
        if param.required && is_empty(&value) {
            // No style writes an empty list or object (RFC 6570: undefined), so a
            // required one would go missing: the plain pass's value instead.
            let plain = Maker::new(doc, Options::plain()).checked(checks);
            let mut own = Seeded::from_text(&format!("{}\0required\0{}", op.id, param.wire));
            let made = plain.param(&mut own, &param.pointer);
            if !is_empty(&made) {
                value = made;
            }
        }
        if param.content.is_none() && nests(&value) {
            // What a style can write: the value without its nested members or items,
            // if the schema takes that.
            let shallow = shallow(&value);
            if !is_empty(&shallow) && fits(&shallow) {
                value = shallow;
            } else if !param.required {
                left_out.push((here, NESTED.to_owned()));
                continue;
            } else {
                impossible.push((here.clone(), NESTED.to_owned()));
            }
        }
        if let Some(schema_pointer) = &schema_pointer {
            if let Some(problem) = checks.problem(schema_pointer, &value) {
                impossible.push((here, problem));
            }
        }
        params.insert(param.wire.clone(), value);
    }
    collisions(op, &mut params, &mut impossible, &mut left_out);
    let content = op.body.as_ref().and_then(|b| b.contents.first());
    let body = match content.map(|c| &c.payload) {
        None | Some(Payload::Empty) => Value::Null,
        // Text of a string schema is a value of it (base64 text for `format: byte`).
        Some(Payload::Text) => match maker.body(
            &mut source,
            content.and_then(|c| c.media.as_deref()),
            content.and_then(|c| c.schema.as_deref()),
        ) {
            Value::String(text) => json!(text),
            _ => json!("text body"),
        },
        Some(Payload::Events(_)) => json!("text body"),
        Some(Payload::Binary) => json!(b"binary body".to_vec()),
        Some(Payload::Json(_) | Payload::Form(_)) => {
            let content = content.expect("a content");
            let body = maker.body(
                &mut source,
                content.media.as_deref(),
                content.schema.as_deref(),
            );
            if let Some(schema) = content.schema.as_deref() {
                if let Some(problem) = checks.problem(schema, &body) {
                    impossible.push(("body".to_owned(), problem));
                }
            }
            body
        }
    };
    Case {
        index,
        pass,
        params,
        body,
        body_schema: content.and_then(|c| c.schema.clone()),
        impossible,
        left_out,
    }
}

/// Whether a parameter's value writes nothing: an empty list or object, or `null`.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().all(Value::is_null),
        Value::Object(members) => members.values().all(Value::is_null),
        _ => false,
    }
}

/// Whether a value holds a list or an object inside its list or object: no style writes
/// it (the runtime refuses it, "nested too deeply").
fn nests(value: &Value) -> bool {
    let deep = |v: &Value| matches!(v, Value::Array(_) | Value::Object(_));
    match value {
        Value::Array(items) => items.iter().any(deep),
        Value::Object(members) => members.values().any(deep),
        _ => false,
    }
}

/// The value without the lists and objects inside it.
fn shallow(value: &Value) -> Value {
    let flat = |v: &&Value| !matches!(v, Value::Array(_) | Value::Object(_));
    match value {
        Value::Array(items) => Value::Array(items.iter().filter(flat).cloned().collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| flat(v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The query names a parameter's value is written under: an object in an exploded form
/// parameter under its members' names, anything else under the parameter's.
fn query_names(param: &codegen::model::Param, value: &Value) -> Vec<String> {
    match value {
        Value::Object(members)
            if param.content.is_none() && param.style == Style::Form && param.explode =>
        {
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        }
        _ => vec![param.wire.clone()],
    }
}

/// Query parameters that would write the same name: an exploded object's member named
/// like another parameter (EC2's `LaunchTemplate.Version` and the API's `Version`) reads
/// back as a list of both. Required parameters keep their names; an optional one that
/// would write a name already written is left out; two required ones are impossible.
fn collisions(
    op: &Operation,
    params: &mut Map<String, Value>,
    impossible: &mut Vec<(String, String)>,
    left_out: &mut Vec<(String, String)>,
) {
    let query = |required: bool| {
        op.params
            .iter()
            .filter(move |p| p.location == Location::Query && p.required == required)
    };
    let mut written: Vec<(String, String)> = Vec::new();
    for param in query(true).chain(query(false)) {
        let Some(value) = params.get(&param.wire) else {
            continue;
        };
        let names = query_names(param, value);
        let taken = names
            .iter()
            .find_map(|name| written.iter().find(|(n, _)| n == name).cloned());
        if let Some((name, by)) = taken {
            let why = format!(
                "it would write `{name}`, as `{by}` does, and both would read back as one list"
            );
            let here = place(Location::Query, &param.wire);
            if param.required {
                impossible.push((place(Location::Query, &name), why));
            } else {
                params.remove(&param.wire);
                left_out.push((here, why));
                continue;
            }
        }
        written.extend(names.into_iter().map(|name| (name, param.wire.clone())));
    }
}

/// Where a parameter is, as violations and reports name it: `query.state`.
pub fn place(location: Location, wire: &str) -> String {
    let location = match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    };
    format!("{location}.{wire}")
}

/// Text a header can carry: ASCII only, no space at either end, nothing empty.
fn header_text(value: Value) -> Value {
    match value {
        Value::String(text) => {
            let ascii: String = text
                .chars()
                .map(|c| {
                    if c.is_ascii() && !c.is_ascii_control() {
                        c
                    } else {
                        'x'
                    }
                })
                .collect();
            let trimmed = ascii.trim();
            Value::String(if trimmed.is_empty() {
                "x".to_owned()
            } else {
                trimmed.to_owned()
            })
        }
        Value::Array(items) => Value::Array(items.into_iter().map(header_text).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(key, value)| (key, header_text(value)))
                .collect(),
        ),
        other => other,
    }
}

/// A status for each documented response, with the variant it must decode to. A range
/// is asked as its first code the operation does not list; `default` as a code nothing
/// else covers. 1xx answers are never final, so they cannot be asked for.
pub fn asked(op: &Operation) -> Vec<Asked> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// EC2's query operations: what no request can carry is left out and said so.
    #[test]
    fn values_no_request_can_carry_are_left_out() {
        let spec = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/": {"get": {
                "operationId": "launch",
                "parameters": [
                    {"name": "Version", "in": "query", "required": true,
                     "schema": {"type": "string", "enum": ["2016-11-15"]}},
                    {"name": "LaunchTemplate", "in": "query",
                     "schema": {"type": "object", "required": ["Version"],
                                "properties": {"Version": {"type": "string"}}}},
                    {"name": "Filter", "in": "query",
                     "schema": {"type": "array", "items": {"type": "object",
                                "properties": {"Values": {"type": "array", "items": {"type": "string"}}}}}},
                    {"name": "Target", "in": "query", "required": true,
                     "schema": {"type": "object", "properties": {
                         "Id": {"type": "string"},
                         "Tags": {"type": "array", "items": {"type": "string"}}}}},
                    {"name": "Ids", "in": "query", "required": true,
                     "schema": {"type": "array", "items": {"type": "string"}}}
                ],
                "responses": {"204": {"description": "none"}}
            }}}
        });
        let generated =
            codegen::generate(&codegen::Config::text("launch.json", spec.to_string())).unwrap();
        let doc = Document::new(spec);
        let checks = Checks::new(&doc);
        let cases = cases(&generated.models[0], &doc, &checks);
        for case in &cases {
            let left: Vec<&str> = case.left_out.iter().map(|(at, _)| at.as_str()).collect();
            assert!(left.contains(&"query.Filter"), "{left:?}");
            assert!(!case.params.contains_key("Filter"));
            // `LaunchTemplate` would write `Version` a second time.
            if case.params.contains_key("LaunchTemplate") {
                panic!("{:?}", case.params);
            }
            // The nested member goes; the object's scalars are sent.
            let target = &case.params["Target"];
            assert!(target.get("Tags").is_none(), "{target}");
            // A required list is never empty: it would go missing.
            assert!(!case.params["Ids"].as_array().unwrap().is_empty());
            assert!(case.impossible.is_empty(), "{:?}", case.impossible);
        }
        assert!(cases[0]
            .left_out
            .iter()
            .any(|(at, why)| at == "query.LaunchTemplate" && why.contains("`Version`")));
    }

    #[test]
    fn nesting_is_what_the_runtime_refuses() {
        assert!(nests(&json!([{"a": 1}])));
        assert!(nests(&json!({"a": [1]})));
        assert!(!nests(&json!([1, null])));
        assert!(!nests(&json!({"a": 1})));
        assert_eq!(shallow(&json!({"a": 1, "b": [1]})), json!({"a": 1}));
        assert!(is_empty(&json!([null])));
        assert!(!is_empty(&json!("")));
    }
}
