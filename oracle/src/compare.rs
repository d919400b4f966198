//! Whether a value that went through a generated type says the same as the one that went
//! in, judged against the schema: `null` and absent are the same where the schema allows
//! both, a `default` may be filled in, date-times compare as instants with their offset,
//! `1` and `1.0` are the same number, and a member that an object schema with properties
//! neither declares nor describes (no `additionalProperties`) may be left out: the
//! generated struct keeps what the schema says, as a reader that ignores unknown members
//! does.

use serde_json::Value;

use crate::document::{
    alternatives, child, format_of, is_object_like, permits_null, single_member, Additional,
    Document, ObjectView,
};

/// At most this much of a value in a message.
pub fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

/// Numbers are the same when their values are: `1` and `1.0` are.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// Equality of JSON values, numbers by value.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| same_json(x, y)))
        }
        _ => a == b,
    }
}

/// Whether `actual`, what came back from the round trip, says the same as `expected`
/// under the schema `node` at `pointer` (`None`: no schema, so they must be equal). The
/// error names the place (`at`) and the difference.
pub fn equivalent(
    doc: &Document,
    schema: Option<(&Value, &str)>,
    expected: &Value,
    actual: &Value,
    at: &str,
) -> Result<(), String> {
    compare(doc, schema, expected, actual, at, 0)
}

fn compare(
    doc: &Document,
    schema: Option<(&Value, &str)>,
    expected: &Value,
    actual: &Value,
    at: &str,
    depth: usize,
) -> Result<(), String> {
    if same_json(expected, actual) {
        return Ok(());
    }
    let differ = || {
        Err(format!(
            "at `{}`: {} came back as {}",
            if at.is_empty() { "/" } else { at },
            short(expected),
            short(actual)
        ))
    };
    let Some((node, pointer)) = schema else {
        return differ();
    };
    if depth > 64 {
        return differ();
    }
    let (pointer, node) = doc.resolve(node, pointer);
    let alternatives = alternatives(doc, node, &pointer);
    if !alternatives.is_empty() {
        let mut errors = Vec::new();
        for (member, member_pointer, _) in &alternatives {
            match compare(
                doc,
                Some((member, member_pointer)),
                expected,
                actual,
                at,
                depth + 1,
            ) {
                Ok(()) => return Ok(()),
                Err(error) => errors.push(error),
            }
        }
        if node.get("properties").is_none() && node.get("allOf").is_none() {
            errors.dedup();
            return Err(errors.join("; or "));
        }
    }
    if let Some((member, member_pointer)) = single_member(node, &pointer) {
        return compare(
            doc,
            Some((member, &member_pointer)),
            expected,
            actual,
            at,
            depth + 1,
        );
    }
    if let Some(members) = node.get("allOf").and_then(Value::as_array) {
        if !is_object_like(doc, node, &pointer, 0) {
            if let Some(first) = members.first() {
                let member_pointer = child(&child(&pointer, "allOf"), "0");
                return compare(
                    doc,
                    Some((first, &member_pointer)),
                    expected,
                    actual,
                    at,
                    depth + 1,
                );
            }
        }
    }
    match (expected, actual) {
        (Value::String(x), Value::String(y)) => {
            let same = match format_of(node) {
                "date-time" => match (
                    chrono::DateTime::parse_from_rfc3339(x),
                    chrono::DateTime::parse_from_rfc3339(y),
                ) {
                    (Ok(x), Ok(y)) => x == y && x.offset() == y.offset(),
                    _ => false,
                },
                "uuid" => x.eq_ignore_ascii_case(y),
                _ => false,
            };
            if same {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Number(x), Value::Number(y)) if format_of(node) == "float" => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            if (x - y).abs() <= 1e-6 * x.abs().max(y.abs()) {
                Ok(())
            } else {
                differ()
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return differ();
            }
            let items = node
                .get("items")
                .map(|items| (items, child(&pointer, "items")));
            for (index, (x, y)) in x.iter().zip(y).enumerate() {
                let items = items.as_ref().map(|(items, p)| (*items, p.as_str()));
                compare(doc, items, x, y, &format!("{at}/{index}"), depth + 1)?;
            }
            Ok(())
        }
        (Value::Object(x), Value::Object(y)) => {
            let view = ObjectView::of(doc, node, &pointer);
            let mut keys: Vec<&String> = x.keys().collect();
            keys.extend(y.keys().filter(|key| !x.contains_key(*key)));
            for key in keys {
                let place = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                let property = view.property(key);
                let additional;
                let property_schema = match (property, &view.additional) {
                    (Some(found), _) => Some(found),
                    (None, Additional::Schema(schema, schema_pointer)) => {
                        additional = (schema, schema_pointer.as_str());
                        Some(additional)
                    }
                    _ => None,
                };
                let required = view.required.contains(key.as_str());
                let undescribed = property_schema.is_none()
                    && !view.properties.is_empty()
                    && matches!(view.additional, Additional::Unsaid);
                let nullable = match property_schema {
                    None => true,
                    Some((schema, schema_pointer)) => {
                        permits_null(doc.resolve(schema, schema_pointer).1) || permits_null(schema)
                    }
                };
                match (x.get(key), y.get(key)) {
                    (Some(x), Some(y)) => compare(doc, property_schema, x, y, &place, depth + 1)?,
                    (Some(Value::Null), None) if !required && nullable => {}
                    (Some(_), None) if undescribed => {}
                    (Some(x), None) => {
                        return Err(format!("at `{place}`: {} was dropped", short(x)));
                    }
                    (None, Some(Value::Null)) if !required && nullable => {}
                    (None, Some(y)) => {
                        let default = property_schema.and_then(|(schema, schema_pointer)| {
                            schema
                                .get("default")
                                .or_else(|| doc.resolve(schema, schema_pointer).1.get("default"))
                        });
                        let filled_in = default.is_some_and(|default| same_json(default, y));
                        if required || !filled_in {
                            return Err(format!("at `{place}`: {} was added", short(y)));
                        }
                    }
                    (None, None) => {}
                }
            }
            Ok(())
        }
        _ => differ(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A struct keeps what its schema declares: a member it neither declares nor
    /// describes may be left out, but not one it declares, nor one an
    /// `additionalProperties` describes or allows.
    #[test]
    fn members_a_schema_does_not_describe_may_be_left_out() {
        let doc = Document::new(json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Plain": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Open": {"type": "object", "properties": {"a": {"type": "string"}},
                         "additionalProperties": true},
                "Map": {"type": "object"}
            }}
        }));
        let check = |name: &str, expected: Value, actual: Value| {
            let pointer = format!("#/components/schemas/{name}");
            let node = doc.get(&pointer).unwrap();
            equivalent(&doc, Some((node, &pointer)), &expected, &actual, "")
        };
        assert!(check("Plain", json!({"a": "x", "b": 1}), json!({"a": "x"})).is_ok());
        assert!(check("Plain", json!({"a": "x"}), json!({})).is_err());
        assert!(check("Plain", json!({"a": "x"}), json!({"a": "x", "b": 1})).is_err());
        assert!(check("Open", json!({"a": "x", "b": 1}), json!({"a": "x"})).is_err());
        assert!(check("Map", json!({"b": 1}), json!({})).is_err());
    }
}
