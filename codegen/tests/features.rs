//! The feature combinations users pick compile cleanly: a generated crate has one cargo
//! feature per group of operations (`full`, the default, turns them all on), and for each
//! real description in `testdata/real/` every group alone, no group at all, and every
//! feature at once (the `client` and `blocking` ones included) pass `cargo check` with
//! warnings denied, and the server side (`mock`, which turns on `server`) with no group
//! and with one. (`compile.rs` runs clippy and rustdoc on the default, `full`, with the
//! server side.)

mod support;

use support::{assert_checks_with_features, declared_features, real_spec, write_crate};

/// Features that are not groups of operations.
const NOT_GROUPS: &[&str] = &["full", "client", "blocking", "server", "mock"];

fn every_combination_users_pick(spec: &str, name: &str) {
    let (dir, _) = write_crate(&real_spec(spec), name);
    let features = declared_features(&dir);
    let groups: Vec<&str> = features
        .iter()
        .map(String::as_str)
        .filter(|feature| !NOT_GROUPS.contains(feature))
        .collect();
    assert!(
        groups.len() > 1 && features.iter().any(|f| f == "full"),
        "{spec}: expected several groups and `full`, found {features:?}"
    );
    assert_checks_with_features(&dir, &[], spec);
    for group in &groups {
        assert_checks_with_features(&dir, &[group], spec);
    }
    // The server side with no group (every operation a 501) and with one.
    assert_checks_with_features(&dir, &["mock"], spec);
    assert_checks_with_features(&dir, &["mock", groups[0]], spec);
    let every: Vec<&str> = features.iter().map(String::as_str).collect();
    assert_checks_with_features(&dir, &every, spec);
}

macro_rules! real {
    ($($test:ident => $spec:literal,)*) => {$(
        #[test]
        fn $test() {
            every_combination_users_pick($spec, concat!("features_", stringify!($test)));
        }
    )*};
}

real! {
    camunda_orchestration_cluster => "camunda-orchestration-cluster.json",
    camunda_orchestration_cluster_8_8 => "camunda-orchestration-cluster-8.8.yaml",
    elastic_cloud_enterprise => "elastic-cloud-enterprise.json",
    elastic_cloud => "elastic-cloud.json",
}
