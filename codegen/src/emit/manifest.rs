//! The `Cargo.toml` of a standalone crate, from one table of what generated code and the
//! runtime depend on: a version of a dependency is written in one place. The settings may
//! choose more (a date library, `bytes`, `schemars`) and add the user's own.

use std::collections::BTreeMap;

use crate::config::{Runtime, MARKER};
use crate::settings;

/// A dependency of a generated crate.
struct Dependency {
    name: &'static str,
    version: &'static str,
    features: &'static [&'static str],
    /// `default-features = false`.
    lean: bool,
    /// Needed only by the runtime: a crate that depends on the runtime crate leaves it
    /// to that crate.
    runtime_only: bool,
    /// The features that need it (`client`, `server`); none when it is always needed.
    needed_by: &'static [&'static str],
}

/// The oldest Rust the crate builds with: the runtime copied into it keeps to the
/// workspace's `rust-version`, and saying so lets the user's clippy hold the crate to it
/// rather than suggest newer standard APIs.
const RUST_VERSION: &str = "1.85";

const CLIENT: &[&str] = &["client"];
const SERVER: &[&str] = &["server"];
const BOTH: &[&str] = &["client", "server"];

impl Dependency {
    fn optional(&self) -> bool {
        !self.needed_by.is_empty()
    }
}

