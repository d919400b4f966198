//! The generated types fit the real payloads, and no more than them.
//!
//! 1. Every `example`/`examples` value of the real descriptions in `testdata/real/` goes
//!    through the generated type of the schema, parameter, request or response it belongs
//!    to: deserialized, serialized back, and compared with what went in, schema in hand
//!    (`null` and absent are the same where the schema allows both, a `default` may be
//!    filled in, date-times compare as instants with their offset, `1` equals `1.0`).
//! 2. A property test: values built from each schema of the fixture descriptions survive
//!    the same round trip.
//! 3. The other way round: values that break each schema of the fixtures (a wrong type,
//!    a required property left out, a value outside an enum …, made by the harness's
//!    `breaking`) are rejected by the generated type. Where the type is looser than the
//!    schema on purpose, [`LOOSE`] says so, kind by kind, with the reason; a kind not
//!    listed must be rejected every time, and a listed kind accepted every time.
//!
//! The types exist only as generated code, so the test builds a harness (`harness`):
//! every description and fixture becomes the crate `codegen::generate` writes, and
//! binaries that use them, built once. Examples are found by `tools::examples`, which
//! walks the description beside the model `generate` returns (the Prism run shares it).
//! Form bodies (`multipart/form-data`, URL-encoded) are left out of 2 and 3: their wire
//! format is not JSON.
//!
//! Every example that fails is either listed in [`CONTRADICTING`] (the example
//! contradicts its own schema) or in [`GENERATOR_BUGS`] (open bugs, to be fixed); an
//! unlisted failure fails the test, and so does a listed one that passes.
//!
//! The counts (examples found and passing per description, schemas and cases of the
//! property test, values that break the schemas, by kind) print with
//! `cargo test -p codegen --test examples -- --nocapture`.

#[path = "../support/mod.rs"]
mod support;

mod harness;

use std::collections::{BTreeMap, BTreeSet};

use harness::{harness, run};

/// Values built per schema in the property test (about 5 ms a schema).
const CASES: u32 = 256;

/// The descriptions whose examples are checked: test name, file in `testdata/real/` (or,
/// as `fixtures/…`, in `codegen/tests/fixtures/`), and how many examples the test finds
/// there, exactly (so that a finder that loses some, or counts some twice, fails). The
/// fixtures add what the real descriptions lack: 3.1 `examples` lists, type arrays and
/// `const`, and unions of nullable branches (issue 28).
const DESCRIPTIONS: &[(&str, &str, usize)] = &[
    (
        "camunda_orchestration_cluster",
        "camunda-orchestration-cluster.json",
        268,
    ),
    (
        "camunda_orchestration_cluster_8_8",
        "camunda-orchestration-cluster-8.8.yaml",
        94,
    ),
    (
        "elastic_cloud_enterprise",
        "elastic-cloud-enterprise.json",
        11,
    ),
    ("elastic_cloud", "elastic-cloud.json", 2),
    ("fixture_openapi31", "fixtures/openapi31.yaml", 6),
    ("fixture_statuses", "fixtures/statuses.yaml", 1),
    (
        "fixture_nullable_unions",
        "fixtures/nullable_unions.yaml",
        9,
    ),
    ("fixture_polymorphism", "fixtures/polymorphism.yaml", 3),
    (
        "fixture_query_in_path_keys",
        "fixtures/query_in_path_keys.yaml",
        4,
    ),
    (
        "camunda_orchestration_cluster_with_settings",
        "camunda-orchestration-cluster.json",
        268,
    ),
    (
        "elastic_cloud_enterprise_with_settings",
        "elastic-cloud-enterprise.json",
        11,
    ),
];

/// Descriptions of [`DESCRIPTIONS`] generated with settings (`docs/settings.md`), by test
/// name: their examples still decode once a schema is the user's own type, every model
/// derives `schemars::JsonSchema`, and an overlay has changed the description.
const SETTINGS: &[(&str, &str)] = &[
    (
        "camunda_orchestration_cluster_with_settings",
        "tests/fixtures/settings/real/camunda.codegen.toml",
    ),
    (
        "elastic_cloud_enterprise_with_settings",
        "tests/fixtures/settings/real/ece.codegen.toml",
    ),
];

