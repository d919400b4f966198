//! `--tags` and `--operations`: the filter keeps the operations asked for and exactly the
//! types they reach, under the names and in the order the whole description gives them.
//! Each model here is the one `codegen::generate` returns with the crate it wrote.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::model::{Api, Operation, Ty, TypeKind};
use codegen::{Config, Filter};

/// The model of the whole description at `spec`.
fn api(spec: impl Into<PathBuf>) -> Api {
    model(&Config::spec(spec))
}

fn model(config: &Config) -> Api {
    let generated =
        codegen::generate(config).unwrap_or_else(|problems| panic!("{config:?}:\n{problems}"));
    assert_eq!(generated.models.len(), 1);
    generated.models.into_iter().next().unwrap()
}

fn select(tags: &[&str], operations: &[&str]) -> Filter {
    Filter {
        tags: tags.iter().map(|s| s.to_string()).collect(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    }
}

/// The model of the description at `spec`, filtered `by`.
fn filtered(spec: impl Into<PathBuf>, by: &Filter) -> Api {
    model(&Config::spec(spec).filter(by.clone()))
}

fn type_names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|def| def.name.as_str()).collect()
}

fn operation_ids(api: &Api) -> Vec<&str> {
    api.operations.iter().map(|op| op.id.as_str()).collect()
}

/// Names of the named types in `types`, each checked to be in range.
fn names_in<'a>(api: &'a Api, types: Vec<&Ty>) -> BTreeSet<&'a str> {
    let mut ids = Vec::new();
    for ty in types {
        ty.named(&mut ids);
    }
    ids.into_iter()
        .map(|id| {
            let def = api
                .types
                .get(id.0)
                .unwrap_or_else(|| panic!("{id:?} is out of range"));
            def.name.as_str()
        })
        .collect()
}

/// Names of the types an operation refers to directly.
fn operation_names<'a>(api: &'a Api, op: &Operation) -> BTreeSet<&'a str> {
    names_in(api, op.types())
}

/// Names of the types a type refers to directly.
fn type_names_in<'a>(api: &'a Api, kind: &TypeKind) -> BTreeSet<&'a str> {
    names_in(api, kind.types())
}

/// What every filtered model must be: references in range and pointing at the same names
/// as before filtering, every kept type referred to by something kept, types in their
/// original order.
fn assert_consistent(whole: &Api, part: &Api) {
    let mut referred = BTreeSet::new();
    for op in &part.operations {
        let before = whole.operations.iter().find(|o| o.id == op.id).unwrap();
        let names = operation_names(part, op);
        assert_eq!(names, operation_names(whole, before), "{}", op.id);
        referred.extend(names);
    }
    for def in &part.types {
        let before = whole.types.iter().find(|d| d.name == def.name).unwrap();
        let names = type_names_in(part, &def.kind);
        assert_eq!(names, type_names_in(whole, &before.kind), "{}", def.name);
        referred.extend(names.into_iter().filter(|name| *name != def.name));
    }
    let kept: BTreeSet<&str> = type_names(part).into_iter().collect();
    assert_eq!(kept, referred, "kept types are exactly those referred to");
    let order: Vec<&str> = type_names(whole)
        .into_iter()
        .filter(|name| kept.contains(name))
        .collect();
    assert_eq!(type_names(part), order, "types keep their order");
    let order: Vec<&str> = operation_ids(whole)
        .into_iter()
        .filter(|id| operation_ids(part).contains(id))
        .collect();
    assert_eq!(operation_ids(part), order, "operations keep their order");
}

#[test]
fn create_user_keeps_what_it_reaches() {
    let spec = "../specs/camunda-users.yaml";
    let part = filtered(spec, &select(&[], &["createUser"]));
    assert_eq!(operation_ids(&part), ["createUser"]);
    let names = type_names(&part);
    for kept in [
        "ProblemDetail",
        "UserRequest",
        "UserCreateResult",
        "CreateUserAccepted",
    ] {
        assert!(names.contains(&kept), "{kept} is kept: {names:?}");
    }
    for dropped in ["UserSearchResult", "UserUpdateRequest", "UserFilter"] {
        assert!(!names.contains(&dropped), "{dropped} is dropped: {names:?}");
    }
    assert_consistent(&api(spec), &part);
}

#[test]
fn reaches_through_lists_and_one_of_variants() {
    let spec = "tests/fixtures/models.yaml";
    let part = filtered(spec, &select(&[], &["listShapes"]));
    let mut names = type_names(&part);
    names.sort_unstable();
    assert_eq!(names, ["Circle", "Shape", "Square"]);
    assert_consistent(&api(spec), &part);
}

