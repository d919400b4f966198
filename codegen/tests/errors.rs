//! Bad input gets one clear diagnostic per problem, naming the file and the JSON pointer,
//! never a panic. Each fixture in `tests/fixtures/invalid/` is invalid on purpose.

use std::path::Path;

fn error_of(spec: &str) -> String {
    match codegen::standalone_crate(Path::new(spec), spec, "invalid") {
        Ok(_) => panic!("{spec} generated, but it is invalid on purpose"),
        Err(error) => error.to_string(),
    }
}

/// Each case: the fixture, and the JSON pointer its diagnostic must name (malformed text
/// has none to name; its parser gives the line and column instead).
macro_rules! invalid {
    ($($test:ident => $spec:literal at $pointer:literal,)*) => {$(
        #[test]
        fn $test() {
            let message = error_of($spec);
            assert!(message.contains($spec), "the error names the file: {message}");
            let place = match $pointer {
                "line" => " at line ".to_owned(),
                pointer => format!(" at {pointer}: "),
            };
            assert!(
                message.contains(&place),
                "the error names the pointer {}: {message}",
                $pointer
            );
            insta::assert_snapshot!(message);
        }
    )*};
}

invalid! {
    malformed_yaml => "tests/fixtures/invalid/malformed.yaml" at "line",
    malformed_json => "tests/fixtures/invalid/malformed.json" at "line",
    unsupported_version => "tests/fixtures/invalid/unsupported_version.yaml" at "#/openapi",
    no_version => "tests/fixtures/invalid/no_version.yaml" at "#",
    not_an_object => "tests/fixtures/invalid/not_an_object.yaml" at "#",
    dangling_ref => "tests/fixtures/invalid/dangling_ref.yaml"
        at "#/paths/~1things/get/responses/200/content/application~1json/schema",
    cyclic_ref => "tests/fixtures/invalid/cyclic_ref.yaml" at "#/components/schemas/B",
    missing_file_ref => "tests/fixtures/invalid/missing_file_ref.yaml"
        at "#/paths/~1things/get/responses/200/content/application~1json/schema",
    escaping_ref => "tests/fixtures/invalid/escaping_ref.yaml"
        at "#/paths/~1things/get/responses/200/content/application~1json/schema",
    duplicate_operation => "tests/fixtures/invalid/duplicate_operation.yaml"
        at "#/paths/~1other-things/get/operationId",
    path_item_not_object => "tests/fixtures/invalid/path_item_not_object.yaml"
        at "#/paths/~1things",
    parameter_location => "tests/fixtures/invalid/parameter_location.yaml"
        at "#/paths/~1things/get/parameters/0",
    parameter_without_name => "tests/fixtures/invalid/parameter_without_name.yaml"
        at "#/paths/~1things/get/parameters/0",
    bad_status => "tests/fixtures/invalid/bad_status.yaml"
        at "#/paths/~1things/get/responses/2OO",
    all_of_cycle => "tests/fixtures/invalid/all_of_cycle.yaml" at "#/components/schemas/A",
    self_alias => "tests/fixtures/invalid/self_alias.yaml" at "#/components/schemas/A",
    bad_merge_key => "tests/fixtures/invalid/bad_merge_key.yaml" at "#/paths/~1things/<<",
    complex_key => "tests/fixtures/invalid/complex_key.yaml" at "#/paths",
}

#[test]
fn missing_file() {
    let message = error_of("tests/fixtures/invalid/does-not-exist.yaml");
    assert!(message.contains("cannot read the file"), "{message}");
}

/// A failed run leaves the output directory exactly as it was.
#[test]
fn failed_run_changes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let files = codegen::standalone_crate(
        Path::new("tests/fixtures/models.yaml"),
        "models.yaml",
        "models",
    )
    .unwrap();
    codegen::sync(
        out.path(),
        &files,
        &[Path::new("src")],
        codegen::Mode::Write,
    )
    .unwrap();
    let before = snapshot_dir(out.path());
    let error = codegen::standalone_crate(
        Path::new("tests/fixtures/invalid/dangling_ref.yaml"),
        "x",
        "models",
    );
    assert!(error.is_err());
    assert_eq!(snapshot_dir(out.path()), before);
}

fn snapshot_dir(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}
