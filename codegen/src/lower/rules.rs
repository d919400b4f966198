//! The constraints of the schemas, for the server side: every schema a parameter, a
//! body, a response body or a response header holds becomes one [`Rule`] (read from the
//! description as it is, `allOf` and all, not from the types the lowering made of it),
//! each schema once however many places name it, recursive ones through indexes. The
//! generated server checks requests against them; the mock makes its answers from them
//! and from the examples of the Media Type Objects, kept here too.

use std::collections::BTreeMap;

use serde_json::Value;

use super::operations::swagger_schema;
use crate::load::{child, Document, Version};
use crate::model::{header_key, Api, Rule, RuleValue, Rules, Status};

/// How many rules one description may make: past it, a schema is a rule that allows
/// anything (a description is untrusted input, and the table is compiled).
const MAX_RULES: usize = 200_000;

/// How deep reading schemas may recurse before a schema's rule is read later, from the
/// outermost call: a chain of thousands of `$ref`s (each schema's member the next
/// schema) must not grow the stack with it.
const MAX_DEPTH: usize = 32;

/// The rules of every schema `api`'s operations reach, with the examples of their
/// response bodies.
pub fn rules(doc: &Document, api: &Api) -> Rules {
    let mut builder = Builder {
        doc,
        rules: Rules::default(),
        ids: BTreeMap::new(),
        patterns: BTreeMap::new(),
        depth: 0,
        deferred: Vec::new(),
    };
    // Rule 0 allows anything: the rule of what the description gives no schema.
    builder.any("");
    for op in &api.operations {
        for param in &op.params {
            if param.pointer.is_empty() {
                continue;
            }
            if let Some(node) = doc.get(&param.pointer) {
                let id = builder.param(node, &param.pointer);
                builder.rules.by_pointer.insert(param.pointer.clone(), id);
            }
        }
        let contents = op.body.iter().flat_map(|body| &body.contents);
        let responses = op.responses.iter().flat_map(|r| &r.contents);
        for content in contents.chain(responses) {
            if let Some(pointer) = &content.schema {
                if builder.rules.by_pointer.contains_key(pointer) {
                    continue;
                }
                if let Some(id) = builder.schema_at(pointer) {
                    builder.rules.by_pointer.insert(pointer.clone(), id);
                }
            }
            if let Some(media) = &content.media {
                let examples = media_examples(doc, media);
                if !examples.is_empty() {
                    builder.rules.examples.insert(media.clone(), examples);
                }
            }
        }
        builder.responses(&op.pointer);
    }
    builder.rules.patterns = {
        let mut patterns: Vec<(usize, String)> = builder
            .patterns
            .into_iter()
            .map(|(pattern, id)| (id, pattern))
            .collect();
        patterns.sort();
        patterns.into_iter().map(|(_, pattern)| pattern).collect()
    };
    builder.rules
}

struct Builder<'d> {
    doc: &'d Document,
    rules: Rules,
    /// The rule of each schema, by the pointer it is defined at.
    ids: BTreeMap<String, usize>,
    patterns: BTreeMap<String, usize>,
    /// How many rules are being read, one inside another.
    depth: usize,
    /// Rules claimed past [`MAX_DEPTH`], to read once the outermost read ends: the
    /// schema, the pointer of its children and the rule's index.
    deferred: Vec<(Value, String, usize)>,
}

