//! Which files a crate has: for each description, its module's `models.rs` (and the
//! models' serde code in `models/serde_impls.rs`), `operations.rs`, `servers.rs`,
//! `auth.rs` (and, in the workspace crate, `mod.rs`), the crate's `lib.rs`, the runtime
//! (a copy of its sources, or a dependency on it) and, for a standalone crate, its
//! `Cargo.toml`. Every file starts with a header naming its source and the command that
//! regenerates it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use quote::quote;

use super::crate_docs::{features_doc, module_doc, settings_doc};
use super::features::Gates;
use super::manifest::{manifest, Wanted};
use super::methods::client_file;
use super::models::{models_files, SERDE_MODULE};
use super::operations::operations_file;
use super::planned::{FileBody, Planned};
use super::scalars::scalars_file;
use super::server::{mock_file, rules_file, server_file};
use super::servers::{auth, servers};
use super::tokens::ident;
use crate::config::{Runtime, MARKER};
use crate::derives::Derived;
use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::model::Api;
use crate::naming::{module_name, Namespace};
use crate::settings::{BinaryType, DateLibrary, Settings, UnixTime, UuidType};

/// The runtime's sources, copied into a crate that does not depend on the runtime crate
/// (`src/runtime/`, its `lib.rs` as `mod.rs`).
const RUNTIME: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../../runtime/src/auth.rs")),
    (
        "client/attempts.rs",
        include_str!("../../../runtime/src/client/attempts.rs"),
    ),
    (
        "client/blocking.rs",
        include_str!("../../../runtime/src/client/blocking.rs"),
    ),
    (
        "client/builder.rs",
        include_str!("../../../runtime/src/client/builder.rs"),
    ),
    (
        "client/call.rs",
        include_str!("../../../runtime/src/client/call.rs"),
    ),
    (
        "client/caller.rs",
        include_str!("../../../runtime/src/client/caller.rs"),
    ),
    (
        "client/error.rs",
        include_str!("../../../runtime/src/client/error.rs"),
    ),
    (
        "client/hooks.rs",
        include_str!("../../../runtime/src/client/hooks.rs"),
    ),
    (
        "client/mod.rs",
        include_str!("../../../runtime/src/client/mod.rs"),
    ),
    (
        "client/reply.rs",
        include_str!("../../../runtime/src/client/reply.rs"),
    ),
    (
        "client/resume.rs",
        include_str!("../../../runtime/src/client/resume.rs"),
    ),
    (
        "client/streams.rs",
        include_str!("../../../runtime/src/client/streams.rs"),
    ),
    (
        "client/timer.rs",
        include_str!("../../../runtime/src/client/timer.rs"),
    ),
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
    let file = |name: &str, body: FileBody<'a>| Planned {
        path: dir.join(name),
        header: header.clone(),
        body,
        source: described.path.clone(),
    };
    let client = client_file(api, gates.as_deref());
    let (models, serde) = models_files(api, gates.clone(), &described.derived);
    let mut files = vec![file("models.rs", models)];
    if let Some(serde) = serde {
        files.push(file(&format!("models/{SERDE_MODULE}.rs"), serde));
    }
    files.extend([
        file("operations.rs", operations_file(api, gates.clone())),
        file("servers.rs", FileBody::Tokens(servers(api))),
        file("auth.rs", FileBody::Tokens(auth(api))),
    ]);
    // The server side, in modules of its own that only its features compile: the client
    // side's files are the same with or without it.
    if !api.operations.is_empty() {
        files.push(file("server.rs", server_file(api, gates.clone())));
        files.push(file("rules.rs", FileBody::Tokens(rules_file(api))));
        files.push(file("mock.rs", mock_file(api, gates)));
    }
    if let Some(client) = client {
        files.push(file("client.rs", FileBody::Tokens(client)));
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

/// The `client` module of a description with operations, behind the `client` feature.
fn client_module(api: &Api) -> Option<proc_macro2::TokenStream> {
    (!api.operations.is_empty()).then(|| {
        quote! {
            #[cfg(feature = "client")]
            #[rustfmt::skip]
            pub mod client;
        }
    })
}

/// The files of the workspace's `generated` crate: `src/lib.rs` and one module per
/// description. It depends on the runtime crate (its manifest says so) and names it
/// `runtime`.
pub(super) fn workspace_crate<'a>(
    described: &'a [Described],
    root: &Path,
    command: &str,
) -> Vec<Planned<'a>> {
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
        let client = client_module(&one.api);
        // `cargo fmt` of the workspace would print generated code otherwise than
        // `prettyplease`, and `--check` would then find it stale.
        let tokens = quote! {
            #doc
            #[rustfmt::skip]
            pub mod auth;
            #client
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
            body: FileBody::Tokens(tokens),
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
        body: FileBody::Tokens(lib),
        source: root.join("specs"),
    });
    files
}

/// What a standalone crate is: its package name, the command that regenerates it, how
/// it gets the runtime, and the settings it is generated with.
pub(super) struct Crate<'a> {
    pub(super) name: &'a str,
    pub(super) command: &'a str,
    pub(super) runtime: &'a Runtime,
    pub(super) settings: &'a Settings,
}

/// A standalone crate for one description: `Cargo.toml`, its sources (with the
/// `scalars` module its settings may need) and the runtime as `krate.runtime` says.
pub(super) fn standalone_crate<'a>(
    described: &'a Described,
    krate: &Crate,
) -> Result<Vec<Planned<'a>>> {
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
            DiagnosticKind::Option,
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
    let client_item = client_module(api);
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
        #client_item
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
            body: FileBody::Tokens(scalars),
            source: described.path.clone(),
        });
    }
    files.push(Planned {
        path: "src/lib.rs".into(),
        header: header.clone(),
        body: FileBody::Tokens(lib),
        source: described.path.clone(),
    });
    if *runtime == Runtime::Vendored {
        for (file, contents) in RUNTIME {
            files.push(Planned {
                path: Path::new("src/runtime").join(file),
                header: format!(
                    "{MARKER}: a copy of the `openapi-runtime` crate's sources.\n// Do not edit: run `{command}`.\n"
                ),
                body: FileBody::Text((*contents).to_owned()),
                source: described.path.clone(),
            });
        }
    }
    let features = gates.as_ref().map_or(&[][..], |gates| gates.features());
    files.push(Planned {
        path: "Cargo.toml".into(),
        header: String::new(),
        body: FileBody::Text(manifest(
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A runtime file left out of the copy would break every standalone crate.
    #[test]
    fn the_copy_holds_every_runtime_file() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut files = Vec::new();
        let mut pending = vec![src.clone()];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let relative = path.strip_prefix(&src).unwrap().to_string_lossy();
                files.push(relative.replace('\\', "/").replace("lib.rs", "mod.rs"));
            }
        }
        files.sort();
        let copied: Vec<&str> = super::RUNTIME.iter().map(|(file, _)| *file).collect();
        assert_eq!(files, copied);
    }
}
