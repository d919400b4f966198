//! Building the HTTP request of an operation: the URI from the base URL, the path template
//! and the query parameters, the header and cookie parameters, and the body. The
//! generated `write` of an operation calls one method per parameter, in the order of the
//! path template, then the other parameters, then the body; each parameter is written in
//! its [`Style`]. Whatever a caller passes is escaped so it can never add a path segment,
//! a query pair or a header that the description does not declare; what cannot be
//! escaped is an [`EncodeError`].

use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use serde::Serialize;

use super::auth::KeyLocation;
use super::error::{EncodeError, Problem, Subject};
use super::form::{form_property, multipart_body, multipart_property, FormField, Part};
use super::node::Node;
use super::style::{query_text, Escape, Expansion, Shape, Style, StyleKind};

/// Builds one request.
#[derive(Debug)]
pub struct RequestBuilder {
    method: http::Method,
    base_url: String,
    /// The expanded path template; dot-segments are refused in `build`.
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
    pub fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Appends a path parameter in `style` (`simple`, `label` or `matrix`). Path
    /// parameters are required, so an absent value expands to nothing, as RFC 6570
    /// expands an undefined variable.
    pub fn path<T>(&mut self, name: &str, value: &T, style: Style) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        if style.kind == StyleKind::Json {
            if let Some(json) = parameter_json(name, value)? {
                self.path.push_str(&Escape::URI.text(&json));
            }
            return Ok(());
        }
        let expansion = Expansion::path(style);
        let shape = parameter_shape(name, value)?;
        if let Some(text) = expansion.expand(name, &shape) {
            self.path.push_str(&text);
        }
        Ok(())
    }

    /// Adds a query pair the path key carries (`method=flickr.photos.search`), already
    /// percent-encoded by the generator.
    pub fn query_pair(&mut self, pair: &str) {
        self.query.push(pair.to_owned());
    }

    /// Adds a query parameter in `style`: `form` (`color=blue,black` or, exploded,
    /// `color=blue&color=black`), a delimited style, `deepObject`, or its JSON text.
    pub fn query<T>(&mut self, name: &str, value: &T, style: Style) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        if style.kind == StyleKind::Json {
            if let Some(json) = parameter_json(name, value)? {
                self.query.push(format!(
                    "{}={}",
                    Escape::URI.text(name),
                    Escape::URI.text(&json)
                ));
            }
            return Ok(());
        }
        let node = parameter_node(name, value)?;
        let escape = Escape::Percent {
            allow_reserved: style.allow_reserved,
            space_as_plus: false,
        };
        let text = query_text(name, node, style, escape)
            .map_err(|problem| EncodeError::parameter_error(name, problem))?;
        self.query.extend(text);
        Ok(())
    }

    /// Adds a header parameter in `style` (`simple`, or its JSON text). Header values
    /// are not percent-encoded, so a value with a control character (CR, LF, NUL, tab …),
    /// DEL or non-ASCII text is an error; so is a text (an item, a key, a value) that
    /// begins or ends with a space, which a server would drop.
    pub fn header<T>(&mut self, name: &str, value: &T, style: Style) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let text = if style.kind == StyleKind::Json {
            parameter_json(name, value)?
        } else {
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
            Expansion::header(style).expand(name, &shape)
        };
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
    pub fn cookie<T>(&mut self, name: &str, value: &T, style: Style) -> Result<(), EncodeError>
    where
        T: Serialize + ?Sized,
    {
        let shape = parameter_shape(name, value)?;
        self.cookies
            .extend(Expansion::cookie(style).expand(name, &shape));
        Ok(())
    }

    /// Whether a parameter called `name` has been written in `location` already.
    pub(crate) fn carries(&self, location: KeyLocation, name: &str) -> bool {
        let pair = |piece: &String, name: &str| {
            piece
                .strip_prefix(name)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        };
        match location {
            KeyLocation::Query => {
                let escaped = Escape::Percent {
                    allow_reserved: false,
                    space_as_plus: false,
                }
                .text(name);
                self.query.iter().any(|piece| pair(piece, &escaped))
            }
            KeyLocation::Header => self
                .headers
                .iter()
                .any(|(header, _)| header.as_str().eq_ignore_ascii_case(name)),
            KeyLocation::Cookie => self.cookies.iter().any(|piece| pair(piece, name)),
        }
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
        let bytes = serde_json::to_vec(body).map_err(|error| {
            EncodeError::new(Subject::Body, Problem::Serialize(error.to_string().into()))
        })?;
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

/// What a parameter's value holds, by the styles' rules.
fn parameter_shape<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Shape, EncodeError> {
    Shape::of_node(parameter_node(name, value)?)
        .map_err(|problem| EncodeError::parameter_error(name, problem))
}

fn parameter_node<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Node, EncodeError> {
    Node::of(value).map_err(|error| EncodeError::parameter_error(name, Problem::Serialize(error)))
}

/// The JSON text of a parameter described with `content`, or `None` when it is `null`.
fn parameter_json<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Option<String>, EncodeError> {
    let node = Node::of(value)
        .map_err(|error| EncodeError::parameter_error(name, Problem::Serialize(error)))?;
    Ok((node != Node::Null).then(|| node.to_json()))
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
pub(crate) fn header_value(text: &str) -> Result<HeaderValue, Problem> {
    if text
        .bytes()
        .any(|byte| byte.is_ascii_control() || !byte.is_ascii())
    {
        return Err(Problem::NotHeaderText);
    }
    HeaderValue::from_str(text).map_err(Problem::HeaderValue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(build: impl FnOnce(&mut RequestBuilder) -> Result<(), EncodeError>) -> String {
        let mut builder = RequestBuilder::new(http::Method::GET, "http://h/api/");
        build(&mut builder).unwrap();
        builder.build().unwrap().uri().to_string()
    }

    /// Trello declares its `key` both as a query parameter and as an API key: it is sent
    /// once, as the parameter says; a key the operation does not declare is still added.
    #[test]
    fn an_api_key_declared_as_a_parameter_is_sent_once() {
        use crate::auth::{ApiKey, Credentials, Scheme, SchemeKind, Secret, Security};
        struct Keys(ApiKey);
        impl Credentials for Keys {
            fn secret(&self, _scheme: &str) -> Option<Secret<'_>> {
                Some(Secret::ApiKey(&self.0))
            }
        }
        static KEY: Scheme = Scheme {
            id: "api_key",
            kind: SchemeKind::ApiKey {
                location: KeyLocation::Query,
                name: "key",
            },
        };
        static HEADER: Scheme = Scheme {
            id: "header_key",
            kind: SchemeKind::ApiKey {
                location: KeyLocation::Header,
                name: "X-Key",
            },
        };
        static BOTH: [&Scheme; 2] = [&KEY, &HEADER];
        static SETS: [&[&Scheme]; 1] = [&BOTH];
        let security = Security::Any(&SETS);
        let mut builder = RequestBuilder::new(http::Method::GET, "http://h/");
        builder.query("key", "from-parameter", Style::FORM).unwrap();
        builder
            .header("x-key", "from-parameter", Style::SIMPLE)
            .unwrap();
        builder.query("keys", "other", Style::FORM).unwrap();
        builder
            .authorize(&security, &Keys(ApiKey::new("secret")))
            .unwrap();
        let request = builder.build().unwrap();
        assert_eq!(
            request.uri().to_string(),
            "http://h/?key=from-parameter&keys=other"
        );
        let values: Vec<_> = request.headers().get_all("x-key").iter().collect();
        assert_eq!(values, ["from-parameter"]);

        let mut builder = RequestBuilder::new(http::Method::GET, "http://h/");
        builder.query("keys", "other", Style::FORM).unwrap();
        builder
            .authorize(&security, &Keys(ApiKey::new("secret")))
            .unwrap();
        let request = builder.build().unwrap();
        assert_eq!(request.uri().to_string(), "http://h/?keys=other&key=secret");
        assert_eq!(request.headers()["x-key"], "secret");
    }

    #[test]
    fn each_style_writes_the_spec_table() {
        let list = ["blue", "black", "brown"];
        assert_eq!(
            uri(|r| {
                r.literal("/c/");
                r.path("color", &list, Style::SIMPLE)
            }),
            "http://h/api/c/blue,black,brown"
        );
        assert_eq!(
            uri(|r| {
                r.literal("/c/");
                r.path("color", &list, Style::LABEL.explode(true))
            }),
            "http://h/api/c/.blue.black.brown"
        );
        assert_eq!(
            uri(|r| {
                r.literal("/c");
                r.path("color", &list, Style::MATRIX)
            }),
            "http://h/api/c;color=blue,black,brown"
        );
        assert_eq!(
            uri(|r| r.query("color", &list, Style::FORM)),
            "http://h/api/?color=blue&color=black&color=brown"
        );
        assert_eq!(
            uri(|r| r.query("color", &list, Style::SPACE_DELIMITED)),
            "http://h/api/?color=blue%20black%20brown"
        );
        assert_eq!(
            uri(|r| r.query("color", &list, Style::PIPE_DELIMITED)),
            "http://h/api/?color=blue%7Cblack%7Cbrown"
        );
        let object: Vec<(&str, i32)> = vec![("R", 100), ("G", 200)];
        let object: std::collections::BTreeMap<_, _> = object.into_iter().collect();
        assert_eq!(
            uri(|r| r.query("color", &object, Style::DEEP_OBJECT)),
            "http://h/api/?color%5BG%5D=200&color%5BR%5D=100"
        );
    }

    #[test]
    fn reserved_characters_are_escaped_unless_allowed() {
        assert_eq!(
            uri(|r| r.query("q", "a/b?c", Style::FORM)),
            "http://h/api/?q=a%2Fb%3Fc"
        );
        assert_eq!(
            uri(|r| r.query("q", "a/b?c", Style::FORM.allow_reserved())),
            "http://h/api/?q=a/b?c"
        );
    }

    #[test]
    fn a_json_parameter_is_its_json_text() {
        assert_eq!(
            uri(|r| r.query("f", &[1, 2], Style::JSON)),
            "http://h/api/?f=%5B1%2C2%5D"
        );
    }

    #[test]
    fn header_texts_that_a_server_would_change_are_refused() {
        let mut builder = RequestBuilder::new(http::Method::GET, "");
        assert!(builder.header("X-A", " padded", Style::SIMPLE).is_err());
        assert!(builder
            .header("X-A", "line\r\nX-B: 1", Style::SIMPLE)
            .is_err());
        assert!(builder.header("X-A", "fine", Style::SIMPLE).is_ok());
    }

    #[test]
    fn dot_segments_are_refused() {
        let mut builder = RequestBuilder::new(http::Method::GET, "http://h");
        builder.literal("/files/");
        builder.path("name", "..", Style::SIMPLE).unwrap();
        assert!(builder.build().is_err());
    }
}
