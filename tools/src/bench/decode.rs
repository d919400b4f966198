//! `cargo run -p tools -- bench --decode`: how fast the generated `decode` reads response
//! bodies, against parsing the same bytes into `serde_json::Value` (what a client that
//! does not type its responses does) and into a copy of the same types with serde's
//! derive (what the peer generators write, [`super::derive`]), in one optimised binary,
//! in one run.
//!
//! The bodies are real where the description has examples (every `example`/`examples`
//! of a JSON response), and made by the `oracle` value maker for every JSON response
//! schema otherwise (every property, plain text, seeded: the same bodies every run), keeping those the
//! generated `decode` accepts. Each round decodes every body once each way (typed against
//! derive on the bodies the derived copy accepts too); the figures are the medians over
//! the rounds, in MB/s.

use std::fmt::Write as _;
use std::path::Path;

use codegen::model::{Api, Payload};
use serde_json::{json, Value};

use super::derive;
use crate::cargo;
use oracle::source::Seeded;
use oracle::values::{Direction, Maker, Options};

/// Bodies made per JSON response schema.
const MADE_PER_SCHEMA: u64 = 3;

/// Rounds of decoding, each over every body both ways.
const ROUNDS: usize = 15;

/// One description's figures.
pub struct Decoded {
    pub label: String,
    pub bodies: usize,
    pub examples: usize,
    pub bytes: usize,
    pub typed: f64,
    pub value: f64,
    /// The bodies the derived copy reads too, and typed and derived decoding of those.
    pub common: usize,
    pub typed_common: f64,
    pub derive: f64,
}

