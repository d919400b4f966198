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

/// Whether `text` is a UUID as `format: uuid` means it (RFC 4122's hyphenated form:
/// `8-4-4-4-12` hexadecimal digits).
fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

impl Checks {
    /// The checks of the schemas of `doc`, each validator built when first needed.
    pub fn new(doc: &Document) -> Checks {
        let draft = if doc.version().starts_with("3.1") {
            jsonschema::Draft::Draft202012
        } else {
            jsonschema::Draft::Draft4
        };
        let mut root = doc.root.clone();
        if !doc.version().starts_with("3.1") {
            allow_null(&mut root, false);
        }
        Checks {
            root: RefCell::new(root),
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
            // Draft 4 knows no `uuid` format, and would let any text pass for one the
            // generated `uuid::Uuid` refuses: it is checked as later drafts check it.
            jsonschema::options()
                .with_draft(self.draft)
                .with_format("uuid", is_uuid)
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

/// Makes the schemas under `node` say in JSON Schema that they take `null` where OpenAPI
/// 3.0 (`nullable`) or Swagger 2.0 (`x-nullable`) says so, which drafts 4 to 7 do not
/// know: `null` joins a `type` and an `enum`. `names` is whether `node` maps names to
/// schemas (`properties`), whose keys are names, not keywords; values (examples,
/// defaults, enums) are left as they are.
fn allow_null(node: &mut Value, names: bool) {
    match node {
        Value::Object(members) => {
            let nullable = ["nullable", "x-nullable"]
                .iter()
                .any(|flag| members.get(*flag) == Some(&Value::Bool(true)));
            if nullable && !names {
                if let Some(Value::String(ty)) = members.get("type") {
                    let ty = ty.clone();
                    members.insert("type".to_owned(), serde_json::json!([ty, "null"]));
                }
                if let Some(Value::Array(values)) = members.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
            }
            for (key, value) in members.iter_mut() {
                let is_value = matches!(
                    key.as_str(),
                    "example" | "examples" | "x-example" | "enum" | "default" | "const"
                );
                if names || !is_value {
                    let holds_names = !names
                        && matches!(
                            key.as_str(),
                            "properties" | "patternProperties" | "definitions" | "schemas"
                        );
                    allow_null(value, holds_names);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                allow_null(item, false);
            }
        }
        _ => {}
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

    /// OpenAPI 3.0's `nullable` and Swagger's `x-nullable` take `null`, which JSON Schema
    /// drafts 4 to 7 do not know; a property named `nullable` is a name.
    #[test]
    fn nullable_schemas_take_null() {
        let doc = Document::new(serde_json::json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "n": {"type": "integer", "nullable": true},
                    "e": {"type": "string", "enum": ["a"], "nullable": true},
                    "s": {"type": "string"},
                    "nullable": {"type": "string"}
                }}
            }}
        }));
        let checks = Checks::new(&doc);
        let at = |name: &str| format!("#/components/schemas/A/properties/{name}");
        assert!(checks.matches(&at("n"), &Value::Null));
        assert!(checks.matches(&at("n"), &serde_json::json!(1)));
        assert!(checks.matches(&at("e"), &Value::Null));
        assert!(!checks.matches(&at("e"), &serde_json::json!("b")));
        assert!(!checks.matches(&at("s"), &Value::Null));
        assert!(!checks.matches(&at("nullable"), &Value::Null));
        let swagger = Document::new(serde_json::json!({
            "swagger": "2.0",
            "definitions": {"B": {"type": "string", "x-nullable": true}}
        }));
        assert!(Checks::new(&swagger).matches("#/definitions/B", &Value::Null));
        let v31 = Document::new(serde_json::json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"C": {"type": "string", "nullable": true}}}
        }));
        assert!(!Checks::new(&v31).matches("#/components/schemas/C", &Value::Null));
    }

    /// The generated code reads `format: uuid` as `uuid::Uuid`: a description's example
    /// that is no UUID contradicts its schema, in OpenAPI 3.0 (JSON Schema draft 4, which
    /// knows no such format) too.
    #[test]
    fn a_uuid_is_checked_in_openapi_3_0() {
        let doc = Document::new(serde_json::json!({
            "openapi": "3.0.0",
            "components": {"schemas": {
                "Ids": {"type": "array", "items": {"type": "string", "format": "uuid"}}
            }}
        }));
        let checks = Checks::new(&doc);
        let ids = "#/components/schemas/Ids";
        let id = "bc3f7dad-5544-468c-8573-3ef04d55463e";
        assert!(checks.matches(ids, &serde_json::json!([id, id.to_uppercase()])));
        assert!(!checks.matches(ids, &serde_json::json!([""])));
        assert!(!checks.matches(ids, &serde_json::json!(["not-a-uuid"])));
        assert!(!checks.matches(ids, &serde_json::json!([id.replace('-', "")])));
    }

    #[test]
    fn a_reference_escapes_what_a_fragment_cannot_hold() {
        assert_eq!(
            reference("#/paths/~1#a=b {c}/x"),
            "#/paths/~1%23a=b%20%7Bc%7D/x"
        );
    }
}
