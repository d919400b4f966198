//! `cargo xtask mock --spec FILE --port PORT`: the generated mock of any description,
//! served on 127.0.0.1. The crate is generated under `target/mock/` (depending on the
//! workspace's runtime, so every mock shares one build of it), a small runner crate
//! beside it serves `App::mock()`, and this process becomes that server: it prints
//! `listening on http://127.0.0.1:PORT` once it has answered a request of its own, and
//! stops on Ctrl-C.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{Config, Runtime};

/// Generates, builds and serves the mock of `spec`; returns only on failure.
pub fn serve(root: &Path, spec: &Path, port: u16, settings: Option<PathBuf>) -> Result<(), String> {
    let tag = tag(spec);
    let dir = root.join("target/mock").join(&tag);
    let api = dir.join("api");
    let runner = dir.join("serve");
    let mut config = Config::spec(spec)
        .out(&api)
        .name(format!("mock-api-{tag}"))
        // From `target/mock/TAG/api` to the workspace's `runtime/`.
        .runtime(Runtime::Path(PathBuf::from("../../../../runtime")));
    if let Some(file) = settings {
        config = config.settings_file(file);
    }
    let generated = codegen::generate(&config).map_err(|problems| problems.to_string())?;
    eprint!("{}", generated.warnings.summary(3));
    write(&runner.join("Cargo.toml"), &manifest(&tag))?;
    write(&runner.join("src/main.rs"), MAIN)?;
    std::fs::copy(root.join("Cargo.lock"), runner.join("Cargo.lock"))
        .map_err(|error| format!("cannot copy Cargo.lock: {error}"))?;
    let target = root.join("target/mock/target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(runner.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err(format!("the mock of {} does not build", spec.display()));
    }
    let binary = target.join("debug").join(format!("mock-serve-{tag}"));
    let mut command = Command::new(&binary);
    command.arg(port.to_string());
    run(command, &binary)
}

/// Becomes the server (Unix: `exec`, so Ctrl-C and any signal reach it directly).
#[cfg(unix)]
fn run(mut command: Command, binary: &Path) -> Result<(), String> {
    use std::os::unix::process::CommandExt as _;
    let error = command.exec();
    Err(format!("cannot run {}: {error}", binary.display()))
}

#[cfg(not(unix))]
fn run(mut command: Command, binary: &Path) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    std::process::exit(status.code().unwrap_or(1))
}

/// A name for the crates of one description: its stem and a hash of its path, so two
/// descriptions never share a crate and one always gets the same.
fn tag(spec: &Path) -> String {
    let stem: String = spec
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut hasher = DefaultHasher::new();
    spec.canonicalize()
        .unwrap_or_else(|_| spec.to_path_buf())
        .hash(&mut hasher);
    format!("{}-{:08x}", stem.trim_matches('-'), hasher.finish() as u32)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn manifest(tag: &str) -> String {
    format!(
        "# Written by `cargo xtask mock`.\n\
         [package]\nname = \"mock-serve-{tag}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         api = {{ package = \"mock-api-{tag}\", path = \"../api\", features = [\"mock\"] }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\", \"signal\", \"io-util\"] }}\n\n\
         [workspace]\n"
    )
}

/// The runner: serves the mock on the port it is given (0: any free one), says where
/// once it has answered a request of its own, and stops on Ctrl-C.
const MAIN: &str = r#"// Written by `cargo xtask mock`.
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let address = listener.local_addr()?;
    let router = api::server::App::mock().into_router();
    let server = tokio::spawn(async move {
        api::runtime::server::axum::serve(listener, router)
            .with_graceful_shutdown(async {
                tokio::signal::ctrl_c().await.ok();
            })
            .await
    });
    let mut probe = tokio::net::TcpStream::connect(address).await?;
    probe
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await?;
    let mut answer = Vec::new();
    probe.read_to_end(&mut answer).await?;
    if !answer.starts_with(b"HTTP/1.1 ") {
        return Err(std::io::Error::other("the mock does not answer"));
    }
    println!("listening on http://{address}");
    server.await.map_err(std::io::Error::other)?
}
"#;
