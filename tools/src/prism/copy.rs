//! The copy of the description that Prism serves: the description as written, with two
//! kinds of change, each listed in the run's output so nothing is changed unseen.
//!
//! - The media types the generator assumes are stated: a Swagger 2.0 operation without
//!   `consumes` or `produces` (and none at the top) is read as JSON by the generator
//!   (forms as `multipart/form-data` or URL-encoded), but Prism refuses every body of
//!   such an operation (415) and validates nothing else of it.
//! - An example that contradicts its own schema is replaced by a value of the schema (made
//!   by the same value maker the requests use), or removed when none can be made: Prism
//!   serves examples as they are, and a mock answer that breaks the description is
//!   Prism's answer, not the API's.
//! - A pattern that is no regular expression with the `u` flag, which Prism's ajv
//!   compiles patterns with, is served without the escapes the flag refuses (`\-`
//!   outside a class, `\:`, `\_`: the same characters without the flag). Prism skips a
//!   schema it cannot compile, and with it everything else at that place (every query
//!   parameter of the operation, or the whole body); a pattern that cannot be mended so
//!   is listed as left unchecked ([`Copy::unchecked`]).
//! - A path key with a fragment (`/tags/{arn}#tagKeys`, AWS's way of giving one path
//!   several operations) is served with its `#` escaped (`/tags/{arn}%23tagKeys`), and
//!   requests to its operations carry that text after their path ([`Copy::routes`]).
//!   A client never sends a fragment, but Prism 5.14.2 matches the key's fragment as
//!   text of the path, so as written no request can reach such an operation (NOTES.md).
//! - A path key with a query (`/alerts?lat={lat}&lon={lon}`, `/rest?method=…`) is served
//!   as its path (`/alerts`), its variables as the query parameters the generator makes
//!   them, and each pair without a variable as a required query parameter of that one
//!   value. Prism 5.14.2 matches the key's query as text of the path too, which no
//!   request holds. Keys that share a path once their queries are set aside are served
//!   as written: Prism could not tell them apart.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use oracle::document::child;
use oracle::source::Seeded;
use oracle::validate::Checks;
use oracle::values::{Direction, Maker, Options};
use oracle::Document;

/// The copy, and what was changed: pointer and what.
pub struct Copy {
    pub root: Value,
    pub changes: Vec<(String, String)>,
    /// By operation pointer: the text its requests carry after their path so that Prism
    /// routes them to it (the escaped fragment of its path key, `%23tagKeys`).
    pub routes: BTreeMap<String, String>,
    /// Where Prism validates nothing, and why: a pattern it cannot compile.
    pub unchecked: Vec<(String, String)>,
}

/// Whether each pattern compiles as a JavaScript `RegExp`: with the `u` flag, and
/// without ([`super::server::regexp_compiles`]).
pub type Compiles<'a> = &'a dyn Fn(&[String]) -> Result<Vec<(bool, bool)>, String>;

/// The methods of a Path Item Object.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn copy(doc: &Document, compiles: Compiles) -> Result<Copy, String> {
    let mut copy = Copy {
        root: doc.root.clone(),
        changes: Vec::new(),
        routes: BTreeMap::new(),
        unchecked: Vec::new(),
    };
    if doc.version().starts_with('2') {
        state_media_types(doc, &mut copy);
    }
    let checks = Checks::new(doc);
    let mut found = Vec::new();
    examples(&doc.root, "#", &mut found);
    for example in found {
        replace(doc, &checks, &example, &mut copy);
    }
    unicode_patterns(doc, compiles, &mut copy)?;
    // Last: the changes above point into `paths` by the keys as written.
    escape_fragments(doc, &mut copy);
    serve_key_queries(doc, &mut copy);
    Ok(copy)
}

