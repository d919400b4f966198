//! Hostile descriptions: descriptions are untrusted input, so none may inject code into
//! the generated crate, make us read files outside the description's directory, or crash,
//! hang or exhaust the generator.
//!
//! - Names and texts built to break out of identifiers, strings and doc comments give a
//!   crate that builds with warnings denied (`clippy`, `doc`, no doctests) and holds
//!   exactly the items the model says it should, checked on the syntax tree, with no
//!   identifier of the attack anywhere outside string literals.
//! - `$ref`s that leave the description's directory are refused with the file and pointer.
//! - Deep nesting, alias bombs, very large files and cycles of references end in a
//!   diagnostic or in output within a time limit and a memory limit; each runs in a child
//!   process, so a stack overflow, an abort or a hang fails its test instead of the run.
//!
//! Fixtures are in `tests/fixtures/hostile/`; the big ones are made at run time.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use quote::ToTokens;

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

// ---------------------------------------------------------------------------------------
// Building a generated crate, and checking what it holds
// ---------------------------------------------------------------------------------------

/// Identifiers of the attacks in the fixtures. None may appear as an identifier token of
/// the generated code unless the generator itself chose it as a name.
const ATTACK_WORDS: &[&str] = &[
    "exit",
    "process",
    "evil",
    "pwned",
    "script",
    "unsafe",
    "extern",
    "include",
    "include_str",
    "include_bytes",
    "env",
    "concat",
    "macro_rules",
    "asm",
    "global_asm",
];

/// Generates `spec` as the standalone crate `name` into `target/compile-tests/NAME`,
/// checks the files, then builds them with warnings denied: `cargo clippy`, `cargo doc`,
/// and `cargo test --doc`, which must find no doctest to run.
fn builds_cleanly(spec: &Path, name: &str) {
    let files = generates(spec, name);
    let out = workspace().join("target/compile-tests").join(name);
    codegen::sync(&out, &files, &[Path::new("src")], codegen::Mode::Write).unwrap();
    // As in compile.rs: the workspace's lock file and one shared target directory, so
    // dependencies resolve to the same versions and build once for all these crates.
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let target = workspace().join("target/compile-tests/target");
    for task in [
        &["clippy", "--quiet"][..],
        &["doc", "--no-deps", "--quiet"][..],
        &["test", "--doc"][..],
    ] {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(task)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-Dwarnings")
            .env("RUSTDOCFLAGS", "-Dwarnings")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && !stderr.contains("warning"),
            "`cargo {}` of the crate generated from {} failed:\n{stderr}",
            task[0],
            spec.display()
        );
        if task[0] == "test" {
            // No text of a description may become a doctest that `cargo test` runs.
            assert!(
                stdout.contains("running 0 tests"),
                "doctests were generated from {}:\n{stdout}",
                spec.display()
            );
        }
    }
}

/// Generates `spec` as a standalone crate and checks every file (see [`check_files`]).
fn generates(spec: &Path, name: &str) -> Vec<codegen::File> {
    let source = spec.display().to_string();
    let files = codegen::standalone_crate(spec, &source, name)
        .unwrap_or_else(|error| panic!("{source} does not generate:\n{error}"));
    let api = codegen::api(spec).unwrap();
    // The crate of a harmless description, shown under the same path and package name.
    let reference = codegen::standalone_crate(&fixture("harmless.yaml"), &source, name).unwrap();
    check_files(&api, &files, &reference);
    files
}

