//! The `models` module: one Rust type per named (or name-worthy inline) schema, ordered
//! by name so the output does not depend on the order schemas were discovered in. Each
//! kind of type is emitted by a file of its own: [`structs`] (with the rule of required
//! and nullable fields), [`enums`], [`unions`] (`oneOf` and `anyOf`), and [`defaults`]
//! (the `default` values of fields). `models.rs` reads as a list of types: their
//! declarations, constructors and conversions; how each reads and writes JSON (its
//! `Serialize` and `Deserialize`) is in a module of its own, `models/serde_impls.rs`.

mod defaults;
mod enums;
mod structs;
mod unions;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, own_doc_attrs};
use super::extras::{extras, Extras};
use super::features::Gates;
use super::planned::FileBody;
use super::tokens::{ident, TypeRefs};
use crate::model::{Api, Role, TypeDef, TypeId, TypeKind};
use enums::{int_enum, int_enum_serde, string_enum_serde, string_enum_with};
use structs::{structure, structure_serde, Made};
use unions::{one_of, one_of_serde};

pub use enums::string_enum;
pub use structs::{wrapping, Wrapping};

/// The module of the models' serde code, inside `models`.
pub const SERDE_MODULE: &str = "serde_impls";

/// The files of the `models` module: `models.rs`, every type ordered by name so the
/// output does not depend on the order schemas were discovered in, and, when a type has
/// any, their serde code in the same order (the file [`SERDE_MODULE`] inside it).
/// `derived` holds what the settings add to each type (derives, attributes).
pub fn models_files<'a>(
    api: &'a Api,
    gates: Option<std::sync::Arc<Gates>>,
    derived: &'a crate::derives::Derived,
) -> (FileBody<'a>, Option<FileBody<'a>>) {
    let mut order: Vec<(TypeId, &TypeDef)> = api
        .types
        .iter()
        .enumerate()
        .map(|(index, def)| (TypeId(index), def))
        .collect();
    order.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let with_serde: Vec<(TypeId, &TypeDef)> = order
        .iter()
        .copied()
        .filter(|(_, def)| has_serde_code(def))
        .collect();
    let allow_deprecated = super::tokens::allow_deprecated(api);
    let allow = gates.as_ref().map(|_| quote!(#[allow(unused_imports)]));
    let serde_module = ident(SERDE_MODULE);
    let declare_serde = (!with_serde.is_empty()).then(|| quote!(mod #serde_module;));
    let prefix = quote! {
        //! Types of the schemas of the description: requests, responses and what they contain.
        #allow_deprecated
        #declare_serde
    };
    let sent = api.sent_types();
    let cfg_of = {
        let gates = gates.clone();
        move |id: TypeId| {
            gates
                .as_deref()
                .map_or_else(TokenStream::new, |gates| gates.of_type(id))
        }
    };
    let refs = TypeRefs {
        api,
        from_operations: false,
    };
    let cfg_of_serde = cfg_of.clone();
    let pointers: Vec<String> = order.iter().map(|(_, def)| def.pointer.clone()).collect();
    let serde_pointers: Vec<String> = with_serde
        .iter()
        .map(|(_, def)| def.pointer.clone())
        .collect();
    let models = FileBody::Items {
        prefix,
        count: order.len(),
        item: Box::new(move |index| {
            let (id, def) = order[index];
            let made = if sent[id.0] { Made::Sent } else { Made::Read };
            type_def(
                def,
                &refs,
                &cfg_of(id),
                &extras(def, derived.types.get(id.0)),
                made,
            )
        }),
        pointer: Box::new(move |index| pointers[index].clone()),
    };
    if with_serde.is_empty() {
        return (models, None);
    }
    // The structs' readers and writers (the readers also read untagged `oneOf`s); with
    // features, none may be compiled.
    let has = |kind: fn(&TypeKind) -> bool| with_serde.iter().any(|(_, def)| kind(&def.kind));
    let shared = match (
        has(|kind| matches!(kind, TypeKind::Struct(_))),
        has(|kind| !matches!(kind, TypeKind::IntEnum(_))),
    ) {
        (true, _) => quote! { use crate::runtime::{de, ser}; },
        (false, true) => quote! { use crate::runtime::de; },
        (false, false) => TokenStream::new(),
    };
    let serde_prefix = quote! {
        //! How the types of the module read and write JSON: their `Serialize` and
        //! `Deserialize`, over the runtime's shared readers and writers.
        #allow
        use super::*;
        #allow
        #shared
    };
    let serde = FileBody::Items {
        prefix: serde_prefix,
        count: with_serde.len(),
        item: Box::new(move |index| {
            let (id, def) = with_serde[index];
            serde_code(def, &refs, &cfg_of_serde(id))
        }),
        pointer: Box::new(move |index| serde_pointers[index].clone()),
    };
    (models, Some(serde))
}

/// Whether a type has serde code of its own in the serde module (an alias has none, a
/// newtype derives it).
fn has_serde_code(def: &TypeDef) -> bool {
    !matches!(def.kind, TypeKind::Alias(_) | TypeKind::Newtype(_))
}

/// A type's declaration, with its constructor and conversions.
fn type_def(
    def: &TypeDef,
    refs: &TypeRefs,
    cfg: &TokenStream,
    extras: &Extras,
    made: Made,
) -> TokenStream {
    let name = ident(&def.name);
    let doc = match (&def.doc, &def.role) {
        (Some(doc), _) => doc_attrs(doc),
        (None, role) => own_doc_attrs(&role_doc(role, &def.pointer)),
    };
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let outer = &extras.outer;
    let doc = quote!(#cfg #doc #deprecated #outer);
    match &def.kind {
        TypeKind::Struct(s) => structure(&name, doc, s, refs, cfg, extras, made),
        TypeKind::Enum(e) => string_enum_with(&name, doc, e, cfg, extras),
        TypeKind::IntEnum(e) => int_enum(&name, doc, e, refs, cfg),
        TypeKind::OneOf(o) => one_of(&name, doc, o, refs),
        TypeKind::Alias(ty) => {
            let ty = refs.ty(ty);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = refs.ty(ty);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// A type's serde code, for the serde module; nothing for the kinds
/// [`has_serde_code`] leaves out.
fn serde_code(def: &TypeDef, refs: &TypeRefs, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure_serde(&name, s, refs, cfg),
        TypeKind::Enum(_) => string_enum_serde(&name, cfg, &quote!(de)),
        TypeKind::IntEnum(e) => int_enum_serde(&name, e, refs, cfg),
        TypeKind::OneOf(o) => one_of_serde(&name, o, refs, cfg),
        TypeKind::Alias(_) | TypeKind::Newtype(_) => TokenStream::new(),
    }
}

/// The doc of a type whose schema has none: what it stands for, in the generator's words.
fn role_doc(role: &Role, pointer: &str) -> String {
    match role {
        Role::Component(name) => format!("The {} schema of the description.", code(name)),
        Role::External => format!("The schema at {}.", code(pointer)),
        Role::Inline(place) => {
            let mut place = place.clone();
            if let Some(first) = place.get(..1) {
                place.replace_range(..1, &first.to_uppercase());
            }
            format!("{place}.")
        }
    }
}
