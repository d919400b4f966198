//! Lowering: a loaded [`Document`] of any supported version becomes one [`Api`]. This
//! module owns operations, parameters, bodies and responses; `schema` owns types.

pub mod cycles;
pub mod schema;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::load::{child, Document, Version};
use crate::model::{
    Api, Body, EnumVariant, Header, HeaderTy, Location, Operation, Param, Payload, Response,
    Status, StringEnum, Ty,
};
use crate::naming::{field_name, type_name, variant_name, Namespace};
use schema::{doc_of, Schemas};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Lowers the whole description, reporting every problem found, not just the first.
pub fn lower(doc: &Document) -> Result<Api> {
    let mut schemas = Schemas::new(doc);
    let mut diagnostics = Vec::new();
    if let Err(error) = schemas.define_components() {
        diagnostics.extend(error.diagnostics);
    }
    let mut operations = Vec::new();
    let mut lowering = Operations {
        doc,
        schemas: &mut schemas,
        names: Namespace::default(),
        ids: BTreeSet::new(),
    };
    if let Some(Value::Object(paths)) = doc.root.get("paths") {
        for (path, item) in paths {
            let pointer = child("#/paths", path);
            match lowering.path_item(path, item, &pointer) {
                Ok(found) => operations.extend(found),
                Err(error) => diagnostics.extend(error.diagnostics),
            }
        }
    }
    let mut webhooks = Vec::new();
    if let Some(Value::Object(hooks)) = doc.root.get("webhooks") {
        for (name, item) in hooks {
            let pointer = child("#/webhooks", name);
            match lowering.path_item(name, item, &pointer) {
                Ok(found) => webhooks.extend(found),
                Err(error) => diagnostics.extend(error.diagnostics),
            }
        }
    }
    let types = match schemas.finish() {
        Ok(types) => types,
        Err(error) => {
            diagnostics.extend(error.diagnostics);
            Vec::new()
        }
    };
    if !diagnostics.is_empty() {
        // One bad node can be reached from several places; report it once.
        let mut seen = BTreeSet::new();
        diagnostics.retain(|d| seen.insert((d.pointer.clone(), d.message.clone())));
        return Err(Error { diagnostics });
    }
    let info = doc.root.get("info");
    let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str);
    Ok(Api {
        title: text("title").unwrap_or("API").to_owned(),
        api_version: text("version").unwrap_or_default().to_owned(),
        description: text("description").map(str::to_owned),
        types,
        operations,
        webhooks,
    })
}

struct Operations<'d, 's> {
    doc: &'d Document,
    schemas: &'s mut Schemas<'d>,
    /// Names of operations and of the types made for them (`operations` module).
    names: Namespace,
    ids: BTreeSet<String>,
}

