//! Generated code compiles cleanly: every fixture of the snapshot tests and every real
//! description in `../shared/specs/` becomes a standalone crate that passes `cargo clippy`
//! and `cargo doc` with warnings denied.
//!
//! Needs `../shared/specs/` beside the project (CI has it); fails, never skips, without it.

mod support;

use std::path::Path;

use support::{shared_spec, workspace};

/// Generates `spec` into `target/compile-tests/NAME` and builds it with warnings denied.
fn compiles_cleanly(spec: &Path, name: &str) {
    let out = workspace().join("target/compile-tests").join(name);
    let files = codegen::standalone_crate(spec, &spec.display().to_string(), name)
        .unwrap_or_else(|error| panic!("{} does not generate:\n{error}", spec.display()));
    codegen::sync(&out, &files, &[Path::new("src")], codegen::Mode::Write).unwrap();
    support::assert_compiles_cleanly(&out, &spec.display().to_string());
}

macro_rules! compiles {
    ($($test:ident => $spec:expr,)*) => {$(
        #[test]
        fn $test() {
            compiles_cleanly(&$spec, stringify!($test));
        }
    )*};
}

compiles! {
    camunda_orchestration_cluster => shared_spec("camunda-orchestration-cluster.json"),
    camunda_orchestration_cluster_8_8 => shared_spec("camunda-orchestration-cluster-8.8.yaml"),
    elastic_cloud_enterprise => shared_spec("elastic-cloud-enterprise.json"),
    elastic_cloud => shared_spec("elastic-cloud.json"),
    fixture_docs => workspace().join("codegen/tests/fixtures/docs.yaml"),
    fixture_models => workspace().join("codegen/tests/fixtures/models.yaml"),
    fixture_naming => workspace().join("codegen/tests/fixtures/naming.yaml"),
    fixture_recursive => workspace().join("codegen/tests/fixtures/recursive.yaml"),
    fixture_refs_into_paths => workspace().join("codegen/tests/fixtures/refs_into_paths.yaml"),
    fixture_statuses => workspace().join("codegen/tests/fixtures/statuses.yaml"),
    fixture_swagger_body => workspace().join("codegen/tests/fixtures/swagger_body.json"),
    fixture_openapi31 => workspace().join("codegen/tests/fixtures/openapi31.yaml"),
    fixture_multi_file => workspace().join("codegen/tests/fixtures/multi_file/api.yaml"),
    fixture_polymorphism => workspace().join("codegen/tests/fixtures/polymorphism.yaml"),
    fixture_absent_null => workspace().join("codegen/tests/fixtures/absent_null.yaml"),
    fixture_schemas_full => workspace().join("codegen/tests/fixtures/schemas_full.yaml"),
    fixture_bodies => workspace().join("codegen/tests/fixtures/bodies.yaml"),
    fixture_parameters => workspace().join("codegen/tests/fixtures/parameters.yaml"),
    fixture_versions => workspace().join("codegen/tests/fixtures/versions/pets.openapi31.yaml"),
}