/// Every `pattern` of the description's schemas (and Swagger 2.0 parameters): where it
/// is, and the pattern.
fn patterns(node: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
    match node {
        Value::Object(fields) => {
            for (key, value) in fields {
                let at = child(pointer, key);
                match (key.as_str(), value) {
                    ("pattern", Value::String(pattern)) => found.push((at, pattern.clone())),
                    // Data, not schemas.
                    ("example" | "examples" | "x-example" | "default" | "enum" | "const", _) => {}
                    (key, _) if key.starts_with("x-") => {}
                    _ => patterns(value, &at, found),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                patterns(item, &child(pointer, &index.to_string()), found);
            }
        }
        _ => {}
    }
}

/// `pattern` without the identity escapes the `u` flag refuses: a backslash before a
/// character that is not a letter, a digit, a syntax character or `/` (and not `-` in a
/// class) means that character, and the flag refuses it. What it matches is the same.
pub fn without_identity_escapes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next)
                    if next.is_ascii_alphanumeric()
                        || "^$\\.*+?()[]{}|/".contains(next)
                        || (next == '-' && in_class) =>
                {
                    out.push('\\');
                    out.push(next);
                }
                Some(next) => out.push(next),
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Mends the patterns Prism cannot compile (see the module's documentation).
fn unicode_patterns(doc: &Document, compiles: Compiles, copy: &mut Copy) -> Result<(), String> {
    let mut found = Vec::new();
    patterns(&doc.root, "#", &mut found);
    let mut distinct: Vec<String> = found.iter().map(|(_, p)| p.clone()).collect();
    distinct.sort();
    distinct.dedup();
    let answers = compiles(&distinct)?;
    // Patterns Prism refuses that JavaScript reads without the flag.
    let refused: Vec<&String> = distinct
        .iter()
        .zip(&answers)
        .filter(|(_, (unicode, plain))| !unicode && *plain)
        .map(|(pattern, _)| pattern)
        .collect();
    let mended: Vec<String> = refused
        .iter()
        .map(|p| without_identity_escapes(p))
        .collect();
    let mended_answers = compiles(&mended)?;
    for (at, pattern) in &found {
        let Some(index) = refused.iter().position(|p| *p == pattern) else {
            continue;
        };
        if !mended_answers[index].0 {
            copy.unchecked.push((
                at.clone(),
                format!("Prism validates nothing of the schemas holding the pattern `{pattern}`: it is no regular expression with the u flag, which Prism compiles patterns with"),
            ));
            continue;
        }
        let mended = &mended[index];
        let path = oracle::document::percent_decode(&at[1..]);
        if let Some(slot) = copy.root.pointer_mut(&path) {
            *slot = Value::String(mended.clone());
            copy.changes.push((
                at.clone(),
                format!("`{pattern}` served as `{mended}`: Prism compiles patterns with the u flag, which refuses these escapes, and then validates nothing of the schema"),
            ));
        }
    }
    Ok(())
}

/// Orders the path keys of `root` by their literal text (what is not a `{parameter}`),
/// fewest characters first, keeping the order of equals; whether that changed anything.
/// Prism's router takes the later of two keys that match a request's path alike
/// ([`super::router`]), so the more particular (`/collection/processed.{type}` beside
/// `/collection/{id}.{type}`) must come later.
pub fn order_paths(root: &mut Value) -> bool {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return false;
    };
    let literal = |key: &str| {
        let mut count = 0;
        let mut inside = false;
        for c in key.chars() {
            match c {
                '{' => inside = true,
                '}' => inside = false,
                _ if !inside => count += 1,
                _ => {}
            }
        }
        count
    };
    let mut entries: Vec<(String, Value)> = std::mem::take(paths).into_iter().collect();
    let before: Vec<String> = entries.iter().map(|(key, _)| key.clone()).collect();
    entries.sort_by_key(|(key, _)| literal(key));
    let changed = entries.iter().map(|(key, _)| key).ne(before.iter());
    paths.extend(entries);
    changed
}

