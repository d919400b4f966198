//! The generator reads top to bottom: every module of `codegen/src` uses only the modules
//! before it in [`ORDER`] (no import points back up the stages), and the modules inside
//! a stage form no cycle. Checked by reading the sources: each `crate::…` and `super::…`
//! path outside comments, string literals and `quote!` (whose paths belong to the
//! generated code) is an edge from the file's module to the module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules, in the order they may use each other: the shared base, then
/// the stages as `generate` runs them, then the crate root.
const ORDER: &[&str] = &[
    "model",
    "markdown",
    "naming",
    "diagnostics",
    "settings",
    "config",
    "load",
    "lower",
    "filter",
    "derives",
    "emit",
    "format",
    "write",
    "lib",
];

/// Every module of the crate by its path (`lower::body`), with its source.
fn modules() -> BTreeMap<Vec<String>, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|last| last == "mod") {
                module.pop();
            }
            found.insert(module, std::fs::read_to_string(&path).unwrap());
        }
    }
    found
}

/// `source` without comments, string and character literals, and the bodies of
/// `quote!` invocations.
fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if let Some(raw) = rest.strip_prefix("r#\"") {
            i += 3 + raw.find("\"#").map_or(raw.len(), |end| end + 2);
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() && rest.as_bytes()[j] != b'"' {
                j += if rest.as_bytes()[j] == b'\\' { 2 } else { 1 };
            }
            i += j + 1;
        } else if rest.starts_with("'\\")
            || (rest.len() > 2 && rest.as_bytes()[2] == b'\'' && rest.starts_with('\''))
        {
            // A character literal ('a', '\n'); lifetimes ('de) are kept.
            i += rest[1..].find('\'').map_or(1, |end| end + 2);
        } else if rest.starts_with("quote!") {
            let open = rest.find(['(', '{', '[']).unwrap_or(0);
            let mut depth = 0;
            let mut j = open;
            for (k, c) in rest[open..].char_indices() {
                match c {
                    '(' | '{' | '[' => depth += 1,
                    ')' | '}' | ']' => {
                        depth -= 1;
                        if depth == 0 {
                            j = open + k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            i += j.max(1);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The modules `module`'s code names: `crate::a::b` and `super::b` paths, resolved to
/// module paths (as long as they name a module of `all`).
fn edges(
    module: &[String],
    source: &str,
    all: &BTreeMap<Vec<String>, String>,
) -> BTreeSet<Vec<String>> {
    let code = code_only(source);
    let mut found = BTreeSet::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| w.starts_with("crate::") || w.starts_with("super::"))
        .collect();
    for word in words {
        let mut parts: Vec<&str> = word.split("::").filter(|p| !p.is_empty()).collect();
        // `super` is the parent of the file's module (a `mod.rs` is its module).
        let mut base: Vec<String> = if parts[0] == "crate" {
            parts.remove(0);
            Vec::new()
        } else {
            let mut base = module.to_vec();
            while parts.first() == Some(&"super") {
                parts.remove(0);
                base.pop();
            }
            base
        };
        // The longest module path the rest of the path names.
        let mut named = None;
        for part in parts {
            base.push(part.to_owned());
            if all.contains_key(&base) {
                named = Some(base.clone());
            } else {
                break;
            }
        }
        if let Some(named) = named {
            if named != module {
                found.insert(named);
            }
        }
    }
    found
}

fn stage(module: &[String]) -> usize {
    let top = module.first().map_or("lib", String::as_str);
    ORDER
        .iter()
        .position(|name| *name == top)
        .unwrap_or_else(|| panic!("module `{top}` is not in ORDER"))
}

#[test]
fn no_module_uses_a_later_stage() {
    let all = modules();
    let mut back = Vec::new();
    for (module, source) in &all {
        for target in edges(module, source, &all) {
            if stage(&target) > stage(module) {
                back.push(format!("{} uses {}", module.join("::"), target.join("::")));
            }
        }
    }
    assert!(
        back.is_empty(),
        "imports that point back up the pipeline:\n{}",
        back.join("\n")
    );
}

#[test]
fn the_modules_of_a_stage_form_no_cycle() {
    let all = modules();
    // Edges between the submodules of one stage (`lower::body` → `lower::context`); a
    // stage's root (`lower`) declares its submodules and may use them, but they do not use
    // it.
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut up = Vec::new();
    for (module, source) in &all {
        for target in edges(module, source, &all) {
            if target.first() != module.first() {
                continue;
            }
            if module.len() > 1 && target.len() == 1 {
                up.push(format!(
                    "{} uses its stage's root {}",
                    module.join("::"),
                    target.join("::")
                ));
            }
            graph.entry(module.clone()).or_default().insert(target);
        }
    }
    assert!(up.is_empty(), "{}", up.join("\n"));
    // Depth-first search for a back edge.
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, bool>,
        path: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(node.clone(), false);
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(node.clone(), true);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(node, &graph, &mut state, &mut path) {
            let shown: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            panic!("a cycle: {}", shown.join(" -> "));
        }
    }
}

/// The check sees what it must: a path in code is an edge, one in a comment, a string or
/// `quote!` is not.
#[test]
fn the_scanner_reads_code_only() {
    let mut all = BTreeMap::new();
    for module in [
        vec!["emit".to_owned()],
        vec!["emit".to_owned(), "models".to_owned()],
        vec!["lower".to_owned()],
    ] {
        all.insert(module, String::new());
    }
    let source = "use super::models;\n// crate::lower\nlet s = \"crate::lower\";\nquote!(crate::lower::x);\n";
    let found = edges(&["emit".to_owned(), "docs".to_owned()], source, &all);
    assert_eq!(
        found,
        BTreeSet::from([vec!["emit".to_owned(), "models".to_owned()]])
    );
}
