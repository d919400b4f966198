//! Building the HTTP request of an operation: the URI from the base URL, the path template
//! and the query parameters, the header and cookie parameters, and the body, each
//! serialized the way the description's `style`, `explode`, `allowReserved` and media
//! types say (OpenAPI 3.0.4 and 3.1.1 on top of RFC 6570 and RFC 3986).
//!
//! A value goes through serde and JSON first, so whatever a generated type serializes to
//! (an enum to its wire value, a date-time to RFC 3339, a uuid to its text) is what goes
//! on the wire. A parameter then holds a scalar, a list of scalars or an object of
//! scalars; `null` means the parameter is absent. Whatever a caller passes is escaped so
//! it can never add a path segment, a query pair or a header that the description does
//! not declare; what cannot be escaped is an [`EncodeError`].
//!
//! This file is written once per generated crate, unchanged, by the generator.

use std::collections::BTreeSet;
use std::fmt;

use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

/// Everything but the RFC 3986 unreserved characters is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `allowReserved` lets the reserved characters pass, except those that would end a query
/// pair, start a fragment or read as a percent-encoding (`& = + # [ ] %`).
const UNRESERVED_AND_RESERVED: &AsciiSet = &UNRESERVED
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// Generated boundaries are this prefix and 16 hexadecimal digits; see [`free_boundary`].
const BOUNDARY_PREFIX: &str = "openapi-boundary-";

/// Builds one request: the generated `request` function of an operation calls the
/// methods in the order of the path template, then the other parameters, then the body,
/// and finally [`RequestBuilder::build`].
#[derive(Debug)]
pub struct RequestBuilder {
    method: http::Method,
    base_url: String,
    /// The expanded path template; dot-segments are neutralised in `build`.
    path: String,
    /// Encoded `name=value` pieces, joined with `&`.
    query: Vec<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Encoded `name=value` pieces, joined with `; ` into one `Cookie` header.
    cookies: Vec<String>,
    accept: Option<String>,
    body: Option<Body>,
    boundary: Option<String>,
}

#[derive(Debug)]
enum Body {
    Bytes {
        content_type: String,
        bytes: Vec<u8>,
    },
    /// Each part's headers and content; the boundary is chosen in `build`, once every
    /// part is known, so that it occurs in none of them.
    Multipart(Vec<Vec<u8>>),
}

/// How one property of an `application/x-www-form-urlencoded` body is written: the
/// description's Encoding Object for it.
#[derive(Debug, Clone, Copy)]
pub struct FormField {
    /// The property name, as the body's schema writes it.
    pub name: &'static str,
    /// The `style`; `form` by default.
    pub style: FormStyle,
    /// The `explode` flag; `true` by default.
    pub explode: bool,
    /// The `allowReserved` flag; `false` by default.
    pub allow_reserved: bool,
    /// When set, the property is written as this media type (JSON text for
    /// `application/json`) instead of by `style`.
    pub content_type: Option<&'static str>,
}

