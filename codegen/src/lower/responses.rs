//! Responses: one per documented status, with its variant name, payload and typed
//! headers; and the media type a body is read as when several are offered.

use serde_json::Value;

use super::keywords::doc_of;
use super::operation::{swagger_schema, Current, Operations};
use crate::diagnostics::{Diagnostics, Kind, Result};
use crate::emit::docs::code;
use crate::load::{child, Version};
use crate::model::{
    EnumVariant, Header, HeaderTy, MediaKind, Payload, Response, Status, StringEnum, Ty,
};
use crate::naming::{field_name, variant_name, Context, Namespace};

impl Operations<'_, '_> {
    /// The documented responses of an operation, ordered by status; one that cannot be
    /// read is reported and left out.
    pub(super) fn responses(
        &mut self,
        op: &Current,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Response> {
        let pointer = child(op.pointer, "responses");
        let responses = match op.node.get("responses") {
            Some(Value::Object(responses)) => responses,
            Some(_) => {
                diagnostics.push(self.doc.warning(
                    Kind::IgnoredKeyword,
                    &pointer,
                    "`responses` must be a map from status to response; it is ignored",
                ));
                return Vec::new();
            }
            None => return Vec::new(),
        };
        let mut success_names = Namespace::with(&["Undocumented"]);
        let mut error_names = Namespace::with(&["Undocumented"]);
        let mut out = Vec::new();
        for (key, response) in responses {
            if key.starts_with("x-") {
                continue;
            }
            let response_pointer = child(&pointer, key);
            let Some(status) = Status::parse(key) else {
                diagnostics.push(self.doc.error(
                    Kind::Structure,
                    &response_pointer,
                    format!("`{key}` is not an HTTP status, a range like `4XX`, or `default`"),
                ));
                continue;
            };
            let names = if status.is_success() {
                &mut success_names
            } else {
                &mut error_names
            };
            let variant = names.claim(status_variant(status));
            let lowered = self.response(
                op,
                status,
                variant,
                response,
                &response_pointer,
                diagnostics,
            );
            out.extend(diagnostics.absorb(lowered));
        }
        out.sort_by_key(|response| response.status);
        out
    }

    fn response(
        &mut self,
        op: &Current,
        status: Status,
        variant: String,
        node: &Value,
        pointer: &str,
        diagnostics: &mut Diagnostics,
    ) -> Result<Response> {
        let (pointer, node) = self.doc.resolve(node, pointer)?;
        if !node.is_object() {
            diagnostics.push(self.doc.warning(
                Kind::Structure,
                &pointer,
                "a response must be an object; this one is read as a response without a body",
            ));
        }
        let context = Context::new(
            &format!("{}{variant}", op.name),
            format!(
                "the {} response of {}",
                code(&status_text(status)),
                code(op.id)
            ),
        );
        let payload = self.response_payload(op, node, &pointer, &context)?;
        let description = node
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned();
        let headers = self.headers(node, &pointer, &context, &description, diagnostics);
        Ok(Response {
            status,
            variant,
            description,
            payload,
            headers,
        })
    }

    fn response_payload(
        &mut self,
        op: &Current,
        node: &Value,
        pointer: &str,
        context: &Context,
    ) -> Result<Payload> {
        if self.doc.version == Version::Swagger2 {
            let produces = self.media_types(op.node, "produces");
            let media_type = preferred(&produces).unwrap_or("application/json");
            return match node.get("schema") {
                Some(schema) => {
                    self.payload(media_type, Some(schema), &child(pointer, "schema"), context)
                }
                None => Ok(Payload::Empty),
            };
        }
        let content = node.get("content").and_then(Value::as_object);
        let media_types: Vec<String> = content
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        match preferred(&media_types) {
            Some(media_type) => {
                let schema = content.and_then(|c| c[media_type].get("schema"));
                let schema_pointer =
                    child(&child(&child(pointer, "content"), media_type), "schema");
                self.payload(media_type, schema, &schema_pointer, context)
            }
            None => Ok(Payload::Empty),
        }
    }

    /// The headers of a response, `Content-Type` aside; one that cannot be read is
    /// reported and left out.
    fn headers(
        &mut self,
        response: &Value,
        pointer: &str,
        context: &Context,
        description: &str,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Header> {
        let Some(Value::Object(headers)) = response.get("headers") else {
            return Vec::new();
        };
        let mut names = Namespace::with(&["body", "status"]);
        let mut out = Vec::new();
        for (wire, header) in headers {
            if wire.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let header_pointer = child(&child(pointer, "headers"), wire);
            let lowered = self.header(wire, header, &header_pointer, context, description);
            if let Some(mut header) = diagnostics.absorb(lowered) {
                header.name = names.claim(field_name(wire));
                out.push(header);
            }
        }
        out
    }

    fn header(
        &mut self,
        wire: &str,
        header: &Value,
        pointer: &str,
        context: &Context,
        description: &str,
    ) -> Result<Header> {
        let (header_pointer, header) = self.doc.resolve(header, pointer)?;
        let (schema, schema_pointer) = match header.get("schema") {
            Some(schema) => (schema.clone(), child(&header_pointer, "schema")),
            None => (swagger_schema(header), header_pointer.clone()),
        };
        let (_, schema) = self.doc.resolve(&schema, &schema_pointer)?;
        let bare = wire
            .strip_prefix("x-")
            .or_else(|| wire.strip_prefix("X-"))
            .unwrap_or(wire);
        let header_context = context.property(bare);
        let ty = match schema.get("enum").and_then(Value::as_array) {
            Some(values) if values.iter().all(Value::is_string) && !values.is_empty() => {
                HeaderTy::Enum {
                    name: self.names.claim_first(header_context.candidates(None)),
                    values: code_enum(values, description),
                }
            }
            _ => HeaderTy::Scalar(
                match self.schemas.ty(schema, &schema_pointer, &header_context)? {
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
        Ok(Header {
            wire: wire.to_owned(),
            name: String::new(),
            doc: doc_of(header),
            ty,
            required: header.get("required") == Some(&Value::Bool(true)),
        })
    }
}

/// The enum of a header's codes, each documented from the response's description.
fn code_enum(values: &[Value], description: &str) -> StringEnum {
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
    StringEnum { variants }
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

/// The media type we read or write when several are offered: JSON first, then forms,
/// text and raw bytes; ties go to the one listed first.
pub(super) fn preferred(media_types: &[String]) -> Option<&str> {
    media_types
        .iter()
        .enumerate()
        .min_by_key(|(index, media_type)| (MediaKind::of(media_type), *index))
        .map(|(_, media_type)| media_type.as_str())
}

/// How a status is written in a description: `409`, `4XX`, `default`.
fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(hundreds) => format!("{hundreds}XX"),
        Status::Default => "default".to_owned(),
    }
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
        assert_eq!(Status::parse("409"), Some(Status::Code(409)));
        assert_eq!(Status::parse("4XX"), Some(Status::Range(4)));
        assert_eq!(Status::parse("5xx"), Some(Status::Range(5)));
        assert_eq!(Status::parse("default"), Some(Status::Default));
        assert_eq!(Status::parse("42"), None);
        assert_eq!(Status::parse("6XX"), None);
        assert_eq!(Status::parse("0200"), None);
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
            MediaKind::of("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(MediaKind::of("application/octet-stream"), MediaKind::Binary);
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
