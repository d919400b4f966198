//! What serving costs: requests per second of a generated route against a hand-written
//! axum handler doing the same decoding, same machine, same load tool (`wrk`, from
//! Debian, installed by `tools/bench/install-wrk.sh`), one at a time.
//!
//! The operation is `specs/inventory.yaml`'s `createItem`: a JSON body of nine members
//! with a pattern, lengths, a range, `multipleOf`, a UUID, a date, a unique list, an enum
//! and a discriminated `oneOf`. The generated route reads it into `Item`, checking every
//! constraint, and its handler answers `201` with the item; the hand-written handler reads
//! the same body into the same type with axum's `Json` and checks the same constraints by
//! hand, and answers the same. Both are built in release, in one binary, served on
//! 127.0.0.1, and loaded by `wrk` with the same body, alternately, `rounds` times; the
//! medians are compared.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The body every request carries.
const BODY: &str = r#"{"name":"grand teapot","price":12.5,"quantity":3,"sku":"3fa85f64-5717-4562-b3fc-2c963f66afa6","released":"2024-02-29","tags":["tea","pot"],"status":"listed","shape":{"kind":"circle","radius":4}}"#;

/// Measures both servers, `rounds` times each for `seconds`; prints the medians.
pub fn run(root: &Path, rounds: usize, seconds: u64) -> Result<(), String> {
    let status = Command::new(root.join("tools/bench/install-wrk.sh"))
        .status()
        .map_err(|error| format!("cannot run tools/bench/install-wrk.sh: {error}"))?;
    if !status.success() {
        return Err("tools/bench/install-wrk.sh failed".to_owned());
    }
    let dir = root.join("target/bench/server");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "# Written by `cargo run -p tools -- bench --server`.\n\
         [package]\nname = \"bench-server\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         generated = {{ path = \"{}\", features = [\"server\"] }}\n\
         axum = {{ version = \"0.8\", default-features = false, features = [\"http1\", \"tokio\", \"json\"] }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }}\n\
         serde_json = \"1\"\n\
         uuid = \"1\"\n\n\
         [profile.release]\nlto = \"thin\"\ncodegen-units = 1\n\n\
         [workspace]\n",
        root.join("generated").display()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), MAIN).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let script = dir.join("post.lua");
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.body = '{BODY}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    eprintln!("building the servers (release)");
    let target = root.join("target/bench/server-target");
    let output = crate::cargo()
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "the servers do not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let binary = target.join("release/bench-server");
    let mut results: Vec<(&str, Vec<f64>)> =
        vec![("generated", Vec::new()), ("hand-written", Vec::new())];
    for round in 0..rounds {
        for (kind, rates) in &mut results {
            let mut server = Served::start(&binary, kind)?;
            let rate = load(&script, &server.base, seconds)?;
            server.stop();
            eprintln!("round {}: {kind}: {rate:.0} requests/s", round + 1);
            rates.push(rate);
        }
    }
    let median = |rates: &mut Vec<f64>| {
        rates.sort_by(f64::total_cmp);
        rates[rates.len() / 2]
    };
    let generated = median(&mut results[0].1);
    let hand = median(&mut results[1].1);
    println!(
        "server: generated route {generated:.0} requests/s, hand-written {hand:.0} requests/s: {:.1}% of it (median of {rounds} rounds of {seconds} s, wrk, 1 thread, 16 connections)",
        100.0 * generated / hand
    );
    Ok(())
}

/// One server, started; stopped by its pid.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(binary: &Path, kind: &str) -> Result<Served, String> {
        use std::io::BufRead as _;
        let mut child = Command::new(binary)
            .arg(kind)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no standard output")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|error| error.to_string())?;
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("the server did not start: {line}"))?
            .to_owned();
        std::thread::sleep(Duration::from_millis(200));
        Ok(Served { child, base })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `wrk` for `seconds` against `base`: its requests per second, after checking every
/// answer was a 201.
fn load(script: &Path, base: &str, seconds: u64) -> Result<f64, String> {
    let output = Command::new("wrk")
        .args(["-t1", "-c16", &format!("-d{seconds}s"), "-s"])
        .arg(script)
        .arg(format!("{base}/items"))
        .output()
        .map_err(|error| format!("cannot run wrk: {error}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("some answers were not 201:\n{text}"));
    }
    text.lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|rate| rate.trim().parse().ok())
        .ok_or_else(|| format!("wrk said no rate:\n{text}"))
}

/// The two servers: `generated` (the generated route of `createItem`) or the
/// hand-written one.
const MAIN: &str = r#"// Written by `cargo run -p tools -- bench --server`.
use generated::inventory::models::{Item, ItemStatus, Shape};
use generated::inventory::operations::{CreateItemErrors, CreateItemResponses};
use generated::inventory::server::{App, ItemsHandlers};
use generated::runtime::server::Request;

struct Items;

impl ItemsHandlers for Items {
    async fn list_items(&self, _: Request<generated::inventory::operations::ListItemsParams, ()>) -> Result<generated::inventory::operations::ListItemsResponses, generated::inventory::operations::ListItemsErrors> {
        Ok(generated::inventory::operations::ListItemsResponses::Ok(Vec::new()))
    }
    async fn create_item(&self, request: Request<(), Item>) -> Result<CreateItemResponses, CreateItemErrors> {
        Ok(CreateItemResponses::Created(request.body))
    }
    async fn get_item(&self, _: Request<generated::inventory::operations::GetItemParams, ()>) -> Result<generated::inventory::operations::GetItemResponses, generated::inventory::operations::GetItemErrors> {
        Err(generated::inventory::operations::GetItemErrors::Undocumented { status: axum::http::StatusCode::NOT_FOUND, body: Vec::new() })
    }
}

/// The constraints of `Item`, checked by hand, every one.
fn valid(item: &Item) -> bool {
    let name = item.name.chars().count();
    let shape = match &item.shape {
        Shape::Circle(circle) => circle.kind == "circle" && circle.radius >= 0.0,
        Shape::Square(square) => square.kind == "square" && square.side >= 0.0,
    };
    let tags = item.tags.as_ref().is_none_or(|tags| {
        tags.len() <= 3 && tags.iter().enumerate().all(|(at, tag)| !tags[..at].contains(tag))
    });
    (2..=12).contains(&name)
        && item.name.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
        && item.price >= 0.0
        && item.price < 1000.0
        && (item.price / 0.5).fract() == 0.0
        && item.quantity >= 0
        && tags
        && !matches!(item.status, Some(ItemStatus::Unknown(_)))
        && shape
}

async fn hand(axum::Json(item): axum::Json<Item>) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if valid(&item) {
        (axum::http::StatusCode::CREATED, axum::Json(item)).into_response()
    } else {
        axum::http::StatusCode::BAD_REQUEST.into_response()
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let kind = std::env::args().nth(1).unwrap_or_default();
    let router = match kind.as_str() {
        "generated" => App::new().items(Items).into_router(),
        _ => axum::Router::new().route("/items", axum::routing::post(hand)),
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await
}
"#;
