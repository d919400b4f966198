//! Reading the keywords of one schema node: its type, nullability, format and the other
//! keywords conversion looks at, and the warnings for those that are malformed or that
//! the generator cannot honour. Nothing here follows a `$ref`.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::load::{child, Document};
use crate::model::{EnumVariant, IntEnum, IntVariant, Literal, StringEnum, Ty};
use crate::naming::{variant_name, Namespace};

/// The values `type` may take, in any version of the format (`file` is Swagger 2.0's,
/// `null` OpenAPI 3.1's).
const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null", "file",
];

/// Formats of the OpenAPI Format Registry and JSON Schema that a number or integer may
/// carry. A string's format never changes its Rust type unless it is one of the few
/// `ty_of` reads, so an unknown string format (Camunda's `ProcessInstanceKey`) is fine.
const NUMBER_FORMATS: &[&str] = &[
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
    "decimal",
    "decimal128",
    "double-int",
    "sf-integer",
    "sf-decimal",
    "unix-time",
    "unixtime",
    "timestamp",
];

/// Keywords that change what values a schema allows and that the types we make cannot
/// express: ignoring them makes the type looser than the schema, which is worth a word.
const UNSUPPORTED: &[&str] = &[
    "not",
    "if",
    "patternProperties",
    "prefixItems",
    "dependentSchemas",
    "unevaluatedProperties",
    "$dynamicRef",
];

/// Whether a keyword's value has the shape the format asks for.
type Fits = fn(&Value) -> bool;

/// Keywords whose value must have a shape, the shape, and how a warning names it.
const SHAPES: &[(&str, Fits, &str)] = &[
    ("properties", Value::is_object, "a map of schemas"),
    ("items", is_schema, "a schema"),
    ("additionalProperties", is_schema, "a schema or a boolean"),
    ("required", is_name_list, "a list of property names"),
    ("enum", Value::is_array, "a list of values"),
    ("allOf", Value::is_array, "a list of schemas"),
    ("oneOf", Value::is_array, "a list of schemas"),
    ("anyOf", Value::is_array, "a list of schemas"),
];

fn is_schema(value: &Value) -> bool {
    value.is_object() || value.is_boolean()
}

fn is_name_list(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|a| a.iter().all(Value::is_string))
}

/// Warnings about the keywords of the schema `node` at `pointer`.
pub fn check(doc: &Document, node: &Value, pointer: &str, into: &mut Vec<Diagnostic>) {
    let Value::Object(fields) = node else {
        if !node.is_boolean() {
            into.push(doc.warning(
                DiagnosticKind::Structure,
                pointer,
                "a schema must be an object (or, in OpenAPI 3.1, a boolean); it is read as any value",
            ));
        }
        return;
    };
    let mut warn = |kind, key: &str, message: String| {
        into.push(doc.warning(kind, &child(pointer, key), message));
    };
    if let Some(other) = fields.get("type").filter(|t| !is_known_type(t)) {
        let message = format!(
            "`type: {other}` is not one of the format's types ({}); the value is read as any JSON",
            TYPES.join(", ")
        );
        warn(DiagnosticKind::UnknownType, "type", message);
    }
    for (key, fits, what) in SHAPES {
        if fields.get(*key).is_some_and(|value| !fits(value)) {
            let message = format!("`{key}` must be {what}; it is ignored");
            warn(DiagnosticKind::IgnoredKeyword, key, message);
        }
    }
    let number = primary_type(node).filter(|t| matches!(*t, "integer" | "number"));
    if let (Some(format), Some(number)) = (fields.get("format").and_then(Value::as_str), number) {
        if !NUMBER_FORMATS.contains(&format) {
            let read_as = if number == "integer" { "i64" } else { "f64" };
            let message =
                format!("`format: {format}` is not a known number format; the number is read as `{read_as}`");
            warn(DiagnosticKind::UnknownFormat, "format", message);
        }
    }
    for keyword in UNSUPPORTED.iter().filter(|k| fields.contains_key(**k)) {
        let message = format!("`{keyword}` cannot be expressed in the generated type and is ignored, so the type accepts more than the schema");
        warn(DiagnosticKind::Unsupported, keyword, message);
    }
}

/// Whether `type` names types of the format: one, or (3.1) a list of them.
fn is_known_type(value: &Value) -> bool {
    match value {
        Value::String(name) => TYPES.contains(&name.as_str()),
        Value::Array(names) => names
            .iter()
            .all(|n| n.as_str().is_some_and(|n| TYPES.contains(&n))),
        _ => false,
    }
}

/// The Rust type of a schema with only a primitive `type` (and `format`).
pub fn primitive(node: &Value) -> Option<Ty> {
    let format = node.get("format").and_then(Value::as_str).unwrap_or("");
    let constant = node.get("const").map(|value| match value {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        _ => "object",
    });
    Some(match primary_type(node).or(constant)? {
        "string" => match format {
            "date-time" => Ty::DateTime,
            "date" => Ty::Date,
            "uuid" => Ty::Uuid,
            "binary" => Ty::Bytes,
            _ => Ty::String,
        },
        "integer" => match format {
            "int32" | "int16" | "int8" | "uint8" | "uint16" => Ty::I32,
            _ => Ty::I64,
        },
        "number" => match format {
            "float" => Ty::F32,
            _ => Ty::F64,
        },
        "boolean" => Ty::Bool,
        "file" => Ty::Bytes,
        _ => return None,
    })
}

/// A 3.1 `type` array with more than one non-null type.
pub fn multiple_types(node: &Value) -> bool {
    node.get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().filter(|t| *t != "null").count() > 1)
}

