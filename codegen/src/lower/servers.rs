//! Where an API is served and how callers prove who they are: the servers (OpenAPI 3
//! `servers`, Swagger 2.0 `host`, `basePath` and `schemes`), the security schemes, and
//! which of them each operation needs.

use serde_json::Value;

use super::keywords::{doc_of, string_enum};
use super::operations::{Current, Operations};
use crate::diagnostics::{DiagnosticKind, Diagnostics};
use crate::load::{child, Document, Version};
use crate::model::{
    Location, SchemeKind, Security, SecurityScheme, Server, ServerVariable, StringEnum,
};
use crate::naming::{constant_name, field_name, type_name, Namespace};

/// The servers of the description, each named in the `servers` module.
pub(super) fn servers(doc: &Document, diagnostics: &mut Diagnostics) -> Vec<Server> {
    let mut names = Namespace::default();
    if doc.version == Version::Swagger2 {
        return vec![swagger_server(doc, &mut names)];
    }
    let list = match doc.root.get("servers") {
        Some(Value::Array(list)) if !list.is_empty() => list.as_slice(),
        Some(Value::Array(_)) | None => &[],
        Some(_) => {
            diagnostics.push(doc.warning(
                DiagnosticKind::IgnoredKeyword,
                "#/servers",
                "`servers` must be a list of Server Objects; it is ignored",
            ));
            &[]
        }
    };
    if list.is_empty() {
        // The format's default: the description's own location, so a relative URL.
        return vec![Server {
            name: names.claim("Server".to_owned()),
            url: "/".to_owned(),
            doc: None,
            variables: Vec::new(),
        }];
    }
    let single = list.len() == 1;
    list.iter()
        .enumerate()
        .filter_map(|(index, node)| {
            let pointer = child("#/servers", &index.to_string());
            let Some(url) = node.get("url").and_then(Value::as_str) else {
                diagnostics.push(doc.warning(
                    DiagnosticKind::Structure,
                    &pointer,
                    "a server has no `url`; it is ignored",
                ));
                return None;
            };
            let name = server_name(node, index, single);
            Some(server(node, url, names.claim(name)))
        })
        .collect()
}

/// The name of the server `node`, the `index`th (of one, when `single`).
fn server_name(node: &Value, index: usize, single: bool) -> String {
    let description = node.get("description").and_then(Value::as_str);
    crate::naming::server_name(description, index, single)
}

fn server(node: &Value, url: &str, name: String) -> Server {
    let mut fields = Namespace::default();
    let mut enums = Namespace::default();
    let variables = node
        .get("variables")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(wire, _)| url.contains(&format!("{{{wire}}}")))
        .map(|(wire, variable)| {
            let values = variable
                .get("enum")
                .and_then(Value::as_array)
                .map(|values| {
                    let values: Vec<String> = values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    let enum_name = enums.claim(format!("{name}{}", type_name(wire, "Variable")));
                    (enum_name, string_enum(&values, variable))
                });
            ServerVariable {
                wire: wire.clone(),
                name: fields.claim(field_name(wire)),
                doc: doc_of(variable),
                default: variable
                    .get("default")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                values: values.filter(|(_, e): &(String, StringEnum)| !e.variants.is_empty()),
            }
        })
        .collect();
    Server {
        name,
        url: url.to_owned(),
        doc: doc_of(node),
        variables,
    }
}

/// Swagger 2.0's one server: `{scheme}://{host}{basePath}`, the first of `schemes`
/// (`https` when listed). A `{name}` in the host (Elastic's `{{hostname}}`) is a variable
/// without a default, which the caller must give.
fn swagger_server(doc: &Document, names: &mut Namespace) -> Server {
    let text = |key: &str| doc.root.get(key).and_then(Value::as_str);
    let base_path = text("basePath").unwrap_or("/");
    let Some(host) = text("host") else {
        return Server {
            name: names.claim("Server".to_owned()),
            url: base_path.to_owned(),
            doc: None,
            variables: Vec::new(),
        };
    };
    let schemes: Vec<&str> = doc
        .root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let scheme = if schemes.contains(&"https") || schemes.is_empty() {
        "https"
    } else {
        schemes[0]
    };
    let bare: String = host.chars().filter(|c| *c != '{' && *c != '}').collect();
    let (host, variables) = if host.contains('{') {
        let variable = ServerVariable {
            wire: bare.clone(),
            name: field_name(&bare),
            doc: Some("The host (and port) the API is served at.".to_owned()),
            default: None,
            values: None,
        };
        (format!("{{{bare}}}"), vec![variable])
    } else {
        (bare, Vec::new())
    };
    let base_path = base_path.trim_end_matches('/');
    Server {
        name: names.claim("Server".to_owned()),
        url: format!("{scheme}://{host}{base_path}"),
        doc: None,
        variables,
    }
}

