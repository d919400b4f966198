//! Request building on arbitrary parameter values, for the operations of real descriptions
//! (their crates and the table of their parameters are written by `cargo run -p tools --
//! fuzz-prepare`). The bytes pick a description, an operation and a base URL, and, through
//! the `oracle` value maker (the one the tests and the Prism harness use), a value of each
//! parameter's schema: text of every character, those that matter in a URI or a header
//! above all, numbers, lists, objects, enum values known and unknown; optional ones are
//! left out at random. The request is then read back with decoders of our own
//! (`percent-encoding`, `form_urlencoded`), never the runtime's:
//!
//! - it is refused only for a reason that exists (a control character in a header, a `.`
//!   or `..` path segment, a value nested too deeply, …);
//! - nothing is injected: the path has the template's segments, the query only pairs of
//!   declared parameters, the headers only declared ones (and `accept`, `content-type`,
//!   `cookie`, `authorization`), no header value a CR or LF;
//! - every parameter reads back as the value its generated type serializes to.
//!
//! A few ways a value cannot read back are in the nature of a style, not a bug (an item of
//! a `spaceDelimited` list with a space in it reads as two items); [`Known`] lists them,
//! and `FUZZ_STRICT=1` turns them into crashes; so do the open findings it lists.
#![no_main]

use std::sync::OnceLock;

use fuzz_requests::{Api, Location, Op, Param, Piece, Refusal, Style, Unfit, Value, APIS};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use percent_encoding::percent_decode_str;
use serde_json::Map;

/// Server URLs to build against: none (an origin-form URI), with and without a path and a
/// trailing slash.
const BASES: &[&str] = &[
    "",
    "http://api.example",
    "http://api.example/",
    "https://api.example:8443/base/v1",
    "https://api.example/base/v1/",
    "http://[::1]:8080/a%20b/",
];

/// The headers the runtime writes besides the header parameters.
const FIXED_HEADERS: &[&str] = &["accept", "content-type", "cookie", "authorization"];

/// Each description of `APIS`, read by the `oracle` crate once.
fn documents() -> &'static [oracle::Document] {
    static DOCUMENTS: OnceLock<Vec<oracle::Document>> = OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        APIS.iter()
            .map(|api| {
                let root = oracle::document::parse(api.description).expect("a description");
                oracle::Document::new(root)
            })
            .collect()
    })
}

/// The fuzzer's bytes as the value maker's choices (`0` once they run out).
struct Choices<'a, 'b>(&'a mut Unstructured<'b>);

impl oracle::Source for Choices<'_, '_> {
    fn draw(&mut self, bound: u64) -> u64 {
        self.0.int_in_range(0..=bound.max(1) - 1).unwrap_or(0)
    }
}

/// Values of every shape with any text, but never `null` for a parameter: a present
/// parameter holds a value.
fn options() -> oracle::Options {
    oracle::Options {
        nulls: false,
        ..oracle::Options::hostile()
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = one(&mut u);
});

fn one(u: &mut Unstructured) -> Result<()> {
    let index = u.choose_index(APIS.len())?;
    let api: &Api = &APIS[index];
    let document = &documents()[index];
    let maker = oracle::Maker::new(document, options());
    let op = u.choose(api.operations)?;
    let base = *u.choose(BASES)?;
    let mut input = Map::new();
    let mut fits = true;
    for param in op.params {
        if !param.required && u.ratio(1, 4)? {
            continue;
        }
        let value = if u.ratio(1, 64)? {
            fits = false;
            any_json(u, 3)?
        } else {
            maker.param(&mut Choices(u), param.pointer)
        };
        input.insert(param.wire.to_owned(), value);
    }
    let input = Value::Object(input);
    let context = || {
        format!(
            "{}: {} {} from {input}, base {base:?}",
            api.name, op.method, op.id
        )
    };
    let built = match (op.build)(base, &input) {
        Ok(built) => built,
        // The body is the Prism harness's value for the schema, the same every time: a
        // generated type that refuses it is a bug, and the operation would go untested.
        Err(Unfit::Body(error)) => panic!("the body does not fit: {error}\n{}", context()),
        Err(Unfit::Param(error)) => {
            assert!(
                !fits,
                "a value of the parameter's kind did not fit: {error}\n{}",
                context()
            );
            return Ok(());
        }
    };
    let shapes: Vec<Shape> = built.values.iter().map(Shape::of).collect();
    let check = Check {
        op,
        values: &built.values,
        shapes: &shapes,
    };
    let result = match &built.request {
        Ok(request) => check.request(base, request),
        Err(refusal) => check.refusal(refusal),
    };
    if let Err(problem) = result {
        let request = match &built.request {
            Ok(request) => format!(
                "{} {}\n{:?}",
                request.method(),
                request.uri(),
                request.headers()
            ),
            Err(refusal) => format!("refused: {}", refusal.message),
        };
        panic!("{problem}\n{}\n{request}", context());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Values

/// Text for the hostile JSON the target sometimes sends instead of a value of the schema.
fn text(u: &mut Unstructured) -> Result<String> {
    u.arbitrary::<String>()
}

/// Any JSON: nested lists and objects, `null` items, which the styles cannot all write.
fn any_json(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let leaf = depth == 0 || u.ratio(1, 2)?;
    Ok(match u.int_in_range(0..=if leaf { 3 } else { 5u8 })? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => Value::String(text(u)?),
        4 => Value::Array(
            (0..u.int_in_range(0..=3u8)?)
                .map(|_| any_json(u, depth - 1))
                .collect::<Result<_>>()?,
        ),
        _ => {
            let mut object = Map::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                object.insert(text(u)?, any_json(u, depth - 1)?);
            }
            Value::Object(object)
        }
    })
}

