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
//! Behaviour around attempts is a [`Hook`] (two synchronous methods, each client holding
//! `Arc<dyn Hook>`s), not a `tower` stack nor `reqwest-middleware`: the client's type
//! stays `Client<C>` whatever is plugged in, a hook's failure is one [`Error`] variant
//! rather than a boxed error to downcast, and hooks see each attempt with its number
//! because the retry loop calls them. `tower` would cost no crate (reqwest already builds
//! it) but nests a generic future type per layer; `reqwest-middleware` checks 29 more
//! units (async-trait's full `syn`, anyhow, thiserror), 24 s on this project's machine.
//! AWS's smithy-rs left a tower stack for interceptor hooks for the same reasons.
//!
//! [`retry`]: super::retry
//! [`pages`]: super::pages

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::future::{select, Either};
use http::header::{HeaderName, HeaderValue};
use tracing::Instrument as _;

use super::error::{Problem, Subject};
use super::events::{Decoder, Event, EventStream};
use super::pages::{self, Next, Pages, Paginated};
use super::request::header_value;
use super::retry::{self, Attempt, Decision, Policy};
use super::style::Escape;
use super::upload::Spliced;
use super::{Credentials, DecodeError, EncodeError, Operation};

pub use super::upload::Upload;
/// The HTTP client underneath, so that hooks name the same version of its types.
pub use reqwest;

/// An error of the caller's own code (a [`Hook`]), boxed.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

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
    /// A [`Hook`] stopped the call.
    Hook(BoxError),
    /// An [`Upload`] could not be read, or the body does not hold its placeholder.
    Upload(std::io::Error),
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
        }
    }
}

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

/// A future the client waits on; see [`Timer`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The client's source of time: the waits between attempts, the timers of timeouts, and
/// the date a `Retry-After` date is read against. [`TokioTimer`] by default; a test
/// gives a clock of its own, so that retries and timeouts take no real time.
pub trait Timer: Send + Sync + 'static {
    /// Waits `duration`, between two attempts.
    fn sleep(&self, duration: Duration) -> Sleep;

    /// Is ready once `duration` has passed: the end of a timeout. Apart from
    /// [`Timer::sleep`] so that a test clock can skip the client's waits at once yet let
    /// timeouts run out only when the test moves its time on.
    fn deadline(&self, duration: Duration) -> Sleep {
        self.sleep(duration)
    }

    /// The current date.
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Tokio's timers and the system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// One attempt of a call, as a [`Hook`] sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The request's method.
    pub method: &'a http::Method,
    /// Which attempt this is: 1 for the first.
    pub attempt: u32,
}

/// The caller's own behaviour around each attempt of a call: signing, logging, metrics,
/// test assertions. Hooks run in the order they were added, the client's before the
/// call's. Both methods do nothing by default.
pub trait Hook: Send + Sync + 'static {
    /// Called with each attempt's request before it is sent; it may change it (add a
    /// header, sign it). An error stops the call with [`Error::Hook`].
    fn before(
        &self,
        context: &Context<'_>,
        request: &mut reqwest::Request,
    ) -> Result<(), BoxError> {
        let _ = (context, request);
        Ok(())
    }

    /// Called with how each attempt ended, before the client decides whether to retry.
    fn after(&self, context: &Context<'_>, outcome: &Attempt<'_>) {
        let _ = (context, outcome);
    }
}

/// What a client holds, shared by its clones.
#[derive(Clone)]
struct Settings {
    http: reqwest::Client,
    base_url: String,
    retries: Policy,
    attempt_timeout: Option<Duration>,
    timeout: Option<Duration>,
    idempotency_keys: bool,
    hooks: Vec<Arc<dyn Hook>>,
    timer: Arc<dyn Timer>,
}

/// An asynchronous client for one server of the API, with the caller's credentials.
/// Clones share one connection pool.
pub struct Client<C = ()> {
    settings: Arc<Settings>,
    credentials: Arc<C>,
}

impl<C> Clone for Client<C> {
    fn clone(&self) -> Self {
        Client {
            settings: Arc::clone(&self.settings),
            credentials: Arc::clone(&self.credentials),
        }
    }
}