/// The security schemes: OpenAPI 3 `components/securitySchemes`, Swagger 2.0
/// `securityDefinitions`. A scheme the generator cannot apply (HTTP digest, mutual TLS)
/// is left out, with a warning.
pub(super) fn security_schemes(
    doc: &Document,
    diagnostics: &mut Diagnostics,
) -> Vec<SecurityScheme> {
    let base = match doc.version {
        Version::Swagger2 => "#/securityDefinitions",
        _ => "#/components/securitySchemes",
    };
    let Some(Value::Object(schemes)) = doc.get(base) else {
        return Vec::new();
    };
    let mut fields = Namespace::default();
    let mut constants = Namespace::with(&["Credentials"]);
    let mut out = Vec::new();
    for (id, node) in schemes {
        let pointer = child(base, id);
        let Ok((_, node)) = doc.resolve(node, &pointer) else {
            continue;
        };
        let Some(kind) = scheme_kind(node) else {
            diagnostics.push(doc.warning(
                DiagnosticKind::Unsupported,
                &pointer,
                "this kind of security scheme cannot be applied by the generated code; requests that need it get no credentials for it",
            ));
            continue;
        };
        out.push(SecurityScheme {
            id: id.clone(),
            field: fields.claim(field_name(id)),
            constant: constants.claim(constant_name(id)),
            doc: doc_of(node),
            kind,
        });
    }
    out
}

fn scheme_kind(node: &Value) -> Option<SchemeKind> {
    let text = |key: &str| node.get(key).and_then(Value::as_str);
    match text("type")? {
        "http" => match text("scheme")?.to_ascii_lowercase().as_str() {
            "bearer" => Some(SchemeKind::Bearer),
            "basic" => Some(SchemeKind::Basic),
            _ => None,
        },
        "basic" => Some(SchemeKind::Basic),
        "oauth2" | "openIdConnect" => Some(SchemeKind::Bearer),
        "apiKey" => {
            let location = match text("in")? {
                "header" => Location::Header,
                "query" => Location::Query,
                "cookie" => Location::Cookie,
                _ => return None,
            };
            Some(SchemeKind::ApiKey {
                location,
                name: text("name")?.to_owned(),
            })
        }
        _ => None,
    }
}

impl Operations<'_, '_> {
    /// The credentials an operation needs: its own `security`, else the description's.
    pub(super) fn security(&self, op: &Current, diagnostics: &mut Diagnostics) -> Security {
        let (node, pointer) = match op.node.get("security") {
            Some(node) => (node, child(op.pointer, "security")),
            None => match self.doc.root.get("security") {
                Some(node) => (node, "#/security".to_owned()),
                None => return Security::Unspecified,
            },
        };
        let Some(requirements) = node.as_array() else {
            diagnostics.push(self.doc.warning(
                DiagnosticKind::IgnoredKeyword,
                &pointer,
                "`security` must be a list of Security Requirement Objects; it is ignored",
            ));
            return Security::Unspecified;
        };
        let base = match self.doc.version {
            Version::Swagger2 => "#/securityDefinitions",
            _ => "#/components/securitySchemes",
        };
        let defined = |name: &str| self.doc.get(&child(base, name)).is_some();
        let mut any = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let names: Vec<&String> = requirement
                .as_object()
                .map(|r| r.keys().collect())
                .unwrap_or_default();
            if let Some(missing) = names.iter().find(|name| !defined(name)) {
                diagnostics.push(self.doc.warning(
                    DiagnosticKind::Structure,
                    &child(&pointer, &index.to_string()),
                    format!("`{missing}` is not a security scheme of the description; this requirement is left out"),
                ));
                continue;
            }
            // A scheme the generated code cannot apply (mutual TLS) is the HTTP client's
            // business, and was warned about where it is defined.
            let set = names
                .iter()
                .filter_map(|name| self.schemes.iter().position(|s| &s.id == *name))
                .collect();
            any.push(set);
        }
        Security::Any(any)
    }
}