// ---------------------------------------------------------------------------------------
// What a parameter must read back as

/// A parameter's value as the styles see it (OpenAPI on top of RFC 6570).
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// `null`, an empty list, an object without members: nothing is written.
    Absent,
    Scalar(String),
    /// The items, `null`s left out.
    List(Vec<String>),
    /// The members, `null`s left out, sorted (`Value` sorts keys; the runtime writes
    /// them in declaration order, so they are compared sorted).
    Pairs(Vec<(String, String)>),
    /// Lists or objects inside: no style can write it.
    Nested,
}

impl Shape {
    fn of(value: &Value) -> Shape {
        match value {
            Value::Null => Shape::Absent,
            Value::Array(items) => {
                let items: Option<Vec<String>> = items
                    .iter()
                    .filter(|item| !item.is_null())
                    .map(scalar)
                    .collect();
                match items {
                    None => Shape::Nested,
                    Some(items) if items.is_empty() => Shape::Absent,
                    Some(items) => Shape::List(items),
                }
            }
            Value::Object(members) => {
                let pairs: Option<Vec<(String, String)>> = members
                    .iter()
                    .filter(|(_, value)| !value.is_null())
                    .map(|(key, value)| Some((key.clone(), scalar(value)?)))
                    .collect();
                match pairs {
                    None => Shape::Nested,
                    Some(pairs) if pairs.is_empty() => Shape::Absent,
                    Some(mut pairs) => {
                        pairs.sort();
                        Shape::Pairs(pairs)
                    }
                }
            }
            scalar_value => scalar(scalar_value).map_or(Shape::Nested, Shape::Scalar),
        }
    }

    /// Every text in it, keys included.
    fn texts(&self) -> Vec<&str> {
        match self {
            Shape::Absent | Shape::Nested => Vec::new(),
            Shape::Scalar(text) => vec![text],
            Shape::List(items) => items.iter().map(String::as_str).collect(),
            Shape::Pairs(pairs) => pairs
                .iter()
                .flat_map(|(key, value)| [key.as_str(), value.as_str()])
                .collect(),
        }
    }
}

/// The pairs a `deepObject` parameter is written as: each scalar under its bracket path
/// (`name[a][0]`), list items by index, `null`s left out, a scalar as the bare `name`.
fn deep_pairs(wire: &str, value: &Value) -> Vec<(String, String)> {
    fn walk(path: String, value: &Value, pairs: &mut Vec<(String, String)>) {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(format!("{path}[{index}]"), item, pairs);
                }
            }
            Value::Object(members) => {
                for (key, member) in members {
                    walk(format!("{path}[{key}]"), member, pairs);
                }
            }
            scalar_value => pairs.extend(scalar(scalar_value).map(|text| (path, text))),
        }
    }
    let mut pairs = Vec::new();
    walk(wire.to_owned(), value, &mut pairs);
    pairs
}

/// The text of a string, number or boolean.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(value) => Some(value.to_string()),
        _ => None,
    }
}

/// Ways a request does not read back exactly that the target lets pass (comparing the
/// pieces of a value instead, say), each for a reason given here; see [`tolerated`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// How the style is defined: an item holds the character that separates items and is
    /// not escaped (`,` in a header, which is not percent-encoded, or with
    /// `allowReserved`; the delimiter of `spaceDelimited`, `pipeDelimited` and
    /// `tabDelimited`, which is percent-encoded as the items' own is; `.` in a `label`
    /// expansion, which RFC 6570 leaves unreserved), so no reader can tell them apart.
    SeparatorInItem,
}

