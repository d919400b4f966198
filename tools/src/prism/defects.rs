//! The defects of Prism 5.14.2 a run may excuse, each with the exact condition under
//! which it does (read from Prism's source and reproduced; `tools/prism/NOTES.md`),
//! checked against what we sent and what the description says: [`excuse`] for a
//! violation of a request, [`answer_defect`] for an answer that did not decode.

use std::fmt;

use codegen::model::{Location, Operation, Payload, Style};
use serde_json::Value;

use super::cases::{Asked, Case};
use super::violations::{header_violations, problem, Violation};
use super::Answer;
use oracle::document::{child, types};
use oracle::validate::Checks;
use oracle::Document;

/// A defect of Prism 5.14.2, each with the exact condition under which it is excused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Defect {
    /// A `spaceDelimited` (Swagger `ssv`) query list of two or more items, not exploded:
    /// Prism splits on the text `%20` after decoding, so the whole value is item 0.
    SpaceDelimited,
    /// A required Swagger `tsv` query parameter: Prism has no reader for the style and
    /// always finds it missing.
    TabDelimited,
    /// A required query parameter whose name holds `[` or `]` (App Store Connect's
    /// `filter[app]`): Prism requires it under its percent-encoded, lowercased name
    /// (`filter%5bapp%5d`) and reads the request's names decoded, so no request has it.
    BracketedName,
    /// A required property with a capital letter in a `deepObject` (or exploded form)
    /// object parameter: Prism lowercases the keys it receives, never the schema's.
    DeepObjectCapitals,
    /// An optional `deepObject` (or exploded form) query object of `type: object` that
    /// was not sent: Prism builds it as an object all the same and finds its required
    /// properties missing.
    AbsentObject,
    /// An array property of a URL-encoded body without an encoding `style`: Prism reads
    /// every value as text ("must be array").
    FormArray,
    /// A styled property of a URL-encoded body whose text holds a reserved character we
    /// write as the format says (the `,` between items, `+` for a space): Prism refuses it.
    FormReserved,
    /// A multipart part holding an object (a JSON part) or an array (repeated parts):
    /// Prism reads every part as text ("must be object", "must be array").
    MultipartStructured,
    /// A multipart part whose text holds a `%XX`: Prism percent-decodes part values
    /// before validating them.
    MultipartPercent,
    /// `0`/`1` for a path, query or header parameter whose `oneOf` has an integer (or
    /// number) branch before a boolean one, or `true`/`false` where a boolean branch comes
    /// before an integer (or number) one: Prism's validator coerces the text in place in
    /// the first branch and coerces the result again in the later one (`1` becomes
    /// `true`), so two branches match text only one of them reads.
    OneOfCoercion,
    /// A list of two or more items joined into one text (a `form` list not exploded, a
    /// `simple` one …) for a parameter whose schema is not `type: array` at its top (a
    /// `oneOf` with a list among its branches): Prism splits a parameter's text into items
    /// only when the top says `type: array`, and validates `15,16` whole.
    UnionList,
    /// A header parameter named `Accept`, `Content-Type` or `Authorization` in an OpenAPI
    /// 3.x description, which the specification says to ignore and the generator leaves
    /// out: Prism validates it all the same (required, or against its schema).
    IgnoredHeader,
    /// A request body of a media type Prism does not parse (not JSON, not a form: XML,
    /// text) whose schema is not a string: Prism validates the raw text against the
    /// schema ("Request body must be object").
    RawBody,
    /// Prism's own mock body breaks the description: Prism flags it, the independent
    /// validator agrees, and `decode` failed where they say.
    InvalidMock,
    /// Prism answered with no body where the description documents one.
    EmptyMock,
    /// Prism's mock wrote ±2^128 (one past `f32`'s range) for a `format: float` value
    /// (a member, an item or a map's value), which `decode` refuses as out of range: the
    /// decode error points at that very number.
    FloatPastRange,
    /// Prism could not make a body for the response's schema (`SCHEMA_TOO_COMPLEX`).
    TooComplex,
    /// Prism cannot write its mock of a `text/*` response (or a `*/*` one, which it
    /// answers as `text/plain`) whose schema is not a string (an object, array, number
    /// or boolean): 500 `NO_COMPLEX_OBJECT_TEXT`.
    ComplexText,
    /// A required request body whose value is `false`, `0`, `""` or `null`: Prism tests
    /// the parsed body for truth and finds it missing
    /// (`prism-http/dist/validator/index.js:21`, `!!requestBody.required && !body`).
    FalsyBody,
    /// Prism's own mock body breaks the description where Prism validates nothing: the
    /// response's schema holds a pattern its ajv cannot compile (listed as a gap), the
    /// independent validator finds the body breaks the schema, and `decode` failed
    /// there.
    UnvalidatedMock,
    /// Prism has no serializer for a response's media type (not JSON, XML or text:
    /// `application/x-yaml`, `application/*`, a media type named `string`) and its mock
    /// is not a string: 500 `Cannot find serializer for …`.
    NoSerializer,
    /// Prism died writing a `sl-violations` header with a character above U+00FF (its
    /// log says so).
    HeaderCharacter,
    /// Prism died reading a request that lacks a header parameter of `type: array` (an
    /// optional one left out): its `simple` reader splits the absent value (`TypeError:
    /// Cannot read properties of undefined (reading 'split')`, its log says).
    AbsentArrayHeader,
    /// A value no choice can make valid under the description (not Prism's fault: the
    /// description's); only the violations at its own place are excused.
    Impossible,
    /// The description's, not Prism's: a schema with `properties` but no `type`, which
    /// by the letter of JSON Schema any value satisfies, and Prism's mock holds a value
    /// there that is not an object (`[null]` for a list of Gérer mes affaires'
    /// `Group`). The generated type is the struct the properties describe, as the
    /// description means and as every generator reads it, so `decode` wants an object
    /// there ("expected an object").
    UntypedObject,
}

