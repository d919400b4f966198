//! Derives and attributes the settings ask for, resolved per type and checked before
//! anything is emitted: a derive a field's type cannot satisfy is a clear error naming the
//! type, the field and why, never a compile failure in the generated crate.
//!
//! A derive asked for a type is also derived on every type its fields hold (deriving
//! `Hash` on `Pet` needs it on `PetStatus` too), so the check follows the fields down to
//! their scalars, whose traits are known here (`f64` is not `Eq`, `runtime::Binary` not
//! `schemars::JsonSchema`), and to replaced types, which implement what their replacement
//! says. Derives the generated code has already (`Debug`, `Clone`, `PartialEq`, and
//! more per kind) are not written twice; derives of other macros are written unchecked.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics, Result};
use crate::model::{Api, Role, Ty, TypeDef, TypeKind};
use crate::settings::Settings;

/// What the settings add to each type of [`Api::types`], by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derived {
    pub types: Vec<Extra>,
}

/// The derives and attributes one type gets beyond its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra {
    /// Derive macro paths, as the settings write them, in a stable order.
    pub derives: Vec<String>,
    /// Outer attributes, as the settings write them.
    pub attributes: Vec<String>,
    /// `schemars::JsonSchema` is derived: fields and variants need its attributes to
    /// describe the wire names.
    pub json_schema: bool,
}

impl Derived {
    /// Whether any type derives `schemars::JsonSchema` (the crate then depends on it).
    pub fn uses_schemars(&self) -> bool {
        self.types.iter().any(|extra| extra.json_schema)
    }
}

/// The traits this module knows what it takes to derive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Trait {
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Copy,
    Default,
    JsonSchema,
    Serde,
}

