//! Arbitrary requests to generated routers: the mocks of every description of `specs/`
//! (the workspace's `generated` crate, `server` and `mock` features). The bytes pick a
//! router, a method, and a path (one of the description's templates with its parameters
//! made of the bytes, or the bytes themselves), a query, headers and a body, each of any
//! bytes HTTP can carry. What must hold:
//!
//! - no panic, anywhere: in routing, in reading parameters and bodies, in the checks, in
//!   the mock (a panic in a handler is caught and answered with a 500 naming it, which
//!   counts as a crash here too);
//! - always an HTTP answer with a status, and a refusal (4xx) with a problem document or
//!   the documented body of its status.
#![no_main]

use std::sync::OnceLock;

use generated::runtime::server::axum::body::Body;
use generated::runtime::server::axum::Router;
use generated::runtime::server::tower::ServiceExt as _;
use generated::runtime::server::{Info, Piece};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Each description's router and its operations.
fn routers() -> &'static [(Router, &'static [Info])] {
    static ROUTERS: OnceLock<Vec<(Router, &'static [Info])>> = OnceLock::new();
    ROUTERS.get_or_init(|| {
        use generated::*;
        vec![
            (camunda_users::server::App::mock().into_router(), &camunda_users::server::OPERATIONS[..]),
            (elastic_users::server::App::mock().into_router(), &elastic_users::server::OPERATIONS[..]),
            (github_issues::server::App::mock().into_router(), &github_issues::server::OPERATIONS[..]),
            (inventory::server::App::mock().into_router(), &inventory::server::OPERATIONS[..]),
            (message_stream::server::App::mock().into_router(), &message_stream::server::OPERATIONS[..]),
            (stripe_customers::server::App::mock().into_router(), &stripe_customers::server::OPERATIONS[..]),
        ]
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"];

/// Text that matters in a URI: reserved characters, escapes whole and broken, dot
/// segments, non-ASCII.
const PIECES: &[&str] = &[
    "a", "0", "-1", "1.5", "true", "%", "%2", "%2F", "%2e%2E", "..", ".", "/", "?", "#", "&",
    "=", "+", ",", ";", "[", "]", "%00", "%FF", "%C3%A9", "é", " ", "*", "{x}", ":",
];

fn text(u: &mut Unstructured) -> Result<String> {
    let mut out = String::new();
    for _ in 0..u.int_in_range(0..=6)? {
        if u.arbitrary()? {
            out.push_str(u.choose(PIECES)?);
        } else {
            out.push_str(u.arbitrary::<&str>()?);
        }
    }
    Ok(out)
}

/// A path: one of the templates with each parameter made of the bytes, or any text.
fn path(u: &mut Unstructured, operations: &[Info]) -> Result<String> {
    if operations.is_empty() || u.ratio(1, 8)? {
        return Ok(format!("/{}", text(u)?));
    }
    let info = u.choose(operations)?;
    let mut path = String::new();
    let mut query = Vec::new();
    for piece in info.template {
        match piece {
            Piece::Literal(literal) => path.push_str(literal),
            Piece::Param(_) => path.push_str(&text(u)?),
            Piece::Query(pair) => query.push(*pair),
            Piece::QueryParam(_) => {}
        }
    }
    if !query.is_empty() {
        path.push('?');
        path.push_str(&query.join("&"));
    }
    Ok(path)
}

fn request(u: &mut Unstructured) -> Result<Option<(usize, http::Request<Body>)>> {
    let index = u.choose_index(routers().len())?;
    let operations = routers()[index].1;
    let method = if u.ratio(1, 10)? {
        u.arbitrary::<&str>()?.to_owned()
    } else {
        (*u.choose(METHODS)?).to_owned()
    };
    let mut uri = path(u, operations)?;
    if u.arbitrary()? {
        uri.push(if uri.contains('?') { '&' } else { '?' });
        for _ in 0..u.int_in_range(0..=5)? {
            uri.push_str(&text(u)?);
            uri.push('=');
            uri.push_str(&text(u)?);
            uri.push('&');
        }
    }
    let mut builder = http::Request::builder().method(method.as_str()).uri(uri.as_str());
    const NAMES: &[&str] = &[
        "accept",
        "content-type",
        "authorization",
        "cookie",
        "content-length",
        "x-request-id",
        "anthropic-version",
        "x-api-key",
        "prefer",
        "x-github-api-version",
    ];
    const VALUES: &[&str] = &[
        "application/json",
        "application/problem+json",
        "text/event-stream",
        "multipart/form-data; boundary=b",
        "application/x-www-form-urlencoded",
        "text/html",
        "*/*",
        "Bearer t",
        "Basic dTpw",
        "ApiKey k",
        "code=404",
        "session=abcd",
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    ];
    for _ in 0..u.int_in_range(0..=6)? {
        let name = u.choose(NAMES)?;
        let value = if u.arbitrary()? {
            (*u.choose(VALUES)?).to_owned()
        } else {
            text(u)?
        };
        builder = builder.header(*name, value);
    }
    let body: Vec<u8> = if u.arbitrary()? {
        let mut body = Vec::new();
        for _ in 0..u.int_in_range(0..=8)? {
            body.extend_from_slice(
                u.choose(&[
                    &b"{"[..], b"}", b"[", b"]", b"\"", b",", b":", b"null", b"1", b"\"a\"",
                    b"--b\r\n", b"Content-Disposition: form-data; name=\"x\"\r\n\r\n", b"--b--",
                    b"a=b&", b"\xff",
                ])?,
            );
        }
        body
    } else {
        u.arbitrary::<&[u8]>()?.to_vec()
    };
    match builder.body(Body::from(body)) {
        Ok(request) => Ok(Some((index, request))),
        Err(_) => Ok(None),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(Some((index, request))) = request(&mut u) else {
        return;
    };
    let router = routers()[index].0.clone();
    let response = runtime()
        .block_on(router.oneshot(request))
        .unwrap_or_else(|never| match never {});
    let status = response.status();
    assert!((100..600).contains(&status.as_u16()));
    if status.as_u16() == 500 {
        let body = runtime()
            .block_on(generated::runtime::server::axum::body::to_bytes(
                response.into_body(),
                1 << 20,
            ))
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("panicked"), "a handler panicked: {text}");
    }
});