/// Whether `known` passes: unless `FUZZ_STRICT` is `1` (none passes) or names it among
/// comma-separated names (`FUZZ_STRICT=SeparatorInItem`).
fn tolerated(known: Known) -> bool {
    static STRICT: OnceLock<Vec<String>> = OnceLock::new();
    let strict = STRICT.get_or_init(|| {
        let names = std::env::var("FUZZ_STRICT").unwrap_or_default();
        names.split(',').map(str::to_owned).collect()
    });
    let name = format!("{known:?}");
    !strict.iter().any(|strict| strict == "1" || *strict == name)
}

/// Whether any text of `shape` (items, keys, values) holds one of `separators`.
fn holds(shape: &Shape, separators: &[char]) -> bool {
    shape.texts().iter().any(|text| text.contains(separators))
}

/// The check for a value whose items hold a separator ([`Known::SeparatorInItem`]): the
/// decoded text cut at every separator against the expected texts cut the same way
/// (sorted for an object, whose order the runtime takes from the type). `trim` drops
/// the whitespace around each piece, as header readers do.
fn same_pieces(decoded: &str, expected: &Shape, separators: &[char], trim: bool) -> Outcome {
    let cut = |text: &str| -> Vec<String> {
        text.split(separators)
            .map(|piece| {
                if trim {
                    piece.trim_matches(OWS).to_owned()
                } else {
                    piece.to_owned()
                }
            })
            .collect()
    };
    let mut read = cut(decoded);
    let mut wanted: Vec<String> = expected.texts().into_iter().flat_map(cut).collect();
    if matches!(expected, Shape::Pairs(_)) {
        read.sort();
        wanted.sort();
    }
    if read == wanted {
        Ok(())
    } else {
        Err(format!(
            "`{decoded}` has the pieces {read:?}, not {wanted:?}"
        ))
    }
}

/// Optional whitespace around a header value or list item (RFC 9110).
const OWS: [char; 2] = [' ', '\t'];

// ---------------------------------------------------------------------------------------
// Reading the request back

/// Percent-decoding, as a server reads a path segment or a cookie value.
fn decode(raw: &str) -> std::result::Result<String, String> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| format!("`{raw}` does not decode to UTF-8"))
}

/// `application/x-www-form-urlencoded` decoding, as a server reads the query: `+` is a
/// space.
fn form_decode(raw: &str) -> std::result::Result<String, String> {
    let pair = format!("x={raw}");
    let mut decoded = form_urlencoded::parse(pair.as_bytes());
    match (decoded.next(), decoded.next()) {
        (Some((_, value)), None) => Ok(value.into_owned()),
        _ => Err(format!("`{raw}` is more than one query value")),
    }
}

type Outcome = std::result::Result<(), String>;

struct Check<'a> {
    op: &'static Op,
    values: &'a [Value],
    shapes: &'a [Shape],
}