impl Defect {
    /// The defect in one line, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Defect::SpaceDelimited => {
                "Prism splits spaceDelimited lists on the text %20 after decoding"
            }
            Defect::TabDelimited => "Prism cannot read Swagger tsv query parameters",
            Defect::DeepObjectCapitals => "Prism lowercases deepObject keys, never the schema's",
            Defect::BracketedName => {
                "Prism requires a query parameter named with [ or ] under its encoded name, which no request has"
            }
            Defect::AbsentObject => {
                "Prism reads an absent deepObject or exploded form object as an empty object"
            }
            Defect::FormArray => {
                "Prism reads URL-encoded array properties without an encoding style as text"
            }
            Defect::FormReserved => {
                "Prism refuses reserved characters the format writes in styled form properties"
            }
            Defect::MultipartStructured => "Prism reads object and array multipart parts as text",
            Defect::MultipartPercent => "Prism percent-decodes multipart part values",
            Defect::OneOfCoercion => {
                "Prism coerces parameter text inside one oneOf branch and again in the next (1 becomes true)"
            }
            Defect::UnionList => {
                "Prism splits a parameter's list only when its schema's top says type: array"
            }
            Defect::IgnoredHeader => {
                "Prism validates the Accept, Content-Type and Authorization header parameters OpenAPI 3 says to ignore"
            }
            Defect::RawBody => {
                "Prism validates the raw text of a body it does not parse (XML, text) against its schema"
            }
            Defect::InvalidMock => {
                "Prism's mock body breaks the description, and decode rightly refuses it"
            }
            Defect::EmptyMock => "Prism's mock sent no body where the description documents one",
            Defect::FloatPastRange => {
                "Prism's mock writes ±2^128 for format: float, past f32's range"
            }
            Defect::TooComplex => "Prism cannot make a body for this schema (SCHEMA_TOO_COMPLEX)",
            Defect::ComplexText => {
                "Prism cannot write a mock that is not a string as text/* (NO_COMPLEX_OBJECT_TEXT)"
            }
            Defect::UnvalidatedMock => {
                "Prism's mock body breaks the description where it validates nothing (a pattern it cannot compile)"
            }
            Defect::NoSerializer => {
                "Prism has no serializer for the response's media type (not JSON, XML or text)"
            }
            Defect::FalsyBody => {
                "Prism reports a required body of false, 0, \"\" or null as missing"
            }
            Defect::HeaderCharacter => {
                "Prism dies writing a character above U+00FF into sl-violations"
            }
            Defect::AbsentArrayHeader => {
                "Prism dies reading a request without a header parameter of type: array"
            }
            Defect::Impossible => "no value of the description's schema is valid here",
            Defect::UntypedObject => {
                "the description's schema has properties but no type, and the answer holds a non-object there"
            }
        }
    }
}

/// One case a defect explains.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Excused {
    /// The operation's id.
    pub operation: String,
    /// The pass of its case (`plain`, `edges`).
    pub pass: &'static str,
    /// The violation's location (`query.color`), or the status asked.
    pub place: String,
    /// The status asked, when the excused case is an answer rather than a violation.
    pub status: Option<u16>,
    /// The defect that explains it.
    pub defect: Defect,
}

impl fmt::Display for Excused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}: {:?}",
            self.operation, self.pass, self.place, self.defect
        )
    }
}