/// The styles a property of a URL-encoded body can take (those of a query parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `name=a,b` or, exploded, `name=a&name=b`.
    Form,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a%7Cb`.
    PipeDelimited,
    /// `name%5Bkey%5D=value` for each member of an object.
    DeepObject,
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

impl RequestBuilder {
    /// Starts a request to `base_url` (the server URL, possibly with a path and a
    /// trailing slash, or empty for an origin-form URI such as `/users`).
    pub fn new(method: http::Method, base_url: &str) -> RequestBuilder {
        RequestBuilder {
            method,
            base_url: base_url.to_owned(),
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            accept: None,
            body: None,
            boundary: None,
        }
    }

    /// Appends a literal piece of the path template. The generator has percent-encoded it
    /// already, so it is written as it is.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter in `simple` style: `blue,black,brown`.
    pub fn path_simple<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        self.path_expansion(name, value, Expansion::simple(explode, Escape::URI))
    }

    /// Appends a path parameter in `label` style: `.blue,black,brown` or `.blue.black.brown`.
    pub fn path_label<T>(&mut self, name: &str, value: &T, explode: bool) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let expansion = Expansion {
            first: ".",
            separator: ".",
            ..Expansion::simple(explode, Escape::URI)
        };
        self.path_expansion(name, value, expansion)
    }

    /// Appends a path parameter in `matrix` style: `;color=blue,black,brown` or
    /// `;color=blue;color=black;color=brown`.
    pub fn path_matrix<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let expansion = Expansion {
            first: ";",
            separator: ";",
            named: true,
            ..Expansion::simple(explode, Escape::URI)
        };
        self.path_expansion(name, value, expansion)
    }

    /// Path parameters are required, so an absent value expands to nothing, as RFC 6570
    /// expands an undefined variable.
    fn path_expansion<T>(
        &mut self,
        name: &str,
        value: &T,
        expansion: Expansion,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let shape = parameter_shape(name, value)?;
        if let Some(text) = expansion.expand(name, &shape) {
            self.path.push_str(&text);
        }
        Ok(())
    }

    /// Adds a query parameter in `form` style: `color=blue,black,brown` or
    /// `color=blue&color=black&color=brown`.
    pub fn query_form<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
        allow_reserved: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        self.query_style(name, value, QueryStyle::Form, explode, allow_reserved)
    }

    /// Adds a query parameter in `spaceDelimited` style (Swagger 2.0 `ssv`):
    /// `color=blue%20black%20brown`. Exploded, it is written as `form` exploded.
    pub fn query_space_delimited<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
        allow_reserved: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        self.query_style(name, value, QueryStyle::SPACE, explode, allow_reserved)
    }

    /// Adds a query parameter in `pipeDelimited` style (Swagger 2.0 `pipes`):
    /// `color=blue%7Cblack%7Cbrown`. Exploded, it is written as `form` exploded.
    pub fn query_pipe_delimited<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
        allow_reserved: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        self.query_style(name, value, QueryStyle::PIPE, explode, allow_reserved)
    }

    /// Adds a query parameter in Swagger 2.0 `tsv` format: `color=blue%09black%09brown`.
    /// Exploded, it is written as `form` exploded.
    pub fn query_tab_delimited<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
        allow_reserved: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        self.query_style(name, value, QueryStyle::TAB, explode, allow_reserved)
    }

    /// Adds an object query parameter in `deepObject` style:
    /// `color%5BR%5D=100&color%5BG%5D=200`. A value that is not an object is an error.
    pub fn query_deep_object<T>(
        &mut self,
        name: &str,
        value: &T,
        allow_reserved: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        self.query_style(name, value, QueryStyle::DeepObject, true, allow_reserved)
    }

    fn query_style<T>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
        allow_reserved: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let shape = parameter_shape(name, value)?;
        let escape = Escape::Percent {
            allow_reserved,
            space_as_plus: false,
        };
        let text = query_text(name, &shape, style, explode, escape)
            .map_err(|problem| EncodeError::parameter_error(name, problem))?;
        self.query.extend(text);
        Ok(())
    }

    /// Adds a query parameter described with `content: application/json`: its JSON text,
    /// percent-encoded.
    pub fn query_json<T>(&mut self, name: &str, value: &T) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        if let Some(json) = parameter_json(name, value)? {
            self.query.push(format!(
                "{}={}",
                Escape::URI.text(name),
                Escape::URI.text(&json)
            ));
        }
        Ok(())
    }

    /// Adds a header parameter in `simple` style: `blue,black,brown`. Header values are
    /// not percent-encoded, so a value with a control character (CR, LF, NUL, tab …),
    /// DEL or non-ASCII text is an error; so is a text (an item, a key, a value) that
    /// begins or ends with a space, which a server would drop.
    pub fn header_simple<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let shape = parameter_shape(name, value)?;
        if shape
            .texts()
            .any(|text| text.starts_with(' ') || text.ends_with(' '))
        {
            return Err(EncodeError::parameter_error(
                name,
                Problem::HeaderWhitespace,
            ));
        }
        let text = Expansion::simple(explode, Escape::Verbatim).expand(name, &shape);
        self.header(name, text)
    }

    /// Adds a header parameter described with `content: application/json`: its JSON text,
    /// which must then be ASCII.
    pub fn header_json<T>(&mut self, name: &str, value: &T) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let json = parameter_json(name, value)?;
        self.header(name, json)
    }

    fn header(&mut self, name: &str, text: Option<String>) -> Result<(), EncodeError> {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|error| EncodeError::parameter_error(name, Problem::HeaderName(error)))?;
        if let Some(text) = text {
            let value = header_value(&text)
                .map_err(|problem| EncodeError::parameter_error(name, problem))?;
            self.headers.push((header_name, value));
        }
        Ok(())
    }

    /// Adds a cookie parameter in `form` style: `color=blue,black,brown` or, exploded,
    /// `color=blue; color=black; color=brown`. Values are percent-encoded.
    pub fn cookie_form<T>(
        &mut self,
        name: &str,
        value: &T,
        explode: bool,
    ) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let shape = parameter_shape(name, value)?;
        let expansion = Expansion {
            separator: "; ",
            ..Expansion::form(explode, Escape::URI)
        };
        self.cookies.extend(expansion.expand(name, &shape));
        Ok(())
    }

    /// Sets the `Accept` header to the media types the operation documents.
    pub fn accept(&mut self, media_types: &str) {
        self.accept = Some(media_types.to_owned());
    }

    /// Sets a JSON body, labelled with the content type the description writes
    /// (`application/json`, `application/vnd.api+json` …).
    pub fn json<T>(&mut self, content_type: &str, body: &T) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let bytes = serde_json::to_vec(body)
            .map_err(|error| EncodeError::new(Subject::Body, Problem::Serialize(error)))?;
        self.set_body(content_type, bytes);
        Ok(())
    }

    /// Sets a text body.
    pub fn text(&mut self, content_type: &str, body: &str) {
        self.set_body(content_type, body.as_bytes().to_vec());
    }

    /// Sets a body of raw bytes.
    pub fn bytes(&mut self, content_type: &str, body: &[u8]) {
        self.set_body(content_type, body.to_vec());
    }

    fn set_body(&mut self, content_type: &str, bytes: Vec<u8>) {
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            bytes,
        });
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object, each property
    /// written as its [`FormField`] says (properties not listed: `form`, exploded).
    /// Spaces become `+`, as that media type writes them.
    pub fn form_urlencoded<T>(&mut self, body: &T, fields: &[FormField]) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let mut pairs = Vec::new();
        for (property, node) in body_members(body, "a URL-encoded body")? {
            let field = fields.iter().find(|field| field.name == property);
            let text = form_property(&property, node, field)
                .map_err(|problem| EncodeError::new(Subject::Property(property), problem))?;
            pairs.extend(text);
        }
        self.set_body(
            "application/x-www-form-urlencoded",
            pairs.join("&").into_bytes(),
        );
        Ok(())
    }

    /// Sets a `multipart/form-data` body from an object: one part per property, or one
    /// per item of an array, each written as its [`Part`] says (properties not listed get
    /// the Encoding Object defaults).
    pub fn multipart<T>(&mut self, body: &T, parts: &[Part]) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let mut rendered = Vec::new();
        for (property, node) in body_members(body, "a multipart body")? {
            let part = parts.iter().find(|part| part.name == property);
            multipart_property(&mut rendered, &property, node, part)
                .map_err(|problem| EncodeError::new(Subject::Property(property), problem))?;
        }
        self.body = Some(Body::Multipart(rendered));
        Ok(())
    }

    /// Fixes the multipart boundary instead of choosing one. `build` fails if it is not a
    /// valid boundary (RFC 2046) or occurs in a part.
    pub fn boundary(&mut self, boundary: &str) {
        self.boundary = Some(boundary.to_owned());
    }

    /// Assembles the request, or says which part of it cannot be written.
    pub fn build(mut self) -> Result<http::Request<Vec<u8>>, EncodeError> {
        let uri = self.uri()?;
        let (content_type, body) = match self.body.take() {
            None => (None, Vec::new()),
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => (Some(content_type), bytes),
            Some(Body::Multipart(parts)) => {
                let (content_type, bytes) = multipart_body(&parts, self.boundary.as_deref())?;
                (Some(content_type), bytes)
            }
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = self.method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        let fixed = [
            (
                COOKIE,
                (!self.cookies.is_empty()).then(|| self.cookies.join("; ")),
            ),
            (ACCEPT, self.accept),
            (CONTENT_TYPE, content_type),
        ];
        for (name, text) in fixed {
            // A header parameter of that name (Elastic's `Accept: text/csv`) is the
            // caller's explicit choice: it wins over the runtime's own value.
            if name == ACCEPT && headers.contains_key(ACCEPT) {
                continue;
            }
            if let Some(text) = text {
                let value = header_value(&text)
                    .map_err(|problem| EncodeError::new(Subject::Header(name.clone()), problem))?;
                headers.insert(name, value);
            }
        }
        Ok(request)
    }

    fn uri(&self) -> Result<http::Uri, EncodeError> {
        if self.base_url.contains(['?', '#']) {
            return Err(EncodeError::new(Subject::BaseUrl, Problem::QueryOrFragment));
        }
        if has_dot_segment(&self.path) {
            return Err(EncodeError::new(Subject::Uri, Problem::DotSegment));
        }
        let mut uri = join(&self.base_url, &self.path);
        if !self.query.is_empty() {
            uri.push('?');
            uri.push_str(&self.query.join("&"));
        }
        http::Uri::try_from(uri)
            .map_err(|error| EncodeError::new(Subject::Uri, Problem::Uri(error)))
    }
}

/// Joins without doubling the slash between them: `http://h/api/` and `/users` give
/// `http://h/api/users`.
fn join(base_url: &str, path: &str) -> String {
    if path.is_empty() {
        return if base_url.is_empty() {
            "/".to_owned()
        } else {
            base_url.to_owned()
        };
    }
    let base_url = base_url.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base_url}{path}")
    } else {
        format!("{base_url}/{path}")
    }
}

