//! Naming: every Rust identifier the generator emits is made here, from a wire name of
//! the description. Casing is `heck`'s; what is not an ASCII letter or digit becomes a
//! word break, keywords get a trailing `_`, and a [`Namespace`] keeps names distinct.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Longest identifier we emit; longer wire names are cut (they stay intact on the wire).
const MAX_LEN: usize = 64;

/// Strict and reserved keywords of Rust 2021 and 2024, which cannot be identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// Type names that would shadow the prelude or the types and traits the generated code
/// names bare (`impl From<i64> for …` in integer enums), and the prelude's derive macros,
/// which would make a doc link such as ``[`Default`]`` ambiguous for rustdoc.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Err",
    "From",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
    "Self",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Hash",
    "Ord",
    "PartialEq",
    "PartialOrd",
];

/// Words of `raw`: runs of ASCII letters and digits, everything else a separator
/// (but an apostrophe joins: "I'm a teapot" has the words "Im", "a" and "teapot").
fn words(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.trim().to_owned()
}

fn truncate(mut name: String) -> String {
    if name.len() > MAX_LEN {
        name.truncate(MAX_LEN);
    }
    name
}

/// UpperCamelCase words of `raw`, `fallback` when it has none, never starting with a digit.
fn upper_camel(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    truncate(name)
}

/// An UpperCamelCase type name for `raw`; `fallback` when `raw` has no word.
///
/// A keyword or reserved name gets the suffix `Type` (`Result` → `ResultType`), not `_`:
/// type names are extended into others (`{Op}Responses`, `{Type}List`), and `Result_`
/// would make `Result_Responses`, which is not UpperCamelCase.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let name = upper_camel(raw, fallback);
    if KEYWORDS.contains(&name.as_str()) || RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// An UpperCamelCase enum variant name: like [`type_name`], but a variant may be
/// called `Ok` or `String`, since it is always named through its enum; only `Self`,
/// the one keyword in UpperCamelCase, is escaped (`Self_`).
pub fn variant_name(raw: &str, fallback: &str) -> String {
    let name = upper_camel(raw, fallback);
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A snake_case field or parameter name for `raw`.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    let name = truncate(name);
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A set of names in one Rust scope; [`Namespace::claim`] makes each new one distinct by
/// a numeric suffix, so the first comer (in document order) keeps the plain name.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    used: BTreeSet<String>,
}

impl Namespace {
    /// A namespace in which `taken` are already used.
    pub fn with(taken: &[&str]) -> Self {
        Namespace {
            used: taken.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    pub fn claim(&mut self, name: String) -> String {
        if self.used.insert(name.clone()) {
            return name;
        }
        let base = name.trim_end_matches('_');
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unused suffix exists")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("user_name", "UserName"),
            ("UserName", "UserName"),
            ("foo.bar", "FooBar"),
            ("1st-place", "N1stPlace"),
            ("@type", "Type"),
            ("", "Fallback"),
            ("!!!", "Fallback"),
            ("Self", "SelfType"),
            ("option", "OptionType"),
            ("from", "FromType"),
            ("result", "ResultType"),
            ("default", "DefaultType"),
            ("PartialEq", "PartialEqType"),
            ("a\"); std::process::exit(1); //", "AStdProcessExit1"),
            ("caf\u{e9}\u{202e}", "Caf"),
        ];
        for (raw, expected) in cases {
            assert_eq!(type_name(raw, "Fallback"), expected, "{raw:?}");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("Self", "Self_"),
            ("self", "Self_"),
            ("ok", "Ok"),
            ("String", "String"),
            ("from", "From"),
            ("", "Fallback"),
            ("1", "N1"),
        ];
        for (raw, expected) in cases {
            assert_eq!(variant_name(raw, "Fallback"), expected, "{raw:?}");
        }
    }

    /// Escaped type names stay UpperCamelCase when the generator extends them.
    #[test]
    fn escaped_type_names_extend_to_camel_case() {
        for raw in ["Self", "self", "Result", "from", "type"] {
            let extended = format!("{}Responses", type_name(raw, "F"));
            assert!(
                !extended.contains('_') && extended.starts_with(char::is_uppercase),
                "{raw:?}: {extended}"
            );
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("userName", "user_name"),
            ("type", "type_"),
            ("gen", "gen_"),
            ("self", "self_"),
            ("1st-place", "n1st_place"),
            ("with space", "with_space"),
            ("$ref", "ref_"),
            ("", "value"),
        ];
        for (raw, expected) in cases {
            assert_eq!(field_name(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn long_names_are_cut() {
        assert_eq!(type_name(&"a".repeat(10_000), "F").len(), MAX_LEN);
    }

    #[test]
    fn collisions_get_suffixes_in_order() {
        let mut names = Namespace::with(&["Taken"]);
        assert_eq!(names.claim("User".into()), "User");
        assert_eq!(names.claim("User".into()), "User2");
        assert_eq!(names.claim("User".into()), "User3");
        assert_eq!(names.claim("Taken".into()), "Taken2");
        assert_eq!(names.claim("V1".into()), "V1");
        assert_eq!(names.claim("V1".into()), "V1_2");
        assert_eq!(names.claim("type_".into()), "type_");
        assert_eq!(names.claim("type_".into()), "type2");
    }
}
