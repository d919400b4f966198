//! Which files a crate has: for each description, its module's `models.rs`,
//! `operations.rs`, `servers.rs`, `auth.rs` (and, in the workspace crate, `mod.rs`), the
//! crate's `lib.rs`, the runtime (a copy of its sources, or a dependency on it) and, for
//! a standalone crate, its `Cargo.toml`. Every file starts with a header naming its
//! source and the command that regenerates it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use quote::quote;

use super::docs::inner_doc_attrs;
use super::features::Gates;
use super::manifest::{manifest, Wanted};
use super::models::models_file;
use super::operations::operations_file;
use super::plan::{Body, Planned};
use super::scalars::scalars_file;
use super::server::{mock_file, rules_file, server_file};
use super::servers::{auth, servers};
use super::tokens::ident;
use crate::config::{Config, Reach, Runtime, Source, MARKER};
use crate::derives::Derived;
use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use crate::model::Api;
use crate::naming::{module_name, Namespace};
use crate::settings::{BinaryType, DateLibrary, Settings, UnixTime, UuidType};

/// The runtime's sources, copied into a crate that does not depend on the runtime crate
/// (`src/runtime/`, its `lib.rs` as `mod.rs`).
const RUNTIME: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../../runtime/src/auth.rs")),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    ("de.rs", include_str!("../../../runtime/src/de.rs")),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    ("events.rs", include_str!("../../../runtime/src/events.rs")),
    ("form.rs", include_str!("../../../runtime/src/form.rs")),
    ("mod.rs", include_str!("../../../runtime/src/lib.rs")),
    ("node.rs", include_str!("../../../runtime/src/node.rs")),
    ("pages.rs", include_str!("../../../runtime/src/pages.rs")),
    (
        "request.rs",
        include_str!("../../../runtime/src/request.rs"),
    ),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    ("ser.rs", include_str!("../../../runtime/src/ser.rs")),
    (
        "server/auth.rs",
        include_str!("../../../runtime/src/server/auth.rs"),
    ),
    (
        "server/body.rs",
        include_str!("../../../runtime/src/server/body.rs"),
    ),
    (
        "server/check.rs",
        include_str!("../../../runtime/src/server/check.rs"),
    ),
    (
        "server/incoming.rs",
        include_str!("../../../runtime/src/server/incoming.rs"),
    ),
    (
        "server/make.rs",
        include_str!("../../../runtime/src/server/make.rs"),
    ),
    (
        "server/mock.rs",
        include_str!("../../../runtime/src/server/mock.rs"),
    ),
    (
        "server/mod.rs",
        include_str!("../../../runtime/src/server/mod.rs"),
    ),
    (
        "server/params.rs",
        include_str!("../../../runtime/src/server/params.rs"),
    ),
    (
        "server/problem.rs",
        include_str!("../../../runtime/src/server/problem.rs"),
    ),
    (
        "server/reply.rs",
        include_str!("../../../runtime/src/server/reply.rs"),
    ),
    (
        "server/route.rs",
        include_str!("../../../runtime/src/server/route.rs"),
    ),
    (
        "server/rules.rs",
        include_str!("../../../runtime/src/server/rules.rs"),
    ),
    ("style.rs", include_str!("../../../runtime/src/style.rs")),
    ("upload.rs", include_str!("../../../runtime/src/upload.rs")),
];

/// A description read and lowered: its model, its file, how headers show it, and what
/// the settings add to its types.
pub struct Described {
    pub api: Api,
    pub path: PathBuf,
    pub shown: String,
    pub derived: Derived,
}

/// The files of the output `config` asks for, from the descriptions read with
/// `settings` (those of `config`, read from its file if it names one).
pub fn plan<'a>(
    config: &Config,
    settings: &'a Settings,
    described: &'a [Described],
) -> Result<Vec<Planned<'a>>> {
    match &config.source {
        Source::Spec { name, .. } | Source::Text { name, .. } => {
            let command = config
                .command
                .clone()
                .unwrap_or_else(|| spec_command(config, name));
            let krate = Crate {
                name,
                command: &command,
                runtime: &config.runtime,
                settings,
            };
            standalone_crate(&described[0], &krate)
        }
        Source::Workspace { root } => {
            let command = config
                .command
                .clone()
                .unwrap_or_else(|| "cargo xtask codegen".to_owned());
            Ok(workspace_crate(described, root, &command))
        }
    }
}

