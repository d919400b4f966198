//! Enums of listed values, string or integer: each keeps a value it does not list in
//! `Unknown`, so that a new value of the server's does not break a client.

use proc_macro2::{Literal as Literal2, TokenStream};
use quote::quote;

use super::super::docs::{code, doc_attrs};
use super::super::extras::Extras;
use super::super::tokens::{enum_allows, ident, TypeRefs};
use crate::model::{IntEnum, StringEnum};

/// An integer enum; unknown values are kept in `Unknown`, so (de)serialization goes
/// through the integer.
pub(super) fn int_enum(
    name: &syn::Ident,
    doc: TokenStream,
    e: &IntEnum,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let repr = refs.ty(&e.repr);
    let names: Vec<syn::Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|variant| {
            let value = variant.value;
            let magnitude = Literal2::u64_unsuffixed(value.unsigned_abs());
            if value < 0 {
                quote!(-#magnitude)
            } else {
                quote!(#magnitude)
            }
        })
        .collect();
    let docs = e.variants.iter().map(|variant| match &variant.doc {
        Some(doc) => doc_attrs(doc),
        None => doc_attrs(&format!("The value {}.", code(&variant.value.to_string()))),
    });
    let variant_names: Vec<&str> = e
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .chain(["Unknown"])
        .collect();
    let allows = enum_allows(&name.to_string(), &variant_names, false);
    quote! {
        #doc
        #allows
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#docs #names,)*
            /// A value the description does not list, kept as it was received.
            Unknown(#repr),
        }

        #cfg
        impl From<#repr> for #name {
            fn from(value: #repr) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(other),
                }
            }
        }

        #cfg
        impl From<#name> for #repr {
            fn from(value: #name) -> Self {
                match value {
                    #(#name::#names => #values,)*
                    #name::Unknown(other) => other,
                }
            }
        }
    }
}

/// An integer enum's serde code: the integer, read and written through its `From`s.
pub(super) fn int_enum_serde(
    name: &syn::Ident,
    e: &IntEnum,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let repr = refs.ty(&e.repr);
    quote! {
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&#repr::from(*self), serializer)
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#repr as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// A string enum that keeps values it does not know in `Unknown`, with its serde code
/// after it: for the enums of the operations and servers modules.
pub fn string_enum(
    name: &syn::Ident,
    doc: TokenStream,
    e: &StringEnum,
    cfg: &TokenStream,
) -> TokenStream {
    let declared = string_enum_with(name, doc, e, cfg, &Extras::default());
    let serde = string_enum_serde(name, cfg, &quote!(crate::runtime::de));
    quote!(#declared #serde)
}

/// A string enum's declaration, with what the settings add to its variants: the value
/// as it is sent (`as_str`, `Display`) and from a string (`From<&str>`, `FromStr`).
pub(super) fn string_enum_with(
    name: &syn::Ident,
    doc: TokenStream,
    e: &StringEnum,
    cfg: &TokenStream,
    extras: &Extras,
) -> TokenStream {
    let docs = e.variants.iter().enumerate().map(|(index, variant)| {
        let extra = extras.member(index);
        let doc = match &variant.doc {
            Some(doc) => doc_attrs(doc),
            None => doc_attrs(&format!("The value {}.", code(&variant.wire))),
        };
        quote!(#extra #doc)
    });
    let unknown_extra = &extras.rest;
    let names: Vec<syn::Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&String> = e.variants.iter().map(|v| &v.wire).collect();
    let variant_names: Vec<&str> = e
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .chain(["Unknown"])
        .collect();
    let allows = enum_allows(&name.to_string(), &variant_names, false);
    quote! {
        #doc
        #allows
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#docs #names,)*
            /// A value the description does not list, kept as it was received.
            #unknown_extra
            Unknown(String),
        }

        #cfg
        impl #name {
            /// The value as it is sent.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        #cfg
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#names,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        // `Infallible` written out: `Self::Err` is ambiguous beside a variant named `Err`.
        #cfg
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// A string enum's serde code, with the runtime's `de` module at `de`. Serde's derive
/// would read the unknown value through an untagged variant, which buffers every value in
/// a generic tree: heavy code, once per enum. The string, read by a shared visitor and
/// matched by `From<&str>`, does the same.
pub(super) fn string_enum_serde(
    name: &syn::Ident,
    cfg: &TokenStream,
    de: &TokenStream,
) -> TokenStream {
    quote! {
        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #de::string_enum(deserializer)
            }
        }
    }
}
