//! Every document of the oas-examples corpus in `../shared/specs/oas-examples/` (Swagger 2.0,
//! OpenAPI 3.0 and 3.1, JSON and YAML) generates code that passes `cargo clippy` and
//! `cargo doc` with warnings denied. They are compiled as the modules of one crate, so
//! dependencies and the compiler start up once.
//!
//! Needs `../shared/specs/` beside the project (CI has it); fails, never skips, without it.

mod support;

use std::path::{Path, PathBuf};

/// Documents that are invalid on purpose, with the reason; they must fail with a
/// diagnostic naming the file instead.
const INVALID: &[(&str, &str)] = &[];

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/oas-examples");
    assert!(
        root.exists(),
        "{} is missing: this test needs ../shared/specs/ beside the project",
        root.display()
    );
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text[text.find("oas-examples").unwrap_or(0)..].to_owned()
}

#[test]
fn every_document_compiles_cleanly() {
    let workspace = support::workspace();
    let documents = corpus();
    assert!(
        documents.len() > 100,
        "the corpus looks incomplete: {} documents",
        documents.len()
    );
    let mut valid = Vec::new();
    for path in &documents {
        let name = shown(path);
        match INVALID.iter().find(|(invalid, _)| name.ends_with(invalid)) {
            Some((_, why)) => {
                let error = codegen::api(path).expect_err(why);
                assert!(error.to_string().contains(&name), "{error}");
            }
            None => valid.push((path.clone(), name)),
        }
    }
    let files = codegen::workspace_crate(&valid).unwrap_or_else(|error| panic!("{error}"));
    let out = workspace.join("target/compile-tests/oas_examples");
    codegen::sync(&out, &files, &[Path::new("src")], codegen::Mode::Write).unwrap();
    std::fs::write(
        out.join("Cargo.toml"),
        "[package]\nname = \"oas_examples\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n\
         http = \"1\"\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
         uuid = { version = \"1\", features = [\"serde\"] }\n\n[workspace]\n",
    )
    .unwrap();
    support::assert_compiles_cleanly(&out, "the oas-examples corpus");
}
