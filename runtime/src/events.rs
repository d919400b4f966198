//! Server-sent events (`text/event-stream`): an operation whose success is a stream of
//! events says how one event's `data` is read ([`EventStream`]); clients split the
//! stream into events and hand each one's data to it.

use super::{DecodeError, Operation};

/// One server-sent event, its data decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` field: the event's type, when the server names one.
    pub event: Option<String>,
    /// The `id:` field: what to send as `Last-Event-ID` to resume after this event.
    pub id: Option<String>,
    /// The `retry:` field: how long the server asks a client to wait before reconnecting.
    pub retry: Option<std::time::Duration>,
    /// The `data:` lines, decoded.
    pub data: T,
}

/// An operation whose successful response is a stream of server-sent events.
pub trait EventStream: Operation {
    /// What one event's data holds: the event schema the description gives, or the text.
    type Data;

    /// Reads one event's data (its `data:` lines joined by newlines), as received with
    /// `status`.
    fn data(status: http::StatusCode, data: &str) -> Result<Self::Data, DecodeError>;
}