/// The defect that explains `violation` of the request of `case`, if one does under its
/// exact condition.
pub fn excuse(
    doc: &Document,
    op: &Operation,
    case: &Case,
    violation: &Violation,
) -> Option<Defect> {
    let location: Vec<&str> = violation
        .location
        .iter()
        .skip(1)
        .map(String::as_str)
        .collect();
    // The violation is about a parameter's whole value, not an item or member of it.
    let whole_param = location.len() == 2;
    let (kind, name) = match location.as_slice() {
        [kind, name, ..] => (*kind, *name),
        ["header"] if violation.code == "required" => {
            return ignored_header(doc, op, quoted(&violation.message)?);
        }
        ["query"] if violation.code == "required" => ("query", ""),
        ["body", ..] => ("body", ""),
        [] if violation.code == "required" && violation.message == "Body parameter is required" => {
            return falsy_body(op, case).then_some(Defect::FalsyBody);
        }
        _ => return None,
    };
    // Impossible values: only at their own place.
    let here = |place: &str| {
        place.eq_ignore_ascii_case(&format!("{kind}.{name}")) || (kind == "body" && place == "body")
    };
    if case.impossible.iter().any(|(place, _)| here(place)) {
        return Some(Defect::Impossible);
    }
    match kind {
        "path" | "query" | "header" => {
            let location = match kind {
                "path" => Location::Path,
                "query" => Location::Query,
                _ => Location::Header,
            };
            if kind == "query" && name.is_empty() {
                return bracketed_name(op, case, violation)
                    .or_else(|| tab_delimited(op, violation));
            }
            if location == Location::Header {
                if let Some(defect) = ignored_header(doc, op, name) {
                    return Some(defect);
                }
            }
            let param = op
                .params
                .iter()
                .find(|p| p.location == location && p.wire.eq_ignore_ascii_case(name))?;
            let object_style =
                param.style == Style::DeepObject || (param.style == Style::Form && param.explode);
            let Some(sent) = case.params.get(&param.wire) else {
                let absent_object = location == Location::Query
                    && object_style
                    && !param.required
                    && violation.code == "required"
                    && quoted(&violation.message).is_some_and(|key| requires(doc, param, key));
                return absent_object.then_some(Defect::AbsentObject);
            };
            let items = sent.as_array().map_or(0, Vec::len);
            let spaced = matches!(param.style, Style::SpaceDelimited) && !param.explode;
            if location == Location::Query && spaced && items >= 2 {
                return Some(Defect::SpaceDelimited);
            }
            if location == Location::Query
                && object_style
                && violation.code == "required"
                && quoted(&violation.message).is_some_and(|key| key.chars().any(char::is_uppercase))
            {
                return Some(Defect::DeepObjectCapitals);
            }
            if whole_param && union_list(doc, param, sent) {
                return Some(Defect::UnionList);
            }
            if violation.code == "oneOf" && coerced(doc, param, sent) {
                return Some(Defect::OneOfCoercion);
            }
            None
        }
        "body" if location == ["body"] && raw_body(doc, op, violation) => Some(Defect::RawBody),
        "body" => form_defect(doc, op, case, violation, name),
        _ => None,
    }
}

/// Whether `op`'s body is required and the value `case` sent is one JavaScript holds
/// false: `false`, a zero, `""` or `null`.
fn falsy_body(op: &Operation, case: &Case) -> bool {
    let required = op.body.as_ref().is_some_and(|body| body.required);
    let falsy = match &case.body {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(text) => text.is_empty(),
        Value::Null => true,
        _ => false,
    };
    required && falsy
}

/// Whether the parameter's schema is `type: object` (what Prism's deepObject and form
/// readers test, `prism-http/dist/validator/deserializers/style/deepObject.js:24`,
/// `form.js:8,13`) and requires `key`.
fn requires(doc: &Document, param: &codegen::model::Param, key: &str) -> bool {
    let maker = oracle::Maker::new(doc, oracle::Options::plain());
    let Some((pointer, schema)) = maker.param_schema(&param.pointer) else {
        return false;
    };
    let schema = doc.resolve(schema, &pointer).1;
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|k| k.as_str() == Some(key)))
}

/// A required Swagger `tsv` parameter reported missing.
fn tab_delimited(op: &Operation, violation: &Violation) -> Option<Defect> {
    let missing = quoted(&violation.message)?;
    op.params
        .iter()
        .any(|p| {
            p.location == Location::Query
                && p.style == Style::TabDelimited
                && p.required
                && p.wire == missing
        })
        .then_some(Defect::TabDelimited)
}

/// [`Defect::BracketedName`]: the missing property is the encoded, lowercased name of a
/// required query parameter of `op` with `[` or `]` in it, which `case` sent.
fn bracketed_name(op: &Operation, case: &Case, violation: &Violation) -> Option<Defect> {
    let missing = quoted(&violation.message)?;
    let encoded = |name: &str| name.to_lowercase().replace('[', "%5b").replace(']', "%5d");
    op.params
        .iter()
        .any(|p| {
            p.location == Location::Query
                && p.required
                && p.wire.contains(['[', ']'])
                && encoded(&p.wire) == missing
                && case.params.get(&p.wire).is_some_and(|sent| !sent.is_null())
        })
        .then_some(Defect::BracketedName)
}

/// The property a message names in quotes (`must have required property 'userName'`).
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('\'')? + 1;
    let end = start + message[start..].find('\'')?;
    Some(&message[start..end])
}

