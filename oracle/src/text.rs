//! A parameter's value as the server reads it back: not JSON but text, which a union's
//! alternatives may each read. The text `42` is the integer 42 and also the string "42",
//! so for `oneOf: [integer, string]` it matches both alternatives whatever the client
//! meant; and `15,15` (a list of two, not exploded) is the text a string alternative takes
//! whole. Each alternative reads the text as its own `type` says (a number, a boolean, a
//! list split where the style joins its items), and a value fits a `oneOf` only when
//! exactly one alternative reads it.

use serde_json::Value;

#[cfg(feature = "validate")]
use crate::document::{types, Document};
#[cfg(feature = "validate")]
use crate::validate::Checks;

/// How a parameter's value travels: the character that joins a list's items into one
/// text, or none when each item is a text of its own (an exploded `form` list, Swagger's
/// `multi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wire {
    /// The character between a list's items, if they share one text.
    pub joiner: Option<char>,
}

impl Wire {
    /// How the Parameter Object `param` (resolved) writes its value, when it is text: a
    /// path, query, header or cookie parameter with a `schema` (or Swagger's own type),
    /// not one whose `content` makes it JSON.
    pub fn of(param: &Value) -> Option<Wire> {
        let location = param.get("in").and_then(Value::as_str)?;
        if !matches!(location, "path" | "query" | "header" | "cookie")
            || param.get("content").is_some()
        {
            return None;
        }
        if param.get("schema").is_none() {
            // Swagger 2.0: `collectionFormat`, `csv` unless said.
            let joiner = match param.get("collectionFormat").and_then(Value::as_str) {
                Some("multi") => None,
                Some("ssv") => Some(' '),
                Some("tsv") => Some('\t'),
                Some("pipes") => Some('|'),
                _ => Some(','),
            };
            return Some(Wire { joiner });
        }
        let form = matches!(location, "query" | "cookie");
        let style = param
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(if form { "form" } else { "simple" });
        let explode = param
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let joiner = match (style, explode) {
            ("form" | "matrix", true) => None,
            ("label", true) => Some('.'),
            ("spaceDelimited", _) => Some(' '),
            ("pipeDelimited", _) => Some('|'),
            _ => Some(','),
        };
        Some(Wire { joiner })
    }
}

/// What the server receives for a value: one text, or (an exploded list of two or more)
/// one text per item.
#[cfg(feature = "validate")]
#[derive(Debug, Clone, PartialEq, Eq)]
enum Received {
    One(String),
    Many(Vec<String>),
}

/// The texts `value` is sent as, when it is a scalar or a non-empty list of scalars.
#[cfg(feature = "validate")]
fn received(value: &Value, wire: Wire) -> Option<Received> {
    match value {
        Value::Array(items) if !items.is_empty() => {
            let texts = items.iter().map(scalar_text).collect::<Option<Vec<_>>>()?;
            Some(match (wire.joiner, texts.len()) {
                (Some(joiner), _) => Received::One(texts.join(&joiner.to_string())),
                (None, 1) => Received::One(texts[0].clone()),
                (None, _) => Received::Many(texts),
            })
        }
        Value::Array(_) | Value::Object(_) | Value::Null => None,
        scalar => scalar_text(scalar).map(Received::One),
    }
}

