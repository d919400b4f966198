//! The `models` module: one Rust type per named (or name-worthy inline) schema, ordered
//! by name so the output does not depend on the order schemas were discovered in. Each
//! kind of type is emitted by a file of its own: [`structs`] (with the rule of required
//! and nullable fields), [`enums`], [`unions`] (`oneOf` and `anyOf`), and [`defaults`]
//! (the `default` values of fields).

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
use enums::{int_enum, string_enum_with};
use structs::{structure, Made};
use unions::one_of;

pub use enums::string_enum;
pub use structs::{wrapping, Wrapping};

/// The `models.rs` file: every type, ordered by name so the output does not depend on
/// the order schemas were discovered in.
/// `derived` holds what the settings add to each type (derives, attributes).
pub fn models_file<'a>(
    api: &'a Api,
    gates: Option<std::sync::Arc<Gates>>,
    derived: &'a crate::derives::Derived,
) -> FileBody<'a> {
    let mut order: Vec<(TypeId, &TypeDef)> = api
        .types
        .iter()
        .enumerate()
        .map(|(index, def)| (TypeId(index), def))
        .collect();
    order.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let allow_deprecated = super::tokens::allow_deprecated(api);
    // The structs' readers and writers (the readers also read untagged `oneOf`s); with
    // features, none may be compiled.
    let has_structs = api
        .types
        .iter()
        .any(|def| matches!(def.kind, TypeKind::Struct(_)));
    let has_unions = api
        .types
        .iter()
        .any(|def| matches!(&def.kind, TypeKind::OneOf(o) if o.discriminator.is_none()));
    let allow = gates.as_ref().map(|_| quote!(#[allow(unused_imports)]));
    let shared = match (has_structs, has_unions) {
        (true, _) => quote!(#allow use crate::runtime::{de, ser};),
        (false, true) => quote!(#allow use crate::runtime::de;),
        (false, false) => quote!(),
    };
    let prefix = quote! {
        //! Types of the schemas of the description: requests, responses and what they contain.
        #allow_deprecated
        #shared
    };
    let sent = api.sent_types();
    let order2 = order.clone();
    FileBody::Items {
        prefix,
        count: order.len(),
        item: Box::new(move |index| {
            let (id, def) = order[index];
            let refs = TypeRefs {
                api,
                from_operations: false,
            };
            let cfg = gates
                .as_deref()
                .map_or_else(TokenStream::new, |gates| gates.of_type(id));
            let made = if sent[id.0] { Made::Sent } else { Made::Read };
            type_def(
                def,
                &refs,
                &cfg,
                &extras(def, derived.types.get(id.0)),
                made,
            )
        }),
        pointer: Box::new(move |index| order2[index].1.pointer.clone()),
    }
}

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
        TypeKind::OneOf(o) => one_of(&name, doc, o, refs, cfg),
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
