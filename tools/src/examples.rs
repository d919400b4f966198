//! Finding the examples a description carries (schema, media type, parameter and
//! response examples) and the generated type each must fit: a walk of the description
//! (read as JSON by `oracle::document`) beside the model `codegen::generate` returned for
//! it. The examples test of `codegen` and the Prism run both round-trip them.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::{Api, Location, MediaKind, Operation, Payload, Status, Ty, TypeId, TypeKind};
use serde_json::Value;

use oracle::document::{child, is_nullable, Document};

/// One example of a description.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it is: `…/example`, `…/examples/<name>` or `…/examples/<index>`.
    pub pointer: String,
    /// The schema it is compared under (the harness reads it from the description).
    pub schema: String,
    /// The example's value, as the description holds it.
    pub value: Value,
    /// The generated type it must fit, or why there is none.
    pub ty: Result<Ty, String>,
}

/// Walks a description beside its lowered model: operations (parameters, bodies,
/// responses) and every schema that became a type, carrying the Rust type of each place
/// down to the examples found there.
pub struct Finder<'a> {
    doc: &'a Document,
    api: &'a Api,
    types: BTreeMap<&'a str, TypeId>,
    /// Schemas walked, and whether their type was known then.
    walked: BTreeMap<String, bool>,
    found: BTreeMap<String, Example>,
}

impl<'a> Finder<'a> {
    /// Every example of `doc` the walk reaches, by pointer, each with the type of `api`
    /// it must fit.
    pub fn find(doc: &'a Document, api: &'a Api) -> BTreeMap<String, Example> {
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
            let ty = if is_nullable(node) {
                Ty::Option(Box::new(named))
            } else {
                named
            };
            finder.schema(node, &def.pointer, Ok(ty));
        }
        finder.found
    }

    /// Whether the description is Swagger 2.0 (whose responses hold `schema` and
    /// `examples` by media type, and whose parameters hold their schema's keywords).
    fn swagger(&self) -> bool {
        self.doc.root.get("swagger").is_some()
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
                let (pointer, param) = self.doc.resolve(param, &child(&base, &index.to_string()));
                self.parameter(op, param, &pointer);
            }
        }
        if let Some(body) = node.get("requestBody") {
            {
                let (pointer, body) = self.doc.resolve(body, &child(&op.pointer, "requestBody"));
                let content = body.get("content").and_then(Value::as_object);
                for (media_type, media) in content.into_iter().flatten() {
                    let content = op
                        .body
                        .iter()
                        .flat_map(|b| &b.contents)
                        .find(|c| c.media_types.iter().any(|m| m == media_type));
                    let ty = match content {
                        Some(content) => payload_ty(&content.payload),
                        None => Err(format!(
                            "the generated code does not send the media type `{media_type}`"
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
            let (pointer, response) = self.doc.resolve(response, &response_pointer);
            let payload = op
                .responses
                .iter()
                .find(|r| Some(r.status) == Status::parse(key))
                .and_then(|r| r.contents.first())
                .map(|c| &c.payload);
            let ty = match payload {
                Some(payload) => payload_ty(payload),
                None => Err(format!("the generated code has no response `{key}`")),
            };
            // Which media types the generated code reads this way.
            let reads = |media_type: &str| match payload {
                Some(Payload::Text) => MediaKind::of(media_type) == MediaKind::Text,
                _ => MediaKind::of(media_type) == MediaKind::Json,
            };
            if self.swagger() {
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
                    .map(|s| self.doc.resolve(s, &child(media_pointer, "schema")).0)
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
                .and_then(|b| b.contents.first())
                .map_or_else(|| Err("no body".to_owned()), |c| payload_ty(&c.payload)),
            "formData" => {
                let form = op
                    .body
                    .as_ref()
                    .and_then(|b| b.contents.first())
                    .map_or_else(|| Err("no form".to_owned()), |c| payload_ty(&c.payload));
                self.field(&form, name)
            }
            // By where it is described first: a path key's query makes a path parameter
            // a query one of another name (`/alerts?lat={lat}`).
            _ => op
                .params
                .iter()
                .find(|p| p.pointer == pointer)
                .or_else(|| {
                    op.params
                        .iter()
                        .find(|p| p.wire == name && location_name(p.location) == location)
                })
                .map(|p| nullable_param(self.doc, param, p.ty.clone()))
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
            None if self.swagger() => self.schema(param, pointer, ty.clone()),
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
            // An Example Object, or a Reference Object to one: a place for `$ref`.
            let (_, example) = self.doc.resolve(example, &pointer);
            match example.get("value") {
                Some(value) => self.add(pointer, schema, value, ty),
                None => self.add(
                    pointer,
                    schema,
                    &Value::Null,
                    &Err("an example without a `value` (`externalValue`?)".to_owned()),
                ),
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
        if node.get("$ref").is_some_and(Value::is_string) {
            // Keywords beside `$ref` are ignored. A target that is a type is walked as such;
            // one that is not (a primitive) is walked here, with this place's type.
            let (target, target_node) = self.doc.resolve(node, pointer);
            if target != pointer && !self.types.contains_key(target.as_str()) {
                self.schema(target_node, &target, ty);
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
                    if let Some(additional) = &s.additional {
                        return Ok(additional.ty.clone());
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
        Payload::Events(_) => Err("a stream of events, not JSON".to_owned()),
        Payload::Empty => Err("no body".to_owned()),
    }
}

/// A parameter's type for its examples: where its schema admits `null` (`nullable`, a
/// `null` type), a `null` example is the parameter left out, which the generated
/// `Option` says.
fn nullable_param(doc: &Document, param: &Value, ty: Ty) -> Ty {
    let schema = param.get("schema").unwrap_or(param);
    let schema = doc.resolve(schema, "#").1;
    match ty {
        Ty::Option(_) => ty,
        ty if is_nullable(schema) => Ty::Option(Box::new(ty)),
        ty => ty,
    }
}

/// How the format names a parameter's location.
fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// The media type of a pointer into a `content` map (`…/content/<media type>/schema/…`).
pub fn media_type_of(pointer: &str) -> Option<String> {
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
pub fn every_example(
    node: &Value,
    pointer: &str,
    in_properties: bool,
    into: &mut BTreeSet<String>,
) {
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
