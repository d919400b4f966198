//! The generated crates with the client (feature `client`), against a real HTTP server in
//! the test process (wiremock): every issue of a repository through GitHub's `Link`
//! headers, Stripe's customers through `starting_after`, Camunda's users through a cursor
//! in the request body, a model's reply as typed server-sent events, a POST retried
//! because it carries an idempotency key, and operations as methods of both clients. No
//! test waits: retries here have no backoff.

use std::time::Duration;

use futures_util::StreamExt;
use generated::camunda_users::operations::SearchUsers;
use generated::github_issues::models::IssuesListForRepoState;
use generated::github_issues::operations::{IssuesListForRepo, IssuesListForRepoParams};
use generated::message_stream::models::{
    Message, MessageRequest, MessageRole, StreamEvent, StreamMessageAnthropicVersion,
};
use generated::message_stream::operations::{StreamMessage, StreamMessageParams};
use generated::runtime::client::Client;
use generated::runtime::retry::Policy;
use generated::stripe_customers::operations::{
    GetCustomers, GetCustomersParams, PostCustomers, PostCustomersParams, PostCustomersResponses,
};
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn issue(number: u32) -> Value {
    json!({
        "id": number, "node_id": "I", "url": "u", "repository_url": "r", "labels_url": "l",
        "comments_url": "c", "events_url": "e", "html_url": "h", "number": number,
        "state": "open", "title": format!("issue {number}"), "user": null, "labels": [],
        "assignee": null, "assignees": [], "milestone": null, "locked": false, "comments": 0,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "closed_at": null, "author_association": "NONE"
    })
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn every_issue_of_a_repository_follows_the_link_headers() {
    let server = MockServer::start().await;
    let page = |n: u32| format!("{}/repositories/7/issues?state=all&page={n}", server.uri());
    let link = |next: u32| format!(r#"<{}>; rel="next", <{}>; rel="last""#, page(next), page(3));
    Mock::given(method("GET"))
        .and(path("/repos/rust-lang/rustup/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", link(2).as_str())
                .set_body_json(json!([issue(1), issue(2)])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/7/issues"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", link(3).as_str())
                .set_body_json(json!([issue(3)])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/7/issues"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([issue(4)])))
        .mount(&server)
        .await;

    let client = Client::new(server.uri());
    let params = IssuesListForRepoParams {
        state: Some(IssuesListForRepoState::All),
        per_page: Some(2),
        ..IssuesListForRepoParams::new("rust-lang", "rustup")
    };
    let issues: Vec<_> = client
        .call::<IssuesListForRepo>(&params, &())
        .items(None)
        .map(|issue| issue.unwrap().unwrap().number)
        .collect()
        .await;
    assert_eq!(issues, [1, 2, 3, 4]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[0].url.query(),
        Some("state=all&per_page=2"),
        "the first page is asked for with the call's parameters"
    );
}

fn stripe(server: &MockServer) -> Client<generated::stripe_customers::auth::Credentials> {
    let credentials = generated::stripe_customers::auth::Credentials {
        bearer_auth: Some("sk_test".into()),
        ..Default::default()
    };
    Client::new(server.uri()).with_credentials(credentials)
}

/// Every operation is a method of the client (the `client` module's trait of its group),
/// which sets up the same call as `call::<Op>`: the same request goes out, and what comes
/// back is decoded the same; the blocking client has the methods too.
#[tokio::test]
async fn operations_are_methods_of_both_clients() {
    use generated::stripe_customers::client::CustomersOperations;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(customers(&["cus_1"], false))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "id": "cus_9", "object": "customer", "created": 1, "livemode": false }),
        ))
        .mount(&server)
        .await;
    let client = stripe(&server);
    let params = GetCustomersParams {
        limit: Some(1),
        ..GetCustomersParams::default()
    };
    let by_method: Vec<String> = client
        .get_customers(&params)
        .items(None)
        .map(|customer| customer.unwrap().unwrap().id)
        .collect()
        .await;
    assert_eq!(by_method, ["cus_1"]);
    let by_call = client.call::<GetCustomers>(&params, &()).send().await;
    assert!(matches!(by_call, Ok(Ok(_))), "{by_call:?}");
    // A body, and parameters with a header.
    let keyed = PostCustomersParams {
        idempotency_key: Some("k1".into()),
    };
    let created = client
        .post_customers(&keyed, &None)
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(
        matches!(&created, Ok(Ok(PostCustomersResponses::Ok(customer))) if customer.id == "cus_9"),
        "{created:?}"
    );
    let sent = received(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(
        sent[0].url, sent[1].url,
        "the method and call::<Op> send the same request"
    );
    assert_eq!(sent[2].headers["idempotency-key"], "k1");

    #[cfg(feature = "blocking")]
    {
        let uri = server.uri();
        let ids = tokio::task::spawn_blocking(move || {
            let credentials = generated::stripe_customers::auth::Credentials {
                bearer_auth: Some("sk_test".into()),
                ..Default::default()
            };
            let client = generated::runtime::client::blocking::Client::new(uri)
                .with_credentials(credentials);
            client
                .get_customers(&GetCustomersParams::default())
                .items(None)
                .map(|customer| customer.unwrap().unwrap().id)
                .collect::<Vec<String>>()
        })
        .await
        .unwrap();
        assert_eq!(ids, ["cus_1"]);
    }
}

fn customers(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "id": id, "object": "customer", "created": 1, "livemode": false }))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "object": "list", "url": "/v1/customers", "has_more": has_more, "data": data
    }))
}

