//! The library of the harness crate that `codegen/tests/examples/` writes to
//! `target/compile-tests/examples_harness/`; this file is copied into its `src/`, and
//! the test generates the binaries that use it.
//!
//! - [`round_trip`]: deserialize a JSON value into a generated type, serialize it back;
//!   [`reads`]: whether a generated type reads a value at all.
//! - [`examples_main`] and [`property_main`]: the `main` of the two kinds of binaries.
//!
//! Everything here reads the description's raw JSON through the `oracle` crate, never
//! the generator's model, so the generator is checked against the description and not
//! against itself: `oracle::values` makes the values (each from a recorded sequence of
//! choices, so a failing one shrinks by simplifying its choices), `oracle::compare`
//! judges what came back, `oracle::breaking` makes values that break a schema.

use std::collections::BTreeMap;
use std::path::Path;

use oracle::breaking;
use oracle::compare::{equivalent, short};
use oracle::document::{is_object_like, Document};
use oracle::source::{simpler, Recorded, Replay, Seeded};
use oracle::{Maker, Options};
use serde_json::{json, Value};

/// A round trip through one generated type.
pub type RoundTrip = fn(Value) -> Result<Value, String>;

/// Whether one generated type reads a value.
pub type Reads = fn(Value) -> Result<(), String>;

/// Deserializes `value` as `T` and serializes it back; `T` must also read its own output
/// back as an equal value.
pub fn round_trip<T>(value: Value) -> Result<Value, String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let typed: T =
        serde_json::from_value(value).map_err(|error| format!("does not deserialize: {error}"))?;
    let back =
        serde_json::to_value(&typed).map_err(|error| format!("does not serialize: {error}"))?;
    let again: T = serde_json::from_value(back.clone()).map_err(|error| {
        format!(
            "its own serialization {} does not deserialize: {error}",
            short(&back)
        )
    })?;
    if again != typed {
        return Err(format!(
            "reading its own serialization back gives another value: {typed:?}, then {again:?}"
        ));
    }
    Ok(back)
}

