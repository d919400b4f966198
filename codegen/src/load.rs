//! Loading: reads a description from disk, recognises YAML or JSON by content and the
//! format version by its `swagger`/`openapi` field, and resolves `$ref` pointers.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};

/// The format versions we read; each lowers into the same model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// A parsed description: its file, its version and the document as JSON.
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    pub version: Version,
    pub root: Value,
}

impl Document {
    /// Reads and parses `file`.
    pub fn load(file: &Path) -> Result<Document> {
        let text = std::fs::read_to_string(file)
            .map_err(|error| Error::one(file, "", format!("cannot read the file: {error}")))?;
        Document::parse(file, &text)
    }

    /// Parses `text`, read from `file` (named in diagnostics only).
    pub fn parse(file: &Path, text: &str) -> Result<Document> {
        let root = parse_tree(file, text)?;
        let Value::Object(fields) = &root else {
            return Err(Error::one(
                file,
                "#",
                "the document is not an object with `openapi` or `swagger` at its top",
            ));
        };
        let version = match (fields.get("swagger"), fields.get("openapi")) {
            (Some(Value::String(v)), _) if v == "2.0" => Version::Swagger2,
            (_, Some(Value::String(v))) if v.starts_with("3.0") => Version::OpenApi30,
            (_, Some(Value::String(v))) if v.starts_with("3.1") => Version::OpenApi31,
            (Some(v), _) => {
                return Err(Error::one(
                    file,
                    "#/swagger",
                    format!(
                        "unsupported version {v}: only Swagger 2.0 and OpenAPI 3.0/3.1 are read"
                    ),
                ))
            }
            (_, Some(v)) => {
                return Err(Error::one(
                    file,
                    "#/openapi",
                    format!(
                        "unsupported version {v}: only Swagger 2.0 and OpenAPI 3.0/3.1 are read"
                    ),
                ))
            }
            (None, None) => {
                return Err(Error::one(
                    file,
                    "#",
                    "neither `openapi` nor `swagger` is set: this is not an API description",
                ))
            }
        };
        Ok(Document {
            file: file.to_path_buf(),
            version,
            root,
        })
    }

    /// An error located at `pointer` in this document.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::one(&self.file, pointer, message)
    }

    /// The node at `pointer` (`#/a/b`), if there is one.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        let path = pointer.strip_prefix('#')?;
        self.root.pointer(&percent_decode(path))
    }

    /// Follows `node` (found at `pointer`) through any chain of `$ref`s to the node it
    /// stands for, returning that node and its own pointer.
    pub fn resolve<'a>(&'a self, node: &'a Value, pointer: &str) -> Result<(String, &'a Value)> {
        let mut current = (pointer.to_owned(), node);
        let mut seen: Vec<String> = Vec::new();
        while let Some(reference) = ref_of(current.1) {
            if !reference.starts_with('#') {
                return Err(self.error(
                    &current.0,
                    format!("`$ref: {reference}` points into another document, which is not supported yet"),
                ));
            }
            if seen.iter().any(|p| p == reference) {
                return Err(self.error(
                    &current.0,
                    format!("`$ref: {reference}` is part of a cycle of references that never reaches a definition"),
                ));
            }
            seen.push(reference.to_owned());
            let target = self.get(reference).ok_or_else(|| {
                self.error(
                    &current.0,
                    format!("`$ref: {reference}` points to nothing in this document"),
                )
            })?;
            current = (reference.to_owned(), target);
        }
        Ok(current)
    }
}

/// The target of a `$ref` object, if `node` is one.
pub fn ref_of(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// `base` extended by one escaped segment.
pub fn child(base: &str, segment: &str) -> String {
    let mut pointer = String::with_capacity(base.len() + segment.len() + 1);
    pointer.push_str(base);
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            _ => pointer.push(c),
        }
    }
    pointer
}

/// The last segment of a pointer, unescaped: the name a component was given.
pub fn last_segment(pointer: &str) -> String {
    let segment = pointer.rsplit('/').next().unwrap_or_default();
    percent_decode(segment)
        .replace("~1", "/")
        .replace("~0", "~")
}

/// A `$ref` is a URI fragment, so its pointer may be percent-encoded.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// JSON or YAML, told apart by content: JSON is tried when the text starts with `{`.
fn parse_tree(file: &Path, text: &str) -> Result<Value> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|error| Error::one(file, "", format!("malformed JSON: {error}")));
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text)
        .map_err(|error| Error::one(file, "", format!("malformed YAML: {error}")))?;
    yaml.apply_merge()
        .map_err(|error| Error::one(file, "", format!("invalid YAML merge key `<<`: {error}")))?;
    yaml_to_json(file, yaml, "#")
}

/// YAML allows non-string keys (`200:` is an integer); JSON pointers see them as text.
fn yaml_to_json(file: &Path, yaml: serde_yaml::Value, pointer: &str) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(file, item, &child(pointer, &i.to_string())))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut object = serde_json::Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err(Error::one(
                            file,
                            pointer,
                            "a mapping key is not a scalar, which JSON cannot express",
                        ))
                    }
                };
                let value = yaml_to_json(file, value, &child(pointer, &key))?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(file, tagged.value, pointer)?,
    })
}
