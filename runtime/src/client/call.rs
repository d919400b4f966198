//! One call, being set up (a header, a timeout, a retry policy, an upload) and then sent
//! in one of its ways: decoded, with its reply, as bytes, as events, or page by page.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};

use super::super::error::{Problem, Subject};
use super::super::events::EventStream;
use super::super::pages::{self, Next, Pages, Paginated};
use super::super::request::header_value;
use super::super::retry::Policy;
use super::super::style::Escape;
use super::super::{Credentials, EncodeError, Operation};
use super::attempts::Dispatch;
use super::resume::Resume;
use super::{
    Answer, ByteStream, Client, Error, Events, Hook, Items, Outcome, Reply, Streaming, Upload,
};

/// What one call changes of its client's ways: all but the upload, so that each page of
/// a walk gets them too.
#[derive(Clone, Default)]
pub(super) struct Overrides {
    pub(super) retries: Option<Policy>,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) timeout: Option<Duration>,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) query: Vec<String>,
    pub(super) idempotency_key: Option<HeaderValue>,
    pub(super) hooks: Vec<Arc<dyn Hook>>,
    pub(super) event_limit: Option<usize>,
    pub(super) reconnects: Option<u32>,
}

/// One call of operation `O`, being set up; nothing is sent until one of the sending
/// methods is awaited.
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a, C, O: Operation> {
    pub(super) client: &'a Client<C>,
    pub(super) params: &'a O::Params,
    pub(super) body: &'a O::Body,
    pub(super) overrides: Overrides,
    pub(super) upload: Option<Upload>,
    /// The first header or key that could not be written, reported when the call is sent.
    pub(super) invalid: Option<EncodeError>,
    pub(super) _operation: PhantomData<fn() -> O>,
}

impl<C, O: Operation> fmt::Debug for Call<'_, C, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &O::ID)
            .finish_non_exhaustive()
    }
}

impl Overrides {
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
        let written = self.overrides.header(name, value);
        self.check(written)
    }

    /// Adds the query parameter `name=value` (percent-encoded) to this call's request.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        let pair = format!("{}={}", Escape::URI.text(name), Escape::URI.text(value));
        self.overrides.query.push(pair);
        self
    }

    /// Retries this call by `policy`, rather than the operation's or the client's.
    /// `policy.any_method()` retries even a request that is not safe to repeat.
    pub fn retries(mut self, policy: Policy) -> Self {
        self.overrides.retries = Some(policy);
        self
    }

    /// Gives up an attempt of this call that has had no response for `timeout`.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.overrides.attempt_timeout = Some(timeout);
        self
    }

    /// Gives up this call, retries included, after `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides.timeout = Some(timeout);
        self
    }

    /// Sends `key` as the `Idempotency-Key` header, which makes a `POST` or `PATCH` safe
    /// to retry on a server that honours it.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        let written = self.overrides.idempotency_key(key);
        self.check(written)
    }

    /// Calls `hook` around each attempt of this call, after the client's hooks.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.overrides.hooks.push(Arc::new(hook));
        self
    }

    /// Ends the stream of events of this call with [`Error::EventTooLarge`] when one
    /// event grows past `bytes`, rather than at the client's limit.
    pub fn event_limit(mut self, bytes: usize) -> Self {
        self.overrides.event_limit = Some(bytes);
        self
    }

    /// Reconnects the stream of events of this call at most `times` in a row when its
    /// connection drops, rather than as often as the client's setting says.
    pub fn reconnects(mut self, times: u32) -> Self {
        self.overrides.reconnects = Some(times);
        self
    }

    /// Sends `upload` where the body holds its [placeholder](Upload::placeholder): the
    /// whole body of an `application/octet-stream` operation, or a multipart file part.
    pub fn upload(mut self, upload: Upload) -> Self {
        self.upload = Some(upload);
        self
    }

    fn dispatch(self) -> Result<(Dispatch, http::Request<Vec<u8>>), Error> {
        if let Some(invalid) = self.invalid {
            return Err(Error::Encode(invalid));
        }
        let client = self.client;
        let request = O::authorized_request(
            &client.shared.base_url,
            self.params,
            self.body,
            &*client.credentials,
        )
        .map_err(Error::Encode)?;
        let dispatch = Dispatch {
            shared: Arc::clone(&client.shared),
            operation: O::ID,
            retries: O::RETRIES,
            overrides: self.overrides,
            upload: self.upload,
        };
        Ok((dispatch, request))
    }

    /// Sends the call and decodes its response.
    pub async fn send(self) -> Outcome<O> {
        Ok(self.reply().await?.value)
    }

    /// Sends the call and decodes its response, with its status and headers.
    pub async fn reply(self) -> Result<Reply<Answer<O>>, Error> {
        let (dispatch, request) = self.dispatch()?;
        let read = dispatch.buffered(request).await?;
        let value = O::decode(read.status, &read.headers, &read.body).map_err(Error::Decode)?;
        Ok(read.reply(value))
    }

    /// Sends the call and hands its body as a stream of bytes, as it arrives, when it is
    /// a success (a documented error is read and decoded as usual).
    pub async fn bytes(self) -> Streaming<ByteStream, O> {
        let (dispatch, request) = self.dispatch()?;
        let streamed = dispatch.streamed(request).await?;
        streamed.into_stream::<O>().await
    }

    /// Sends the call and hands its body as a stream of server-sent events, each one's
    /// data decoded as the operation says, when it is a success (a documented error is
    /// read and decoded as usual). A connection that drops before the stream ends is
    /// made again with `Last-Event-ID`, as often in a row as the client's or this
    /// call's `reconnects` say, when the request is safe to repeat; an event larger than
    /// the `event_limit` ends the stream with [`Error::EventTooLarge`].
    pub async fn events(self) -> Streaming<Events<O>, O>
    where
        O: EventStream,
    {
        let shared = &self.client.shared;
        let limit = self.overrides.event_limit.unwrap_or(shared.event_limit);
        let reconnects = self.overrides.reconnects.unwrap_or(shared.reconnects);
        let (dispatch, request) = self.dispatch()?;
        let resume = Resume::of(&dispatch, &request, reconnects);
        let streamed = dispatch.streamed(request).await?;
        let reply = streamed.into_stream::<O>().await?;
        let status = reply.status;
        Ok(reply.map(|value| value.map(|bytes| Events::new(status, bytes, limit, resume))))
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
            let base_url = &client.shared.base_url;
            match next {
                Next::Request { params, body, .. } => {
                    O::authorized_request(base_url, params, body, &*client.credentials)
                }
                Next::Url(url) => {
                    pages::url_request::<O, C>(base_url, url, params, body, &*client.credentials)
                }
            }
        };
        let dispatch = Dispatch {
            shared: Arc::clone(&self.client.shared),
            operation: O::ID,
            retries: O::RETRIES,
            overrides: self.overrides,
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
            dispatch,
            ready: VecDeque::new(),
            fetching: None,
            failed,
        }
    }
}

pub(super) const IDEMPOTENCY_KEY: &str = "idempotency-key";
