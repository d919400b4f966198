//! The attempt loop: a call past its operation's code, sent as often as its retry policy
//! says, each attempt within its timeout and seen by the hooks.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use tracing::Instrument as _;

use super::super::error::{Problem, Subject};
use super::super::retry::{self, Attempt, Decision, Policy};
use super::super::upload::Spliced;
use super::super::{EncodeError, Operation};
use super::builder::Shared;
use super::call::{Overrides, IDEMPOTENCY_KEY};
use super::timer::within;
use super::{ByteStream, Context, Error, Hook, Reply, Streaming, Upload};

/// A call past its operation's code: everything the client does that does not depend on
/// the operation's types, compiled once rather than per operation.
pub(super) struct Dispatch {
    pub(super) shared: Arc<Shared>,
    pub(super) operation: &'static str,
    pub(super) retries: Option<fn() -> Policy>,
    pub(super) overrides: Overrides,
    pub(super) upload: Option<Upload>,
}

/// A response read whole.
pub(super) struct Read {
    pub(super) status: http::StatusCode,
    pub(super) headers: http::HeaderMap,
    pub(super) attempts: u32,
    pub(super) body: Bytes,
}

impl Read {
    pub(super) fn reply<T>(self, value: T) -> Reply<T> {
        Reply {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            value,
        }
    }
}

/// A response whose body is yet to be read.
pub(super) struct Streamed {
    pub(super) response: reqwest::Response,
    pub(super) attempts: u32,
}

impl Streamed {
    /// The body as a stream when the status is a success; otherwise read and decoded by
    /// `O` (a status it documents as a success is then handed as a stream of its bytes).
    pub(super) async fn into_stream<O: Operation>(self) -> Streaming<ByteStream, O> {
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

/// A request ready for its attempts: its parts, and its body as bytes or an upload.
struct Prepared {
    method: http::Method,
    url: reqwest::Url,
    headers: http::HeaderMap,
    body: Bytes,
    upload: Option<Spliced>,
}

impl Dispatch {
    /// The same call's ways, for another request of it (a next page, a reconnection);
    /// an upload is not sent twice.
    pub(super) fn again(&self) -> Dispatch {
        Dispatch {
            shared: Arc::clone(&self.shared),
            operation: self.operation,
            retries: self.retries,
            overrides: self.overrides.clone(),
            upload: None,
        }
    }

    /// The retry policy that applies: the call's, the operation's, or the client's.
    pub(super) fn policy(&self) -> Policy {
        self.overrides
            .retries
            .clone()
            .or_else(|| self.retries.map(|policy| policy()))
            .unwrap_or_else(|| self.shared.retries.clone())
    }

    fn timeout(&self) -> Option<Duration> {
        self.overrides.timeout.or(self.shared.timeout)
    }

    /// Sends the request, and reads its whole response within the call's timeout.
    pub(super) async fn buffered(self, request: http::Request<Vec<u8>>) -> Result<Read, Error> {
        let timer = Arc::clone(&self.shared.timer);
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
    pub(super) async fn streamed(self, request: http::Request<Vec<u8>>) -> Result<Streamed, Error> {
        let timer = Arc::clone(&self.shared.timer);
        let timeout = self.timeout();
        within(&*timer, timeout, self.exchange(request)).await
    }

    /// The request with what the call adds: its headers, query, idempotency key, upload.
    fn prepare(&mut self, request: http::Request<Vec<u8>>) -> Result<Prepared, Error> {
        let (mut parts, body) = request.into_parts();
        for (name, value) in &self.overrides.headers {
            parts.headers.insert(name.clone(), value.clone());
        }
        let key = HeaderName::from_static(IDEMPOTENCY_KEY);
        if let Some(value) = &self.overrides.idempotency_key {
            parts.headers.insert(key.clone(), value.clone());
        }
        let unsafe_method = matches!(parts.method, http::Method::POST | http::Method::PATCH);
        if self.shared.idempotency_keys && unsafe_method && !parts.headers.contains_key(&key) {
            let fresh = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
            if let Ok(value) = HeaderValue::from_str(&fresh) {
                parts.headers.insert(key, value);
            }
        }
        let mut uri = parts.uri.to_string();
        for pair in &self.overrides.query {
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
        let shared = &self.shared;
        let timer = &*shared.timer;
        let attempt_timeout = self.overrides.attempt_timeout.or(shared.attempt_timeout);
        let total = self.timeout();
        let hooks: Vec<&Arc<dyn Hook>> = shared.hooks.iter().chain(&self.overrides.hooks).collect();
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
                (hook.before_async(&context, &mut request).await).map_err(Error::Hook)?;
            }
            let sent = shared.http.execute(request);
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