impl<C> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &self.settings;
        f.debug_struct("Client")
            .field("base_url", &settings.base_url)
            .field("retries", &settings.retries)
            .field("attempt_timeout", &settings.attempt_timeout)
            .field("timeout", &settings.timeout)
            .field("idempotency_keys", &settings.idempotency_keys)
            .field("hooks", &settings.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Client<()> {
    /// A client for the server at `base_url` (from the generated `servers` module, or
    /// any URL), without credentials; retries by [`Policy::default`], no timeouts.
    pub fn new(base_url: impl Into<String>) -> Client<()> {
        Client {
            settings: Arc::new(Settings {
                http: reqwest::Client::new(),
                base_url: base_url.into(),
                retries: Policy::default(),
                attempt_timeout: None,
                timeout: None,
                idempotency_keys: false,
                hooks: Vec::new(),
                timer: Arc::new(TokioTimer),
            }),
            credentials: Arc::new(()),
        }
    }
}

impl<C> Client<C> {
    fn with(mut self, change: impl FnOnce(&mut Settings)) -> Client<C> {
        change(Arc::make_mut(&mut self.settings));
        self
    }

    /// The same client, sending `credentials` where operations need them.
    pub fn with_credentials<D: Credentials>(self, credentials: D) -> Client<D> {
        Client {
            settings: self.settings,
            credentials: Arc::new(credentials),
        }
    }

    /// The same client, sending through `http` (with its proxies, TLS, pool …).
    pub fn with_http(self, http: reqwest::Client) -> Client<C> {
        self.with(|settings| settings.http = http)
    }

    /// The same client, retrying by `policy` (for operations whose description gives no
    /// policy of its own); [`Policy::none`] never retries.
    pub fn with_retries(self, policy: Policy) -> Client<C> {
        self.with(|settings| settings.retries = policy)
    }

    /// The same client, giving up an attempt that has had no response for `timeout`
    /// (it may then be retried).
    pub fn with_attempt_timeout(self, timeout: Duration) -> Client<C> {
        self.with(|settings| settings.attempt_timeout = Some(timeout))
    }

    /// The same client, giving up a call, retries included, after `timeout`. A streamed
    /// body is not counted: the timeout ends when its response begins.
    pub fn with_timeout(self, timeout: Duration) -> Client<C> {
        self.with(|settings| settings.timeout = Some(timeout))
    }

    /// The same client, adding a fresh `Idempotency-Key` to each `POST` and `PATCH`
    /// without one, so that they too can be retried (for APIs that honour the header,
    /// as Stripe's does).
    pub fn with_idempotency_keys(self) -> Client<C> {
        self.with(|settings| settings.idempotency_keys = true)
    }

    /// The same client, calling `hook` around each attempt of every call.
    pub fn with_hook(self, hook: impl Hook) -> Client<C> {
        self.with(|settings| settings.hooks.push(Arc::new(hook)))
    }

    /// The same client, reading time from `timer`.
    pub fn with_timer(self, timer: impl Timer) -> Client<C> {
        self.with(|settings| settings.timer = Arc::new(timer))
    }

    /// The server's URL.
    pub fn base_url(&self) -> &str {
        &self.settings.base_url
    }
}

impl<C: Credentials> Client<C> {
    /// A call of operation `O` with `params` and `body`, to set up (a header, a timeout,
    /// a retry policy …) and then send in one of its ways ([`Call::send`],
    /// [`Call::reply`], [`Call::items`] …).
    pub fn call<'a, O: Operation>(
        &'a self,
        params: &'a O::Params,
        body: &'a O::Body,
    ) -> Call<'a, C, O> {
        Call {
            client: self,
            params,
            body,
            options: Options::default(),
            upload: None,
            invalid: None,
            _operation: PhantomData,
        }
    }

    /// Sends operation `O` with `params` and `body`, and decodes its response.
    pub async fn send<O: Operation>(&self, params: &O::Params, body: &O::Body) -> Outcome<O> {
        self.call::<O>(params, body).send().await
    }
}

/// What one call changes of its client's ways: all but the upload, so that each page of
/// a walk gets them too.
#[derive(Clone, Default)]
struct Options {
    retries: Option<Policy>,
    attempt_timeout: Option<Duration>,
    timeout: Option<Duration>,
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<String>,
    idempotency_key: Option<HeaderValue>,
    hooks: Vec<Arc<dyn Hook>>,
}

