//! Names that belong to their type. An inline type is named after where it is first
//! met, which is an operation's request or response more often than not
//! (`DeleteAccountsOk`); when other operations use the same type (an identical inline
//! schema merged into it, an alias of it, a `$ref` to it), that name misleads them:
//! `GetRecords` would answer a `DeleteAccountsOk`. Likewise a name that only happens to
//! start with an operation's name (a title copied from another operation, the words
//! several names end with). Once every operation is lowered, a type whose name starts
//! with an operation's name that some other operation uses is named again:
//!
//! - used by one operation alone, after that one (`{Operation}{Item}`);
//! - else from what it is: its schema's `title`; the name of the reusable response,
//!   parameter or body it is; the words every name it was given ends with
//!   (`SortDirection`), or, failing that, the words they all have (`LiveStreamOk` for
//!   `ResetLiveStreamOk` and `StartLiveStreamOk`); where it sits in the item
//!   (`StatusCallbackMethod`), or the item when that names a thing (a parameter's name,
//!   an error status such as `Unauthorized`); the resource the paths of the operations
//!   that use it share, with what it is to them (`CertificateRequest` for a body that
//!   `/cripc/certificate` and `/hlipc/certificate` take); failing all, what it is to them
//!   (`OkBody`).
//!
//! The first of those that is free and starts with no operation's name is taken, else
//! the first made distinct by a number. A type named after the schema or component it is
//! in keeps its name: that is the description's own.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::responses::status_text;
use crate::load::Document;
use crate::markdown::code;
use crate::model::{Operation, Role, Ty, TypeDef, TypeId, TypeKind};
use crate::naming::{
    camel_words, common_name, common_words, names_a_thing, title_name, type_name, Namespace, Origin,
};

/// Names again the inline types of `types` whose names start with an operation's name
/// that other operations use.
pub(super) fn rename(
    doc: &Document,
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    webhooks: &[Operation],
    names: &mut Namespace,
    origins: &BTreeMap<TypeId, Origin>,
    places: &BTreeMap<TypeId, Vec<Origin>>,
) {
    let markers: BTreeSet<String> = operations
        .iter()
        .map(|op| op.names.marker.clone())
        .collect();
    // The types called after an operation, and which.
    let called_after: BTreeMap<TypeId, String> = origins
        .iter()
        .filter(|(id, _)| matches!(types[id.0].role, Role::Inline(_)))
        .filter_map(|(id, origin)| {
            let name = &types[id.0].name;
            // Named after its own schema or component: the description's name.
            if origin.operation.is_none() && starts_with_words(name, &origin.root) {
                return None;
            }
            Some((*id, marker_prefix(name, &markers)?.to_owned()))
        })
        .collect();
    if called_after.is_empty() {
        return;
    }
    // Each operation's name and path, by index: operations, then webhooks.
    let all: Vec<(String, String)> = operations
        .iter()
        .chain(webhooks)
        .map(|op| (op.names.marker.clone(), op.path.clone()))
        .collect();
    let users = {
        let both: Vec<&Operation> = operations.iter().chain(webhooks).collect();
        users(types, &both, &called_after)
    };
    let mut renamed = false;
    for (id, marker) in called_after {
        let used_by = &users[&id];
        if used_by.iter().all(|&op| all[op].0 == marker) {
            continue;
        }
        let origin = &origins[&id];
        let only_user = match used_by.as_slice() {
            [one] => Some(all[*one].0.clone()),
            _ => None,
        };
        let used_paths: Vec<&str> = used_by.iter().map(|&op| all[op].1.as_str()).collect();
        let others = places.get(&id).map_or(&[][..], Vec::as_slice);
        let candidates = candidates(
            doc,
            &types[id.0],
            origin,
            others,
            &used_paths,
            only_user,
            &markers,
        );
        let Some(best) = candidates.first().cloned() else {
            continue;
        };
        let old = std::mem::take(&mut types[id.0].name);
        names.release(&old);
        let chosen = candidates
            .into_iter()
            .find(|c| names.is_free(&c.name))
            .unwrap_or(best);
        types[id.0].name = names.claim(chosen.name);
        renamed = true;
        // A name that says only what the type is to its operations reads worse than each
        // operation's own: they get an alias each.
        if chosen.weak {
            let users: Vec<usize> = used_by
                .iter()
                .copied()
                .filter(|&op| op < operations.len())
                .collect();
            for op in users {
                alias_in(&mut operations[op], id, types, names);
            }
        }
    }
    if renamed {
        reclaim(types, names, origins);
    }
}