/// A path key with a fragment (`/tags/{arn}#tagKeys`): the key Prism serves
/// (`/tags/{arn}%23tagKeys`) and the text after the path of every request to it
/// (`%23tagKeys`). None without a fragment, or when the fragment names a parameter
/// (its value is never sent, so no request could match the key).
pub fn fragment_route(key: &str) -> Option<(String, String)> {
    let (path, fragment) = key.split_once('#')?;
    if fragment.contains(['{', '}']) {
        return None;
    }
    // Prism matches path parameters against the key's text as it is (uri-template-lite)
    // and literal segments after percent-decoding both: the request must carry exactly
    // the key's text, so anything a path cannot hold is escaped in both.
    let mut suffix = String::from("%23");
    for byte in fragment.bytes() {
        let pchar = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&byte);
        if pchar {
            suffix.push(char::from(byte));
        } else {
            suffix.push_str(&format!("%{byte:02X}"));
        }
    }
    Some((format!("{path}{suffix}"), suffix))
}

/// Serves every path key with a fragment under its escaped key ([`fragment_route`]) and
/// records the text its operations' requests carry.
fn escape_fragments(doc: &Document, copy: &mut Copy) {
    let Some(Value::Object(paths)) = copy.root.get_mut("paths") else {
        return;
    };
    // Rebuilt in the same order, keys renamed in place.
    let mut served_paths = Map::new();
    for (key, item) in std::mem::take(paths) {
        let route = fragment_route(&key).filter(|(served, _)| {
            doc.root
                .get("paths")
                .is_some_and(|paths| paths.get(served).is_none())
        });
        let Some((served, suffix)) = route else {
            served_paths.insert(key, item);
            continue;
        };
        let pointer = child("#/paths", &key);
        // The operations' pointers as the generator has them: through a `$ref`.
        let (item_pointer, resolved) = doc.resolve(&item, &pointer);
        for method in METHODS {
            if resolved.get(*method).is_some() {
                copy.routes
                    .insert(child(&item_pointer, method), suffix.clone());
            }
        }
        served_paths.insert(served.clone(), item);
        copy.changes.push((
            pointer,
            format!(
                "served as `{served}`, and its requests carry `{suffix}` after their path: Prism matches a fragment of the key as text of the path, which no request holds"
            ),
        ));
    }
    *paths = served_paths;
}

/// A pair of a path key's query: its name, and `Ok(variable)` or `Err(value)`.
pub type KeyPair<'k> = (&'k str, Result<&'k str, &'k str>);

/// The path a key with a query is served as (`/alerts` of `/alerts?lat={lat}`), and its
/// query's pairs. None without a query, with a fragment, or with a pair the generator
/// does not send.
pub fn key_query(key: &str) -> Option<(&str, Vec<KeyPair<'_>>)> {
    if key.contains('#') {
        return None;
    }
    let (path, query) = key.split_once('?')?;
    let mut pairs = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name.is_empty() || name.contains(['{', '}']) {
            return None;
        }
        let variable = value.strip_prefix('{').and_then(|v| v.strip_suffix('}'));
        match variable {
            Some(variable) if !variable.contains(['{', '}']) => pairs.push((name, Ok(variable))),
            None if !value.contains(['{', '}']) => pairs.push((name, Err(value))),
            _ => return None,
        }
    }
    Some((path, pairs))
}

