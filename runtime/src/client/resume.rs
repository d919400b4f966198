//! Event streams that last: when the connection of a stream of server-sent events drops
//! before the stream ends, the request is sent again with `Last-Event-ID` (the last event
//! ID the stream set), after the wait its `retry:` field asked for, as the HTML
//! standard's `EventSource` does; but a bounded number of times in a row (an event
//! received starts the count again), and only for a request that is safe to repeat (the
//! retry policy's rule: an idempotent method, or an idempotency key). A reconnection is
//! a call of its own, retried and timed like the first and seen by the hooks. A `204 No
//! Content` answer ends the stream, as the standard says; any other that is not a
//! success ends it with [`Error::Reconnect`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};

use super::attempts::Dispatch;
use super::call::IDEMPOTENCY_KEY;
use super::{ByteStream, Error};

/// How many times in a row a stream is reconnected unless a client or call says
/// otherwise.
pub const DEFAULT_RECONNECTS: u32 = 3;

type Reconnecting = Pin<Box<dyn Future<Output = Result<Option<ByteStream>, Error>> + Send>>;

/// What reconnecting one stream needs: its call's ways and request, and how many
/// reconnections are left.
pub(super) struct Resume {
    dispatch: Dispatch,
    method: http::Method,
    uri: http::Uri,
    headers: http::HeaderMap,
    body: Vec<u8>,
    /// Reconnections in a row allowed, and left.
    most: u32,
    left: u32,
    /// The wait when the stream set no `retry:`, and the longest one honoured.
    wait: Duration,
    longest: Duration,
    pending: Option<Reconnecting>,
}

impl Resume {
    /// How to reconnect the stream `request` of `dispatch` opens, at most `most` times in
    /// a row; `None` when it must not be (not safe to repeat, an upload, `most` of 0).
    pub(super) fn of(
        dispatch: &Dispatch,
        request: &http::Request<Vec<u8>>,
        most: u32,
    ) -> Option<Resume> {
        let mut headers = request.headers().clone();
        if let Some(key) = &dispatch.overrides.idempotency_key {
            headers.insert(HeaderName::from_static(IDEMPOTENCY_KEY), key.clone());
        }
        let policy = dispatch.policy();
        let repeatable = policy.repeatable_parts(request.method(), &headers);
        if most == 0 || !repeatable || dispatch.upload.is_some() {
            return None;
        }
        Some(Resume {
            dispatch: dispatch.again(),
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers: request.headers().clone(),
            body: request.body().clone(),
            most,
            left: most,
            wait: policy.initial_backoff,
            longest: policy.max_backoff,
            pending: None,
        })
    }

    /// An event arrived: the count of reconnections in a row starts again.
    pub(super) fn received(&mut self) {
        self.left = self.most;
    }

    /// Starts reconnecting, with `last_id` as `Last-Event-ID` after `retry` (or the
    /// policy's first wait), unless no reconnection is left.
    pub(super) fn start(&mut self, last_id: Option<&str>, retry: Option<Duration>) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        let mut request = http::Request::new(self.body.clone());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        if let Some(id) = last_id.and_then(|id| HeaderValue::from_str(id).ok()) {
            request
                .headers_mut()
                .insert(HeaderName::from_static("last-event-id"), id);
        }
        let wait = retry.map_or(self.wait, |retry| retry.min(self.longest));
        let dispatch = self.dispatch.again();
        let timer = std::sync::Arc::clone(&dispatch.shared.timer);
        self.pending = Some(Box::pin(async move {
            timer.sleep(wait).await;
            let streamed = dispatch.streamed(request).await?;
            let status = streamed.response.status();
            if status == http::StatusCode::NO_CONTENT {
                return Ok(None);
            }
            if !status.is_success() {
                return Err(Error::Reconnect(status));
            }
            Ok(Some(ByteStream::new(streamed.response)))
        }));
        true
    }

    /// Whether a reconnection is under way.
    pub(super) fn reconnecting(&self) -> bool {
        self.pending.is_some()
    }

    /// The reconnection under way: the new connection's bytes, `None` when the server
    /// says the stream is over, or why it failed.
    pub(super) fn poll(
        &mut self,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Result<Option<ByteStream>, Error>> {
        let Some(pending) = &mut self.pending else {
            return Poll::Ready(Ok(None));
        };
        let done = std::task::ready!(pending.as_mut().poll(cx));
        self.pending = None;
        Poll::Ready(done)
    }
}
