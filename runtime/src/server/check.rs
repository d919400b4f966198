//! Checking a value against its rule, every violation collected: a request is refused
//! once, with all that is wrong with it, not fixed one error at a time. Each violation
//! names the JSON pointer of the offending value and the keyword it breaks.

use serde_json::Value;

use super::rules::{Additional, Bound, Format, Literal, Rule, Rules, Types};

/// Who sends the value: a request may leave out what is `readOnly`, an answer what is
/// `writeOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A value a client sends.
    Request,
    /// A value a server answers with.
    Response,
}

/// One constraint a value breaks: where (a JSON pointer from the checked value), the
/// keyword, and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The JSON pointer of the offending value (`""` for the value itself).
    pub pointer: String,
    /// The schema keyword broken (`maximum`, `required`, `oneOf` …).
    pub keyword: &'static str,
    /// What is wrong, in a sentence.
    pub detail: String,
}

/// How deep rules may nest around one value (`allOf` of `allOf` …) before the check
/// stops following them: a description's `$ref` cycle through `allOf` would otherwise
/// never end.
const MAX_HOPS: usize = 64;

/// Every constraint of rule `index` that `value` breaks; none when it is valid.
pub fn check(rules: &Rules, index: u32, value: &Value, direction: Direction) -> Vec<Broken> {
    let mut checker = Checker {
        rules,
        direction,
        pointer: String::new(),
        broken: Vec::new(),
    };
    checker.rule(index, value, 0);
    checker.broken
}

/// Whether `value` satisfies rule `index`.
pub fn satisfies(rules: &Rules, index: u32, value: &Value, direction: Direction) -> bool {
    let mut checker = Checker {
        rules,
        direction,
        pointer: String::new(),
        broken: Vec::new(),
    };
    checker.rule(index, value, 0);
    checker.broken.is_empty()
}

struct Checker<'r> {
    rules: &'r Rules,
    direction: Direction,
    pointer: String,
    broken: Vec<Broken>,
}

