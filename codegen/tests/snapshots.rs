//! Snapshots of the generated code: one per fixture description (each exercising one
//! feature; every fixture [`support::FIXTURES_GLOB`] takes) and one per description in
//! `specs/`. `tests/compile.rs` compiles the same fixtures.

mod support;

use std::path::Path;

/// The files of the server side (its features' modules), snapshot apart from the rest.
const SERVER_FILES: &[&str] = &["src/server.rs", "src/rules.rs", "src/mock.rs"];

/// The generated sources of `spec` (a path relative to `codegen/`) as one text, file by
/// file; the runtime, copied verbatim into every crate, is left out, and so is the server
/// side ([`server_side`]).
fn generated(spec: &Path) -> String {
    let config = codegen::Config::spec(spec).name("snapshot");
    let generated = codegen::generate(&config)
        .unwrap_or_else(|problems| panic!("{} does not generate:\n{problems}", spec.display()));
    sources(&generated.files, |path| {
        !SERVER_FILES.iter().any(|server| path == Path::new(server))
    })
}

/// The server side's sources of `spec`.
fn server_side(spec: &Path) -> String {
    let config = codegen::Config::spec(spec).name("snapshot");
    let generated = codegen::generate(&config)
        .unwrap_or_else(|problems| panic!("{} does not generate:\n{problems}", spec.display()));
    sources(&generated.files, |path| {
        SERVER_FILES.iter().any(|server| path == Path::new(server))
    })
}

fn sources(files: &[codegen::File], wanted: impl Fn(&Path) -> bool) -> String {
    files
        .iter()
        .filter(|file| file.path.starts_with("src") && !file.path.starts_with("src/runtime"))
        .filter(|file| wanted(&file.path))
        .map(|file| format!("// ===== {} =====\n{}", file.path.display(), file.contents))
        .collect()
}

#[test]
fn fixture() {
    insta::glob!(support::FIXTURES_GLOB, |path| {
        insta::assert_snapshot!(generated(&support::relative(path)));
    });
}

/// The glob and `support::fixtures` (which the tests that do not snapshot use) take the
/// same fixtures.
#[test]
fn the_glob_and_the_list_agree() {
    let mut globbed = Vec::new();
    insta::glob!(support::FIXTURES_GLOB, |path| globbed
        .push(support::relative(path)));
    globbed.sort();
    assert_eq!(globbed, support::fixtures());
}

#[test]
fn spec_camunda_users() {
    insta::assert_snapshot!(generated(Path::new("../specs/camunda-users.yaml")));
}

#[test]
fn spec_elastic_users() {
    insta::assert_snapshot!(generated(Path::new("../specs/elastic-users.json")));
}

/// The server side of the fixtures that exercise it: parameters of every style, bodies
/// of every media type, statuses, streams, polymorphism.
#[test]
fn server_fixture() {
    for fixture in [
        "tests/fixtures/parameters.yaml",
        "tests/fixtures/bodies.yaml",
        "tests/fixtures/statuses.yaml",
        "tests/fixtures/streams.yaml",
        "tests/fixtures/polymorphism.yaml",
        "tests/fixtures/swagger_body.json",
        "tests/fixtures/swagger_forms.json",
    ] {
        let name = Path::new(fixture)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(format!("server_{name}"), server_side(Path::new(fixture)));
    }
}

#[test]
fn server_spec_camunda_users() {
    insta::assert_snapshot!(server_side(Path::new("../specs/camunda-users.yaml")));
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
    let generate = |spec: &str| {
        codegen::generate(&codegen::Config::spec(spec).name("pets"))
            .unwrap_or_else(|problems| panic!("{spec}:\n{problems}"))
            .files
    };
    let swagger = generate("tests/fixtures/versions/pets.swagger20.json");
    for other in [
        "tests/fixtures/versions/pets.openapi30.yaml",
        "tests/fixtures/versions/pets.openapi31.yaml",
    ] {
        let other_files = generate(other);
        for path in [
            "src/models.rs",
            "src/models/serde_impls.rs",
            "src/operations.rs",
        ] {
            assert_eq!(
                body_of(&swagger, path),
                body_of(&other_files, path),
                "{other}: {path}"
            );
        }
    }
    insta::assert_snapshot!(
        body_of(&swagger, "src/models.rs")
            + "\n"
            + &body_of(&swagger, "src/models/serde_impls.rs")
            + "\n"
            + &body_of(&swagger, "src/operations.rs")
    );
}

/// Generation is deterministic: the same input gives byte-identical output.
#[test]
fn output_is_deterministic() {
    for spec in ["../specs/camunda-users.yaml", "tests/fixtures/models.yaml"] {
        let spec = Path::new(spec);
        assert_eq!(generated(spec), generated(spec), "{}", spec.display());
    }
}