/// Whether a segment of `path` is `.` or `..`, which would be removed or climb a level
/// when the URI is resolved (RFC 3986 §5.2.4). Percent-encoding does not help: URL
/// parsers such as the WHATWG one reqwest uses read `%2E%2E` as `..` too. So such a
/// value is refused. Values get here percent-encoded, so only the template's own slashes
/// split segments.
fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let decoded = segment.replace("%2E", ".").replace("%2e", ".");
        decoded == "." || decoded == ".."
    })
}

/// A header value must be visible ASCII or spaces: anything else either ends the header
/// (CR, LF) or is read differently by different servers, so it is refused, not escaped.
fn header_value(text: &str) -> Result<HeaderValue, Problem> {
    if text
        .bytes()
        .any(|byte| byte.is_ascii_control() || !byte.is_ascii())
    {
        return Err(Problem::NotHeaderText);
    }
    HeaderValue::from_str(text).map_err(Problem::HeaderValue)
}

/// How text is escaped where it is written.
#[derive(Debug, Clone, Copy)]
enum Escape {
    /// Percent-encoding, for the URI and for URL-encoded bodies.
    Percent {
        allow_reserved: bool,
        space_as_plus: bool,
    },
    /// As it is: header values, which [`header_value`] checks instead.
    Verbatim,
}