/// Serves every path key with a query as its path ([`key_query`]): the path parameters
/// its variables name become query parameters of the pairs' names, and each pair
/// without a variable a required query parameter whose one value is the pair's.
fn serve_key_queries(doc: &Document, copy: &mut Copy) {
    let Some(Value::Object(paths)) = copy.root.get("paths") else {
        return;
    };
    // How many keys each path would be served as, the keys as written among them.
    let mut served_count: BTreeMap<&str, usize> = BTreeMap::new();
    for key in paths.keys() {
        let path = key_query(key).map_or(key.as_str(), |(path, _)| path);
        *served_count.entry(path).or_default() += 1;
    }
    let alone: Vec<String> = paths
        .keys()
        .filter(|key| key_query(key).is_some_and(|(path, _)| served_count[path] == 1))
        .cloned()
        .collect();
    let Some(Value::Object(paths)) = copy.root.get_mut("paths") else {
        return;
    };
    let mut served_paths = Map::new();
    for (key, item) in std::mem::take(paths) {
        let Some((path, pairs)) = key_query(&key).filter(|_| alone.contains(&key)) else {
            served_paths.insert(key, item);
            continue;
        };
        let pointer = child("#/paths", &key);
        let (_, resolved) = doc.resolve(&item, &pointer);
        let mut item = resolved.clone();
        // The key's variables, by the path parameter's name: the query parameter's name.
        let renamed: BTreeMap<&str, &str> = pairs
            .iter()
            .filter_map(|(name, value)| Some((*value.as_ref().ok()?, *name)))
            .collect();
        let swagger = doc.version().starts_with('2');
        let retarget = |params: &mut Value| {
            let Some(params) = params.as_array_mut() else {
                return;
            };
            for param in params.iter_mut() {
                let resolved = doc.resolve(param, "#").1;
                let is_path = resolved.get("in").and_then(Value::as_str) == Some("path");
                let name = resolved.get("name").and_then(Value::as_str);
                if let Some(query_name) = name.filter(|_| is_path).and_then(|n| renamed.get(n)) {
                    let mut moved = resolved.clone();
                    moved["in"] = json!("query");
                    moved["name"] = json!(query_name);
                    *param = moved;
                }
            }
        };
        if let Some(params) = item.get_mut("parameters") {
            retarget(params);
        }
        for method in METHODS {
            let Some(operation) = item.get_mut(*method) else {
                continue;
            };
            if let Some(params) = operation.get_mut("parameters") {
                retarget(params);
            }
            let fixed = pairs.iter().filter_map(|(name, value)| {
                let value = value.err()?;
                let schema = json!({"type": "string", "enum": [value]});
                Some(if swagger {
                    json!({"name": name, "in": "query", "required": true, "type": "string", "enum": [value]})
                } else {
                    json!({"name": name, "in": "query", "required": true, "schema": schema})
                })
            });
            let fixed: Vec<Value> = fixed.collect();
            if fixed.is_empty() {
                continue;
            }
            match operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            {
                Some(params) => params.extend(fixed),
                None => operation["parameters"] = Value::Array(fixed),
            }
        }
        served_paths.insert(path.to_owned(), item);
        copy.changes.push((
            pointer,
            format!(
                "served as `{path}`, its query as query parameters: Prism matches a query in the key as text of the path, which no request holds"
            ),
        ));
    }
    *paths = served_paths;
}

/// Each Swagger 2.0 operation gets the `consumes` and `produces` the generator reads it
/// with, where neither it nor the description says.
fn state_media_types(doc: &Document, copy: &mut Copy) {
    let top = |key: &str| {
        doc.root
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty())
    };
    let Some(paths) = doc.root.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let pointer = child(&child("#/paths", path), method);
            let params = parameters(doc, item, operation);
            let has = |key: &str| {
                operation
                    .get(key)
                    .and_then(Value::as_array)
                    .is_some_and(|list| !list.is_empty())
                    || top(key)
            };
            let body = params.iter().any(|p| p.get("in") == Some(&json!("body")));
            let form: Vec<&Value> = params
                .iter()
                .copied()
                .filter(|p| p.get("in") == Some(&json!("formData")))
                .collect();
            let consumes = if body {
                Some("application/json")
            } else if form.iter().any(|p| p.get("type") == Some(&json!("file"))) {
                Some("multipart/form-data")
            } else if !form.is_empty() {
                Some("application/x-www-form-urlencoded")
            } else {
                None
            };
            let target = &mut copy.root["paths"][path][*method];
            if let (Some(media_type), false) = (consumes, has("consumes")) {
                target["consumes"] = json!([media_type]);
                copy.changes.push((
                    pointer.clone(),
                    format!("`consumes: [{media_type}]` stated: the generator writes the body so"),
                ));
            }
            if !has("produces") {
                target["produces"] = json!(["application/json"]);
                copy.changes.push((
                    pointer,
                    "`produces: [application/json]` stated: the generator reads responses so"
                        .to_owned(),
                ));
            }
        }
    }
}

