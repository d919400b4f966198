//! The generated mock checked by a client the project did not write: Schemathesis (pinned
//! in `tools/schemathesis/`, installed on first use) runs every check it has, negative
//! data included, against the mock of each real description of `testdata/real/` and of
//! Stripe's customers, and of `specs/inventory.yaml`. Only the three stateful checks a
//! stateless mock cannot pass are left out, by name. Nothing may fail but what a named
//! excuse explains, and what is excused is pinned by a snapshot.
//!
//! Needs Python 3 with `venv` to install Schemathesis; fails, never skips, without it.

use std::path::Path;

use tools::schemathesis::{Options, Report};

fn schemathesis(spec: &Path, options: &Options) -> Report {
    let report = tools::schemathesis::run(tools::root(), spec, options)
        .unwrap_or_else(|error| panic!("{}: {error}", spec.display()));
    assert!(
        report.is_clean(),
        "{}\n{:#?}",
        report.summary(),
        report.failures
    );
    report
}

/// The operations, the checks that ran, and what was excused, one line each. How many
/// test cases Schemathesis made is printed, not pinned: with a fixed seed it still moves
/// with what the mock answers (28,799 and 28,810 for one description), while what is
/// excused must not.
fn excused(report: &Report) -> String {
    eprintln!("{}", report.summary());
    assert!(report.cases > 0, "{}", report.summary());
    let mut out = format!(
        "schemathesis: {} operations, {} failures, {} excused\n",
        report.operations,
        report.failures.len(),
        report.excused.len()
    );
    out.push_str(&format!(
        "checks: {}\n",
        report.checks.keys().cloned().collect::<Vec<_>>().join(", ")
    ));
    for excused in &report.excused {
        out.push_str(&format!("excused: {excused}\n"));
    }
    out
}

macro_rules! schemathesis {
    ($($(#[$ignored:meta])* $test:ident => $spec:expr,)*) => {$(
        #[test]
        $(#[$ignored])*
        fn $test() {
            let report = schemathesis(&tools::root().join($spec), &Options::default());
            insta::assert_snapshot!(excused(&report));
        }
    )*};
}

// Those marked `ignore` are run by name (`cargo test -p tools --test schemathesis --
// --ignored`): Camunda's full description fails today, for reasons of ours that issue 25
// leaves open (docs/conformance.md), and is not excused to pass; Elastic Cloud Enterprise
// passes and is pinned, but takes longer than CI's budget leaves room for.
schemathesis! {
    #[ignore = "open (issue 25): 77 failures, mock values matching several oneOf branches and invalid bodies accepted"]
    camunda_orchestration_cluster => "testdata/real/camunda-orchestration-cluster.json",
    camunda_orchestration_cluster_8_8 => "testdata/real/camunda-orchestration-cluster-8.8.yaml",
    #[ignore = "passes (40,586 test cases, 172 excused), pinned; left out of CI for its 7 minutes"]
    elastic_cloud_enterprise => "testdata/real/elastic-cloud-enterprise.json",
    elastic_cloud => "testdata/real/elastic-cloud.json",
    spec_inventory => "specs/inventory.yaml",
    fixture_swagger_forms => "codegen/tests/fixtures/swagger_forms.json",
}

/// Stripe in part: the operations on customers (its largest group of one resource).
#[test]
fn stripe_customers() {
    let spec = tools::testdata::big(tools::root(), "stripe.json").unwrap();
    let options = Options {
        filter: codegen::Filter {
            tags: Vec::new(),
            operations: tools::schemathesis::operations_under(&spec, "/v1/customers"),
        },
        ..Options::default()
    };
    let report = schemathesis(&spec, &options);
    insta::assert_snapshot!(excused(&report));
}
