//! The whole pipeline on descriptions built from the fuzzer's bytes out of the words of
//! the formats: keys like `allOf`, `$ref` or `discriminator`, pointers to components,
//! status codes and media types, nested at random. Byte-level mutation of YAML rarely gets
//! past the parser to the lowering; this target starts there. Half the time the named
//! schemas are schemas for sure ([`schema`]): `$ref`s to each other and to themselves
//! through `allOf`, `oneOf`, `anyOf`, properties and items, with sibling keywords (a
//! `description` or `type: object` beside the `$ref`), the recursive shapes of AWS's
//! descriptions that once made the lowering panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "openapi", "swagger", "info", "title", "version", "description", "paths", "components",
    "schemas", "responses", "parameters", "requestBodies", "headers", "webhooks", "definitions",
    "get", "post", "put", "delete", "patch", "operationId", "summary", "requestBody", "content",
    "application/json", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded",
    "application/octet-stream", "application/problem+json", "*/*", "schema", "type",
    "properties", "required", "items", "additionalProperties", "allOf", "oneOf", "anyOf",
    "enum", "format", "nullable", "default", "discriminator", "propertyName", "mapping", "$ref",
    "name", "in", "style", "explode", "200", "201", "204", "400", "404", "418", "449", "4XX",
    "5XX", "2XX", "default", "x-enum-varnames", "x-enum-descriptions", "readOnly", "writeOnly",
    "deprecated", "const", "produces", "consumes", "collectionFormat", "x-nullable", "A", "B",
    "Self", "type", "/a", "/b/{id}", "id", "x-cloud-error-codes", "Content-Type",
    "tags", "example", "examples", "prefixItems", "$defs", "patternProperties",
];

#[rustfmt::skip]
const STRINGS: &[&str] = &[
    "3.0.3", "3.1.0", "2.0", "object", "array", "string", "integer", "number", "boolean",
    "null", "file", "int32", "int64", "float", "date-time", "date", "uuid", "binary", "path",
    "query", "header", "cookie", "body", "formData", "form", "simple", "multi", "pipes",
    "A", "B", "Self", "", "a\"); std::process::exit(1); //", "*/", "\u{202e}", "`", "[x]",
    "* Item. (code: `a.b`)", "```rust\nfn f() {}\n```", "    indented",
];

#[rustfmt::skip]
const REFS: &[&str] = &[
    "#/components/schemas/A", "#/components/schemas/B", "#/components/schemas/Self",
    "#/components/responses/A", "#/components/parameters/A", "#/components/requestBodies/A",
    "#/components/headers/A", "#/definitions/A", "#/definitions/B", "#/parameters/A",
    "#/responses/A", "#/paths/~1a", "#/paths/~1a/get/responses/200", "#/paths/~1b~1{id}/get",
    "#", "#/", "#/components", "#/components/schemas", "#/info/title", "#/components/schemas/A/properties/A",
    "#/components/schemas/A/items", "#/components/schemas/%41", "#/x~2y", "#a", "other.yaml#/A",
    "../escape.yaml#/A", "http://example.com/a.yaml", "",
];

fn text(u: &mut Unstructured) -> Result<String> {
    Ok(if u.ratio(1, 8)? {
        u.arbitrary::<String>()?
    } else {
        (*u.choose(STRINGS)?).to_owned()
    })
}

fn key(u: &mut Unstructured) -> Result<String> {
    Ok(if u.ratio(1, 16)? {
        u.arbitrary::<String>()?
    } else {
        (*u.choose(KEYS)?).to_owned()
    })
}

fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let leaf = depth == 0 || u.ratio(1, 3)?;
    if leaf {
        return Ok(match u.int_in_range(0..=5u8)? {
            0 => Value::String(text(u)?),
            1 => Value::from(u.arbitrary::<i64>()?),
            2 => serde_json::Number::from_f64(u.arbitrary::<f64>()?)
                .map_or(Value::Null, Value::Number),
            3 => Value::Bool(u.arbitrary()?),
            4 => Value::Null,
            _ => Value::Object(Map::from_iter([(
                "$ref".to_owned(),
                Value::String((*u.choose(REFS)?).to_owned()),
            )])),
        });
    }
    if u.ratio(1, 4)? {
        let len = u.int_in_range(0..=4u8)?;
        let items = (0..len)
            .map(|_| value(u, depth - 1))
            .collect::<Result<_>>()?;
        return Ok(Value::Array(items));
    }
    let len = u.int_in_range(0..=6u8)?;
    let mut object = Map::new();
    for _ in 0..len {
        let k = key(u)?;
        let v = if k == "$ref" {
            Value::String((*u.choose(REFS)?).to_owned())
        } else {
            value(u, depth - 1)?
        };
        object.insert(k, v);
    }
    Ok(Value::Object(object))
}

