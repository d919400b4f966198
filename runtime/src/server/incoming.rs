//! A request on its way to a handler: what the generated code of an operation reads its
//! parameters and body from, each violation kept, and what builds the handler's
//! [`Request`] and the [`Reply`] its answer is written into.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::super::form::{FormField, Part};
use super::body::{self, ReadPart};
use super::params::{self, Param, Source};
use super::problem::{Refusal, Violation};
use super::reply::{essence, Accept, Reply};
use super::route::{Info, Observer};
use super::rules::Rules;
use super::{Request, Upload};

/// A request being read, for the operation `info`.
pub struct Incoming {
    pub(crate) info: &'static Info,
    pub(crate) rules: Rules,
    pub(crate) source: Source,
    pub(crate) parts: Option<http::request::Parts>,
    pub(crate) body: Option<axum::body::Body>,
    pub(crate) limit: usize,
    pub(crate) violations: Vec<Violation>,
    pub(crate) accept: Accept,
    pub(crate) observer: Option<Arc<dyn Observer>>,
    /// Whether the request has a body: a length above 0, chunks, or a media type.
    pub(crate) has_body: bool,
    /// A body longer than the limit: a 413, not a 400.
    pub(crate) too_large: bool,
}

impl fmt::Debug for Incoming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Incoming")
            .field("operation", &self.info.id)
            .field("violations", &self.violations)
            .finish_non_exhaustive()
    }
}