/// One call of operation `O`, being set up; nothing is sent until one of the sending
/// methods is awaited.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a, C, O: Operation> {
    client: &'a Client<C>,
    params: &'a O::Params,
    body: &'a O::Body,
    options: Options,
    upload: Option<Upload>,
    /// The first header or key that could not be written, reported when the call is sent.
    invalid: Option<EncodeError>,
    _operation: PhantomData<fn() -> O>,
}

impl<C, O: Operation> fmt::Debug for Call<'_, C, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &O::ID)
            .finish_non_exhaustive()
    }
}

impl Options {
    fn header(&mut self, name: &str, value: &str) -> Result<(), EncodeError> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|error| {
            EncodeError::new(
                Subject::Parameter(name.to_owned()),
                Problem::HeaderName(error),
            )
        })?;
        let value = header_value(value)
            .map_err(|problem| EncodeError::new(Subject::Header(header.clone()), problem))?;
        self.headers.push((header, value));
        Ok(())
    }

    fn idempotency_key(&mut self, key: &str) -> Result<(), EncodeError> {
        let value = header_value(key).map_err(|problem| {
            EncodeError::new(
                Subject::Header(HeaderName::from_static(IDEMPOTENCY_KEY)),
                problem,
            )
        })?;
        self.idempotency_key = Some(value);
        Ok(())
    }
}

// Each method only hands its argument to non-generic code: a call's setup is compiled
// once, not per operation.
impl<'a, C: Credentials, O: Operation> Call<'a, C, O> {
    fn check(mut self, written: Result<(), EncodeError>) -> Self {
        if let Err(error) = written {
            self.invalid.get_or_insert(error);
        }
        self
    }

