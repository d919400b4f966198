//! Schemas to Rust types. Named schemas get a [`TypeId`] and their name before any is
//! converted (two-phase registration), so forward and cyclic `$ref`s resolve. Inline
//! schemas that need a type of their own are memoised by pointer, so a schema reached
//! through several `$ref`s becomes one type, and named from where they first appear
//! ([`InlinePath`]) once converted, so that an inline schema identical to one converted
//! before shares its type instead of becoming a second. Recursive fields are boxed at
//! the end.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::keywords::{
    check, discriminator_property, doc_of, flag, int_enum, is_annotation, is_null_schema,
    is_nullable, literal, multiple_types, primary_type, primitive, schema_doc, string_enum,
};
use crate::diagnostics::{working_on, Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::load::{child, last_segment, ref_of, Document, Version};
use crate::markdown::code;
use crate::model::{
    Additional, Field, FieldDefault, Literal, OneOf, OneOfVariant, Role, Struct, Ty, TypeDef,
    TypeId, TypeKind,
};
use crate::naming::{common_name, field_name, type_name, InlinePath, Namespace, Origin};
use crate::settings::{toml_key, BinaryType, DateLibrary, Settings, UnixTime, UuidType};

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
    /// The user's settings: replacements, skips, renames and scalar types.
    pub(super) settings: &'d Settings,
    /// Schemas the settings replace (by pointer), with the Rust type each becomes.
    replaced: BTreeMap<String, String>,
    /// Schemas the settings skip, by pointer: what refers to them holds any JSON.
    skipped: HashSet<String>,
    types: Vec<TypeDef>,
    by_pointer: BTreeMap<String, TypeId>,
    /// Names of the `models` module.
    names: Namespace,
    depth: usize,
    /// Named schemas with a `discriminator` that others extend through `allOf`: each
    /// becomes an enum of the schemas extending it (pointer of parent → of children).
    children: BTreeMap<String, Vec<String>>,
    /// Every converted type by its shape (its kind and doc), to find an inline schema
    /// identical to one converted before.
    by_shape: HashMap<String, TypeId>,
    /// Inline types found identical to an earlier one, and which.
    merged: BTreeMap<TypeId, TypeId>,
    /// For an inline type others were merged into, the name each of them would have had
    /// and where it is: what a shared name is found from.
    sharers: BTreeMap<TypeId, Vec<(String, String)>>,
    /// Pointers of the schemas made of each type of a 3.1 `type` array: there is no such
    /// node in the description.
    split_types: HashSet<String>,
    /// Where each inline type was named.
    origins: BTreeMap<TypeId, Origin>,
    /// The other places a type is: those of the schemas merged into it, and of the types
    /// made aliases of it.
    places: BTreeMap<TypeId, Vec<Origin>>,
    warnings: Vec<Diagnostic>,
}

/// The converted types, with what naming them again needs.
pub struct Finished {
    pub types: Vec<TypeDef>,
    /// The new id of every old one, for the operations, which name types too.
    pub renumbered: Vec<TypeId>,
    /// The names of the `models` module.
    pub names: Namespace,
    /// Where each inline type was named.
    pub origins: BTreeMap<TypeId, Origin>,
    /// The other places each type is (merged into it, or an alias of it).
    pub places: BTreeMap<TypeId, Vec<Origin>>,
}

impl<'d> Schemas<'d> {
    pub fn new(doc: &'d Document, settings: &'d Settings) -> Self {
        let mut schemas = Schemas {
            doc,
            settings,
            replaced: BTreeMap::new(),
            skipped: HashSet::new(),
            types: Vec::new(),
            by_pointer: BTreeMap::new(),
            names: Namespace::default(),
            depth: 0,
            children: BTreeMap::new(),
            by_shape: HashMap::new(),
            merged: BTreeMap::new(),
            sharers: BTreeMap::new(),
            split_types: HashSet::new(),
            origins: BTreeMap::new(),
            places: BTreeMap::new(),
            warnings: Vec::new(),
        };
        for (selector, replacement) in &settings.replace {
            let pointer = schemas.selected(selector);
            schemas
                .replaced
                .insert(pointer, replacement.path().to_owned());
        }
        for selector in &settings.skip.schemas {
            let pointer = schemas.selected(selector);
            schemas.skipped.insert(pointer);
        }
        schemas
    }

