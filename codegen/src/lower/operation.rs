//! Operations: the path items of `paths` (and `webhooks`), each operation with its names,
//! parameters and request body. A problem with one part of an operation is reported and
//! that part left out, so one run finds the problems of every part.

use std::collections::BTreeSet;

use serde_json::Value;

use super::body::accept;
use super::keywords::doc_of;
use super::operations::{component, swagger_schema, Current, Operations, METHODS};
use super::retries;
use crate::diagnostics::{working_on, DiagnosticKind, Diagnostics, Result};
use crate::load::{child, Document, Version};
use crate::markdown::code;
use crate::model::{Body, Location, Operation, OperationNames, Param, PathPart, Style, Ty};
use crate::naming::{field_name, operation_names, type_name, InlinePath, Namespace};

impl Operations<'_, '_> {
    /// The operations of every path item under the top-level `key` (`paths`, `webhooks`).
    pub(super) fn path_items(
        &mut self,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> Vec<Operation> {
        let base = format!("#/{key}");
        let items = match self.doc.root.get(key) {
            Some(Value::Object(items)) => items,
            Some(_) => {
                diagnostics.push(self.doc.error(
                    DiagnosticKind::Structure,
                    &base,
                    format!("`{key}` must be a map from path to path item"),
                ));
                return Vec::new();
            }
            None => return Vec::new(),
        };
        let mut operations = Vec::new();
        for (path, item) in items {
            // Extensions may sit beside the paths (`x-codegen-contextRoot: /api`).
            if path.starts_with("x-") {
                continue;
            }
            let pointer = child(&base, path);
            let webhook = key == "webhooks";
            let found = self.path_item(path, item, &pointer, webhook, diagnostics);
            operations.extend(diagnostics.absorb(found).unwrap_or_default());
        }
        operations
    }

    fn path_item(
        &mut self,
        path: &str,
        item: &Value,
        pointer: &str,
        webhook: bool,
        diagnostics: &mut Diagnostics,
    ) -> Result<Vec<Operation>> {
        let (pointer, item) = self.doc.resolve(item, pointer)?;
        let Value::Object(item) = item else {
            return Err(self
                .doc
                .error(
                    DiagnosticKind::Structure,
                    &pointer,
                    "a path item must be an object",
                )
                .into());
        };
        let shared = item.get("parameters");
        let mut operations = Vec::new();
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let op_pointer = child(&pointer, method);
            let context = (path, method.as_str(), shared, pointer.as_str());
            let lowered = self.operation(context, operation, &op_pointer, webhook, diagnostics);
            operations.extend(diagnostics.absorb(lowered).flatten());
        }
        Ok(operations)
    }