    /// Adds the header `name: value` to this call's request (replacing one of that name).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let written = self.options.header(name, value);
        self.check(written)
    }

    /// Adds the query parameter `name=value` (percent-encoded) to this call's request.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        let pair = format!("{}={}", Escape::URI.text(name), Escape::URI.text(value));
        self.options.query.push(pair);
        self
    }

    /// Retries this call by `policy`, rather than the operation's or the client's.
    /// `policy.any_method()` retries even a request that is not safe to repeat.
    pub fn retries(mut self, policy: Policy) -> Self {
        self.options.retries = Some(policy);
        self
    }

    /// Gives up an attempt of this call that has had no response for `timeout`.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.options.attempt_timeout = Some(timeout);
        self
    }

    /// Gives up this call, retries included, after `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sends `key` as the `Idempotency-Key` header, which makes a `POST` or `PATCH` safe
    /// to retry on a server that honours it.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        let written = self.options.idempotency_key(key);
        self.check(written)
    }

    /// Calls `hook` around each attempt of this call, after the client's hooks.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.options.hooks.push(Arc::new(hook));
        self
    }

    /// Sends `upload` where the body holds its [placeholder](Upload::placeholder): the
    /// whole body of an `application/octet-stream` operation, or a multipart file part.
    pub fn upload(mut self, upload: Upload) -> Self {
        self.upload = Some(upload);
        self
    }

    fn plan(self) -> Result<(Plan, http::Request<Vec<u8>>), Error> {
        if let Some(invalid) = self.invalid {
            return Err(Error::Encode(invalid));
        }
        let client = self.client;
        let request = O::authorized_request(
            &client.settings.base_url,
            self.params,
            self.body,
            &*client.credentials,
        )
        .map_err(Error::Encode)?;
        let plan = Plan {
            settings: Arc::clone(&client.settings),
            operation: O::ID,
            retries: O::RETRIES,
            options: self.options,
            upload: self.upload,
        };
        Ok((plan, request))
    }

    /// Sends the call and decodes its response.
    pub async fn send(self) -> Outcome<O> {
        Ok(self.reply().await?.value)
    }

    /// Sends the call and decodes its response, with its status and headers.
    pub async fn reply(self) -> Result<Reply<Answer<O>>, Error> {
        let (plan, request) = self.plan()?;
        let read = plan.buffered(request).await?;
        let value = O::decode(read.status, &read.headers, &read.body).map_err(Error::Decode)?;
        Ok(read.reply(value))
    }

    /// Sends the call and hands its body as a stream of bytes, as it arrives, when it is
    /// a success (a documented error is read and decoded as usual).
    pub async fn bytes(self) -> Streaming<ByteStream, O> {
        let (plan, request) = self.plan()?;
        let streamed = plan.streamed(request).await?;
        streamed.into_stream::<O>().await
    }

    /// Sends the call and hands its body as a stream of server-sent events, each one's
    /// data decoded as the operation says, when it is a success (a documented error is
    /// read and decoded as usual).
    pub async fn events(self) -> Streaming<Events<O>, O>
    where
        O: EventStream,
    {
        let reply = self.bytes().await?;
        let status = reply.status;
        Ok(reply.map(|value| value.map(|bytes| Events::new(status, bytes))))
    }

    /// Walks the pages of the call and hands their items one by one, at most `limit` of
    /// them: it stops after the last page, at the limit, at the first error (handed out
    /// last), and at a page it has fetched before (a cursor or link seen again).
    pub fn items(self, limit: Option<usize>) -> Items<O>
    where
        O: Paginated,
        O::Params: Clone + fmt::Debug,
        O::Body: Clone + Send + Sync + 'static,
        C: Send + Sync + 'static,
    {
        let client = self.client.clone();
        let next_request = move |params: &O::Params,
                                 body: &O::Body,
                                 next: &Next<O::Params, O::Body>| {
            let base_url = &client.settings.base_url;
            match next {
                Next::Request { params, body, .. } => {
                    O::authorized_request(base_url, params, body, &*client.credentials)
                }
                Next::Url(url) => {
                    pages::url_request::<O, C>(base_url, url, params, body, &*client.credentials)
                }
            }
        };
        let plan = Plan {
            settings: Arc::clone(&self.client.settings),
            operation: O::ID,
            retries: O::RETRIES,
            options: self.options,
            upload: None,
        };
        let mut walk = Pages::new(self.params.clone(), self.body.clone(), limit);
        let failed = self.invalid.map(|invalid| {
            walk.stop();
            Error::Encode(invalid)
        });
        Items {
            walk,
            next_request: Box::new(next_request),
            plan,
            ready: VecDeque::new(),
            fetching: None,
            failed,
        }
    }
}

/// A call past its operation's code: everything the client does that does not depend on
/// the operation's types, compiled once rather than per operation.
struct Plan {
    settings: Arc<Settings>,
    operation: &'static str,
    retries: Option<fn() -> Policy>,
    options: Options,
    upload: Option<Upload>,
}

/// A response read whole.
struct Read {
    status: http::StatusCode,
    headers: http::HeaderMap,
    attempts: u32,
    body: Bytes,
}

impl Read {
    fn reply<T>(self, value: T) -> Reply<T> {
        Reply {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value,
        }
    }
}

/// A response whose body is yet to be read.
struct Streamed {
    response: reqwest::Response,
    attempts: u32,
}

impl Streamed {
    /// The body as a stream when the status is a success; otherwise read and decoded by
    /// `O` (a status it documents as a success is then handed as a stream of its bytes).
    async fn into_stream<O: Operation>(self) -> Streaming<ByteStream, O> {
        let (status, headers) = (self.response.status(), self.response.headers().clone());
        let reply = |value| Reply {
            status,
            headers: headers.clone(),
            attempts: self.attempts,
            value,
        };
        if status.is_success() {
            return Ok(reply(Ok(ByteStream::new(self.response))));
        }
        let body = self.response.bytes().await.map_err(Error::Http)?;
        let value = match O::decode(status, &headers, &body).map_err(Error::Decode)? {
            Ok(_) => Ok(ByteStream::from_bytes(body)),
            Err(error) => Err(error),
        };
        Ok(reply(value))
    }
}

const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// A request ready for its attempts: its parts, and its body as bytes or an upload.
struct Prepared {
    method: http::Method,
    url: reqwest::Url,
    headers: http::HeaderMap,
    body: Bytes,
    upload: Option<Spliced>,
}

