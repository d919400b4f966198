//! Routing: the operations of a description as an `axum::Router`. Each operation is a
//! route of its path template and method, served by the generated code the handler's
//! group was given, or, when its group was given none, refused with an explicit 501. A
//! path the description does not have is a 404, a method it does not list for a path a
//! 405 with `Allow`. Every request is checked before its handler runs: an `Accept`
//! nothing documented satisfies is a 406, a body of a media type the operation does not
//! take a 415, missing credentials a 401, refused ones a 403, and any broken constraint
//! a 400 naming each. The operation's [`Info`] is a request extension, so middleware
//! knows which operation it sees.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};
use http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use tower::util::BoxCloneSyncService;
use tower::ServiceExt as _;

use super::super::auth::Security;
use super::auth::{authorize, AcceptAny, Authenticator};
use super::incoming::{media_index, Incoming};
use super::params::{form_decode, match_path, Param, Piece, Source};
use super::problem::{fitted, Refusal};
use super::reply::{essence, is_json, Accept, Reply};
use super::rules::Rules;

/// An operation as middleware and handlers see it: a request extension on every request
/// routed to it.
#[derive(Debug)]
pub struct Info {
    /// The `operationId`.
    pub id: &'static str,
    /// The group (and cargo feature) it is in.
    pub group: &'static str,
    /// Its method.
    pub method: http::Method,
    /// Its path template, as the description writes it.
    pub path: &'static str,
    /// The template in pieces, literals percent-encoded as a request writes them.
    pub template: &'static [Piece],
    /// The credentials it needs.
    pub security: Security,
    /// The media types its body may have; none when it takes no body.
    pub consumes: &'static [&'static str],
    /// Every media type its responses document.
    pub produces: &'static [&'static str],
    /// Its documented responses: what a refusal is written in when the description
    /// documents the status.
    pub responses: &'static [Documented],
    /// The names of its query parameters.
    pub query: &'static [&'static str],
    /// Its path parameters: a path that also matches a more concrete template reaches
    /// this operation only when their values fit.
    pub path_params: &'static [Param],
}

/// A documented response of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Documented {
    /// The status it stands for.
    pub status: Status,
    /// Its media types; none without a body.
    pub media_types: &'static [&'static str],
    /// The rule of its JSON body, in the crate's table.
    pub rule: Option<u32>,
}

/// The statuses a documented response stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// One code.
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

impl Info {
    /// The documented response for `status`: its code, else its range, else `default`.
    pub fn documented(&self, status: u16) -> Option<&Documented> {
        let find = |wanted: Status| self.responses.iter().find(|r| r.status == wanted);
        find(Status::Code(status))
            .or_else(|| find(Status::Range(status / 100)))
            .or_else(|| find(Status::Default))
    }
}

/// Sees what each handler receives and answers, as `Debug` text: a log of typed requests,
/// or, in tests, a check that what a client sent is what the handler got.
pub trait Observer: Send + Sync + 'static {
    /// The parameters and body a handler of `operation` is called with.
    fn received(&self, operation: &'static Info, params: &dyn fmt::Debug, body: &dyn fmt::Debug);
    /// What it answered.
    fn answered(&self, operation: &'static Info, answer: &dyn fmt::Debug);
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type Serve = Arc<dyn Fn(Incoming) -> BoxFuture<Reply> + Send + Sync>;

/// The service of one operation, as layers given to [`Routes::layer`] wrap it.
pub type OperationService = BoxCloneSyncService<axum::extract::Request, Response, Infallible>;

type Wrap = Arc<dyn Fn(OperationService) -> OperationService + Send + Sync>;

/// What every operation's service shares.
struct Shared {
    rules: Rules,
    authenticator: Arc<dyn Authenticator>,
    observer: Option<Arc<dyn Observer>>,
    limit: usize,
}

/// The operations of a description and the handlers given so far: what a generated
/// `Server` builds its router from.
pub struct Routes {
    operations: &'static [Info],
    served: Vec<Option<Serve>>,
    shared: Shared,
    layers: Vec<Wrap>,
}

impl fmt::Debug for Routes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let served: Vec<&str> = self
            .operations
            .iter()
            .zip(&self.served)
            .filter(|(_, serve)| serve.is_some())
            .map(|(info, _)| info.id)
            .collect();
        f.debug_struct("Routes")
            .field("served", &served)
            .field("limit", &self.shared.limit)
            .finish_non_exhaustive()
    }
}