/// Whether Prism died (`why`, its standard error) splitting the absent value of a header
/// parameter of `type: array` (`prism-http/dist/validator/deserializers/style/simple.js:20`),
/// and `request` (as built) lacks such a header parameter of `op`.
pub fn absent_array_header(doc: &Document, op: &Operation, request: &Value, why: &str) -> bool {
    let split = why.contains("reading 'split'") && why.contains("deserializeArray");
    let sent: Vec<String> = request["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| pair[0].as_str().map(str::to_ascii_lowercase))
        .collect();
    let maker = oracle::Maker::new(doc, oracle::Options::plain());
    let array = |param: &codegen::model::Param| {
        maker
            .param_schema(&param.pointer)
            .is_some_and(|(pointer, schema)| {
                doc.resolve(schema, &pointer)
                    .1
                    .get("type")
                    .and_then(Value::as_str)
                    == Some("array")
            })
    };
    split
        && op.params.iter().any(|param| {
            param.location == Location::Header
                && !sent.contains(&param.wire.to_ascii_lowercase())
                && array(param)
        })
}

/// A header `name` (as Prism reports it, lowercased) that OpenAPI 3.x says to ignore as a
/// parameter, which the generator left out of `op`: Prism's readers keep every declared
/// header parameter (`http-spec/oas3/transformers/request.js` filters none).
fn ignored_header(doc: &Document, op: &Operation, name: &str) -> Option<Defect> {
    let ignored = matches!(
        name.to_ascii_lowercase().as_str(),
        "accept" | "content-type" | "authorization"
    );
    let left_out = !op
        .params
        .iter()
        .any(|p| p.location == Location::Header && p.wire.eq_ignore_ascii_case(name));
    (ignored && left_out && doc.version().starts_with('3')).then_some(Defect::IgnoredHeader)
}

/// Whether the text sent for `param` is one Prism's validator (ajv, `coerceTypes: true`)
/// coerces across two branches of its `oneOf`: ajv coerces the value in place inside a
/// branch and the next branch sees the result, which it may coerce again. `1` read by an
/// integer branch becomes `true` for a later boolean branch; `true` read by a boolean
/// branch becomes `1` for a later integer one. Text two branches really read (`42` for an
/// integer branch and a plain string one) is the description's ambiguity, not this.
fn coerced(doc: &Document, param: &codegen::model::Param, sent: &Value) -> bool {
    let text = match sent {
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::String(text) => text.clone(),
        _ => return false,
    };
    let maker = oracle::Maker::new(doc, oracle::Options::plain());
    let Some((pointer, schema)) = maker.param_schema(&param.pointer) else {
        return false;
    };
    let (pointer, schema) = doc.resolve(schema, &pointer);
    let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
        return false;
    };
    let branch_types: Vec<Vec<String>> = branches
        .iter()
        .enumerate()
        .map(|(index, branch)| {
            let at = child(&child(&pointer, "oneOf"), &index.to_string());
            types(doc.resolve(branch, &at).1)
        })
        .collect();
    let first = |kinds: &[&str]| {
        branch_types
            .iter()
            .position(|t| t.iter().any(|t| kinds.contains(&t.as_str())))
    };
    match (
        text.as_str(),
        first(&["integer", "number"]),
        first(&["boolean"]),
    ) {
        ("0" | "1", Some(numeric), Some(boolean)) => numeric < boolean,
        ("true" | "false", Some(numeric), Some(boolean)) => boolean < numeric,
        _ => false,
    }
}

/// Whether a list of two or more items was sent for `param` joined into one text, and
/// its schema's top is not `type: array`: Prism's readers split the text only when it is
/// (`prism-http/dist/validator/deserializers/style/form.js:8-10`, `simple.js:5-7`), and
/// hand the joined text to the validator otherwise.
fn union_list(doc: &Document, param: &codegen::model::Param, sent: &Value) -> bool {
    let exploded = matches!(param.style, Style::Form | Style::Matrix) && param.explode;
    if exploded || sent.as_array().is_none_or(|items| items.len() < 2) {
        return false;
    }
    let maker = oracle::Maker::new(doc, oracle::Options::plain());
    let Some((pointer, schema)) = maker.param_schema(&param.pointer) else {
        return false;
    };
    let schema = doc.resolve(schema, &pointer).1;
    schema.get("type").and_then(Value::as_str) != Some("array")
}

/// A `type` violation of the whole body, sent in a media type Prism reads as text (not
/// JSON, not a form), whose schema's type is known and is not a string
/// (`prism-http-server/dist/server.js:41-51` reads such a body as text;
/// `prism-http/dist/validator/validators/body.js:151-155` validates that text as it is).
fn raw_body(doc: &Document, op: &Operation, violation: &Violation) -> bool {
    let Some(content) = op.body.as_ref().and_then(|b| b.contents.first()) else {
        return false;
    };
    let media = content.media_types[0].to_ascii_lowercase();
    let essence = media.split(';').next().unwrap_or_default().trim();
    let parsed = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
        || essence == "application/x-www-form-urlencoded"
        || essence == "multipart/form-data";
    if parsed || !matches!(content.payload, Payload::Text | Payload::Binary) {
        return false;
    }
    let Some((node, at)) = content
        .schema
        .as_deref()
        .and_then(|at| Some((doc.get(at)?, at)))
    else {
        return false;
    };
    let kinds = types(doc.resolve(node, at).1);
    violation.code == "type"
        && violation.message.starts_with("Request body must be ")
        && !kinds.is_empty()
        && !kinds.iter().any(|t| t == "string")
}

/// The defects of form and multipart bodies (items 4 and 5 of the notes).
fn form_defect(
    doc: &Document,
    op: &Operation,
    case: &Case,
    violation: &Violation,
    property: &str,
) -> Option<Defect> {
    let content = op.body.as_ref()?.contents.first()?;
    if !matches!(content.payload, Payload::Form(_)) {
        return None;
    }
    let multipart = content.media_types[0]
        .to_ascii_lowercase()
        .starts_with("multipart/");
    let sent = case.body.get(property);
    let encoding = content.encoding.iter().find(|e| e.property == property);
    let schema_types = property_types(doc, content.schema.as_deref(), property);
    let structured = schema_types.iter().any(|t| t == "array" || t == "object");
    let says = |kind: &str| {
        violation.message.ends_with(&format!("must be {kind}"))
            || violation.message.contains(&format!("must be {kind},"))
    };
    if multipart {
        if sent.is_some() && structured && (says("array") || says("object")) {
            return Some(Defect::MultipartStructured);
        }
        let percent = sent.and_then(Value::as_str).is_some_and(has_percent_escape);
        if percent {
            return Some(Defect::MultipartPercent);
        }
        return None;
    }
    let described_style = described_encoding_style(doc, content, property);
    if says("array") && schema_types.iter().any(|t| t == "array") {
        // No `style` in the description's encoding: every value is read as text. With
        // a Swagger csv/ssv/pipes field (styled), an absent one is read as `''`.
        if (sent.is_some() && !described_style) || (sent.is_none() && described_style) {
            return Some(Defect::FormArray);
        }
    }
    if violation.message == "Reserved characters used in request body" && described_style {
        let texts = sent.map(texts_of).unwrap_or_default();
        let spaced = texts.iter().any(|t| t.contains(' '));
        let reserved = texts
            .iter()
            .any(|t| t.chars().any(|c| "/?#[]@!$&'()*+,;=".contains(c)));
        let joined = encoding.is_some_and(|e| !e.explode)
            && sent
                .and_then(Value::as_array)
                .is_some_and(|items| items.len() >= 2);
        let allowed = encoding.is_some_and(|e| e.allow_reserved);
        if (spaced || joined || (reserved && allowed)) && violation.code.is_empty() {
            return Some(Defect::FormReserved);
        }
    }
    None
}