/// The files of a generated crate hold the intended items and nothing else:
///
/// - exactly the five files of a crate, the runtime verbatim, and a `Cargo.toml` that
///   differs from a harmless description's only in its (filtered) `description`;
/// - `lib.rs` declares the three modules, `models.rs` and `operations.rs` define exactly
///   the types the model names (each once), and impls only for those types;
/// - attributes are only docs (a string literal each), derives, `serde`, `allow`,
///   `deprecated`, `warn` and `rustfmt::skip`;
/// - no identifier of an attack appears outside literals, and no bidirectional control
///   character appears anywhere (not even escaped text reaches the source raw).
fn check_files(api: &codegen::model::Api, files: &[codegen::File], reference: &[codegen::File]) {
    let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "src/lib.rs",
            "src/models.rs",
            "src/operations.rs",
            "src/runtime.rs"
        ]
    );
    let file = |path: &str| {
        &files
            .iter()
            .find(|f| f.path == Path::new(path))
            .unwrap()
            .contents
    };
    let reference_file = |path: &str| {
        &reference
            .iter()
            .find(|f| f.path == Path::new(path))
            .unwrap()
            .contents
    };
    assert!(
        file("src/runtime.rs") == reference_file("src/runtime.rs"),
        "the runtime differs from a harmless description's"
    );
    let manifest_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("# @generated") && !line.starts_with("description"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        manifest_lines(file("Cargo.toml")),
        manifest_lines(reference_file("Cargo.toml")),
        "Cargo.toml differs from a harmless description's beyond its description"
    );
    let description = file("Cargo.toml")
        .lines()
        .find(|line| line.starts_with("description"))
        .unwrap();
    let value = description
        .strip_prefix("description = \"")
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("not one TOML string: {description}"));
    assert!(
        !value.contains(['"', '\\']),
        "the description escapes its TOML string: {description}"
    );

    let names = generated_names(api);
    for (path, expected) in [
        ("src/lib.rs", lib_items()),
        ("src/models.rs", model_items(api)),
        ("src/operations.rs", operation_items(api)),
    ] {
        let text = file(path);
        assert!(
            !text.contains(is_bidi),
            "{path} holds a bidirectional control character"
        );
        let syntax = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        check_attrs(&syntax.attrs, path);
        // `defaults` (functions only, checked in `defined_items`) exists when a default
        // fits its field, which the model does not say.
        let mut defined = defined_items(&syntax.items, path);
        defined.remove(&Defined::Module("defaults".into()));
        assert_eq!(defined, expected, "the items of {path}");
        let tokens: proc_macro2::TokenStream = text.parse().unwrap();
        check_tokens(tokens, &names, path);
    }
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Every Rust name the generator chose from the description.
fn generated_names(api: &codegen::model::Api) -> BTreeSet<String> {
    use codegen::model::{HeaderTy, TypeKind};
    let mut names = BTreeSet::new();
    for def in &api.types {
        names.insert(def.name.clone());
        match &def.kind {
            TypeKind::Struct(s) => names.extend(s.fields.iter().map(|f| f.name.clone())),
            TypeKind::Enum(e) => names.extend(e.variants.iter().map(|v| v.name.clone())),
            TypeKind::IntEnum(e) => names.extend(e.variants.iter().map(|v| v.1.clone())),
            TypeKind::OneOf(o) => names.extend(o.variants.iter().map(|v| v.name.clone())),
            TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
        }
    }
    for op in api.operations.iter().chain(&api.webhooks) {
        names.insert(op.name.clone());
        names.extend(op.params.iter().map(|p| p.name.clone()));
        for response in &op.responses {
            names.insert(response.variant.clone());
            for header in &response.headers {
                names.insert(header.name.clone());
                if let HeaderTy::Enum { name, values } = &header.ty {
                    names.insert(name.clone());
                    names.extend(values.variants.iter().map(|v| v.name.clone()));
                }
            }
        }
    }
    names
}

/// What an item of a generated module defines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Defined {
    /// A struct, enum or type alias.
    Type(String),
    /// A module.
    Module(String),
}

fn lib_items() -> BTreeSet<Defined> {
    ["models", "operations", "runtime"]
        .into_iter()
        .map(|m| Defined::Module(m.to_owned()))
        .collect()
}

fn model_items(api: &codegen::model::Api) -> BTreeSet<Defined> {
    api.types
        .iter()
        .map(|def| Defined::Type(def.name.clone()))
        .collect()
}

fn operation_items(api: &codegen::model::Api) -> BTreeSet<Defined> {
    use codegen::model::{HeaderTy, Payload};
    let mut items = BTreeSet::new();
    for op in &api.operations {
        let name = &op.name;
        items.insert(Defined::Type(name.clone()));
        if !op.params.is_empty() {
            items.insert(Defined::Type(format!("{name}Params")));
        }
        items.insert(Defined::Type(format!("{name}Responses")));
        items.insert(Defined::Type(format!("{name}Errors")));
        for header in op.responses.iter().flat_map(|r| &r.headers) {
            if let HeaderTy::Enum { name, .. } = &header.ty {
                items.insert(Defined::Type(name.clone()));
            }
        }
    }
    for hook in &api.webhooks {
        if hook
            .body
            .as_ref()
            .is_some_and(|b| b.payload != Payload::Empty)
        {
            let base = hook.name.strip_suffix("Webhook").unwrap_or(&hook.name);
            items.insert(Defined::Type(format!("{base}Webhook")));
        }
    }
    items
}