/// Measures the decoding of `spec`'s response bodies; the harness is built in release
/// under `bench/decode/`.
/// With `generator`, the crate is written by that build of `cargo xtask codegen` (an
/// earlier version's, to compare) instead of this one's.
pub fn measure(
    root: &Path,
    bench: &Path,
    spec: &Path,
    generator: Option<&Path>,
) -> Result<Decoded, String> {
    let label = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let dir = bench.join("decode").join(label.replace('.', "-"));
    let api_dir = dir.join("api");
    let config = codegen::Config::spec(spec).name("decode-api");
    let generated = match generator {
        None => codegen::generate(&config.out(&api_dir)),
        Some(_) => codegen::generate(&config),
    }
    .map_err(|problems| problems.to_string())?;
    if let Some(generator) = generator {
        let _ = std::fs::remove_dir_all(&api_dir);
        let status = std::process::Command::new(generator)
            .args(["codegen", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&api_dir)
            .args(["--name", "decode-api"])
            .status()
            .map_err(|e| format!("cannot run {}: {e}", generator.display()))?;
        if !status.success() {
            return Err(format!(
                "{} failed on {}",
                generator.display(),
                spec.display()
            ));
        }
    }
    let api = &generated.models[0];
    let doc = oracle::Document::read(spec)?;
    let (bodies, examples) = bodies(api, &doc);
    let harness = dir.join("harness");
    write(&harness.join("Cargo.toml"), HARNESS_MANIFEST)?;
    write(&harness.join("src/main.rs"), &main_rs(api))?;
    write(&harness.join("src/derived.rs"), &derive::module(api))?;
    std::fs::copy(root.join("Cargo.lock"), harness.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    let bodies_file = dir.join("bodies.jsonl");
    let lines: Vec<String> = bodies.iter().map(Value::to_string).collect();
    write(&bodies_file, &(lines.join("\n") + "\n"))?;
    let target = bench.join("decode-target");
    let built = cargo()
        .args(["build", "--release", "--quiet"])
        .current_dir(&harness)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err(format!(
            "the decode harness in {} does not build",
            harness.display()
        ));
    }
    let output = std::process::Command::new(target.join("release/decode-harness"))
        .arg(&bodies_file)
        .arg(ROUNDS.to_string())
        .output()
        .map_err(|e| format!("cannot run the decode harness: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the decode harness failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let figures: Value = serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    Ok(Decoded {
        label,
        bodies: figures["bodies"].as_u64().unwrap_or(0) as usize,
        examples: examples.min(figures["bodies"].as_u64().unwrap_or(0) as usize),
        bytes: figures["bytes"].as_u64().unwrap_or(0) as usize,
        typed: figures["typed"].as_f64().unwrap_or(0.0),
        value: figures["value"].as_f64().unwrap_or(0.0),
        common: figures["common"].as_u64().unwrap_or(0) as usize,
        typed_common: figures["typed_common"].as_f64().unwrap_or(0.0),
        derive: figures["derive"].as_f64().unwrap_or(0.0),
    })
}

/// The bodies to decode, as `{index, status, body}` lines (examples first), and how many
/// are the description's examples.
fn bodies(api: &Api, doc: &oracle::Document) -> (Vec<Value>, usize) {
    // Bodies as a server writes them: every property there (to a depth), a few items per
    // list, plain text. Text full of escapes and rare scripts would time serde_json's
    // unescaping, which typed and untyped reading share, and little else.
    let options = Options {
        direction: Direction::Response,
        items: (1, 3),
        depth: 4,
        ..Options::plain()
    };
    let maker = Maker::new(doc, options);
    let mut examples = Vec::new();
    let mut made = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        for response in &op.responses {
            let status = match response.status {
                codegen::model::Status::Code(code) => code,
                codegen::model::Status::Range(hundreds) => hundreds * 100,
                codegen::model::Status::Default => continue,
            };
            let Some(content) = response.contents.first() else {
                continue;
            };
            if !matches!(content.payload, Payload::Json(_)) {
                continue;
            }
            let line = |body: &Value| json!({ "index": index, "status": status, "body": body.to_string() });
            if let Some(media) = content.media.as_deref().and_then(|m| doc.get(m)) {
                if let Some(example) = oracle::values::example_of(media) {
                    examples.push(line(&example));
                }
            }
            let Some(schema_pointer) = content.schema.as_deref() else {
                continue;
            };
            let Some(schema) = doc.get(schema_pointer) else {
                continue;
            };
            for n in 0..MADE_PER_SCHEMA {
                let mut source = Seeded::from_text(&format!("{}\0{status}\0{n}", op.id));
                made.push(line(&maker.value(&mut source, schema, schema_pointer)));
            }
        }
    }
    let count = examples.len();
    examples.extend(made);
    (examples, count)
}