impl Escape {
    const URI: Escape = Escape::Percent {
        allow_reserved: false,
        space_as_plus: false,
    };

    fn text(self, text: &str) -> String {
        let Escape::Percent {
            allow_reserved,
            space_as_plus,
        } = self
        else {
            return text.to_owned();
        };
        let set = if allow_reserved {
            UNRESERVED_AND_RESERVED
        } else {
            UNRESERVED
        };
        if space_as_plus {
            // A literal `+` is encoded as `%2B`, so `+` between pieces can only mean a space.
            text.split(' ')
                .map(|piece| utf8_percent_encode(piece, set).to_string())
                .collect::<Vec<_>>()
                .join("+")
        } else {
            utf8_percent_encode(text, set).to_string()
        }
    }

    /// `allowReserved` is about values; names, and keys written as names, never get it.
    fn names(self) -> Escape {
        match self {
            Escape::Percent { space_as_plus, .. } => Escape::Percent {
                allow_reserved: false,
                space_as_plus,
            },
            Escape::Verbatim => Escape::Verbatim,
        }
    }
}

/// A value as a parameter can hold it.
#[derive(Debug)]
enum Shape {
    /// `null`, an empty list or an object without members: RFC 6570 "undefined".
    Absent,
    Scalar(String),
    /// The items of an array, `null` items left out (they have no text to write).
    List(Vec<String>),
    /// Object members in declaration order, `null` members left out.
    Pairs(Vec<(String, String)>),
}

