//! Pagination without a server: the generated `Paginated` of an operation says which
//! items a page holds and what the next request is, and `Pages` walks from page to page,
//! stopping after the last one, at a limit, or at a cursor it has seen before.

use generated::camunda_users::models::{SearchQueryPageResponse, UserResult, UserSearchResult};
use generated::camunda_users::operations::{SearchUsers, SearchUsersResponses};
use generated::github_issues::operations::{IssuesListForRepo, IssuesListForRepoResponses};
use generated::runtime::pages::{Next, Pages, Paginated};

fn users(names: &[&str], end_cursor: Option<&str>) -> SearchUsersResponses {
    SearchUsersResponses::Ok(UserSearchResult {
        items: names
            .iter()
            .map(|name| UserResult {
                username: (*name).to_owned(),
                name: None,
                email: None,
            })
            .collect(),
        // A type only read from responses has no constructor: its fields, written out.
        page: SearchQueryPageResponse {
            total_items: names.len() as i64,
            start_cursor: None,
            end_cursor: end_cursor.map(str::to_owned),
        },
    })
}

fn names(items: Vec<UserResult>) -> Vec<String> {
    items.into_iter().map(|user| user.username).collect()
}

#[test]
fn a_cursor_page_asks_for_the_next_with_its_end_cursor_in_the_body() {
    let page = users(&["ann", "bob"], Some("c2"));
    let Some(Next::Request { body, cursor, .. }) = SearchUsers::next(&(), &None, &page) else {
        panic!("expected a next request");
    };
    assert_eq!(cursor, "c2");
    let after = body.and_then(|body| body.page).and_then(|page| page.after);
    assert_eq!(after.as_deref(), Some("c2"));
    // The last page has no end cursor.
    assert!(SearchUsers::next(&(), &None, &users(&["cy"], None)).is_none());
}

#[test]
fn a_walk_stops_at_a_cursor_it_has_seen_before() {
    // The server sends A, B, A: the walk must not go round forever.
    let mut pages = Pages::<SearchUsers>::new((), None, None);
    let mut seen = Vec::new();
    let answers = [
        users(&["ann"], Some("A")),
        users(&["bob"], Some("B")),
        users(&["cy"], Some("A")),
    ];
    for answer in answers {
        if pages.request().is_none() {
            break;
        }
        seen.extend(names(pages.page(answer)));
    }
    assert_eq!(seen, ["ann", "bob", "cy"]);
    assert!(pages.request().is_none());
}

#[test]
fn a_walk_stops_at_its_limit() {
    let mut pages = Pages::<SearchUsers>::new((), None, Some(3));
    let first = names(pages.page(users(&["ann", "bob"], Some("A"))));
    let second = names(pages.page(users(&["cy", "dee"], Some("B"))));
    assert_eq!(first, ["ann", "bob"]);
    assert_eq!(second, ["cy"]);
    assert!(pages.request().is_none());
}

#[test]
fn the_link_header_gives_the_next_url() {
    let page = IssuesListForRepoResponses::Ok {
        body: Vec::new(),
        link: Some(
            r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#
                .to_owned(),
        ),
    };
    let params = generated::github_issues::operations::IssuesListForRepoParams::new("a", "b");
    let Some(Next::Url(url)) = IssuesListForRepo::next(&params, &(), &page) else {
        panic!("expected the next link");
    };
    assert_eq!(url, "https://api.github.com/repositories/1/issues?page=2");
    let last = IssuesListForRepoResponses::Ok {
        body: Vec::new(),
        link: Some(
            r#"<https://api.github.com/repositories/1/issues?page=4>; rel="prev""#.to_owned(),
        ),
    };
    assert!(IssuesListForRepo::next(&params, &(), &last).is_none());
}
