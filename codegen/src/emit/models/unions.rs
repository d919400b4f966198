//! Unions: an enum per `oneOf` or `anyOf`, read by its discriminator's value when it has
//! one, else by the kind of JSON value that comes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::docs::own_doc_attrs;
use super::super::tokens::{complexity_allow, enum_allows, ident, TypeRefs};
use crate::model::{OneOf, OneOfVariant, Ty, TypeId, TypeKind};

/// Whether `ty` is a JSON array, directly or through an alias.
fn is_list(ty: &Ty, refs: &TypeRefs) -> bool {
    match ty {
        Ty::List(_) => true,
        Ty::Option(inner) => is_list(inner, refs),
        Ty::Named(id) => match &refs.api.types[id.0].kind {
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) => matches!(inner, Ty::List(_)),
            _ => false,
        },
        _ => false,
    }
}

/// A `oneOf` without a discriminator, read by the runtime's `de::union`: the kind of
/// JSON value that comes picks the alternatives to try (each listed with the kinds it
/// reads), and an object or an array that one alternative alone reads goes straight into
/// it. Only a value that several alternatives may read is held in a tree and tried on
/// each, rather than every value as serde's untagged derive does, with heavy code made
/// once per enum.
fn untagged(name: &syn::Ident, o: &OneOf, refs: &TypeRefs, cfg: &TokenStream) -> TokenStream {
    let ordered = ordered(o, refs);
    let read: Vec<u8> = ordered
        .iter()
        .map(|variant| kinds(&variant.ty, refs, &mut Vec::new()))
        .collect();
    let wrap = |variant: &OneOfVariant| {
        let variant_name = ident(&variant.name);
        if variant.boxed {
            quote!(|value| Self::#variant_name(Box::new(value)))
        } else {
            quote!(Self::#variant_name)
        }
    };
    let alternatives = ordered.iter().zip(&read).map(|(variant, &of)| {
        let of = kind_tokens(of);
        let wrap = wrap(variant);
        let ty = refs.ty(&variant.ty);
        quote!((#of, |value| <#ty as serde::Deserialize>::deserialize(value).map(#wrap)))
    });
    // The one alternative that alone reads objects (or arrays), if there is one.
    let alone = |bit: u8| {
        let mut readers = ordered.iter().zip(&read).filter(|(_, &of)| of & bit != 0);
        match (readers.next(), readers.next()) {
            (Some((variant, _)), None) => Some(*variant),
            _ => None,
        }
    };
    let object = alone(kind::OBJECT).map(|variant| {
        let wrap = wrap(variant);
        let read = match &variant.ty {
            Ty::Named(id) if matches!(refs.api.types[id.0].kind, TypeKind::Struct(_)) => {
                let ty = refs.ty(&variant.ty);
                quote!(<#ty as de::Object>::read(map))
            }
            ty => {
                let ty = refs.ty(ty);
                quote!(de::map::<_, #ty>(map))
            }
        };
        quote! {
            fn object<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                #read.map(#wrap)
            }
        }
    });
    let array = alone(kind::ARRAY).map(|variant| {
        let wrap = wrap(variant);
        let ty = refs.ty(&variant.ty);
        quote! {
            fn array<'de, A: serde::de::SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
                de::seq::<_, #ty>(seq).map(#wrap)
            }
        }
    });
    let shown = name.to_string();
    let items = one_of_serde_items(name, &ordered, cfg, quote!(de::union(deserializer)));
    quote! {
        #items

        #cfg
        impl de::Union for #name {
            const NAME: &'static str = #shown;
            const ALTERNATIVES: &'static [de::Alternative<Self>] = &[#(#alternatives),*];
            #object
            #array
        }
    }
}

/// The kinds of JSON value a type reads: a mirror of the runtime's `de::kind` bits (the
/// generator carries the runtime only as text, so it cannot name them).
mod kind {
    pub const NULL: u8 = 1;
    pub const BOOL: u8 = 1 << 1;
    pub const INTEGER: u8 = 1 << 2;
    pub const FLOAT: u8 = 1 << 3;
    pub const STRING: u8 = 1 << 4;
    pub const ARRAY: u8 = 1 << 5;
    pub const OBJECT: u8 = 1 << 6;
    pub const ANY: u8 = NULL | BOOL | INTEGER | FLOAT | STRING | ARRAY | OBJECT;
    /// The runtime's name of each bit.
    pub const NAMES: [(u8, &str); 7] = [
        (NULL, "NULL"),
        (BOOL, "BOOL"),
        (INTEGER, "INTEGER"),
        (FLOAT, "FLOAT"),
        (STRING, "STRING"),
        (ARRAY, "ARRAY"),
        (OBJECT, "OBJECT"),
    ];
}

/// The kinds of JSON value `ty` can be read from: never fewer than it reads, since an
/// alternative is only tried on the kinds listed. A type met again inside itself adds
/// nothing (`visiting`).
fn kinds(ty: &Ty, refs: &TypeRefs, visiting: &mut Vec<TypeId>) -> u8 {
    match ty {
        Ty::Bool => kind::BOOL,
        Ty::I32 | Ty::I64 => kind::INTEGER,
        Ty::F32 | Ty::F64 => kind::INTEGER | kind::FLOAT,
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid => kind::STRING,
        // `runtime::Binary`: a string, or bytes that are not UTF-8 as an array.
        Ty::Bytes => kind::STRING | kind::ARRAY,
        Ty::List(_) => kind::ARRAY,
        Ty::Map(_) => kind::OBJECT,
        Ty::Option(inner) => kind::NULL | kinds(inner, refs, visiting),
        // A type the settings name may read anything.
        Ty::Any | Ty::Rust(_) => kind::ANY,
        Ty::Named(id) => {
            if visiting.contains(id) {
                return 0;
            }
            visiting.push(*id);
            let of = match &refs.api.types[id.0].kind {
                TypeKind::Struct(_) => kind::OBJECT,
                TypeKind::Enum(_) => kind::STRING,
                TypeKind::IntEnum(e) => kinds(&e.repr, refs, visiting),
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => kinds(inner, refs, visiting),
                TypeKind::OneOf(o) if o.discriminator.is_some() => kind::OBJECT,
                TypeKind::OneOf(o) => o
                    .variants
                    .iter()
                    .fold(0, |of, variant| of | kinds(&variant.ty, refs, visiting)),
            };
            visiting.pop();
            of
        }
    }
}

/// `de::kind::STRING | de::kind::OBJECT`, or `de::kind::ANY`.
fn kind_tokens(of: u8) -> TokenStream {
    let path = quote!(de::kind);
    if of == kind::ANY {
        return quote!(#path::ANY);
    }
    let bits: Vec<TokenStream> = kind::NAMES
        .iter()
        .filter(|(bit, _)| of & bit != 0)
        .map(|(_, name)| {
            let name = format_ident!("{}", name);
            quote!(#path::#name)
        })
        .collect();
    if bits.is_empty() {
        return quote!(0);
    }
    quote!(#(#bits)|*)
}

/// The alternatives of a `oneOf` in the order its enum lists them: lists first.
/// Untagged, serde tries the variants in order, and a derived struct also reads a JSON
/// array (its fields by position): list alternatives go first, so an array is read as
/// the list it is. Lists read nothing but arrays, so no other value changes variant.
fn ordered<'o>(o: &'o OneOf, refs: &TypeRefs) -> Vec<&'o OneOfVariant> {
    let mut ordered: Vec<&OneOfVariant> = o.variants.iter().collect();
    ordered.sort_by_key(|variant| !is_list(&variant.ty, refs));
    ordered
}

/// A `oneOf`'s `Serialize` (untagged: each variant's value writes itself) and its
/// `Deserialize`, whose body is `read`.
fn one_of_serde_items(
    name: &syn::Ident,
    ordered: &[&OneOfVariant],
    cfg: &TokenStream,
    read: TokenStream,
) -> TokenStream {
    let names: Vec<syn::Ident> = ordered.iter().map(|variant| ident(&variant.name)).collect();
    // An enum without variants has no value to match.
    let matched = if names.is_empty() {
        quote!(*self)
    } else {
        quote!(self)
    };
    quote! {
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match #matched {
                    #(Self::#names(value) => serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

/// The enum of a `oneOf`: a variant per alternative.
pub(super) fn one_of(
    name: &syn::Ident,
    doc: TokenStream,
    o: &OneOf,
    refs: &TypeRefs,
) -> TokenStream {
    let variants = ordered(o, refs).into_iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = match &variant.ty {
            Ty::Named(id) => own_doc_attrs(&format!("A [`{}`].", refs.api.types[id.0].name)),
            _ => own_doc_attrs(&format!("The `{}` alternative.", variant.name)),
        };
        let mut ty = refs.ty(&variant.ty);
        if variant.boxed {
            ty = quote!(Box<#ty>);
        }
        let complex = complexity_allow(&variant.ty, u32::from(variant.boxed));
        quote! { #doc #complex #variant_name(#ty), }
    });
    let variant_names: Vec<&str> = o.variants.iter().map(|v| v.name.as_str()).collect();
    let allows = enum_allows(&name.to_string(), &variant_names, true);
    quote! {
        #doc
        #allows
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }
    }
}

/// A `oneOf`'s serde code: read by its discriminator's value when it has one, else by
/// the kind of JSON value that comes ([`untagged`]).
pub(super) fn one_of_serde(
    name: &syn::Ident,
    o: &OneOf,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let Some(property) = &o.discriminator else {
        return untagged(name, o, refs, cfg);
    };
    // The variant is chosen by the discriminator's value, never by trial and error; each
    // variant's own type keeps the discriminator property, so it serializes untagged.
    let arms = o.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let tags = &variant.tags;
        let wrap = if variant.boxed {
            quote!(|value| Self::#variant_name(Box::new(value)))
        } else {
            quote!(Self::#variant_name)
        };
        quote! { #(Some(#tags))|* => de::from_value(value).map(#wrap), }
    });
    let expected = o
        .variants
        .iter()
        .flat_map(|v| v.tags.iter().map(|t| format!("`{t}`")))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!("unknown `{property}`, expected one of {expected}");
    let value = format_ident!("value");
    let read = quote! {
        let #value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
        match #value.get(#property).and_then(serde_json::Value::as_str) {
            #(#arms)*
            _ => Err(serde::de::Error::custom(#unknown)),
        }
    };
    one_of_serde_items(name, &ordered(o, refs), cfg, read)
}