impl Shape {
    /// Every text the shape writes: the scalar, the items, or each key and value.
    fn texts(&self) -> impl Iterator<Item = &str> {
        let (scalar, items, pairs): (Option<&String>, &[String], &[(String, String)]) = match self {
            Shape::Absent => (None, &[], &[]),
            Shape::Scalar(text) => (Some(text), &[], &[]),
            Shape::List(items) => (None, items, &[]),
            Shape::Pairs(pairs) => (None, &[], pairs),
        };
        scalar
            .into_iter()
            .chain(items)
            .chain(pairs.iter().flat_map(|(key, value)| [key, value]))
            .map(String::as_str)
    }

    fn of_node(node: Node) -> Result<Shape, Problem> {
        match node {
            Node::Null => Ok(Shape::Absent),
            Node::Array(items) => {
                let list = items
                    .into_iter()
                    .filter(|item| !matches!(item, Node::Null))
                    .map(|item| item.into_scalar().ok_or(Problem::Nested))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if list.is_empty() {
                    Shape::Absent
                } else {
                    Shape::List(list)
                })
            }
            Node::Object(members) => {
                let pairs = members
                    .into_iter()
                    .filter(|(_, value)| !matches!(value, Node::Null))
                    .map(|(key, value)| {
                        value
                            .into_scalar()
                            .map(|text| (key, text))
                            .ok_or(Problem::Nested)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if pairs.is_empty() {
                    Shape::Absent
                } else {
                    Shape::Pairs(pairs)
                })
            }
            scalar => scalar
                .into_scalar()
                .map(Shape::Scalar)
                .ok_or(Problem::Nested),
        }
    }
}

fn parameter_shape<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Shape, EncodeError> {
    let error = |problem| EncodeError::parameter_error(name, problem);
    let node = Node::of(value).map_err(Problem::Serialize).map_err(error)?;
    Shape::of_node(node).map_err(error)
}

/// The JSON text of a parameter described with `content`, or `None` when it is `null`.
fn parameter_json<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Option<String>, EncodeError> {
    let json = serde_json::to_string(value)
        .map_err(|error| EncodeError::parameter_error(name, Problem::Serialize(error)))?;
    Ok((json != "null").then_some(json))
}

/// An RFC 6570 expression operator, in the variants OpenAPI styles use.
#[derive(Debug, Clone, Copy)]
struct Expansion {
    /// Written once before a defined value: `.` for label, `;` for matrix.
    first: &'static str,
    /// Between exploded items.
    separator: &'static str,
    /// Between the items of a value that is not exploded.
    joiner: &'static str,
    /// Items are written `name=value` (matrix, form).
    named: bool,
    /// What follows the name of an empty value: `=` for form, nothing for matrix.
    if_empty: &'static str,
    explode: bool,
    escape: Escape,
}

impl Expansion {
    fn simple(explode: bool, escape: Escape) -> Expansion {
        Expansion {
            first: "",
            separator: ",",
            joiner: ",",
            named: false,
            if_empty: "",
            explode,
            escape,
        }
    }

