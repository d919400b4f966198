//! What the client tests share: small hand-written operations, as the generator writes
//! them (`Operation`, `Paginated`, `EventStream`), a clock the tests move themselves, and
//! a responder that says when a request has reached the server.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use openapi_runtime::auth::{Scheme, SchemeKind, Secret};
use openapi_runtime::client::{Sleep, Timer};
use openapi_runtime::events::EventStream;
use openapi_runtime::pages::{link_next, Convention, Next, Paginated};
use openapi_runtime::retry::Policy;
use openapi_runtime::{
    Binary, Credentials, DecodeError, EncodeError, Operation, Part, RequestBuilder, Security, Style,
};
use serde::{Deserialize, Serialize};

/// A documented error response: its status and text.
#[derive(Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.body)
    }
}

impl std::error::Error for ApiError {}

type Decoded<T> = Result<Result<T, ApiError>, DecodeError>;

/// A success read by `read`, any other status as an [`ApiError`].
fn decode<T>(
    status: http::StatusCode,
    body: &[u8],
    read: impl FnOnce(&[u8]) -> Result<T, DecodeError>,
) -> Decoded<T> {
    if status.is_success() {
        return read(body).map(Ok);
    }
    let body = openapi_runtime::text(status, body)?;
    Ok(Err(ApiError {
        status: status.as_u16(),
        body,
    }))
}

fn text(status: http::StatusCode, body: &[u8]) -> Decoded<String> {
    decode(status, body, |body| openapi_runtime::text(status, body))
}

pub static BEARER: Scheme = Scheme {
    id: "bearer",
    kind: SchemeKind::Bearer,
};

/// The caller's token.
pub struct Token(pub &'static str);

impl Credentials for Token {
    fn secret(&self, scheme: &str) -> Option<Secret<'_>> {
        (scheme == "bearer").then_some(Secret::Token(self.0))
    }
}

/// `GET /thing`: a text.
pub struct GetThing;

