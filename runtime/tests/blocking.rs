//! The blocking client against a real HTTP server in the test process: the same calls as
//! the asynchronous client's tests, from plain threads, with pages, events and bytes read
//! as iterators and a reader. The server runs on its own thread; the test's runtime only
//! starts it and mounts its answers.

mod support;

use std::io::Read as _;
use std::time::Duration;

use openapi_runtime::client::blocking::Client;
use openapi_runtime::client::{Error, Upload};
use openapi_runtime::retry::Policy;
use support::*;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server, and the runtime that set it up (kept to mount answers and read requests).
struct Server {
    server: MockServer,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start());
        Server { server, runtime }
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    fn received(&self) -> Vec<wiremock::Request> {
        let requests = self.runtime.block_on(self.server.received_requests());
        requests.unwrap_or_default()
    }

    fn client(&self, clock: &Clock) -> Client {
        Client::new(self.server.uri()).with_timer(clock.clone())
    }
}

#[test]
fn a_call_is_retried_and_replies_with_its_headers() {
    let server = Server::start();
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "3");
    server.mount(
        Mock::given(path("/thing"))
            .respond_with(busy)
            .up_to_n_times(1),
    );
    let done = ResponseTemplate::new(200)
        .insert_header("x-request-id", "r-2")
        .set_body_string("done");
    server.mount(Mock::given(path("/thing")).respond_with(done));
    let clock = Clock::new();
    let client = server.client(&clock);
    let reply = client
        .call::<GetThing>(&(), &())
        .header("x-trace", "t")
        .reply()
        .unwrap();
    assert_eq!((reply.status.as_u16(), reply.attempts), (200, 2));
    assert_eq!(reply.headers["x-request-id"], "r-2");
    assert_eq!(reply.value, Ok("done".to_owned()));
    assert_eq!(clock.waits(), [Duration::from_secs(3)]);
    assert!(server
        .received()
        .iter()
        .all(|r| r.headers["x-trace"] == "t"));
    assert_eq!(
        client.send::<GetThing>(&(), &()).unwrap(),
        Ok("done".to_owned())
    );
}

#[test]
fn a_post_without_a_key_is_sent_once() {
    let server = Server::start();
    server.mount(Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)));
    let clock = Clock::new();
    let body = serde_json::json!({});
    let reply = server
        .client(&clock)
        .call::<CreateThing>(&(), &body)
        .reply()
        .unwrap();
    assert_eq!(reply.attempts, 1);
}

#[test]
fn a_call_times_out_on_the_tests_clock() {
    let server = Server::start();
    let (arrived, mut arrivals) = tokio::sync::mpsc::unbounded_channel();
    let slow = Arrived {
        template: never(),
        arrived,
    };
    server.mount(Mock::given(path("/thing")).respond_with(slow));
    let clock = Clock::new();
    let client = server
        .client(&clock)
        .with_timeout(Duration::from_secs(9))
        .with_retries(Policy::none());
    let call = std::thread::spawn(move || client.send::<GetThing>(&(), &()));
    arrivals.blocking_recv().unwrap();
    clock.advance(Duration::from_secs(9));
    let error = call.join().unwrap().unwrap_err();
    assert!(matches!(error, Error::TimedOut(_)), "{error}");
}

#[test]
fn pages_are_an_iterator_of_items() {
    let server = Server::start();
    let page = |items: &[u32], next: Option<&str>| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": items, "next": next}))
    };
    server.mount(
        Mock::given(path("/items"))
            .and(query_param_is_missing("cursor"))
            .respond_with(page(&[1, 2], Some("a"))),
    );
    server.mount(
        Mock::given(path("/items"))
            .and(query_param("cursor", "a"))
            .respond_with(page(&[3, 4], Some("b"))),
    );
    server.mount(
        Mock::given(path("/items"))
            .and(query_param("cursor", "b"))
            .respond_with(page(&[5], Some("a"))),
    );
    let clock = Clock::new();
    let client = server.client(&clock);
    let all: Vec<u32> = client
        .call::<ListItems>(&Cursor::default(), &())
        .items(None)
        .map(|item| item.unwrap().unwrap())
        .collect();
    assert_eq!(all, [1, 2, 3, 4, 5], "the cursor `a` seen again ends it");
    let three: Vec<u32> = client
        .call::<ListItems>(&Cursor::default(), &())
        .items(Some(3))
        .map(|item| item.unwrap().unwrap())
        .collect();
    assert_eq!(three, [1, 2, 3]);
}

#[test]
fn events_are_an_iterator_of_typed_events() {
    let server = Server::start();
    let body = "data: {\"n\":1}\r\n\r\ndata: {\"n\":2}\r\n\r\n";
    let stream = ResponseTemplate::new(200).set_body_raw(body, "text/event-stream");
    server.mount(Mock::given(path("/events")).respond_with(stream));
    let clock = Clock::new();
    let reply = server
        .client(&clock)
        .call::<Watch>(&(), &())
        .events()
        .unwrap();
    let ticks: Vec<Tick> = reply
        .value
        .unwrap()
        .map(|event| event.unwrap().data)
        .collect();
    assert_eq!(ticks, [Tick { n: 1 }, Tick { n: 2 }]);
    // The client's limit on one event holds here too.
    let reply = server
        .client(&clock)
        .with_event_limit(8)
        .with_reconnects(0)
        .call::<Watch>(&(), &())
        .events()
        .unwrap();
    let events: Vec<_> = reply.value.unwrap().collect();
    assert!(
        matches!(events[..], [Err(Error::EventTooLarge(8))]),
        "{events:?}"
    );
}

#[test]
fn a_download_is_a_reader_and_an_upload_a_stream() {
    let content: Vec<u8> = (0..100_000u32).map(|i| (i % 7) as u8).collect();
    let server = Server::start();
    let file = ResponseTemplate::new(200).set_body_bytes(content.clone());
    server.mount(
        Mock::given(method("GET"))
            .and(path("/file"))
            .respond_with(file),
    );
    server.mount(
        Mock::given(method("PUT"))
            .and(path("/file"))
            .respond_with(ResponseTemplate::new(200)),
    );
    let clock = Clock::new();
    let client = server.client(&clock);
    let reply = client.call::<Download>(&(), &()).bytes().unwrap();
    let mut read = Vec::new();
    reply.value.unwrap().read_to_end(&mut read).unwrap();
    assert_eq!(read, content);

    let chunks = ["a", "b", "c"].map(|chunk| Ok(bytes::Bytes::from(chunk)));
    let upload = Upload::stream(futures_util::stream::iter(chunks));
    client
        .call::<PutFile>(&(), &upload.placeholder())
        .upload(upload)
        .send()
        .unwrap()
        .unwrap();
    let put = server.received().pop().unwrap();
    assert_eq!(put.body, b"abc");
}
