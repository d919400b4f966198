//! Groups: the operations that go together, each a cargo feature of a standalone crate
//! that compiles them and the types they reach. By first tag (or path segment), by path
//! segment alone, or none, as the settings say; each group named by its feature.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::model::{Group, Operation};
use crate::naming::{feature_name, Namespace};
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
    let renames = &settings.rename.groups;
    let mut renamed = BTreeSet::new();
    for op in operations.iter_mut().chain(webhooks) {
        let tag = match settings.groups {
            Grouping::Tags => op.tags.first(),
            Grouping::Paths | Grouping::Off => None,
        };
        let key = match (settings.groups, tag) {
            (Grouping::Off, _) => "all".to_owned(),
            (_, Some(tag)) => tag.clone(),
            (_, None) => first_segment(&op.path),
        };
        op.group = match groups.iter().find(|(k, _)| *k == key) {
            Some((_, group)) => group.feature.clone(),
            None => {
                let natural = feature_name(&key);
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
                let doc = match (settings.groups, tag) {
                    (Grouping::Off, _) => "Every operation.".to_owned(),
                    (_, Some(tag)) => format!("The operations tagged `{tag}`."),
                    (_, None) => format!("The operations under `/{key}`."),
                };
                groups.push((
                    key,
                    Group {
                        feature: feature.clone(),
                        doc,
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
    groups.into_iter().map(|(_, group)| group).collect()
}

/// The first segment of `path` that names something: not empty, not a `{parameter}`,
/// not a version (`v1`, `v2beta1`) or `api`.
fn first_segment(path: &str) -> String {
    let is_version = |segment: &str| {
        let rest = segment.strip_prefix('v').unwrap_or("");
        rest.starts_with(|c: char| c.is_ascii_digit())
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version(s) && *s != "api")
        .unwrap_or("default")
        .to_owned()
}
