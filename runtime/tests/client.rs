//! The asynchronous client against a real HTTP server in the test process (wiremock):
//! replies with their headers, retries and timeouts, pages, server-sent events, byte
//! streams both ways, hooks (those that await too), and what a call adds; and event
//! streams resumed after their connection drops, against a socket server that drops it
//! ([`Dropping`]). Time is the test's [`Clock`]: no test waits for real, and a timeout
//! ends when the test moves the clock, after the server has the request.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use openapi_runtime::client::{reqwest, BoxError, Client, Context, Error, Hook, Upload};
use openapi_runtime::events::Event;
use openapi_runtime::retry::{Attempt, Policy};
use openapi_runtime::Binary;
use support::*;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_reply_keeps_status_and_headers_and_send_the_typed_value() {
    let server = server().await;
    let template = ResponseTemplate::new(201)
        .insert_header("x-request-id", "r-1")
        .set_body_string("made");
    always(&server, "GET", "/thing", template).await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let reply = client.call::<GetThing>(&(), &()).reply().await.unwrap();
    assert_eq!(reply.status, 201);
    assert_eq!(reply.headers["x-request-id"], "r-1");
    assert_eq!(reply.attempts, 1);
    assert_eq!(reply.value, Ok("made".to_owned()));
    let sent = client.send::<GetThing>(&(), &()).await.unwrap();
    assert_eq!(sent, Ok("made".to_owned()));
}

#[tokio::test]
async fn a_503_is_retried_after_a_jittered_backoff() {
    let server = server().await;
    first(&server, "GET", "/thing", 1, ResponseTemplate::new(503)).await;
    always(
        &server,
        "GET",
        "/thing",
        ResponseTemplate::new(200).set_body_string("ok"),
    )
    .await;
    let clock = Clock::new();
    let reply = client(&server, &clock)
        .call::<GetThing>(&(), &())
        .reply()
        .await
        .unwrap();
    assert_eq!((reply.status.as_u16(), reply.attempts), (200, 2));
    let waits = clock.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] <= Policy::default().initial_backoff, "{waits:?}");
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says_in_seconds_or_as_a_date() {
    let date = httpdate::fmt_http_date(std::time::UNIX_EPOCH + START + Duration::from_secs(12));
    for (retry_after, wait) in [("7", 7), (date.as_str(), 12)] {
        let server = server().await;
        let busy = ResponseTemplate::new(429).insert_header("retry-after", retry_after);
        first(&server, "GET", "/thing", 1, busy).await;
        always(&server, "GET", "/thing", ResponseTemplate::new(200)).await;
        let clock = Clock::new();
        let reply = client(&server, &clock)
            .call::<GetThing>(&(), &())
            .reply()
            .await
            .unwrap();
        assert_eq!((reply.status.as_u16(), reply.attempts), (200, 2));
        assert_eq!(clock.waits(), [Duration::from_secs(wait)], "{retry_after}");
    }
}

