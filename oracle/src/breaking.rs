//! Values that break a schema, each made from a valid value (one the strategies build) by
//! one change the schema forbids: a value of a type it does not allow, a required
//! property left out, `null` where it is not allowed, a value outside an enum or of the
//! wrong format, an item or map value of the wrong type, a property
//! `additionalProperties: false` forbids, a value a validation keyword excludes, an
//! unknown discriminator. A generated type that reads one of them is looser than the
//! schema; `codegen/tests/examples/` lists, by kind, where that is intended.
//!
//! Only what the schema says explicitly is broken: a schema without `type` allows every
//! type, so it gets no wrong-type value. `pattern`, `multipleOf`, `maxItems` and
//! `uniqueItems` get no value either (the harness has no regular expressions, and the
//! others need valid items to break them with); no generated type checks them anyway.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::document::{
    alternatives, child, discriminator_property, format_of, is_nullable, is_object_like,
    permits_null, Additional, Document, ObjectView,
};

/// One value that breaks a schema.
pub struct Breaking {
    /// What kind of change made it: `wrong-type`, `missing-required`, … (see the
    /// functions below).
    pub kind: &'static str,
    /// Where the change is, as a JSON pointer into the value (empty: the whole value).
    pub at: String,
    /// The value that breaks the schema.
    pub value: Value,
}

/// Values of every JSON type, as a wrong-type change puts them.
const CANDIDATES: &[(&str, &str)] = &[
    ("string", "\"text\""),
    ("integer", "12345"),
    ("boolean", "true"),
    ("number", "1.5"),
    ("object", "{}"),
    ("array", "[]"),
];

/// The JSON type of `value`, with whole numbers as `integer`.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether a value of JSON type `ty` may have one of `types` (an integer is a number).
fn permitted(types: &BTreeSet<&str>, ty: &str) -> bool {
    types.contains(ty) || (ty == "integer" && types.contains("number"))
}

/// The JSON types a schema allows, when it says so (through `type`, `enum` or `const`,
/// its `allOf` members and its alternatives); `None` when any type may do. `null` is
/// among them when the schema allows it.
pub fn allowed(
    doc: &Document,
    node: &Value,
    pointer: &str,
    depth: usize,
) -> Option<BTreeSet<&'static str>> {
    let (pointer, node) = doc.resolve(node, pointer);
    if depth > 16 {
        return None;
    }
    let mut result: Option<BTreeSet<&'static str>> = None;
    let mut narrow = |set: BTreeSet<&'static str>| {
        result = Some(match result.take() {
            None => set,
            Some(before) => {
                // Both must hold: an integer is a number.
                before
                    .iter()
                    .copied()
                    .filter(|ty| permitted(&set, ty))
                    .chain(
                        set.iter()
                            .copied()
                            .filter(|ty| *ty == "integer" && before.contains("number")),
                    )
                    .collect()
            }
        });
    };
    let own = |name: &str| -> Option<&'static str> {
        [
            "string", "integer", "number", "boolean", "object", "array", "null",
        ]
        .into_iter()
        .find(|known| *known == name)
    };
    match node.get("type") {
        Some(Value::String(name)) => {
            if let Some(ty) = own(name) {
                narrow([ty].into());
            }
        }
        Some(Value::Array(names)) => {
            let set: Option<BTreeSet<_>> = names
                .iter()
                .map(|name| name.as_str().and_then(own))
                .collect();
            if let Some(set) = set {
                narrow(set);
            }
        }
        _ => {}
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        narrow(values.iter().map(json_type).collect());
    }
    if let Some(constant) = node.get("const") {
        narrow([json_type(constant)].into());
    }
    if let Some(members) = node.get("allOf").and_then(Value::as_array) {
        for (index, member) in members.iter().enumerate() {
            let member_pointer = child(&child(&pointer, "allOf"), &index.to_string());
            if let Some(set) = allowed(doc, member, &member_pointer, depth + 1) {
                narrow(set);
            }
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(members) = node.get(keyword).and_then(Value::as_array) else {
            continue;
        };
        let mut union = BTreeSet::new();
        let mut any = false;
        for (index, member) in members.iter().enumerate() {
            let member_pointer = child(&child(&pointer, keyword), &index.to_string());
            match allowed(doc, member, &member_pointer, depth + 1) {
                Some(set) => union.extend(set),
                None => any = true,
            }
        }
        if !any {
            narrow(union);
        }
    }
    let mut result = result?;
    if is_nullable(node) {
        result.insert("null");
    }
    Some(result)
}

/// A value of a type `node` does not allow, not `null` (that change has its own kind).
fn wrong_value(doc: &Document, node: &Value, pointer: &str) -> Option<Value> {
    let types = allowed(doc, node, pointer, 0)?;
    CANDIDATES
        .iter()
        .find(|(ty, _)| !permitted(&types, ty))
        .map(|(_, value)| serde_json::from_str(value).unwrap())
}

