//! Making a value a rule accepts: what the mock answers with when the description gives
//! no example, and what a refusal is fitted into when an operation documents its own
//! error schema. Values are plain and deterministic (the same rule always makes the same
//! value), and every one is checked before it is used: a rule no value can satisfy makes
//! none.

use serde_json::{Map, Number, Value};

use super::check::{satisfies, Direction};
use super::rules::{Format, Literal, Rule, Rules, Types};

/// How deep made values nest: a recursive schema ends here, with its optional members
/// left out.
const MAX_DEPTH: usize = 12;

/// Below this depth, optional members are made too, so a made answer shows them.
const FULL_DEPTH: usize = 3;

/// A value rule `index` accepts, made for `direction` (an answer leaves out `writeOnly`
/// members, a request `readOnly` ones), or `None` when none was found.
pub fn make(rules: &Rules, index: u32, direction: Direction) -> Option<Value> {
    let maker = Maker { rules, direction };
    (0..4)
        .map(|nth| maker.value(index, 0, nth))
        .find(|value| satisfies(rules, index, value, direction))
}

/// The value [`make`] makes, or, for a rule no value satisfies (a `oneOf` whose
/// alternatives all accept the same values, say), the one made the same way that comes
/// nearest: of the rule's types, each member and item made as well as it can be.
pub fn nearest(rules: &Rules, index: u32, direction: Direction) -> Value {
    make(rules, index, direction).unwrap_or_else(|| Maker { rules, direction }.value(index, 0, 0))
}

struct Maker<'r> {
    rules: &'r Rules,
    direction: Direction,
}

impl Maker<'_> {
    /// The `nth` candidate of rule `index` (later ones differ, for unique items).
    fn value(&self, index: u32, depth: usize, nth: usize) -> Value {
        let rules = self.rules;
        let rule = rules.get(index);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(value) = rule
            .values
            .iter()
            .skip(nth)
            .chain(&rule.values[..nth.min(rule.values.len())])
            .map(literal)
            .find(|value| satisfies(rules, index, value, self.direction))
        {
            return value;
        }
        // A discriminated alternative: the first value it maps, made from its rule.
        if let Some(discriminator) = &rule.discriminator {
            for (tag, branch) in discriminator.mapping {
                let mut value = self.value(*branch, depth + 1, nth);
                if let Value::Object(members) = &mut value {
                    members.insert(
                        discriminator.property.to_owned(),
                        Value::String((*tag).to_owned()),
                    );
                    let mut whole = self.own(rule, index, depth, nth);
                    if let Value::Object(own) = &mut whole {
                        for (key, member) in std::mem::take(members) {
                            own.insert(key, member);
                        }
                        value = whole;
                    }
                }
                if satisfies(rules, index, &value, self.direction) {
                    return value;
                }
            }
        }
        let alternatives = if rule.one_of.is_empty() {
            rule.any_of
        } else {
            rule.one_of
        };
        // The rule's own value is made once, and merged into each alternative's.
        let own = self.own(rule, index, depth, nth);
        let mut candidates = Vec::new();
        for &branch in alternatives {
            candidates.push(merged(self.value(branch, depth + 1, nth), &own));
        }
        candidates.push(own.clone());
        for &each in rule.all_of {
            candidates.push(merged(self.value(each, depth + 1, nth), &own));
        }
        let fallback = candidates.first().cloned().unwrap_or(Value::Null);
        candidates
            .into_iter()
            .find(|value| satisfies(rules, index, value, self.direction))
            .unwrap_or(fallback)
    }

    /// A value of the rule's own types and keywords, with the members of its `allOf`
    /// rules when it is an object.
    fn own(&self, rule: &Rule, index: u32, depth: usize, nth: usize) -> Value {
        let types = self.rules.types(index);
        let order = [
            Types::OBJECT,
            Types::ARRAY,
            Types::STRING,
            Types::INTEGER,
            Types::NUMBER,
            Types::BOOLEAN,
        ];
        let Some(kind) = order.into_iter().find(|kind| types.has(*kind)) else {
            return Value::Null;
        };
        match kind {
            k if k == Types::OBJECT => self.object(index, depth, nth),
            k if k == Types::ARRAY => self.array(rule, index, depth),
            k if k == Types::STRING => Value::String(string(self.rules, rule, nth)),
            k if k == Types::INTEGER => number(rule, true, nth),
            k if k == Types::NUMBER => number(rule, false, nth),
            _ => Value::Bool(nth % 2 == 0),
        }
    }

    fn object(&self, index: u32, depth: usize, nth: usize) -> Value {
        let mut members = Map::new();
        let mut required = Vec::new();
        let mut properties = Vec::new();
        self.collect(index, &mut properties, &mut required, 0);
        let rule = self.rules.get(index);
        for (name, each) in &properties {
            if members.contains_key(*name) {
                continue;
            }
            let property = self.rules.get(*each);
            let skipped = match self.direction {
                Direction::Response => property.write_only,
                Direction::Request => property.read_only,
            };
            let wanted = required.contains(name)
                || (depth < FULL_DEPTH && !skipped)
                || rule
                    .min_properties
                    .is_some_and(|min| (members.len() as u64) < min);
            if wanted && (!skipped || required.contains(name)) {
                members.insert((*name).to_owned(), self.value(*each, depth + 1, nth));
            }
        }
        Value::Object(members)
    }

    /// The properties and required names of rule `index` and of its `allOf` rules.
    fn collect(
        &self,
        index: u32,
        properties: &mut Vec<(&'static str, u32)>,
        required: &mut Vec<&'static str>,
        hops: usize,
    ) {
        if hops > 16 {
            return;
        }
        let rule = self.rules.get(index);
        properties.extend(rule.properties.iter().copied());
        required.extend(rule.required.iter().copied());
        for &each in rule.all_of {
            self.collect(each, properties, required, hops + 1);
        }
    }

    fn array(&self, rule: &Rule, index: u32, depth: usize) -> Value {
        let count = rule.min_items.unwrap_or(1).max(1);
        let count = match rule.max_items {
            Some(max) => count.min(max),
            None => count,
        }
        .min(64);
        let Some(each) = self.rules.items(index) else {
            return Value::Array((0..count).map(|n| Value::from(n as i64)).collect());
        };
        if depth > MAX_DEPTH - 2 && rule.min_items.unwrap_or(0) == 0 {
            return Value::Array(Vec::new());
        }
        Value::Array(
            (0..count as usize)
                .map(|nth| self.value(each, depth + 1, nth))
                .collect(),
        )
    }
}