impl Check<'_> {
    fn params(&self, location: Location) -> impl Iterator<Item = (usize, &'static Param)> {
        self.op
            .params
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.location == location)
    }

    /// A refused request must be refused for a reason the values have.
    fn refusal(&self, refusal: &Refusal) -> Outcome {
        let message = &refusal.message;
        let Some(wire) = &refusal.parameter else {
            if message.contains("would have a segment `.` or `..`") {
                if self.dot_segment().is_some() {
                    return Ok(());
                }
                return Err(format!("refused for a dot segment there is not: {message}"));
            }
            return Err(format!("refused for no parameter's reason: {message}"));
        };
        let reason = self.op.params.iter().enumerate().any(|(index, param)| {
            param.wire == wire
                && self.reason(param, &self.values[index], &self.shapes[index], message)
        });
        if reason {
            Ok(())
        } else {
            Err(format!(
                "refused for a reason `{wire}` does not have: {message}"
            ))
        }
    }

    fn reason(&self, param: &Param, value: &Value, shape: &Shape, message: &str) -> bool {
        let unsendable = |text: &str| text.chars().any(|c| c.is_ascii_control() || !c.is_ascii());
        if message.contains("is nested too deeply") {
            // deepObject writes any nesting as bracket paths.
            param.content.is_none() && param.style != Style::DeepObject && *shape == Shape::Nested
        } else if message.contains("contains a control character, DEL or non-ASCII text") {
            param.location == Location::Header
                && match param.content {
                    Some(_) => unsendable(&serde_json::to_string(value).unwrap_or_default()),
                    None => shape.texts().into_iter().any(unsendable),
                }
        } else if message.contains("begins or ends with a space, which a server drops") {
            param.location == Location::Header
                && param.content.is_none()
                && shape
                    .texts()
                    .into_iter()
                    .any(|text| text.starts_with(' ') || text.ends_with(' '))
        } else {
            false
        }
    }

    /// The first segment of the path, as the template and the values make it before any
    /// encoding, that is `.` or `..`.
    fn dot_segment(&self) -> Option<String> {
        let mut segment = String::new();
        let mut found = None;
        let mut end = |segment: &mut String| {
            if (segment == "." || segment == "..") && found.is_none() {
                found = Some(segment.clone());
            }
            segment.clear();
        };
        for piece in self.op.template {
            match piece {
                Piece::Literal(text) => {
                    let text = decode(text).unwrap_or_default();
                    let mut parts = text.split('/');
                    segment.push_str(parts.next().unwrap_or_default());
                    for part in parts {
                        end(&mut segment);
                        segment.push_str(part);
                    }
                }
                Piece::Param(index) => {
                    let param = &self.op.params[*index];
                    segment.push_str(&plain_path(param, &self.shapes[*index]));
                }
            }
        }
        end(&mut segment);
        found
    }

    fn request(&self, base: &str, request: &http::Request<Vec<u8>>) -> Outcome {
        if request.method().as_str() != self.op.method {
            return Err(format!(
                "method {} is not {}",
                request.method(),
                self.op.method
            ));
        }
        for (index, param) in self.op.params.iter().enumerate() {
            if param.content.is_none()
                && param.style != Style::DeepObject
                && self.shapes[index] == Shape::Nested
            {
                return Err(format!(
                    "`{}` is nested, yet the request was built",
                    param.wire
                ));
            }
        }
        let uri = request.uri();
        if uri.to_string().contains('#') {
            return Err("the URI has a fragment".into());
        }
        self.path(base, uri)?;
        self.query(uri.query())?;
        self.headers(request.headers())
    }

    // --- path

    fn path(&self, base: &str, uri: &http::Uri) -> Outcome {
        let (origin, base_path) = split_base(base);
        let origin_seen = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme), Some(authority)) => format!("{scheme}://{authority}"),
            _ => String::new(),
        };
        if origin_seen != origin {
            return Err(format!(
                "the request goes to `{origin_seen}`, not `{origin}`"
            ));
        }
        let path = uri.path();
        let Some(rest) = path.strip_prefix(base_path) else {
            return Err(format!(
                "the path `{path}` does not start with the base's `{base_path}`"
            ));
        };
        let raw: Vec<&str> = rest.split('/').collect();
        let template = segments(self.op.template);
        if raw.len() != template.len() {
            return Err(format!(
                "the path `{rest}` has {} segments, the template {}",
                raw.len(),
                template.len()
            ));
        }
        for (raw, pieces) in raw.iter().zip(&template) {
            let decoded = decode(raw)?;
            if decoded == "." || decoded == ".." {
                return Err(format!("the path has a dot segment `{raw}`"));
            }
            // Decoded, a segment is the template's text with the values as they are (the
            // members of an object in an order only the runtime knows).
            let mut plain = String::new();
            let mut ordered = true;
            for piece in pieces {
                match piece {
                    Piece::Literal(text) => plain.push_str(&decode(text)?),
                    Piece::Param(index) => {
                        let shape = &self.shapes[*index];
                        ordered &= !matches!(shape, Shape::Pairs(pairs) if pairs.len() > 1);
                        plain.push_str(&plain_path(&self.op.params[*index], shape));
                    }
                }
            }
            if ordered && decoded != plain {
                return Err(format!(
                    "the segment `{raw}` reads `{decoded}`, not `{plain}`"
                ));
            }
            // A segment of one parameter is parsed by its style, item by item.
            let params: Vec<usize> = pieces
                .iter()
                .filter_map(|piece| match piece {
                    Piece::Param(index) => Some(*index),
                    Piece::Literal(_) => None,
                })
                .collect();
            if let [index] = params[..] {
                let position = pieces.iter().position(|p| matches!(p, Piece::Param(_)));
                let (before, after) = pieces.split_at(position.unwrap_or_default());
                let literal = |pieces: &[Piece]| -> String {
                    pieces
                        .iter()
                        .map(|piece| match piece {
                            Piece::Literal(text) => *text,
                            Piece::Param(_) => "",
                        })
                        .collect()
                };
                let middle = raw
                    .strip_prefix(literal(before).as_str())
                    .and_then(|m| m.strip_suffix(literal(&after[1..]).as_str()))
                    .ok_or_else(|| format!("the segment `{raw}` lost the template's text"))?;
                let param = &self.op.params[index];
                path_param(param, &self.shapes[index], middle)
                    .map_err(|e| format!("path parameter `{}`: {e}", param.wire))?;
            }
        }
        Ok(())
    }

    // --- query

    fn query(&self, query: Option<&str>) -> Outcome {
        let raw: Vec<(&str, Option<&str>)> = query
            .map(|query| {
                query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((name, value)) => (name, Some(value)),
                        None => (pair, None),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Names first, with a decoder of the whole query as servers use.
        if let Some(query) = query {
            for (name, _) in form_urlencoded::parse(query.as_bytes()) {
                if !self.declared_query_name(&name) {
                    return Err(format!(
                        "the query has a pair `{name}` no parameter declares"
                    ));
                }
            }
        }
        // Then each parameter's pairs, in the order they are written.
        let mut rest = &raw[..];
        for (index, param) in self.params(Location::Query) {
            let shape = &self.shapes[index];
            let count = match (param.content, shape) {
                (Some(_), _) => usize::from(!self.values[index].is_null()),
                (None, _) if param.style == Style::DeepObject => {
                    deep_pairs(param.wire, &self.values[index]).len()
                }
                (None, Shape::Absent) => 0,
                (None, Shape::List(items)) if param.explode => items.len(),
                (None, Shape::Pairs(pairs)) if param.explode => pairs.len(),
                _ => 1,
            };
            if rest.len() < count {
                return Err(format!("the query lacks pairs of `{}`", param.wire));
            }
            let (mine, after) = rest.split_at(count);
            rest = after;
            self.query_param(param, index, mine)
                .map_err(|e| format!("query parameter `{}`: {e}", param.wire))?;
        }
        if !rest.is_empty() {
            return Err(format!("the query has pairs no parameter wrote: {rest:?}"));
        }
        Ok(())
    }

    /// Whether `name` is a member of the object `param` holds: an exploded object's
    /// members are pairs of their own.
    fn is_member(&self, param: &Param, name: &str) -> bool {
        let index = self.op.params.iter().position(|p| std::ptr::eq(p, param));
        index
            .and_then(|index| self.values[index].as_object())
            .is_some_and(|members| members.contains_key(name))
    }

    fn declared_query_name(&self, name: &str) -> bool {
        self.params(Location::Query).any(|(_, param)| {
            name == param.wire
                || (param.style == Style::DeepObject
                    && name.starts_with(&format!("{}[", param.wire))
                    && name.ends_with(']'))
                // An exploded object's members are pairs of their own.
                || (param.explode
                    && param.style != Style::DeepObject
                    && self.is_member(param, name))
        })
    }

    fn query_param(&self, param: &Param, index: usize, pairs: &[(&str, Option<&str>)]) -> Outcome {
        let decoded: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| Ok((form_decode(name)?, form_decode(value.unwrap_or_default())?)))
            .collect::<std::result::Result<_, String>>()?;
        let named = |expected: &str| -> Outcome {
            match decoded.iter().find(|(name, _)| name != expected) {
                Some((name, _)) => Err(format!("a pair is named `{name}`")),
                None => Ok(()),
            }
        };
        if param.content.is_some() {
            if let Some((_, text)) = decoded.first() {
                named(param.wire)?;
                let read: Value =
                    serde_json::from_str(text).map_err(|e| format!("`{text}`: {e}"))?;
                return same(&read, &self.values[index]);
            }
            return Ok(());
        }
        let shape = &self.shapes[index];
        if param.style == Style::DeepObject {
            let mut read = decoded;
            read.sort();
            let mut expected = deep_pairs(param.wire, &self.values[index]);
            expected.sort();
            return if read == expected {
                Ok(())
            } else {
                Err(format!("read back {read:?}, not {expected:?}"))
            };
        }
        let joiner = match param.style {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "%7C",
            Style::TabDelimited => "%09",
            _ => ",",
        };
        let read = match shape {
            Shape::Absent | Shape::Nested => Shape::Absent,
            Shape::Scalar(_) => {
                named(param.wire)?;
                Shape::Scalar(decoded[0].1.clone())
            }
            Shape::List(_) if param.explode => {
                named(param.wire)?;
                Shape::List(decoded.into_iter().map(|(_, value)| value).collect())
            }
            Shape::Pairs(_) if param.explode => {
                let mut pairs = decoded;
                pairs.sort();
                Shape::Pairs(pairs)
            }
            Shape::List(_) | Shape::Pairs(_) => {
                named(param.wire)?;
                let raw = pairs[0].1.unwrap_or_default();
                let separator = match param.style {
                    Style::SpaceDelimited => Some(' '),
                    Style::PipeDelimited => Some('|'),
                    Style::TabDelimited => Some('\t'),
                    _ if param.allow_reserved => Some(','),
                    _ => None,
                };
                if let Some(separator) = separator {
                    if holds(shape, &[separator]) && tolerated(Known::SeparatorInItem) {
                        return same_pieces(&decoded[0].1, shape, &[separator], false);
                    }
                }
                let items = raw
                    .split(joiner)
                    .map(form_decode)
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                shape_like(shape, items)?
            }
        };
        same_shape(&read, shape)
    }

    // --- headers and cookies

    fn headers(&self, headers: &http::HeaderMap) -> Outcome {
        for (name, value) in headers {
            let declared = self
                .params(Location::Header)
                .any(|(_, param)| param.wire.eq_ignore_ascii_case(name.as_str()));
            let fixed = FIXED_HEADERS.contains(&name.as_str());
            if !declared && !fixed {
                return Err(format!("a header `{name}` no parameter declares"));
            }
            if value.as_bytes().iter().any(|b| *b == b'\r' || *b == b'\n') {
                return Err(format!("the header `{name}` holds a CR or LF: {value:?}"));
            }
        }
        for (index, param) in self.params(Location::Header) {
            let values: Vec<&http::HeaderValue> = headers.get_all(param.wire).iter().collect();
            let absent = match param.content {
                Some(_) => self.values[index].is_null(),
                None => self.shapes[index] == Shape::Absent,
            };
            // A header the runtime writes itself may be there without the parameter.
            let fixed = FIXED_HEADERS
                .iter()
                .any(|name| param.wire.eq_ignore_ascii_case(name));
            let value = match (absent, &values[..]) {
                (true, []) => continue,
                (true, _) if fixed => continue,
                (false, [value]) => value,
                _ => {
                    return Err(format!(
                        "the header `{}` is there {} times",
                        param.wire,
                        values.len()
                    ))
                }
            };
            self.header_param(param, index, value)
                .map_err(|e| format!("header `{}`: {e}", param.wire))?;
        }
        self.cookies(headers)
    }

    fn header_param(&self, param: &Param, index: usize, value: &http::HeaderValue) -> Outcome {
        let text = value
            .to_str()
            .map_err(|_| format!("{value:?} is not visible ASCII"))?;
        // A server strips the whitespace around a field value (RFC 9110, section 5.5).
        let received = text.trim_matches(OWS);
        if param.content.is_some() {
            let read: Value =
                serde_json::from_str(received).map_err(|e| format!("`{received}`: {e}"))?;
            return same(&read, &self.values[index]);
        }
        let shape = &self.shapes[index];
        let exploded_pairs = param.explode && matches!(shape, Shape::Pairs(_));
        let expected = shape.clone();
        let separators: &[char] = if exploded_pairs { &[',', '='] } else { &[','] };
        if matches!(shape, Shape::List(_) | Shape::Pairs(_))
            && holds(shape, separators)
            && tolerated(Known::SeparatorInItem)
        {
            return same_pieces(received, &expected, separators, true);
        }
        let read = match shape {
            Shape::Absent | Shape::Nested => Shape::Absent,
            Shape::Scalar(_) => Shape::Scalar(received.to_owned()),
            // `#rule` lists: items split at commas, whitespace around each dropped.
            Shape::List(_) | Shape::Pairs(_) => {
                let items: Vec<String> = received
                    .split(',')
                    .map(|item| item.trim_matches(OWS).to_owned())
                    .collect();
                if exploded_pairs {
                    members(
                        items.iter().map(String::as_str),
                        |text| Ok(text.to_owned()),
                        false,
                    )?
                } else {
                    shape_like(shape, items)?
                }
            }
        };
        same_shape(&read, &expected)
    }

    fn cookies(&self, headers: &http::HeaderMap) -> Outcome {
        let cookies: Vec<&http::HeaderValue> =
            headers.get_all(http::header::COOKIE).iter().collect();
        let none = self
            .params(Location::Cookie)
            .all(|(index, _)| self.shapes[index] == Shape::Absent);
        let pieces: Vec<&str> = match (none, &cookies[..]) {
            (true, []) => return Ok(()),
            (false, [cookie]) => cookie
                .to_str()
                .map_err(|_| format!("the cookie {cookie:?} is not visible ASCII"))?
                .split("; ")
                .collect(),
            _ => return Err(format!("{} cookie headers", cookies.len())),
        };
        let mut rest = &pieces[..];
        for (index, param) in self.params(Location::Cookie) {
            let shape = &self.shapes[index];
            let count = match shape {
                Shape::Absent => 0,
                Shape::List(items) if param.explode => items.len(),
                Shape::Pairs(pairs) if param.explode => pairs.len(),
                _ => 1,
            };
            if rest.len() < count {
                return Err(format!("the cookie lacks pieces of `{}`", param.wire));
            }
            let (mine, after) = rest.split_at(count);
            rest = after;
            cookie_param(param, shape, mine)
                .map_err(|e| format!("cookie `{}`: {e}", param.wire))?;
        }
        if !rest.is_empty() {
            return Err(format!(
                "the cookie has pieces no parameter wrote: {rest:?}"
            ));
        }
        Ok(())
    }
}

