//! Snapshots of the generated code: one per fixture description (each exercising one
//! feature) and one per description in `specs/`. `tests/compile.rs` compiles them all.

use std::path::Path;

/// The generated sources of `spec` as one text, file by file.
fn generated(spec: &str) -> String {
    let files = codegen::standalone_crate(Path::new(spec), spec, "snapshot")
        .unwrap_or_else(|error| panic!("{spec} does not generate:\n{error}"));
    files
        .iter()
        .filter(|file| file.path.starts_with("src") && !file.path.ends_with("runtime.rs"))
        .map(|file| format!("// ===== {} =====\n{}", file.path.display(), file.contents))
        .collect()
}

macro_rules! snapshot {
    ($($test:ident => $spec:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(generated($spec));
        }
    )*};
}

snapshot! {
    spec_camunda_users => "../specs/camunda-users.yaml",
    spec_elastic_users => "../specs/elastic-users.json",
    fixture_docs => "tests/fixtures/docs.yaml",
    fixture_models => "tests/fixtures/models.yaml",
    fixture_naming => "tests/fixtures/naming.yaml",
    fixture_recursive => "tests/fixtures/recursive.yaml",
    fixture_refs_into_paths => "tests/fixtures/refs_into_paths.yaml",
    fixture_statuses => "tests/fixtures/statuses.yaml",
    fixture_swagger_body => "tests/fixtures/swagger_body.json",
}

/// Generation is deterministic: the same input gives byte-identical output.
#[test]
fn output_is_deterministic() {
    for spec in ["../specs/camunda-users.yaml", "tests/fixtures/models.yaml"] {
        assert_eq!(generated(spec), generated(spec), "{spec}");
    }
}
