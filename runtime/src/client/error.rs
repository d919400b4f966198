//! The client's error: what can go wrong sending an operation, other than a documented
//! error response.

use std::fmt;
use std::time::Duration;

use super::super::{DecodeError, EncodeError};
use super::BoxError;

/// What can go wrong sending an operation, other than a documented error response.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be written as the description says.
    Encode(EncodeError),
    /// The request did not reach the server, or its response did not come back.
    Http(reqwest::Error),
    /// The response does not match what the description documents for its status.
    Decode(DecodeError),
    /// The call, or its last attempt, took longer than this timeout.
    TimedOut(Duration),
    /// A [`Hook`](super::Hook) stopped the call.
    Hook(BoxError),
    /// An [`Upload`](super::Upload) could not be read, or the body does not hold its
    /// placeholder.
    Upload(std::io::Error),
    /// An event of a stream is larger than this limit, in bytes
    /// ([`Call::event_limit`](super::Call::event_limit)); the stream ends.
    EventTooLarge(usize),
    /// An event stream whose connection dropped was sent again, and answered with this
    /// status, not a success; the stream ends.
    Reconnect(http::StatusCode),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Encode(error) => write!(f, "cannot write the request: {error}"),
            Error::Http(error) => write!(f, "the request failed: {error}"),
            Error::Decode(error) => write!(f, "unexpected response: {error}"),
            Error::TimedOut(after) => write!(f, "no response within {after:?}"),
            Error::Hook(error) => write!(f, "a hook stopped the request: {error}"),
            Error::Upload(error) => write!(f, "cannot read the upload: {error}"),
            Error::EventTooLarge(limit) => {
                write!(f, "an event of the stream is larger than {limit} bytes")
            }
            Error::Reconnect(status) => {
                write!(
                    f,
                    "reconnecting the event stream was answered with {status}"
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode(error) => Some(error),
            Error::Http(error) => Some(error),
            Error::Decode(error) => Some(error),
            Error::TimedOut(_) => None,
            Error::Hook(error) => Some(&**error),
            Error::Upload(error) => Some(error),
            Error::EventTooLarge(_) | Error::Reconnect(_) => None,
        }
    }
}
