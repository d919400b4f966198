//! The library of the harness crate that `codegen/tests/examples.rs` writes to
//! `target/compile-tests/examples_harness/`; this file is copied there as `src/lib.rs`, and
//! the test generates the binaries that use it.
//!
//! - [`round_trip`]: deserialize a JSON value into a generated type, serialize it back.
//! - [`equivalent`]: whether the value that came back says the same as the one that went
//!   in, judged against the schema: `null` and absent are the same where the schema allows
//!   both, a `default` may be filled in, date-times compare as instants with their offset,
//!   `1` and `1.0` are the same number.
//! - [`strategy`]: a `proptest` strategy that builds JSON values from a schema at run time.
//! - [`examples_main`] and [`property_main`]: the `main` of the two kinds of binaries.
//!
//! Everything here reads the description's raw JSON (with its `$ref`s), never the
//! generator's model, so the generator is checked against the description and not against
//! itself.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{json, Map, Value};

/// A round trip through one generated type.
pub type RoundTrip = fn(Value) -> Result<Value, String>;

/// Deserializes `value` as `T` and serializes it back; `T` must also read its own output
/// back as an equal value.
pub fn round_trip<T>(value: Value) -> Result<Value, String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let typed: T =
        serde_json::from_value(value).map_err(|error| format!("does not deserialize: {error}"))?;
    let back =
        serde_json::to_value(&typed).map_err(|error| format!("does not serialize: {error}"))?;
    let again: T = serde_json::from_value(back.clone()).map_err(|error| {
        format!(
            "its own serialization {} does not deserialize: {error}",
            short(&back)
        )
    })?;
    if again != typed {
        return Err(format!(
            "reading its own serialization back gives another value: {typed:?}, then {again:?}"
        ));
    }
    Ok(back)
}

/// A description, as JSON, with what reading its schemas needs.
pub struct Document {
    pub root: Value,
    /// Where named schemas are: `#/components/schemas` or (Swagger 2.0) `#/definitions`.
    components: &'static str,
    /// Polymorphic parents (a named schema with a `discriminator` and no `oneOf`/`anyOf`)
    /// by pointer, with the schemas that extend them through `allOf`: tag and pointer.
    children: BTreeMap<String, Vec<(String, String)>>,
}

impl Document {
    pub fn new(root: Value) -> Self {
        let components = if root.get("swagger").is_some() {
            "#/definitions"
        } else {
            "#/components/schemas"
        };
        let mut document = Document {
            root,
            components,
            children: BTreeMap::new(),
        };
        document.children = document.find_children();
        document
    }

    pub fn read(path: &str) -> Self {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Document::new(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    /// The node at `pointer` (`#/a/b`).
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        let fragment = pointer.strip_prefix('#')?;
        self.root.pointer(&percent_decode(fragment))
    }

    /// Follows `$ref`s from `node` (at `pointer`) to the node it stands for; keywords
    /// beside a `$ref` are ignored, as OpenAPI 3.0 and Swagger 2.0 say.
    pub fn resolve<'a>(&'a self, node: &'a Value, pointer: &str) -> (String, &'a Value) {
        let mut current = (pointer.to_owned(), node);
        for _ in 0..64 {
            let Some(reference) = current.1.get("$ref").and_then(Value::as_str) else {
                return current;
            };
            match self.get(reference) {
                Some(target) => current = (reference.to_owned(), target),
                None => return current,
            }
        }
        current
    }

    fn find_children(&self) -> BTreeMap<String, Vec<(String, String)>> {
        let mut children: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let Some(Value::Object(schemas)) = self.get(self.components) else {
            return children;
        };
        for (name, schema) in schemas {
            let pointer = child(self.components, name);
            let Some(members) = schema.get("allOf").and_then(Value::as_array) else {
                continue;
            };
            for member in members {
                let Some(reference) = member.get("$ref").and_then(Value::as_str) else {
                    continue;
                };
                let Some(parent) = self.get(reference) else {
                    continue;
                };
                let is_parent = discriminator_property(parent).is_some()
                    && parent.get("oneOf").is_none()
                    && parent.get("anyOf").is_none()
                    && reference != pointer;
                if is_parent {
                    let tag = self.tag(parent, &pointer);
                    children
                        .entry(reference.to_owned())
                        .or_default()
                        .push((tag, pointer.clone()));
                }
            }
        }
        children
    }

