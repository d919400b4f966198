//! The `default` values of fields: the Rust expression of a literal, and how the docs
//! show it.

use proc_macro2::{Literal as Literal2, TokenStream};
use quote::quote;

use super::super::tokens::{ident, TypeRefs};
use crate::model::{Literal, Ty, TypeKind};

/// The Rust expression of a `default` and how the
/// docs show it; `None` when the literal does not fit the field's type.
pub(super) fn default_value(
    literal: &Literal,
    ty: &Ty,
    refs: &TypeRefs,
) -> Option<(TokenStream, String)> {
    Some(match (literal, ty) {
        (Literal::Bool(b), Ty::Bool) => (quote!(#b), b.to_string()),
        (Literal::Int(i), Ty::I32) => {
            i32::try_from(*i).ok()?;
            let value = Literal2::i64_unsuffixed(*i);
            (quote!(#value), i.to_string())
        }
        (Literal::Int(i), Ty::I64) => {
            let value = Literal2::i64_unsuffixed(*i);
            (quote!(#value), i.to_string())
        }
        (Literal::Int(i), Ty::F64) => {
            let value = Literal2::f64_unsuffixed(*i as f64);
            (quote!(#value), i.to_string())
        }
        (Literal::Float(f), Ty::F64) if f.is_finite() => {
            let value = Literal2::f64_unsuffixed(*f);
            (quote!(#value), f.to_string())
        }
        (Literal::String(text), Ty::String) => (quote!(#text.to_owned()), text.clone()),
        (literal, Ty::Named(id)) => {
            let def = &refs.api.types[id.0];
            let type_name = ident(&def.name);
            let variant = match (literal, &def.kind) {
                (Literal::String(text), TypeKind::Enum(e)) => {
                    e.variants.iter().find(|v| &v.wire == text).map(|v| &v.name)
                }
                (Literal::Int(i), TypeKind::IntEnum(e)) => {
                    e.variants.iter().find(|v| v.value == *i).map(|v| &v.name)
                }
                _ => None,
            }?;
            let variant = ident(variant);
            let shown = match literal {
                Literal::String(text) => text.clone(),
                Literal::Int(i) => i.to_string(),
                _ => return None,
            };
            (quote!(#type_name::#variant), shown)
        }
        _ => return None,
    })
}