/// `cargo xtask codegen` with the options of a standalone run, for headers.
fn spec_command(config: &Config, name: &str) -> String {
    let shown = config.source.path().display();
    let mut flags = config.filter.flags();
    if config.reach == Reach::AnyFile {
        flags.push_str(" --allow-outside-refs");
    }
    if let Runtime::Path(path) = &config.runtime {
        flags.push_str(&format!(" --runtime-path {}", path.display()));
    }
    if let Some(file) = &config.settings_file {
        flags.push_str(&format!(" --config {}", file.display()));
    }
    format!("cargo xtask codegen --spec {shown} --out <DIR> --name {name}{flags}")
}

fn header(source: &str, command: &str) -> String {
    format!(
        "{MARKER} from `{source}`.\n// Do not edit: change the description and run `{command}`.\n"
    )
}

/// The files of one description's module, under `dir`.
fn api_files<'a>(
    described: &'a Described,
    command: &str,
    dir: &Path,
    gates: Option<Arc<Gates>>,
) -> Vec<Planned<'a>> {
    let header = header(&described.shown, command);
    let api = &described.api;
    let file = |name: &str, body: Body<'a>| Planned {
        path: dir.join(name),
        header: header.clone(),
        body,
        source: described.path.clone(),
    };
    let mut files = vec![
        file(
            "models.rs",
            models_file(api, gates.clone(), &described.derived),
        ),
        file("operations.rs", operations_file(api, gates.clone())),
        file("servers.rs", Body::Tokens(servers(api))),
        file("auth.rs", Body::Tokens(auth(api))),
    ];
    // The server side, in modules of its own that only its features compile: the client
    // side's files are the same with or without it.
    if !api.operations.is_empty() {
        files.push(file("server.rs", server_file(api, gates.clone())));
        files.push(file("rules.rs", Body::Tokens(rules_file(api))));
        files.push(file("mock.rs", mock_file(api, gates)));
    }
    files
}

/// The declarations of the server side's modules, each compiled only with its feature;
/// nothing for a description without operations.
fn server_modules(api: &Api) -> proc_macro2::TokenStream {
    if api.operations.is_empty() {
        return proc_macro2::TokenStream::new();
    }
    quote! {
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod rules;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
    }
}

fn module_doc(api: &Api, source: &str) -> proc_macro2::TokenStream {
    let mut doc = format!("# {}", api.title);
    if !api.api_version.is_empty() {
        doc.push_str(&format!(" (version {})", api.api_version));
    }
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    let own = format!(
        "Generated from `{source}`: [`models`] holds the schemas' types, [`operations`] one\n\
         type per operation with its parameters and its responses by status, [`servers`]\n\
         the base URLs and [`auth`] the credentials requests may need."
    );
    inner_doc_attrs(&doc, &own)
}

/// The files of the workspace's `generated` crate: `src/lib.rs` and one module per
/// description. It depends on the runtime crate (its manifest says so) and names it
/// `runtime`.
fn workspace_crate<'a>(described: &'a [Described], root: &Path, command: &str) -> Vec<Planned<'a>> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut module_names = Namespace::with(&["runtime"]);
    for one in described {
        // `a.yaml` and `a.json` side by side get distinct modules.
        let module = module_names.claim(module_name(&one.path));
        let dir = Path::new("src").join(&module);
        files.extend(api_files(one, command, &dir, None));
        let doc = module_doc(&one.api, &one.shown);
        let server = server_modules(&one.api);
        // `cargo fmt` of the workspace would print generated code otherwise than
        // `prettyplease`, and `--check` would then find it stale.
        let tokens = quote! {
            #doc
            #[rustfmt::skip]
            pub mod auth;
            #[rustfmt::skip]
            pub mod models;
            #[rustfmt::skip]
            pub mod operations;
            #server
            #[rustfmt::skip]
            pub mod servers;
        };
        files.push(Planned {
            path: dir.join("mod.rs"),
            header: header(&one.shown, command),
            body: Body::Tokens(tokens),
            source: one.path.clone(),
        });
        modules.push(ident(&module));
    }
    // Each module documents itself (its `mod.rs`); an outer doc here would make rustdoc
    // resolve the module's links from the crate root.
    let lib = quote! {
        //! Rust types for the API descriptions in `specs/`: one module per description,
        //! each with `models` and `operations`, and the shared [`runtime`].
        #![warn(missing_docs)]
        pub use openapi_runtime as runtime;
        #(
            #[rustfmt::skip]
            pub mod #modules;
        )*
    };
    files.push(Planned {
        path: "src/lib.rs".into(),
        header: format!(
            "{MARKER} from `specs/`.\n// Do not edit: change a description and run `{command}`.\n"
        ),
        body: Body::Tokens(lib),
        source: root.join("specs"),
    });
    files
}

