//! Bad input gets one clear diagnostic per problem, naming the file and the JSON pointer,
//! never a panic. Each fixture in `tests/fixtures/invalid/` is invalid on purpose; the
//! options that cannot be honoured are errors too. Every kind of error is here
//! ([`codegen::DiagnosticKind::Internal`] aside: that one is a bug of the generator), with its
//! rendering snapshot-tested.

use std::path::Path;

use codegen::{Config, DiagnosticKind, Diagnostics, Severity};

fn problems_of(config: &Config) -> Diagnostics {
    match codegen::generate(config) {
        Ok(_) => panic!("{config:?} generated, but it is invalid on purpose"),
        Err(problems) => problems,
    }
}

/// Each case: the fixture, the JSON pointer its first diagnostic must name (malformed text
/// has none to name; its parser gives the line and column instead), and the kind of every
/// diagnostic it gives.
macro_rules! invalid {
    ($($test:ident => $spec:literal at $pointer:literal, $kind:ident,)*) => {$(
        #[test]
        fn $test() {
            let problems = problems_of(&Config::spec($spec));
            let message = problems.to_string();
            for problem in &problems {
                assert_eq!(problem.severity, Severity::Error, "{message}");
                assert_eq!(problem.kind, DiagnosticKind::$kind, "{message}");
                assert_eq!(problem.file.as_deref(), Some(Path::new($spec)), "{message}");
            }
            let first = problems.iter().next().expect("at least one diagnostic");
            match $pointer {
                "line" => {
                    assert_eq!(first.pointer, "", "{message}");
                    assert!(message.contains(" at line "), "{message}");
                }
                pointer => assert_eq!(first.pointer, pointer, "{message}"),
            }
            insta::assert_snapshot!(message);
        }
    )*};
}

invalid! {
    malformed_yaml => "tests/fixtures/invalid/malformed.yaml" at "line", Syntax,
    malformed_json => "tests/fixtures/invalid/malformed.json" at "line", Syntax,
    unsupported_version => "tests/fixtures/invalid/unsupported_version.yaml" at "#/openapi", Syntax,
    no_version => "tests/fixtures/invalid/no_version.yaml" at "#", Syntax,
    not_an_object => "tests/fixtures/invalid/not_an_object.yaml" at "#", Syntax,
    dangling_ref => "tests/fixtures/invalid/dangling_ref.yaml"
        at "#/paths/~1things/get/responses/200/content/application~1json/schema", Reference,
    cyclic_ref => "tests/fixtures/invalid/cyclic_ref.yaml" at "#/components/schemas/A", Reference,
    missing_file_ref => "tests/fixtures/invalid/missing_file_ref.yaml"
        at "#/paths/~1things/get/responses/200/content/application~1json/schema", Reference,
    escaping_ref => "tests/fixtures/invalid/escaping_ref.yaml"
        at "#/paths/~1things/get/responses/200/content/application~1json/schema", Reference,
    duplicate_operation => "tests/fixtures/invalid/duplicate_operation.yaml"
        at "#/paths/~1other-things/get/operationId", Duplicate,
    path_item_not_object => "tests/fixtures/invalid/path_item_not_object.yaml"
        at "#/paths/~1things", Structure,
    parameter_location => "tests/fixtures/invalid/parameter_location.yaml"
        at "#/paths/~1things/get/parameters/0", Structure,
    parameter_without_name => "tests/fixtures/invalid/parameter_without_name.yaml"
        at "#/paths/~1things/get/parameters/0", Structure,
    bad_status => "tests/fixtures/invalid/bad_status.yaml"
        at "#/paths/~1things/get/responses/2OO", Structure,
    all_of_cycle => "tests/fixtures/invalid/all_of_cycle.yaml" at "#/components/schemas/A", Schema,
    self_alias => "tests/fixtures/invalid/self_alias.yaml" at "#/components/schemas/A", Schema,
    bad_merge_key => "tests/fixtures/invalid/bad_merge_key.yaml" at "#/paths/~1things/<<", Syntax,
    complex_key => "tests/fixtures/invalid/complex_key.yaml" at "#/paths", Syntax,
}

/// A description that cannot be read: an I/O error naming the file.
#[test]
fn missing_file() {
    let spec = "tests/fixtures/invalid/does-not-exist.yaml";
    let problems = problems_of(&Config::spec(spec));
    let [problem] = &problems.iter().collect::<Vec<_>>()[..] else {
        panic!("one diagnostic expected: {problems}");
    };
    assert_eq!(problem.kind, DiagnosticKind::Io);
    assert_eq!(problem.file.as_deref(), Some(Path::new(spec)));
    insta::assert_snapshot!(problems.to_string());
}

/// Options that cannot be honoured: a package name cargo refuses, a filter on a whole
/// workspace (`..` is the project, tests run in `codegen/`), and warnings denied on a
/// description that warns.
#[test]
fn options_that_cannot_be_honoured() {
    let models = "tests/fixtures/models.yaml";
    let cases = [
        Config::spec(models).name("1 bad name"),
        Config::workspace("..").filter(codegen::Filter {
            tags: vec!["Pets".into()],
            operations: Vec::new(),
        }),
        Config::spec("tests/fixtures/warnings/unknown_format.yaml").deny_warnings(true),
    ];
    let mut rendered = String::new();
    for config in &cases {
        let problems = problems_of(config);
        let last = problems.iter().last().unwrap();
        assert_eq!(last.kind, DiagnosticKind::Option, "{problems}");
        assert_eq!(last.severity, Severity::Error, "{problems}");
        rendered.push_str(&format!("{problems}\n\n"));
    }
    insta::assert_snapshot!(rendered);
}

/// A failed run leaves the output directory exactly as it was: the failing run is
/// given the very directory a good run wrote, and nothing in it changes.
#[test]
fn failed_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let written = codegen::generate(&Config::spec("tests/fixtures/models.yaml").out(&out))
        .unwrap_or_else(|problems| panic!("{problems}"));
    assert!(!written.changes.is_empty());
    let before = snapshot_dir(dir.path());
    for bad in [
        "tests/fixtures/invalid/dangling_ref.yaml",
        "tests/fixtures/invalid/malformed.yaml",
        "tests/fixtures/invalid/does-not-exist.yaml",
    ] {
        let failed = codegen::generate(&Config::spec(bad).out(&out).name("models"));
        assert!(failed.is_err(), "{bad} generated");
        assert_eq!(snapshot_dir(dir.path()), before, "{bad} changed the output");
    }
}

/// Every file under `dir` (staging leftovers included) and its bytes.
fn snapshot_dir(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.push((path.clone(), Vec::new()));
                pending.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}