/// Whether the description gives the form property an Encoding Object with a `style`
/// (OpenAPI 3), or a `collectionFormat` other than `multi` (Swagger 2.0).
fn described_encoding_style(
    doc: &Document,
    content: &codegen::model::Content,
    property: &str,
) -> bool {
    if let Some(media) = content.media.as_deref().and_then(|m| doc.get(m)) {
        return media
            .get("encoding")
            .and_then(|e| e.get(property))
            .and_then(|e| e.get("style"))
            .is_some();
    }
    // Swagger 2.0: the form's schema pointer is the operation's parameter list.
    let Some(Value::Array(params)) = content.schema.as_deref().and_then(|s| doc.get(s)) else {
        return false;
    };
    params.iter().any(|param| {
        let param = doc.resolve(param, "#").1;
        param.get("name").and_then(Value::as_str) == Some(property)
            && matches!(
                param.get("collectionFormat").and_then(Value::as_str),
                Some("csv" | "ssv" | "pipes" | "tsv")
            )
    })
}

/// The JSON types the form's schema gives `property`.
fn property_types(doc: &Document, schema: Option<&str>, property: &str) -> Vec<String> {
    let Some(pointer) = schema else {
        return Vec::new();
    };
    let Some(node) = doc.get(pointer) else {
        return Vec::new();
    };
    if let Value::Array(params) = node {
        // Swagger 2.0 formData parameters carry their schema's keywords.
        return params
            .iter()
            .map(|param| doc.resolve(param, "#").1)
            .find(|param| param.get("name").and_then(Value::as_str) == Some(property))
            .map(types)
            .unwrap_or_default();
    }
    let view = oracle::document::ObjectView::of(doc, node, pointer);
    view.property(property)
        .map(|(schema, at)| types(doc.resolve(schema, at).1))
        .unwrap_or_default()
}

fn has_percent_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Every text a value holds: itself, its items, its members' values.
fn texts_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(texts_of).collect(),
        Value::Object(members) => members.values().flat_map(texts_of).collect(),
        other => vec![other.to_string()],
    }
}

