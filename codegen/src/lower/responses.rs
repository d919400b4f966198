//! Responses: one per documented status, with its variant name, payload and typed
//! headers; and the media type a body is read as when several are offered.

use serde_json::Value;

use super::body::Media;
use super::keywords::doc_of;
use super::operations::{component, swagger_schema, Current, Operations};
use crate::diagnostics::{DiagnosticKind, Diagnostics, Result};
use crate::load::{child, Version};
use crate::markdown::code;
use crate::model::{Content, EnumVariant, Header, HeaderTy, Response, Status, StringEnum, Ty};
use crate::naming::{
    field_name, status_variant, variant_name, InlinePath, Namespace, UNDOCUMENTED,
};

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
                    DiagnosticKind::IgnoredKeyword,
                    &pointer,
                    "`responses` must be a map from status to response; it is ignored",
                ));
                return Vec::new();
            }
            None => return Vec::new(),
        };
        let mut success_names = Namespace::with(&[UNDOCUMENTED]);
        let mut error_names = Namespace::with(&[UNDOCUMENTED]);
        let mut out = Vec::new();
        for (key, response) in responses {
            if key.starts_with("x-") {
                continue;
            }
            let response_pointer = child(&pointer, key);
            let Some(status) = Status::parse(key) else {
                diagnostics.push(self.doc.error(
                    DiagnosticKind::Structure,
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
                DiagnosticKind::Structure,
                &pointer,
                "a response must be an object; this one is read as a response without a body",
            ));
        }
        let inline = match component(&pointer, &["responses"]) {
            Some(name) => InlinePath::new(
                &name,
                format!("the response {} of the components", code(&name)),
            ),
            None => InlinePath::of_operation(
                op.name,
                &variant,
                format!(
                    "the {} response of {}",
                    code(&status_text(status)),
                    code(op.id)
                ),
            ),
        };
        let choice_name = format!("{}{variant}Body", op.name);
        let (contents, choice) =
            self.response_contents(op, node, &pointer, &inline, &choice_name)?;
        let description = node
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned();
        let headers = self.headers(node, &pointer, &inline, &description, diagnostics);
        Ok(Response {
            status,
            variant,
            description,
            contents,
            choice,
            headers,
        })
    }

    /// The bodies of a response by media type: Swagger 2.0's `schema` in each media
    /// type of `produces`, or OpenAPI 3's `content`.
    fn response_contents(
        &mut self,
        op: &Current,
        node: &Value,
        pointer: &str,
        inline: &InlinePath,
        choice_name: &str,
    ) -> Result<(Vec<Content>, Option<String>)> {
        let media: Vec<Media> = if self.doc.version == Version::Swagger2 {
            let Some(schema) = node.get("schema") else {
                return Ok((Vec::new(), None));
            };
            let mut produces = self.media_types(op.node, "produces");
            if produces.is_empty() {
                produces.push("application/json".to_owned());
            }
            let schema_pointer = child(pointer, "schema");
            produces
                .into_iter()
                .map(|media_type| Media {
                    media_type,
                    schema: Some(schema),
                    schema_pointer: schema_pointer.clone(),
                    pointer: None,
                })
                .collect()
        } else {
            let content = node.get("content").and_then(Value::as_object);
            let content_pointer = child(pointer, "content");
            content
                .into_iter()
                .flatten()
                .map(|(media_type, media)| {
                    let media_pointer = child(&content_pointer, media_type);
                    let schema_pointer = child(&media_pointer, "schema");
                    Media {
                        media_type: media_type.clone(),
                        schema: media.get("schema"),
                        schema_pointer,
                        pointer: Some(media_pointer),
                    }
                })
                .collect()
        };
        self.contents_of(&media, inline, choice_name)
    }

    /// The headers of a response, `Content-Type` aside; one that cannot be read is
    /// reported and left out.
    fn headers(
        &mut self,
        response: &Value,
        pointer: &str,
        inline: &InlinePath,
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
            let lowered = self.header(wire, header, &header_pointer, inline, description);
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
        inline: &InlinePath,
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
        let header_inline = inline.property(bare);
        let ty = match schema.get("enum").and_then(Value::as_array) {
            Some(values) if values.iter().all(Value::is_string) && !values.is_empty() => {
                HeaderTy::Enum {
                    name: self.names.claim_first(header_inline.candidates(None)),
                    values: code_enum(values, description),
                }
            }
            _ => HeaderTy::Scalar(
                match self.schemas.ty(schema, &schema_pointer, &header_inline)? {
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

/// How a status is written in a description: `409`, `4XX`, `default`.
pub(super) fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(hundreds) => format!("{hundreds}XX"),
        Status::Default => "default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MediaKind;

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
        assert_eq!(
            super::super::body::ordered(&offered),
            ["application/problem+json", "application/json", "text/xml"]
        );
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