/// The parameters of an operation and of its path item, through `$ref`s.
fn parameters<'d>(doc: &'d Document, item: &'d Value, operation: &'d Value) -> Vec<&'d Value> {
    [item.get("parameters"), operation.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|param| doc.resolve(param, "#").1)
        .collect()
}

/// An example in the description: where it is, where its schema is, and whether it is
/// the example of a response (whose `writeOnly` properties it leaves out).
struct Example {
    /// The example's own pointer (`…/example`, `…/examples/pet/value`, `…/examples/0`).
    at: String,
    schema: String,
    direction: Direction,
}

/// Finds every example and the schema it stands for: a schema's own `example`/`examples`,
/// a Media Type, Parameter or Header Object's beside its `schema` (an Example Object, or
/// a `$ref` to one in `components/examples`), a Swagger 2.0 response's `examples` by
/// media type, and a Swagger 2.0 parameter's `x-example`.
fn examples(node: &Value, pointer: &str, found: &mut Vec<Example>) {
    let Value::Object(fields) = node else {
        if let Value::Array(items) = node {
            for (index, item) in items.iter().enumerate() {
                examples(item, &child(pointer, &index.to_string()), found);
            }
        }
        return;
    };
    // Examples are data: nothing inside them is walked.
    let direction = if pointer.contains("/responses/") {
        Direction::Response
    } else {
        Direction::Request
    };
    let has_schema = fields.contains_key("schema");
    let is_schema = !has_schema && is_schema_like(fields);
    let own = |schema: String| (schema, direction);
    let schema_of = if has_schema {
        Some(own(child(pointer, "schema")))
    } else if is_schema || fields.contains_key("in") {
        // A schema, or a Swagger 2.0 parameter that carries its schema's keywords.
        Some(own(pointer.to_owned()))
    } else {
        None
    };
    for (key, value) in fields {
        let at = child(pointer, key);
        match (key.as_str(), &schema_of) {
            ("example" | "x-example", Some((schema, direction))) => found.push(Example {
                at,
                schema: schema.clone(),
                direction: *direction,
            }),
            ("examples", Some((schema, direction))) => match value {
                // 3.1 schemas: a list of values.
                Value::Array(list) if is_schema => {
                    for index in 0..list.len() {
                        found.push(Example {
                            at: child(&at, &index.to_string()),
                            schema: schema.clone(),
                            direction: *direction,
                        });
                    }
                }
                // Example Objects by name, or (Swagger 2.0 responses) values by media type.
                Value::Object(map) => {
                    for (name, example) in map {
                        let reference = example
                            .get("$ref")
                            .and_then(Value::as_str)
                            .filter(|r| r.starts_with('#'));
                        let value_at = if example.get("value").is_some() {
                            child(&child(&at, name), "value")
                        } else if let Some(reference) = reference {
                            // A reusable example (`components/examples`), checked where
                            // it is first used.
                            child(reference, "value")
                        } else if doc_is_swagger_response(fields) {
                            child(&at, name)
                        } else {
                            continue;
                        };
                        if found.iter().any(|e| e.at == value_at) {
                            continue;
                        }
                        found.push(Example {
                            at: value_at,
                            schema: schema.clone(),
                            direction: *direction,
                        });
                    }
                }
                _ => {}
            },
            ("example" | "examples" | "x-example" | "default" | "enum" | "const", _) => {}
            // Extensions are not the format's: what they hold is nobody's schema.
            (key, _) if key.starts_with("x-") => {}
            _ => examples(value, &at, found),
        }
    }
}

/// A Swagger 2.0 Response Object: a `description` and `examples` by media type.
fn doc_is_swagger_response(fields: &Map<String, Value>) -> bool {
    fields.contains_key("description")
        && fields
            .get("examples")
            .and_then(Value::as_object)
            .is_some_and(|map| map.keys().all(|key| key.contains('/')))
}

