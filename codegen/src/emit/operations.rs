//! The `operations` module: per operation a marker type implementing
//! `runtime::Operation`, its parameters, and `{Op}Responses`/`{Op}Errors` with one variant
//! per documented status, decoded from the status code alone.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc_attrs, own_doc_attrs};
use super::models::string_enum;
use super::{ident, render_module, Cost, Failed, TypeRefs};
use crate::model::{
    Api, Header, HeaderTy, Location, Operation, Param, Payload, Response, Status, Ty,
};

/// The `operations.rs` file, under `header`: the operations, then the webhooks.
pub fn operations_file(api: &Api, header: &str) -> Result<(String, Cost), Failed> {
    let mut prefix = quote! {
        //! One marker type per operation, with its parameters, success and error responses.
        #![allow(
            deprecated,
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            clippy::type_complexity
        )]
    };
    // Webhooks only name payload types; the runtime is needed once an operation exists.
    if !api.operations.is_empty() {
        prefix.extend(quote!(
            use crate::runtime;
        ));
    }
    let refs = TypeRefs {
        api,
        from_operations: true,
    };
    let operations = api.operations.len();
    let count = operations + api.webhooks.len();
    render_module(
        header,
        prefix,
        count,
        &|index| match index.checked_sub(operations) {
            None => operation(&api.operations[index], &refs),
            Some(hook) => webhook(&api.webhooks[hook], &refs).unwrap_or_default(),
        },
        &|index| match index.checked_sub(operations) {
            None => api.operations[index].pointer.clone(),
            Some(hook) => api.webhooks[hook].pointer.clone(),
        },
    )
}

