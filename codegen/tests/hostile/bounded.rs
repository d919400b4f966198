//! Deep nesting, alias bombs, very large files and cycles of references end in a
//! diagnostic or in output, within a time limit and a memory limit; each case runs in a
//! child process, so a stack overflow, an abort or a hang fails its test instead of the
//! run. Each asserts the one outcome it must have.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codegen::model::{Ty, TypeKind};
use codegen::{Config, Diagnostics};

use crate::fixture;
use crate::items::builds_cleanly;

/// Most a case may take; a debug build on CI's two cores is far below it.
const TIME_LIMIT: Duration = Duration::from_secs(300);
/// Address space a case may map (KiB), which bounds its memory.
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// What a bounded case ended in.
enum Outcome {
    /// The crate, and the model of its description.
    Generated(Box<codegen::Generated>),
    Refused(Diagnostics),
}

/// Runs `case` (named `test`, the test function calling this) in a child process: this
/// test binary, run again on that one test with a memory limit and a deadline. In the
/// child, `case` runs on the test harness's thread, with its default stack. The test
/// fails if the child overflows its stack, aborts, panics, runs out of memory or time.
fn bounded(test: &str, case: fn() -> Outcome, check: fn(&Outcome)) {
    if std::env::var("CODEGEN_HOSTILE_CHILD").as_deref() == Ok(test) {
        let outcome = case();
        check(&outcome);
        match outcome {
            Outcome::Generated(_) => println!("outcome: generated"),
            Outcome::Refused(error) => println!("outcome: refused\n{error}"),
        }
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(&exe)
        // The test's full name: its module in this binary, and its own.
        .args([
            &format!("bounded::{test}"),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CODEGEN_HOSTILE_CHILD", test)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{test} did not end within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        status.success() && stdout.contains("outcome: "),
        "{test} failed in its child process ({status}):\n{stdout}\n{stderr}"
    );
    // For `--nocapture`: what the case ended in, and how long it took (never asserted).
    let outcome = stdout.split_once("outcome: ").map_or("", |(_, rest)| rest);
    let outcome: Vec<&str> = outcome
        .lines()
        .take_while(|line| !line.is_empty() && *line != "ok")
        .take(4)
        .collect();
    let timing = stderr.lines().find(|line| line.contains("bytes of output"));
    println!(
        "{test} ({:.1?}): {}\n  {}",
        start.elapsed(),
        outcome.join("\n  "),
        timing.unwrap_or_default()
    );
}

/// Runs the whole pipeline on `spec`, as `cargo xtask codegen --spec` would (keeping
/// the crate in memory).
fn run(spec: &Path) -> Outcome {
    match codegen::generate(&Config::spec(spec)) {
        Ok(generated) => {
            let files = &generated.files;
            assert!(files.iter().any(|f| f.path == Path::new("src/models.rs")));
            let size: usize = files.iter().map(|f| f.contents.len()).sum();
            eprintln!("{size} bytes of output; {:?}", generated.timings);
            Outcome::Generated(Box::new(generated))
        }
        Err(problems) => Outcome::Refused(problems),
    }
}

/// The model of a generated outcome; panics with the diagnostics of a refused one.
fn generated(outcome: &Outcome) -> &codegen::model::Api {
    match outcome {
        Outcome::Generated(generated) => &generated.models[0],
        Outcome::Refused(problems) => panic!("refused: {problems}"),
    }
}

/// Writes `contents` to a file of a fresh temporary directory and runs the pipeline on it.
fn run_text(name: &str, contents: &[u8]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join(name);
    std::fs::write(&spec, contents).unwrap();
    run(&spec)
}

/// The error is one diagnostic, naming the file, with `words` in its message.
fn refused_with(outcome: &Outcome, file: &str, words: &[&str]) {
    let Outcome::Refused(error) = outcome else {
        panic!("generated, but should have been refused");
    };
    let text = error.to_string();
    assert!(text.contains(file), "the error names the file: {text}");
    for word in words {
        assert!(text.contains(word), "`{word}` missing from: {text}");
    }
}

const HEAD_YAML: &str = "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\n";
const HEAD_JSON: &str = r#"{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"#;

/// 10,000 nested objects (schemas with a property each) and arrays, in JSON.
#[test]
fn deep_nesting_in_json_is_refused() {
    bounded(
        "deep_nesting_in_json_is_refused",
        || {
            let depth = 10_000;
            let mut text = String::from(HEAD_JSON);
            text.push_str(r#""components":{"schemas":{"Deep":"#);
            text.push_str(&r#"{"type":"object","properties":{"a":"#.repeat(depth));
            text.push_str(r#"{"type":"string"}"#);
            text.push_str(&"}}".repeat(depth));
            text.push_str(r#"},"x-deep":"#);
            text.push_str(&"[".repeat(depth));
            text.push_str(&"]".repeat(depth));
            text.push_str("}}");
            run_text("deep.json", text.as_bytes())
        },
        |outcome| refused_with(outcome, "deep.json", &["malformed JSON", "recursion limit"]),
    );
}

/// 10,000 nested objects in YAML, in flow style and in block style, and nested sequences.
#[test]
fn deep_nesting_in_yaml_is_refused() {
    bounded(
        "deep_nesting_in_yaml_is_refused",
        || {
            let depth = 10_000;
            let mut flow = String::from(HEAD_YAML);
            flow.push_str("components:\n  schemas:\n    Deep: ");
            flow.push_str(&"{type: object, properties: {a: ".repeat(depth));
            flow.push_str("{type: string}");
            flow.push_str(&"}}".repeat(depth));
            flow.push('\n');
            let flow = run_text("flow.yaml", flow.as_bytes());
            refused_with(&flow, "flow.yaml", &["malformed YAML", "recursion limit"]);

            let mut block = String::from(HEAD_YAML);
            block.push_str("x-deep:\n");
            for level in 0..depth {
                // One space more per level: 50 MB of indentation for 10,000 levels.
                block.push_str(&" ".repeat(level + 1));
                block.push_str("a:\n");
            }
            let block = run_text("block.yaml", block.as_bytes());
            refused_with(&block, "block.yaml", &["malformed YAML", "recursion limit"]);

            // Block sequences in compact form, `- - - …`, and flow sequences.
            let mut sequences = String::from(HEAD_YAML);
            sequences.push_str("x-deep: ");
            sequences.push_str(&"[".repeat(depth));
            sequences.push_str(&"]".repeat(depth));
            sequences.push_str("\nx-block:\n");
            sequences.push_str(&"- ".repeat(depth));
            sequences.push_str("a\n");
            run_text("sequences.yaml", sequences.as_bytes())
        },
        |outcome| {
            refused_with(
                outcome,
                "sequences.yaml",
                &["malformed YAML", "recursion limit"],
            )
        },
    );
}

/// Nesting just below the parsers' limit of 128 that the lowering and the formatter
/// follow: 15 rounds of inline schemas through properties, items, additionalProperties,
/// allOf and oneOf, each round eight levels of JSON.
#[test]
fn deep_inline_schemas_generate() {
    bounded(
        "deep_inline_schemas_generate",
        || {
            let depth = 15;
            let mut text = String::from(HEAD_JSON);
            text.push_str(r#""components":{"schemas":{"Deep":"#);
            for _ in 0..depth {
                text.push_str(r#"{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","additionalProperties":{"allOf":[{"oneOf":[{"type":"string"},"#);
            }
            text.push_str(r#"{"type":"integer"}"#);
            text.push_str(&"]}]}}}}}".repeat(depth));
            text.push_str("}}}");
            run_text("inline.json", text.as_bytes())
        },
        |outcome| {
            if let Outcome::Refused(error) = outcome {
                panic!("a description within the limits was refused: {error}");
            }
        },
    );
}

/// A billion laughs: nine levels of nine aliases each, 387 million strings if expanded.
#[test]
fn yaml_alias_bomb_is_refused() {
    bounded(
        "yaml_alias_bomb_is_refused",
        || {
            let mut text = String::from(HEAD_YAML);
            text.push_str("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            let levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
            for pair in levels.windows(2) {
                let refs = vec![format!("*{}", pair[0]); 9].join(", ");
                writeln!(text, "x-{}: &{} [{refs}]", pair[1], pair[1]).unwrap();
            }
            // And the bomb where the generator looks: a schema built of aliases.
            text.push_str(
                "components:\n  schemas:\n    Bomb:\n      type: object\n      x-lol: *i\n",
            );
            run_text("laughs.yaml", text.as_bytes())
        },
        |outcome| {
            refused_with(
                outcome,
                "laughs.yaml",
                &["malformed YAML", "repetition limit"],
            )
        },
    );
}

/// Aliases that would stay under the parser's limits but multiply through merge keys
/// `<<`: the parser counts what the merges repeat, too, and refuses the document.
#[test]
fn yaml_merge_key_bomb_is_refused() {
    bounded(
        "yaml_merge_key_bomb_is_refused",
        || {
            let mut text = String::from(HEAD_YAML);
            text.push_str("x-0: &l0 {a0: 1, b0: 2}\n");
            for level in 1..30 {
                let previous = level - 1;
                writeln!(
                    text,
                    "x-{level}: &l{level} {{<<: [*l{previous}], k{level}: {{<<: *l{previous}}}}}"
                )
                .unwrap();
            }
            run_text("merge.yaml", text.as_bytes())
        },
        |outcome| {
            refused_with(
                outcome,
                "merge.yaml",
                &["malformed YAML", "repetition limit"],
            )
        },
    );
}

/// A 50 MB description: 5,000 schemas and 2,000 operations with long descriptions, one
/// description of 5 MB on a single line of Markdown, and an extension that fills the rest.
#[test]
fn a_fifty_megabyte_description_ends() {
    bounded(
        "a_fifty_megabyte_description_ends",
        || {
            let dir = tempfile::tempdir().unwrap();
            let spec = dir.path().join("large.json");
            let text = large_spec(50_000_000);
            assert_eq!(text.len(), 50_000_000);
            std::fs::write(&spec, text).unwrap();
            run(&spec)
        },
        |outcome| {
            if let Outcome::Refused(error) = outcome {
                panic!("a valid description was refused: {error}");
            }
        },
    );
}

/// A JSON description of exactly `size` bytes.
fn large_spec(size: usize) -> String {
    let prose = "Lorem ipsum `code` [link](https://example.com) <b>x</b> dolor sit amet. ";
    let description = prose.repeat(30);
    let markdown = "`a` [b] <http://c> ``d` e [f](g) https://h. ".repeat(5_000_000 / 44);
    let (schemas, operations) = (5_000, 2_000);
    let mut out = String::with_capacity(size);
    write!(out, r#"{{"openapi":"3.0.3","info":{{"title":"Large","version":"1","description":"{markdown}"}},"paths":{{"#).unwrap();
    for op in 0..operations {
        let comma = if op + 1 < operations { "," } else { "" };
        let schema = op * schemas / operations;
        write!(
            out,
            r##""/things{op}/{{id}}":{{"get":{{"operationId":"get{op}","description":"{description}","parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"string"}}}},{{"name":"page","in":"query","schema":{{"type":"integer"}}}}],"responses":{{"200":{{"description":"{description}","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S{schema}"}}}}}}}},"404":{{"description":"Not found."}}}}}}}}{comma}"##
        )
        .unwrap();
    }
    out.push_str(r#"},"components":{"schemas":{"#);
    for s in 0..schemas {
        let comma = if s + 1 < schemas { "," } else { "" };
        let next = (s + 1) % schemas;
        write!(
            out,
            r##""S{s}":{{"type":"object","description":"{description}","required":["id"],"properties":{{"id":{{"type":"string","format":"uuid"}},"name":{{"type":"string","description":"{description}"}},"count":{{"type":"integer","format":"int32"}},"tags":{{"type":"array","items":{{"type":"string"}}}},"next":{{"$ref":"#/components/schemas/S{next}"}},"kind":{{"type":"string","enum":["a","b","c"]}}}}}}{comma}"##
        )
        .unwrap();
    }
    let end = r#""}"#;
    out.push_str(r#"}},"x-padding":""#);
    let padding = size.saturating_sub(out.len() + end.len());
    out.push_str(&"x".repeat(padding));
    out.push_str(end);
    out
}

// ---------------------------------------------------------------------------------------
// Cycles of references through every kind of object
// ---------------------------------------------------------------------------------------

/// `$ref`s that only lead to each other, through schemas, responses, parameters, request
/// bodies, headers, path items and the document itself: one diagnostic each, no hang.
#[test]
fn reference_cycles_are_refused() {
    bounded(
        "reference_cycles_are_refused",
        || run(&fixture("cycles.yaml")),
        |outcome| {
            let Outcome::Refused(error) = outcome else {
                panic!("cycles.yaml generated");
            };
            let text = error.to_string();
            // Each cycle is reported where it closes, once.
            for pointer in [
                "#/paths/~1path-items",
                "#/paths/~1path-item-itself",
                "#/paths/~1through-other-paths/get/responses/200",
                "#/components/responses/R2",
                "#/components/parameters/P2",
                "#/components/requestBodies/B2",
                "#/components/headers/H2",
                "#/components/schemas/A",
                "#/components/schemas/Self",
                "#/components/schemas/AllOfA",
            ] {
                let found = error
                    .iter()
                    .any(|d| d.pointer == pointer && d.message.contains("cycle"));
                assert!(found, "no cycle reported at {pointer}:\n{text}");
            }
            assert!(
                error
                    .iter()
                    .all(|d| d.file.as_ref().is_some_and(|f| f.ends_with("cycles.yaml"))),
                "{text}"
            );
        },
    );
}

/// The same in Swagger 2.0, where parameters and responses live under their own keys.
#[test]
fn swagger_reference_cycles_are_refused() {
    bounded(
        "swagger_reference_cycles_are_refused",
        || run(&fixture("cycles_swagger.json")),
        |outcome| {
            refused_with(outcome, "cycles_swagger.json", &["cycle"]);
            let Outcome::Refused(error) = outcome else {
                unreachable!()
            };
            for pointer in ["#/parameters/P2", "#/responses/R2", "#/definitions/A"] {
                assert!(
                    error.iter().any(|d| d.pointer == pointer),
                    "no diagnostic at {pointer}: {error}"
                );
            }
        },
    );
}

/// Types that contain themselves, directly or through others, by value or through lists,
/// maps, `allOf`, `oneOf` and `additionalProperties`: recursion a Rust type can express
/// (boxed where needed) generates and builds.
#[test]
fn recursive_types_build() {
    builds_cleanly(&fixture("recursive_types.yaml"), "hostile_recursive");
}

/// A named schema that is an array or map of itself (`A = Vec<A>`) is no Rust type
/// alias: each becomes a struct around the list or map (`struct A(Vec<A>)`), which builds.
#[test]
fn schemas_that_are_lists_of_themselves_become_newtypes() {
    let spec = fixture("self_list.yaml");
    let generated =
        codegen::generate(&Config::spec(&spec)).unwrap_or_else(|problems| panic!("{problems}"));
    let api = &generated.models[0];
    let kinds: Vec<(&str, bool)> = api
        .types
        .iter()
        .map(|def| (def.name.as_str(), matches!(def.kind, TypeKind::Newtype(_))))
        .collect();
    assert_eq!(
        kinds,
        [
            ("List", true),
            ("Map", true),
            ("Nullable", true),
            ("Other", true)
        ]
    );
    builds_cleanly(&spec, "hostile_self_list");
}

/// 10,000 levels of nesting through `$ref`s: each schema a reference to the next.
#[test]
fn a_chain_of_ten_thousand_references_is_one_alias_each() {
    bounded(
        "a_chain_of_ten_thousand_references_is_one_alias_each",
        || run_text("chain.json", reference_chain(10_000).as_bytes()),
        // Every link is an alias of the end of the chain, the string, which is named.
        |outcome| {
            let api = generated(outcome);
            assert_eq!(api.types.len(), 10_001);
            let end = api
                .types
                .iter()
                .position(|def| def.name == "A10000")
                .expect("the end of the chain is a type");
            for def in &api.types {
                let target = match &def.kind {
                    TypeKind::Alias(target) => target,
                    other => panic!("{} is {other:?}", def.name),
                };
                if def.name == "A10000" {
                    assert_eq!(*target, Ty::String);
                } else {
                    assert_eq!(
                        *target,
                        Ty::Named(codegen::model::TypeId(end)),
                        "{}",
                        def.name
                    );
                }
            }
        },
    );
}

fn reference_chain(length: usize) -> String {
    let mut text = String::from(HEAD_JSON);
    text.push_str(r#""components":{"schemas":{"#);
    for i in 0..length {
        write!(
            text,
            r##""A{i}":{{"$ref":"#/components/schemas/A{}"}},"##,
            i + 1
        )
        .unwrap();
    }
    write!(text, r#""A{length}":{{"type":"string"}}}}}}}}"#).unwrap();
    text
}

/// `allOf` members that share members: 40 levels of two references to the next level.
#[test]
fn an_all_of_diamond_merges_each_property_once() {
    bounded(
        "an_all_of_diamond_merges_each_property_once",
        || run(&fixture("all_of_diamond.json")),
        // Each level is one struct with its own property and every property below it,
        // once each: `A{i}` has `p{i}` … `p39` and the last level's `x`.
        |outcome| {
            let api = generated(outcome);
            assert_eq!(api.types.len(), 41);
            for level in 0..=40 {
                let name = format!("A{level}");
                let def = api.types.iter().find(|def| def.name == name).unwrap();
                let TypeKind::Struct(fields) = &def.kind else {
                    panic!("{name} is not a struct: {:?}", def.kind);
                };
                let mut got: Vec<&str> = fields.fields.iter().map(|f| f.wire.as_str()).collect();
                got.sort_unstable();
                let mut want: Vec<String> = (level..40).map(|below| format!("p{below}")).collect();
                want.push("x".to_owned());
                want.sort_unstable();
                assert_eq!(got, want, "{name}");
            }
        },
    );
}
