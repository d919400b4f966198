//! Uploads without loading them whole (the `client` feature): a body of raw bytes, or a
//! multipart file part, sent from a file or a stream. The operation's code writes the
//! request as usual with a [placeholder](Upload::placeholder) where the content goes; the
//! client cuts the body there and sends what comes before, the content as it is read,
//! and what comes after. A multipart body gets a fresh random boundary, as the one the
//! request builder chose was checked against the placeholder, not the content.

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context as TaskContext, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use super::client::Error;
use super::Binary;

/// The chunks of an upload's content.
type Chunks = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// Where an upload's content comes from.
enum Origin {
    /// A file, opened again for each attempt.
    File(PathBuf),
    /// A stream that can be read once: the first attempt takes it.
    Once(Mutex<Option<Chunks>>),
    /// A stream made anew for each attempt.
    Repeat(Box<dyn Fn() -> Chunks + Send + Sync>),
}

/// Content to send from a file or a stream rather than from memory; see
/// [`Call::upload`](super::client::Call::upload).
pub struct Upload {
    /// The bytes the body holds where the content goes.
    token: String,
    source: Origin,
    length: Option<u64>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Origin::File(path) => format!("{}", path.display()),
            Origin::Once(_) => "a stream".to_owned(),
            Origin::Repeat(_) => "a repeatable stream".to_owned(),
        };
        f.debug_struct("Upload")
            .field("source", &source)
            .field("length", &self.length)
            .finish()
    }
}

impl Upload {
    fn new(source: Origin) -> Upload {
        Upload {
            token: format!(
                "openapi-upload-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            ),
            source,
            length: None,
        }
    }

    /// The file at `path`, read as it is sent and opened again for each attempt, so the
    /// call can be retried; its size is sent as the `Content-Length`.
    pub fn file(path: impl Into<PathBuf>) -> Upload {
        Upload::new(Origin::File(path.into()))
    }

    /// The bytes of `stream`, which can be read only once: a call with it is not
    /// retried.
    pub fn stream<S>(stream: S) -> Upload
    where
        S: Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        Upload::new(Origin::Once(Mutex::new(Some(Box::pin(stream)))))
    }

    /// The bytes of a stream that `make` makes anew for each attempt, so the call can be
    /// retried.
    pub fn repeatable<F, S>(make: F) -> Upload
    where
        F: Fn() -> S + Send + Sync + 'static,
        S: Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        Upload::new(Origin::Repeat(Box::new(move || Box::pin(make()))))
    }

    /// The same upload, whose content is `length` bytes long: sent as the
    /// `Content-Length` (a stream of unknown length is sent in chunks).
    pub fn with_length(self, length: u64) -> Upload {
        Upload {
            length: Some(length),
            ..self
        }
    }

    /// What the body must hold where the content goes: the whole body of a raw one
    /// (`&upload.placeholder()` as a `&Vec<u8>`), or the value of a multipart file
    /// part. Unique to this upload.
    pub fn placeholder(&self) -> Binary {
        Binary(self.token.as_bytes().to_vec())
    }

    /// Cuts `request`'s body at the placeholder.
    pub(super) fn splice(self, request: &mut http::Request<Vec<u8>>) -> Result<Spliced, Error> {
        let body = std::mem::take(request.body_mut());
        let token = self.token.as_bytes();
        let at = find(&body, token)
            .filter(|&at| find(&body[at + token.len()..], token).is_none())
            .ok_or_else(|| {
                Error::Upload(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the request body does not hold the upload's placeholder exactly once",
                ))
            })?;
        let mut prefix = body[..at].to_vec();
        let mut suffix = body[at + token.len()..].to_vec();
        let boundary = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(multipart_boundary);
        if let Some(old) = boundary {
            let fresh = format!(
                "openapi-boundary-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            );
            prefix = replace(&prefix, old.as_bytes(), fresh.as_bytes());
            suffix = replace(&suffix, old.as_bytes(), fresh.as_bytes());
            let content_type = format!("multipart/form-data; boundary={fresh}");
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                request.headers_mut().insert(CONTENT_TYPE, value);
            }
        }
        Ok(Spliced {
            prefix: Bytes::from(prefix),
            suffix: Bytes::from(suffix),
            source: self.source,
            length: self.length,
        })
    }
}

/// A request body cut at an upload's placeholder.
pub(super) struct Spliced {
    prefix: Bytes,
    suffix: Bytes,
    source: Origin,
    length: Option<u64>,
}

impl Spliced {
    /// Whether the content can be read again, for another attempt.
    pub(super) fn repeatable(&self) -> bool {
        !matches!(self.source, Origin::Once(_))
    }

