//! Warnings: what the generator guessed or dropped, each naming the file and the JSON
//! pointer of a node that is there. One fixture per kind of warning in
//! `tests/fixtures/warnings/` (named after the kind), with the rendering of every
//! warning and of the summary a run prints snapshot-tested; and the exact warnings the
//! real descriptions give.

mod support;

use std::path::Path;

use codegen::{Config, DiagnosticKind, Diagnostics, Severity};

/// The kind of warning each fixture of `tests/fixtures/warnings/` is about, by file stem.
const KINDS: &[(&str, DiagnosticKind)] = &[
    ("ignored_keyword", DiagnosticKind::IgnoredKeyword),
    ("ignored_parameter", DiagnosticKind::IgnoredParameter),
    ("structure", DiagnosticKind::Structure),
    ("unknown_format", DiagnosticKind::UnknownFormat),
    ("unknown_type", DiagnosticKind::UnknownType),
    ("unsupported", DiagnosticKind::Unsupported),
];

/// Warnings whose pointer names no node of the description, by open generator bugs:
/// file, pointer, what goes wrong. Remove an entry when fixed; the test says when.
const POINTER_BUGS: &[(&str, &str, &str)] = &[(
    "tests/fixtures/warnings/unknown_type.yaml",
    "#/components/schemas/Note/properties/when/type/1/type",
    "a 3.1 `type` array is split into one schema per type, each checked again at a \
     made-up pointer: the unknown type is reported twice, once where it is not",
)];

/// The warnings of a run on `spec`, which must succeed.
fn warnings_of(config: &Config) -> Diagnostics {
    codegen::generate(config)
        .unwrap_or_else(|problems| panic!("{config:?} failed:\n{problems}"))
        .warnings
}

/// Each warning names `spec` and a node of it (or one of the [`POINTER_BUGS`]).
fn assert_pointers_exist(spec: &Path, warnings: &Diagnostics) {
    let document = support::read_description(spec);
    for warning in warnings {
        assert_eq!(warning.file.as_deref(), Some(spec), "{warning}");
        let known_bug = POINTER_BUGS
            .iter()
            .any(|(file, pointer, _)| spec == Path::new(file) && warning.pointer == *pointer);
        let exists = support::node_at(&document, &warning.pointer).is_some();
        assert!(
            exists != known_bug,
            "{warning}\n{}",
            if known_bug {
                "is listed in POINTER_BUGS but its node exists now: remove it from the list"
            } else {
                "names a node that is not in the description"
            }
        );
    }
}

#[test]
fn each_kind_of_warning() {
    let mut seen = Vec::new();
    insta::glob!("fixtures/warnings/*.yaml", |path| {
        let spec = support::relative(path);
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let (_, kind) = KINDS
            .iter()
            .find(|(name, _)| *name == stem)
            .unwrap_or_else(|| panic!("{stem}.yaml: add its kind to KINDS"));
        let warnings = warnings_of(&Config::spec(&spec));
        assert!(!warnings.is_empty(), "{} gives no warning", spec.display());
        for warning in &warnings {
            assert_eq!(warning.severity, Severity::Warning, "{warning}");
            assert_eq!(warning.kind, *kind, "{warning}");
        }
        assert_pointers_exist(&spec, &warnings);
        // Every warning, then what a run prints: grouped by kind, the first two in full.
        insta::assert_snapshot!(format!(
            "{warnings}\n\n--- summary(2) ---\n{}",
            warnings.summary(2)
        ));
        seen.push(*kind);
    });
    seen.sort();
    let mut all: Vec<DiagnosticKind> = KINDS.iter().map(|(_, kind)| *kind).collect();
    all.sort();
    assert_eq!(seen, all, "a kind of KINDS has no fixture");
}

/// Issue 23: the header parameters a request writes itself are not parameters of the
/// operation, so nothing sends them: a declared `Content-Length` went out beside the
/// body's own ("conflicting content-length headers"), and `Accept`, `Content-Type` and
/// `Authorization`, which OpenAPI 3.x says to ignore, beside the runtime's.
#[test]
fn header_parameters_the_request_writes_are_not_sent() {
    let config = Config::spec("tests/fixtures/warnings/ignored_parameter.yaml");
    let generated = codegen::generate(&config).unwrap();
    let params: Vec<(&str, Vec<&str>)> = generated.models[0]
        .operations
        .iter()
        .map(|op| {
            let wires = op.params.iter().map(|p| p.wire.as_str()).collect();
            (op.id.as_str(), wires)
        })
        .collect();
    assert_eq!(
        params,
        [
            ("putFile", vec!["id", "X-Request-Id"]),
            ("getFile", vec!["id"])
        ]
    );
    let operations = generated
        .files
        .iter()
        .find(|file| file.path.ends_with("operations.rs"))
        .unwrap();
    let written: Vec<&str> = operations
        .contents
        .lines()
        .filter(|line| line.contains("r.header("))
        .map(str::trim)
        .collect();
    assert_eq!(
        written,
        ["r.header(\"X-Request-Id\", &params.x_request_id, runtime::Style::SIMPLE)?;"]
    );
}

/// A summary over several kinds: counted, grouped, the first `n` of each shown.
#[test]
fn summary_of_several_kinds() {
    let mut all = Diagnostics::new();
    for (name, _) in KINDS {
        all.extend(warnings_of(&Config::spec(format!(
            "tests/fixtures/warnings/{name}.yaml"
        ))));
    }
    insta::assert_snapshot!(format!(
        "--- summary(0) ---\n{}\n--- summary(1) ---\n{}",
        all.summary(0),
        all.summary(1)
    ));
}

/// The fixtures of the snapshot tests give no warning (`extensions.yaml` puts an `x-`
/// key on every object that may have one), and print no summary at all.
#[test]
fn fixtures_give_no_warning() {
    for fixture in support::fixtures() {
        let warnings = warnings_of(&Config::spec(&fixture));
        assert_eq!(warnings.to_string(), "", "{}", fixture.display());
        assert_eq!(warnings.summary(3), "");
    }
}

/// The real descriptions, in `testdata/real/` and `specs/`, give exactly these
/// warnings (none).
#[test]
fn real_descriptions_give_no_warning() {
    let mut specs: Vec<_> = support::REAL_SPECS
        .iter()
        .map(|name| support::real_spec(name))
        .collect();
    let mut own: Vec<_> = std::fs::read_dir("../specs")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    own.sort();
    assert!(!own.is_empty(), "no description in specs/");
    specs.extend(own);
    for spec in specs {
        let warnings = warnings_of(&Config::spec(&spec));
        assert_eq!(warnings.to_string(), "", "{}", spec.display());
    }
}

/// The warnings the oas-examples corpus gives, document by document.
#[test]
fn oas_examples_warnings() {
    let mut listed = String::new();
    for path in support::oas_examples() {
        let warnings = warnings_of(&Config::spec(&path));
        assert_pointers_exist(&path, &warnings);
        if warnings.is_empty() {
            continue;
        }
        let name = support::oas_example_name(&path);
        listed.push_str(&format!("== {name}\n"));
        for warning in &warnings {
            listed.push_str(&format!(
                "{} at {}: {}\n",
                warning.kind.as_str(),
                warning.pointer,
                warning.message
            ));
        }
    }
    insta::assert_snapshot!(listed);
}
