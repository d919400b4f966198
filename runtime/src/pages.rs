//! Pagination as pure functions: an operation whose responses come in pages says which
//! items a page holds and what the request for the next page is ([`Paginated`]), and a
//! [`Pages`] keeps track of a walk through them, stopping at the last page, at a limit,
//! or at a cursor or link it has seen before (a server that sends `A, B, A` would
//! otherwise be followed forever). A next page given as a URL is a `GET` of it
//! ([`url_request`]). Clients drive it; any HTTP client can.

use std::collections::BTreeSet;

use http::header::{HeaderName, CONTENT_LENGTH, CONTENT_TYPE};

use super::error::{Problem, Subject};
use super::{Credentials, EncodeError, Operation, RequestBuilder};

/// How a paginated operation's pages follow one another, as the description says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// The `Link` response header's `rel="next"` URL (RFC 8288; GitHub).
    LinkHeader,
    /// A cursor parameter, set from each page (Stripe's `starting_after`, the last
    /// item's `id`; Kubernetes' `continue`).
    Cursor,
    /// A URL in the page's body (`@odata.nextLink` of Microsoft Graph and Azure).
    NextLink,
    /// A page number or offset parameter, advanced page by page.
    Offset,
}

/// The request for the page after one.
#[derive(Debug, Clone, PartialEq)]
pub enum Next<P, B> {
    /// The same operation with these parameters and body, which carry `cursor` (a
    /// cursor, an item's id, an offset or a page number, as text) to the next page.
    Request {
        /// The parameters of the next request.
        params: P,
        /// Its body.
        body: B,
        /// What it carries to the next page, for telling one request from another.
        cursor: String,
    },
    /// A `GET` of this URL (absolute, or relative to the server).
    Url(String),
}

impl<P, B> Next<P, B> {
    /// What tells this request from the others of a walk: its cursor or URL.
    pub fn mark(&self) -> &str {
        match self {
            Next::Request { cursor, .. } => cursor,
            Next::Url(url) => url,
        }
    }
}

/// An operation whose successful responses are pages of items.
pub trait Paginated: Operation {
    /// What a page holds a list of.
    type Item;
    /// How the pages follow one another.
    const CONVENTION: Convention;

    /// The items of `page`, in order; none when the response is not a page.
    fn items(page: Self::Responses) -> Vec<Self::Item>;

    /// The request for the page after `page`, which was asked for with `params` and
    /// `body`; `None` after the last page.
    fn next(
        params: &Self::Params,
        body: &Self::Body,
        page: &Self::Responses,
    ) -> Option<Next<Self::Params, Self::Body>>;
}

/// A walk through the pages of one call: which request comes next, and when to stop.
#[derive(Debug)]
pub struct Pages<O: Paginated> {
    /// The parameters and body of the last page asked for by them (a page fetched by URL
    /// keeps those of the page before).
    params: O::Params,
    body: O::Body,
    next: Option<Next<O::Params, O::Body>>,
    seen: BTreeSet<String>,
    /// Items yet to hand out before the limit.
    left: Option<usize>,
}

impl<O: Paginated> Pages<O>
where
    O::Params: Clone,
    O::Body: Clone,
{
    /// A walk that starts with `params` and `body` and hands out at most `limit` items.
    pub fn new(params: O::Params, body: O::Body, limit: Option<usize>) -> Pages<O> {
        Pages {
            next: Some(Next::Request {
                params: params.clone(),
                body: body.clone(),
                cursor: String::new(),
            }),
            params,
            body,
            seen: BTreeSet::new(),
            left: limit,
        }
    }
}

impl<O: Paginated> Pages<O> {
    /// The request to send next, if the walk goes on.
    pub fn request(&self) -> Option<&Next<O::Params, O::Body>> {
        if self.left == Some(0) {
            return None;
        }
        self.next.as_ref()
    }

