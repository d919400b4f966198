//! `proptest` strategies that build JSON values from a schema at run time: valid values
//! only, every keyword the generated types read respected.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde_json::{json, Map, Value};

use crate::document::{
    alternatives, child, format_of, is_nullable, is_object_like, types, Additional, Document,
    ObjectView,
};

/// Beyond this depth optional properties are left out, lists and maps are as short as
/// allowed and nullable values are `null`, so recursive schemas stay finite.
const DEPTH: usize = 3;

/// A strategy for values valid under the schema `node` at `pointer`: required properties
/// always present, optional ones sometimes absent, nullable values sometimes `null`, enums
/// from their values, formats respected, depth bounded.
pub fn strategy(doc: &Document, node: &Value, pointer: &str, depth: usize) -> BoxedStrategy<Value> {
    let (pointer, node) = doc.resolve(node, pointer);
    if depth > DEPTH + 16 {
        return Just(Value::Null).boxed();
    }
    let inner = non_null(doc, node, &pointer, depth);
    if is_nullable(node) {
        if depth >= DEPTH {
            return Just(Value::Null).boxed();
        }
        prop_oneof![1 => Just(Value::Null), 3 => inner].boxed()
    } else {
        inner
    }
}

fn non_null(doc: &Document, node: &Value, pointer: &str, depth: usize) -> BoxedStrategy<Value> {
    if let Some(constant) = node.get("const") {
        return Just(constant.clone()).boxed();
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        if !values.is_empty() {
            return proptest::sample::select(values).boxed();
        }
    }
    let alternatives = alternatives(doc, node, pointer);
    // A polymorphic parent stands for its children: its own properties are theirs too.
    let polymorphic = doc.children.contains_key(pointer);
    if !alternatives.is_empty() && (polymorphic || node.get("properties").is_none()) {
        let strategies: Vec<BoxedStrategy<Value>> = alternatives
            .into_iter()
            .map(|(member, member_pointer, tag)| {
                let member = strategy(doc, &member, &member_pointer, depth);
                match tag {
                    Some((property, tag)) => member
                        .prop_map(move |mut value| {
                            if let Value::Object(fields) = &mut value {
                                fields.insert(property.clone(), Value::String(tag.clone()));
                            }
                            value
                        })
                        .boxed(),
                    None => member,
                }
            })
            .collect();
        return proptest::strategy::Union::new(strategies).boxed();
    }
    if let Some(members) = node.get("allOf").and_then(Value::as_array) {
        if !is_object_like(doc, node, pointer, 0) {
            if let Some(first) = members.first() {
                let member_pointer = child(&child(pointer, "allOf"), "0");
                return strategy(doc, first, &member_pointer, depth);
            }
        }
        return object(doc, node, pointer, depth);
    }
    match types(node).first().map(String::as_str) {
        Some("string") => string(node),
        Some("integer") => integer(node),
        Some("number") => number(node),
        Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
        Some("array") => array(doc, node, pointer, depth),
        Some("object") => object(doc, node, pointer, depth),
        Some("file") => text(0, 12),
        _ => any_json(),
    }
}

fn text(min: usize, max: usize) -> BoxedStrategy<Value> {
    // Printable characters of every script, quotes and backslashes included.
    proptest::string::string_regex(&format!("\\PC{{{min},{max}}}"))
        .expect("a valid regex")
        .prop_map(Value::String)
        .boxed()
}

