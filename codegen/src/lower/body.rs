//! Bodies: what a request sends and a response carries, by media type. Each media type
//! becomes a [`Content`] with its payload and, for forms, how each property is written
//! (the Encoding Object); several contents become an enum the caller (for a request) or
//! the response's `Content-Type` (for a response) picks from.

use serde_json::{Map, Value};

use super::keywords::doc_of;
use super::operations::{component, swagger_schema, Current, Operations};
use crate::diagnostics::Result;
use crate::load::child;
use crate::markdown::code;
use crate::model::{Body, Content, MediaKind, Payload, PropertyEncoding, Style, Ty, TypeKind};
use crate::naming::{type_name, variant_name, InlinePath, Namespace};

impl Operations<'_, '_> {
    /// A Swagger 2.0 `in: body` parameter: the body, in the media types of `consumes`.
    pub(super) fn swagger_body(
        &mut self,
        op: &Current,
        param: &Value,
        pointer: &str,
    ) -> Result<Body> {
        let mut consumes = self.media_types(op.node, "consumes");
        if consumes.is_empty() {
            consumes.push("application/json".to_owned());
        }
        let schema = param.get("schema");
        let schema_pointer = child(pointer, "schema");
        let mut contents = Vec::new();
        let inline = request_context(op, component(pointer, &["parameters"]));
        for media_type in ordered(&consumes) {
            let payload = self.request_payload(media_type, schema, &schema_pointer, &inline)?;
            let mut content = content(media_type, payload, Vec::new());
            content.schema = schema.map(|_| schema_pointer.clone());
            contents.push(content);
        }
        Ok(self.body(
            op,
            contents,
            param.get("required") == Some(&Value::Bool(true)),
            doc_of(param),
        ))
    }

