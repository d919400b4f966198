//! What a value must satisfy: the constraints of a description's schemas as plain data,
//! one [`Rule`] per schema a request (or, for the mock, a response) can hold, each
//! naming the others by index. The generator writes a crate's table once (`rules.rs`);
//! [`check`](super::check) reads it to refuse bad input and the mock to make values. A
//! table is data, not code: a thousand schemas cost the compiler a static array, not a
//! thousand functions.

use std::sync::OnceLock;

/// The JSON types a schema allows, as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Types(pub u8);

impl Types {
    /// `null`.
    pub const NULL: Types = Types(1);
    /// `true` or `false`.
    pub const BOOLEAN: Types = Types(2);
    /// A number without a fractional part.
    pub const INTEGER: Types = Types(4);
    /// Any number (integers too).
    pub const NUMBER: Types = Types(8);
    /// A string.
    pub const STRING: Types = Types(16);
    /// An array.
    pub const ARRAY: Types = Types(32);
    /// An object.
    pub const OBJECT: Types = Types(64);
    /// Any value: the schema says no `type`.
    pub const ANY: Types = Types(127);

    /// Both sets together.
    pub const fn or(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    /// Whether every type of `other` is in this set.
    pub const fn has(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set holds one of `other`'s types.
    pub const fn meets(self, other: Types) -> bool {
        self.0 & other.0 != 0
    }
}

/// A `format` the checks know; any other is an annotation and checks nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// No format, or one that checks nothing.
    None,
    /// RFC 3339 `date-time`.
    DateTime,
    /// RFC 3339 `full-date`.
    Date,
    /// RFC 3339 `full-time`.
    Time,
    /// An e-mail address (`local@domain`).
    Email,
    /// An RFC 4122 UUID in its hyphenated form.
    Uuid,
    /// A dotted IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// An integer that fits 32 bits.
    Int32,
    /// An integer that fits 64 bits.
    Int64,
    /// Base64 text (`format: byte`).
    Byte,
    /// An absolute URI (RFC 3986: a scheme, `:`, and no space or control character).
    Uri,
    /// Bytes: a string, or (read from a multipart part that is not UTF-8) an array of
    /// byte values.
    Binary,
}

/// A bound of a number: its value, and whether it is exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The bound.
    pub value: f64,
    /// The value itself is out of range.
    pub exclusive: bool,
}

/// What the members a schema does not list may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Additional {
    /// Anything (the default).
    Any,
    /// Nothing: `additionalProperties: false`.
    Never,
    /// Values of the rule at this index.
    Rule(u32),
}

/// A value of an `enum` or a `const`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(&'static str),
    /// An array or object, as JSON text.
    Json(&'static str),
}

/// `discriminator`: the member whose value names the alternative of a `oneOf` or
/// `anyOf`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Discriminator {
    /// The member's name.
    pub property: &'static str,
    /// Each value it may have, with the rule of the alternative it names.
    pub mapping: &'static [(&'static str, u32)],
}

/// The constraints of one schema. Build one from [`Rule::ANY`] with the fields the schema
/// sets: `Rule { types: Types::STRING, max_length: Some(8), ..Rule::ANY }`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// The types allowed (`type`, with `null` for `nullable`).
    pub types: Types,
    /// `enum` (and `const`): the values allowed; none means any.
    pub values: &'static [Literal],
    /// `format`, where the checks know it.
    pub format: Format,
    /// `minLength`, `maxLength`, in characters.
    pub min_length: Option<u64>,
    /// See `min_length`.
    pub max_length: Option<u64>,
    /// `pattern`: an index into the table's patterns.
    pub pattern: Option<u32>,
    /// `minimum` (or `exclusiveMinimum`).
    pub minimum: Option<Bound>,
    /// `maximum` (or `exclusiveMaximum`).
    pub maximum: Option<Bound>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `items`: the rule of every item.
    pub items: Option<u32>,
    /// `minItems`, `maxItems`.
    pub min_items: Option<u64>,
    /// See `min_items`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `properties`: each member's name and rule.
    pub properties: &'static [(&'static str, u32)],
    /// `required`.
    pub required: &'static [&'static str],
    /// `additionalProperties` (members `patternProperties` names count as listed).
    pub additional: Additional,
    /// `minProperties`, `maxProperties`.
    pub min_properties: Option<u64>,
    /// See `min_properties`.
    pub max_properties: Option<u64>,
    /// `allOf`: rules the value must satisfy, each.
    pub all_of: &'static [u32],
    /// `anyOf`: rules of which the value must satisfy one or more.
    pub any_of: &'static [u32],
    /// `oneOf`: rules of which the value must satisfy exactly one.
    pub one_of: &'static [u32],
    /// `not`: a rule the value must not satisfy.
    pub not: Option<u32>,
    /// `discriminator`, for `one_of` or `any_of`.
    pub discriminator: Option<Discriminator>,
    /// `readOnly`: only servers send it, so a request may leave it out even if required.
    pub read_only: bool,
    /// `writeOnly`: only clients send it, so an answer may leave it out.
    pub write_only: bool,
    /// `nullable: true` (OpenAPI 3.0; Swagger's `x-nullable`): `null` is valid whatever
    /// else the schema says, as descriptions mean it beside an `allOf` or a `$ref`.
    pub nullable: bool,
}

