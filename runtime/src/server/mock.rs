//! What the generated mock answers with: the status a request asks for with
//! `Prefer: code=404` (as Prism reads it), else the operation's first success; and for
//! each body or header, the first of the description's examples that its rule accepts
//! and its Rust type reads, else a value made from the rule. An example that breaks its
//! own schema is never served.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::check::{satisfies, Direction};
use super::make::{make, nearest};
use super::rules::Rules;

/// The status a request asks the mock for: `Prefer: code=404`.
pub fn preferred(parts: &http::request::Parts) -> Option<u16> {
    parts
        .headers
        .get_all("prefer")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|text| text.split([',', ';']))
        .find_map(|item| {
            let (name, value) = item.split_once('=')?;
            (name.trim().eq_ignore_ascii_case("code"))
                .then(|| value.trim().trim_matches('"').parse().ok())
                .flatten()
        })
}

/// The status of the mock's answer: the one the request prefers, when `statuses`
/// documents it, else the first of them.
pub fn status(parts: &http::request::Parts, statuses: &[u16]) -> u16 {
    let first = statuses.first().copied().unwrap_or(200);
    match preferred(parts) {
        Some(code) if statuses.contains(&code) => code,
        _ => first,
    }
}

/// A value of `T` for rule `rule`: the first of `examples` (JSON texts) the rule accepts
/// and `T` reads, else one made from the rule. A rule nothing can satisfy gives the value
/// nearest to it (`make::nearest`), or the first value `T` reads at all; a type that
/// reads none of them is a fault of the generated crate, and the mock's answer a 500
/// naming it.
pub fn value<T: DeserializeOwned>(rules: &Rules, rule: Option<u32>, examples: &[&str]) -> T {
    let fits =
        |value: &Value| rule.is_none_or(|rule| satisfies(rules, rule, value, Direction::Response));
    let parsed = examples
        .iter()
        .filter_map(|text| serde_json::from_str::<Value>(text).ok());
    let made = rule.and_then(|rule| made(rules, rule));
    // Why the made value does not read as `T`, for the message below.
    let unread = made.clone().map(|made| {
        serde_json::from_value::<T>(made)
            .err()
            .map(|e| e.to_string())
    });
    let valid = parsed.clone().filter(fits).chain(made.clone());
    // A rule no value satisfies still gives the value nearest to it.
    let near = match made {
        Some(_) => None,
        None => rule.map(|rule| nearest(rules, rule, Direction::Response)),
    };
    let fallbacks = made.into_iter().chain(near).chain(parsed).chain([
        Value::Null,
        Value::Object(serde_json::Map::new()),
        Value::Array(Vec::new()),
        Value::String(String::new()),
        Value::from(0),
        Value::Bool(false),
    ]);
    for candidate in valid.chain(fallbacks) {
        if let Ok(typed) = serde_json::from_value(candidate) {
            return typed;
        }
    }
    panic!(
        "the mock cannot make a value of `{}` for the rule {rule:?}: {}",
        std::any::type_name::<T>(),
        match unread {
            Some(Some(error)) => format!("the value made of the rule does not read: {error}"),
            Some(None) => "the value made of the rule reads".to_owned(),
            None => "the rule makes no value".to_owned(),
        }
    )
}

/// The value made of rule `rule` of `rules`, made once per process: a large schema takes
/// a while to make, and the mock answers with the same value every time.
fn made(rules: &Rules, rule: u32) -> Option<Value> {
    /// Made values by the table (its address) and the rule.
    type Made = HashMap<(usize, u32), Option<Value>>;
    static MADE: OnceLock<Mutex<Made>> = OnceLock::new();
    let key = (rules.rules.as_ptr() as usize, rule);
    let cache = MADE.get_or_init(Default::default);
    if let Some(known) = cache.lock().ok().and_then(|cache| cache.get(&key).cloned()) {
        return known;
    }
    let value = make(rules, rule, Direction::Response);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, value.clone());
    }
    value
}

/// A text answer: the first example that is a string, else `"string"`.
pub fn text(examples: &[&str]) -> String {
    examples
        .iter()
        .find_map(|text| match serde_json::from_str::<Value>(text) {
            Ok(Value::String(text)) => Some(text),
            _ => None,
        })
        .unwrap_or_else(|| "string".to_owned())
}

/// A body of bytes: the first example that is a string, as its bytes.
pub fn bytes(examples: &[&str]) -> Vec<u8> {
    text(examples).into_bytes()
}

/// The status of `code`, for a mocked variant that carries its status (a range,
/// `default`): 500 for a code that is none.
pub fn status_code(code: u16) -> http::StatusCode {
    http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
}
