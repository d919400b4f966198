//! OpenAPI Overlay 1.0: ordered actions, each an RFC 9535 JSONPath `target` and an
//! `update` (merged into every node the target selects) or a `remove` (of every such
//! node), applied to the description's root file before anything else reads it.
//!
//! An action whose target selects nothing is an error, not a no-op: an overlay that
//! silently stops applying after an upstream change is the complaint overlays get most.
//! Every node an action adds is recorded with the action that added it, so a diagnostic
//! about such a node says where it came from; the nodes an overlay leaves alone keep
//! their pointers into the original file.

use std::path::Path;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};

/// A node an overlay action added or replaced: its pointer in the description (`#/…`)
/// and what added it, as a diagnostic's hint says it.
#[derive(Debug, Clone)]
pub struct Added {
    pub pointer: String,
    pub by: String,
}

/// Applies the overlay `overlay` (read from `file`) to `root`, action by action; returns
/// the nodes it added. Every problem of the overlay's shape is reported at once; the
/// first action that cannot apply stops it.
pub fn apply(root: &mut Value, overlay: &Value, file: &Path) -> Result<Vec<Added>> {
    let actions = check(overlay, file)?;
    let mut added = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        apply_action(root, action, index, file, &mut added)?;
    }
    Ok(added)
}

/// One action, checked.
struct Action<'a> {
    target: &'a str,
    path: JsonPath,
    update: Option<&'a Value>,
    remove: bool,
}

/// The overlay's actions, once its shape is known to be an Overlay 1.0 document's.
fn check<'a>(overlay: &'a Value, file: &Path) -> Result<Vec<Action<'a>>> {
    let mut problems = Diagnostics::new();
    let mut fail = |pointer: &str, message: String| {
        problems.push(Diagnostic::error(
            DiagnosticKind::Overlay,
            file,
            pointer,
            message,
        ));
    };
    let Value::Object(fields) = overlay else {
        fail(
            "#",
            "an overlay must be an object with `overlay`, `info` and `actions`".into(),
        );
        return Err(problems);
    };
    for key in fields.keys() {
        if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions")
            && !key.starts_with("x-")
        {
            fail(
                &format!("#/{key}"),
                format!("`{key}` is not a field of an Overlay 1.0 document"),
            );
        }
    }
    match fields.get("overlay") {
        Some(Value::String(version)) if version.starts_with("1.0.") => {}
        Some(other) => fail(
            "#/overlay",
            format!("unsupported overlay version {other}: only Overlay 1.0.x is read"),
        ),
        None => fail(
            "#",
            "`overlay` (the version, `1.0.0`) is missing: this is not an overlay".into(),
        ),
    }
    match fields.get("info") {
        Some(Value::Object(info))
            if info.get("title").is_some_and(Value::is_string)
                && info.get("version").is_some_and(Value::is_string) => {}
        _ => fail(
            "#/info",
            "`info` must be an object with a `title` and a `version`".into(),
        ),
    }
    let mut actions = Vec::new();
    match fields.get("actions") {
        Some(Value::Array(list)) if !list.is_empty() => {
            for (index, action) in list.iter().enumerate() {
                let at = format!("#/actions/{index}");
                let Value::Object(action) = action else {
                    fail(&at, "an action must be an object with a `target`".into());
                    continue;
                };
                for key in action.keys() {
                    if !matches!(key.as_str(), "target" | "description" | "update" | "remove")
                        && !key.starts_with("x-")
                    {
                        fail(&format!("{at}/{key}"), format!("`{key}` is not a field of an action (`target`, `description`, `update`, `remove`)"));
                    }
                }
                let remove = match action.get("remove") {
                    None | Some(Value::Bool(false)) => false,
                    Some(Value::Bool(true)) => true,
                    Some(other) => {
                        fail(
                            &format!("{at}/remove"),
                            format!("`remove` must be a boolean, not {other}"),
                        );
                        false
                    }
                };
                let update = action.get("update");
                if update.is_none() && !remove {
                    fail(
                        &at,
                        "the action has neither `update` nor `remove: true`, so it does nothing"
                            .into(),
                    );
                }
                let Some(target) = action.get("target").and_then(Value::as_str) else {
                    fail(
                        &at,
                        "the action has no `target` (a JSONPath expression, `$…`)".into(),
                    );
                    continue;
                };
                match JsonPath::parse(target) {
                    Ok(path) => actions.push(Action {
                        target,
                        path,
                        update,
                        remove,
                    }),
                    Err(error) => fail(
                        &format!("{at}/target"),
                        format!("`{target}` is not an RFC 9535 JSONPath expression: {error}"),
                    ),
                }
            }
        }
        _ => fail(
            "#/actions",
            "`actions` must be a non-empty list of actions".into(),
        ),
    }
    if problems.is_empty() {
        Ok(actions)
    } else {
        Err(problems)
    }
}

