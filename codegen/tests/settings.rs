//! Generation settings on small descriptions: each setting's effect on the generated
//! code (snapshots of crates that also compile), and the errors of bad settings and bad
//! overlays, which name the file, the key or action and what is wrong, and leave nothing
//! written. The real descriptions are `settings_real.rs`.

mod support;

use std::path::{Path, PathBuf};

use codegen::settings::{DateLibrary, Replacement, SchemaModel};
use codegen::{Config, Runtime, Settings};
use support::{assert_compiles_cleanly, workspace};

const PETS: &str = "tests/fixtures/settings/pets.yaml";
const PETS_SETTINGS: &str = "tests/fixtures/settings/pets.codegen.toml";
const TIMES: &str = "tests/fixtures/settings/times.yaml";
const TIMES_SETTINGS: &str = "tests/fixtures/settings/times.codegen.toml";
const PAGES: &str = "tests/fixtures/settings/pages.yaml";
const PAGES_SETTINGS: &str = "tests/fixtures/settings/pages.codegen.toml";

/// Generates `spec` with the settings file `settings` as the standalone crate `name`
/// into `target/compile-tests/NAME`.
fn write_with(spec: &str, settings: &str, name: &str) -> (PathBuf, codegen::Generated) {
    let out = workspace().join("target/compile-tests").join(name);
    // The runtime crate as a dependency: its lints are its own, and it builds once for
    // every crate here.
    let config = Config::spec(spec)
        .out(&out)
        .name(name)
        .runtime(Runtime::Path("../../../runtime".into()))
        .settings_file(settings);
    let generated = codegen::generate(&config)
        .unwrap_or_else(|problems| panic!("{spec} does not generate:\n{problems}"));
    (out, generated)
}

/// The generated sources and manifest as one text; the runtime's copy left out.
fn shown(files: &[codegen::File]) -> String {
    files
        .iter()
        .filter(|file| !file.path.starts_with("src/runtime"))
        .map(|file| format!("// ===== {} =====\n{}", file.path.display(), file.contents))
        .collect()
}

/// Every setting the pet shop's file has, in one crate: the overlay's error body, the
/// replaced `Money`, `schemars::JsonSchema` on every model (with the wire names), `Eq` and
/// `Hash` on `Owner` and the types it holds, jiff dates, uuids as text, bytes as
/// `Vec<u8>`, `u64` for `int64`, the renamed operation, schema and group, the skipped
/// operation and schema, and groups by path.
#[test]
fn every_setting_shows_in_the_pet_shop_crate() {
    support::user_types();
    let (out, generated) = write_with(PETS, PETS_SETTINGS, "settings_pets");
    insta::assert_snapshot!(shown(&generated.files));
    assert_compiles_cleanly(&out, PETS);
    json_schemas_describe_the_wire(&out);
}

/// The JSON Schema `schemars` makes of the pet shop's `Pet` names the wire: `updatedAt`,
/// not `updated_at`; the status values as sent, and any other text; the size as an
/// integer.
fn json_schemas_describe_the_wire(pets: &Path) {
    let dir = workspace().join("target/compile-tests/settings_pets_schema");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"settings_pets_schema\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nsettings_pets = {{ path = {:?} }}\nschemars = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
        pets.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "fn main() {\n    let schema = schemars::schema_for!(settings_pets::models::Pet);\n    println!(\"{}\", serde_json::to_string(&schema).unwrap());\n}\n",
    )
    .unwrap();
    let printed = support::cargo(&dir, &["run", "--quiet"], "the schema of Pet");
    let schema: serde_json::Value = serde_json::from_str(printed.trim()).unwrap();
    let properties = &schema["properties"];
    assert!(
        properties.get("updatedAt").is_some() && properties.get("updated_at").is_none(),
        "{schema:#}"
    );
    assert_eq!(
        schema["required"],
        serde_json::json!(["id", "name"]),
        "{schema:#}"
    );
    let status = serde_json::to_string(&schema["$defs"]["PetStatus"]).unwrap();
    assert!(
        status.contains("\"available\"") && status.contains("\"sold\""),
        "{status}"
    );
    assert!(!status.contains("Available"), "{status}");
    let size = serde_json::to_string(&schema["$defs"]["PetSize"]).unwrap();
    assert!(size.contains("integer"), "{size}");
}

/// Dates and times from the `time` crate, unix times as dates too, and derives every
/// such type has (`Eq`, `Hash`, `Ord`).
#[test]
fn times_from_the_time_crate() {
    let (out, generated) = write_with(TIMES, TIMES_SETTINGS, "settings_times");
    insta::assert_snapshot!(shown(&generated.files));
    assert_compiles_cleanly(&out, TIMES);
}

