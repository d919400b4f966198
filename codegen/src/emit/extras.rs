//! The settings' derives and attributes as tokens for one model: outer attributes for
//! the item, and the attributes `schemars::JsonSchema` needs on fields and variants to
//! describe the wire (names, the additional properties, values an enum keeps unknown),
//! since the generated types write their own serde code and carry no serde attributes
//! for it to read.

use proc_macro2::TokenStream;
use quote::quote;

use crate::derives::Extra;
use crate::model::{TypeDef, TypeKind};
use crate::settings::parse_attribute;

/// The tokens one model gets from the settings; all empty when it gets nothing.
#[derive(Default)]
pub struct Extras {
    /// Before the item: `#[derive(…)]` and the attributes.
    pub outer: TokenStream,
    /// Before each field of a struct, or each variant of a string enum, by index.
    pub members: Vec<TokenStream>,
    /// Before a struct's additional properties, or a string enum's `Unknown`.
    pub rest: TokenStream,
}

impl Extras {
    /// What goes before member `index`.
    pub fn member(&self, index: usize) -> TokenStream {
        self.members.get(index).cloned().unwrap_or_default()
    }
}

/// The extras of `def`, from what the settings give it.
pub fn extras(def: &TypeDef, extra: Option<&Extra>) -> Extras {
    let Some(extra) = extra else {
        return Extras::default();
    };
    let derives: Vec<syn::Path> = extra
        .derives
        .iter()
        .filter_map(|path| syn::parse_str(path).ok())
        .collect();
    let attributes = extra.attributes.iter().filter_map(|a| parse_attribute(a));
    let derive = (!derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]));
    let outer = quote!(#derive #(#attributes)*);
    if !extra.json_schema {
        return Extras {
            outer,
            ..Extras::default()
        };
    }
    let rename = |name: &str, wire: &str| {
        if name == wire {
            TokenStream::new()
        } else {
            quote!(#[schemars(rename = #wire)])
        }
    };
    match &def.kind {
        TypeKind::Struct(s) => Extras {
            outer,
            members: s.fields.iter().map(|f| rename(&f.name, &f.wire)).collect(),
            rest: quote!(#[schemars(flatten)]),
        },
        TypeKind::Enum(e) => Extras {
            outer,
            members: e
                .variants
                .iter()
                .map(|v| rename(&v.name, &v.wire))
                .collect(),
            rest: quote!(#[schemars(untagged)]),
        },
        _ => Extras {
            outer,
            ..Extras::default()
        },
    }
}