impl Checker<'_> {
    fn fail(&mut self, keyword: &'static str, detail: String) {
        self.broken.push(Broken {
            pointer: self.pointer.clone(),
            keyword,
            detail,
        });
    }

    /// Checks `value` at the current pointer; `hops` counts rules followed without
    /// going into the value.
    fn rule(&mut self, index: u32, value: &Value, hops: usize) {
        if hops > MAX_HOPS {
            return;
        }
        let rules = self.rules;
        let rule = rules.get(index);
        if rule.nullable && value.is_null() {
            return;
        }
        if !self.typed(rule, value) {
            // Nothing else of the rule is about a value of another type.
            return;
        }
        if !rule.values.is_empty() && !rule.values.iter().any(|v| literal_is(v, value)) {
            let allowed: Vec<String> = rule.values.iter().map(literal_text).collect();
            self.fail(
                "enum",
                format!("must be one of {}", shorten(&allowed.join(", "))),
            );
        }
        match value {
            Value::String(text) => self.string(rule, text),
            Value::Number(_) => self.number(rule, value),
            Value::Array(items) => self.array(rule, items),
            Value::Object(members) => self.object(rule, members),
            Value::Null | Value::Bool(_) => {}
        }
        self.composed(rule, value, hops);
    }

    /// Checks the type; false when the value is of none of the types allowed.
    fn typed(&mut self, rule: &Rule, value: &Value) -> bool {
        let is = type_of(value);
        let allowed = rule.types;
        let fits = allowed.meets(is)
            || (is == Types::INTEGER && allowed.has(Types::NUMBER))
            || (rule.format == Format::Binary && is == Types::ARRAY && is_bytes(value));
        if !fits {
            self.fail(
                "type",
                format!("must be {}, not {}", types_text(allowed), types_text(is)),
            );
        }
        fits
    }

    fn string(&mut self, rule: &Rule, text: &str) {
        if rule.min_length.is_some() || rule.max_length.is_some() {
            let length = text.chars().count() as u64;
            if let Some(min) = rule.min_length.filter(|min| length < *min) {
                self.fail(
                    "minLength",
                    format!("must be at least {min} characters long, not {length}"),
                );
            }
            if let Some(max) = rule.max_length.filter(|max| length > *max) {
                self.fail(
                    "maxLength",
                    format!("must be at most {max} characters long, not {length}"),
                );
            }
        }
        if let Some(index) = rule.pattern {
            if let Some(pattern) = self.rules.patterns.get(index as usize) {
                if let Some(regex) = pattern.compiled() {
                    if !regex.is_match(text) {
                        self.fail(
                            "pattern",
                            format!("must match the pattern `{}`", pattern.source),
                        );
                    }
                }
            }
        }
        if let Some(name) = format_broken(rule.format, text) {
            self.fail("format", format!("must be a valid {name}"));
        }
    }

    fn number(&mut self, rule: &Rule, value: &Value) {
        let Some(number) = value.as_f64() else {
            return;
        };
        let range = match rule.format {
            Format::Int32 => Some((i32::MIN as f64, i32::MAX as f64, "a 32-bit integer")),
            Format::Int64 => Some((i64::MIN as f64, i64::MAX as f64, "a 64-bit integer")),
            _ => None,
        };
        if let Some((low, high, name)) = range {
            let fits = match (value.as_i64(), value.as_u64()) {
                (Some(small), _) if rule.format == Format::Int32 => i32::try_from(small).is_ok(),
                (Some(_), _) => true,
                (None, Some(_)) => false,
                (None, None) => number >= low && number <= high,
            };
            if !fits {
                self.fail("format", format!("must be {name}"));
            }
        }
        if let Some(bound) = rule.minimum {
            if below(number, bound) {
                let word = if bound.exclusive { "above" } else { "at least" };
                self.fail(
                    if bound.exclusive {
                        "exclusiveMinimum"
                    } else {
                        "minimum"
                    },
                    format!("must be {word} {}", bound.value),
                );
            }
        }
        if let Some(bound) = rule.maximum {
            if above(number, bound) {
                let word = if bound.exclusive { "below" } else { "at most" };
                self.fail(
                    if bound.exclusive {
                        "exclusiveMaximum"
                    } else {
                        "maximum"
                    },
                    format!("must be {word} {}", bound.value),
                );
            }
        }
        if let Some(step) = rule.multiple_of.filter(|step| *step > 0.0) {
            let quotient = number / step;
            let whole = (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0);
            if !quotient.is_finite() || !whole {
                self.fail("multipleOf", format!("must be a multiple of {step}"));
            }
        }
    }

    fn array(&mut self, rule: &Rule, items: &[Value]) {
        let count = items.len() as u64;
        if let Some(min) = rule.min_items.filter(|min| count < *min) {
            self.fail(
                "minItems",
                format!("must have at least {min} items, not {count}"),
            );
        }
        if let Some(max) = rule.max_items.filter(|max| count > *max) {
            self.fail(
                "maxItems",
                format!("must have at most {max} items, not {count}"),
            );
        }
        if rule.unique_items {
            let duplicate = items
                .iter()
                .enumerate()
                .any(|(at, item)| items[..at].iter().any(|earlier| same(earlier, item)));
            if duplicate {
                self.fail(
                    "uniqueItems",
                    "must not hold the same item twice".to_owned(),
                );
            }
        }
        // Bytes read from a multipart part are numbers, not items of the schema.
        if rule.format == Format::Binary {
            return;
        }
        if let Some(each) = rule.items {
            for (at, item) in items.iter().enumerate() {
                let length = self.pointer.len();
                self.pointer.push('/');
                self.pointer.push_str(&at.to_string());
                self.rule(each, item, 0);
                self.pointer.truncate(length);
            }
        }
    }

    fn object(&mut self, rule: &Rule, members: &serde_json::Map<String, Value>) {
        let rules = self.rules;
        for name in rule.required {
            if members.contains_key(*name) {
                continue;
            }
            let exempt = rule
                .properties
                .iter()
                .find(|(key, _)| key == name)
                .is_some_and(|(_, each)| {
                    let property = rules.get(*each);
                    match self.direction {
                        Direction::Request => property.read_only,
                        Direction::Response => property.write_only,
                    }
                });
            if !exempt {
                self.fail("required", format!("must have the member `{name}`"));
            }
        }
        let count = members.len() as u64;
        if let Some(min) = rule.min_properties.filter(|min| count < *min) {
            self.fail(
                "minProperties",
                format!("must have at least {min} members, not {count}"),
            );
        }
        if let Some(max) = rule.max_properties.filter(|max| count > *max) {
            self.fail(
                "maxProperties",
                format!("must have at most {max} members, not {count}"),
            );
        }
        for (name, member) in members {
            let own = rule.properties.iter().find(|(key, _)| key == name);
            let each = match (own, rule.additional) {
                (Some((_, each)), _) => Some(*each),
                (None, Additional::Rule(each)) => Some(each),
                (None, Additional::Any) => None,
                (None, Additional::Never) => {
                    let length = self.pointer.len();
                    push_token(&mut self.pointer, name);
                    self.fail(
                        "additionalProperties",
                        format!("`{name}` is not a member the schema lists"),
                    );
                    self.pointer.truncate(length);
                    None
                }
            };
            if let Some(each) = each {
                let length = self.pointer.len();
                push_token(&mut self.pointer, name);
                self.rule(each, member, 0);
                self.pointer.truncate(length);
            }
        }
    }

    /// `allOf`, `anyOf`, `oneOf` (through the discriminator when there is one), `not`.
    fn composed(&mut self, rule: &Rule, value: &Value, hops: usize) {
        for &each in rule.all_of {
            self.rule(each, value, hops + 1);
        }
        if let Some(discriminator) = &rule.discriminator {
            if !rule.one_of.is_empty() || !rule.any_of.is_empty() {
                self.discriminated(discriminator, value, hops);
                return;
            }
        }
        if !rule.any_of.is_empty() {
            let matched = rule
                .any_of
                .iter()
                .any(|&each| self.passes(each, value, hops));
            if !matched {
                self.fail(
                    "anyOf",
                    format!(
                        "must match at least one of {} alternatives",
                        rule.any_of.len()
                    ),
                );
            }
        }
        if !rule.one_of.is_empty() {
            let matched = rule
                .one_of
                .iter()
                .filter(|&&each| self.passes(each, value, hops))
                .count();
            if matched != 1 {
                self.fail(
                    "oneOf",
                    format!(
                        "must match exactly one of {} alternatives, not {matched}",
                        rule.one_of.len()
                    ),
                );
            }
        }
        if let Some(each) = rule.not {
            if self.passes(each, value, hops) {
                self.fail("not", "must not match the schema of `not`".to_owned());
            }
        }
    }

    fn discriminated(
        &mut self,
        discriminator: &super::rules::Discriminator,
        value: &Value,
        hops: usize,
    ) {
        let Some(members) = value.as_object() else {
            return;
        };
        let property = discriminator.property;
        match members.get(property) {
            None => self.fail(
                "discriminator",
                format!("must have the member `{property}` that names its kind"),
            ),
            Some(Value::String(tag)) => {
                match discriminator.mapping.iter().find(|(name, _)| name == tag) {
                    Some((_, each)) => self.rule(*each, value, hops + 1),
                    None => {
                        let known: Vec<&str> = discriminator
                            .mapping
                            .iter()
                            .map(|(name, _)| *name)
                            .collect();
                        let length = self.pointer.len();
                        push_token(&mut self.pointer, property);
                        self.fail(
                            "discriminator",
                            format!(
                                "`{tag}` names no kind; expected one of {}",
                                shorten(&known.join(", "))
                            ),
                        );
                        self.pointer.truncate(length);
                    }
                }
            }
            Some(_) => {
                let length = self.pointer.len();
                push_token(&mut self.pointer, property);
                self.fail("discriminator", "must be a string".to_owned());
                self.pointer.truncate(length);
            }
        }
    }

    /// Whether `value` satisfies rule `index`, without reporting.
    fn passes(&mut self, index: u32, value: &Value, hops: usize) -> bool {
        let mut inner = Checker {
            rules: self.rules,
            direction: self.direction,
            pointer: String::new(),
            broken: Vec::new(),
        };
        inner.rule(index, value, hops + 1);
        inner.broken.is_empty()
    }
}