/// The one non-null `type`, whether written as a string or (3.1) an array, or the one
/// `properties`, `additionalProperties` or `items` imply.
pub fn primary_type(node: &Value) -> Option<&str> {
    match node.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(types)) => {
            let mut named = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null");
            match (named.next(), named.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }
        _ => {
            if node.get("properties").is_some() || node.get("additionalProperties").is_some() {
                Some("object")
            } else if node.get("items").is_some() {
                Some("array")
            } else {
                None
            }
        }
    }
}

/// Whether `null` is a valid value: `nullable`, `x-nullable`, `null` among the types, or
/// a `null` alternative.
pub fn is_nullable(node: &Value) -> bool {
    let null_type = match node.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let null_member = ["oneOf", "anyOf"].iter().any(|keyword| {
        node.get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(is_null_schema))
    });
    flag(node, "nullable") || flag(node, "x-nullable") || null_type || null_member
}

pub fn is_null_schema(node: &Value) -> bool {
    node.get("type").and_then(Value::as_str) == Some("null")
}

/// Whether `key` is `true` on `node`.
pub fn flag(node: &Value, key: &str) -> bool {
    node.get(key) == Some(&Value::Bool(true))
}

/// A schema's doc: its `description`, else its `title`.
pub fn doc_of(node: &Value) -> Option<String> {
    ["description", "title"]
        .iter()
        .filter_map(|key| node.get(*key).and_then(Value::as_str))
        .map(str::trim)
        .find(|text| !text.is_empty())
        .map(str::to_owned)
}

/// The doc of a schema: its own [`doc_of`], else that of an `allOf` member that only
/// annotates (`allOf: [{$ref: Expression}, {description: Negation.}]`, the shape AWS
/// descriptions give a documented reference).
pub fn schema_doc(node: &Value) -> Option<String> {
    doc_of(node).or_else(|| {
        node.get("allOf")?
            .as_array()?
            .iter()
            .filter(|member| is_annotation(member))
            .find_map(doc_of)
    })
}

/// Keywords that say something about a schema without constraining its values.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "$comment",
    "deprecated",
];

/// Whether a schema only annotates: every keyword is a doc, an example or an extension,
/// so as an `allOf` member it adds nothing to the type.
pub fn is_annotation(node: &Value) -> bool {
    node.as_object().is_some_and(|fields| {
        !fields.is_empty()
            && fields
                .keys()
                .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
    })
}

/// The discriminator's property: `discriminator.propertyName` in 3.x, or the string
/// `discriminator` itself in Swagger 2.0.
pub fn discriminator_property(node: &Value) -> Option<String> {
    match node.get("discriminator")? {
        Value::String(property) => Some(property.clone()),
        discriminator => Some(discriminator.get("propertyName")?.as_str()?.to_owned()),
    }
}

/// A `default` we can write as a Rust literal.
pub fn literal(value: &Value) -> Option<Literal> {
    match value {
        Value::Bool(b) => Some(Literal::Bool(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Some(Literal::Int(i)),
            None => n.as_f64().map(Literal::Float),
        },
        Value::String(text) => Some(Literal::String(text.clone())),
        _ => None,
    }
}

/// The strings of the first of the array-valued vendor extensions `keys` present.
fn extension_strings<'v>(node: &'v Value, keys: &[&str]) -> Vec<&'v str> {
    keys.iter()
        .find_map(|key| node.get(*key).and_then(Value::as_array))
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A string enum of `values`; names and docs from `x-enum-varnames`/`x-enum-descriptions`
/// where given.
pub fn string_enum(values: &[String], node: &Value) -> StringEnum {
    let names_given = extension_strings(node, &["x-enum-varnames", "x-enumNames"]);
    let docs_given = extension_strings(node, &["x-enum-descriptions", "x-enumDescriptions"]);
    let mut names = Namespace::with(&["Unknown"]);
    let mut variants: Vec<EnumVariant> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if variants.iter().any(|v| &v.wire == value) {
            continue;
        }
        let name = variant_name(names_given.get(index).copied().unwrap_or(value), "Empty");
        variants.push(EnumVariant {
            wire: value.clone(),
            name: names.claim(name),
            doc: docs_given.get(index).map(|doc| (*doc).to_owned()),
        });
    }
    StringEnum { variants }
}

/// An integer enum of `values`; names from `x-enum-varnames` where given.
pub fn int_enum(values: &[i64], node: &Value) -> IntEnum {
    let given = extension_strings(node, &["x-enum-varnames", "x-enumNames"]);
    let docs = extension_strings(node, &["x-enum-descriptions", "x-enumDescriptions"]);
    let mut names = Namespace::with(&["Unknown"]);
    let mut variants: Vec<IntVariant> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if variants.iter().any(|v| v.value == *value) {
            continue;
        }
        let fallback = if *value < 0 {
            format!("Minus{}", value.unsigned_abs())
        } else {
            format!("Value{value}")
        };
        let name = match given.get(index) {
            Some(given) => variant_name(given, &fallback),
            None => fallback,
        };
        variants.push(IntVariant {
            value: *value,
            name: names.claim(name),
            doc: docs.get(index).map(|doc| (*doc).to_owned()),
        });
    }
    let fits_i32 = values.iter().all(|v| i32::try_from(*v).is_ok());
    let repr = match node.get("format").and_then(Value::as_str) {
        Some("int32") if fits_i32 => Ty::I32,
        _ => Ty::I64,
    };
    IntEnum { repr, variants }
}