/// The start of an operation's doc: its summary, then its description unless that only
/// repeats the summary, each followed by a blank line.
fn summary_and_description(op: &Operation) -> String {
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
fn webhook(hook: &Operation, refs: &TypeRefs) -> Option<TokenStream> {
    let payload = match &hook.body.as_ref()?.payload {
        Payload::Empty => return None,
        payload => payload_ty(payload, refs),
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
    Some(quote! { #doc #deprecated pub type #name = #payload; })
}

fn operation(op: &Operation, refs: &TypeRefs) -> TokenStream {
    let name = ident(&op.names.marker);
    let params_name = ident(&op.names.params);
    let responses_name = ident(&op.names.responses);
    let errors_name = ident(&op.names.errors);

    let mut doc = summary_and_description(op);
    doc.push_str(&code(&format!("{} {}", op.method, op.path)));
    let doc = doc_attrs(&doc);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let method = ident(op.method.as_str());
    let path = &op.path;
    let id = &op.id;
    let params_ty = if op.params.is_empty() {
        quote!(())
    } else {
        quote!(#params_name)
    };
    let body_ty = match op.body.as_ref().map(|b| &b.payload) {
        None | Some(Payload::Empty) => quote!(()),
        Some(payload) => payload_ty(payload, refs),
    };
    let params = (!op.params.is_empty()).then(|| params_struct(op, &params_name, refs));

    let (success, errors): (Vec<&Response>, Vec<&Response>) =
        op.responses.iter().partition(|r| r.is_success());
    let default = op.responses.iter().find(|r| r.status == Status::Default);
    // `default` stands for every status not listed; for success too when none is listed.
    let default_success = default.filter(|_| success.is_empty());
    let undocumented = default.is_none();

    let success_variants = success
        .iter()
        .copied()
        .chain(default_success)
        .map(|r| variant(r, refs));
    let error_variants = errors.iter().map(|r| variant(r, refs));
    let undocumented_variant = undocumented.then(|| {
        quote! {
            /// A status the description does not document, with the body as received.
            Undocumented {
                /// The status of the response.
                status: http::StatusCode,
                /// The body of the response, unread.
                body: Vec<u8>,
            },
        }
    });

    // Inside `decode`, `R` and `E` name the two enums: short arms that fit on a line.
    let (success_alias, error_alias) = (ident("R"), ident("E"));
    let mut arms: Vec<TokenStream> = Vec::new();
    let mut uses_headers = false;
    let mut uses_body = undocumented;
    let ordered = success
        .iter()
        .chain(&errors)
        .filter(|r| r.status != Status::Default);
    for response in ordered {
        let (pattern, is_success) = match response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                (quote!(#code), response.is_success())
            }
            Status::Range(hundreds) => {
                let low = Literal::u16_unsuffixed(hundreds * 100);
                let high = Literal::u16_unsuffixed(hundreds * 100 + 99);
                (quote!(#low..=#high), response.is_success())
            }
            Status::Default => unreachable!("filtered above"),
        };
        let enum_name = if is_success {
            &success_alias
        } else {
            &error_alias
        };
        let value = construct(enum_name, response, &mut uses_headers, &mut uses_body);
        let wrapped = if is_success {
            quote!(Ok(#value))
        } else {
            quote!(Err(#value))
        };
        arms.push(quote!(#pattern => #wrapped,));
    }
    if let Some(response) = default_success {
        let value = construct(&success_alias, response, &mut uses_headers, &mut uses_body);
        arms.push(quote!(200..=299 => Ok(#value),));
    }
    // Whatever no arm above takes: `default`, else the undocumented fallback.
    let fallback = match default {
        Some(response) => {
            let value = construct(&error_alias, response, &mut uses_headers, &mut uses_body);
            quote!(Err(#value))
        }
        None => quote!(Err(E::Undocumented {
            status,
            body: body.to_vec()
        })),
    };
    // With nothing documented, the fallback alone needs no `match`.
    let decision = if arms.is_empty() {
        quote!(Ok(#fallback))
    } else {
        quote!(Ok(match status.as_u16() { #(#arms)* _ => #fallback }))
    };
    let use_success = (!success.is_empty() || default_success.is_some())
        .then(|| quote!(use #responses_name as R;));
    let headers_param = if uses_headers {
        quote!(headers)
    } else {
        quote!(_headers)
    };
    let body_param = if uses_body {
        quote!(body)
    } else {
        quote!(_body)
    };

    let display_arms = errors
        .iter()
        .map(|response| display_arm(response))
        .chain(undocumented.then(|| quote! {
            Self::Undocumented { status, .. } => write!(f, "{status}: a status the description does not document"),
        }));
    let header_enums = op
        .responses
        .iter()
        .flat_map(|r| &r.headers)
        .filter_map(|h| match &h.ty {
            HeaderTy::Enum { name, values } => {
                let own = own_doc_attrs(&format!(
                    "Values of the {} header of [`{}`].",
                    code(&h.wire),
                    op.names.marker
                ));
                let described = h.doc.as_deref().map(|d| {
                    let d = doc_attrs(d);
                    quote!(#[doc = ""] #d)
                });
                Some(string_enum(&ident(name), quote!(#own #described), values))
            }
            HeaderTy::Scalar(_) => None,
        });

    let responses_doc = own_doc_attrs(&format!(
        "Success responses of [`{}`], by status.",
        op.names.marker
    ));
    let errors_doc = own_doc_attrs(&format!(
        "Error responses of [`{}`], by status.",
        op.names.marker
    ));
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct #name;

        impl runtime::Operation for #name {
            const METHOD: http::Method = http::Method::#method;
            const PATH: &'static str = #path;
            const ID: &'static str = #id;
            type Params = #params_ty;
            type Body = #body_ty;
            type Responses = #responses_name;
            type Errors = #errors_name;

            fn decode(
                status: http::StatusCode,
                #headers_param: &http::HeaderMap,
                #body_param: &[u8],
            ) -> Result<Result<Self::Responses, Self::Errors>, runtime::DecodeError> {
                use #errors_name as E;
                #use_success
                #decision
            }
        }

        #params

        #responses_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #responses_name {
            #(#success_variants)*
        }

        #errors_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #errors_name {
            #(#error_variants)*
            #undocumented_variant
        }

        impl std::fmt::Display for #errors_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#display_arms)*
                }
            }
        }

        impl std::error::Error for #errors_name {}

        #(#header_enums)*
    }
}

fn params_struct(op: &Operation, name: &syn::Ident, refs: &TypeRefs) -> TokenStream {
    let doc = own_doc_attrs(&format!("Parameters of [`{}`].", op.names.marker));
    let fields = op.params.iter().map(|p| param_field(p, refs));
    let default = op
        .params
        .iter()
        .all(|p| !p.required)
        .then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#fields)* }
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
    quote! { #doc #deprecated pub #name: #ty, }
}

fn payload_ty(payload: &Payload, refs: &TypeRefs) -> TokenStream {
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(ty) | Payload::Form(ty) => refs.ty(ty),
        Payload::Text => quote!(String),
        Payload::Binary => quote!(Vec<u8>),
    }
}

/// Whether a variant carries the status: it stands for more than one.
fn carries_status(response: &Response) -> bool {
    !matches!(response.status, Status::Code(_))
}

fn variant(response: &Response, refs: &TypeRefs) -> TokenStream {
    let doc = doc_attrs(if response.description.is_empty() {
        "No description."
    } else {
        &response.description
    });
    let name = ident(&response.variant);
    let body = match &response.payload {
        Payload::Empty => None,
        Payload::Form(_) => Some(quote!(String)),
        payload => Some(payload_ty(payload, refs)),
    };
    if response.headers.is_empty() && !carries_status(response) {
        return match body {
            Some(body) => quote!(#doc #name(#body),),
            None => quote!(#doc #name,),
        };
    }
    let status = carries_status(response).then(|| {
        quote! {
            /// The status of the response.
            status: http::StatusCode,
        }
    });
    let body = body.map(|body| {
        quote! {
            /// The body of the response.
            body: #body,
        }
    });
    let headers = response
        .headers
        .iter()
        .map(|header| header_field(header, refs));
    quote! { #doc #name { #status #body #(#headers)* }, }
}

fn header_field(header: &Header, refs: &TypeRefs) -> TokenStream {
    let doc = doc_attrs(&format!(
        "{}The {} header.",
        header
            .doc
            .as_deref()
            .map(|d| format!("{d}\n\n"))
            .unwrap_or_default(),
        code(&header.wire)
    ));
    let name = ident(&header.name);
    let ty = match &header.ty {
        HeaderTy::Scalar(ty) => refs.ty(ty),
        HeaderTy::Enum { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    };
    let ty = if header.required {
        ty
    } else {
        quote!(Option<#ty>)
    };
    quote! { #doc #name: #ty, }
}

/// The expression that builds `response`'s variant from `status`, `headers` and `body`.
fn construct(
    enum_name: &syn::Ident,
    response: &Response,
    uses_headers: &mut bool,
    uses_body: &mut bool,
) -> TokenStream {
    let name = ident(&response.variant);
    let body = match &response.payload {
        Payload::Empty => None,
        Payload::Json(_) => Some(quote!(runtime::json(status, body)?)),
        Payload::Text | Payload::Form(_) => Some(quote!(runtime::text(status, body)?)),
        Payload::Binary => Some(quote!(body.to_vec())),
    };
    *uses_body |= body.is_some();
    if response.headers.is_empty() && !carries_status(response) {
        return match body {
            Some(body) => quote!(#enum_name::#name(#body)),
            None => quote!(#enum_name::#name),
        };
    }
    let status = carries_status(response).then(|| quote!(status,));
    let body = body.map(|body| quote!(body: #body,));
    let headers = response
        .headers
        .iter()
        .map(|header| {
            *uses_headers = true;
            let field = ident(&header.name);
            let wire = &header.wire;
            let read = match &header.ty {
                HeaderTy::Enum { .. } => {
                    quote!(runtime::header_enum(status, headers, #wire)?)
                }
                HeaderTy::Scalar(_) => quote!(runtime::header(status, headers, #wire)?),
            };
            if header.required {
                quote!(#field: runtime::required(status, #wire, #read)?,)
            } else {
                quote!(#field: #read,)
            }
        })
        .collect::<Vec<_>>();
    quote!(#enum_name::#name { #status #body #(#headers)* })
}

fn display_arm(response: &Response) -> TokenStream {
    let name = ident(&response.variant);
    let first_line = response
        .description
        .lines()
        .map(|line| line.trim().trim_start_matches(['*', '-']).trim())
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    let pattern = if response.headers.is_empty() && !carries_status(response) {
        match response.payload {
            Payload::Empty => quote!(Self::#name),
            _ => quote!(Self::#name(_)),
        }
    } else if carries_status(response) {
        quote!(Self::#name { status, .. })
    } else {
        quote!(Self::#name { .. })
    };
    match response.status {
        Status::Code(code) => {
            let reason = http::StatusCode::from_u16(code)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map(|r| format!("{code} {r}"))
                .unwrap_or_else(|| code.to_string());
            let text = if first_line.is_empty() {
                reason
            } else {
                format!("{reason}: {first_line}")
            };
            quote!(#pattern => f.write_str(#text),)
        }
        _ => {
            // A format string of our own: braces of the description are escaped.
            let text = first_line.replace('{', "{{").replace('}', "}}");
            let format = if text.is_empty() {
                "{status}".to_owned()
            } else {
                format!("{{status}}: {text}")
            };
            quote!(#pattern => write!(f, #format),)
        }
    }
}