/// Appends one reference token to a JSON pointer, escaped (RFC 6901).
pub(crate) fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for character in token.chars() {
        match character {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}

fn type_of(value: &Value) -> Types {
    match value {
        Value::Null => Types::NULL,
        Value::Bool(_) => Types::BOOLEAN,
        Value::Number(number) => {
            let integral = number.is_i64()
                || number.is_u64()
                || number.as_f64().is_some_and(|n| n.fract() == 0.0);
            if integral {
                Types::INTEGER
            } else {
                Types::NUMBER
            }
        }
        Value::String(_) => Types::STRING,
        Value::Array(_) => Types::ARRAY,
        Value::Object(_) => Types::OBJECT,
    }
}

fn is_bytes(value: &Value) -> bool {
    value.as_array().is_some_and(|items| {
        items
            .iter()
            .all(|item| item.as_u64().is_some_and(|byte| byte <= 255))
    })
}

/// `string`, `integer or null` …: the names of a set of types.
pub(crate) fn types_text(types: Types) -> String {
    if types == Types::ANY {
        return "any value".to_owned();
    }
    let names = [
        (Types::NULL, "null"),
        (Types::BOOLEAN, "a boolean"),
        (Types::INTEGER, "an integer"),
        (Types::NUMBER, "a number"),
        (Types::STRING, "a string"),
        (Types::ARRAY, "an array"),
        (Types::OBJECT, "an object"),
    ];
    let mut words: Vec<&str> = names
        .iter()
        .filter(|(kind, _)| types.has(*kind))
        .map(|(_, name)| *name)
        .collect();
    // "an integer or a number" says no more than "a number".
    if types.has(Types::NUMBER) {
        words.retain(|word| *word != "an integer");
    }
    words.join(" or ")
}

fn below(number: f64, bound: Bound) -> bool {
    if bound.exclusive {
        number <= bound.value
    } else {
        number < bound.value
    }
}

fn above(number: f64, bound: Bound) -> bool {
    if bound.exclusive {
        number >= bound.value
    } else {
        number > bound.value
    }
}

/// JSON equality with numbers compared by value (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| same(value, other)))
        }
        _ => a == b,
    }
}

