//! Loading: reads a description from disk, recognises YAML or JSON by content, applies
//! the user's overlays (`overlay`), recognises the format version by its
//! `swagger`/`openapi` field, and resolves `$ref` pointers.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf, Prefix};

use serde_json::Value;

mod descriptions;
mod overlay;
mod refs;

pub use descriptions::{descriptions, Description};

pub use crate::config::Reach;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};

/// The format versions we read; each lowers into the same model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// Most files one description may pull in through `$ref`s.
const MAX_FILES: usize = 1_000;

/// A parsed description: its file, its version, the document as JSON, and the other
/// files its `$ref`s reach.
///
/// Pointers name a node across files: `#/components/schemas/User` in the root file,
/// `schemas/user.yaml#/User` in another, by its path relative to the root's directory.
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    pub version: Version,
    pub root: Value,
    /// Other files, by path relative to the root file's directory (with leading `..`
    /// segments, or absolute, only under [`Reach::AnyFile`]); all are loaded up front,
    /// so resolving a pointer never touches the disk.
    pub others: BTreeMap<String, Value>,
    /// Further names of files in `others` (or of the root file, `""`): two paths that
    /// reach one file (`common.yaml`, `../api/common.yaml`) share one key, so its
    /// schemas become one type each, not two.
    aliases: HashMap<String, String>,
    /// Which files the `$ref`s may reach.
    reach: Reach,
    /// For each pointer a `$ref` has targeted, the definition its chain ends at, so that
    /// following a long chain from each of its links stays linear in its length.
    resolved: RefCell<HashMap<String, String>>,
    /// The nodes of the root file that overlay actions added, with the action: a
    /// diagnostic about one of them (or inside one) says which action made it.
    added: Vec<overlay::Added>,
}

impl Document {
    /// Reads and parses `file`, applies the `overlays` (files, in order) to it, and
    /// follows `$ref`s to the files `reach` allows.
    pub fn load_reaching(file: &Path, reach: Reach, overlays: &[PathBuf]) -> Result<Document> {
        let text = std::fs::read_to_string(file).map_err(|error| {
            fail(
                DiagnosticKind::Io,
                file,
                "",
                format!("cannot read the file: {error}"),
            )
        })?;
        Document::parse_reaching(file, &text, reach, overlays)
    }

