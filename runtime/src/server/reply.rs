//! Writing answers: the generated code turns each variant of an operation's
//! `{Op}Responses` and `{Op}Errors` into a [`Reply`] (its status, documented headers and
//! body), in the media type the request's `Accept` prefers among those the description
//! documents for it. A streamed success ([`Streamed`]) is written as it comes: server-sent
//! events flushed one by one, or bytes.

use bytes::Bytes;
use futures_util::StreamExt as _;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use serde::Serialize;

use super::super::events::Event;
use super::super::node::Node;
use super::super::style::{Expansion, Shape, Style};

/// The media ranges of an `Accept` header with their weights, best first.
#[derive(Debug, Clone, Default)]
pub struct Accept {
    /// `(range, q)`: `application/json`, `text/*`, `*/*`, each lowercased.
    ranges: Vec<(String, f32)>,
}

impl Accept {
    /// The ranges of every `Accept` header of `headers`; none when there is none (then
    /// anything is acceptable).
    pub fn of(headers: &http::HeaderMap) -> Accept {
        let mut ranges = Vec::new();
        for value in headers.get_all(http::header::ACCEPT) {
            let Ok(text) = value.to_str() else {
                continue;
            };
            for item in text.split(',') {
                let mut params = item.split(';');
                let range = params
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                if range.is_empty() {
                    continue;
                }
                let q = params
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                ranges.push((range, q.clamp(0.0, 1.0)));
            }
        }
        Accept { ranges }
    }

    /// The weight the request gives `media_type`: that of the most specific range
    /// matching it; 1 when the request has no `Accept`.
    pub fn quality(&self, media_type: &str) -> f32 {
        if self.ranges.is_empty() {
            return 1.0;
        }
        let essence = essence(media_type);
        let (kind, _) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        let mut best: Option<(u8, f32)> = None;
        for (range, q) in &self.ranges {
            let specificity = if *range == essence {
                3
            } else if range.strip_suffix("/*") == Some(kind) {
                2
            } else if range == "*/*" || range == "*" {
                1
            } else if essence == "*/*"
                || essence
                    .strip_suffix("/*")
                    .is_some_and(|k| range.starts_with(&format!("{k}/")))
            {
                // The description's own wildcard (`*/*`) accepts what the request asks.
                1
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, *q));
            }
        }
        best.map_or(0.0, |(_, q)| q)
    }

    /// The one of `media_types` the request prefers (the first of the best): `None` when
    /// it accepts none of them.
    pub fn choose<'m>(&self, media_types: &[&'m str]) -> Option<&'m str> {
        let mut best: Option<(&str, f32)> = None;
        for media_type in media_types {
            let q = self.quality(media_type);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((media_type, q));
            }
        }
        best.map(|(media_type, _)| media_type)
    }
}

/// `application/json`, lowercased and without parameters.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// `application/json` and any `+json` type.
pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// An answer being written: its status, headers and body.
#[derive(Debug)]
pub struct Reply {
    pub(crate) status: http::StatusCode,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: axum::body::Body,
    accept: Accept,
    /// What could not be written (a value serde refuses, a header that is not text),
    /// answered as a 500 instead.
    pub(crate) failure: Option<String>,
    /// A request refused before its handler ran.
    pub(crate) refusal: Option<super::problem::Refusal>,
}

impl Reply {
    /// An empty `200` answer to a request that accepts `accept`.
    pub fn new(accept: Accept) -> Reply {
        Reply {
            status: http::StatusCode::OK,
            headers: http::HeaderMap::new(),
            body: axum::body::Body::empty(),
            accept,
            failure: None,
            refusal: None,
        }
    }

    /// Sets the status by its code.
    pub fn status(mut self, code: u16) -> Reply {
        match http::StatusCode::from_u16(code) {
            Ok(status) => self.status = status,
            Err(_) => self.failure = Some(format!("{code} is not a status")),
        }
        self
    }

    /// Sets the status (for a variant that carries it: a range, `default`, or an
    /// undocumented one).
    pub fn status_code(mut self, status: http::StatusCode) -> Reply {
        self.status = status;
        self
    }

