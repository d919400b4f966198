//! Generation settings: what a user says about their crate that the description does not
//! (a schema is their own type, extra derives, which date library, names, groups,
//! overlays), read from a `*.codegen.toml` file or built in code. Plain data: the stages
//! read it (`load` applies the overlays, `lower` the names, replacements and scalars,
//! `derives` the derives, `emit` the crate docs and the manifest); nothing here knows the
//! description.
//!
//! Unknown keys are errors naming the key and the file, so a misspelt setting never
//! silently does nothing; every value is checked when the file is read (a type path
//! parses as Rust, a derive as a path, an attribute as an attribute).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};

/// Everything a settings file can say; [`Settings::default`] changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// OpenAPI Overlay 1.0 documents applied, in order, to the description before
    /// anything else reads it. Relative paths are read from the settings file's directory
    /// (or, for settings built in code, the description's).
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    /// How operations are grouped into cargo features.
    #[serde(default)]
    pub groups: Grouping,
    /// Schemas (by name or JSON pointer) that are the user's own Rust types: nothing is
    /// generated for them, and everything that refers to them uses the user's type.
    #[serde(default)]
    pub replace: BTreeMap<String, Replacement>,
    /// Extra derives and attributes of the generated models.
    #[serde(default)]
    pub models: Models,
    /// Which Rust types the scalar formats become.
    #[serde(default)]
    pub scalars: Scalars,
    /// New names for operations, schemas and groups.
    #[serde(default)]
    pub rename: Renames,
    /// Operations and schemas left out.
    #[serde(default)]
    pub skip: Skips,
    /// How the pages of operations the recogniser leaves alone follow one another, by
    /// `operationId`; checked against the description.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginationSetting>,
    /// Dependencies added to a standalone crate's `Cargo.toml` (the crates of replaced
    /// types, say), by package name.
    #[serde(default)]
    pub dependencies: BTreeMap<String, Dependency>,
    /// The file the settings were read from, for diagnostics and the crate docs; `None`
    /// for settings built in code.
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

/// How operations fall into groups, each a cargo feature of a standalone crate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    /// By first tag; an operation without tags by the first segment of its path that is
    /// not a version (`customers` of `/v1/customers/{id}`).
    #[default]
    Tags,
    /// By that segment of the path, tags or not.
    Paths,
    /// No groups: no features, every operation always compiled.
    Off,
}

/// The Rust type a schema is replaced by.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Replacement {
    /// A type path (`money::Money`).
    Path(String),
    /// A type path and the traits it implements beyond those every generated type
    /// needs (`Debug`, `Clone`, `PartialEq`, `serde::Serialize`, `serde::Deserialize`),
    /// for the derive check: `implements = ["Eq", "Hash"]`.
    Table(ReplacementTable),
}

/// A replacement written as a table: `{ type = "keys::Key", implements = ["Eq"] }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplacementTable {
    /// The type path.
    #[serde(rename = "type")]
    pub ty: String,
    /// The traits it implements beyond those every generated type needs.
    #[serde(default)]
    pub implements: Vec<String>,
}

impl Replacement {
    /// The Rust type path.
    pub fn path(&self) -> &str {
        match self {
            Replacement::Path(path) => path,
            Replacement::Table(table) => &table.ty,
        }
    }

    /// The traits the type is said to implement beyond the ones every type needs.
    pub fn implements(&self) -> &[String] {
        match self {
            Replacement::Path(_) => &[],
            Replacement::Table(table) => &table.implements,
        }
    }
}

/// Extra derives and attributes: for every model, and per schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Models {
    /// Derived on every generated model (`PartialEq`, `Eq`, `Hash`,
    /// `schemars::JsonSchema` …).
    #[serde(default)]
    pub derive: Vec<String>,
    /// Outer attributes written on every generated model (`#[non_exhaustive]`).
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Per schema (by name or JSON pointer): its own derives and attributes.
    #[serde(default)]
    pub schemas: BTreeMap<String, SchemaModel>,
}