pub(crate) fn literal_is(literal: &Literal, value: &Value) -> bool {
    match (literal, value) {
        (Literal::Null, Value::Null) => true,
        (Literal::Bool(a), Value::Bool(b)) => a == b,
        (Literal::Number(a), Value::Number(b)) => b.as_f64() == Some(*a),
        (Literal::String(a), Value::String(b)) => a == b,
        (Literal::Json(text), value) => serde_json::from_str::<Value>(text)
            .map(|literal| same(&literal, value))
            .unwrap_or(false),
        _ => false,
    }
}

fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Null => "null".to_owned(),
        Literal::Bool(value) => value.to_string(),
        Literal::Number(value) => value.to_string(),
        Literal::String(text) => format!("`{text}`"),
        Literal::Json(text) => (*text).to_owned(),
    }
}

/// A long list cut to a readable length.
fn shorten(text: &str) -> String {
    const MAX: usize = 200;
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} …", &text[..end])
}

/// The name of `format` when `text` is not a valid one, else `None`.
fn format_broken(format: Format, text: &str) -> Option<&'static str> {
    let valid = match format {
        Format::DateTime => is_date_time(text),
        Format::Date => is_date(text),
        Format::Time => is_time(text),
        Format::Email => is_email(text),
        Format::Uuid => is_uuid(text),
        Format::Ipv4 => is_ipv4(text),
        Format::Ipv6 => text.parse::<std::net::Ipv6Addr>().is_ok(),
        Format::Byte => is_base64(text),
        Format::Uri => is_uri(text),
        Format::None | Format::Int32 | Format::Int64 | Format::Binary => true,
    };
    (!valid).then_some(match format {
        Format::DateTime => "RFC 3339 date-time",
        Format::Date => "RFC 3339 date",
        Format::Time => "RFC 3339 time",
        Format::Email => "e-mail address",
        Format::Uuid => "UUID",
        Format::Ipv4 => "IPv4 address",
        Format::Ipv6 => "IPv6 address",
        Format::Byte => "base64 text",
        Format::Uri => "absolute URI",
        _ => "value",
    })
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// RFC 3339 `full-date`: `2024-02-29`, a day that exists.
pub(crate) fn is_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`: `23:59:60.5+01:00` (a leap second allowed), `Z` or an offset.
pub(crate) fn is_time(text: &str) -> bool {
    let (clock, offset) = match text.find(['Z', 'z', '+', '-']) {
        Some(at) => text.split_at(at),
        None => return false,
    };
    let offset_ok = match offset {
        "Z" | "z" => true,
        _ => {
            let sign_less = &offset[1..];
            let mut parts = sign_less.split(':');
            matches!(
                (parts.next().and_then(|h| digits(h, 2)), parts.next().and_then(|m| digits(m, 2)), parts.next()),
                (Some(h), Some(m), None) if h < 24 && m < 60
            )
        }
    };
    let (whole, fraction) = match clock.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = whole.split(':');
    let clock_ok = matches!(
        (
            parts.next().and_then(|h| digits(h, 2)),
            parts.next().and_then(|m| digits(m, 2)),
            parts.next().and_then(|s| digits(s, 2)),
            parts.next()
        ),
        (Some(h), Some(m), Some(s), None) if h < 24 && m < 60 && s <= 60
    );
    offset_ok && clock_ok
}

/// RFC 3339 `date-time`: a date, `T` (or `t`, or a space), and a time.
pub(crate) fn is_date_time(text: &str) -> bool {
    if text.len() < 11 || !text.is_char_boundary(10) {
        return false;
    }
    let (date, rest) = text.split_at(10);
    let Some(time) = rest.strip_prefix(['T', 't']) else {
        return false;
    };
    is_date(date) && is_time(time)
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

fn is_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.len() <= 3
                && part.bytes().all(|b| b.is_ascii_digit())
                && !(part.len() > 1 && part.starts_with('0'))
                && part.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// RFC 3986 `absolute-URI`, leniently: a scheme (a letter, then letters, digits, `+`,
/// `-`, `.`), a `:`, and only visible ASCII after it.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    scheme_ok
        && rest
            .chars()
            .all(|c| c.is_ascii_graphic() && !"<>\"{}|\\^`".contains(c))
}

