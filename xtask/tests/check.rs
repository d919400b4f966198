//! `cargo xtask codegen --check`, the command CI runs: on a fresh tree it succeeds and
//! says nothing; on a stale one it fails, naming each stale file, and changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

/// Every file under `dir` and its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The settings fixtures' `times.yaml`, copied into `dir`.
fn times_spec(dir: &Path) -> PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/settings");
    let spec = dir.join("times.yaml");
    std::fs::copy(fixtures.join("times.yaml"), &spec).unwrap();
    spec
}

#[test]
fn check_fails_on_a_stale_tree_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("models");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/models.yaml");
    let spec = spec.to_str().unwrap();
    let out_arg = out.to_str().unwrap();
    let spec_args = [
        "codegen", "--spec", spec, "--out", out_arg, "--name", "models",
    ];

    let written = xtask(&spec_args);
    assert!(written.status.success(), "{written:?}");
    let mut check_args = spec_args.to_vec();
    check_args.push("--check");
    let fresh = xtask(&check_args);
    assert!(
        fresh.status.success(),
        "a tree just written is stale: {fresh:?}"
    );
    assert!(
        fresh.stdout.is_empty() && fresh.stderr.is_empty(),
        "{fresh:?}"
    );

    let models = out.join("src/models.rs");
    let mut text = std::fs::read_to_string(&models).unwrap();
    text.push_str("// edited\n");
    std::fs::write(&models, text).unwrap();
    std::fs::remove_file(out.join("src/operations.rs")).unwrap();
    let before = tree(&out);

    let stale = xtask(&check_args);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stderr}");
    assert!(stale.stdout.is_empty(), "{stale:?}");
    assert_eq!(
        stderr,
        format!(
            "{out_arg} is stale; run `cargo xtask codegen`:\n  differs: src/models.rs\n  differs: src/operations.rs\n"
        )
    );
    assert_eq!(tree(&out), before, "--check changed the tree");
}

/// The settings beside a description are read without a flag, and `--check` fails when
/// they changed and the crate was not regenerated: the crate's docs list every setting.
#[test]
fn check_fails_when_the_settings_changed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = times_spec(dir.path());
    let settings = dir.path().join("times.codegen.toml");
    std::fs::write(&settings, "[scalars]\ndate = \"time\"\n").unwrap();
    let out = dir.path().join("out");
    let args = [
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--name",
        "times",
    ];
    let written = xtask(&args);
    assert!(written.status.success(), "{written:?}");
    let models = std::fs::read_to_string(out.join("src/models.rs")).unwrap();
    assert!(
        models.contains("Option<time::Date>"),
        "the settings beside it were read"
    );
    let mut check_args = args.to_vec();
    check_args.push("--check");
    assert!(xtask(&check_args).status.success());

    std::fs::write(&settings, "[scalars]\ndate = \"jiff\"\n").unwrap();
    let before = tree(&out);
    let stale = xtask(&check_args);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stderr}");
    for file in ["Cargo.toml", "src/lib.rs", "src/models.rs"] {
        assert!(stderr.contains(&format!("differs: {file}")), "{stderr}");
    }
    assert_eq!(tree(&out), before, "--check changed the tree");

    // A bad settings file fails the run and writes nothing.
    std::fs::write(&settings, "[scalars]\ndates = \"jiff\"\n").unwrap();
    let failed = xtask(&args);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(
        stderr.contains("times.codegen.toml: line 2: unknown field `dates`"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before, "a failed run changed the tree");
}

/// `--config`, the old name of `--settings`, still reads the settings file, and says it is
/// deprecated.
#[test]
fn the_old_settings_flag_still_works_and_warns() {
    let dir = tempfile::tempdir().unwrap();
    let spec = times_spec(dir.path());
    let settings = dir.path().join("chosen.toml");
    std::fs::write(&settings, "[scalars]\ndate = \"time\"\n").unwrap();
    let run = |flag: &str, out: &str| {
        let out = dir.path().join(out);
        let args = [
            "codegen",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            flag,
            settings.to_str().unwrap(),
        ];
        let output = xtask(&args);
        assert!(output.status.success(), "{output:?}");
        let models = std::fs::read_to_string(out.join("src/models.rs")).unwrap();
        assert!(models.contains("Option<time::Date>"), "{flag} was not read");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert_eq!(run("--settings", "new"), "");
    let warned = run("--config", "old");
    assert!(
        warned.contains("`--config` is deprecated") && warned.contains("use `--settings`"),
        "{warned}"
    );
}
