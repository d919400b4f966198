//! Credentials: how each security scheme of a description puts a secret on a request,
//! and which schemes an operation needs. The generated `auth` module has one
//! [`Scheme`] constant per scheme and a `Credentials` type holding the caller's secrets.
//!
use std::fmt;

use base64::Engine as _;

use super::request::RequestBuilder;
use super::{EncodeError, Style};

/// A security scheme of the description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Its name in the description (`bearerAuth`).
    pub id: &'static str,
    /// How its secret travels.
    pub kind: SchemeKind,
}

/// How a scheme's secret travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: HTTP bearer, OAuth 2 and OpenID Connect tokens.
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// A key in the header, query parameter or cookie `name`.
    ApiKey {
        /// Header, query parameter or cookie.
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// Which credentials an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Neither the operation nor the description says; the first of these schemes the
    /// caller has a secret for is used, if any.
    Unspecified(&'static [&'static Scheme]),
    /// Any one of these sets of schemes, all of a set together; an empty set means the
    /// operation may be called without credentials, and no set at all that it needs none.
    Any(&'static [&'static [&'static Scheme]]),
}

/// A user name and password, for HTTP basic authentication.
#[derive(Clone, PartialEq, Eq)]
pub struct Basic {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl Basic {
    /// A user name and password.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Basic {
        Basic {
            username: username.into(),
            password: password.into(),
        }
    }
}

impl fmt::Debug for Basic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Basic")
            .field("username", &self.username)
            .field("password", &"…")
            .finish()
    }
}

/// An API key, and the word some APIs want before it (`ApiKey` for Elastic Cloud:
/// `Authorization: ApiKey <key>`).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key.
    pub key: String,
    /// The word sent before it, if any.
    pub prefix: Option<String>,
}

impl ApiKey {
    /// The key, sent as it is.
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey {
            key: key.into(),
            prefix: None,
        }
    }

    /// The key, sent after `prefix` and a space.
    pub fn with_prefix(prefix: impl Into<String>, key: impl Into<String>) -> ApiKey {
        ApiKey {
            key: key.into(),
            prefix: Some(prefix.into()),
        }
    }

    fn text(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("{prefix} {}", self.key),
            None => self.key.clone(),
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("key", &"…")
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> ApiKey {
        ApiKey::new(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> ApiKey {
        ApiKey::new(key)
    }
}

/// A caller's secret for one scheme.
#[derive(Debug, Clone, Copy)]
pub enum Secret<'a> {
    /// A bearer token.
    Token(&'a str),
    /// A user name and password.
    Basic(&'a Basic),
    /// An API key.
    ApiKey(&'a ApiKey),
}

/// The secrets a caller has, by scheme name; the generated `auth::Credentials`
/// implements it, and `()` stands for none.
pub trait Credentials {
    /// The secret for the scheme named `scheme`, if the caller has one.
    fn secret(&self, scheme: &str) -> Option<Secret<'_>>;
}

impl Credentials for () {
    fn secret(&self, _scheme: &str) -> Option<Secret<'_>> {
        None
    }
}

impl RequestBuilder {
    /// Puts on the request the credentials `security` asks for: the first set of schemes
    /// the caller has every secret of. When the operation needs credentials and the
    /// caller has none that do, that is an error naming the schemes that would.
    pub fn authorize<C>(&mut self, security: &Security, credentials: &C) -> Result<(), EncodeError>
    where
        C: Credentials + ?Sized,
    {
        match security {
            Security::Unspecified(schemes) => {
                let first = schemes
                    .iter()
                    .find_map(|scheme| Some((scheme, credentials.secret(scheme.id)?)));
                match first {
                    Some((scheme, secret)) => self.apply(scheme, secret),
                    None => Ok(()),
                }
            }
            Security::Any([]) => Ok(()),
            Security::Any(sets) => {
                for set in *sets {
                    let secrets: Option<Vec<Secret<'_>>> = set
                        .iter()
                        .map(|scheme| credentials.secret(scheme.id))
                        .collect();
                    if let Some(secrets) = secrets {
                        for (scheme, secret) in set.iter().zip(secrets) {
                            self.apply(scheme, secret)?;
                        }
                        return Ok(());
                    }
                }
                let names: Vec<String> = sets
                    .iter()
                    .map(|set| set.iter().map(|s| s.id).collect::<Vec<_>>().join(" and "))
                    .collect();
                Err(EncodeError::missing_credentials(names.join(", or ")))
            }
        }
    }

    fn apply(&mut self, scheme: &Scheme, secret: Secret<'_>) -> Result<(), EncodeError> {
        let text = match secret {
            Secret::Token(token) => token.to_owned(),
            Secret::Basic(basic) => base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", basic.username, basic.password)),
            Secret::ApiKey(key) => key.text(),
        };
        let result = match scheme.kind {
            SchemeKind::Bearer => {
                self.header("Authorization", &format!("Bearer {text}"), Style::SIMPLE)
            }
            SchemeKind::Basic => {
                self.header("Authorization", &format!("Basic {text}"), Style::SIMPLE)
            }
            // An operation may declare its key as a parameter too (Trello's `key` and
            // `token` are both); the parameter is written first, and a second copy would
            // make the query parameter a list or the header two values.
            SchemeKind::ApiKey { location, name } if self.carries(location, name) => Ok(()),
            SchemeKind::ApiKey { location, name } => match location {
                KeyLocation::Header => self.header(name, &text, Style::SIMPLE),
                KeyLocation::Query => self.query(name, &text, Style::FORM),
                KeyLocation::Cookie => self.cookie(name, &text, Style::FORM),
            },
        };
        result.map_err(|error| error.for_credentials(scheme.id))
    }
}