impl Operation for GetThing {
    const METHOD: http::Method = http::Method::GET;
    const PATH: &'static str = "/thing";
    const ID: &'static str = "getThing";
    type Params = ();
    type Body = ();
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, _: &(), _: &()) -> Result<(), EncodeError> {
        request.literal("/thing");
        request.accept("text/plain");
        Ok(())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

/// `GET /fragile`, whose description asks for no retries (`x-speakeasy-retries`).
pub struct GetFragile;

impl Operation for GetFragile {
    const METHOD: http::Method = http::Method::GET;
    const PATH: &'static str = "/fragile";
    const ID: &'static str = "getFragile";
    type Params = ();
    type Body = ();
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);
    const RETRIES: Option<fn() -> Policy> = Some(Policy::none);

    fn write(request: &mut RequestBuilder, _: &(), _: &()) -> Result<(), EncodeError> {
        request.literal("/fragile");
        Ok(())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

/// `POST /things` with a JSON body.
pub struct CreateThing;

impl Operation for CreateThing {
    const METHOD: http::Method = http::Method::POST;
    const PATH: &'static str = "/things";
    const ID: &'static str = "createThing";
    type Params = ();
    type Body = serde_json::Value;
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(
        request: &mut RequestBuilder,
        _: &(),
        body: &serde_json::Value,
    ) -> Result<(), EncodeError> {
        request.literal("/things");
        request.json("application/json", body)
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

/// The parameters of [`ListItems`].
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    pub cursor: Option<String>,
}

/// A page of [`ListItems`].
#[derive(Debug, Deserialize)]
pub struct Page {
    pub items: Vec<u32>,
    pub next: Option<String>,
}

/// `GET /items?cursor=…`: pages that name the cursor of the next one.
pub struct ListItems;

impl Operation for ListItems {
    const METHOD: http::Method = http::Method::GET;
    const PATH: &'static str = "/items";
    const ID: &'static str = "listItems";
    type Params = Cursor;
    type Body = ();
    type Responses = Page;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, params: &Cursor, _: &()) -> Result<(), EncodeError> {
        request.literal("/items");
        if let Some(cursor) = &params.cursor {
            request.query("cursor", cursor, Style::FORM)?;
        }
        request.accept("application/json");
        Ok(())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<Page> {
        decode(status, body, |body| openapi_runtime::json(status, body))
    }
}

impl Paginated for ListItems {
    type Item = u32;
    const CONVENTION: Convention = Convention::Cursor;

    fn items(page: Page) -> Vec<u32> {
        page.items
    }

    fn next(_: &Cursor, _: &(), page: &Page) -> Option<Next<Cursor, ()>> {
        let cursor = page.next.clone()?;
        Some(Next::Request {
            params: Cursor {
                cursor: Some(cursor.clone()),
            },
            body: (),
            cursor,
        })
    }
}

/// A page of [`ListLinked`]: its items and its `Link` header.
#[derive(Debug)]
pub struct LinkedPage {
    pub items: Vec<u32>,
    pub link: Option<String>,
}

/// `GET /linked`, with a bearer token: pages linked by the `Link` header (GitHub's way).
pub struct ListLinked;

impl Operation for ListLinked {
    const METHOD: http::Method = http::Method::GET;
    const PATH: &'static str = "/linked";
    const ID: &'static str = "listLinked";
    type Params = ();
    type Body = ();
    type Responses = LinkedPage;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[&[&BEARER]]);

    fn write(request: &mut RequestBuilder, _: &(), _: &()) -> Result<(), EncodeError> {
        request.literal("/linked");
        request.header("X-Api-Version", "2", Style::SIMPLE)?;
        request.accept("application/json");
        Ok(())
    }

    fn decode(
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Decoded<LinkedPage> {
        let link = openapi_runtime::header::<String>(status, headers, "link")?;
        decode(status, body, |body| {
            let items = openapi_runtime::json(status, body)?;
            Ok(LinkedPage { items, link })
        })
    }
}

impl Paginated for ListLinked {
    type Item = u32;
    const CONVENTION: Convention = Convention::LinkHeader;

    fn items(page: LinkedPage) -> Vec<u32> {
        page.items
    }

    fn next(_: &(), _: &(), page: &LinkedPage) -> Option<Next<(), ()>> {
        page.link.as_deref().and_then(link_next).map(Next::Url)
    }
}

/// One event of [`Watch`].
#[derive(Debug, PartialEq, Deserialize)]
pub struct Tick {
    pub n: u32,
}

/// `GET /events`: a stream of server-sent [`Tick`]s.
pub struct Watch;

impl Operation for Watch {
    const METHOD: http::Method = http::Method::GET;
    const PATH: &'static str = "/events";
    const ID: &'static str = "watch";
    type Params = ();
    type Body = ();
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, _: &(), _: &()) -> Result<(), EncodeError> {
        request.literal("/events");
        request.accept("text/event-stream");
        Ok(())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

impl EventStream for Watch {
    type Data = Tick;

    fn data(status: http::StatusCode, data: &str) -> Result<Tick, DecodeError> {
        openapi_runtime::json(status, data.as_bytes())
    }
}

/// `GET /file`: bytes.
pub struct Download;

impl Operation for Download {
    const METHOD: http::Method = http::Method::GET;
    const PATH: &'static str = "/file";
    const ID: &'static str = "download";
    type Params = ();
    type Body = ();
    type Responses = Vec<u8>;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, _: &(), _: &()) -> Result<(), EncodeError> {
        request.literal("/file");
        request.accept("application/octet-stream");
        Ok(())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<Vec<u8>> {
        decode(status, body, |body| Ok(body.to_vec()))
    }
}

/// `PUT /file` with a body of bytes.
pub struct PutFile;

impl Operation for PutFile {
    const METHOD: http::Method = http::Method::PUT;
    const PATH: &'static str = "/file";
    const ID: &'static str = "putFile";
    type Params = ();
    type Body = Vec<u8>;
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, _: &(), body: &Vec<u8>) -> Result<(), EncodeError> {
        request.literal("/file");
        request.bytes("application/octet-stream", body);
        Ok(())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

/// The multipart body of [`PostForm`].
#[derive(Debug, Serialize)]
pub struct Form {
    pub name: String,
    pub file: Binary,
}

/// `POST /form` with a multipart body: a text part and a file part.
pub struct PostForm;

impl Operation for PostForm {
    const METHOD: http::Method = http::Method::POST;
    const PATH: &'static str = "/form";
    const ID: &'static str = "postForm";
    type Params = ();
    type Body = Form;
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, _: &(), body: &Form) -> Result<(), EncodeError> {
        request.literal("/form");
        let parts = [Part {
            name: "file",
            content_type: "",
            binary: true,
        }];
        request.multipart(body, &parts)
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

/// The date the test clock starts at (a whole second, as HTTP dates are).
pub const START: Duration = Duration::from_secs(1_700_000_000);

/// A clock the test moves: the client's waits between attempts pass at once (moving the
/// clock on, so they are recorded and can run a timeout out), and a timeout ends only
/// when the clock reaches it.
#[derive(Clone)]
pub struct Clock {
    now: Arc<tokio::sync::watch::Sender<Duration>>,
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            now: Arc::new(tokio::sync::watch::Sender::new(Duration::ZERO)),
            waits: Arc::default(),
        }
    }

    /// Moves the clock on by `duration`.
    pub fn advance(&self, duration: Duration) {
        self.now.send_modify(|now| *now += duration);
    }

    /// The waits the client made between attempts.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Timer for Clock {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.waits.lock().unwrap().push(duration);
        self.advance(duration);
        Box::pin(std::future::ready(()))
    }

    fn deadline(&self, duration: Duration) -> Sleep {
        let mut now = self.now.subscribe();
        let at = *now.borrow() + duration;
        Box::pin(async move {
            let _ = now.wait_for(|now| *now >= at).await;
        })
    }

    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + START + *self.now.borrow()
    }
}

/// Answers with `template`, after telling the test the request has arrived.
pub struct Arrived {
    pub template: wiremock::ResponseTemplate,
    pub arrived: tokio::sync::mpsc::UnboundedSender<()>,
}

impl wiremock::Respond for Arrived {
    fn respond(&self, _: &wiremock::Request) -> wiremock::ResponseTemplate {
        let _ = self.arrived.send(());
        self.template.clone()
    }
}

/// A response that never comes in a test: the server holds it for an hour, of real time
/// that no test waits for (the client gives up, on the test's clock, first).
pub fn never() -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_delay(Duration::from_secs(3600))
}

/// A mock server on 127.0.0.1, for one test.
pub async fn server() -> wiremock::MockServer {
    wiremock::MockServer::start().await
}

pub fn client(server: &wiremock::MockServer, clock: &Clock) -> openapi_runtime::client::Client {
    openapi_runtime::client::Client::new(server.uri()).with_timer(clock.clone())
}

pub async fn received(server: &wiremock::MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

/// Mounts `template` for `GET path` for the first `times` requests only.
pub async fn first(
    server: &wiremock::MockServer,
    verb: &str,
    at: &str,
    times: u64,
    template: wiremock::ResponseTemplate,
) {
    wiremock::Mock::given(wiremock::matchers::method(verb))
        .and(wiremock::matchers::path(at))
        .respond_with(template)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

pub async fn always(
    server: &wiremock::MockServer,
    verb: &str,
    at: &str,
    template: wiremock::ResponseTemplate,
) {
    wiremock::Mock::given(wiremock::matchers::method(verb))
        .and(wiremock::matchers::path(at))
        .respond_with(template)
        .mount(server)
        .await;
}
