//! Groups: the operations that go together, each a cargo feature of a standalone crate
//! that compiles them and the types they reach. By first tag (or path segment), by path
//! segment alone, or none, as the settings say; each group named by its feature.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::markdown::code;
use crate::model::{Group, Operation};
use crate::naming::{feature_name, type_name, Namespace, ALL_OPERATIONS};
use crate::settings::{toml_key, Grouping, Settings};

/// Puts each operation in a group: by default its first tag, or, for an operation
/// without tags, the first segment of its path that is not a version (`customers` of
/// `/v1/customers/{id}`), as Stripe's description has no tags; the settings may group by
/// path alone, or not at all, and rename groups. Each group gets a feature name.
pub(super) fn group(
    operations: &mut [Operation],
    webhooks: &mut [Operation],
    settings: &Settings,
    settings_file: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<Group> {
    let mut features = Namespace::with(&["default", "full", "client", "blocking"]);
    let mut groups: Vec<(String, Group)> = Vec::new();
    // The `client` module's traits, and what it re-exports.
    let mut traits = Namespace::with(&[ALL_OPERATIONS, "Client", "Caller"]);
    // The path prefixes of each group by path, which its doc names.
    let mut prefixes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let renames = &settings.rename.groups;
    let mut renamed = BTreeSet::new();
    for op in operations.iter_mut().chain(webhooks) {
        let tag = match settings.groups {
            Grouping::Tags => op.tags.first(),
            Grouping::Paths | Grouping::Off => None,
        };
        // The operations under no resource segment have the empty key, which no tag or
        // segment is.
        let key = match (settings.groups, tag) {
            (Grouping::Off, _) => "all".to_owned(),
            (_, Some(tag)) => tag.clone(),
            (_, None) => first_segment(&op.path).unwrap_or_default().to_owned(),
        };
        let by_path = settings.groups != Grouping::Off && tag.is_none();
        if by_path {
            prefixes
                .entry(key.clone())
                .or_default()
                .insert(prefix(&op.path).to_owned());
        }
        op.group = match groups.iter().find(|(k, _)| *k == key) {
            Some((_, group)) => group.feature.clone(),
            None => {
                let natural = if key.is_empty() {
                    ROOT.to_owned()
                } else {
                    feature_name(&key)
                };
                let wanted = match renames.get(&key).or_else(|| renames.get(&natural)) {
                    Some(new) => {
                        renamed.insert(if renames.contains_key(&key) {
                            key.clone()
                        } else {
                            natural
                        });
                        feature_name(new)
                    }
                    None => natural,
                };
                let feature = features.claim(wanted);
                // A path group's doc names its paths once all are known.
                let doc = match (settings.groups, tag) {
                    (Grouping::Off, _) => "Every operation.".to_owned(),
                    (_, Some(tag)) => format!("The operations tagged `{tag}`."),
                    (_, None) => String::new(),
                };
                let operations_trait =
                    traits.claim(format!("{}Operations", type_name(&feature, "Group")));
                groups.push((
                    key,
                    Group {
                        feature: feature.clone(),
                        doc,
                        operations_trait,
                    },
                ));
                feature
            }
        };
    }
    for key in renames.keys().filter(|key| !renamed.contains(*key)) {
        let known: Vec<&str> = groups.iter().map(|(key, _)| key.as_str()).collect();
        diagnostics.push(Diagnostic::error(
            DiagnosticKind::Settings,
            settings_file,
            &format!("rename.groups.{}", toml_key(key)),
            format!(
                "no group is called `{key}`; the groups are: {}",
                known.join(", ")
            ),
        ));
    }
    // One group is no choice: no features.
    if settings.groups == Grouping::Off {
        return Vec::new();
    }
    for (key, group) in &mut groups {
        if let Some(prefixes) = prefixes.get(key.as_str()) {
            group.doc = path_doc(key, prefixes);
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// The feature of the operations whose paths have no resource segment (`/`, `/{id}`,
/// `/v1`): a name that says where they are.
const ROOT: &str = "root";

/// The doc of the group of the path segment `key` (empty for the root): the prefixes its
/// operations' paths start with, as they are written, and its webhooks (whose keys stand
/// for paths).
fn path_doc(key: &str, prefixes: &BTreeSet<String>) -> String {
    let list = |items: Vec<&String>| {
        let shown: Vec<String> = items.iter().map(|item| code(item)).collect();
        match shown.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    };
    let (paths, webhooks): (Vec<&String>, Vec<&String>) =
        prefixes.iter().partition(|p| p.starts_with('/'));
    let mut parts = Vec::new();
    if !paths.is_empty() {
        let paths = list(paths);
        parts.push(match key {
            "" => format!("The operations whose paths name no resource: under {paths}"),
            _ => format!("The operations under {paths}"),
        });
    }
    if !webhooks.is_empty() {
        let many = if webhooks.len() > 1 { "s" } else { "" };
        let webhooks = list(webhooks);
        parts.push(match parts.is_empty() {
            true => format!("The webhook{many} {webhooks}"),
            false => format!("and the webhook{many} {webhooks}"),
        });
    }
    format!("{}.", parts.join(", "))
}

/// The start of `path` its group is known by: up to and including its first segment
/// that names something (`/v1/customers` of `/v1/customers/{id}`), or, without one, up
/// to the first parameter (`/v1` of `/v1/{id}`, `/` of `/{id}`).
fn prefix(path: &str) -> &str {
    let mut end = None;
    let mut start = 0;
    for segment in path.split('/') {
        let here = start;
        start += segment.len() + 1;
        if segment.is_empty() {
            continue;
        }
        if segment.starts_with('{') {
            break;
        }
        end = Some(here + segment.len());
        if first_segment(segment).is_some() {
            break;
        }
    }
    end.map_or("/", |end| &path[..end])
}

/// The first segment of `path` that names something: not empty, not a `{parameter}`,
/// not a version (`v1`, `v2beta1`) or `api`.
fn first_segment(path: &str) -> Option<&str> {
    let is_version = |segment: &str| {
        let rest = segment.strip_prefix('v').unwrap_or("");
        rest.starts_with(|c: char| c.is_ascii_digit())
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version(s) && *s != "api")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_known_by_its_first_resource() {
        assert_eq!(prefix("/v1/customers/{id}"), "/v1/customers");
        assert_eq!(prefix("/customers"), "/customers");
        assert_eq!(prefix("/v1/{id}"), "/v1");
        assert_eq!(prefix("/{id}/things"), "/");
        assert_eq!(prefix("/"), "/");
        assert_eq!(prefix(""), "/");
        // A webhook's key stands for its path.
        assert_eq!(prefix("newPet"), "newPet");
        assert_eq!(first_segment("/api/v2/{id}"), None);
    }

    #[test]
    fn a_group_doc_names_its_prefixes() {
        let prefixes = BTreeSet::from(["/v1/users".to_owned(), "/v2/users".to_owned()]);
        assert_eq!(
            path_doc("users", &prefixes),
            "The operations under `/v1/users` and `/v2/users`."
        );
        let root = BTreeSet::from(["/".to_owned()]);
        assert_eq!(
            path_doc("", &root),
            "The operations whose paths name no resource: under `/`."
        );
        let mixed = BTreeSet::from(["/pets".to_owned(), "pets".to_owned()]);
        assert_eq!(
            path_doc("pets", &mixed),
            "The operations under `/pets`, and the webhook `pets`."
        );
    }
}