impl Plan {
    fn policy(&self) -> Policy {
        self.options
            .retries
            .clone()
            .or_else(|| self.retries.map(|policy| policy()))
            .unwrap_or_else(|| self.settings.retries.clone())
    }

    fn timeout(&self) -> Option<Duration> {
        self.options.timeout.or(self.settings.timeout)
    }

    /// Sends the request, and reads its whole response within the call's timeout.
    async fn buffered(self, request: http::Request<Vec<u8>>) -> Result<Read, Error> {
        let timer = Arc::clone(&self.settings.timer);
        let timeout = self.timeout();
        let call = async move {
            let streamed = self.exchange(request).await?;
            let (status, headers) = (
                streamed.response.status(),
                streamed.response.headers().clone(),
            );
            let body = streamed.response.bytes().await.map_err(Error::Http)?;
            Ok(Read {
                status,
                headers,
                attempts: streamed.attempts,
                body,
            })
        };
        within(&*timer, timeout, call).await
    }

    /// Sends the request, within the call's timeout until its response begins.
    async fn streamed(self, request: http::Request<Vec<u8>>) -> Result<Streamed, Error> {
        let timer = Arc::clone(&self.settings.timer);
        let timeout = self.timeout();
        within(&*timer, timeout, self.exchange(request)).await
    }

    /// The request with what the call adds: its headers, query, idempotency key, upload.
    fn prepare(&mut self, request: http::Request<Vec<u8>>) -> Result<Prepared, Error> {
        let (mut parts, body) = request.into_parts();
        for (name, value) in &self.options.headers {
            parts.headers.insert(name.clone(), value.clone());
        }
        let key = HeaderName::from_static(IDEMPOTENCY_KEY);
        if let Some(value) = &self.options.idempotency_key {
            parts.headers.insert(key.clone(), value.clone());
        }
        let unsafe_method = matches!(parts.method, http::Method::POST | http::Method::PATCH);
        if self.settings.idempotency_keys && unsafe_method && !parts.headers.contains_key(&key) {
            let fresh = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
            if let Ok(value) = HeaderValue::from_str(&fresh) {
                parts.headers.insert(key, value);
            }
        }
        let mut uri = parts.uri.to_string();
        for pair in &self.options.query {
            uri.push(if uri.contains('?') { '&' } else { '?' });
            uri.push_str(pair);
        }
        let url = reqwest::Url::parse(&uri).map_err(|error| {
            Error::Encode(EncodeError::new(
                Subject::Uri,
                Problem::NotUrl(error.to_string()),
            ))
        })?;
        let mut request = http::Request::from_parts(parts, body);
        let upload = match self.upload.take() {
            Some(upload) => Some(upload.splice(&mut request)?),
            None => None,
        };
        let (parts, body) = request.into_parts();
        Ok(Prepared {
            method: parts.method,
            url,
            headers: parts.headers,
            body: Bytes::from(body),
            upload,
        })
    }

