//! Credentials on the server side: the secrets an operation's security requirements name
//! are read from the request (a bearer token, a user name and password, an API key in a
//! header, query parameter or cookie), the first set of schemes the request has every
//! secret of is handed to the server's [`Authenticator`], and what is missing is a 401
//! with `WWW-Authenticate`, what the authenticator refuses a 403.

use std::future::Future;
use std::pin::Pin;

use base64::Engine as _;

use super::super::auth::{KeyLocation, Scheme, SchemeKind, Secret, Security};
use super::super::{ApiKey, Basic};
use super::params::Source;
use super::problem::Refusal;
use super::route::Info;

/// A boxed future, as an [`Authenticator`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a request presents to the authenticator: the operation, the schemes of the set
/// of requirements it satisfies with their secrets, and the request's extensions, where
/// the authenticator may leave who the caller is for the handler
/// ([`Request::principal`](super::Request::principal)).
pub struct Presented<'a> {
    /// The operation asked for.
    pub operation: &'static Info,
    /// Each scheme of the set, with the secret the request carries for it.
    pub credentials: &'a [(&'static Scheme, Secret<'a>)],
    /// The request's extensions.
    pub extensions: &'a mut http::Extensions,
}

/// Why an authenticator refuses credentials: answered as a 403 with this detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

/// The server's judge of credentials. It sees only requests that carry every secret of
/// one set of the operation's requirements (the others are refused with a 401 before);
/// it may look them up (so it is asynchronous) and records who the caller is in the
/// extensions.
pub trait Authenticator: Send + Sync + 'static {
    /// `Ok` to let the request through, `Err` to refuse it with a 403.
    fn authenticate<'a>(&'a self, presented: Presented<'a>) -> BoxFuture<'a, Result<(), Denied>>;
}

/// Accepts any credentials presented: what the mock does, and the default until a
/// server is given its own authenticator. Missing credentials are still a 401.
#[derive(Debug, Clone, Copy, Default)]
pub struct AcceptAny;

impl Authenticator for AcceptAny {
    fn authenticate<'a>(&'a self, _presented: Presented<'a>) -> BoxFuture<'a, Result<(), Denied>> {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A secret read from a request, owned.
#[derive(Debug, Clone)]
pub(crate) enum Owned {
    Token(String),
    Basic(Basic),
    ApiKey(ApiKey),
}

impl Owned {
    fn secret(&self) -> Secret<'_> {
        match self {
            Owned::Token(token) => Secret::Token(token),
            Owned::Basic(basic) => Secret::Basic(basic),
            Owned::ApiKey(key) => Secret::ApiKey(key),
        }
    }
}

/// The secret `scheme` reads from the request, if it carries one.
fn read(scheme: &Scheme, source: &Source) -> Option<Owned> {
    let authorization = || {
        source
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let credentials_of = |word: &str| {
        let text = authorization()?;
        let (kind, rest) = text.split_once(' ')?;
        kind.eq_ignore_ascii_case(word)
            .then(|| rest.trim().to_owned())
            .filter(|rest| !rest.is_empty())
    };
    match scheme.kind {
        SchemeKind::Bearer => credentials_of("Bearer").map(Owned::Token),
        SchemeKind::Basic => {
            let encoded = credentials_of("Basic")?;
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()?;
            let text = String::from_utf8(decoded).ok()?;
            let (user, password) = text.split_once(':')?;
            Some(Owned::Basic(Basic::new(user, password)))
        }
        SchemeKind::ApiKey { location, name } => {
            let key = match location {
                KeyLocation::Header => source
                    .headers
                    .get(name)
                    .and_then(|value| value.to_str().ok())
                    .map(|text| text.trim().to_owned()),
                KeyLocation::Query => source
                    .query
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| super::params::form_decode(value)),
                KeyLocation::Cookie => {
                    source
                        .cookies
                        .iter()
                        .find(|(key, _)| key == name)
                        .map(|(_, value)| {
                            percent_encoding::percent_decode_str(value)
                                .decode_utf8_lossy()
                                .into_owned()
                        })
                }
            };
            key.filter(|key| !key.is_empty())
                .map(|key| Owned::ApiKey(ApiKey::new(key)))
        }
    }
}

/// The challenge a 401 names for `scheme` (RFC 9110, 11.6.1).
fn challenge(scheme: &Scheme) -> String {
    match scheme.kind {
        SchemeKind::Bearer => "Bearer".to_owned(),
        SchemeKind::Basic => "Basic realm=\"api\"".to_owned(),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                KeyLocation::Header => "header",
                KeyLocation::Query => "query",
                KeyLocation::Cookie => "cookie",
            };
            format!(
                "ApiKey realm=\"api\", in=\"{place}\", name=\"{}\"",
                name.replace('"', "")
            )
        }
    }
}

/// Applies `security` to a request: `Ok` when it may go on (with the authenticator's
/// consent when it presented credentials), else the 401 or 403.
pub(crate) async fn authorize(
    operation: &'static Info,
    authenticator: &dyn Authenticator,
    source: &Source,
    extensions: &mut http::Extensions,
) -> Result<(), Refusal> {
    let (sets, optional): (Vec<&[&'static Scheme]>, bool) = match operation.security {
        Security::Unspecified(schemes) => {
            // Nothing is required; a secret presented for a scheme is judged all the same.
            let present: Vec<&'static Scheme> = schemes
                .iter()
                .copied()
                .filter(|scheme| read(scheme, source).is_some())
                .take(1)
                .collect();
            let Some(first) = present.first() else {
                return Ok(());
            };
            let secret = read(first, source);
            return judge(operation, authenticator, &[(*first, secret)], extensions).await;
        }
        Security::Any(sets) => (
            sets.iter().copied().filter(|set| !set.is_empty()).collect(),
            sets.is_empty() || sets.iter().any(|set| set.is_empty()),
        ),
    };
    for set in &sets {
        let secrets: Vec<(&'static Scheme, Option<Owned>)> = set
            .iter()
            .map(|scheme| (*scheme, read(scheme, source)))
            .collect();
        if secrets.iter().all(|(_, secret)| secret.is_some()) {
            return judge(operation, authenticator, &secrets, extensions).await;
        }
    }
    if optional {
        return Ok(());
    }
    let mut challenges: Vec<String> = sets
        .iter()
        .flat_map(|set| set.iter().map(|scheme| challenge(scheme)))
        .collect();
    challenges.dedup();
    let names: Vec<String> = sets
        .iter()
        .map(|set| {
            set.iter()
                .map(|scheme| scheme.id)
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    Err(Refusal::new(
        http::StatusCode::UNAUTHORIZED,
        format!("The operation needs credentials: {}.", names.join(", or ")),
    )
    .with_header(http::header::WWW_AUTHENTICATE, challenges.join(", ")))
}

async fn judge(
    operation: &'static Info,
    authenticator: &dyn Authenticator,
    secrets: &[(&'static Scheme, Option<Owned>)],
    extensions: &mut http::Extensions,
) -> Result<(), Refusal> {
    let credentials: Vec<(&'static Scheme, Secret<'_>)> = secrets
        .iter()
        .filter_map(|(scheme, secret)| Some((*scheme, secret.as_ref()?.secret())))
        .collect();
    let presented = Presented {
        operation,
        credentials: &credentials,
        extensions,
    };
    authenticator
        .authenticate(presented)
        .await
        .map_err(|Denied(why)| Refusal::new(http::StatusCode::FORBIDDEN, why))
}