fn apply_action(
    root: &mut Value,
    action: &Action,
    index: usize,
    file: &Path,
    added: &mut Vec<Added>,
) -> Result<()> {
    let at = format!("#/actions/{index}");
    let fail = |message: String| -> Diagnostics {
        Diagnostic::error(DiagnosticKind::Overlay, file, &at, message).into()
    };
    let mut pointers: Vec<Vec<Step>> = action
        .path
        .query_located(root)
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|element| match element.as_index() {
                    Some(index) => Step::Index(index),
                    None => Step::Name(element.as_name().unwrap_or_default().to_owned()),
                })
                .collect()
        })
        .collect();
    if pointers.is_empty() {
        return Err(fail(format!(
            "the target `{}` selects nothing in the description: the description changed, or the target is wrong",
            action.target
        ))
        .into_iter()
        .map(|d| d.with_hint("an action that selects nothing is an error, so an overlay never silently stops applying"))
        .collect());
    }
    let by = format!(
        "added by action {index} (target `{}`) of the overlay {}",
        action.target,
        file.display()
    );
    if action.remove {
        // Last first, so that removing an item does not move the ones still to remove.
        pointers.sort();
        for steps in pointers.iter().rev() {
            let Some((last, parent)) = steps.split_last() else {
                return Err(fail("`remove` cannot remove the whole description".into()));
            };
            match (root.pointer_mut(&pointer(parent)), last) {
                (Some(Value::Object(map)), Step::Name(name)) => {
                    map.shift_remove(name);
                }
                (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                    items.remove(*index);
                }
                _ => {}
            }
        }
        return Ok(());
    }
    let update = action.update.unwrap_or(&Value::Null);
    for steps in &pointers {
        let place = pointer(steps);
        let Some(node) = root.pointer_mut(&place) else {
            continue;
        };
        match (node, update) {
            (Value::Object(target), Value::Object(update)) => {
                for key in merge(target, update) {
                    added.push(Added {
                        pointer: format!("#{place}/{}", escape(&key)),
                        by: by.clone(),
                    });
                }
            }
            (Value::Array(items), update) => {
                let new: Vec<Value> = match update {
                    Value::Array(more) => more.clone(),
                    one => vec![one.clone()],
                };
                for item in new {
                    added.push(Added {
                        pointer: format!("#{place}/{}", items.len()),
                        by: by.clone(),
                    });
                    items.push(item);
                }
            }
            (Value::Object(_), other) => {
                return Err(fail(format!(
                    "the target `{}` selects an object at #{place}, and an object can only be updated with an object, not {other}",
                    action.target
                )))
            }
            (other, _) => {
                return Err(fail(format!(
                    "the target `{}` selects {} at #{place}; an update applies to objects and arrays",
                    action.target,
                    kind_of(other)
                )))
            }
        }
    }
    Ok(())
}

/// A step of a located node's path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

/// An RFC 6901 pointer (`/a/0`) of `steps`.
fn pointer(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        text.push('/');
        match step {
            Step::Name(name) => text.push_str(&escape(name)),
            Step::Index(index) => text.push_str(&index.to_string()),
        }
    }
    text
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Merges `update` into `target` as Overlay 1.0 says: objects recursively, every other
/// value replaced. Returns the keys of `target` it added or replaced (not those it only
/// merged into).
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) -> Vec<String> {
    let mut changed = Vec::new();
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(update)) => {
                merge(inner, update);
            }
            _ => {
                target.insert(key.clone(), value.clone());
                changed.push(key.clone());
            }
        }
    }
    changed
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "`null`",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    #[test]
    fn updates_merge_and_removes_remove() {
        let mut root = json!({"paths": {"/a": {"get": {"responses": {}}, "post": {"responses": {}, "produces": ["text/plain"]}}}, "tags": [{"name": "x"}, {"name": "y"}]});
        let added = apply(
            &mut root,
            &overlay(json!([
                {"target": "$.paths.*[?@.responses && !@.produces]", "update": {"produces": ["application/json"]}},
                {"target": "$.tags[?@.name == 'x']", "remove": true},
                {"target": "$.tags", "update": {"name": "z"}},
            ])),
            Path::new("fix.yaml"),
        )
        .unwrap();
        assert_eq!(
            root["paths"]["/a"]["get"]["produces"],
            json!(["application/json"])
        );
        assert_eq!(
            root["paths"]["/a"]["post"]["produces"],
            json!(["text/plain"])
        );
        assert_eq!(root["tags"], json!([{"name": "y"}, {"name": "z"}]));
        assert_eq!(added[0].pointer, "#/paths/~1a/get/produces");
        assert!(added[0].by.contains("action 0"), "{}", added[0].by);
    }

    #[test]
    fn a_target_that_selects_nothing_is_an_error() {
        let mut root = json!({"paths": {}});
        let problems = apply(
            &mut root,
            &overlay(json!([{"target": "$.paths['/gone'].get", "update": {"x": 1}}])),
            Path::new("fix.yaml"),
        )
        .unwrap_err();
        let shown = problems.to_string();
        assert!(shown.contains("fix.yaml at #/actions/0"), "{shown}");
        assert!(shown.contains("selects nothing"), "{shown}");
    }

    #[test]
    fn a_malformed_overlay_reports_every_problem() {
        let problems = apply(
            &mut json!({}),
            &json!({"overlay": "2.0", "actions": [{"target": "$[", "update": 1}, {"target": "$", "bogus": 1}]}),
            Path::new("fix.yaml"),
        )
        .unwrap_err();
        let shown = problems.to_string();
        assert!(shown.contains("unsupported overlay version"), "{shown}");
        assert!(shown.contains("`info` must be"), "{shown}");
        assert!(
            shown.contains("is not an RFC 9535 JSONPath expression"),
            "{shown}"
        );
        assert!(
            shown.contains("`bogus` is not a field of an action"),
            "{shown}"
        );
        assert!(shown.contains("neither `update` nor `remove"), "{shown}");
    }
}
