//! Server-sent events (`text/event-stream`): an operation whose success is a stream of
//! events says how one event's `data` is read ([`EventStream`]), and a [`Decoder`] splits
//! the bytes of such a stream into events as the HTML standard's parser does, chunk by
//! chunk, without IO: the client feeds it what it receives, and so can any other. A
//! decoder holds at most a limit of one event ([`DEFAULT_EVENT_LIMIT`] unless said
//! otherwise), so a stream that never ends an event cannot take all memory; it keeps the
//! last event ID and reconnection time, which a client resuming the stream after a
//! dropped connection sends back (`Last-Event-ID`) and waits for.

use std::time::Duration;

use super::{DecodeError, Operation};

/// Reads a whole stream of events (a body read to its end), each one's data read by
/// `data`: what `decode` makes of a `text/event-stream` response.
pub fn read<T>(
    body: &[u8],
    data: impl Fn(&str) -> Result<T, DecodeError>,
) -> Result<Vec<Event<T>>, DecodeError> {
    let mut events = Vec::new();
    // A body read whole is in memory already: its events need no limit.
    let _whole = Decoder::unlimited().feed(body, &mut events);
    events
        .into_iter()
        .map(|event| event.try_map(|text| data(&text)))
        .collect()
}

/// One server-sent event, its data decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` field: the event's type, when the server names one (`message`
    /// otherwise).
    pub event: Option<String>,
    /// The last `id:` field so far, this event's or an earlier one's: what to send as
    /// `Last-Event-ID` to resume after this event.
    pub id: Option<String>,
    /// The last `retry:` field so far: how long the server asks a client to wait before
    /// reconnecting.
    pub retry: Option<Duration>,
    /// The `data:` lines, decoded.
    pub data: T,
}

impl<T> Event<T> {
    /// The same event with its data read by `read`, or `read`'s error.
    pub fn try_map<U, E>(self, read: impl FnOnce(T) -> Result<U, E>) -> Result<Event<U>, E> {
        Ok(Event {
            event: self.event,
            id: self.id,
            retry: self.retry,
            data: read(self.data)?,
        })
    }
}

/// An operation whose successful response is a stream of server-sent events.
pub trait EventStream: Operation {
    /// What one event's data holds: the event schema the description gives, or the text.
    type Data;

    /// Reads one event's data (its `data:` lines joined by newlines), as received with
    /// `status`.
    fn data(status: http::StatusCode, data: &str) -> Result<Self::Data, DecodeError>;
}

/// Splits an event stream into events, fed chunk by chunk as they arrive (HTML Living
/// Standard, §9.2.6 "Interpreting an event stream"): lines end with CR, LF or CRLF, even
/// across chunks; `:` starts a comment; a blank line ends an event; an event without
/// `data` is not dispatched; text that is not UTF-8 is read with replacement characters.
/// An event the stream ends in the middle of is dropped, as the standard says.
#[derive(Debug)]
pub struct Decoder {
    /// The bytes of the line being read.
    line: Vec<u8>,
    /// The last byte read was a CR: an LF right after it ends no second line.
    after_cr: bool,
    /// A line has been read: a byte order mark is only skipped before the first.
    started: bool,
    data: String,
    has_data: bool,
    event: Option<String>,
    /// The standard's last event ID buffer: the `id:` read so far.
    id: Option<String>,
    /// The stream's last event ID: the buffer as it was at the end of the last event
    /// (a blank line), what a reconnection sends.
    last_id: Option<String>,
    retry: Option<Duration>,
    /// The most one event may hold: its data and the line being read, in bytes.
    limit: usize,
}

/// How much of one event a [`Decoder::new`] holds, in bytes: 4 MiB, far more than the
/// events of the APIs that stream (model replies send a few words an event), and little
/// enough that a stream that never ends an event fails before it takes all memory.
pub const DEFAULT_EVENT_LIMIT: usize = 4 * 1024 * 1024;

/// An event larger than the [`Decoder`]'s limit: the stream cannot be read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit, in bytes.
    pub limit: usize,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an event is larger than {} bytes", self.limit)
    }
}

impl std::error::Error for TooLarge {}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder::with_limit(DEFAULT_EVENT_LIMIT)
    }
}

impl Decoder {
    /// A decoder at the start of a stream, holding at most [`DEFAULT_EVENT_LIMIT`] bytes
    /// of one event.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// A decoder holding at most `limit` bytes of one event (its data and the line being
    /// read).
    pub fn with_limit(limit: usize) -> Decoder {
        Decoder {
            line: Vec::new(),
            after_cr: false,
            started: false,
            data: String::new(),
            has_data: false,
            event: None,
            id: None,
            last_id: None,
            retry: None,
            limit,
        }
    }

    /// A decoder without a limit, for a body already read whole.
    pub fn unlimited() -> Decoder {
        Decoder::with_limit(usize::MAX)
    }

    /// The last event ID the stream has set, at the end of an event: what to send as
    /// `Last-Event-ID` to resume it (an `id:` of an event the stream did not finish does
    /// not count).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The last reconnection time the stream has set (`retry:`).
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Drops the event and line being read, as a connection that ended does: the stream
    /// goes on over a new connection, with the same last event ID and reconnection time.
    pub fn reconnect(&mut self) {
        let (last_id, retry) = (self.last_id.take(), self.retry);
        *self = Decoder {
            id: last_id.clone(),
            last_id,
            retry,
            ..Decoder::with_limit(self.limit)
        };
    }

