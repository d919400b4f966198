//! The server side (the `server` feature): a generated crate's operations served on
//! `axum` from the same per-status types the client decodes. The generated `server`
//! module has one trait per group of operations, whose methods take each operation's
//! [`Request`] (its `{Op}Params` and body) and return its `{Op}Responses` or
//! `{Op}Errors`, and a `Server` that builds the `axum::Router`; this module is what all
//! of them share:
//!
//! - [`route`]: the router, the checks before a handler runs (404, 405, 406, 415, 401,
//!   403, 400, 501) and the [`Info`] of each operation, a request extension;
//! - [`params`] and [`body`]: reading parameters by style and bodies by media type, the
//!   inverse of the request builder, by the same table of styles;
//! - [`rules`] and [`check`]: the constraints of the description's schemas as data, and
//!   the check that collects every violation;
//! - [`problem`]: refusals as RFC 9457 problem details;
//! - [`auth`]: credentials read and handed to an [`Authenticator`];
//! - [`reply`]: answers written in the media type `Accept` prefers, streams as they come;
//! - [`make`] and [`mock`]: values made from rules, for the generated mock.
//!
//! `docs/server.md` is the guide.

pub mod auth;
pub mod body;
pub mod check;
mod incoming;
pub mod make;
pub mod mock;
pub mod params;
pub mod problem;
pub mod reply;
pub mod route;
pub mod rules;

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use auth::{AcceptAny, Authenticator, Denied, Presented};
pub use incoming::Incoming;
pub use params::{Param, Piece};
pub use problem::{Place, Refusal, Violation};
pub use reply::{Reply, Stream, Streamed};
pub use route::{Documented, Info, Observer, OperationService, Routes, Status};
pub use rules::{Additional, Bound, Discriminator, Format, Literal, Pattern, Rule, Rules, Types};

pub use axum;
pub use bytes;
pub use futures_core;
pub use tower;

/// What a handler is called with: the operation's parameters and body, read and checked
/// as the description says, and the rest of the HTTP request (its headers, and in its
/// extensions what the authenticator left there).
#[derive(Debug)]
pub struct Request<P, B> {
    /// The operation's `{Op}Params` (`()` without parameters).
    pub params: P,
    /// Its body (`()` without one; an [`Upload`] for a body of bytes read as a stream).
    pub body: B,
    /// Method, URI, headers and extensions.
    pub parts: http::request::Parts,
    /// The operation.
    pub operation: &'static Info,
}

impl<P, B> Request<P, B> {
    /// What the authenticator recorded of type `T` (who the caller is).
    pub fn principal<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.parts.extensions.get::<T>()
    }
}

/// A request body of bytes, read as it arrives: a stream of chunks, or all of it with
/// [`Upload::read_all`]. Past the server's body limit, reading fails.
pub struct Upload {
    body: axum::body::BodyDataStream,
    limit: usize,
    read: usize,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("limit", &self.limit)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl Upload {
    pub(crate) fn new(body: axum::body::Body, limit: usize) -> Upload {
        Upload {
            body: body.into_data_stream(),
            limit,
            read: 0,
        }
    }

    /// Reads the rest of the body.
    pub async fn read_all(mut self) -> Result<Vec<u8>, axum::Error> {
        use futures_util::StreamExt as _;
        let mut all = Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}

impl futures_core::Stream for Upload {
    type Item = Result<bytes::Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.read += chunk.len();
                if this.read > this.limit {
                    return Poll::Ready(Some(Err(axum::Error::new(
                        "the body is longer than the server's limit",
                    ))));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            other => other,
        }
    }
}
