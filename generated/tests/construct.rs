//! Constructors: a parameters struct or model with required fields is built from those
//! alone, and struct update syntax sets the few optional ones a call needs.

use generated::camunda_users::models::{SearchQueryPageRequest, UserRequest};
use generated::github_issues::models::IssuesListForRepoState;
use generated::github_issues::operations::{IssuesListForRepo, IssuesListForRepoParams};
use generated::runtime::Operation;

#[test]
fn listing_closed_issues_spells_only_what_it_needs() {
    let params = IssuesListForRepoParams {
        state: Some(IssuesListForRepoState::Closed),
        ..IssuesListForRepoParams::new("rust-lang", "rust")
    };
    let request = IssuesListForRepo::request("https://api.github.com", &params, &()).unwrap();
    assert_eq!(
        request.uri(),
        "https://api.github.com/repos/rust-lang/rust/issues?state=closed"
    );
}

#[test]
fn a_model_takes_its_required_fields_and_leaves_the_rest_out() {
    let user = UserRequest::new("demo", "secret");
    assert_eq!(user.username, "demo");
    assert_eq!(user.password, "secret");
    assert_eq!(user.name, None);
    assert_eq!(user.email, None);
}

#[test]
fn default_fills_in_the_descriptions_defaults() {
    // `limit` has `default: 100` in the description: the value a server assumes.
    let page = SearchQueryPageRequest::default();
    assert_eq!(page.limit, 100);
    assert_eq!(page.from, None);
}