/// What a standalone crate is: its package name, the command that regenerates it, how
/// it gets the runtime, and the settings it is generated with.
struct Crate<'a> {
    name: &'a str,
    command: &'a str,
    runtime: &'a Runtime,
    settings: &'a Settings,
}

/// A standalone crate for one description: `Cargo.toml`, its sources (with the
/// `scalars` module its settings may need) and the runtime as `krate.runtime` says.
fn standalone_crate<'a>(described: &'a Described, krate: &Crate) -> Result<Vec<Planned<'a>>> {
    let Crate {
        name,
        command,
        runtime,
        settings,
    } = *krate;
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_name {
        return Err(Diagnostics::from(Diagnostic::error(
            Kind::Option,
            &described.path,
            "",
            format!("`{name}` is not a valid package name: use letters, digits, `-` and `_`, starting with a letter"),
        )));
    }
    let api = &described.api;
    let source = &described.shown;
    // Gates are plain data that the items of two files read while they are built in
    // parallel.
    let gates = Gates::of(api).map(Arc::new);
    let mut files = api_files(described, command, Path::new("src"), gates.clone());
    let doc = module_doc(api, source);
    let features = gates
        .as_ref()
        .map(|gates| features_doc(api, gates.features()));
    let settings_doc = settings_doc(settings);
    let scalars = scalars_file(&settings.scalars, api, described.derived.uses_schemars());
    let scalars_item = scalars.as_ref().map(|_| {
        quote! {
            #[rustfmt::skip]
            pub mod scalars;
        }
    });
    let server = server_modules(api);
    let runtime_item = match runtime {
        Runtime::Vendored => quote!(
            pub mod runtime;
        ),
        Runtime::Path(_) => quote!(
            pub use openapi_runtime as runtime;
        ),
    };
    let lib = quote! {
        #doc
        #features
        #settings_doc
        #![warn(missing_docs)]
        #runtime_item
        #[rustfmt::skip]
        pub mod auth;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #scalars_item
        #server
        #[rustfmt::skip]
        pub mod servers;
    };
    let header = header(source, command);
    if let Some(scalars) = scalars {
        files.push(Planned {
            path: "src/scalars.rs".into(),
            header: header.clone(),
            body: Body::Tokens(scalars),
            source: described.path.clone(),
        });
    }
    files.push(Planned {
        path: "src/lib.rs".into(),
        header: header.clone(),
        body: Body::Tokens(lib),
        source: described.path.clone(),
    });
    if *runtime == Runtime::Vendored {
        for (file, contents) in RUNTIME {
            files.push(Planned {
                path: Path::new("src/runtime").join(file),
                header: format!(
                    "{MARKER}: a copy of the `openapi-runtime` crate's sources.\n// Do not edit: run `{command}`.\n"
                ),
                body: Body::Text((*contents).to_owned()),
                source: described.path.clone(),
            });
        }
    }
    let features = gates.as_ref().map_or(&[][..], |gates| gates.features());
    files.push(Planned {
        path: "Cargo.toml".into(),
        header: String::new(),
        body: Body::Text(manifest(
            name,
            source,
            &api.title,
            features,
            runtime,
            &wanted(settings, &described.derived),
        )),
        source: described.path.clone(),
    });
    Ok(files)
}

