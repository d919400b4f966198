//! The generated client against the generated server, in one process: every operation of
//! the real descriptions of `testdata/real/` and of Stripe's customers, every documented
//! status of each, with plain values and the edges (reserved characters, non-ASCII text,
//! empty lists, optional parts left out). What a handler receives is what the client
//! sent, what the client decodes is what the handler answered. What a style cannot carry
//! and the cases left unsent are pinned by a snapshot.

use std::path::Path;

use tools::loopback::Report;

fn loopback(spec: &Path, filter: &codegen::Filter) -> Report {
    let report = tools::loopback::run(tools::root(), spec, filter)
        .unwrap_or_else(|error| panic!("{}: {error}", spec.display()));
    assert!(
        report.is_clean(),
        "{}\n{:#?}",
        report.summary(),
        report.failures
    );
    report
}

fn set_aside(report: &Report) -> String {
    let mut out = format!("{}\n", report.summary());
    for known in &report.known {
        out.push_str(&format!("known: {known}\n"));
    }
    for gap in &report.gaps {
        out.push_str(&format!("gap: {gap}\n"));
    }
    out
}

macro_rules! loopback {
    ($($test:ident => $spec:expr,)*) => {$(
        #[test]
        fn $test() {
            let report = loopback(&tools::root().join($spec), &codegen::Filter::all());
            insta::assert_snapshot!(set_aside(&report));
        }
    )*};
}

loopback! {
    camunda_orchestration_cluster => "testdata/real/camunda-orchestration-cluster.json",
    camunda_orchestration_cluster_8_8 => "testdata/real/camunda-orchestration-cluster-8.8.yaml",
    elastic_cloud_enterprise => "testdata/real/elastic-cloud-enterprise.json",
    elastic_cloud => "testdata/real/elastic-cloud.json",
    fixture_query_in_path_keys => "codegen/tests/fixtures/query_in_path_keys.yaml",
}

/// Stripe in part: the operations on customers.
#[test]
fn stripe_customers() {
    let spec = tools::testdata::big(tools::root(), "stripe.json").unwrap();
    let filter = codegen::Filter {
        tags: Vec::new(),
        operations: tools::schemathesis::operations_under(&spec, "/v1/customers"),
    };
    let report = loopback(&spec, &filter);
    insta::assert_snapshot!(set_aside(&report));
}