    /// Takes a page: its items (cut at the limit), with the walk moved on to the page
    /// after it, or ended when there is none, the limit is reached, or the next request
    /// is one it has made before.
    pub fn page(&mut self, page: O::Responses) -> Vec<O::Item> {
        if let Some(current) = self.next.take() {
            self.seen.insert(current.mark().to_owned());
            if let Next::Request { params, body, .. } = current {
                self.params = params;
                self.body = body;
            }
        }
        let following = O::next(&self.params, &self.body, &page);
        let mut items = O::items(page);
        if let Some(left) = &mut self.left {
            items.truncate(*left);
            *left -= items.len();
        }
        self.next = following.filter(|next| !self.seen.contains(next.mark()));
        items
    }

    /// The parameters of the last page fetched by parameters (before the first page,
    /// those it starts with).
    pub fn params(&self) -> &O::Params {
        &self.params
    }

    /// The body of the last page asked for by parameters and body.
    pub fn body(&self) -> &O::Body {
        &self.body
    }

    /// Ends the walk (after an error, say).
    pub fn stop(&mut self) {
        self.next = None;
    }
}

/// The request for a next page that the server gave as `url` (absolute, or relative to
/// `base_url`, see [`resolve`]): a `GET` of it with the headers the operation's own request
/// for `params` and `body` has (`Accept`, header parameters, credentials) but those of its
/// body, and any query parameter the credentials add (an API key in the query) that the
/// URL does not already have.
pub fn url_request<O: Operation, C: Credentials + ?Sized>(
    base_url: &str,
    url: &str,
    params: &O::Params,
    body: &O::Body,
    credentials: &C,
) -> Result<http::Request<Vec<u8>>, EncodeError> {
    let first = O::authorized_request(base_url, params, body, credentials)?;
    let mut keys = RequestBuilder::new(http::Method::GET, "");
    keys.authorize(&O::SECURITY, credentials)?;
    follow(first, &keys.build()?, &resolve(base_url, url))
}

/// [`url_request`] past the operation's own code: `first` lends its headers, `keys` (a
/// request with the credentials alone) its query.
fn follow(
    first: http::Request<Vec<u8>>,
    keys: &http::Request<Vec<u8>>,
    url: &str,
) -> Result<http::Request<Vec<u8>>, EncodeError> {
    let mut url = url.to_owned();
    for pair in keys.uri().query().unwrap_or_default().split('&') {
        let name = pair.split('=').next().unwrap_or_default();
        if name.is_empty() || has_query_parameter(&url, name) {
            continue;
        }
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(pair);
    }
    let uri = http::Uri::try_from(url)
        .map_err(|error| EncodeError::new(Subject::NextPage, Problem::Uri(error)))?;
    let (mut parts, _) = first.into_parts();
    let idempotency_key = HeaderName::from_static("idempotency-key");
    for name in [CONTENT_TYPE, CONTENT_LENGTH, idempotency_key] {
        parts.headers.remove(name);
    }
    let mut request = http::Request::new(Vec::new());
    *request.method_mut() = http::Method::GET;
    *request.uri_mut() = uri;
    *request.headers_mut() = parts.headers;
    Ok(request)
}

/// Whether the query of `url` has a parameter named `name` (as written: encoded).
fn has_query_parameter(url: &str, name: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .any(|pair| pair.split('=').next() == Some(name))
}