/// A library user builds the same settings in code; only the crate docs differ (they
/// name no file).
#[test]
fn settings_built_in_code_give_the_same_types() {
    let from_file = Settings::read(Path::new(TIMES_SETTINGS)).unwrap();
    let mut in_code = Settings::default();
    in_code.scalars.date_time = DateLibrary::Time;
    in_code.scalars.date = DateLibrary::Time;
    in_code.scalars.unix_time = codegen::settings::UnixTime::Time;
    in_code.models.derive = ["Eq", "Hash", "PartialOrd", "Ord"]
        .map(String::from)
        .to_vec();
    assert_eq!(
        Settings {
            file: None,
            ..from_file
        },
        in_code
    );
    let files = |config: Config| codegen::generate(&config.name("times")).unwrap().files;
    let a = files(Config::spec(TIMES).settings_file(TIMES_SETTINGS));
    let b = files(Config::spec(TIMES).settings(in_code));
    for path in [
        "src/models.rs",
        "src/models/serde_impls.rs",
        "src/operations.rs",
        "src/scalars.rs",
        "Cargo.toml",
    ] {
        // The headers differ: one names `--settings`.
        let text = |files: &[codegen::File]| {
            let file = files.iter().find(|f| f.path == Path::new(path)).unwrap();
            let body: Vec<&str> = file
                .contents
                .lines()
                .skip_while(|line| line.starts_with("// "))
                .collect();
            body.join("\n")
        };
        assert_eq!(text(&a), text(&b), "{path}");
    }
}

/// `x-rust-type` in the description replaces a schema as the settings' `replace` does.
#[test]
fn x_rust_type_replaces_a_schema() {
    let text = std::fs::read_to_string(PETS).unwrap().replace(
        "    Money:\n",
        "    Money:\n      x-rust-type: user_types::Money\n",
    );
    let config = Config::text("tests/fixtures/settings/pets.yaml", text).name("pets");
    let generated = codegen::generate(&config).unwrap();
    let models = &generated
        .files
        .iter()
        .find(|f| f.path == Path::new("src/models.rs"))
        .unwrap()
        .contents;
    assert!(!models.contains("pub struct Money"), "{models}");
    assert!(
        models.contains("pub price: Option<user_types::Money>"),
        "{models}"
    );
}

/// `[pagination]` declares the pages the recogniser leaves alone: a next page's URL in a
/// header the description does not document (added to the response), a cursor with a
/// page member nothing pairs it with, and a next link in a page of two lists.
#[test]
fn declared_pagination_shows_in_the_crate() {
    let (out, generated) = write_with(PAGES, PAGES_SETTINGS, "settings_pages");
    insta::assert_snapshot!(shown(&generated.files));
    assert_compiles_cleanly(&out, PAGES);
}

/// Each problem of a `[pagination]` table is an error naming the file and the key.
#[test]
fn bad_pagination_settings_name_the_file_and_key() {
    let cases: &[(&str, &str)] = &[
        (
            "unknown_operation",
            "[pagination.listrecords]\nnext-header = \"Next-Page\"\n",
        ),
        (
            "unknown_key",
            "[pagination.listFiles]\nnext = \"more.href\"\n",
        ),
        ("no_way", "[pagination.listFiles]\nitems = \"files\"\n"),
        (
            "two_ways",
            "[pagination.listFiles]\nnext-link = \"more.href\"\nnext-header = \"Next\"\n",
        ),
        (
            "cursor_alone",
            "[pagination.listEvents]\ncursor = \"from\"\n",
        ),
        (
            "missing_member",
            "[pagination.listFiles]\nitems = \"files\"\nnext-link = \"more.url\"\n",
        ),
        (
            "not_a_list",
            "[pagination.listRecords]\nitems = \"total\"\nnext-link = \"records\"\n",
        ),
        (
            "two_lists",
            "[pagination.listFiles]\nnext-link = \"more.href\"\n",
        ),
        (
            "no_such_parameter",
            "[pagination.listEvents]\ncursor = \"since\"\nnext-cursor = \"entries\"\n",
        ),
        (
            "header_not_text",
            "[pagination.listEvents]\nnext-header = \"X-Total\"\n",
        ),
        (
            "no_page",
            "[pagination.deleteRecord]\nnext-header = \"Next-Page\"\n",
        ),
    ];
    let mut report = String::new();
    for (name, text) in cases {
        let file = settings_file(&format!("pages_{name}.codegen.toml"), text);
        let shown = failure(Config::spec(PAGES).settings_file(&file));
        report.push_str(&format!("## {name}\n{shown}\n\n"));
    }
    insta::assert_snapshot!(report);
}

