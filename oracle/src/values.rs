//! Values made from a schema of the description (its raw JSON, `$ref`s and all, never the
//! generator's model), so that what the tests, the Prism harness and the fuzz targets send
//! checks the generated types against the description. [`Options`] say what kind of
//! values (the plain ones a first request sends, varied ones for property tests, ones with
//! reserved characters and left-out parts, hostile text for fuzzing); a [`Source`] makes
//! every choice, so the same source gives the same value.

use serde_json::{json, Map, Value};

use crate::document::{
    alternatives, child, format_of, is_nullable, is_object_like, single_member, types, Additional,
    Document, ObjectView,
};
use crate::source::{Seeded, Source};
use crate::text::Wire;
#[cfg(feature = "validate")]
use crate::validate::Checks;

/// The formats that make a number whole.
const INTEGER_FORMATS: &[&str] = &[
    "int32", "int64", "int8", "int16", "uint8", "uint16", "uint32", "uint64",
];

/// Which optional parts a value gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Every optional property (down to [`Options::depth`]).
    All,
    /// Each drawn.
    Drawn,
    /// None: only what is required.
    None,
}

/// What text is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// `text`, `text2` …: plain letters and digits.
    Plain,
    /// Printable characters of every script, quotes and backslashes included.
    Varied,
    /// Characters that mean something in a URI, a form or a header (`, & = # % + [ ] ;
    /// / ? :`), spaces and non-ASCII letters, beside plain ones: valid text that is easy
    /// to write wrongly.
    Reserved,
    /// Anything, control characters and CR LF included: text a request may refuse.
    Hostile,
}

/// Where the value goes, which decides the properties it leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Into a request: `readOnly` properties are left out.
    Request,
    /// Out of a response: `writeOnly` properties are left out.
    Response,
    /// Either: nothing is left out for it.
    Both,
}

/// What kind of values the maker makes.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// An example of the description (of the parameter, the media type or the schema) is
    /// used where it is valid under its schema.
    pub examples: bool,
    /// Which optional parts a value gets.
    pub optional: Presence,
    /// A nullable value may be `null`.
    pub nulls: bool,
    /// An object that allows properties it does not list may get some.
    pub extras: bool,
    /// What text is made of.
    pub text: Text,
    /// Numbers anywhere in their range (up to the largest `i64` and `f64`), not only small
    /// ones.
    pub wide_numbers: bool,
    /// A string enum may get a value it does not list (generated enums keep those).
    pub unknown_enum_values: bool,
    /// How many items a list has beyond its `minItems`, at least and at most.
    pub items: (u64, u64),
    /// Where the value goes.
    pub direction: Direction,
    /// Deeper than this, optional properties are left out, lists are as short as allowed
    /// and nullable values are `null`, so recursive schemas stay finite.
    pub depth: usize,
}

impl Options {
    /// The values a first request sends: examples where valid, every optional property,
    /// two items per list (so that separators show), plain text.
    pub fn plain() -> Options {
        Options {
            examples: true,
            optional: Presence::All,
            nulls: false,
            extras: false,
            text: Text::Plain,
            wide_numbers: false,
            unknown_enum_values: false,
            items: (2, 2),
            direction: Direction::Request,
            depth: 6,
        }
    }

    /// Values that try the corners a first request does not: optional parts left out,
    /// empty lists, text with reserved characters, spaces and non-ASCII letters.
    pub fn edges() -> Options {
        Options {
            examples: false,
            optional: Presence::Drawn,
            text: Text::Reserved,
            items: (0, 2),
            depth: 4,
            ..Options::plain()
        }
    }

    /// Varied valid values for property tests: everything drawn.
    pub fn varied() -> Options {
        Options {
            examples: false,
            optional: Presence::Drawn,
            nulls: true,
            extras: true,
            text: Text::Varied,
            wide_numbers: true,
            unknown_enum_values: false,
            items: (0, 3),
            direction: Direction::Both,
            depth: 3,
        }
    }

    /// Values of every shape with any text, for fuzzing what a request does with them.
    pub fn hostile() -> Options {
        Options {
            text: Text::Hostile,
            unknown_enum_values: true,
            direction: Direction::Request,
            ..Options::varied()
        }
    }
}

/// Pieces that reserved text is made of, beside letters.
const RESERVED: &[&str] = &[
    ",", "&", "=", "#", "%", "+", "[", "]", ";", "/", "?", ":", "@", " ", "é", "ü", "€", "😀",
    "%20", "a b", "x=y&z", "中文",
];

/// Pieces that hostile text is made of, besides single characters: what ends or splits a
/// URI part, a query pair, a header or a cookie, what reads as an escape, dot segments.
#[rustfmt::skip]
const HOSTILE: &[&str] = &[
    "/", "?", "#", "&", "=", "%", "+", "..", ".", ",", ";", "|", " ", "\t", "\r", "\n",
    "\r\n", "\0", "[", "]", "{", "}", ":", "@", "!", "$", "'", "(", ")", "*", "~", "\"", "\\",
    "<", ">", "^", "`", "\x7f", "%2F", "%2e%2E", "%25", "%0D%0A", "%20", "é", "€", "😀",
    "\u{202e}", "\u{a0}", "a", "Z", "0", "-", "_", "name", "x[y]", "a=b&c=d", " a ", "..%2F",
    "\r\nx-injected: 1", "; other=1",
];