    /// Sets the body of an attempt's request, and its `Content-Length` when known.
    pub(super) async fn attach(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let (chunks, length): (Chunks, Option<u64>) = match &self.source {
            Origin::File(path) => {
                let file = tokio::fs::File::open(path).await.map_err(Error::Upload)?;
                let length = file.metadata().await.map_err(Error::Upload)?.len();
                (Box::pin(file_chunks(file)), Some(length))
            }
            Origin::Once(stream) => {
                let taken = stream.lock().map(|mut stream| stream.take()).ok().flatten();
                let chunks = taken.ok_or_else(|| {
                    Error::Upload(io::Error::other("the upload's stream was sent already"))
                })?;
                (chunks, self.length)
            }
            Origin::Repeat(make) => (make(), self.length),
        };
        if let Some(length) = length {
            let total = self.prefix.len() as u64 + length + self.suffix.len() as u64;
            request
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(total));
        }
        let body = Body {
            prefix: Some(self.prefix.clone()),
            chunks: Mutex::new(chunks),
            read_all: false,
            suffix: Some(self.suffix.clone()),
        };
        *request.body_mut() = Some(reqwest::Body::wrap(body));
        Ok(())
    }
}

/// The body of one attempt: the prefix, the content's chunks, the suffix.
struct Body {
    prefix: Option<Bytes>,
    /// In a mutex only to be `Sync`, as `reqwest` asks; it is never locked.
    chunks: Mutex<Chunks>,
    read_all: bool,
    suffix: Option<Bytes>,
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<io::Result<http_body::Frame<Bytes>>>> {
        let this = self.get_mut();
        if let Some(prefix) = this.prefix.take().filter(|prefix| !prefix.is_empty()) {
            return Poll::Ready(Some(Ok(http_body::Frame::data(prefix))));
        }
        while !this.read_all {
            let chunks = this
                .chunks
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match std::task::ready!(chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => return Poll::Ready(Some(Ok(http_body::Frame::data(chunk)))),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => this.read_all = true,
            }
        }
        let suffix = this.suffix.take().filter(|suffix| !suffix.is_empty());
        Poll::Ready(suffix.map(|suffix| Ok(http_body::Frame::data(suffix))))
    }
}

/// The chunks of `file`, as they are read.
fn file_chunks(file: tokio::fs::File) -> impl Stream<Item = io::Result<Bytes>> + Send {
    const CHUNK: usize = 64 * 1024;
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = BytesMut::zeroed(CHUNK);
        let read = std::future::poll_fn(|cx| {
            let mut read = tokio::io::ReadBuf::new(&mut buffer);
            let polled = tokio::io::AsyncRead::poll_read(Pin::new(&mut file), cx, &mut read);
            polled.map_ok(|()| read.filled().len())
        })
        .await;
        match read {
            Ok(0) => None,
            Ok(length) => {
                buffer.truncate(length);
                Some((Ok(buffer.freeze()), Some(file)))
            }
            Err(error) => Some((Err(error), None)),
        }
    })
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `bytes` with every `old` replaced by `new`.
fn replace(bytes: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = find(rest, old) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(new);
        rest = &rest[at + old.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The boundary of a `multipart/…` content type.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let (essence, parameters) = content_type.split_once(';')?;
    if !essence
        .trim()
        .to_ascii_lowercase()
        .starts_with("multipart/")
    {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        (name.trim().eq_ignore_ascii_case("boundary") && !value.is_empty())
            .then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_body_is_cut_at_the_placeholder_with_a_fresh_boundary() {
        let upload = Upload::stream(futures_util::stream::empty());
        let token = String::from_utf8(upload.placeholder().0).unwrap();
        let body = format!(
            "--b0\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n{token}\r\n--b0--\r\n"
        );
        let mut request = http::Request::new(body.into_bytes());
        request.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=b0"),
        );
        let spliced = upload.splice(&mut request).unwrap();
        let content_type = request.headers()[CONTENT_TYPE].to_str().unwrap();
        let fresh = multipart_boundary(content_type).unwrap();
        assert!(fresh.starts_with("openapi-boundary-") && fresh.len() == 49);
        let prefix = String::from_utf8(spliced.prefix.to_vec()).unwrap();
        assert_eq!(
            prefix,
            format!("--{fresh}\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n")
        );
        assert_eq!(
            &spliced.suffix[..],
            format!("\r\n--{fresh}--\r\n").as_bytes()
        );
        assert!(!spliced.repeatable());
    }

    #[test]
    fn a_body_without_the_placeholder_is_refused() {
        let upload = Upload::file("x");
        let twice = [upload.placeholder().0.clone(), upload.placeholder().0].concat();
        let mut request = http::Request::new(twice);
        assert!(matches!(upload.splice(&mut request), Err(Error::Upload(_))));
        let mut request = http::Request::new(b"nothing".to_vec());
        assert!(Upload::file("x").splice(&mut request).is_err());
    }
}