/// The problems of a run that must fail, rendered, and a check that it wrote nothing.
fn failure(config: Config) -> String {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("crate");
    let problems =
        codegen::generate(&config.out(&target).name("bad")).expect_err("the run should fail");
    assert!(!target.exists(), "a failed run wrote {}", target.display());
    problems.to_string()
}

/// Settings `text`, written to a file of the test's own beside the pet shop's
/// description, so that overlays and paths resolve as they would there.
fn settings_file(name: &str, text: &str) -> PathBuf {
    // Relative to `codegen/`, where tests run, so that messages hold no machine's path.
    let dir = Path::new("../target/settings-tests");
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn bad_settings_are_clear_errors_and_nothing_is_written() {
    let cases: &[(&str, &str)] = &[
        ("unknown_key", "[scalars]\ndatetime = \"time\"\n"),
        ("unknown_table", "[derive]\nall = [\"Eq\"]\n"),
        ("wrong_choice", "groups = \"tag\"\n"),
        (
            "bad_values",
            "[replace]\nMoney = \"not a type!\"\n[models]\nattributes = [\"non_exhaustive\"]\n[scalars.integers]\nint64 = \"usize\"\n",
        ),
        (
            "nothing_selected",
            "[replace]\nCash = \"user_types::Money\"\n[dependencies]\nuser-types = { path = \"../user-types\" }\n[rename]\noperations = { getPetByID = \"fetch\" }\ngroups = { animals = \"beasts\" }\n[skip]\nschemas = [\"#/components/schemas/Gone\"]\n",
        ),
        ("eq_on_numbers", "[models.schemas.Pet]\nderive = [\"Eq\", \"Hash\"]\n"),
        ("ord_without_eq", "[models.schemas.Money]\nderive = [\"Ord\"]\n"),
        ("serde_derived", "[models]\nderive = [\"serde::Serialize\"]\n"),
        (
            "json_schema_of_binary",
            "[models]\nderive = [\"schemars::JsonSchema\"]\n[scalars]\nunix-time = \"time\"\n",
        ),
        (
            "replaced_type_without_the_trait",
            "[replace]\nMoney = \"user_types::Money\"\n[models.schemas.Pet]\nderive = [\"PartialOrd\"]\n[dependencies]\nuser-types = { path = \"../user-types\" }\n",
        ),
        ("missing_overlay", "overlays = [\"nowhere.overlay.yaml\"]\n"),
        ("derive_not_in_scope", "[models]\nderive = [\"JsonSchema\"]\n"),
        (
            "crate_not_a_dependency",
            "[replace]\nMoney = \"money::Money\"\n[models]\nderive = [\"strum::Display\"]\n",
        ),
        (
            "serde_attribute",
            "[models]\nattributes = [\"#[serde(deny_unknown_fields)]\"]\n",
        ),
    ];
    let mut report = String::new();
    for (name, text) in cases {
        let file = settings_file(&format!("{name}.codegen.toml"), text);
        let shown = failure(Config::spec(PETS).settings_file(&file));
        report.push_str(&format!("## {name}\n{shown}\n\n"));
    }
    report.push_str("## missing_file\n");
    report.push_str(&failure(
        Config::spec(PETS).settings_file("tests/fixtures/settings/none.codegen.toml"),
    ));
    insta::assert_snapshot!(report);
}

#[test]
fn bad_overlays_are_clear_errors_and_nothing_is_written() {
    let cases: &[(&str, &str)] = &[
        (
            "selects_nothing",
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.paths['/v2/pets'].get\"\n    update: {summary: x}\n",
        ),
        (
            "malformed",
            "overlay: 2.0.0\nactions:\n  - target: \"$.paths[\"\n    update: {}\n  - target: $.info\n    replace: {}\n",
        ),
        (
            "wrong_update",
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info.title\n    update: {x: 1}\n",
        ),
        ("not_yaml", "overlay: [1.0.0\n"),
    ];
    let mut report = String::new();
    for (name, text) in cases {
        let overlay = settings_file(&format!("{name}.overlay.yaml"), text);
        let settings = settings_file(
            &format!("overlay_{name}.codegen.toml"),
            &format!(
                "overlays = [{:?}]\n",
                overlay.file_name().unwrap().to_str().unwrap()
            ),
        );
        let shown = failure(Config::spec(PETS).settings_file(&settings));
        report.push_str(&format!("## {name}\n{shown}\n\n"));
    }
    insta::assert_snapshot!(report);
}

/// A diagnostic about a node an overlay added names the action that added it.
#[test]
fn a_node_an_overlay_added_is_named_in_diagnostics() {
    let overlay = settings_file(
        "adds_a_bad_schema.overlay.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas\n    update:\n      Note:\n        type: text\n",
    );
    let settings = settings_file(
        "adds_a_bad_schema.codegen.toml",
        &format!(
            "overlays = [{:?}]\n",
            overlay.file_name().unwrap().to_str().unwrap()
        ),
    );
    let generated = codegen::generate(&Config::spec(PETS).settings_file(&settings)).unwrap();
    let warning = generated
        .warnings
        .iter()
        .find(|w| w.pointer.starts_with("#/components/schemas/Note"))
        .expect("a warning about the added schema");
    let hint = warning.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("added by action 0 (target `$.components.schemas`) of the overlay")
            && hint.contains("adds_a_bad_schema.overlay.yaml"),
        "{warning}"
    );
}

