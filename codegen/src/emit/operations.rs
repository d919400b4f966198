//! The `operations` module: per operation a marker type implementing
//! `runtime::Operation`, its parameters, and `{Op}Responses`/`{Op}Errors` with one variant
//! per documented status, decoded from the status code alone.

use proc_macro2::TokenStream;
use quote::quote;

use super::construct::{self, Fill, Member};
use super::docs::{code, doc_attrs, own_doc_attrs};
use super::features::{self, Gates};
use super::planned::FileBody;
use super::tokens::{complexity_allow, ident, TypeRefs};
use super::{pages, request, responses};
use crate::model::{Api, Location, Operation, Param, Payload, Retries, Ty};

/// The `operations.rs` file: the operations, then the webhooks.
pub fn operations_file(api: &Api, gates: Option<std::sync::Arc<Gates>>) -> FileBody<'_> {
    let allow_deprecated = super::tokens::allow_deprecated(api);
    let mut prefix = quote! {
        //! One marker type per operation, with its parameters, success and error responses.
        #allow_deprecated
    };
    // Webhooks only name payload types; the runtime is needed once an operation exists.
    if !api.operations.is_empty() {
        // With features, no operation may be compiled, and then nothing uses it.
        let allow = gates.as_ref().map(|_| quote!(#[allow(unused_imports)]));
        prefix.extend(quote!(
            #allow
            use crate::runtime;
        ));
    }
    let operations = api.operations.len();
    FileBody::Items {
        prefix,
        count: operations + api.webhooks.len(),
        item: Box::new(move |index| {
            let refs = TypeRefs {
                api,
                from_operations: true,
            };
            match index.checked_sub(operations) {
                None => {
                    let op = &api.operations[index];
                    operation(op, &refs, &features::of_operation(gates.as_deref(), op))
                }
                Some(hook) => {
                    let hook = &api.webhooks[hook];
                    webhook(hook, &refs, &features::of_operation(gates.as_deref(), hook))
                        .unwrap_or_default()
                }
            }
        }),
        pointer: Box::new(move |index| match index.checked_sub(operations) {
            None => api.operations[index].pointer.clone(),
            Some(hook) => api.webhooks[hook].pointer.clone(),
        }),
    }
}

/// The start of an operation's doc: its summary, then its description unless that only
/// repeats the summary, each followed by a blank line.
pub(super) fn summary_and_description(op: &Operation) -> String {
    let mut doc = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        let part = part.trim();
        if !part.is_empty() && !doc.contains(part) {
            doc.push_str(part);
            doc.push_str("\n\n");
        }
    }
    doc
}

