//! Values to send: for a parameter or a body, the description's own example where it
//! gives one, else a value made from the schema, optional properties included. Made
//! from the raw description (its JSON, `$ref`s and all), never from the generator's
//! model, so what is sent checks the generated types against the description.
//! Deterministic: the same description gives the same values.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{json, Map, Value};

/// What a URI fragment cannot hold as it is.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'%');

/// Deeper than this, only required properties are filled in; deeper still, nothing.
const DEPTH: usize = 6;

pub struct Values<'d> {
    doc: &'d Value,
    rng: StdRng,
    checks: &'d mut Checks,
    /// Values no choice can make valid: where, and why.
    pub impossible: Vec<String>,
}

/// Validators of the description's schemas by pointer, to tell which alternatives of a
/// `oneOf` a value matches (it must match exactly one). Built on the whole description,
/// so its `$ref`s resolve; kept across operations.
pub struct Checks {
    root: Value,
    draft: jsonschema::Draft,
    by_pointer: std::collections::HashMap<String, Option<jsonschema::Validator>>,
}

impl Checks {
    pub fn new(doc: &Value) -> Checks {
        let draft = match doc.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.1") => jsonschema::Draft::Draft202012,
            _ => jsonschema::Draft::Draft4,
        };
        Checks {
            root: doc.clone(),
            draft,
            by_pointer: std::collections::HashMap::new(),
        }
    }

    /// Whether `value` matches the schema at `pointer`; a schema the validator cannot
    /// read (Swagger's `type: file`) matches anything.
    fn matches(&mut self, pointer: &str, value: &Value) -> bool {
        self.errors(pointer, value) == 0
    }

    /// How many ways `value` breaks the schema at `pointer`.
    fn errors(&mut self, pointer: &str, value: &Value) -> usize {
        if !self.by_pointer.contains_key(pointer) {
            // The description as the root schema, `$ref`ing the one wanted: draft 4 reads
            // nothing beside a `$ref`, and later drafts ignore the unknown keywords.
            // A `$ref` is a URI: `{` and `}` of path templates must be percent-encoded.
            let reference: String =
                percent_encoding::utf8_percent_encode(pointer, FRAGMENT).collect();
            self.root["$ref"] = Value::String(reference);
            let validator = jsonschema::options()
                .with_draft(self.draft)
                .build(&self.root)
                .ok();
            self.by_pointer.insert(pointer.to_owned(), validator);
        }
        match &self.by_pointer[pointer] {
            Some(validator) => validator.iter_errors(value).count(),
            None => 0,
        }
    }

    /// The first way `value` breaks the schema at `pointer`, if it does.
    pub fn problem(&mut self, pointer: &str, value: &Value) -> Option<String> {
        self.errors(pointer, value);
        let validator = self.by_pointer[pointer].as_ref()?;
        let error = validator.iter_errors(value).next()?;
        Some(format!("{} (at `{}`)", error, error.instance_path()))
    }

    /// `object` without the members that break the schema at `pointer`: some schemas
    /// cannot hold every optional property at once (Camunda's `page` is a `oneOf` whose
    /// alternatives all match the same objects, and an `allOf` member with
    /// `additionalProperties: false` refuses the properties of the others). A member is
    /// left out when that leaves fewer problems; a required one never does.
    fn repair(&mut self, pointer: &str, object: &mut Map<String, Value>) {
        let mut errors = self.errors(pointer, &Value::Object(object.clone()));
        let keys: Vec<String> = object.keys().cloned().collect();
        for key in keys {
            if errors == 0 {
                return;
            }
            let mut without = object.clone();
            without.remove(&key);
            let fewer = self.errors(pointer, &Value::Object(without.clone()));
            if fewer < errors {
                *object = without;
                errors = fewer;
            }
        }
    }
}