/// The examples of the four descriptions in `testdata/real/`, together: the README
/// says how many.
const REAL_EXAMPLES: usize = 375;

/// Examples that contradict their own schema: description, JSON pointer, why.
const CONTRADICTING: &[(&str, &str, &str)] = &[(
    "elastic-cloud-enterprise.json",
    "#/definitions/ContainersEntryOptionsContainerConfig/properties/env/example",
    "`env` is an array of strings, but its example is one string, an item (\"DB=localhost:4567\")",
)];

/// Open generator bugs this test found: description, JSON pointer of the example, what
/// goes wrong. Remove an entry when the bug is fixed; the test says when.
const GENERATOR_BUGS: &[(&str, &str, &str)] = &[];

/// Fixtures the property test leaves out, with why.
const LEFT_OUT: &[(&str, &str)] = &[
    (
        "tests/fixtures/multi_file/api.yaml",
        "its `$ref`s cross files, and the harness reads one file",
    ),
    (
        "tests/fixtures/impossible_parameters.yaml",
        "its schemas admit no value on purpose (an `enum` against its `type`), for the Prism test's impossible values",
    ),
];

/// Property-test failures by open generator bugs: fixture, pointer of the schema, why.
/// Remove an entry when the bug is fixed; the test says when.
const PROPERTY_GENERATOR_BUGS: &[(&str, &str, &str)] = &[];

/// Kinds of values that break a schema but that the generated types read on purpose,
/// with why. Every value of such a kind must be read (when a type gets stricter, its
/// kind leaves this list); every value of any other kind must be rejected.
const LOOSE: &[(&str, &str)] = &[
    (
        "enum-outside",
        "string and integer enums keep values they do not know (`Unknown`), so a value a \
         newer server sends does not break a client",
    ),
    (
        "const-other",
        "a `const` gives the type of its value, not the value itself",
    ),
    (
        "null-optional-property",
        "an optional property without a default (or with one that is an object or a list) \
         is an `Option`, which reads `null` as absent",
    ),
    (
        "missing-required-read-only",
        "a required `readOnly` property is an `Option`: requests leave it out",
    ),
    (
        "null-read-only-property",
        "a `readOnly` property is an `Option` (requests leave it out), which reads `null` as \
         absent",
    ),
    (
        "missing-required-write-only",
        "a required `writeOnly` property is an `Option`: responses leave it out",
    ),
    (
        "null-write-only-property",
        "a `writeOnly` property is an `Option` (responses leave it out), which reads `null` \
         as absent",
    ),
    (
        "additional-forbidden",
        "structs ignore properties they do not declare (serde's default), \
         `additionalProperties: false` or not",
    ),
    (
        "validation-minimum",
        "validation keywords are not checked by the types",
    ),
    (
        "validation-maximum",
        "validation keywords are not checked by the types",
    ),
];

// ---------------------------------------------------------------------------------------
// The tests

