//! Where the references of a description are. A `$ref` is a reference only where the
//! format puts a Reference Object or a schema: an object under `example`, `examples`,
//! `default`, `enum` or `const`, or an Example Object's `value`, is literal data that may
//! well have a `$ref` key, and a key of a map of names (`properties`, `paths` …) is a
//! name, whatever it spells. Vendor extensions (`x-*`) are data too: the generator reads
//! none of them for types, so a `$ref` inside one is never followed, nor refused.

use serde_json::Value;

use super::child;

/// What a node is, as far as finding references goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKind {
    /// An object of the format's keywords (a schema, an operation, a response …).
    Keywords,
    /// An Example Object: keywords, but its `value` is data.
    Example,
    /// A map from names to nodes of kind `Entry`; `extensible` maps (Paths, Responses,
    /// Callback) may also hold `x-*` keys, which are extensions.
    Names { entry: Entry, extensible: bool },
    /// Literal data: nothing inside is a reference.
    Data,
}

/// What the values of a map of names are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Keywords,
    Example,
    /// A Callback Object (itself a map of path items), or a reference to one.
    Callback,
}

/// Keywords whose value is a map of names to keyword objects.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "headers",
    "content",
    "encoding",
    "links",
    "schemas",
    "requestBodies",
    "securitySchemes",
    "securityDefinitions",
    "variables",
    "pathItems",
    "webhooks",
];

/// Keywords whose value is literal data.
const DATA: &[&str] = &["example", "default", "enum", "const"];

/// Every `$ref` under the root of a file (at `pointer`, `file.yaml#` or `#`), with the
/// pointer of the object that holds it. `is_root` tells the description's own file from
/// one its references reach, whose top level may be a map of named schemas.
pub fn references(root: &Value, pointer: &str, is_root: bool) -> Vec<(String, String)> {
    let top = if is_root || looks_like_keywords(root) {
        NodeKind::Keywords
    } else {
        NodeKind::Names {
            entry: Entry::Keywords,
            extensible: false,
        }
    };
    let mut found = Vec::new();
    let mut pending = vec![(root, pointer.to_owned(), top)];
    while let Some((node, pointer, kind)) = pending.pop() {
        match node {
            _ if kind == NodeKind::Data => {}
            Value::Object(fields) => {
                for (key, value) in fields {
                    match step(kind, key, value) {
                        Visit::Reference(target) => found.push((pointer.clone(), target)),
                        Visit::Into(next) => pending.push((value, child(&pointer, key), next)),
                        Visit::Skip => {}
                    }
                }
            }
            // A list holds nodes of the list's own kind (`allOf`, `parameters` …).
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    pending.push((item, child(&pointer, &index.to_string()), kind));
                }
            }
            _ => {}
        }
    }
    // Document order, whatever order the walk took.
    found.sort();
    found
}

/// What the walk does with a member: takes it as a reference, goes into it, or skips it.
enum Visit {
    Reference(String),
    Into(NodeKind),
    Skip,
}

/// What the member `key` of a node of kind `kind` is.
fn step(kind: NodeKind, key: &str, value: &Value) -> Visit {
    match kind {
        NodeKind::Names { entry, extensible } => {
            if extensible && key.starts_with("x-") {
                return Visit::Skip;
            }
            Visit::Into(match entry {
                Entry::Keywords => NodeKind::Keywords,
                Entry::Example => NodeKind::Example,
                Entry::Callback if value.get("$ref").is_some() => NodeKind::Keywords,
                Entry::Callback => NodeKind::Names {
                    entry: Entry::Keywords,
                    extensible: true,
                },
            })
        }
        NodeKind::Data => Visit::Skip,
        NodeKind::Keywords | NodeKind::Example => {
            if key == "$ref" {
                return match value {
                    Value::String(target) => Visit::Reference(target.clone()),
                    _ => Visit::Skip,
                };
            }
            if key.starts_with("x-")
                || DATA.contains(&key)
                || (kind == NodeKind::Example && key == "value")
            {
                return Visit::Skip;
            }
            Visit::Into(keyword_child(key, value))
        }
    }
}

/// What the value of the keyword `key` is.
fn keyword_child(key: &str, value: &Value) -> NodeKind {
    let names = |entry, extensible| NodeKind::Names { entry, extensible };
    match key {
        "paths" | "responses" => names(Entry::Keywords, true),
        "callbacks" => names(Entry::Callback, false),
        "examples" if value.is_object() => names(Entry::Example, false),
        // A list of example values (JSON Schema's `examples`) is data.
        "examples" => NodeKind::Data,
        "parameters" if value.is_object() => names(Entry::Keywords, false),
        _ if NAME_MAPS.contains(&key) => names(Entry::Keywords, false),
        _ => NodeKind::Keywords,
    }
}

/// Whether a file's top level is one node of keywords (a whole description, a schema, a
/// path item) rather than a map of named schemas or responses.
fn looks_like_keywords(root: &Value) -> bool {
    const KEYWORDS: &[&str] = &[
        "openapi",
        "swagger",
        "type",
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "$ref",
        "enum",
        "get",
        "put",
        "post",
        "delete",
        "patch",
        "description",
        "content",
        "schema",
        "in",
    ];
    root.as_object()
        .is_some_and(|fields| fields.keys().any(|key| KEYWORDS.contains(&key.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_in_data_are_data() {
        let document = json!({
            "openapi": "3.0.3",
            "x-codegen": { "$ref": "nowhere.yaml" },
            "paths": {
                "x-codegen-contextRoot": { "$ref": "nowhere.yaml" },
                "/a": { "get": {
                    "responses": {
                        "x-note": { "$ref": "nowhere.yaml" },
                        "200": { "$ref": "responses.yaml#/Ok" }
                    },
                    "callbacks": { "onEvent": { "$ref": "callbacks.yaml#/Event" } }
                } }
            },
            "components": {
                "schemas": {
                    "A": {
                        "properties": {
                            "$ref": { "type": "string" },
                            "default": { "$ref": "b.yaml#/B" }
                        },
                        "default": { "$ref": "nowhere.yaml" },
                        "example": { "$ref": "nowhere.yaml" },
                        "enum": [{ "$ref": "nowhere.yaml" }],
                        "examples": [{ "$ref": "nowhere.yaml" }]
                    }
                },
                "examples": {
                    "E": { "value": { "$ref": "nowhere.yaml" } },
                    "F": { "$ref": "examples.yaml#/F" }
                }
            }
        });
        let found: Vec<String> = references(&document, "#", true)
            .into_iter()
            .map(|(_, target)| target)
            .collect();
        assert_eq!(
            found,
            [
                "examples.yaml#/F",
                "b.yaml#/B",
                "callbacks.yaml#/Event",
                "responses.yaml#/Ok",
            ]
        );
    }
}