impl Incoming {
    /// The operation this request is for.
    pub fn operation(&self) -> &'static Info {
        self.info
    }

    /// Reads the required parameter `param` into `T`: `None` when it is missing or
    /// breaks its rule (the violations are kept).
    pub fn param<T: DeserializeOwned>(&mut self, param: Param) -> Option<T> {
        match self.optional(param)? {
            Some(value) => Some(value),
            None => {
                self.violations.push(Violation {
                    place: param.place,
                    name: param.name.to_owned(),
                    pointer: String::new(),
                    keyword: "required",
                    detail: "is required but missing".to_owned(),
                });
                None
            }
        }
    }

    /// Reads the optional parameter `param`: `Some(None)` when it is absent, `None` when
    /// it breaks its rule.
    pub fn optional<T: DeserializeOwned>(&mut self, param: Param) -> Option<Option<T>> {
        let value = params::read(&self.rules, &param, &self.source, &mut self.violations)?;
        let Some(value) = value else {
            return Some(None);
        };
        match serde_json::from_value(value) {
            Ok(typed) => Some(Some(typed)),
            Err(error) => {
                self.violations.push(Violation {
                    place: param.place,
                    name: param.name.to_owned(),
                    pointer: String::new(),
                    keyword: "type",
                    detail: format!("does not fit the operation's type: {error}"),
                });
                None
            }
        }
    }

    /// Whether the request has a body.
    pub fn has_body(&self) -> bool {
        self.has_body
    }

    /// The index of the one of `media_types` the request's `Content-Type` is; `None`
    /// without one or when it is none of them.
    pub fn media(&self, media_types: &[&str]) -> Option<usize> {
        let content_type = self.content_type()?;
        media_index(media_types, &content_type)
    }

    fn content_type(&self) -> Option<String> {
        self.source
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(essence)
    }

    /// Notes that the operation needs a body the request does not have.
    pub fn missing_body(&mut self) {
        self.violations.push(Violation::body(
            String::new(),
            "required",
            "the operation needs a body".to_owned(),
        ));
    }

    /// The whole body; `None` past the limit (a 413).
    async fn collect(&mut self) -> Option<Vec<u8>> {
        let body = self.body.take()?;
        match axum::body::to_bytes(body, self.limit).await {
            Ok(bytes) => Some(bytes.to_vec()),
            Err(_) => {
                self.too_large = true;
                None
            }
        }
    }

    fn body_violations(&mut self, violations: Vec<Violation>) {
        self.violations.extend(violations);
    }

    /// Reads a JSON body of rule `rule` into `T`.
    pub async fn json<T: DeserializeOwned>(&mut self, rule: u32) -> Option<T> {
        if !self.has_body {
            self.missing_body();
            return None;
        }
        let bytes = self.collect().await?;
        let value: Value = match std::str::from_utf8(&bytes)
            .map_err(|error| error.to_string())
            .and_then(|text| serde_json::from_str(text).map_err(|error| error.to_string()))
        {
            Ok(value) => value,
            Err(error) => {
                self.violations.push(Violation::body(
                    String::new(),
                    "type",
                    format!("is not JSON: {error}"),
                ));
                return None;
            }
        };
        body::typed(&self.rules, rule, value)
            .map_err(|violations| self.body_violations(violations))
            .ok()
    }

    /// Reads an `application/x-www-form-urlencoded` body of rule `rule` into `T`, each
    /// property as `fields` say.
    pub async fn form<T: DeserializeOwned>(
        &mut self,
        rule: u32,
        fields: &[FormField],
    ) -> Option<T> {
        if !self.has_body {
            self.missing_body();
            return None;
        }
        let bytes = self.collect().await?;
        let Ok(text) = String::from_utf8(bytes) else {
            self.violations.push(Violation::body(
                String::new(),
                "type",
                "is not UTF-8 text".to_owned(),
            ));
            return None;
        };
        let value = body::form_value(&self.rules, rule, &text, fields);
        body::typed(&self.rules, rule, value)
            .map_err(|violations| self.body_violations(violations))
            .ok()
    }

    /// Reads a `multipart/form-data` body of rule `rule` into `T`, part by part as it
    /// arrives.
    pub async fn multipart<T: DeserializeOwned>(&mut self, rule: u32, parts: &[Part]) -> Option<T> {
        if !self.has_body {
            self.missing_body();
            return None;
        }
        let boundary = self
            .source
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| multer::parse_boundary(value).ok());
        let (Some(boundary), Some(body)) = (boundary, self.body.take()) else {
            self.violations.push(Violation::body(
                String::new(),
                "type",
                "is not multipart: its `Content-Type` names no boundary".to_owned(),
            ));
            return None;
        };
        let limits = multer::Constraints::new()
            .size_limit(multer::SizeLimit::new().whole_stream(self.limit as u64));
        let mut multipart =
            multer::Multipart::with_constraints(body.into_data_stream(), boundary, limits);
        let mut read = Vec::new();
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_owned();
                    let content_type = field.content_type().map(ToString::to_string);
                    match field.bytes().await {
                        Ok(content) => read.push(ReadPart {
                            name,
                            content_type,
                            content: content.to_vec(),
                        }),
                        Err(error) => return self.multipart_error(error),
                    }
                }
                Ok(None) => break,
                Err(error) => return self.multipart_error(error),
            }
        }
        let value = body::multipart_value(&self.rules, rule, read, parts);
        body::typed(&self.rules, rule, value)
            .map_err(|violations| self.body_violations(violations))
            .ok()
    }

    fn multipart_error<T>(&mut self, error: multer::Error) -> Option<T> {
        if matches!(
            error,
            multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. }
        ) {
            self.too_large = true;
        } else {
            self.violations.push(Violation::body(
                String::new(),
                "type",
                format!("is not a multipart body: {error}"),
            ));
        }
        None
    }

    /// Reads a text body.
    pub async fn text(&mut self) -> Option<String> {
        if !self.has_body {
            self.missing_body();
            return None;
        }
        let bytes = self.collect().await?;
        match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(_) => {
                self.violations.push(Violation::body(
                    String::new(),
                    "type",
                    "is not UTF-8 text".to_owned(),
                ));
                None
            }
        }
    }

    /// Reads a body of bytes whole.
    pub async fn bytes(&mut self) -> Option<Vec<u8>> {
        if !self.has_body {
            self.missing_body();
            return None;
        }
        self.collect().await
    }

    /// The body as a stream, for a handler to read as it arrives.
    pub fn upload(&mut self) -> Option<Upload> {
        if !self.has_body {
            self.missing_body();
            return None;
        }
        let body = self.body.take()?;
        Some(Upload::new(body, self.limit))
    }

    /// Whether something read so far broke the description.
    pub fn is_refused(&self) -> bool {
        !self.violations.is_empty() || self.too_large
    }

    /// The answer to a request that broke the description: a 400 naming every
    /// violation, or a 413 for a body past the limit.
    pub fn refused(&mut self) -> Reply {
        let refusal = if self.too_large {
            Refusal::new(
                http::StatusCode::PAYLOAD_TOO_LARGE,
                format!("The body is longer than {} bytes.", self.limit),
            )
        } else {
            Refusal::invalid(std::mem::take(&mut self.violations))
        };
        let mut reply = Reply::new(self.accept.clone());
        reply.refusal = Some(refusal);
        reply
    }

    /// The handler's request, with what was read; shown to the observer, if any.
    pub fn request<P: fmt::Debug, B: fmt::Debug>(&mut self, params: P, body: B) -> Request<P, B> {
        if let Some(observer) = &self.observer {
            observer.received(self.info, &params, &body);
        }
        let parts = self.parts.take().unwrap_or_else(|| {
            let (parts, ()) = http::Request::new(()).into_parts();
            parts
        });
        Request {
            params,
            body,
            parts,
            operation: self.info,
        }
    }

    /// An empty reply, for the handler's answer; the answer is shown to the observer.
    pub fn reply(&self, answer: &dyn fmt::Debug) -> Reply {
        if let Some(observer) = &self.observer {
            observer.answered(self.info, answer);
        }
        Reply::new(self.accept.clone())
    }
}

/// The index of the one of `media_types` that `content_type` (an essence) is: equal, or
/// within a wildcard the description writes (`*/*`, `text/*`).
pub(crate) fn media_index(media_types: &[&str], content_type: &str) -> Option<usize> {
    media_types
        .iter()
        .position(|media_type| essence(media_type) == content_type)
        .or_else(|| {
            media_types.iter().position(|media_type| {
                let media_type = essence(media_type);
                media_type == "*/*"
                    || media_type
                        .strip_suffix("/*")
                        .is_some_and(|kind| content_type.starts_with(&format!("{kind}/")))
            })
        })
}
