//! The server side of a crate (its `server` feature): the `server` module, with one trait
//! per group of operations whose methods take each operation's `{Op}Params` and body and
//! return its `{Op}Responses` or `{Op}Errors`, the `App` that builds an `axum::Router`
//! from the handlers it is given, and per operation the code that reads a request as the
//! description says (each parameter by its style, the body by its media type, all
//! through the runtime's `server` module) and writes the handler's answer back; the
//! `rules` module, the constraints of the schemas as data ([`rules`]); and the `mock`
//! module, an implementation of every trait from examples and made values ([`mock`]).

mod mock;
mod rules;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub use mock::mock_file;
pub use rules::rules_file;

use super::docs::{code, doc_attrs, own_doc_attrs};
use super::features::{self, Gates};
use super::planned::FileBody;
use super::request::{form_field, param_style, part, security};
use super::responses::{carries_status, Split};
use super::tokens::{ident, TypeRefs};
use crate::model::{Api, Content, Location, Operation, Payload, Response, Status, Ty};
use crate::naming::{server_names, ServerNames};

/// The `server.rs` file: an item per operation (the function that serves it), then the
/// traits, `App` and the table of operations.
pub fn server_file(api: &Api, gates: Option<std::sync::Arc<Gates>>) -> FileBody<'_> {
    let names = std::sync::Arc::new(server_names(api));
    let allow_deprecated = super::tokens::allow_deprecated(api);
    let prefix = quote! {
        //! Serving the API (the `server` feature): a trait per group of operations, whose
        //! methods take each operation's parameters and body as its client sends them and
        //! return its documented responses, and [`App`], which serves the handlers it is
        //! given as an `axum::Router`. Requests are read and checked as the description
        //! says before a handler sees them; see `docs/server.md` of the generator.
        #allow_deprecated
        use crate::runtime;
    };
    let count = api.operations.len();
    let item_names = names.clone();
    FileBody::Items {
        prefix,
        count: count + 1,
        item: Box::new(move |index| {
            let refs = TypeRefs {
                api,
                from_operations: true,
            };
            match api.operations.get(index) {
                Some(op) => {
                    let cfg = features::of_operation(gates.as_deref(), op);
                    let group = item_names
                        .groups
                        .iter()
                        .find(|(feature, _, _)| *feature == op.group)
                        .map_or("App", |(_, name, _)| name.as_str());
                    serve_fn(
                        op,
                        (item_names.handlers[index].as_str(), group),
                        index,
                        &refs,
                        &cfg,
                    )
                }
                None => app(api, &item_names, gates.as_deref(), &refs),
            }
        }),
        pointer: Box::new(move |index| match api.operations.get(index) {
            Some(op) => op.pointer.clone(),
            None => "#".to_owned(),
        }),
    }
}