fn examples_round_trip(name: &str) {
    let (_, file, count) = DESCRIPTIONS.iter().find(|(n, _, _)| *n == name).unwrap();
    let harness = harness();
    let checked = &harness.checked[name];
    let report = run(
        &checked.binary,
        &[
            checked.doc_file.to_str().unwrap(),
            checked.examples_file.to_str().unwrap(),
        ],
    );
    let mut problems = Vec::new();
    for pointer in &checked.unreached {
        problems.push(format!("{pointer}: an example the test does not reach"));
    }
    for (pointer, ty) in &checked.examples {
        if let Err(why) = ty {
            problems.push(format!("{pointer}: no generated type found for it: {why}"));
        }
    }
    let listed = |list: &[(&str, &str, &str)], pointer: &str| {
        list.iter().any(|(listed_file, listed_pointer, _)| {
            listed_file == file && *listed_pointer == pointer
        })
    };
    let mut passed = 0;
    let mut contradicting = 0;
    let mut bugs = 0;
    let mut failed = BTreeSet::new();
    for entry in &report {
        let pointer = entry["pointer"].as_str().unwrap();
        let ty = checked
            .examples
            .iter()
            .find(|(p, _)| p == pointer)
            .and_then(|(_, ty)| ty.as_ref().ok())
            .cloned()
            .unwrap_or_default();
        match entry["error"].as_str() {
            None => passed += 1,
            Some(error) => {
                failed.insert(pointer.to_owned());
                if listed(CONTRADICTING, pointer) {
                    contradicting += 1;
                } else if listed(GENERATOR_BUGS, pointer) {
                    bugs += 1;
                } else {
                    problems.push(format!("{pointer} (as `{ty}`): {error}"));
                }
            }
        }
    }
    for (listed_file, pointer, why) in CONTRADICTING.iter().chain(GENERATOR_BUGS) {
        if listed_file == file && !failed.contains(*pointer) {
            problems.push(format!(
                "{pointer} is listed as failing ({why}) but passes: remove it from the list"
            ));
        }
    }
    let total = checked.examples.len();
    println!(
        "{file}: {total} examples, {passed} pass, {contradicting} contradict their schema, \
         {bugs} fail by open generator bugs"
    );
    assert_eq!(
        total, *count,
        "{file}: {total} examples found, {count} expected"
    );
    assert!(
        problems.is_empty(),
        "{file}: {total} examples, {passed} pass; {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn fixture_openapi31() {
    examples_round_trip("fixture_openapi31");
}

#[test]
fn fixture_statuses() {
    examples_round_trip("fixture_statuses");
}

/// Issue 28: a `oneOf` of nullable branches read an array (or object) that its one
/// nullable array (or object) branch takes as an error.
#[test]
fn fixture_nullable_unions() {
    examples_round_trip("fixture_nullable_unions");
}

/// Issue 23: a discriminator without a mapping read only the schema names, and real
/// servers write what each branch's own property allows (`type: song`).
#[test]
fn fixture_polymorphism() {
    examples_round_trip("fixture_polymorphism");
}

/// Examples of parameters a path key's query moves (`/forecast?lat={lat}`), and a
/// nullable parameter's `null` example (UniCourt's), which is the parameter left out.
#[test]
fn fixture_query_in_path_keys() {
    examples_round_trip("fixture_query_in_path_keys");
}

#[test]
fn camunda_orchestration_cluster() {
    examples_round_trip("camunda_orchestration_cluster");
}

#[test]
fn camunda_orchestration_cluster_8_8() {
    examples_round_trip("camunda_orchestration_cluster_8_8");
}

#[test]
fn elastic_cloud_enterprise() {
    examples_round_trip("elastic_cloud_enterprise");
}

#[test]
fn elastic_cloud() {
    examples_round_trip("elastic_cloud");
}

#[test]
fn camunda_orchestration_cluster_with_settings() {
    examples_round_trip("camunda_orchestration_cluster_with_settings");
}

#[test]
fn elastic_cloud_enterprise_with_settings() {
    examples_round_trip("elastic_cloud_enterprise_with_settings");
}

/// The README's count of the examples in `testdata/real/`.
#[test]
fn examples_of_the_real_descriptions() {
    let harness = harness();
    let mut total = 0;
    for (name, file, _) in DESCRIPTIONS {
        let with_settings = SETTINGS.iter().any(|(with, _)| with == name);
        if !file.starts_with("fixtures/") && !with_settings {
            total += harness.checked[name].examples.len();
        }
    }
    assert_eq!(total, REAL_EXAMPLES);
}

/// The arguments of the fixtures' binary in `mode`.
fn fixture_args<'a>(mode: &'a str, cases: &'a str) -> Vec<&'a str> {
    let mut args = vec![mode, cases];
    args.extend(harness().property.docs.iter().map(String::as_str));
    args
}

#[test]
fn fixture_schemas_round_trip_values_built_from_them() {
    let property = &harness().property;
    let cases = CASES.to_string();
    let report = run(&property.binary, &fixture_args("round-trip", &cases));
    assert_eq!(report.len(), property.cases);
    let mut problems = Vec::new();
    let mut failed = BTreeSet::new();
    let mut known = 0;
    for entry in &report {
        let fixture = entry["fixture"].as_str().unwrap();
        let pointer = entry["pointer"].as_str().unwrap();
        if let Some(error) = entry["error"].as_str() {
            failed.insert((fixture.to_owned(), pointer.to_owned()));
            let listed = PROPERTY_GENERATOR_BUGS
                .iter()
                .any(|(f, p, _)| *f == fixture && *p == pointer);
            if listed {
                known += 1;
            } else {
                problems.push(format!(
                    "{fixture} {pointer} (`{}`): {error}\n    value: {}",
                    entry["type"].as_str().unwrap_or_default(),
                    entry["value"]
                ));
            }
        }
    }
    for (fixture, pointer, why) in PROPERTY_GENERATOR_BUGS {
        if !failed.contains(&(fixture.to_string(), pointer.to_string())) {
            problems.push(format!(
                "{fixture} {pointer} is listed as failing ({why}) but passes: remove it"
            ));
        }
    }
    let tested = report.len();
    println!(
        "property test: {tested} schemas of {} fixtures x {CASES} cases, {} pass, {known} fail by open generator bugs, {} skipped",
        property.fixtures,
        tested - failed.len(),
        property.skipped.len()
    );
    for (fixture, why) in LEFT_OUT {
        println!("    left out {fixture}: {why}");
    }
    for skip in &property.skipped {
        println!("    skipped {skip}");
    }
    assert!(tested > 100, "only {tested} schemas tested");
    assert!(
        problems.is_empty(),
        "{} of {tested} schemas fail the round trip:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn fixture_schemas_reject_values_that_break_them() {
    let property = &harness().property;
    let report = run(&property.binary, &fixture_args("breaking", "1"));
    let mut problems = Vec::new();
    // Per kind: values read and values rejected.
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unbreakable = Vec::new();
    let mut schemas = BTreeSet::new();
    for entry in &report {
        let fixture = entry["fixture"].as_str().unwrap();
        let pointer = entry["pointer"].as_str().unwrap();
        let kind = entry["kind"].as_str().unwrap();
        let place = format!(
            "{fixture} {pointer} (`{}`), {kind} at `{}`: {}",
            entry["type"].as_str().unwrap_or_default(),
            entry["at"].as_str().unwrap_or_default(),
            entry["value"]
        );
        schemas.insert((fixture, pointer));
        match kind {
            "valid" => problems.push(format!(
                "{place}: the valid value it was to be made from does not round-trip: {}",
                entry["error"]
            )),
            "none" => unbreakable.push(format!(
                "{fixture} {pointer} (`{}`)",
                entry["type"].as_str().unwrap_or_default()
            )),
            _ => {
                let accepted = entry["accepted"].as_bool().unwrap();
                let counts = kinds.entry(kind.to_owned()).or_default();
                if accepted {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
                let loose = LOOSE.iter().find(|(loose, _)| *loose == kind);
                match (loose, accepted) {
                    (None, true) => {
                        problems.push(format!("{place}: read, but it breaks the schema"))
                    }
                    (Some((_, why)), false) => problems.push(format!(
                        "{place}: rejected, though listed as read on purpose ({why}): {}",
                        entry["error"]
                    )),
                    _ => {}
                }
            }
        }
    }
    println!(
        "values that break the schemas: {} values for {} schemas of {} fixtures",
        report.len(),
        schemas.len(),
        property.fixtures
    );
    for (kind, (read, rejected)) in &kinds {
        let why = LOOSE.iter().find(|(loose, _)| loose == kind);
        match why {
            Some((_, why)) => println!("    {kind}: {read} read on purpose ({why})"),
            None => println!("    {kind}: {rejected} rejected"),
        }
    }
    for place in &unbreakable {
        println!("    no value breaks {place} (it allows any JSON)");
    }
    for (kind, why) in LOOSE {
        if !kinds.contains_key(*kind) {
            problems.push(format!("{kind} is listed as read on purpose ({why}) but no value of it was made: remove it"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
