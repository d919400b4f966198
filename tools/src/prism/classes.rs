//! The classes of defects of ours that issue 23 names, each recognised by its exact sign,
//! so that the Prism sweep reports what it finds of them under their names (they are
//! fixed apart). A finding of none of them is reported by its kind alone. Nothing here
//! excuses anything: a finding of a class still makes its run unclean.

use codegen::model::{Location, Operation, Payload};
use serde_json::Value;

use super::violations::Violation;
use oracle::document::format_of;
use oracle::Document;

/// A class of defects issue 23 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A `oneOf` with a `discriminator` without a `mapping`, whose values are the
    /// branches' own `enum`: the decoder knows only the schema names.
    Discriminator,
    /// Header parameters the format says to ignore (`Accept`, `Content-Type`,
    /// `Authorization`) or that conflict with what is sent (`Content-Length`).
    IgnoredHeaders,
    /// A `oneOf` or `anyOf` in a path, query or header parameter.
    ParameterUnions,
    /// A `format: byte` (base64) string as the body of a binary media type.
    ByteBodies,
    /// A `oneOf` or `anyOf` inside the maps and arrays of a body.
    BodyUnions,
    /// A request that kills Prism.
    PrismRestarts,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Discriminator => "discriminator without mapping",
            Class::IgnoredHeaders => "ignored header parameters",
            Class::ParameterUnions => "unions in parameters",
            Class::ByteBodies => "format: byte binary bodies",
            Class::BodyUnions => "oneOf in maps/arrays of a body",
            Class::PrismRestarts => "a request kills Prism",
        }
    }
}

/// The header parameters the format says to ignore, and `Content-Length`, which the
/// runtime writes itself.
const IGNORED: &[&str] = &["accept", "content-type", "authorization", "content-length"];

/// The class of a violation of `op`'s request.
pub fn of_violation(doc: &Document, op: &Operation, violation: &Violation) -> Option<Class> {
    if ignored_headers(op) {
        return Some(Class::IgnoredHeaders);
    }
    let union = matches!(violation.code.as_str(), "oneOf" | "anyOf");
    match violation.location.get(1).map(String::as_str) {
        Some("path" | "query" | "header") if union => Some(Class::ParameterUnions),
        Some("body") if byte_body(doc, op) => Some(Class::ByteBodies),
        Some("body") if union && violation.location.len() > 2 => Some(Class::BodyUnions),
        _ => None,
    }
}

/// The class of a failure of `op` (if it is one operation's) of kind `kind`.
pub fn of_failure(op: Option<&Operation>, kind: &str, text: &str) -> Option<Class> {
    if op.is_some_and(ignored_headers) {
        return Some(Class::IgnoredHeaders);
    }
    if kind == "a request kills Prism" {
        return Some(Class::PrismRestarts);
    }
    // What the runtime says when a discriminator's value names no variant.
    if text.contains("unknown `") && text.contains("`, expected one of `") {
        return Some(Class::Discriminator);
    }
    None
}

/// Whether `op` declares a header parameter of [`IGNORED`].
fn ignored_headers(op: &Operation) -> bool {
    op.params.iter().any(|param| {
        param.location == Location::Header
            && IGNORED
                .iter()
                .any(|name| param.wire.eq_ignore_ascii_case(name))
    })
}

/// Whether `op`'s body (in its default media type) is bytes whose schema is a
/// `format: byte` string.
fn byte_body(doc: &Document, op: &Operation) -> bool {
    let Some(content) = op.body.as_ref().and_then(|body| body.contents.first()) else {
        return false;
    };
    let Some(at) = content.schema.as_deref() else {
        return false;
    };
    matches!(content.payload, Payload::Binary | Payload::Text)
        && doc
            .get(at)
            .map(|node| doc.resolve(node, at).1)
            .is_some_and(|node: &Value| format_of(node) == "byte")
}