/// `made`, with the members of `own` it lacks, when both are objects.
fn merged(made: Value, own: &Value) -> Value {
    match (made, own) {
        (Value::Object(mut made), Value::Object(own)) => {
            for (key, value) in own {
                made.entry(key.clone()).or_insert_with(|| value.clone());
            }
            Value::Object(made)
        }
        (made, _) => made,
    }
}

fn literal(literal: &Literal) -> Value {
    match literal {
        Literal::Null => Value::Null,
        Literal::Bool(value) => Value::Bool(*value),
        Literal::Number(value) => number_value(*value, value.fract() == 0.0),
        Literal::String(text) => Value::String((*text).to_owned()),
        Literal::Json(text) => serde_json::from_str(text).unwrap_or(Value::Null),
    }
}

fn number_value(value: f64, integral: bool) -> Value {
    if integral && value.abs() < 9.0e15 {
        Value::Number((value as i64).into())
    } else {
        Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

/// A number within the rule's bounds, on its step: the lowest one allowed from 0 up (or
/// the highest, when the maximum is below 0), moved `nth` steps on.
fn number(rule: &Rule, integral: bool, nth: usize) -> Value {
    let step = rule
        .multiple_of
        .filter(|step| *step > 0.0 && step.is_finite())
        .unwrap_or(1.0);
    let low = rule.minimum.map(|bound| {
        if bound.exclusive {
            (bound.value / step).floor() * step + step
        } else {
            (bound.value / step).ceil() * step
        }
    });
    let high = rule.maximum.map(|bound| {
        if bound.exclusive {
            (bound.value / step).ceil() * step - step
        } else {
            (bound.value / step).floor() * step
        }
    });
    let mut value = match (low, high) {
        (Some(low), _) => low,
        (None, Some(high)) if high < 0.0 => high,
        _ => 0.0,
    };
    value += nth as f64 * step;
    if let Some(high) = high.filter(|high| value > *high) {
        value = high;
    }
    if integral {
        value = value.ceil();
    }
    let value = match rule.format {
        Format::Int32 => value.clamp(f64::from(i32::MIN), f64::from(i32::MAX)),
        _ => value,
    };
    number_value(value, integral)
}

/// A text of the rule's format, or one its pattern matches, at the lengths it allows.
fn string(rules: &Rules, rule: &Rule, nth: usize) -> String {
    let formatted = match rule.format {
        Format::DateTime => Some(format!("2024-01-{:02}T00:00:00Z", 1 + nth % 28)),
        Format::Date => Some(format!("2024-01-{:02}", 1 + nth % 28)),
        Format::Time => Some(format!("00:00:{:02}Z", nth % 60)),
        Format::Email => Some(format!("user{nth}@example.com")),
        Format::Uuid => Some(format!("00000000-0000-4000-8000-{nth:012}")),
        Format::Ipv4 => Some(format!("192.0.2.{}", 1 + nth % 250)),
        Format::Ipv6 => Some(format!("2001:db8::{}", 1 + nth)),
        Format::Byte => Some(["c3RyaW5n", "YQ==", "Yg==", "Yw=="][nth % 4].to_owned()),
        Format::Uri => Some(format!("https://example.com/{nth}")),
        _ => None,
    };
    if let Some(text) = formatted {
        return text;
    }
    let pattern = rule
        .pattern
        .and_then(|index| rules.patterns.get(index as usize));
    let min = rule.min_length.unwrap_or(0) as usize;
    let max = rule.max_length.map_or(usize::MAX, |max| max as usize);
    if let Some(pattern) = pattern {
        if let Some(text) = from_pattern(pattern.source, min, max, nth) {
            return text;
        }
    }
    let mut text = if nth == 0 {
        "string".to_owned()
    } else {
        format!("string{nth}")
    };
    while text.chars().count() < min.min(4096) {
        text.push('a');
    }
    if text.chars().count() > max {
        text = text
            .chars()
            .rev()
            .take(max)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
    }
    text
}

/// A text `pattern` matches, with its lengths in `min..=max` where repeating what the
/// pattern repeats gets there.
fn from_pattern(pattern: &str, min: usize, max: usize, nth: usize) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let compiled = regex::Regex::new(pattern).ok();
    let matches = |text: &str| compiled.as_ref().is_none_or(|regex| regex.is_match(text));
    for extra in 0..=64 {
        let mut text = String::new();
        sample(&hir, extra, nth, &mut text, 0);
        let length = text.chars().count();
        if length > max {
            return None;
        }
        if length >= min && matches(&text) {
            return Some(text);
        }
    }
    None
}

/// Writes a text `hir` matches: repetitions `extra` times past their minimum (as their
/// maximum allows), the first alternative, a letter or digit of each class when it has
/// one.
fn sample(hir: &regex_syntax::hir::Hir, extra: usize, nth: usize, out: &mut String, depth: usize) {
    use regex_syntax::hir::{Class, HirKind};
    if depth > 64 || out.len() > 1 << 16 {
        return;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let preferred = ['a', 'b', 'c', 'A', 'B', '0', '1', '2'];
            let contains = |c: char| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= c && c <= r.end())
            };
            let pick = preferred
                .iter()
                .copied()
                .filter(|c| contains(*c))
                .nth(nth % 3)
                .or_else(|| preferred.iter().copied().find(|c| contains(*c)))
                .or_else(|| class.ranges().first().map(|r| r.start()));
            if let Some(c) = pick {
                out.push(c);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            if let Some(byte) = class
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .find(|b| b.is_ascii_alphanumeric())
                .or_else(|| class.ranges().first().map(|r| r.start()))
            {
                out.push(char::from(byte));
            }
        }
        HirKind::Repetition(repetition) => {
            let wanted = repetition.min as usize + extra;
            let count = match repetition.max {
                Some(max) => wanted.min(max as usize),
                None => wanted,
            };
            for _ in 0..count.min(4096) {
                sample(&repetition.sub, extra, nth, out, depth + 1);
            }
        }
        HirKind::Capture(capture) => sample(&capture.sub, extra, nth, out, depth + 1),
        HirKind::Concat(parts) => {
            for part in parts {
                sample(part, extra, nth, out, depth + 1);
            }
        }
        HirKind::Alternation(choices) => {
            if let Some(first) = choices.first() {
                sample(first, extra, nth, out, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::rules::{Additional, Bound, Pattern};

    static PATTERNS: [Pattern; 1] = [Pattern::new("^[A-Z]{2}-[0-9]{3,}$")];

    static TABLE: [Rule; 5] = [
        Rule {
            types: Types::OBJECT,
            properties: &[("code", 1), ("count", 2), ("tags", 3)],
            required: &["code", "count"],
            additional: Additional::Never,
            ..Rule::ANY
        },
        Rule {
            types: Types::STRING,
            pattern: Some(0),
            min_length: Some(7),
            ..Rule::ANY
        },
        Rule {
            types: Types::INTEGER,
            minimum: Some(Bound {
                value: 3.0,
                exclusive: true,
            }),
            multiple_of: Some(5.0),
            ..Rule::ANY
        },
        Rule {
            types: Types::ARRAY,
            items: Some(4),
            min_items: Some(3),
            unique_items: true,
            ..Rule::ANY
        },
        Rule {
            types: Types::STRING,
            format: Format::Date,
            ..Rule::ANY
        },
    ];

    #[test]
    fn made_values_satisfy_their_rule() {
        let rules = Rules {
            rules: &TABLE,
            patterns: &PATTERNS,
        };
        let made = make(&rules, 0, Direction::Response).expect("a value");
        assert_eq!(made["count"], 5);
        assert_eq!(made["code"], "AA-0000");
        assert_eq!(made["tags"].as_array().map(Vec::len), Some(3));
    }
}