    /// Parses `text`, read from `file`, applies the `overlays` to it, and follows `$ref`s
    /// to the files `reach` allows.
    pub fn parse_reaching(
        file: &Path,
        text: &str,
        reach: Reach,
        overlays: &[PathBuf],
    ) -> Result<Document> {
        let mut root = parse_tree(file, text)?;
        let mut added = Vec::new();
        for overlay_file in overlays {
            let text = std::fs::read_to_string(overlay_file).map_err(|error| {
                fail(
                    DiagnosticKind::Overlay,
                    overlay_file,
                    "",
                    format!("cannot read the overlay: {error}"),
                )
            })?;
            let overlay = parse_tree(overlay_file, &text)?;
            added.extend(overlay::apply(&mut root, &overlay, overlay_file)?);
        }
        let Value::Object(fields) = &root else {
            return Err(fail(
                DiagnosticKind::Syntax,
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
                return Err(fail(
                    DiagnosticKind::Syntax,
                    file,
                    "#/swagger",
                    format!(
                        "unsupported version {v}: only Swagger 2.0 and OpenAPI 3.0/3.1 are read"
                    ),
                ))
            }
            (_, Some(v)) => {
                return Err(fail(
                    DiagnosticKind::Syntax,
                    file,
                    "#/openapi",
                    format!(
                        "unsupported version {v}: only Swagger 2.0 and OpenAPI 3.0/3.1 are read"
                    ),
                ))
            }
            (None, None) => {
                return Err(fail(
                    DiagnosticKind::Syntax,
                    file,
                    "#",
                    "neither `openapi` nor `swagger` is set: this is not an API description",
                ))
            }
        };
        let mut document = Document {
            file: file.to_path_buf(),
            version,
            root,
            others: BTreeMap::new(),
            aliases: HashMap::new(),
            reach,
            resolved: RefCell::default(),
            added,
        };
        document.load_references()?;
        Ok(document)
    }

    /// Loads every file reached through `$ref`s, transitively. Unless the user allows
    /// more ([`Reach`]), refs may not leave the root file's directory: a description
    /// cannot make us read arbitrary files.
    fn load_references(&mut self) -> Result<()> {
        let mut pending = vec![String::new()];
        // Each file read so far by its real path, to find a second path to one of them.
        let mut keys_by_real: HashMap<PathBuf, String> = HashMap::new();
        if let Ok(real) = self.file.canonicalize() {
            keys_by_real.insert(real, String::new());
        }
        while let Some(key) = pending.pop() {
            let base = format!("{key}#");
            let references = refs::references(self.value_of(&key), &base, key.is_empty());
            for (pointer, reference) in references {
                if reference.starts_with('#') {
                    continue;
                }
                let target = self.target(&pointer, &reference)?;
                let file = target.split_once('#').map_or("", |(file, _)| file);
                // `target` already maps a second path to a file to its first key.
                if file.is_empty() || self.others.contains_key(file) {
                    continue;
                }
                if self.others.len() >= MAX_FILES {
                    return Err(self.fail(
                        DiagnosticKind::Reference,
                        &pointer,
                        format!(
                            "more than {MAX_FILES} files are referenced; refusing to read more"
                        ),
                    ));
                }
                let path = self.directory().join(file);
                if self.reach == Reach::Directory {
                    self.stays_inside(&path, &pointer, &reference)?;
                }
                if let Ok(real) = path.canonicalize() {
                    if let Some(known) = keys_by_real.get(&real) {
                        self.aliases.insert(file.to_owned(), known.clone());
                        continue;
                    }
                    keys_by_real.insert(real, file.to_owned());
                }
                let text = std::fs::read_to_string(&path).map_err(|error| {
                    self.fail(
                        DiagnosticKind::Reference,
                        &pointer,
                        format!("`$ref: {reference}` names a file that cannot be read: {error}"),
                    )
                })?;
                let value = parse_tree(&path, &text)?;
                self.others.insert(file.to_owned(), value);
                pending.push(file.to_owned());
            }
        }
        Ok(())
    }

    /// Refuses `path` when it is a symbolic link (or under one) that leads out of the root
    /// file's directory: `target` checks the words of a `$ref`, this what they reach.
    fn stays_inside(&self, path: &Path, pointer: &str, reference: &str) -> Result<()> {
        let (Ok(directory), Ok(real)) = (self.directory_real(), path.canonicalize()) else {
            return Ok(()); // Reading the file reports what is missing.
        };
        if real.starts_with(&directory) {
            Ok(())
        } else {
            Err(self.fail(
                DiagnosticKind::Reference,
                pointer,
                format!(
                    "`$ref: {reference}` is refused: through a symbolic link it leaves the directory of the description"
                ),
            ))
        }
    }

    fn directory_real(&self) -> std::io::Result<PathBuf> {
        let directory = self.directory();
        if directory.as_os_str().is_empty() {
            Path::new(".").canonicalize()
        } else {
            directory.canonicalize()
        }
    }

    fn directory(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new(""))
    }

    /// The whole document stored under `key` (`""` for the root file).
    fn value_of(&self, key: &str) -> &Value {
        if key.is_empty() {
            &self.root
        } else {
            &self.others[key]
        }
    }