    /// Reads `chunk`, the next bytes of the stream, and appends the events it completes
    /// to `events`; fails, leaving those appended, when one event or line grows past the
    /// limit.
    pub fn feed(&mut self, chunk: &[u8], events: &mut Vec<Event<String>>) -> Result<(), TooLarge> {
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(after) = rest.strip_prefix(b"\n") {
                rest = after;
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            self.within_limit()?;
            let line = std::mem::take(&mut self.line);
            self.read_line(&line, events);
            self.within_limit()?;
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    Some(b'\n') => rest = &rest[end + 2..],
                    Some(_) => rest = &rest[end + 1..],
                    None => {
                        self.after_cr = true;
                        rest = &[];
                    }
                }
            } else {
                rest = &rest[end + 1..];
            }
        }
        self.line.extend_from_slice(rest);
        self.within_limit()
    }

    /// Fails when the event being read, with the line being read, is past the limit.
    fn within_limit(&self) -> Result<(), TooLarge> {
        match self.line.len().saturating_add(self.data.len()) > self.limit {
            true => Err(TooLarge { limit: self.limit }),
            false => Ok(()),
        }
    }

    fn read_line(&mut self, line: &[u8], events: &mut Vec<Event<String>>) {
        let mut line = line;
        if !self.started {
            self.started = true;
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        if line.is_empty() {
            self.dispatch(events);
            return;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some(("", _)) => return,
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => {
                self.id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Past u64 milliseconds (584 million years) the value is not meant.
                if let Ok(millis) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(millis));
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, events: &mut Vec<Event<String>>) {
        self.last_id.clone_from(&self.id);
        let event = self.event.take();
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        events.push(Event {
            event,
            id: self.id.clone(),
            retry: self.retry,
            data: std::mem::take(&mut self.data),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(chunks: &[&[u8]]) -> Vec<Event<String>> {
        let mut decoder = Decoder::new();
        let mut events = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk, &mut events).unwrap();
        }
        events
    }

    fn data(events: &[Event<String>]) -> Vec<&str> {
        events.iter().map(|event| event.data.as_str()).collect()
    }

    #[test]
    fn the_standards_examples_read_as_it_says() {
        // §9.2.6's examples: a comment and two events; data lines joined by newlines.
        let events = decode(&[b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"]);
        assert_eq!(
            data(&events),
            ["first event", "second event", " third event"]
        );
        assert_eq!(events[0].id.as_deref(), Some("1"));
        assert_eq!(events[1].id, None, "an empty `id` resets the last event ID");
        let events = decode(&[b"data\n\ndata\ndata\n\ndata:\n"]);
        assert_eq!(data(&events), ["", "\n"], "the last event never ended");
        let events = decode(&[b"data:test\n\ndata: test\n\n"]);
        assert_eq!(data(&events), ["test", "test"]);
    }

    #[test]
    fn lines_end_with_cr_lf_or_crlf_even_across_chunks() {
        let events = decode(&[b"event: a\r", b"\ndata: 1\r", b"\r", b"\ndata: 2\n", b"\n"]);
        assert_eq!(data(&events), ["1", "2"]);
        assert_eq!(events[0].event.as_deref(), Some("a"));
        assert_eq!(events[1].event, None, "the type is reset after each event");
        let events = decode(&[b"data: x\r\rdata: y\r\n\r\n"]);
        assert_eq!(data(&events), ["x", "y"]);
    }

    #[test]
    fn retry_id_and_oddities() {
        let events = decode(&[
            "\u{feff}retry: 1500\nretry: soon\nid: 7\nid: a\0b\ndata: é".as_bytes(),
            b"\xff\n\nunknown: field\ndata\n\n",
        ]);
        assert_eq!(data(&events), ["é\u{fffd}", ""]);
        assert_eq!(events[0].retry, Some(Duration::from_millis(1500)));
        assert_eq!(
            events[1].id.as_deref(),
            Some("7"),
            "the ID goes on; NUL is refused"
        );
        assert!(decode(&[b"event: only\n\n", b":comment\n\n"]).is_empty());
        assert!(decode(&[b"retry: 99999999999999999999999\n\n"]).is_empty());
    }

    #[test]
    fn an_event_past_the_limit_is_an_error() {
        let mut decoder = Decoder::with_limit(16);
        let mut events = Vec::new();
        decoder.feed(b"data: 0123456789\n\n", &mut events).unwrap();
        assert_eq!(data(&events), ["0123456789"]);
        // Data lines that add up past it, and one line that never ends.
        let mut lines = Decoder::with_limit(16);
        assert_eq!(
            lines.feed(b"data: 01234567\ndata: 89abcdef\n", &mut events),
            Err(TooLarge { limit: 16 })
        );
        let mut line = Decoder::with_limit(16);
        assert!(line.feed(b"data: 0123", &mut events).is_ok());
        assert!(line.feed(b"456789abcdef", &mut events).is_err());
    }

    #[test]
    fn a_reconnection_keeps_the_last_id_and_retry_and_drops_the_rest() {
        let mut decoder = Decoder::new();
        let mut events = Vec::new();
        decoder
            .feed(
                b"retry: 250\nid: 4\ndata: whole\n\nid: 5\nevent: x\ndata: half",
                &mut events,
            )
            .unwrap();
        assert_eq!(decoder.last_event_id(), Some("4"), "event 5 has not ended");
        decoder.reconnect();
        assert_eq!(decoder.last_event_id(), Some("4"));
        assert_eq!(decoder.retry(), Some(Duration::from_millis(250)));
        decoder.feed(b"data: next\n\n", &mut events).unwrap();
        assert_eq!(data(&events), ["whole", "next"]);
        assert_eq!(events[1].event, None, "the type of the half event is gone");
        assert_eq!(events[1].id.as_deref(), Some("4"));
    }
}
