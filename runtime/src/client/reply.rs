//! What a call gives: the decoded value with the response's status and headers, and the
//! results of sending an operation.

use super::super::Operation;
use super::Error;

/// An operation's documented success or documented error.
pub type Answer<O> = Result<<O as Operation>::Responses, <O as Operation>::Errors>;

/// What sending an operation gives: its documented success or error, or an [`Error`].
pub type Outcome<O> = Result<Answer<O>, Error>;

/// What a streamed call gives: the stream `S` of a success with the status and headers,
/// a documented error, or an [`Error`].
pub type Streaming<S, O> = Result<Reply<Result<S, <O as Operation>::Errors>>, Error>;

/// A response's status and headers, the attempts it took, and its value (the decoded
/// body, or a stream of it).
#[derive(Debug, Clone)]
pub struct Reply<T> {
    /// The status of the response.
    pub status: http::StatusCode,
    /// Its headers (rate limits, request IDs, ETags … that the description may not list).
    pub headers: http::HeaderMap,
    /// How many attempts the call made, the last one included.
    pub attempts: u32,
    /// What the body holds.
    pub value: T,
}

impl<T> Reply<T> {
    /// The same reply with its value changed by `change`.
    pub fn map<U>(self, change: impl FnOnce(T) -> U) -> Reply<U> {
        Reply {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value: change(self.value),
        }
    }
}