impl Trait {
    /// The trait a derive path names (`std::hash::Hash`, `schemars::JsonSchema`), if one
    /// of those known here.
    fn of(path: &str) -> Option<Trait> {
        let last = path.rsplit("::").next().unwrap_or(path).trim();
        Some(match last {
            "Debug" => Trait::Debug,
            "Clone" => Trait::Clone,
            "PartialEq" => Trait::PartialEq,
            "Eq" => Trait::Eq,
            "PartialOrd" => Trait::PartialOrd,
            "Ord" => Trait::Ord,
            "Hash" => Trait::Hash,
            "Copy" => Trait::Copy,
            "Default" => Trait::Default,
            "JsonSchema" => Trait::JsonSchema,
            "Serialize" | "Deserialize" => Trait::Serde,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Trait::Debug => "Debug",
            Trait::Clone => "Clone",
            Trait::PartialEq => "PartialEq",
            Trait::Eq => "Eq",
            Trait::PartialOrd => "PartialOrd",
            Trait::Ord => "Ord",
            Trait::Hash => "Hash",
            Trait::Copy => "Copy",
            Trait::Default => "Default",
            Trait::JsonSchema => "schemars::JsonSchema",
            Trait::Serde => "serde",
        }
    }
}

/// A derive asked for a type: its path, its trait when known, and the setting it comes
/// from (for the message when it cannot be).
#[derive(Debug, Clone)]
struct AskedDerive {
    path: String,
    known: Option<Trait>,
    key: String,
}

/// Resolves and checks the derives and attributes `settings` ask for on `api`'s types.
pub fn derives(api: &Api, settings: &Settings) -> Result<Derived> {
    let file = settings.shown_file();
    let mut problems = Diagnostics::new();
    let count = api.types.len();
    let mut asked: Vec<Vec<AskedDerive>> = vec![Vec::new(); count];
    let mut attributes: Vec<Vec<String>> = vec![Vec::new(); count];
    for (index, def) in api.types.iter().enumerate() {
        let alias = matches!(def.kind, TypeKind::Alias(_));
        for path in &settings.models.derive {
            if !alias {
                asked[index].push(asked_for(path, "models.derive"));
            }
        }
        if !alias {
            attributes[index].extend(settings.models.attributes.iter().cloned());
        }
    }
    for (selector, model) in &settings.models.schemas {
        let key = format!("models.schemas.{selector}");
        let Some(index) = api.types.iter().position(|def| selects(selector, def)) else {
            if settings.replace.contains_key(selector) {
                problems.push(Diagnostic::error(
                    DiagnosticKind::Settings,
                    &file,
                    &key,
                    format!("`{selector}` is replaced by `{}`: nothing is generated for it, so it gets no derives or attributes", settings.replace[selector].path()),
                ));
            }
            continue;
        };
        // An alias is its target: derives go there.
        let target = through_aliases(api, index);
        for path in &model.derive {
            if let Some(target) = target {
                asked[target].push(asked_for(path, &key));
            }
        }
        if !model.attributes.is_empty() {
            if matches!(api.types[index].kind, TypeKind::Alias(_)) {
                problems.push(Diagnostic::error(
                    DiagnosticKind::Settings,
                    &file,
                    &key,
                    format!(
                        "`{selector}` is a type alias (`{}`), which takes no attributes",
                        api.types[index].name
                    ),
                ));
            } else {
                attributes[index].extend(model.attributes.iter().cloned());
            }
        }
    }
    for list in &asked {
        for one in list {
            if one.known == Some(Trait::Serde) {
                problems.push(Diagnostic::error(
                    DiagnosticKind::Settings,
                    &file,
                    &one.key,
                    format!("`{}` is implemented by the generated code already (in the wire format the description gives); it cannot be derived", one.path),
                ));
            }
        }
    }
    propagate(api, &mut asked);
    for (index, def) in api.types.iter().enumerate() {
        check_type(api, settings, index, def, &asked, &file, &mut problems);
    }
    if !problems.is_empty() {
        let mut seen = BTreeSet::new();
        return Err(problems
            .into_iter()
            .filter(|d| seen.insert(d.message.clone()))
            .collect());
    }
    let types = asked
        .into_iter()
        .zip(attributes)
        .zip(&api.types)
        .map(|((asked, attributes), def)| {
            let mut derives: Vec<String> = Vec::new();
            let mut json_schema = false;
            for one in asked {
                let has = one.known.is_some_and(|t| has_already(def, t));
                if has || one.known == Some(Trait::Serde) || derives.contains(&one.path) {
                    continue;
                }
                json_schema |= one.known == Some(Trait::JsonSchema);
                derives.push(one.path);
            }
            Extra {
                derives,
                attributes,
                json_schema,
            }
        })
        .collect();
    Ok(Derived { types })
}

fn asked_for(path: &str, key: &str) -> AskedDerive {
    AskedDerive {
        path: path.to_owned(),
        known: Trait::of(path),
        key: key.to_owned(),
    }
}

/// Whether a selector of the settings (a schema's name or JSON pointer) names `def`.
fn selects(selector: &str, def: &TypeDef) -> bool {
    if selector.contains('#') {
        return def.pointer == selector;
    }
    matches!(&def.role, Role::Component(name) if name == selector)
}

/// The type an alias (of an alias …) names, or the type itself; `None` when it names no
/// type of the model (`pub type Ids = Vec<String>`).
fn through_aliases(api: &Api, index: usize) -> Option<usize> {
    let mut at = index;
    for _ in 0..api.types.len() + 1 {
        match &api.types[at].kind {
            TypeKind::Alias(Ty::Named(id)) => at = id.0,
            TypeKind::Alias(_) => return None,
            _ => return Some(at),
        }
    }
    None
}

/// Every derive asked for a type is asked for the types its fields hold too (through
/// aliases), until nothing changes.
fn propagate(api: &Api, asked: &mut [Vec<AskedDerive>]) {
    let mut pending: Vec<usize> = (0..api.types.len()).collect();
    while let Some(index) = pending.pop() {
        let mut inner = Vec::new();
        for ty in api.types[index].kind.types() {
            ty.named(&mut inner);
        }
        let from = asked[index].clone();
        for id in inner {
            let Some(target) = through_aliases(api, id.0) else {
                continue;
            };
            let mut changed = false;
            for one in &from {
                if one.known.is_none() || asked[target].iter().any(|a| a.path == one.path) {
                    continue;
                }
                asked[target].push(one.clone());
                changed = true;
            }
            if changed {
                pending.push(target);
            }
        }
    }
}

/// What the generated code derives or implements for a type of this kind already.
fn has_already(def: &TypeDef, t: Trait) -> bool {
    let base = matches!(t, Trait::Debug | Trait::Clone | Trait::PartialEq);
    base || match &def.kind {
        TypeKind::Struct(s) => t == Trait::Default && s.has_default(),
        TypeKind::Enum(_) => matches!(t, Trait::Eq | Trait::Hash),
        TypeKind::IntEnum(_) => matches!(t, Trait::Eq | Trait::Hash | Trait::Copy),
        TypeKind::OneOf(_) | TypeKind::Newtype(_) | TypeKind::Alias(_) => false,
    }
}

/// The errors of deriving what is asked for the type `index`.
fn check_type(
    api: &Api,
    settings: &Settings,
    index: usize,
    def: &TypeDef,
    asked: &[Vec<AskedDerive>],
    file: &Path,
    problems: &mut Diagnostics,
) {
    let here: BTreeSet<Trait> = asked[index]
        .iter()
        .filter_map(|a| a.known)
        .chain([Trait::Debug, Trait::Clone, Trait::PartialEq])
        .filter(|t| *t != Trait::Serde)
        .collect();
    let has = |t: Trait| here.contains(&t) || has_already(def, t);
    for one in &asked[index] {
        let Some(t) = one.known else { continue };
        if has_already(def, t) || t == Trait::Serde {
            continue;
        }
        let mut fail = |why: String, hint: Option<String>| {
            let mut diagnostic = Diagnostic::error(
                DiagnosticKind::Settings,
                file,
                &one.key,
                format!(
                    "`{}` cannot be derived for `{}` ({}): {why}",
                    one.path, def.name, def.pointer
                ),
            );
            if let Some(hint) = hint {
                diagnostic = diagnostic.with_hint(hint);
            }
            problems.push(diagnostic);
        };
        let needs: &[Trait] = match t {
            Trait::Eq => &[Trait::PartialEq],
            Trait::Ord => &[Trait::Eq, Trait::PartialOrd],
            _ => &[],
        };
        for need in needs {
            if !has(*need) {
                fail(
                    format!("it needs `{}` too", need.name()),
                    Some(format!("derive `{}` as well", need.name())),
                );
            }
        }
        let shape_problem = match (&def.kind, t) {
            (TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::OneOf(_), Trait::Default) => {
                Some("an enum has no variant that is the default value".to_owned())
            }
            (TypeKind::Enum(_), Trait::Copy) => {
                Some("its `Unknown` variant keeps a `String`, which is not `Copy`".to_owned())
            }
            _ => None,
        };
        if let Some(why) = shape_problem {
            fail(why, None);
            continue;
        }
        for (place, ty, boxed) in members(def) {
            if let Err((shown, why)) = supports(api, settings, ty, t, asked) {
                let boxed_copy = boxed && t == Trait::Copy;
                let shown = if boxed_copy {
                    "a `Box` (the type holds itself)".to_owned()
                } else {
                    shown
                };
                fail(
                    format!(
                        "{place} is {shown}, which does not implement `{}`",
                        t.name()
                    ),
                    why,
                );
            } else if boxed && t == Trait::Copy {
                fail(
                    format!("{place} is a `Box` (the type holds itself), which is not `Copy`"),
                    None,
                );
            }
        }
    }
}

/// The members of a type (fields, the additional properties, variants, the target of a
/// newtype), each with how a message names it and whether it is boxed.
fn members(def: &TypeDef) -> Vec<(String, &Ty, bool)> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (format!("its field `{}`", f.name), &f.ty, f.boxed))
            .chain(
                s.additional
                    .iter()
                    .map(|a| ("its additional properties' type".to_owned(), &a.ty, false)),
            )
            .collect(),
        TypeKind::OneOf(o) => o
            .variants
            .iter()
            .map(|v| (format!("its variant `{}`", v.name), &v.ty, v.boxed))
            .collect(),
        TypeKind::Newtype(ty) => vec![("the type it wraps".to_owned(), ty, false)],
        TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Alias(_) => Vec::new(),
    }
}

