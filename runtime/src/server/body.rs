//! Reading request bodies by media type, the inverse of what the request builder writes:
//! JSON, `application/x-www-form-urlencoded` (each property by its Encoding Object, read
//! back like a query parameter), `multipart/form-data` (read part by part as it
//! arrives), text and bytes. A body becomes a JSON value first, shaped by its rule, is
//! checked, and only then read into its Rust type.

use serde_json::{Map, Value};

use super::super::form::{FormField, Part};
use super::super::style::{Expansion, Style};
use super::check::{self, Direction};
use super::params::{deep_path, deep_value, fill_empty_members, form_decode, scalar};
use super::problem::Violation;
use super::rules::{Format, Rules, Types};

/// The members of a URL-encoded body as a JSON object, each property read by its
/// Encoding Object (`fields`; others as `form`, exploded) and the types its rule allows.
pub fn form_value(rules: &Rules, rule: u32, text: &str, fields: &[FormField]) -> Value {
    let pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (form_decode(name), value.to_owned()),
            None => (form_decode(pair), String::new()),
        })
        .collect();
    let mut object = Map::new();
    let mut taken = vec![false; pairs.len()];
    let listed: Vec<&str> = rules
        .get(rule)
        .properties
        .iter()
        .map(|(name, _)| *name)
        .collect();
    // Listed properties first, each by its style; then whatever is left, by name.
    for name in &listed {
        let field = fields.iter().find(|field| field.name == *name);
        let style = field.map_or(Style::FORM, |field| field.style);
        let property = rules.property(rule, name);
        if field.and_then(|field| field.content_type).is_some() {
            if let Some(at) = pairs.iter().position(|(key, _)| key == name) {
                taken[at] = true;
                let text = form_decode(&pairs[at].1);
                let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                object.insert((*name).to_owned(), value);
            }
            continue;
        }
        let is_list = property.is_some_and(|p| {
            let types = rules.types(p);
            types.meets(Types::ARRAY) && !types.meets(Types::STRING.or(Types::NUMBER))
        });
        let expansion = Expansion::query(style, super::super::style::Escape::URI);
        if expansion.is_none() {
            // deepObject: `name[key]=value` and deeper, each scalar a pair of its own.
            let mut entries = Vec::new();
            for (at, (key, value)) in pairs.iter().enumerate() {
                let Some(path) = deep_path(name, key) else {
                    continue;
                };
                taken[at] = true;
                entries.push((path, form_decode(value)));
            }
            if !entries.is_empty() {
                object.insert((*name).to_owned(), deep_value(rules, property, entries));
            }
            continue;
        }
        let mut items = Vec::new();
        for (at, (key, value)) in pairs.iter().enumerate() {
            if key == name {
                taken[at] = true;
                items.push(value.as_str());
            }
        }
        if items.is_empty() {
            continue;
        }
        let value = match (is_list, expansion) {
            (true, Some(expansion)) if !expansion.explode => {
                let each = property.and_then(|p| rules.items(p));
                Value::Array(
                    split_form(items[0], expansion.joiner)
                        .into_iter()
                        .map(|item| read_scalar(rules, each, form_decode(item)))
                        .collect(),
                )
            }
            (true, _) => {
                let each = property.and_then(|p| rules.items(p));
                Value::Array(
                    items
                        .into_iter()
                        .map(|item| read_scalar(rules, each, form_decode(item)))
                        .collect(),
                )
            }
            (false, _) => read_scalar(rules, property, form_decode(items[0])),
        };
        object.insert((*name).to_owned(), value);
    }
    for (at, (key, value)) in pairs.iter().enumerate() {
        if taken[at] || object.contains_key(key) {
            continue;
        }
        let property = rules.property(rule, key);
        object.insert(
            key.clone(),
            read_scalar(rules, property, form_decode(value)),
        );
    }
    fill_empty_members(rules, rule, true, &mut object);
    Value::Object(object)
}

fn read_scalar(rules: &Rules, rule: Option<u32>, text: String) -> Value {
    match rule {
        Some(rule) => scalar(rules, rule, text),
        None => Value::String(text),
    }
}

fn split_form<'t>(text: &'t str, joiner: &str) -> Vec<&'t str> {
    match joiner {
        "%20" => text
            .split(['+', ' '])
            .flat_map(|p| p.split("%20"))
            .collect(),
        "%7C" => text.split('|').flat_map(|p| p.split("%7C")).collect(),
        "%09" => text.split('\t').flat_map(|p| p.split("%09")).collect(),
        // The builder writes the `,` between items as `%2C` in a form body.
        _ => text.split(',').flat_map(|p| p.split("%2C")).collect(),
    }
}

/// One part of a multipart body as read: its name, `Content-Type`, file name and content.
#[derive(Debug)]
pub struct ReadPart {
    /// The part's `name`.
    pub name: String,
    /// Its `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// Its content.
    pub content: Vec<u8>,
}

/// The members of a multipart body as a JSON object: a property per part name, a list
/// when its rule is an array (one item per part), bytes as text (or, when not UTF-8, an
/// array of byte values), JSON parts parsed, other text read as the rule's types.
pub fn multipart_value(rules: &Rules, rule: u32, parts: Vec<ReadPart>, encoding: &[Part]) -> Value {
    let mut object = Map::new();
    for part in parts {
        let property = rules.property(rule, &part.name);
        let is_list = property.is_some_and(|p| {
            let types = rules.types(p);
            types.meets(Types::ARRAY) && !types.meets(Types::STRING)
        });
        let each = if is_list {
            property.and_then(|p| rules.items(p))
        } else {
            property
        };
        let binary = encoding
            .iter()
            .find(|e| e.name == part.name)
            .is_some_and(|e| e.binary)
            || each.is_some_and(|e| rules.get(e).format == Format::Binary);
        let json = part
            .content_type
            .as_deref()
            .is_some_and(super::reply::is_json);
        let value = if binary {
            match String::from_utf8(part.content) {
                Ok(text) => Value::String(text),
                Err(error) => {
                    Value::Array(error.into_bytes().into_iter().map(Value::from).collect())
                }
            }
        } else {
            let text = String::from_utf8_lossy(&part.content).into_owned();
            if json {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            } else {
                read_scalar(rules, each, text)
            }
        };
        if is_list {
            // A list is a part per item, as the request builder writes it; a JSON part
            // may also hold the whole list.
            let items = match value {
                Value::Array(whole) if json => whole,
                one => vec![one],
            };
            match object
                .entry(part.name)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(known) => known.extend(items),
                other => *other = Value::Array(items),
            }
        } else {
            object.insert(part.name, value);
        }
    }
    // A part per item: an empty list is no part at all; an empty object, a JSON part.
    fill_empty_members(rules, rule, false, &mut object);
    Value::Object(object)
}

/// Checks a body's JSON value against its rule and reads it into `T`; the violations
/// otherwise, at their pointers into the body.
pub fn typed<T: serde::de::DeserializeOwned>(
    rules: &Rules,
    rule: u32,
    value: Value,
) -> Result<T, Vec<Violation>> {
    let broken = check::check(rules, rule, &value, Direction::Request);
    if !broken.is_empty() {
        return Err(broken
            .into_iter()
            .map(|b| Violation::body(b.pointer, b.keyword, b.detail))
            .collect());
    }
    serde_json::from_value(value).map_err(|error| {
        vec![Violation::body(
            String::new(),
            "type",
            format!("does not fit the operation's type: {error}"),
        )]
    })
}