/// The derives and attributes of one schema's model, beyond those of every model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaModel {
    /// Derived on this model.
    #[serde(default)]
    pub derive: Vec<String>,
    /// Outer attributes written on this model.
    #[serde(default)]
    pub attributes: Vec<String>,
}

/// Which Rust type each scalar format becomes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scalars {
    /// `format: date-time` strings.
    #[serde(default)]
    pub date_time: DateLibrary,
    /// `format: date` strings: a date, never a date-time.
    #[serde(default)]
    pub date: DateLibrary,
    /// `format: unix-time` integers (seconds since 1970-01-01T00:00:00Z).
    #[serde(default)]
    pub unix_time: UnixTime,
    /// `format: uuid` strings.
    #[serde(default)]
    pub uuid: UuidType,
    /// `format: binary` values.
    #[serde(default)]
    pub binary: BinaryType,
    /// Integers by `format` (`int64 = "u64"`): one of `i8` … `i128`, `u8` … `u128`.
    #[serde(default)]
    pub integers: BTreeMap<String, String>,
}

/// The library dates and date-times come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateLibrary {
    /// `chrono::DateTime<chrono::FixedOffset>`, `chrono::NaiveDate`.
    #[default]
    Chrono,
    /// `time::OffsetDateTime` (inside `scalars::DateTime`, which reads and writes RFC 3339),
    /// `time::Date`.
    Time,
    /// `jiff::Timestamp`, `jiff::civil::Date`.
    Jiff,
    /// The text as it is.
    String,
}

/// What `format: unix-time` integers become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnixTime {
    /// `i64`, the seconds.
    #[default]
    Integer,
    /// `scalars::UnixTime`: a `chrono::DateTime<chrono::Utc>` written as seconds.
    Chrono,
    /// `scalars::UnixTime`: a `time::OffsetDateTime` written as seconds.
    Time,
    /// `scalars::UnixTime`: a `jiff::Timestamp` written as seconds.
    Jiff,
}

/// What `format: uuid` strings become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UuidType {
    /// `uuid::Uuid`.
    #[default]
    Uuid,
    /// `String`, as the text came.
    String,
}

/// What `format: binary` values become.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BinaryType {
    /// `runtime::Binary`: a string of the bytes inside JSON, the part itself in a form.
    #[default]
    Runtime,
    /// `Vec<u8>`: serde's own form, an array of numbers inside JSON.
    Vec,
    /// `bytes::Bytes`: likewise an array of numbers inside JSON.
    Bytes,
}

/// New names. Keys are the description's names (an `operationId`, a schema's name or
/// JSON pointer, a tag, a path segment or a feature name); the new names go through the
/// same naming rules as the description's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renames {
    /// Operations, by `operationId`.
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
    /// Schemas, by name or JSON pointer.
    #[serde(default)]
    pub schemas: BTreeMap<String, String>,
    /// Groups, by tag, path segment or feature name.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
}

/// What is left out: operations by `operationId`, schemas by name or JSON pointer (what
/// referred to a skipped schema holds any JSON value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skips {
    /// Operations, by `operationId`.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Schemas, by name or JSON pointer.
    #[serde(default)]
    pub schemas: Vec<String>,
}

/// How one operation's responses come in pages. The page is the operation's first
/// successful response with a JSON body; members are named from it by wire name, dotted
/// (`meta.next_page_url`) or as a list (`["@odata.nextLink"]`, for a name with a dot).
/// The next page is asked for in one of three ways: `next-link`, `next-header`, or
/// `cursor` with `next-cursor`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationSetting {
    /// The page's list of items; the empty path when the page is the list. Without it,
    /// the page's one list (or the one named `items`, `data`, `value` or `results`).
    pub items: Option<Members>,
    /// The page's member that holds the next page's URL (absent, `null` or empty after
    /// the last page).
    pub next_link: Option<Members>,
    /// The response header that holds the next page's URL (`Next-Page`); `Link` is read
    /// as RFC 8288 links, taking `rel="next"`. A header the description does not
    /// document is added to the response, as optional text.
    pub next_header: Option<String>,
    /// The query parameter, or else the member of the JSON request body, that takes the
    /// cursor of the next page.
    pub cursor: Option<Members>,
    /// The page's member that holds the cursor of the next page.
    pub next_cursor: Option<Members>,
}