/// The dependencies a crate's settings add: the libraries of the scalar types they
/// choose, `schemars` (with the features for the types it describes) when a model
/// derives `schemars::JsonSchema`, and the user's own.
fn wanted<'a>(settings: &'a Settings, derived: &Derived) -> Wanted<'a> {
    let scalars = &settings.scalars;
    let libraries = [scalars.date_time, scalars.date];
    let time = libraries.contains(&DateLibrary::Time) || scalars.unix_time == UnixTime::Time;
    let jiff = libraries.contains(&DateLibrary::Jiff) || scalars.unix_time == UnixTime::Jiff;
    let bytes = scalars.binary == BinaryType::Bytes;
    // Neither the runtime nor any generated type names chrono or uuid when the settings
    // map their formats to other types.
    let chrono = libraries.contains(&DateLibrary::Chrono) || scalars.unix_time == UnixTime::Chrono;
    let uuid = scalars.uuid == UuidType::Uuid;
    let without: Vec<&'static str> = [("chrono", chrono), ("uuid", uuid)]
        .into_iter()
        .filter_map(|(name, used)| (!used).then_some(name))
        .collect();
    let mut chosen = Vec::new();
    if bytes {
        chosen.push(("bytes", Vec::new()));
    }
    if jiff {
        chosen.push(("jiff", Vec::new()));
    }
    if derived.uses_schemars() {
        // `schemars` implements `JsonSchema` for the types of these crates.
        let features = [
            ("bytes1", bytes),
            ("chrono04", chrono),
            ("jiff02", jiff),
            ("uuid1", uuid),
        ];
        let features = features
            .into_iter()
            .filter_map(|(feature, used)| used.then_some(feature))
            .collect();
        chosen.push(("schemars", features));
    }
    if time {
        chosen.push(("time", Vec::new()));
    }
    Wanted {
        chosen,
        user: Some(&settings.dependencies),
        without,
    }
}

/// The crate doc's list of the generation settings and overlays used, so a reader of the
/// crate knows what was asked beyond the description (and a changed setting changes the
/// crate, which `--check` then finds stale). Nothing for default settings.
fn settings_doc(settings: &Settings) -> Option<proc_macro2::TokenStream> {
    if settings.is_default() {
        return None;
    }
    let mut doc = String::from("\n# Generation settings\n\n");
    match &settings.file {
        Some(file) => doc.push_str(&format!(
            "Generated with the settings of `{}`:\n\n",
            file.display().to_string().replace('\\', "/")
        )),
        None => doc.push_str("Generated with these settings:\n\n"),
    }
    for line in settings.summary() {
        doc.push_str(&format!("- {line}\n"));
    }
    Some(inner_doc_attrs("", &doc))
}

/// The crate doc's list of features: one per group of operations.
fn features_doc(api: &Api, features: &[String]) -> proc_macro2::TokenStream {
    let mut doc = String::from(
        "\n# Features\n\n\
         Each group of operations is a feature that compiles its operations and the types\n\
         they reach; `full`, the default, is all of them (and the types no operation\n\
         reaches). To compile only what you use, turn the default off and name groups:\n\
         `default-features = false, features = [\"…\"]`. Names do not depend on the features.\n\
         `client` adds `runtime::client` (reqwest), `blocking` its blocking version.\n\n",
    );
    for feature in features {
        let what = api
            .groups
            .iter()
            .find(|g| &g.feature == feature)
            .map_or(String::new(), |g| g.doc.clone());
        doc.push_str(&format!("- `{feature}`: {what}\n"));
    }
    inner_doc_attrs("", &doc)
}

#[cfg(test)]
mod tests {
    /// A runtime file left out of the copy would break every standalone crate.
    #[test]
    fn the_copy_holds_every_runtime_file() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src"));
        let mut files: Vec<String> = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(at) = pending.pop() {
            for entry in std::fs::read_dir(&at).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy();
                files.push(relative.replace('\\', "/").replace("lib.rs", "mod.rs"));
            }
        }
        files.sort();
        let copied: Vec<&str> = super::RUNTIME.iter().map(|(file, _)| *file).collect();
        assert_eq!(files, copied);
    }
}
