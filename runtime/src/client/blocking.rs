//! A blocking client (the `blocking` feature), for code without an async runtime: the
//! asynchronous client, driven on a runtime of its own. Like `reqwest`'s blocking client,
//! it must not be used, or dropped, inside an async runtime.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf as _, Bytes};
use futures_core::Stream;
use futures_util::StreamExt as _;
use tokio::runtime::Runtime;

use super::super::events::EventStream;
use super::super::pages::Paginated;
use super::super::retry::Policy;
use super::super::{Credentials, Operation};
use super::{Answer, Error, Hook, Outcome, Reply, Streaming, Timer, Upload};

/// A blocking client for one server of the API, with the caller's credentials.
pub struct Client<C = ()> {
    inner: super::Client<C>,
    runtime: Arc<Runtime>,
}

impl<C> Clone for Client<C> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            runtime: Arc::clone(&self.runtime),
        }
    }
}

impl<C> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Client").field(&self.inner).finish()
    }
}

impl Client<()> {
    /// A client for the server at `base_url`, without credentials.
    ///
    /// # Panics
    ///
    /// When the system refuses the resources of its runtime (as `reqwest`'s
    /// blocking client does then).
    pub fn new(base_url: impl Into<String>) -> Client<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("cannot start the client's runtime: {error}"));
        Client {
            inner: super::Client::new(base_url),
            runtime: Arc::new(runtime),
        }
    }
}

impl<C> Client<C> {
    fn with(self, change: impl FnOnce(super::Client<C>) -> super::Client<C>) -> Client<C> {
        Client {
            inner: change(self.inner),
            runtime: self.runtime,
        }
    }

    /// The same client, sending `credentials` where operations need them.
    pub fn with_credentials<D: Credentials>(self, credentials: D) -> Client<D> {
        Client {
            inner: self.inner.with_credentials(credentials),
            runtime: self.runtime,
        }
    }

    /// The same client, sending through `http` (an asynchronous `reqwest` client,
    /// which this one drives).
    pub fn with_http(self, http: reqwest::Client) -> Client<C> {
        self.with(|inner| inner.with_http(http))
    }

    /// See [`super::Client::with_retries`].
    pub fn with_retries(self, policy: Policy) -> Client<C> {
        self.with(|inner| inner.with_retries(policy))
    }

    /// See [`super::Client::with_attempt_timeout`].
    pub fn with_attempt_timeout(self, timeout: Duration) -> Client<C> {
        self.with(|inner| inner.with_attempt_timeout(timeout))
    }

    /// See [`super::Client::with_timeout`].
    pub fn with_timeout(self, timeout: Duration) -> Client<C> {
        self.with(|inner| inner.with_timeout(timeout))
    }

    /// See [`super::Client::with_idempotency_keys`].
    pub fn with_idempotency_keys(self) -> Client<C> {
        self.with(|inner| inner.with_idempotency_keys())
    }

    /// See [`super::Client::with_hook`].
    pub fn with_hook(self, hook: impl Hook) -> Client<C> {
        self.with(|inner| inner.with_hook(hook))
    }

    /// See [`super::Client::with_timer`].
    pub fn with_timer(self, timer: impl Timer) -> Client<C> {
        self.with(|inner| inner.with_timer(timer))
    }

    /// See [`super::Client::with_event_limit`].
    pub fn with_event_limit(self, bytes: usize) -> Client<C> {
        self.with(|inner| inner.with_event_limit(bytes))
    }

    /// See [`super::Client::with_reconnects`].
    pub fn with_reconnects(self, times: u32) -> Client<C> {
        self.with(|inner| inner.with_reconnects(times))
    }

    /// The server's URL.
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }
}

impl<C: Credentials> Client<C> {
    /// A call of operation `O`, to set up and then send; see [`super::Client::call`].
    pub fn call<'a, O: Operation>(
        &'a self,
        params: &'a O::Params,
        body: &'a O::Body,
    ) -> Call<'a, C, O> {
        Call {
            inner: self.inner.call::<O>(params, body),
            runtime: &self.runtime,
        }
    }

    /// Sends operation `O` with `params` and `body`, and decodes its response.
    pub fn send<O: Operation>(&self, params: &O::Params, body: &O::Body) -> Outcome<O> {
        self.call::<O>(params, body).send()
    }
}

/// One blocking call of operation `O`, being set up; see [`super::Call`].
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a, C, O: Operation> {
    inner: super::Call<'a, C, O>,
    runtime: &'a Arc<Runtime>,
}

