//! Form bodies: `application/x-www-form-urlencoded`, each property written by its
//! Encoding Object like a query parameter, and `multipart/form-data`, a part per property
//! (or per item of a list), with a boundary that occurs in no part.

use std::collections::BTreeSet;

use super::error::{EncodeError, Problem, Subject};
use super::node::Node;
use super::request::header_value;
use super::style::{query_text, Escape, Style};

/// Generated boundaries are this prefix and 16 hexadecimal digits; see [`free_boundary`].
const BOUNDARY_PREFIX: &str = "openapi-boundary-";

/// How one property of an `application/x-www-form-urlencoded` body is written: the
/// description's Encoding Object for it.
#[derive(Debug, Clone, Copy)]
pub struct FormField {
    /// The property name, as the body's schema writes it.
    pub name: &'static str,
    /// The `style`, `explode` and `allowReserved`; `Style::FORM` by default.
    pub style: Style,
    /// When set, the property is written as this media type (JSON text for
    /// `application/json`) instead of by `style`.
    pub content_type: Option<&'static str>,
}

/// How one property of a `multipart/form-data` body is written: the description's
/// Encoding Object for it.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// The property name, which is also the part's `name`.
    pub name: &'static str,
    /// The part's `Content-Type`; empty for the default (`application/octet-stream` for
    /// binary content, else `text/plain` for a scalar and `application/json` otherwise).
    pub content_type: &'static str,
    /// The value is bytes (a generated `Binary`): they are the part's content, and the
    /// part gets a `filename`.
    pub binary: bool,
}

/// One property of a URL-encoded body, as `&`-joined pairs, or `None` when it is absent.
pub(crate) fn form_property(
    property: &str,
    node: Node,
    field: Option<&FormField>,
) -> Result<Option<String>, Problem> {
    if let Some(content_type) = field.and_then(|field| field.content_type) {
        let escape = Escape::Percent {
            allow_reserved: false,
            space_as_plus: true,
        };
        let text = media_text(node, content_type)?;
        return Ok(text.map(|text| format!("{}={}", escape.text(property), escape.text(&text))));
    }
    let style = field.map_or(Style::FORM, |field| field.style);
    let allow_reserved = style.allow_reserved;
    let escape = Escape::Percent {
        allow_reserved,
        space_as_plus: true,
    };
    let text = query_text(property, node, style, escape)?;
    // The form-urlencoded serialization percent-encodes every reserved character, the
    // `,` between the items of an unexploded value too (values have theirs encoded
    // already, so a raw `,` here is such a separator); `allowReserved` keeps it.
    Ok(if allow_reserved {
        text
    } else {
        text.map(|text| text.replace(',', "%2C"))
    })
}

/// A value written as a media type: JSON text for JSON types, else a scalar's text.
/// `None` for `null`.
fn media_text(node: Node, content_type: &str) -> Result<Option<String>, Problem> {
    if matches!(node, Node::Null) {
        return Ok(None);
    }
    if is_json(content_type) {
        return Ok(Some(node.to_json()));
    }
    match node.into_scalar() {
        Some(text) => Ok(Some(text)),
        None => Err(Problem::NotMediaType(content_type.to_owned())),
    }
}

/// `application/json` and the `+json` structured syntax suffix (RFC 6839).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The default `Content-Type` of a part, from its value (the Encoding Object defaults).
fn default_content_type(node: &Node) -> &'static str {
    match node {
        Node::Array(_) | Node::Object(_) => "application/json",
        _ => "text/plain",
    }
}

/// Renders the parts of one property of a multipart body: none for `null`, one per item
/// for an array, else one.
pub(crate) fn multipart_property(
    out: &mut Vec<Vec<u8>>,
    property: &str,
    node: Node,
    part: Option<&Part>,
) -> Result<(), Problem> {
    let content_type = part
        .map(|part| part.content_type)
        .filter(|content_type| !content_type.is_empty());
    if part.is_some_and(|part| part.binary) {
        let content_type = content_type.unwrap_or("application/octet-stream");
        for bytes in binary_values(node)? {
            out.push(render_part(property, content_type, true, &bytes)?);
        }
        return Ok(());
    }
    let items = match node {
        Node::Array(items) => items,
        single => vec![single],
    };
    for item in items {
        let content_type = content_type.unwrap_or_else(|| default_content_type(&item));
        if let Some(text) = media_text(item, content_type)? {
            out.push(render_part(property, content_type, false, text.as_bytes())?);
        }
    }
    Ok(())
}