    fn form(explode: bool, escape: Escape) -> Expansion {
        Expansion {
            separator: "&",
            named: true,
            if_empty: "=",
            ..Expansion::simple(explode, escape)
        }
    }

    /// The expansion of `shape`, or `None` when it is undefined.
    fn expand(&self, name: &str, shape: &Shape) -> Option<String> {
        let escape = self.escape;
        let text = match shape {
            Shape::Absent => return None,
            Shape::Scalar(value) => self.item(name, &escape.text(value)),
            Shape::List(items) if self.explode => items
                .iter()
                .map(|item| self.item(name, &escape.text(item)))
                .collect::<Vec<_>>()
                .join(self.separator),
            Shape::List(items) => self.item(name, &self.join(items.iter())),
            Shape::Pairs(pairs) if self.explode => pairs
                .iter()
                .map(|(key, value)| self.member(key, &escape.text(value)))
                .collect::<Vec<_>>()
                .join(self.separator),
            Shape::Pairs(pairs) => {
                let flat = pairs.iter().flat_map(|(key, value)| [key, value]);
                self.item(name, &self.join(flat))
            }
        };
        Some(format!("{}{text}", self.first))
    }

    fn join<'a>(&self, items: impl Iterator<Item = &'a String>) -> String {
        items
            .map(|item| self.escape.text(item))
            .collect::<Vec<_>>()
            .join(self.joiner)
    }

    /// One item, with its name for the named operators.
    fn item(&self, name: &str, encoded: &str) -> String {
        if !self.named {
            return encoded.to_owned();
        }
        let equals = if encoded.is_empty() {
            self.if_empty
        } else {
            "="
        };
        format!("{}{equals}{encoded}", self.escape.names().text(name))
    }

    /// One member of an exploded object: `key=value`, the key standing in for the name.
    fn member(&self, key: &str, encoded: &str) -> String {
        if self.named {
            self.item(key, encoded)
        } else {
            format!("{}={encoded}", self.escape.text(key))
        }
    }
}

