//! The crate's `scalars` module, written when the settings map a scalar format to a type
//! whose own serde form is not the description's: `time::OffsetDateTime` writes no
//! RFC 3339 by itself, and no date-time type writes `format: unix-time` seconds. Each is
//! a transparent wrapper with the wire form of the description, `Deref` to the type, and
//! conversions both ways; the generated types name the wrapper.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Ty};
use crate::settings::{DateLibrary, Scalars, UnixTime};

/// The `scalars` module, when the settings choose a wrapper and some type of `api`
/// holds one; with `json_schema` (a model derives `schemars::JsonSchema`), the wrappers
/// describe their wire form to `schemars` too.
pub fn scalars_file(scalars: &Scalars, api: &Api, json_schema: bool) -> Option<TokenStream> {
    let date_time = (scalars.date_time == DateLibrary::Time
        && uses(api, "crate::scalars::DateTime"))
    .then(|| {
        let schema = json_schema.then(|| {
            schema_impl(
                quote!(DateTime),
                "DateTime",
                quote!({ "type": "string", "format": "date-time" }),
            )
        });
        let wrapper = time_date_time();
        quote!(#wrapper #schema)
    });
    let unix_time = match scalars.unix_time {
        _ if !uses(api, "crate::scalars::UnixTime") => None,
        UnixTime::Integer => None,
        UnixTime::Chrono => Some(unix(
            quote!(chrono::DateTime<chrono::Utc>),
            "chrono::DateTime<chrono::Utc>",
            quote!(self.0.timestamp()),
            quote!(chrono::DateTime::from_timestamp(seconds, 0)
                .ok_or_else(|| serde::de::Error::custom("a unix time out of range"))),
        )),
        UnixTime::Time => Some(unix(
            quote!(time::OffsetDateTime),
            "time::OffsetDateTime",
            quote!(self.0.unix_timestamp()),
            quote!(time::OffsetDateTime::from_unix_timestamp(seconds)
                .map_err(serde::de::Error::custom)),
        )),
        UnixTime::Jiff => Some(unix(
            quote!(jiff::Timestamp),
            "jiff::Timestamp",
            quote!(self.0.as_second()),
            quote!(jiff::Timestamp::from_second(seconds).map_err(serde::de::Error::custom)),
        )),
    };
    let unix_time = unix_time.map(|wrapper| {
        let schema = json_schema.then(|| {
            schema_impl(
                quote!(UnixTime),
                "UnixTime",
                quote!({
                    "type": "integer",
                    "format": "int64",
                    "description": "Seconds since 1970-01-01T00:00:00Z."
                }),
            )
        });
        quote!(#wrapper #schema)
    });
    if date_time.is_none() && unix_time.is_none() {
        return None;
    }
    Some(quote! {
        //! Scalar types chosen by the generation settings whose own serde form differs
        //! from the description's: each wraps the chosen type and reads and writes the
        //! description's form.
        #date_time
        #unix_time
    })
}

/// `schemars::JsonSchema` for the wrapper `name`: its wire form, `schema` (JSON).
fn schema_impl(name: TokenStream, shown: &str, schema: TokenStream) -> TokenStream {
    quote! {
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #shown.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!(#schema)
            }
        }
    }
}

/// The conversions and `Deref` of a wrapper `name` of `inner`.
fn wrapper_impls(name: TokenStream, inner: &TokenStream) -> TokenStream {
    quote! {
        impl From<#inner> for #name {
            fn from(value: #inner) -> Self {
                Self(value)
            }
        }

        impl From<#name> for #inner {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        impl std::ops::Deref for #name {
            type Target = #inner;

            fn deref(&self) -> &#inner {
                &self.0
            }
        }
    }
}

fn time_date_time() -> TokenStream {
    let inner = quote!(time::OffsetDateTime);
    let impls = wrapper_impls(quote!(DateTime), &inner);
    quote! {
        /// A `format: date-time` value: RFC 3339 text on the wire, a `time::OffsetDateTime`
        /// in Rust (whose own serde form is not RFC 3339).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct DateTime(pub time::OffsetDateTime);

        #impls

        impl std::str::FromStr for DateTime {
            type Err = time::error::Parse;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).map(Self)
            }
        }

        impl serde::Serialize for DateTime {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let text = self
                    .0
                    .format(&time::format_description::well_known::Rfc3339)
                    .map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(&text)
            }
        }

        impl<'de> serde::Deserialize<'de> for DateTime {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    }
}

/// `UnixTime`, a wrapper of `inner` written as seconds: `seconds` is how the value's
/// seconds are read, `from` how a value is made of `seconds`.
fn unix(inner: TokenStream, shown: &str, seconds: TokenStream, from: TokenStream) -> TokenStream {
    let doc = format!(
        " A `format: unix-time` value: seconds since 1970-01-01T00:00:00Z on the wire, a\n `{shown}` in Rust."
    );
    let docs = doc.lines().map(|line| quote!(#[doc = #line]));
    let impls = wrapper_impls(quote!(UnixTime), &inner);
    quote! {
        #(#docs)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct UnixTime(pub #inner);

        #impls

        impl serde::Serialize for UnixTime {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(#seconds)
            }
        }

        impl<'de> serde::Deserialize<'de> for UnixTime {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let seconds = i64::deserialize(deserializer)?;
                #from.map(Self)
            }
        }
    }
}

/// Whether a type of `api` (of a model, a parameter, a body or a header) names `path`.
fn uses(api: &Api, path: &str) -> bool {
    fn holds(ty: &Ty, path: &str) -> bool {
        match ty {
            Ty::Rust(rust) => rust == path,
            Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) => holds(inner, path),
            _ => false,
        }
    }
    let models = api.types.iter().flat_map(|def| def.kind.types());
    let operations = api
        .operations
        .iter()
        .chain(&api.webhooks)
        .flat_map(|op| op.types());
    models.chain(operations).any(|ty| holds(ty, path))
}
