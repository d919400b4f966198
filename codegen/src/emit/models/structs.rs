//! Structs: one field per property, each field's Rust type as the required × nullable
//! rule ([`Optionality`]) says, with a constructor for the types a request can hold;
//! read and written by the runtime's shared helpers rather than serde's derives.

use proc_macro2::TokenStream;
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

/// A struct's declaration, with the `default` values of its fields and its constructor.
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
    let fields: Vec<Declared> = s
        .fields
        .iter()
        .map(|field| struct_field(field, refs, &mut defaults))
        .collect();
    let defaults = (!defaults.is_empty()).then(|| {
        quote! {
            /// The `default` values of the description, for serde.
            #cfg
            impl #name { #(#defaults)* }
        }
    });
    let declared: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let (extra, declared) = (extras.member(index), &f.declared);
            quote!(#extra #declared)
        })
        .collect();
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
    let mut members: Vec<Member> = s
        .fields
        .iter()
        .zip(fields)
        .map(|(field, declared)| Member {
            name: ident(&field.name),
            fill: declared.fill,
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#declared)*
            #additional
        }
        #defaults
        #constructor
    }
}

/// The bindings clippy's `disallowed_names` lint rejects by default.
const CLIPPY_DISALLOWED_NAMES: &[&str] = &["foo", "baz", "quux"];

/// `member,` when the local has the field's name, else `member: local,`.
fn shorthand(member: &syn::Ident, local: &syn::Ident) -> TokenStream {
    if member == local {
        quote!(#member,)
    } else {
        quote!(#member: #local,)
    }
}

/// A struct's serde code. Serde's derived `Deserialize` is several times the code of a
/// struct (a field enum and its visitor, a map and a sequence visitor): the heaviest part
/// of a large crate to compile; its `Serialize`, with a test and a call per optional
/// field, comes next. Here `read` keeps a local per field and reads each member straight
/// into it, and the runtime's visitor and helpers do the rest; the `Serialize` hands each
/// field to a shared writer.
pub(super) fn structure_serde(
    name: &syn::Ident,
    s: &Struct,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let fields: Vec<syn::Ident> = s.fields.iter().map(|f| ident(&f.name)).collect();
    let additional_field = s
        .additional
        .as_ref()
        .map(|additional| ident(&additional.name));
    // Each field is read into a local of its own name, unless that name is one clippy
    // forbids for a binding (a property called `foo`): then its name with `_value`.
    let mut taken: Vec<String> = fields
        .iter()
        .chain(&additional_field)
        .map(ToString::to_string)
        .collect();
    let mut binding = |field: &syn::Ident| {
        let name = field.to_string();
        if !CLIPPY_DISALLOWED_NAMES.contains(&name.trim_start_matches("r#")) {
            return field.clone();
        }
        let mut name = format!("{name}_value");
        while taken.contains(&name) {
            name.push('_');
        }
        taken.push(name.clone());
        ident(&name)
    };
    let field_names: Vec<syn::Ident> = fields.iter().map(&mut binding).collect();
    let additional = additional_field.as_ref().map(&mut binding);
    // The reader's own locals, named so that no field's local shadows them.
    let local = |name: &str| {
        let mut name = name.to_owned();
        while taken.contains(&name) {
            name.push('_');
        }
        ident(&name)
    };
    let (map, key) = (local("map"), local("key"));
    let wires: Vec<&String> = s.fields.iter().map(|f| &f.wire).collect();
    let mut builds = Vec::new();
    let mut writes = Vec::new();
    for ((field, member), local) in s.fields.iter().zip(&fields).zip(&field_names) {
        let wire = &field.wire;
        let (build, write) = match Optionality::of(field, refs) {
            Optionality::Defaulted { default, .. } => {
                let function = ident(&default.function);
                (
                    quote!(#local.unwrap_or_else(Self::#function)),
                    quote!(object.required(#wire, &self.#member)?;),
                )
            }
            Optionality::Required | Optionality::RequiredNullable => (
                quote!(de::required(#local, #wire)?),
                quote!(object.required(#wire, &self.#member)?;),
            ),
            Optionality::Optional => (
                quote!(#local.flatten()),
                quote!(object.optional(#wire, &self.#member)?;),
            ),
            Optionality::OptionalNullable => {
                builds.push(shorthand(member, local));
                writes.push(quote!(object.optional(#wire, &self.#member)?;));
                continue;
            }
        };
        builds.push(quote!(#member: #build,));
        writes.push(write);
    }
    let (rest, unknown) = match (&additional, &additional_field) {
        (Some(rest), Some(member)) => {
            builds.push(shorthand(member, rest));
            writes.push(quote!(object.rest(&self.#member)?;));
            (
                Some(quote!(let mut #rest = std::collections::BTreeMap::new();)),
                quote!(de::rest(&mut #map, &mut #rest, #key)?),
            )
        }
        _ => (None, quote!(de::skip(&mut #map)?)),
    };
    let object = if writes.is_empty() {
        quote!(object)
    } else {
        quote!(mut object)
    };
    // Each member into its field's local; with no field to match, every member is
    // `unknown`.
    let read_members = match (wires.is_empty(), additional.is_some()) {
        (false, _) => quote! {
            while let Some(#key) = de::key(&mut #map)? {
                match #key.as_str() {
                    #(#wires => de::slot(&mut #map, &mut #field_names, #wires)?,)*
                    _ => #unknown,
                }
            }
        },
        (true, true) => quote! {
            while let Some(#key) = de::key(&mut #map)? {
                #unknown;
            }
        },
        (true, false) => quote! {
            while de::key(&mut #map)?.is_some() {
                #unknown;
            }
        },
    };
    let shown = name.to_string();
    quote! {
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
            fn read<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                #(let mut #field_names = None;)*
                #rest
                #read_members
                Ok(Self { #(#builds)* })
            }
        }
    }
}

/// A field: its declaration and how a constructor fills it.
struct Declared {
    declared: TokenStream,
    fill: Fill,
}

/// One field's declaration: its Rust type as its [`Optionality`] says, the field's
/// `default` pushed onto `defaults` when it has one.
fn struct_field(field: &Field, refs: &TypeRefs, defaults: &mut Vec<TokenStream>) -> Declared {
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
    let optionality = Optionality::of(field, refs);
    let wrappers = u32::from(field.boxed) + optionality.wrapping().depth();
    let mut fill = Fill::Empty(quote!(None));
    match optionality {
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
        }
        Optionality::Required => fill = Fill::Argument(ty.clone()),
        Optionality::RequiredNullable => {
            ty = quote!(Option<#ty>);
            fill = Fill::Argument(ty.clone());
        }
        Optionality::Optional => ty = quote!(Option<#ty>),
        Optionality::OptionalNullable => ty = quote!(Option<Option<#ty>>),
    }
    let doc = doc_attrs(&doc);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let complex = complexity_allow(&field.ty, wrappers);
    Declared {
        declared: quote! { #doc #deprecated #complex pub #name: #ty, },
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