impl Builder<'_> {
    /// The rule of the schema at `pointer`, if there is a node there.
    fn schema_at(&mut self, pointer: &str) -> Option<usize> {
        // A Swagger 2.0 form: the operation's `formData` parameters (the list at
        // `…/parameters`, no schema), as one object.
        if let Some(operation) = pointer.strip_suffix("/parameters") {
            if self.doc.version == Version::Swagger2 {
                let node = self.doc.get(operation)?;
                return Some(self.form(node, pointer));
            }
        }
        let node = self.doc.get(pointer)?;
        Some(self.rule(node, pointer))
    }

    /// The rule of a parameter: its `schema`, its `content`'s schema, or (Swagger 2.0)
    /// the parameter itself.
    fn param(&mut self, node: &Value, pointer: &str) -> usize {
        if let Some(schema) = node.get("schema") {
            return self.rule(schema, &child(pointer, "schema"));
        }
        if let Some(Value::Object(content)) = node.get("content") {
            if let Some((media_type, media)) = content.iter().next() {
                let media_pointer = child(&child(pointer, "content"), media_type);
                return match media.get("schema") {
                    Some(schema) => self.rule(schema, &child(&media_pointer, "schema")),
                    None => self.any(pointer),
                };
            }
        }
        if self.doc.version == Version::Swagger2 {
            let key = format!("{pointer} parameter");
            return self.rule_of_node(&swagger_schema(node), &key, pointer);
        }
        self.any(pointer)
    }

    /// The rule of a Swagger 2.0 form: an object of the operation's `formData`
    /// parameters.
    fn form(&mut self, operation: &Value, pointer: &str) -> usize {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        let params = operation
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (index, param) in params.iter().enumerate() {
            let at = child(pointer, &index.to_string());
            let Ok((_, param)) = self.doc.resolve(param, &at) else {
                continue;
            };
            if param.get("in").and_then(Value::as_str) != Some("formData") {
                continue;
            }
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            properties.insert(name.to_owned(), swagger_schema(param));
            if param.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.to_owned()));
            }
        }
        // The `formData` parameters are the form's fields, all of them: a field none
        // declares is refused, as Schemathesis reads Swagger 2.0 too.
        let schema = serde_json::json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        });
        self.rule_of_node(&schema, &format!("{pointer} form"), pointer)
    }

    /// The rules of the headers of every response of the operation at `pointer`, and
    /// the examples of Swagger 2.0 responses.
    fn responses(&mut self, pointer: &str) {
        let doc = self.doc;
        let Some(Value::Object(responses)) = doc.get(&child(pointer, "responses")) else {
            return;
        };
        for (key, response) in responses {
            let Some(status) = Status::parse(key) else {
                continue;
            };
            let at = child(&child(pointer, "responses"), key);
            let Ok((at, response)) = doc.resolve(response, &at) else {
                continue;
            };
            if let Some(Value::Object(examples)) = response.get("examples") {
                for (media_type, example) in examples {
                    self.rules.examples.insert(
                        header_key(pointer, status, media_type),
                        vec![example.to_string()],
                    );
                }
            }
            let Some(Value::Object(headers)) = response.get("headers") else {
                continue;
            };
            for (name, header) in headers {
                let header_at = child(&child(&at, "headers"), name);
                let Ok((header_at, header)) = doc.resolve(header, &header_at) else {
                    continue;
                };
                let id = match header.get("schema") {
                    Some(schema) => self.rule(schema, &child(&header_at, "schema")),
                    None if doc.version == Version::Swagger2 => {
                        let key = format!("{header_at} header");
                        self.rule_of_node(&swagger_schema(header), &key, &header_at)
                    }
                    None => self.any(&header_at),
                };
                self.rules
                    .by_pointer
                    .insert(header_key(pointer, status, name), id);
            }
        }
    }

    fn any(&mut self, pointer: &str) -> usize {
        let key = format!("{pointer} any");
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let id = self.push(Rule {
            pointer: pointer.to_owned(),
            types: ANY,
            ..Rule::default()
        });
        self.ids.insert(key, id);
        id
    }

    fn push(&mut self, rule: Rule) -> usize {
        self.rules.rules.push(rule);
        self.rules.rules.len() - 1
    }

    /// The rule of the schema `node` found at `pointer`, through its `$ref`s.
    fn rule(&mut self, node: &Value, pointer: &str) -> usize {
        let doc = self.doc;
        match doc.resolve(node, pointer) {
            Ok((resolved, node)) => self.rule_of_node(node, &resolved, &resolved),
            Err(_) => self.any(pointer),
        }
    }

    /// The rule of `node`, known by `key` (its pointer, or a name for a schema made from
    /// a parameter), at `pointer` for its children and messages.
    fn rule_of_node(&mut self, node: &Value, key: &str, pointer: &str) -> usize {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        if self.rules.rules.len() >= MAX_RULES {
            return self.any("");
        }
        // Claim the index first, so a schema that reaches itself names it.
        let id = self.push(Rule::default());
        self.ids.insert(key.to_owned(), id);
        if self.depth >= MAX_DEPTH {
            self.deferred.push((node.clone(), pointer.to_owned(), id));
            return id;
        }
        self.read_into(node, pointer, id);
        if self.depth == 0 {
            while let Some((node, pointer, id)) = self.deferred.pop() {
                self.read_into(&node, &pointer, id);
            }
        }
        id
    }

    /// Reads `node` as the rule claimed at `id`, one level deeper.
    fn read_into(&mut self, node: &Value, pointer: &str, id: usize) {
        self.depth += 1;
        let rule = self.read(node, pointer);
        self.depth -= 1;
        self.rules.rules[id] = rule;
    }

    fn read(&mut self, node: &Value, pointer: &str) -> Rule {
        let mut rule = Rule {
            pointer: pointer.to_owned(),
            types: ANY,
            ..Rule::default()
        };
        let Value::Object(schema) = node else {
            // `true`, `{}` or a malformed schema: anything; `false`: nothing.
            if node == &Value::Bool(false) {
                rule.types = 0;
            }
            return rule;
        };
        let version = self.doc.version;
        rule.types = types_of(schema.get("type"));
        let nullable = schema.get("nullable") == Some(&Value::Bool(true))
            || schema.get("x-nullable") == Some(&Value::Bool(true));
        rule.nullable = nullable;
        if nullable && rule.types != ANY {
            rule.types |= NULL;
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            rule.values = values.iter().map(value).collect();
            if nullable && !rule.values.contains(&RuleValue::Null) {
                rule.values.push(RuleValue::Null);
            }
        }
        if let Some(constant) = schema.get("const") {
            rule.values = vec![value(constant)];
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            rule.types = STRING;
            rule.format = Some("binary".to_owned());
        } else if KNOWN_FORMATS.contains(&format) {
            rule.format = Some(format.to_owned());
        }
        let count = |key: &str| schema.get(key).and_then(Value::as_u64);
        let number = |key: &str| schema.get(key).and_then(Value::as_f64);
        rule.min_length = count("minLength");
        rule.max_length = count("maxLength");
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            let next = self.patterns.len();
            rule.pattern = Some(*self.patterns.entry(pattern.to_owned()).or_insert(next));
        }
        // 2.0 and 3.0 write `exclusiveMinimum: true` beside `minimum`; 3.1 makes it the
        // bound itself.
        rule.minimum = number("minimum").map(|value| {
            (
                value,
                schema.get("exclusiveMinimum") == Some(&Value::Bool(true)),
            )
        });
        rule.maximum = number("maximum").map(|value| {
            (
                value,
                schema.get("exclusiveMaximum") == Some(&Value::Bool(true)),
            )
        });
        if let Some(bound) = number("exclusiveMinimum") {
            if rule.minimum.is_none_or(|(value, _)| bound >= value) {
                rule.minimum = Some((bound, true));
            }
        }
        if let Some(bound) = number("exclusiveMaximum") {
            if rule.maximum.is_none_or(|(value, _)| bound <= value) {
                rule.maximum = Some((bound, true));
            }
        }
        rule.multiple_of = number("multipleOf").filter(|step| *step > 0.0);
        if let Some(items) = schema.get("items").filter(|items| !items.is_array()) {
            rule.items = Some(self.rule(items, &child(pointer, "items")));
        }
        rule.min_items = count("minItems");
        rule.max_items = count("maxItems");
        rule.unique_items = schema.get("uniqueItems") == Some(&Value::Bool(true));
        if let Some(Value::Object(properties)) = schema.get("properties") {
            let at = child(pointer, "properties");
            for (name, property) in properties {
                let id = self.rule(property, &child(&at, name));
                rule.properties.push((name.clone(), id));
            }
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            rule.required = required
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        let patterned =
            matches!(schema.get("patternProperties"), Some(Value::Object(p)) if !p.is_empty());
        rule.additional = match schema.get("additionalProperties") {
            _ if patterned => None,
            Some(Value::Bool(false)) => Some(None),
            Some(Value::Object(additional)) if !additional.is_empty() => {
                let node = schema.get("additionalProperties").unwrap_or(&Value::Null);
                Some(Some(
                    self.rule(node, &child(pointer, "additionalProperties")),
                ))
            }
            _ => None,
        };
        rule.min_properties = count("minProperties");
        rule.max_properties = count("maxProperties");
        for (key, list) in [
            ("allOf", &mut rule.all_of),
            ("anyOf", &mut rule.any_of),
            ("oneOf", &mut rule.one_of),
        ] {
            if let Some(Value::Array(schemas)) = schema.get(key) {
                let at = child(pointer, key);
                for (index, each) in schemas.iter().enumerate() {
                    list.push(self.rule(each, &child(&at, &index.to_string())));
                }
            }
        }
        if let Some(not) = schema.get("not") {
            rule.not = Some(self.rule(not, &child(pointer, "not")));
        }
        if version != Version::Swagger2 {
            rule.discriminator = self.discriminator(schema, pointer);
        }
        rule.read_only = schema.get("readOnly") == Some(&Value::Bool(true));
        rule.write_only = schema.get("writeOnly") == Some(&Value::Bool(true));
        rule
    }

    /// The discriminator of a `oneOf` or `anyOf`: each value of its `mapping`, and each
    /// alternative that is a `$ref` to a named schema by that name.
    fn discriminator(
        &mut self,
        schema: &serde_json::Map<String, Value>,
        pointer: &str,
    ) -> Option<(String, Vec<(String, usize)>)> {
        let discriminator = schema.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?.to_owned();
        let key = if schema.contains_key("oneOf") {
            "oneOf"
        } else if schema.contains_key("anyOf") {
            "anyOf"
        } else {
            return None;
        };
        let alternatives = schema.get(key)?.as_array()?;
        let mut mapping = Vec::new();
        if let Some(Value::Object(explicit)) = discriminator.get("mapping") {
            for (value, target) in explicit {
                let Some(target) = target.as_str() else {
                    continue;
                };
                let reference = if target.contains('#') || target.contains('/') {
                    target.to_owned()
                } else {
                    format!("#/components/schemas/{target}")
                };
                let node = serde_json::json!({ "$ref": reference });
                let id = self.rule(&node, &child(pointer, "discriminator"));
                mapping.push((value.clone(), id));
            }
        }
        let at = child(pointer, key);
        let mut implicit = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let Some(reference) = alternative.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let name = reference.rsplit('/').next().unwrap_or_default().to_owned();
            let id = self.rule(alternative, &child(&at, &index.to_string()));
            let mapped = mapping.iter().any(|(_, target)| *target == id);
            if mapped {
                continue;
            }
            if !mapping.iter().any(|(value, _)| *value == name) {
                mapping.push((name, id));
            }
            implicit.push(id);
        }
        // As the client reads it: a branch the mapping leaves out is also named by the
        // values its own property allows (`type: enum [song]`), once every branch has
        // its explicit names, so a value that is another branch's name stays that one's.
        for id in implicit {
            for value in self.held_values(id, &property, 0) {
                if !mapping.iter().any(|(taken, _)| *taken == value) {
                    mapping.push((value, id));
                }
            }
        }
        Some((property, mapping))
    }

    /// The string values the rule `id` allows its property `property`, through its
    /// `allOf` members; none when it allows any.
    fn held_values(&self, id: usize, property: &str, depth: usize) -> Vec<String> {
        let Some(rule) = self.rules.rules.get(id).filter(|_| depth < 16) else {
            return Vec::new();
        };
        if let Some((_, at)) = rule.properties.iter().find(|(name, _)| name == property) {
            let held: Vec<String> = self.rules.rules[*at]
                .values
                .iter()
                .filter_map(|value| match value {
                    RuleValue::String(value) => Some(value.clone()),
                    _ => None,
                })
                .collect();
            if !held.is_empty() {
                return held;
            }
        }
        rule.all_of
            .iter()
            .map(|member| self.held_values(*member, property, depth + 1))
            .find(|held| !held.is_empty())
            .unwrap_or_default()
    }
}

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const INTEGER: u8 = 4;
const NUMBER: u8 = 8;
const STRING: u8 = 16;
const ARRAY: u8 = 32;
const OBJECT: u8 = 64;
const ANY: u8 = 127;