    /// Swagger 2.0 `formData` parameters become one struct, as a 3.x form schema would.
    pub(super) fn swagger_form(
        &mut self,
        op: &Current,
        fields: &[(Value, String)],
    ) -> Result<Body> {
        let consumes = self.media_types(op.node, "consumes");
        let has_file = fields
            .iter()
            .any(|(f, _)| f.get("type") == Some(&Value::String("file".into())));
        const MULTIPART: &str = "multipart/form-data";
        const URLENCODED: &str = "application/x-www-form-urlencoded";
        let media_type = if has_file || consumes.iter().any(|m| m == MULTIPART) {
            MULTIPART
        } else {
            URLENCODED
        };
        // Without a file, and with `consumes` naming neither form (or both), either may
        // carry the fields: the client writes the first, a server reads both. Their
        // encodings agree, since a Swagger form field is never an object.
        let names_form = |form: &str| consumes.iter().any(|m| m == form);
        let other = if media_type == MULTIPART {
            URLENCODED
        } else {
            MULTIPART
        };
        let both = !has_file && names_form(MULTIPART) == names_form(URLENCODED);
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (field, _) in fields {
            let Some(wire) = field.get("name").and_then(Value::as_str) else {
                continue;
            };
            properties.insert(wire.to_owned(), swagger_schema(field));
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(wire.to_owned()));
            }
        }
        let schema =
            serde_json::json!({ "type": "object", "properties": properties, "required": required });
        let inline =
            InlinePath::of_operation(op.name, "Form", format!("the form of {}", code(op.id)));
        let ty = self
            .schemas
            .ty(&schema, &child(op.pointer, "parameters"), &inline)?;
        let encoding = self.encoding(media_type, &Payload::Form(ty.clone()), None);
        let mut content = content(media_type, Payload::Form(ty), encoding);
        if both {
            content.media_types.push(other.to_owned());
        }
        content.schema = Some(child(op.pointer, "parameters"));
        let contents = vec![content];
        Ok(self.body(op, contents, !required.is_empty(), None))
    }

    /// An OpenAPI 3 `requestBody`.
    pub(super) fn request_body(&mut self, op: &Current, node: &Value) -> Result<Body> {
        let pointer = child(op.pointer, "requestBody");
        let (pointer, node) = self.doc.resolve(node, &pointer)?;
        let content_pointer = child(&pointer, "content");
        let media = node.get("content").and_then(Value::as_object);
        let media_types: Vec<String> = media
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        let mut contents = Vec::new();
        let inline = request_context(op, component(&pointer, &["requestBodies"]));
        for media_type in ordered(&media_types) {
            let media_node = &media.expect("media types come from it")[media_type];
            let schema = media_node.get("schema");
            let schema_pointer = child(&child(&content_pointer, media_type), "schema");
            let payload = self.request_payload(media_type, schema, &schema_pointer, &inline)?;
            let encoding = self.encoding(media_type, &payload, media_node.get("encoding"));
            let mut content = content(media_type, payload, encoding);
            content.schema = schema.map(|_| schema_pointer);
            content.media = Some(child(&content_pointer, media_type));
            contents.push(content);
        }
        let required = node.get("required") == Some(&Value::Bool(true));
        Ok(self.body(op, contents, required, doc_of(node)))
    }

    /// A body of `contents`, with the enum to choose one by when there are several.
    fn body(
        &mut self,
        op: &Current,
        mut contents: Vec<Content>,
        required: bool,
        doc: Option<String>,
    ) -> Body {
        let choice = (contents.len() > 1).then(|| {
            name_variants(&mut contents);
            self.names.claim(format!("{}Body", op.name))
        });
        Body {
            contents,
            choice,
            required,
            doc,
        }
    }

    /// The distinct bodies of a response in `media_types` (the media type and its node),
    /// with the enum that holds the one received when they differ.
    pub(super) fn contents_of(
        &mut self,
        media: &[Media],
        inline: &InlinePath,
        choice_name: &str,
    ) -> Result<(Vec<Content>, Option<String>)> {
        let names: Vec<String> = media.iter().map(|m| m.media_type.clone()).collect();
        let mut contents: Vec<Content> = Vec::new();
        // What each content's schema is: one schema stays one type, whatever media types
        // carry it (Kubernetes documents JSON, YAML and protobuf for each response;
        // `decode` reads the JSON, which `Accept` asks for first).
        let mut schemas: Vec<String> = Vec::new();
        for media_type in ordered(&names) {
            let one = media
                .iter()
                .find(|m| m.media_type == media_type)
                .expect("ordered keeps the media types");
            let payload = self.payload(media_type, one.schema, &one.schema_pointer, inline)?;
            let schema = self.schema_identity(one.schema, &one.schema_pointer);
            let same = contents.iter().zip(&schemas).position(|(c, s)| {
                c.payload == payload
                    || (schema.is_some() && s.as_str() == schema.as_deref().unwrap_or_default())
            });
            match same {
                Some(index) => contents[index].media_types.push(media_type.to_owned()),
                None => {
                    schemas.push(schema.unwrap_or_default());
                    let mut content = content(media_type, payload, Vec::new());
                    content.schema = one.schema.map(|_| one.schema_pointer.clone());
                    content.media = one.pointer.clone();
                    contents.push(content);
                }
            }
        }
        let choice = (contents.len() > 1).then(|| {
            name_variants(&mut contents);
            self.names.claim(type_name(choice_name, "Body"))
        });
        Ok((contents, choice))
    }

    /// What tells one schema from another: where a `$ref` leads, or the schema's text.
    fn schema_identity(&self, schema: Option<&Value>, pointer: &str) -> Option<String> {
        let (resolved, node) = self.doc.resolve(schema?, pointer).ok()?;
        Some(if schema?.get("$ref").is_some() {
            resolved
        } else {
            node.to_string()
        })
    }

    /// What a body of `media_type` with `schema` (at `pointer`) is read or written as.
    pub(super) fn payload(
        &mut self,
        media_type: &str,
        schema: Option<&Value>,
        pointer: &str,
        inline: &InlinePath,
    ) -> Result<Payload> {
        Ok(match MediaKind::of(media_type) {
            MediaKind::Json => match schema {
                // Bytes under a range (`*/*` of `format: binary`) are the body's own bytes
                // in whatever media type comes, not a JSON string.
                Some(schema) => match self.schemas.ty(schema, pointer, inline)? {
                    ty if media_type.contains('*') && self.schemas.is_bytes(&ty) => Payload::Binary,
                    ty => Payload::Json(ty),
                },
                None => Payload::Json(Ty::Any),
            },
            MediaKind::Form => match schema {
                // A form described as a string is the form's text, written by the caller
                // (Spoonacular's `ingredientList=…`); as bytes, its bytes.
                Some(schema) => match self.schemas.ty(schema, pointer, inline)? {
                    Ty::String => Payload::Text,
                    ty if self.schemas.is_bytes(&ty) => Payload::Binary,
                    ty => Payload::Form(ty),
                },
                None => Payload::Form(Ty::Map(Box::new(Ty::Any))),
            },
            // Each event's data is JSON of the schema given; without one, or with a
            // string, it is the text.
            MediaKind::Events => Payload::Events(match schema {
                Some(schema) => self.schemas.ty(schema, pointer, inline)?,
                None => Ty::String,
            }),
            MediaKind::Text => Payload::Text,
            MediaKind::Binary => Payload::Binary,
        })
    }

    /// What a request body of `media_type` is written as: [`Self::payload`], but the
    /// base64 text a description spells out is sent as that text. A response's body of
    /// the same stays bytes as received, so a server that sends the raw bytes its media
    /// type names is still read.
    fn request_payload(
        &mut self,
        media_type: &str,
        schema: Option<&Value>,
        pointer: &str,
        context: &InlinePath,
    ) -> Result<Payload> {
        if self.is_base64_text(media_type, schema, pointer) {
            return Ok(Payload::Text);
        }
        self.payload(media_type, schema, pointer, context)
    }

    /// Whether a body of `media_type` is base64 text the description spells out: a string
    /// of `format: byte` (or OpenAPI 3.0's `format: base64` for bodies) in a media type
    /// that is not JSON's own, an image or `*/*`. The body is that text as it is (Spotify
    /// takes a playlist cover "as a Base64 encoded JPEG image"): raw bytes, or a quoted
    /// JSON string under `*/*`, break the schema.
    fn is_base64_text(&self, media_type: &str, schema: Option<&Value>, pointer: &str) -> bool {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let not_json = match MediaKind::of(media_type) {
            MediaKind::Binary => true,
            MediaKind::Json => essence != "application/json" && !essence.ends_with("+json"),
            MediaKind::Form | MediaKind::Events | MediaKind::Text => false,
        };
        let Some(Ok((_, node))) = schema.map(|schema| self.doc.resolve(schema, pointer)) else {
            return false;
        };
        let format = node.get("format").and_then(Value::as_str);
        not_json
            && node.get("type").and_then(Value::as_str) == Some("string")
            && matches!(format, Some("byte" | "base64"))
    }

    /// How the properties of a form are written, where not the default way: the
    /// Encoding Object's entries and, in a multipart form, the properties that are bytes.
    /// In a URL-encoded form an object property without a style of its own is JSON text
    /// (the Encoding Object's default `contentType` for objects).
    fn encoding(
        &self,
        media_type: &str,
        payload: &Payload,
        given: Option<&Value>,
    ) -> Vec<PropertyEncoding> {
        let Payload::Form(ty) = payload else {
            return Vec::new();
        };
        let multipart = media_type.to_ascii_lowercase().starts_with("multipart/");
        let given = given.and_then(Value::as_object);
        let mut out = Vec::new();
        for (wire, field_ty) in self.schemas.fields_of(ty) {
            let entry = given.and_then(|g| g.get(&wire));
            let text = |key: &str| entry.and_then(|e| e.get(key)).and_then(Value::as_str);
            let flag = |key: &str| entry.and_then(|e| e.get(key)).and_then(Value::as_bool);
            let style = text("style").and_then(Style::parse).unwrap_or(Style::Form);
            let styled = ["style", "explode", "allowReserved"]
                .iter()
                .any(|key| entry.and_then(|e| e.get(*key)).is_some());
            let object = matches!(self.schemas.kind_of(&field_ty), Some(TypeKind::Struct(_)))
                || matches!(field_ty, Ty::Map(_));
            let content_type = text("contentType").map(str::to_owned).or_else(|| {
                (!multipart && object && !styled).then(|| "application/json".to_owned())
            });
            let binary = self.schemas.is_bytes(&field_ty)
                || matches!(&field_ty, Ty::List(item) if self.schemas.is_bytes(item));
            let encoding = PropertyEncoding {
                property: wire,
                content_type,
                style,
                explode: flag("explode").unwrap_or(style.default_explode()),
                allow_reserved: flag("allowReserved").unwrap_or(false),
                binary: multipart && binary,
            };
            let default = encoding.content_type.is_none()
                && !encoding.binary
                && (multipart
                    || (style == Style::Form && encoding.explode && !encoding.allow_reserved));
            if !default {
                out.push(encoding);
            }
        }
        out
    }
}