/// The styles of a query parameter, which are also those of a URL-encoded property.
#[derive(Debug, Clone, Copy)]
enum QueryStyle {
    Form,
    /// The delimiter, percent-encoded: the same in a query and in a URL-encoded body,
    /// where `%20` reads as a space just as `+` does.
    Delimited(&'static str),
    DeepObject,
}

impl QueryStyle {
    const SPACE: QueryStyle = QueryStyle::Delimited("%20");
    const PIPE: QueryStyle = QueryStyle::Delimited("%7C");
    const TAB: QueryStyle = QueryStyle::Delimited("%09");
}

impl From<FormStyle> for QueryStyle {
    fn from(style: FormStyle) -> QueryStyle {
        match style {
            FormStyle::Form => QueryStyle::Form,
            FormStyle::SpaceDelimited => QueryStyle::SPACE,
            FormStyle::PipeDelimited => QueryStyle::PIPE,
            FormStyle::DeepObject => QueryStyle::DeepObject,
        }
    }
}

/// The `&`-joined pairs of one query parameter, or `None` when it is absent.
fn query_text(
    name: &str,
    shape: &Shape,
    style: QueryStyle,
    explode: bool,
    escape: Escape,
) -> Result<Option<String>, Problem> {
    match style {
        QueryStyle::DeepObject => deep_object(name, shape, escape),
        // The delimited styles define no exploded form; `form` exploded is what
        // Swagger 2.0 `multi` and common servers read.
        QueryStyle::Delimited(joiner) if !explode => {
            let expansion = Expansion {
                joiner,
                ..Expansion::form(false, escape)
            };
            Ok(expansion.expand(name, shape))
        }
        QueryStyle::Form | QueryStyle::Delimited(_) => {
            Ok(Expansion::form(explode, escape).expand(name, shape))
        }
    }
}

fn deep_object(name: &str, shape: &Shape, escape: Escape) -> Result<Option<String>, Problem> {
    match shape {
        Shape::Absent => Ok(None),
        Shape::Pairs(pairs) => {
            let text = pairs
                .iter()
                .map(|(key, value)| {
                    let name = escape.names().text(&format!("{name}[{key}]"));
                    format!("{name}={}", escape.text(value))
                })
                .collect::<Vec<_>>()
                .join("&");
            Ok(Some(text))
        }
        Shape::Scalar(_) | Shape::List(_) => Err(Problem::NeedsObject("the deepObject style")),
    }
}

/// The members of a body that must be an object, in declaration order.
fn body_members<T: Serialize + ?Sized>(
    body: &T,
    what: &'static str,
) -> Result<Vec<(String, Node)>, EncodeError> {
    match Node::of(body) {
        Ok(Node::Object(members)) => Ok(members),
        Ok(_) => Err(EncodeError::new(Subject::Body, Problem::NeedsObject(what))),
        Err(error) => Err(EncodeError::new(Subject::Body, Problem::Serialize(error))),
    }
}

/// One property of a URL-encoded body, as `&`-joined pairs, or `None` when it is absent.
fn form_property(
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
    let (style, explode, allow_reserved) = field.map_or((FormStyle::Form, true, false), |field| {
        (field.style, field.explode, field.allow_reserved)
    });
    let escape = Escape::Percent {
        allow_reserved,
        space_as_plus: true,
    };
    let text = query_text(
        property,
        &Shape::of_node(node)?,
        style.into(),
        explode,
        escape,
    )?;
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
        return serde_json::to_string(&node)
            .map(Some)
            .map_err(Problem::Serialize);
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
fn multipart_property(
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
            Node::Number(number) => number.as_u64().and_then(|byte| u8::try_from(byte).ok()),
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
fn multipart_body(
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

/// A serialized value that keeps object members in the order the type declares them.
/// `serde_json::Value` sorts them unless serde_json's `preserve_order` feature is on,
/// which a runtime cannot switch on for the whole program; JSON text keeps the order,
/// so a value is serialized to JSON and read back as a `Node`. Going through JSON also
/// means a non-finite float is `null` (absent) and an integer beyond 64 bits reads back
/// as a float; OpenAPI integers are at most `int64`.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn of<T: Serialize + ?Sized>(value: &T) -> Result<Node, serde_json::Error> {
        let json = serde_json::to_vec(value)?;
        serde_json::from_slice(&json)
    }

    /// The text of a string, number or boolean.
    fn into_scalar(self) -> Option<String> {
        match self {
            Node::Bool(value) => Some(value.to_string()),
            Node::Number(number) => Some(number.to_string()),
            Node::String(text) => Some(text),
            Node::Null | Node::Array(_) | Node::Object(_) => None,
        }
    }
}

impl Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(value) => serializer.serialize_bool(*value),
            Node::Number(number) => number.serialize(serializer),
            Node::String(text) => serializer.serialize_str(text),
            Node::Array(items) => serializer.collect_seq(items),
            Node::Object(members) => {
                serializer.collect_map(members.iter().map(|(key, value)| (key, value)))
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Node, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Node::Null, Node::Number))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Node>()? {
            members.push(member);
        }
        Ok(Node::Object(members))
    }
}

/// A request that cannot be written as the description says: which parameter, property
/// or other part of it, and what is wrong.
#[derive(Debug)]
pub struct EncodeError {
    subject: Subject,
    problem: Problem,
}

#[derive(Debug)]
enum Subject {
    Parameter(String),
    Body,
    Property(String),
    BaseUrl,
    Uri,
    Header(HeaderName),
    Boundary,
    Credentials(String),
}