impl<'d> Values<'d> {
    /// Values from `doc`, seeded by `seed` (the operation's id).
    pub fn new(doc: &'d Value, seed: &str, checks: &'d mut Checks) -> Self {
        let seed = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
        });
        Values {
            doc,
            rng: StdRng::seed_from_u64(seed),
            checks,
            impossible: Vec::new(),
        }
    }

    /// The node a local pointer names, through any `$ref`s, with its own pointer.
    pub fn at(&self, pointer: &str) -> Option<(String, &'d Value)> {
        let node = self.doc.pointer(&unescape(pointer.strip_prefix('#')?))?;
        Some(self.resolve(pointer.to_owned(), node))
    }

    fn resolve(&self, mut pointer: String, mut node: &'d Value) -> (String, &'d Value) {
        for _ in 0..32 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match target
                .strip_prefix('#')
                .and_then(|p| self.doc.pointer(&unescape(p)))
            {
                Some(found) => {
                    pointer = target.to_owned();
                    node = found;
                }
                None => break,
            }
        }
        (pointer, node)
    }

    /// A value for the parameter at `pointer`: its example, or one from its schema
    /// (Swagger 2.0 parameters are their own schema).
    pub fn param(&mut self, pointer: &str) -> Value {
        let Some((pointer, param)) = self.at(pointer) else {
            return Value::String("value".to_owned());
        };
        if let Some(example) = example_of(param) {
            return example;
        }
        let in_content = param
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.iter().next());
        let (schema_pointer, schema) = match (param.get("schema"), in_content) {
            (Some(schema), _) => (format!("{pointer}/schema"), schema),
            (None, Some((media_type, media))) if media.get("schema").is_some() => (
                format!("{pointer}/content/{}/schema", escape(media_type)),
                &media["schema"],
            ),
            _ => (pointer, param),
        };
        let in_path = param.get("in") == Some(&json!("path"));
        let value = self.value(schema, &schema_pointer, 0, !in_path);
        self.check(&schema_pointer, &value);
        value
    }

    /// Notes `value` as impossible when it breaks the schema at `pointer`: every choice
    /// has been tried by then, so the schema admits no value (a `oneOf` whose
    /// alternatives all accept the same values, say).
    fn check(&mut self, pointer: &str, value: &Value) {
        if let Some(problem) = self.checks.problem(pointer, value) {
            self.impossible.push(format!("{pointer}: {problem}"));
        }
    }

    /// A value for a body: the Media Type Object's example, or one from `schema`.
    pub fn body(&mut self, media: Option<&str>, schema: Option<&str>) -> Value {
        if let Some(example) = media
            .and_then(|m| self.at(m))
            .and_then(|(_, m)| example_of(m))
        {
            return example;
        }
        match schema.and_then(|s| self.at(s)) {
            // Swagger 2.0 forms: the operation's `formData` parameters are the fields.
            Some((pointer, Value::Array(params))) => {
                let mut form = Map::new();
                for (index, param) in params.iter().enumerate() {
                    let (param_pointer, param) = self.resolve(format!("{pointer}/{index}"), param);
                    if param.get("in") == Some(&json!("formData")) {
                        if let Some(name) = param.get("name").and_then(Value::as_str) {
                            form.insert(name.to_owned(), self.param(&param_pointer));
                        }
                    }
                }
                Value::Object(form)
            }
            Some((pointer, schema)) => {
                let value = self.value(schema, &pointer, 0, true);
                self.check(&pointer, &value);
                value
            }
            None => json!({}),
        }
    }

    /// A value of `schema`. `pairs` lets a list have two items, so that separators and
    /// `explode` show; a path list gets one (see the Prism defect in `classify`).
    fn value(&mut self, schema: &'d Value, pointer: &str, depth: usize, pairs: bool) -> Value {
        let (pointer, schema) = self.resolve(pointer.to_owned(), schema);
        let pointer = pointer.as_str();
        if depth > DEPTH + 4 {
            return Value::Null;
        }
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|values| values.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        if let Some(example) = example_of(schema) {
            if fits(&example, schema) {
                return example;
            }
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, pointer, members, depth, pairs);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
                return self.alternative(
                    schema,
                    &format!("{pointer}/{keyword}"),
                    members,
                    depth,
                    pairs,
                );
            }
        }
        match type_of(schema) {
            Some("object") => self.object(schema, pointer, depth, pairs),
            Some("array") => self.array(schema, pointer, depth, pairs),
            Some("string") => self.string(schema),
            Some("integer") => Value::from(integer(schema)),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("file") => Value::String("file contents".to_owned()),
            _ => Value::String("value".to_owned()),
        }
    }

    /// A value of one alternative of a `oneOf`/`anyOf` at `base`: the first whose value
    /// matches that alternative alone (a `oneOf` must match exactly one), else the first.
    fn alternative(
        &mut self,
        parent: &'d Value,
        base: &str,
        members: &'d [Value],
        depth: usize,
        pairs: bool,
    ) -> Value {
        let mut first = None;
        for (index, member) in members.iter().enumerate() {
            if member.get("type") == Some(&json!("null")) {
                continue;
            }
            let pointer = format!("{base}/{index}");
            let mut value = self.value(member, &pointer, depth + 1, pairs);
            self.tag(parent, member, &mut value);
            let matching = (0..members.len())
                .filter(|other| self.checks.matches(&format!("{base}/{other}"), &value))
                .count();
            if matching == 1 {
                return value;
            }
            first.get_or_insert(value);
        }
        first.unwrap_or(Value::Null)
    }

    /// The discriminator of a `oneOf`'s parent set to the value that selects `member`.
    fn tag(&self, parent: &Value, member: &Value, value: &mut Value) {
        let Some(property) = parent
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
        else {
            return;
        };
        let Some(target) = member.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let mapped = parent
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .and_then(|mapping| {
                mapping
                    .iter()
                    .find(|(_, to)| to.as_str() == Some(target))
                    .map(|(tag, _)| tag.clone())
            });
        let tag =
            mapped.unwrap_or_else(|| target.rsplit('/').next().unwrap_or_default().to_owned());
        if let Value::Object(object) = value {
            object.insert(property.to_owned(), Value::String(tag));
        }
    }

    fn all_of(
        &mut self,
        schema: &'d Value,
        pointer: &str,
        members: &'d [Value],
        depth: usize,
        pairs: bool,
    ) -> Value {
        let mut merged = Map::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{index}");
            match self.value(member, &member_pointer, depth + 1, pairs) {
                Value::Object(part) => merged.extend(part),
                // `allOf` of a string (a description and a `$ref`): that string.
                Value::Null => {}
                other => return other,
            }
        }
        if let Value::Object(own) = self.object(schema, pointer, depth, pairs) {
            merged.extend(own);
        }
        self.checks.repair(pointer, &mut merged);
        Value::Object(merged)
    }

    fn object(&mut self, schema: &'d Value, pointer: &str, depth: usize, pairs: bool) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut object = Map::new();
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                let property_pointer = format!("{pointer}/properties/{}", escape(name));
                let (_, property_schema) = self.resolve(property_pointer.clone(), property);
                let read_only = property_schema.get("readOnly") == Some(&json!(true));
                let wanted = required.contains(&name.as_str()) || depth < DEPTH;
                if read_only || !wanted {
                    continue;
                }
                let value = self.value(property, &property_pointer, depth + 1, pairs);
                if !value.is_null() || required.contains(&name.as_str()) {
                    object.insert(name.clone(), value);
                }
            }
        }
        self.checks.repair(pointer, &mut object);
        if object.is_empty() {
            if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
                let values_pointer = format!("{pointer}/additionalProperties");
                let value = self.value(values, &values_pointer, depth + 1, pairs);
                object.insert("key".to_owned(), value);
            }
        }
        Value::Object(object)
    }

    fn array(&mut self, schema: &'d Value, pointer: &str, depth: usize, pairs: bool) -> Value {
        let Some(items) = schema.get("items") else {
            return json!([]);
        };
        let items_pointer = format!("{pointer}/items");
        let first = self.value(items, &items_pointer, depth + 1, pairs);
        let min = schema
            .get("minItems")
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .max(1);
        let max = schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        let unique = schema.get("uniqueItems") == Some(&json!(true));
        let count = if pairs { min.max(2).min(max) } else { min };
        let mut list = vec![first.clone()];
        while (list.len() as u64) < count {
            let next = match self.other_item(items, &items_pointer, &list, depth) {
                Some(next) => next,
                None if unique => break,
                None => first.clone(),
            };
            list.push(next);
        }
        Value::Array(list)
    }

    /// An item of `items` unlike those of `list`, if one comes easily.
    fn other_item(
        &mut self,
        items: &'d Value,
        pointer: &str,
        list: &[Value],
        depth: usize,
    ) -> Option<Value> {
        let (pointer, items) = self.resolve(pointer.to_owned(), items);
        if let Some(values) = items.get("enum").and_then(Value::as_array) {
            return values
                .iter()
                .find(|v| !v.is_null() && !list.contains(v))
                .cloned();
        }
        let candidate = match type_of(items) {
            Some("string") if items.get("pattern").is_some() => self.string(items),
            Some("string") if items.get("format").is_none() => {
                let text = format!("{}2", self.string(items).as_str().unwrap_or_default());
                Value::String(text)
            }
            Some("integer") => Value::from(integer(items) + 1),
            _ => self.value(items, &pointer, depth + 1, true),
        };
        (!list.contains(&candidate) && fits(&candidate, items)).then_some(candidate)
    }

    fn string(&mut self, schema: &Value) -> Value {
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let text = match format {
            "date-time" => "2024-05-04T09:42:00+01:00".to_owned(),
            "date" => "2024-05-04".to_owned(),
            "time" => "09:42:00".to_owned(),
            "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_owned(),
            "email" => "user@example.com".to_owned(),
            "uri" | "url" | "uri-reference" => "https://example.com/a".to_owned(),
            "hostname" => "example.com".to_owned(),
            "ipv4" => "192.0.2.1".to_owned(),
            "ipv6" => "2001:db8::1".to_owned(),
            "byte" => "aGVsbG8=".to_owned(),
            "binary" => "file contents".to_owned(),
            _ => match schema.get("pattern").and_then(Value::as_str) {
                Some(pattern) => self.matching(pattern, schema),
                None => "text".to_owned(),
            },
        };
        Value::String(fit_length(text, schema))
    }

    /// A string matching `pattern` (and the length limits), made by `rand_regex` from
    /// this run's seed; `text` when none comes.
    fn matching(&mut self, pattern: &str, schema: &Value) -> String {
        // Anchors are implicit in a generator, which refuses them.
        let bare = pattern.strip_prefix('^').unwrap_or(pattern);
        let bare = bare
            .strip_suffix('$')
            .filter(|b| !b.ends_with('\\'))
            .unwrap_or(bare);
        let (Ok(generator), Ok(check)) = (
            rand_regex::Regex::compile(bare, 8),
            regex::Regex::new(pattern),
        ) else {
            return "text".to_owned();
        };
        for _ in 0..64 {
            let text: String = self.rng.sample(&generator);
            let length = text.chars().count() as u64;
            let long_enough = schema
                .get("minLength")
                .and_then(Value::as_u64)
                .is_none_or(|m| length >= m);
            let short_enough = schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .is_none_or(|m| length <= m);
            // Values travel in paths and queries: no dot segment, no empty value.
            let plain = !text.is_empty() && text != "." && text != "..";
            if check.is_match(&text) && long_enough && short_enough && plain {
                return text;
            }
        }
        "text".to_owned()
    }
}