/// Whether `T` reads `value`: `Ok` when it does, else the error of serde.
pub fn reads<T>(value: Value) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + std::fmt::Debug,
{
    serde_json::from_value::<T>(value)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// The `main` of an examples binary: `BIN DOCUMENT.json EXAMPLES.json`, where the examples
/// are `[{"pointer", "schema", "value"}]` and `table` maps each pointer to its round
/// trip. Prints `[{"pointer", "error"}]`, `error` null when the round trip kept the value.
pub fn examples_main(table: &[(&str, RoundTrip)]) {
    let args: Vec<String> = std::env::args().collect();
    let doc = Document::read(Path::new(&args[1])).expect("the description");
    let text = std::fs::read_to_string(&args[2]).expect("the examples file");
    let examples: Vec<Value> = serde_json::from_str(&text).expect("the examples as JSON");
    let table: BTreeMap<&str, RoundTrip> = table.iter().copied().collect();
    let mut report = Vec::new();
    for example in &examples {
        let pointer = example["pointer"].as_str().expect("a pointer");
        let schema_pointer = example["schema"].as_str().expect("a schema pointer");
        let value = &example["value"];
        let error = match table.get(pointer) {
            None => Some("the harness has no round trip for this example".to_owned()),
            Some(run) => match run(value.clone()) {
                Err(error) => Some(error),
                Ok(back) => {
                    let schema = doc
                        .get(schema_pointer)
                        .map(|schema| (schema, schema_pointer));
                    equivalent(&doc, schema, value, &back, "").err()
                }
            },
        };
        report.push(json!({ "pointer": pointer, "error": error }));
    }
    println!("{}", Value::Array(report));
}

/// One schema of a fixture, the round trip through its generated type, and whether the
/// type reads a value.
pub struct Case {
    pub fixture: &'static str,
    pub pointer: &'static str,
    pub type_name: &'static str,
    pub run: RoundTrip,
    pub reads: Reads,
}

/// The `main` of the fixtures' binary: `BIN MODE CASES NAME=DOCUMENT.json…`.
///
/// - `round-trip`: for each case, `CASES` values built from its schema go through the
///   round trip. Prints `[{"fixture", "pointer", "type", "cases", "error", "value"}]`:
///   `error` and the (shrunk) `value` that caused it are null when every case passed.
/// - `breaking`: for each case, the values that break its schema, made from a valid one,
///   go to its type. Prints `[{"fixture", "pointer", "type", "kind", "at", "value",
///   "accepted"}]`, and for a schema no value breaks, one entry of kind `none`; a valid
///   value that does not survive the round trip is an entry of kind `valid`, with its
///   error.
pub fn property_main(cases: &[Case]) {
    let args: Vec<String> = std::env::args().collect();
    let mode = args[1].as_str();
    let count: u32 = args[2].parse().expect("a number of cases");
    let docs: BTreeMap<&str, Document> = args[3..]
        .iter()
        .map(|arg| {
            let (name, path) = arg.split_once('=').expect("NAME=PATH");
            (name, Document::read(Path::new(path)).expect("a description"))
        })
        .collect();
    let mut report = Vec::new();
    for case in cases {
        let doc = &docs[case.fixture];
        let node = doc
            .get(case.pointer)
            .unwrap_or_else(|| panic!("no schema at {}", case.pointer));
        match mode {
            "round-trip" => report.push(property(case, doc, node, count)),
            "breaking" => report.extend(breaking(case, doc, node)),
            other => panic!("unknown mode {other}"),
        }
    }
    println!("{}", Value::Array(report));
}

/// How many simpler choices a failing value tries before it is reported as it is.
const SHRINK_STEPS: usize = 2000;

/// `count` values built from the schema go through the round trip; the first that fails
/// is shrunk (its choices simplified while it still fails) and reported.
fn property(case: &Case, doc: &Document, node: &Value, count: u32) -> Value {
    let maker = Maker::new(doc, Options::varied());
    let fails = |value: &Value| -> Option<String> {
        let outcome = (case.run)(value.clone()).and_then(|back| {
            equivalent(doc, Some((node, case.pointer)), value, &back, "")
        });
        outcome.err()
    };
    let mut seeds = Seeded::from_text(&format!("{}\0{}", case.fixture, case.pointer));
    let mut failure = None;
    for _ in 0..count {
        let mut source = Recorded::new(Seeded::new(seeds.draw_seed()));
        let value = maker.value(&mut source, node, case.pointer);
        if let Some(error) = fails(&value) {
            failure = Some((source.made, value, error));
            break;
        }
    }
    let (error, value) = match failure {
        None => (None, None),
        Some((mut choices, mut value, mut error)) => {
            let mut steps = 0;
            'shrink: while steps < SHRINK_STEPS {
                for candidate in simpler(&choices) {
                    steps += 1;
                    let mut replay = Replay::new(candidate);
                    let smaller = maker.value(&mut replay, node, case.pointer);
                    if let Some(reason) = fails(&smaller) {
                        (choices, value, error) = (replay.made, smaller, reason);
                        continue 'shrink;
                    }
                    if steps >= SHRINK_STEPS {
                        break;
                    }
                }
                break;
            }
            (Some(error), Some(value))
        }
    };
    json!({
        "fixture": case.fixture, "pointer": case.pointer, "type": case.type_name,
        "cases": count, "error": error, "value": value,
    })
}

/// The values that break the schema go to the type, which must not read them (the test
/// decides); they are made from a valid value, built as the property test builds them:
/// the first of the seeded ones that is not `null` and, for an object schema, an object.
fn breaking(case: &Case, doc: &Document, node: &Value) -> Vec<Value> {
    let maker = Maker::new(doc, Options::varied());
    let mut seeds = Seeded::from_text(&format!("{}\0{}", case.fixture, case.pointer));
    let object = is_object_like(doc, node, case.pointer, 0);
    let mut valid = Value::Null;
    for _ in 0..64 {
        valid = maker.value(&mut Seeded::new(seeds.draw_seed()), node, case.pointer);
        if !valid.is_null() && (!object || valid.is_object()) {
            break;
        }
    }
    let entry =
        |kind: &str, at: &str, value: &Value, accepted: Option<bool>, error: Option<String>| {
            json!({
                "fixture": case.fixture, "pointer": case.pointer, "type": case.type_name,
                "kind": kind, "at": at, "value": value, "accepted": accepted, "error": error,
            })
        };
    let kept = (case.run)(valid.clone())
        .and_then(|back| equivalent(doc, Some((node, case.pointer)), &valid, &back, ""));
    if let Err(error) = kept {
        return vec![entry("valid", "", &valid, None, Some(error))];
    }
    let values = breaking::breaking(doc, node, case.pointer, &valid);
    if values.is_empty() {
        return vec![entry("none", "", &valid, None, None)];
    }
    values
        .into_iter()
        .map(|broken| {
            let read = (case.reads)(broken.value.clone());
            entry(
                broken.kind,
                &broken.at,
                &broken.value,
                Some(read.is_ok()),
                read.err(),
            )
        })
        .collect()
}