#[derive(Debug)]
enum Problem {
    Serialize(serde_json::Error),
    Nested,
    NeedsObject(&'static str),
    NotMediaType(String),
    NotBytes,
    NotHeaderText,
    /// A header text that begins or ends with a space: RFC 9110 (sections 5.5 and 5.6.1)
    /// has servers drop the whitespace around a field value and around list items.
    HeaderWhitespace,
    HeaderName(http::header::InvalidHeaderName),
    HeaderValue(http::header::InvalidHeaderValue),
    QueryOrFragment,
    Uri(http::uri::InvalidUri),
    InvalidBoundary,
    BoundaryInPart,
    DotSegment,
    MissingCredentials(String),
}

impl EncodeError {
    fn new(subject: Subject, problem: Problem) -> EncodeError {
        EncodeError { subject, problem }
    }

    /// The operation needs credentials the caller has none of; `schemes` says which
    /// would do.
    pub(super) fn missing_credentials(schemes: String) -> EncodeError {
        EncodeError::new(
            Subject::Credentials(String::new()),
            Problem::MissingCredentials(schemes),
        )
    }

    /// The same problem, with the credentials of `scheme` at fault.
    pub(super) fn for_credentials(self, scheme: &str) -> EncodeError {
        EncodeError::new(Subject::Credentials(scheme.to_owned()), self.problem)
    }

    fn parameter_error(name: &str, problem: Problem) -> EncodeError {
        EncodeError::new(Subject::Parameter(name.to_owned()), problem)
    }

    /// The name of the parameter that could not be written, if it was a parameter.
    pub fn parameter(&self) -> Option<&str> {
        match &self.subject {
            Subject::Parameter(name) => Some(name),
            _ => None,
        }
    }

    /// The body property that could not be written, if it was one.
    pub fn property(&self) -> Option<&str> {
        match &self.subject {
            Subject::Property(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Parameter(name) => write!(f, "parameter `{name}`"),
            Subject::Body => f.write_str("the request body"),
            Subject::Property(name) => write!(f, "property `{name}` of the request body"),
            Subject::BaseUrl => f.write_str("the base URL"),
            Subject::Uri => f.write_str("the request URI"),
            Subject::Header(name) => write!(f, "the `{name}` header"),
            Subject::Boundary => f.write_str("the multipart boundary"),
            Subject::Credentials(scheme) if scheme.is_empty() => f.write_str("credentials"),
            Subject::Credentials(scheme) => write!(f, "the credentials of `{scheme}`"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Serialize(error) => write!(f, "cannot be serialized: {error}"),
            Problem::Nested => f.write_str(
                "is nested too deeply: it can hold a scalar, a list of scalars or an object of scalars",
            ),
            Problem::NeedsObject(what) => write!(f, "is not an object, as {what} needs"),
            Problem::NotMediaType(content_type) => {
                write!(f, "is a list or an object, which cannot be written as `{content_type}`")
            }
            Problem::NotBytes => f.write_str("is not bytes (a string, or an array of numbers 0 to 255)"),
            Problem::NotHeaderText => f.write_str(
                "contains a control character, DEL or non-ASCII text, which a header cannot carry",
            ),
            Problem::HeaderWhitespace => f.write_str(
                "begins or ends with a space, which a server drops from a header",
            ),
            Problem::HeaderName(error) => write!(f, "is not a valid header name: {error}"),
            Problem::HeaderValue(error) => write!(f, "is not a valid header value: {error}"),
            Problem::QueryOrFragment => f.write_str("has a query or a fragment; it must end at its path"),
            Problem::Uri(error) => write!(f, "is not a valid URI: {error}"),
            Problem::InvalidBoundary => f.write_str(
                "is not 1 to 70 letters, digits or `'()+_,-./:=? `, or ends in a space (RFC 2046)",
            ),
            Problem::BoundaryInPart => f.write_str("occurs inside a part"),
            Problem::MissingCredentials(schemes) => {
                write!(f, "are missing: the operation needs {schemes}")
            }
            Problem::DotSegment => f.write_str(
                "would have a segment `.` or `..`, which changes the path the request goes to",
            ),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.subject, self.problem)
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            Problem::Serialize(error) => Some(error),
            Problem::HeaderName(error) => Some(error),
            Problem::HeaderValue(error) => Some(error),
            Problem::Uri(error) => Some(error),
            _ => None,
        }
    }
}