#[tokio::test]
async fn a_post_is_retried_only_with_an_idempotency_key() {
    let server = server().await;
    always(&server, "POST", "/things", ResponseTemplate::new(503)).await;
    let clock = Clock::new();
    let body = serde_json::json!({"name": "x"});
    let reply = client(&server, &clock)
        .call::<CreateThing>(&(), &body)
        .reply()
        .await
        .unwrap();
    assert_eq!((reply.status.as_u16(), reply.attempts), (503, 1));
    assert!(clock.waits().is_empty());

    let server = self::server().await;
    first(&server, "POST", "/things", 1, ResponseTemplate::new(503)).await;
    always(&server, "POST", "/things", ResponseTemplate::new(200)).await;
    let reply = client(&server, &clock)
        .call::<CreateThing>(&(), &body)
        .idempotency_key("key-1")
        .reply()
        .await
        .unwrap();
    assert_eq!((reply.status.as_u16(), reply.attempts), (200, 2));
    let keys: Vec<_> = received(&server)
        .await
        .iter()
        .map(|request| request.headers["idempotency-key"].clone())
        .collect();
    assert_eq!(keys, ["key-1", "key-1"]);
    let bodies: Vec<_> = received(&server)
        .await
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(
        bodies,
        [br#"{"name":"x"}"#.to_vec(), br#"{"name":"x"}"#.to_vec()]
    );
}

#[tokio::test]
async fn a_client_can_key_its_posts_itself_and_a_call_can_opt_in() {
    let server = server().await;
    first(&server, "POST", "/things", 1, ResponseTemplate::new(503)).await;
    always(&server, "POST", "/things", ResponseTemplate::new(200)).await;
    let clock = Clock::new();
    let reply = client(&server, &clock)
        .with_idempotency_keys()
        .call::<CreateThing>(&(), &serde_json::json!({}))
        .reply()
        .await
        .unwrap();
    assert_eq!(reply.attempts, 2);
    let requests = received(&server).await;
    let key = &requests[0].headers["idempotency-key"];
    assert_eq!(key.len(), 32);
    assert_eq!(
        &requests[1].headers["idempotency-key"], key,
        "the same key again"
    );

    let server = self::server().await;
    first(&server, "POST", "/things", 1, ResponseTemplate::new(503)).await;
    always(&server, "POST", "/things", ResponseTemplate::new(200)).await;
    let reply = client(&server, &clock)
        .call::<CreateThing>(&(), &serde_json::json!({}))
        .retries(Policy::default().any_method())
        .reply()
        .await
        .unwrap();
    assert_eq!(reply.attempts, 2);
    assert!(!received(&server).await[0]
        .headers
        .contains_key("idempotency-key"));
}

#[tokio::test]
async fn the_operations_policy_wins_over_the_clients_and_the_calls_over_both() {
    let server = server().await;
    always(&server, "GET", "/fragile", ResponseTemplate::new(503)).await;
    always(&server, "GET", "/thing", ResponseTemplate::new(503)).await;
    let clock = Clock::new();
    let client = client(&server, &clock).with_retries(Policy::default().attempts(4));
    let fragile = client.call::<GetFragile>(&(), &()).reply().await.unwrap();
    assert_eq!(fragile.attempts, 1, "x-speakeasy-retries said none");
    let thing = client.call::<GetThing>(&(), &()).reply().await.unwrap();
    assert_eq!(thing.attempts, 4);
    let once = client
        .call::<GetThing>(&(), &())
        .retries(Policy::none())
        .reply()
        .await
        .unwrap();
    assert_eq!(once.attempts, 1);
    let twice = client
        .call::<GetFragile>(&(), &())
        .retries(Policy::default().attempts(2))
        .reply()
        .await
        .unwrap();
    assert_eq!(twice.attempts, 2);
}

#[tokio::test]
async fn an_attempt_that_times_out_is_retried() {
    let server = server().await;
    let (arrived, mut arrivals) = tokio::sync::mpsc::unbounded_channel();
    let slow = Arrived {
        template: never(),
        arrived,
    };
    Mock::given(path("/thing"))
        .respond_with(slow)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    always(
        &server,
        "GET",
        "/thing",
        ResponseTemplate::new(200).set_body_string("late"),
    )
    .await;
    let clock = Clock::new();
    let client = client(&server, &clock).with_attempt_timeout(Duration::from_secs(2));
    let call = tokio::spawn(async move { client.call::<GetThing>(&(), &()).reply().await });
    arrivals.recv().await.unwrap();
    clock.advance(Duration::from_secs(2));
    let reply = call.await.unwrap().unwrap();
    assert_eq!((reply.status.as_u16(), reply.attempts), (200, 2));
    assert_eq!(reply.value, Ok("late".to_owned()));
}

#[tokio::test]
async fn a_call_times_out_as_a_whole() {
    let server = server().await;
    let (arrived, mut arrivals) = tokio::sync::mpsc::unbounded_channel();
    let slow = Arrived {
        template: never(),
        arrived,
    };
    Mock::given(path("/thing"))
        .respond_with(slow)
        .mount(&server)
        .await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let call = tokio::spawn(async move {
        let call = client.call::<GetThing>(&(), &());
        call.timeout(Duration::from_secs(5)).reply().await
    });
    arrivals.recv().await.unwrap();
    clock.advance(Duration::from_secs(5));
    let error = call.await.unwrap().unwrap_err();
    assert!(matches!(error, Error::TimedOut(after) if after == Duration::from_secs(5)));
}

#[tokio::test]
async fn retries_stop_before_a_wait_that_would_outlast_the_calls_timeout() {
    let server = server().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "2");
    always(&server, "GET", "/thing", busy).await;
    let clock = Clock::new();
    let reply = client(&server, &clock)
        .with_retries(Policy::default().attempts(10))
        .with_timeout(Duration::from_secs(5))
        .call::<GetThing>(&(), &())
        .reply()
        .await
        .unwrap();
    assert_eq!((reply.status.as_u16(), reply.attempts), (503, 3));
    assert_eq!(clock.waits(), [Duration::from_secs(2); 2]);
}

