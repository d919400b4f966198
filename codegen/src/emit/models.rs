//! The `models` module: one Rust type per named (or name-worthy inline) schema, ordered
//! by name so the output does not depend on the order schemas were discovered in.

use proc_macro2::{Literal as Literal2, TokenStream};
use quote::{format_ident, quote};

use super::construct::{self, Fill, Member};
use super::docs::{code, doc_attrs, own_doc_attrs};
use super::extras::{extras, Extras};
use super::features::Gates;
use super::planned::FileBody;
use super::tokens::{complexity_allow, enum_allows, ident, TypeRefs};
use crate::model::{
    Api, Field, FieldDefault, IntEnum, Literal, OneOf, OneOfVariant, Role, StringEnum, Struct, Ty,
    TypeDef, TypeId, TypeKind,
};

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

/// Whether a request can hold the type (its callers build it) or it is only read from
/// responses: only the first gets a constructor.
#[derive(Clone, Copy, PartialEq)]
enum Made {
    Sent,
    Read,
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

fn structure(
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

/// The Rust expression of a `default` and how the
/// docs show it; `None` when the literal does not fit the field's type.
fn default_value(literal: &Literal, ty: &Ty, refs: &TypeRefs) -> Option<(TokenStream, String)> {
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

/// An integer enum; unknown values are kept in `Unknown`, so (de)serialization goes
/// through the integer.
fn int_enum(
    name: &syn::Ident,
    doc: TokenStream,
    e: &IntEnum,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let repr = refs.ty(&e.repr);
    let repr_name = repr.to_string();
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = #repr_name, into = #repr_name)]
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

/// A string enum that keeps values it does not know in `Unknown`.
pub fn string_enum(
    name: &syn::Ident,
    doc: TokenStream,
    e: &StringEnum,
    cfg: &TokenStream,
) -> TokenStream {
    string_enum_with(name, doc, e, cfg, &Extras::default())
}

/// [`string_enum`], with what the settings add to its variants.
fn string_enum_with(
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
    // Serde's derive would read the unknown value through an untagged variant, which
    // buffers every value in a generic tree: heavy code, once per enum. A match on the
    // string and two small impls over shared runtime helpers do the same.
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

        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::string_enum(deserializer)
            }
        }
    }
}

/// A `oneOf` without a discriminator, read by the runtime's `de::union`: the kind of
/// JSON value that comes picks the alternatives to try (each listed with the kinds it
/// reads), and an object or an array that one alternative alone reads goes straight into
/// it. Only a value that several alternatives may read is held in a tree and tried on
/// each, rather than every value as serde's untagged derive does, with heavy code made
/// once per enum.
fn untagged(
    name: &syn::Ident,
    doc: TokenStream,
    o: &OneOf,
    refs: &TypeRefs,
    variants: Vec<TokenStream>,
    cfg: &TokenStream,
) -> TokenStream {
    let mut ordered: Vec<&OneOfVariant> = o.variants.iter().collect();
    ordered.sort_by_key(|variant| !is_list(&variant.ty, refs));
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
    let read = quote!(de::union(deserializer));
    let items = one_of_items(name, doc, o, &variants, cfg, read);
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

/// The enum of a `oneOf` (written untagged: each variant's type writes itself) and its
/// `Deserialize`, whose body is `read`.
fn one_of_items(
    name: &syn::Ident,
    doc: TokenStream,
    o: &OneOf,
    variants: &[TokenStream],
    cfg: &TokenStream,
    read: TokenStream,
) -> TokenStream {
    let variant_names: Vec<&str> = o.variants.iter().map(|v| v.name.as_str()).collect();
    let allows = enum_allows(&name.to_string(), &variant_names, true);
    quote! {
        #doc
        #allows
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name { #(#variants)* }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

fn one_of(
    name: &syn::Ident,
    doc: TokenStream,
    o: &OneOf,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    // Untagged, serde tries the variants in order, and a derived struct also reads a JSON
    // array (its fields by position): list alternatives go first, so an array is read as
    // the list it is. Lists read nothing but arrays, so no other value changes variant.
    let mut ordered: Vec<&OneOfVariant> = o.variants.iter().collect();
    ordered.sort_by_key(|variant| !is_list(&variant.ty, refs));
    let variants = ordered.into_iter().map(|variant| {
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
    let Some(property) = &o.discriminator else {
        return untagged(name, doc, o, refs, variants.collect(), cfg);
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
    let read = quote! {
        let #value = serde_json::Value::deserialize(deserializer)?;
        match #value.get(#property).and_then(serde_json::Value::as_str) {
            #(#arms)*
            _ => Err(serde::de::Error::custom(#unknown)),
        }
    };
    one_of_items(name, doc, o, &variants.collect::<Vec<_>>(), cfg, read)
}