    /// The discriminator value that selects the schema at `target` under `parent`: its key
    /// in the mapping, else its name.
    fn tag(&self, parent: &Value, target: &str) -> String {
        let mapping = parent
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object);
        if let Some(mapping) = mapping {
            for (tag, to) in mapping {
                let Some(to) = to.as_str() else { continue };
                let to = if to.starts_with('#') {
                    to.to_owned()
                } else {
                    child(self.components, to)
                };
                if to == target {
                    return tag.clone();
                }
            }
        }
        last_segment(target)
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `base` extended by one escaped segment.
pub fn child(base: &str, segment: &str) -> String {
    format!("{base}/{}", segment.replace('~', "~0").replace('/', "~1"))
}

fn last_segment(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace("~1", "/")
        .replace("~0", "~")
}

fn discriminator_property(node: &Value) -> Option<String> {
    match node.get("discriminator")? {
        Value::String(property) => Some(property.clone()),
        discriminator => Some(discriminator.get("propertyName")?.as_str()?.to_owned()),
    }
}

/// `null` is allowed: `nullable`, `x-nullable`, `null` among the types or a `null` member
/// of `oneOf`/`anyOf`.
fn is_nullable(node: &Value) -> bool {
    let flag = |key: &str| node.get(key) == Some(&Value::Bool(true));
    let null_type = match node.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        Some(Value::String(t)) => t == "null",
        _ => false,
    };
    let null_member = ["oneOf", "anyOf"].iter().any(|keyword| {
        node.get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(is_null_schema))
    });
    flag("nullable") || flag("x-nullable") || null_type || null_member
}

/// `null` is valid: the schema says so, or says nothing that would exclude it (`{}`).
fn permits_null(node: &Value) -> bool {
    let constrained = [
        "type",
        "enum",
        "const",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "$ref",
        "additionalProperties",
    ]
    .iter()
    .any(|key| node.get(*key).is_some());
    is_nullable(node) || !constrained
}

fn is_null_schema(node: &Value) -> bool {
    node.get("type").and_then(Value::as_str) == Some("null")
}

/// The non-null types a schema names, or infers from `properties` or `items`.
fn types(node: &Value) -> Vec<String> {
    match node.get("type") {
        Some(Value::String(t)) if t != "null" => vec![t.clone()],
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .map(str::to_owned)
            .collect(),
        _ if node.get("properties").is_some() || node.get("additionalProperties").is_some() => {
            vec!["object".to_owned()]
        }
        _ if node.get("items").is_some() => vec!["array".to_owned()],
        _ => Vec::new(),
    }
}

fn format_of(node: &Value) -> &str {
    node.get("format").and_then(Value::as_str).unwrap_or("")
}

/// An object schema with its `allOf` members merged in.
#[derive(Default)]
struct ObjectView {
    /// Name, schema and schema pointer, in order of appearance; a later member's
    /// definition of a property replaces an earlier one.
    properties: Vec<(String, Value, String)>,
    required: BTreeSet<String>,
    additional: Additional,
}

#[derive(Default, Clone)]
enum Additional {
    /// No `additionalProperties`: other properties are allowed, but nothing says what.
    #[default]
    Unsaid,
    False,
    True,
    Schema(Value, String),
}

impl ObjectView {
    fn of(doc: &Document, node: &Value, pointer: &str) -> ObjectView {
        let mut view = ObjectView::default();
        view.collect(doc, node, pointer, 0);
        view
    }