/// The defect behind an answer that did not decode to the expected variant.
pub fn answer_defect(
    doc: &Document,
    checks: &Checks,
    unchecked: &[String],
    op: &Operation,
    asked: &Asked,
    answer: &Answer,
) -> Result<Option<Defect>, String> {
    if let Some(problem) = problem(answer)? {
        let kind = problem
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind.ends_with("#SCHEMA_TOO_COMPLEX") && answer.status == 500 {
            return Ok(Some(Defect::TooComplex));
        }
        if kind.ends_with("#NO_COMPLEX_OBJECT_TEXT")
            && answer.status == 500
            && asked_response(op, asked).is_some_and(|r| text_not_string(doc, r))
        {
            return Ok(Some(Defect::ComplexText));
        }
        if kind.ends_with("#UNKNOWN")
            && answer.status == 500
            && asked_response(op, asked).is_some_and(|r| no_serializer(doc, op, r, &problem))
        {
            return Ok(Some(Defect::NoSerializer));
        }
        return Ok(None);
    }
    if !answer.decoded.starts_with("DecodeError") {
        return Ok(None);
    }
    let Some(response) = asked_response(op, asked) else {
        return Ok(None);
    };
    let documented = response.contents.iter().find(|c| c.schema.is_some());
    if answer.body.is_empty() {
        return Ok(documented.is_some().then_some(Defect::EmptyMock));
    }
    if float_past_range(answer) {
        return Ok(Some(Defect::FloatPastRange));
    }
    if answer.decoded.contains("expected an object") {
        let schema = documented
            .and_then(|content| content.schema.as_deref())
            .and_then(|at| doc.get(at));
        let body = serde_json::from_slice::<Value>(&answer.body).ok();
        if let (Some(schema), Some(body)) = (schema, body) {
            if non_object_where_untyped(doc, schema, &body, 0) {
                return Ok(Some(Defect::UntypedObject));
            }
        }
    }
    let flagged: Vec<Vec<String>> = header_violations(answer)?
        .into_iter()
        .filter(|v| v.location.first().map(String::as_str) == Some("response"))
        .map(|v| v.location)
        .collect();
    let Some(content) = documented else {
        return Ok(None);
    };
    let Some(schema) = content.schema.as_deref() else {
        return Ok(None);
    };
    // Prism validates nothing of a response whose schema holds a pattern it cannot
    // compile: it flags nothing, however wrong its mock.
    let unvalidated = flagged.is_empty() && reaches_unchecked(doc, schema, unchecked);
    if flagged.is_empty() && !unvalidated {
        return Ok(None);
    }
    // Prism says its body breaks the description (or validates nothing of it); the
    // independent validator must say so too, at a place on the path where `decode`
    // failed.
    let Ok(body) = serde_json::from_slice::<Value>(&answer.body) else {
        return Ok(None);
    };
    let mut failed_at = decode_path(&answer.decoded);
    // A missing member is reported at its parent, and must be the one named there.
    let missing = missing_member(&answer.decoded);
    if missing.is_some() {
        failed_at.pop();
    }
    let prism_at: Vec<Vec<String>> = flagged
        .iter()
        .map(|location| {
            names(
                &location
                    .iter()
                    .skip(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        })
        .collect();
    // Prism's location and the validator's (both with map keys) on one path: one is a
    // prefix of the other; the decode error's is checked by [`along`], as it names no
    // map key. An error that names no member is only on the path of another that names
    // none.
    let on_path = |a: &[String], b: &[String]| {
        a.is_empty() == b.is_empty() && (a.starts_with(b) || b.starts_with(a))
    };
    let agree = checks.problems(schema, &body).iter().any(|(message, at)| {
        let invalid_at = names(at);
        let same_member = missing
            .as_deref()
            .is_none_or(|member| message.contains(&format!("\"{member}\"")));
        along(&failed_at, &invalid_at)
            && same_member
            && (unvalidated || prism_at.iter().any(|p| on_path(p, &invalid_at)))
    });
    let defect = if unvalidated {
        Defect::UnvalidatedMock
    } else {
        Defect::InvalidMock
    };
    Ok(agree.then_some(defect))
}

/// Whether `value`, read along `schema`, holds a value that is not an object where the
/// schema has `properties` but no `type` (through `$ref`s, `allOf`, items, properties
/// and `additionalProperties`).
fn non_object_where_untyped(doc: &Document, schema: &Value, value: &Value, depth: usize) -> bool {
    let (_, schema) = doc.resolve(schema, "#");
    if depth > 64 {
        return false;
    }
    if schema.get("properties").is_some() && schema.get("type").is_none() && !value.is_object() {
        return true;
    }
    let below =
        |schema: &Value, value: &Value| non_object_where_untyped(doc, schema, value, depth + 1);
    let all_of = schema.get("allOf").and_then(Value::as_array);
    if all_of
        .into_iter()
        .flatten()
        .any(|branch| below(branch, value))
    {
        return true;
    }
    match value {
        Value::Array(items) => schema
            .get("items")
            .is_some_and(|each| items.iter().any(|item| below(each, item))),
        Value::Object(members) => members.iter().any(|(key, member)| {
            let listed = schema.get("properties").and_then(|p| p.get(key));
            let other = schema.get("additionalProperties").filter(|a| a.is_object());
            listed.or(other).is_some_and(|each| below(each, member))
        }),
        _ => false,
    }
}

/// The member a `DecodeError` says is missing (`` missing member `name` ``).
fn missing_member(decoded: &str) -> Option<String> {
    let (_, rest) = decoded.rsplit_once("missing member `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// Whether the schema at `pointer` holds, itself or through what it reaches (`$ref`s,
/// properties, items, members), one of the patterns at `unchecked` (their pointers,
/// `…/pattern`): Prism's ajv then cannot compile it, and Prism validates nothing of the
/// value (NOTES.md).
fn reaches_unchecked(doc: &Document, pointer: &str, unchecked: &[String]) -> bool {
    let holders: Vec<&str> = unchecked
        .iter()
        .filter_map(|at| at.strip_suffix("/pattern"))
        .collect();
    if holders.is_empty() {
        return false;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut pending = vec![pointer.to_owned()];
    while let Some(at) = pending.pop() {
        let Some(node) = doc.get(&at) else { continue };
        let (at, node) = doc.resolve(node, &at);
        if !seen.insert(at.clone()) {
            continue;
        }
        if holders.contains(&at.as_str()) {
            return true;
        }
        for key in ["items", "additionalProperties", "not"] {
            if node.get(key).is_some_and(Value::is_object) {
                pending.push(child(&at, key));
            }
        }
        for key in ["properties", "patternProperties"] {
            for (name, _) in node
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                pending.push(child(&child(&at, key), name));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            let count = node.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            for index in 0..count {
                pending.push(child(&child(&at, key), &index.to_string()));
            }
        }
    }
    false
}

/// Whether Prism's problem is that it has no serializer (`Cannot find serializer for
/// M`) for a media type `M` that is none of JSON, XML or text
/// (`prism-http-server/dist/serialize.js:7-40`), and either `response` documents `M` with
/// a schema whose value need not be a string (a string it writes as it is), or it
/// documents a `Content-Type` header, whose mock Prism answers with as its media type
/// (Canada Holidays' `content-type: {type: string}` makes it `string`), though the
/// format says such a header is ignored.
fn no_serializer(
    doc: &Document,
    op: &Operation,
    response: &codegen::model::Response,
    problem: &Value,
) -> bool {
    let title = problem
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(media) = title.strip_prefix("Cannot find serializer for ") else {
        return false;
    };
    let essence = media.to_ascii_lowercase();
    let serialized = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
        || essence == "application/xml"
        || (essence.starts_with("application/") && essence.ends_with("+xml"))
        || essence.starts_with("text/");
    let content_type_header = response_node(doc, op, response)
        .and_then(|node| node.get("headers"))
        .and_then(Value::as_object)
        .is_some_and(|headers| {
            headers
                .keys()
                .any(|name| name.eq_ignore_ascii_case("content-type"))
        });
    !serialized
        && (content_type_header
            || response.contents.iter().any(|content| {
                content.media_types.iter().any(|m| m == media)
                    && content
                        .schema
                        .as_deref()
                        .and_then(|s| Some((doc.get(s)?, s)))
                        .is_some_and(|(node, at)| !always_string(doc, node, at))
            }))
}

/// The Response Object of `op` that `response` was lowered from, `$ref` resolved.
fn response_node<'d>(
    doc: &'d Document,
    op: &Operation,
    response: &codegen::model::Response,
) -> Option<&'d Value> {
    let responses_at = child(&op.pointer, "responses");
    let responses = doc.get(&responses_at)?.as_object()?;
    let (key, node) = responses
        .iter()
        .find(|(key, _)| codegen::model::Status::parse(key) == Some(response.status))?;
    Some(doc.resolve(node, &child(&responses_at, key)).1)
}

/// The documented response that `asked` expects.
fn asked_response<'o>(op: &'o Operation, asked: &Asked) -> Option<&'o codegen::model::Response> {
    op.responses.iter().find(|r| {
        format!(
            "{} {}",
            if asked.expected.starts_with("Ok") {
                "Ok"
            } else {
                "Err"
            },
            r.variant
        ) == asked.expected
    })
}

/// Whether `response` documents a `text/*` media type (or `*/*`, which Prism answers as
/// `text/plain`) whose schema says its value is not a string: Prism's mock of it is then
/// an object, list, number or boolean, which its text serializer refuses
/// (`prism-http-server/dist/serialize.js:17-26`).
fn text_not_string(doc: &Document, response: &codegen::model::Response) -> bool {
    response.contents.iter().any(|content| {
        let text = content.media_types.iter().any(|m| {
            let m = m.to_ascii_lowercase();
            m.starts_with("text/") || m.split(';').next().map(str::trim) == Some("*/*")
        });
        let Some(node) = content
            .schema
            .as_deref()
            .and_then(|s| Some((doc.get(s)?, s)))
        else {
            return false;
        };
        text && !always_string(doc, node.0, node.1)
    })
}

/// Whether every value of the schema is a string: its `type` says so, or every branch of
/// its `oneOf`/`anyOf` does, or it is an `enum`/`const` of strings. Prism's mock of any
/// other schema (one without a `type` too, which it makes an object of) may not be one.
fn always_string(doc: &Document, node: &Value, at: &str) -> bool {
    let (at, node) = doc.resolve(node, at);
    let kinds = types(node);
    if !kinds.is_empty() {
        return kinds.iter().all(|t| t == "string");
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return !values.is_empty() && values.iter().all(Value::is_string);
    }
    if let Some(value) = node.get("const") {
        return value.is_string();
    }
    ["oneOf", "anyOf"].iter().any(|key| {
        node.get(*key)
            .and_then(Value::as_array)
            .is_some_and(|branches| {
                !branches.is_empty()
                    && branches.iter().enumerate().all(|(index, branch)| {
                        always_string(doc, branch, &child(&child(&at, key), &index.to_string()))
                    })
            })
    })
}

/// Whether `decode` refused a number as out of range at a member to which Prism's body
/// gives ±2^128, the value Prism writes as the limit of `format: float`.
fn float_past_range(answer: &Answer) -> bool {
    const TWO_TO_128: &str = "3.402823669209385e+38";
    // serde_json places the error at the number's last character: the body up to there
    // ends with ±2^128, whether the member is a field, an item or a map's value.
    let Some(at) = answer.decoded.split("number out of range at ").nth(1) else {
        return false;
    };
    let mut words = at.split_whitespace();
    let (Some("line"), Some(line), Some("column"), Some(column)) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return false;
    };
    let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.parse::<usize>()) else {
        return false;
    };
    let body = String::from_utf8_lossy(&answer.body);
    let Some(text) = body.split('\n').nth(line.saturating_sub(1)) else {
        return false;
    };
    text.get(..column)
        .is_some_and(|before| before.ends_with(TWO_TO_128))
}