/// The contents of the binary parts of one property. A generated `Binary` serializes as a
/// string (UTF-8 bytes) or as an array of byte numbers; an array of those is one part each.
fn binary_values(node: Node) -> Result<Vec<Vec<u8>>, Problem> {
    match node {
        Node::Null => Ok(Vec::new()),
        Node::String(text) => Ok(vec![text.into_bytes()]),
        Node::Array(items)
            if !items.is_empty() && items.iter().all(|item| matches!(item, Node::Number(_))) =>
        {
            Ok(vec![byte_array(&items)?])
        }
        Node::Array(items) => items
            .into_iter()
            .filter(|item| !matches!(item, Node::Null))
            .map(|item| match item {
                Node::String(text) => Ok(text.into_bytes()),
                Node::Array(bytes) => byte_array(&bytes),
                _ => Err(Problem::NotBytes),
            })
            .collect(),
        _ => Err(Problem::NotBytes),
    }
}

fn byte_array(items: &[Node]) -> Result<Vec<u8>, Problem> {
    items
        .iter()
        .map(|item| match item {
            Node::Number(number) => number.parse::<u8>().ok(),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or(Problem::NotBytes)
}

/// One part: its headers, a blank line and its content.
fn render_part(
    property: &str,
    content_type: &str,
    file: bool,
    content: &[u8],
) -> Result<Vec<u8>, Problem> {
    header_value(content_type)?;
    let name = disposition_quoted(property);
    let filename = if file {
        format!("; filename=\"{name}\"")
    } else {
        String::new()
    };
    let head = format!(
        "Content-Disposition: form-data; name=\"{name}\"{filename}\r\nContent-Type: {content_type}\r\n\r\n"
    );
    let mut part = head.into_bytes();
    part.extend_from_slice(content);
    Ok(part)
}

/// A name inside a quoted `Content-Disposition` parameter, escaped as browsers do
/// (HTML's multipart/form-data encoding algorithm): `"`, CR and LF percent-encoded.
fn disposition_quoted(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len());
    for character in name.chars() {
        match character {
            '"' => quoted.push_str("%22"),
            '\r' => quoted.push_str("%0D"),
            '\n' => quoted.push_str("%0A"),
            other => quoted.push(other),
        }
    }
    quoted
}

/// The multipart body and its `Content-Type`.
pub(crate) fn multipart_body(
    parts: &[Vec<u8>],
    fixed: Option<&str>,
) -> Result<(String, Vec<u8>), EncodeError> {
    let boundary = match fixed {
        Some(boundary) => checked_boundary(boundary, parts)
            .map_err(|problem| EncodeError::new(Subject::Boundary, problem))?,
        None => free_boundary(parts),
    };
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(part);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let parameter = if boundary.bytes().all(is_token_byte) {
        boundary
    } else {
        format!("\"{boundary}\"")
    };
    Ok((format!("multipart/form-data; boundary={parameter}"), body))
}

/// The first of `openapi-boundary-0000000000000000`, `…0001` … that occurs in no part:
/// deterministic, so tests can predict it. The candidates have one length, so each place
/// in a part matches at most one of them; collecting those that occur in one pass finds
/// a free one without searching the parts again.
fn free_boundary(parts: &[Vec<u8>]) -> String {
    let width = BOUNDARY_PREFIX.len() + 16;
    let taken: BTreeSet<u64> = parts
        .iter()
        .flat_map(|part| part.windows(width))
        .filter_map(|window| window.strip_prefix(BOUNDARY_PREFIX.as_bytes()))
        .filter_map(|digits| std::str::from_utf8(digits).ok())
        .filter_map(|digits| u64::from_str_radix(digits, 16).ok())
        .collect();
    let mut free = 0u64;
    for number in taken {
        if number != free {
            break;
        }
        free = free.saturating_add(1);
    }
    format!("{BOUNDARY_PREFIX}{free:016x}")
}

/// A caller's boundary: 1 to 70 RFC 2046 `bchars`, not ending in a space, and in no part.
fn checked_boundary(boundary: &str, parts: &[Vec<u8>]) -> Result<String, Problem> {
    let valid = (1..=70).contains(&boundary.len())
        && !boundary.ends_with(' ')
        && boundary
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"'()+_,-./:=? ".contains(&byte));
    if !valid {
        return Err(Problem::InvalidBoundary);
    }
    let needle = boundary.as_bytes();
    if parts
        .iter()
        .any(|part| part.windows(needle.len()).any(|window| window == needle))
    {
        return Err(Problem::BoundaryInPart);
    }
    Ok(boundary.to_owned())
}

/// RFC 9110 `tchar`: a parameter value of these needs no quotes.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}