    fn collect(&mut self, doc: &Document, node: &Value, pointer: &str, depth: usize) {
        let (pointer, node) = doc.resolve(node, pointer);
        if depth > 32 {
            return;
        }
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let member_pointer = child(&child(&pointer, "allOf"), &index.to_string());
                self.collect(doc, member, &member_pointer, depth + 1);
            }
        }
        if let Some(required) = node.get("required").and_then(Value::as_array) {
            self.required
                .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (name, schema) in properties {
                let entry = (
                    name.clone(),
                    schema.clone(),
                    child(&child(&pointer, "properties"), name),
                );
                match self.properties.iter_mut().find(|(n, _, _)| n == name) {
                    Some(existing) => *existing = entry,
                    None => self.properties.push(entry),
                }
            }
        }
        match node.get("additionalProperties") {
            None => {}
            Some(Value::Bool(false)) => self.additional = Additional::False,
            Some(Value::Bool(true)) => self.additional = Additional::True,
            Some(schema) => {
                self.additional =
                    Additional::Schema(schema.clone(), child(&pointer, "additionalProperties"))
            }
        }
    }

    fn property(&self, name: &str) -> Option<(&Value, &str)> {
        self.properties
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, schema, pointer)| (schema, pointer.as_str()))
    }
}

/// Whether a schema describes objects through `properties`, `allOf` members with them, or
/// `type: object`.
fn is_object_like(doc: &Document, node: &Value, pointer: &str, depth: usize) -> bool {
    let (pointer, node) = doc.resolve(node, pointer);
    if depth > 32 {
        return false;
    }
    if types(node).iter().any(|t| t == "object") {
        return true;
    }
    node.get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|members| {
            members.iter().enumerate().any(|(index, member)| {
                let member_pointer = child(&child(&pointer, "allOf"), &index.to_string());
                is_object_like(doc, member, &member_pointer, depth + 1)
            })
        })
}

/// A schema among alternatives, its pointer, and the property and value of the
/// discriminator that selects it, if any.
type Alternative = (Value, String, Option<(String, String)>);

/// The alternatives of a schema: `oneOf`/`anyOf` members that are not `null`, the children
/// of a polymorphic parent, or one schema per type of a 3.1 `type` array. Each comes with
/// its pointer and the discriminator value it must carry, if any.
fn alternatives(doc: &Document, node: &Value, pointer: &str) -> Vec<Alternative> {
    if let Some(children) = doc.children.get(pointer) {
        let property = discriminator_property(node).unwrap_or_default();
        return children
            .iter()
            .filter_map(|(tag, child_pointer)| {
                let schema = doc.get(child_pointer)?.clone();
                Some((
                    schema,
                    child_pointer.clone(),
                    Some((property.clone(), tag.clone())),
                ))
            })
            .collect();
    }
    for keyword in ["oneOf", "anyOf"] {
        let Some(members) = node.get(keyword).and_then(Value::as_array) else {
            continue;
        };
        let discriminator = discriminator_property(node);
        return members
            .iter()
            .enumerate()
            .filter(|(_, member)| !is_null_schema(member))
            .map(|(index, member)| {
                let member_pointer = child(&child(pointer, keyword), &index.to_string());
                let (target, _) = doc.resolve(member, &member_pointer);
                let tag = discriminator
                    .as_ref()
                    .filter(|_| member.get("$ref").is_some())
                    .map(|property| (property.clone(), doc.tag(node, &target)));
                (member.clone(), member_pointer, tag)
            })
            .collect();
    }
    let types = types(node);
    if types.len() > 1 {
        return types
            .iter()
            .enumerate()
            .map(|(index, t)| {
                let mut member = node.clone();
                member["type"] = Value::String(t.clone());
                (
                    member,
                    child(&child(pointer, "type"), &index.to_string()),
                    None,
                )
            })
            .collect();
    }
    Vec::new()
}

