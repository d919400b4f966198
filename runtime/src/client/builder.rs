//! The client and its builder methods: the server, credentials, retries, timeouts, hooks
//! and timer every call of the client shares.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::super::events::DEFAULT_EVENT_LIMIT;
use super::super::retry::Policy;
use super::super::{Credentials, Operation};
use super::call::Overrides;
use super::{Call, Hook, Outcome, Timer, TokioTimer, DEFAULT_RECONNECTS};

/// What a client holds, shared by its clones.
#[derive(Clone)]
pub(super) struct Shared {
    pub(super) http: reqwest::Client,
    pub(super) base_url: String,
    pub(super) retries: Policy,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) timeout: Option<Duration>,
    pub(super) idempotency_keys: bool,
    pub(super) hooks: Vec<Arc<dyn Hook>>,
    pub(super) timer: Arc<dyn Timer>,
    /// The most one event of a stream may hold, and the reconnections in a row of a
    /// stream whose connection drops.
    pub(super) event_limit: usize,
    pub(super) reconnects: u32,
}

/// An asynchronous client for one server of the API, with the caller's credentials.
/// Clones share one connection pool.
pub struct Client<C = ()> {
    pub(super) shared: Arc<Shared>,
    pub(super) credentials: Arc<C>,
}

impl<C> Clone for Client<C> {
    fn clone(&self) -> Self {
        Client {
            shared: Arc::clone(&self.shared),
            credentials: Arc::clone(&self.credentials),
        }
    }
}

impl<C> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("Client")
            .field("base_url", &shared.base_url)
            .field("retries", &shared.retries)
            .field("attempt_timeout", &shared.attempt_timeout)
            .field("timeout", &shared.timeout)
            .field("idempotency_keys", &shared.idempotency_keys)
            .field("hooks", &shared.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Client<()> {
    /// A client for the server at `base_url` (from the generated `servers` module, or
    /// any URL), without credentials; retries by [`Policy::default`], no timeouts.
    pub fn new(base_url: impl Into<String>) -> Client<()> {
        Client {
            shared: Arc::new(Shared {
                http: reqwest::Client::new(),
                base_url: base_url.into(),
                retries: Policy::default(),
                attempt_timeout: None,
                timeout: None,
                idempotency_keys: false,
                hooks: Vec::new(),
                timer: Arc::new(TokioTimer),
                event_limit: DEFAULT_EVENT_LIMIT,
                reconnects: DEFAULT_RECONNECTS,
            }),
            credentials: Arc::new(()),
        }
    }
}

impl<C> Client<C> {
    fn with(mut self, change: impl FnOnce(&mut Shared)) -> Client<C> {
        change(Arc::make_mut(&mut self.shared));
        self
    }

    /// The same client, sending `credentials` where operations need them.
    pub fn with_credentials<D: Credentials>(self, credentials: D) -> Client<D> {
        Client {
            shared: self.shared,
            credentials: Arc::new(credentials),
        }
    }

    /// The same client, sending through `http` (with its proxies, TLS, pool …).
    pub fn with_http(self, http: reqwest::Client) -> Client<C> {
        self.with(|shared| shared.http = http)
    }

    /// The same client, retrying by `policy` (for operations whose description gives no
    /// policy of its own); [`Policy::none`] never retries.
    pub fn with_retries(self, policy: Policy) -> Client<C> {
        self.with(|shared| shared.retries = policy)
    }

    /// The same client, giving up an attempt that has had no response for `timeout`
    /// (it may then be retried).
    pub fn with_attempt_timeout(self, timeout: Duration) -> Client<C> {
        self.with(|shared| shared.attempt_timeout = Some(timeout))
    }

    /// The same client, giving up a call, retries included, after `timeout`. A streamed
    /// body is not counted: the timeout ends when its response begins.
    pub fn with_timeout(self, timeout: Duration) -> Client<C> {
        self.with(|shared| shared.timeout = Some(timeout))
    }

    /// The same client, adding a fresh `Idempotency-Key` to each `POST` and `PATCH`
    /// without one, so that they too can be retried (for APIs that honour the header,
    /// as Stripe's does).
    pub fn with_idempotency_keys(self) -> Client<C> {
        self.with(|shared| shared.idempotency_keys = true)
    }

    /// The same client, calling `hook` around each attempt of every call.
    pub fn with_hook(self, hook: impl Hook) -> Client<C> {
        self.with(|shared| shared.hooks.push(Arc::new(hook)))
    }

    /// The same client, reading time from `timer`.
    pub fn with_timer(self, timer: impl Timer) -> Client<C> {
        self.with(|shared| shared.timer = Arc::new(timer))
    }

    /// The same client, ending a stream of events with [`Error::EventTooLarge`] when
    /// one event (or one line) grows past `bytes`; [`DEFAULT_EVENT_LIMIT`] (4 MiB)
    /// unless changed.
    ///
    /// [`Error::EventTooLarge`]: super::Error::EventTooLarge
    pub fn with_event_limit(self, bytes: usize) -> Client<C> {
        self.with(|shared| shared.event_limit = bytes)
    }

    /// The same client, reconnecting a stream of events whose connection drops at most
    /// `times` in a row (with `Last-Event-ID`, after the server's `retry:`);
    /// [`DEFAULT_RECONNECTS`] unless changed, and 0 never reconnects.
    pub fn with_reconnects(self, times: u32) -> Client<C> {
        self.with(|shared| shared.reconnects = times)
    }

    /// The server's URL.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
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
            overrides: Overrides::default(),
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
