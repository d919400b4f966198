//! The generated types fit the real payloads.
//!
//! 1. Every `example`/`examples` value of the real descriptions in `../shared/specs/` goes
//!    through the generated type of the schema, parameter, request or response it belongs
//!    to: deserialized, serialized back, and compared with what went in, schema in hand
//!    (`null` and absent are the same where the schema allows both, a `default` may be
//!    filled in, date-times compare as instants with their offset, `1` equals `1.0`).
//! 2. A property test: values built from each schema of the fixture descriptions survive
//!    the same round trip.
//!
//! The types exist only as generated code, so the test builds a harness: the generated
//! models of each description (and the runtime they use) become a crate in
//! `target/compile-tests/examples_<name>/`, those of the fixtures one crate with a module
//! each (`examples_fixtures`), and `examples_harness` depends on them all: its library is
//! `tests/harness/lib.rs`, its binaries are generated here, one function per distinct Rust
//! type and a table from JSON pointer to function. One `cargo build` makes them all
//! (dependencies built once in the shared `target/compile-tests/target`); each binary then
//! prints a JSON report to assert on. Form bodies (`multipart/form-data`, URL-encoded) are
//! left out of the property test: their wire format is not JSON.
//!
//! Every example that fails is either listed in [`CONTRADICTING`] (the example
//! contradicts its own schema) or in [`GENERATOR_BUGS`] (open bugs, to be fixed); an
//! unlisted failure fails the test, and so does a listed one that passes.
//!
//! The counts (examples found and passing per description, schemas and cases of the
//! property test) print with `cargo test -p codegen --test examples -- --nocapture`.
//!
//! Needs `../shared/specs/` beside the project (CI has it); fails, never skips, without it.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use codegen::emit::TypeRefs;
use codegen::load::{child, ref_of, Document, Version};
use codegen::model::{Api, Location, Operation, Payload, Status, Ty, TypeId, TypeKind};
use serde_json::Value;

use support::{shared_spec, workspace};

/// Values built per schema in the property test (about 5 ms a schema).
const CASES: u32 = 256;

/// The descriptions whose examples are checked: test name, file in `../shared/specs/` (or,
/// as `fixtures/…`, in `codegen/tests/fixtures/`), and the least number of examples the
/// test must find there (so that a finder that silently loses them fails).  The two
/// fixtures add what the real descriptions lack: 3.1 `examples` lists, type arrays and
/// `const`.
const DESCRIPTIONS: &[(&str, &str, usize)] = &[
    (
        "camunda_orchestration_cluster",
        "camunda-orchestration-cluster.json",
        250,
    ),
    (
        "camunda_orchestration_cluster_8_8",
        "camunda-orchestration-cluster-8.8.yaml",
        90,
    ),
    (
        "elastic_cloud_enterprise",
        "elastic-cloud-enterprise.json",
        11,
    ),
    ("elastic_cloud", "elastic-cloud.json", 2),
    ("fixture_openapi31", "fixtures/openapi31.yaml", 6),
    ("fixture_statuses", "fixtures/statuses.yaml", 1),
];

/// Examples that contradict their own schema: description, JSON pointer, why.
const CONTRADICTING: &[(&str, &str, &str)] = &[(
    "elastic-cloud-enterprise.json",
    "#/definitions/ContainersEntryOptionsContainerConfig/properties/env/example",
    "`env` is an array of strings, but its example is one string, an item (\"DB=localhost:4567\")",
)];

/// Open generator bugs this test found: description, JSON pointer of the example, what
/// goes wrong. Remove an entry when the bug is fixed; the test says when.
const GENERATOR_BUGS: &[(&str, &str, &str)] = &[];

/// The fixtures of the property test, under `codegen/tests/fixtures/`.
/// (`multi_file/` is left out: its `$ref`s cross files, which the harness does not read.)
const FIXTURES: &[&str] = &[
    "absent_null.yaml",
    "bodies.yaml",
    "docs.yaml",
    "models.yaml",
    "naming.yaml",
    "openapi31.yaml",
    "parameters.yaml",
    "polymorphism.yaml",
    "recursive.yaml",
    "refs_into_paths.yaml",
    "schemas_full.yaml",
    "statuses.yaml",
    "swagger_body.json",
    "versions/pets.openapi30.yaml",
    "versions/pets.swagger20.json",
];

/// Property-test failures by open generator bugs: fixture, pointer of the schema, why.
/// Remove an entry when the bug is fixed; the test says when.
const PROPERTY_GENERATOR_BUGS: &[(&str, &str, &str)] = &[];

// ---------------------------------------------------------------------------------------
// Finding the examples and their types

/// One example of a description.
struct Example {
    /// Where it is: `…/example`, `…/examples/<name>` or `…/examples/<index>`.
    pointer: String,
    /// The schema it is compared under (the harness reads it from the description).
    schema: String,
    value: Value,
    /// The generated type it must fit, or why there is none.
    ty: Result<Ty, String>,
}

/// Walks a description beside its lowered model: operations (parameters, bodies,
/// responses) and every schema that became a type, carrying the Rust type of each place
/// down to the examples found there.
struct Finder<'a> {
    doc: &'a Document,
    api: &'a Api,
    types: BTreeMap<&'a str, TypeId>,
    /// Schemas walked, and whether their type was known then.
    walked: BTreeMap<String, bool>,
    found: BTreeMap<String, Example>,
}