    /// Sends the request as often as the policy says, and returns the last response.
    async fn exchange(mut self, request: http::Request<Vec<u8>>) -> Result<Streamed, Error> {
        let span = tracing::info_span!(
            "openapi.call",
            operation = self.operation,
            method = %request.method(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let policy = self.policy();
        let recorder = span.clone();
        async move {
            let prepared = self.prepare(request)?;
            // Judged on what is sent: the call's idempotency key counts, and so does an
            // upload that cannot be read again.
            let repeatable = policy.repeatable_parts(&prepared.method, &prepared.headers)
                && prepared.upload.as_ref().is_none_or(Spliced::repeatable);
            self.attempts(&prepared, &policy, repeatable, &recorder)
                .await
        }
        .instrument(span)
        .await
    }

    async fn attempts(
        &self,
        prepared: &Prepared,
        policy: &Policy,
        repeatable: bool,
        span: &tracing::Span,
    ) -> Result<Streamed, Error> {
        let settings = &self.settings;
        let timer = &*settings.timer;
        let attempt_timeout = self.options.attempt_timeout.or(settings.attempt_timeout);
        let total = self.timeout();
        let hooks: Vec<&Arc<dyn Hook>> = settings.hooks.iter().chain(&self.options.hooks).collect();
        let start = timer.now();
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            let context = Context {
                operation: self.operation,
                method: &prepared.method,
                attempt,
            };
            let mut request = reqwest::Request::new(prepared.method.clone(), prepared.url.clone());
            *request.headers_mut() = prepared.headers.clone();
            match &prepared.upload {
                Some(upload) => upload.attach(&mut request).await?,
                None if prepared.body.is_empty() => {}
                None => *request.body_mut() = Some(prepared.body.clone().into()),
            }
            for hook in &hooks {
                hook.before(&context, &mut request).map_err(Error::Hook)?;
            }
            let sent = settings.http.execute(request);
            let result = match attempt_timeout {
                Some(timeout) => {
                    within(timer, Some(timeout), async {
                        sent.await.map_err(Error::Http)
                    })
                    .await
                }
                None => sent.await.map_err(Error::Http),
            };
            let outcome = match &result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    Attempt::Answered {
                        status: response.status(),
                        headers: response.headers(),
                    }
                }
                // A request reqwest cannot send at all: another attempt would fail alike.
                Err(Error::Http(error)) if error.is_builder() => {
                    return result.map(|response| Streamed {
                        response,
                        attempts: attempt,
                    })
                }
                Err(Error::Http(error)) if error.is_timeout() => Attempt::TimedOut,
                Err(Error::TimedOut(_)) => Attempt::TimedOut,
                Err(_) => Attempt::Failed,
            };
            for hook in &hooks {
                hook.after(&context, &outcome);
            }
            let decision =
                policy.decide(attempt, outcome, repeatable, retry::jitter(), timer.now());
            let wait = match decision {
                Decision::Stop => None,
                Decision::RetryAfter(wait) => {
                    let elapsed = timer.now().duration_since(start).unwrap_or_default();
                    // A wait past the call's timeout would only end in a timeout: the last
                    // response says more.
                    total
                        .is_none_or(|total| elapsed.saturating_add(wait) < total)
                        .then_some(wait)
                }
            };
            let Some(wait) = wait else {
                tracing::debug!(attempt, "the call ends");
                return result.map(|response| Streamed {
                    response,
                    attempts: attempt,
                });
            };
            tracing::debug!(attempt, wait = ?wait, "retrying");
            drop(result);
            timer.sleep(wait).await;
            attempt += 1;
        }
    }
}

/// `future`, or [`Error::TimedOut`] once `timeout` (if any) has passed on `timer`.
async fn within<T>(
    timer: &dyn Timer,
    timeout: Option<Duration>,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let Some(timeout) = timeout else {
        return future.await;
    };
    let deadline = timer.deadline(timeout);
    let future = std::pin::pin!(future);
    match select(future, deadline).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(Error::TimedOut(timeout)),
    }
}

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A response body, read chunk by chunk as it arrives.
pub struct ByteStream {
    chunks: Chunks,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl ByteStream {
    fn new(response: reqwest::Response) -> ByteStream {
        let chunks = futures_util::stream::unfold(Some(response), |response| async move {
            let mut response = response?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(error) => Some((Err(Error::Http(error)), None)),
            }
        });
        ByteStream {
            chunks: Box::pin(chunks),
        }
    }

    fn from_bytes(bytes: Bytes) -> ByteStream {
        ByteStream {
            chunks: Box::pin(futures_util::stream::iter([Ok(bytes)])),
        }
    }

    /// Reads the rest of the body.
    pub async fn read_all(mut self) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| self.chunks.as_mut().poll_next(cx)).await
        {
            body.extend_from_slice(&chunk?);
        }
        Ok(body)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

/// The events of a stream, undecoded: the part of [`Events`] that does not depend on the
/// operation.
struct RawEvents {
    bytes: ByteStream,
    decoder: Decoder,
    ready: VecDeque<Event<String>>,
    read: Vec<Event<String>>,
}