/// The member names of a JSON pointer or location, indices left out (`/items/1/x` gives
/// `items`, `x`), `~1` and `~0` undone.
pub fn names(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .filter(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()))
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Whether a problem the validator found at `problem` (member names, map keys among
/// them) is on the path where a round trip failed (`failed`, member names): at or below
/// it, or at an object above it. A deserialization error names no map key, so `failed`
/// may skip some of `problem`'s names; both are at the top, or neither.
pub fn along(failed: &[String], problem: &[String]) -> bool {
    let mut names = problem.iter();
    let below = failed.iter().all(|name| names.any(|n| n == name));
    failed.is_empty() == problem.is_empty() && (below || failed.starts_with(problem))
}

/// The members a `DecodeError` names, outermost first (see [`member_path`]).
fn decode_path(decoded: &str) -> Vec<String> {
    match decoded.find("JSON: ") {
        Some(start) => member_path(&decoded[start + "JSON: ".len()..]),
        None => Vec::new(),
    }
}

/// The members an error of the generated types names, outermost first: the runtime
/// prefixes each member's error with `` `name`: ``, and a missing one is
/// `` missing member `name` ``.
pub fn member_path(error: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut rest = error;
    loop {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find("`: ") {
                path.push(after[..end].to_owned());
                rest = &after[end + 3..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("missing member `") {
            if let Some(end) = after.find('`') {
                path.push(after[..end].to_owned());
            }
        }
        return path;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_past_range_is_the_number_the_error_points_at() {
        let answer = |body: &str, column: usize| {
            Answer {
            case: 0,
            prefer: None,
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            decoded: format!(
                "DecodeError the body of a 200 OK response is not the documented JSON: `a`: number out of range at line 1 column {column}"
            ),
        }
        };
        let map = r#"{"a":{"p":-3.402823669209385e+38,"q":1}}"#;
        let end = map.find("e+38").unwrap() + 4;
        assert!(float_past_range(&answer(map, end)));
        let list = r#"{"a":[1,3.402823669209385e+38]}"#;
        assert!(float_past_range(&answer(
            list,
            list.find("e+38").unwrap() + 4
        )));
        // Another number out of range is ours to explain.
        let other = r#"{"a":[1e999]}"#;
        assert!(!float_past_range(&answer(other, 11)));
        // The error must point at the 2^128 itself, not merely near one.
        assert!(!float_past_range(&answer(map, end - 1)));
    }

    #[test]
    fn decode_errors_name_the_members_on_the_way() {
        let decoded = "DecodeError the body of a 200 response is not the documented JSON: `items`: `x`: invalid type: string \"a\", expected i64";
        assert_eq!(decode_path(decoded), ["items", "x"]);
        let missing = "DecodeError the body of a 200 response is not the documented JSON: `a`: missing member `b` at line 1";
        assert_eq!(decode_path(missing), ["a", "b"]);
    }

    #[test]
    fn a_problem_is_along_a_failure_through_map_keys_the_error_leaves_out() {
        let path = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        // apis.guru's `APIs` example: an entry of a map of maps lacks a required member.
        let failed = path(&["versions"]);
        assert!(along(
            &failed,
            &path(&["googleapis.com:drive", "versions", "v2"])
        ));
        assert!(along(&path(&["a", "b"]), &path(&["a", "b", "c"])));
        assert!(
            along(&path(&["a", "b"]), &path(&["a"])),
            "at an object above"
        );
        assert!(!along(&path(&["a", "b"]), &path(&["b", "a"])));
        assert!(!along(&path(&["a"]), &path(&["c"])));
        assert!(
            !along(&[], &path(&["key"])),
            "a failure at the top is not excused below"
        );
        assert!(along(&[], &[]));
    }

    #[test]
    fn locations_read_as_member_names() {
        assert_eq!(names("/items/1/c~0d"), ["items", "c~d"]);
        assert_eq!(names(""), Vec::<String>::new());
    }

    /// AWS's Elasticsearch Service: a `\p{XDigit}` pattern deep in a response stops
    /// Prism validating any of it.
    #[test]
    fn a_pattern_prism_cannot_compile_is_found_where_a_schema_reaches_it() {
        let doc = Document::new(serde_json::json!({
            "openapi": "3.0.0",
            "components": {"schemas": {
                "Status": {"type": "object", "properties": {
                    "options": {"allOf": [{"$ref": "#/components/schemas/Options"}]}}},
                "Options": {"type": "object", "properties": {
                    "ids": {"type": "array", "items": {"$ref": "#/components/schemas/Guid"}}}},
                "Guid": {"type": "string", "pattern": "\\p{XDigit}{8}"},
                "Other": {"type": "string"}
            }}
        }));
        let unchecked = ["#/components/schemas/Guid/pattern".to_owned()];
        assert!(reaches_unchecked(
            &doc,
            "#/components/schemas/Status",
            &unchecked
        ));
        assert!(!reaches_unchecked(
            &doc,
            "#/components/schemas/Other",
            &unchecked
        ));
        assert!(!reaches_unchecked(&doc, "#/components/schemas/Status", &[]));
    }

    #[test]
    fn a_missing_member_is_named() {
        let decoded = "DecodeError the body of a 200 OK response is not the documented JSON: missing member `expires_at` at line 1 column 769";
        assert_eq!(missing_member(decoded).as_deref(), Some("expires_at"));
        assert_eq!(decode_path(decoded), ["expires_at"]);
        assert_eq!(missing_member("DecodeError x: `a`: invalid type"), None);
    }

    /// What Prism's mock of a schema may be: only a schema that says its every value is
    /// a string gives a string (one without a `type` gives an object).
    #[test]
    fn a_schema_is_always_a_string_only_when_it_says_so() {
        let doc = Document::new(serde_json::json!({"openapi": "3.0.0"}));
        let always = |schema: Value| always_string(&doc, &schema, "#");
        assert!(always(serde_json::json!({"type": "string"})));
        assert!(always(serde_json::json!({"enum": ["a", "b"]})));
        assert!(always(
            serde_json::json!({"oneOf": [{"type": "string"}, {"enum": ["x"]}]})
        ));
        assert!(!always(serde_json::json!({})));
        assert!(!always(serde_json::json!({"type": "object"})));
        assert!(!always(
            serde_json::json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        ));
    }

    #[test]
    fn a_quoted_property_is_found() {
        assert_eq!(
            quoted("Request query parameter filter must have required property 'userName'"),
            Some("userName")
        );
    }
}
