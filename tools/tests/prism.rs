//! Requests checked by a real mock server: every operation of the real descriptions of
//! `testdata/real/`, of `specs/` and of the fixtures that need it goes through Stoplight
//! Prism (pinned in `tools/prism/`, installed on first use), which validates each request
//! against the description, and Prism's answer for every documented status is decoded. And the
//! README's client example runs against Prism.
//!
//! Needs Node.js with npm to install Prism; fails, never skips, without it.

use std::path::Path;

use tools::prism::Report;

/// The sweep of `spec`, after checking it passed: no violation of ours, nothing failed,
/// every asked status decoded or excused, every conforming example read back. What is
/// excused, left untested, impossible, changed in Prism's copy, or contradicting its own
/// schema is pinned by a snapshot, so none of it can grow unseen.
fn prism(spec: &Path) -> Report {
    let report = tools::prism::run(tools::root(), spec)
        .unwrap_or_else(|error| panic!("{}: {error}", spec.display()));
    let summary = report.summary();
    assert!(
        report.violations.is_empty(),
        "{summary}\n{:#?}",
        report.violations
    );
    assert!(
        report.failures.is_empty(),
        "{summary}\n{:#?}",
        report.failures
    );
    assert!(report.statuses > 0, "{summary}");
    assert!(report.is_clean(), "{summary}");
    report
}

/// What a clean run set aside, one line each, for the snapshot.
fn set_aside(report: &Report) -> String {
    let mut out = format!(
        "{}\n{}\n{}\n",
        report.summary(),
        report.examples.summary(),
        report.examples.family_summary()
    );
    for excused in &report.excused {
        out.push_str(&format!("excused: {excused}\n"));
    }
    for gap in &report.gaps {
        out.push_str(&format!("gap: {gap}\n"));
    }
    for impossible in &report.impossible {
        out.push_str(&format!("impossible: {impossible}\n"));
    }
    for (pointer, change) in &report.changes {
        out.push_str(&format!("copy: {pointer}: {change}\n"));
    }
    for contradicting in &report.examples.contradicting {
        out.push_str(&format!("contradicting example: {contradicting}\n"));
    }
    for (pointer, why) in &report.examples.untested {
        out.push_str(&format!("untested example: {pointer}: {why}\n"));
    }
    for (pointer, why) in &report.examples.family_unmade {
        out.push_str(&format!("no valid value made of: {pointer}: {why}\n"));
    }
    out
}

macro_rules! prism {
    ($($test:ident => $spec:expr,)*) => {$(
        #[test]
        fn $test() {
            let report = prism(&tools::root().join($spec));
            insta::assert_snapshot!(set_aside(&report));
        }
    )*};
}

prism! {
    camunda_orchestration_cluster => "testdata/real/camunda-orchestration-cluster.json",
    camunda_orchestration_cluster_8_8 => "testdata/real/camunda-orchestration-cluster-8.8.yaml",
    elastic_cloud_enterprise => "testdata/real/elastic-cloud-enterprise.json",
    elastic_cloud => "testdata/real/elastic-cloud.json",
    spec_camunda_users => "specs/camunda-users.yaml",
    spec_elastic_users => "specs/elastic-users.json",
    spec_github_issues => "specs/github-issues.yaml",
    spec_message_stream => "specs/message-stream.yaml",
    spec_stripe_customers => "specs/stripe-customers.yaml",
    fixture_array_headers => "codegen/tests/fixtures/array_headers.yaml",
    fixture_ignored_parameter => "codegen/tests/fixtures/warnings/ignored_parameter.yaml",
    fixture_parameter_unions => "codegen/tests/fixtures/parameter_unions.yaml",
    fixture_base64_bodies => "codegen/tests/fixtures/base64_bodies.yaml",
    fixture_container_unions => "codegen/tests/fixtures/container_unions.yaml",
    fixture_media_ranges => "codegen/tests/fixtures/media_ranges.yaml",
    fixture_nullable_unions => "codegen/tests/fixtures/nullable_unions.yaml",
    fixture_api_key_parameters => "codegen/tests/fixtures/api_key_parameters.yaml",
    fixture_long_values => "codegen/tests/fixtures/long_values.yaml",
    fixture_query_in_path_keys => "codegen/tests/fixtures/query_in_path_keys.yaml",
    fixture_bracketed_names => "codegen/tests/fixtures/bracketed_names.yaml",
    fixture_impossible_parameters => "codegen/tests/fixtures/impossible_parameters.yaml",
}

/// The README's example (`generated/examples/create_user.rs`) against Prism serving
/// `specs/camunda-users.yaml`: it builds the request with `request`, sends it with the
/// `client` feature, and prints what the 201 decoded to.
#[test]
fn readme_example_runs_against_prism() {
    let root = tools::root();
    let log = root.join("target/prism/readme-example.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let server =
        tools::prism::server::Prism::start(root, &root.join("specs/camunda-users.yaml"), log)
            .expect("Prism starts");
    let output = tools::cargo()
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "-p",
            "generated",
            "--features",
            "client",
            "--example",
            "create_user",
            "--",
        ])
        .arg(&server.url)
        .output()
        .expect("cargo runs");
    drop(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("POST {}/users", server_url(&stdout)),
        "{stdout}"
    );
    assert!(lines[1].starts_with("created "), "{stdout}");
}

/// The URL the example printed its request to, up to the path.
fn server_url(stdout: &str) -> String {
    let first = stdout.lines().next().unwrap_or_default();
    first
        .trim_start_matches("POST ")
        .trim_end_matches("/users")
        .to_owned()
}
