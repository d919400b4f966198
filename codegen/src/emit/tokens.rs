//! What every emitted file shares: identifiers of the names the naming module made, the
//! Rust spelling of the model's types, and the lint `allow`s an item needs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, Ty};

/// An identifier for a name the naming module made (always a valid, non-keyword name).
pub fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}

/// Renders [`Ty`]s, naming model types as seen from the module being emitted.
#[derive(Clone, Copy)]
pub struct TypeRefs<'a> {
    pub api: &'a Api,
    /// Emitting the operations module, which names models as `super::models::X`.
    pub from_operations: bool,
}

impl TypeRefs<'_> {
    pub fn ty(&self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::Bool => quote!(bool),
            Ty::I32 => quote!(i32),
            Ty::I64 => quote!(i64),
            Ty::F32 => quote!(f32),
            Ty::F64 => quote!(f64),
            Ty::String => quote!(String),
            Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            Ty::Date => quote!(chrono::NaiveDate),
            Ty::Uuid => quote!(uuid::Uuid),
            Ty::Bytes => quote!(crate::runtime::Binary),
            Ty::Any => quote!(serde_json::Value),
            Ty::List(inner) => {
                let inner = self.ty(inner);
                quote!(Vec<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty(inner);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            Ty::Option(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            Ty::Named(id) => {
                let name = ident(&self.api.types[id.0].name);
                if self.from_operations {
                    quote!(super::models::#name)
                } else {
                    quote!(#name)
                }
            }
            // Checked to parse when the settings were read.
            Ty::Rust(path) => syn::parse_str::<syn::Type>(path)
                .map(|ty| quote!(#ty))
                .unwrap_or_else(|_| quote!(serde_json::Value)),
        }
    }
}

/// `#![allow(deprecated)]` for a module of `api`, when something of it is deprecated: the
/// generated code names deprecated types, fields and operations, which is not a use the
/// description's readers should be warned of. Nothing when nothing is.
pub fn allow_deprecated(api: &Api) -> TokenStream {
    let types = api.types.iter().any(|def| {
        def.deprecated
            || matches!(&def.kind, crate::model::TypeKind::Struct(s) if s.fields.iter().any(|f| f.deprecated))
    });
    let operations = api
        .operations
        .iter()
        .chain(&api.webhooks)
        .any(|op| op.deprecated || op.params.iter().any(|p| p.deprecated));
    if types || operations {
        quote!(#![allow(deprecated)])
    } else {
        TokenStream::new()
    }
}

/// The `#[allow]`s of clippy's lints on an enum's shape that this enum needs, and only
/// those: `large_enum_variant` where variants carry data (their sizes are the
/// description's, and boxing them would change the API), `enum_variant_names` where the
/// variants, named after the description's values and types, share a leading or trailing
/// word or repeat the enum's name.
pub fn enum_allows(name: &str, variants: &[&str], carries_data: bool) -> TokenStream {
    let mut lints = Vec::new();
    if carries_data && variants.len() > 1 {
        lints.push(quote!(clippy::large_enum_variant));
    }
    if variant_names_repeat(name, variants) {
        lints.push(quote!(clippy::enum_variant_names));
    }
    if lints.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[allow(#(#lints),*)])
    }
}

/// Whether clippy's `enum_variant_names` may fire: a variant begins or ends with the
/// enum's name, or (with three variants or more) all share a first or last word.
fn variant_names_repeat(name: &str, variants: &[&str]) -> bool {
    let words = |text: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for c in text.chars() {
            match words.last_mut() {
                Some(word) if !c.is_uppercase() => word.push(c),
                _ => words.push(c.to_string()),
            }
        }
        words
    };
    let enum_words = words(name);
    let repeats_name = variants.iter().any(|variant| {
        let variant_words = words(variant);
        variant_words.len() > enum_words.len()
            && (variant_words.starts_with(&enum_words) || variant_words.ends_with(&enum_words))
    });
    if repeats_name {
        return true;
    }
    if variants.len() < 3 {
        return false;
    }
    let split: Vec<Vec<String>> = variants.iter().map(|v| words(v)).collect();
    let first = split.iter().map(|w| w.first()).collect::<Vec<_>>();
    let last = split.iter().map(|w| w.last()).collect::<Vec<_>>();
    let all_same = |ends: &[Option<&String>]| ends.windows(2).all(|pair| pair[0] == pair[1]);
    split.iter().all(|w| w.len() > 1) && (all_same(&first) || all_same(&last))
}

impl Api {
    /// The Rust type `ty` is in a standalone crate generated from this description, as
    /// a path from the crate's root (`Vec<crate::models::Pet>`): for tools and tests that
    /// write code against the generated crate.
    pub fn rust_type(&self, ty: &Ty) -> String {
        let refs = TypeRefs {
            api: self,
            from_operations: true,
        };
        refs.ty(ty)
            .to_string()
            .replace("super :: models ::", "crate :: models ::")
    }
}

/// `#[allow(clippy::type_complexity)]` for a field or variant of type `ty` inside
/// `wrappers` layers (`Option`, `Box`), when clippy would find it too complex: a list of
/// lists of lists is the description's shape, and a type alias would only hide it.
/// Clippy's score counts ten for each type in a path, times how deeply it is nested;
/// more than 250 is too complex.
pub fn complexity_allow(ty: &Ty, wrappers: u32) -> TokenStream {
    fn score(ty: &Ty, nest: u32) -> u32 {
        let own = 10 * nest;
        own + match ty {
            Ty::List(inner) | Ty::Option(inner) => score(inner, nest + 1),
            Ty::Map(inner) => 10 * (nest + 1) + score(inner, nest + 1),
            // `chrono::DateTime<chrono::FixedOffset>`.
            Ty::DateTime => 10 * (nest + 1),
            _ => 0,
        }
    }
    let outer: u32 = (1..=wrappers).map(|nest| 10 * nest).sum();
    if outer + score(ty, wrappers + 1) > 250 {
        quote!(#[allow(clippy::type_complexity)])
    } else {
        TokenStream::new()
    }
}
