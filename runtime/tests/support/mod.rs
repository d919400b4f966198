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

/// `POST /events`: a stream of [`Tick`]s a request not safe to repeat starts (a reply
/// being written, say).
pub struct Converse;

impl Operation for Converse {
    const METHOD: http::Method = http::Method::POST;
    const PATH: &'static str = "/events";
    const ID: &'static str = "converse";
    type Params = ();
    type Body = ();
    type Responses = String;
    type Errors = ApiError;
    const SECURITY: Security = Security::Any(&[]);

    fn write(request: &mut RequestBuilder, _: &(), _: &()) -> Result<(), EncodeError> {
        Watch::write(request, &(), &())
    }

    fn decode(status: http::StatusCode, _: &http::HeaderMap, body: &[u8]) -> Decoded<String> {
        text(status, body)
    }
}

impl EventStream for Converse {
    type Data = Tick;

    fn data(status: http::StatusCode, data: &str) -> Result<Tick, DecodeError> {
        Watch::data(status, data)
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

/// What the [`Dropping`] server answers one connection with: a status, the body's
/// chunks, and whether the connection then drops before the body ends.
pub struct Answer {
    pub status: u16,
    pub chunks: Vec<&'static str>,
    pub drops: bool,
}

/// A server on 127.0.0.1 that answers each connection, in turn, as its [`Answer`]s say,
/// in HTTP/1.1 with a chunked body, and can drop a connection mid-body (which wiremock,
/// whose server writes whole bodies, cannot): the stream the client reads then fails as
/// a real one does when the network or the server goes away. It keeps the heads of the
/// requests it received.
pub struct Dropping {
    pub uri: String,
    pub heads: Arc<Mutex<Vec<String>>>,
}

impl Dropping {
    pub async fn start(answers: Vec<Answer>) -> Dropping {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let heads: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = Arc::clone(&heads);
        tokio::spawn(async move {
            for answer in answers {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        break;
                    }
                    head.push(byte[0]);
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                if answer.status == 204 {
                    let _ = socket
                        .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                        .await;
                    let _ = socket.shutdown().await;
                    continue;
                }
                let mut out = format!(
                    "HTTP/1.1 {} X\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                    answer.status
                );
                for chunk in &answer.chunks {
                    out.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
                }
                if !answer.drops {
                    out.push_str("0\r\n\r\n");
                }
                let _ = socket.write_all(out.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        });
        Dropping { uri, heads }
    }

    /// The heads of the requests received so far.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}