impl<'a> Finder<'a> {
    fn find(doc: &'a Document, api: &'a Api) -> BTreeMap<String, Example> {
        let mut finder = Finder {
            doc,
            api,
            types: api
                .types
                .iter()
                .enumerate()
                .map(|(index, def)| (def.pointer.as_str(), TypeId(index)))
                .collect(),
            walked: BTreeMap::new(),
            found: BTreeMap::new(),
        };
        for op in api.operations.iter().chain(&api.webhooks) {
            finder.operation(op);
        }
        for (index, def) in api.types.iter().enumerate() {
            let Some(node) = doc.get(&def.pointer) else {
                continue;
            };
            let named = Ty::Named(TypeId(index));
            let ty = if nullable(node) {
                Ty::Option(Box::new(named))
            } else {
                named
            };
            finder.schema(node, &def.pointer, Ok(ty));
        }
        finder.found
    }

    fn add(&mut self, pointer: String, schema: &str, value: &Value, ty: &Result<Ty, String>) {
        let known = self.found.get(&pointer).is_some_and(|e| e.ty.is_ok());
        if !known {
            let example = Example {
                pointer: pointer.clone(),
                schema: schema.to_owned(),
                value: value.clone(),
                ty: ty.clone(),
            };
            self.found.insert(pointer, example);
        }
    }

    fn operation(&mut self, op: &Operation) {
        let Some(node) = self.doc.get(&op.pointer) else {
            return;
        };
        let item_pointer = parent(&op.pointer);
        let item = self.doc.get(&item_pointer);
        let lists = [
            (
                item.and_then(|i| i.get("parameters")),
                child(&item_pointer, "parameters"),
            ),
            (node.get("parameters"), child(&op.pointer, "parameters")),
        ];
        for (list, base) in lists {
            let Some(Value::Array(list)) = list else {
                continue;
            };
            for (index, param) in list.iter().enumerate() {
                let Ok((pointer, param)) =
                    self.doc.resolve(param, &child(&base, &index.to_string()))
                else {
                    continue;
                };
                self.parameter(op, param, &pointer);
            }
        }
        if let Some(body) = node.get("requestBody") {
            if let Ok((pointer, body)) = self.doc.resolve(body, &child(&op.pointer, "requestBody"))
            {
                let content = body.get("content").and_then(Value::as_object);
                for (media_type, media) in content.into_iter().flatten() {
                    let ty = match &op.body {
                        Some(body) if &body.media_type == media_type => payload_ty(&body.payload),
                        _ => Err(format!(
                            "the generated code sends another media type than `{media_type}`"
                        )),
                    };
                    let media_pointer = child(&child(&pointer, "content"), media_type);
                    self.media(media, &media_pointer, ty);
                }
            }
        }
        let Some(Value::Object(responses)) = node.get("responses") else {
            return;
        };
        for (key, response) in responses {
            if key.starts_with("x-") {
                continue;
            }
            let response_pointer = child(&child(&op.pointer, "responses"), key);
            let Ok((pointer, response)) = self.doc.resolve(response, &response_pointer) else {
                continue;
            };
            let payload = op
                .responses
                .iter()
                .find(|r| Some(r.status) == parse_status(key))
                .map(|r| &r.payload);
            let ty = match payload {
                Some(payload) => payload_ty(payload),
                None => Err(format!("the generated code has no response `{key}`")),
            };
            // Which media types the generated code reads this way.
            let reads = |media_type: &str| match payload {
                Some(Payload::Text) => is_text(media_type),
                _ => is_json(media_type),
            };
            if self.doc.version == Version::Swagger2 {
                let schema_pointer = child(&pointer, "schema");
                if let Some(schema) = response.get("schema") {
                    self.schema(schema, &schema_pointer, ty.clone());
                }
                if let Some(Value::Object(examples)) = response.get("examples") {
                    for (media_type, value) in examples {
                        let ty = if reads(media_type) {
                            ty.clone()
                        } else {
                            Err(format!("the generated code does not read `{media_type}`"))
                        };
                        let example_pointer = child(&child(&pointer, "examples"), media_type);
                        self.add(example_pointer, &schema_pointer, value, &ty);
                    }
                }
                continue;
            }
            // The generated code reads the first media type of its kind (JSON, text);
            // another one with the same schema has the same type.
            let content = response.get("content").and_then(Value::as_object);
            let schema_of = |media: &Value, media_pointer: &str| {
                media
                    .get("schema")
                    .and_then(|s| self.doc.resolve(s, &child(media_pointer, "schema")).ok())
                    .map(|(target, _)| target)
            };
            let mut read: Option<Option<String>> = None;
            for (media_type, media) in content.into_iter().flatten() {
                let media_pointer = child(&child(&pointer, "content"), media_type);
                let schema = schema_of(media, &media_pointer);
                let media_ty = match &read {
                    _ if !reads(media_type) => {
                        Err(format!("the generated code does not read `{media_type}`"))
                    }
                    None => {
                        read = Some(schema);
                        ty.clone()
                    }
                    Some(first) if *first == schema => ty.clone(),
                    Some(_) => Err(format!(
                        "the generated code reads another media type than `{media_type}`"
                    )),
                };
                self.media(media, &media_pointer, media_ty);
            }
        }
    }

