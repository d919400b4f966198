//! Emission: the model becomes Rust source. Items are built as tokens with `quote`, parsed
//! with `syn` and printed by `prettyplease`; nothing edits the printed text afterwards.

pub mod docs;
mod models;
mod operations;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, Ty};

pub use models::models;
pub use operations::operations;

/// An identifier for a name the naming module made (always a valid, non-keyword name).
pub fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}

/// Renders [`Ty`]s, naming model types through `prefix` (`super::models::` from
/// the operations module, nothing from inside models).
pub struct TypeRefs<'a> {
    pub api: &'a Api,
    pub prefix: TokenStream,
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
            Ty::Bytes => quote!(Vec<u8>),
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
                let prefix = &self.prefix;
                quote!(#prefix #name)
            }
        }
    }
}

/// Prints `tokens` as a formatted file under `header` (comment lines, already `//`-prefixed).
pub fn render(header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        format!("the generator produced Rust that does not parse ({error}); this is a bug in the generator")
    })?;
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}