/// The types and modules `items` define, each once; impls must be for one of those types.
fn defined_items(items: &[syn::Item], path: &str) -> BTreeSet<Defined> {
    let mut defined = BTreeSet::new();
    let mut add = |item: Defined| {
        assert!(
            defined.insert(item.clone()),
            "{path} defines {item:?} twice"
        );
    };
    let mut impls = Vec::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                check_attrs(&s.attrs, path);
                for field in &s.fields {
                    check_attrs(&field.attrs, path);
                }
                add(Defined::Type(s.ident.to_string()));
            }
            syn::Item::Enum(e) => {
                check_attrs(&e.attrs, path);
                for variant in &e.variants {
                    check_attrs(&variant.attrs, path);
                    assert!(variant.discriminant.is_none(), "{path}: a discriminant");
                    for field in &variant.fields {
                        check_attrs(&field.attrs, path);
                    }
                }
                add(Defined::Type(e.ident.to_string()));
            }
            syn::Item::Type(t) => {
                check_attrs(&t.attrs, path);
                add(Defined::Type(t.ident.to_string()));
            }
            syn::Item::Impl(i) => {
                check_attrs(&i.attrs, path);
                assert!(i.unsafety.is_none(), "{path}: an unsafe impl");
                impls.push(i);
            }
            syn::Item::Use(u) => {
                // Private imports of the generator's own paths (`use crate::runtime;`);
                // their identifiers pass `check_tokens` like all others.
                check_attrs(&u.attrs, path);
                assert!(
                    matches!(u.vis, syn::Visibility::Inherited),
                    "{path}: a public import: {}",
                    u.to_token_stream()
                );
            }
            syn::Item::Mod(m) => {
                check_attrs(&m.attrs, path);
                if let Some((_, content)) = &m.content {
                    // Only the `defaults` module has a body: functions that return values.
                    assert_eq!(m.ident, "defaults", "{path}: an unexpected inline module");
                    for item in content {
                        let syn::Item::Fn(f) = item else {
                            panic!(
                                "{path}: `defaults` holds more than functions: {}",
                                item.to_token_stream()
                            );
                        };
                        assert!(f.sig.unsafety.is_none() && f.sig.abi.is_none());
                        check_attrs(&f.attrs, path);
                    }
                }
                add(Defined::Module(m.ident.to_string()));
            }
            other => panic!(
                "{path} holds an item the generator never writes: {}",
                other.to_token_stream()
            ),
        }
    }
    for i in impls {
        let self_ty = i.self_ty.to_token_stream().to_string();
        let own = defined.contains(&Defined::Type(self_ty.clone()))
            || matches!(self_ty.as_str(), "i32" | "i64");
        assert!(
            own,
            "{path}: an impl for `{self_ty}`, not a type of the file"
        );
        for item in &i.items {
            match item {
                syn::ImplItem::Fn(f) => {
                    check_attrs(&f.attrs, path);
                    assert!(f.sig.unsafety.is_none() && f.sig.abi.is_none());
                }
                syn::ImplItem::Const(c) => check_attrs(&c.attrs, path),
                syn::ImplItem::Type(t) => check_attrs(&t.attrs, path),
                other => panic!("{path}: an impl holds {}", other.to_token_stream()),
            }
        }
    }
    defined
}

/// Attributes the generator writes: docs as `#[doc = "…"]` with a plain string literal,
/// derives, serde's, and a few lint levels.
fn check_attrs(attrs: &[syn::Attribute], path: &str) {
    for attr in attrs {
        let name = attr.path().to_token_stream().to_string().replace(' ', "");
        match name.as_str() {
            "doc" => {
                let syn::Meta::NameValue(meta) = &attr.meta else {
                    panic!("{path}: a doc attribute that is not `doc = \"…\"`");
                };
                assert!(
                    matches!(
                        &meta.value,
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(_),
                            ..
                        })
                    ),
                    "{path}: a doc attribute that is not a string literal: {}",
                    attr.to_token_stream()
                );
            }
            "derive" | "serde" | "allow" | "deprecated" | "warn" | "rustfmt::skip" => {}
            other => panic!("{path}: an unexpected attribute `{other}`"),
        }
    }
}

/// No identifier of [`ATTACK_WORDS`] outside literals, unless the generator chose it.
fn check_tokens(tokens: proc_macro2::TokenStream, names: &BTreeSet<String>, path: &str) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Group(group) => check_tokens(group.stream(), names, path),
            proc_macro2::TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let text = text.strip_prefix("r#").unwrap_or(&text);
                assert!(
                    !ATTACK_WORDS.contains(&text) || names.contains(text),
                    "{path}: the identifier `{text}` of an attack reached the code"
                );
            }
            proc_macro2::TokenTree::Punct(_) | proc_macro2::TokenTree::Literal(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Names and texts that try to break out
// ---------------------------------------------------------------------------------------

/// Schema, property, enum, operation, parameter and header names that are string and
/// comment breakouts, keywords, prelude names, empty, punctuation, bidi controls, or that
/// differ only in case.
#[test]
fn hostile_names_build_to_the_intended_items() {
    builds_cleanly(&fixture("names.yaml"), "hostile_names");
}

/// Descriptions, summaries, titles and status descriptions with code fences, indented
/// code, comment and string breakouts, HTML, broken links, control characters and bidi
/// controls: docs stay docs, and no doctest is generated.
#[test]
fn hostile_texts_stay_documentation() {
    builds_cleanly(&fixture("texts.yaml"), "hostile_texts");
}

/// The same attacks in a Swagger 2.0 description: body and form parameters, `produces`,
/// response headers.
#[test]
fn hostile_swagger_names_build_to_the_intended_items() {
    builds_cleanly(&fixture("swagger.json"), "hostile_swagger");
}

/// A header's wire name with backticks, brackets and HTML: it is written into the doc of
/// the header's enum inside a code span, which it closes.
#[test]
fn header_names_with_markup_document_cleanly() {
    builds_cleanly(&fixture("header_markup.yaml"), "hostile_header_markup");
}

/// Names of 10,000 characters everywhere a name goes, some sharing their first 64.
#[test]
fn ten_thousand_character_names_are_cut_and_kept_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("long.json");
    std::fs::write(&spec, long_names_spec()).unwrap();
    builds_cleanly(&spec, "hostile_long_names");
}

