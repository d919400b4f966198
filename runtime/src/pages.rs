//! Pagination as pure functions: an operation whose responses come in pages says which
//! items a page holds and what the request for the next page is ([`Paginated`]), and a
//! [`Pages`] keeps track of a walk through them, stopping at the last page, at a limit,
//! or at a cursor or link it has seen before (a server that sends `A, B, A` would
//! otherwise be followed forever). Clients drive it; any HTTP client can.

use std::collections::BTreeSet;

use super::Operation;

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

    /// Ends the walk (after an error, say).
    pub fn stop(&mut self) {
        self.next = None;
    }
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