/// The values that break the schema `node` at `pointer`, made from `valid`, a value it
/// allows.
pub fn breaking(doc: &Document, node: &Value, pointer: &str, valid: &Value) -> Vec<Breaking> {
    let mut out = Vec::new();
    let (pointer, node) = doc.resolve(node, pointer);
    let mut add = |kind: &'static str, at: &str, value: Value| {
        out.push(Breaking {
            kind,
            at: at.to_owned(),
            value,
        })
    };
    // The whole value of every wrong type. An array for an object that requires no
    // property and says nothing of other properties is a kind of its own.
    let open_object = is_object_like(doc, node, &pointer, 0) && {
        let view = ObjectView::of(doc, node, &pointer);
        let optional = |name: &String| {
            view.property(name).is_some_and(|(schema, schema_pointer)| {
                read_or_write_only(doc, schema, schema_pointer).is_some()
            })
        };
        view.required.iter().all(optional)
            && matches!(view.additional, Additional::Unsaid | Additional::False)
    };
    if let Some(types) = allowed(doc, node, &pointer, 0) {
        for (ty, value) in CANDIDATES {
            if !permitted(&types, ty) {
                let kind = if *ty == "array" && open_object {
                    "array-for-object-without-required"
                } else {
                    "wrong-type"
                };
                add(kind, "", serde_json::from_str(value).unwrap());
            }
        }
        if !types.contains("null") {
            add("null", "", Value::Null);
        }
    }
    for (kind, value) in scalar_changes(doc, node, &pointer) {
        add(kind, "", value);
    }
    // A discriminator naming no alternative.
    let polymorphic = doc.children.contains_key(&pointer);
    let alternatives = alternatives(doc, node, &pointer);
    if let (Some(property), Value::Object(fields)) = (discriminator_property(node), valid) {
        if (polymorphic || !alternatives.is_empty()) && fields.contains_key(&property) {
            let mut changed = fields.clone();
            changed.insert(property.clone(), json!("no-such-kind"));
            add(
                "discriminator-unknown",
                &format!("/{property}"),
                Value::Object(changed),
            );
        }
    }
    // Inside objects and lists; alternatives are broken through their own types, since a
    // changed value of one may well be a valid value of another.
    if !alternatives.is_empty() && !polymorphic {
        return out;
    }
    if let Value::Array(items) = valid {
        if let Some(item_schema) = node.get("items") {
            let item_pointer = child(&pointer, "items");
            if let Some(wrong) = wrong_value(doc, item_schema, &item_pointer) {
                let mut changed = items.clone();
                changed.push(wrong);
                add(
                    "wrong-type-item",
                    &format!("/{}", items.len()),
                    Value::Array(changed),
                );
            }
        }
    }
    let Value::Object(fields) = valid else {
        return out;
    };
    if !is_object_like(doc, node, &pointer, 0) {
        return out;
    }
    let view = ObjectView::of(doc, node, &pointer);
    let with = |name: &str, value: Value| {
        let mut changed = fields.clone();
        changed.insert(name.to_owned(), value);
        Value::Object(changed)
    };
    for name in &view.required {
        if !fields.contains_key(name) {
            continue;
        }
        let kind = match view.property(name) {
            None => "missing-required-undeclared",
            Some((schema, schema_pointer)) => {
                let (_, target) = doc.resolve(schema, schema_pointer);
                match read_or_write_only(doc, schema, schema_pointer) {
                    Some("readOnly") => "missing-required-read-only",
                    Some(_) => "missing-required-write-only",
                    None if is_nullable(schema) || is_nullable(target) => {
                        "missing-required-nullable"
                    }
                    None => "missing-required",
                }
            }
        };
        let mut changed = fields.clone();
        changed.remove(name);
        add(kind, &format!("/{name}"), Value::Object(changed));
    }
    for (name, schema, schema_pointer) in &view.properties {
        let at = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
        let (target_pointer, target) = doc.resolve(schema, schema_pointer);
        if !permits_null(schema) && !permits_null(target) {
            // A default a literal can give: a string, a number or a boolean.
            let scalar = |node: &Value| {
                node.get("default")
                    .is_some_and(|d| d.is_string() || d.is_number() || d.is_boolean())
            };
            let defaulted = scalar(schema) || scalar(target);
            let kind = match read_or_write_only(doc, schema, schema_pointer) {
                Some("readOnly") => "null-read-only-property",
                Some(_) => "null-write-only-property",
                None if view.required.contains(name) => "null-required-property",
                None if defaulted => "null-defaulted-property",
                None => "null-optional-property",
            };
            add(kind, &at, with(name, Value::Null));
        }
        if let Some(wrong) = wrong_value(doc, schema, schema_pointer) {
            add("wrong-type-property", &at, with(name, wrong));
        }
        for (kind, value) in scalar_changes(doc, target, &target_pointer) {
            add(kind, &at, with(name, value));
        }
        if let Some(items) = target.get("items") {
            if let Some(wrong) = wrong_value(doc, items, &child(&target_pointer, "items")) {
                add("wrong-type-item", &at, with(name, json!([wrong])));
            }
        }
    }
    let extra = "not-a-declared-property";
    match &view.additional {
        _ if view.property(extra).is_some() => {}
        Additional::False => add(
            "additional-forbidden",
            &format!("/{extra}"),
            with(extra, json!(1)),
        ),
        Additional::Schema(schema, schema_pointer) => {
            if let Some(wrong) = wrong_value(doc, schema, schema_pointer) {
                add(
                    "wrong-type-additional",
                    &format!("/{extra}"),
                    with(extra, wrong),
                );
            }
        }
        Additional::True | Additional::Unsaid => {}
    }
    out
}