/// JSON, since YAML allows implicit keys of at most 1,024 characters.
fn long_names_spec() -> String {
    use serde_json::json;
    let long = |c: char, tail: &str| format!("{}{tail}", c.to_string().repeat(10_000));
    let (a1, a2, b) = (long('a', "1"), long('a', "2"), long('b', ""));
    let text = "x".repeat(10_000);
    let mut paths = serde_json::Map::new();
    for id in [&a1, &a2, &b] {
        let operation = json!({
            "operationId": id,
            "summary": text,
            "description": text,
            "parameters": [
                {"name": id, "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": a1, "in": "query", "schema": {"type": "string"}},
                {"name": a2, "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": text,
                    "headers": {
                        a1.clone(): {"schema": {"type": "string", "enum": [a1, a2, b]}},
                        a2.clone(): {"schema": {"type": "string"}},
                    },
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{a1}")}}},
                },
                "500": {"description": text},
            },
        });
        paths.insert(format!("/{id}/{{{id}}}"), json!({ "get": operation }));
    }
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": text, "version": "1", "description": text},
        "paths": paths,
        "components": {"schemas": {
            a1.clone(): {
                "type": "object",
                "description": text,
                "properties": {
                    a1.clone(): {"type": "string", "description": text},
                    a2.clone(): {"type": "string", "default": text},
                    b.clone(): {"$ref": format!("#/components/schemas/{a2}")},
                },
            },
            a2.clone(): {"type": "string", "enum": [a1, a2, b]},
            b.clone(): {"type": "integer", "enum": [1, 2], "x-enum-varnames": [a1, a2]},
        }},
    });
    spec.to_string()
}

// ---------------------------------------------------------------------------------------
// `$ref`s that would make us read other files
// ---------------------------------------------------------------------------------------

/// The error of generating `spec`, which must fail.
fn error_of(spec: &Path) -> codegen::Error {
    match codegen::standalone_crate(spec, "x", "refused") {
        Ok(_) => panic!("{} generated, but it must be refused", spec.display()),
        Err(error) => error,
    }
}

/// A `$ref` to a file outside the description's directory, to an absolute path or to a
/// URL is refused, with the file and the pointer of the `$ref`, even when the file exists.
#[test]
fn refs_that_leave_the_directory_are_refused() {
    let cases = [
        (
            "parent.yaml",
            "../names.yaml#/components/schemas/Pet",
            "leaves the directory",
        ),
        (
            "parent_deep.yaml",
            "sub/../../names.yaml#/components/schemas/Pet",
            "leaves the directory",
        ),
        ("absolute.yaml", "/etc/passwd#/x", "absolute"),
        ("absolute_windows.yaml", "C:/Windows/win.ini#/x", ""),
        ("unc.yaml", "//server/share/api.yaml#/x", "URL"),
        (
            "http.yaml",
            "http://example.com/api.yaml#/components/schemas/Pet",
            "URL",
        ),
        ("https.yaml", "https://example.com/api.yaml", "URL"),
        ("file_url.yaml", "file:///etc/passwd#/x", "URL"),
    ];
    for (file, reference, why) in cases {
        let spec = fixture("refs").join(file);
        let error = error_of(&spec);
        let text = error.to_string();
        assert_eq!(error.diagnostics.len(), 1, "{text}");
        let diagnostic = &error.diagnostics[0];
        assert_eq!(diagnostic.file, spec, "{text}");
        assert_eq!(
            diagnostic.pointer, "#/components/schemas/Thing/properties/other",
            "{text}"
        );
        assert!(
            diagnostic.message.contains(reference) && diagnostic.message.contains(why),
            "{file}: {text}"
        );
        if !why.is_empty() {
            assert!(diagnostic.message.contains("refused"), "{file}: {text}");
        }
    }
}

