//! Constructors: a struct a request can hold (parameters, a body and what it contains)
//! with required fields gets `new`, taking those fields in the description's order (each
//! as `impl Into<T>`, so `"rust-lang"` makes a `String`) and leaving every other field
//! out, so a call spells only what it needs:
//! `Params { state: Some(State::Closed), ..Params::new("rust-lang", "rust") }`. A struct
//! with nothing required but a `default` somewhere gets a `Default` that fills it in. A
//! type only read from responses gets neither: nobody builds one, and each costs every
//! user compile time (a tenth of Kubernetes' check).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::own_doc_attrs;

/// How a constructor fills one field.
#[derive(Clone)]
pub enum Fill {
    /// From an argument of this type.
    Argument(TokenStream),
    /// With this value, the one `Default` gives its type (`None`, an empty map).
    Empty(TokenStream),
    /// With this value (a description's `default`).
    Value(TokenStream),
}

/// A field and how a constructor fills it.
pub struct Member {
    pub name: syn::Ident,
    pub fill: Fill,
}

/// The struct has a derived `Default`: every field is filled with `None` or empty.
pub fn derives_default(members: &[Member]) -> bool {
    members
        .iter()
        .all(|member| matches!(member.fill, Fill::Empty(_)))
}

/// `new` for a struct with arguments, a `Default` for one whose values are not all
/// `None`, nothing when `Default` is derived.
pub fn constructor(name: &syn::Ident, members: &[Member], cfg: &TokenStream) -> TokenStream {
    if derives_default(members) {
        return TokenStream::new();
    }
    let fields = members.iter().map(|member| {
        let field = &member.name;
        match &member.fill {
            Fill::Argument(_) => quote!(#field: #field.into()),
            Fill::Empty(value) | Fill::Value(value) => quote!(#field: #value),
        }
    });
    let arguments: Vec<TokenStream> = members
        .iter()
        .filter_map(|member| match &member.fill {
            Fill::Argument(ty) => {
                let field = &member.name;
                Some(quote!(#field: impl Into<#ty>))
            }
            Fill::Empty(_) | Fill::Value(_) => None,
        })
        .collect();
    if arguments.is_empty() {
        return quote! {
            #cfg
            impl Default for #name {
                fn default() -> Self {
                    Self { #(#fields,)* }
                }
            }
        };
    }
    let doc = own_doc_attrs(
        "With its required fields, in the description's order; every other field left\nout or at its default.",
    );
    // Clippy's limit is seven; a constructor takes as many as the description requires.
    let many = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #cfg
        impl #name {
            #doc
            #many
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#fields,)* }
            }
        }
    }
}
