//! What building a request costs: nanoseconds per `request` for GitHub's "list repository
//! issues" with every parameter set (12 query parameters of every kind, two path
//! parameters that need escaping, a header), and per `authorized_request` with a token.
//!
//! `cargo bench -p generated --bench request`. A benchmark, not a test: it prints the
//! median of 15 rounds and checks nothing.

use std::hint::black_box;
use std::time::Instant;

use generated::github_issues::auth::Credentials;
use generated::github_issues::models::{
    IssuesListForRepoDirection, IssuesListForRepoSort, IssuesListForRepoState,
    IssuesListForRepoXGithubApiVersion,
};
use generated::github_issues::operations::{IssuesListForRepo, IssuesListForRepoParams};
use generated::runtime::Operation;

const ROUNDS: usize = 15;
const PER_ROUND: u32 = 20_000;

fn params() -> IssuesListForRepoParams {
    IssuesListForRepoParams {
        owner: "octo-org".into(),
        repo: "hello world/+".into(),
        milestone: Some("*".into()),
        state: Some(IssuesListForRepoState::All),
        assignee: Some("mona lisa".into()),
        type_: Some("bug".into()),
        creator: Some("octocat".into()),
        mentioned: Some("hubot".into()),
        labels: Some(vec!["bug".into(), "good first issue".into(), "ä/ö".into()]),
        sort: Some(IssuesListForRepoSort::Updated),
        direction: Some(IssuesListForRepoDirection::Asc),
        since: Some("2024-05-04T09:42:00+01:00".parse().expect("a date-time")),
        per_page: Some(100),
        page: Some(3),
        x_github_api_version: Some(IssuesListForRepoXGithubApiVersion::N20221128),
    }
}

/// The median over rounds of the nanoseconds one call of `build` takes.
fn median_ns(build: impl Fn() -> http::Request<Vec<u8>>) -> f64 {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..PER_ROUND {
                black_box(build());
            }
            start.elapsed().as_nanos() as f64 / f64::from(PER_ROUND)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

fn main() {
    let params = params();
    let base = "https://api.github.com";
    let credentials = Credentials {
        bearer_auth: Some("ghp_token".into()),
    };
    let request = IssuesListForRepo::request(base, &params, &()).expect("a request");
    println!("{}", request.uri());
    let plain =
        median_ns(|| IssuesListForRepo::request(black_box(base), black_box(&params), &()).unwrap());
    let authorized = median_ns(|| {
        IssuesListForRepo::authorized_request(
            black_box(base),
            black_box(&params),
            &(),
            &credentials,
        )
        .unwrap()
    });
    println!("request: {plain:.0} ns (median of {ROUNDS} rounds of {PER_ROUND})");
    println!("authorized_request: {authorized:.0} ns");
}