    /// One operation, unless the settings skip it; `(path, method, shared parameters,
    /// path item pointer)` say where.
    fn operation(
        &mut self,
        (path, method, shared, item_pointer): (&str, &str, Option<&Value>, &str),
        node: &Value,
        pointer: &str,
        webhook: bool,
        diagnostics: &mut Diagnostics,
    ) -> Result<Option<Operation>> {
        working_on(pointer);
        if !node.is_object() {
            return Err(self
                .doc
                .error(
                    DiagnosticKind::Structure,
                    pointer,
                    "an operation must be an object",
                )
                .into());
        }
        let id = match node.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => format!("{method} {path}"),
        };
        if !self.ids.insert(id.clone()) {
            return Err(self
                .doc
                .error(
                    DiagnosticKind::Duplicate,
                    &child(pointer, "operationId"),
                    format!("operationId `{id}` is used by another operation already; each must be unique"),
                )
                .into());
        }
        let settings = self.schemas.settings;
        if settings.skip.operations.contains(&id) {
            return Ok(None);
        }
        let names = self.claim_names(&id, webhook);
        let current = Current {
            id: &id,
            name: &names.marker,
            node,
            pointer,
        };
        let params = merged_params(self.doc, shared, item_pointer, node, pointer, diagnostics);
        let (params, body) = self.params(&current, &params, diagnostics);
        let body = match node.get("requestBody") {
            Some(request_body) => {
                let lowered = self.request_body(&current, request_body);
                diagnostics.absorb(lowered)
            }
            None => body,
        };
        let responses = self.responses(&current, diagnostics);
        // A fragment (`/send/#env/v1/{partnerId}`, a trick that gives one path several
        // operations) is never part of a request: the request goes to the path before it.
        let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
        let mut params = params;
        // A query in the path key (`/alerts?lat={lat}&lon={lon}`, `/rest?method=…`) is
        // the request's query: its variables are query parameters, its other pairs sent
        // as they are.
        let (path, key_query) = path.split_once('?').unwrap_or((path, ""));
        let fixed = self.key_query(&current, key_query, &mut params, diagnostics);
        let mut template = self.template(&current, path, fragment, &mut params, diagnostics);
        template.extend(fixed);
        let security = self.security(&current, diagnostics);
        let text = |key: &str| node.get(key).and_then(Value::as_str).map(str::to_owned);
        let tags = node.get("tags").and_then(Value::as_array);
        Ok(Some(Operation {
            id: id.clone(),
            names,
            method: http::Method::from_bytes(method.to_uppercase().as_bytes())
                .unwrap_or(http::Method::GET),
            path: path.to_owned(),
            template,
            pointer: pointer.to_owned(),
            summary: text("summary"),
            description: text("description"),
            deprecated: node.get("deprecated") == Some(&Value::Bool(true)),
            group: String::new(),
            tags: tags
                .map(|tags| {
                    tags.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            params,
            body,
            accept: accept(&responses),
            responses,
            security,
            pagination: None,
            retries: retries::of_operation(self.doc, node, pointer, diagnostics),
        }))
    }

    /// The names of an operation's items, claimed in the operations module.
    /// The settings may rename the operation: its new name goes through the same rules.
    fn claim_names(&mut self, id: &str, webhook: bool) -> OperationNames {
        let settings = self.schemas.settings;
        let wanted = settings
            .rename
            .operations
            .get(id)
            .map_or(id, String::as_str);
        operation_names(&mut self.names, &mut self.methods, wanted, webhook)
    }

    /// The parameters of an operation; Swagger 2.0's `body` and `formData` parameters
    /// become its body.
    fn params(
        &mut self,
        op: &Current,
        params: &[(Value, String)],
        diagnostics: &mut Diagnostics,
    ) -> (Vec<Param>, Option<Body>) {
        let mut lowered = Vec::new();
        let mut field_names = Namespace::default();
        let mut body = None;
        let mut form_fields: Vec<(Value, String)> = Vec::new();
        for (param, param_pointer) in params {
            let location = match param.get("in").and_then(Value::as_str) {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                Some("cookie") => Location::Cookie,
                Some("body") => {
                    body = diagnostics.absorb(self.swagger_body(op, param, param_pointer));
                    continue;
                }
                Some("formData") => {
                    form_fields.push((param.clone(), param_pointer.clone()));
                    continue;
                }
                other => {
                    let message = match other {
                        Some(other) => format!("`in: {other}` is not a parameter location: use path, query, header or cookie"),
                        None => "a parameter has no `in`: say whether it goes in the path, query, header or cookie".to_owned(),
                    };
                    diagnostics.push(self.doc.error(
                        DiagnosticKind::Structure,
                        param_pointer,
                        message,
                    ));
                    continue;
                }
            };
            let Some(wire) = param.get("name").and_then(Value::as_str) else {
                diagnostics.push(self.doc.error(
                    DiagnosticKind::Structure,
                    param_pointer,
                    "a parameter has no `name`",
                ));
                continue;
            };
            if location == Location::Header {
                if let Some(why) = written_by_request(wire, self.doc.version) {
                    let mut warning = self.doc.warning(
                        DiagnosticKind::IgnoredParameter,
                        param_pointer,
                        format!("the header parameter `{wire}` is never sent: {why}"),
                    );
                    if wire.eq_ignore_ascii_case("authorization") {
                        // Many descriptions declare the credentials this way and no scheme.
                        warning = warning.with_hint(
                            "declare a security scheme that sends it (an overlay can add one), or add the header to a call (`.header(\"Authorization\", …)`)",
                        );
                    }
                    diagnostics.push(warning);
                    continue;
                }
            }
            let lowered_param = self.param(op, param, param_pointer, wire, location);
            if let Some(mut param) = diagnostics.absorb(lowered_param) {
                param.name = field_names.claim(field_name(wire));
                lowered.push(param);
            }
        }
        if !form_fields.is_empty() {
            body = diagnostics.absorb(self.swagger_form(op, &form_fields));
        }
        (lowered, body)
    }

    fn param(
        &mut self,
        op: &Current,
        param: &Value,
        pointer: &str,
        wire: &str,
        location: Location,
    ) -> Result<Param> {
        let inline = match component(pointer, &["parameters"]) {
            Some(name) if name == wire => InlinePath::new(
                wire,
                format!("the {} parameter of the components", code(wire)),
            ),
            Some(name) => InlinePath::new(
                wire,
                format!(
                    "the {} parameter of the components ({})",
                    code(wire),
                    code(&name)
                ),
            ),
            None => InlinePath::of_operation(
                op.name,
                &type_name(wire, "Param"),
                format!("the {} parameter of {}", code(wire), code(op.id)),
            ),
        };
        // 3.x puts the type in `schema` (or `content`); 2.0 writes it on the parameter.
        let ty = if let Some(schema) = param.get("schema") {
            self.schemas
                .ty(schema, &child(pointer, "schema"), &inline)?
        } else if let Some((media_pointer, _, media)) =
            first_media(param.get("content"), &child(pointer, "content"))
        {
            match media.get("schema") {
                Some(schema) => {
                    self.schemas
                        .ty(schema, &child(&media_pointer, "schema"), &inline)?
                }
                None => Ty::String,
            }
        } else if self.doc.version == Version::Swagger2 {
            self.schemas.ty(&swagger_schema(param), pointer, &inline)?
        } else {
            Ty::String
        };
        let ty = match ty {
            Ty::Option(inner) => *inner,
            ty => ty,
        };
        let (style, mut explode) = style_of(param, location, self.doc.version);
        // `explode` changes lists and objects only; for a scalar, say what the style says,
        // so one parameter written for any version of the format reads the same.
        if !self.schemas.may_be_structured(&ty) {
            explode = style.default_explode();
        }
        let content = first_media(param.get("content"), "")
            .filter(|_| param.get("schema").is_none())
            .map(|(_, media_type, _)| media_type.to_owned());
        Ok(Param {
            pointer: pointer.to_owned(),
            wire: wire.to_owned(),
            name: String::new(),
            location,
            doc: doc_of(param),
            ty,
            required: location == Location::Path
                || param.get("required") == Some(&Value::Bool(true)),
            deprecated: param.get("deprecated") == Some(&Value::Bool(true)),
            style,
            explode,
            allow_reserved: location == Location::Query
                && param.get("allowReserved") == Some(&Value::Bool(true)),
            content,
        })
    }

    /// The index of the path parameter `wire` that `place` (the path, or its query)
    /// names; one the description does not declare becomes a required string, with a
    /// warning.
    fn path_param(
        &mut self,
        op: &Current,
        wire: &str,
        place: &str,
        params: &mut Vec<Param>,
        diagnostics: &mut Diagnostics,
    ) -> usize {
        let found = params
            .iter()
            .position(|p| p.location == Location::Path && p.wire == wire);
        found.unwrap_or_else(|| {
            diagnostics.push(self.doc.warning(
                DiagnosticKind::Structure,
                op.pointer,
                format!("{place} names `{{{wire}}}` but no path parameter `{wire}` is declared; it is sent as a required string"),
            ));
            params.push(undeclared_path_param(wire, params));
            params.len() - 1
        })
    }

    /// The query a path key carries after `?`, as the template's last pieces: each
    /// `name={variable}` makes the path parameter `variable` the query parameter `name`,
    /// and each pair without a variable is sent as it is. A pair with a
    /// variable anywhere else (`{name}=1`) cannot be read; it is left out, with a warning.
    fn key_query(
        &mut self,
        op: &Current,
        query: &str,
        params: &mut Vec<Param>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<PathPart> {
        let mut fixed = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let variable = value
                .strip_prefix('{')
                .and_then(|value| value.strip_suffix('}'))
                .filter(|variable| !variable.contains(['{', '}']));
            match variable {
                Some(variable) if !name.contains(['{', '}']) && !name.is_empty() => {
                    let index =
                        self.path_param(op, variable, "the path's query", params, diagnostics);
                    let param = &mut params[index];
                    param.location = Location::Query;
                    param.wire = name.to_owned();
                    param.style = Style::Form;
                    param.explode = true;
                    fixed.push(PathPart::QueryParam(index));
                }
                None if !pair.contains(['{', '}']) => {
                    fixed.push(PathPart::Query(encode_query_literal(pair)));
                }
                _ => diagnostics.push(self.doc.warning(
                    DiagnosticKind::Structure,
                    op.pointer,
                    format!("the path's query pair `{pair}` has a variable where no query parameter can be written; it is not sent"),
                )),
            }
        }
        fixed
    }

    /// The path template in pieces. A `{name}` no parameter declares becomes a required
    /// string parameter, with a warning; a path parameter the template does not name is
    /// never sent, which is worth a warning too. So is a `fragment` (the template's text
    /// after `#`), which no request carries.
    fn template(
        &mut self,
        op: &Current,
        path: &str,
        fragment: &str,
        params: &mut Vec<Param>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<PathPart> {
        if !fragment.is_empty() {
            diagnostics.push(self.doc.warning(
                DiagnosticKind::Structure,
                op.pointer,
                format!("the path has a fragment, `#{fragment}`, which is never sent: requests go to `{path}`"),
            ));
        }
        let mut parts = Vec::new();
        let mut rest = path;
        let mut used = BTreeSet::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|close| open + close) else {
                break;
            };
            parts.push(PathPart::Literal(encode_path_literal(&rest[..open])));
            let wire = &rest[open + 1..close];
            let index = self.path_param(op, wire, "the path", params, diagnostics);
            used.insert(index);
            parts.push(PathPart::Param(index));
            rest = &rest[close + 1..];
        }
        parts.push(PathPart::Literal(encode_path_literal(rest)));
        parts.retain(|part| part != &PathPart::Literal(String::new()));
        for (index, param) in params.iter().enumerate() {
            if param.location == Location::Path && !used.contains(&index) {
                let place = if fragment.contains(&format!("{{{}}}", param.wire)) {
                    "is named only in the path's fragment"
                } else {
                    "is not in the path template"
                };
                diagnostics.push(self.doc.warning(
                    DiagnosticKind::Structure,
                    op.pointer,
                    format!(
                        "the path parameter `{}` {place}, so it is never sent",
                        param.wire
                    ),
                ));
            }
        }
        parts
    }

