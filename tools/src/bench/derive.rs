//! The decode benchmark's yardstick: a copy of a description's types written the way
//! the generators users compare us with write them (progenitor, typify,
//! openapi-generator): `#[derive(serde::Deserialize)]` on every type, untagged enums for
//! `oneOf`, `#[serde(flatten)]` for `additionalProperties` beside properties. It is
//! built only into the benchmark's harness, to decode the same bodies into the same
//! shapes, and is never part of what the generator writes.

use std::fmt::Write as _;

use codegen::model::{Api, Payload, Status, Ty, TypeDef, TypeKind};

/// The module `derived.rs` of the harness: every type of `api`, and
/// `decode(index, status, body)`, which reads a body as the type the operation `index`
/// documents for `status`, by the same rule as the generated `decode` (the code, then
/// its range, then `default`).
pub fn module(api: &Api) -> String {
    let mut out = String::from(
        "// Written by `cargo run -p tools -- bench --decode`: the types with serde's derive.\n\
         #![allow(dead_code, non_camel_case_types, clippy::all)]\n\n",
    );
    for def in &api.types {
        type_def(api, def, &mut out);
    }
    out.push_str(DOUBLE_OPTION);
    out.push_str("pub fn decode(index: usize, status: u16, body: &str) -> bool {\n");
    out.push_str("    match (index, status) {\n");
    for (index, op) in api.operations.iter().enumerate() {
        let mut responses: Vec<_> = op.responses.iter().collect();
        // Codes first, then ranges, then `default`, as the generated `decode` picks them.
        responses.sort_by_key(|response| match response.status {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        });
        for response in responses {
            let Some(content) = response.contents.first() else {
                continue;
            };
            let Payload::Json(ty) = &content.payload else {
                continue;
            };
            let pattern = match response.status {
                Status::Code(code) => format!("({index}, {code})"),
                Status::Range(hundreds) => {
                    format!("({index}, {}..={})", hundreds * 100, hundreds * 100 + 99)
                }
                Status::Default => format!("({index}, _)"),
            };
            let _ = writeln!(
                out,
                "        {pattern} => serde_json::from_str::<{}>(body).is_ok(),",
                rust(api, ty)
            );
        }
    }
    out.push_str("        _ => false,\n    }\n}\n");
    out
}

/// Reads an optional nullable member as serde users write it: absent is `None` (the
/// field's `default`), `null` is `Some(None)`.
const DOUBLE_OPTION: &str = "
fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

";

fn type_def(api: &Api, def: &TypeDef, out: &mut String) {
    let name = &def.name;
    match &def.kind {
        TypeKind::Struct(s) => {
            let _ = writeln!(out, "#[derive(serde::Deserialize)]\npub struct {name} {{");
            for field in &s.fields {
                let mut ty = rust(api, &field.ty);
                if field.boxed {
                    ty = format!("Box<{ty}>");
                }
                let rename = rename(&field.name, &field.wire);
                let (attrs, ty) = match (field.required, field.nullable) {
                    (true, false) if field.default.is_none() => (rename, ty),
                    (true, true) => (rename, format!("Option<{ty}>")),
                    (false, true) => (
                        format!("{rename}#[serde(default, deserialize_with = \"double_option\")] "),
                        format!("Option<Option<{ty}>>"),
                    ),
                    _ => (
                        format!("{rename}#[serde(default)] "),
                        format!("Option<{ty}>"),
                    ),
                };
                let _ = writeln!(out, "    {attrs}pub {}: {ty},", field.name);
            }
            if let Some(additional) = &s.additional {
                let _ = writeln!(
                    out,
                    "    #[serde(flatten)] pub {}: std::collections::BTreeMap<String, {}>,",
                    additional.name,
                    rust(api, &additional.ty)
                );
            }
            out.push_str("}\n\n");
        }
        TypeKind::Enum(e) => {
            let _ = writeln!(out, "#[derive(serde::Deserialize)]\npub enum {name} {{");
            for variant in &e.variants {
                let _ = writeln!(
                    out,
                    "    #[serde(rename = {:?})] {},",
                    variant.wire, variant.name
                );
            }
            // A value the description does not list is kept (here, only as that fact), as
            // the generated enums keep it.
            out.push_str("    #[serde(other)] UnknownValue,\n}\n\n");
        }
        TypeKind::IntEnum(e) => {
            let repr = rust(api, &e.repr);
            let _ = writeln!(
                out,
                "#[derive(serde::Deserialize)]\n#[serde(from = \"{repr}\")]\npub enum {name} {{"
            );
            for variant in &e.variants {
                let _ = writeln!(out, "    {},", variant.name);
            }
            let _ = writeln!(out, "    UnknownValue({repr}),\n}}\n");
            let _ = writeln!(
                out,
                "impl From<{repr}> for {name} {{\n    fn from(value: {repr}) -> Self {{\n        match value {{"
            );
            for variant in &e.variants {
                let _ = writeln!(
                    out,
                    "            {} => Self::{},",
                    variant.value, variant.name
                );
            }
            out.push_str(
                "            other => Self::UnknownValue(other),\n        }\n    }\n}\n\n",
            );
        }
        TypeKind::OneOf(o) => {
            // Lists first: a derived struct would also read an array, by position.
            let mut variants: Vec<_> = o.variants.iter().collect();
            variants.sort_by_key(|variant| !matches!(api.unaliased(&variant.ty), Ty::List(_)));
            let _ = writeln!(
                out,
                "#[derive(serde::Deserialize)]\n#[serde(untagged)]\npub enum {name} {{"
            );
            for variant in variants {
                let mut ty = rust(api, &variant.ty);
                if variant.boxed {
                    ty = format!("Box<{ty}>");
                }
                let _ = writeln!(out, "    {}({ty}),", variant.name);
            }
            out.push_str("}\n\n");
        }
        TypeKind::Alias(ty) => {
            let _ = writeln!(out, "pub type {name} = {};\n", rust(api, ty));
        }
        TypeKind::Newtype(ty) => {
            let _ = writeln!(
                out,
                "#[derive(serde::Deserialize)]\n#[serde(transparent)]\npub struct {name}(pub {});\n",
                rust(api, ty)
            );
        }
    }
}

/// `#[serde(rename = "wire")] ` when the Rust name is not the wire name.
fn rename(name: &str, wire: &str) -> String {
    if name.trim_start_matches("r#") == wire {
        String::new()
    } else {
        format!("#[serde(rename = {wire:?})] ")
    }
}

/// The Rust type of `ty` in the copy: the generated crate's scalars, the copy's types.
fn rust(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::String => "String".into(),
        Ty::DateTime => "chrono::DateTime<chrono::FixedOffset>".into(),
        Ty::Date => "chrono::NaiveDate".into(),
        Ty::Uuid => "uuid::Uuid".into(),
        Ty::Bytes => "api::runtime::Binary".into(),
        Ty::Any | Ty::Rust(_) => "serde_json::Value".into(),
        Ty::List(inner) => format!("Vec<{}>", rust(api, inner)),
        Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", rust(api, inner)),
        Ty::Option(inner) => format!("Option<{}>", rust(api, inner)),
        Ty::Named(id) => api.types[id.0].name.clone(),
    }
}