    /// Adds a documented response header, written in the `simple` style as the client
    /// reads it; nothing for `None`.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Reply {
        let text = Node::of(value)
            .map_err(|error| error.to_string())
            .and_then(|node| Shape::of_node(node).map_err(|_| "a nested value".to_owned()))
            .map(|shape| Expansion::header(Style::SIMPLE).expand(name, &shape));
        match text {
            Ok(None) => {}
            Ok(Some(text)) => {
                let name = HeaderName::from_bytes(name.as_bytes());
                let value = HeaderValue::from_str(&text);
                match (name, value) {
                    (Ok(name), Ok(value)) => {
                        self.headers.append(name, value);
                    }
                    _ => self.failure = Some(format!("the header `{text}` cannot be written")),
                }
            }
            Err(error) => self.failure = Some(format!("the header {name}: {error}")),
        }
        self
    }

    fn content_type(&mut self, media_types: &[&str]) {
        let chosen = self
            .accept
            .choose(media_types)
            .or_else(|| media_types.first().copied())
            .unwrap_or("application/octet-stream");
        // A description's wildcard is no type to answer with.
        let chosen = match chosen {
            "*/*" | "application/*" => "application/json",
            "text/*" => "text/plain",
            other => other,
        };
        match HeaderValue::from_str(chosen) {
            Ok(value) => {
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.failure = Some(format!("`{chosen}` is not a media type")),
        }
    }

    /// A JSON body, in the one of `media_types` the request prefers.
    pub fn json<T: Serialize + ?Sized>(mut self, media_types: &[&str], value: &T) -> Reply {
        self.content_type(media_types);
        match serde_json::to_vec(value) {
            Ok(bytes) => self.body = axum::body::Body::from(bytes),
            Err(error) => self.failure = Some(format!("the body cannot be written: {error}")),
        }
        self
    }

    /// A text body.
    pub fn text(mut self, media_types: &[&str], text: &str) -> Reply {
        self.content_type(media_types);
        self.body = axum::body::Body::from(text.to_owned());
        self
    }

    /// A body of bytes.
    pub fn bytes(mut self, media_types: &[&str], bytes: &[u8]) -> Reply {
        self.content_type(media_types);
        self.body = axum::body::Body::from(bytes.to_vec());
        self
    }

    /// A stream of server-sent events written whole; each one's data as JSON, or as its
    /// text when `text`.
    pub fn events<T: Serialize>(
        mut self,
        media_types: &[&str],
        events: &[Event<T>],
        text: bool,
    ) -> Reply {
        self.content_type(media_types);
        let mut out = Vec::new();
        for event in events {
            match event_bytes(event, text) {
                Ok(bytes) => out.extend_from_slice(&bytes),
                Err(error) => {
                    self.failure = Some(error);
                    return self;
                }
            }
        }
        self.body = axum::body::Body::from(out);
        self
    }

    /// A status and body the description does not document, as the handler gives them.
    pub fn raw(mut self, status: http::StatusCode, body: Vec<u8>) -> Reply {
        self.status = status;
        self.body = axum::body::Body::from(body);
        self
    }

    /// A streamed success.
    pub fn streamed(mut self, stream: Stream) -> Reply {
        self.status = stream.status;
        if let Ok(value) = HeaderValue::from_str(stream.content_type) {
            self.headers.insert(CONTENT_TYPE, value);
        }
        if stream.events {
            self.headers.insert(
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            );
        }
        self.body = stream.body;
        self
    }
}

/// One event as the wire writes it: `event:`, `id:`, `retry:`, a `data:` line per line
/// of its data, and a blank line.
pub fn event_bytes<T: Serialize>(event: &Event<T>, text: bool) -> Result<Vec<u8>, String> {
    let data = if text {
        match Node::of(&event.data) {
            Ok(Node::String(text)) => text,
            Ok(other) => other.to_json(),
            Err(error) => return Err(format!("an event cannot be written: {error}")),
        }
    } else {
        serde_json::to_string(&event.data)
            .map_err(|error| format!("an event cannot be written: {error}"))?
    };
    let mut out = String::new();
    let field = |name: &str, value: &str, out: &mut String| {
        // A field's value ends at a line break: one in it would start another field.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
    };
    if let Some(name) = &event.event {
        field("event", name, &mut out);
    }
    if let Some(id) = &event.id {
        field("id", id, &mut out);
    }
    if let Some(retry) = event.retry {
        field("retry", &retry.as_millis().to_string(), &mut out);
    }
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    Ok(out.into_bytes())
}

/// A success written as it comes: its status, media type and body stream.
#[derive(Debug)]
pub struct Stream {
    status: http::StatusCode,
    content_type: &'static str,
    events: bool,
    body: axum::body::Body,
}

impl Stream {
    /// Server-sent events, each written (and so flushed) as `events` yields it; each
    /// one's data as JSON, or as its text when `text`.
    pub fn events<T, S>(status: u16, content_type: &'static str, events: S, text: bool) -> Stream
    where
        T: Serialize + Send + 'static,
        S: futures_core::Stream<Item = Event<T>> + Send + 'static,
    {
        let chunks = events.map(move |event| {
            let bytes = event_bytes(&event, text).unwrap_or_else(|error| {
                // A comment line: the stream goes on, and the reader sees why.
                format!(": {error}\n\n").into_bytes()
            });
            Ok::<Bytes, std::convert::Infallible>(Bytes::from(bytes))
        });
        Stream {
            status: http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK),
            content_type,
            events: true,
            body: axum::body::Body::from_stream(chunks),
        }
    }

    /// Bytes, written as `chunks` yields them; an error ends the answer early.
    pub fn bytes<S, E>(status: u16, content_type: &'static str, chunks: S) -> Stream
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Stream {
            status: http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK),
            content_type,
            events: false,
            body: axum::body::Body::from_stream(chunks),
        }
    }
}

/// The success of an operation that may stream it: a documented response written whole,
/// or a stream (events, bytes) written as it comes. `From` makes one of a response, so a
/// handler writes `Ok(Responses::Ok(value).into())`.
#[derive(Debug)]
pub enum Streamed<R> {
    /// A documented response, written whole.
    Whole(R),
    /// A stream made with the operation's `event_stream` or `byte_stream`.
    Stream(Stream),
}

impl<R> From<R> for Streamed<R> {
    fn from(response: R) -> Self {
        Streamed::Whole(response)
    }
}
