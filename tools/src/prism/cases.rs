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

use codegen::model::{Api, Location, Operation, Payload, Status};
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
}

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
        if let Some((schema_pointer, _)) = maker.param_schema(&param.pointer) {
            if let Some(problem) = checks.problem(&schema_pointer, &value) {
                impossible.push((place(param.location, &param.wire), problem));
            }
        }
        params.insert(param.wire.clone(), value);
    }
    let content = op.body.as_ref().and_then(|b| b.contents.first());
    let body = match content.map(|c| &c.payload) {
        None | Some(Payload::Empty) => Value::Null,
        Some(Payload::Text | Payload::Events(_)) => json!("text body"),
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