/// A path of members by wire name: dotted (`meta.next`), or a list of names.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Members {
    /// Names joined by dots (`meta.next_page_url`); the empty text for none.
    Dotted(String),
    /// The names one by one, for names that hold a dot (`["@odata.nextLink"]`).
    List(Vec<String>),
}

impl Members {
    /// The names, from the outermost; none for the empty path.
    pub fn names(&self) -> Vec<String> {
        match self {
            Members::Dotted(text) if text.is_empty() => Vec::new(),
            Members::Dotted(text) => text.split('.').map(str::to_owned).collect(),
            Members::List(names) => names.clone(),
        }
    }

    /// As the settings file would write it.
    pub fn shown(&self) -> String {
        match self {
            Members::Dotted(text) => text.clone(),
            Members::List(names) => format!("{names:?}"),
        }
    }
}

/// A dependency of a standalone crate, as Cargo reads one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Dependency {
    /// `"1.2"`.
    Version(String),
    /// `{ path = "../money" }`, `{ version = "1", features = ["serde"] }` …
    Table(DependencyTable),
}

/// A dependency written as a table, with the keys of Cargo's that a generated crate may
/// need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DependencyTable {
    /// The version requirement (`"1.2"`).
    pub version: Option<String>,
    /// Relative to the generated crate, as Cargo reads it.
    pub path: Option<String>,
    /// A git repository's URL.
    pub git: Option<String>,
    /// The package's name, when the dependency's key is another.
    pub package: Option<String>,
    /// Features to turn on.
    #[serde(default)]
    pub features: Vec<String>,
    /// `default-features`.
    pub default_features: Option<bool>,
}

