//! What a crate generated from a hostile description may hold: the items its model names
//! and nothing else, checked on the syntax tree, and a clean build.

use std::collections::BTreeSet;
use std::path::Path;

use quote::ToTokens;

use crate::{fixture, support};

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
/// checks its files (see [`check_files`]), then builds it with warnings denied:
/// `cargo clippy`, `cargo doc`, and `cargo test --doc`, which must find no doctest.
pub fn builds_cleanly(spec: &Path, name: &str) {
    let (out, generated) = support::write_crate(spec, name);
    // The crate of a harmless description, shown under the same path and package name.
    let harmless = std::fs::read_to_string(fixture("harmless.yaml")).unwrap();
    let reference = codegen::generate(&codegen::Config::text(spec, harmless).name(name))
        .unwrap_or_else(|problems| panic!("harmless.yaml:\n{problems}"));
    check_files(&generated.models[0], &generated.files, &reference.files);
    support::assert_builds_without_doctests(&out, &spec.display().to_string());
}

/// The files of a generated crate hold the intended items and nothing else:
///
/// - exactly the files of a crate, the runtime verbatim, and a `Cargo.toml` that
///   differs from a harmless description's only in its (filtered) `description`;
/// - `lib.rs` declares the three modules, `models.rs` and `operations.rs` define exactly
///   the types the model names (each once), and impls only for those types;
/// - attributes are only docs (a string literal each), derives, `serde`, `allow`,
///   `deprecated`, `warn`, `rustfmt::skip` and `cfg` of features;
/// - no identifier of an attack appears outside literals, and no bidirectional control
///   character appears anywhere (not even escaped text reaches the source raw).
pub fn check_files(
    api: &codegen::model::Api,
    files: &[codegen::File],
    reference: &[codegen::File],
) {
    let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    let has_operations = !api.operations.is_empty();
    let has_serde = paths.iter().any(|path| path == SERDE_FILE);
    let mut expected: Vec<&str> = [
        "Cargo.toml",
        "src/auth.rs",
        "src/lib.rs",
        "src/models.rs",
        "src/operations.rs",
        "src/runtime/auth.rs",
        "src/runtime/client/attempts.rs",
        "src/runtime/client/blocking.rs",
        "src/runtime/client/builder.rs",
        "src/runtime/client/call.rs",
        "src/runtime/client/caller.rs",
        "src/runtime/client/error.rs",
        "src/runtime/client/hooks.rs",
        "src/runtime/client/mod.rs",
        "src/runtime/client/reply.rs",
        "src/runtime/client/resume.rs",
        "src/runtime/client/streams.rs",
        "src/runtime/client/timer.rs",
        "src/runtime/de.rs",
        "src/runtime/error.rs",
        "src/runtime/events.rs",
        "src/runtime/form.rs",
        "src/runtime/mod.rs",
        "src/runtime/node.rs",
        "src/runtime/pages.rs",
        "src/runtime/request.rs",
        "src/runtime/retry.rs",
        "src/runtime/ser.rs",
        "src/runtime/server/auth.rs",
        "src/runtime/server/body.rs",
        "src/runtime/server/check.rs",
        "src/runtime/server/incoming.rs",
        "src/runtime/server/make.rs",
        "src/runtime/server/mock.rs",
        "src/runtime/server/mod.rs",
        "src/runtime/server/params.rs",
        "src/runtime/server/problem.rs",
        "src/runtime/server/reply.rs",
        "src/runtime/server/route.rs",
        "src/runtime/server/rules.rs",
        "src/runtime/style.rs",
        "src/runtime/upload.rs",
        "src/servers.rs",
    ]
    .into();
    // The client's methods and the server side, for a description with operations; the
    // models' serde code, for models that have any.
    if has_operations {
        expected.extend(OPERATION_FILES);
    }
    if has_serde {
        expected.push(SERDE_FILE);
    }
    expected.sort_unstable();
    let mut sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
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
    let runtime_files = files
        .iter()
        .map(|f| f.path.display().to_string())
        .filter(|path| path.starts_with("src/runtime/"));
    for runtime in runtime_files {
        let runtime = runtime.as_str();
        assert!(
            file(runtime) == reference_file(runtime),
            "{runtime} differs from a harmless description's"
        );
    }
    // Group features come from the description (tags, paths): each must be a bare TOML
    // key of the generator's making, listed as a plain string in `full`.
    let is_feature = |name: &str| {
        name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let group_line = |line: &str| {
        if let Some(list) = line
            .strip_prefix("full = [")
            .and_then(|l| l.strip_suffix(']'))
        {
            return list.split(", ").all(|item| {
                item.strip_prefix('"')
                    .and_then(|i| i.strip_suffix('"'))
                    .is_some_and(is_feature)
            });
        }
        line == "default = [\"full\"]"
            || line == "# Every group of operations, and the types no operation reaches."
            || line.strip_suffix(" = []").is_some_and(is_feature)
    };
    let manifest_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("# @generated") && !line.starts_with("description"))
            .filter(|line| !group_line(line))
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
    let mut models = model_items(api);
    if has_serde {
        models.insert(Defined::Module("serde_impls".to_owned()));
    }
    for (path, expected) in [
        ("src/lib.rs", lib_items(has_operations)),
        ("src/models.rs", models),
        ("src/operations.rs", operation_items(api)),
        ("src/servers.rs", server_items(api)),
        ("src/auth.rs", auth_items(api)),
    ] {
        let text = file(path);
        assert!(
            !text.contains(is_bidi),
            "{path} holds a bidirectional control character"
        );
        let syntax = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        check_attrs(&syntax.attrs, path);
        let defined = defined_items(&syntax.items, path);
        assert_eq!(defined, expected, "the items of {path}");
        let tokens: proc_macro2::TokenStream = text.parse().unwrap();
        check_tokens(tokens, &names, path);
    }
    // The files whose items are not listed here one by one still hold no bidirectional
    // control character and no identifier of an attack outside literals.
    let more = OPERATION_FILES.iter().filter(|_| has_operations);
    for path in more.chain([SERDE_FILE].iter().filter(|_| has_serde)) {
        let text = file(path);
        assert!(
            !text.contains(is_bidi),
            "{path} holds a bidirectional control character"
        );
        syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let tokens: proc_macro2::TokenStream = text.parse().unwrap();
        check_tokens(tokens, &names, path);
    }
}

