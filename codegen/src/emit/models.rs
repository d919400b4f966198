//! The `models` module: one Rust type per named (or name-worthy inline) schema, ordered
//! by name so the output does not depend on the order schemas were discovered in.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, own_doc_attrs};
use super::{ident, TypeRefs};
use crate::model::{Api, Field, OneOf, StringEnum, Struct, Ty, TypeDef, TypeKind};

pub fn models(api: &Api) -> TokenStream {
    let refs = TypeRefs {
        api,
        prefix: quote!(),
    };
    let mut order: Vec<&TypeDef> = api.types.iter().collect();
    order.sort_by(|a, b| a.name.cmp(&b.name));
    let items = order.into_iter().map(|def| type_def(def, &refs));
    quote! {
        //! Types of the schemas of the description: requests, responses and what they contain.
        #![allow(
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            clippy::type_complexity
        )]
        #(#items)*
    }
}

fn type_def(def: &TypeDef, refs: &TypeRefs) -> TokenStream {
    let name = ident(&def.name);
    let mut doc = def
        .doc
        .clone()
        .unwrap_or_else(|| format!("The schema at `{}`.", def.pointer));
    if def.deprecated {
        doc.push_str("\n\n**Deprecated.**");
    }
    let doc = doc_attrs(&doc);
    match &def.kind {
        TypeKind::Struct(s) => structure(&name, doc, s, refs),
        TypeKind::Enum(e) => string_enum(&name, doc, e),
        TypeKind::OneOf(o) => one_of(&name, doc, o, refs),
        TypeKind::Alias(ty) => {
            let ty = refs.ty(ty);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

fn structure(name: &syn::Ident, doc: TokenStream, s: &Struct, refs: &TypeRefs) -> TokenStream {
    let fields = s.fields.iter().map(|field| struct_field(field, refs));
    let additional = s.additional.as_ref().map(|values| {
        let values = refs.ty(values);
        let mut field_name = String::from("additional_properties");
        while s.fields.iter().any(|f| f.name == field_name) {
            field_name.push('_');
        }
        let field_name = ident(&field_name);
        quote! {
            /// Properties not listed in the schema, by name.
            #[serde(flatten)]
            pub #field_name: std::collections::BTreeMap<String, #values>,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn struct_field(field: &Field, refs: &TypeRefs) -> TokenStream {
    let mut doc = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.wire));
    if field.deprecated {
        doc.push_str("\n\n**Deprecated.**");
    }
    let doc = doc_attrs(&doc);
    let name = ident(&field.name);
    let mut ty = refs.ty(&field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let mut attrs = Vec::new();
    if field.name != field.wire {
        let wire = &field.wire;
        attrs.push(quote!(rename = #wire));
    }
    if !field.required {
        attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
    if !field.required || field.nullable {
        ty = quote!(Option<#ty>);
    }
    quote! { #doc #serde pub #name: #ty, }
}

/// A string enum that keeps values it does not know in `Unknown`.
pub fn string_enum(name: &syn::Ident, doc: TokenStream, e: &StringEnum) -> TokenStream {
    let variants = e.variants.iter().map(|variant| {
        let doc = match &variant.doc {
            Some(doc) => doc_attrs(doc),
            None => doc_attrs(&format!("The value `{}`.", variant.wire)),
        };
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        let rename = (variant.name != variant.wire).then(|| quote!(#[serde(rename = #wire)]));
        quote! { #doc #rename #variant_name, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#variants)*
            /// A value the description does not list, kept as it was received.
            #[serde(untagged)]
            Unknown(String),
        }
    }
}

fn one_of(name: &syn::Ident, doc: TokenStream, o: &OneOf, refs: &TypeRefs) -> TokenStream {
    let variants = o.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = match &variant.ty {
            Ty::Named(id) => own_doc_attrs(&format!("A [`{}`].", refs.api.types[id.0].name)),
            _ => own_doc_attrs(&format!("The `{}` alternative.", variant.name)),
        };
        let mut ty = refs.ty(&variant.ty);
        if variant.boxed {
            ty = quote!(Box<#ty>);
        }
        quote! { #doc #variant_name(#ty), }
    });
    let Some(property) = &o.discriminator else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name { #(#variants)* }
        };
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
        quote! { #(Some(#tags))|* => crate::runtime::from_value(value).map(#wrap), }
    });
    let expected = o
        .variants
        .iter()
        .flat_map(|v| v.tags.iter().map(|t| format!("`{t}`")))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!("unknown `{property}`, expected one of {expected}");
    let value = format_ident!("value");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name { #(#variants)* }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let #value = serde_json::Value::deserialize(deserializer)?;
                match #value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    _ => Err(serde::de::Error::custom(#unknown)),
                }
            }
        }
    }
}
