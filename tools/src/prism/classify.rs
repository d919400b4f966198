//! What a violation Prism reports means: a request of ours that breaks the description
//! (a real failure), or one of Prism's known defects standing in the way. Each defect is
//! named, with the Prism issue where there is one, so nothing is passed over silently.

use codegen::model::{Location, Operation, Payload, Style, Ty};
use serde_json::Value;

/// A defect of Prism 5.14 confirmed here (`tools/prism/NOTES.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Defect {
    /// Prism crashes on a path array of more than one element: such parameters are sent
    /// with one item (prism#2289, prism#2710).
    PathArray,
    /// Prism refuses correct `spaceDelimited` (and Swagger `ssv`) query arrays.
    SpaceDelimited,
    /// Prism lowercases the keys of `deepObject` parameters.
    DeepObject,
    /// Prism misreads arrays in `application/x-www-form-urlencoded` bodies.
    FormArray,
    /// Prism misreads JSON parts and repeated parts of `multipart/form-data` bodies.
    Multipart,
    /// Prism's mock answered with a body that breaks the description (its own
    /// `sl-violations` say so), which `decode` rightly refuses.
    InvalidMock,
    /// Prism's mock sent no body where the description documents one.
    EmptyMock,
    /// Prism cannot make a body for the response's schema (`SCHEMA_TOO_COMPLEX`).
    TooComplex,
    /// Prism refuses any body for a Swagger 2.0 operation whose description lists no
    /// `consumes` (415), so it validates nothing else of the request.
    NoConsumes,
}

impl Defect {
    pub fn describe(self) -> &'static str {
        match self {
            Defect::PathArray => "Prism crashes on a path array of more than one item (prism#2289, prism#2710); sent with one item",
            Defect::SpaceDelimited => "Prism refuses correct spaceDelimited query arrays (it splits on the text `%20`)",
            Defect::DeepObject => "Prism lowercases the keys of deepObject parameters",
            Defect::FormArray => "Prism misreads arrays in application/x-www-form-urlencoded bodies",
            Defect::Multipart => "Prism misreads JSON parts and repeated parts of multipart/form-data bodies",
            Defect::InvalidMock => "Prism's mock answered with a body that breaks the description (its sl-violations header says so), which decode rightly refuses",
            Defect::EmptyMock => "Prism's mock sent no body where the description documents one",
            Defect::TooComplex => "Prism cannot make a body for this response's schema (SCHEMA_TOO_COMPLEX)",
            Defect::NoConsumes => "Prism refuses every body of a Swagger 2.0 operation without `consumes` (415), and validates nothing else",
        }
    }
}

/// The request-location violations of a response: those of the `sl-violations` header
/// whose location starts with `request`, or, when Prism made up its own 422, those of
/// its `validation` list (whose locations lack the leading `request`).
pub fn request_violations(report: &Value) -> Vec<Value> {
    let mut found = Vec::new();
    if let Some(header) = report.get("violations").and_then(Value::as_str) {
        let list: Vec<Value> = serde_json::from_str(header).unwrap_or_default();
        found.extend(
            list.into_iter()
                .filter(|v| v.pointer("/location/0") == Some(&Value::from("request"))),
        );
    }
    if let Some(problem) = report.get("problem").and_then(Value::as_str) {
        let problem: Value = serde_json::from_str(problem).unwrap_or_default();
        let kind = problem
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind.ends_with("#UNPROCESSABLE_ENTITY") {
            found.extend(
                problem["validation"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        } else if kind.ends_with("#SCHEMA_TOO_COMPLEX") {
            // About Prism's answer, not the request: see `answer_defect`.
        } else if kind.contains("stoplight.io/prism/errors#") {
            // NO_PATH_MATCHED_ERROR, UNAUTHORIZED …: the request did not fit at all.
            found.push(problem);
        }
    }
    found
}

/// The response-location violations Prism reports of its own answer.
pub fn response_violations(report: &Value) -> Vec<Value> {
    let header = report
        .get("violations")
        .and_then(Value::as_str)
        .unwrap_or("[]");
    let list: Vec<Value> = serde_json::from_str(header).unwrap_or_default();
    list.into_iter()
        .filter(|v| v.pointer("/location/0") == Some(&Value::from("response")))
        .collect()
}

/// The known defect behind an answer `decode` could not make the expected variant of.
pub fn answer_defect(report: &Value) -> Option<Defect> {
    if !response_violations(report).is_empty() {
        return Some(Defect::InvalidMock);
    }
    let problem = report.get("problem").and_then(Value::as_str).unwrap_or("");
    if problem.contains("#SCHEMA_TOO_COMPLEX") {
        return Some(Defect::TooComplex);
    }
    let decoded = report.get("decoded").and_then(Value::as_str).unwrap_or("");
    let empty = report.get("length") == Some(&Value::from(0));
    (empty && decoded.starts_with("DecodeError")).then_some(Defect::EmptyMock)
}

/// The known defect behind `violation` of a request for `op`, if one is.
pub fn defect(op: &Operation, violation: &Value) -> Option<Defect> {
    let refused_body = violation.get("code") == Some(&Value::from(415))
        || violation
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.ends_with("#INVALID_CONTENT_TYPE"));
    let message = violation
        .get("message")
        .or_else(|| violation.get("detail"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if refused_body && message.starts_with("No supported content types") {
        return Some(Defect::NoConsumes);
    }
    let location: Vec<&str> = violation
        .get("location")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .skip_while(|part| *part == "request")
        .collect();
    match location.as_slice() {
        ["query", name, ..] => {
            let param = op
                .params
                .iter()
                .find(|p| p.location == Location::Query && p.wire.eq_ignore_ascii_case(name))?;
            match param.style {
                Style::SpaceDelimited => Some(Defect::SpaceDelimited),
                Style::DeepObject => Some(Defect::DeepObject),
                _ => None,
            }
        }
        ["body", ..] => {
            let content = op.body.as_ref()?.contents.first()?;
            let media_type = content.media_types[0].to_ascii_lowercase();
            match content.payload {
                Payload::Form(_) if media_type.starts_with("multipart/") => Some(Defect::Multipart),
                Payload::Form(_) => {
                    let message = violation
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    message
                        .contains("must be array")
                        .then_some(Defect::FormArray)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The defects that stand in the way of `op` before anything is sent: a path parameter
/// that is a list is sent with one item.
pub fn known_before(op: &Operation) -> Vec<(String, Defect)> {
    op.params
        .iter()
        .filter(|p| p.location == Location::Path && matches!(p.ty, Ty::List(_)))
        .map(|p| (p.wire.clone(), Defect::PathArray))
        .collect()
}
