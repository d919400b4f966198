//! Every document of the oas-examples corpus in `testdata/oas-examples/` (Swagger 2.0,
//! OpenAPI 3.0 and 3.1, JSON and YAML; 129 of them) generates code that passes
//! `cargo clippy` and `cargo doc` with warnings denied. They are compiled as the modules of
//! one crate, so dependencies and the compiler start up once: the documents are copied
//! into the `specs/` of a project made for the test, whose `generated` crate
//! `codegen::generate` writes as it writes this project's.

mod support;

use std::path::Path;

/// Documents of the corpus: the README counts them.
const DOCUMENTS: usize = 129;

/// Documents that are invalid on purpose, with the reason; they must fail with a
/// diagnostic naming the file instead. (None is.)
const INVALID: &[(&str, &str)] = &[];

#[test]
fn every_document_compiles_cleanly() {
    let documents = support::oas_examples();
    assert_eq!(
        documents.len(),
        DOCUMENTS,
        "the corpus has changed: {documents:#?}"
    );
    let root = support::workspace().join("target/compile-tests/oas_examples");
    let specs = root.join("specs");
    // Only what this run copies: a document dropped from the corpus must not linger.
    let _ = std::fs::remove_dir_all(&specs);
    std::fs::create_dir_all(&specs).unwrap();
    for path in &documents {
        let name = support::oas_example_name(path);
        match INVALID.iter().find(|(invalid, _)| name.ends_with(invalid)) {
            Some((_, why)) => {
                let problems = codegen::generate(&codegen::Config::spec(path)).expect_err(why);
                assert!(
                    problems
                        .iter()
                        .all(|problem| problem.file.as_ref() == Some(path)),
                    "{problems}"
                );
            }
            None => {
                // `oas-examples/3.1/json/webhooks.json` becomes `v3_1_json_webhooks.json`:
                // one module each, named after where it comes from.
                // (Two documents copied to one name would leave one module fewer.)
                let within = Path::new(name.trim_start_matches("oas-examples/"));
                let stem = within.with_extension("").display().to_string();
                let extension = within.extension().unwrap().to_string_lossy();
                let flat = format!("v{}.{extension}", stem.replace(['/', '.', '-'], "_"));
                std::fs::copy(path, specs.join(flat)).unwrap();
            }
        }
    }
    let generated = codegen::generate(&codegen::Config::workspace(&root))
        .unwrap_or_else(|problems| panic!("{problems}"));
    let modules = generated
        .files
        .iter()
        .filter(|file| file.path.ends_with("models.rs"))
        .count();
    assert_eq!(modules, DOCUMENTS - INVALID.len());
    let out = root.join("generated");
    // A workspace's generated crate depends on the runtime crate, as the project's own does.
    let runtime = support::workspace().join("runtime");
    std::fs::write(
        out.join("Cargo.toml"),
        format!(
            "[package]\nname = \"oas_examples\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n\
             openapi-runtime = {{ path = {:?} }}\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             http = \"1\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\nuuid = {{ version = \"1\", features = [\"serde\"] }}\n\n\
             [features]\nclient = [\"openapi-runtime/client\"]\nblocking = [\"client\", \"openapi-runtime/blocking\"]\n\
             server = [\"openapi-runtime/server\"]\nmock = [\"server\"]\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    support::assert_compiles_cleanly(&out, "the oas-examples corpus");
}