/// The formats the runtime checks.
const KNOWN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "uuid",
    "ipv4",
    "ipv6",
    "int32",
    "int64",
    "byte",
    "binary",
    "uri",
];

fn types_of(node: Option<&Value>) -> u8 {
    let one = |name: &str| match name {
        "null" => NULL,
        "boolean" => BOOLEAN,
        "integer" => INTEGER,
        "number" => NUMBER | INTEGER,
        "string" => STRING,
        "array" => ARRAY,
        "object" => OBJECT,
        _ => ANY,
    };
    match node {
        Some(Value::String(name)) => one(name),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .fold(0, |all, name| all | one(name)),
        _ => ANY,
    }
}

fn value(node: &Value) -> RuleValue {
    match node {
        Value::Null => RuleValue::Null,
        Value::Bool(value) => RuleValue::Bool(*value),
        Value::Number(number) => RuleValue::Number(number.as_f64().unwrap_or_default()),
        Value::String(text) => RuleValue::String(text.clone()),
        other => RuleValue::Json(other.to_string()),
    }
}

/// The examples of the Media Type Object at `pointer`: `example`, then each of
/// `examples`' values, as JSON texts.
fn media_examples(doc: &Document, pointer: &str) -> Vec<String> {
    let Some(media) = doc.get(pointer) else {
        return Vec::new();
    };
    let mut examples = Vec::new();
    if let Some(example) = media.get("example") {
        examples.push(example.to_string());
    }
    if let Some(Value::Object(named)) = media.get("examples") {
        let at = child(pointer, "examples");
        for (name, example) in named {
            let Ok((_, example)) = doc.resolve(example, &child(&at, name)) else {
                continue;
            };
            if let Some(value) = example.get("value") {
                examples.push(value.to_string());
            }
        }
    }
    examples
}