    /// The pointer a schema selector of the settings names: a JSON pointer as it is
    /// (`#/components/schemas/Pet`, `schemas/pet.yaml#/Pet`), else a named schema.
    pub fn selected(&self, selector: &str) -> String {
        if selector.contains('#') {
            selector.to_owned()
        } else {
            child(self.components_pointer(), selector)
        }
    }

    /// Errors for the schema selectors of the settings that select no schema: a
    /// setting that no longer applies says so.
    fn check_selectors(&self, diagnostics: &mut Diagnostics) {
        let settings = self.settings;
        let file = settings.shown_file();
        let keys = settings
            .replace
            .keys()
            .map(|k| ("replace", k))
            .chain(settings.skip.schemas.iter().map(|k| ("skip.schemas", k)))
            .chain(
                settings
                    .rename
                    .schemas
                    .keys()
                    .map(|k| ("rename.schemas", k)),
            )
            .chain(
                settings
                    .models
                    .schemas
                    .keys()
                    .map(|k| ("models.schemas", k)),
            );
        // A list's entry is named by the message; a table's key is part of the path.
        let key = |table: &str, selector: &str| match table {
            "skip.schemas" => table.to_owned(),
            _ => format!("{table}.{}", toml_key(selector)),
        };
        for (table, selector) in keys {
            let pointer = self.selected(selector);
            if self.doc.get(&pointer).is_none() {
                diagnostics.push(Diagnostic::error(
                    DiagnosticKind::Settings,
                    &file,
                    &key(table, selector),
                    format!("`{selector}` selects no schema of the description (no node at {pointer})"),
                ).with_hint("name a schema of the components (or definitions), or give its JSON pointer"));
            }
        }
    }

    /// The Rust type the settings (or the schema's `x-rust-type`) replace the schema at
    /// `pointer` with, if any.
    fn replacement(&mut self, node: &Value, pointer: &str) -> Option<Ty> {
        if self.skipped.contains(pointer) {
            return Some(Ty::Any);
        }
        if let Some(path) = self.replaced.get(pointer) {
            return Some(Ty::Rust(path.clone()));
        }
        let given = node.get("x-rust-type")?;
        let path = match given {
            Value::String(path) => Some(path.as_str()),
            Value::Object(fields) => fields.get("path").and_then(Value::as_str),
            _ => None,
        };
        match path.filter(|path| syn::parse_str::<syn::Type>(path).is_ok()) {
            Some(path) => Some(Ty::Rust(path.to_owned())),
            None => {
                self.warnings.push(self.doc.warning(
                    DiagnosticKind::IgnoredKeyword,
                    &child(pointer, "x-rust-type"),
                    format!("`x-rust-type` must be a Rust type path, or an object whose `path` is one, not {given}; it is ignored"),
                ));
                None
            }
        }
    }

    /// The type the settings map a scalar `ty` of the schema `node` to.
    fn scalar(&self, node: &Value, ty: Ty) -> Ty {
        let scalars = &self.settings.scalars;
        let rust = |path: &str| Ty::Rust(path.to_owned());
        let format = node.get("format").and_then(Value::as_str).unwrap_or("");
        match ty {
            Ty::DateTime => match scalars.date_time {
                DateLibrary::Chrono => Ty::DateTime,
                DateLibrary::Time => rust("crate::scalars::DateTime"),
                DateLibrary::Jiff => rust("jiff::Timestamp"),
                DateLibrary::String => Ty::String,
            },
            Ty::Date => match scalars.date {
                DateLibrary::Chrono => Ty::Date,
                DateLibrary::Time => rust("time::Date"),
                DateLibrary::Jiff => rust("jiff::civil::Date"),
                DateLibrary::String => Ty::String,
            },
            Ty::Uuid => match scalars.uuid {
                UuidType::Uuid => Ty::Uuid,
                UuidType::String => Ty::String,
            },
            Ty::Bytes => self.bytes(),
            Ty::I32 | Ty::I64
                if matches!(format, "unix-time" | "unixtime")
                    && scalars.unix_time != UnixTime::Integer =>
            {
                rust("crate::scalars::UnixTime")
            }
            Ty::I32 | Ty::I64 => match scalars.integers.get(format).map(String::as_str) {
                Some("i32") => Ty::I32,
                Some("i64") => Ty::I64,
                Some(other) => rust(other),
                None => ty,
            },
            ty => ty,
        }
    }