/// A file inside the directory may not reach out of it either: `..` counts from the
/// directory of the file the `$ref` is in, and the error names that file.
#[test]
fn refs_from_other_files_cannot_leave_the_directory() {
    let spec = fixture("refs/nested/api.yaml");
    let error = error_of(&spec);
    let text = error.to_string();
    let diagnostic = &error.diagnostics[0];
    assert_eq!(
        diagnostic.file,
        fixture("refs/nested/sub/inner.yaml"),
        "{text}"
    );
    assert_eq!(diagnostic.pointer, "#/Inner/properties/outside", "{text}");
    assert!(
        diagnostic.message.contains("../../parent.yaml") && text.contains("leaves the directory"),
        "{text}"
    );
}

/// A symbolic link inside the directory that points outside it is a file outside it.
#[test]
fn refs_through_symbolic_links_cannot_leave_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let inside = dir.path().join("api");
    std::fs::create_dir(&inside).unwrap();
    std::fs::write(
        dir.path().join("secret.yaml"),
        "Secret: {type: object, properties: {token: {type: string}}}\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.yaml"), inside.join("link.yaml")).unwrap();
    let spec = inside.join("api.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'link.yaml#/Secret'}\n",
    )
    .unwrap();
    let text = error_of(&spec).to_string();
    assert!(text.contains("link.yaml"), "{text}");
}

