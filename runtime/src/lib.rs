//! What every generated crate shares: the [`Operation`] trait that ties an operation's
//! types together, decoding of a response by its status, building of a request by the
//! rules of its description ([`request`], each parameter in its [`Style`]) with the
//! credentials it needs ([`auth`]), the readers and writers the generated types' serde
//! code shares (`de` and `ser`, hidden from these docs), and, with the `client` feature,
//! sending it (`client`); with the `server` feature, serving it (`server`).
//!
//! A generated crate either depends on this crate (the workspace's `generated`, or a
//! standalone crate generated with a runtime path) and names it `runtime`, or holds a
//! copy of these files as its `runtime` module: so every path here is relative
//! (`super::`), never `crate::`.

#![warn(missing_docs)]

use std::fmt;

pub mod auth;
#[cfg(feature = "client")]
pub mod client;
// The generated types' serde code calls these; they are no API of their own.
#[doc(hidden)]
pub mod de;
mod error;
pub mod events;
pub mod form;
mod node;
pub mod pages;
pub mod request;
pub mod retry;
#[doc(hidden)]
pub mod ser;
#[cfg(feature = "server")]
pub mod server;
mod style;
#[cfg(feature = "client")]
mod upload;

pub use auth::{ApiKey, Basic, Credentials, Security};
pub use error::EncodeError;
pub use form::{FormField, Part};
pub use request::RequestBuilder;
pub use style::Style;

/// One HTTP operation of the API, with the types it sends and receives.
pub trait Operation {
    /// The HTTP method.
    const METHOD: http::Method;
    /// The path template, with `{name}` for each path parameter.
    const PATH: &'static str;
    /// The `operationId`, or one made of method and path when the description has none.
    const ID: &'static str;
    /// Path, query, header and cookie parameters; `()` when there are none.
    type Params;
    /// The request body; `()` when there is none.
    type Body;
    /// One variant per documented success status.
    type Responses;
    /// One variant per documented error status, and one for undocumented statuses.
    type Errors: std::error::Error;
    /// The credentials the operation needs.
    const SECURITY: Security;
    /// The retries the description asks for (`x-speakeasy-retries`), which a client
    /// uses instead of its own policy; `None` when it says nothing.
    const RETRIES: Option<fn() -> retry::Policy> = None;

    /// Writes the parameters and the body into a request being built: the path with its
    /// parameters, the query, headers and cookies, `Accept`, and the body with its
    /// `Content-Type`. [`Operation::request`] is what callers use.
    fn write(
        request: &mut RequestBuilder,
        params: &Self::Params,
        body: &Self::Body,
    ) -> Result<(), EncodeError>;

    /// The request for `params` and `body`, sent to `base_url` (a server URL such as
    /// `https://api.example.com/v1`, with or without a trailing slash): method, URI,
    /// header and cookie parameters, `Accept` and the body, each written as the
    /// description says. Credentials are added by [`Operation::authorized_request`].
    fn request(
        base_url: &str,
        params: &Self::Params,
        body: &Self::Body,
    ) -> Result<http::Request<Vec<u8>>, EncodeError> {
        let mut request = RequestBuilder::new(Self::METHOD, base_url);
        Self::write(&mut request, params, body)?;
        request.build()
    }

    /// [`Operation::request`] with the credentials the operation needs, from those the
    /// caller has.
    fn authorized_request<C: Credentials + ?Sized>(
        base_url: &str,
        params: &Self::Params,
        body: &Self::Body,
        credentials: &C,
    ) -> Result<http::Request<Vec<u8>>, EncodeError> {
        let mut request = RequestBuilder::new(Self::METHOD, base_url);
        Self::write(&mut request, params, body)?;
        request.authorize(&Self::SECURITY, credentials)?;
        request.build()
    }

    /// Decodes a response by its status: the status picks the variant, and the body must
    /// then match that variant's documented schema, or a [`DecodeError`] says why not.
    fn decode(
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Result<Self::Responses, Self::Errors>, DecodeError>;
}

/// A response whose body or headers do not match what the description documents for its
/// status.
#[derive(Debug)]
pub struct DecodeError {
    status: http::StatusCode,
    problem: Mismatch,
}

#[derive(Debug)]
enum Mismatch {
    Json(serde_json::Error),
    Text(std::str::Utf8Error),
    Header { name: &'static str, message: String },
}

impl DecodeError {
    /// The status of the response that did not decode.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Mismatch::Json(error) => write!(
                f,
                "the body of a {} response is not the documented JSON: {error}",
                self.status
            ),
            Mismatch::Text(error) => write!(
                f,
                "the body of a {} response is not UTF-8 text: {error}",
                self.status
            ),
            Mismatch::Header { name, message } => write!(
                f,
                "the `{name}` header of a {} response {message}",
                self.status
            ),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            Mismatch::Json(error) => Some(error),
            Mismatch::Text(error) => Some(error),
            Mismatch::Header { .. } => None,
        }
    }
}