fn page(items: &[u32], next: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": items, "next": next}))
}

async fn cursor_page(server: &MockServer, cursor: Option<&str>, template: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path("/items"));
    let mock = match cursor {
        Some(cursor) => mock.and(query_param("cursor", cursor)),
        None => mock.and(query_param_is_missing("cursor")),
    };
    mock.respond_with(template).mount(server).await;
}

async fn items(client: &Client, limit: Option<usize>) -> Vec<u32> {
    let stream = client
        .call::<ListItems>(&Cursor::default(), &())
        .items(limit);
    stream.map(|item| item.unwrap().unwrap()).collect().await
}

#[tokio::test]
async fn cursor_pages_are_walked_to_the_last() {
    let server = server().await;
    cursor_page(&server, None, page(&[1, 2], Some("b"))).await;
    cursor_page(&server, Some("b"), page(&[3], Some("c"))).await;
    cursor_page(&server, Some("c"), page(&[4], None)).await;
    let clock = Clock::new();
    assert_eq!(items(&client(&server, &clock), None).await, [1, 2, 3, 4]);
}

#[tokio::test]
async fn a_walk_stops_at_a_cursor_it_has_seen() {
    let server = server().await;
    cursor_page(&server, None, page(&[1], Some("a"))).await;
    cursor_page(&server, Some("a"), page(&[2], Some("b"))).await;
    cursor_page(&server, Some("b"), page(&[3], Some("a"))).await;
    let clock = Clock::new();
    assert_eq!(items(&client(&server, &clock), None).await, [1, 2, 3]);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_limit_ends_the_walk_without_fetching_more() {
    let server = server().await;
    cursor_page(&server, None, page(&[1, 2], Some("b"))).await;
    cursor_page(&server, Some("b"), page(&[3, 4], Some("c"))).await;
    cursor_page(&server, Some("c"), page(&[5], None)).await;
    let clock = Clock::new();
    assert_eq!(items(&client(&server, &clock), Some(3)).await, [1, 2, 3]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_error_page_ends_the_walk_typed() {
    let server = server().await;
    cursor_page(&server, None, page(&[1], Some("b"))).await;
    let gone = ResponseTemplate::new(410).set_body_string("expired");
    cursor_page(&server, Some("b"), gone).await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let walk = client
        .call::<ListItems>(&Cursor::default(), &())
        .retries(Policy::none())
        .items(None);
    let items: Vec<_> = walk.map(Result::unwrap).collect().await;
    let expired = ApiError {
        status: 410,
        body: "expired".to_owned(),
    };
    assert_eq!(items, [Ok(1), Err(expired)]);
}

#[tokio::test]
async fn link_header_pages_are_fetched_by_url_with_the_operations_headers() {
    let server = server().await;
    let uri = server.uri();
    let linked = |items: &[u32], next: Option<String>| {
        let template = ResponseTemplate::new(200).set_body_json(items);
        match next {
            Some(next) => template.insert_header("link", next.as_str()),
            None => template,
        }
    };
    let next = format!(r#"<{uri}/linked?page=1>; rel="prev", <{uri}/linked?page=2>; rel="next""#);
    Mock::given(path("/linked"))
        .and(query_param_is_missing("page"))
        .respond_with(linked(&[1, 2], Some(next)))
        .mount(&server)
        .await;
    let relative = r#"</linked?page=3>; rel="next""#.to_owned();
    Mock::given(path("/linked"))
        .and(query_param("page", "2"))
        .respond_with(linked(&[3], Some(relative)))
        .mount(&server)
        .await;
    Mock::given(path("/linked"))
        .and(query_param("page", "3"))
        .respond_with(linked(&[4], None))
        .mount(&server)
        .await;
    let clock = Clock::new();
    let client = client(&server, &clock).with_credentials(Token("t0k"));
    let stream = client.call::<ListLinked>(&(), &()).items(None);
    let items: Vec<u32> = stream.map(|item| item.unwrap().unwrap()).collect().await;
    assert_eq!(items, [1, 2, 3, 4]);
    for request in received(&server).await {
        assert_eq!(request.method, "GET");
        assert_eq!(request.headers["authorization"], "Bearer t0k");
        assert_eq!(request.headers["accept"], "application/json");
        assert_eq!(request.headers["x-api-version"], "2");
    }
}

fn events(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
}

#[tokio::test]
async fn server_sent_events_arrive_typed() {
    let server = server().await;
    let body =
        ": hello\ndata: {\"n\":1}\n\nevent: tick\nid: 2\ndata: {\"n\":\ndata: 2}\n\ndata: oops\n\n";
    always(&server, "GET", "/events", events(body)).await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let reply = client.call::<Watch>(&(), &()).events().await.unwrap();
    assert_eq!(reply.status, 200);
    let stream = reply.value.unwrap();
    let events: Vec<_> = stream.collect().await;
    assert_eq!(events.len(), 3);
    let first = Event {
        event: None,
        id: None,
        retry: None,
        data: Tick { n: 1 },
    };
    assert_eq!(events[0].as_ref().unwrap(), &first);
    let second = events[1].as_ref().unwrap();
    assert_eq!(second.event.as_deref(), Some("tick"));
    assert_eq!(second.id.as_deref(), Some("2"));
    assert_eq!(second.data, Tick { n: 2 });
    assert!(
        matches!(events[2], Err(Error::Decode(_))),
        "{:?}",
        events[2]
    );
    assert_eq!(
        received(&server).await[0].headers["accept"],
        "text/event-stream"
    );
}

#[tokio::test]
async fn an_event_stream_that_is_refused_is_a_typed_error() {
    let server = server().await;
    always(
        &server,
        "GET",
        "/events",
        ResponseTemplate::new(404).set_body_string("no"),
    )
    .await;
    let clock = Clock::new();
    let reply = client(&server, &clock)
        .call::<Watch>(&(), &())
        .events()
        .await
        .unwrap();
    assert_eq!(reply.value.unwrap_err().status, 404);
}

#[tokio::test]
async fn a_download_is_read_as_a_stream_of_bytes() {
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let server = server().await;
    let file = ResponseTemplate::new(200).set_body_bytes(content.clone());
    always(&server, "GET", "/file", file).await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let reply = client.call::<Download>(&(), &()).bytes().await.unwrap();
    let mut stream = reply.value.unwrap();
    let mut read = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(read, content);
    assert!(chunks >= 1);
    let again = client.call::<Download>(&(), &()).bytes().await.unwrap();
    assert_eq!(again.value.unwrap().read_all().await.unwrap(), content);

    let server = self::server().await;
    always(
        &server,
        "GET",
        "/file",
        ResponseTemplate::new(403).set_body_string("private"),
    )
    .await;
    let reply = self::client(&server, &clock)
        .call::<Download>(&(), &())
        .bytes()
        .await
        .unwrap();
    assert_eq!(reply.value.unwrap_err().body, "private");
}

/// A stream of `chunks` as an upload would read them.
fn chunks(chunks: &[&'static [u8]]) -> impl futures_core::Stream<Item = std::io::Result<Bytes>> {
    let chunks: Vec<_> = chunks
        .iter()
        .map(|chunk| Ok(Bytes::from_static(chunk)))
        .collect();
    futures_util::stream::iter(chunks)
}

#[tokio::test]
async fn a_body_is_uploaded_from_a_stream_once() {
    let server = server().await;
    always(&server, "PUT", "/file", ResponseTemplate::new(503)).await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let upload = Upload::stream(chunks(&[b"hello ", b"", b"world"]));
    let reply = client
        .call::<PutFile>(&(), &upload.placeholder())
        .upload(upload)
        .reply()
        .await
        .unwrap();
    assert_eq!(reply.attempts, 1, "a stream cannot be read again");
    let request = &received(&server).await[0];
    assert_eq!(request.body, b"hello world");
    assert_eq!(request.headers["content-type"], "application/octet-stream");
    assert_eq!(request.headers["transfer-encoding"], "chunked");

    let server = self::server().await;
    always(&server, "PUT", "/file", ResponseTemplate::new(200)).await;
    let upload = Upload::stream(chunks(&[b"sized"])).with_length(5);
    self::client(&server, &clock)
        .call::<PutFile>(&(), &upload.placeholder())
        .upload(upload)
        .reply()
        .await
        .unwrap();
    let request = &received(&server).await[0];
    assert_eq!(request.body, b"sized");
    assert_eq!(request.headers["content-length"], "5");
}

#[tokio::test]
async fn a_file_upload_is_read_again_for_a_retry() {
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 13) as u8).collect();
    let file = std::env::temp_dir().join(format!("openapi-upload-{}", std::process::id()));
    std::fs::write(&file, &content).unwrap();
    let server = server().await;
    first(&server, "PUT", "/file", 1, ResponseTemplate::new(503)).await;
    always(&server, "PUT", "/file", ResponseTemplate::new(200)).await;
    let clock = Clock::new();
    let upload = Upload::file(&file);
    let reply = client(&server, &clock)
        .call::<PutFile>(&(), &upload.placeholder())
        .upload(upload)
        .reply()
        .await;
    std::fs::remove_file(&file).unwrap();
    assert_eq!(reply.unwrap().attempts, 2);
    for request in received(&server).await {
        assert_eq!(request.body, content);
        assert_eq!(request.headers["content-length"], "200000");
    }
    let missing = Upload::file(std::env::temp_dir().join("openapi-upload-missing"));
    let error = client(&server, &clock)
        .call::<PutFile>(&(), &missing.placeholder())
        .upload(missing)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Upload(_)), "{error}");
}

#[tokio::test]
async fn a_multipart_file_part_is_uploaded_from_a_stream() {
    let server = server().await;
    always(&server, "POST", "/form", ResponseTemplate::new(200)).await;
    let clock = Clock::new();
    let upload =
        Upload::repeatable(|| chunks(&[b"line 1\r\n", b"--openapi-boundary-0000000000000000"]));
    let form = Form {
        name: "report".to_owned(),
        file: upload.placeholder(),
    };
    client(&server, &clock)
        .call::<PostForm>(&(), &form)
        .upload(upload)
        .reply()
        .await
        .unwrap();
    let request = &received(&server).await[0];
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    assert_ne!(
        boundary, "openapi-boundary-0000000000000000",
        "the content holds that one"
    );
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\nContent-Type: text/plain\r\n\r\nreport\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n\
         line 1\r\n--openapi-boundary-0000000000000000\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

#[tokio::test]
async fn a_body_without_the_uploads_placeholder_is_refused() {
    let server = server().await;
    let clock = Clock::new();
    let error = client(&server, &clock)
        .call::<PutFile>(&(), &b"no placeholder".to_vec())
        .upload(Upload::stream(chunks(&[b"x"])))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Upload(_)), "{error}");
    assert!(received(&server).await.is_empty());
}