#[tokio::test]
async fn stripe_customers_are_listed_by_the_last_id_while_there_are_more() {
    let server = MockServer::start().await;
    let mount = |after: Option<&'static str>, template: ResponseTemplate| {
        let mock = Mock::given(method("GET")).and(path("/v1/customers"));
        let mock = match after {
            Some(after) => mock.and(query_param("starting_after", after)),
            None => mock.and(query_param_is_missing("starting_after")),
        };
        mock.respond_with(template).mount(&server)
    };
    mount(None, customers(&["cus_1", "cus_2"], true)).await;
    mount(Some("cus_2"), customers(&["cus_3", "cus_4"], true)).await;
    mount(Some("cus_4"), customers(&["cus_5"], false)).await;

    let client = stripe(&server);
    let params = GetCustomersParams {
        limit: Some(2),
        ..GetCustomersParams::default()
    };
    let all: Vec<String> = client
        .call::<GetCustomers>(&params, &())
        .items(None)
        .map(|customer| customer.unwrap().unwrap().id)
        .collect()
        .await;
    assert_eq!(all, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);

    // A limit stops the walk without asking for the pages after it.
    let before = received(&server).await.len();
    let three = client
        .call::<GetCustomers>(&params, &())
        .items(Some(3))
        .count()
        .await;
    assert_eq!(three, 3);
    assert_eq!(received(&server).await.len() - before, 2);
}

#[tokio::test]
async fn camunda_users_are_searched_with_the_cursor_in_the_body() {
    let server = MockServer::start().await;
    let page = |names: &[&str], end: Option<&str>| {
        let items: Vec<Value> = names
            .iter()
            .map(|n| json!({ "username": n, "name": null, "email": null }))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items,
            "page": { "totalItems": 3, "startCursor": null, "endCursor": end }
        }))
    };
    Mock::given(method("POST"))
        .and(path("/users/search"))
        .and(body_partial_json(json!({ "page": { "after": "c1" } })))
        .respond_with(page(&["cy"], None))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/users/search"))
        .respond_with(page(&["ann", "bob"], Some("c1")))
        .mount(&server)
        .await;

    let credentials = generated::camunda_users::auth::Credentials {
        bearer_auth: Some("token".into()),
        ..Default::default()
    };
    let client = Client::new(server.uri()).with_credentials(credentials);
    let names: Vec<String> = client
        .call::<SearchUsers>(&(), &None)
        .items(None)
        .map(|user| user.unwrap().unwrap().username)
        .collect()
        .await;
    assert_eq!(names, ["ann", "bob", "cy"]);
}

#[tokio::test]
async fn a_streamed_reply_is_typed_events_as_they_come() {
    let server = MockServer::start().await;
    let stream = concat!(
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"x\"}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Nile, \"}}\n\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Amazon\"}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(wiremock::matchers::header(
            "anthropic-version",
            "2023-06-01",
        ))
        .and(wiremock::matchers::header("x-api-key", "key"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(stream, "text/event-stream"))
        .mount(&server)
        .await;

    let credentials = generated::message_stream::auth::Credentials {
        api_key: Some(generated::runtime::ApiKey::new("key")),
    };
    let client = Client::new(server.uri()).with_credentials(credentials);
    let params = StreamMessageParams::new(StreamMessageAnthropicVersion::N20230601);
    let request = MessageRequest::new(
        "m",
        64,
        vec![Message::new(MessageRole::User, "Two rivers?")],
        true,
    );
    let reply = client
        .call::<StreamMessage>(&params, &request)
        .events()
        .await
        .unwrap();
    let mut events = reply.value.unwrap();
    let mut text = String::new();
    let mut kinds = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        kinds.push(event.event.clone().unwrap_or_default());
        if let StreamEvent::ContentBlockDelta(delta) = event.data {
            text.push_str(&delta.delta.text);
        }
    }
    assert_eq!(text, "Nile, Amazon");
    assert_eq!(
        kinds,
        [
            "message_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "message_stop"
        ]
    );
}

/// Stripe's error body, with a 503.
fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503).set_body_json(json!({
        "error": { "type": "api_error", "message": "try again" }
    }))
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_and_one_without_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(unavailable())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cus_9", "object": "customer", "created": 1, "livemode": false
        })))
        .mount(&server)
        .await;
    // No backoff, so the test does not wait.
    let policy = Policy {
        initial_backoff: Duration::ZERO,
        ..Policy::default()
    };
    let client = stripe(&server).with_retries(policy);
    let keyed = PostCustomersParams {
        idempotency_key: Some("create-9".into()),
    };
    let created = client.send::<PostCustomers>(&keyed, &None).await.unwrap();
    let Ok(PostCustomersResponses::Ok(customer)) = created else {
        panic!("expected the customer, got {created:?}");
    };
    assert_eq!(customer.id, "cus_9");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| r.headers.get("idempotency-key").unwrap() == "create-9"));

    // Without a key, a 503 is the answer: creating twice is worse than failing once.
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .respond_with(unavailable())
        .mount(&server)
        .await;
    let unkeyed = PostCustomersParams::default();
    let answer = client.send::<PostCustomers>(&unkeyed, &None).await.unwrap();
    assert!(answer.is_err(), "the 503 is the documented default error");
    assert_eq!(received(&server).await.len(), 1);
}
