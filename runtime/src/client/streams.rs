//! The streams a call hands out: a body's bytes as they arrive, server-sent events
//! decoded one by one, and the items of a walk through pages.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::super::events::{Decoder, Event, EventStream};
use super::super::pages::{Next, Pages, Paginated};
use super::super::{EncodeError, Operation};
use super::attempts::{Dispatch, Read};
use super::resume::Resume;
use super::Error;

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
    pub(super) fn new(response: reqwest::Response) -> ByteStream {
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

    pub(super) fn from_bytes(bytes: Bytes) -> ByteStream {
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
    /// How to reconnect when the connection drops, if the stream may be.
    resume: Option<Resume>,
    /// The error to hand out once the events read before it are.
    failed: Option<Error>,
    /// The stream failed, and has handed out its error.
    ended: bool,
}

impl RawEvents {
    fn poll_next(
        &mut self,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Event<String>, Error>>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                if let Some(resume) = &mut self.resume {
                    resume.received();
                }
                return Poll::Ready(Some(Ok(event)));
            }
            if let Some(error) = self.failed.take() {
                return self.end(error);
            }
            if self.ended {
                return Poll::Ready(None);
            }
            if let Some(resume) = self.resume.as_mut().filter(|r| r.reconnecting()) {
                match std::task::ready!(resume.poll(cx)) {
                    Ok(Some(bytes)) => self.bytes = bytes,
                    Ok(None) => self.ended = true,
                    Err(error) => return self.end(error),
                }
                continue;
            }
            match std::task::ready!(Pin::new(&mut self.bytes).poll_next(cx)) {
                Some(Ok(chunk)) => {
                    let fed = self.decoder.feed(&chunk, &mut self.read);
                    self.ready.extend(self.read.drain(..));
                    if let Err(too_large) = fed {
                        self.failed = Some(Error::EventTooLarge(too_large.limit));
                    }
                }
                // The connection dropped before the stream ended.
                Some(Err(error)) => {
                    let id = self.decoder.last_event_id().map(str::to_owned);
                    let retry = self.decoder.retry();
                    let resumed = (self.resume.as_mut())
                        .is_some_and(|resume| resume.start(id.as_deref(), retry));
                    if !resumed {
                        return self.end(error);
                    }
                    self.decoder.reconnect();
                }
                None => return Poll::Ready(None),
            }
        }
    }

    /// Hands out `error`, the last item of the stream.
    fn end(&mut self, error: Error) -> Poll<Option<Result<Event<String>, Error>>> {
        self.ended = true;
        Poll::Ready(Some(Err(error)))
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
    pub(super) fn new(
        status: http::StatusCode,
        bytes: ByteStream,
        limit: usize,
        resume: Option<Resume>,
    ) -> Events<O> {
        Events {
            raw: RawEvents {
                bytes,
                decoder: Decoder::with_limit(limit),
                ready: VecDeque::new(),
                read: Vec::new(),
                resume,
                failed: None,
                ended: false,
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

pub(super) type NextRequest<O> = dyn Fn(
        &<O as Operation>::Params,
        &<O as Operation>::Body,
        &Next<<O as Operation>::Params, <O as Operation>::Body>,
    ) -> Result<http::Request<Vec<u8>>, EncodeError>
    + Send
    + Sync;

pub(super) type Fetching = Pin<Box<dyn Future<Output = Result<Read, Error>> + Send>>;

/// The items of a walk through the pages of a call, fetched page by page as they are
/// read; see [`Call::items`](super::Call::items). A documented error response ends the
/// walk as `Ok(Err(error))`, any other failure as `Err(error)`.
pub struct Items<O: Paginated> {
    pub(super) walk: Pages<O>,
    pub(super) next_request: Box<NextRequest<O>>,
    pub(super) dispatch: Dispatch,
    pub(super) ready: VecDeque<O::Item>,
    pub(super) fetching: Option<Fetching>,
    /// An error to hand out before anything else: the call could not be set up.
    pub(super) failed: Option<Error>,
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
        self.fetching = Some(Box::pin(self.dispatch.again().buffered(request)));
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