impl<'d> Operations<'d, '_> {
    fn path_item(&mut self, path: &str, item: &Value, pointer: &str) -> Result<Vec<Operation>> {
        let (pointer, item) = self.doc.resolve(item, pointer)?;
        let Value::Object(item) = item else {
            return Err(self.doc.error(&pointer, "a path item must be an object"));
        };
        let shared = item.get("parameters");
        let mut operations = Vec::new();
        let mut diagnostics = Vec::new();
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let op_pointer = child(&pointer, method);
            match self.operation(path, method, operation, shared, &pointer, &op_pointer) {
                Ok(op) => operations.push(op),
                Err(error) => diagnostics.extend(error.diagnostics),
            }
        }
        if diagnostics.is_empty() {
            Ok(operations)
        } else {
            Err(Error { diagnostics })
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        node: &Value,
        shared: Option<&Value>,
        item_pointer: &str,
        pointer: &str,
    ) -> Result<Operation> {
        let id = match node.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => format!("{method} {path}"),
        };
        if !self.ids.insert(id.clone()) {
            return Err(self.doc.error(
                &child(pointer, "operationId"),
                format!(
                    "operationId `{id}` is used by another operation already; each must be unique"
                ),
            ));
        }
        let name = self.names.claim(type_name(&id, "Operation"));
        let text = |key: &str| node.get(key).and_then(Value::as_str).map(str::to_owned);

        // Operation-level parameters override path-level ones of the same name and place.
        let mut params: Vec<(Value, String)> = Vec::new();
        let lists = [
            (shared, child(item_pointer, "parameters")),
            (node.get("parameters"), child(pointer, "parameters")),
        ];
        for (list, base) in lists {
            let Some(Value::Array(list)) = list else {
                continue;
            };
            for (index, param) in list.iter().enumerate() {
                let (param_pointer, param) =
                    self.doc.resolve(param, &child(&base, &index.to_string()))?;
                let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                match params.iter_mut().find(|(p, _)| key(p) == key(param)) {
                    Some(existing) => *existing = (param.clone(), param_pointer),
                    None => params.push((param.clone(), param_pointer)),
                }
            }
        }

        let mut lowered = Vec::new();
        let mut field_names = Namespace::default();
        let mut body = None;
        let mut form_fields: Vec<(Value, String)> = Vec::new();
        for (param, param_pointer) in &params {
            let location = match param.get("in").and_then(Value::as_str) {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                Some("cookie") => Location::Cookie,
                Some("body") => {
                    body = Some(self.swagger_body(node, param, param_pointer, &name)?);
                    continue;
                }
                Some("formData") => {
                    form_fields.push((param.clone(), param_pointer.clone()));
                    continue;
                }
                Some(other) => {
                    return Err(self.doc.error(
                        param_pointer,
                        format!("`in: {other}` is not a parameter location: use path, query, header or cookie"),
                    ))
                }
                None => {
                    return Err(self.doc.error(
                        param_pointer,
                        "a parameter has no `in`: say whether it goes in the path, query, header or cookie",
                    ))
                }
            };
            let Some(wire) = param.get("name").and_then(Value::as_str) else {
                return Err(self.doc.error(param_pointer, "a parameter has no `name`"));
            };
            lowered.push(self.param(
                param,
                param_pointer,
                wire,
                location,
                &name,
                &mut field_names,
            )?);
        }
        if !form_fields.is_empty() {
            body = Some(self.swagger_form(node, &form_fields, pointer, &name)?);
        }
        if let Some(request_body) = node.get("requestBody") {
            body = Some(self.request_body(request_body, &child(pointer, "requestBody"), &name)?);
        }

        let responses = self.responses(node, &child(pointer, "responses"), &name)?;
        Ok(Operation {
            id,
            name,
            method: method.to_uppercase(),
            path: path.to_owned(),
            pointer: pointer.to_owned(),
            summary: text("summary"),
            description: text("description"),
            deprecated: node.get("deprecated") == Some(&Value::Bool(true)),
            tags: node
                .get("tags")
                .and_then(Value::as_array)
                .map(|tags| {
                    tags.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            params: lowered,
            body,
            responses,
        })
    }

    fn param(
        &mut self,
        param: &Value,
        pointer: &str,
        wire: &str,
        location: Location,
        op: &str,
        names: &mut Namespace,
    ) -> Result<Param> {
        let context = format!("{op}{}", type_name(wire, "Param"));
        // 3.x puts the type in `schema` (or `content`); 2.0 writes it on the parameter.
        let ty = if let Some(schema) = param.get("schema") {
            self.schemas
                .ty(schema, &child(pointer, "schema"), &context)?
        } else if let Some((media_pointer, media)) =
            first_media(param.get("content"), &child(pointer, "content"))
        {
            match media.get("schema") {
                Some(schema) => {
                    self.schemas
                        .ty(schema, &child(&media_pointer, "schema"), &context)?
                }
                None => Ty::String,
            }
        } else if self.doc.version == Version::Swagger2 {
            self.schemas.ty(&swagger_schema(param), pointer, &context)?
        } else {
            Ty::String
        };
        let ty = match ty {
            Ty::Option(inner) => *inner,
            ty => ty,
        };
        let (style, explode) = style_of(param, location, self.doc.version);
        Ok(Param {
            wire: wire.to_owned(),
            name: names.claim(field_name(wire)),
            location,
            doc: doc_of(param),
            ty,
            required: location == Location::Path
                || param.get("required") == Some(&Value::Bool(true)),
            deprecated: param.get("deprecated") == Some(&Value::Bool(true)),
            style,
            explode,
        })
    }

    /// Media types an operation (else the document) declares under `key`.
    fn media_types(&self, node: &Value, key: &str) -> Vec<String> {
        node.get(key)
            .or_else(|| self.doc.root.get(key))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn swagger_body(
        &mut self,
        op: &Value,
        param: &Value,
        pointer: &str,
        name: &str,
    ) -> Result<Body> {
        let consumes = self.media_types(op, "consumes");
        let media_type = preferred(&consumes)
            .unwrap_or("application/json")
            .to_owned();
        let payload = match param.get("schema") {
            Some(schema) => self.payload(
                &media_type,
                Some(schema),
                &child(pointer, "schema"),
                &format!("{name}Request"),
            )?,
            None => Payload::Empty,
        };
        Ok(Body {
            media_type,
            payload,
            required: param.get("required") == Some(&Value::Bool(true)),
            doc: doc_of(param),
        })
    }

    /// Swagger 2.0 `formData` parameters become one struct, as a 3.x form schema would.
    fn swagger_form(
        &mut self,
        op: &Value,
        fields: &[(Value, String)],
        pointer: &str,
        name: &str,
    ) -> Result<Body> {
        let consumes = self.media_types(op, "consumes");
        let has_file = fields
            .iter()
            .any(|(f, _)| f.get("type") == Some(&Value::String("file".into())));
        let media_type = if has_file || consumes.iter().any(|m| m == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
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
        let ty = self.schemas.ty(
            &schema,
            &child(pointer, "parameters"),
            &format!("{name}Form"),
        )?;
        Ok(Body {
            media_type: media_type.to_owned(),
            payload: Payload::Form(ty),
            required: !required.is_empty(),
            doc: None,
        })
    }

    fn request_body(&mut self, node: &Value, pointer: &str, name: &str) -> Result<Body> {
        let (pointer, node) = self.doc.resolve(node, pointer)?;
        let content = node.get("content").and_then(Value::as_object);
        let media_types: Vec<String> = content
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        let Some(media_type) = preferred(&media_types) else {
            return Ok(Body {
                media_type: String::new(),
                payload: Payload::Empty,
                required: false,
                doc: doc_of(node),
            });
        };
        let media_pointer = child(&child(&pointer, "content"), media_type);
        let schema = content.and_then(|c| c[media_type].get("schema"));
        Ok(Body {
            media_type: media_type.to_owned(),
            payload: self.payload(
                media_type,
                schema,
                &child(&media_pointer, "schema"),
                &format!("{name}Request"),
            )?,
            required: node.get("required") == Some(&Value::Bool(true)),
            doc: doc_of(node),
        })
    }

    fn payload(
        &mut self,
        media_type: &str,
        schema: Option<&Value>,
        pointer: &str,
        context: &str,
    ) -> Result<Payload> {
        Ok(match media_kind(media_type) {
            MediaKind::Json => match schema {
                Some(schema) => Payload::Json(self.schemas.ty(schema, pointer, context)?),
                None => Payload::Json(Ty::Any),
            },
            MediaKind::Form => match schema {
                Some(schema) => Payload::Form(self.schemas.ty(schema, pointer, context)?),
                None => Payload::Form(Ty::Map(Box::new(Ty::Any))),
            },
            MediaKind::Text => Payload::Text,
            MediaKind::Binary => Payload::Binary,
        })
    }

    fn responses(&mut self, op: &Value, pointer: &str, name: &str) -> Result<Vec<Response>> {
        let Some(Value::Object(responses)) = op.get("responses") else {
            return Ok(Vec::new());
        };
        let produces = self.media_types(op, "produces");
        let mut success_names = Namespace::with(&["Undocumented"]);
        let mut error_names = Namespace::with(&["Undocumented"]);
        let mut out = Vec::new();
        for (key, response) in responses {
            if key.starts_with("x-") {
                continue;
            }
            let response_pointer = child(pointer, key);
            let status = parse_status(key).ok_or_else(|| {
                self.doc.error(
                    &response_pointer,
                    format!("`{key}` is not an HTTP status, a range like `4XX`, or `default`"),
                )
            })?;
            let (response_pointer, response) = self.doc.resolve(response, &response_pointer)?;
            let variant_base = status_variant(status);
            let is_success = matches!(status, Status::Code(200..=299) | Status::Range(2));
            let variant = if is_success {
                success_names.claim(variant_base)
            } else {
                error_names.claim(variant_base)
            };
            let context = format!("{name}{variant}");
            let payload = match self.doc.version {
                Version::Swagger2 => {
                    let media_type = preferred(&produces).unwrap_or("application/json");
                    match response.get("schema") {
                        Some(schema) => self.payload(
                            media_type,
                            Some(schema),
                            &child(&response_pointer, "schema"),
                            &context,
                        )?,
                        None => Payload::Empty,
                    }
                }
                _ => {
                    let content = response.get("content").and_then(Value::as_object);
                    let media_types: Vec<String> = content
                        .map(|c| c.keys().cloned().collect())
                        .unwrap_or_default();
                    match preferred(&media_types) {
                        Some(media_type) => {
                            let schema = content.and_then(|c| c[media_type].get("schema"));
                            let schema_pointer = child(
                                &child(&child(&response_pointer, "content"), media_type),
                                "schema",
                            );
                            self.payload(media_type, schema, &schema_pointer, &context)?
                        }
                        None => Payload::Empty,
                    }
                }
            };
            let description = response
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .to_owned();
            let headers = self.headers(response, &response_pointer, &context, &description)?;
            out.push(Response {
                status,
                variant,
                description,
                payload,
                headers,
            });
        }
        out.sort_by_key(|response| response.status);
        Ok(out)
    }

    fn headers(
        &mut self,
        response: &Value,
        pointer: &str,
        context: &str,
        description: &str,
    ) -> Result<Vec<Header>> {
        let Some(Value::Object(headers)) = response.get("headers") else {
            return Ok(Vec::new());
        };
        let mut names = Namespace::with(&["body", "status"]);
        let mut out = Vec::new();
        for (wire, header) in headers {
            if wire.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let (header_pointer, header) = self
                .doc
                .resolve(header, &child(&child(pointer, "headers"), wire))?;
            let (schema, schema_pointer) = match header.get("schema") {
                Some(schema) => (schema.clone(), child(&header_pointer, "schema")),
                None => (swagger_schema(header), header_pointer.clone()),
            };
            let (_, schema) = self
                .doc
                .resolve(&schema, &schema_pointer)
                .map(|(p, s)| (p, s.clone()))?;
            let bare = wire
                .strip_prefix("x-")
                .or_else(|| wire.strip_prefix("X-"))
                .unwrap_or(wire);
            let ty = match schema.get("enum").and_then(Value::as_array) {
                Some(values) if values.iter().all(Value::is_string) && !values.is_empty() => {
                    let codes = code_docs(description);
                    let mut variant_names = Namespace::with(&["Unknown"]);
                    let variants = values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|value| EnumVariant {
                            wire: value.to_owned(),
                            name: variant_names.claim(variant_name(value, "Empty")),
                            doc: codes
                                .iter()
                                .find(|(code, _)| code == value)
                                .map(|(_, doc)| doc.clone()),
                        })
                        .collect();
                    HeaderTy::Enum {
                        name: self
                            .names
                            .claim(format!("{context}{}", type_name(bare, "Header"))),
                        values: StringEnum { variants },
                    }
                }
                _ => HeaderTy::Scalar(
                    match self.schemas.ty(
                        &schema,
                        &schema_pointer,
                        &format!("{context}{}", type_name(bare, "Header")),
                    )? {
                        ty @ (Ty::Bool
                        | Ty::I32
                        | Ty::I64
                        | Ty::F32
                        | Ty::F64
                        | Ty::String
                        | Ty::DateTime
                        | Ty::Date
                        | Ty::Uuid) => ty,
                        _ => Ty::String,
                    },
                ),
            };
            out.push(Header {
                wire: wire.clone(),
                name: names.claim(field_name(wire)),
                doc: doc_of(header),
                ty,
                required: header.get("required") == Some(&Value::Bool(true)),
            });
        }
        Ok(out)
    }
}

/// The doc of each code listed in a description as `* Text. (code: \`the.code\`)`.
fn code_docs(description: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in description.lines() {
        let Some(start) = line.find("(code: `") else {
            continue;
        };
        let rest = &line[start + "(code: `".len()..];
        let Some(end) = rest.find('`') else { continue };
        let text = line[..start].trim().trim_start_matches(['*', '-']).trim();
        out.push((rest[..end].to_owned(), text.to_owned()));
    }
    out
}

/// A Swagger 2.0 parameter or header carries its schema keywords on itself.
fn swagger_schema(node: &Value) -> Value {
    let mut schema = Map::new();
    if let Value::Object(fields) = node {
        for (key, value) in fields {
            if !matches!(
                key.as_str(),
                "name" | "in" | "required" | "collectionFormat"
            ) {
                schema.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(schema)
}

fn first_media<'v>(content: Option<&'v Value>, pointer: &str) -> Option<(String, &'v Value)> {
    let (media_type, media) = content?.as_object()?.iter().next()?;
    Some((child(pointer, media_type), media))
}

/// `style` and `explode` as written, or the defaults of the parameter's location.
fn style_of(param: &Value, location: Location, version: Version) -> (String, bool) {
    if version == Version::Swagger2 {
        return match param.get("collectionFormat").and_then(Value::as_str) {
            Some("multi") => ("form".into(), true),
            Some("ssv") => ("spaceDelimited".into(), false),
            Some("pipes") => ("pipeDelimited".into(), false),
            _ if matches!(location, Location::Query | Location::Cookie) => ("form".into(), false),
            _ => ("simple".into(), false),
        };
    }
    let style = param
        .get("style")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| match location {
            Location::Query | Location::Cookie => "form".into(),
            Location::Path | Location::Header => "simple".into(),
        });
    let explode = param
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    (style, explode)
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Text,
    Binary,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
    {
        MediaKind::Json
    } else if essence == "multipart/form-data" || essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("text/") || essence == "application/xml" {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// The media type we read or write when several are offered: JSON first, then forms,
/// text and raw bytes; ties go to the one listed first.
fn preferred(media_types: &[String]) -> Option<&str> {
    media_types
        .iter()
        .enumerate()
        .min_by_key(|(index, media_type)| (media_kind(media_type), *index))
        .map(|(_, media_type)| media_type.as_str())
}

fn parse_status(key: &str) -> Option<Status> {
    if key == "default" {
        return Some(Status::Default);
    }
    let bytes = key.as_bytes();
    if bytes.len() == 3
        && bytes[1..].eq_ignore_ascii_case(b"xx")
        && (b'1'..=b'5').contains(&bytes[0])
    {
        return Some(Status::Range(u16::from(bytes[0] - b'0')));
    }
    let code: u16 = key.parse().ok()?;
    (100..=599).contains(&code).then_some(Status::Code(code))
}

/// The variant name of a status: its reason phrase (`Conflict`), `Status449` for codes
/// without one, the class of a range, or `Default`.
fn status_variant(status: Status) -> String {
    match status {
        Status::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(|reason| variant_name(reason, "Status"))
            .unwrap_or_else(|| format!("Status{code}")),
        Status::Range(1) => "Informational".into(),
        Status::Range(2) => "Success".into(),
        Status::Range(3) => "Redirection".into(),
        Status::Range(4) => "ClientError".into(),
        Status::Range(_) => "ServerError".into(),
        Status::Default => "Default".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(parse_status("409"), Some(Status::Code(409)));
        assert_eq!(parse_status("4XX"), Some(Status::Range(4)));
        assert_eq!(parse_status("5xx"), Some(Status::Range(5)));
        assert_eq!(parse_status("default"), Some(Status::Default));
        assert_eq!(parse_status("42"), None);
        assert_eq!(parse_status("6XX"), None);
        assert_eq!(status_variant(Status::Code(409)), "Conflict");
        assert_eq!(status_variant(Status::Code(503)), "ServiceUnavailable");
        assert_eq!(status_variant(Status::Code(449)), "Status449");
        assert_eq!(status_variant(Status::Code(418)), "ImATeapot");
    }

    #[test]
    fn media_preference() {
        let offered = [
            "text/xml".to_owned(),
            "application/problem+json".to_owned(),
            "application/json".to_owned(),
        ];
        assert_eq!(preferred(&offered), Some("application/problem+json"));
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("application/octet-stream"), MediaKind::Binary);
    }

    #[test]
    fn error_code_docs() {
        let text = "* The name is invalid. (code: `user.name.invalid`)\n- Roles are forbidden. (code: `user.roles.forbidden`)";
        assert_eq!(
            code_docs(text),
            vec![
                (
                    "user.name.invalid".to_owned(),
                    "The name is invalid.".to_owned()
                ),
                (
                    "user.roles.forbidden".to_owned(),
                    "Roles are forbidden.".to_owned()
                ),
            ]
        );
    }
}