    fn parameter(&mut self, op: &Operation, param: &Value, pointer: &str) {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
        let ty = match location {
            "body" => op
                .body
                .as_ref()
                .map_or_else(|| Err("no body".to_owned()), |b| payload_ty(&b.payload)),
            "formData" => {
                let form = op
                    .body
                    .as_ref()
                    .map_or_else(|| Err("no form".to_owned()), |b| payload_ty(&b.payload));
                self.field(&form, name)
            }
            _ => op
                .params
                .iter()
                .find(|p| p.wire == name && location_name(p.location) == location)
                .map(|p| p.ty.clone())
                .ok_or_else(|| format!("the generated code has no {location} parameter `{name}`")),
        };
        let schema_pointer = if param.get("schema").is_some() {
            child(pointer, "schema")
        } else {
            pointer.to_owned()
        };
        if let Some(value) = param.get("example") {
            self.add(child(pointer, "example"), &schema_pointer, value, &ty);
        }
        self.example_objects(param.get("examples"), pointer, &schema_pointer, &ty);
        match param.get("schema") {
            Some(schema) => self.schema(schema, &schema_pointer, ty.clone()),
            // Swagger 2.0 writes the schema keywords on the parameter itself.
            None if self.doc.version == Version::Swagger2 => {
                self.schema(param, pointer, ty.clone())
            }
            None => {}
        }
        let content = param.get("content").and_then(Value::as_object);
        for (media_type, media) in content.into_iter().flatten() {
            let media_pointer = child(&child(pointer, "content"), media_type);
            self.media(media, &media_pointer, ty.clone());
        }
    }

    /// A media type object: its `example`, its `examples` and its schema's.
    fn media(&mut self, media: &Value, pointer: &str, ty: Result<Ty, String>) {
        let schema_pointer = child(pointer, "schema");
        if let Some(value) = media.get("example") {
            self.add(child(pointer, "example"), &schema_pointer, value, &ty);
        }
        self.example_objects(media.get("examples"), pointer, &schema_pointer, &ty);
        if let Some(schema) = media.get("schema") {
            self.schema(schema, &schema_pointer, ty);
        }
    }

    /// A map of Example Objects (or `$ref`s to `components/examples`).
    fn example_objects(
        &mut self,
        examples: Option<&Value>,
        owner: &str,
        schema: &str,
        ty: &Result<Ty, String>,
    ) {
        let Some(Value::Object(examples)) = examples else {
            return;
        };
        for (name, example) in examples {
            let pointer = child(&child(owner, "examples"), name);
            match self.doc.resolve(example, &pointer) {
                Ok((_, example)) => match example.get("value") {
                    Some(value) => self.add(pointer, schema, value, ty),
                    None => self.add(
                        pointer,
                        schema,
                        &Value::Null,
                        &Err("an example without a `value` (`externalValue`?)".to_owned()),
                    ),
                },
                Err(error) => self.add(pointer, schema, &Value::Null, &Err(error.to_string())),
            }
        }
    }

