//! Building the harness: the generated crates, the binaries that run values through their
//! types, and one `cargo build` of them all.
//!
//! Each description and each fixture becomes the standalone crate `codegen::generate`
//! writes (`target/compile-tests/examples_<name>/`), exactly as a user gets it;
//! `examples_harness` depends on them all. Its library is `tests/harness/`, its binaries
//! are generated here: one function per distinct Rust type and a table from JSON pointer
//! to function. One `cargo build` makes them all (dependencies built once in the shared
//! `target/compile-tests/target`); each binary then prints a JSON report to assert on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use codegen::model::{Api, MediaKind, Ty, TypeId};
use serde_json::Value;

use crate::support::{self, workspace};
use crate::{DESCRIPTIONS, LEFT_OUT, SETTINGS};
use oracle::document::{is_nullable, Document};
use tools::examples::{every_example, media_type_of, Finder};

/// What the harness knows of one description.
pub struct Checked {
    /// Examples with the Rust type they go through, or why none was found.
    pub examples: Vec<(String, Result<String, String>)>,
    /// Examples in the description that the finder did not reach.
    pub unreached: Vec<String>,
    pub binary: PathBuf,
    pub examples_file: PathBuf,
    pub doc_file: PathBuf,
}

pub struct Harness {
    pub checked: BTreeMap<&'static str, Checked>,
    pub property: Property,
}

/// The fixtures' binary and what it needs.
pub struct Property {
    /// Fixtures whose types are tested.
    pub fixtures: usize,
    /// Schemas tested, one per type of a fixture.
    pub cases: usize,
    /// Types of the fixtures that are not tested, and why.
    pub skipped: Vec<String>,
    /// `module=document.json` for each fixture.
    pub docs: Vec<String>,
    pub binary: PathBuf,
}

pub fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Result<Harness, String>> = OnceLock::new();
    match HARNESS.get_or_init(build_harness) {
        Ok(harness) => harness,
        Err(error) => panic!("{error}"),
    }
}

fn root() -> PathBuf {
    workspace().join("target/compile-tests")
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}

fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// Where cargo puts the harness's binary `name`.
pub fn binary(name: &str) -> PathBuf {
    root()
        .join("target/debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// One generated crate: its package name, the description it is made from, and its
/// model once generated.
struct Crate {
    name: String,
    spec: PathBuf,
    /// The settings file it is generated with, if any.
    settings: Option<PathBuf>,
}

/// The crate of the fixture `fixture` (a path relative to `codegen/`).
fn fixture_crate(fixture: &Path) -> Crate {
    Crate {
        name: format!("examples_fixture_{}", support::fixture_name(fixture)),
        spec: fixture.to_path_buf(),
        settings: None,
    }
}

/// The fixtures of the property test: every fixture of the snapshot tests and the
/// three versions of one description, but those [`LEFT_OUT`].
pub fn fixtures() -> Vec<PathBuf> {
    let mut all = support::fixtures();
    for version in [
        "pets.openapi30.yaml",
        "pets.openapi31.yaml",
        "pets.swagger20.json",
    ] {
        all.push(Path::new("tests/fixtures/versions").join(version));
    }
    all.retain(|fixture| {
        !LEFT_OUT
            .iter()
            .any(|(left_out, _)| fixture == Path::new(left_out))
    });
    all
}

/// Generates `krate` into `target/compile-tests/<name>/`, as `cargo xtask codegen
/// --spec` would, and returns its model.
fn generate(krate: &Crate) -> Result<Api, String> {
    let mut config = codegen::Config::spec(&krate.spec)
        .out(root().join(&krate.name))
        .name(&krate.name);
    if let Some(settings) = &krate.settings {
        config = config.settings_file(settings);
    }
    let generated = codegen::generate(&config)
        .map_err(|problems| format!("{} does not generate:\n{problems}", krate.spec.display()))?;
    Ok(generated.models.into_iter().next().unwrap())
}

/// The Rust type `ty` of the model `api`, as the harness's binaries name it: through the
/// crate `name` that holds it.
fn rust_type(api: &Api, ty: &Ty, name: &str) -> String {
    api.rust_type(ty).replace("crate ::", &format!("{name} ::"))
}

/// A round trip through the type `ty`, and a reading of it, for the table of a binary.
fn functions(index: usize, ty: &str) -> String {
    format!(
        "    pub fn t{index}(value: Value) -> Result<Value, String> {{\n        examples_harness::round_trip::<{ty}>(value)\n    }}\n\n\
         \x20   pub fn r{index}(value: Value) -> Result<(), String> {{\n        examples_harness::reads::<{ty}>(value)\n    }}\n\n"
    )
}

fn build_harness() -> Result<Harness, String> {
    let harness_dir = root().join("examples_harness");
    let data = harness_dir.join("data");
    let described: Vec<Crate> = DESCRIPTIONS
        .iter()
        .map(|(name, file, _)| match file.strip_prefix("fixtures/") {
            Some(fixture) => fixture_crate(&Path::new("tests/fixtures").join(fixture)),
            None => Crate {
                name: format!("examples_{name}"),
                spec: support::real_spec(file),
                settings: SETTINGS
                    .iter()
                    .find(|(with, _)| with == name)
                    .map(|(_, settings)| PathBuf::from(settings)),
            },
        })
        .collect();
    let fixtures: Vec<Crate> = fixtures().iter().map(|f| fixture_crate(f)).collect();
    // Every crate once; generating the large descriptions takes a while in a debug
    // build, so each has a thread, and the fixtures share one.
    let mut models: BTreeMap<String, Result<Api, String>> = BTreeMap::new();
    std::thread::scope(|scope| {
        let real: Vec<_> = described
            .iter()
            .filter(|krate| !krate.name.starts_with("examples_fixture_"))
            .map(|krate| (krate.name.clone(), scope.spawn(|| generate(krate))))
            .collect();
        for krate in &fixtures {
            models.insert(krate.name.clone(), generate(krate));
        }
        for (name, thread) in real {
            let model = thread
                .join()
                .unwrap_or_else(|_| Err(format!("generating {name} panicked")));
            models.insert(name, model);
        }
    });
    let model =
        |name: &str| -> Result<&Api, String> { models[name].as_ref().map_err(Clone::clone) };

    // The user's own types, which crates generated with settings use.
    let user_types = support::user_types();
    let mut dependencies = format!(
        "user-types = {{ path = {:?} }}\n",
        user_types.display().to_string()
    );
    for name in models.keys() {
        dependencies.push_str(&format!("{name} = {{ path = \"../{name}\" }}\n"));
    }
    let mut bins = Vec::new();
    let mut checked = BTreeMap::new();
    for ((name, file, _), krate) in DESCRIPTIONS.iter().zip(&described) {
        let api = model(&krate.name)?;
        let (found, source) = examples_binary(name, file, krate, api, &data);
        bins.push((format!("roundtrip_{name}"), source));
        checked.insert(*name, found);
    }
    let mut loaded = Vec::new();
    for krate in &fixtures {
        loaded.push((krate, model(&krate.name)?));
    }
    let (property, source) = property_binary(&loaded, &data);
    bins.push(("property_fixtures".to_owned(), source));
    build(&harness_dir, &dependencies, &bins)?;
    Ok(Harness { checked, property })
}

/// Finds the examples of the description `file` (whose crate is `krate`, model `api`)
/// and writes them, with the description as JSON, under `data`; returns what was found
/// and the source of the binary that checks them.
fn examples_binary(
    name: &str,
    file: &str,
    krate: &Crate,
    api: &Api,
    data: &Path,
) -> (Checked, String) {
    let doc = Document::read(&krate.spec).expect("the description");
    let found = Finder::find(&doc, api);
    let mut everywhere = BTreeSet::new();
    every_example(&doc.root, "#", false, &mut everywhere);
    let unreached = everywhere
        .into_iter()
        .filter(|pointer| !found.contains_key(pointer))
        .collect();

    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples = Vec::new();
    let mut inputs = Vec::new();
    let mut table = String::new();
    for example in found.values() {
        let rendered = example
            .ty
            .as_ref()
            .map(|ty| rust_type(api, ty, &krate.name));
        if let Ok(rendered) = &rendered {
            let next = types.len();
            let index = *types.entry(rendered.clone()).or_insert(next);
            table.push_str(&format!("    ({}, t{index}),\n", literal(&example.pointer)));
            inputs.push(serde_json::json!({
                "pointer": example.pointer,
                "schema": example.schema,
                "value": example.value,
            }));
        }
        examples.push((example.pointer.clone(), rendered.map_err(Clone::clone)));
    }
    let mut source = format!(
        "//! Round trips of the examples of `{file}`, generated by `codegen/tests/examples/`.\n\n\
         #![allow(deprecated, dead_code)]\n\n\
         mod round_trips {{\n    use serde_json::Value;\n\n"
    );
    let mut by_index: Vec<(&String, &usize)> = types.iter().collect();
    by_index.sort_by_key(|(_, index)| **index);
    for (ty, index) in by_index {
        source.push_str(&functions(*index, ty));
    }
    source.push_str(&format!(
        "}}\n\nuse round_trips::*;\n\n\
         const TABLE: &[(&str, examples_harness::RoundTrip)] = &[\n{table}];\n\n\
         fn main() {{\n    examples_harness::examples_main(TABLE);\n}}\n"
    ));

    let doc_file = data.join(format!("{name}.json"));
    write(&doc_file, &doc.root.to_string());
    let examples_file = data.join(format!("{name}.examples.json"));
    write(&examples_file, &Value::Array(inputs).to_string());
    let checked = Checked {
        examples,
        unreached,
        binary: binary(&format!("roundtrip_{name}")),
        examples_file,
        doc_file,
    };
    (checked, source)
}

/// The source of the fixtures' binary: one case per schema of a fixture that became a
/// type, with its round trip and its reading; writes each description as JSON under
/// `data`.
fn property_binary(loaded: &[(&Crate, &Api)], data: &Path) -> (Property, String) {
    let mut cases = 0;
    let mut skipped = Vec::new();
    let mut docs = Vec::new();
    let mut functions_source = String::new();
    let mut table = String::new();
    for (krate, api) in loaded {
        let module = krate.name.trim_start_matches("examples_fixture_");
        let doc = Document::read(&krate.spec).expect("the description");
        let doc_file = data.join(format!("fixture_{module}.json"));
        write(&doc_file, &doc.root.to_string());
        docs.push(format!("{module}={}", doc_file.display()));
        functions_source.push_str(&format!("mod {module} {{\n    use serde_json::Value;\n\n"));
        for (index, def) in api.types.iter().enumerate() {
            // Only schemas of this file (not, say, the struct made of Swagger 2.0 form
            // parameters, or one of another file).
            let node = match doc.get(&def.pointer) {
                Some(node @ Value::Object(_)) => node,
                _ => {
                    skipped.push(format!(
                        "{module} {} (`{}`): no schema object at this pointer of the file",
                        def.pointer, def.name
                    ));
                    continue;
                }
            };
            let media_type = media_type_of(&def.pointer);
            if let Some(media_type) = media_type.filter(|m| MediaKind::of(m) != MediaKind::Json) {
                skipped.push(format!(
                    "{module} {}: the body of a `{media_type}` request or response, not JSON",
                    def.pointer
                ));
                continue;
            }
            let named = Ty::Named(TypeId(index));
            let ty = match is_nullable(node) {
                true => Ty::Option(Box::new(named)),
                false => named,
            };
            let n = cases;
            functions_source.push_str(&functions(n, &rust_type(api, &ty, &krate.name)));
            table.push_str(&format!(
                "    Case {{ fixture: {}, pointer: {}, type_name: {}, run: {module}::t{n}, reads: {module}::r{n} }},\n",
                literal(module),
                literal(&def.pointer),
                literal(&def.name)
            ));
            cases += 1;
        }
        functions_source.push_str("}\n\n");
    }
    let source = format!(
        "//! The fixtures' types, generated by `codegen/tests/examples/`.\n\n\
         #![allow(deprecated, dead_code)]\n\n\
         use examples_harness::Case;\n\n{functions_source}\
         const CASES: &[Case] = &[\n{table}];\n\n\
         fn main() {{\n    examples_harness::property_main(CASES);\n}}\n"
    );
    let property = Property {
        fixtures: loaded.len(),
        cases,
        skipped,
        docs,
        binary: binary("property_fixtures"),
    };
    (property, source)
}

/// The harness's library, copied into its `src/`; the rest it needs is the `oracle` crate.
const LIBRARY: &[(&str, &str)] = &[("lib.rs", include_str!("../harness/lib.rs"))];

/// Writes the harness crate (its library, `bins` and a manifest with `dependencies`) and
/// builds it.
fn build(harness_dir: &Path, dependencies: &str, bins: &[(String, String)]) -> Result<(), String> {
    let oracle = workspace().join("oracle").display().to_string();
    write(
        &harness_dir.join("Cargo.toml"),
        &format!(
            "# Written by codegen/tests/examples/.\n\
             [package]\nname = \"examples_harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{dependencies}\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"std\"] }}\n\
             oracle = {{ path = {oracle:?}, default-features = false }}\n\
             serde = \"1\"\nserde_json = \"1\"\n\
             uuid = {{ version = \"1\", features = [\"serde\"] }}\n\n\
             # Debug info and incremental caches cost time and gigabytes for the large\n\
             # generated crates, and nothing here needs them.\n\
             [profile.dev]\ndebug = false\nincremental = false\n\n[workspace]\n"
        ),
    );
    for (name, contents) in LIBRARY {
        write(&harness_dir.join("src").join(name), contents);
    }
    let bin_dir = harness_dir.join("src/bin");
    let wanted: BTreeSet<String> = bins.iter().map(|(name, _)| format!("{name}.rs")).collect();
    if let Ok(entries) = std::fs::read_dir(&bin_dir) {
        for entry in entries.flatten() {
            if !wanted.contains(&entry.file_name().to_string_lossy().into_owned()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    for (name, source) in bins {
        write(&bin_dir.join(format!("{name}.rs")), source);
    }
    // The workspace's lock file pins the shared dependencies. The copy is made again only when the workspace's changes (the last one
    // copied is kept beside it), so runs after the first resolve nothing.
    let lock = std::fs::read_to_string(workspace().join("Cargo.lock")).unwrap();
    let copied = harness_dir.join("workspace.lock");
    if std::fs::read_to_string(&copied).ok().as_deref() != Some(lock.as_str())
        || !harness_dir.join("Cargo.lock").exists()
    {
        std::fs::write(harness_dir.join("Cargo.lock"), &lock).unwrap();
        std::fs::write(&copied, &lock).unwrap();
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--bins", "--quiet"])
        .current_dir(harness_dir)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the harness in {} does not build:\n{}",
            harness_dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs a binary of the harness with `args`; its standard output is a JSON report.
pub fn run(binary: &Path, args: &[&str]) -> Vec<Value> {
    let output = Command::new(binary)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        binary.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{} printed no JSON report: {error}", binary.display()))
}