/// Settings apply to one standalone crate; the workspace's crate of many descriptions
/// refuses them rather than applying them to every description.
#[test]
fn the_workspace_crate_takes_no_settings() {
    let mut settings = Settings::default();
    settings
        .replace
        .insert("Money".into(), Replacement::Path("m::Money".into()));
    settings
        .models
        .schemas
        .insert("Pet".into(), SchemaModel::default());
    let problems = codegen::generate(&Config::workspace(workspace()).check().settings(settings))
        .unwrap_err()
        .to_string();
    assert!(
        problems.contains("apply to a standalone crate"),
        "{problems}"
    );
}

/// `groups = "off"`: no groups, so no features but the client's, and every operation
/// always compiled.
#[test]
fn groups_off_makes_no_features() {
    let mut settings = Settings::default();
    settings.groups = codegen::settings::Grouping::Off;
    let generated = codegen::generate(&Config::spec(PETS).name("pets").settings(settings))
        .unwrap_or_else(|problems| panic!("{problems}"));
    assert!(generated.models[0].groups.is_empty());
    // One trait gives the client a method per operation.
    let client = generated
        .files
        .iter()
        .find(|file| file.path.ends_with("src/client.rs"))
        .expect("a client module");
    assert!(client.contents.contains("pub trait Operations: Caller"));
    assert!(client.contents.contains("fn get_pet_by_id<'a>"));
    let own = generated
        .files
        .iter()
        .filter(|file| !file.path.starts_with("src/runtime"));
    for file in own {
        // The client and the server side's features are not groups: they stay.
        let contents = file
            .contents
            .replace("feature = \"client\"", "")
            .replace("feature = \"server\"", "")
            .replace("feature = \"mock\"", "");
        assert!(
            !contents.contains("feature = \"") && !contents.contains("full = ["),
            "{} has features:\n{}",
            file.path.display(),
            file.contents
        );
    }
}

/// Settings built in code are checked as a file is, and their errors say where they are.
#[test]
fn settings_built_in_code_are_checked_too() {
    let mut settings = Settings::default();
    settings
        .replace
        .insert("Money".into(), Replacement::Path("not a type!".into()));
    settings.models.derive = vec!["Copy".into()];
    let shown = failure(Config::spec(PETS).settings(settings.clone()));
    assert_eq!(
        shown,
        "error: (settings built in code) at replace.Money: `not a type!` is not a Rust type path"
    );
    settings.replace.clear();
    let shown = failure(Config::spec(PETS).settings(settings));
    assert!(
        shown.contains(
            "error: (settings built in code) at models.derive: `Copy` cannot be derived for `Pet`"
        ),
        "{shown}"
    );
}

/// The `scalars` wrappers describe their wire form to `schemars`, so `time` date-times
/// and unix times go with `schemars::JsonSchema`; `time::Date`, which has no JSON Schema,
/// is refused with a way out.
#[test]
fn time_wrappers_have_json_schemas() {
    let settings = settings_file(
        "times_schemars.codegen.toml",
        "[scalars]\ndate-time = \"time\"\nunix-time = \"time\"\ndate = \"jiff\"\n\n[models]\nderive = [\"schemars::JsonSchema\"]\n",
    );
    let (out, generated) = write_with(TIMES, settings.to_str().unwrap(), "settings_times_schemars");
    let scalars = &generated
        .files
        .iter()
        .find(|f| f.path == Path::new("src/scalars.rs"))
        .unwrap()
        .contents;
    assert!(
        scalars.contains("impl schemars::JsonSchema for UnixTime"),
        "{scalars}"
    );
    assert_compiles_cleanly(&out, TIMES);

    let refused = settings_file(
        "times_date_schemars.codegen.toml",
        "[scalars]\ndate = \"time\"\n\n[models]\nderive = [\"schemars::JsonSchema\"]\n",
    );
    let shown = failure(Config::spec(TIMES).settings_file(&refused));
    assert!(
        shown.contains(
            "its field `day` is `time::Date`, which does not implement `schemars::JsonSchema`"
        ) && shown.contains("map `date` to `jiff`, `chrono` or `string`"),
        "{shown}"
    );
}
