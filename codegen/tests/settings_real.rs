//! Generation settings on the real descriptions, each compiled with warnings denied and
//! its effect in a snapshot of the parts it changes:
//!
//! - the Camunda bundle with its `ProcessInstanceKey` semantic key replaced by a type of
//!   the user's (`user_types::ProcessInstanceKey`, a parsed `i64`) and
//!   `schemars::JsonSchema` derived on every model;
//! - Elastic Cloud Enterprise with an overlay that states the `produces` and `consumes`
//!   its operations leave out and completes a documented error;
//! - Stripe with its unix times (`format: unix-time`) as `time::OffsetDateTime`.
//!
//! That the crates still decode the descriptions' examples is `examples/` (the
//! `*_with_settings` tests).

mod support;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use codegen::{Config, Runtime};
use support::{real_spec, workspace};

const SETTINGS: &str = "tests/fixtures/settings/real";

/// Generates `spec` with the settings file `settings` (in [`SETTINGS`]) as the crate
/// `name` in `target/compile-tests/NAME`, the runtime crate a dependency (its lints are
/// its own, and it builds once for every crate).
fn write_with(spec: &Path, settings: &str, name: &str) -> (PathBuf, codegen::Generated) {
    let out = workspace().join("target/compile-tests").join(name);
    let config = Config::spec(spec)
        .out(&out)
        .name(name)
        .runtime(Runtime::Path("../../../runtime".into()))
        .settings_file(Path::new(SETTINGS).join(settings));
    let generated = codegen::generate(&config)
        .unwrap_or_else(|problems| panic!("{} does not generate:\n{problems}", spec.display()));
    (out, generated)
}

fn contents<'a>(generated: &'a codegen::Generated, path: &str) -> &'a str {
    &generated
        .files
        .iter()
        .find(|file| file.path == Path::new(path))
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// The top-level item of `text` whose line contains `marker`, with its docs and
/// attributes, up to the line that closes it.
fn item(text: &str, marker: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.contains(marker))
        .unwrap_or_else(|| panic!("no `{marker}`"));
    let mut start = at;
    while start > 0 && (lines[start - 1].starts_with("#[") || lines[start - 1].starts_with("///")) {
        start -= 1;
    }
    let end = (at..lines.len())
        .find(|&index| lines[index] == "}" || (index == at && lines[index].ends_with(';')))
        .unwrap_or(lines.len() - 1);
    lines[start..=end].join("\n") + "\n"
}

/// The lines of `text` from the one starting with `from` up to (not with) the first one
/// after it starting with `to`.
fn section(text: &str, from: &str, to: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(from)).unwrap();
    let end = (start + 1..lines.len())
        .find(|&i| lines[i].starts_with(to))
        .unwrap_or(lines.len());
    lines[start..end].join("\n") + "\n"
}

#[test]
fn camunda_with_its_own_process_instance_key_and_json_schemas() {
    support::user_types();
    let spec = real_spec("camunda-orchestration-cluster.json");
    let (out, generated) = write_with(&spec, "camunda.codegen.toml", "settings_camunda");
    let models = contents(&generated, "src/models.rs");
    let operations = contents(&generated, "src/operations.rs");
    assert!(
        !models.contains("pub struct ProcessInstanceKey")
            && !models.contains("pub type ProcessInstanceKey "),
        "nothing is generated for the replaced schema"
    );
    let structs = models.matches("pub struct ").count();
    let enums = models.matches("pub enum ").count();
    let derived = models.matches("#[derive(schemars::JsonSchema)]").count();
    assert_eq!(
        derived,
        structs + enums,
        "every struct and enum derives JsonSchema"
    );
    let shown = [
        section(
            contents(&generated, "src/lib.rs"),
            "//! # Generation settings",
            "#![",
        ),
        section(
            contents(&generated, "Cargo.toml"),
            "[dependencies]",
            "[features]",
        ),
        item(models, "pub struct ProcessInstanceResult {"),
        item(models, "pub struct AdvancedProcessInstanceKeyFilter {"),
        item(models, "pub enum ProcessInstanceStateEnum {"),
        item(operations, "pub struct GetProcessInstanceParams {"),
    ];
    insta::assert_snapshot!(shown.join("\n"));
    support::assert_compiles_cleanly(&out, &spec.display().to_string());
}