/// A webhook (OpenAPI 3.1): a request the API sends, so what a receiver needs is the
/// type of its payload.
fn webhook(hook: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> Option<TokenStream> {
    let payload = match &hook.body.as_ref()?.contents.first()?.payload {
        Payload::Empty => return None,
        payload => request::payload_ty(payload, refs),
    };
    let name = ident(&hook.names.marker);
    let mut doc = summary_and_description(hook);
    doc.push_str(&format!(
        "The payload of the {} webhook ({}).",
        code(&hook.path),
        code(hook.method.as_str())
    ));
    let doc = doc_attrs(&doc);
    let deprecated = hook.deprecated.then(|| quote!(#[deprecated]));
    Some(quote! { #cfg #doc #deprecated pub type #name = #payload; })
}

fn operation(op: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> TokenStream {
    let name = ident(&op.names.marker);
    let params_name = ident(&op.names.params);
    let responses_name = ident(&op.names.responses);
    let errors_name = ident(&op.names.errors);

    let mut doc = summary_and_description(op);
    doc.push_str(&code(&format!("{} {}", op.method, op.path)));
    let doc = doc_attrs(&doc);
    let pages_doc = pages::doc(op).map(|text| own_doc_attrs(&format!("\n{text}")));
    let events_doc = responses::event_data_ty(op).map(|_| {
        own_doc_attrs(
            "\nIts success is a stream of server-sent events, each one's data read by its\n\
             [`EventStream`](crate::runtime::events::EventStream).",
        )
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let method = ident(op.method.as_str());
    let path = &op.path;
    let id = &op.id;
    let params_ty = if op.params.is_empty() {
        quote!(())
    } else {
        quote!(#params_name)
    };
    let body_ty = request::body_ty(op, refs);
    let params = (!op.params.is_empty()).then(|| params_struct(op, &params_name, refs, cfg));
    let security = request::security(op, refs.api);
    let write = request::write(op);
    let decode = responses::decode(op);
    let body_enum = request::body_enum(op, refs, cfg);
    let enums = responses::enums(op, refs, cfg);
    let paginated = pages::paginated(op, refs, cfg);
    let retries = op.retries.as_ref().map(retries);
    let event_stream = responses::event_stream(op, refs, cfg);
    quote! {
        #cfg
        #doc
        #pages_doc
        #events_doc
        #deprecated
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #name;

        #cfg
        impl runtime::Operation for #name {
            const METHOD: http::Method = http::Method::#method;
            const PATH: &'static str = #path;
            const ID: &'static str = #id;
            const SECURITY: runtime::Security = #security;
            type Params = #params_ty;
            type Body = #body_ty;
            type Responses = #responses_name;
            type Errors = #errors_name;
            #retries

            #write
            #decode
        }

        #paginated
        #event_stream
        #params
        #body_enum
        #enums
    }
}

/// `const RETRIES`: the retries the description asks for, as a `runtime::retry::Policy`.
fn retries(retries: &Retries) -> TokenStream {
    let Retries {
        attempts,
        initial_ms,
        max_ms,
        exponent,
        statuses,
        connection_errors,
    } = retries;
    if *attempts <= 1 {
        return quote! {
            const RETRIES: Option<fn() -> runtime::retry::Policy> = Some(runtime::retry::Policy::none);
        };
    }
    use proc_macro2::Literal;
    let exponent = Literal::f64_unsuffixed(*exponent);
    let (attempts, initial_ms, max_ms) = (
        Literal::u32_unsuffixed(*attempts),
        Literal::u64_unsuffixed(*initial_ms),
        Literal::u64_unsuffixed(*max_ms),
    );
    let statuses = statuses.iter().map(|(low, high)| {
        let (low, high) = (
            Literal::u16_unsuffixed(*low),
            Literal::u16_unsuffixed(*high),
        );
        quote!(#low..=#high)
    });
    quote! {
        const RETRIES: Option<fn() -> runtime::retry::Policy> = Some(|| runtime::retry::Policy {
            max_attempts: #attempts,
            initial_backoff: std::time::Duration::from_millis(#initial_ms),
            max_backoff: std::time::Duration::from_millis(#max_ms),
            multiplier: #exponent,
            statuses: Vec::from([#(#statuses),*]),
            connection_errors: #connection_errors,
            any_method: false,
        });
    }
}

fn params_struct(
    op: &Operation,
    name: &syn::Ident,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> TokenStream {
    let doc = own_doc_attrs(&format!("Parameters of [`{}`].", op.names.marker));
    let fields = op.params.iter().map(|p| param_field(p, refs));
    let members: Vec<Member> = op
        .params
        .iter()
        .map(|param| Member {
            name: ident(&param.name),
            fill: if param.required {
                Fill::Argument(refs.ty(&param.ty))
            } else {
                Fill::Empty(quote!(None))
            },
        })
        .collect();
    let default = construct::derives_default(&members).then(|| quote!(Default,));
    let constructor = construct::constructor(name, &members, cfg);
    quote! {
        #cfg
        #doc
        #[derive(Debug, Clone, #default)]
        pub struct #name { #(#fields)* }

        #constructor
    }
}

fn param_field(param: &Param, refs: &TypeRefs) -> TokenStream {
    let wire = &param.wire;
    let place = match param.location {
        Location::Path => format!("Sent in the path as {}.", code(&format!("{{{wire}}}"))),
        Location::Query => format!("Sent as the query parameter {}.", code(wire)),
        Location::Header => format!("Sent as the header {}.", code(wire)),
        Location::Cookie => format!("Sent as the cookie {}.", code(wire)),
    };
    let mut doc = param
        .doc
        .clone()
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    doc.push_str(&place);
    // How the value is serialized, where it is not the location's default.
    // Path styles (label, matrix) change scalars too; elsewhere only lists and objects.
    let structured = matches!(param.ty, Ty::List(_) | Ty::Map(_) | Ty::Named(_))
        || param.location == Location::Path;
    if structured && !param.has_default_style() {
        let explode = if param.explode {
            "exploded"
        } else {
            "not exploded"
        };
        doc.push_str(&format!(
            " Style {}, {explode}.",
            code(param.style.as_str())
        ));
    }
    let doc = doc_attrs(&doc);
    let deprecated = param.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&param.name);
    let ty = refs.ty(&param.ty);
    let ty = if param.required {
        ty
    } else {
        quote!(Option<#ty>)
    };
    let complex = complexity_allow(&param.ty, u32::from(!param.required));
    quote! { #doc #deprecated #complex pub #name: #ty, }
}