const HARNESS_MANIFEST: &str = "# Written by `cargo run -p tools -- bench --decode`.\n\
[package]\nname = \"decode-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
[dependencies]\n\
api = { package = \"decode-api\", path = \"../api\" }\n\
http = \"1\"\n\
serde = { version = \"1\", features = [\"derive\"] }\n\
chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n\
uuid = { version = \"1\", features = [\"serde\"] }\n\
serde_json = { version = \"1\", features = [\"float_roundtrip\"] }\n\n\
[profile.release]\ncodegen-units = 16\n\n\
[workspace]\n";

fn main_rs(api: &Api) -> String {
    let mut out = String::from(
        "// Written by `cargo run -p tools -- bench --decode`.\n#![allow(deprecated)]\n\n\
         fn decode(index: usize, status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> bool {\n    match index {\n",
    );
    for (index, op) in api.operations.iter().enumerate() {
        let _ = writeln!(
            out,
            "        {index} => ok::<api::operations::{}>(status, headers, body),",
            op.names.marker
        );
    }
    out.push_str("        _ => false,\n    }\n}\n");
    out.push_str(HARNESS);
    out
}

const HARNESS: &str = r#"
mod derived;

use api::runtime::Operation;

fn ok<O: Operation>(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> bool {
    matches!(O::decode(status, headers, body), Ok(_))
}

/// The derived copy, read as the generated `decode` reads: the body checked as UTF-8 once.
fn derive(index: usize, status: http::StatusCode, body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok_and(|text| derived::decode(index, status.as_u16(), text))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

type Body = (usize, http::StatusCode, Vec<u8>);

/// MB/s of `read` over `bodies`, once.
fn timed(bodies: &[&Body], bytes: usize, read: impl Fn(&Body) -> bool) -> f64 {
    let start = std::time::Instant::now();
    for body in bodies {
        std::hint::black_box(read(body));
    }
    bytes as f64 / start.elapsed().as_secs_f64() / 1e6
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("the bodies");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(file).expect("the bodies file");
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", http::HeaderValue::from_static("application/json"));
    // Only the bodies the generated types accept are timed.
    let bodies: Vec<Body> = text
        .lines()
        .filter_map(|line| {
            let line: serde_json::Value = serde_json::from_str(line).ok()?;
            let index = line["index"].as_u64()? as usize;
            let status = http::StatusCode::from_u16(line["status"].as_u64()? as u16).ok()?;
            let body = line["body"].as_str()?.as_bytes().to_vec();
            decode(index, status, &headers, &body).then_some((index, status, body))
        })
        .collect();
    let all: Vec<&Body> = bodies.iter().collect();
    // Typed against derive on the bodies both read.
    let common: Vec<&Body> = bodies
        .iter()
        .filter(|(index, status, body)| derive(*index, *status, body))
        .collect();
    let bytes: usize = all.iter().map(|(_, _, body)| body.len()).sum();
    let common_bytes: usize = common.iter().map(|(_, _, body)| body.len()).sum();
    let typed_read = |(index, status, body): &Body| decode(*index, *status, &headers, body);
    let (mut typed, mut value, mut typed_common, mut derived) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        typed.push(timed(&all, bytes, typed_read));
        value.push(timed(&all, bytes, |(_, _, body)| {
            serde_json::from_slice::<serde_json::Value>(body).is_ok()
        }));
        typed_common.push(timed(&common, common_bytes, typed_read));
        derived.push(timed(&common, common_bytes, |(index, status, body)| {
            derive(*index, *status, body)
        }));
    }
    println!(
        "{}",
        serde_json::json!({
            "bodies": bodies.len(), "bytes": bytes, "typed": median(typed), "value": median(value),
            "common": common.len(), "typed_common": median(typed_common), "derive": median(derived),
        })
    );
}
"#;

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

pub fn print(results: &[Decoded]) {
    if results.is_empty() {
        return;
    }
    println!("\nDecoding response bodies (medians of {ROUNDS} rounds, MB/s):");
    println!(
        "{:<42} {:>7} {:>9} {:>9} {:>9} {:>9} {:>6} {:>7} {:>9} {:>6}",
        "description",
        "bodies",
        "examples",
        "MB",
        "typed",
        "Value",
        "ratio",
        "derived",
        "derive",
        "ratio"
    );
    for r in results {
        println!(
            "{:<42} {:>7} {:>9} {:>9.2} {:>9.1} {:>9.1} {:>6.2} {:>7} {:>9.1} {:>6.2}",
            r.label,
            r.bodies,
            r.examples,
            r.bytes as f64 / 1e6,
            r.typed,
            r.value,
            r.typed / r.value.max(f64::MIN_POSITIVE),
            r.common,
            r.derive,
            r.typed_common / r.derive.max(f64::MIN_POSITIVE)
        );
    }
    println!(
        "(ratio: typed over Value on every body typed reads; derived: the bodies the derived \
         copy reads too, and typed over derive on those)"
    );
}

pub fn to_json(r: &Decoded) -> Value {
    json!({
        "label": r.label, "bodies": r.bodies, "examples": r.examples, "bytes": r.bytes,
        "typed_mb_s": r.typed, "value_mb_s": r.value, "common_bodies": r.common,
        "typed_common_mb_s": r.typed_common, "derive_mb_s": r.derive,
    })
}