/// `url` resolved against the server URL `base_url`: an absolute URL as it is, `//host/…`
/// with the server's scheme, `/path` on the server's origin, `?query` on the server URL,
/// and any other text below the server URL (`items?page=2` from `https://h/v1` is
/// `https://h/v1/items?page=2`: relative to the server, not RFC 3986's sibling of `v1`).
pub fn resolve(base_url: &str, url: &str) -> String {
    let url = url.trim();
    let scheme_end = |text: &str| {
        let colon = text.find(':')?;
        let scheme = &text[..colon];
        let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        valid.then_some(colon)
    };
    if scheme_end(url).is_some() {
        return url.to_owned();
    }
    let base = base_url.trim_end_matches('/');
    let (scheme, after_scheme) = match scheme_end(base) {
        Some(colon) => (&base[..=colon], &base[colon + 1..]),
        None => ("", base),
    };
    if url.starts_with("//") {
        return format!("{scheme}{url}");
    }
    if url.starts_with('/') {
        let origin_length = match after_scheme.strip_prefix("//") {
            Some(authority) => 2 + authority.find('/').unwrap_or(authority.len()),
            None => 0,
        };
        return format!("{scheme}{}{url}", &after_scheme[..origin_length]);
    }
    if url.starts_with('?') || url.is_empty() {
        return format!("{base}{url}");
    }
    format!("{base}/{url}")
}

/// The URL of the `Link` header's link with `rel="next"` (RFC 8288), if there is one.
pub fn link_next(header: &str) -> Option<String> {
    // Links are `<url>; param; param`, separated by commas; a URL holds no `>`.
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let url = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let end = after.find('<').unwrap_or(after.len());
        // The parameters, without the comma that separates this link from the next.
        let params = after[..end].trim_end().trim_end_matches(',');
        let next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if next {
            return Some(url.to_owned());
        }
        rest = &after[end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_urls_resolve_against_the_server() {
        let base = "https://h.example:8443/api/v1/";
        assert_eq!(resolve(base, "https://o/x?a=1"), "https://o/x?a=1");
        assert_eq!(resolve(base, "//o/x"), "https://o/x");
        assert_eq!(
            resolve(base, "/x?page=2"),
            "https://h.example:8443/x?page=2"
        );
        assert_eq!(
            resolve(base, "?page=2"),
            "https://h.example:8443/api/v1?page=2"
        );
        assert_eq!(
            resolve(base, "items?page=2"),
            "https://h.example:8443/api/v1/items?page=2"
        );
        assert_eq!(resolve("https://h", "/x"), "https://h/x");
        assert_eq!(resolve("", "/x"), "/x");
        assert_eq!(resolve("", "x"), "/x");
    }

    #[test]
    fn a_url_request_keeps_the_operations_headers_and_key() {
        let mut first = http::Request::new(b"{}".to_vec());
        *first.method_mut() = http::Method::POST;
        first
            .headers_mut()
            .insert("accept", "application/json".parse().unwrap());
        first
            .headers_mut()
            .insert("content-type", "application/json".parse().unwrap());
        first
            .headers_mut()
            .insert("x-api-version", "2".parse().unwrap());
        let mut keys = http::Request::new(Vec::new());
        *keys.uri_mut() = "/?api_key=s3&sig=x".parse().unwrap();
        let next = follow(first, &keys, "https://h/items?cursor=b&sig=y").unwrap();
        assert_eq!(next.method(), http::Method::GET);
        assert_eq!(
            next.uri().to_string(),
            "https://h/items?cursor=b&sig=y&api_key=s3"
        );
        assert_eq!(next.headers().len(), 2, "{:?}", next.headers());
        assert!(next.body().is_empty());
        assert!(follow(http::Request::new(Vec::new()), &keys, "https://h/a b").is_err());
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let header = r#"<https://api.github.com/repos/a/b/issues?page=1>; rel="prev", <https://api.github.com/repos/a/b/issues?page=3>; rel="next", <https://api.github.com/repos/a/b/issues?page=9>; rel="last""#;
        assert_eq!(
            link_next(header).as_deref(),
            Some("https://api.github.com/repos/a/b/issues?page=3")
        );
        assert_eq!(link_next(r#"<a>; rel="prev""#), None);
        assert_eq!(
            link_next(r#"<a>; title="x"; rel="next last""#).as_deref(),
            Some("a")
        );
        assert_eq!(link_next("garbage"), None);
    }
}
