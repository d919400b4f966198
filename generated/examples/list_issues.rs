//! Every issue of a repository, page after page: the client follows the `Link` header
//! GitHub answers with until the last page, and hands out the issues one by one.
//!
//! `cargo run -p generated --features client --example list_issues -- https://api.github.com`
//! (with `GITHUB_TOKEN` set for more than 60 requests an hour).

use futures_util::StreamExt;
use generated::github_issues::auth::Credentials;
use generated::github_issues::client::{Client, IssuesOperations};
use generated::github_issues::models::IssuesListForRepoState;
use generated::github_issues::operations::IssuesListForRepoParams;
use generated::github_issues::servers;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(servers::default_url);
    let credentials = Credentials {
        bearer_auth: std::env::var("GITHUB_TOKEN").ok(),
    };
    let client = Client::new(base_url).with_credentials(credentials);

    // The two required parameters, and the two optional ones this call needs.
    let params = IssuesListForRepoParams {
        state: Some(IssuesListForRepoState::All),
        per_page: Some(100),
        ..IssuesListForRepoParams::new("rust-lang", "rustup")
    };
    let mut issues = client.issues_list_for_repo(&params).items(None);
    while let Some(issue) = issues.next().await {
        // A failed request, then a documented error (404, 422 …), each end the walk.
        let issue = issue??;
        println!("#{} {}", issue.number, issue.title);
    }
    Ok(())
}