fn cookie_param(param: &Param, shape: &Shape, pieces: &[&str]) -> Outcome {
    let mut decoded = Vec::new();
    for piece in pieces {
        let (name, value) = piece
            .split_once('=')
            .ok_or_else(|| format!("`{piece}` has no `=`"))?;
        decoded.push((decode(name)?, value));
    }
    let named = |decoded: &[(String, &str)]| -> Outcome {
        match decoded.iter().find(|(name, _)| name != param.wire) {
            Some((name, _)) => Err(format!("a piece is named `{name}`")),
            None => Ok(()),
        }
    };
    let read = match shape {
        Shape::Absent | Shape::Nested => Shape::Absent,
        Shape::Scalar(_) => {
            named(&decoded)?;
            Shape::Scalar(decode(decoded[0].1)?)
        }
        Shape::List(_) if param.explode => {
            named(&decoded)?;
            Shape::List(
                decoded
                    .iter()
                    .map(|(_, v)| decode(v))
                    .collect::<std::result::Result<_, _>>()?,
            )
        }
        Shape::Pairs(_) if param.explode => {
            let mut pairs = decoded
                .iter()
                .map(|(name, value)| Ok((name.clone(), decode(value)?)))
                .collect::<std::result::Result<Vec<_>, String>>()?;
            pairs.sort();
            Shape::Pairs(pairs)
        }
        Shape::List(_) | Shape::Pairs(_) => {
            named(&decoded)?;
            let items = decoded[0]
                .1
                .split(',')
                .map(decode)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            shape_like(shape, items)?
        }
    };
    same_shape(&read, shape)
}