    /// Media types an operation (else the document) declares under `key`.
    pub(super) fn media_types(&self, node: &Value, key: &str) -> Vec<String> {
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
}

/// A path parameter the template names and the description does not declare.
fn undeclared_path_param(wire: &str, params: &[Param]) -> Param {
    let mut names = Namespace::default();
    for param in params {
        names.claim(param.name.clone());
    }
    Param {
        pointer: String::new(),
        wire: wire.to_owned(),
        name: names.claim(field_name(wire)),
        location: Location::Path,
        doc: None,
        ty: Ty::String,
        required: true,
        deprecated: false,
        style: Style::Simple,
        explode: false,
        allow_reserved: false,
        content: None,
    }
}

/// A query pair of a path key, percent-encoded as a path literal is, and `=` within
/// its name or value too: the one `=` between them is kept.
fn encode_query_literal(pair: &str) -> String {
    let encode = |text: &str| encode_path_literal(text).replace('=', "%3D");
    match pair.split_once('=') {
        Some((name, value)) => format!("{}={}", encode(name), encode(value)),
        None => encode(pair),
    }
}

/// Literal text of a path template, percent-encoded where a path cannot hold it as it
/// is (RFC 3986 `pchar` and `/`; an existing `%XX` stays).
fn encode_path_literal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (index, &byte) in bytes.iter().enumerate() {
        let escape = bytes.get(index + 1..index + 3);
        let kept = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/".contains(&byte)
            || (byte == b'%' && escape.is_some_and(|e| e.iter().all(u8::is_ascii_hexdigit)));
        if kept {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The parameters of an operation with those of its path item, resolved: one of the
/// operation overrides one of the path item with the same name and place.
fn merged_params(
    doc: &Document,
    shared: Option<&Value>,
    item_pointer: &str,
    node: &Value,
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<(Value, String)> {
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
            let resolved = doc.resolve(param, &child(&base, &index.to_string()));
            let Some((param_pointer, param)) = diagnostics.absorb(resolved) else {
                continue;
            };
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            match params.iter_mut().find(|(p, _)| key(p) == key(param)) {
                Some(existing) => *existing = (param.clone(), param_pointer),
                None => params.push((param.clone(), param_pointer)),
            }
        }
    }
    params
}

/// The first media type of a `content` map: its pointer, its name and its node.
fn first_media<'v>(
    content: Option<&'v Value>,
    pointer: &str,
) -> Option<(String, &'v str, &'v Value)> {
    let (media_type, media) = content?.as_object()?.iter().next()?;
    Some((child(pointer, media_type), media_type.as_str(), media))
}

/// `style` and `explode` as written, or the defaults of the parameter's location.
/// Swagger 2.0's `collectionFormat` maps onto the same styles.
fn style_of(param: &Value, location: Location, version: Version) -> (Style, bool) {
    if version == Version::Swagger2 {
        let delimited = |style| (style, false);
        return match param.get("collectionFormat").and_then(Value::as_str) {
            Some("multi") => (Style::Form, true),
            Some("ssv") => delimited(Style::SpaceDelimited),
            Some("tsv") => delimited(Style::TabDelimited),
            Some("pipes") => delimited(Style::PipeDelimited),
            // `csv`, the default: comma-separated, which is `form` or `simple` unexploded.
            _ => (location.default_style(), false),
        };
    }
    let style = param
        .get("style")
        .and_then(Value::as_str)
        .and_then(Style::parse)
        .unwrap_or(location.default_style());
    let explode = param
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style.default_explode());
    (style, explode)
}