/// Sibling keywords a composition or a `$ref` may carry.
const SIBLINGS: &[(&str, &str)] = &[
    ("description", "A note."),
    ("title", "A title"),
    ("type", "object"),
    ("nullable", "true"),
    ("type", "string"),
    ("deprecated", "true"),
    ("readOnly", "true"),
];

/// A schema for sure: made of `$ref`s to the named schemas A, B and C (each other and
/// themselves), compositions, properties and items, with sibling keywords.
fn schema(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let reference = |u: &mut Unstructured| -> Result<Value> {
        let name = *u.choose(&["A", "B", "C"])?;
        Ok(serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }))
    };
    if depth == 0 {
        return reference(u);
    }
    let mut node = match u.int_in_range(0..=6u8)? {
        0 => reference(u)?,
        kind @ 1..=3 => {
            let keyword = ["allOf", "oneOf", "anyOf"][usize::from(kind - 1)];
            let len = u.int_in_range(1..=3u8)?;
            let mut members = vec![reference(u)?];
            for _ in 1..len {
                members.push(schema(u, depth - 1)?);
            }
            serde_json::json!({ keyword: members })
        }
        4 => {
            let mut properties = Map::new();
            for name in ["Not", "And", "Self"].iter().take(usize::from(u.int_in_range(1..=3u8)?)) {
                properties.insert((*name).to_owned(), schema(u, depth - 1)?);
            }
            serde_json::json!({ "type": "object", "properties": properties })
        }
        5 => serde_json::json!({ "type": "array", "items": schema(u, depth - 1)? }),
        _ => serde_json::json!({ "description": "Only a note." }),
    };
    for _ in 0..u.int_in_range(0..=2u8)? {
        let (key, text) = *u.choose(SIBLINGS)?;
        let value = match text {
            "true" => Value::Bool(true),
            text => Value::String(text.to_owned()),
        };
        if let Value::Object(fields) = &mut node {
            fields.insert(key.to_owned(), value);
        }
    }
    Ok(node)
}

/// Named schemas A, B and C, and an operation whose response is A.
fn recursive_schemas(u: &mut Unstructured, root: &mut Map<String, Value>) -> Result<()> {
    let mut schemas = Map::new();
    for name in ["A", "B", "C"] {
        schemas.insert(name.to_owned(), schema(u, 3)?);
    }
    root.insert(
        "components".to_owned(),
        serde_json::json!({ "schemas": schemas }),
    );
    root.insert(
        "paths".to_owned(),
        serde_json::json!({ "/a": { "get": { "operationId": "a", "responses": { "200": {
            "description": "ok",
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/A" } } }
        } } } } }),
    );
    Ok(())
}

fn document(u: &mut Unstructured) -> Result<Value> {
    let mut root = Map::new();
    let version = *u.choose(&["3.0.3", "3.1.0", "2.0"])?;
    let key = if version == "2.0" {
        "swagger"
    } else {
        "openapi"
    };
    root.insert(key.to_owned(), Value::String(version.to_owned()));
    root.insert("info".to_owned(), value(u, 2)?);
    if version != "2.0" && u.arbitrary()? {
        recursive_schemas(u, &mut root)?;
        return Ok(Value::Object(root));
    }
    for section in [
        "paths",
        "components",
        "definitions",
        "parameters",
        "responses",
        "webhooks",
    ] {
        if u.arbitrary()? {
            root.insert(section.to_owned(), value(u, 7)?);
        }
    }
    Ok(Value::Object(root))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(document) = document(&mut u) else {
        return;
    };
    let select = u.arbitrary::<u8>().unwrap_or_default().into();
    let text = document.to_string();
    codegen_fuzz::generate(
        Path::new("/nonexistent/fuzz/api.json"),
        &text,
        &text,
        select,
    );
});
