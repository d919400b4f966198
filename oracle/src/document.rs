//! A description as JSON, read the way the format says and never through the generator:
//! pointers, `$ref`s (within the document), nullability, types, `allOf` merged into one
//! object view, and the alternatives of `oneOf`/`anyOf`/polymorphic parents. The one
//! independent reader of descriptions that the tests, the Prism harness and the fuzz
//! targets share.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// A description, as JSON, with what reading its schemas needs.
pub struct Document {
    /// The whole description.
    pub root: Value,
    /// Where named schemas are: `#/components/schemas` or (Swagger 2.0) `#/definitions`.
    pub components: &'static str,
    /// Polymorphic parents (a named schema with a `discriminator` and no `oneOf`/`anyOf`)
    /// by pointer, with the schemas that extend them through `allOf`: tag and pointer.
    pub children: BTreeMap<String, Vec<(String, String)>>,
}

impl Document {
    /// The description `root`, with where its named schemas are and its polymorphic
    /// parents found.
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

    /// The description in the file at `path`: JSON, or YAML with merge keys applied and
    /// scalar keys read as text (`200:` is the key `"200"`).
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let root = parse(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        Ok(Document::new(root))
    }

    /// The version of the format: `"2.0"`, `"3.0.3"`, `"3.1.0"` …
    pub fn version(&self) -> &str {
        ["openapi", "swagger"]
            .iter()
            .find_map(|key| self.root.get(*key).and_then(Value::as_str))
            .unwrap_or("")
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
    /// in the mapping, else the one value the target's own discriminating property allows
    /// (`type: {enum: [track]}`, what a server writes), else its name (the implicit
    /// mapping).
    pub fn tag(&self, parent: &Value, target: &str) -> String {
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
        let held = discriminator_property(parent).and_then(|property| {
            let node = self.get(target)?;
            let view = ObjectView::of(self, node, target);
            let (schema, pointer) = view.property(&property)?;
            let (_, schema) = self.resolve(schema, pointer);
            match (schema.get("const"), schema.get("enum")) {
                (Some(Value::String(value)), _) => Some(value.clone()),
                (_, Some(Value::Array(values))) => values.first()?.as_str().map(str::to_owned),
                _ => None,
            }
        });
        held.unwrap_or_else(|| last_segment(target))
    }
}

/// The text of a pointer's fragment, percent-decoding undone (`%7B` is `{`).
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// JSON as it is; anything else as YAML.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|error| error.to_string());
    }
    let mut yaml: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|error| error.to_string())?;
    yaml.apply_merge().map_err(|error| error.to_string())?;
    yaml_to_json(yaml)
}

fn yaml_to_json(yaml: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut object = serde_json::Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => return Err(format!("a key that is not a scalar: {other:?}")),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

/// `base` extended by one escaped segment.
pub fn child(base: &str, segment: &str) -> String {
    format!("{base}/{}", segment.replace('~', "~0").replace('/', "~1"))
}

/// The last segment of `pointer`, unescaped (`~1` is `/`, `~0` is `~`).
pub fn last_segment(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace("~1", "/")
        .replace("~0", "~")
}

/// The property a schema's `discriminator` names (OpenAPI's `propertyName`, or Swagger
/// 2.0's string).
pub fn discriminator_property(node: &Value) -> Option<String> {
    match node.get("discriminator")? {
        Value::String(property) => Some(property.clone()),
        discriminator => Some(discriminator.get("propertyName")?.as_str()?.to_owned()),
    }
}

/// `null` is allowed: `nullable`, `x-nullable`, `null` among the types or a member of
/// `oneOf`/`anyOf` that allows it (`type: "null"`, or a nullable branch written inline).
pub fn is_nullable(node: &Value) -> bool {
    let flag = |key: &str| node.get(key) == Some(&Value::Bool(true));
    let null_type = match node.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        Some(Value::String(t)) => t == "null",
        _ => false,
    };
    let null_member = ["oneOf", "anyOf"].iter().any(|keyword| {
        node.get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(is_nullable))
    });
    flag("nullable") || flag("x-nullable") || null_type || null_member
}

/// `null` is valid: the schema says so, or says nothing that would exclude it (`{}`).
pub fn permits_null(node: &Value) -> bool {
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

/// Whether the schema is `type: null`.
pub fn is_null_schema(node: &Value) -> bool {
    node.get("type").and_then(Value::as_str) == Some("null")
}

/// The non-null types a schema names, or infers from `properties` or `items`.
pub fn types(node: &Value) -> Vec<String> {
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

/// The schema's `format`, or `""`.
pub fn format_of(node: &Value) -> &str {
    node.get("format").and_then(Value::as_str).unwrap_or("")
}

/// An object schema with its `allOf` members merged in.
#[derive(Default)]
pub struct ObjectView {
    /// Name, schema and schema pointer, in order of appearance; a later member's
    /// definition of a property replaces an earlier one.
    pub properties: Vec<(String, Value, String)>,
    /// The properties any of them requires.
    pub required: BTreeSet<String>,
    /// What they say of properties they do not list.
    pub additional: Additional,
}

/// What an object schema says of properties it does not list (`additionalProperties`).
#[derive(Default, Clone)]
pub enum Additional {
    /// No `additionalProperties`: other properties are allowed, but nothing says what.
    #[default]
    Unsaid,
    /// `false`: no other property.
    False,
    /// `true`: any other property.
    True,
    /// Other properties of this schema, at this pointer.
    Schema(Value, String),
}

impl ObjectView {
    /// The object schema `node` at `pointer`, its `allOf` members merged in.
    pub fn of(doc: &Document, node: &Value, pointer: &str) -> ObjectView {
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

    /// The schema of the property `name` and its pointer, if the object lists it.
    pub fn property(&self, name: &str) -> Option<(&Value, &str)> {
        self.properties
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, schema, pointer)| (schema, pointer.as_str()))
    }
}

/// The one member an `allOf` stands for: a schema whose `allOf` has one member that says
/// something of the value (the others only annotate) and that adds no properties of its
/// own is that member, whatever else it says (`type: object` beside a `oneOf` member).
pub fn single_member<'v>(node: &'v Value, pointer: &str) -> Option<(&'v Value, String)> {
    let members = node.get("allOf")?.as_array()?;
    let own = node
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        || node.get("additionalProperties").is_some();
    if own {
        return None;
    }
    let mut typed = members
        .iter()
        .enumerate()
        .filter(|(_, member)| !is_annotation(member));
    let (index, member) = typed.next()?;
    if typed.next().is_some() {
        return None;
    }
    Some((member, child(&child(pointer, "allOf"), &index.to_string())))
}

/// Whether a schema only annotates (docs, examples, extensions): as an `allOf` member it
/// adds nothing.
pub fn is_annotation(node: &Value) -> bool {
    const ANNOTATIONS: &[&str] = &[
        "description",
        "title",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "deprecated",
    ];
    node.as_object().is_some_and(|fields| {
        !fields.is_empty()
            && fields
                .keys()
                .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"))
    })
}

/// Whether a schema describes objects through `properties`, `allOf` members with them, or
/// `type: object`.
pub fn is_object_like(doc: &Document, node: &Value, pointer: &str, depth: usize) -> bool {
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
pub type Alternative = (Value, String, Option<(String, String)>);

/// The alternatives of a schema: `oneOf`/`anyOf` members that are not `null`, the children
/// of a polymorphic parent, or one schema per type of a 3.1 `type` array. Each comes with
/// its pointer and the discriminator value it must carry, if any.
pub fn alternatives(doc: &Document, node: &Value, pointer: &str) -> Vec<Alternative> {
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
