//! Reading parameters: the inverse of what the request builder writes. A parameter's
//! text is found where its place and style put it, split by the same table of styles
//! (`Expansion`: the same separators, joiners and names the builder writes), each piece
//! percent-decoded, read as the types its rule allows (`5` as a number where the schema
//! says integer), checked against the rule, and only then read into its Rust type.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use super::super::style::{Expansion, Style, StyleKind};
use super::check::{self, Direction};
use super::problem::{Place, Violation};
use super::rules::{Rules, Types};

/// One parameter of an operation, as the generated code describes it.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name on the wire.
    pub name: &'static str,
    /// Where it is sent.
    pub place: Place,
    /// How it is written (`Style::JSON` for a parameter described by `content`).
    pub style: Style,
    /// Its rule in the crate's table.
    pub rule: u32,
}

/// The parts of a request parameters are read from, split once.
#[derive(Debug, Default)]
pub struct Source {
    /// Path parameters by name: the raw (still percent-encoded) text of each.
    pub(crate) path: Vec<(&'static str, String)>,
    /// Query pairs in order: the name decoded, the value raw.
    pub(crate) query: Vec<(String, String)>,
    /// Cookie pairs in order: the name, the value raw.
    pub(crate) cookies: Vec<(String, String)>,
    /// The request's headers.
    pub(crate) headers: http::HeaderMap,
    /// The query parameters the operation declares, so an exploded object with no listed
    /// members takes only the others' pairs.
    pub(crate) declared_query: &'static [&'static str],
}

