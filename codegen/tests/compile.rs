//! Generated code compiles cleanly: every fixture of the snapshot tests (every file
//! [`support::FIXTURES_GLOB`] takes, also with every feature on) and every real
//! description in `testdata/real/` becomes a standalone crate that passes `cargo clippy`
//! and `cargo doc` with warnings denied.

mod support;

use std::path::Path;

use support::{compiles_cleanly, compiles_cleanly_with_client, real_spec};

/// Every fixture, one after another (insta's glob walks them in order), while the other
/// tests build beside it in a target directory of their own ([`support::TargetDir`]);
/// each also with the client on, which adds its method per operation.
#[test]
fn every_fixture() {
    insta::glob!(support::FIXTURES_GLOB, |path| {
        let fixture = support::relative(path);
        compiles_cleanly_with_client(
            &fixture,
            &format!("fixture_{}", support::fixture_name(&fixture)),
        );
    });
}

/// A description that gives warnings still makes a crate without any: what the
/// generator drops or guesses never shows as dead code or an unused variable.
#[test]
fn every_warning_fixture() {
    insta::glob!("fixtures/warnings/*.yaml", |path| {
        let fixture = support::relative(path);
        compiles_cleanly(
            &fixture,
            &format!("warnings_{}", support::fixture_name(&fixture)),
        );
    });
}

/// The one description of `versions/` in three formats gives the same code
/// (`snapshots.rs`), so one of them is built.
#[test]
fn fixture_versions() {
    compiles_cleanly(
        Path::new("tests/fixtures/versions/pets.openapi31.yaml"),
        "fixture_versions",
    );
}

macro_rules! real {
    ($($test:ident => $spec:literal,)*) => {$(
        #[test]
        fn $test() {
            compiles_cleanly(&real_spec($spec), stringify!($test));
        }
    )*};
}

real! {
    camunda_orchestration_cluster => "camunda-orchestration-cluster.json",
    camunda_orchestration_cluster_8_8 => "camunda-orchestration-cluster-8.8.yaml",
    elastic_cloud_enterprise => "elastic-cloud-enterprise.json",
    elastic_cloud => "elastic-cloud.json",
}
