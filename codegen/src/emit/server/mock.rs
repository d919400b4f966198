//! The `mock` module of a crate (its `mock` feature): `Mock`, an implementation of every
//! group's trait that answers each operation with its first documented success (or the
//! status a request asks for with `Prefer: code=…`), its bodies and headers from the
//! description's examples when their schema accepts them, else made from the schema;
//! and `App::mock()`, the server of them all.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::features::Gates;
use super::super::planned::FileBody;
use super::super::tokens::{ident, TypeRefs};
use super::{body_ty, params_ty, streams, success_ty};
use crate::model::{header_key, Api, Content, HeaderTy, Operation, Payload, Response, Status, Ty};
use crate::naming::{server_names, ServerNames};

/// The `mock.rs` file: an item per group (`Mock`'s implementation of its trait), then
/// `Mock` and `App::mock`.
pub fn mock_file(api: &Api, gates: Option<std::sync::Arc<Gates>>) -> FileBody<'_> {
    let names = std::sync::Arc::new(server_names(api));
    let allow_deprecated = super::super::tokens::allow_deprecated(api);
    // Only the groups' handlers name `runtime`: with no group compiled it is unused.
    let unused_without_groups = without_groups(&names, gates.is_some(), quote!(unused_imports));
    let prefix = quote! {
        //! A mock of the API (the `mock` feature): [`Mock`] answers every operation from the
        //! description's examples, or with values made from its schemas, and
        //! [`App::mock`](super::server::App::mock) serves it. A request asks for a status
        //! with `Prefer: code=404`; otherwise the first documented success is answered.
        #allow_deprecated
        #unused_without_groups
        use crate::runtime;
    };
    let groups = names.groups.len();
    FileBody::Items {
        prefix,
        count: groups + 1,
        item: Box::new(move |index| {
            let refs = TypeRefs {
                api,
                from_operations: true,
            };
            match names.groups.get(index) {
                Some((feature, name, _)) => {
                    let cfg = match gates {
                        Some(_) => quote!(#[cfg(feature = #feature)]),
                        None => TokenStream::new(),
                    };
                    let name = ident(name);
                    let methods = api
                        .operations
                        .iter()
                        .enumerate()
                        .filter(|(_, op)| op.group == *feature)
                        .map(|(at, op)| method(op, &names.handlers[at], &refs));
                    quote! {
                        #cfg
                        impl super::server::#name for Mock {
                            #(#methods)*
                        }
                    }
                }
                None => {
                    let serves = names.groups.iter().map(|(feature, _, method)| {
                        let method = ident(method);
                        let cfg = match gates {
                            Some(_) => quote!(#[cfg(feature = #feature)]),
                            None => TokenStream::new(),
                        };
                        quote! {
                            #cfg
                            {
                                app = app.#method(Mock);
                            }
                        }
                    });
                    let unused_without_groups_mut =
                        without_groups(&names, gates.is_some(), quote!(unused_mut));
                    quote! {
                        /// Answers every operation from the description's examples, or with
                        /// values made from its schemas: a request's parameters and body are
                        /// checked like any server's, a missing credential is a 401, and any
                        /// credential presented is accepted.
                        #[derive(Debug, Clone, Copy, Default)]
                        pub struct Mock;

                        impl super::server::App {
                            /// The server of [`Mock`], for every group of operations compiled.
                            pub fn mock() -> super::server::App {
                                #unused_without_groups_mut
                                let mut app = super::server::App::new();
                                #(#serves)*
                                app
                            }
                        }
                    }
                }
            }
        }),
        pointer: Box::new(|_| "#".to_owned()),
    }
}