/// Parses the part of a path segment that one parameter wrote.
fn path_param(param: &Param, shape: &Shape, raw: &str) -> Outcome {
    if *shape == Shape::Absent {
        return if raw.is_empty() {
            Ok(())
        } else {
            Err(format!("absent, yet `{raw}` is written"))
        };
    }
    let decode_all = |raw: &str, separator: &str| -> std::result::Result<Vec<String>, String> {
        raw.split(separator).map(decode).collect()
    };
    let read = match param.style {
        Style::Label => {
            let rest = raw
                .strip_prefix('.')
                .ok_or_else(|| format!("`{raw}` does not start with `.`"))?;
            let separator = if param.explode { "." } else { "," };
            let structured = matches!(shape, Shape::List(_) | Shape::Pairs(_));
            if param.explode
                && structured
                && holds(shape, &['.'])
                && tolerated(Known::SeparatorInItem)
            {
                let separators: &[char] = if matches!(shape, Shape::Pairs(_)) {
                    &['.', '=']
                } else {
                    &['.']
                };
                return same_pieces(&decode(rest)?, shape, separators, false);
            }
            match shape {
                Shape::Scalar(_) => Shape::Scalar(decode(rest)?),
                Shape::Pairs(_) if param.explode => members(rest.split(separator), decode, false)?,
                _ => shape_like(shape, decode_all(rest, separator)?)?,
            }
        }
        Style::Matrix => {
            let rest = raw
                .strip_prefix(';')
                .ok_or_else(|| format!("`{raw}` does not start with `;`"))?;
            match shape {
                // `key=value`, or `key` alone for an empty value.
                Shape::Pairs(_) if param.explode => members(rest.split(';'), decode, true)?,
                _ => {
                    // `name=value` pieces, or `name` alone for an empty value.
                    let mut values = Vec::new();
                    for piece in rest.split(';') {
                        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
                        if decode(name)? != param.wire {
                            return Err(format!("`{piece}` is not named `{}`", param.wire));
                        }
                        values.push(value);
                    }
                    match shape {
                        Shape::Scalar(_) if values.len() == 1 => Shape::Scalar(decode(values[0])?),
                        Shape::List(_) if param.explode => Shape::List(
                            values
                                .into_iter()
                                .map(decode)
                                .collect::<std::result::Result<_, _>>()?,
                        ),
                        _ if values.len() == 1 => shape_like(shape, decode_all(values[0], ",")?)?,
                        _ => return Err(format!("`{raw}` has {} pieces", values.len())),
                    }
                }
            }
        }
        _ => match shape {
            Shape::Scalar(_) => Shape::Scalar(decode(raw)?),
            Shape::Pairs(_) if param.explode => members(raw.split(','), decode, false)?,
            _ => shape_like(shape, decode_all(raw, ",")?)?,
        },
    };
    same_shape(&read, shape)
}

