//! Whether a value is valid under a schema of the description, by the `jsonschema` crate
//! (a validator that knows nothing of the generator): which alternatives of a `oneOf` a
//! value matches, whether an example contradicts its schema, and which members of an
//! object break it.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::document::Document;

/// What a fragment of a URI cannot hold as it is: a `$ref` to a pointer with `{id}` in it
/// must percent-encode the braces, and one into a path key with a fragment of its own
/// (AWS's `/#X-Amz-Target=…`) its `#`.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b']')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'%');

/// Validators of a description's schemas, by pointer, built on first use. The whole
/// description is each validator's root, so every `$ref` in it resolves.
pub struct Checks {
    root: RefCell<Value>,
    draft: jsonschema::Draft,
    by_pointer: RefCell<HashMap<String, Option<jsonschema::Validator>>>,
}

/// The `$ref` (a URI fragment) to the schema at `pointer` (`#/paths/~1a/…`).
fn reference(pointer: &str) -> String {
    let fragment = pointer.strip_prefix('#').unwrap_or(pointer);
    format!(
        "#{}",
        percent_encoding::utf8_percent_encode(fragment, FRAGMENT)
    )
}

impl Checks {
    /// The checks of the schemas of `doc`, each validator built when first needed.
    pub fn new(doc: &Document) -> Checks {
        let draft = if doc.version().starts_with("3.1") {
            jsonschema::Draft::Draft202012
        } else {
            jsonschema::Draft::Draft4
        };
        Checks {
            root: RefCell::new(doc.root.clone()),
            draft,
            by_pointer: RefCell::new(HashMap::new()),
        }
    }

    /// Whether `value` is valid under the schema at `pointer`. A schema the validator
    /// cannot read (Swagger's `type: file`) takes anything.
    pub fn matches(&self, pointer: &str, value: &Value) -> bool {
        self.errors(pointer, value) == 0
    }

    /// How many ways `value` breaks the schema at `pointer`.
    pub fn errors(&self, pointer: &str, value: &Value) -> usize {
        self.with(pointer, |validator| validator.iter_errors(value).count())
            .unwrap_or(0)
    }

    /// The first way `value` breaks the schema at `pointer`, if it does.
    pub fn problem(&self, pointer: &str, value: &Value) -> Option<String> {
        self.with(pointer, |validator| {
            validator
                .iter_errors(value)
                .next()
                .map(|error| format!("{error} (at `{}`)", error.instance_path()))
        })
        .flatten()
    }

    /// Every way `value` breaks the schema at `pointer`: the message and the JSON pointer
    /// into the value where it is.
    pub fn problems(&self, pointer: &str, value: &Value) -> Vec<(String, String)> {
        self.with(pointer, |validator| {
            validator
                .iter_errors(value)
                .map(|error| (error.to_string(), error.instance_path().to_string()))
                .collect()
        })
        .unwrap_or_default()
    }

    fn with<T>(
        &self,
        pointer: &str,
        use_it: impl FnOnce(&jsonschema::Validator) -> T,
    ) -> Option<T> {
        let mut by_pointer = self.by_pointer.borrow_mut();
        let validator = by_pointer.entry(pointer.to_owned()).or_insert_with(|| {
            // The description as the root schema, `$ref`ing the one wanted: draft 4 reads
            // nothing beside a `$ref`, and later drafts ignore the unknown keywords.
            let reference = reference(pointer);
            let mut root = self.root.borrow_mut();
            root["$ref"] = Value::String(reference);
            jsonschema::options()
                .with_draft(self.draft)
                .build(&root)
                .ok()
        });
        validator.as_ref().map(use_it)
    }

    /// `object` without the optional members that break the schema at `pointer`: some
    /// schemas cannot hold every optional property at once (a `oneOf` whose alternatives
    /// all match the same objects, an `allOf` member with `additionalProperties: false`
    /// that refuses the properties of the others). A member is left out when that leaves
    /// fewer problems; `required` ones are kept.
    pub fn repair(&self, pointer: &str, object: &mut Map<String, Value>, required: &[String]) {
        let mut errors = self.errors(pointer, &Value::Object(object.clone()));
        let keys: Vec<String> = object.keys().cloned().collect();
        for key in keys {
            if errors == 0 {
                return;
            }
            if required.contains(&key) {
                continue;
            }
            let mut without = object.clone();
            without.remove(&key);
            let fewer = self.errors(pointer, &Value::Object(without.clone()));
            if fewer < errors {
                *object = without;
                errors = fewer;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema under a path key with a fragment (AWS's `/#X-Amz-Target=…`): the `#` in
    /// the pointer made the `$ref` unreadable, no validator was built, and every value
    /// passed.
    #[test]
    fn a_schema_under_a_path_key_with_a_fragment_is_checked() {
        let doc = Document::new(serde_json::json!({
            "openapi": "3.0.0",
            "paths": {
                "/#X-Amz-Target=A.Get": {
                    "post": {
                        "responses": {
                            "200": {
                                "content": {
                                    "application/json": {
                                        "schema": { "type": "string", "format": "date-time" }
                                    }
                                }
                            }
                        }
                    }
                },
                "/a/{id}[x]": {
                    "get": { "parameters": [{ "schema": { "type": "integer" } }] }
                }
            }
        }));
        let checks = Checks::new(&doc);
        let schema =
            "#/paths/~1#X-Amz-Target=A.Get/post/responses/200/content/application~1json/schema";
        assert_eq!(checks.errors(schema, &serde_json::json!("string")), 1);
        assert!(checks.matches(schema, &serde_json::json!("2024-01-01T00:00:00Z")));
        let param = "#/paths/~1a~1{id}[x]/get/parameters/0/schema";
        assert_eq!(checks.errors(param, &serde_json::json!("x")), 1);
    }

    #[test]
    fn a_reference_escapes_what_a_fragment_cannot_hold() {
        assert_eq!(
            reference("#/paths/~1#a=b {c}/x"),
            "#/paths/~1%23a=b%20%7Bc%7D/x"
        );
    }
}