#[cfg(feature = "validate")]
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// The values `text` stands for as a scalar of `kind` (`integer`, `boolean` …).
#[cfg(feature = "validate")]
fn scalar_as(text: &str, kind: &str) -> Option<Value> {
    match kind {
        "string" => Some(Value::String(text.to_owned())),
        "integer" => text
            .parse::<i64>()
            .ok()
            .map(Value::from)
            .or_else(|| text.parse::<u64>().ok().map(Value::from)),
        "number" => match serde_json::from_str::<Value>(text) {
            Ok(Value::Number(number)) => Some(Value::Number(number)),
            _ => None,
        },
        "boolean" => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// What one item of a list is read as under the items' schema: its declared type, else
/// the most particular scalar the text is.
#[cfg(feature = "validate")]
fn item_as(doc: &Document, items: Option<(&Value, String)>, text: &str) -> Option<Value> {
    let kinds = items
        .map(|(node, pointer)| types(doc.resolve(node, &pointer).1))
        .unwrap_or_default();
    if kinds.is_empty() {
        return ["integer", "number", "boolean", "string"]
            .iter()
            .find_map(|kind| scalar_as(text, kind));
    }
    kinds.iter().find_map(|kind| scalar_as(text, kind))
}

/// Every value the alternative at `pointer` reads `received` as: one per type it allows
/// (every scalar type when it says none).
#[cfg(feature = "validate")]
fn readings(
    doc: &Document,
    node: &Value,
    pointer: &str,
    received: &Received,
    wire: Wire,
) -> Vec<Value> {
    let (pointer, node) = doc.resolve(node, pointer);
    let mut kinds = types(node);
    if kinds.is_empty() {
        kinds = ["string", "integer", "number", "boolean"]
            .map(str::to_owned)
            .to_vec();
    }
    let items = node
        .get("items")
        .map(|items| (items, crate::document::child(&pointer, "items")));
    kinds
        .iter()
        .filter_map(|kind| match (kind.as_str(), received) {
            ("array", received) => {
                let texts: Vec<&str> = match (received, wire.joiner) {
                    (Received::One(text), Some(joiner)) => text.split(joiner).collect(),
                    (Received::One(text), None) => vec![text.as_str()],
                    (Received::Many(texts), _) => texts.iter().map(String::as_str).collect(),
                };
                texts
                    .into_iter()
                    .map(|text| item_as(doc, items.clone(), text))
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
            (kind, Received::One(text)) => scalar_as(text, kind),
            (_, Received::Many(_)) => None,
        })
        .collect()
}

/// Which of `alternatives` (schemas and their pointers, by index) read `value`, sent as
/// `wire` says, as a value they accept; `None` when the value is not text (an object, an
/// empty list), which is then judged as JSON.
#[cfg(feature = "validate")]
pub fn readers<'a>(
    doc: &Document,
    checks: &Checks,
    alternatives: impl Iterator<Item = (&'a Value, &'a str)>,
    value: &Value,
    wire: Wire,
) -> Option<Vec<usize>> {
    let received = received(value, wire)?;
    Some(
        alternatives
            .enumerate()
            .filter(|(_, (node, pointer))| {
                readings(doc, node, pointer, &received, wire)
                    .iter()
                    .any(|reading| checks.matches(pointer, reading))
            })
            .map(|(index, _)| index)
            .collect(),
    )
}

#[cfg(all(test, feature = "validate"))]
mod tests {
    use serde_json::json;

    use super::*;

    fn count(schema: Value, value: Value, wire: Wire) -> Option<usize> {
        let doc = Document::new(json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {"U": schema}},
        }));
        let checks = Checks::new(&doc);
        let node = doc.get("#/components/schemas/U").unwrap().clone();
        let alternatives: Vec<(Value, String)> = node["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, b)| (b.clone(), format!("#/components/schemas/U/oneOf/{i}")))
            .collect();
        readers(
            &doc,
            &checks,
            alternatives.iter().map(|(n, p)| (n, p.as_str())),
            &value,
            wire,
        )
        .map(|readers| readers.len())
    }

    const JOINED: Wire = Wire { joiner: Some(',') };
    const EXPLODED: Wire = Wire { joiner: None };

    #[test]
    fn an_integer_is_also_the_text_of_a_string() {
        let id = json!({"oneOf": [
            {"type": "integer"},
            {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"},
            {"type": "string"},
        ]});
        assert_eq!(count(id.clone(), json!(42), JOINED), Some(2));
        assert_eq!(
            count(
                id.clone(),
                json!("9c9de5e8-0a1e-484a-b099-e80766180a6d"),
                JOINED
            ),
            Some(2)
        );
        assert_eq!(count(id, json!("2y84q2MQUMWPbiEcxNXMgC"), JOINED), Some(1));
    }

    #[test]
    fn a_list_is_read_where_the_style_joins_it() {
        let set = json!({"oneOf": [
            {"type": "integer"},
            {"type": "array", "items": {"type": "integer"}},
        ]});
        assert_eq!(count(set.clone(), json!([15, 16]), JOINED), Some(1));
        assert_eq!(count(set.clone(), json!([15, 16]), EXPLODED), Some(1));
        // One item is written as the integer is.
        assert_eq!(count(set.clone(), json!([15]), JOINED), Some(2));
        assert_eq!(count(set, json!(15), EXPLODED), Some(2));
        let tags = json!({"oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
        ]});
        assert_eq!(count(tags.clone(), json!(["a", "b"]), JOINED), Some(2));
        assert_eq!(count(tags, json!(["a", "b"]), EXPLODED), Some(1));
    }

    #[test]
    fn booleans_read_only_their_words() {
        let flag = json!({"oneOf": [{"type": "integer"}, {"type": "boolean"}]});
        assert_eq!(count(flag.clone(), json!(1), JOINED), Some(1));
        assert_eq!(count(flag, json!(true), JOINED), Some(1));
        assert_eq!(
            count(json!({"oneOf": [{"type": "object"}]}), json!({}), JOINED),
            None
        );
    }

    #[test]
    fn wires_by_style() {
        let wire = |param: Value| Wire::of(&param).map(|w| w.joiner);
        assert_eq!(wire(json!({"in": "query", "schema": {}})), Some(None));
        assert_eq!(
            wire(json!({"in": "query", "explode": false, "schema": {}})),
            Some(Some(','))
        );
        assert_eq!(wire(json!({"in": "path", "schema": {}})), Some(Some(',')));
        assert_eq!(
            wire(json!({"in": "query", "style": "pipeDelimited", "schema": {}})),
            Some(Some('|'))
        );
        assert_eq!(
            wire(json!({"in": "query", "collectionFormat": "multi"})),
            Some(None)
        );
        assert_eq!(wire(json!({"in": "body", "schema": {}})), None);
        assert_eq!(
            wire(json!({"in": "query", "content": {"application/json": {}}})),
            None
        );
    }
}