impl Rule {
    /// A schema that allows anything: the start of every rule.
    pub const ANY: Rule = Rule {
        types: Types::ANY,
        values: &[],
        format: Format::None,
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        multiple_of: None,
        items: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        properties: &[],
        required: &[],
        additional: Additional::Any,
        min_properties: None,
        max_properties: None,
        all_of: &[],
        any_of: &[],
        one_of: &[],
        not: None,
        discriminator: None,
        read_only: false,
        write_only: false,
        nullable: false,
    };
}

/// A `pattern`, compiled the first time it is checked. A pattern the `regex` crate cannot
/// compile (ECMA-262 look-arounds and back-references) checks nothing, and says so in
/// [`Pattern::compiled`].
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as the description writes it.
    pub source: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// The pattern `source`, not compiled yet.
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled pattern, or `None` when the `regex` crate cannot read it.
    pub fn compiled(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| {
                regex::RegexBuilder::new(self.source)
                    // A description's pattern is untrusted: bound what it may cost.
                    .size_limit(1 << 20)
                    .build()
                    .ok()
            })
            .as_ref()
    }
}

/// A crate's rules and patterns, which the rules name by index.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Every rule.
    pub rules: &'static [Rule],
    /// Every pattern.
    pub patterns: &'static [Pattern],
}

impl Rules {
    /// The rule at `index`; [`Rule::ANY`] for an index out of range, which a generated
    /// table never has.
    pub fn get(&self, index: u32) -> &Rule {
        self.rules.get(index as usize).unwrap_or(&Rule::ANY)
    }

    /// The types `index` allows, through `allOf` (each narrows), `oneOf` and `anyOf`
    /// (any of theirs): what the text of a parameter may be read as.
    pub fn types(&self, index: u32) -> Types {
        self.types_at(index, 0)
    }

    fn types_at(&self, index: u32, depth: usize) -> Types {
        let rule = self.get(index);
        let mut types = rule.types;
        if depth > 16 {
            return types;
        }
        for &each in rule.all_of {
            types = Types(types.0 & self.types_at(each, depth + 1).0);
        }
        let alternatives = if rule.one_of.is_empty() {
            rule.any_of
        } else {
            rule.one_of
        };
        if !alternatives.is_empty() {
            let either = alternatives.iter().fold(Types(0), |all, &each| {
                all.or(self.types_at(each, depth + 1))
            });
            types = Types(types.0 & either.0);
        }
        types
    }

    /// The rule of the member `name` of an object of rule `index`: its own property, one
    /// an `allOf`, `oneOf` or `anyOf` rule lists, or the rule of its other members.
    pub fn property(&self, index: u32, name: &str) -> Option<u32> {
        self.property_at(index, name, 0)
    }

    fn property_at(&self, index: u32, name: &str, depth: usize) -> Option<u32> {
        let rule = self.get(index);
        if let Some((_, each)) = rule.properties.iter().find(|(key, _)| *key == name) {
            return Some(*each);
        }
        if depth < 16 {
            let nested = rule.all_of.iter().chain(rule.one_of).chain(rule.any_of);
            for &each in nested {
                if let Some(found) = self.property_at(each, name, depth + 1) {
                    return Some(found);
                }
            }
        }
        match rule.additional {
            Additional::Rule(each) => Some(each),
            Additional::Any | Additional::Never => None,
        }
    }

    /// Whether rule `index` (or an `allOf`, `oneOf` or `anyOf` rule of it) lists the
    /// member `name` among its properties.
    pub fn lists(&self, index: u32, name: &str) -> bool {
        self.lists_at(index, name, 0)
    }

    fn lists_at(&self, index: u32, name: &str, depth: usize) -> bool {
        let rule = self.get(index);
        rule.properties.iter().any(|(key, _)| *key == name)
            || (depth < 16
                && rule
                    .all_of
                    .iter()
                    .chain(rule.one_of)
                    .chain(rule.any_of)
                    .any(|&each| self.lists_at(each, name, depth + 1)))
    }

    /// The rule of the items of an array of rule `index`, through `allOf`, `oneOf` and
    /// `anyOf`.
    pub fn items(&self, index: u32) -> Option<u32> {
        self.items_at(index, 0)
    }

    fn items_at(&self, index: u32, depth: usize) -> Option<u32> {
        let rule = self.get(index);
        if rule.items.is_some() || depth >= 16 {
            return rule.items;
        }
        let nested = rule.all_of.iter().chain(rule.one_of).chain(rule.any_of);
        nested
            .into_iter()
            .find_map(|&each| self.items_at(each, depth + 1))
    }
}