/// At most this much of a value in a message.
fn short(value: &Value) -> String {
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
fn same_json(a: &Value, b: &Value) -> bool {
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
                let nullable = match property_schema {
                    None => true,
                    Some((schema, schema_pointer)) => {
                        permits_null(doc.resolve(schema, schema_pointer).1) || permits_null(schema)
                    }
                };
                match (x.get(key), y.get(key)) {
                    (Some(x), Some(y)) => compare(doc, property_schema, x, y, &place, depth + 1)?,
                    (Some(Value::Null), None) if !required && nullable => {}
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

// ---------------------------------------------------------------------------------------
// Strategies

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

// ---------------------------------------------------------------------------------------
// Binaries

/// The `main` of an examples binary: `BIN DOCUMENT.json EXAMPLES.json`, where the examples
/// are `[{"pointer", "schema", "value"}]` and `table` maps each pointer to its round
/// trip. Prints `[{"pointer", "error"}]`, `error` null when the round trip kept the value.
pub fn examples_main(table: &[(&str, RoundTrip)]) {
    let args: Vec<String> = std::env::args().collect();
    let doc = Document::read(&args[1]);
    let text = std::fs::read_to_string(&args[2]).expect("the examples file");
    let examples: Vec<Value> = serde_json::from_str(&text).expect("the examples as JSON");
    let table: BTreeMap<&str, RoundTrip> = table.iter().copied().collect();
    let mut report = Vec::new();
    for example in &examples {
        let pointer = example["pointer"].as_str().expect("a pointer");
        let schema_pointer = example["schema"].as_str().expect("a schema pointer");
        let value = &example["value"];
        let error = match table.get(pointer) {
            None => Some("the harness has no round trip for this example".to_owned()),
            Some(run) => match run(value.clone()) {
                Err(error) => Some(error),
                Ok(back) => {
                    let schema = doc
                        .get(schema_pointer)
                        .map(|schema| (schema, schema_pointer));
                    equivalent(&doc, schema, value, &back, "").err()
                }
            },
        };
        report.push(json!({ "pointer": pointer, "error": error }));
    }
    println!("{}", Value::Array(report));
}

/// One schema of a fixture and the round trip through its generated type.
pub struct Case {
    pub fixture: &'static str,
    pub pointer: &'static str,
    pub type_name: &'static str,
    pub run: RoundTrip,
}

/// The `main` of the property-test binary: `BIN CASES NAME=DOCUMENT.json…`. For each
/// case, `CASES` values built from its schema go through the round trip. Prints
/// `[{"fixture", "pointer", "type", "cases", "error", "value"}]`: `error` and the
/// (shrunk) `value` that caused it are null when every case passed.
pub fn property_main(cases: &[Case]) {
    let args: Vec<String> = std::env::args().collect();
    let count: u32 = args[1].parse().expect("a number of cases");
    let docs: BTreeMap<&str, Document> = args[2..]
        .iter()
        .map(|arg| {
            let (name, path) = arg.split_once('=').expect("NAME=PATH");
            (name, Document::read(path))
        })
        .collect();
    let mut report = Vec::new();
    for case in cases {
        let doc = &docs[case.fixture];
        let Some(node) = doc.get(case.pointer) else {
            report.push(json!({
                "fixture": case.fixture, "pointer": case.pointer, "type": case.type_name,
                "cases": 0, "error": null, "value": null, "skipped": "no schema at this pointer",
            }));
            continue;
        };
        let strategy = strategy(doc, node, case.pointer, 0);
        let config = Config {
            cases: count,
            failure_persistence: None,
            rng_algorithm: RngAlgorithm::ChaCha,
            max_shrink_iters: 512,
            ..Config::default()
        };
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed(case.fixture, case.pointer));
        let mut runner = TestRunner::new_with_rng(config, rng);
        let run = case.run;
        let result = runner.run(&strategy, |value| {
            let back = run(value.clone()).map_err(TestCaseError::fail)?;
            equivalent(doc, Some((node, case.pointer)), &value, &back, "")
                .map_err(TestCaseError::fail)
        });
        let (error, value) = match result {
            Ok(()) => (None, None),
            Err(TestError::Fail(reason, value)) => (Some(reason.to_string()), Some(value)),
            Err(TestError::Abort(reason)) => (Some(format!("aborted: {reason}")), None),
        };
        report.push(json!({
            "fixture": case.fixture, "pointer": case.pointer, "type": case.type_name,
            "cases": count, "error": error, "value": value, "skipped": null,
        }));
    }
    println!("{}", Value::Array(report));
}

/// A fixed seed per schema, so every run builds the same values.
fn seed(fixture: &str, pointer: &str) -> [u8; 32] {
    // FNV-1a, spread over the 32 bytes.
    let mut seed = [0u8; 32];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (index, byte) in fixture
        .bytes()
        .chain([0])
        .chain(pointer.bytes())
        .enumerate()
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        seed[index % 32] ^= (hash >> 24) as u8;
    }
    for (index, byte) in seed.iter_mut().enumerate() {
        *byte ^= (hash >> (8 * (index % 8))) as u8;
    }
    seed
}