    /// A schema at `pointer` whose Rust type is `ty`: its own examples, then those of the
    /// schemas inside it.
    fn schema(&mut self, node: &Value, pointer: &str, ty: Result<Ty, String>) {
        let ty = match (ty, self.types.get(pointer)) {
            (Err(_), Some(id)) => Ok(Ty::Named(*id)),
            (ty, _) => ty,
        };
        match self.walked.get(pointer) {
            Some(true) => return,
            Some(false) if ty.is_err() => return,
            _ => {}
        }
        self.walked.insert(pointer.to_owned(), ty.is_ok());
        if let Some(value) = node.get("example") {
            self.add(child(pointer, "example"), pointer, value, &ty);
        }
        if let Some(Value::Array(values)) = node.get("examples") {
            for (index, value) in values.iter().enumerate() {
                let example = child(&child(pointer, "examples"), &index.to_string());
                self.add(example, pointer, value, &ty);
            }
        }
        if ref_of(node).is_some() {
            // Keywords beside `$ref` are ignored. A target that is a type is walked as such;
            // one that is not (a primitive) is walked here, with this place's type.
            if let Ok((target, target_node)) = self.doc.resolve(node, pointer) {
                if !self.types.contains_key(target.as_str()) {
                    self.schema(target_node, &target, ty);
                }
            }
            return;
        }
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (wire, schema) in properties {
                let field = self.field(&ty, wire);
                self.schema(schema, &child(&child(pointer, "properties"), wire), field);
            }
        }
        if let Some(items) = node.get("items") {
            let item = self.item(&ty);
            self.schema(items, &child(pointer, "items"), item);
        }
        if let Some(values @ Value::Object(_)) = node.get("additionalProperties") {
            let value = self.map_value(&ty);
            self.schema(values, &child(pointer, "additionalProperties"), value);
        }
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            for (index, member) in members.iter().enumerate() {
                let member_ty = self.all_of_member(&ty, index);
                let member_pointer = child(&child(pointer, "allOf"), &index.to_string());
                self.schema(member, &member_pointer, member_ty);
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(members) = node.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            for (index, member) in members.iter().enumerate() {
                let member_ty = self.variant(&ty, members, index);
                let member_pointer = child(&child(pointer, keyword), &index.to_string());
                self.schema(member, &member_pointer, member_ty);
            }
        }
    }

    /// `ty` without `Option`s and aliases.
    fn core<'t>(&'t self, mut ty: &'t Ty) -> &'t Ty {
        for _ in 0..64 {
            ty = match ty {
                Ty::Option(inner) => inner,
                Ty::Named(id) => match &self.api.types[id.0].kind {
                    TypeKind::Alias(inner) => inner,
                    _ => return ty,
                },
                _ => return ty,
            };
        }
        ty
    }

    fn describe(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => format!("`{}`", self.api.types[id.0].name),
            other => format!("`{other:?}`"),
        }
    }

    fn field(&self, ty: &Result<Ty, String>, wire: &str) -> Result<Ty, String> {
        let ty = self.core(ty.as_ref().map_err(Clone::clone)?);
        if let Ty::Named(id) = ty {
            if let TypeKind::Struct(s) = &self.api.types[id.0].kind {
                return s
                    .fields
                    .iter()
                    .find(|field| field.wire == wire)
                    .map(|field| match field.nullable {
                        true => Ty::Option(Box::new(field.ty.clone())),
                        false => field.ty.clone(),
                    })
                    .ok_or_else(|| format!("{} has no field `{wire}`", self.describe(ty)));
            }
        }
        Err(format!("{} is not a struct", self.describe(ty)))
    }

    fn item(&self, ty: &Result<Ty, String>) -> Result<Ty, String> {
        match self.core(ty.as_ref().map_err(Clone::clone)?) {
            Ty::List(inner) => Ok((**inner).clone()),
            other => Err(format!("{} is not a list", self.describe(other))),
        }
    }

    fn map_value(&self, ty: &Result<Ty, String>) -> Result<Ty, String> {
        let ty = self.core(ty.as_ref().map_err(Clone::clone)?);
        match ty {
            Ty::Map(inner) => return Ok((**inner).clone()),
            Ty::Named(id) => {
                if let TypeKind::Struct(s) = &self.api.types[id.0].kind {
                    if let Some(values) = &s.additional {
                        return Ok(values.clone());
                    }
                }
            }
            _ => {}
        }
        Err(format!("{} is not a map", self.describe(ty)))
    }

    /// An `allOf` member shares the type of the whole: a struct of all members'
    /// properties, or (one member, or no object) the first member's type.
    fn all_of_member(&self, ty: &Result<Ty, String>, index: usize) -> Result<Ty, String> {
        let whole = ty.as_ref().map_err(Clone::clone)?;
        let is_struct = matches!(self.core(whole), Ty::Named(id)
            if matches!(self.api.types[id.0].kind, TypeKind::Struct(_)));
        if is_struct || index == 0 {
            Ok(whole.clone())
        } else {
            Err(format!(
                "`allOf` member {index} of {}, which is no struct",
                self.describe(whole)
            ))
        }
    }

    /// A `oneOf`/`anyOf` member: the variant of the same position among the members that
    /// are not `null`, or the whole when only one is.
    fn variant(
        &self,
        ty: &Result<Ty, String>,
        members: &[Value],
        index: usize,
    ) -> Result<Ty, String> {
        let whole = ty.as_ref().map_err(Clone::clone)?;
        let is_null = |member: &Value| member.get("type").and_then(Value::as_str) == Some("null");
        if is_null(&members[index]) {
            return Err("a `null` member".to_owned());
        }
        let alternatives = members.iter().filter(|m| !is_null(m)).count();
        let position = members[..index].iter().filter(|m| !is_null(m)).count();
        let core = self.core(whole);
        if let Ty::Named(id) = core {
            if let TypeKind::OneOf(one_of) = &self.api.types[id.0].kind {
                if one_of.variants.len() == alternatives {
                    return Ok(one_of.variants[position].ty.clone());
                }
            }
        }
        if alternatives == 1 {
            return Ok(whole.clone());
        }
        Err(format!(
            "member {index} of {}, which has no such variant",
            self.describe(core)
        ))
    }
}

fn payload_ty(payload: &Payload) -> Result<Ty, String> {
    match payload {
        Payload::Json(ty) => Ok(ty.clone()),
        Payload::Form(_) => Err("a form body, not JSON".to_owned()),
        // The body as a `String`: the example must be one.
        Payload::Text => Ok(Ty::String),
        Payload::Binary => Err("a binary body, not JSON".to_owned()),
        Payload::Empty => Err("no body".to_owned()),
    }
}

/// Whether a schema allows `null`; the generated type of a named schema then stands for
/// its other values, and an `Option` of it for all of them.
fn nullable(node: &Value) -> bool {
    let null_member = ["oneOf", "anyOf"].iter().any(|keyword| {
        node.get(*keyword)
            .and_then(Value::as_array)
            .is_some_and(|members| {
                members
                    .iter()
                    .any(|m| m.get("type").and_then(Value::as_str) == Some("null"))
            })
    });
    node.get("nullable") == Some(&Value::Bool(true))
        || node.get("x-nullable") == Some(&Value::Bool(true))
        || matches!(node.get("type"), Some(Value::Array(types)) if types.iter().any(|t| t == "null"))
        || null_member
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/") || essence == "application/xml"
}

fn parse_status(key: &str) -> Option<Status> {
    if key == "default" {
        return Some(Status::Default);
    }
    let bytes = key.as_bytes();
    if bytes.len() == 3 && bytes[1..].eq_ignore_ascii_case(b"xx") {
        return Some(Status::Range(u16::from(bytes[0].wrapping_sub(b'0'))));
    }
    key.parse().ok().map(Status::Code)
}