/// Gives back their names to the types that were made distinct by a number because a
/// type since renamed had taken it first (`CreateBucketRequest2` when a response titled
/// `CreateBucketRequest` came before the body of `createBucket`).
fn reclaim(types: &mut [TypeDef], names: &mut Namespace, origins: &BTreeMap<TypeId, Origin>) {
    for (id, origin) in origins {
        let wanted = origin.name();
        let name = &types[id.0].name;
        let numbered = name
            .strip_prefix(wanted.as_str())
            .map(|rest| rest.trim_start_matches('_'))
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
        if numbered && names.is_free(&wanted) {
            let old = std::mem::take(&mut types[id.0].name);
            names.release(&old);
            types[id.0].name = names.claim(wanted);
        }
    }
}

/// A name for a type, and what it may be.
#[derive(Debug, Clone)]
struct Candidate {
    name: String,
    /// It may start with an operation's name: that of the one operation that uses the
    /// type, or a component's own.
    own: bool,
    /// It says only what the type is to the operations (`OkBody`).
    weak: bool,
}

/// Gives operation `op` an alias of its own (`{Op}{Item}`) for the type `id` wherever its
/// parameters, body or responses hold it directly.
fn alias_in(op: &mut Operation, id: TypeId, types: &mut Vec<TypeDef>, names: &mut Namespace) {
    let marker = op.names.marker.clone();
    let mut made: BTreeMap<String, TypeId> = BTreeMap::new();
    let mut alias = |item: String, place: String, ty: &mut Ty| {
        if !holds(ty, id) {
            return;
        }
        let alias = *made.entry(item.clone()).or_insert_with(|| {
            let alias = TypeId(types.len());
            types.push(TypeDef {
                name: names.claim(type_name(&format!("{marker}{item}"), "Type")),
                doc: None,
                pointer: types[id.0].pointer.clone(),
                role: Role::Inline(place),
                deprecated: false,
                kind: TypeKind::Alias(Ty::Named(id)),
            });
            alias
        });
        replace(ty, id, alias);
    };
    let shown = code(&op.id);
    for param in &mut op.params {
        let place = format!("the {} parameter of {shown}", code(&param.wire));
        alias(type_name(&param.wire, "Param"), place, &mut param.ty);
    }
    for content in op.body.iter_mut().flat_map(|body| &mut body.contents) {
        if let Some(ty) = content.payload.ty_mut() {
            alias(
                "Request".to_owned(),
                format!("the request body of {shown}"),
                ty,
            );
        }
    }
    for response in &mut op.responses {
        let place = format!(
            "the {} response of {shown}",
            code(&status_text(response.status))
        );
        for content in &mut response.contents {
            if let Some(ty) = content.payload.ty_mut() {
                alias(response.variant.clone(), place.clone(), ty);
            }
        }
    }
}

/// Whether `ty` is the type `id`, or a list, map or option of it.
fn holds(ty: &Ty, id: TypeId) -> bool {
    let mut named = Vec::new();
    ty.named(&mut named);
    named == [id]
}

/// `ty` with the type `from` made `to`.
fn replace(ty: &mut Ty, from: TypeId, to: TypeId) {
    match ty {
        Ty::Named(id) if *id == from => *id = to,
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => replace(inner, from, to),
        _ => {}
    }
}