/// Whether an object reads as a schema: it has one of the keywords only schemas have.
fn is_schema_like(fields: &Map<String, Value>) -> bool {
    const KEYWORDS: &[&str] = &[
        "type",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "format",
        "additionalProperties",
        "$ref",
    ];
    KEYWORDS.iter().any(|key| fields.contains_key(*key))
}

/// Replaces `example` in the copy by a value of its schema when it contradicts it.
fn replace(doc: &Document, checks: &Checks, example: &Example, copy: &mut Copy) {
    let Some(value) = doc.get(&example.at) else {
        return;
    };
    let Some(schema) = doc.get(&example.schema) else {
        return;
    };
    let (schema_pointer, schema) = doc.resolve(schema, &example.schema);
    let Some(problem) = checks.problem(&schema_pointer, value) else {
        return;
    };
    let options = Options {
        examples: false,
        direction: example.direction,
        ..Options::plain()
    };
    let maker = Maker::new(doc, options).checked(checks);
    let made = maker.value(&mut Seeded::from_text(&example.at), schema, &schema_pointer);
    let at = oracle::document::percent_decode(&example.at[1..]);
    if checks.matches(&schema_pointer, &made) {
        if let Some(slot) = copy.root.pointer_mut(&at) {
            *slot = made.clone();
            copy.changes.push((
                example.at.clone(),
                format!(
                    "an example that contradicts its schema ({problem}) replaced by {}",
                    short(&made)
                ),
            ));
        }
        return;
    }
    let (parent, key) = at.rsplit_once('/').unwrap_or(("", &at));
    let key = key.replace("~1", "/").replace("~0", "~");
    let removed = match copy.root.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&key).is_some(),
        _ => false,
    };
    if removed {
        copy.changes.push((
            example.at.clone(),
            format!("an example that contradicts its schema ({problem}) removed: no value of the schema could be made"),
        ));
    }
}