/// `#[allow(lint)]` for a crate with no group compiled, where the groups' handlers are
/// all left out; nothing for a crate without groups.
fn without_groups(names: &ServerNames, gated: bool, lint: TokenStream) -> TokenStream {
    if !gated {
        return TokenStream::new();
    }
    let features = names.groups.iter().map(|(feature, _, _)| feature);
    quote!(#[cfg_attr(not(any(#(feature = #features),*)), allow(#lint))])
}

/// The code a mocked answer has, and whether it is a success: a range stands for its
/// first code, `default` for 200 as a success and 500 otherwise.
fn code_of(response: &Response, success: bool) -> u16 {
    match response.status {
        Status::Code(code) => code,
        Status::Range(hundreds) => hundreds * 100,
        Status::Default if success => 200,
        Status::Default => 500,
    }
}

/// `Mock`'s handler of `op`.
fn method(op: &Operation, handler: &str, refs: &TypeRefs) -> TokenStream {
    let name = ident(handler);
    let params = params_ty(op);
    let body = body_ty(op, refs);
    let success = success_ty(op);
    let errors = ident(&op.names.errors);
    let split = super::Split::of(op);
    let responses = ident(&op.names.responses);
    let streamed = streams(op).is_some();
    let mut answers: Vec<(u16, TokenStream)> = Vec::new();
    let success_responses = split.success.iter().copied().chain(split.default_success);
    for response in success_responses {
        let code = code_of(response, true);
        let value = variant(quote!(super::operations::#responses), response, op, refs);
        let value = if streamed {
            quote!(Ok(runtime::server::Streamed::Whole(#value)))
        } else {
            quote!(Ok(#value))
        };
        answers.push((code, value));
    }
    for response in split.errors.iter().copied().chain(split.default) {
        let code = code_of(response, false);
        if answers.iter().any(|(known, _)| *known == code) {
            continue;
        }
        let value = variant(quote!(super::operations::#errors), response, op, refs);
        answers.push((code, quote!(Err(#value))));
    }
    let (codes, arms): (Vec<Literal>, Vec<TokenStream>) = answers
        .iter()
        .skip(1)
        .map(|(code, value)| {
            let code = Literal::u16_unsuffixed(*code);
            (code.clone(), quote!(#code => #value,))
        })
        .unzip();
    let answer = match answers.first() {
        Some((first, value)) => {
            let first = Literal::u16_unsuffixed(*first);
            quote! {
                match runtime::server::mock::status(&request.parts, &[#first, #(#codes),*]) {
                    #(#arms)*
                    _ => #value,
                }
            }
        }
        // No documented response: an undocumented success (every operation has one
        // when it documents nothing).
        None => quote! {
            Ok(super::operations::#responses::Undocumented {
                status: http::StatusCode::NO_CONTENT,
                body: Vec::new(),
            })
        },
    };
    // Only a choice between answers reads the request (its `Prefer`).
    let request = if answers.len() > 1 {
        quote!(request)
    } else {
        quote!(_request)
    };
    let answer = if answers.len() == 1 {
        answers[0].1.clone()
    } else {
        answer
    };
    quote! {
        fn #name(
            &self,
            #request: runtime::server::Request<#params, #body>,
        ) -> impl std::future::Future<Output = Result<#success, super::operations::#errors>> + Send {
            std::future::ready(#answer)
        }
    }
}

/// The value of `response`'s variant of the enum at `path`.
fn variant(path: TokenStream, response: &Response, op: &Operation, refs: &TypeRefs) -> TokenStream {
    let name = ident(&response.variant);
    let body = response
        .contents
        .first()
        .map(|first| match &response.choice {
            None => content_value(first, response, op, refs),
            Some(choice) => {
                let choice = ident(choice);
                let variant = ident(&first.variant);
                let value = content_value(first, response, op, refs);
                quote!(super::operations::#choice::#variant(#value))
            }
        });
    if response.headers.is_empty() && !super::carries_status(response) {
        return match body {
            Some(body) => quote!(#path::#name(#body)),
            None => quote!(#path::#name),
        };
    }
    let mut fields = Vec::new();
    if super::carries_status(response) {
        let code = Literal::u16_unsuffixed(code_of(response, response.is_success()));
        fields.push(quote!(status: runtime::server::mock::status_code(#code)));
    }
    if let Some(body) = body {
        fields.push(quote!(body: #body));
    }
    for header in &response.headers {
        let field = ident(&header.name);
        let value = match &header.ty {
            HeaderTy::Enum { name, values } => {
                let name = ident(name);
                let first = values.variants.first().map_or("", |v| v.wire.as_str());
                quote!(super::operations::#name::from(#first))
            }
            HeaderTy::Scalar(_) => {
                let key = header_key(&op.pointer, response.status, &header.wire);
                let rule = rule(refs.api, &key);
                quote!(runtime::server::mock::value(&super::rules::RULES, #rule, &[]))
            }
        };
        let value = if header.required {
            value
        } else {
            quote!(Some(#value))
        };
        fields.push(quote!(#field: #value));
    }
    quote!(#path::#name { #(#fields),* })
}

/// `Some(rule)` of the schema at `key`, or `None`.
fn rule(api: &Api, key: &str) -> TokenStream {
    match api.rules.by_pointer.get(key) {
        Some(rule) => {
            let rule = Literal::u32_unsuffixed(u32::try_from(*rule).unwrap_or(0));
            quote!(Some(#rule))
        }
        None => quote!(None),
    }
}

/// The mocked value of a body of `content`.
fn content_value(
    content: &Content,
    response: &Response,
    op: &Operation,
    refs: &TypeRefs,
) -> TokenStream {
    let rules = &refs.api.rules;
    let examples: Vec<&String> = content
        .media
        .as_ref()
        .and_then(|media| rules.examples.get(media))
        .or_else(|| {
            content.media_types.iter().find_map(|media_type| {
                rules
                    .examples
                    .get(&header_key(&op.pointer, response.status, media_type))
            })
        })
        .map(|examples| examples.iter().collect())
        .unwrap_or_default();
    let rule = content
        .schema
        .as_ref()
        .map_or_else(|| quote!(None), |schema| rule(refs.api, schema));
    match &content.payload {
        Payload::Empty => quote!(()),
        Payload::Json(_) => {
            quote!(runtime::server::mock::value(&super::rules::RULES, #rule, &[#(#examples),*]))
        }
        Payload::Text | Payload::Form(_) => quote!(runtime::server::mock::text(&[#(#examples),*])),
        Payload::Binary => quote!(runtime::server::mock::bytes(&[#(#examples),*])),
        Payload::Events(ty) => {
            let data = if *ty == Ty::String {
                quote!(runtime::server::mock::text(&[]))
            } else {
                quote!(runtime::server::mock::value(&super::rules::RULES, #rule, &[]))
            };
            quote! {
                vec![runtime::events::Event { event: None, id: None, retry: None, data: #data }]
            }
        }
    }
}
