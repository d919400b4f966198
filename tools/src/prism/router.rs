//! Which operation Prism 5.14.2 checks a request against: its router, emulated from its
//! source (`prism-http/dist/router/index.js` and `matchPath.js`), so that a request it
//! routes to another operation than ours is known before it is sent.
//!
//! Prism ranks every operation of the description by how many segments of its path key
//! equal the request's (one point each, half a point for a segment with a `{parameter}`,
//! stopping at the first that neither equals nor is templated), sorts them by that
//! score, and reverses the list: of two that rank the same, the later one comes first.
//! Of those whose path matches (a templated segment matches when the request's segment
//! holds its literal parts in order, anywhere) and whose method is the request's, it
//! takes the first whose path has no parameter, else the first. So `GET
//! /collection/processed.json` goes to `/collection/{collection_id}.{content_type}` when
//! that key comes after `/collection/processed.{content_type}`.

use serde_json::Value;

/// The methods Prism reads from a path item, in the order it reads its keys
/// (`@stoplight/http-spec/oas/operation.js`: `DEFAULT_METHODS`).
const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "options", "head", "patch", "trace",
];

/// The operations of the description Prism serves, as Prism lists them: path key and
/// method, in the order of the keys.
pub fn operations(served: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (key, item) in served
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
            if METHODS.contains(&method.as_str()) {
                found.push((key.clone(), method.clone()));
            }
        }
    }
    found
}

/// The index in `operations` of the operation Prism checks `method path` against (the
/// path as the request line has it, before any `?`), if any.
pub fn route(operations: &[(String, String)], method: &str, path: &str) -> Option<usize> {
    let mut ranked: Vec<usize> = (0..operations.len()).collect();
    // A stable sort by score, then reversed, as Prism does.
    ranked
        .sort_by(|a, b| score(&operations[*a].0, path).total_cmp(&score(&operations[*b].0, path)));
    ranked.reverse();
    let matches: Vec<(usize, Match)> = ranked
        .into_iter()
        .filter(|&index| operations[index].1.eq_ignore_ascii_case(method))
        .filter_map(|index| Some((index, path_match(path, &operations[index].0)?)))
        .collect();
    matches
        .iter()
        .find(|(_, kind)| *kind == Match::Concrete)
        .or(matches.first())
        .map(|(index, _)| *index)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Concrete,
    Templated,
}

/// Prism's `calculateMatchScore`: segments compared as they are, not decoded.
fn score(key: &str, path: &str) -> f64 {
    let requested: Vec<&str> = path.split('/').collect();
    let mut score = 0.0;
    for (index, part) in key.split('/').enumerate() {
        if requested.get(index) == Some(&part) {
            score += 1.0;
        } else if templated(part) {
            score += 0.5;
        } else {
            break;
        }
    }
    score
}

/// Prism's `isTemplated`: `{` and later `}` with something between.
fn templated(part: &str) -> bool {
    part.find('{')
        .is_some_and(|open| part[open + 1..].rfind('}').is_some_and(|close| close > 0))
}

/// Prism's `matchPath`: the request's segments are percent-decoded, the key's are not.
fn path_match(path: &str, key: &str) -> Option<Match> {
    let requested: Vec<String> = path.split('/').skip(1).map(decode).collect();
    let keyed: Vec<&str> = key.split('/').skip(1).collect();
    if requested.len() != keyed.len() || !path.starts_with('/') || !key.starts_with('/') {
        return None;
    }
    let mut kind = Match::Concrete;
    for (part, key_part) in requested.iter().zip(keyed) {
        if !templated(key_part) {
            if part != key_part {
                return None;
            }
            continue;
        }
        if !holds_in_order(part, &literal_parts(key_part)) {
            return None;
        }
        kind = Match::Templated;
    }
    Some(kind)
}

/// The literal parts of a templated segment, between its `{name}`s: Prism escapes the
/// segment for a regular expression and replaces each `\{…\}` holding no backslash (a
/// name with no character the escaping touches) by `(.*)`.
fn literal_parts(segment: &str) -> Vec<String> {
    const SPECIAL: &[char] = &[
        '.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '|', '[', ']', '\\',
    ];
    let mut parts = vec![String::new()];
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}');
        match close {
            Some(close) if close > 0 && !after[..close].contains(SPECIAL) => {
                parts.last_mut().expect("a part").push_str(&rest[..open]);
                parts.push(String::new());
                rest = &after[close + 1..];
            }
            _ => {
                parts
                    .last_mut()
                    .expect("a part")
                    .push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    parts.last_mut().expect("a part").push_str(rest);
    parts
}

/// Whether `text` holds `parts` in order, anywhere (an unanchored `a(.*)b(.*)c`).
fn holds_in_order(text: &str, parts: &[String]) -> bool {
    let mut at = 0;
    for part in parts {
        match text[at..].find(part.as_str()) {
            Some(found) => at += found + part.len(),
            None => return false,
        }
    }
    true
}

/// `decodeURIComponent`, or the text as it is when it does not decode.
fn decode(part: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(part).decode_utf8();
    match decoded {
        Ok(text) if !malformed_escape(part) => text.into_owned(),
        _ => part.to_owned(),
    }
}

/// Whether `text` holds a `%` not followed by two hexadecimal digits, which
/// `decodeURIComponent` refuses.
fn malformed_escape(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(index, byte)| {
        *byte == b'%'
            && !(bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(key, method)| (key.to_string(), method.to_string()))
            .collect()
    }

    /// Semantria: of two keys that rank the same, Prism takes the later.
    #[test]
    fn the_later_of_two_keys_that_rank_the_same_wins() {
        let semantria = ops(&[
            ("/collection/processed.{content_type}", "get"),
            ("/collection/{collection_id}.{content_type}", "get"),
            ("/collection/{collection_id}.{content_type}", "delete"),
        ]);
        assert_eq!(
            route(&semantria, "GET", "/collection/processed.json"),
            Some(1)
        );
        assert_eq!(route(&semantria, "GET", "/collection/abc.json"), Some(1));
        assert_eq!(route(&semantria, "DELETE", "/collection/abc.json"), Some(2));
        let reversed = ops(&[
            ("/collection/{collection_id}.{content_type}", "get"),
            ("/collection/processed.{content_type}", "get"),
        ]);
        assert_eq!(
            route(&reversed, "GET", "/collection/processed.json"),
            Some(1)
        );
        // `processed.` must be in the segment.
        assert_eq!(route(&reversed, "GET", "/collection/abc.json"), Some(0));
    }

    #[test]
    fn a_key_without_parameters_wins() {
        let list = ops(&[("/users/{id}", "get"), ("/users/me", "get")]);
        assert_eq!(route(&list, "GET", "/users/me"), Some(1));
        assert_eq!(route(&list, "GET", "/users/bob"), Some(0));
        let list = ops(&[("/users/me", "get"), ("/users/{id}", "get")]);
        assert_eq!(route(&list, "GET", "/users/me"), Some(0));
        assert_eq!(route(&list, "POST", "/users/me"), None);
        assert_eq!(route(&list, "GET", "/users/me/x"), None);
    }

    #[test]
    fn segments_are_decoded_before_they_are_matched() {
        let list = ops(&[("/a b/{id}", "get")]);
        assert_eq!(route(&list, "GET", "/a%20b/x"), Some(0));
        assert_eq!(decode("100%"), "100%");
        assert_eq!(literal_parts("v{a}.{b}"), ["v", ".", ""]);
        assert_eq!(literal_parts("{a.b}"), ["{a.b}"]);
    }
}
