//! The generated servers (features `server` and `mock`) against the generated clients, in
//! one test process on 127.0.0.1: what a handler receives is what the client sent, what
//! the client decodes is what the handler answered, for every documented status; a
//! request that breaks the description is refused with one problem document naming
//! every violation; credentials go through the authenticator; events are streamed as
//! they come; middleware sees which operation a request is for.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt as _;
use generated::runtime::client::Client;
use generated::runtime::server::{
    axum, AcceptAny, Authenticator, Denied, Info, Observer, Presented,
};
use generated::{camunda_users, inventory, message_stream};
use serde_json::{json, Value};

/// Serves `router` on a free port of 127.0.0.1; its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.ok();
    });
    format!("http://{address}")
}

/// What handlers received and answered, as `Debug` text, by operation.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, String)>>>);

impl Seen {
    fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

impl Observer for Seen {
    fn received(
        &self,
        operation: &'static Info,
        params: &dyn std::fmt::Debug,
        body: &dyn std::fmt::Debug,
    ) {
        let text = format!("{params:?} {body:?}");
        self.0.lock().unwrap().push((operation.id.to_owned(), text));
    }
    fn answered(&self, operation: &'static Info, answer: &dyn std::fmt::Debug) {
        let text = format!("{answer:?}");
        self.0.lock().unwrap().push((operation.id.to_owned(), text));
    }
}

/// The loopback: every operation of the inventory, its parameters holding reserved
/// characters, non-ASCII text, absent optionals and lists, through the client to the
/// mock and back, once per documented status (asked with `Prefer: code=…`): the
/// handler's parameters and body are the client's, and the client decodes the handler's
/// answer to the same value.
#[tokio::test]
async fn what_the_client_sends_the_handler_receives_and_back() {
    use inventory::models::{Circle, Item, ListItemsFilter, ListItemsSort, Shape};
    use inventory::operations::{CreateItem, GetItem, GetItemParams, ListItems, ListItemsParams};
    let seen = Seen::default();
    let base = serve(
        inventory::server::App::mock()
            .observer(seen.clone())
            .into_router(),
    )
    .await;
    let client = Client::new(base);
    let full = ListItemsParams {
        limit: Some(7),
        sort: Some(ListItemsSort::Price),
        ids: Some(vec![1, 22, 333]),
        filter: Some(ListItemsFilter {
            color: Some(",&=#é%+".into()),
            size: None,
        }),
        session: Some("s/é ?&=+%[]".into()),
        ..ListItemsParams::new(uuid::Uuid::from_u128(7))
    };
    let bare = ListItemsParams::new(uuid::Uuid::from_u128(8));
    let item = Item {
        released: Some(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
        tags: Some(vec![]),
        ..Item::new(
            "grand teapot",
            999.5,
            0,
            uuid::Uuid::from_u128(9),
            Shape::Circle(Circle::new("circle", 1.5)),
        )
    };
    let mut checked = 0;
    for params in [&full, &bare] {
        for code in [200, 400] {
            let reply = client
                .call::<ListItems>(params, &())
                .header("Prefer", &format!("code={code}"))
                .send()
                .await
                .unwrap();
            let seen = seen.take();
            assert_eq!(seen.len(), 2, "{code}: {reply:?}");
            assert_eq!(seen[0].1, format!("{params:?} ()"), "{code}");
            assert_eq!(seen[1].1, format!("{reply:?}"), "{code}");
            checked += 1;
        }
    }
    for code in [201, 400] {
        let reply = client
            .call::<CreateItem>(&(), &item)
            .header("Prefer", &format!("code={code}"))
            .send()
            .await
            .unwrap();
        let seen = seen.take();
        assert_eq!(seen[0].1, format!("() {item:?}"));
        assert_eq!(seen[1].1, format!("{reply:?}"));
        checked += 1;
    }
    for code in [200, 404] {
        let params = GetItemParams::new(i64::MAX);
        let reply = client
            .call::<GetItem>(&params, &())
            .header("Prefer", &format!("code={code}"))
            .send()
            .await
            .unwrap();
        let seen = seen.take();
        assert_eq!(seen[0].1, format!("{params:?} ()"));
        assert_eq!(seen[1].1, format!("{reply:?}"));
        checked += 1;
    }
    assert_eq!(checked, 8);
}

/// Sends `request` to the server at `base`; the status and the JSON body.
async fn raw(
    base: &str,
    request: impl FnOnce(&reqwest_client::Client, &str) -> reqwest_client::RequestBuilder,
) -> (u16, Value) {
    let client = reqwest_client::Client::new();
    let response = request(&client, base).send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap_or_default();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

use generated::runtime::client::reqwest as reqwest_client;

/// A JSON body for `reqwest` (built without its `json` feature).
trait JsonBody {
    fn json_body(self, body: &Value) -> Self;
}

impl JsonBody for reqwest_client::RequestBuilder {
    fn json_body(self, body: &Value) -> Self {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}

/// `(location, pointer, keyword)` of each violation a problem document lists.
fn violations(document: &Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = document["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
            (text("location"), text("pointer"), text("keyword"))
        })
        .collect();
    found.sort();
    found
}

fn valid_item() -> Value {
    json!({
        "name": "teapot",
        "price": 12.5,
        "quantity": 3,
        "sku": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "shape": {"kind": "circle", "radius": 4}
    })
}

/// Each kind of violation alone, then all at once: one problem document naming each,
/// with its location and the keyword broken; the handler never runs.
#[tokio::test]
async fn bad_input_is_refused_with_every_violation_named() {
    let seen = Seen::default();
    let base = serve(
        inventory::server::App::mock()
            .observer(seen.clone())
            .into_router(),
    )
    .await;
    let one = |member: &str, value: Value| {
        let mut item = valid_item();
        match value {
            Value::Null => {
                item.as_object_mut().unwrap().remove(member);
            }
            value => item[member] = value,
        }
        item
    };
    let cases = [
        (one("name", Value::Null), "/name", "required", "/"),
        (one("quantity", json!("3")), "/quantity", "type", ""),
        (one("status", json!("sold")), "/status", "enum", ""),
        (one("name", json!("Teapot")), "/name", "pattern", ""),
        (one("name", json!("t")), "/name", "minLength", ""),
        (
            one("name", json!("a very long teapot")),
            "/name",
            "maxLength",
            "",
        ),
        (one("quantity", json!(-1)), "/quantity", "minimum", ""),
        (one("price", json!(1000)), "/price", "exclusiveMaximum", ""),
        (one("price", json!(1.25)), "/price", "multipleOf", ""),
        (one("sku", json!("not-a-uuid")), "/sku", "format", ""),
        (
            one("quantity", json!(4_294_967_296u64)),
            "/quantity",
            "format",
            "",
        ),
        (one("tags", json!(["a", "a"])), "/tags", "uniqueItems", ""),
        (
            one("tags", json!(["a", "b", "c", "d"])),
            "/tags",
            "maxItems",
            "",
        ),
        (
            one("color", json!("red")),
            "/color",
            "additionalProperties",
            "",
        ),
        (
            one("shape", json!({"kind": "circle"})),
            "/shape",
            "required",
            "",
        ),
        (
            one("shape", json!({"kind": "hexagon"})),
            "/shape/kind",
            "discriminator",
            "",
        ),
    ];
    for (body, pointer, keyword, _) in &cases {
        let (status, document) = raw(&base, |c, base| {
            c.post(format!("{base}/items")).json_body(body)
        })
        .await;
        assert_eq!(status, 400, "{keyword}: {document}");
        let found = violations(&document);
        let (pointer, keyword) = if *keyword == "required" && *pointer == "/name" {
            ("", "required")
        } else if *keyword == "required" {
            ("/shape", "required")
        } else {
            (*pointer, *keyword)
        };
        assert!(
            found.iter().any(|(location, at, broken)| location == "body"
                && at == pointer
                && broken == keyword),
            "{keyword} at {pointer}: {document}"
        );
        assert_eq!(found.len(), 1, "{document}");
    }
    // Everything at once, parameters too: one answer, every violation in it.
    let mut all = valid_item();
    all["name"] = json!("T");
    all["price"] = json!(-0.25);
    all["extra"] = json!(true);
    let (status, document) = raw(&base, |c, base| {
        c.post(format!("{base}/items"))
            .header("content-type", "application/json")
            .body(all.to_string())
    })
    .await;
    assert_eq!(status, 400);
    let found = violations(&document);
    let keywords: Vec<&str> = found.iter().map(|(_, _, k)| k.as_str()).collect();
    assert_eq!(
        keywords,
        [
            "additionalProperties",
            "minLength",
            "pattern",
            "minimum",
            "multipleOf"
        ]
        .map(|k| k),
        "{document}"
    );
    let (status, document) = raw(&base, |c, base| {
        c.get(format!(
            "{base}/items?limit=0&sort=size&ids=1,x&filter%5Bcolor%5D=far+too+long&filter%5Bsize%5D=big"
        ))
        .header("X-Request-ID", "42")
        .header("cookie", "session=abc")
    })
    .await;
    assert_eq!(status, 400);
    let found = violations(&document);
    let expected = [
        ("cookie.session", "", "minLength"),
        ("header.X-Request-ID", "", "format"),
        ("query.filter", "/color", "maxLength"),
        ("query.filter", "/size", "type"),
        ("query.ids", "/1", "type"),
        ("query.limit", "", "minimum"),
        ("query.sort", "", "enum"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(found, expected, "{document}");
    assert_eq!(document["type"], "about:blank");
    assert_eq!(document["status"], 400);
    assert_eq!(document["instance"], "/items");
    // A missing required header, a body that is not JSON.
    let (status, document) = raw(&base, |c, base| c.get(format!("{base}/items"))).await;
    assert_eq!(
        (status, violations(&document)),
        (
            400,
            vec![(
                "header.X-Request-ID".into(),
                String::new(),
                "required".into()
            )]
        )
    );
    let (status, document) = raw(&base, |c, base| {
        c.post(format!("{base}/items"))
            .header("content-type", "application/json")
            .body("{\"name\":")
    })
    .await;
    assert_eq!((status, violations(&document)[0].2.as_str()), (400, "type"));
    // A path whose value breaks its schema names no item: the operation's documented 404,
    // naming the violation all the same.
    let (status, document) = raw(&base, |c, base| c.get(format!("{base}/items/zero"))).await;
    assert_eq!(status, 404, "{document}");
    assert_eq!(
        violations(&document),
        vec![("path.id".into(), String::new(), "type".into())]
    );
    // 404, 405, 406, 415 by case.
    let (status, _) = raw(&base, |c, base| c.get(format!("{base}/nothing"))).await;
    assert_eq!(status, 404);
    let (status, _) = raw(&base, |c, base| c.delete(format!("{base}/items"))).await;
    assert_eq!(status, 405);
    let (status, _) = raw(&base, |c, base| {
        c.get(format!("{base}/items/1"))
            .header("accept", "text/html")
    })
    .await;
    assert_eq!(status, 406);
    let (status, _) = raw(&base, |c, base| {
        c.post(format!("{base}/items"))
            .header("content-type", "text/plain")
            .body("teapot")
    })
    .await;
    assert_eq!(status, 415);
    assert!(
        seen.take().is_empty(),
        "no handler may see a refused request"
    );
}

/// Refuses every key but `good`, and records who the caller is.
struct Keys;

#[derive(Clone, Debug, PartialEq)]
struct Caller(String);

impl Authenticator for Keys {
    fn authenticate<'a>(
        &'a self,
        presented: Presented<'a>,
    ) -> generated::runtime::server::auth::BoxFuture<'a, Result<(), Denied>> {
        Box::pin(async move {
            match presented.credentials.first() {
                Some((_, generated::runtime::auth::Secret::ApiKey(key))) if key.key == "good" => {
                    presented.extensions.insert(Caller(key.key.clone()));
                    Ok(())
                }
                _ => Err(Denied("this key is not allowed".into())),
            }
        })
    }
}

struct Messages(Arc<Mutex<Vec<Option<Caller>>>>);

impl message_stream::server::MessagesHandlers for Messages {
    async fn stream_message(
        &self,
        request: generated::runtime::server::Request<
            message_stream::operations::StreamMessageParams,
            message_stream::models::MessageRequest,
        >,
    ) -> Result<
        generated::runtime::server::Streamed<message_stream::operations::StreamMessageResponses>,
        message_stream::operations::StreamMessageErrors,
    > {
        use generated::runtime::events::Event;
        use message_stream::models::{
            ContentBlockDelta, ContentBlockDeltaDelta, MessageStop, StreamEvent,
        };
        self.0
            .lock()
            .unwrap()
            .push(request.principal::<Caller>().cloned());
        let word = |text: &str| Event {
            event: Some("content_block_delta".into()),
            id: None,
            retry: None,
            data: StreamEvent::ContentBlockDelta(ContentBlockDelta {
                type_: "content_block_delta".into(),
                index: 0,
                delta: ContentBlockDeltaDelta {
                    type_: "text_delta".into(),
                    text: text.into(),
                },
            }),
        };
        let first = futures_util::stream::iter([word("Nile, ")]);
        // The rest comes only after a pause: the first must be sent before it.
        let rest = futures_util::stream::once(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            word("Amazon")
        });
        let stop = futures_util::stream::iter([Event {
            event: Some("message_stop".into()),
            id: None,
            retry: None,
            data: StreamEvent::MessageStop(MessageStop {
                type_: "message_stop".into(),
            }),
        }]);
        Ok(message_stream::operations::StreamMessage::event_stream(
            first.chain(rest).chain(stop),
        ))
    }
}

/// Credentials: none is a 401 with a challenge, a key the authenticator refuses a 403,
/// an accepted one reaches the handler with who the caller is; and the events a handler
/// streams reach the client one by one, the first before the last is written.
#[tokio::test]
async fn credentials_and_streamed_events() {
    use message_stream::models::{
        Message, MessageRequest, MessageRole, StreamEvent, StreamMessageAnthropicVersion,
    };
    use message_stream::operations::{StreamMessage, StreamMessageParams};
    let callers = Arc::new(Mutex::new(Vec::new()));
    let app = message_stream::server::App::new()
        .messages(Messages(callers.clone()))
        .authenticator(Keys);
    let base = serve(app.into_router()).await;
    let params = StreamMessageParams::new(StreamMessageAnthropicVersion::N20230601);
    let request = MessageRequest::new(
        "m",
        64,
        vec![Message::new(MessageRole::User, "Two rivers?")],
        true,
    );
    let (status, document) = raw(&base, |c, base| {
        c.post(format!("{base}/v1/messages"))
            .header("anthropic-version", "2023-06-01")
            .json_body(&serde_json::to_value(&request).unwrap())
    })
    .await;
    assert_eq!(status, 401, "{document}");
    let key = |key: &str| {
        Client::new(base.clone()).with_credentials(message_stream::auth::Credentials {
            api_key: Some(generated::runtime::ApiKey::new(key)),
        })
    };
    let refused = key("bad")
        .call::<StreamMessage>(&params, &request)
        .reply()
        .await
        .unwrap();
    assert_eq!(refused.status.as_u16(), 403);
    let reply = key("good")
        .call::<StreamMessage>(&params, &request)
        .events()
        .await
        .unwrap();
    let mut events = reply.value.unwrap();
    let start = std::time::Instant::now();
    let first = events.next().await.unwrap().unwrap();
    let first_at = start.elapsed();
    let mut text = match first.data {
        StreamEvent::ContentBlockDelta(delta) => delta.delta.text,
        other => panic!("{other:?}"),
    };
    while let Some(event) = events.next().await {
        if let StreamEvent::ContentBlockDelta(delta) = event.unwrap().data {
            text.push_str(&delta.delta.text);
        }
    }
    assert_eq!(text, "Nile, Amazon");
    assert!(
        first_at < Duration::from_millis(250),
        "the first event waited {first_at:?}"
    );
    assert_eq!(
        callers.lock().unwrap().clone(),
        [Some(Caller("good".into()))]
    );
}

/// Layers given to the app see which operation each request is for; operations of a
/// group given no handlers are a 501.
#[tokio::test]
async fn middleware_sees_the_operation_and_missing_handlers_are_501() {
    use generated::runtime::server::{tower, OperationService};
    #[derive(Clone)]
    struct Record(Arc<Mutex<Vec<String>>>);
    impl tower::Layer<OperationService> for Record {
        type Service = OperationService;
        fn layer(&self, inner: OperationService) -> OperationService {
            let seen = self.0.clone();
            OperationService::new(tower::service_fn(move |request: axum::extract::Request| {
                let info = request.extensions().get::<&'static Info>().copied();
                seen.lock()
                    .unwrap()
                    .push(info.map_or("none", |i| i.id).to_owned());
                let inner = inner.clone();
                async move { tower::ServiceExt::oneshot(inner, request).await }
            }))
        }
    }
    let ids = Arc::new(Mutex::new(Vec::new()));
    let base = serve(
        camunda_users::server::App::mock()
            .layer(Record(ids.clone()))
            .into_router(),
    )
    .await;
    let (status, _) = raw(&base, |c, base| {
        c.get(format!("{base}/users/jo"))
            .header("authorization", "Bearer t")
    })
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids.lock().unwrap().clone(), ["getUser"]);
    // `/users/search` takes only POST, but `search` is a username like any other: the
    // methods it lacks go to `/users/{username}`'s operations, and one neither has is a
    // 405 naming what both take.
    let (status, _) = raw(&base, |c, base| {
        c.get(format!("{base}/users/search"))
            .header("authorization", "Bearer t")
    })
    .await;
    assert_eq!(status, 200);
    assert_eq!(ids.lock().unwrap().clone(), ["getUser", "getUser"]);
    let (status, document) = raw(&base, |c, base| c.patch(format!("{base}/users/search"))).await;
    assert_eq!(status, 405, "{document}");
    assert_eq!(
        document["detail"],
        "The path takes POST, GET, PUT, DELETE, HEAD only."
    );
    let none = serve(
        camunda_users::server::App::new()
            .authenticator(AcceptAny)
            .into_router(),
    )
    .await;
    let (status, document) = raw(&none, |c, base| {
        c.get(format!("{base}/users/jo"))
            .header("authorization", "Bearer t")
    })
    .await;
    assert_eq!(status, 501, "{document}");
}
