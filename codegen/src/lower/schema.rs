//! Schemas to Rust types. Named schemas get a [`TypeId`] before any is converted (two-phase
//! registration), so forward and cyclic `$ref`s resolve; inline schemas that need a type of
//! their own are named after where they appear and memoised by pointer, so a schema reached
//! through several `$ref`s becomes one type. Recursive fields are boxed at the end.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::error::{Diagnostic, Error, Result};
use crate::load::{child, last_segment, ref_of, Document, Version};
use crate::model::{
    EnumVariant, Field, IntEnum, Literal, OneOf, OneOfVariant, StringEnum, Struct, Ty, TypeDef,
    TypeId, TypeKind,
};
use crate::naming::{field_name, type_name, variant_name, Namespace};

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

/// What kind of Rust type a schema asks for.
enum Shape<'a> {
    /// Only a `$ref`.
    Ref,
    /// A wrapper around one other schema (`allOf`/`oneOf` with one member).
    Single(&'a Value, String),
    Struct,
    Enum(Vec<String>),
    IntEnum(Vec<i64>),
    OneOf,
    /// A primitive, list or map: needs no named type.
    Plain,
}

/// The schemas of one description, being converted.
pub struct Schemas<'d> {
    doc: &'d Document,
    types: Vec<TypeDef>,
    by_pointer: BTreeMap<String, TypeId>,
    names: Namespace,
    depth: usize,
    /// Named schemas with a `discriminator` that others extend through `allOf`: each
    /// becomes an enum of the schemas extending it (pointer of parent → of children).
    children: BTreeMap<String, Vec<String>>,
}