/// What a handler of `op` is called with: its parameters and its body.
fn params_ty(op: &Operation) -> TokenStream {
    if op.params.is_empty() {
        quote!(())
    } else {
        let name = ident(&op.names.params);
        quote!(super::operations::#name)
    }
}

/// The body type a handler receives: the client's, but bytes as an `Upload` stream when
/// they are the operation's only media type.
fn body_ty(op: &Operation, refs: &TypeRefs) -> TokenStream {
    if is_upload(op) {
        let required = op.body.as_ref().is_some_and(|b| b.required);
        return if required {
            quote!(runtime::server::Upload)
        } else {
            quote!(Option<runtime::server::Upload>)
        };
    }
    let ty = super::request::body_ty(op, refs);
    // Enums of the operations module are named from there.
    match op.body.as_ref().and_then(|b| b.choice.as_ref()) {
        Some(choice) => {
            let choice = ident(choice);
            let required = op.body.as_ref().is_some_and(|b| b.required);
            if required {
                quote!(super::operations::#choice)
            } else {
                quote!(Option<super::operations::#choice>)
            }
        }
        None => ty,
    }
}

/// Whether `op`'s body is bytes alone: handed to its handler as a stream.
fn is_upload(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|body| {
        body.choice.is_none()
            && matches!(
                body.contents.first().map(|c| &c.payload),
                Some(Payload::Binary)
            )
    })
}

/// The success of `op` may stream: a success documents server-sent events or bytes.
fn streams(op: &Operation) -> Option<(&Response, &Content)> {
    op.responses
        .iter()
        .filter(|r| r.is_success())
        .find_map(|r| {
            r.contents
                .iter()
                .find(|c| matches!(c.payload, Payload::Events(_) | Payload::Binary))
                .map(|c| (r, c))
        })
}

/// What a handler of `op` returns on success.
fn success_ty(op: &Operation) -> TokenStream {
    let responses = ident(&op.names.responses);
    if streams(op).is_some() {
        quote!(runtime::server::Streamed<super::operations::#responses>)
    } else {
        quote!(super::operations::#responses)
    }
}

/// The trait method of `op`.
fn handler_signature(op: &Operation, handler: &str, refs: &TypeRefs) -> TokenStream {
    let mut doc = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        let part = part.trim();
        if !part.is_empty() && !doc.contains(part) {
            doc.push_str(part);
            doc.push_str("\n\n");
        }
    }
    doc.push_str(&code(&format!("{} {}", op.method, op.path)));
    let doc = doc_attrs(&doc);
    let own = own_doc_attrs(&format!(
        "\nServes [`{0}`](super::operations::{0}).",
        op.names.marker
    ));
    let name = ident(handler);
    let params = params_ty(op);
    let body = body_ty(op, refs);
    let success = success_ty(op);
    let errors = ident(&op.names.errors);
    quote! {
        #doc
        #own
        fn #name(
            &self,
            request: runtime::server::Request<#params, #body>,
        ) -> impl std::future::Future<Output = Result<#success, super::operations::#errors>> + Send;
    }
}

/// `runtime::server::Param` of `param`: where it is, how it is written, its rule.
fn described_param(param: &crate::model::Param, api: &Api) -> TokenStream {
    let wire = &param.wire;
    let place = ident(match param.location {
        Location::Path => "Path",
        Location::Query => "Query",
        Location::Header => "Header",
        Location::Cookie => "Cookie",
    });
    let style = param_style(param);
    let rule = rule_of(api, Some(&param.pointer));
    quote! {
        runtime::server::Param {
            name: #wire,
            place: runtime::server::Place::#place,
            style: #style,
            rule: #rule,
        }
    }
}

/// The function that serves `op` with the handlers `service`: reads the parameters and
/// the body (every violation kept), calls the handler, writes its answer.
fn serve_fn(
    op: &Operation,
    (handler, group): (&str, &str),
    index: usize,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let api = refs.api;
    let name = ident(handler);
    let group = ident(group);
    let mut reads = Vec::new();
    let mut locals = Vec::new();
    let mut fields = Vec::new();
    for (at, param) in op.params.iter().enumerate() {
        let local = quote::format_ident!("p{}", at);
        let ty = refs.ty(&param.ty);
        let read = if param.required {
            quote!(param)
        } else {
            quote!(optional)
        };
        let described = described_param(param, api);
        reads.push(quote! {
            let #local = incoming.#read::<#ty>(#described);
        });
        let field = ident(&param.name);
        fields.push(quote!(#field: #local));
        locals.push(local);
    }
    let has_body = op
        .body
        .as_ref()
        .is_some_and(|b| b.contents.iter().any(|c| c.payload != Payload::Empty));
    if has_body {
        reads.push(read_body(op, refs));
        locals.push(quote::format_ident!("b"));
    }
    let check = match locals.len() {
        0 => TokenStream::new(),
        1 => {
            let local = &locals[0];
            quote! {
                let Some(#local) = #local else {
                    return incoming.refused();
                };
            }
        }
        _ => quote! {
            let (#(Some(#locals)),*) = (#(#locals),*) else {
                return incoming.refused();
            };
        },
    };
    let params = if op.params.is_empty() {
        quote!(())
    } else {
        let params = ident(&op.names.params);
        quote!(super::operations::#params { #(#fields),* })
    };
    let body = if has_body { quote!(b) } else { quote!(()) };
    let reply = reply_match(op, refs);
    let index = Literal::usize_unsuffixed(index);
    let doc = own_doc_attrs(&format!(
        "Serves [`{0}`](super::operations::{0}) (`OPERATIONS[{index}]`) with `service`.",
        op.names.marker
    ));
    let streams = stream_constructors(op, refs, cfg);
    quote! {
        #cfg
        #doc
        async fn #name<S: #group + ?Sized>(
            service: &S,
            mut incoming: runtime::server::Incoming,
        ) -> runtime::server::Reply {
            #(#reads)*
            #check
            let answer = service.#name(incoming.request(#params, #body)).await;
            let r = incoming.reply(&answer);
            #reply
        }

        #streams
    }
}

/// The rule of the schema at `pointer` in the crate's table; rule 0 (anything) when it
/// has none.
fn rule_of(api: &Api, pointer: Option<&String>) -> Literal {
    let rule = pointer
        .and_then(|p| api.rules.by_pointer.get(p))
        .copied()
        .unwrap_or(0);
    Literal::usize_unsuffixed(rule)
}

/// `let b = …;`: the body, by the request's media type when several are offered; `None`
/// when it breaks the description.
fn read_body(op: &Operation, refs: &TypeRefs) -> TokenStream {
    let Some(body) = &op.body else {
        return TokenStream::new();
    };
    let required = body.required;
    let Some(choice) = &body.choice else {
        let Some(content) = body.contents.first() else {
            return quote!(let b = Some(()););
        };
        let read = read_content(content, refs, true);
        return if required {
            quote!(let b = #read;)
        } else {
            quote! {
                let b = if incoming.has_body() { #read.map(Some) } else { Some(None) };
            }
        };
    };
    let choice = ident(choice);
    let media: Vec<&str> = body
        .contents
        .iter()
        .map(|c| c.media_types[0].as_str())
        .collect();
    let arms = body.contents.iter().enumerate().map(|(at, content)| {
        let at = Literal::usize_unsuffixed(at);
        let variant = ident(&content.variant);
        let read = read_content(content, refs, false);
        if required {
            quote!(Some(#at) => #read.map(super::operations::#choice::#variant),)
        } else {
            quote!(Some(#at) => #read.map(|b| Some(super::operations::#choice::#variant(b))),)
        }
    });
    let absent = if required {
        quote!(_ => {
            incoming.missing_body();
            None
        })
    } else {
        quote!(_ => Some(None),)
    };
    quote! {
        let b = match incoming.media(&[#(#media),*]) {
            #(#arms)*
            #absent
        };
    }
}

/// The expression that reads a body of `content`: `Option` of its type. Bytes are a
/// stream when `alone`, else read whole.
fn read_content(content: &Content, refs: &TypeRefs, alone: bool) -> TokenStream {
    let rule = rule_of(refs.api, content.schema.as_ref());
    match &content.payload {
        Payload::Empty => quote!(Some(())),
        Payload::Json(ty) => {
            let ty = refs.ty(ty);
            quote!(incoming.json::<#ty>(#rule).await)
        }
        Payload::Form(ty) => {
            let ty = refs.ty(ty);
            let parts = content.encoding.iter().map(part);
            let multipart = quote!(incoming.multipart::<#ty>(#rule, &[#(#parts),*]).await);
            let fields = content.encoding.iter().map(form_field);
            let form = quote!(incoming.form::<#ty>(#rule, &[#(#fields),*]).await);
            let is_multipart =
                |media: &String| media.to_ascii_lowercase().starts_with("multipart/");
            match content.media_types.iter().position(is_multipart) {
                Some(0) if content.media_types.len() == 1 => multipart,
                None => form,
                // A form either kind may carry (Swagger 2.0 without `consumes`): by the
                // request's `Content-Type`.
                Some(at) => {
                    let at = Literal::usize_unsuffixed(at);
                    let media = content.media_types.iter().map(String::as_str);
                    quote! {
                        if incoming.media(&[#(#media),*]) == Some(#at) { #multipart } else { #form }
                    }
                }
            }
        }
        Payload::Text | Payload::Events(_) => quote!(incoming.text().await),
        Payload::Binary if alone => quote!(incoming.upload()),
        Payload::Binary => quote!(incoming.bytes().await),
    }
}

/// The `match` that writes the handler's `answer` into the reply `r`: a status per
/// variant, its documented headers, its body in the media type `Accept` prefers.
fn reply_match(op: &Operation, refs: &TypeRefs) -> TokenStream {
    let split = Split::of(op);
    let responses = ident(&op.names.responses);
    let errors = ident(&op.names.errors);
    let streamed = streams(op).is_some();
    let mut arms = Vec::new();
    let wrap_ok = |pattern: TokenStream| {
        if streamed {
            quote!(Ok(runtime::server::Streamed::Whole(#pattern)))
        } else {
            quote!(Ok(#pattern))
        }
    };
    let success = split.success.iter().copied().chain(split.default_success);
    for response in success {
        let (pattern, write) = variant_reply(quote!(super::operations::#responses), response, refs);
        let pattern = wrap_ok(pattern);
        arms.push(quote!(#pattern => #write,));
    }
    if split.undocumented_success {
        let pattern = wrap_ok(quote!(super::operations::#responses::Undocumented { status, body }));
        arms.push(quote!(#pattern => r.raw(status, body),));
    }
    if streamed {
        arms.push(quote!(Ok(runtime::server::Streamed::Stream(stream)) => r.streamed(stream),));
    }
    for response in split.errors.iter().copied().chain(split.default) {
        let (pattern, write) = variant_reply(quote!(super::operations::#errors), response, refs);
        arms.push(quote!(Err(#pattern) => #write,));
    }
    if split.undocumented_error {
        arms.push(quote!(Err(super::operations::#errors::Undocumented { status, body }) => r.raw(status, body),));
    }
    quote!(match answer { #(#arms)* })
}

/// The pattern of `response`'s variant in the enum at `path`, and the expression that
/// writes it into `r`.
fn variant_reply(
    path: TokenStream,
    response: &Response,
    refs: &TypeRefs,
) -> (TokenStream, TokenStream) {
    let name = ident(&response.variant);
    let has_body = !response.contents.is_empty();
    let mut write = match response.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(r.status(#code))
        }
        _ => quote!(r.status_code(status)),
    };
    let mut bindings = Vec::new();
    if carries_status(response) {
        bindings.push(quote!(status));
    }
    for (at, header) in response.headers.iter().enumerate() {
        let field = ident(&header.name);
        let local = quote::format_ident!("h{}", at);
        let wire = &header.wire;
        bindings.push(quote!(#field: #local));
        write.extend(quote!(.header(#wire, &#local)));
    }
    if has_body {
        bindings.push(quote!(body: b));
    }
    let pattern = if response.headers.is_empty() && !carries_status(response) {
        if has_body {
            quote!(#path::#name(b))
        } else {
            quote!(#path::#name)
        }
    } else {
        quote!(#path::#name { #(#bindings),* })
    };
    if !has_body {
        return (pattern, write);
    }
    let write = match &response.choice {
        None => {
            let content = &response.contents[0];
            let body = write_content(content, quote!(b));
            quote!(#write #body)
        }
        Some(choice) => {
            let choice = ident(choice);
            let arms = response.contents.iter().map(|content| {
                let variant = ident(&content.variant);
                let body = write_content(content, quote!(v));
                quote!(super::operations::#choice::#variant(v) => r #body,)
            });
            quote! {{
                let r = #write;
                match b { #(#arms)* }
            }}
        }
    };
    let _ = refs;
    (pattern, write)
}

/// `.json(&[…], &value)` and the like: the call that writes a body of `content`.
fn write_content(content: &Content, value: TokenStream) -> TokenStream {
    let media: Vec<&str> = content.media_types.iter().map(String::as_str).collect();
    match &content.payload {
        Payload::Empty => TokenStream::new(),
        Payload::Json(_) => quote!(.json(&[#(#media),*], &#value)),
        Payload::Text | Payload::Form(_) => quote!(.text(&[#(#media),*], &#value)),
        Payload::Binary => quote!(.bytes(&[#(#media),*], &#value)),
        Payload::Events(ty) => {
            let text = *ty == Ty::String;
            quote!(.events(&[#(#media),*], &#value, #text))
        }
    }
}

/// `event_stream` and `byte_stream` on the marker of an operation whose success may
/// stream: the stream a handler answers with, written as it comes.
fn stream_constructors(op: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> TokenStream {
    let Some((response, content)) = streams(op) else {
        return TokenStream::new();
    };
    let marker = ident(&op.names.marker);
    let responses = ident(&op.names.responses);
    let code = match response.status {
        Status::Code(code) => code,
        Status::Range(hundreds) => hundreds * 100,
        Status::Default => 200,
    };
    let code = Literal::u16_unsuffixed(code);
    let media = content.media_types[0].as_str();
    let method = match &content.payload {
        Payload::Events(ty) => {
            let data = refs.ty(ty);
            let text = *ty == Ty::String;
            let doc = own_doc_attrs(&format!(
                "The answer of [`{0}`](super::operations::{0}) as a stream of server-sent\n\
                 events, each written (and so sent) as `events` yields it.",
                op.names.marker
            ));
            quote! {
                #doc
                pub fn event_stream(
                    events: impl runtime::server::futures_core::Stream<Item = runtime::events::Event<#data>> + Send + 'static,
                ) -> runtime::server::Streamed<super::operations::#responses> {
                    runtime::server::Streamed::Stream(runtime::server::Stream::events(#code, #media, events, #text))
                }
            }
        }
        _ => {
            let doc = own_doc_attrs(&format!(
                "The answer of [`{0}`](super::operations::{0}) as bytes, each chunk sent\n\
                 as `chunks` yields it; an error ends the answer early.",
                op.names.marker
            ));
            quote! {
                #doc
                pub fn byte_stream<S, E>(chunks: S) -> runtime::server::Streamed<super::operations::#responses>
                where
                    S: runtime::server::futures_core::Stream<Item = Result<runtime::server::bytes::Bytes, E>> + Send + 'static,
                    E: Into<Box<dyn std::error::Error + Send + Sync>>,
                {
                    runtime::server::Streamed::Stream(runtime::server::Stream::bytes(#code, #media, chunks))
                }
            }
        }
    };
    quote! {
        #cfg
        impl super::operations::#marker {
            #method
        }
    }
}

/// The traits, `App` and the table of operations.
fn app(api: &Api, names: &ServerNames, gates: Option<&Gates>, refs: &TypeRefs) -> TokenStream {
    let traits = names.groups.iter().map(|(feature, name, _)| {
        let name = ident(name);
        let ops: Vec<(usize, &Operation)> = api
            .operations
            .iter()
            .enumerate()
            .filter(|(_, op)| op.group == *feature)
            .collect();
        let cfg = group_cfg(gates, feature);
        let what = api
            .groups
            .iter()
            .find(|g| g.feature == *feature)
            .map_or(String::new(), |g| g.doc.clone());
        // The group's doc is a sentence of its own, its full stop this one's.
        let what = what.trim_end().trim_end_matches('.');
        let doc = own_doc_attrs(&format!(
            "The handlers of the operations of the group `{feature}`: {what}.\n\n\
             [`App::{}`] serves them; each method gets the operation's parameters and body as\n\
             its description says (checked before the method is called) and returns one of\n\
             its documented responses.",
            names
                .groups
                .iter()
                .find(|(f, _, _)| f == feature)
                .map_or("new", |(_, _, method)| method.as_str())
        ));
        let methods = ops
            .iter()
            .map(|(index, op)| handler_signature(op, &names.handlers[*index], refs));
        quote! {
            #cfg
            #doc
            pub trait #name: Send + Sync + 'static {
                #(#methods)*
            }
        }
    });
    let servers = names.groups.iter().map(|(feature, name, method)| {
        let trait_name = ident(name);
        let method = ident(method);
        let cfg = group_cfg(gates, feature);
        let serves = api
            .operations
            .iter()
            .enumerate()
            .filter(|(_, op)| op.group == *feature)
            .map(|(index, _)| {
                let handler = ident(&names.handlers[index]);
                let index = Literal::usize_unsuffixed(index);
                quote! {
                    let handlers = service.clone();
                    self.routes.serve(#index, move |incoming| {
                        let handlers = handlers.clone();
                        async move { #handler(&*handlers, incoming).await }
                    });
                }
            });
        let doc = own_doc_attrs(&format!(
            "Serves the operations of the group `{feature}` with `handlers`."
        ));
        quote! {
            #cfg
            #doc
            pub fn #method(mut self, handlers: impl #trait_name) -> App {
                let service = std::sync::Arc::new(handlers);
                #(#serves)*
                self
            }
        }
    });
    let infos = api.operations.iter().map(|op| info(op, api));
    let count = Literal::usize_unsuffixed(api.operations.len());
    quote! {
        #(#traits)*

        /// The server of the API: give it the handlers of each group of operations, then
        /// turn it into an `axum::Router` with [`App::into_router`]. The operations of a
        /// group given no handlers are answered with a 501, each with a problem document
        /// naming it.
        pub struct App {
            routes: runtime::server::Routes,
        }

        impl Default for App {
            fn default() -> Self {
                App::new()
            }
        }

        impl std::fmt::Debug for App {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.routes.fmt(f)
            }
        }

        impl App {
            /// A server with no handlers yet: every operation answers 501.
            pub fn new() -> App {
                App {
                    routes: runtime::server::Routes::new(&OPERATIONS, super::rules::RULES),
                }
            }

            #(#servers)*

            /// Judges the credentials of requests with `authenticator`; without one, any
            /// credentials presented are accepted (missing ones are a 401 all the same).
            pub fn authenticator(mut self, authenticator: impl runtime::server::Authenticator) -> App {
                self.routes.authenticator(authenticator);
                self
            }

            /// Shows `observer` what each handler receives and answers.
            pub fn observer(mut self, observer: impl runtime::server::Observer) -> App {
                self.routes.observer(observer);
                self
            }

            /// Refuses bodies longer than `bytes` with a 413 (16 MiB by default).
            pub fn body_limit(mut self, bytes: usize) -> App {
                self.routes.body_limit(bytes);
                self
            }

            /// Wraps each operation's service in `layer`, which sees the operation's
            /// `runtime::server::Info` among the request's extensions.
            pub fn layer<L>(mut self, layer: L) -> App
            where
                L: runtime::server::tower::Layer<runtime::server::OperationService> + Send + Sync + 'static,
                L::Service: runtime::server::tower::Service<
                        runtime::server::axum::extract::Request,
                        Response = runtime::server::axum::response::Response,
                        Error = std::convert::Infallible,
                    > + Clone
                    + Send
                    + Sync
                    + 'static,
                <L::Service as runtime::server::tower::Service<runtime::server::axum::extract::Request>>::Future: Send + 'static,
            {
                self.routes.layer(layer);
                self
            }

            /// The router: a route per path of the description.
            pub fn into_router(self) -> runtime::server::axum::Router {
                self.routes.into_router()
            }
        }

        /// Every operation of the API, as middleware sees it (a request extension).
        pub static OPERATIONS: [runtime::server::Info; #count] = [#(#infos),*];
    }
}

/// The `cfg` of a group's items, when the crate has features.
fn group_cfg(gates: Option<&Gates>, feature: &str) -> TokenStream {
    match gates {
        Some(_) => quote!(#[cfg(feature = #feature)]),
        None => TokenStream::new(),
    }
}

/// The `runtime::server::Info` of `op`.
fn info(op: &Operation, api: &Api) -> TokenStream {
    let id = &op.id;
    let group = &op.group;
    let method = ident(op.method.as_str());
    let path = &op.path;
    let pieces = op.template.iter().map(|part| match part {
        crate::model::PathPart::Literal(text) => quote!(runtime::server::Piece::Literal(#text)),
        crate::model::PathPart::Param(index) => {
            let wire = &op.params[*index].wire;
            quote!(runtime::server::Piece::Param(#wire))
        }
        crate::model::PathPart::Query(pair) => quote!(runtime::server::Piece::Query(#pair)),
        crate::model::PathPart::QueryParam(index) => {
            let wire = &op.params[*index].wire;
            quote!(runtime::server::Piece::QueryParam(#wire))
        }
    });
    let security = security(op, api);
    let mut consumes: Vec<&str> = Vec::new();
    for content in op.body.iter().flat_map(|b| &b.contents) {
        for media in &content.media_types {
            if !consumes.contains(&media.as_str()) {
                consumes.push(media);
            }
        }
    }
    let mut produces: Vec<&str> = Vec::new();
    for content in op.responses.iter().flat_map(|r| &r.contents) {
        for media in &content.media_types {
            if !produces.contains(&media.as_str()) {
                produces.push(media);
            }
        }
    }
    let responses = op.responses.iter().map(|response| {
        let status = match response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(runtime::server::Status::Code(#code))
            }
            Status::Range(hundreds) => {
                let hundreds = Literal::u16_unsuffixed(hundreds);
                quote!(runtime::server::Status::Range(#hundreds))
            }
            Status::Default => quote!(runtime::server::Status::Default),
        };
        let media: Vec<&str> = response
            .contents
            .iter()
            .flat_map(|c| &c.media_types)
            .map(String::as_str)
            .collect();
        let json = response
            .contents
            .iter()
            .find(|c| matches!(c.payload, Payload::Json(_)));
        let rule = match json
            .and_then(|c| c.schema.as_ref())
            .and_then(|p| api.rules.by_pointer.get(p))
        {
            Some(rule) => {
                let rule = Literal::usize_unsuffixed(*rule);
                quote!(Some(#rule))
            }
            None => quote!(None),
        };
        quote! {
            runtime::server::Documented { status: #status, media_types: &[#(#media),*], rule: #rule }
        }
    });
    let query: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| p.wire.as_str())
        .collect();
    let path_params = op
        .params
        .iter()
        .filter(|p| p.location == Location::Path)
        .map(|p| described_param(p, api));
    quote! {
        runtime::server::Info {
            id: #id,
            group: #group,
            method: http::Method::#method,
            path: #path,
            template: &[#(#pieces),*],
            security: #security,
            consumes: &[#(#consumes),*],
            produces: &[#(#produces),*],
            responses: &[#(#responses),*],
            query: &[#(#query),*],
            path_params: &[#(#path_params),*],
        }
    }
}