/// Reads a JSON body as `T`. JSON text is UTF-8 (RFC 8259), so the body is checked once,
/// whole: read from bytes, `serde_json` would check every string on its own, which costs
/// more on bodies of many short strings.
pub fn json<T: serde::de::DeserializeOwned>(
    status: http::StatusCode,
    body: &[u8],
) -> Result<T, DecodeError> {
    let text = utf8(status, body)?;
    serde_json::from_str(text).map_err(|error| DecodeError {
        status,
        problem: Mismatch::Json(error),
    })
}

/// The body as text, or the error saying it is not UTF-8.
fn utf8(status: http::StatusCode, body: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(body).map_err(|error| DecodeError {
        status,
        problem: Mismatch::Text(error),
    })
}

/// The media type of a response (`application/json`), lowercased and without
/// parameters, if it has a `Content-Type`.
pub fn media_type(headers: &http::HeaderMap) -> Option<String> {
    let value = headers.get(http::header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim();
    Some(essence.to_ascii_lowercase())
}

/// Reads a text body.
pub fn text(status: http::StatusCode, body: &[u8]) -> Result<String, DecodeError> {
    utf8(status, body).map(str::to_owned)
}

/// Reads a string documented under a media range (`*/*`): the JSON string when the
/// `Content-Type` is JSON, the text itself when it is anything else. Without a
/// `Content-Type`, a body that is a JSON string is read as one, and any other as text.
pub fn json_or_text(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<String, DecodeError> {
    let is_json = |essence: &str| essence == "application/json" || essence.ends_with("+json");
    match media_type(headers) {
        Some(essence) if is_json(&essence) => json(status, body),
        Some(_) => text(status, body),
        None => json(status, body).or_else(|_| text(status, body)),
    }
}

fn header_text<'h>(
    status: http::StatusCode,
    headers: &'h http::HeaderMap,
    name: &'static str,
) -> Result<Option<&'h str>, DecodeError> {
    headers
        .get(name)
        .map(|value| value.to_str())
        .transpose()
        .map_err(|_| DecodeError {
            status,
            problem: Mismatch::Header {
                name,
                message: "is not visible ASCII".to_owned(),
            },
        })
}

/// Reads an optional header as a scalar (`i32`, `String`, a date-time …).
pub fn header<T>(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    name: &'static str,
) -> Result<Option<T>, DecodeError>
where
    T: std::str::FromStr,
    T::Err: fmt::Display,
{
    header_text(status, headers, name)?
        .map(|text| text.trim().parse::<T>())
        .transpose()
        .map_err(|error| DecodeError {
            status,
            problem: Mismatch::Header {
                name,
                message: format!("does not parse: {error}"),
            },
        })
}

/// Reads an optional header whose values a generated enum lists (any other value is
/// kept by the enum as unknown).
pub fn header_enum<T: for<'a> From<&'a str>>(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    name: &'static str,
) -> Result<Option<T>, DecodeError> {
    Ok(header_text(status, headers, name)?.map(|text| T::from(text.trim())))
}

/// Turns a missing required header into an error.
pub fn required<T>(
    status: http::StatusCode,
    name: &'static str,
    value: Option<T>,
) -> Result<T, DecodeError> {
    value.ok_or(DecodeError {
        status,
        problem: Mismatch::Header {
            name,
            message: "is required but missing".to_owned(),
        },
    })
}

/// The bytes of a `format: binary` value. Inside JSON they travel as a string (its UTF-8
/// bytes), which is how descriptions use such fields; bytes that are not UTF-8 are written
/// as an array of numbers, and either form is read. In a multipart part they are the
/// part's content, as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl std::ops::Deref for Binary {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serializer.collect_seq(&self.0),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Binary;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of bytes")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Binary, E> {
                Ok(Binary(text.as_bytes().to_vec()))
            }

            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Binary, E> {
                Ok(Binary(bytes.to_vec()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Binary, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(byte) = seq.next_element()? {
                    bytes.push(byte);
                }
                Ok(Binary(bytes))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_body_is_read_as_utf8_text_once() {
        let ok = http::StatusCode::OK;
        let read: Vec<String> = json(ok, "[\"grüße\", \"\\u00e9\"]".as_bytes()).unwrap();
        assert_eq!(read, ["grüße", "é"]);
        // Bytes that are not UTF-8 are refused as such, even in a string nothing reads.
        let error = json::<serde::de::IgnoredAny>(ok, b"{\"ignored\": \"\xff\"}").unwrap_err();
        assert!(error.to_string().contains("is not UTF-8 text"), "{error}");
        let error = json::<Vec<String>>(ok, b"[1]").unwrap_err();
        assert!(
            error.to_string().contains("is not the documented JSON"),
            "{error}"
        );
    }
}
