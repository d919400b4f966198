//! Bad input gets one clear diagnostic per problem, naming the file and the JSON pointer,
//! never a panic. Each fixture in `tests/fixtures/invalid/` is invalid on purpose.

use std::path::Path;

fn error_of(spec: &str) -> String {
    match codegen::standalone_crate(Path::new(spec), spec, "invalid") {
        Ok(_) => panic!("{spec} generated, but it is invalid on purpose"),
        Err(error) => error.to_string(),
    }
}

macro_rules! invalid {
    ($($test:ident => $spec:literal,)*) => {$(
        #[test]
        fn $test() {
            let message = error_of($spec);
            assert!(message.contains($spec), "the error names the file: {message}");
            insta::assert_snapshot!(message);
        }
    )*};
}

invalid! {
    malformed_yaml => "tests/fixtures/invalid/malformed.yaml",
    malformed_json => "tests/fixtures/invalid/malformed.json",
    unsupported_version => "tests/fixtures/invalid/unsupported_version.yaml",
    dangling_ref => "tests/fixtures/invalid/dangling_ref.yaml",
    cyclic_ref => "tests/fixtures/invalid/cyclic_ref.yaml",
    duplicate_operation => "tests/fixtures/invalid/duplicate_operation.yaml",
    not_an_object => "tests/fixtures/invalid/not_an_object.yaml",
    missing_file_ref => "tests/fixtures/invalid/missing_file_ref.yaml",
    escaping_ref => "tests/fixtures/invalid/escaping_ref.yaml",
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