/// The example a node gives: `example`, the first of `examples` (a list of values, or a
/// map of Example Objects), or Swagger's `x-example`.
fn example_of(node: &Value) -> Option<Value> {
    if let Some(example) = node.get("example").or_else(|| node.get("x-example")) {
        return Some(example.clone());
    }
    match node.get("examples")? {
        Value::Array(list) => list.first().cloned(),
        Value::Object(map) => map.values().next()?.get("value").cloned(),
        _ => None,
    }
}

/// Whether an example has the JSON type its schema says (descriptions' examples are not
/// always right: Elastic's `env` example is a string where the schema says array).
fn fits(value: &Value, schema: &Value) -> bool {
    match type_of(schema) {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    }
}

/// The one non-null `type` of a schema, or what its keywords imply.
fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            Some("object")
        }
        _ if schema.get("items").is_some() => Some("array"),
        _ => None,
    }
}

fn integer(schema: &Value) -> i64 {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut value = match (bound("minimum"), bound("exclusiveMinimum")) {
        (Some(min), _) => min.ceil() as i64,
        (None, Some(min)) => min.floor() as i64 + 1,
        (None, None) => 1,
    };
    if schema.get("exclusiveMinimum") == Some(&json!(true)) {
        value += 1;
    }
    if let Some(max) = bound("maximum") {
        value = value.min(max.floor() as i64);
    }
    if let Some(step) = bound("multipleOf").filter(|s| *s >= 1.0) {
        let step = step as i64;
        value = (value + step - 1) / step * step;
    }
    value
}

fn number(schema: &Value) -> Value {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut value = bound("minimum").unwrap_or(1.5);
    if let Some(max) = bound("maximum") {
        value = value.min(max);
    }
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// `text` padded or cut to the schema's length limits.
fn fit_length(mut text: String, schema: &Value) -> String {
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text = text.chars().take(max.max(1)).collect();
    }
    text
}

/// `segment` escaped for a JSON pointer.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer fragment with `~1` and `~0` left escaped (serde_json reads them) and
/// percent-encoding removed.
fn unescape(pointer: &str) -> String {
    percent_encoding::percent_decode_str(pointer)
        .decode_utf8_lossy()
        .into_owned()
}
