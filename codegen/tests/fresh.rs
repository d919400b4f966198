//! The generator is its own freshness test: `generated/` must be exactly what
//! `cargo xtask codegen` would write from `specs/` now.

use std::path::Path;

#[test]
fn generated_crate_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let files = codegen::workspace_crate(&codegen::workspace_specs(root).unwrap()).unwrap();
    let changes = codegen::sync(
        &root.join("generated"),
        &files,
        &[Path::new("src")],
        codegen::Mode::Check,
    )
    .unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale, run `cargo xtask codegen`: {changes:?}"
    );
}