/// The names to give a type, best first.
fn candidates(
    doc: &Document,
    def: &TypeDef,
    origin: &Origin,
    others: &[Origin],
    paths: &[&str],
    only_user: Option<String>,
    markers: &BTreeSet<String>,
) -> Vec<Candidate> {
    let role = &origin.role;
    let inner = &origin.inner;
    let candidate = |name: String, own: bool| Candidate {
        name,
        own,
        weak: false,
    };
    if let (Some(user), Some(operation)) = (&only_user, &origin.operation) {
        if user == operation {
            let name = type_name(&format!("{operation}{role}{inner}"), "Type");
            return vec![candidate(name, true)];
        }
    }
    // The names each place gives, titles aside: a title that starts with an operation's
    // name is how the type came to be called after it.
    let given: Vec<String> = std::iter::once(origin)
        .chain(others)
        .map(Origin::name)
        .collect();
    let given: Vec<&str> = given.iter().map(String::as_str).collect();
    // What one name alone has in common is the operation it was called after.
    let several = given.len() > 1;
    let title = doc
        .get(&def.pointer)
        .and_then(|node| node.get("title"))
        .and_then(Value::as_str)
        .and_then(title_name);
    let mut names: Vec<(Option<String>, bool)> = vec![(title, false)];
    let component = origin.operation.is_none();
    if component && inner.is_empty() {
        names.push((Some(origin.root.clone()), true));
    }
    // A place that is no operation's (a component merged into the type) names it.
    for name in &given {
        if marker_prefix(name, markers).is_none() {
            names.push((Some((*name).to_owned()), false));
        }
    }
    // A parameter's name, or an error status, says what the item is.
    let role_says = !component && inner.is_empty() && !SUCCESSES.contains(&role.as_str());
    names.extend([
        (several.then(|| common_name(&given)).flatten(), false),
        (role_says.then(|| role.clone()), false),
        (says_what(inner).then(|| inner.clone()), false),
        (several.then(|| common_words(&given)).flatten(), false),
    ]);
    if component {
        names.push((
            Some(type_name(&format!("{}{inner}", origin.root), "Type")),
            true,
        ));
    } else {
        let resource = resource(paths).map(|resource| format!("{resource}{role}{inner}"));
        names.push((resource, false));
    }
    let mut candidates: Vec<Candidate> = names
        .into_iter()
        .filter_map(|(name, own)| Some(candidate(name?, own)))
        .filter(|c| names_a_thing(&c.name) && (c.own || marker_prefix(&c.name, markers).is_none()))
        .collect();
    if candidates.is_empty() {
        candidates.push(Candidate {
            name: format!("{role}{inner}Body"),
            own: false,
            weak: true,
        });
    }
    candidates
}

/// The longest operation name `name` starts with, as whole words.
fn marker_prefix<'a>(name: &str, markers: &'a BTreeSet<String>) -> Option<&'a str> {
    (1..=name.len())
        .rev()
        .filter(|&at| name.is_char_boundary(at) && starts_with_words(name, &name[..at]))
        .find_map(|at| markers.get(&name[..at]).map(String::as_str))
}

/// Words that say where a value sits in a body, not what it is: a type's place named by
/// them alone (`DataItem`) is no name for it.
const CONTAINERS: &[&str] = &[
    "Body", "Content", "Data", "Item", "Items", "Payload", "Response", "Result", "Results",
    "Value", "Values",
];

/// Whether an UpperCamelCase place (`StatusCallbackMethod`, `DataItem`) says what is
/// there: it has a word that is no container.
fn says_what(place: &str) -> bool {
    camel_words(place)
        .iter()
        .any(|word| !CONTAINERS.contains(word) && !SUCCESSES.contains(word))
}

/// The variants of successful statuses: what a body is to an operation, not what it is
/// (an error status, `Unauthorized`, does say what its body is).
const SUCCESSES: &[&str] = &[
    "Ok",
    "Created",
    "Accepted",
    "NonAuthoritativeInformation",
    "NoContent",
    "ResetContent",
    "PartialContent",
    "MultiStatus",
    "AlreadyReported",
    "ImUsed",
    "Success",
    "Default",
];