impl Dependency {
    /// The dependency as an inline TOML value (`{ path = "../money" }`).
    pub fn inline(&self) -> String {
        let quoted =
            |text: &str| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
        match self {
            Dependency::Version(version) => quoted(version),
            Dependency::Table(table) => {
                let mut parts = Vec::new();
                for (key, value) in [
                    ("package", &table.package),
                    ("version", &table.version),
                    ("path", &table.path),
                    ("git", &table.git),
                ] {
                    if let Some(value) = value {
                        parts.push(format!("{key} = {}", quoted(value)));
                    }
                }
                if let Some(default) = table.default_features {
                    parts.push(format!("default-features = {default}"));
                }
                if !table.features.is_empty() {
                    let features: Vec<String> = table.features.iter().map(|f| quoted(f)).collect();
                    parts.push(format!("features = [{}]", features.join(", ")));
                }
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

/// The settings file beside a description: `api.yaml` has `api.codegen.toml`.
pub fn beside(description: &Path) -> PathBuf {
    let stem = description
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    description.with_file_name(format!("{stem}.codegen.toml"))
}

/// The integer types `scalars.integers` may name.
pub const INTEGERS: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128",
];

impl Settings {
    /// Reads and checks the settings file at `file`.
    pub fn read(file: &Path) -> Result<Settings> {
        let text = std::fs::read_to_string(file).map_err(|error| {
            Diagnostics::from(Diagnostic::error(
                DiagnosticKind::Io,
                file,
                "",
                format!("cannot read the settings file: {error}"),
            ))
        })?;
        Settings::parse(file, &text)
    }

    /// Parses and checks settings `text`, said to be read from `file`.
    pub fn parse(file: &Path, text: &str) -> Result<Settings> {
        let mut settings: Settings = toml::from_str(text).map_err(|error| {
            let mut message = error.message().trim_end().to_owned();
            if let Some(span) = error.span() {
                let line = text[..span.start].matches('\n').count() + 1;
                message = format!("line {line}: {message}");
            }
            Diagnostics::from(Diagnostic::error(
                DiagnosticKind::Settings,
                file,
                "",
                message,
            ))
        })?;
        settings.file = Some(file.to_path_buf());
        settings.check()?;
        Ok(settings)
    }

    /// The file diagnostics about the settings name: the settings file, or, for settings
    /// built in code, a name that says so.
    pub fn shown_file(&self) -> PathBuf {
        self.file
            .clone()
            .unwrap_or_else(|| PathBuf::from("(settings built in code)"))
    }

    /// Whether these settings change nothing.
    pub fn is_default(&self) -> bool {
        Settings {
            file: None,
            ..self.clone()
        } == Settings::default()
    }

    /// Where relative paths of the settings (overlays) are read from: the settings
    /// file's directory, else `description`'s.
    pub fn base<'a>(&'a self, description: &'a Path) -> &'a Path {
        self.file
            .as_deref()
            .unwrap_or(description)
            .parent()
            .unwrap_or(Path::new(""))
    }

    /// Every value that must parse as Rust does, every integer type is one; all problems
    /// at once, each naming its key.
    pub fn check(&self) -> Result<()> {
        let file = self.shown_file();
        let mut problems = Diagnostics::new();
        let mut fail = |key: String, message: String| {
            problems.push(Diagnostic::error(
                DiagnosticKind::Settings,
                &file,
                &key,
                message,
            ));
        };
        let crates = self.crates();
        let unknown_crate = |path: &str| -> Option<String> {
            let first = first_crate(path)?;
            (!crates.contains(&first)).then(|| {
                format!(
                    "`{path}` names the crate `{first}`, which the generated crate does not depend on: add it under `[dependencies]`"
                )
            })
        };
        for (schema, replacement) in &self.replace {
            let key = format!("replace.{}", toml_key(schema));
            if syn::parse_str::<syn::Type>(replacement.path()).is_err() {
                fail(
                    key.clone(),
                    format!("`{}` is not a Rust type path", replacement.path()),
                );
            } else if let Some(message) = unknown_crate(replacement.path()) {
                fail(key.clone(), message);
            }
            for name in replacement.implements() {
                if syn::parse_str::<syn::Path>(name).is_err() {
                    fail(key.clone(), format!("`{name}` is not a trait path"));
                }
            }
        }
        let models = std::iter::once((
            "models".to_owned(),
            &self.models.derive,
            &self.models.attributes,
        ))
        .chain(self.models.schemas.iter().map(|(schema, model)| {
            (
                format!("models.schemas.{}", toml_key(schema)),
                &model.derive,
                &model.attributes,
            )
        }));
        for (key, derives, attributes) in models {
            for derive in derives {
                let single = !derive.contains("::");
                if syn::parse_str::<syn::Path>(derive).is_err() {
                    fail(
                        format!("{key}.derive"),
                        format!("`{derive}` is not the path of a derive macro"),
                    );
                } else if single && !PRELUDE_DERIVES.contains(&derive.trim()) {
                    fail(
                        format!("{key}.derive"),
                        format!("`{derive}` is not a derive of the prelude: write its path (`schemars::JsonSchema`, `strum::Display`)"),
                    );
                } else if let Some(message) = unknown_crate(derive) {
                    fail(format!("{key}.derive"), message);
                }
            }
            for attribute in attributes {
                match parse_attribute(attribute) {
                    None => fail(
                        format!("{key}.attributes"),
                        format!("`{attribute}` is not one outer attribute (`#[…]`)"),
                    ),
                    Some(parsed) if parsed.path().is_ident("serde") => fail(
                        format!("{key}.attributes"),
                        format!("`{attribute}`: the generated types implement serde themselves, in the description's wire format, so serde's attributes do not apply to them"),
                    ),
                    Some(_) => {}
                }
            }
        }
        for (format, ty) in &self.scalars.integers {
            if !INTEGERS.contains(&ty.as_str()) {
                fail(
                    format!("scalars.integers.{}", toml_key(format)),
                    format!("`{ty}` is not one of {}", INTEGERS.join(", ")),
                );
            }
        }
        for (id, pages) in &self.pagination {
            let key = format!("pagination.{}", toml_key(id));
            let ways = [
                pages.next_link.is_some(),
                pages.next_header.is_some(),
                pages.cursor.is_some(),
            ];
            match ways.iter().filter(|way| **way).count() {
                1 => {}
                0 => fail(key.clone(), "say how the next page is asked for: `next-link`, `next-header`, or `cursor` with `next-cursor`".to_owned()),
                _ => fail(key.clone(), "give one way to ask for the next page: `next-link`, `next-header` or `cursor`, not several".to_owned()),
            }
            match (&pages.cursor, &pages.next_cursor) {
                (Some(_), None) => fail(
                    format!("{key}.cursor"),
                    "a `cursor` needs the `next-cursor` member of the page it is taken from"
                        .to_owned(),
                ),
                (None, Some(_)) => fail(
                    format!("{key}.next-cursor"),
                    "a `next-cursor` needs the `cursor` parameter or body member it is sent in"
                        .to_owned(),
                ),
                _ => {}
            }
            for (name, members) in [
                ("items", &pages.items),
                ("next-link", &pages.next_link),
                ("cursor", &pages.cursor),
                ("next-cursor", &pages.next_cursor),
            ] {
                if members
                    .as_ref()
                    .is_some_and(|m| m.names().iter().any(String::is_empty))
                {
                    fail(format!("{key}.{name}"), "a member name is empty".to_owned());
                }
            }
        }
        for (name, dependency) in &self.dependencies {
            if let Dependency::Table(table) = dependency {
                if table.version.is_none() && table.path.is_none() && table.git.is_none() {
                    fail(
                        format!("dependencies.{}", toml_key(name)),
                        "a dependency needs a `version`, a `path` or a `git`".to_owned(),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The crates a generated crate's code may name with these settings: the standard
    /// library's, those every crate depends on, those the scalar choices and derives add,
    /// and the user's `[dependencies]` (by the name code uses, `-` as `_`).
    fn crates(&self) -> Vec<String> {
        let mut crates: Vec<String> = [
            "crate",
            "std",
            "core",
            "alloc",
            "serde",
            "serde_json",
            "http",
            "chrono",
            "uuid",
            "schemars",
        ]
        .map(String::from)
        .to_vec();
        let scalars = &self.scalars;
        let libraries = [scalars.date_time, scalars.date];
        if libraries.contains(&DateLibrary::Time) || scalars.unix_time == UnixTime::Time {
            crates.push("time".into());
        }
        if libraries.contains(&DateLibrary::Jiff) || scalars.unix_time == UnixTime::Jiff {
            crates.push("jiff".into());
        }
        if scalars.binary == BinaryType::Bytes {
            crates.push("bytes".into());
        }
        // Code names a dependency by its key, whatever its `package`.
        crates.extend(self.dependencies.keys().map(|name| name.replace('-', "_")));
        crates
    }
}

/// Derive macros in the prelude, which a derive may name without a path.
const PRELUDE_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Default",
];

/// The crate a type or derive path starts with (`user_types` of
/// `user_types::Money`, `std` of `std::hash::Hash`); `None` for a name of one segment
/// (`u64`, `Vec<u8>`, `Hash`) and for what is not a plain path.
fn first_crate(path: &str) -> Option<String> {
    let syn::Type::Path(ty) = syn::parse_str::<syn::Type>(path).ok()? else {
        return None;
    };
    let segments = &ty.path.segments;
    (segments.len() > 1).then(|| segments[0].ident.to_string())
}

/// One outer attribute (`#[non_exhaustive]`), if `text` is exactly that.
pub fn parse_attribute(text: &str) -> Option<syn::Attribute> {
    let parser = syn::Attribute::parse_outer;
    let attributes = syn::parse::Parser::parse_str(parser, text).ok()?;
    match <[syn::Attribute; 1]>::try_from(attributes) {
        Ok([attribute]) => Some(attribute),
        Err(_) => None,
    }
}

/// A key as TOML writes it in a dotted path: bare when it can be, else quoted.
pub fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings> {
        Settings::parse(Path::new("api.codegen.toml"), text)
    }

    #[test]
    fn every_key_reads() {
        let settings = parse(
            r##"
overlays = ["fix.overlay.yaml"]
groups = "paths"

[replace]
Money = "money::Money"
"#/components/schemas/Key" = { type = "keys::Key", implements = ["Eq", "Hash"] }

[models]
derive = ["Eq"]
attributes = ["#[non_exhaustive]"]
schemas.Pet = { derive = ["Hash"] }

[scalars]
date-time = "time"
date = "jiff"
unix-time = "time"
uuid = "string"
binary = "bytes"
integers = { int64 = "u64" }

[rename]
operations = { getPet = "FetchPet" }
schemas = { Pet = "Animal" }
groups = { pets = "animals" }

[skip]
operations = ["deleteAll"]
schemas = ["Legacy"]

[pagination.listPets]
items = "data"
cursor = "after"
next-cursor = ["paging", "next.after"]

[dependencies]
money = { path = "../money" }
keys = "1"
"##,
        )
        .unwrap();
        let pages = &settings.pagination["listPets"];
        assert_eq!(
            pages.next_cursor.as_ref().map(Members::names),
            Some(vec!["paging".to_owned(), "next.after".to_owned()])
        );
        assert_eq!(settings.groups, Grouping::Paths);
        assert_eq!(
            settings.replace["#/components/schemas/Key"].implements(),
            ["Eq", "Hash"]
        );
        assert_eq!(settings.scalars.date_time, DateLibrary::Time);
        assert_eq!(settings.scalars.unix_time, UnixTime::Time);
        assert_eq!(
            settings.dependencies["money"].inline(),
            "{ path = \"../money\" }"
        );
        assert_eq!(settings.dependencies["keys"].inline(), "\"1\"");
        assert!(parse("").unwrap().is_default());
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it_and_the_file() {
        let problems = parse("[scalars]\ndatetime = \"time\"\n").unwrap_err();
        let shown = problems.to_string();
        assert!(shown.contains("api.codegen.toml"), "{shown}");
        assert!(shown.contains("line 2"), "{shown}");
        assert!(shown.contains("unknown field `datetime`"), "{shown}");
    }

    #[test]
    fn values_are_checked_all_at_once() {
        let problems = parse(
            "[replace]\nMoney = \"not a type!\"\n[models]\nderive = [\"1x\"]\nattributes = [\"non_exhaustive\"]\n[scalars.integers]\nint64 = \"usize\"\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 4, "{problems}");
        let shown = problems.to_string();
        assert!(
            shown.contains("at replace.Money: `not a type!` is not a Rust type path"),
            "{shown}"
        );
        assert!(
            shown.contains("at scalars.integers.int64: `usize` is not one of"),
            "{shown}"
        );
    }

    #[test]
    fn a_wrong_value_names_the_choices() {
        let shown = parse("[scalars]\ndate = \"chronos\"\n")
            .unwrap_err()
            .to_string();
        assert!(shown.contains("unknown variant `chronos`"), "{shown}");
        assert!(
            shown.contains("`chrono`, `time`, `jiff`, `string`"),
            "{shown}"
        );
    }
}