/// Records each attempt it sees, and adds a header to each request.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Hook for Recorder {
    fn before(
        &self,
        context: &Context<'_>,
        request: &mut reqwest::Request,
    ) -> Result<(), BoxError> {
        let attempt = context.attempt;
        self.0
            .lock()
            .unwrap()
            .push(format!("before {} {attempt}", context.operation));
        let value = reqwest::header::HeaderValue::from(attempt);
        request.headers_mut().insert("x-attempt", value);
        Ok(())
    }

    fn after(&self, context: &Context<'_>, outcome: &Attempt<'_>) {
        let outcome = match outcome {
            Attempt::Answered { status, .. } => status.as_str().to_owned(),
            other => format!("{other:?}"),
        };
        self.0
            .lock()
            .unwrap()
            .push(format!("after {} {outcome}", context.attempt));
    }
}

#[tokio::test]
async fn hooks_run_around_each_attempt() {
    let server = server().await;
    first(&server, "GET", "/thing", 1, ResponseTemplate::new(503)).await;
    always(&server, "GET", "/thing", ResponseTemplate::new(200)).await;
    let clock = Clock::new();
    let recorder = Recorder::default();
    let call_recorder = Recorder::default();
    client(&server, &clock)
        .with_hook(recorder.clone())
        .call::<GetThing>(&(), &())
        .hook(call_recorder.clone())
        .reply()
        .await
        .unwrap();
    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "before getThing 1",
            "after 1 503",
            "before getThing 2",
            "after 2 200"
        ]
    );
    assert_eq!(*call_recorder.0.lock().unwrap(), seen);
    let attempts: Vec<_> = received(&server)
        .await
        .iter()
        .map(|request| request.headers["x-attempt"].clone())
        .collect();
    assert_eq!(attempts, ["1", "2"]);
}