/// Why a header parameter named `wire` is not one the caller gives, if it is not: OpenAPI
/// 3.x says `Accept`, `Content-Type` and `Authorization` parameters "SHALL be ignored"
/// (the responses' media types, the body's and the credentials set them), and the HTTP
/// layer writes the framing and connection headers itself, so a second `Content-Length`
/// beside the body's own would make the request malformed.
fn written_by_request(wire: &str, version: Version) -> Option<&'static str> {
    let name = wire.to_ascii_lowercase();
    let three = version != Version::Swagger2;
    Some(match name.as_str() {
        "accept" if three => {
            "OpenAPI says to ignore it; requests ask for the media types the responses document"
        }
        "content-type" if three => "OpenAPI says to ignore it; the body's media type sets it",
        "authorization" if three => {
            "OpenAPI says to ignore it; the credentials of the security schemes set it"
        }
        "content-length" | "transfer-encoding" => {
            "the HTTP layer writes it from the body, and a second one would conflict with it"
        }
        "host" => "the HTTP layer writes it from the server's URL",
        "connection" | "keep-alive" | "proxy-connection" | "te" | "trailer" | "upgrade" => {
            "the HTTP layer manages the connection and writes it itself"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::written_by_request;
    use crate::load::Version;

    #[test]
    fn headers_the_request_writes() {
        for version in [Version::OpenApi30, Version::OpenApi31] {
            for name in ["Accept", "content-type", "AUTHORIZATION"] {
                assert!(written_by_request(name, version).is_some(), "{name}");
            }
        }
        // Swagger 2.0 has no such rule: Elastic's `Accept: text/csv` is the caller's choice.
        for name in ["Accept", "Content-Type", "Authorization"] {
            assert_eq!(written_by_request(name, Version::Swagger2), None, "{name}");
        }
        for version in [Version::Swagger2, Version::OpenApi30] {
            for name in [
                "Content-Length",
                "Transfer-Encoding",
                "host",
                "Connection",
                "TE",
            ] {
                assert!(written_by_request(name, version).is_some(), "{name}");
            }
        }
        for name in ["X-Request-Id", "Cookie", "Accept-Language", "Content-MD5"] {
            assert_eq!(written_by_request(name, Version::OpenApi30), None, "{name}");
        }
    }
}
