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
    fixture_openapi31 => "tests/fixtures/openapi31.yaml",
    fixture_multi_file => "tests/fixtures/multi_file/api.yaml",
    fixture_polymorphism => "tests/fixtures/polymorphism.yaml",
    fixture_absent_null => "tests/fixtures/absent_null.yaml",
    fixture_schemas_full => "tests/fixtures/schemas_full.yaml",
    fixture_bodies => "tests/fixtures/bodies.yaml",
    fixture_parameters => "tests/fixtures/parameters.yaml",
}

/// The source lines of a generated file, without its header (which names the source).
fn body_of(files: &[codegen::File], path: &str) -> String {
    let file = files.iter().find(|f| f.path == Path::new(path)).unwrap();
    file.contents
        .lines()
        .skip_while(|line| line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One description written three times, as Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1,
/// gives the same Rust types: the versions lower into one model.
#[test]
fn three_versions_give_the_same_types() {
    let generate = |spec: &str| codegen::standalone_crate(Path::new(spec), spec, "pets").unwrap();
    let swagger = generate("tests/fixtures/versions/pets.swagger20.json");
    for other in [
        "tests/fixtures/versions/pets.openapi30.yaml",
        "tests/fixtures/versions/pets.openapi31.yaml",
    ] {
        let other_files = generate(other);
        for path in ["src/models.rs", "src/operations.rs"] {
            assert_eq!(
                body_of(&swagger, path),
                body_of(&other_files, path),
                "{other}: {path}"
            );
        }
    }
    insta::assert_snapshot!(
        body_of(&swagger, "src/models.rs") + "\n" + &body_of(&swagger, "src/operations.rs")
    );
}

/// Generation is deterministic: the same input gives byte-identical output.
#[test]
fn output_is_deterministic() {
    for spec in ["../specs/camunda-users.yaml", "tests/fixtures/models.yaml"] {
        assert_eq!(generated(spec), generated(spec), "{spec}");
    }
}