impl Source {
    /// Splits the query of `uri` and the cookies of `headers`.
    pub fn new(uri: &http::Uri, headers: http::HeaderMap) -> Source {
        let query = uri
            .query()
            .map(|query| {
                query
                    .split('&')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| match pair.split_once('=') {
                        Some((name, value)) => (form_decode(name), value.to_owned()),
                        None => (form_decode(pair), String::new()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let cookies = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|line| line.split(';'))
            .filter_map(|pair| {
                let pair = pair.trim();
                let (name, value) = pair.split_once('=')?;
                Some((name.trim().to_owned(), value.trim().to_owned()))
            })
            .collect();
        Source {
            path: Vec::new(),
            query,
            cookies,
            headers,
            declared_query: &[],
        }
    }
}

/// What one parameter's text holds before it is read as its types: nothing, a text, a
/// list of texts or pairs of texts.
#[derive(Debug)]
enum Found {
    Absent,
    Text(String),
    List(Vec<String>),
    Pairs(Vec<(String, String)>),
    /// `deepObject` pairs: each value's path of bracketed keys, and its text.
    Deep(DeepEntries),
    /// A parameter described by `content`: its JSON text.
    Json(String),
    /// A piece that is not UTF-8 once decoded.
    NotText,
    /// Text the style cannot have written (a matrix value without its name, say).
    Malformed(&'static str),
}

/// What shape a rule's values take.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Scalar,
    List,
    Object,
}

fn shape_of(rules: &Rules, rule: u32) -> Shape {
    let types = rules.types(rule);
    let scalars = Types::NULL
        .or(Types::BOOLEAN)
        .or(Types::INTEGER)
        .or(Types::NUMBER)
        .or(Types::STRING);
    if types.meets(Types::ARRAY) && !types.meets(scalars) {
        Shape::List
    } else if types.meets(Types::OBJECT) && !types.meets(scalars) && !types.meets(Types::ARRAY) {
        Shape::Object
    } else {
        Shape::Scalar
    }
}

/// Reads `param` from `source`: its JSON value, checked against its rule, or `Some(None)`
/// when it is absent. What is wrong is pushed onto `violations`, and then `None`.
pub fn read(
    rules: &Rules,
    param: &Param,
    source: &Source,
    violations: &mut Vec<Violation>,
) -> Option<Option<Value>> {
    let shape = shape_of(rules, param.rule);
    let found = match param.place {
        Place::Path => path(param, shape, source),
        Place::Query => query(rules, param, shape, source),
        Place::Header => header(param, shape, source),
        Place::Cookie => cookie(rules, param, shape, source),
        Place::Body => Found::Absent,
    };
    let violation = |keyword: &'static str, detail: String| Violation {
        place: param.place,
        name: param.name.to_owned(),
        pointer: String::new(),
        keyword,
        detail,
    };
    let value = match found {
        Found::Absent => return Some(None),
        Found::NotText => {
            violations.push(violation(
                "type",
                "is not UTF-8 text once percent-decoded".to_owned(),
            ));
            return None;
        }
        Found::Malformed(why) => {
            violations.push(violation("style", why.to_owned()));
            return None;
        }
        Found::Json(text) => match serde_json::from_str::<Value>(&text) {
            Ok(value) => value,
            Err(error) => {
                violations.push(violation("type", format!("is not JSON: {error}")));
                return None;
            }
        },
        Found::Text(text) => scalar(rules, param.rule, text),
        Found::List(items) => {
            let each = rules.items(param.rule);
            Value::Array(
                items
                    .into_iter()
                    .map(|item| match each {
                        Some(each) => scalar(rules, each, item),
                        None => Value::String(item),
                    })
                    .collect(),
            )
        }
        Found::Deep(entries) => deep_value(rules, Some(param.rule), entries),
        Found::Pairs(pairs) => {
            let mut object = Map::new();
            for (key, text) in pairs {
                let value = match rules.property(param.rule, &key) {
                    Some(each) => scalar(rules, each, text),
                    None => Value::String(text),
                };
                object.insert(key, value);
            }
            Value::Object(object)
        }
    };
    let broken = check::check(rules, param.rule, &value, Direction::Request);
    if broken.is_empty() {
        return Some(Some(value));
    }
    violations.extend(broken.into_iter().map(|broken| Violation {
        place: param.place,
        name: param.name.to_owned(),
        pointer: broken.pointer,
        keyword: broken.keyword,
        detail: broken.detail,
    }));
    None
}

/// A text read as the scalar types its rule allows: a number where it parses as one and
/// numbers are allowed, a boolean likewise, else the text (which the check then refuses
/// if text is not allowed either).
/// How deep a `deepObject` key may go: the value is built by recursion, and a request
/// must not choose how deep that goes (serde_json stops JSON at 128 levels likewise).
const DEEP_OBJECT_LEVELS: usize = 64;

/// The path of bracketed keys of a `deepObject` pair's `key` under `name`
/// (`shipping[address][city]`: `address`, `city`); empty for the bare name, `None` for a
/// key of another name, one that is not all brackets, or one deeper than
/// `DEEP_OBJECT_LEVELS`.
pub(crate) fn deep_path(name: &str, key: &str) -> Option<Vec<String>> {
    let mut rest = key.strip_prefix(name)?;
    let mut path = Vec::new();
    while !rest.is_empty() {
        if path.len() == DEEP_OBJECT_LEVELS {
            return None;
        }
        let (segment, after) = rest.strip_prefix('[')?.split_once(']')?;
        path.push(segment.to_owned());
        rest = after;
    }
    Some(path)
}

/// `deepObject` pairs below one value: each its path of keys below it, and its text.
pub(crate) type DeepEntries = Vec<(Vec<String>, String)>;

/// The value of `deepObject` pairs (each its path below the parameter and its text),
/// shaped by `rule`: a list's items by index (`[0]`, `[1]`; `[]` and the bare name add
/// one each, as generic form writers send lists), an object's members by key, a scalar
/// read as its rule says. Keys a list cannot have make an object, which its check then
/// refuses as the wrong type.
pub(crate) fn deep_value(rules: &Rules, rule: Option<u32>, entries: DeepEntries) -> Value {
    let index = |segment: &str| segment.parse::<usize>().ok();
    let by_index = |bare: bool| {
        entries.iter().all(|(path, _)| match path.first() {
            Some(first) => first.is_empty() || index(first).is_some(),
            None => bare,
        })
    };
    // A list where the rule says list (items may come bare), or where it admits one
    // among other types (Stripe's `anyOf: [array, ""]`) and every key is an index.
    let is_list = match rule {
        Some(rule) if shape_of(rules, rule) == Shape::List => by_index(true),
        Some(rule) => rules.types(rule).meets(Types::ARRAY) && by_index(false),
        None => by_index(false),
    };
    if is_list {
        let each = rule.and_then(|rule| rules.items(rule));
        let mut indexed: BTreeMap<usize, DeepEntries> = BTreeMap::new();
        let mut appended = Vec::new();
        for (mut path, text) in entries {
            if path.is_empty() {
                appended.push(vec![(path, text)]);
                continue;
            }
            let rest = path.split_off(1);
            match index(&path[0]) {
                Some(at) => indexed.entry(at).or_default().push((rest, text)),
                None => appended.push(vec![(rest, text)]),
            }
        }
        return Value::Array(
            indexed
                .into_values()
                .chain(appended)
                .map(|item| deep_value(rules, each, item))
                .collect(),
        );
    }
    if entries.iter().all(|(path, _)| path.is_empty()) {
        let text = entries
            .into_iter()
            .next()
            .map(|(_, text)| text)
            .unwrap_or_default();
        return match rule {
            Some(rule) => scalar(rules, rule, text),
            None => Value::String(text),
        };
    }
    // Members in the order they first come, found by key in a map: a body may hold
    // many thousands of them, and a search of the list per pair would be quadratic.
    let mut members: Vec<(String, DeepEntries)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (mut path, text) in entries {
        if path.is_empty() {
            continue;
        }
        let rest = path.split_off(1);
        let key = path.pop().unwrap_or_default();
        match at.get(&key) {
            Some(&index) => members[index].1.push((rest, text)),
            None => {
                at.insert(key.clone(), members.len());
                members.push((key, vec![(rest, text)]));
            }
        }
    }
    let mut object: Map<String, Value> = members
        .into_iter()
        .map(|(key, entries)| {
            let each = rule.and_then(|rule| rules.property(rule, &key));
            let value = deep_value(rules, each, entries);
            (key, value)
        })
        .collect();
    if let Some(rule) = rule {
        fill_empty_members(rules, rule, true, &mut object);
    }
    Value::Object(object)
}

/// Reads as `{}` or `[]` the required members of an object read from a form (a
/// `deepObject` value, a URL-encoded body) that are not there, where that empty value is
/// valid for the member. A form writes an empty object or list as no pair at all (there
/// is no scalar to write), so a request that leaves such a member out is the very text
/// of one that holds it empty: Stripe's `shipping[name]=` alone is `shipping` with
/// `address: {}`, which its schema allows.
///
/// A member only a branch of a `oneOf` or `anyOf` requires is filled in only when that
/// makes the whole object valid: filled in regardless, it could break another branch
/// that the object matched as it was.
///
/// `objects` says whether an empty object is written as nothing too: not in multipart,
/// where it is a JSON part `{}`. A member that may be text (bytes, which the reader
/// takes as a list of byte values when not UTF-8) is never filled in: an empty text is
/// a pair or a part of its own.
pub(crate) fn fill_empty_members(
    rules: &Rules,
    rule: u32,
    objects: bool,
    object: &mut Map<String, Value>,
) {
    let empty_for = |name: &str| {
        let each = rules.property(rule, name)?;
        let types = rules.types(each);
        if types.meets(Types::STRING.or(Types::NUMBER)) {
            return None;
        }
        let object = (objects && types.meets(Types::OBJECT)).then(|| Value::Object(Map::new()));
        let list = types.meets(Types::ARRAY).then(|| Value::Array(Vec::new()));
        [object, list]
            .into_iter()
            .flatten()
            .find(|empty| check::check(rules, each, empty, Direction::Request).is_empty())
    };
    let mut always = Vec::new();
    required_names(rules, rule, false, 0, &mut always);
    for name in always {
        if !object.contains_key(name) {
            if let Some(empty) = empty_for(name) {
                object.insert(name.to_owned(), empty);
            }
        }
    }
    let mut in_branches = Vec::new();
    required_names(rules, rule, true, 0, &mut in_branches);
    let mut filled = object.clone();
    for name in in_branches {
        if !filled.contains_key(name) {
            if let Some(empty) = empty_for(name) {
                filled.insert(name.to_owned(), empty);
            }
        }
    }
    if filled.len() == object.len() {
        return;
    }
    let valid = |object: &Map<String, Value>| {
        check::check(
            rules,
            rule,
            &Value::Object(object.clone()),
            Direction::Request,
        )
        .is_empty()
    };
    if !valid(object) && valid(&filled) {
        *object = filled;
    }
}

/// The names rule `index` requires, with those of its `allOf` rules, and with
/// `branches` those of its `anyOf` and `oneOf` rules too.
fn required_names(
    rules: &Rules,
    index: u32,
    branches: bool,
    depth: usize,
    names: &mut Vec<&'static str>,
) {
    let rule = rules.get(index);
    for name in rule.required {
        if !names.contains(name) {
            names.push(name);
        }
    }
    if depth >= 16 {
        return;
    }
    let unions: &[u32] = if branches { rule.any_of } else { &[] };
    let more: &[u32] = if branches { rule.one_of } else { &[] };
    for &each in rule.all_of.iter().chain(unions).chain(more) {
        required_names(rules, each, branches, depth + 1, names);
    }
}

pub(crate) fn scalar(rules: &Rules, rule: u32, text: String) -> Value {
    let types = rules.types(rule);
    let numeric = types.meets(Types::INTEGER.or(Types::NUMBER));
    if numeric && types != Types::ANY {
        if let Ok(integer) = text.parse::<i64>() {
            return Value::Number(integer.into());
        }
        if let Ok(integer) = text.parse::<u64>() {
            return Value::Number(integer.into());
        }
        let plain = text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
        if let Some(number) = text
            .parse::<f64>()
            .ok()
            .filter(|_| plain)
            .and_then(Number::from_f64)
        {
            return Value::Number(number);
        }
    }
    if types.meets(Types::BOOLEAN) && types != Types::ANY {
        match text.as_str() {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    if types.meets(Types::NULL) && !types.meets(Types::STRING) && text == "null" {
        return Value::Null;
    }
    Value::String(text)
}

/// Percent-decodes `text` (a path, cookie or header piece).
fn decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Percent-decodes a piece of a query or URL-encoded body, where `+` is a space.
pub(crate) fn form_decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

fn form_decode_strict(text: &str) -> Option<String> {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Splits `text` at every `joiner`, also where it is written unencoded or, for a space,
/// as `+`.
fn split_joined<'t>(text: &'t str, joiner: &str) -> Vec<&'t str> {
    let alternatives: &[&str] = match joiner {
        "%20" => &["%20", "+", " "],
        "%7C" => &["%7C", "%7c", "|"],
        "%09" => &["%09", "\t"],
        other => {
            return text.split(other).collect();
        }
    };
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let next = alternatives
            .iter()
            .filter_map(|alternative| rest.find(alternative).map(|at| (at, alternative.len())))
            .min();
        match next {
            Some((at, length)) => {
                pieces.push(&rest[..at]);
                rest = &rest[at + length..];
            }
            None => {
                pieces.push(rest);
                return pieces;
            }
        }
    }
}

/// Pieces decoded with `decode`; `NotText` when one is not UTF-8. One empty piece is
/// an empty list (`ids=`), as clients write one.
fn decoded_list(pieces: Vec<&str>, decode: fn(&str) -> Option<String>) -> Found {
    if pieces == [""] {
        return Found::List(Vec::new());
    }
    match pieces.into_iter().map(decode).collect::<Option<Vec<_>>>() {
        Some(items) => Found::List(items),
        None => Found::NotText,
    }
}

/// `k,v,k,v` (or `k=v` items, when `named`) as pairs.
fn decoded_pairs(pieces: Vec<&str>, named: bool, decode: fn(&str) -> Option<String>) -> Found {
    let mut pairs = Vec::new();
    if named {
        for piece in pieces {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            match (decode(key), decode(value)) {
                (Some(key), Some(value)) => pairs.push((key, value)),
                _ => return Found::NotText,
            }
        }
    } else {
        if pieces.len() % 2 != 0 {
            return Found::Malformed("an object not exploded alternates keys and values");
        }
        for pair in pieces.chunks(2) {
            match (decode(pair[0]), decode(pair[1])) {
                (Some(key), Some(value)) => pairs.push((key, value)),
                _ => return Found::NotText,
            }
        }
    }
    Found::Pairs(pairs)
}

fn path(param: &Param, shape: Shape, source: &Source) -> Found {
    let Some((_, raw)) = source.path.iter().find(|(name, _)| *name == param.name) else {
        return Found::Absent;
    };
    if param.style.kind == StyleKind::Json {
        return decode(raw).map_or(Found::NotText, Found::Json);
    }
    let expansion = Expansion::path(param.style);
    let Some(text) = raw.strip_prefix(expansion.first) else {
        return Found::Malformed("the value lacks the prefix its style writes");
    };
    if text.is_empty() && expansion.first.is_empty() {
        return Found::Absent;
    }
    unnamed_or_named(param.name, text, shape, &expansion, decode)
}

/// A path or header value, by an expansion whose items may be named (`matrix`).
fn unnamed_or_named(
    name: &str,
    text: &str,
    shape: Shape,
    expansion: &Expansion,
    decode: fn(&str) -> Option<String>,
) -> Found {
    let strip_name = |piece: &str| -> Option<String> {
        let piece = piece.strip_prefix(name)?;
        Some(piece.strip_prefix('=').unwrap_or(piece).to_owned())
    };
    if expansion.named {
        // matrix: `;color=blue`, `;color=blue,black`, `;color=blue;color=black`,
        // `;R=100;G=200`.
        match (shape, expansion.explode) {
            (Shape::List, true) => {
                let mut items = Vec::new();
                for piece in text.split(expansion.separator) {
                    match strip_name(piece) {
                        Some(value) => items.push(value),
                        None => {
                            return Found::Malformed("a matrix item lacks the parameter's name")
                        }
                    }
                }
                decoded_list(items.iter().map(String::as_str).collect(), decode)
            }
            (Shape::Object, true) => {
                decoded_pairs(text.split(expansion.separator).collect(), true, decode)
            }
            _ => {
                let Some(value) = strip_name(text) else {
                    return Found::Malformed("a matrix value lacks the parameter's name");
                };
                match shape {
                    Shape::Scalar => decode(&value).map_or(Found::NotText, Found::Text),
                    Shape::List => decoded_list(value.split(expansion.joiner).collect(), decode),
                    Shape::Object => {
                        decoded_pairs(value.split(expansion.joiner).collect(), false, decode)
                    }
                }
            }
        }
    } else {
        match shape {
            Shape::Scalar => decode(text).map_or(Found::NotText, Found::Text),
            Shape::List => {
                let separator = if expansion.explode {
                    expansion.separator
                } else {
                    expansion.joiner
                };
                decoded_list(text.split(separator).collect(), decode)
            }
            Shape::Object if expansion.explode => {
                decoded_pairs(text.split(expansion.separator).collect(), true, decode)
            }
            Shape::Object => decoded_pairs(text.split(expansion.joiner).collect(), false, decode),
        }
    }
}

fn query(rules: &Rules, param: &Param, shape: Shape, source: &Source) -> Found {
    let named = |name: &'static str| {
        source
            .query
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    if param.style.kind == StyleKind::Json {
        return match named(param.name).next() {
            Some(raw) => form_decode_strict(raw).map_or(Found::NotText, Found::Json),
            None => Found::Absent,
        };
    }
    let Some(expansion) = Expansion::query(param.style, super::super::style::Escape::URI) else {
        // deepObject: `name[key]=value`, and deeper (`name[a][0]=value`).
        let mut entries = Vec::new();
        for (key, value) in &source.query {
            if let Some(path) = deep_path(param.name, key) {
                match form_decode_strict(value) {
                    Some(value) => entries.push((path, value)),
                    None => return Found::NotText,
                }
            }
        }
        return if entries.is_empty() {
            Found::Absent
        } else {
            Found::Deep(entries)
        };
    };
    match (shape, expansion.explode) {
        (Shape::Scalar, _) => match named(param.name).next() {
            Some(raw) => form_decode_strict(raw).map_or(Found::NotText, Found::Text),
            None => Found::Absent,
        },
        (Shape::List, true) => {
            let items: Vec<&str> = named(param.name).collect();
            if items.is_empty() {
                Found::Absent
            } else {
                decoded_list(items, form_decode_strict)
            }
        }
        (Shape::Object, true) => {
            // Each member is a pair of its own: those the object lists, or, when it lists
            // none, every pair no other parameter takes.
            let mut pairs = Vec::new();
            for (key, value) in &source.query {
                let elsewhere = key != param.name && source.declared_query.contains(&key.as_str());
                let listed = !elsewhere && rules.property(param.rule, key).is_some();
                if listed {
                    match form_decode_strict(value) {
                        Some(value) => pairs.push((key.clone(), value)),
                        None => return Found::NotText,
                    }
                }
            }
            if pairs.is_empty() {
                Found::Absent
            } else {
                Found::Pairs(pairs)
            }
        }
        (Shape::List | Shape::Object, false) => {
            let Some(raw) = named(param.name).next() else {
                return Found::Absent;
            };
            let pieces = split_joined(raw, expansion.joiner);
            if shape == Shape::List {
                decoded_list(pieces, form_decode_strict)
            } else {
                decoded_pairs(pieces, false, form_decode_strict)
            }
        }
    }
}

fn header(param: &Param, shape: Shape, source: &Source) -> Found {
    let mut lines = source.headers.get_all(param.name).iter().peekable();
    if lines.peek().is_none() {
        return Found::Absent;
    }
    let mut texts = Vec::new();
    for line in lines {
        match line.to_str() {
            Ok(text) => texts.push(text.trim()),
            Err(_) => return Found::NotText,
        }
    }
    // Several lines of one header are one list (RFC 9110, 5.3).
    let text = texts.join(",");
    if param.style.kind == StyleKind::Json {
        return Found::Json(text);
    }
    let expansion = Expansion::header(param.style);
    let verbatim = |piece: &str| Some(piece.trim().to_owned());
    unnamed_or_named(param.name, &text, shape, &expansion, verbatim)
}

fn cookie(rules: &Rules, param: &Param, shape: Shape, source: &Source) -> Found {
    let named: Vec<&str> = source
        .cookies
        .iter()
        .filter(|(key, _)| key == param.name)
        .map(|(_, value)| value.as_str())
        .collect();
    let expansion = Expansion::cookie(param.style);
    match (shape, expansion.explode) {
        (Shape::Object, true) => {
            let mut pairs = Vec::new();
            for (key, value) in &source.cookies {
                if rules.property(param.rule, key).is_some() {
                    match decode(value) {
                        Some(value) => pairs.push((key.clone(), value)),
                        None => return Found::NotText,
                    }
                }
            }
            if pairs.is_empty() {
                Found::Absent
            } else {
                Found::Pairs(pairs)
            }
        }
        _ if named.is_empty() => Found::Absent,
        (Shape::Scalar, _) => decode(named[0]).map_or(Found::NotText, Found::Text),
        (Shape::List, true) => decoded_list(named, decode),
        (Shape::List, false) => decoded_list(named[0].split(expansion.joiner).collect(), decode),
        (Shape::Object, false) => {
            decoded_pairs(named[0].split(expansion.joiner).collect(), false, decode)
        }
    }
}

/// Finds the path parameters of `template` in `path`: each piece of the template is a
/// literal text (as the route writes it, percent-encoded) or a parameter, which takes the
/// raw text up to the next literal within its segment. `None` when the path does not
/// have the template's shape.
pub fn match_path(template: &'static [Piece], path: &str) -> Option<Vec<(&'static str, String)>> {
    let mut found = Vec::new();
    let mut rest = path;
    let mut pieces = template.iter().peekable();
    while let Some(piece) = pieces.next() {
        match piece {
            Piece::Literal(text) => rest = rest.strip_prefix(*text)?,
            Piece::Param(name) => {
                let segment_end = rest.find('/').unwrap_or(rest.len());
                let end = match pieces.peek() {
                    Some(Piece::Literal(next)) if !next.starts_with('/') => {
                        rest[..segment_end].find(*next)?
                    }
                    _ => segment_end,
                };
                found.push((*name, rest[..end].to_owned()));
                rest = &rest[end..];
            }
            // The query is not the path's: `dispatch` reads these pairs.
            Piece::Query(_) | Piece::QueryParam(_) => {}
        }
    }
    rest.is_empty().then_some(found)
}

/// A piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Text written as it is, percent-encoded where the path needs it.
    Literal(&'static str),
    /// The value of the path parameter of this name.
    Param(&'static str),
    /// A query pair the path key carries (`method=flickr.photos.search`), after the
    /// path's pieces: it tells apart operations that share a path.
    Query(&'static str),
    /// A query parameter the path key names (`lat` of `/alerts?lat={lat}`): present, it
    /// tells apart operations that share a path.
    QueryParam(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::rules::{Rule, Types};

    static TABLE: [Rule; 10] = [
        Rule {
            types: Types::ARRAY,
            items: Some(1),
            ..Rule::ANY
        },
        Rule {
            types: Types::INTEGER,
            ..Rule::ANY
        },
        Rule {
            types: Types::OBJECT,
            properties: &[("R", 1), ("G", 1)],
            ..Rule::ANY
        },
        Rule {
            types: Types::STRING,
            ..Rule::ANY
        },
        // Stripe's `anyOf: [array of integers, enum [""]]`, as its types and items.
        Rule {
            types: Types::ARRAY.or(Types::STRING),
            items: Some(1),
            ..Rule::ANY
        },
        // Stripe's `shipping`: `anyOf: [customer_shipping, enum [""]]`.
        Rule {
            any_of: &[6, 7],
            ..Rule::ANY
        },
        Rule {
            types: Types::OBJECT,
            properties: &[("address", 8), ("name", 3)],
            required: &["address", "name"],
            ..Rule::ANY
        },
        Rule {
            types: Types::STRING,
            max_length: Some(0),
            ..Rule::ANY
        },
        // An address whose every member is optional.
        Rule {
            types: Types::OBJECT,
            properties: &[("city", 3)],
            ..Rule::ANY
        },
        Rule {
            types: Types::OBJECT,
            properties: &[("tags", 0), ("address", 8)],
            required: &["tags", "address"],
            ..Rule::ANY
        },
    ];

    fn rules() -> Rules {
        Rules {
            rules: &TABLE,
            patterns: &[],
        }
    }

    fn read_one(param: Param, source: &Source) -> Result<Option<Value>, Vec<Violation>> {
        let mut violations = Vec::new();
        read(&rules(), &param, source, &mut violations).ok_or(violations)
    }

    fn query_source(query: &str) -> Source {
        let uri: http::Uri = format!("/x?{query}").parse().unwrap();
        Source::new(&uri, http::HeaderMap::new())
    }

    #[test]
    fn query_styles_read_what_the_builder_writes() {
        let list = |style| Param {
            name: "color",
            place: Place::Query,
            style,
            rule: 0,
        };
        let cases = [
            (Style::FORM, "color=1&color=2&color=3"),
            (Style::FORM.explode(false), "color=1,2,3"),
            (Style::SPACE_DELIMITED, "color=1%202%203"),
            (Style::PIPE_DELIMITED, "color=1%7C2%7C3"),
        ];
        for (style, query) in cases {
            let read = read_one(list(style), &query_source(query)).unwrap();
            assert_eq!(read, Some(serde_json::json!([1, 2, 3])), "{query}");
        }
        let object = Param {
            name: "color",
            place: Place::Query,
            style: Style::DEEP_OBJECT,
            rule: 2,
        };
        let read = read_one(object, &query_source("color%5BR%5D=100&color%5BG%5D=200")).unwrap();
        assert_eq!(read, Some(serde_json::json!({"R": 100, "G": 200})));
        let text = Param {
            name: "q",
            place: Place::Query,
            style: Style::FORM,
            rule: 3,
        };
        let read = read_one(text, &query_source("q=a%2Cb%26c%3D+%C3%A9")).unwrap();
        assert_eq!(read, Some(serde_json::json!("a,b&c= é")));
    }

    /// `deepObject` deeper than one level, as the builder writes it (`[0]`, `[a][b]`), and
    /// the list spellings of generic form writers (`[]`, the bare name repeated).
    #[test]
    fn deep_objects_nest_and_list_by_index() {
        let param = |rule| Param {
            name: "color",
            place: Place::Query,
            style: Style::DEEP_OBJECT,
            rule,
        };
        for query in [
            "color%5B1%5D=2&color%5B0%5D=1&color%5B2%5D=3",
            "color%5B%5D=1&color%5B%5D=2&color%5B%5D=3",
            "color=1&color=2&color=3",
        ] {
            let read = read_one(param(0), &query_source(query)).unwrap();
            assert_eq!(read, Some(serde_json::json!([1, 2, 3])), "{query}");
        }
        assert_eq!(
            deep_path("shipping", "shipping[address][city]"),
            Some(vec!["address".to_owned(), "city".to_owned()])
        );
        assert_eq!(deep_path("shipping", "shipping[address"), None);
        assert_eq!(deep_path("shipping", "shippingx"), None);
        // A request does not choose how deep the reader recurses.
        let deep = format!("shipping{}", "[a]".repeat(DEEP_OBJECT_LEVELS));
        assert_eq!(
            deep_path("shipping", &deep).map(|p| p.len()),
            Some(DEEP_OBJECT_LEVELS)
        );
        assert_eq!(deep_path("shipping", &format!("{deep}[a]")), None);
        // Without a rule (a member the schema does not list), indices still make a list.
        let entries = vec![
            (vec!["a".to_owned(), "0".to_owned()], "x".to_owned()),
            (
                vec!["a".to_owned(), "1".to_owned(), "b".to_owned()],
                "y".to_owned(),
            ),
            (vec!["c".to_owned()], "z".to_owned()),
        ];
        assert_eq!(
            deep_value(&rules(), None, entries),
            serde_json::json!({"a": ["x", {"b": "y"}], "c": "z"})
        );
        // A union of a list and a string: indices make the list, the bare name the text.
        let read = read_one(param(4), &query_source("color%5B0%5D=1&color%5B1%5D=2"));
        assert_eq!(read.unwrap(), Some(serde_json::json!([1, 2])));
        let read = read_one(param(4), &query_source("color="));
        assert_eq!(read.unwrap(), Some(serde_json::json!("")));
        // An object's members by key: a key a list cannot have is an object, refused.
        let read = read_one(param(0), &query_source("color%5Bx%5D=1"));
        assert!(read.is_err(), "{read:?}");
    }

    #[test]
    fn a_required_member_a_form_writes_as_nothing_reads_as_empty() {
        let param = |rule| Param {
            name: "shipping",
            place: Place::Query,
            style: Style::DEEP_OBJECT,
            rule,
        };
        // `address: {}` and `tags: []` are written as no pair at all.
        let read = read_one(param(9), &query_source("shipping%5Baddress%5D%5Bcity%5D=P"));
        assert_eq!(
            read.unwrap(),
            Some(serde_json::json!({"address": {"city": "P"}, "tags": []}))
        );
        let read = read_one(param(9), &query_source("shipping%5Btags%5D%5B0%5D=1"));
        assert_eq!(
            read.unwrap(),
            Some(serde_json::json!({"address": {}, "tags": [1]}))
        );
        // Required by a branch of an `anyOf`: filled in when that makes the value valid.
        let read = read_one(param(5), &query_source("shipping%5Bname%5D=Jo"));
        assert_eq!(
            read.unwrap(),
            Some(serde_json::json!({"address": {}, "name": "Jo"}))
        );
        // and not when the value stays invalid: what is missing is named as it was.
        let violations = read_one(param(5), &query_source("shipping%5Bphone%5D=1")).unwrap_err();
        assert!(!violations.is_empty());
        let read = read_one(param(5), &query_source("shipping="));
        assert_eq!(read.unwrap(), Some(serde_json::json!("")));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_a_violation_naming_the_parameter() {
        let param = Param {
            name: "color",
            place: Place::Query,
            style: Style::FORM,
            rule: 0,
        };
        let violations = read_one(param, &query_source("color=1&color=x")).unwrap_err();
        assert_eq!(violations.len(), 1);
        assert_eq!(violations[0].location(), "query.color");
        assert_eq!(violations[0].pointer, "/1");
        assert_eq!(violations[0].keyword, "type");
    }

    #[test]
    fn path_styles_and_templates() {
        static TEMPLATE: [Piece; 4] = [
            Piece::Literal("/files/"),
            Piece::Param("name"),
            Piece::Literal("."),
            Piece::Param("ext"),
        ];
        let found = match_path(&TEMPLATE, "/files/a%2Fb.txt").unwrap();
        assert_eq!(
            found,
            [("name", "a%2Fb".to_owned()), ("ext", "txt".to_owned())]
        );
        assert!(match_path(&TEMPLATE, "/files/a/b.txt").is_none());
        let mut source = Source {
            path: vec![("id", ";id=1,2".to_owned())],
            ..Source::default()
        };
        let param = Param {
            name: "id",
            place: Place::Path,
            style: Style::MATRIX,
            rule: 0,
        };
        assert_eq!(
            read_one(param, &source).unwrap(),
            Some(serde_json::json!([1, 2]))
        );
        source.path = vec![("id", ".1.2".to_owned())];
        let label = Param {
            style: Style::LABEL.explode(true),
            ..param
        };
        assert_eq!(
            read_one(label, &source).unwrap(),
            Some(serde_json::json!([1, 2]))
        );
    }
}