/// Whether a value of `ty` implements `t` once the asked derives are made; when not,
/// how the type shows in a message and, where one helps, a hint.
fn supports(
    api: &Api,
    settings: &Settings,
    ty: &Ty,
    t: Trait,
    asked: &[Vec<AskedDerive>],
) -> std::result::Result<(), (String, Option<String>)> {
    use Trait::*;
    let no = |shown: &str, hint: Option<&str>| Err((format!("`{shown}`"), hint.map(str::to_owned)));
    let all_but = |shown: &str, missing: &[Trait], hint: Option<&str>| {
        if missing.contains(&t) {
            no(shown, hint)
        } else {
            Ok(())
        }
    };
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 => Ok(()),
        Ty::F32 | Ty::F64 => all_but(
            if *ty == Ty::F32 { "f32" } else { "f64" },
            &[Eq, Ord, Hash],
            Some("floating-point numbers have no total order or hash; leave the derive off the types that hold numbers"),
        ),
        Ty::String => all_but("String", &[Copy], None),
        Ty::DateTime => all_but("chrono::DateTime<chrono::FixedOffset>", &[Default], None),
        Ty::Date => all_but("chrono::NaiveDate", &[Default], None),
        Ty::Uuid => Ok(()),
        Ty::Bytes => all_but(
            "runtime::Binary",
            &[Copy, PartialOrd, Ord, JsonSchema],
            Some("set `scalars.binary` to `vec` or `bytes`, whose types implement it"),
        ),
        Ty::Any => all_but(
            "serde_json::Value",
            &[Copy, PartialOrd, Ord, Hash],
            Some("the schema allows any JSON value, which has no order or hash"),
        ),
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => {
            let wrapper_copy = !matches!(ty, Ty::Option(_)) && t == Copy;
            if wrapper_copy {
                return no("a list or a map", None);
            }
            if t == Default {
                return Ok(());
            }
            supports(api, settings, inner, t, asked)
        }
        Ty::Named(id) => {
            let def = &api.types[id.0];
            if let TypeKind::Alias(target) = &def.kind {
                return supports(api, settings, target, t, asked);
            }
            let asked_here = asked[id.0].iter().any(|a| a.known == Some(t));
            if asked_here || has_already(def, t) {
                Ok(())
            } else {
                no(&def.name, None)
            }
        }
        Ty::Rust(path) => {
            if let Some(replacement) = settings.replace.values().find(|r| r.path() == path) {
                let implemented = replacement
                    .implements()
                    .iter()
                    .any(|name| Trait::of(name) == Some(t));
                let basic = matches!(t, Debug | Clone | PartialEq);
                return if implemented || basic {
                    Ok(())
                } else {
                    no(path, Some(&format!("if `{path}` implements `{}`, list it in the replacement's `implements`", t.name())))
                };
            }
            let time_hint = "the `time` crate has no `schemars` support; map `date` to `jiff`, `chrono` or `string`";
            match path.as_str() {
                // The wrappers describe their wire form to `schemars` when it is used.
                "crate::scalars::DateTime" | "crate::scalars::UnixTime" => {
                    all_but(path, &[Default], None)
                }
                "time::Date" => all_but(path, &[Default, JsonSchema], Some(time_hint)),
                "jiff::Timestamp" | "jiff::civil::Date" => Ok(()),
                "bytes::Bytes" | "Vec<u8>" => all_but(path, &[Copy], None),
                _ if crate::settings::INTEGERS.contains(&path.as_str()) => Ok(()),
                _ => no(path, None),
            }
        }
    }
}