/// `key=value` items as sorted pairs, each side decoded by `decode` once split (so a
/// key's or a value's own `=`, escaped, stays theirs); with `bare`, `key` alone is a key
/// with an empty value (as `matrix` writes it).
fn members<'a>(
    items: impl Iterator<Item = &'a str>,
    decode: impl Fn(&str) -> std::result::Result<String, String>,
    bare: bool,
) -> std::result::Result<Shape, String> {
    let mut pairs = Vec::new();
    for item in items {
        let (key, value) = match item.split_once('=') {
            Some(split) => split,
            None if bare => (item, ""),
            None => return Err(format!("member `{item}` has no `=`")),
        };
        pairs.push((decode(key)?, decode(value)?));
    }
    pairs.sort();
    Ok(Shape::Pairs(pairs))
}

/// Items read from an unexploded value, as the expected shape has them: a list, or an
/// object's keys and values in turn.
fn shape_like(expected: &Shape, items: Vec<String>) -> std::result::Result<Shape, String> {
    Ok(match expected {
        Shape::Pairs(_) => {
            if items.len() % 2 == 1 {
                return Err(format!("an odd number of keys and values: {items:?}"));
            }
            let mut pairs: Vec<(String, String)> = items
                .chunks(2)
                .map(|pair| (pair[0].clone(), pair[1].clone()))
                .collect();
            pairs.sort();
            Shape::Pairs(pairs)
        }
        _ => Shape::List(items),
    })
}