/// The media type of a pointer into a `content` map (`…/content/<media type>/schema/…`).
fn media_type_of(pointer: &str) -> Option<String> {
    let (_, rest) = pointer.split_once("/content/")?;
    let segment = rest.split('/').next()?;
    Some(segment.replace("~1", "/").replace("~0", "~"))
}

/// The pointer one level up.
fn parent(pointer: &str) -> String {
    pointer
        .rsplit_once('/')
        .map_or(pointer, |(up, _)| up)
        .to_owned()
}

/// Every example of a description, found without the model: each `example`, and each
/// entry of each `examples` (a map of Example Objects, a map by media type, or a list).
/// What the [`Finder`] does not reach is reported.
fn every_example(node: &Value, pointer: &str, in_properties: bool, into: &mut BTreeSet<String>) {
    match node {
        Value::Object(fields) => {
            for (key, value) in fields {
                let here = child(pointer, key);
                if in_properties {
                    // `key` is a property's name and `value` its schema.
                    every_example(value, &here, false, into);
                } else if key.starts_with("x-")
                    || matches!(key.as_str(), "enum" | "default" | "const")
                    || (pointer == "#/components" && key == "examples")
                {
                    // Vendor extensions, values, and the reusable examples (counted
                    // where they are used).
                } else if key == "example" {
                    into.insert(here);
                } else if key == "examples" {
                    match value {
                        Value::Object(entries) => {
                            into.extend(entries.keys().map(|name| child(&here, name)))
                        }
                        Value::Array(items) => {
                            into.extend((0..items.len()).map(|i| child(&here, &i.to_string())))
                        }
                        _ => {
                            into.insert(here);
                        }
                    }
                } else {
                    every_example(value, &here, key == "properties", into);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                every_example(item, &child(pointer, &index.to_string()), false, into);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// The harness

/// What the harness knows of one description.
struct Checked {
    /// Examples with the Rust type they go through, or why none was found.
    examples: Vec<(String, Result<String, String>)>,
    /// Examples in the description that the finder did not reach.
    unreached: Vec<String>,
    binary: PathBuf,
    examples_file: PathBuf,
    doc_file: PathBuf,
}

struct Harness {
    checked: BTreeMap<&'static str, Checked>,
    property: Property,
}

/// The property test's binary and what it needs.
struct Property {
    /// Schemas tested, one per type of a fixture.
    cases: usize,
    /// Types of the fixtures that are not tested, and why.
    skipped: Vec<String>,
    /// `module=document.json` for each fixture.
    docs: Vec<String>,
    binary: PathBuf,
}

fn root() -> PathBuf {
    workspace().join("target/compile-tests")
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}

fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// A round trip through the type `ty`, for the table of a harness binary.
fn round_trip_fn(index: usize, ty: &str) -> String {
    format!(
        "pub fn t{index}(value: Value) -> Result<Value, String> {{\n    examples_harness::round_trip::<{ty}>(value)\n}}\n\n"
    )
}

/// The generator's runtime, which the models use (`double_option`, `from_value`).
const RUNTIME: &str = include_str!("../runtime/runtime.rs");

/// Writes the crate `name` under [`root`]: the generator's `models.rs` of each API in
/// `modules` (at the root for `None`, else in a module of that name) and its runtime.
///
/// Only the models: every type an example or a schema goes through is one of them (or a
/// standard type), so the `operations` module, two thirds of the code, would only cost
/// build time here; `tests/compile.rs` builds it.
fn models_crate(name: &str, modules: &[(Option<String>, &Api, &str)]) -> Result<(), String> {
    let dir = root().join(name);
    let mut lib = String::from("//! Written by `codegen/tests/examples.rs`.\n\npub mod runtime;\n");
    for (module, api, source) in modules {
        let header = format!(
            "// Written by `codegen/tests/examples.rs`: the generator's models of `{source}`.\n"
        );
        let (models, _) = codegen::emit::models_file(api, &header)
            .map_err(|error| format!("{source} does not generate: {error}"))?;
        let file = match module {
            None => {
                lib.push_str("pub mod models;\n");
                "src/models.rs".to_owned()
            }
            Some(module) => {
                lib.push_str(&format!("pub mod {module} {{\n    pub mod models;\n}}\n"));
                format!("src/{module}/models.rs")
            }
        };
        write(&dir.join(file), &models);
    }
    write(&dir.join("src/lib.rs"), &lib);
    write(&dir.join("src/runtime.rs"), RUNTIME);
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by codegen/tests/examples.rs.\n\
             [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             http = \"1\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             uuid = {{ version = \"1\", features = [\"serde\"] }}\n\n[workspace]\n"
        ),
    );
    Ok(())
}

/// Loads and lowers a description.
fn load(spec: &Path) -> Result<(Document, Api), String> {
    let doc = Document::load(spec).map_err(|error| error.to_string())?;
    let api = codegen::lower::lower(&doc).map_err(|error| error.to_string())?;
    Ok((doc, api))
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Result<Harness, String>> = OnceLock::new();
    match HARNESS.get_or_init(build_harness) {
        Ok(harness) => harness,
        Err(error) => panic!("{error}"),
    }
}

/// Where cargo puts the harness's binary `name`.
fn binary(name: &str) -> PathBuf {
    root()
        .join("target/debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn build_harness() -> Result<Harness, String> {
    let harness_dir = root().join("examples_harness");
    let data = harness_dir.join("data");
    // Found here, not in the threads below, so that a missing `../shared/specs/` fails
    // with its own message.
    let specs: Vec<PathBuf> = DESCRIPTIONS
        .iter()
        .map(|(_, file, _)| match file.strip_prefix("fixtures/") {
            Some(fixture) => workspace().join("codegen/tests/fixtures").join(fixture),
            None => shared_spec(file),
        })
        .collect();
    // Generating the large descriptions takes a while in a debug build: one thread each.
    let (generated, property) = std::thread::scope(|scope| {
        let threads: Vec<_> = DESCRIPTIONS
            .iter()
            .zip(&specs)
            .map(|((name, file, _), spec)| {
                let data = &data;
                scope.spawn(move || examples_binary(name, file, spec, data))
            })
            .collect();
        let property = property_binary(&data);
        let generated: Vec<_> = threads
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|_| Err("a thread panicked".into()))
            })
            .collect();
        (generated, property)
    });
    let mut dependencies = String::new();
    let mut bins = Vec::new();
    let mut checked = BTreeMap::new();
    for ((name, _, _), generated) in DESCRIPTIONS.iter().zip(generated) {
        let (found, source) = generated?;
        dependencies.push_str(&format!(
            "examples_{name} = {{ path = \"../examples_{name}\" }}\n"
        ));
        bins.push((format!("roundtrip_{name}"), source));
        checked.insert(*name, found);
    }
    let (property, source) = property?;
    dependencies.push_str("examples_fixtures = { path = \"../examples_fixtures\" }\n");
    bins.push(("property_fixtures".to_owned(), source));
    build(&harness_dir, &dependencies, &bins)?;
    Ok(Harness { checked, property })
}

/// Generates the crate of the description `file` as `examples_<name>`, finds its examples
/// and writes them, with the description as JSON, under `data`; returns what was found and
/// the source of the binary that checks them.
fn examples_binary(
    name: &str,
    file: &str,
    spec: &Path,
    data: &Path,
) -> Result<(Checked, String), String> {
    let crate_name = format!("examples_{name}");
    let (doc, api) = load(spec).map_err(|error| format!("{file} does not load:\n{error}"))?;
    models_crate(&crate_name, &[(None, &api, file)])?;
    let found = Finder::find(&doc, &api);
    let mut everywhere = BTreeSet::new();
    every_example(&doc.root, "#", false, &mut everywhere);
    let unreached = everywhere
        .into_iter()
        .filter(|pointer| !found.contains_key(pointer))
        .collect();

    // Types render as `super::models::X`, as from the generated `operations` module; the
    // binary's functions live in a module whose parent imports `models`.
    let refs = TypeRefs {
        api: &api,
        from_operations: true,
    };
    let mut functions: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples = Vec::new();
    let mut inputs = Vec::new();
    let mut table = String::new();
    for example in found.values() {
        let rendered = example.ty.as_ref().map(|ty| refs.ty(ty).to_string());
        if let Ok(rendered) = &rendered {
            let next = functions.len();
            let index = *functions.entry(rendered.clone()).or_insert(next);
            table.push_str(&format!("    ({}, t{index}),\n", literal(&example.pointer)));
            inputs.push(serde_json::json!({
                "pointer": example.pointer,
                "schema": example.schema,
                "value": example.value,
            }));
        }
        examples.push((example.pointer.clone(), rendered.map_err(Clone::clone)));
    }
    let mut source = format!(
        "//! Round trips of the examples of `{file}`, generated by `codegen/tests/examples.rs`.\n\n\
         #![allow(deprecated)]\n\n\
         #[allow(unused_imports)]\n\
         use {crate_name}::{{models, runtime}};\n\n\
         mod round_trips {{\n    use serde_json::Value;\n\n"
    );
    let mut by_index: Vec<(&String, &usize)> = functions.iter().collect();
    by_index.sort_by_key(|(_, index)| **index);
    for (ty, index) in by_index {
        source.push_str(&round_trip_fn(*index, ty));
    }
    source.push_str(&format!(
        "}}\n\nuse round_trips::*;\n\n\
         const TABLE: &[(&str, examples_harness::RoundTrip)] = &[\n{table}];\n\n\
         fn main() {{\n    examples_harness::examples_main(TABLE);\n}}\n"
    ));

    let doc_file = data.join(format!("{name}.json"));
    write(&doc_file, &doc.root.to_string());
    let examples_file = data.join(format!("{name}.examples.json"));
    write(&examples_file, &Value::Array(inputs).to_string());
    let checked = Checked {
        examples,
        unreached,
        binary: binary(&format!("roundtrip_{name}")),
        examples_file,
        doc_file,
    };
    Ok((checked, source))
}

/// Generates the fixtures as one crate, `examples_fixtures`, a module each, and writes
/// each description as JSON under `data`; returns what the property test needs and the
/// source of its binary: one case per schema that became a type.
fn property_binary(data: &Path) -> Result<(Property, String), String> {
    let fixtures_dir = workspace().join("codegen/tests/fixtures");
    let specs: Vec<(PathBuf, String)> = FIXTURES
        .iter()
        .map(|fixture| {
            (
                fixtures_dir.join(fixture),
                format!("codegen/tests/fixtures/{fixture}"),
            )
        })
        .collect();
    let mut loaded = Vec::new();
    for (spec, source) in &specs {
        let (doc, api) = load(spec).map_err(|error| format!("{source} does not load:\n{error}"))?;
        loaded.push((
            codegen::output::module_name(spec),
            doc,
            api,
            source.as_str(),
        ));
    }
    let modules: Vec<(Option<String>, &Api, &str)> = loaded
        .iter()
        .map(|(module, _, api, source)| (Some(module.clone()), api, *source))
        .collect();
    let names: BTreeSet<&Option<String>> = modules.iter().map(|(module, _, _)| module).collect();
    assert_eq!(
        names.len(),
        modules.len(),
        "two fixtures with one module name"
    );
    models_crate("examples_fixtures", &modules)?;
    let mut cases = 0;
    let mut skipped = Vec::new();
    let mut docs = Vec::new();
    let mut functions = String::new();
    let mut table = String::new();
    for (module, doc, api, _) in &loaded {
        let doc_file = data.join(format!("fixture_{module}.json"));
        write(&doc_file, &doc.root.to_string());
        docs.push(format!("{module}={}", doc_file.display()));
        let refs = TypeRefs {
            api,
            from_operations: true,
        };
        functions.push_str(&format!(
            "mod {module} {{\n    #[allow(unused_imports)]\n    use examples_fixtures::{{runtime, {module}::models}};\n\n    pub mod round_trips {{\n        use serde_json::Value;\n\n"
        ));
        for (index, def) in api.types.iter().enumerate() {
            // Only schemas the description holds (not, say, the struct made of Swagger
            // 2.0 form parameters).
            let Some(node @ Value::Object(_)) = doc.get(&def.pointer) else {
                continue;
            };
            if let Some(media_type) = media_type_of(&def.pointer).filter(|m| !is_json(m)) {
                skipped.push(format!(
                    "{module} {}: the body of a `{media_type}` request or response, not JSON",
                    def.pointer
                ));
                continue;
            }
            let n = cases;
            let named = Ty::Named(TypeId(index));
            let ty = refs
                .ty(&match nullable(node) {
                    true => Ty::Option(Box::new(named)),
                    false => named,
                })
                .to_string();
            functions.push_str(&round_trip_fn(n, &ty));
            table.push_str(&format!(
                "    Case {{ fixture: {}, pointer: {}, type_name: {}, run: {module}::round_trips::t{n} }},\n",
                literal(module),
                literal(&def.pointer),
                literal(&def.name)
            ));
            cases += 1;
        }
        functions.push_str("    }\n}\n\n");
    }
    let source = format!(
        "//! Property test of the fixtures' types, generated by `codegen/tests/examples.rs`.\n\n\
         #![allow(deprecated)]\n\n\
         use examples_harness::Case;\n\n{functions}\
         const CASES: &[Case] = &[\n{table}];\n\n\
         fn main() {{\n    examples_harness::property_main(CASES);\n}}\n"
    );
    let property = Property {
        cases,
        skipped,
        docs,
        binary: binary("property_fixtures"),
    };
    Ok((property, source))
}

/// Writes the harness crate (its library, `bins` and a manifest with `dependencies`) and
/// builds it.
fn build(harness_dir: &Path, dependencies: &str, bins: &[(String, String)]) -> Result<(), String> {
    write(
        &harness_dir.join("Cargo.toml"),
        &format!(
            "# Written by codegen/tests/examples.rs.\n\
             [package]\nname = \"examples_harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{dependencies}\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"std\"] }}\n\
             # Exact: which values a seed builds may change with proptest's version.\n\
             proptest = {{ version = \"=1.12.0\", default-features = false, features = [\"std\"] }}\n\
             serde = \"1\"\nserde_json = \"1\"\n\
             uuid = {{ version = \"1\", features = [\"serde\"] }}\n\n\
             # Debug info and incremental caches cost time and gigabytes for the large\n\
             # generated crates, and nothing here needs them.\n\
             [profile.dev]\ndebug = false\nincremental = false\n\n[workspace]\n"
        ),
    );
    write(
        &harness_dir.join("src/lib.rs"),
        include_str!("harness/lib.rs"),
    );
    let bin_dir = harness_dir.join("src/bin");
    let wanted: BTreeSet<String> = bins.iter().map(|(name, _)| format!("{name}.rs")).collect();
    if let Ok(entries) = std::fs::read_dir(&bin_dir) {
        for entry in entries.flatten() {
            if !wanted.contains(&entry.file_name().to_string_lossy().into_owned()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    for (name, source) in bins {
        write(&bin_dir.join(format!("{name}.rs")), source);
    }
    // The workspace's lock file pins the shared dependencies, and cargo adds `proptest`'s
    // to the copy. The copy is made again only when the workspace's changes (the last one
    // copied is kept beside it), so runs after the first resolve nothing.
    let lock = std::fs::read_to_string(workspace().join("Cargo.lock")).unwrap();
    let copied = harness_dir.join("workspace.lock");
    if std::fs::read_to_string(&copied).ok().as_deref() != Some(lock.as_str())
        || !harness_dir.join("Cargo.lock").exists()
    {
        std::fs::write(harness_dir.join("Cargo.lock"), &lock).unwrap();
        std::fs::write(&copied, &lock).unwrap();
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--bins", "--quiet"])
        .current_dir(harness_dir)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the harness in {} does not build:\n{}",
            harness_dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn run(binary: &Path, args: &[&str]) -> Vec<Value> {
    let output = Command::new(binary)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        binary.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{} printed no JSON report: {error}", binary.display()))
}

// ---------------------------------------------------------------------------------------
// The tests

fn examples_round_trip(name: &str) {
    let (_, file, least) = DESCRIPTIONS.iter().find(|(n, _, _)| *n == name).unwrap();
    let harness = harness();
    let checked = &harness.checked[name];
    let report = run(
        &checked.binary,
        &[
            checked.doc_file.to_str().unwrap(),
            checked.examples_file.to_str().unwrap(),
        ],
    );
    let mut problems = Vec::new();
    for pointer in &checked.unreached {
        problems.push(format!("{pointer}: an example the test does not reach"));
    }
    for (pointer, ty) in &checked.examples {
        if let Err(why) = ty {
            problems.push(format!("{pointer}: no generated type found for it: {why}"));
        }
    }
    let listed = |list: &[(&str, &str, &str)], pointer: &str| {
        list.iter().any(|(listed_file, listed_pointer, _)| {
            listed_file == file && *listed_pointer == pointer
        })
    };
    let mut passed = 0;
    let mut contradicting = 0;
    let mut bugs = 0;
    let mut failed = BTreeSet::new();
    for entry in &report {
        let pointer = entry["pointer"].as_str().unwrap();
        let ty = checked
            .examples
            .iter()
            .find(|(p, _)| p == pointer)
            .and_then(|(_, ty)| ty.as_ref().ok())
            .cloned()
            .unwrap_or_default();
        match entry["error"].as_str() {
            None => passed += 1,
            Some(error) => {
                failed.insert(pointer.to_owned());
                if listed(CONTRADICTING, pointer) {
                    contradicting += 1;
                } else if listed(GENERATOR_BUGS, pointer) {
                    bugs += 1;
                } else {
                    problems.push(format!("{pointer} (as `{ty}`): {error}"));
                }
            }
        }
    }
    for (listed_file, pointer, why) in CONTRADICTING.iter().chain(GENERATOR_BUGS) {
        if listed_file == file && !failed.contains(*pointer) {
            problems.push(format!(
                "{pointer} is listed as failing ({why}) but passes: remove it from the list"
            ));
        }
    }
    let total = checked.examples.len();
    println!(
        "{file}: {total} examples, {passed} pass, {contradicting} contradict their schema, \
         {bugs} fail by open generator bugs"
    );
    assert!(
        total >= *least,
        "{file}: found only {total} examples, expected at least {least}"
    );
    assert!(
        problems.is_empty(),
        "{file}: {total} examples, {passed} pass; {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn fixture_openapi31() {
    examples_round_trip("fixture_openapi31");
}

#[test]
fn fixture_statuses() {
    examples_round_trip("fixture_statuses");
}

#[test]
fn camunda_orchestration_cluster() {
    examples_round_trip("camunda_orchestration_cluster");
}

#[test]
fn camunda_orchestration_cluster_8_8() {
    examples_round_trip("camunda_orchestration_cluster_8_8");
}

#[test]
fn elastic_cloud_enterprise() {
    examples_round_trip("elastic_cloud_enterprise");
}

#[test]
fn elastic_cloud() {
    examples_round_trip("elastic_cloud");
}

#[test]
fn fixture_schemas_round_trip_values_built_from_them() {
    let property = &harness().property;
    let cases = CASES.to_string();
    let mut args = vec![cases.as_str()];
    args.extend(property.docs.iter().map(String::as_str));
    let report = run(&property.binary, &args);
    assert_eq!(report.len(), property.cases);
    let mut problems = Vec::new();
    let mut tested = 0;
    let mut skipped = property.skipped.clone();
    let mut failed = BTreeSet::new();
    let mut known = 0;
    for entry in &report {
        let fixture = entry["fixture"].as_str().unwrap();
        let pointer = entry["pointer"].as_str().unwrap();
        if let Some(why) = entry["skipped"].as_str() {
            skipped.push(format!("{fixture} {pointer}: {why}"));
            continue;
        }
        tested += 1;
        if let Some(error) = entry["error"].as_str() {
            failed.insert((fixture.to_owned(), pointer.to_owned()));
            let listed = PROPERTY_GENERATOR_BUGS
                .iter()
                .any(|(f, p, _)| *f == fixture && *p == pointer);
            if listed {
                known += 1;
            } else {
                problems.push(format!(
                    "{fixture} {pointer} (`{}`): {error}\n    value: {}",
                    entry["type"].as_str().unwrap_or_default(),
                    entry["value"]
                ));
            }
        }
    }
    for (fixture, pointer, why) in PROPERTY_GENERATOR_BUGS {
        if !failed.contains(&(fixture.to_string(), pointer.to_string())) {
            problems.push(format!(
                "{fixture} {pointer} is listed as failing ({why}) but passes: remove it"
            ));
        }
    }
    println!(
        "property test: {tested} schemas of {} fixtures x {CASES} cases, {} pass, {known} fail by open generator bugs, {} skipped",
        FIXTURES.len(),
        tested - failed.len(),
        skipped.len()
    );
    for skip in &skipped {
        println!("    skipped {skip}");
    }
    assert!(tested > 100, "only {tested} schemas tested");
    assert!(
        problems.is_empty(),
        "{} of {tested} schemas fail the round trip:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