const DEPENDENCIES: &[Dependency] = &[
    Dependency {
        name: "axum",
        version: "0.8",
        features: &["http1", "tokio", "matched-path"],
        lean: true,
        runtime_only: true,
        needed_by: SERVER,
    },
    Dependency {
        name: "multer",
        version: "3",
        features: &[],
        lean: true,
        runtime_only: true,
        needed_by: SERVER,
    },
    Dependency {
        name: "regex",
        version: "1",
        features: &["std", "perf", "unicode"],
        lean: true,
        runtime_only: true,
        needed_by: SERVER,
    },
    Dependency {
        name: "regex-syntax",
        version: "0.8",
        features: &["std", "unicode"],
        lean: true,
        runtime_only: true,
        needed_by: SERVER,
    },
    Dependency {
        name: "tower",
        version: "0.5",
        features: &["util"],
        lean: true,
        runtime_only: true,
        needed_by: SERVER,
    },
    Dependency {
        name: "base64",
        version: "0.22",
        features: &[],
        lean: false,
        runtime_only: true,
        needed_by: &[],
    },
    Dependency {
        name: "bytes",
        version: "1",
        features: &[],
        lean: false,
        runtime_only: true,
        needed_by: BOTH,
    },
    Dependency {
        name: "chrono",
        version: "0.4",
        features: &["serde", "std"],
        lean: true,
        runtime_only: false,
        needed_by: &[],
    },
    Dependency {
        name: "fastrand",
        version: "2",
        features: &[],
        lean: false,
        runtime_only: true,
        needed_by: &[],
    },
    Dependency {
        name: "futures-core",
        version: "0.3",
        features: &[],
        lean: true,
        runtime_only: true,
        needed_by: BOTH,
    },
    Dependency {
        name: "futures-util",
        version: "0.3",
        features: &[],
        lean: true,
        runtime_only: true,
        needed_by: BOTH,
    },
    Dependency {
        name: "http",
        version: "1",
        features: &[],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
    Dependency {
        name: "http-body",
        version: "1",
        features: &[],
        lean: false,
        runtime_only: true,
        needed_by: CLIENT,
    },
    Dependency {
        name: "httpdate",
        version: "1",
        features: &[],
        lean: false,
        runtime_only: true,
        needed_by: &[],
    },
    Dependency {
        name: "percent-encoding",
        version: "2",
        features: &[],
        lean: false,
        runtime_only: true,
        needed_by: &[],
    },
    Dependency {
        name: "reqwest",
        version: "0.12",
        features: &["rustls-tls"],
        lean: true,
        runtime_only: true,
        needed_by: CLIENT,
    },
    Dependency {
        name: "serde",
        version: "1",
        features: &["derive"],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
    // Floats read back exactly as written (the default parser may be off by one unit in
    // the last place).
    Dependency {
        name: "serde_json",
        version: "1",
        features: &["float_roundtrip"],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
    Dependency {
        name: "tokio",
        version: "1",
        features: &["fs", "time"],
        lean: true,
        runtime_only: true,
        needed_by: CLIENT,
    },
    Dependency {
        name: "tracing",
        version: "0.1",
        features: &["std"],
        lean: true,
        runtime_only: true,
        needed_by: CLIENT,
    },
    Dependency {
        name: "uuid",
        version: "1",
        features: &["serde"],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
];

/// Dependencies a crate has only when its settings choose them: their types appear in
/// the generated code.
const CHOSEN: &[Dependency] = &[
    Dependency {
        name: "bytes",
        version: "1",
        features: &["serde"],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
    Dependency {
        name: "jiff",
        version: "0.2",
        features: &["serde"],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
    // Features for the types of the other dependencies are added as they are used.
    Dependency {
        name: "schemars",
        version: "1",
        features: &[],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
    // RFC 3339 and `Date`'s serde form (`[year]-[month]-[day]`, human-readable).
    Dependency {
        name: "time",
        version: "0.3",
        features: &["formatting", "parsing", "serde", "serde-human-readable"],
        lean: false,
        runtime_only: false,
        needed_by: &[],
    },
];

/// What a crate's settings add to its manifest.
#[derive(Default)]
pub struct Wanted<'a> {
    /// Names of [`CHOSEN`] dependencies, each with features beyond the table's.
    pub chosen: Vec<(&'static str, Vec<&'static str>)>,
    /// The user's dependencies (the crates of replaced types), by package name.
    pub user: Option<&'a BTreeMap<String, settings::Dependency>>,
    /// Names of [`DEPENDENCIES`] whose types the settings replaced by others', so no
    /// generated code names them (`chrono`, when dates come from `time`).
    pub without: Vec<&'static str>,
}

/// The manifest of the standalone crate `name` made from `source` (whose `title` goes
/// in its description), with a feature per group of `features`, and the dependencies
/// its settings want.
pub fn manifest(
    name: &str,
    source: &str,
    title: &str,
    features: &[String],
    runtime: &Runtime,
    wanted: &Wanted,
) -> String {
    let description: String = format!("Rust types for {title}, generated from {source}")
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != '\\')
        .collect();
    // TOML comments start with `#`, not `//`.
    let marker = MARKER.replacen("//", "#", 1);
    let mut toml = format!(
        "{marker} from `{source}`.\n\
         [package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         rust-version = \"{RUST_VERSION}\"\ndescription = \"{description}\"\npublish = false\n\n[dependencies]\n"
    );
    let chosen: Vec<(&Dependency, Vec<&str>)> = CHOSEN
        .iter()
        .filter_map(|dependency| {
            let (_, more) = wanted
                .chosen
                .iter()
                .find(|(name, _)| *name == dependency.name)?;
            Some((dependency, more.clone()))
        })
        .collect();
    let is_chosen = |name: &str| chosen.iter().any(|(d, _)| d.name == name);
    // A crate the settings choose that the runtime's client also uses (`bytes`) is one
    // entry: always there, with the features of both.
    let mut all: Vec<(&Dependency, Vec<&str>)> = DEPENDENCIES
        .iter()
        .filter(|d| !wanted.without.contains(&d.name) && !is_chosen(d.name))
        .map(|d| (d, Vec::new()))
        .collect();
    for (dependency, mut more) in chosen.iter().cloned() {
        if let Some(runtime_side) = DEPENDENCIES.iter().find(|d| d.name == dependency.name) {
            more.extend(
                runtime_side
                    .features
                    .iter()
                    .filter(|f| !dependency.features.contains(f)),
            );
        }
        all.push((dependency, more));
    }
    all.sort_by_key(|(dependency, _)| dependency.name);
    for (dependency, more) in &all {
        if dependency.runtime_only && matches!(runtime, Runtime::Path(_)) {
            continue;
        }
        toml.push_str(&dependency_line(dependency, more));
    }
    if let Some(user) = wanted.user.filter(|user| !user.is_empty()) {
        toml.push_str("# The settings' own dependencies.\n");
        for (name, dependency) in user {
            toml.push_str(&format!("{name} = {}\n", dependency.inline()));
        }
    }
    if let Runtime::Path(path) = runtime {
        let path = path
            .display()
            .to_string()
            .replace('\\', "/")
            .replace('"', "\\\"");
        toml.push_str(&format!("openapi-runtime = {{ path = \"{path}\" }}\n"));
    }
    toml.push('\n');
    let always: Vec<&str> = chosen.iter().map(|(d, _)| d.name).collect();
    toml.push_str(&features_toml(features, runtime, &always));
    toml.push_str(
        "\n# A workspace of its own, so the crate builds wherever it is written.\n[workspace]\n",
    );
    toml
}

fn dependency_line(dependency: &Dependency, more: &[&str]) -> String {
    let mut table = vec![format!("version = \"{}\"", dependency.version)];
    if dependency.lean {
        table.push("default-features = false".to_owned());
    }
    if !dependency.features.is_empty() || !more.is_empty() {
        let features: Vec<String> = dependency
            .features
            .iter()
            .chain(more)
            .map(|f| format!("\"{f}\""))
            .collect();
        table.push(format!("features = [{}]", features.join(", ")));
    }
    if dependency.optional() {
        table.push("optional = true".to_owned());
    }
    if table.len() == 1 {
        format!("{} = \"{}\"\n", dependency.name, dependency.version)
    } else {
        format!("{} = {{ {} }}\n", dependency.name, table.join(", "))
    }
}

/// The `[features]`: a feature per group, `full` for all of them (the default), and the
/// client's, which turns on the optional dependencies but those in `always`.
fn features_toml(features: &[String], runtime: &Runtime, always: &[&str]) -> String {
    let mut toml = String::from("[features]\n");
    if !features.is_empty() {
        let all: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        toml.push_str("default = [\"full\"]\n");
        toml.push_str("# Every group of operations, and the types no operation reaches.\n");
        toml.push_str(&format!("full = [{}]\n", all.join(", ")));
        for feature in features {
            toml.push_str(&format!("{feature} = []\n"));
        }
    }
    let (client, blocking, server) = match runtime {
        Runtime::Vendored => {
            // Every dependency only a feature needs, as the runtime crate's own features
            // list them.
            let of = |feature: &str| {
                let deps: Vec<String> = DEPENDENCIES
                    .iter()
                    .filter(|d| d.needed_by.contains(&feature) && !always.contains(&d.name))
                    .map(|d| format!("\"dep:{}\"", d.name))
                    .collect();
                format!("[{}]", deps.join(", "))
            };
            (
                of("client"),
                "[\"client\", \"tokio/rt\"]".to_owned(),
                of("server"),
            )
        }
        Runtime::Path(_) => (
            "[\"openapi-runtime/client\"]".to_owned(),
            "[\"client\", \"openapi-runtime/blocking\"]".to_owned(),
            "[\"openapi-runtime/server\"]".to_owned(),
        ),
    };
    toml.push_str(&format!(
        "# `runtime::client`: send operations with reqwest and decode their responses.\n\
         client = {client}\n\
         # `runtime::client::blocking`: the same, without an async runtime of the caller's.\n\
         blocking = {blocking}\n\
         # `server`: serve the operations with axum, from the same types.\n\
         server = {server}\n\
         # `mock`: `mock::Mock`, answers made from the description's examples and schemas.\n\
         mock = [\"server\"]\n"
    ));
    toml
}

#[cfg(test)]
mod tests {
    use super::{manifest, Wanted, DEPENDENCIES, RUST_VERSION};
    use crate::config::Runtime;

    /// `bytes` chosen by the settings (`scalars.binary`) is also the client's optional
    /// dependency: one entry, always on, and the client feature no longer names it
    /// (a second `bytes =` line is a manifest cargo refuses).
    #[test]
    fn a_chosen_crate_the_client_also_uses_is_one_dependency() {
        let wanted = Wanted {
            chosen: vec![("bytes", Vec::new())],
            ..Wanted::default()
        };
        let text = manifest("a", "a.yaml", "A", &[], &Runtime::Vendored, &wanted);
        let parsed: toml::Table = toml::from_str(&text).expect("a manifest cargo can read");
        let bytes = &parsed["dependencies"]["bytes"];
        assert_eq!(bytes.get("optional"), None, "{text}");
        assert_eq!(
            bytes["features"].as_array().map(Vec::len),
            Some(1),
            "{text}"
        );
        let client = parsed["features"]["client"].as_array().unwrap();
        assert!(
            client.iter().all(|f| f.as_str() != Some("dep:bytes")),
            "{text}"
        );
        assert!(
            client.iter().any(|f| f.as_str() == Some("dep:reqwest")),
            "{text}"
        );
    }

    /// A standalone crate's `client` and `server` features turn on what the runtime
    /// crate's do: a dependency added to one and not the other would break only
    /// standalone crates.
    #[test]
    fn each_feature_needs_what_the_runtime_crates_does() {
        let manifest = include_str!("../../../runtime/Cargo.toml");
        for name in ["client", "server"] {
            let start = manifest
                .find(&format!("\n{name} = ["))
                .expect("the runtime has the feature");
            let feature = &manifest[start..];
            let feature = &feature[..feature.find(']').unwrap_or(feature.len())];
            let mut runtime: Vec<&str> = feature
                .split('"')
                .filter_map(|item| item.strip_prefix("dep:"))
                .collect();
            runtime.sort_unstable();
            let mut table: Vec<&str> = DEPENDENCIES
                .iter()
                .filter(|dependency| dependency.needed_by.contains(&name))
                .map(|dependency| dependency.name)
                .collect();
            table.sort_unstable();
            assert_eq!(runtime, table, "{name}");
        }
    }

    /// A generated crate claims the Rust version the workspace (and so the runtime copied
    /// into it) is held to.
    #[test]
    fn the_crate_claims_the_workspaces_rust_version() {
        let workspace: toml::Table =
            toml::from_str(include_str!("../../../Cargo.toml")).expect("the workspace manifest");
        assert_eq!(
            workspace["workspace"]["package"]["rust-version"].as_str(),
            Some(RUST_VERSION)
        );
    }
}
