//! `--tags` and `--operations`: the filter keeps the operations asked for and exactly the
//! types they reach, under the names and in the order the whole description gives them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::filter::{filter, Filter};
use codegen::model::{Api, HeaderTy, Operation, Payload, Ty, TypeKind};

fn api(spec: &str) -> Api {
    codegen::api(Path::new(spec)).unwrap_or_else(|error| panic!("{spec}:\n{error}"))
}

fn shared_spec(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: these tests need ../shared/specs/ beside the project",
        path.display()
    );
    path
}

fn select(tags: &[&str], operations: &[&str]) -> Filter {
    Filter {
        tags: tags.iter().map(|s| s.to_string()).collect(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    }
}

fn filtered(spec: &str, by: &Filter) -> Api {
    filter(api(spec), by, Path::new(spec)).unwrap_or_else(|error| panic!("{spec}:\n{error}"))
}

fn type_names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|def| def.name.as_str()).collect()
}

fn operation_ids(api: &Api) -> Vec<&str> {
    api.operations.iter().map(|op| op.id.as_str()).collect()
}

/// Names of the named types in `ty`.
fn names_in<'a>(api: &'a Api, ty: &Ty, into: &mut BTreeSet<&'a str>) {
    match ty {
        Ty::Named(id) => {
            let def = api
                .types
                .get(id.0)
                .unwrap_or_else(|| panic!("{id:?} is out of range"));
            into.insert(&def.name);
        }
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => names_in(api, inner, into),
        _ => {}
    }
}

fn payload_names<'a>(api: &'a Api, payload: &Payload, into: &mut BTreeSet<&'a str>) {
    if let Payload::Json(ty) | Payload::Form(ty) = payload {
        names_in(api, ty, into);
    }
}

/// Names of the types an operation refers to directly.
fn operation_names<'a>(api: &'a Api, op: &Operation) -> BTreeSet<&'a str> {
    let mut names = BTreeSet::new();
    for param in &op.params {
        names_in(api, &param.ty, &mut names);
    }
    if let Some(body) = &op.body {
        payload_names(api, &body.payload, &mut names);
    }
    for response in &op.responses {
        payload_names(api, &response.payload, &mut names);
        for header in &response.headers {
            if let HeaderTy::Scalar(ty) = &header.ty {
                names_in(api, ty, &mut names);
            }
        }
    }
    names
}

/// Names of the types a type refers to directly.
fn type_names_in<'a>(api: &'a Api, kind: &TypeKind) -> BTreeSet<&'a str> {
    let mut names = BTreeSet::new();
    match kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                names_in(api, &field.ty, &mut names);
            }
            if let Some(values) = &s.additional {
                names_in(api, values, &mut names);
            }
        }
        TypeKind::OneOf(o) => {
            for variant in &o.variants {
                names_in(api, &variant.ty, &mut names);
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => names_in(api, ty, &mut names),
        _ => {}
    }
    names
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

    let path = shared_spec("camunda-orchestration-cluster.json");
    let whole = codegen::api(&path).unwrap();
    let users = filter(whole.clone(), &select(&["User"], &[]), &path).unwrap();
    let union = select(&["User"], &["getAgentDefinition", "createUser"]);
    let part = filter(whole.clone(), &union, &path).unwrap();
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
fn nothing_asked_keeps_everything() {
    let spec = "../specs/elastic-users.json";
    assert_eq!(filtered(spec, &Filter::default()), api(spec));
}

#[test]
fn real_descriptions_filter_by_tag() {
    for (name, tag) in [
        ("camunda-orchestration-cluster.json", "User"),
        ("camunda-orchestration-cluster-8.8.yaml", "User"),
        ("elastic-cloud-enterprise.json", "Users"),
    ] {
        let path = shared_spec(name);
        let whole = codegen::api(&path).unwrap();
        let part = filter(whole.clone(), &select(&[tag], &[]), &path).unwrap();
        assert!(!part.operations.is_empty(), "{name}");
        assert!(part
            .operations
            .iter()
            .all(|op| op.tags.iter().any(|t| t == tag)));
        assert!(part.types.len() < whole.types.len() / 2, "{name}");
        assert_consistent(&whole, &part);
    }
}

#[test]
fn unknown_tags_and_operations_are_named() {
    let spec = "../specs/camunda-users.yaml";
    let error = filter(
        api(spec),
        &select(
            &["Users", "Nope"],
            &["createUser", "createuser", "frobnicate"],
        ),
        Path::new("specs/camunda-users.yaml"),
    )
    .unwrap_err();
    insta::assert_snapshot!(error.to_string());
}

/// The filtered crate of `createUser`, whose headers name the command with its filter.
#[test]
fn filtered_crate() {
    let (files, _) = codegen::standalone_crate_timed(
        Path::new("../specs/camunda-users.yaml"),
        "specs/camunda-users.yaml",
        "camunda-users",
        &select(&[], &["createUser"]),
        codegen::Reach::Directory,
    )
    .unwrap();
    let sources: String = files
        .iter()
        .filter(|file| file.path.starts_with("src") && !file.path.ends_with("runtime.rs"))
        .map(|file| format!("// ===== {} =====\n{}", file.path.display(), file.contents))
        .collect();
    assert!(sources.contains("--name camunda-users --operations createUser`"));
    insta::assert_snapshot!(sources);
}