fn is_base64(text: &str) -> bool {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::rules::{Bound, Pattern};
    use serde_json::json;

    static PATTERNS: [Pattern; 1] = [Pattern::new("^[a-z]+$")];

    static TABLE: [Rule; 5] = [
        // 0: an object
        Rule {
            types: Types::OBJECT,
            properties: &[("name", 1), ("age", 2), ("tags", 3)],
            required: &["name", "age"],
            additional: Additional::Never,
            ..Rule::ANY
        },
        Rule {
            types: Types::STRING,
            pattern: Some(0),
            max_length: Some(5),
            ..Rule::ANY
        },
        Rule {
            types: Types::INTEGER,
            minimum: Some(Bound {
                value: 0.0,
                exclusive: false,
            }),
            multiple_of: Some(2.0),
            format: Format::Int32,
            ..Rule::ANY
        },
        Rule {
            types: Types::ARRAY,
            items: Some(4),
            unique_items: true,
            ..Rule::ANY
        },
        Rule {
            types: Types::STRING,
            values: &[Literal::String("a"), Literal::String("b")],
            ..Rule::ANY
        },
    ];

    fn rules() -> Rules {
        Rules {
            rules: &TABLE,
            patterns: &PATTERNS,
        }
    }

    #[test]
    fn every_violation_is_named_with_its_place_and_keyword() {
        let value = json!({"name": "ABCDEFG", "age": -3, "tags": ["a", "c", "a"], "x": 1});
        let broken = check(&rules(), 0, &value, Direction::Request);
        // In the order of the value's members, which serde_json's `preserve_order` (on
        // in a workspace where another crate asks for it) changes: compared sorted.
        let mut found: Vec<(&str, &str)> = broken
            .iter()
            .map(|b| (b.pointer.as_str(), b.keyword))
            .collect();
        found.sort_unstable();
        assert_eq!(
            found,
            [
                ("/age", "minimum"),
                ("/age", "multipleOf"),
                ("/name", "maxLength"),
                ("/name", "pattern"),
                ("/tags", "uniqueItems"),
                ("/tags/1", "enum"),
                ("/x", "additionalProperties"),
            ],
            "{broken:#?}"
        );
        let missing = check(&rules(), 0, &json!({}), Direction::Request);
        assert_eq!(missing.len(), 2);
        assert!(missing.iter().all(|b| b.keyword == "required"));
        assert!(check(
            &rules(),
            0,
            &json!({"name": "ab", "age": 4}),
            Direction::Request
        )
        .is_empty());
    }

    #[test]
    fn formats_are_checked() {
        assert!(is_date_time("2024-02-29T23:59:60.5+01:00"));
        assert!(!is_date_time("2023-02-29T00:00:00Z"));
        assert!(!is_date_time("2024-01-01"));
        assert!(is_time("10:00:00Z"));
        assert!(!is_time("25:00:00Z"));
        assert!(is_ipv4("127.0.0.1"));
        assert!(!is_ipv4("127.0.0.01"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_email("no-at-sign"));
    }

    #[test]
    fn a_number_is_checked_by_value() {
        let big = json!(4_294_967_296u64);
        let broken = check(&rules(), 2, &big, Direction::Request);
        assert_eq!(broken[0].keyword, "format");
        let fraction = check(&rules(), 2, &json!(2.5), Direction::Request);
        assert_eq!(fraction.len(), 1);
        assert_eq!(fraction[0].keyword, "type");
    }
}
