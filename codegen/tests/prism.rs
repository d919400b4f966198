//! Requests checked by a real mock server: `cargo xtask prism` sends every operation of
//! the real descriptions and of `specs/` through Stoplight Prism (pinned in
//! `tools/prism/`, installed on first use), which validates each request against the
//! description, and decodes Prism's answer for every documented status. And the README's
//! client example runs against Prism.
//!
//! Needs `../shared/specs/` beside the project, and Node.js with npm to install Prism;
//! fails, never skips, without them.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use support::{shared_spec, workspace};

fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(workspace());
    command
}

/// Runs `cargo xtask prism --spec SPEC` and returns its summary line, after checking it
/// passed: no request Prism finds against the description, every asked status decoded.
fn prism(spec: &Path) -> String {
    let output = cargo()
        .args(["run", "--quiet", "-p", "xtask", "--", "prism", "--spec"])
        .arg(spec)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stdout
        .lines()
        .find(|line| line.starts_with("prism: "))
        .unwrap_or_else(|| panic!("no summary from `cargo xtask prism`:\n{stdout}\n{stderr}"))
        .to_owned();
    assert!(
        output.status.success(),
        "{}: {summary}\n{stderr}",
        spec.display()
    );
    assert!(summary.contains(" 0 request violations"), "{summary}");
    summary
}

/// `D/S statuses decoded` with D == S, and S > 0: something was asked.
fn all_decoded(summary: &str) -> bool {
    let Some(part) = summary
        .split(", ")
        .find(|p| p.ends_with("statuses decoded"))
    else {
        return false;
    };
    let counts = part.trim_end_matches(" statuses decoded");
    let (decoded, asked) = counts.split_once('/').unwrap_or(("", "-"));
    decoded == asked && asked != "0"
}

macro_rules! prism {
    ($($test:ident => $spec:expr,)*) => {$(
        #[test]
        fn $test() {
            let summary = prism(&$spec);
            assert!(all_decoded(&summary), "{summary}");
        }
    )*};
}

prism! {
    camunda_orchestration_cluster => shared_spec("camunda-orchestration-cluster.json"),
    camunda_orchestration_cluster_8_8 => shared_spec("camunda-orchestration-cluster-8.8.yaml"),
    elastic_cloud_enterprise => shared_spec("elastic-cloud-enterprise.json"),
    elastic_cloud => shared_spec("elastic-cloud.json"),
    spec_camunda_users => workspace().join("specs/camunda-users.yaml"),
    spec_elastic_users => workspace().join("specs/elastic-users.json"),
    spec_github_issues => workspace().join("specs/github-issues.yaml"),
}

/// The README's example (`generated/examples/create_user.rs`) against Prism serving
/// `specs/camunda-users.yaml`: it builds the request with `request`, sends it with the
/// `client` feature, and prints what the 201 decoded to.
#[test]
fn readme_example_runs_against_prism() {
    let installed = Command::new(workspace().join("tools/prism/install.sh"))
        .status()
        .expect("the install script runs");
    assert!(installed.success(), "tools/prism/install.sh failed");
    let mut server = Command::new(workspace().join("tools/prism/node_modules/.bin/prism"))
        .args(["mock", "-h", "127.0.0.1", "-p", "0"])
        .arg(workspace().join("specs/camunda-users.yaml"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("Prism starts");
    let stdout = server.stdout.take().expect("piped");
    let (url_sender, url) = std::sync::mpsc::channel();
    // Keep reading, so Prism's request log never fills the pipe.
    std::thread::spawn(move || {
        let mut url_sender = Some(url_sender);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("Prism is listening on ") {
                if let Some(sender) = url_sender.take() {
                    let _ = sender.send(
                        line[at + "Prism is listening on ".len()..]
                            .trim()
                            .to_owned(),
                    );
                }
            }
        }
    });
    let url = url
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("Prism listens");
    let output = cargo()
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
        .arg(&url)
        .output()
        .expect("cargo runs");
    let _ = server.kill();
    let _ = server.wait();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("POST {url}/users"), "{stdout}");
    assert!(lines[1].starts_with("created "), "{stdout}");
}