impl RawEvents {
    fn poll_next(
        &mut self,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Event<String>, Error>>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(event)));
            }
            match std::task::ready!(Pin::new(&mut self.bytes).poll_next(cx)) {
                Some(Ok(chunk)) => {
                    self.decoder.feed(&chunk, &mut self.read);
                    self.ready.extend(self.read.drain(..));
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// The server-sent events of a response, each one's data decoded by operation `O`.
pub struct Events<O> {
    raw: RawEvents,
    status: http::StatusCode,
    _operation: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for Events<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl<O: EventStream> Events<O> {
    fn new(status: http::StatusCode, bytes: ByteStream) -> Events<O> {
        Events {
            raw: RawEvents {
                bytes,
                decoder: Decoder::new(),
                ready: VecDeque::new(),
                read: Vec::new(),
            },
            status,
            _operation: PhantomData,
        }
    }
}

impl<O: EventStream> Stream for Events<O> {
    type Item = Result<Event<O::Data>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        let status = self.status;
        let event = std::task::ready!(self.raw.poll_next(cx));
        Poll::Ready(event.map(|event| {
            event.and_then(|event| {
                event.try_map(|data| O::data(status, &data).map_err(Error::Decode))
            })
        }))
    }
}

type NextRequest<O> = dyn Fn(
        &<O as Operation>::Params,
        &<O as Operation>::Body,
        &Next<<O as Operation>::Params, <O as Operation>::Body>,
    ) -> Result<http::Request<Vec<u8>>, EncodeError>
    + Send
    + Sync;

type Fetching = Pin<Box<dyn Future<Output = Result<Read, Error>> + Send>>;

/// The items of a walk through the pages of a call, fetched page by page as they are
/// read; see [`Call::items`]. A documented error response ends the walk as
/// `Ok(Err(error))`, any other failure as `Err(error)`.
pub struct Items<O: Paginated> {
    walk: Pages<O>,
    next_request: Box<NextRequest<O>>,
    plan: Plan,
    ready: VecDeque<O::Item>,
    fetching: Option<Fetching>,
    /// An error to hand out before anything else: the call could not be set up.
    failed: Option<Error>,
}

impl<O: Paginated> fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("operation", &O::ID)
            .field("ready", &self.ready.len())
            .finish_non_exhaustive()
    }
}

// No field is pinned in place: the page being fetched is boxed.
impl<O: Paginated> Unpin for Items<O> {}

impl<O: Paginated> Items<O>
where
    O::Params: Clone + fmt::Debug,
{
    /// Starts fetching the next page, if the walk goes on.
    fn fetch(&mut self) -> Option<Result<(), Error>> {
        let next = self.walk.request()?;
        let request = match (self.next_request)(self.walk.params(), self.walk.body(), next) {
            Ok(request) => request,
            Err(error) => {
                self.walk.stop();
                return Some(Err(Error::Encode(error)));
            }
        };
        let plan = Plan {
            settings: Arc::clone(&self.plan.settings),
            operation: self.plan.operation,
            retries: self.plan.retries,
            options: self.plan.options.clone(),
            upload: None,
        };
        self.fetching = Some(Box::pin(plan.buffered(request)));
        Some(Ok(()))
    }
}

impl<O: Paginated> Stream for Items<O>
where
    O::Params: Clone + fmt::Debug,
{
    type Item = Result<Result<O::Item, O::Errors>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(error) = this.failed.take() {
            return Poll::Ready(Some(Err(error)));
        }
        loop {
            if let Some(item) = this.ready.pop_front() {
                return Poll::Ready(Some(Ok(Ok(item))));
            }
            let Some(fetching) = &mut this.fetching else {
                match this.fetch() {
                    None => return Poll::Ready(None),
                    Some(Ok(())) => continue,
                    Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                }
            };
            let read = std::task::ready!(fetching.as_mut().poll(cx));
            this.fetching = None;
            let page = read.and_then(|read| {
                O::decode(read.status, &read.headers, &read.body).map_err(Error::Decode)
            });
            match page {
                Ok(Ok(page)) => this.ready.extend(this.walk.page(page)),
                Ok(Err(error)) => {
                    this.walk.stop();
                    return Poll::Ready(Some(Ok(Err(error))));
                }
                Err(error) => {
                    this.walk.stop();
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

/// A blocking client (the `blocking` feature), for code without an async runtime: the
/// asynchronous client, driven on a runtime of its own. Like `reqwest`'s blocking client,
/// it must not be used, or dropped, inside an async runtime.
#[cfg(feature = "blocking")]
pub mod blocking {
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
}