    /// The type bytes (`format: binary`) are.
    fn bytes(&self) -> Ty {
        match self.settings.scalars.binary {
            BinaryType::Runtime => Ty::Bytes,
            BinaryType::Vec => Ty::Rust("Vec<u8>".to_owned()),
            BinaryType::Bytes => Ty::Rust("bytes::Bytes".to_owned()),
        }
    }

    /// Whether `ty` is bytes (`format: binary`), as the settings map them: a body or a
    /// form part of raw bytes.
    pub fn is_bytes(&self, ty: &Ty) -> bool {
        *ty == Ty::Bytes || *ty == self.bytes()
    }

    /// Pointer of the map of named schemas in this version of the format.
    fn components_pointer(&self) -> &'static str {
        match self.doc.version {
            Version::Swagger2 => "#/definitions",
            Version::OpenApi30 | Version::OpenApi31 => "#/components/schemas",
        }
    }

    /// Phase one and two: every named schema gets its id and name, then its definition.
    pub fn define_components(&mut self, diagnostics: &mut Diagnostics) {
        let base = self.components_pointer();
        let schemas = match self.doc.get(base) {
            Some(Value::Object(schemas)) => schemas,
            Some(_) => {
                diagnostics.push(self.doc.warning(
                    DiagnosticKind::IgnoredKeyword,
                    base,
                    "the named schemas must be a map from name to schema; they are ignored",
                ));
                return;
            }
            None => return,
        };
        self.check_selectors(diagnostics);
        // Replaced and skipped schemas get no type: what refers to them names the user's
        // type, or any JSON.
        let ids: Vec<Option<TypeId>> = schemas
            .iter()
            .map(|(name, node)| {
                let pointer = child(base, name);
                if self.replacement(node, &pointer).is_some() {
                    return None;
                }
                let id = self.register(&pointer, Role::Component(name.clone()));
                let wanted = self.renamed(&pointer).unwrap_or(name);
                self.types[id.0].name = self.names.claim(type_name(wanted, "Schema"));
                Some(id)
            })
            .collect();
        self.find_children(schemas, base);
        for (id, (name, node)) in ids.into_iter().zip(schemas) {
            let Some(id) = id else { continue };
            let pointer = child(base, name);
            working_on(&pointer);
            check(self.doc, node, &pointer, &mut self.warnings);
            let root = self.renamed(&pointer).unwrap_or(name);
            let inline = InlinePath::new(root, format!("the {} schema", code(name)));
            let result = self.define(id, node, &pointer, &inline);
            if diagnostics.absorb(result).is_some() {
                // An inline schema just like this one becomes this type.
                let shape = self.shape_key(id);
                self.by_shape.entry(shape).or_insert(id);
            }
        }
    }

    /// The new name the settings give the schema at `pointer`, if any.
    fn renamed(&self, pointer: &str) -> Option<&'d String> {
        let settings: &'d Settings = self.settings;
        settings
            .rename
            .schemas
            .iter()
            .find(|(selector, _)| self.selected(selector) == pointer)
            .map(|(_, name)| name)
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

    /// A new type for the schema at `pointer`, nameless and undefined until
    /// [`Schemas::define`] runs.
    fn register(&mut self, pointer: &str, role: Role) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: String::new(),
            doc: None,
            pointer: pointer.to_owned(),
            role,
            deprecated: false,
            kind: TypeKind::Alias(Ty::Any),
        });
        self.by_pointer.insert(pointer.to_owned(), id);
        id
    }

    /// Gives the registered type `id` its definition from `node`.
    fn define(
        &mut self,
        id: TypeId,
        node: &Value,
        pointer: &str,
        inline: &InlinePath,
    ) -> Result<()> {
        let kind = match self.shape(node, pointer)? {
            Shape::Struct => TypeKind::Struct(self.structure(node, pointer, inline)?),
            Shape::Enum(values) => TypeKind::Enum(string_enum(&values, node)),
            Shape::IntEnum(values) => TypeKind::IntEnum(int_enum(&values, node)),
            Shape::OneOf => TypeKind::OneOf(self.one_of(node, pointer, inline)?),
            Shape::Ref | Shape::Single(..) | Shape::Plain => {
                TypeKind::Alias(self.ty_unnamed(node, pointer, inline)?)
            }
        };
        let def = &mut self.types[id.0];
        def.kind = kind;
        def.doc = schema_doc(node);
        def.deprecated = flag(node, "deprecated");
        Ok(())
    }

    /// The Rust type of the schema `node` found at `pointer`; `inline` says where it is,
    /// which names it if it needs a type of its own.
    pub fn ty(&mut self, node: &Value, pointer: &str, inline: &InlinePath) -> Result<Ty> {
        if self.depth > MAX_DEPTH {
            return Err(self
                .doc
                .error(
                    DiagnosticKind::Structure,
                    pointer,
                    format!("schemas are nested more than {MAX_DEPTH} levels deep"),
                )
                .into());
        }
        self.depth += 1;
        let ty = self.ty_nested(node, pointer, inline);
        self.depth -= 1;
        ty
    }

    fn ty_nested(&mut self, node: &Value, pointer: &str, inline: &InlinePath) -> Result<Ty> {
        let (pointer, node) = self.doc.resolve(node, pointer)?;
        let nullable = is_nullable(node);
        let replaced = match self.by_pointer.contains_key(&pointer) {
            true => None,
            false => self.replacement(node, &pointer),
        };
        let ty = match self.by_pointer.get(&pointer) {
            Some(id) => Ty::Named(*id),
            None if replaced.is_some() => replaced.unwrap_or(Ty::Any),
            None => {
                // The one-type schemas made of a 3.1 `type` array were checked as a whole.
                if !self.split_types.contains(&pointer) {
                    check(self.doc, node, &pointer, &mut self.warnings);
                }
                match self.shape(node, &pointer)? {
                    Shape::Struct | Shape::Enum(_) | Shape::IntEnum(_) | Shape::OneOf => {
                        Ty::Named(self.own_type(node, &pointer, inline)?)
                    }
                    _ => self.ty_unnamed(node, &pointer, inline)?,
                }
            }
        };
        Ok(if nullable { optional(ty) } else { ty })
    }

    /// The type of a schema that needs one of its own and has none yet. A schema in
    /// another file is named after its own place there, like a component; an inline one
    /// after where it is used, unless it is identical to one converted before.
    fn own_type(&mut self, node: &Value, pointer: &str, inline: &InlinePath) -> Result<TypeId> {
        if !pointer.starts_with('#') {
            let name = last_segment(pointer);
            let id = self.register(pointer, Role::External);
            self.types[id.0].name = self.names.claim(type_name(&name, "Schema"));
            let inline = InlinePath::new(&name, format!("the schema {}", code(pointer)));
            self.define(id, node, pointer, &inline)?;
            return Ok(id);
        }
        let id = self.register(pointer, Role::Inline(inline.describe()));
        self.define(id, node, pointer, inline)?;
        let shape = self.shape_key(id);
        if let Some(&earlier) = self.by_shape.get(&shape) {
            self.merged.insert(id, earlier);
            self.by_pointer.insert(pointer.to_owned(), earlier);
            let title = node.get("title").and_then(Value::as_str);
            let name = inline.candidates(title).swap_remove(0);
            self.sharers
                .entry(earlier)
                .or_default()
                .push((name, inline.describe()));
            self.places
                .entry(earlier)
                .or_default()
                .push(inline.origin());
            return Ok(earlier);
        }
        self.by_shape.insert(shape, id);
        let title = node.get("title").and_then(Value::as_str);
        self.types[id.0].name = self.names.claim_first(inline.candidates(title));
        self.origins.insert(id, inline.origin());
        Ok(id)
    }

    /// The kind of the type `ty` names, through aliases; `None` for types that are not
    /// named (or not defined yet).
    pub fn kind_of(&self, ty: &Ty) -> Option<&TypeKind> {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            let Ty::Named(id) = ty else { return None };
            match &self.types[id.0].kind {
                TypeKind::Alias(target) => ty = target,
                kind => return Some(kind),
            }
        }
        None
    }

    /// Whether a value of `ty` may be a list or an object, which is when a parameter's
    /// `explode` matters: lists, maps, structs, `oneOf`s and any JSON value, through
    /// aliases and newtypes.
    pub fn may_be_structured(&self, ty: &Ty) -> bool {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            match ty {
                Ty::List(_) | Ty::Map(_) | Ty::Any => return true,
                Ty::Option(inner) => ty = inner,
                Ty::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(target) | TypeKind::Newtype(target) => ty = target,
                    TypeKind::Struct(_) | TypeKind::OneOf(_) => return true,
                    TypeKind::Enum(_) | TypeKind::IntEnum(_) => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// The properties (wire name and type) of the struct `ty` names; none for others.
    pub fn fields_of(&self, ty: &Ty) -> Vec<(String, Ty)> {
        match self.kind_of(ty) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .map(|field| (field.wire.clone(), field.ty.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What makes two types the same: everything but their name, place and role.
    fn shape_key(&self, id: TypeId) -> String {
        let def = &self.types[id.0];
        format!("{:?}{:?}{:?}", def.kind, def.doc, def.deprecated)
    }

    /// The type of a schema that needs no named type of its own.
    fn ty_unnamed(&mut self, node: &Value, pointer: &str, inline: &InlinePath) -> Result<Ty> {
        if ref_of(node).is_some() {
            return self.ty(node, pointer, inline);
        }
        if let Shape::Single(member, member_pointer) = self.shape(node, pointer)? {
            return self.ty(member, &member_pointer, inline);
        }
        if let Some(ty) = primitive(node) {
            return Ok(self.scalar(node, ty));
        }
        Ok(match primary_type(node) {
            Some("array") => match node.get("items").filter(|items| items.is_object()) {
                Some(items) => Ty::List(Box::new(self.ty(
                    items,
                    &child(pointer, "items"),
                    &inline.item(),
                )?)),
                None => Ty::List(Box::new(Ty::Any)),
            },
            Some("object") => match node.get("additionalProperties") {
                Some(values @ Value::Object(_)) => Ty::Map(Box::new(self.ty(
                    values,
                    &child(pointer, "additionalProperties"),
                    &inline.value(),
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
            return self.all_of_shape(node, members, has_properties, pointer);
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
            if let Some(shape) = enum_shape(node, values) {
                return Ok(shape);
            }
        }
        let closed_object = primary_type(node) == Some("object")
            && node.get("additionalProperties") == Some(&Value::Bool(false));
        // `properties` beside a `type` that is not an object constrain nothing a value of
        // that type has (XTRF's `categoriesIds`: an array of integers with a stray
        // `properties`): the type decides.
        let typed_otherwise =
            node.get("type").is_some() && primary_type(node).is_some_and(|t| t != "object");
        Ok(if (has_properties && !typed_otherwise) || closed_object {
            Shape::Struct
        } else {
            Shape::Plain
        })
    }

    /// The shape of a schema with `allOf`: a struct of the members merged, or, for one
    /// member and nothing of its own, that member.
    fn all_of_shape<'n>(
        &self,
        node: &'n Value,
        members: &'n [Value],
        has_properties: bool,
        pointer: &str,
    ) -> Result<Shape<'n>> {
        let own = has_properties || node.get("additionalProperties").is_some();
        // Members that only annotate (a `description` beside a `$ref`) add nothing.
        let typed: Vec<usize> = (0..members.len())
            .filter(|&index| !is_annotation(&members[index]))
            .collect();
        if let (false, [only]) = (own, typed.as_slice()) {
            let member_pointer = child(&child(pointer, "allOf"), &only.to_string());
            let (target, _) = self.doc.resolve(&members[*only], &member_pointer)?;
            // Extending a polymorphic parent makes a variant of it, not an alias.
            if !self.children.contains_key(&target) {
                return Ok(Shape::Single(&members[*only], member_pointer));
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
        Ok(match (object_like, members.first()) {
            (true, _) | (false, None) => Shape::Struct,
            (false, Some(first)) => Shape::Single(first, child(&child(pointer, "allOf"), "0")),
        })
    }

    /// A struct of the properties of `node` and of every `allOf` member, merged.
    fn structure(&mut self, node: &Value, pointer: &str, inline: &InlinePath) -> Result<Struct> {
        let mut collected = Collected::default();
        self.collect(node, pointer, &mut collected, 0)?;
        let mut names = Namespace::default();
        let mut fields = Vec::with_capacity(collected.properties.len());
        for (wire, (schema, schema_pointer)) in &collected.properties {
            let ty = self.ty(schema, schema_pointer, &inline.property(wire))?;
            let (ty, nullable) = match ty {
                Ty::Option(inner) => (*inner, true),
                ty => (ty, false),
            };
            let (read_only, write_only) = (flag(schema, "readOnly"), flag(schema, "writeOnly"));
            fields.push(Field {
                wire: wire.clone(),
                name: names.claim(field_name(wire)),
                doc: schema_doc(schema).or_else(|| self.referenced_doc(schema, schema_pointer)),
                ty,
                required: collected.required.contains(wire) && !read_only && !write_only,
                nullable,
                deprecated: flag(schema, "deprecated"),
                read_only,
                write_only,
                // Checked against the field's type, and named, once every type is known.
                default: schema
                    .get("default")
                    .and_then(literal)
                    .map(|value| FieldDefault {
                        value,
                        function: String::new(),
                    }),
                boxed: false,
            });
        }
        let additional = match collected.additional {
            Some((values, values_pointer)) => Some(Additional {
                name: names.claim("additional_properties".to_owned()),
                ty: match values {
                    Value::Object(_) => self.ty(&values, &values_pointer, &inline.value())?,
                    _ => Ty::Any,
                },
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
                .error(
                    DiagnosticKind::Schema,
                    pointer,
                    "`allOf` members nest too deeply or form a cycle",
                )
                .into());
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

    fn one_of(&mut self, node: &Value, pointer: &str, inline: &InlinePath) -> Result<OneOf> {
        let members = self.alternatives(node, pointer);
        let mapping = self.discriminator_mapping(node);
        let mut names = Namespace::default();
        let mut variants = Vec::new();
        // Values a branch's own discriminating property holds, for the branches the
        // mapping leaves out: added once every branch has its explicit tags, so a value
        // that is also another branch's name or mapping key stays that branch's.
        let mut held = Vec::new();
        for (index, (member, member_pointer)) in members.iter().enumerate() {
            if is_null_schema(member) {
                continue;
            }
            let title = member.get("title").and_then(Value::as_str);
            let ty = self.ty(member, member_pointer, &inline.variant(index, title))?;
            let tags = match (&ty, &mapping) {
                (Ty::Named(id), Some((property, mapping))) => {
                    let target = &self.types[id.0].pointer;
                    let mut tags: Vec<String> = mapping
                        .iter()
                        .filter(|(_, to)| to == target)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        // The implicit mapping is the schema's name; real servers write
                        // what the branch's own property allows (`type: enum [track]`).
                        tags.push(last_segment(target));
                        held.push((variants.len(), self.held_values(target, property)));
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
        let mut claimed: HashSet<String> = variants
            .iter()
            .flat_map(|v| v.tags.iter().cloned())
            .collect();
        for (at, values) in held {
            for value in values {
                if claimed.insert(value.clone()) {
                    variants[at].tags.push(value);
                }
            }
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
    fn alternatives(&mut self, node: &Value, pointer: &str) -> Vec<(Value, String)> {
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
                .collect::<Vec<_>>();
            self.split_types
                .extend(members.iter().map(|(_, pointer)| pointer.clone()));
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

    /// The string values the schema at `pointer` allows for its property `property`
    /// (its `enum`, or its `const`), through `allOf` and `$ref`s; none when it allows any.
    fn held_values(&self, pointer: &str, property: &str) -> Vec<String> {
        let Some(node) = self.doc.get(pointer) else {
            return Vec::new();
        };
        let mut collected = Collected::default();
        if self.collect(node, pointer, &mut collected, 0).is_err() {
            return Vec::new();
        }
        let Some(&at) = collected.index.get(property) else {
            return Vec::new();
        };
        let (schema, schema_pointer) = &collected.properties[at].1;
        let Ok((_, schema)) = self.doc.resolve(schema, schema_pointer) else {
            return Vec::new();
        };
        match (schema.get("const"), schema.get("enum")) {
            (Some(Value::String(value)), _) => vec![value.clone()],
            (_, Some(Value::Array(values))) => values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
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
            Ty::Rust(path) => {
                let last = path.rsplit("::").next().unwrap_or(path);
                type_name(last, "Value")
            }
        }
    }

    /// Ends conversion: drops the inline types merged into earlier ones, boxes recursive
    /// fields, turns aliases of themselves into newtypes, names the functions of field
    /// defaults, and hands over the types with the new id of every old one (for the
    /// operations, which name types too) and what naming them again needs.
    pub fn finish(mut self, diagnostics: &mut Diagnostics) -> Finished {
        diagnostics.extend(self.warnings.drain(..).collect());
        self.name_shared_types();
        self.alias_identical_types();
        let renumbered = self.drop_merged();
        for def in &mut self.types {
            for ty in def.kind.types_mut() {
                ty.renumber(&renumbered);
            }
        }
        if let Err(pointer) = crate::lower::cycles::box_recursive(&mut self.types) {
            diagnostics.push(self.doc.error(
                DiagnosticKind::Schema,
                &pointer,
                "this schema is defined only in terms of itself",
            ));
        }
        crate::lower::cycles::break_alias_cycles(&mut self.types);
        name_defaults(&mut self.types);
        let kept = |id: &TypeId| renumbered[id.0];
        Finished {
            types: self.types,
            names: self.names,
            origins: self
                .origins
                .into_iter()
                .map(|(id, o)| (kept(&id), o))
                .collect(),
            places: self
                .places
                .into_iter()
                .map(|(id, p)| (kept(&id), p))
                .collect(),
            renumbered,
        }
    }

    /// An inline type several places share is named by what they all call it: the words
    /// their names end with in common (`Direction` for the `direction` parameters of
    /// several operations), when that name is free; its doc says where it is used.
    fn name_shared_types(&mut self) {
        let sharers = std::mem::take(&mut self.sharers);
        for (id, others) in sharers {
            let def = &self.types[id.0];
            let Role::Inline(first_place) = &def.role else {
                continue;
            };
            let mut names: Vec<&str> = vec![def.name.as_str()];
            names.extend(others.iter().map(|(name, _)| name.as_str()));
            let place = format!(
                "{first_place}, and {} other place{} with the same schema",
                others.len(),
                if others.len() == 1 { "" } else { "s" }
            );
            let shared = common_name(&names).filter(|shared| *shared != def.name);
            if let Some(shared) = shared {
                if self.names.is_free(&shared) {
                    let old = std::mem::take(&mut self.types[id.0].name);
                    self.names.release(&old);
                    self.types[id.0].name = self.names.claim(shared);
                }
            }
            self.types[id.0].role = Role::Inline(place);
        }
    }

    /// A type structurally identical to an earlier one (same kind, same fields or values
    /// with the same docs) becomes an alias of it: its name stays public, with its own
    /// doc, but the type, its derives and serde code exist once. Inline types count too:
    /// Stripe describes `active`/`inactive`/`pending` inline for each of 36 capabilities.
    fn alias_identical_types(&mut self) {
        let mut first: HashMap<String, TypeId> = HashMap::new();
        for index in 0..self.types.len() {
            let def = &self.types[index];
            let worth = matches!(
                def.kind,
                TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::OneOf(_)
            );
            if !worth || self.merged.contains_key(&TypeId(index)) {
                continue;
            }
            let key = format!("{:?}", def.kind);
            match first.get(&key) {
                Some(&earlier) => {
                    let origin = match self.origins.get(&TypeId(index)) {
                        Some(origin) => origin.clone(),
                        None => Origin::named(&def.name),
                    };
                    self.types[index].kind = TypeKind::Alias(Ty::Named(earlier));
                    self.places.entry(earlier).or_default().push(origin);
                }
                None => {
                    first.insert(key, TypeId(index));
                }
            }
        }
    }

    /// Removes the merged types; the new id of every old one, merged ones mapped to the
    /// type they were merged into.
    ///
    /// The type merged into may have been registered after the merged one: converting
    /// an inline schema converts the inline schemas inside it first, and one of those can
    /// turn out to be its twin (a recursive `allOf` with a sibling `description`). So
    /// the kept types are numbered first, then each merged one takes its target's number.
    /// A target is never merged itself: only types kept when they were converted are
    /// offered as targets.
    fn drop_merged(&mut self) -> Vec<TypeId> {
        let mut renumbered = Vec::with_capacity(self.types.len());
        let mut next = 0;
        for index in 0..self.types.len() {
            renumbered.push(TypeId(next));
            if !self.merged.contains_key(&TypeId(index)) {
                next += 1;
            }
        }
        for (merged, target) in &self.merged {
            renumbered[merged.0] = renumbered[target.0];
        }
        let merged = std::mem::take(&mut self.merged);
        let types = std::mem::take(&mut self.types);
        self.types = types
            .into_iter()
            .enumerate()
            .filter(|(index, _)| !merged.contains_key(&TypeId(*index)))
            .map(|(_, def)| def)
            .collect();
        renumbered
    }
}

/// Keeps the `default` of a field only where its literal is a value of the field's type,
/// and names the function that returns it, distinct within its struct.
fn name_defaults(types: &mut [TypeDef]) {
    for index in 0..types.len() {
        let TypeKind::Struct(s) = &types[index].kind else {
            continue;
        };
        let fits: Vec<bool> = s
            .fields
            .iter()
            .map(|field| {
                let usable = !(field.required || field.nullable || field.boxed);
                usable
                    && field
                        .default
                        .as_ref()
                        .is_some_and(|d| literal_fits(&d.value, &field.ty, types))
            })
            .collect();
        let TypeKind::Struct(s) = &mut types[index].kind else {
            continue;
        };
        let mut functions = Namespace::default();
        for (field, fits) in s.fields.iter_mut().zip(fits) {
            if !fits {
                field.default = None;
            } else if let Some(default) = &mut field.default {
                default.function =
                    functions.claim(format!("default_{}", field.name.trim_end_matches('_')));
            }
        }
    }
}

/// Whether `literal` is a value of `ty` that Rust can write.
fn literal_fits(literal: &Literal, ty: &Ty, types: &[TypeDef]) -> bool {
    match (literal, ty) {
        (Literal::Bool(_), Ty::Bool) | (Literal::Int(_), Ty::I64 | Ty::F64) => true,
        (Literal::Int(i), Ty::I32) => i32::try_from(*i).is_ok(),
        (Literal::Float(f), Ty::F64) => f.is_finite(),
        (Literal::String(_), Ty::String) => true,
        (Literal::String(text), Ty::Named(id)) => match &types[id.0].kind {
            TypeKind::Enum(e) => e.variants.iter().any(|v| &v.wire == text),
            _ => false,
        },
        (Literal::Int(i), Ty::Named(id)) => match &types[id.0].kind {
            TypeKind::IntEnum(e) => e.variants.iter().any(|v| v.value == *i),
            _ => false,
        },
        _ => false,
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

/// The enum a schema with `enum` becomes, if its values are all strings or all integers.
fn enum_shape<'a>(node: &Value, values: &[Value]) -> Option<Shape<'a>> {
    let integers: Vec<i64> = values.iter().filter_map(Value::as_i64).collect();
    let all_integers = values.iter().all(|v| v.is_i64() || v.is_null());
    if all_integers && !integers.is_empty() && primary_type(node) == Some("integer") {
        return Some(Shape::IntEnum(integers));
    }
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let all_strings = values.iter().all(|v| v.is_string() || v.is_null());
    (all_strings && !strings.is_empty() && matches!(primary_type(node), None | Some("string")))
        .then_some(Shape::Enum(strings))
}

fn optional(ty: Ty) -> Ty {
    match ty {
        Ty::Option(_) | Ty::Any => ty,
        ty => Ty::Option(Box::new(ty)),
    }
}