/// `readOnly` or `writeOnly`, when the property schema at `pointer` (or what its `$ref`
/// names) is marked so.
fn read_or_write_only(doc: &Document, schema: &Value, pointer: &str) -> Option<&'static str> {
    let (_, target) = doc.resolve(schema, pointer);
    ["readOnly", "writeOnly"].into_iter().find(|key| {
        schema.get(*key) == Some(&Value::Bool(true)) || target.get(*key) == Some(&Value::Bool(true))
    })
}

/// Changes to a value of the schema `node` that keep its type: outside its `enum`, other
/// than its `const`, not of its `format`, outside what a validation keyword allows.
fn scalar_changes(doc: &Document, node: &Value, pointer: &str) -> Vec<(&'static str, Value)> {
    let (_, node) = doc.resolve(node, pointer);
    let mut out = Vec::new();
    let types = allowed(doc, node, pointer, 0).unwrap_or_default();
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        if values.iter().all(Value::is_string) {
            out.push(("enum-outside", json!("not-one-of-the-values")));
        } else if values.iter().all(|v| v.is_i64() || v.is_null()) {
            let outside = (987_654..).find(|n| !values.contains(&json!(n))).unwrap();
            out.push(("enum-outside", json!(outside)));
        }
    }
    match node.get("const") {
        Some(Value::String(text)) => out.push(("const-other", json!(format!("{text}-other")))),
        Some(Value::Number(n)) => out.push((
            "const-other",
            match n.as_i64() {
                Some(i) => json!(i.wrapping_add(1)),
                None => json!(n.as_f64().unwrap_or(0.0) + 1.0),
            },
        )),
        Some(Value::Bool(b)) => out.push(("const-other", json!(!b))),
        _ => {}
    }
    if types.contains("string") {
        let bad = match format_of(node) {
            "date-time" => Some(("format-date-time", "2024-02-30 noon")),
            "date" => Some(("format-date", "2024-13-45")),
            "uuid" => Some(("format-uuid", "not-a-uuid")),
            _ => None,
        };
        out.extend(bad.map(|(kind, text)| (kind, json!(text))));
        let length = |key: &str| node.get(key).and_then(Value::as_u64);
        if let Some(min) = length("minLength").filter(|min| *min > 0) {
            out.push(("validation-min-length", json!("x".repeat(min as usize - 1))));
        }
        if let Some(max) = length("maxLength") {
            out.push(("validation-max-length", json!("x".repeat(max as usize + 1))));
        }
    }
    if types.contains("integer") || types.contains("number") {
        let bad = match format_of(node) {
            "int8" => Some(("format-int8", json!(200))),
            "int16" => Some(("format-int16", json!(40_000))),
            "int32" => Some(("format-int32", json!(2_147_483_648_i64))),
            "int64" => Some(("format-int64", json!(9_223_372_036_854_775_808_u64))),
            "uint8" => Some(("format-uint8", json!(-1))),
            "uint16" => Some(("format-uint16", json!(-1))),
            "uint32" => Some(("format-uint32", json!(-1))),
            "uint64" => Some(("format-uint64", json!(-1))),
            _ => None,
        };
        out.extend(bad);
        if let Some(min) = node.get("minimum").and_then(Value::as_f64) {
            out.push(("validation-minimum", json!((min - 1.0).floor() as i64)));
        }
        if let Some(max) = node.get("maximum").and_then(Value::as_f64) {
            out.push(("validation-maximum", json!((max + 1.0).ceil() as i64)));
        }
    }
    let min_items = node.get("minItems").and_then(Value::as_u64);
    if types.contains("array") && min_items.is_some_and(|min| min > 0) {
        out.push(("validation-min-items", json!([])));
    }
    out
}
