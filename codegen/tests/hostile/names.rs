//! Names and texts built to break out of identifiers, strings and doc comments give a
//! crate that builds with warnings denied and holds exactly the intended items.

use crate::fixture;
use crate::items::builds_cleanly;

/// Schema, property, enum, operation, parameter and header names that are string and
/// comment breakouts, keywords, prelude names, empty, punctuation, bidi controls, or that
/// differ only in case.
#[test]
fn hostile_names_build_to_the_intended_items() {
    builds_cleanly(&fixture("names.yaml"), "hostile_names");
}

/// Descriptions, summaries, titles and status descriptions with code fences, indented
/// code, comment and string breakouts, HTML, broken links, control characters and bidi
/// controls: docs stay docs, and no doctest is generated.
#[test]
fn hostile_texts_stay_documentation() {
    builds_cleanly(&fixture("texts.yaml"), "hostile_texts");
}

/// The same attacks in a Swagger 2.0 description: body and form parameters, `produces`,
/// response headers.
#[test]
fn hostile_swagger_names_build_to_the_intended_items() {
    builds_cleanly(&fixture("swagger.json"), "hostile_swagger");
}

/// A header's wire name with backticks, brackets and HTML: it is written into the doc of
/// the header's enum inside a code span, which it closes.
#[test]
fn header_names_with_markup_document_cleanly() {
    builds_cleanly(&fixture("header_markup.yaml"), "hostile_header_markup");
}

/// Names of 10,000 characters everywhere a name goes, some sharing their first 64.
#[test]
fn ten_thousand_character_names_are_cut_and_kept_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("long.json");
    std::fs::write(&spec, long_names_spec()).unwrap();
    builds_cleanly(&spec, "hostile_long_names");
}

/// JSON, since YAML allows implicit keys of at most 1,024 characters.
fn long_names_spec() -> String {
    use serde_json::json;
    let long = |c: char, tail: &str| format!("{}{tail}", c.to_string().repeat(10_000));
    let (a1, a2, b) = (long('a', "1"), long('a', "2"), long('b', ""));
    let text = "x".repeat(10_000);
    let mut paths = serde_json::Map::new();
    for id in [&a1, &a2, &b] {
        let operation = json!({
            "operationId": id,
            "summary": text,
            "description": text,
            "parameters": [
                {"name": id, "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": a1, "in": "query", "schema": {"type": "string"}},
                {"name": a2, "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": text,
                    "headers": {
                        a1.clone(): {"schema": {"type": "string", "enum": [a1, a2, b]}},
                        a2.clone(): {"schema": {"type": "string"}},
                    },
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{a1}")}}},
                },
                "500": {"description": text},
            },
        });
        paths.insert(format!("/{id}/{{{id}}}"), json!({ "get": operation }));
    }
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": text, "version": "1", "description": text},
        "paths": paths,
        "components": {"schemas": {
            a1.clone(): {
                "type": "object",
                "description": text,
                "properties": {
                    a1.clone(): {"type": "string", "description": text},
                    a2.clone(): {"type": "string", "default": text},
                    b.clone(): {"$ref": format!("#/components/schemas/{a2}")},
                },
            },
            a2.clone(): {"type": "string", "enum": [a1, a2, b]},
            b.clone(): {"type": "integer", "enum": [1, 2], "x-enum-varnames": [a1, a2]},
        }},
    });
    spec.to_string()
}