struct Refuse;

impl Hook for Refuse {
    fn before(&self, _: &Context<'_>, _: &mut reqwest::Request) -> Result<(), BoxError> {
        Err("not signed".into())
    }
}

#[tokio::test]
async fn a_hook_can_stop_a_call() {
    let server = server().await;
    let clock = Clock::new();
    let error = client(&server, &clock)
        .with_hook(Refuse)
        .send::<GetThing>(&(), &())
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Hook(inner) if inner.to_string() == "not signed"));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_call_adds_a_header_and_a_query_parameter() {
    let server = server().await;
    Mock::given(path("/thing"))
        .and(header("x-trace", "t-1"))
        .and(query_param("extra", "a b&c"))
        .respond_with(ResponseTemplate::new(200).set_body_string("seen"))
        .mount(&server)
        .await;
    let clock = Clock::new();
    let client = client(&server, &clock);
    let sent = client
        .call::<GetThing>(&(), &())
        .header("X-Trace", "t-1")
        .query("extra", "a b&c")
        .send()
        .await
        .unwrap();
    assert_eq!(sent, Ok("seen".to_owned()));
    let url = &received(&server).await[0].url;
    assert_eq!(url.query(), Some("extra=a%20b%26c"));
    let refused = client
        .call::<GetThing>(&(), &())
        .header("X-Trace", "line\r\nbreak")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Encode(_)), "{refused}");
    assert_eq!(received(&server).await.len(), 1);
}