/// How long a body may be unless the server says otherwise: 16 MiB.
pub const BODY_LIMIT: usize = 16 << 20;

impl Routes {
    /// The operations of a description, none served yet, checked by `rules`.
    pub fn new(operations: &'static [Info], rules: Rules) -> Routes {
        Routes {
            operations,
            served: vec![None; operations.len()],
            shared: Shared {
                rules,
                authenticator: Arc::new(AcceptAny),
                observer: None,
                limit: BODY_LIMIT,
            },
            layers: Vec::new(),
        }
    }

    /// Serves the operation at `index` of the table with `serve`.
    pub fn serve<F, Fut>(&mut self, index: usize, serve: F)
    where
        F: Fn(Incoming) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        if let Some(slot) = self.served.get_mut(index) {
            *slot = Some(Arc::new(move |incoming| Box::pin(serve(incoming))));
        }
    }

    /// Judges credentials with `authenticator` (by default, any presented is accepted).
    pub fn authenticator(&mut self, authenticator: impl Authenticator) {
        self.shared.authenticator = Arc::new(authenticator);
    }

    /// Shows `observer` what each handler receives and answers.
    pub fn observer(&mut self, observer: impl Observer) {
        self.shared.observer = Some(Arc::new(observer));
    }

    /// Refuses bodies longer than `bytes` with a 413.
    pub fn body_limit(&mut self, bytes: usize) {
        self.shared.limit = bytes;
    }

    /// Wraps every operation's service in `layer`, inside the routing: the layer sees
    /// the operation's [`Info`] among the request's extensions.
    pub fn layer<L>(&mut self, layer: L)
    where
        L: tower::Layer<OperationService> + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request, Response = Response, Error = Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.layers.push(Arc::new(move |service| {
            BoxCloneSyncService::new(layer.layer(service))
        }));
    }

    /// The router: a route per path template, each operation's method served (or
    /// refused with a 501 when its group has no handler), 405 for the others, 404 for
    /// any other path.
    pub fn into_router(mut self) -> axum::Router {
        let rules = self.shared.rules;
        let shared = Arc::new(std::mem::replace(
            &mut self.shared,
            Shared {
                rules,
                authenticator: Arc::new(AcceptAny),
                observer: None,
                limit: BODY_LIMIT,
            },
        ));
        let services: Vec<(&'static Info, OperationService)> = self
            .operations
            .iter()
            .enumerate()
            .map(|(index, info)| (info, self.service(index, info, &shared)))
            .collect();
        let mut by_route: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, info) in self.operations.iter().enumerate() {
            by_route
                .entry(route_of(info.template))
                .or_default()
                .push(index);
        }
        // A path is first the most concrete template it has, as OpenAPI matches paths (and
        // axum routes); a method that template lacks goes to a less concrete one that has
        // it and whose parameters the path's values fit (`DELETE /deployments/{id}/{kind}`
        // under `GET /deployments/{id}/elasticsearch`), and is a 405 only when none has.
        let mut all = services.clone();
        all.sort_by_key(|(info, _)| std::cmp::Reverse(literal_len(info.template)));
        let all = Arc::new(all);
        let mut router = axum::Router::new();
        for (route, indexes) in by_route {
            let mut methods: Vec<&http::Method> = Vec::new();
            let mut method_router: MethodRouter = MethodRouter::new();
            for &index in &indexes {
                let method = &self.operations[index].method;
                if methods.contains(&method) {
                    continue;
                }
                let Ok(filter) = MethodFilter::try_from(method.clone()) else {
                    continue;
                };
                methods.push(method);
                let same: Vec<(&'static Info, OperationService)> = indexes
                    .iter()
                    .filter(|i| self.operations[**i].method == *method)
                    .map(|i| services[*i].clone())
                    .collect();
                let service = match <[_; 1]>::try_from(same) {
                    Ok([(_, service)]) => service,
                    Err(same) => dispatch(same),
                };
                method_router = method_router.on_service(filter, service);
            }
            method_router = method_router.fallback_service(anywhere(all.clone(), rules));
            router = router.route(&route, method_router);
        }
        router.fallback_service(anywhere(all, rules))
    }

    /// The service of the operation at `index`: its handler's, or a 501; wrapped in the
    /// layers, with the operation's [`Info`] put on each request first.
    fn service(&self, index: usize, info: &'static Info, shared: &Arc<Shared>) -> OperationService {
        let serve = self.served.get(index).cloned().flatten();
        let shared = shared.clone();
        let endpoint = tower::service_fn(move |request: axum::extract::Request| {
            let serve = serve.clone();
            let shared = shared.clone();
            async move { Ok::<_, Infallible>(endpoint(info, serve, shared, request).await) }
        });
        let mut service = BoxCloneSyncService::new(endpoint);
        for wrap in &self.layers {
            service = wrap(service);
        }
        BoxCloneSyncService::new(
            service.map_request(move |mut request: axum::extract::Request| {
                request.extensions_mut().insert(info);
                request
            }),
        )
    }
}