/// Whether `name` starts with the words of `prefix` (`DeleteAccountsOk` with
/// `DeleteAccounts`, not `DeleteAccountsV2` with `DeleteAccount`).
fn starts_with_words(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| {
        rest.is_empty()
            || rest.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
            || prefix.ends_with(|c: char| c.is_ascii_digit())
    })
}

/// For each of the `wanted` types, the operations (indexes into `all`) whose parameters,
/// body, responses or the types those hold reach it.
fn users(
    types: &[TypeDef],
    all: &[&Operation],
    wanted: &BTreeMap<TypeId, String>,
) -> BTreeMap<TypeId, Vec<usize>> {
    // The types each type holds, once, rather than a list made at every visit.
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let mut held = Vec::new();
            for ty in def.kind.types() {
                ty.named(&mut held);
            }
            held.into_iter().map(|id| id.0).collect()
        })
        .collect();
    let mut users: BTreeMap<TypeId, Vec<usize>> =
        wanted.keys().map(|id| (*id, Vec::new())).collect();
    // Which operation last reached each type: no set to clear between operations.
    let mut seen = vec![usize::MAX; types.len()];
    let mut pending = Vec::new();
    for (index, op) in all.iter().enumerate() {
        let mut roots = Vec::new();
        for ty in op.types() {
            ty.named(&mut roots);
        }
        pending.extend(roots.into_iter().map(|id| id.0));
        while let Some(at) = pending.pop() {
            if std::mem::replace(&mut seen[at], index) == index {
                continue;
            }
            if let Some(list) = users.get_mut(&TypeId(at)) {
                list.push(index);
            }
            pending.extend(&edges[at]);
        }
    }
    users
}

/// The resource the `paths` have in common: the segments each of them has that are not
/// a parameter, a version or `api`, in the order of the first, as a type name.
fn resource(paths: &[&str]) -> Option<String> {
    let segments = |path: &'_ str| -> Vec<String> {
        path.split('/')
            .filter(|s| !s.is_empty() && !s.starts_with('{') && *s != "api")
            .filter(|s| {
                let rest = s.strip_prefix('v').unwrap_or("");
                !rest.starts_with(|c: char| c.is_ascii_digit())
            })
            .map(|s| type_name(s, "Resource"))
            .collect()
    };
    let (first, rest) = paths.split_first()?;
    let others: Vec<Vec<String>> = rest.iter().map(|path| segments(path)).collect();
    let common: String = segments(first)
        .into_iter()
        .filter(|segment| others.iter().all(|other| other.contains(segment)))
        .collect();
    (!common.is_empty()).then_some(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_whole_words() {
        assert!(starts_with_words("DeleteAccountsOk", "DeleteAccounts"));
        assert!(starts_with_words("DeleteAccounts", "DeleteAccounts"));
        assert!(!starts_with_words("DeleteAccountsOk", "DeleteAccount"));
        // `XAmzTarget` after `V2` is cased `V2xAmzTarget`.
        assert!(starts_with_words(
            "DescribeJobV2xAmzTarget",
            "DescribeJobV2"
        ));
        let markers: BTreeSet<String> =
            ["GetSite", "GetSiteSle", "Alarms"].map(String::from).into();
        assert_eq!(marker_prefix("GetSiteScope", &markers), Some("GetSite"));
        assert_eq!(
            marker_prefix("GetSiteSleScope", &markers),
            Some("GetSiteSle")
        );
        assert_eq!(marker_prefix("GetSitesScope", &markers), None);
    }

    #[test]
    fn the_resource_is_what_the_paths_share() {
        assert_eq!(
            resource(&["/cripc/certificate", "/hlipc/certificate"]).as_deref(),
            Some("Certificate")
        );
        assert_eq!(
            resource(&["/v1/live_streams/{id}/reset", "/v1/live_streams/{id}/start"]).as_deref(),
            Some("LiveStreams")
        );
        assert_eq!(resource(&["/a", "/b"]), None);
    }
}