fn string(node: &Value) -> BoxedStrategy<Value> {
    let length = |key: &str| node.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let min = length("minLength").unwrap_or(0);
    let max = length("maxLength").unwrap_or(min + 16).max(min);
    match format_of(node) {
        "date-time" => date_time(),
        "date" => date().prop_map(Value::String).boxed(),
        "uuid" => (any::<[u8; 16]>(), any::<bool>())
            .prop_map(|(bytes, upper)| {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                let text = format!(
                    "{}-{}-{}-{}-{}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..]
                );
                Value::String(if upper { text.to_uppercase() } else { text })
            })
            .boxed(),
        "byte" => proptest::collection::vec(any::<u8>(), 0..12)
            .prop_map(|bytes| Value::String(base64(&bytes)))
            .boxed(),
        _ => match node.get("pattern").and_then(Value::as_str) {
            Some(pattern) => match proptest::string::string_regex(pattern) {
                Ok(strategy) => strategy.prop_map(Value::String).boxed(),
                Err(_) => text(min, max),
            },
            None => text(min, max),
        },
    }
}

fn date() -> impl Strategy<Value = String> {
    (1u32..=9999, 1u32..=12, 1u32..=28)
        .prop_map(|(year, month, day)| format!("{year:04}-{month:02}-{day:02}"))
}