/// The service of the operation whose template the path has and whose method the
/// request's is, among `all` (the most concrete first); else a 405 with the methods of
/// the templates the path has, or a 404 when it has none. Where the path's values fit
/// some of those templates' parameters (`/users/search` and `/users/{username}`, but not
/// `/jobs/{jobKey}` of digits), only those count.
fn anywhere(all: Arc<Vec<(&'static Info, OperationService)>>, rules: Rules) -> OperationService {
    BoxCloneSyncService::new(tower::service_fn(move |request: axum::extract::Request| {
        let all = all.clone();
        async move {
            let path = request.uri().path().to_owned();
            let matching: Vec<(&(&'static Info, OperationService), _)> = all
                .iter()
                .filter_map(|entry| Some((entry, match_path(entry.0.template, &path)?)))
                .collect();
            // A template fits when the values fit any of its operations; its every
            // method then counts, as one resource's (a method whose own parameters
            // the values break is served, and refuses them by name, rather than
            // being left out of `Allow`).
            let fitting_templates: Vec<&str> = matching
                .iter()
                .filter(|((info, _), found)| values_fit(info, &rules, request.uri(), found))
                .map(|((info, _), _)| info.path)
                .collect();
            let fitting: Vec<&(&'static Info, OperationService)> = matching
                .iter()
                .filter(|((info, _), _)| fitting_templates.contains(&info.path))
                .map(|(entry, _)| *entry)
                .collect();
            let candidates = if fitting.is_empty() {
                matching.into_iter().map(|(entry, _)| entry).collect()
            } else {
                fitting
            };
            let method = request.method().clone();
            let served = candidates.iter().find(|(info, _)| {
                info.method == method
                    || (method == http::Method::HEAD && info.method == http::Method::GET)
            });
            if let Some((_, service)) = served {
                return service.clone().oneshot(request).await;
            }
            if candidates.is_empty() {
                let refusal = Refusal::new(
                    http::StatusCode::NOT_FOUND,
                    "No operation of the API has this path.",
                );
                return Ok(plain(&refusal, &path));
            }
            let mut allow: Vec<&str> = Vec::new();
            for (info, _) in &candidates {
                if !allow.contains(&info.method.as_str()) {
                    allow.push(info.method.as_str());
                }
            }
            if allow.contains(&"GET") && !allow.contains(&"HEAD") {
                allow.push("HEAD");
            }
            let allow = allow.join(", ");
            let refusal = Refusal::new(
                http::StatusCode::METHOD_NOT_ALLOWED,
                format!("The path takes {allow} only."),
            )
            .with_header(ALLOW, allow);
            Ok(plain(&refusal, &path))
        }
    }))
}

/// Whether the values `found` in the path for the path parameters of `info` fit their
/// rules.
fn values_fit(
    info: &Info,
    rules: &Rules,
    uri: &http::Uri,
    found: &[(&'static str, String)],
) -> bool {
    let mut source = Source::new(uri, http::HeaderMap::new());
    source.path = found.to_vec();
    let mut violations = Vec::new();
    info.path_params.iter().all(|param| {
        super::params::read(rules, param, &source, &mut violations).is_some()
            && violations.is_empty()
    })
}

/// The service of several operations on one route and method (`/files/{name}.json` and
/// `/files/{name}.xml` share `/files/{p0}`): the first whose template the path has.
/// Operations whose path keys carry a query (`/rest?method=…`, `/alerts?lat={lat}`)
/// share a route too: the one whose pairs and parameters the request's query all has,
/// those with the most tried first.
fn dispatch(mut services: Vec<(&'static Info, OperationService)>) -> OperationService {
    let fixed = |info: &Info| {
        info.template
            .iter()
            .filter(|piece| matches!(piece, Piece::Query(_) | Piece::QueryParam(_)))
            .count()
    };
    services.sort_by_key(|(info, _)| std::cmp::Reverse(fixed(info)));
    let services = Arc::new(services);
    BoxCloneSyncService::new(tower::service_fn(move |request: axum::extract::Request| {
        let services = services.clone();
        async move {
            let path = request.uri().path().to_owned();
            let query: Vec<String> = request
                .uri()
                .query()
                .unwrap_or_default()
                .split('&')
                .map(form_decode)
                .collect();
            let has_pairs = |info: &Info| {
                info.template.iter().all(|piece| match piece {
                    Piece::Query(pair) => query.contains(&form_decode(pair)),
                    Piece::QueryParam(name) => query.iter().any(|pair| {
                        pair.split_once('=').map_or(pair.as_str(), |(key, _)| key) == *name
                    }),
                    _ => true,
                })
            };
            let chosen = services
                .iter()
                .find(|(info, _)| match_path(info.template, &path).is_some() && has_pairs(info))
                .or_else(|| {
                    services
                        .iter()
                        .find(|(info, _)| match_path(info.template, &path).is_some())
                })
                .or_else(|| services.first());
            match chosen {
                Some((_, service)) => service.clone().oneshot(request).await,
                None => Ok(plain(
                    &Refusal::new(http::StatusCode::NOT_FOUND, "No operation has this path."),
                    &path,
                )),
            }
        }
    }))
}

/// How concrete a template is: the length of its literal text, which a path must hold
/// as it is.
fn literal_len(template: &[Piece]) -> usize {
    template
        .iter()
        .map(|piece| match piece {
            Piece::Literal(literal) => literal.len(),
            _ => 0,
        })
        .sum()
}

/// The route axum matches for a template: each segment with a parameter in it captured
/// whole (`{p0}`), so templates that differ in parameter names or mix literals into a
/// segment (`{name}.json`, `{id}:cancel`) are routes axum can hold; the template itself
/// then finds the parameters in the segment.
pub fn route_of(template: &[Piece]) -> String {
    let mut text = String::new();
    for piece in template {
        match piece {
            Piece::Literal(literal) => text.push_str(literal),
            // A character no literal holds once percent-encoded.
            Piece::Param(_) => text.push('\u{0}'),
            Piece::Query(_) | Piece::QueryParam(_) => {}
        }
    }
    let mut route = String::new();
    let mut count = 0;
    for (at, segment) in text.split('/').enumerate() {
        if at > 0 {
            route.push('/');
        }
        if segment.contains('\u{0}') {
            route.push_str(&format!("{{p{count}}}"));
            count += 1;
        } else {
            route.push_str(&segment.replace('{', "{{").replace('}', "}}"));
        }
    }
    if !route.starts_with('/') {
        route.insert(0, '/');
    }
    route
}

/// Everything between routing and the handler, then the answer written.
async fn endpoint(
    info: &'static Info,
    serve: Option<Serve>,
    shared: Arc<Shared>,
    request: axum::extract::Request,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let accept = Accept::of(&parts.headers);
    let refuse = |refusal: Refusal| respond_refusal(info, &shared.rules, &refusal, &accept, &path);
    let Some(serve) = serve else {
        return refuse(Refusal::new(
            http::StatusCode::NOT_IMPLEMENTED,
            format!(
                "The server serves no handler for `{}` (its group `{}` was given none).",
                info.id, info.group
            ),
        ));
    };
    if !info.produces.is_empty() && accept.choose(info.produces).is_none() {
        return refuse(Refusal::new(
            http::StatusCode::NOT_ACCEPTABLE,
            format!(
                "The operation answers in {} only.",
                info.produces.join(", ")
            ),
        ));
    }
    let has_body = has_body(&parts.headers);
    if has_body && !info.consumes.is_empty() {
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(essence);
        let known = content_type
            .as_deref()
            .is_some_and(|content_type| media_index(info.consumes, content_type).is_some());
        if !known {
            return refuse(Refusal::new(
                http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "The operation takes a body of {} only.",
                    info.consumes.join(", ")
                ),
            ));
        }
    }
    let Some(found) = match_path(info.template, &path) else {
        return refuse(Refusal::new(
            http::StatusCode::NOT_FOUND,
            "No operation of the API has this path.",
        ));
    };
    let mut source = Source::new(&parts.uri, parts.headers.clone());
    source.path = found;
    source.declared_query = info.query;
    if let Err(refusal) = authorize(
        info,
        shared.authenticator.as_ref(),
        &source,
        &mut parts.extensions,
    )
    .await
    {
        return refuse(refusal);
    }
    let incoming = Incoming {
        info,
        rules: shared.rules,
        source,
        parts: Some(parts),
        body: Some(body),
        limit: shared.limit,
        violations: Vec::new(),
        accept: accept.clone(),
        observer: shared.observer.clone(),
        has_body,
        too_large: false,
    };
    let reply = match (CatchUnwind(serve(incoming))).await {
        Ok(reply) => reply,
        Err(why) => {
            return refuse(Refusal::new(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("The handler of `{}` panicked: {why}", info.id),
            ))
        }
    };
    if let Some(refusal) = &reply.refusal {
        return respond_refusal(info, &shared.rules, refusal, &accept, &path);
    }
    if let Some(failure) = &reply.failure {
        return refuse(Refusal::new(
            http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("The answer of `{}` cannot be written: {failure}", info.id),
        ));
    }
    let mut response = Response::new(reply.body);
    *response.status_mut() = reply.status;
    *response.headers_mut() = reply.headers;
    response
}

/// Whether a request has a body: a length above 0, or chunks (RFC 9112, 6.3), or a
/// `Content-Type` under which zero bytes are a value (an empty text, form or byte
/// string). Without any of these a request's body is absent, whatever a JSON or
/// multipart `Content-Type` says: zero bytes are neither a JSON value nor a multipart
/// body, so an optional body of those sent empty is read as left out.
fn has_body(headers: &http::HeaderMap) -> bool {
    let length = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok());
    match length {
        Some(length) if length > 0 => true,
        None if headers.contains_key(http::header::TRANSFER_ENCODING) => true,
        _ => headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|media_type| {
                !is_json(media_type) && !essence(media_type).starts_with("multipart/")
            }),
    }
}

/// A refusal as the operation documents its status when it does (a 400 also as its
/// documented 422), in the documented schema when the problem document fits it; else as
/// a plain problem document.
fn respond_refusal(
    info: &Info,
    rules: &Rules,
    refusal: &Refusal,
    accept: &Accept,
    path: &str,
) -> Response {
    let mut code = refusal.status.as_u16();
    // A path whose values break their schema names no resource: a 404, where the
    // operation documents one.
    let in_path = !refusal.violations.is_empty()
        && refusal
            .violations
            .iter()
            .all(|violation| violation.place == super::problem::Place::Path);
    if code == 400 && in_path && info.responses.iter().any(|r| r.status == Status::Code(404)) {
        code = 404;
    }
    let own = info
        .responses
        .iter()
        .find(|r| r.status == Status::Code(code));
    let documented = match (own, code) {
        (Some(own), _) => Some((code, own)),
        (None, 400) => info
            .responses
            .iter()
            .find(|r| r.status == Status::Code(422))
            .map(|r| (422, r))
            .or_else(|| info.documented(400).map(|r| (400, r))),
        (None, _) => info.documented(code).map(|r| (code, r)),
    };
    let Some((code, documented)) = documented else {
        return plain(refusal, path);
    };
    let status = http::StatusCode::from_u16(code).unwrap_or(refusal.status);
    let refusal = &Refusal {
        status,
        ..refusal.clone()
    };
    let document = refusal.document(path);
    if documented.media_types.is_empty() {
        let mut response = Response::new(axum::body::Body::empty());
        *response.status_mut() = status;
        add_headers(&mut response, refusal);
        return response;
    }
    let json: Vec<&str> = documented
        .media_types
        .iter()
        .copied()
        .filter(|media| is_json(media) || *media == "*/*")
        .collect();
    let body = documented
        .rule
        .and_then(|rule| fitted(rules, rule, &document));
    let (Some(body), false) = (body, json.is_empty()) else {
        return plain(refusal, path);
    };
    let media = json
        .iter()
        .copied()
        .find(|media| essence(media) == "application/problem+json" && accept.quality(media) > 0.0)
        .or_else(|| accept.choose(&json))
        .unwrap_or(json[0]);
    let media = if media == "*/*" {
        "application/problem+json"
    } else {
        media
    };
    let mut response = Response::new(axum::body::Body::from(body.to_string()));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(media) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    add_headers(&mut response, refusal);
    response
}

/// A refusal as a plain `application/problem+json` document.
fn plain(refusal: &Refusal, path: &str) -> Response {
    let mut response = Response::new(axum::body::Body::from(refusal.document(path).to_string()));
    *response.status_mut() = refusal.status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    add_headers(&mut response, refusal);
    response
}

fn add_headers(response: &mut Response, refusal: &Refusal) {
    for (name, value) in &refusal.headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().append(name.clone(), value);
        }
    }
}

/// A future whose panic is caught and given as an error: a handler that panics is
/// answered with a 500, and the connection lives on.
struct CatchUnwind(BoxFuture<Reply>);

impl Future for CatchUnwind {
    type Output = Result<Reply, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(Poll::Ready(reply)) => Poll::Ready(Ok(reply)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => {
                let why = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_owned());
                Poll::Ready(Err(why))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_body;

    fn headers(pairs: &[(&'static str, &'static str)]) -> http::HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    http::HeaderName::from_static(name),
                    http::HeaderValue::from_static(value),
                )
            })
            .collect()
    }

    #[test]
    fn zero_bytes_are_a_body_where_they_are_a_value() {
        assert!(has_body(&headers(&[("content-length", "2")])));
        assert!(has_body(&headers(&[("transfer-encoding", "chunked")])));
        assert!(!has_body(&headers(&[("content-length", "0")])));
        assert!(!has_body(&headers(&[])));
        // An empty text, form or byte string is a value a required body may be.
        for media_type in [
            "text/plain; charset=utf-8",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
        ] {
            assert!(
                has_body(&headers(&[
                    ("content-length", "0"),
                    ("content-type", media_type)
                ])),
                "{media_type}"
            );
        }
        // Zero bytes are no JSON value and no multipart body: left out.
        for media_type in [
            "application/json",
            "application/problem+json",
            "multipart/form-data; boundary=x",
        ] {
            assert!(
                !has_body(&headers(&[
                    ("content-length", "0"),
                    ("content-type", media_type)
                ])),
                "{media_type}"
            );
        }
    }
}
