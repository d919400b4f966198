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
pub enum Next<P> {
    /// The same operation with these parameters.
    Params(P),
    /// A `GET` of this URL (absolute, or relative to the server).
    Url(String),
}

/// An operation whose successful responses are pages of items.
pub trait Paginated: Operation {
    /// What a page holds a list of.
    type Item;
    /// How the pages follow one another.
    const CONVENTION: Convention;

    /// The items of `page`, in order.
    fn items(page: Self::Responses) -> Vec<Self::Item>;

    /// The request for the page after `page`, which was fetched with `params`; `None`
    /// after the last page.
    fn next(params: &Self::Params, page: &Self::Responses) -> Option<Next<Self::Params>>;

    /// What tells one request of the walk from another: the cursor or link it follows,
    /// so a walk can stop at one it has seen. By default the whole request.
    fn mark(next: &Next<Self::Params>) -> String
    where
        Self::Params: std::fmt::Debug,
    {
        format!("{next:?}")
    }
}

/// A walk through the pages of one call: which request comes next, and when to stop.
#[derive(Debug)]
pub struct Pages<O: Paginated> {
    /// The parameters of the last page fetched by parameters (a page fetched by URL
    /// keeps those of the first).
    params: O::Params,
    next: Option<Next<O::Params>>,
    seen: BTreeSet<String>,
    /// Items yet to hand out before the limit.
    left: Option<usize>,
}

impl<O: Paginated> Pages<O>
where
    O::Params: std::fmt::Debug + Clone,
{
    /// A walk that starts with `params` and hands out at most `limit` items.
    pub fn new(params: O::Params, limit: Option<usize>) -> Pages<O> {
        Pages {
            next: Some(Next::Params(params.clone())),
            params,
            seen: BTreeSet::new(),
            left: limit,
        }
    }

    /// The request to send next, if the walk goes on.
    pub fn request(&self) -> Option<&Next<O::Params>> {
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
            self.seen.insert(O::mark(&current));
            if let Next::Params(params) = current {
                self.params = params;
            }
        }
        let following = O::next(&self.params, &page);
        let mut items = O::items(page);
        if let Some(left) = &mut self.left {
            items.truncate(*left);
            *left -= items.len();
        }
        self.next = following.filter(|next| !self.seen.contains(&O::mark(next)));
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