/// With `--allow-outside-refs` (`Reach::AnyFile`) the user vouches for the description:
/// `..` past its directory, absolute paths and symbolic links out are followed, through
/// chains of files, and the headers name the flag. URLs are still refused.
#[test]
fn refs_outside_are_followed_only_when_allowed() {
    let generate = |spec: &Path| {
        codegen::standalone_crate_timed(
            spec,
            "spec",
            "outside",
            &codegen::Filter::all(),
            codegen::Reach::AnyFile,
        )
        .map(|(files, _)| files)
    };
    let models = |files: &[codegen::File]| {
        let models = files.iter().find(|f| f.path == Path::new("src/models.rs"));
        models.unwrap().contents.clone()
    };
    for file in ["parent.yaml", "parent_deep.yaml", "nested/api.yaml"] {
        let spec = fixture("refs").join(file);
        let files = generate(&spec).unwrap_or_else(|error| panic!("{file}: {error}"));
        let models = models(&files);
        assert!(models.contains("pub struct Pet"), "{file}:\n{models}");
        assert!(models.contains("--allow-outside-refs"), "{file}:\n{models}");
    }

    // An absolute path and a symbolic link out of the directory, into a temporary one.
    let dir = tempfile::tempdir().unwrap();
    let inside = dir.path().join("api");
    std::fs::create_dir(&inside).unwrap();
    let secret = dir.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "Secret: {type: object, properties: {token: {type: string}}}\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, inside.join("link.yaml")).unwrap();
    let spec = inside.join("api.yaml");
    std::fs::write(
        &spec,
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    \
             A: {{$ref: '{}#/Secret'}}\n    B: {{$ref: 'link.yaml#/Secret'}}\n",
            secret.display()
        ),
    )
    .unwrap();
    let files = generate(&spec).unwrap_or_else(|error| panic!("{error}"));
    let both = models(&files);
    assert!(both.contains("pub token: Option<String>"));
    // Two paths to one file are one file: its schema is one type, not two.
    assert_eq!(both.matches("pub token").count(), 1, "{both}");
    let refused = error_of(&spec).to_string();
    assert!(
        refused.contains("absolute paths are not followed"),
        "{refused}"
    );

    for file in ["http.yaml", "https.yaml", "file_url.yaml", "unc.yaml"] {
        let spec = fixture("refs").join(file);
        match generate(&spec) {
            Ok(_) => panic!("{file}: a URL was followed"),
            Err(error) => assert!(error.to_string().contains("URL"), "{file}: {error}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Bounded time and memory: each case runs in a child process
// ---------------------------------------------------------------------------------------

/// Most a case may take; a debug build on CI's two cores is far below it.
const TIME_LIMIT: Duration = Duration::from_secs(300);
/// Address space a case may map (KiB), which bounds its memory.
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// What a bounded case ended in.
enum Outcome {
    Generated,
    Refused(codegen::Error),
}

/// Runs `case` (named `test`, the test function calling this) in a child process: this
/// test binary, run again on that one test with a memory limit and a deadline. In the
/// child, `case` runs on the test harness's thread, with its default stack. The test
/// fails if the child overflows its stack, aborts, panics, runs out of memory or time.
fn bounded(test: &str, case: fn() -> Outcome, check: fn(&Outcome)) {
    if std::env::var("CODEGEN_HOSTILE_CHILD").as_deref() == Ok(test) {
        let outcome = case();
        check(&outcome);
        match outcome {
            Outcome::Generated => println!("outcome: generated"),
            Outcome::Refused(error) => println!("outcome: refused\n{error}"),
        }
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(&exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("CODEGEN_HOSTILE_CHILD", test)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{test} did not end within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        status.success() && stdout.contains("outcome: "),
        "{test} failed in its child process ({status}):\n{stdout}\n{stderr}"
    );
    // For `--nocapture`: what the case ended in, and how long it took (never asserted).
    let outcome = stdout.split_once("outcome: ").map_or("", |(_, rest)| rest);
    let outcome: Vec<&str> = outcome
        .lines()
        .take_while(|line| !line.is_empty() && *line != "ok")
        .take(4)
        .collect();
    let timing = stderr.lines().find(|line| line.contains("bytes of output"));
    println!(
        "{test} ({:.1?}): {}\n  {}",
        start.elapsed(),
        outcome.join("\n  "),
        timing.unwrap_or_default()
    );
}

/// Runs the whole pipeline on `spec`, as `cargo xtask codegen --spec` would.
fn run(spec: &Path) -> Outcome {
    let filter = codegen::Filter::all();
    match codegen::standalone_crate_timed(
        spec,
        "spec",
        "bounded",
        &filter,
        codegen::Reach::Directory,
    ) {
        Ok((files, phases)) => {
            assert!(files.iter().any(|f| f.path == Path::new("src/models.rs")));
            let size: usize = files.iter().map(|f| f.contents.len()).sum();
            eprintln!("{size} bytes of output; {phases:?}");
            Outcome::Generated
        }
        Err(error) => Outcome::Refused(error),
    }
}

/// Writes `contents` to a file of a fresh temporary directory and runs the pipeline on it.
fn run_text(name: &str, contents: &[u8]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join(name);
    std::fs::write(&spec, contents).unwrap();
    run(&spec)
}

/// The error is one diagnostic, naming the file, with `words` in its message.
fn refused_with(outcome: &Outcome, file: &str, words: &[&str]) {
    let Outcome::Refused(error) = outcome else {
        panic!("generated, but should have been refused");
    };
    let text = error.to_string();
    assert!(text.contains(file), "the error names the file: {text}");
    for word in words {
        assert!(text.contains(word), "`{word}` missing from: {text}");
    }
}

const HEAD_YAML: &str = "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\n";
const HEAD_JSON: &str = r#"{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"#;

/// 10,000 nested objects (schemas with a property each) and arrays, in JSON.
#[test]
fn deep_nesting_in_json_is_refused() {
    bounded(
        "deep_nesting_in_json_is_refused",
        || {
            let depth = 10_000;
            let mut text = String::from(HEAD_JSON);
            text.push_str(r#""components":{"schemas":{"Deep":"#);
            text.push_str(&r#"{"type":"object","properties":{"a":"#.repeat(depth));
            text.push_str(r#"{"type":"string"}"#);
            text.push_str(&"}}".repeat(depth));
            text.push_str(r#"},"x-deep":"#);
            text.push_str(&"[".repeat(depth));
            text.push_str(&"]".repeat(depth));
            text.push_str("}}");
            run_text("deep.json", text.as_bytes())
        },
        |outcome| refused_with(outcome, "deep.json", &["malformed JSON", "recursion limit"]),
    );
}

/// 10,000 nested objects in YAML, in flow style and in block style, and nested sequences.
#[test]
fn deep_nesting_in_yaml_is_refused() {
    bounded(
        "deep_nesting_in_yaml_is_refused",
        || {
            let depth = 10_000;
            let mut flow = String::from(HEAD_YAML);
            flow.push_str("components:\n  schemas:\n    Deep: ");
            flow.push_str(&"{type: object, properties: {a: ".repeat(depth));
            flow.push_str("{type: string}");
            flow.push_str(&"}}".repeat(depth));
            flow.push('\n');
            let flow = run_text("flow.yaml", flow.as_bytes());
            refused_with(&flow, "flow.yaml", &["malformed YAML", "recursion limit"]);

            let mut block = String::from(HEAD_YAML);
            block.push_str("x-deep:\n");
            for level in 0..depth {
                // One space more per level: 50 MB of indentation for 10,000 levels.
                block.push_str(&" ".repeat(level + 1));
                block.push_str("a:\n");
            }
            let block = run_text("block.yaml", block.as_bytes());
            refused_with(&block, "block.yaml", &["malformed YAML", "recursion limit"]);

            // Block sequences in compact form, `- - - …`, and flow sequences.
            let mut sequences = String::from(HEAD_YAML);
            sequences.push_str("x-deep: ");
            sequences.push_str(&"[".repeat(depth));
            sequences.push_str(&"]".repeat(depth));
            sequences.push_str("\nx-block:\n");
            sequences.push_str(&"- ".repeat(depth));
            sequences.push_str("a\n");
            run_text("sequences.yaml", sequences.as_bytes())
        },
        |outcome| {
            refused_with(
                outcome,
                "sequences.yaml",
                &["malformed YAML", "recursion limit"],
            )
        },
    );
}

/// Nesting just below the parsers' limit of 128 that the lowering and the formatter
/// follow: 15 rounds of inline schemas through properties, items, additionalProperties,
/// allOf and oneOf, each round eight levels of JSON.
#[test]
fn deep_inline_schemas_generate() {
    bounded(
        "deep_inline_schemas_generate",
        || {
            let depth = 15;
            let mut text = String::from(HEAD_JSON);
            text.push_str(r#""components":{"schemas":{"Deep":"#);
            for _ in 0..depth {
                text.push_str(r#"{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","additionalProperties":{"allOf":[{"oneOf":[{"type":"string"},"#);
            }
            text.push_str(r#"{"type":"integer"}"#);
            text.push_str(&"]}]}}}}}".repeat(depth));
            text.push_str("}}}");
            run_text("inline.json", text.as_bytes())
        },
        |outcome| {
            if let Outcome::Refused(error) = outcome {
                panic!("a description within the limits was refused: {error}");
            }
        },
    );
}

/// A billion laughs: nine levels of nine aliases each, 387 million strings if expanded.
#[test]
fn yaml_alias_bomb_is_refused() {
    bounded(
        "yaml_alias_bomb_is_refused",
        || {
            let mut text = String::from(HEAD_YAML);
            text.push_str("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            let levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
            for pair in levels.windows(2) {
                let refs = vec![format!("*{}", pair[0]); 9].join(", ");
                writeln!(text, "x-{}: &{} [{refs}]", pair[1], pair[1]).unwrap();
            }
            // And the bomb where the generator looks: a schema built of aliases.
            text.push_str(
                "components:\n  schemas:\n    Bomb:\n      type: object\n      x-lol: *i\n",
            );
            run_text("laughs.yaml", text.as_bytes())
        },
        |outcome| {
            refused_with(
                outcome,
                "laughs.yaml",
                &["malformed YAML", "repetition limit"],
            )
        },
    );
}

/// Aliases that stay under the parser's limits but multiply through merge keys `<<`.
#[test]
fn yaml_merge_key_bomb_ends() {
    bounded(
        "yaml_merge_key_bomb_ends",
        || {
            let mut text = String::from(HEAD_YAML);
            text.push_str("x-0: &l0 {a0: 1, b0: 2}\n");
            for level in 1..30 {
                let previous = level - 1;
                writeln!(
                    text,
                    "x-{level}: &l{level} {{<<: [*l{previous}], k{level}: {{<<: *l{previous}}}}}"
                )
                .unwrap();
            }
            run_text("merge.yaml", text.as_bytes())
        },
        |outcome| {
            if let Outcome::Refused(error) = outcome {
                let text = error.to_string();
                assert!(text.contains("merge.yaml"), "{text}");
            }
        },
    );
}

/// A 50 MB description: 5,000 schemas and 2,000 operations with long descriptions, one
/// description of 5 MB on a single line of Markdown, and an extension that fills the rest.
#[test]
fn a_fifty_megabyte_description_ends() {
    bounded(
        "a_fifty_megabyte_description_ends",
        || {
            let dir = tempfile::tempdir().unwrap();
            let spec = dir.path().join("large.json");
            let text = large_spec(50_000_000);
            assert_eq!(text.len(), 50_000_000);
            std::fs::write(&spec, text).unwrap();
            run(&spec)
        },
        |outcome| {
            if let Outcome::Refused(error) = outcome {
                panic!("a valid description was refused: {error}");
            }
        },
    );
}

/// A JSON description of exactly `size` bytes.
fn large_spec(size: usize) -> String {
    let prose = "Lorem ipsum `code` [link](https://example.com) <b>x</b> dolor sit amet. ";
    let description = prose.repeat(30);
    let markdown = "`a` [b] <http://c> ``d` e [f](g) https://h. ".repeat(5_000_000 / 44);
    let (schemas, operations) = (5_000, 2_000);
    let mut out = String::with_capacity(size);
    write!(out, r#"{{"openapi":"3.0.3","info":{{"title":"Large","version":"1","description":"{markdown}"}},"paths":{{"#).unwrap();
    for op in 0..operations {
        let comma = if op + 1 < operations { "," } else { "" };
        let schema = op * schemas / operations;
        write!(
            out,
            r##""/things{op}/{{id}}":{{"get":{{"operationId":"get{op}","description":"{description}","parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"string"}}}},{{"name":"page","in":"query","schema":{{"type":"integer"}}}}],"responses":{{"200":{{"description":"{description}","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S{schema}"}}}}}}}},"404":{{"description":"Not found."}}}}}}}}{comma}"##
        )
        .unwrap();
    }
    out.push_str(r#"},"components":{"schemas":{"#);
    for s in 0..schemas {
        let comma = if s + 1 < schemas { "," } else { "" };
        let next = (s + 1) % schemas;
        write!(
            out,
            r##""S{s}":{{"type":"object","description":"{description}","required":["id"],"properties":{{"id":{{"type":"string","format":"uuid"}},"name":{{"type":"string","description":"{description}"}},"count":{{"type":"integer","format":"int32"}},"tags":{{"type":"array","items":{{"type":"string"}}}},"next":{{"$ref":"#/components/schemas/S{next}"}},"kind":{{"type":"string","enum":["a","b","c"]}}}}}}{comma}"##
        )
        .unwrap();
    }
    let end = r#""}"#;
    out.push_str(r#"}},"x-padding":""#);
    let padding = size.saturating_sub(out.len() + end.len());
    out.push_str(&"x".repeat(padding));
    out.push_str(end);
    out
}

// ---------------------------------------------------------------------------------------
// Cycles of references through every kind of object
// ---------------------------------------------------------------------------------------

/// `$ref`s that only lead to each other, through schemas, responses, parameters, request
/// bodies, headers, path items and the document itself: one diagnostic each, no hang.
#[test]
fn reference_cycles_are_refused() {
    bounded(
        "reference_cycles_are_refused",
        || run(&fixture("cycles.yaml")),
        |outcome| {
            let Outcome::Refused(error) = outcome else {
                panic!("cycles.yaml generated");
            };
            let text = error.to_string();
            // Each cycle is reported where it closes, once.
            for pointer in [
                "#/paths/~1path-items",
                "#/paths/~1path-item-itself",
                "#/paths/~1through-other-paths/get/responses/200",
                "#/components/responses/R2",
                "#/components/parameters/P2",
                "#/components/requestBodies/B2",
                "#/components/headers/H2",
                "#/components/schemas/A",
                "#/components/schemas/Self",
                "#/components/schemas/AllOfA",
            ] {
                let found = error
                    .diagnostics
                    .iter()
                    .any(|d| d.pointer == pointer && d.message.contains("cycle"));
                assert!(found, "no cycle reported at {pointer}:\n{text}");
            }
            assert!(
                error
                    .diagnostics
                    .iter()
                    .all(|d| d.file.ends_with("cycles.yaml")),
                "{text}"
            );
        },
    );
}

/// The same in Swagger 2.0, where parameters and responses live under their own keys.
#[test]
fn swagger_reference_cycles_are_refused() {
    bounded(
        "swagger_reference_cycles_are_refused",
        || run(&fixture("cycles_swagger.json")),
        |outcome| {
            refused_with(outcome, "cycles_swagger.json", &["cycle"]);
            let Outcome::Refused(error) = outcome else {
                unreachable!()
            };
            for pointer in ["#/parameters/P2", "#/responses/R2", "#/definitions/A"] {
                assert!(
                    error.diagnostics.iter().any(|d| d.pointer == pointer),
                    "no diagnostic at {pointer}: {error}"
                );
            }
        },
    );
}

/// Types that contain themselves, directly or through others, by value or through lists,
/// maps, `allOf`, `oneOf` and `additionalProperties`: recursion a Rust type can express
/// (boxed where needed) generates and builds.
#[test]
fn recursive_types_build() {
    builds_cleanly(&fixture("recursive_types.yaml"), "hostile_recursive");
}

/// A named schema that is an array or map of itself (`A = Vec<A>`) is no Rust type.
#[test]
fn schemas_that_are_lists_of_themselves_build_or_are_refused() {
    let spec = fixture("self_list.yaml");
    match codegen::standalone_crate(&spec, "x", "hostile_self_list") {
        Ok(_) => builds_cleanly(&spec, "hostile_self_list"),
        Err(error) => assert!(error.to_string().contains("self_list.yaml"), "{error}"),
    }
}

/// 10,000 levels of nesting through `$ref`s: each schema a reference to the next.
#[test]
fn a_chain_of_ten_thousand_references_ends() {
    bounded(
        "a_chain_of_ten_thousand_references_ends",
        || run_text("chain.json", reference_chain(10_000).as_bytes()),
        |_| {},
    );
}

fn reference_chain(length: usize) -> String {
    let mut text = String::from(HEAD_JSON);
    text.push_str(r#""components":{"schemas":{"#);
    for i in 0..length {
        write!(
            text,
            r##""A{i}":{{"$ref":"#/components/schemas/A{}"}},"##,
            i + 1
        )
        .unwrap();
    }
    write!(text, r#""A{length}":{{"type":"string"}}}}}}}}"#).unwrap();
    text
}

/// `allOf` members that share members: 40 levels of two references to the next level.
#[test]
fn an_all_of_diamond_ends() {
    bounded(
        "an_all_of_diamond_ends",
        || run(&fixture("all_of_diamond.json")),
        |_| {},
    );
}