fn same_shape(read: &Shape, expected: &Shape) -> Outcome {
    if read == expected {
        Ok(())
    } else {
        Err(format!("reads back as {read:?}, not {expected:?}"))
    }
}

fn same(read: &Value, expected: &Value) -> Outcome {
    if read == expected {
        Ok(())
    } else {
        Err(format!("reads back as {read}, not {expected}"))
    }
}

/// What a path parameter expands to, unencoded (RFC 6570 with the values as they are).
fn plain_path(param: &Param, shape: &Shape) -> String {
    let (first, separator, named) = match param.style {
        Style::Label => (".", ".", false),
        Style::Matrix => (";", ";", true),
        _ => ("", ",", false),
    };
    let item = |name: &str, value: &str| -> String {
        match (named, value.is_empty()) {
            (false, _) => value.to_owned(),
            (true, true) => name.to_owned(),
            (true, false) => format!("{name}={value}"),
        }
    };
    let text = match shape {
        Shape::Absent | Shape::Nested => return String::new(),
        Shape::Scalar(value) => item(param.wire, value),
        Shape::List(items) if param.explode => items
            .iter()
            .map(|value| item(param.wire, value))
            .collect::<Vec<_>>()
            .join(separator),
        Shape::List(items) => item(param.wire, &items.join(",")),
        Shape::Pairs(pairs) if param.explode => pairs
            .iter()
            .map(|(key, value)| {
                if named {
                    item(key, value)
                } else {
                    format!("{key}={value}")
                }
            })
            .collect::<Vec<_>>()
            .join(separator),
        Shape::Pairs(pairs) => {
            let flat: Vec<&str> = pairs
                .iter()
                .flat_map(|(k, v)| [k.as_str(), v.as_str()])
                .collect();
            item(param.wire, &flat.join(","))
        }
    };
    format!("{first}{text}")
}

/// The template's pieces by path segment: literals split at their `/`.
fn segments(template: &[Piece]) -> Vec<Vec<Piece>> {
    let mut segments = Vec::new();
    let mut current = Vec::new();
    for piece in template {
        match piece {
            Piece::Literal(text) => {
                for (index, part) in text.split('/').enumerate() {
                    if index > 0 {
                        segments.push(std::mem::take(&mut current));
                    }
                    if !part.is_empty() {
                        current.push(Piece::Literal(part));
                    }
                }
            }
            Piece::Param(_) => current.push(*piece),
        }
    }
    segments.push(current);
    segments
}

/// A base URL's origin (`scheme://authority`, empty for none) and path without its
/// trailing slash.
fn split_base(base: &str) -> (&str, &str) {
    let Some(scheme_end) = base.find("://") else {
        return ("", base.trim_end_matches('/'));
    };
    let after = scheme_end + 3;
    let path_start = base[after..].find('/').map_or(base.len(), |i| after + i);
    (
        &base[..path_start],
        base[path_start..].trim_end_matches('/'),
    )
}