#[test]
fn a_placeholder_is_bytes_the_body_types_take() {
    let upload = Upload::stream(chunks(&[]));
    let placeholder: Binary = upload.placeholder();
    assert!(placeholder.starts_with(b"openapi-upload-"));
    assert_ne!(placeholder, Upload::stream(chunks(&[])).placeholder());
}

/// Writes down the name and fields of each span as they are set.

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // A port nothing listens on any more: each connection is refused at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let clock = Clock::new();
    let recorder = Recorder::default();
    let error = Client::new(format!("http://{address}"))
        .with_timer(clock.clone())
        .with_hook(recorder.clone())
        .send::<GetThing>(&(), &())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Http(_)), "{error}");
    let seen = recorder.0.lock().unwrap().clone();
    let failed = seen.iter().filter(|seen| seen.ends_with(" Failed")).count();
    assert_eq!(failed, 3, "{seen:?}");
    assert_eq!(clock.waits().len(), 2);
}

/// A hook that awaits: it fetches a token from the server's `/token` (once, then keeps
/// it) before the first attempt, as a token refresh does, and signs every attempt with it.
struct Refresh {
    base: String,
    token: tokio::sync::Mutex<Option<String>>,
}

impl Hook for Refresh {
    fn before_async<'a>(
        &'a self,
        _: &'a Context<'a>,
        request: &'a mut reqwest::Request,
    ) -> openapi_runtime::client::HookFuture<'a> {
        Box::pin(async move {
            let mut token = self.token.lock().await;
            if token.is_none() {
                let url = format!("{}/token", self.base);
                *token = Some(reqwest::get(url).await?.text().await?);
            }
            let value = format!("Bearer {}", token.as_deref().unwrap_or_default());
            request
                .headers_mut()
                .insert("authorization", value.parse()?);
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_hook_may_await_before_each_attempt() {
    let server = server().await;
    always(
        &server,
        "GET",
        "/token",
        ResponseTemplate::new(200).set_body_string("fresh"),
    )
    .await;
    first(&server, "GET", "/thing", 1, ResponseTemplate::new(503)).await;
    always(
        &server,
        "GET",
        "/thing",
        ResponseTemplate::new(200).set_body_string("made"),
    )
    .await;
    let clock = Clock::new();
    let hook = Refresh {
        base: server.uri(),
        token: tokio::sync::Mutex::new(None),
    };
    // The client's type is the same with a hook that awaits.
    let client: Client = client(&server, &clock).with_hook(hook);
    let sent = client.send::<GetThing>(&(), &()).await.unwrap();
    assert_eq!(sent, Ok("made".to_owned()));
    let requests = received(&server).await;
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        ["/token", "/thing", "/thing"],
        "one refresh, two attempts"
    );
    for attempt in &requests[1..] {
        assert_eq!(attempt.headers["authorization"], "Bearer fresh");
    }
}

/// A hook's awaited error stops the call, as a synchronous one's does.
struct Unreachable;

impl Hook for Unreachable {
    fn before_async<'a>(
        &'a self,
        _: &'a Context<'a>,
        _: &'a mut reqwest::Request,
    ) -> openapi_runtime::client::HookFuture<'a> {
        Box::pin(async { Err("the token service is down".into()) })
    }
}

