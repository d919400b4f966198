//! Structs: one field per property, read and written by the runtime's shared helpers
//! rather than serde's derives, each field's Rust type as the required × nullable rule
//! ([`Optionality`]) says, with a constructor for the types a request can hold.

use proc_macro2::{Literal as Literal2, TokenStream};
use quote::quote;

use super::super::construct::{self, Fill, Member};
use super::super::docs::{code, doc_attrs};
use super::super::extras::Extras;
use super::super::tokens::{complexity_allow, ident, TypeRefs};
use super::defaults::default_value;
use crate::model::{Field, FieldDefault, Struct};

/// Whether a request can hold the type (its callers build it) or it is only read from
/// responses: only the first gets a constructor.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Made {
    Sent,
    Read,
}

pub(super) fn structure(
    name: &syn::Ident,
    doc: TokenStream,
    s: &Struct,
    refs: &TypeRefs,
    cfg: &TokenStream,
    extras: &Extras,
    made: Made,
) -> TokenStream {
    let mut defaults = Vec::new();
    let fields: Vec<Emitted> = s
        .fields
        .iter()
        .enumerate()
        .map(|(index, field)| struct_field(index, field, refs, &mut defaults))
        .collect();
    let defaults = (!defaults.is_empty()).then(|| {
        quote! {
            /// The `default` values of the description, for serde.
            #cfg
            impl #name { #(#defaults)* }
        }
    });
    let declared = fields.iter().enumerate().map(|(index, f)| {
        let (extra, declared) = (extras.member(index), &f.declared);
        quote!(#extra #declared)
    });
    let mut builds: Vec<TokenStream> = fields.iter().map(|f| f.build.clone()).collect();
    let mut writes: Vec<TokenStream> = fields.iter().map(|f| f.write.clone()).collect();
    let wires: Vec<&String> = s.fields.iter().map(|f| &f.wire).collect();
    let slots: Vec<Literal2> = (0..s.fields.len())
        .map(Literal2::usize_unsuffixed)
        .collect();
    let nones = slots.iter().map(|_| quote!(None,));
    let (rest, unknown) = match &s.additional {
        Some(additional) => {
            let field_name = ident(&additional.name);
            builds.push(quote!(#field_name: rest,));
            writes.push(quote!(object.rest(&self.#field_name)?;));
            (
                Some(quote!(let mut rest = std::collections::BTreeMap::new();)),
                quote!(de::rest(&mut map, &mut rest, key)?),
            )
        }
        None => (None, quote!(de::skip(&mut map)?)),
    };
    let additional = s.additional.as_ref().map(|additional| {
        let values = refs.ty(&additional.ty);
        let field_name = ident(&additional.name);
        let extra = &extras.rest;
        quote! {
            /// Properties not listed in the schema, by name.
            #extra
            pub #field_name: std::collections::BTreeMap<String, #values>,
        }
    });
    let slots_declared = (!slots.is_empty()).then(|| quote!(let mut slots = (#(#nones)*);));
    let mut members: Vec<Member> = s
        .fields
        .iter()
        .zip(fields.iter())
        .map(|(field, emitted)| Member {
            name: ident(&field.name),
            fill: emitted.fill.clone(),
        })
        .collect();
    if let Some(additional) = &s.additional {
        members.push(Member {
            name: ident(&additional.name),
            fill: Fill::Empty(quote!(std::collections::BTreeMap::new())),
        });
    }
    let default = construct::derives_default(&members).then(|| quote!(Default,));
    let constructor = match made {
        Made::Sent => construct::constructor(name, &members, cfg),
        Made::Read => TokenStream::new(),
    };
    let object = if writes.is_empty() {
        quote!(object)
    } else {
        quote!(mut object)
    };
    // Each member into its slot; with no field to match, every member is `unknown`.
    let read_members = match (wires.is_empty(), s.additional.is_some()) {
        (false, _) => quote! {
            while let Some(key) = de::key(&mut map)? {
                match key.as_str() {
                    #(#wires => de::slot(&mut map, &mut slots.#slots, #wires)?,)*
                    _ => #unknown,
                }
            }
        },
        (true, true) => quote! {
            while let Some(key) = de::key(&mut map)? {
                #unknown;
            }
        },
        (true, false) => quote! {
            while de::key(&mut map)?.is_some() {
                #unknown;
            }
        },
    };
    let shown = name.to_string();
    // Serde's derived `Deserialize` is several times the code of a struct (a field
    // enum and its visitor, a map and a sequence visitor): the heaviest part of a large
    // crate to compile; its `Serialize`, with a test and a call per optional field, comes
    // next. Here `read` holds a slot per field and reads each member straight into it,
    // and the runtime's visitor and helpers do the rest; the `Serialize` hands each field
    // to a shared writer.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#declared)*
            #additional
        }

        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #object = ser::Object::new(serializer)?;
                #(#writes)*
                object.end()
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                de::object(deserializer)
            }
        }

        #cfg
        impl de::Object for #name {
            const NAME: &'static str = #shown;
            fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #slots_declared
                #rest
                #read_members
                Ok(Self { #(#builds)* })
            }
        }
        #defaults
        #constructor
    }
}

/// A field: its declaration, the expression that builds it from its slot in
/// `Deserialize`, the statement that writes it in `Serialize`, and how a constructor
/// fills it.
struct Emitted {
    declared: TokenStream,
    build: TokenStream,
    write: TokenStream,
    fill: Fill,
}

/// One field, the member `index` of its object, read into the slot `s.index`, its Rust
/// type and its reading and writing as its [`Optionality`] says. A slot holds what the
/// member reads as, `Option<T>` for those that may be `null`.
fn struct_field(
    index: usize,
    field: &Field,
    refs: &TypeRefs,
    defaults: &mut Vec<TokenStream>,
) -> Emitted {
    let mut doc = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("The {} property.", code(&field.wire)));
    if field.read_only {
        doc.push_str("\n\nRead-only: sent by servers, left out of requests.");
    }
    if field.write_only {
        doc.push_str("\n\nWrite-only: sent by clients, left out of responses.");
    }
    let name = ident(&field.name);
    let mut ty = refs.ty(&field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let wire = &field.wire;
    let mut write = quote!(object.required(#wire, &self.#name)?;);
    let slot = Literal2::usize_unsuffixed(index);
    let slot = quote!(slots.#slot);
    let optionality = Optionality::of(field, refs);
    let wrappers = u32::from(field.boxed) + optionality.wrapping().depth();
    let mut fill = Fill::Empty(quote!(None));
    let build = match optionality {
        Optionality::Defaulted {
            value,
            shown,
            default,
        } => {
            doc.push_str(&format!("\n\nDefaults to {} when absent.", code(&shown)));
            let function = ident(&default.function);
            let field_ty = refs.ty(&field.ty);
            defaults.push(quote! {
                fn #function() -> #field_ty { #value }
            });
            fill = Fill::Value(quote!(Self::#function()));
            quote!(#slot.unwrap_or_else(Self::#function))
        }
        Optionality::Required => {
            fill = Fill::Argument(ty.clone());
            quote!(de::required(#slot, #wire)?)
        }
        Optionality::RequiredNullable => {
            ty = quote!(Option<#ty>);
            fill = Fill::Argument(ty.clone());
            quote!(de::required(#slot, #wire)?)
        }
        Optionality::Optional => {
            write = quote!(object.optional(#wire, &self.#name)?;);
            ty = quote!(Option<#ty>);
            quote!(#slot.flatten())
        }
        Optionality::OptionalNullable => {
            write = quote!(object.optional(#wire, &self.#name)?;);
            ty = quote!(Option<Option<#ty>>);
            quote!(#slot)
        }
    };
    let doc = doc_attrs(&doc);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let complex = complexity_allow(&field.ty, wrappers);
    Emitted {
        declared: quote! { #doc #deprecated #complex pub #name: #ty, },
        build: quote! { #name: #build, },
        write,
        fill,
    }
}

/// Whether a field's member may be absent and whether it may be `null`, as its Rust type
/// says what the wire allows: the one place the rule is decided.
///
/// | required | nullable | Rust                  | absent  | `null`        |
/// |----------|----------|-----------------------|---------|---------------|
/// | yes      | no       | `T`                   | error   | error         |
/// | yes      | yes      | `Option<T>`           | error   | `None`        |
/// | no       | no       | `Option<T>`           | `None`  | `None`        |
/// | no       | yes      | `Option<Option<T>>`   | `None`  | `Some(None)`  |
///
/// and an optional field with a literal `default` is a plain `T`, filled in when absent.
enum Optionality<'f> {
    /// Optional, with a `default` of the field's type: its Rust expression, how the docs
    /// show it, and the default itself.
    Defaulted {
        value: TokenStream,
        shown: String,
        default: &'f FieldDefault,
    },
    Required,
    RequiredNullable,
    Optional,
    OptionalNullable,
}

impl<'f> Optionality<'f> {
    fn of(field: &'f Field, refs: &TypeRefs) -> Optionality<'f> {
        let default = field.default.as_ref().and_then(|default| {
            let (value, shown) = default_value(&default.value, &field.ty, refs)?;
            Some(Optionality::Defaulted {
                value,
                shown,
                default,
            })
        });
        match (field.required, field.nullable, default) {
            (_, _, Some(defaulted)) => defaulted,
            (true, false, None) => Optionality::Required,
            (true, true, None) => Optionality::RequiredNullable,
            (false, false, None) => Optionality::Optional,
            (false, true, None) => Optionality::OptionalNullable,
        }
    }

    fn wrapping(&self) -> Wrapping {
        match self {
            Optionality::Defaulted { .. } | Optionality::Required => Wrapping::Plain,
            Optionality::RequiredNullable | Optionality::Optional => Wrapping::Option,
            Optionality::OptionalNullable => Wrapping::OptionOption,
        }
    }
}

/// How a field's Rust type wraps its member's type (see [`Optionality`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Wrapping {
    /// `T`: required and not nullable, or filled in from a `default`.
    Plain,
    /// `Option<T>`.
    Option,
    /// `Option<Option<T>>`: optional and nullable.
    OptionOption,
}

impl Wrapping {
    /// How many `Option`s it adds.
    fn depth(self) -> u32 {
        match self {
            Wrapping::Plain => 0,
            Wrapping::Option => 1,
            Wrapping::OptionOption => 2,
        }
    }
}

/// How `field`'s Rust type wraps its member's type.
pub fn wrapping(field: &Field, refs: &TypeRefs) -> Wrapping {
    Optionality::of(field, refs).wrapping()
}