/// `schemars::JsonSchema` on every Camunda model needs bytes that have a JSON Schema:
/// without `scalars.binary`, the derive check says which field, before anything is
/// written.
#[test]
fn camunda_json_schemas_need_bytes_that_have_one() {
    let dir = Path::new("../target/settings-tests");
    std::fs::create_dir_all(dir).unwrap();
    let settings = dir.join("camunda_binary.codegen.toml");
    std::fs::write(&settings, "[models]\nderive = [\"schemars::JsonSchema\"]\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let problems = codegen::generate(
        &Config::spec(real_spec("camunda-orchestration-cluster.json"))
            .out(out.path().join("crate"))
            .settings_file(&settings),
    )
    .unwrap_err();
    assert!(!out.path().join("crate").exists());
    let shown = problems.to_string();
    assert!(
        shown.contains("`schemars::JsonSchema` cannot be derived for")
            && shown
                .contains("is `runtime::Binary`, which does not implement `schemars::JsonSchema`")
            && shown.contains("set `scalars.binary` to `vec` or `bytes`"),
        "{shown}"
    );
}

#[test]
fn elastic_cloud_enterprise_with_an_overlay() {
    let spec = real_spec("elastic-cloud-enterprise.json");
    let (out, generated) = write_with(&spec, "ece.codegen.toml", "settings_ece");
    let operations = contents(&generated, "src/operations.rs");
    let shown = [
        section(
            contents(&generated, "src/lib.rs"),
            "//! # Generation settings",
            "#![",
        ),
        item(operations, "pub enum GetInstanceConfigurationErrors {"),
        item(
            operations,
            "pub enum GetInstanceConfigurationNotFoundCloudErrorCodes {",
        ),
        item(operations, "pub struct ListInstanceConfigurations;"),
        contents(&generated, "Cargo.toml")
            .lines()
            .filter(|line| line.contains("instance-configurations"))
            .map(|line| format!("{line}\n"))
            .collect(),
    ];
    insta::assert_snapshot!(shown.join("\n"));
    // What the overlay's first two targets select in the description as published: the
    // 19 operations without `produces`, the 5 with a body and no `consumes`.
    let description = support::read_description(&spec);
    for (target, count) in [
        ("$.paths.*[?@.responses && !@.produces]", 19),
        (
            "$.paths.*[?@.parameters[?@.in == 'body'] && !@.consumes]",
            5,
        ),
    ] {
        let path = serde_json_path::JsonPath::parse(target).unwrap();
        assert_eq!(path.query(&description).len(), count, "{target}");
    }
    let api = &generated.models[0];
    assert!(
        !api.operations
            .iter()
            .any(|op| op.id.ends_with("-resource-proxy-requests")),
        "the proxy operations are skipped"
    );
    // The operations that stated no media types now state JSON themselves.
    for id in [
        "get-instance-configurations",
        "create-instance-configuration",
    ] {
        let op = api.operations.iter().find(|op| op.id == id).unwrap();
        assert_eq!(op.accept, ["application/json"], "{id}");
    }
    support::assert_compiles_cleanly(&out, &spec.display().to_string());
}

/// `testdata/big/stripe.json.gz`, unpacked into `target/testdata/` once.
fn stripe() -> PathBuf {
    let unpacked = workspace().join("target/testdata/stripe.json");
    if !unpacked.exists() {
        let packed = std::fs::File::open(workspace().join("testdata/big/stripe.json.gz")).unwrap();
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(packed)
            .read_to_end(&mut text)
            .unwrap();
        std::fs::create_dir_all(unpacked.parent().unwrap()).unwrap();
        let temporary = unpacked.with_extension("tmp");
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(&temporary, &unpacked).unwrap();
    }
    unpacked
}

#[test]
fn stripe_with_time_for_unix_times() {
    let spec = stripe();
    let (out, generated) = write_with(&spec, "stripe.codegen.toml", "settings_stripe");
    let models = contents(&generated, "src/models.rs");
    assert!(
        !models.contains("chrono::"),
        "Stripe's models name no chrono type"
    );
    let shown = [
        section(
            contents(&generated, "src/lib.rs"),
            "//! # Generation settings",
            "#![",
        ),
        section(
            contents(&generated, "Cargo.toml"),
            "[dependencies]",
            "[features]",
        ),
        contents(&generated, "src/scalars.rs")
            .lines()
            .skip_while(|line| line.starts_with("// "))
            .collect::<Vec<_>>()
            .join("\n"),
        item(models, "pub struct ApplicationFee {"),
    ];
    insta::assert_snapshot!(shown.join("\n"));
    // Stripe's crate is large: `cargo clippy` checks it compiles without a warning; its
    // docs are the same generator's as the other crates'.
    support::assert_clippy_clean(&out, &spec.display().to_string());
}