impl<C, O: Operation> fmt::Debug for Call<'_, C, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<'a, C: Credentials, O: Operation> Call<'a, C, O> {
    fn with(self, change: impl FnOnce(super::Call<'a, C, O>) -> super::Call<'a, C, O>) -> Self {
        Call {
            inner: change(self.inner),
            runtime: self.runtime,
        }
    }

    /// See [`super::Call::header`].
    pub fn header(self, name: &str, value: &str) -> Self {
        self.with(|call| call.header(name, value))
    }

    /// See [`super::Call::query`].
    pub fn query(self, name: &str, value: &str) -> Self {
        self.with(|call| call.query(name, value))
    }

    /// See [`super::Call::retries`].
    pub fn retries(self, policy: Policy) -> Self {
        self.with(|call| call.retries(policy))
    }

    /// See [`super::Call::attempt_timeout`].
    pub fn attempt_timeout(self, timeout: Duration) -> Self {
        self.with(|call| call.attempt_timeout(timeout))
    }

    /// See [`super::Call::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|call| call.timeout(timeout))
    }

    /// See [`super::Call::idempotency_key`].
    pub fn idempotency_key(self, key: &str) -> Self {
        self.with(|call| call.idempotency_key(key))
    }

    /// See [`super::Call::hook`].
    pub fn hook(self, hook: impl Hook) -> Self {
        self.with(|call| call.hook(hook))
    }

    /// See [`super::Call::upload`].
    pub fn upload(self, upload: Upload) -> Self {
        self.with(|call| call.upload(upload))
    }

    /// See [`super::Call::event_limit`].
    pub fn event_limit(self, bytes: usize) -> Self {
        self.with(|call| call.event_limit(bytes))
    }

    /// See [`super::Call::reconnects`].
    pub fn reconnects(self, times: u32) -> Self {
        self.with(|call| call.reconnects(times))
    }

    /// Sends the call and decodes its response.
    pub fn send(self) -> Outcome<O> {
        self.runtime.block_on(self.inner.send())
    }

    /// Sends the call and decodes its response, with its status and headers.
    pub fn reply(self) -> Result<Reply<Answer<O>>, Error> {
        self.runtime.block_on(self.inner.reply())
    }

    /// Sends the call and hands a successful body as a reader of its bytes; see
    /// [`super::Call::bytes`].
    pub fn bytes(self) -> Streaming<ByteReader, O> {
        let runtime = Arc::clone(self.runtime);
        let reply = runtime.block_on(self.inner.bytes())?;
        Ok(reply.map(|value| value.map(|stream| ByteReader::new(stream, runtime))))
    }

    /// Sends the call and hands a successful body as an iterator of server-sent
    /// events; see [`super::Call::events`].
    pub fn events(self) -> Streaming<Blocking<super::Events<O>>, O>
    where
        O: EventStream,
    {
        let runtime = Arc::clone(self.runtime);
        let reply = runtime.block_on(self.inner.events())?;
        Ok(reply.map(|value| value.map(|stream| Blocking { stream, runtime })))
    }

    /// Walks the pages of the call; an iterator of their items, see
    /// [`super::Call::items`].
    pub fn items(self, limit: Option<usize>) -> Blocking<super::Items<O>>
    where
        O: Paginated,
        O::Params: Clone + fmt::Debug,
        O::Body: Clone + Send + Sync + 'static,
        C: Send + Sync + 'static,
    {
        Blocking {
            stream: self.inner.items(limit),
            runtime: Arc::clone(self.runtime),
        }
    }
}

/// A stream of the asynchronous client, read as an iterator: each item waits for
/// the next one (server-sent [`Event`](super::super::events::Event)s, page items).
pub struct Blocking<S> {
    stream: S,
    runtime: Arc<Runtime>,
}

impl<S> fmt::Debug for Blocking<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocking").finish_non_exhaustive()
    }
}

impl<S: Stream + Unpin> Iterator for Blocking<S> {
    type Item = S::Item;

    fn next(&mut self) -> Option<S::Item> {
        self.runtime.block_on(self.stream.next())
    }
}

/// A response body read as it arrives: an iterator of chunks, or a [`std::io::Read`].
pub struct ByteReader {
    stream: super::ByteStream,
    runtime: Arc<Runtime>,
    /// What the last chunk has left to read.
    chunk: Bytes,
}

impl fmt::Debug for ByteReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteReader").finish_non_exhaustive()
    }
}

impl ByteReader {
    fn new(stream: super::ByteStream, runtime: Arc<Runtime>) -> ByteReader {
        ByteReader {
            stream,
            runtime,
            chunk: Bytes::new(),
        }
    }
}

impl Iterator for ByteReader {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.chunk.is_empty() {
            return Some(Ok(std::mem::take(&mut self.chunk)));
        }
        self.runtime.block_on(self.stream.next())
    }
}

impl std::io::Read for ByteReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.runtime.block_on(self.stream.next()) {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(error)) => return Err(std::io::Error::other(error)),
                None => return Ok(0),
            }
        }
        let length = buffer.len().min(self.chunk.len());
        buffer[..length].copy_from_slice(&self.chunk[..length]);
        self.chunk.advance(length);
        Ok(length)
    }
}
