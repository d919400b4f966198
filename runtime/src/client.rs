//! A ready client (the `client` feature): sends an operation's request with `reqwest`
//! and decodes the response by its status, so a call is one line. The rest of the crate
//! is sans-IO, for any other HTTP client: [`Operation::request`] and
//! [`Operation::decode`] are all this module uses.

use std::fmt;

use super::{Credentials, DecodeError, EncodeError, Operation};

/// What can go wrong sending an operation, other than a documented error response.
#[derive(Debug)]
pub enum Error {
    /// The request could not be written as the description says.
    Encode(EncodeError),
    /// The request did not reach the server, or its response did not come back.
    Http(reqwest::Error),
    /// The response does not match what the description documents for its status.
    Decode(DecodeError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Encode(error) => write!(f, "cannot write the request: {error}"),
            Error::Http(error) => write!(f, "the request failed: {error}"),
            Error::Decode(error) => write!(f, "unexpected response: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode(error) => Some(error),
            Error::Http(error) => Some(error),
            Error::Decode(error) => Some(error),
        }
    }
}

/// What sending an operation gives: its documented success or error, or an [`Error`].
pub type Outcome<O> = Result<Result<<O as Operation>::Responses, <O as Operation>::Errors>, Error>;

/// An asynchronous client for one server of the API, with the caller's credentials.
#[derive(Debug, Clone)]
pub struct Client<C = ()> {
    http: reqwest::Client,
    base_url: String,
    credentials: C,
}

impl Client<()> {
    /// A client for the server at `base_url` (from the generated `servers` module, or
    /// any URL), without credentials.
    pub fn new(base_url: impl Into<String>) -> Client<()> {
        Client {
            http: reqwest::Client::new(),
            base_url: base_url.into(),
            credentials: (),
        }
    }
}

impl<C: Credentials> Client<C> {
    /// The same client, sending `credentials` where operations need them.
    pub fn with_credentials<D: Credentials>(self, credentials: D) -> Client<D> {
        Client {
            http: self.http,
            base_url: self.base_url,
            credentials,
        }
    }

    /// The same client, sending through `http` (with its own timeouts, proxies, TLS …).
    pub fn with_http(self, http: reqwest::Client) -> Client<C> {
        Client { http, ..self }
    }

    /// The server's URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends operation `O` with `params` and `body`, and decodes its response.
    pub async fn send<O: Operation>(&self, params: &O::Params, body: &O::Body) -> Outcome<O> {
        let request = O::authorized_request(&self.base_url, params, body, &self.credentials)
            .map_err(Error::Encode)?;
        let request = reqwest::Request::try_from(request).map_err(Error::Http)?;
        let response = self.http.execute(request).await.map_err(Error::Http)?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(Error::Http)?;
        O::decode(status, &headers, &bytes).map_err(Error::Decode)
    }
}

/// A blocking client (the `blocking` feature), for code without an async runtime.
#[cfg(feature = "blocking")]
pub mod blocking {
    use super::super::{Credentials, Operation};
    use super::{Error, Outcome};

    /// A blocking client for one server of the API, with the caller's credentials.
    #[derive(Debug, Clone)]
    pub struct Client<C = ()> {
        http: reqwest::blocking::Client,
        base_url: String,
        credentials: C,
    }

    impl Client<()> {
        /// A client for the server at `base_url`, without credentials.
        pub fn new(base_url: impl Into<String>) -> Client<()> {
            Client {
                http: reqwest::blocking::Client::new(),
                base_url: base_url.into(),
                credentials: (),
            }
        }
    }

    impl<C: Credentials> Client<C> {
        /// The same client, sending `credentials` where operations need them.
        pub fn with_credentials<D: Credentials>(self, credentials: D) -> Client<D> {
            Client {
                http: self.http,
                base_url: self.base_url,
                credentials,
            }
        }

        /// Sends operation `O` with `params` and `body`, and decodes its response.
        pub fn send<O: Operation>(&self, params: &O::Params, body: &O::Body) -> Outcome<O> {
            let request = O::authorized_request(&self.base_url, params, body, &self.credentials)
                .map_err(Error::Encode)?;
            let request = reqwest::blocking::Request::try_from(request).map_err(Error::Http)?;
            let response = self.http.execute(request).map_err(Error::Http)?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().map_err(Error::Http)?;
            O::decode(status, &headers, &bytes).map_err(Error::Decode)
        }
    }
}