/// The files a description with operations adds: the client's methods, the server, its
/// rules and its mock.
const OPERATION_FILES: [&str; 4] = [
    "src/client.rs",
    "src/mock.rs",
    "src/rules.rs",
    "src/server.rs",
];

/// The models' serde code.
const SERDE_FILE: &str = "src/models/serde_impls.rs";

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
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    names.insert(field.name.clone());
                    names.extend(field.default.iter().map(|d| d.function.clone()));
                }
                names.extend(s.additional.iter().map(|a| a.name.clone()));
            }
            TypeKind::Enum(e) => names.extend(e.variants.iter().map(|v| v.name.clone())),
            TypeKind::IntEnum(e) => names.extend(e.variants.iter().map(|v| v.name.clone())),
            TypeKind::OneOf(o) => names.extend(o.variants.iter().map(|v| v.name.clone())),
            TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
        }
    }
    for server in &api.servers {
        names.insert(server.name.clone());
        for variable in &server.variables {
            names.insert(variable.name.clone());
            if let Some((name, values)) = &variable.values {
                names.insert(name.clone());
                names.extend(values.variants.iter().map(|v| v.name.clone()));
            }
        }
    }
    for scheme in &api.security_schemes {
        names.extend([scheme.field.clone(), scheme.constant.clone()]);
    }
    for op in api.operations.iter().chain(&api.webhooks) {
        let own = &op.names;
        names.extend([&own.marker, &own.params, &own.responses, &own.errors].map(Clone::clone));
        names.extend(op.params.iter().map(|p| p.name.clone()));
        names.extend(op.body.iter().flat_map(|b| b.choice.clone()));
        let contents = op.body.iter().flat_map(|b| &b.contents);
        let contents = contents.chain(op.responses.iter().flat_map(|r| &r.contents));
        names.extend(
            contents
                .map(|c| c.variant.clone())
                .filter(|v| !v.is_empty()),
        );
        names.extend(op.responses.iter().flat_map(|r| r.choice.clone()));
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
    /// A constant (a security scheme).
    Constant(String),
    /// A function (`servers::default_url`).
    Function(String),
}

fn lib_items(has_operations: bool) -> BTreeSet<Defined> {
    let operations = ["client", "mock", "rules", "server"]
        .iter()
        .filter(|_| has_operations);
    ["auth", "models", "operations", "runtime", "servers"]
        .iter()
        .chain(operations)
        .map(|m| Defined::Module((*m).to_owned()))
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
        items.insert(Defined::Type(op.names.marker.clone()));
        if !op.params.is_empty() {
            items.insert(Defined::Type(op.names.params.clone()));
        }
        items.insert(Defined::Type(op.names.responses.clone()));
        items.insert(Defined::Type(op.names.errors.clone()));
        let choices = op.body.iter().flat_map(|b| &b.choice);
        for choice in choices.chain(op.responses.iter().flat_map(|r| &r.choice)) {
            items.insert(Defined::Type(choice.clone()));
        }
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
            .and_then(|b| b.contents.first())
            .is_some_and(|c| c.payload != Payload::Empty)
        {
            items.insert(Defined::Type(hook.names.marker.clone()));
        }
    }
    items
}

/// The server types, the enums of their variables, and `default_url`.
fn server_items(api: &codegen::model::Api) -> BTreeSet<Defined> {
    let mut items = BTreeSet::new();
    for server in &api.servers {
        items.insert(Defined::Type(server.name.clone()));
        for (name, _) in server.variables.iter().flat_map(|v| &v.values) {
            items.insert(Defined::Type(name.clone()));
        }
    }
    if api
        .servers
        .first()
        .is_some_and(|s| s.variables.iter().all(|v| v.default.is_some()))
    {
        items.insert(Defined::Function("default_url".to_owned()));
    }
    items
}

/// `Credentials` and a constant per security scheme.
fn auth_items(api: &codegen::model::Api) -> BTreeSet<Defined> {
    let mut items: BTreeSet<Defined> = api
        .security_schemes
        .iter()
        .map(|scheme| Defined::Constant(scheme.constant.clone()))
        .collect();
    items.insert(Defined::Type("Credentials".to_owned()));
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
            syn::Item::Const(c) => {
                check_attrs(&c.attrs, path);
                add(Defined::Constant(c.ident.to_string()));
            }
            syn::Item::Fn(f) => {
                check_attrs(&f.attrs, path);
                assert!(f.sig.unsafety.is_none() && f.sig.abi.is_none());
                add(Defined::Function(f.sig.ident.to_string()));
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
                // Modules are declared (`pub mod models;`), never written inline.
                assert!(
                    m.content.is_none(),
                    "{path}: an inline module `{}`",
                    m.ident
                );
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
            // Features: `#[cfg(feature = "…")]` with names the generator made.
            "cfg" => {}
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