#[test]
fn reaches_through_fields_maps_and_aliases() {
    let spec = "tests/fixtures/models.yaml";
    let whole = api(spec);
    let part = filtered(spec, &select(&[], &["getEverything"]));
    assert!(part.types.len() > 5, "{:?}", type_names(&part));
    assert_consistent(&whole, &part);
}

#[test]
fn tags_and_operations_are_a_union() {
    let spec = "../specs/camunda-users.yaml";
    let whole = api(spec);
    let both = filtered(spec, &select(&[], &["searchUsers", "getUser"]));
    assert_eq!(operation_ids(&both), ["getUser", "searchUsers"]);
    assert_consistent(&whole, &both);

    let path = support::real_spec("camunda-orchestration-cluster.json");
    let whole = api(&path);
    let users = filtered(&path, &select(&["User"], &[]));
    let union = select(&["User"], &["getAgentDefinition", "createUser"]);
    let part = filtered(&path, &union);
    assert_eq!(part.operations.len(), users.operations.len() + 1);
    assert!(operation_ids(&part).contains(&"getAgentDefinition"));
    assert_consistent(&whole, &part);
}

#[test]
fn every_operation_drops_only_unreached_schemas() {
    // `SearchQueryRequest` is only a base of `allOf`s, merged into the schemas using it:
    // no operation refers to its type.
    let spec = "../specs/camunda-users.yaml";
    let whole = api(spec);
    let by_tag = filtered(spec, &select(&["User"], &[]));
    assert_eq!(operation_ids(&by_tag), operation_ids(&whole));
    let dropped: Vec<&str> = type_names(&whole)
        .into_iter()
        .filter(|name| !type_names(&by_tag).contains(name))
        .collect();
    assert_eq!(dropped, ["SearchQuerySortRequest", "SearchQueryRequest"]);
    assert_consistent(&whole, &by_tag);
}

#[test]
fn every_operation_asked_keeps_everything() {
    // Every type of this description is reached from an operation.
    let spec = "../specs/elastic-users.json";
    let whole = api(spec);
    let every = Filter {
        tags: Vec::new(),
        operations: whole.operations.iter().map(|op| op.id.clone()).collect(),
    };
    assert_eq!(filtered(spec, &every), whole);
}

#[test]
fn real_descriptions_filter_by_tag() {
    for (name, tag) in [
        ("camunda-orchestration-cluster.json", "User"),
        ("camunda-orchestration-cluster-8.8.yaml", "User"),
        ("elastic-cloud-enterprise.json", "Users"),
    ] {
        let path = support::real_spec(name);
        let whole = api(&path);
        let part = filtered(&path, &select(&[tag], &[]));
        assert!(!part.operations.is_empty(), "{name}");
        assert!(part
            .operations
            .iter()
            .all(|op| op.tags.iter().any(|t| t == tag)));
        assert!(part.types.len() < whole.types.len() / 2, "{name}");
        assert_consistent(&whole, &part);
    }
}

/// `specs/camunda-users.yaml`, named so in diagnostics and headers as `cargo xtask`
/// names it, run from the project's root.
fn camunda_users() -> Config {
    let text = std::fs::read_to_string("../specs/camunda-users.yaml").unwrap();
    Config::text("specs/camunda-users.yaml", text)
}

#[test]
fn unknown_tags_and_operations_are_named() {
    let config = camunda_users().filter(select(
        &["Users", "Nope"],
        &["createUser", "createuser", "frobnicate"],
    ));
    let problems = codegen::generate(&config).unwrap_err();
    for problem in &problems {
        assert_eq!(problem.kind, codegen::DiagnosticKind::Option, "{problem}");
        assert_eq!(
            problem.file.as_deref(),
            Some(Path::new("specs/camunda-users.yaml"))
        );
    }
    insta::assert_snapshot!(problems.to_string());
}

/// The filtered crate of `createUser`, whose headers name the command with its filter.
#[test]
fn filtered_crate() {
    let config = camunda_users()
        .name("camunda-users")
        .filter(select(&[], &["createUser"]));
    let files = codegen::generate(&config).unwrap().files;
    let sources: String = files
        .iter()
        .filter(|file| file.path.starts_with("src") && !file.path.starts_with("src/runtime"))
        .map(|file| format!("// ===== {} =====\n{}", file.path.display(), file.contents))
        .collect();
    assert!(sources.contains("--name camunda-users --operations createUser`"));
    insta::assert_snapshot!(sources);
}