    /// The pointer a `$ref` found at `pointer` stands for. (Long on purpose: every rule
    /// about which paths may be read is here, in the order a path is walked.)
    fn target(&self, pointer: &str, reference: &str) -> Result<String> {
        let base = pointer.split_once('#').map_or("", |(file, _)| file);
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.is_empty() {
            return Ok(format!("{base}#{fragment}"));
        }
        let refuse = |why: &str| {
            self.fail(
                DiagnosticKind::Reference,
                pointer,
                format!("`$ref: {reference}` is refused: {why}"),
            )
        };
        if path.contains("://") || path.starts_with("//") {
            return Err(refuse(
                "references to URLs are not followed; download the file and refer to it by a relative path",
            ));
        }
        let anywhere = self.reach == Reach::AnyFile;
        // The file's key: a path relative to the root's directory, with `..` segments only
        // when anything may be reached, or an absolute path (`root` is `/`, or `C:/`).
        let mut root = String::new();
        let mut parts: Vec<String> = Vec::new();
        let base_directory = Path::new(base).parent().unwrap_or(Path::new(""));
        for component in base_directory
            .components()
            .chain(Path::new(path).components())
        {
            match component {
                Component::CurDir => {}
                Component::ParentDir => match parts.last().map(String::as_str) {
                    Some("..") | None if root.is_empty() => {
                        if !anywhere {
                            return Err(refuse(
                                "it leaves the directory of the description (generating with `--allow-outside-refs` follows it)",
                            ));
                        }
                        parts.push("..".to_owned());
                    }
                    _ => {
                        parts.pop();
                    }
                },
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::Prefix(prefix) if !matches!(prefix.kind(), Prefix::Disk(_)) => {
                    return Err(refuse(
                        "network (UNC) and device paths are not followed; copy the file beside the description",
                    ));
                }
                Component::RootDir | Component::Prefix(_) => {
                    if !anywhere {
                        return Err(refuse(
                            "absolute paths are not followed; use a path relative to the description (or generate with `--allow-outside-refs`)",
                        ));
                    }
                    parts.clear();
                    match component {
                        Component::Prefix(prefix) => {
                            root = prefix.as_os_str().to_string_lossy().into_owned();
                        }
                        // `/` alone; `/` after `C:`; `/` again, on the same drive.
                        _ if root.is_empty() => root = "/".to_owned(),
                        _ if root.ends_with('/') => {}
                        _ => root.push('/'),
                    }
                }
            }
        }
        if !anywhere && (path.starts_with('/') || path.starts_with('\\')) {
            return Err(refuse(
                "absolute paths are not followed; use a path relative to the description (or generate with `--allow-outside-refs`)",
            ));
        }
        let mut file = root + &parts.join("/");
        let root_name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        if Some(&file) == root_name.as_ref() {
            file.clear();
        }
        if let Some(known) = self.aliases.get(&file) {
            file.clone_from(known);
        }
        Ok(format!("{file}#{fragment}"))
    }

    /// An error located at `pointer`, in whichever file that is.
    pub fn error(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (file, located) = self.locate(pointer);
        self.provenance(pointer, Diagnostic::error(kind, &file, &located, message))
    }

    /// A warning located at `pointer`, in whichever file that is.
    pub fn warning(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (file, located) = self.locate(pointer);
        self.provenance(pointer, Diagnostic::warning(kind, &file, &located, message))
    }