/// Makes values of the schemas of one description.
pub struct Maker<'d> {
    doc: &'d Document,
    /// What kind of values it makes.
    pub options: Options,
    #[cfg(feature = "validate")]
    checks: Option<&'d Checks>,
}

/// Where a value is made: what it may not be.
#[derive(Debug, Clone, Copy, Default)]
struct Place {
    depth: usize,
    /// A path parameter: text may not be empty, `.` or `..`, and a list has one item.
    path: bool,
    /// The whole value of a parameter sent as text, and how: a `oneOf` needs a value whose
    /// text one alternative alone reads.
    wire: Option<Wire>,
}

impl<'d> Maker<'d> {
    /// A maker of values of the schemas of `doc`, as `options` say.
    pub fn new(doc: &'d Document, options: Options) -> Maker<'d> {
        Maker {
            doc,
            options,
            #[cfg(feature = "validate")]
            checks: None,
        }
    }

    /// Checks values against their schemas: an example that breaks its schema is not
    /// used, a `oneOf` gets a value that matches exactly one alternative, and an object's
    /// optional members that break its schema are left out.
    #[cfg(feature = "validate")]
    pub fn checked(mut self, checks: &'d Checks) -> Maker<'d> {
        self.checks = Some(checks);
        self
    }

    /// A value of the schema `node` at `pointer`.
    pub fn value(&self, source: &mut dyn Source, node: &Value, pointer: &str) -> Value {
        self.make(source, node, pointer, Place::default())
    }

    /// A value for the parameter at `pointer` (the Parameter Object, through `$ref`s): its
    /// example, or a value of its schema (`schema`, `content`, or, in Swagger 2.0, the
    /// parameter itself). A path parameter's text is never empty and its lists have one
    /// item.
    pub fn param(&self, source: &mut dyn Source, pointer: &str) -> Value {
        let Some(param) = self.doc.get(pointer) else {
            return Value::String("value".to_owned());
        };
        let (_, param) = self.doc.resolve(param, pointer);
        let Some((schema_pointer, schema)) = self.param_schema(pointer) else {
            return Value::String("value".to_owned());
        };
        let place = Place {
            depth: 0,
            path: param.get("in") == Some(&json!("path")),
            wire: Wire::of(param),
        };
        let (union_pointer, union) = self.doc.resolve(schema, &schema_pointer);
        let choices = alternatives(self.doc, union, &union_pointer);
        if let Some(example) = self.example(param, &schema_pointer, place) {
            // An example whose text two alternatives read (`42` for an integer or any
            // string) says nothing the server can tell apart.
            let read_alone = |own| {
                let text = place.wire.map(|wire| (wire, own));
                self.only_match(union, &union_pointer, &choices, &example, text)
            };
            if choices.is_empty() || (0..choices.len()).any(read_alone) {
                return example;
            }
        }
        self.make(source, schema, &schema_pointer, place)
    }

    /// The schema of the parameter at `pointer`, with its pointer: its `schema`, the
    /// schema of its first `content`, or, in Swagger 2.0, the parameter itself.
    pub fn param_schema(&self, pointer: &str) -> Option<(String, &'d Value)> {
        let node = self.doc.get(pointer)?;
        let (pointer, param) = self.doc.resolve(node, pointer);
        let in_content = param
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.iter().next());
        Some(match (param.get("schema"), in_content) {
            (Some(schema), _) => (child(&pointer, "schema"), schema),
            (None, Some((media_type, media))) if media.get("schema").is_some() => (
                child(&child(&child(&pointer, "content"), media_type), "schema"),
                &media["schema"],
            ),
            _ => (pointer.clone(), param),
        })
    }

    /// A value for a body: the Media Type Object's example (at `media`) where valid, else
    /// one of the schema at `schema`. A Swagger 2.0 form is the list of the operation's
    /// parameters: each `formData` one becomes a property.
    pub fn body(
        &self,
        source: &mut dyn Source,
        media: Option<&str>,
        schema: Option<&str>,
    ) -> Value {
        let schema = schema.and_then(|s| Some((s, self.doc.get(s)?)));
        if let (Some(media), Some((schema_pointer, _))) = (media, schema) {
            let example = self
                .doc
                .get(media)
                .and_then(|node| self.example(node, schema_pointer, Place::default()));
            if let Some(example) = example {
                return example;
            }
        }
        match schema {
            Some((pointer, Value::Array(params))) => {
                let mut form = Map::new();
                for (index, param) in params.iter().enumerate() {
                    let param_pointer = child(pointer, &index.to_string());
                    let (param_pointer, param) = self.doc.resolve(param, &param_pointer);
                    if param.get("in") != Some(&json!("formData")) {
                        continue;
                    }
                    let required = param.get("required") == Some(&json!(true));
                    if !required && !self.include_optional(source, 0) {
                        continue;
                    }
                    if let Some(name) = param.get("name").and_then(Value::as_str) {
                        form.insert(name.to_owned(), self.param(source, &param_pointer));
                    }
                }
                Value::Object(form)
            }
            Some((pointer, node)) => self.value(source, node, pointer),
            None => json!({}),
        }
    }

    /// The example `node` gives (`example`, the first of `examples`, Swagger's
    /// `x-example`), when examples are wanted and it is valid under the schema at
    /// `schema_pointer`.
    fn example(&self, node: &Value, schema_pointer: &str, place: Place) -> Option<Value> {
        if !self.options.examples {
            return None;
        }
        let example = example_of(node)?;
        let schema = self.doc.get(schema_pointer)?;
        let (schema_pointer, schema) = self.doc.resolve(schema, schema_pointer);
        let usable = self.valid(&schema_pointer, schema, &example)
            && !(place.path && empty_segment(&example))
            && !self.carries_left_out(schema, &schema_pointer, &example, 0);
        usable.then_some(example)
    }

    /// Whether `value` holds a property the direction leaves out (Jira's request example
    /// with the `readOnly` `isAssigneeTypeValid`): such an example is not one to send.
    fn carries_left_out(&self, node: &Value, pointer: &str, value: &Value, depth: usize) -> bool {
        let key = match self.options.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
            Direction::Both => return false,
        };
        if depth > 32 {
            return false;
        }
        let (pointer, node) = self.doc.resolve(node, pointer);
        match value {
            Value::Object(members) => {
                let view = ObjectView::of(self.doc, node, &pointer);
                view.properties
                    .iter()
                    .any(|(name, schema, schema_pointer)| {
                        let Some(member) = members.get(name) else {
                            return false;
                        };
                        let (_, resolved) = self.doc.resolve(schema, schema_pointer);
                        let flagged = resolved.get(key) == Some(&json!(true))
                            || schema.get(key) == Some(&json!(true));
                        flagged || self.carries_left_out(schema, schema_pointer, member, depth + 1)
                    })
            }
            Value::Array(items) => match node.get("items") {
                Some(schema) => {
                    let items_pointer = child(&pointer, "items");
                    items
                        .iter()
                        .any(|item| self.carries_left_out(schema, &items_pointer, item, depth + 1))
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Whether `value` is valid under the schema `node` at `pointer`: by the validator
    /// where there is one, else by its JSON type alone.
    fn valid(&self, pointer: &str, node: &Value, value: &Value) -> bool {
        #[cfg(feature = "validate")]
        if let Some(checks) = self.checks {
            return checks.matches(pointer, value);
        }
        let _ = pointer;
        fits_type(value, node)
    }

    fn include_optional(&self, source: &mut dyn Source, depth: usize) -> bool {
        match self.options.optional {
            Presence::All => depth < self.options.depth,
            Presence::Drawn => depth < self.options.depth && source.draw(5) >= 2,
            Presence::None => false,
        }
    }

    fn make(&self, source: &mut dyn Source, node: &Value, pointer: &str, place: Place) -> Value {
        let (pointer, node) = self.doc.resolve(node, pointer);
        let pointer = pointer.as_str();
        if place.depth > self.options.depth + 16 {
            return Value::Null;
        }
        let may_be_null = self.options.nulls && is_nullable(node);
        if may_be_null && (place.depth >= self.options.depth || source.chance(4)) {
            return Value::Null;
        }
        if let Some(constant) = node.get("const") {
            return constant.clone();
        }
        if let Some(values) = node.get("enum").and_then(Value::as_array) {
            let usable: Vec<&Value> = values
                .iter()
                .filter(|v| !(v.is_null() || place.path && empty_segment(v)))
                .collect();
            if !usable.is_empty() {
                let string_enum = usable.iter().all(|v| v.is_string());
                if string_enum && self.options.unknown_enum_values && source.chance(8) {
                    return Value::String(self.text(source, node, place));
                }
                return usable[source.index(usable.len())].clone();
            }
        }
        if let Some(example) = self.example(node, pointer, place) {
            return example;
        }
        let choices = alternatives(self.doc, node, pointer);
        // A polymorphic parent stands for its children, whose properties include its own.
        let polymorphic = self.doc.children.contains_key(pointer);
        if !choices.is_empty() && (polymorphic || node.get("properties").is_none()) {
            return self.alternative(source, node, pointer, &choices, place);
        }
        if let Some((member, member_pointer)) = single_member(node, pointer) {
            return self.make(source, member, &member_pointer, place);
        }
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            if !is_object_like(self.doc, node, pointer, 0) {
                if let Some(first) = members.first() {
                    let member_pointer = child(&child(pointer, "allOf"), "0");
                    return self.make(source, first, &member_pointer, place);
                }
            }
            return self.object(source, node, pointer, place);
        }
        match types(node).first().map(String::as_str) {
            Some("string") => self.string(source, node, place),
            Some("integer") => json!(self.integer(source, node)),
            // An integer format on a number (`type: number, format: int32`) says the
            // number is whole: validators that know the format refuse `12.25`.
            Some("number") if INTEGER_FORMATS.contains(&format_of(node)) => {
                json!(self.integer(source, node))
            }
            Some("number") => self.number(source, node),
            Some("boolean") => Value::Bool(source.draw(2) == 0),
            Some("array") => self.array(source, node, pointer, place),
            Some("object") => self.object(source, node, pointer, place),
            Some("file") => Value::String("file contents".to_owned()),
            _ => self.any(source, place.depth),
        }
    }

    /// A value of one of the alternatives: the first, from a drawn one on, whose value
    /// matches that alternative alone when the schema is a `oneOf` (checked by the
    /// validator where there is one; for a parameter, read from its text), with the
    /// discriminator set where there is one.
    fn alternative(
        &self,
        source: &mut dyn Source,
        node: &Value,
        pointer: &str,
        choices: &[crate::document::Alternative],
        place: Place,
    ) -> Value {
        let start = source.index(choices.len());
        let mut first = None;
        // A parameter's text may be read by several alternatives (`0` by an integer one and
        // a string one) where another value of the same would not: each gets a few tries.
        let rounds = if place.wire.is_some() { 4 } else { 1 };
        for offset in 0..choices.len() * rounds {
            let (member, member_pointer, tag) = &choices[(start + offset) % choices.len()];
            let inner = Place {
                depth: place.depth + 1,
                ..place
            };
            let mut value = self.make(source, member, member_pointer, inner);
            if let (Some((property, tag)), Value::Object(object)) = (tag, &mut value) {
                object.insert(property.clone(), Value::String(tag.clone()));
            }
            let own = (start + offset) % choices.len();
            if self.only_match(node, pointer, choices, &value, place.wire.map(|w| (w, own))) {
                return value;
            }
            first.get_or_insert(value);
        }
        first.unwrap_or(Value::Null)
    }

    /// Whether `value` matches exactly one alternative of a `oneOf` (without a validator,
    /// or for `anyOf`, any value will do); for a parameter's value, `text` says how it is
    /// sent and which alternative it was made for: that one alone must read its text
    /// (`42` is an integer and a string too).
    fn only_match(
        &self,
        node: &Value,
        pointer: &str,
        choices: &[crate::document::Alternative],
        value: &Value,
        text: Option<(Wire, usize)>,
    ) -> bool {
        #[cfg(feature = "validate")]
        if let (Some(checks), true) = (self.checks, node.get("oneOf").is_some()) {
            let _ = pointer;
            let members = || {
                choices
                    .iter()
                    .map(|(member, member_pointer, _)| (member, member_pointer.as_str()))
            };
            if let Some((wire, own)) = text {
                if let Some(readers) =
                    crate::text::readers(self.doc, checks, members(), value, wire)
                {
                    return readers == [own];
                }
            }
            // A reader in JavaScript (Prism, most servers' validators) and JSON Schema
            // since draft 6 take `871.0` for the integer 871: an integer alternative reads
            // it as well as a number one.
            let integral = integral_read(value);
            let matching = choices
                .iter()
                .filter(|(_, member_pointer, _)| {
                    checks.matches(member_pointer, value)
                        || integral
                            .as_ref()
                            .is_some_and(|read| checks.matches(member_pointer, read))
                })
                .count();
            return matching == 1;
        }
        let _ = (node, pointer, choices, value, text);
        true
    }

    fn object(&self, source: &mut dyn Source, node: &Value, pointer: &str, place: Place) -> Value {
        let view = ObjectView::of(self.doc, node, pointer);
        let mut object = Map::new();
        for (name, schema, schema_pointer) in &view.properties {
            let (_, resolved) = self.doc.resolve(schema, schema_pointer);
            let flag = |key: &str| {
                resolved.get(key) == Some(&json!(true)) || schema.get(key) == Some(&json!(true))
            };
            let left_out = match self.options.direction {
                Direction::Request => flag("readOnly"),
                Direction::Response => flag("writeOnly"),
                Direction::Both => false,
            };
            let required = view.required.contains(name);
            if left_out || !(required || self.include_optional(source, place.depth)) {
                continue;
            }
            let inner = Place {
                depth: place.depth + 1,
                path: false,
                wire: None,
            };
            let value = self.make(source, schema, schema_pointer, inner);
            object.insert(name.clone(), value);
        }
        let free = view.properties.is_empty();
        let extra = match &view.additional {
            Additional::Schema(schema, schema_pointer) => Some(Some((schema, schema_pointer))),
            Additional::True => Some(None),
            Additional::Unsaid if free => Some(None),
            Additional::Unsaid | Additional::False => None,
        };
        if let (Some(extra), true) = (extra, place.depth < self.options.depth) {
            let count = match (self.options.extras, extra) {
                (true, _) => source.draw(3),
                // A map with a schema for its values gets one, so that it shows.
                (false, Some(_)) if free => 1,
                (false, _) => 0,
            };
            for index in 0..count {
                let mut key = self.key(source, index);
                while object.contains_key(&key) {
                    key.push('_');
                }
                let inner = Place {
                    depth: place.depth + 1,
                    path: false,
                    wire: None,
                };
                let value = match extra {
                    Some((schema, schema_pointer)) => {
                        self.make(source, schema, schema_pointer, inner)
                    }
                    None => self.any(source, place.depth + 1),
                };
                object.insert(key, value);
            }
        }
        #[cfg(feature = "validate")]
        if let Some(checks) = self.checks {
            let required: Vec<String> = view.required.iter().cloned().collect();
            checks.repair(pointer, &mut object, &required);
        }
        Value::Object(object)
    }

    /// The name of an extra property.
    fn key(&self, source: &mut dyn Source, index: u64) -> String {
        match self.options.text {
            Text::Plain | Text::Reserved => format!("key{}", index + 1),
            Text::Varied | Text::Hostile => {
                const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                const REST: &[u8] =
                    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
                let mut key = String::from(char::from(FIRST[source.index(FIRST.len())]));
                for _ in 0..source.draw(9) {
                    key.push(char::from(REST[source.index(REST.len())]));
                }
                key
            }
        }
    }

    fn array(&self, source: &mut dyn Source, node: &Value, pointer: &str, place: Place) -> Value {
        let count = |key: &str| node.get(key).and_then(Value::as_u64);
        let min = count("minItems").unwrap_or(0);
        let max = count("maxItems").unwrap_or(u64::MAX).max(min);
        let (least, most) = self.options.items;
        let wanted = if place.path {
            1
        } else if place.depth >= self.options.depth {
            0
        } else {
            least + source.draw(most.saturating_sub(least) + 1)
        };
        let length = wanted.max(min).min(max).min(min + 8);
        let unique = node.get("uniqueItems") == Some(&Value::Bool(true));
        let items_pointer = child(pointer, "items");
        let inner = Place {
            depth: place.depth + 1,
            path: place.path,
            wire: None,
        };
        let mut items: Vec<Value> = Vec::new();
        for index in 0..length {
            let item = match node.get("items") {
                Some(schema) => self.make(source, schema, &items_pointer, inner),
                None => self.any(source, inner.depth),
            };
            // A second plain item like the first would hide a separator, and a unique
            // list may not hold it twice: another is made from a seed of its own.
            let mut item = item;
            for attempt in 0..8 {
                if !items.contains(&item) {
                    break;
                }
                let mut other = Seeded::from_text(&format!("{items_pointer}/{index}/{attempt}"));
                let varied = Maker {
                    options: Options {
                        text: match self.options.text {
                            Text::Plain => Text::Plain,
                            text => text,
                        },
                        ..self.options
                    },
                    ..*self
                };
                item = match node.get("items") {
                    Some(schema) => varied.make(&mut other, schema, &items_pointer, inner),
                    None => varied.any(&mut other, inner.depth),
                };
            }
            if unique && items.contains(&item) {
                break;
            }
            items.push(item);
        }
        Value::Array(items)
    }

    fn string(&self, source: &mut dyn Source, node: &Value, place: Place) -> Value {
        let text = match format_of(node) {
            "date-time" => date_time(source),
            "date" => date(source),
            "time" => "09:42:00".to_owned(),
            "uuid" => uuid(source),
            "email" => "user@example.com".to_owned(),
            "uri" | "url" | "uri-reference" => "https://example.com/a".to_owned(),
            "hostname" => "example.com".to_owned(),
            "ipv4" => "192.0.2.1".to_owned(),
            "ipv6" => "2001:db8::1".to_owned(),
            "byte" => base64(source),
            "binary" => "file contents".to_owned(),
            _ => match node.get("pattern").and_then(Value::as_str) {
                Some(pattern) => self.matching(source, pattern, node, place),
                None => self.text(source, node, place),
            },
        };
        Value::String(text)
    }

    /// Text of the kind [`Options::text`] says, within the schema's length limits.
    fn text(&self, source: &mut dyn Source, node: &Value, place: Place) -> String {
        let length = |key: &str| node.get(key).and_then(Value::as_u64);
        let min = length("minLength").unwrap_or(0);
        let max = length("maxLength").unwrap_or(min + 16).max(min);
        let mut text = String::new();
        match self.options.text {
            Text::Plain => {
                text.push_str("text");
                let n = source.draw(8);
                if n > 0 {
                    text.push_str(&(n + 1).to_string());
                }
            }
            Text::Varied => {
                for _ in 0..source.draw(max.min(min + 16) - min + 1) + min {
                    text.push(printable(source));
                }
            }
            Text::Reserved => {
                for _ in 0..source.draw(4) + 1 {
                    match source.draw(3) {
                        0 => text.push_str(["a", "Zz", "text", "0"][source.index(4)]),
                        _ => text.push_str(RESERVED[source.index(RESERVED.len())]),
                    }
                }
            }
            Text::Hostile => {
                for _ in 0..source.draw(9) {
                    match source.draw(4) {
                        0 => text.push_str(HOSTILE[source.index(HOSTILE.len())]),
                        // Every ASCII character, control characters included.
                        1 => text.push(char::from(source.draw(128) as u8)),
                        2 => text.push(printable(source)),
                        _ => {
                            text.push(char::from_u32(source.draw(0x11_0000) as u32).unwrap_or('?'))
                        }
                    }
                }
            }
        }
        let text = fit_length(text, min, max);
        if place.path && empty_segment(&Value::String(text.clone())) {
            return fit_length("value".to_owned(), min, max.max(1));
        }
        text
    }

    /// A string matching `pattern` (and the length limits), made from a seed the source
    /// draws; plain text when none comes.
    fn matching(
        &self,
        source: &mut dyn Source,
        pattern: &str,
        node: &Value,
        place: Place,
    ) -> String {
        use rand::{RngExt, SeedableRng};
        // Anchors are implicit in a generator, which refuses them.
        let bare = pattern.strip_prefix('^').unwrap_or(pattern);
        let bare = bare
            .strip_suffix('$')
            .filter(|b| !b.ends_with('\\'))
            .unwrap_or(bare);
        // Descriptions write ECMA-262 patterns, where `\w`, `\d` and `\s` are ASCII:
        // read them so, unless the pattern needs Unicode.
        let parse = |unicode: bool| {
            regex_syntax::ParserBuilder::new()
                .unicode(unicode)
                .utf8(true)
                .build()
                .parse(bare)
                .ok()
        };
        let hir = parse(false).or_else(|| parse(true));
        let check = regex::RegexBuilder::new(pattern)
            .unicode(false)
            .build()
            .or_else(|_| regex::Regex::new(pattern));
        let (Some(hir), Ok(check)) = (hir, check) else {
            return self.text(source, node, place);
        };
        let length = |key: &str| node.get(key).and_then(Value::as_u64);
        let mut rng = rand::rngs::StdRng::seed_from_u64(source.draw(u64::MAX));
        // Repeats (`+`, `*`) up to 8 times first, for short values; then up to
        // `minLength` times, which a long `minLength` needs (OSIS's ARNs: `.+` twice
        // and at least 46 characters).
        let min_length = length("minLength").unwrap_or(0);
        let mut repeats = vec![8];
        if min_length > 8 {
            repeats.push(u32::try_from(min_length).unwrap_or(u32::MAX));
        }
        for repeat in repeats {
            let Ok(generator) = rand_regex::Regex::with_hir(hir.clone(), repeat) else {
                continue;
            };
            for _ in 0..64 {
                let text: String = rng.sample(&generator);
                let count = text.chars().count() as u64;
                let fits = count >= min_length
                    && length("maxLength").is_none_or(|m| count <= m)
                    && !(place.path && empty_segment(&Value::String(text.clone())));
                if check.is_match(&text) && fits {
                    return text;
                }
            }
        }
        self.text(source, node, place)
    }

    fn integer(&self, source: &mut dyn Source, node: &Value) -> i64 {
        let (low, high) = match format_of(node) {
            "int32" => (i64::from(i32::MIN), i64::from(i32::MAX)),
            "int8" => (i64::from(i8::MIN), i64::from(i8::MAX)),
            "int16" => (i64::from(i16::MIN), i64::from(i16::MAX)),
            "uint8" => (0, i64::from(u8::MAX)),
            "uint16" => (0, i64::from(u16::MAX)),
            "uint32" => (0, i64::from(u32::MAX)),
            "uint64" => (0, i64::MAX),
            _ => (i64::MIN, i64::MAX),
        };
        let min = bound(node, "minimum", "exclusiveMinimum", 1.0)
            .map_or(low, |m| clamp_f64(m.ceil(), low, high));
        let max = bound(node, "maximum", "exclusiveMaximum", -1.0)
            .map_or(high, |m| clamp_f64(m.floor(), low, high));
        let (min, max) = if min <= max { (min, max) } else { (max, min) };
        let step = node
            .get("multipleOf")
            .and_then(Value::as_f64)
            .filter(|s| *s >= 1.0 && s.fract() == 0.0)
            .map_or(1, |s| s as i64);
        // The simplest is 1 (or the nearest the bounds allow), then small numbers, then
        // any in range, then the bounds themselves.
        let arms = if self.options.wide_numbers { 4 } else { 2 };
        let value = match source.draw(arms) {
            0 => 1 + zigzag(source.draw(201)),
            1 => 1 + zigzag(source.draw(2001)),
            2 => min.saturating_add((source.draw(u64::MAX) % range(min, max)) as i64),
            _ => [min, max][source.index(2)],
        };
        let value = value.clamp(min, max);
        let stepped = value - value.rem_euclid(step);
        if stepped >= min {
            stepped
        } else {
            stepped.saturating_add(step).min(max)
        }
    }

    fn number(&self, source: &mut dyn Source, node: &Value) -> Value {
        let min = bound(node, "minimum", "exclusiveMinimum", 1e-3);
        let max = bound(node, "maximum", "exclusiveMaximum", -1e-3);
        let arms = if self.options.wide_numbers { 4 } else { 2 };
        let value = match source.draw(arms) {
            0 => 1.5 + (source.draw(201) as f64 - 100.0) / 4.0,
            1 => (source.draw(2001) as f64 - 1000.0).trunc(),
            _ => f64::from_bits(source.draw(u64::MAX)),
        };
        let value = if value.is_finite() { value } else { 0.5 };
        // A `float` holds what an `f32` holds: a normal number of its range, or zero.
        let value = match format_of(node) {
            "float" => {
                let narrow = value as f32;
                if narrow.is_normal() || narrow == 0.0 {
                    f64::from(narrow)
                } else {
                    0.5
                }
            }
            _ => value,
        };
        let value = match (min, max) {
            (Some(min), _) if value < min => min,
            (_, Some(max)) if value > max => max,
            _ => value,
        };
        serde_json::Number::from_f64(value).map_or(json!(0), Value::Number)
    }

    /// Any JSON value, small: for schemas that say nothing of their values.
    fn any(&self, source: &mut dyn Source, depth: usize) -> Value {
        let leaf = depth >= self.options.depth || source.draw(2) == 0;
        match source.draw(if leaf { 4 } else { 6 }) {
            0 => Value::String(self.text(source, &Value::Null, Place::default())),
            1 => json!(zigzag(source.draw(2001))),
            2 => Value::Bool(source.draw(2) == 0),
            3 if self.options.nulls => Value::Null,
            3 => json!(1.5),
            4 => Value::Array(
                (0..source.draw(3))
                    .map(|_| self.any(source, depth + 1))
                    .collect(),
            ),
            _ => {
                let mut object = Map::new();
                for index in 0..source.draw(3) {
                    let key = self.key(source, index);
                    let value = self.any(source, depth + 1);
                    object.insert(key, value);
                }
                Value::Object(object)
            }
        }
    }
}

/// The example a node gives: `example`, the first of `examples` (a list of values, or a
/// map of Example Objects), or Swagger's `x-example`.
pub fn example_of(node: &Value) -> Option<Value> {
    if let Some(example) = node.get("example").or_else(|| node.get("x-example")) {
        return Some(example.clone());
    }
    match node.get("examples")? {
        Value::Array(list) => list.first().cloned(),
        Value::Object(map) => map.values().next()?.get("value").cloned(),
        _ => None,
    }
}

/// Whether a value has a JSON type its schema allows (a check for when there is no
/// validator).
fn fits_type(value: &Value, schema: &Value) -> bool {
    let allowed = types(schema);
    if allowed.is_empty() {
        return true;
    }
    allowed.iter().any(|ty| match ty.as_str() {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" | "file" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => false,
    })
}

/// Whether a value would make an empty or dot path segment (`""`, `.`, `..`), which no
/// request can carry as a path parameter.
fn empty_segment(value: &Value) -> bool {
    matches!(value.as_str(), Some("" | "." | ".."))
}

/// A bound of a number: `minimum` (with 3.0's `exclusiveMinimum: true` moving it by
/// `step`) or 3.1's numeric `exclusiveMinimum`; likewise for the maximum.
fn bound(node: &Value, key: &str, exclusive: &str, step: f64) -> Option<f64> {
    if let Some(value) = node.get(key).and_then(Value::as_f64) {
        let moved = node.get(exclusive) == Some(&Value::Bool(true));
        return Some(if moved { value + step } else { value });
    }
    node.get(exclusive)
        .and_then(Value::as_f64)
        .map(|value| value + step)
}

fn clamp_f64(value: f64, low: i64, high: i64) -> i64 {
    if value <= low as f64 {
        low
    } else if value >= high as f64 {
        high
    } else {
        value as i64
    }
}

/// How many integers `min..=max` holds, as a modulus (at least 1).
fn range(min: i64, max: i64) -> u64 {
    (max as i128 - min as i128 + 1).clamp(1, u64::MAX as i128) as u64
}

/// 0, 1, -1, 2, -2 …: small numbers of either sign, the simplest first.
fn zigzag(n: u64) -> i64 {
    let half = (n.div_ceil(2)) as i64;
    if n % 2 == 1 {
        half
    } else {
        -half
    }
}

/// A printable character: mostly ASCII, some of other scripts, quotes and backslashes.
fn printable(source: &mut dyn Source) -> char {
    const SPECIAL: &[char] = &['"', '\\', '\'', ' ', 'é', 'ß', 'Ж', '中', '😀', '\u{a0}'];
    match source.draw(4) {
        0 | 1 => char::from(b' ' + source.draw(95) as u8),
        2 => SPECIAL[source.index(SPECIAL.len())],
        _ => loop_printable(source),
    }
}

/// Any character that is not a control or unassigned in the basic planes.
fn loop_printable(source: &mut dyn Source) -> char {
    for _ in 0..8 {
        let code = 0xa0 + source.draw(0x2_0000 - 0xa0) as u32;
        if let Some(c) = char::from_u32(code).filter(|c| !c.is_control()) {
            return c;
        }
    }
    'x'
}

fn date(source: &mut dyn Source) -> String {
    if source.draw(4) == 0 {
        return "2024-05-04".to_owned();
    }
    format!(
        "{:04}-{:02}-{:02}",
        1 + source.draw(9999),
        1 + source.draw(12),
        1 + source.draw(28)
    )
}

/// RFC 3339 date-times with `Z` or an offset, and 0 to 9 digits of fraction.
fn date_time(source: &mut dyn Source) -> String {
    if source.draw(4) == 0 {
        return "2024-05-04T09:42:00+01:00".to_owned();
    }
    let date = date(source);
    let (h, m, s) = (source.draw(24), source.draw(60), source.draw(60));
    let fraction = match source.draw(4) {
        0 => String::new(),
        1 => format!(".{:03}", source.draw(1000)),
        2 => format!(".{:09}", source.draw(1_000_000_000)),
        _ => format!(".{}", source.draw(10)),
    };
    let offset = match source.draw(3) {
        0 => "Z".to_owned(),
        1 => "+00:00".to_owned(),
        _ => format!(
            "{}{:02}:{:02}",
            if source.draw(2) == 0 { '+' } else { '-' },
            source.draw(14),
            [0, 30, 45][source.index(3)]
        ),
    };
    format!("{date}T{h:02}:{m:02}:{s:02}{fraction}{offset}")
}

fn uuid(source: &mut dyn Source) -> String {
    if source.draw(4) == 0 {
        return "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_owned();
    }
    let hex: String = (0..16)
        .map(|_| format!("{:02x}", source.draw(256)))
        .collect();
    let text = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    if source.draw(2) == 0 {
        text
    } else {
        text.to_uppercase()
    }
}

fn base64(source: &mut dyn Source) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = (0..source.draw(12))
        .map(|_| source.draw(256) as u8)
        .collect();
    if bytes.is_empty() {
        return "aGVsbG8=".to_owned();
    }
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `text` padded or cut to `min..=max` characters.
fn fit_length(mut text: String, min: u64, max: u64) -> String {
    while (text.chars().count() as u64) < min {
        text.push('x');
    }
    if text.chars().count() as u64 > max {
        text = text.chars().take(max as usize).collect();
    }
    text
}

/// `value` with every number that has no fraction (`871.0`) as the integer it equals, when
/// it holds any: what a JavaScript reader makes of it.
#[cfg(feature = "validate")]
fn integral_read(value: &Value) -> Option<Value> {
    match value {
        Value::Number(number) if !(number.is_i64() || number.is_u64()) => {
            let float = number.as_f64()?;
            let whole = float.fract() == 0.0 && float.abs() < 9.0e15;
            whole.then(|| Value::from(float as i64))
        }
        Value::Array(items) => {
            let read: Vec<Option<Value>> = items.iter().map(integral_read).collect();
            read.iter().any(Option::is_some).then(|| {
                let items = items.iter().zip(read);
                Value::Array(
                    items
                        .map(|(item, read)| read.unwrap_or_else(|| item.clone()))
                        .collect(),
                )
            })
        }
        Value::Object(members) => {
            let read: Vec<Option<Value>> = members.values().map(integral_read).collect();
            read.iter().any(Option::is_some).then(|| {
                let members = members.iter().zip(read);
                Value::Object(
                    members
                        .map(|((key, member), read)| {
                            (key.clone(), read.unwrap_or_else(|| member.clone()))
                        })
                        .collect(),
                )
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Simplest;

    fn doc() -> Document {
        Document::new(json!({
            "openapi": "3.0.3",
            "paths": {"/a/{id}": {"get": {"parameters": [
                {"name": "id", "in": "path", "required": true,
                 "schema": {"type": "string", "enum": ["", "one"]}},
                {"name": "tags", "in": "path", "required": true,
                 "schema": {"type": "array", "items": {"type": "string"}}}
            ]}}},
            "components": {"schemas": {
                "Pet": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "id": {"type": "integer", "readOnly": true},
                    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                    "age": {"type": "integer", "minimum": 3, "maximum": 3}
                }}
            }}
        }))
    }

    /// Jira's request example carries a `readOnly` property: a request's value is made
    /// instead, without it; a response may use the example.
    #[test]
    fn an_example_with_a_read_only_property_is_not_sent() {
        let doc = Document::new(json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "Component": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "valid": {"type": "boolean", "readOnly": true}
                }, "example": {"name": "Component 1", "valid": false}}
            }}
        }));
        let schema = json!({"$ref": "#/components/schemas/Component"});
        let request = Maker::new(&doc, Options::plain()).value(&mut Simplest, &schema, "#");
        assert!(request.get("valid").is_none(), "{request}");
        let response = Options {
            direction: Direction::Response,
            ..Options::plain()
        };
        let answer = Maker::new(&doc, response).value(&mut Simplest, &schema, "#");
        assert_eq!(answer, json!({"name": "Component 1", "valid": false}));
    }

    /// OSIS's ARNs: two `.+` and a `minLength` longer than eight repeats can reach.
    #[test]
    fn a_pattern_with_a_long_min_length_is_matched() {
        let doc = doc();
        let maker = Maker::new(&doc, Options::plain());
        let schema = json!({
            "type": "string",
            "pattern": "^arn:(aws|aws\\-cn):osis:.+:pipeline\\/.+$",
            "minLength": 46,
            "maxLength": 76
        });
        let made = maker.value(&mut Simplest, &schema, "#");
        let text = made.as_str().unwrap();
        assert!(text.starts_with("arn:aws"), "{text}");
        assert!(
            text.contains(":osis:") && text.contains(":pipeline/"),
            "{text}"
        );
        assert!((46..=76).contains(&text.chars().count()), "{text}");
    }

    /// Impala's `size`: `type: number, format: int32`, which Prism's validator holds to
    /// whole numbers.
    #[test]
    fn a_number_with_an_integer_format_is_whole() {
        let doc = doc();
        for options in [Options::plain(), Options::edges(), Options::varied()] {
            let maker = Maker::new(&doc, options);
            let schema = json!({"type": "number", "format": "int32", "minimum": 1});
            for seed in 0..50 {
                let mut source = crate::source::Seeded::from_text(&seed.to_string());
                let made = maker.value(&mut source, &schema, "#");
                assert!(made.is_i64(), "{made}");
            }
        }
    }

    #[test]
    fn plain_values_hold_every_writable_property_and_two_distinct_items() {
        let doc = doc();
        let maker = Maker::new(&doc, Options::plain());
        let pet = maker.value(
            &mut Simplest,
            doc.get("#/components/schemas/Pet").unwrap(),
            "#/components/schemas/Pet",
        );
        assert_eq!(pet["name"], "text");
        assert!(pet.get("id").is_none(), "{pet}");
        assert_eq!(pet["age"], 3);
        let tags = pet["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 2);
        assert_ne!(tags[0], tags[1]);
    }

    #[test]
    fn a_path_parameter_is_never_an_empty_segment_and_a_list_has_one_item() {
        let doc = doc();
        let maker = Maker::new(&doc, Options::plain());
        let id = maker.param(&mut Simplest, "#/paths/~1a~1{id}/get/parameters/0");
        assert_eq!(id, "one");
        let tags = maker.param(&mut Simplest, "#/paths/~1a~1{id}/get/parameters/1");
        assert_eq!(tags.as_array().unwrap().len(), 1);
    }

    #[test]
    fn only_required_properties_under_presence_none() {
        let doc = doc();
        let options = Options {
            optional: Presence::None,
            ..Options::plain()
        };
        let pet = Maker::new(&doc, options).value(
            &mut Seeded::new(3),
            doc.get("#/components/schemas/Pet").unwrap(),
            "#/components/schemas/Pet",
        );
        assert_eq!(pet.as_object().unwrap().len(), 1, "{pet}");
    }
}
