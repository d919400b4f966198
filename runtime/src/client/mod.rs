//! A ready client (the `client` feature): sends an operation's request with `reqwest` and
//! decodes the response by its status, so a call is one line. Around that sans-IO core
//! ([`Operation::request`], [`Operation::decode`], and the pure [`retry`], [`pages`] and
//! [`events`](super::events) modules) it adds what a call needs on a real network:
//!
//! - [`Reply`]: the status and headers next to the typed value ([`Call::reply`]);
//! - retries by a [`Policy`] (the client's, the operation's `x-speakeasy-retries`, or the
//!   call's), only for requests safe to repeat, and timeouts per attempt and per call;
//! - pages walked as a stream of items ([`Call::items`]), server-sent events as a stream
//!   of typed events ([`Call::events`]), a body read as a stream of bytes
//!   ([`Call::bytes`]), and uploads from a stream or a file ([`Upload`]);
//! - a `tracing` span per call, a header or query parameter for one call, and [`Hook`]s
//!   around each attempt.
//!
//! Time is read through a [`Timer`], so tests can run retries and timeouts on a clock of
//! their own. The blocking client ([`blocking`]) drives this one on a runtime of its own.
//!
//! A file per concern: `builder` (a [`Client`], what its calls share), `call` (a
//! [`Call`] set up and sent), `caller` (what the generated method per operation calls),
//! `attempts` (the retry loop), `streams` ([`ByteStream`], [`Events`], [`Items`]),
//! `resume` (an event stream reconnected), `reply`, `error`, `timer`, `hooks` and
//! `blocking`.
//!
//! [`Operation::request`]: super::Operation::request
//! [`Operation::decode`]: super::Operation::decode
//! [`Policy`]: super::retry::Policy
//! [`retry`]: super::retry
//! [`pages`]: super::pages

mod attempts;
#[cfg(feature = "blocking")]
pub mod blocking;
mod builder;
mod call;
mod caller;
mod error;
mod hooks;
mod reply;
mod resume;
mod streams;
mod timer;

pub use super::upload::Upload;
pub use builder::Client;
pub use call::Call;
pub use caller::Caller;
pub use error::Error;
pub use hooks::{BoxError, Context, Hook, HookFuture};
pub use reply::{Answer, Outcome, Reply, Streaming};
/// The HTTP client underneath, so that hooks name the same version of its types.
pub use reqwest;
pub use resume::DEFAULT_RECONNECTS;
pub use streams::{ByteStream, Events, Items};
pub use timer::{Sleep, Timer, TokioTimer};