fn short(value: &Value) -> String {
    oracle::compare::short(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GitHub's reusable examples (`components/examples`, used through a `$ref`): one
    /// that contradicts its schema is replaced, once.
    #[test]
    fn a_referenced_example_that_contradicts_its_schema_is_replaced() {
        let doc = Document::new(json!({
            "openapi": "3.0.0",
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {
                    "schema": {"type": "object", "required": ["expires_at"],
                               "properties": {"expires_at": {"type": "string"}}},
                    "examples": {"default": {"$ref": "#/components/examples/token"}}
                }}}}}},
                "/b": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {
                    "schema": {"type": "object"},
                    "examples": {"default": {"$ref": "#/components/examples/token"}}
                }}}}}}
            },
            "components": {"examples": {"token": {"value": {"id": 2}}}}
        }));
        let copy = copy(&doc, &|p: &[String]| Ok(vec![(true, true); p.len()])).unwrap();
        let value = &copy.root["components"]["examples"]["token"]["value"];
        assert!(value.get("expires_at").is_some(), "{value}");
        assert_eq!(copy.changes.len(), 1, "{:?}", copy.changes);
        assert_eq!(copy.changes[0].0, "#/components/examples/token/value");
    }

    #[test]
    fn path_keys_of_more_literal_text_are_served_later() {
        let mut root = json!({"paths": {
            "/collection/processed.{type}": {},
            "/collection/{id}.{type}": {},
            "/a": {}
        }});
        assert!(order_paths(&mut root));
        let keys: Vec<&String> = root["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "/a",
                "/collection/{id}.{type}",
                "/collection/processed.{type}"
            ]
        );
        assert!(!order_paths(&mut root));
    }

    #[test]
    fn a_path_keys_fragment_is_served_escaped_and_sent_after_the_path() {
        let doc = Document::new(json!({
            "openapi": "3.0.0",
            "paths": {
                "/tags/{arn}": { "get": {} },
                "/tags/{arn}#tagKeys": { "delete": {} },
                "/#X-Amz-Target=A.Create": { "post": {}, "parameters": [] },
                "/send/#env/{id}": { "get": {} },
            }
        }));
        let copy = copy(&doc, &|p: &[String]| Ok(vec![(true, true); p.len()])).unwrap();
        let served: Vec<&str> = copy.root["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            served,
            [
                "/tags/{arn}",
                "/tags/{arn}%23tagKeys",
                "/%23X-Amz-Target=A.Create",
                "/send/#env/{id}",
            ]
        );
        assert_eq!(
            copy.routes.get("#/paths/~1tags~1{arn}#tagKeys/delete"),
            Some(&"%23tagKeys".to_owned())
        );
        assert_eq!(
            copy.routes.get("#/paths/~1#X-Amz-Target=A.Create/post"),
            Some(&"%23X-Amz-Target=A.Create".to_owned())
        );
        // A fragment naming a parameter is left as written: its value is never sent.
        assert_eq!(copy.routes.len(), 2);
        assert_eq!(copy.changes.len(), 2);
    }

    #[test]
    fn identity_escapes_the_u_flag_refuses_are_dropped() {
        assert_eq!(
            without_identity_escapes(r"^arn:(aws|aws\-cn):osis:.+:pipeline\/.+$"),
            r"^arn:(aws|aws-cn):osis:.+:pipeline\/.+$"
        );
        assert_eq!(
            without_identity_escapes(r"[a\-z\_]\:\d\.\\"),
            r"[a\-z_]:\d\.\\"
        );
    }

    /// OSIS's ARNs: with `\-` Prism's ajv (u flag) could not compile the schema, and
    /// every query parameter of the operation went unchecked.
    #[test]
    fn patterns_prism_cannot_compile_are_mended_or_listed() {
        let doc = Document::new(json!({
            "openapi": "3.0.0",
            "paths": {"/a": {"get": {"parameters": [
                {"name": "arn", "in": "query", "schema": {"type": "string", "pattern": "^a\\-b$"}},
                {"name": "odd", "in": "query", "schema": {"type": "string", "pattern": "^a\\qb$"}},
                {"name": "ok", "in": "query", "schema": {"type": "string", "pattern": "^a-b$",
                 "example": "a-b", "properties": {"pattern": {"type": "string"}}}}
            ]}}}
        }));
        // As Node has it: the u flag refuses `\-` and `\q` outside a class.
        let compiles = |patterns: &[String]| {
            Ok(patterns
                .iter()
                .map(|p| (!p.contains("\\-") && !p.contains("\\q"), true))
                .collect())
        };
        let copy = copy(&doc, &compiles).unwrap();
        let params = &copy.root["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params[0]["schema"]["pattern"], "^a-b$");
        assert_eq!(params[1]["schema"]["pattern"], "^a\\qb$");
        assert_eq!(copy.changes.len(), 1, "{:?}", copy.changes);
        assert_eq!(copy.unchecked.len(), 1);
        assert!(copy.unchecked[0].0.ends_with("/1/schema/pattern"));
    }

    #[test]
    fn a_key_query_is_served_as_its_path() {
        assert_eq!(
            key_query("/alerts?lat={lat}&lon={lon}"),
            Some(("/alerts", vec![("lat", Ok("lat")), ("lon", Ok("lon"))]))
        );
        assert_eq!(
            key_query("/rest?method=flickr.x"),
            Some(("/rest", vec![("method", Err("flickr.x"))]))
        );
        // What the generator does not send, and keys without a query, stay as written.
        assert_eq!(key_query("/numbers/{c}?{search}=1"), None);
        assert_eq!(key_query("/a#b?c=d"), None);
        assert_eq!(key_query("/a"), None);
    }

    #[test]
    fn a_fragment_is_escaped_as_a_path_needs() {
        assert_eq!(
            fragment_route("/a#length&checksum x"),
            Some((
                "/a%23length&checksum%20x".to_owned(),
                "%23length&checksum%20x".to_owned()
            ))
        );
        assert_eq!(fragment_route("/a"), None);
    }
}