/// One media type of a response: its name, its schema and where that is, and where the
/// Media Type Object is (OpenAPI 3).
pub(super) struct Media<'v> {
    pub media_type: String,
    pub schema: Option<&'v Value>,
    pub schema_pointer: String,
    pub pointer: Option<String>,
}

/// Where a request body's schema is: the body of `op`, or the reusable body `component`
/// it refers to, which names it.
fn request_context(op: &Current, component: Option<String>) -> InlinePath {
    match component {
        Some(name) => InlinePath::new(
            &name,
            format!("the request body {} of the components", code(&name)),
        ),
        None => InlinePath::of_operation(
            op.name,
            "Request",
            format!("the request body of {}", code(op.id)),
        ),
    }
}

fn content(media_type: &str, payload: Payload, encoding: Vec<PropertyEncoding>) -> Content {
    Content {
        media_types: vec![media_type.to_owned()],
        payload,
        variant: String::new(),
        encoding,
        schema: None,
        media: None,
    }
}

/// Names the variants of a body enum after their media types (`Json`, `ProblemJson`).
fn name_variants(contents: &mut [Content]) {
    let mut names = Namespace::default();
    for content in contents {
        let media_type = &content.media_types[0];
        let essence = media_type.split(';').next().unwrap_or_default();
        // `application/problem+json` says more as `ProblemJson` than as its whole.
        let subtype = essence
            .split_once('/')
            .map_or(essence, |(_, subtype)| subtype);
        content.variant = names.claim(variant_name(subtype, "Media"));
    }
}

/// Media types in the order they are preferred: JSON first, then forms, text and raw
/// bytes; of one kind, a media type before a range (`application/json` before
/// `application/*+json`, which no body is sent as); ties keep the order they are listed
/// in.
pub(super) fn ordered(media_types: &[String]) -> Vec<&str> {
    let mut ordered: Vec<(MediaKind, bool, usize, &str)> = media_types
        .iter()
        .enumerate()
        .map(|(index, media_type)| {
            let range = media_type.contains('*');
            (MediaKind::of(media_type), range, index, media_type.as_str())
        })
        .collect();
    ordered.sort();
    ordered
        .into_iter()
        .map(|(_, _, _, media_type)| media_type)
        .collect()
}

/// The media types an operation's responses document, the best for `decode` first.
pub(super) fn accept(responses: &[crate::model::Response]) -> Vec<String> {
    let all: Vec<String> = responses
        .iter()
        .flat_map(|r| {
            r.contents
                .iter()
                .flat_map(|c| c.media_types.iter().cloned())
        })
        .collect();
    let mut accept: Vec<String> = Vec::new();
    for media_type in ordered(&all) {
        if !accept.iter().any(|m| m == media_type) {
            accept.push(media_type.to_owned());
        }
    }
    accept
}