    /// `diagnostic`, with a hint naming the overlay action that added the node at
    /// `pointer` (or a node around it), if one did: that node is in no file.
    fn provenance(&self, pointer: &str, diagnostic: Diagnostic) -> Diagnostic {
        let by = self.added.iter().rev().find(|added| {
            pointer
                .strip_prefix(added.pointer.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        match by {
            Some(added) if diagnostic.hint.is_none() => diagnostic.with_hint(added.by.clone()),
            _ => diagnostic,
        }
    }

    /// [`Document::error`], as what a stage returns.
    fn fail(&self, kind: DiagnosticKind, pointer: &str, message: impl Into<String>) -> Diagnostics {
        self.error(kind, pointer, message).into()
    }

    /// The file a pointer across files is in, and the pointer within that file.
    fn locate(&self, pointer: &str) -> (PathBuf, String) {
        match pointer.split_once('#') {
            Some((file, fragment)) if !file.is_empty() => {
                (self.directory().join(file), format!("#{fragment}"))
            }
            _ => (self.file.clone(), pointer.to_owned()),
        }
    }

    /// The node at `pointer` (`#/a/b`, or `file.yaml#/a/b`), if there is one.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        let (file, fragment) = pointer.split_once('#')?;
        let document = if file.is_empty() {
            &self.root
        } else {
            self.others.get(file)?
        };
        document.pointer(&percent_decode(fragment))
    }

    /// Follows `node` (found at `pointer`) through any chain of `$ref`s to the node it
    /// stands for, returning that node and its own pointer.
    pub fn resolve<'a>(&'a self, node: &'a Value, pointer: &str) -> Result<(String, &'a Value)> {
        let mut current = (pointer.to_owned(), node);
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(reference) = ref_of(current.1) {
            let target = self.target(&current.0, reference)?;
            let known = self.resolved.borrow().get(&target).cloned();
            if let Some(end) = known {
                let node = self.get(&end).expect("a resolved pointer names a node");
                current = (end, node);
                break;
            }
            if !seen.insert(target.clone()) {
                return Err(self.fail(
                    DiagnosticKind::Reference,
                    &current.0,
                    format!("`$ref: {reference}` is part of a cycle of references that never reaches a definition"),
                ));
            }
            let node = self.get(&target).ok_or_else(|| {
                self.fail(
                    DiagnosticKind::Reference,
                    &current.0,
                    format!("`$ref: {reference}` points to nothing"),
                )
            })?;
            current = (target, node);
        }
        let mut resolved = self.resolved.borrow_mut();
        for target in seen {
            resolved.insert(target, current.0.clone());
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

/// The last segment of a pointer, unescaped: the name a component was given. For a
/// whole file (`schemas/address.yaml#`), the file's stem.
pub fn last_segment(pointer: &str) -> String {
    let (file, fragment) = pointer.split_once('#').unwrap_or(("", pointer));
    if fragment.is_empty() {
        return Path::new(file)
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    let segment = fragment.rsplit('/').next().unwrap_or_default();
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
        return serde_json::from_str(text).map_err(|error| {
            fail(
                DiagnosticKind::Syntax,
                file,
                "",
                format!("malformed JSON: {error}"),
            )
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        fail(
            DiagnosticKind::Syntax,
            file,
            "",
            format!("malformed YAML: {error}"),
        )
    })?;
    // The merge reports no place, and drops the key it fails on: look for it first.
    if let Some(pointer) = bad_merge_key(&yaml, "#") {
        return Err(fail(
            DiagnosticKind::Syntax,
            file,
            &pointer,
            "invalid YAML merge key `<<`: its value must be a mapping or a list of mappings",
        ));
    }
    yaml.apply_merge().map_err(|error| {
        fail(
            DiagnosticKind::Syntax,
            file,
            "",
            format!("invalid YAML merge key `<<`: {error}"),
        )
    })?;
    yaml_to_json(file, yaml, "#")
}

/// Where the first `<<` key is whose value is not a mapping or a list of mappings (the
/// merge itself reports no place). Iterative, so deep nesting cannot overflow the stack.
fn bad_merge_key(yaml: &serde_yaml::Value, pointer: &str) -> Option<String> {
    use serde_yaml::Value as Y;
    let mut pending = vec![(yaml, pointer.to_owned())];
    while let Some((node, pointer)) = pending.pop() {
        match node {
            Y::Mapping(mapping) => {
                let mut children = Vec::with_capacity(mapping.len());
                for (key, value) in mapping {
                    let Y::String(key) = key else { continue };
                    let mergeable = match value {
                        Y::Mapping(_) => true,
                        Y::Sequence(items) => items.iter().all(Y::is_mapping),
                        _ => false,
                    };
                    if key == "<<" && !mergeable {
                        return Some(child(&pointer, "<<"));
                    }
                    children.push((value, child(&pointer, key)));
                }
                pending.extend(children.into_iter().rev());
            }
            Y::Sequence(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    pending.push((item, child(&pointer, &i.to_string())));
                }
            }
            Y::Tagged(tagged) => pending.push((&tagged.value, pointer)),
            _ => {}
        }
    }
    None
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
                        return Err(fail(
                            DiagnosticKind::Syntax,
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

/// An error of the file as a whole (or at `pointer` in it), as what a stage returns.
fn fail(
    kind: DiagnosticKind,
    file: &Path,
    pointer: &str,
    message: impl Into<String>,
) -> Diagnostics {
    Diagnostic::error(kind, file, pointer, message).into()
}
