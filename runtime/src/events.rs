//! Server-sent events (`text/event-stream`): an operation whose success is a stream of
//! events says how one event's `data` is read ([`EventStream`]), and a [`Decoder`] splits
//! the bytes of such a stream into events as the HTML standard's parser does, chunk by
//! chunk, without IO: the client feeds it what it receives, and so can any other.

use std::time::Duration;

use super::{DecodeError, Operation};

/// Reads a whole stream of events (a body read to its end), each one's data read by
/// `data`: what `decode` makes of a `text/event-stream` response.
pub fn read<T>(
    body: &[u8],
    data: impl Fn(&str) -> Result<T, DecodeError>,
) -> Result<Vec<Event<T>>, DecodeError> {
    let mut events = Vec::new();
    Decoder::new().feed(body, &mut events);
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
#[derive(Debug, Default)]
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
    id: Option<String>,
    retry: Option<Duration>,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Reads `chunk`, the next bytes of the stream, and appends the events it completes
    /// to `events`.
    pub fn feed(&mut self, chunk: &[u8], events: &mut Vec<Event<String>>) {
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(after) = rest.strip_prefix(b"\n") {
                rest = after;
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.line);
            self.read_line(&line, events);
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
            decoder.feed(chunk, &mut events);
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
}