#[tokio::test]
async fn an_awaiting_hook_can_stop_a_call() {
    let server = server().await;
    always(&server, "GET", "/thing", ResponseTemplate::new(200)).await;
    let clock = Clock::new();
    let sent = client(&server, &clock)
        .call::<GetThing>(&(), &())
        .hook(Unreachable)
        .send()
        .await;
    assert!(
        matches!(&sent, Err(Error::Hook(error)) if error.to_string().contains("down")),
        "{sent:?}"
    );
    assert!(received(&server).await.is_empty());
}

fn dropped(chunks: &[&'static str]) -> Answer {
    Answer {
        status: 200,
        chunks: chunks.to_vec(),
        drops: true,
    }
}

fn ended(chunks: &[&'static str]) -> Answer {
    Answer {
        status: 200,
        chunks: chunks.to_vec(),
        drops: false,
    }
}

fn ticks(events: Vec<Result<Event<Tick>, Error>>) -> Vec<u32> {
    events
        .into_iter()
        .map(|event| event.unwrap().data.n)
        .collect()
}

#[tokio::test]
async fn a_stream_that_drops_is_resumed_from_the_last_event_id() {
    let server = Dropping::start(vec![
        // Two events, and half of a third when the connection drops.
        dropped(&[
            "retry: 1500\nid: 1\ndata: {\"n\":1}\n\n",
            "id: 2\ndata: {\"n\":2}\n\nid: 3\ndata: {\"n\":",
        ]),
        ended(&["id: 3\ndata: {\"n\":3}\n\n"]),
    ])
    .await;
    let clock = Clock::new();
    let client = Client::new(server.uri.clone()).with_timer(clock.clone());
    let reply = client.call::<Watch>(&(), &()).events().await.unwrap();
    let events: Vec<_> = reply.value.unwrap().collect().await;
    assert_eq!(ticks(events), [1, 2, 3]);
    let heads = server.heads();
    assert_eq!(heads.len(), 2);
    assert!(!heads[0].to_lowercase().contains("last-event-id"));
    assert!(
        heads[1].to_lowercase().contains("last-event-id: 2\r\n"),
        "{}",
        heads[1]
    );
    assert_eq!(
        clock.waits(),
        [Duration::from_millis(1500)],
        "the server's retry"
    );
}

#[tokio::test]
async fn reconnections_in_a_row_are_bounded_and_an_event_starts_the_count_again() {
    // Each connection brings an event and drops: one reconnection in a row is enough.
    let server = Dropping::start(vec![
        dropped(&["id: 1\ndata: {\"n\":1}\n\n"]),
        dropped(&["id: 2\ndata: {\"n\":2}\n\n"]),
        ended(&["id: 3\ndata: {\"n\":3}\n\n"]),
    ])
    .await;
    let clock = Clock::new();
    let client = Client::new(server.uri.clone()).with_timer(clock.clone());
    let reply = client
        .call::<Watch>(&(), &())
        .reconnects(1)
        .events()
        .await
        .unwrap();
    let events: Vec<_> = reply.value.unwrap().collect().await;
    assert_eq!(ticks(events), [1, 2, 3]);
    // Connections that bring nothing: the reconnections run out, and the drop ends it.
    let server = Dropping::start(vec![
        dropped(&[": ping\n"]),
        dropped(&[": ping\n"]),
        dropped(&[": ping\n"]),
    ])
    .await;
    let client = Client::new(server.uri.clone())
        .with_timer(clock.clone())
        .with_reconnects(1);
    let reply = client.call::<Watch>(&(), &()).events().await.unwrap();
    let events: Vec<_> = reply.value.unwrap().collect().await;
    assert_eq!(events.len(), 1);
    assert!(matches!(events[0], Err(Error::Http(_))), "{:?}", events[0]);
    assert_eq!(server.heads().len(), 2, "the first connection and one more");
}

#[tokio::test]
async fn a_stream_resumed_with_no_content_ends_and_one_refused_is_an_error() {
    let server = Dropping::start(vec![
        dropped(&["id: 1\ndata: {\"n\":1}\n\n"]),
        Answer {
            status: 204,
            chunks: Vec::new(),
            drops: false,
        },
    ])
    .await;
    let clock = Clock::new();
    let client = Client::new(server.uri.clone()).with_timer(clock.clone());
    let reply = client.call::<Watch>(&(), &()).events().await.unwrap();
    let events: Vec<_> = reply.value.unwrap().collect().await;
    assert_eq!(ticks(events), [1]);

    let server = Dropping::start(vec![
        dropped(&["id: 1\ndata: {\"n\":1}\n\n"]),
        Answer {
            status: 410,
            chunks: vec!["gone"],
            drops: false,
        },
    ])
    .await;
    let client = Client::new(server.uri.clone()).with_timer(clock.clone());
    let reply = client.call::<Watch>(&(), &()).events().await.unwrap();
    let mut events: Vec<_> = reply.value.unwrap().collect().await;
    let last = events.pop().unwrap();
    assert!(
        matches!(last, Err(Error::Reconnect(status)) if status == 410),
        "{last:?}"
    );
    assert_eq!(ticks(events), [1]);
}

#[tokio::test]
async fn a_stream_a_post_started_is_not_resumed() {
    let server = Dropping::start(vec![
        dropped(&["id: 1\ndata: {\"n\":1}\n\n"]),
        ended(&["data: {\"n\":2}\n\n"]),
    ])
    .await;
    let clock = Clock::new();
    let client = Client::new(server.uri.clone()).with_timer(clock.clone());
    let reply = client.call::<Converse>(&(), &()).events().await.unwrap();
    let events: Vec<_> = reply.value.unwrap().collect().await;
    assert_eq!(events.len(), 2);
    assert!(matches!(events[1], Err(Error::Http(_))), "{:?}", events[1]);
    assert_eq!(
        server.heads().len(),
        1,
        "sending it again would start another"
    );
    // With an idempotency key, it may be.
    let server = Dropping::start(vec![
        dropped(&["id: 1\ndata: {\"n\":1}\n\n"]),
        ended(&["id: 2\ndata: {\"n\":2}\n\n"]),
    ])
    .await;
    let client = Client::new(server.uri.clone()).with_timer(clock.clone());
    let reply = client
        .call::<Converse>(&(), &())
        .idempotency_key("reply-1")
        .events()
        .await
        .unwrap();
    let events: Vec<_> = reply.value.unwrap().collect().await;
    assert_eq!(ticks(events), [1, 2]);
    assert!(server.heads()[1].contains("reply-1"));
}

#[tokio::test]
async fn an_event_past_the_limit_ends_the_stream() {
    let server = server().await;
    let body = "data: {\"n\":1}\n\ndata: {\"n\":2, \"padding\": \"0123456789abcdef\"}\n\ndata: {\"n\":3}\n\n";
    always(&server, "GET", "/events", events(body)).await;
    let clock = Clock::new();
    let reply = client(&server, &clock)
        .call::<Watch>(&(), &())
        .event_limit(24)
        .events()
        .await
        .unwrap();
    let mut events: Vec<_> = reply.value.unwrap().collect().await;
    let last = events.pop().unwrap();
    assert!(matches!(last, Err(Error::EventTooLarge(24))), "{last:?}");
    assert_eq!(ticks(events), [1], "what came before it is handed out");
}