impl<'d> Schemas<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Schemas {
            doc,
            types: Vec::new(),
            by_pointer: BTreeMap::new(),
            names: Namespace::default(),
            depth: 0,
            children: BTreeMap::new(),
        }
    }

    /// Pointer of the map of named schemas in this version of the format.
    fn components_pointer(&self) -> &'static str {
        match self.doc.version {
            Version::Swagger2 => "#/definitions",
            Version::OpenApi30 | Version::OpenApi31 => "#/components/schemas",
        }
    }

    /// Phase one and two: every named schema gets its id and name, then its definition.
    pub fn define_components(&mut self) -> Result<()> {
        let base = self.components_pointer();
        let Some(Value::Object(schemas)) = self.doc.get(base) else {
            return Ok(());
        };
        let ids: Vec<TypeId> = schemas
            .keys()
            .map(|name| self.register(type_name(name, "Schema"), &child(base, name), None))
            .collect();
        self.find_children(schemas, base);
        let mut diagnostics = Vec::new();
        for (id, (name, node)) in ids.into_iter().zip(schemas) {
            if let Err(error) = self.define(id, node, &child(base, name)) {
                diagnostics.extend(error.diagnostics);
            }
        }
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(Error { diagnostics })
        }
    }

    /// Records which named schemas extend (by `allOf`) a named schema that has a
    /// discriminator but no `oneOf`: the parent of an inheritance hierarchy.
    fn find_children(&mut self, schemas: &serde_json::Map<String, Value>, base: &str) {
        for (name, node) in schemas {
            let pointer = child(base, name);
            let Some(members) = node.get("allOf").and_then(Value::as_array) else {
                continue;
            };
            for (index, member) in members.iter().enumerate() {
                let member_pointer = child(&child(&pointer, "allOf"), &index.to_string());
                let Ok((parent, parent_node)) = self.doc.resolve(member, &member_pointer) else {
                    continue;
                };
                let is_parent = discriminator_property(parent_node).is_some()
                    && parent_node.get("oneOf").is_none()
                    && parent_node.get("anyOf").is_none()
                    && self.by_pointer.contains_key(&parent)
                    && parent != pointer;
                if is_parent {
                    self.children
                        .entry(parent)
                        .or_default()
                        .push(pointer.clone());
                }
            }
        }
    }

    fn register(&mut self, name: String, pointer: &str, doc: Option<String>) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: self.names.claim(name),
            doc,
            pointer: pointer.to_owned(),
            deprecated: false,
            kind: TypeKind::Alias(Ty::Any),
        });
        self.by_pointer.insert(pointer.to_owned(), id);
        id
    }

    /// Gives the registered type `id` its definition from `node`.
    fn define(&mut self, id: TypeId, node: &Value, pointer: &str) -> Result<()> {
        let name = self.types[id.0].name.clone();
        let kind = match self.shape(node, pointer)? {
            Shape::Struct => TypeKind::Struct(self.structure(node, pointer, &name)?),
            Shape::Enum(values) => TypeKind::Enum(string_enum(&values, node)),
            Shape::IntEnum(values) => TypeKind::IntEnum(int_enum(&values, node)),
            Shape::OneOf => TypeKind::OneOf(self.one_of(node, pointer, &name)?),
            Shape::Ref | Shape::Single(..) | Shape::Plain => {
                TypeKind::Alias(self.ty_unnamed(node, pointer, &name)?)
            }
        };
        let def = &mut self.types[id.0];
        def.kind = kind;
        def.doc = doc_of(node);
        def.deprecated = node.get("deprecated") == Some(&Value::Bool(true));
        Ok(())
    }

    /// The Rust type of the schema `node` found at `pointer`. `context` is the name an
    /// inline schema gets when it needs a type of its own.
    pub fn ty(&mut self, node: &Value, pointer: &str, context: &str) -> Result<Ty> {
        if self.depth > MAX_DEPTH {
            return Err(self.doc.error(
                pointer,
                format!("schemas are nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.depth += 1;
        let ty = self.ty_nested(node, pointer, context);
        self.depth -= 1;
        ty
    }

    fn ty_nested(&mut self, node: &Value, pointer: &str, context: &str) -> Result<Ty> {
        let (pointer, node) = self.doc.resolve(node, pointer)?;
        let nullable = is_nullable(node);
        let ty = match self.by_pointer.get(&pointer) {
            Some(id) => Ty::Named(*id),
            None => match self.shape(node, &pointer)? {
                Shape::Struct | Shape::Enum(_) | Shape::IntEnum(_) | Shape::OneOf => {
                    // A schema in another file is named after its own place there,
                    // like a component; an inline one after where it is used.
                    let name = if pointer.starts_with('#') {
                        type_name(context, "Inline")
                    } else {
                        type_name(&last_segment(&pointer), "Schema")
                    };
                    let id = self.register(name, &pointer, None);
                    self.define(id, node, &pointer)?;
                    Ty::Named(id)
                }
                _ => self.ty_unnamed(node, &pointer, context)?,
            },
        };
        Ok(if nullable { optional(ty) } else { ty })
    }

    /// The type of a schema that needs no named type of its own.
    fn ty_unnamed(&mut self, node: &Value, pointer: &str, context: &str) -> Result<Ty> {
        if ref_of(node).is_some() {
            return self.ty(node, pointer, context);
        }
        if let Shape::Single(member, member_pointer) = self.shape(node, pointer)? {
            return self.ty(member, &member_pointer, context);
        }
        let format = node.get("format").and_then(Value::as_str).unwrap_or("");
        let constant = node.get("const").map(|value| match value {
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            _ => "object",
        });
        Ok(match primary_type(node).or(constant) {
            Some("string") => match format {
                "date-time" => Ty::DateTime,
                "date" => Ty::Date,
                "uuid" => Ty::Uuid,
                "binary" => Ty::Bytes,
                _ => Ty::String,
            },
            Some("integer") => match format {
                "int32" => Ty::I32,
                _ => Ty::I64,
            },
            Some("number") => match format {
                "float" => Ty::F32,
                _ => Ty::F64,
            },
            Some("boolean") => Ty::Bool,
            Some("file") => Ty::Bytes,
            Some("array") => match node.get("items") {
                Some(items) => Ty::List(Box::new(self.ty(
                    items,
                    &child(pointer, "items"),
                    &format!("{context}Item"),
                )?)),
                None => Ty::List(Box::new(Ty::Any)),
            },
            Some("object") => match node.get("additionalProperties") {
                Some(values @ Value::Object(_)) => Ty::Map(Box::new(self.ty(
                    values,
                    &child(pointer, "additionalProperties"),
                    &format!("{context}Value"),
                )?)),
                _ => Ty::Map(Box::new(Ty::Any)),
            },
            _ => Ty::Any,
        })
    }

    fn shape<'n>(&self, node: &'n Value, pointer: &str) -> Result<Shape<'n>> {
        if ref_of(node).is_some() {
            return Ok(Shape::Ref);
        }
        let has_properties = node
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            let own = has_properties || node.get("additionalProperties").is_some();
            if !own && members.len() == 1 {
                let member_pointer = child(&child(pointer, "allOf"), "0");
                let (target, _) = self.doc.resolve(&members[0], &member_pointer)?;
                // Extending a polymorphic parent makes a variant of it, not an alias.
                if !self.children.contains_key(&target) {
                    return Ok(Shape::Single(&members[0], member_pointer));
                }
            }
            let mut object_like = own || primary_type(node) == Some("object");
            for (index, member) in members.iter().enumerate() {
                let member_pointer = child(&child(pointer, "allOf"), &index.to_string());
                let (_, member) = self.doc.resolve(member, &member_pointer)?;
                object_like |= member.get("properties").is_some()
                    || member.get("allOf").is_some()
                    || primary_type(member) == Some("object");
            }
            return Ok(match (object_like, members.first()) {
                (true, _) | (false, None) => Shape::Struct,
                (false, Some(first)) => Shape::Single(first, child(&child(pointer, "allOf"), "0")),
            });
        }
        if self.children.contains_key(pointer) || multiple_types(node) {
            return Ok(Shape::OneOf);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = node.get(keyword).and_then(Value::as_array) {
                let alternatives: Vec<usize> = (0..members.len())
                    .filter(|&i| !is_null_schema(&members[i]))
                    .collect();
                return Ok(match alternatives.as_slice() {
                    [] => Shape::Plain,
                    [only] => Shape::Single(
                        &members[*only],
                        child(&child(pointer, keyword), &only.to_string()),
                    ),
                    _ => Shape::OneOf,
                });
            }
        }
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            let integers: Vec<i64> = values.iter().filter_map(Value::as_i64).collect();
            let all_integers = values.iter().all(|v| v.is_i64() || v.is_null());
            if all_integers && !integers.is_empty() && primary_type(node) == Some("integer") {
                return Ok(Shape::IntEnum(integers));
            }
            let strings: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            let all_strings = values.iter().all(|v| v.is_string() || v.is_null());
            if all_strings
                && !strings.is_empty()
                && matches!(primary_type(node), None | Some("string"))
            {
                return Ok(Shape::Enum(strings));
            }
        }
        if has_properties {
            return Ok(Shape::Struct);
        }
        if primary_type(node) == Some("object")
            && node.get("additionalProperties") == Some(&Value::Bool(false))
        {
            return Ok(Shape::Struct);
        }
        Ok(Shape::Plain)
    }

    /// A struct of the properties of `node` and of every `allOf` member, merged.
    fn structure(&mut self, node: &Value, pointer: &str, name: &str) -> Result<Struct> {
        let mut collected = Collected::default();
        self.collect(node, pointer, &mut collected, 0)?;
        let mut names = Namespace::default();
        let mut fields = Vec::with_capacity(collected.properties.len());
        for (wire, (schema, schema_pointer)) in &collected.properties {
            let ty = self.ty(
                schema,
                schema_pointer,
                &format!("{name}{}", type_name(wire, "Field")),
            )?;
            let (ty, nullable) = match ty {
                Ty::Option(inner) => (*inner, true),
                ty => (ty, false),
            };
            let (read_only, write_only) = (flag(schema, "readOnly"), flag(schema, "writeOnly"));
            fields.push(Field {
                wire: wire.clone(),
                name: names.claim(field_name(wire)),
                doc: doc_of(schema).or_else(|| self.referenced_doc(schema, schema_pointer)),
                ty,
                required: collected.required.contains(wire) && !read_only && !write_only,
                nullable,
                deprecated: flag(schema, "deprecated"),
                read_only,
                write_only,
                default: schema.get("default").and_then(literal),
                boxed: false,
            });
        }
        let additional = match collected.additional {
            Some((values, values_pointer)) => Some(match values {
                Value::Object(_) => self.ty(&values, &values_pointer, &format!("{name}Value"))?,
                _ => Ty::Any,
            }),
            None => None,
        };
        Ok(Struct { fields, additional })
    }

    /// A property that is only a `$ref` takes its doc from the schema it names.
    fn referenced_doc(&self, schema: &Value, pointer: &str) -> Option<String> {
        ref_of(schema)?;
        let (_, target) = self.doc.resolve(schema, pointer).ok()?;
        doc_of(target)
    }

    /// Gathers the properties of `node` and, depth first, of its `allOf` members. A member
    /// reached twice (a diamond of `allOf`s) is merged once, so the work is linear in the
    /// number of distinct members rather than in the number of paths to them.
    fn collect(
        &self,
        node: &Value,
        pointer: &str,
        into: &mut Collected,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_DEPTH || into.in_progress.contains(pointer) {
            return Err(self
                .doc
                .error(pointer, "`allOf` members nest too deeply or form a cycle"));
        }
        if !into.merged.insert(pointer.to_owned()) {
            return Ok(());
        }
        into.in_progress.insert(pointer.to_owned());
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let member_pointer = child(&child(pointer, "allOf"), &index.to_string());
                let (member_pointer, member) = self.doc.resolve(member, &member_pointer)?;
                self.collect(member, &member_pointer, into, depth + 1)?;
            }
        }
        into.in_progress.remove(pointer);
        if let Some(required) = node.get("required").and_then(Value::as_array) {
            into.required
                .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            let base = child(pointer, "properties");
            for (wire, schema) in properties {
                let entry = (schema.clone(), child(&base, wire));
                match into.index.get(wire) {
                    Some(&at) => into.properties[at].1 = entry,
                    None => {
                        into.index.insert(wire.clone(), into.properties.len());
                        into.properties.push((wire.clone(), entry));
                    }
                }
            }
        }
        match node.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(values) => {
                into.additional = Some((values.clone(), child(pointer, "additionalProperties")))
            }
        }
        Ok(())
    }

    fn one_of(&mut self, node: &Value, pointer: &str, name: &str) -> Result<OneOf> {
        let members = self.alternatives(node, pointer);
        let mapping = self.discriminator_mapping(node);
        let mut names = Namespace::default();
        let mut variants = Vec::new();
        for (index, (member, member_pointer)) in members.iter().enumerate() {
            if is_null_schema(member) {
                continue;
            }
            let context = match member.get("title").and_then(Value::as_str) {
                Some(title) => format!("{name}{}", type_name(title, "Variant")),
                None => format!("{name}Variant{}", index + 1),
            };
            let ty = self.ty(member, member_pointer, &context)?;
            let tags = match (&ty, &mapping) {
                (Ty::Named(id), Some((_, mapping))) => {
                    let target = &self.types[id.0].pointer;
                    let mut tags: Vec<String> = mapping
                        .iter()
                        .filter(|(_, to)| to == target)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        tags.push(last_segment(target));
                    }
                    tags
                }
                _ => Vec::new(),
            };
            variants.push(OneOfVariant {
                name: names.claim(self.variant_name(&ty)),
                ty,
                boxed: false,
                tags,
            });
        }
        let discriminator = mapping
            .filter(|_| variants.iter().all(|v| matches!(v.ty, Ty::Named(_))))
            .map(|(property, _)| property);
        Ok(OneOf {
            variants,
            discriminator,
        })
    }

    /// The alternatives of a `oneOf`/`anyOf`, of a 3.1 `type` array (one schema per
    /// type), or of a polymorphic parent (its children), each with its pointer.
    fn alternatives(&self, node: &Value, pointer: &str) -> Vec<(Value, String)> {
        if let Some(children) = self.children.get(pointer) {
            let members = children
                .iter()
                .map(|child| (serde_json::json!({ "$ref": child }), child.clone()))
                .collect();
            return members;
        }
        if multiple_types(node) {
            let types = node["type"].as_array().cloned().unwrap_or_default();
            let base = child(pointer, "type");
            let members = types
                .into_iter()
                .enumerate()
                .filter(|(_, t)| t != "null")
                .map(|(index, t)| {
                    let mut member = node.clone();
                    member["type"] = t;
                    (member, child(&base, &index.to_string()))
                })
                .collect();
            return members;
        }
        let keyword = if node.get("oneOf").is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let base = child(pointer, keyword);
        node[keyword]
            .as_array()
            .map(|members| {
                members
                    .iter()
                    .enumerate()
                    .map(|(index, member)| (member.clone(), child(&base, &index.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `discriminator.propertyName` and its mapping, values as pointers.
    fn discriminator_mapping(&self, node: &Value) -> Option<(String, Vec<(String, String)>)> {
        let discriminator = node.get("discriminator")?;
        let property = discriminator_property(node)?;
        let base = self.components_pointer();
        let mapping = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .map(|mapping| {
                mapping
                    .iter()
                    .filter_map(|(tag, to)| {
                        let to = to.as_str()?;
                        let to = if to.starts_with('#') {
                            to.to_owned()
                        } else {
                            child(base, to)
                        };
                        Some((tag.clone(), to))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some((property, mapping))
    }

    fn variant_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => self.types[id.0].name.clone(),
            Ty::Bool => "Boolean".into(),
            Ty::I32 | Ty::I64 => "Integer".into(),
            Ty::F32 | Ty::F64 => "Number".into(),
            Ty::String | Ty::Date | Ty::DateTime | Ty::Uuid => "String".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::Any => "Value".into(),
            Ty::List(inner) => format!("{}List", self.variant_name(inner)),
            Ty::Map(inner) => format!("{}Map", self.variant_name(inner)),
            Ty::Option(inner) => self.variant_name(inner),
        }
    }

    /// Ends conversion: boxes recursive fields, turns aliases of themselves into newtypes,
    /// and hands over the types.
    pub fn finish(mut self) -> Result<Vec<TypeDef>> {
        crate::lower::cycles::box_recursive(&mut self.types).map_err(|pointer| {
            self.doc
                .error(&pointer, "this schema is defined only in terms of itself")
        })?;
        crate::lower::cycles::break_alias_cycles(&mut self.types);
        Ok(self.types)
    }
}

/// Properties gathered from a schema and its `allOf` members, in order of appearance.
#[derive(Default)]
struct Collected {
    properties: Vec<(String, (Value, String))>,
    /// Where each property is in `properties`.
    index: HashMap<String, usize>,
    required: HashSet<String>,
    additional: Option<(Value, String)>,
    /// Schemas already merged, and those whose members are being merged (a cycle).
    merged: HashSet<String>,
    in_progress: HashSet<String>,
}

fn string_enum(values: &[String], node: &Value) -> StringEnum {
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

/// The strings of the first of the array-valued vendor extensions `keys` present.
fn extension_strings<'v>(node: &'v Value, keys: &[&str]) -> Vec<&'v str> {
    keys.iter()
        .find_map(|key| node.get(*key).and_then(Value::as_array))
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether `key` is `true` on `node`.
fn flag(node: &Value, key: &str) -> bool {
    node.get(key) == Some(&Value::Bool(true))
}

/// A `default` we can write as a Rust literal.
fn literal(value: &Value) -> Option<Literal> {
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

/// An integer enum; variant names come from `x-enum-varnames` where given.
fn int_enum(values: &[i64], node: &Value) -> IntEnum {
    let given = extension_strings(node, &["x-enum-varnames", "x-enumNames"]);
    let docs = extension_strings(node, &["x-enum-descriptions", "x-enumDescriptions"]);
    let mut names = Namespace::with(&["Unknown"]);
    let mut variants: Vec<(i64, String, Option<String>)> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        if variants.iter().any(|(v, _, _)| v == value) {
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
        let doc = docs.get(index).map(|doc| (*doc).to_owned());
        variants.push((*value, names.claim(name), doc));
    }
    let fits_i32 = values.iter().all(|v| i32::try_from(*v).is_ok());
    let repr = match node.get("format").and_then(Value::as_str) {
        Some("int32") if fits_i32 => Ty::I32,
        _ => Ty::I64,
    };
    IntEnum { repr, variants }
}

/// The discriminator's property: `discriminator.propertyName` in 3.x, or the string
/// `discriminator` itself in Swagger 2.0.
fn discriminator_property(node: &Value) -> Option<String> {
    match node.get("discriminator")? {
        Value::String(property) => Some(property.clone()),
        discriminator => Some(discriminator.get("propertyName")?.as_str()?.to_owned()),
    }
}

/// A 3.1 `type` array with more than one non-null type.
fn multiple_types(node: &Value) -> bool {
    node.get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().filter(|t| *t != "null").count() > 1)
}

/// The one non-null `type`, whether written as a string or (3.1) an array.
fn primary_type(node: &Value) -> Option<&str> {
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

fn is_nullable(node: &Value) -> bool {
    let flag = |key| node.get(key) == Some(&Value::Bool(true));
    let null_type = match node.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let null_member = ["oneOf", "anyOf"].iter().any(|keyword| {
        node.get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|members| members.iter().any(is_null_schema))
    });
    flag("nullable") || flag("x-nullable") || null_type || null_member
}

fn is_null_schema(node: &Value) -> bool {
    node.get("type").and_then(Value::as_str) == Some("null")
}

fn optional(ty: Ty) -> Ty {
    match ty {
        Ty::Option(_) | Ty::Any => ty,
        ty => Ty::Option(Box::new(ty)),
    }
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

impl From<Diagnostic> for Box<Error> {
    fn from(diagnostic: Diagnostic) -> Self {
        Box::new(diagnostic.into())
    }
}