/// RFC 3339 date-times with `Z` or an offset, and 0 to 9 digits of fraction.
fn date_time() -> BoxedStrategy<Value> {
    let fraction = prop_oneof![
        Just(String::new()),
        (0u32..1000).prop_map(|n| format!(".{n:03}")),
        (0u32..1_000_000_000).prop_map(|n| format!(".{n:09}")),
        (0u32..10).prop_map(|n| format!(".{n}")),
    ];
    let offset = prop_oneof![
        Just("Z".to_owned()),
        Just("+00:00".to_owned()),
        (
            any::<bool>(),
            0u32..14,
            prop::sample::select(vec![0u32, 30, 45])
        )
            .prop_map(|(east, hours, minutes)| format!(
                "{}{hours:02}:{minutes:02}",
                if east { '+' } else { '-' }
            )),
    ];
    (date(), 0u32..24, 0u32..60, 0u32..60, fraction, offset)
        .prop_map(|(date, h, m, s, fraction, offset)| {
            Value::String(format!("{date}T{h:02}:{m:02}:{s:02}{fraction}{offset}"))
        })
        .boxed()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn bound(node: &Value, key: &str, exclusive: &str) -> Option<f64> {
    let value = node.get(key).and_then(Value::as_f64)?;
    // 3.0: `exclusiveMinimum: true` beside `minimum`; 3.1: a number of its own.
    let step = if node.get(exclusive) == Some(&Value::Bool(true)) {
        1.0
    } else {
        0.0
    };
    Some(if key == "minimum" {
        value + step
    } else {
        value - step
    })
}

fn integer(node: &Value) -> BoxedStrategy<Value> {
    let (low, high) = if format_of(node) == "int32" {
        (i64::from(i32::MIN), i64::from(i32::MAX))
    } else {
        (i64::MIN, i64::MAX)
    };
    let exclusive = |key: &str, step: f64| {
        node.get(key)
            .and_then(Value::as_f64)
            .map(|bound| bound + step)
    };
    let min = bound(node, "minimum", "exclusiveMinimum")
        .or_else(|| exclusive("exclusiveMinimum", 1.0))
        .map_or(low, |m| (m.ceil() as i64).max(low));
    let max = bound(node, "maximum", "exclusiveMaximum")
        .or_else(|| exclusive("exclusiveMaximum", -1.0))
        .map_or(high, |m| (m.floor() as i64).min(high));
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    let small = (min.max(-100))..=(max.min(100).max(min.max(-100)));
    prop_oneof![
        2 => small,
        1 => min..=max,
        1 => prop::sample::select(vec![min, max]),
    ]
    .prop_map(|n| json!(n))
    .boxed()
}

fn number(node: &Value) -> BoxedStrategy<Value> {
    let min = bound(node, "minimum", "exclusiveMinimum");
    let max = bound(node, "maximum", "exclusiveMaximum");
    let float = format_of(node) == "float";
    let any_number: BoxedStrategy<f64> = if float {
        prop_oneof![
            prop::num::f32::NORMAL | prop::num::f32::ZERO,
            (-1000i32..1000).prop_map(|n| n as f32 / 4.0),
        ]
        .prop_map(f64::from)
        .boxed()
    } else {
        prop_oneof![
            prop::num::f64::NORMAL | prop::num::f64::ZERO | prop::num::f64::SUBNORMAL,
            (-1000i32..1000).prop_map(|n| f64::from(n) / 8.0),
        ]
        .boxed()
    };
    let whole = (-1000i64..1000).prop_map(|n| json!(n));
    let fractional = any_number.prop_map(|n| json!(n));
    prop_oneof![1 => whole, 3 => fractional]
        .prop_map(move |value| {
            // Out of bounds: clamp.
            let n = value.as_f64().unwrap_or(0.0);
            match (min, max) {
                (Some(min), _) if n < min => json!(min),
                (_, Some(max)) if n > max => json!(max),
                _ => value,
            }
        })
        .boxed()
}

fn array(doc: &Document, node: &Value, pointer: &str, depth: usize) -> BoxedStrategy<Value> {
    let count = |key: &str| node.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let min = count("minItems").unwrap_or(0);
    let max = if depth >= DEPTH {
        min
    } else {
        count("maxItems").unwrap_or(min + 3).clamp(min, min + 3)
    };
    let items = match node.get("items") {
        Some(items) => strategy(doc, items, &child(pointer, "items"), depth + 1),
        None => any_json(),
    };
    let unique = node.get("uniqueItems") == Some(&Value::Bool(true));
    proptest::collection::vec(items, min..=max)
        .prop_map(move |mut items| {
            if unique {
                let mut seen = Vec::new();
                items.retain(|item| {
                    let fresh = !seen.contains(item);
                    seen.push(item.clone());
                    fresh
                });
            }
            Value::Array(items)
        })
        .boxed()
}

fn object(doc: &Document, node: &Value, pointer: &str, depth: usize) -> BoxedStrategy<Value> {
    let view = ObjectView::of(doc, node, pointer);
    let deep = depth >= DEPTH;
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = view
        .properties
        .iter()
        .filter(|(name, _, _)| !deep || view.required.contains(name))
        .map(|(name, schema, schema_pointer)| {
            let required = view.required.contains(name);
            let name = name.clone();
            let value = strategy(doc, schema, schema_pointer, depth + 1)
                .prop_map(move |value| (name.clone(), value));
            if required {
                value.prop_map(Some).boxed()
            } else {
                proptest::option::weighted(0.6, value).boxed()
            }
        })
        .collect();
    let names: BTreeSet<String> = view.properties.iter().map(|(n, _, _)| n.clone()).collect();
    let extra_values = match &view.additional {
        _ if deep => None,
        Additional::Schema(schema, schema_pointer) => {
            Some(strategy(doc, schema, schema_pointer, depth + 1))
        }
        Additional::True => Some(any_json()),
        // A free-form object: any properties.
        Additional::Unsaid if view.properties.is_empty() => Some(any_json()),
        Additional::Unsaid | Additional::False => None,
    };
    let extras = match extra_values {
        Some(values) => {
            let key = proptest::string::string_regex("[a-zA-Z][a-zA-Z0-9_.-]{0,8}")
                .expect("a valid regex");
            proptest::collection::vec((key, values), 0..3).boxed()
        }
        None => Just(Vec::new()).boxed(),
    };
    (fields, extras)
        .prop_map(move |(fields, extras)| {
            let mut object = Map::new();
            for (name, value) in fields.into_iter().flatten() {
                object.insert(name, value);
            }
            for (name, value) in extras {
                // Never a declared property: that one has a schema of its own.
                let name = if names.contains(&name) {
                    format!("{name}-extra")
                } else {
                    name
                };
                object.entry(name).or_insert(value);
            }
            Value::Object(object)
        })
        .boxed()
}

/// Any JSON value, small.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (prop::num::f64::NORMAL | prop::num::f64::ZERO).prop_map(|n| json!(n)),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
    .boxed()
}
