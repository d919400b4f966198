//! An operation's responses: `{Op}Responses` and `{Op}Errors` with one variant per
//! documented status, the enums of bodies documented in several media types and of
//! coded headers, and `decode`, which picks the variant from the status alone (and the
//! body's enum variant from the `Content-Type`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{code, doc_attrs, own_doc_attrs};
use super::models::string_enum;
use super::tokens::{complexity_allow, enum_allows, ident, TypeRefs};
use crate::model::{Content, Header, HeaderTy, Operation, Payload, Response, Status, Ty};
use crate::naming::UNDOCUMENTED;

/// The responses of `op` split by what `decode` makes of them.
pub struct Split<'a> {
    pub success: Vec<&'a Response>,
    pub errors: Vec<&'a Response>,
    pub default: Option<&'a Response>,
    /// `default`, when no success is listed: it stands for the successes too.
    pub default_success: Option<&'a Response>,
    /// A 2xx status no response covers: a success all the same, kept undecoded.
    pub undocumented_success: bool,
    /// An error status no response covers (there is no `default`).
    pub undocumented_error: bool,
}

impl<'a> Split<'a> {
    pub fn of(op: &'a Operation) -> Split<'a> {
        let (success, errors): (Vec<&Response>, Vec<&Response>) = op
            .responses
            .iter()
            .filter(|r| r.status != Status::Default)
            .partition(|r| r.is_success());
        let default = op.responses.iter().find(|r| r.status == Status::Default);
        let default_success = default.filter(|_| success.is_empty());
        let covers_2xx = success.iter().any(|r| r.status == Status::Range(2));
        Split {
            undocumented_success: default_success.is_none() && !covers_2xx,
            undocumented_error: default.is_none(),
            success,
            errors,
            default,
            default_success,
        }
    }
}

/// How many variants `{Op}Responses` has.
pub fn success_variants(op: &Operation) -> usize {
    let split = Split::of(op);
    split.success.len()
        + usize::from(split.default_success.is_some())
        + usize::from(split.undocumented_success)
}

/// The `Undocumented` variant of either enum.
fn undocumented_variant() -> TokenStream {
    quote! {
        /// A status the description does not document, with the body as received.
        Undocumented {
            /// The status of the response.
            status: http::StatusCode,
            /// The body of the response, unread.
            body: Vec<u8>,
        },
    }
}

/// `{Op}Responses`, `{Op}Errors` with its `Display`, and the enums of their bodies and
/// headers.
pub fn enums(op: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> TokenStream {
    let split = Split::of(op);
    let marker = &op.names.marker;
    let responses_name = ident(&op.names.responses);
    let errors_name = ident(&op.names.errors);
    let success_variants = split
        .success
        .iter()
        .copied()
        .chain(split.default_success)
        .map(|r| variant(r, refs));
    let error_variants = split
        .errors
        .iter()
        .chain(&split.default)
        .map(|r| variant(r, refs));
    let undocumented_success = split.undocumented_success.then(undocumented_variant);
    let undocumented_error = split.undocumented_error.then(undocumented_variant);
    let display_arms = split
        .errors
        .iter()
        .chain(&split.default)
        .map(|response| display_arm(response))
        .chain(split.undocumented_error.then(|| quote! {
            Self::Undocumented { status, .. } => write!(f, "{status}: a status the description does not document"),
        }));
    let bodies = op
        .responses
        .iter()
        .filter_map(|r| body_enum(op, r, refs, cfg));
    let headers = op
        .responses
        .iter()
        .flat_map(|r| &r.headers)
        .filter_map(|h| header_enum(marker, h, cfg));
    let responses_doc = own_doc_attrs(&format!("Success responses of [`{marker}`], by status."));
    let errors_doc = own_doc_attrs(&format!("Error responses of [`{marker}`], by status."));
    fn names(responses: Vec<&Response>, undocumented: bool) -> Vec<&str> {
        let documented = responses.into_iter().map(|r| r.variant.as_str());
        documented
            .chain(undocumented.then_some(UNDOCUMENTED))
            .collect()
    }
    let success_names = names(
        split
            .success
            .iter()
            .copied()
            .chain(split.default_success)
            .collect(),
        split.undocumented_success,
    );
    let error_names = names(
        split.errors.iter().copied().chain(split.default).collect(),
        split.undocumented_error,
    );
    let responses_allows = enum_allows(&op.names.responses, &success_names, true);
    let errors_allows = enum_allows(&op.names.errors, &error_names, true);
    quote! {
        #cfg
        #responses_doc
        #responses_allows
        #[derive(Debug)]
        pub enum #responses_name {
            #(#success_variants)*
            #undocumented_success
        }

        #cfg
        #errors_doc
        #errors_allows
        #[derive(Debug)]
        pub enum #errors_name {
            #(#error_variants)*
            #undocumented_error
        }

        #cfg
        impl std::fmt::Display for #errors_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#display_arms)*
                }
            }
        }

        #cfg
        impl std::error::Error for #errors_name {}

        #(#bodies)*
        #(#headers)*
    }
}

/// The enum of a response documented with several distinct bodies, one variant each.
fn body_enum(
    op: &Operation,
    response: &Response,
    refs: &TypeRefs,
    cfg: &TokenStream,
) -> Option<TokenStream> {
    let name = ident(response.choice.as_ref()?);
    let doc = own_doc_attrs(&format!(
        "The body of the {} response of [`{}`], by its media type.",
        code(&status_text(response.status)),
        op.names.marker
    ));
    let variants = response.contents.iter().map(|content| {
        let variant = ident(&content.variant);
        let shown: Vec<String> = content.media_types.iter().map(|m| code(m)).collect();
        let doc = own_doc_attrs(&format!("As {}.", shown.join(", ")));
        let ty = payload_ty(&content.payload, refs);
        quote!(#doc #variant(#ty),)
    });
    let variant_names: Vec<&str> = response
        .contents
        .iter()
        .map(|c| c.variant.as_str())
        .collect();
    let allows = enum_allows(&name.to_string(), &variant_names, true);
    Some(quote! {
        #cfg
        #doc
        #allows
        #[derive(Debug)]
        pub enum #name { #(#variants)* }
    })
}

fn header_enum(marker: &str, header: &Header, cfg: &TokenStream) -> Option<TokenStream> {
    let HeaderTy::Enum { name, values } = &header.ty else {
        return None;
    };
    let own = own_doc_attrs(&format!(
        "Values of the {} header of [`{marker}`].",
        code(&header.wire)
    ));
    let described = header.doc.as_deref().map(|d| {
        let d = doc_attrs(d);
        quote!(#[doc = ""] #d)
    });
    Some(string_enum(
        &ident(name),
        quote!(#cfg #own #described),
        values,
        cfg,
    ))
}

/// How a status is written in a description: `409`, `4XX`, `default`.
fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(hundreds) => format!("{hundreds}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// The Rust type of a body's payload, as a response variant carries it.
fn payload_ty(payload: &Payload, refs: &TypeRefs) -> TokenStream {
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(ty) => refs.ty(ty),
        Payload::Form(_) | Payload::Text => quote!(String),
        Payload::Binary => quote!(Vec<u8>),
        Payload::Events(ty) => {
            let data = refs.ty(ty);
            quote!(Vec<runtime::events::Event<#data>>)
        }
    }
}

/// The type a response variant carries: its one body, or the enum of its bodies.
fn body_ty(response: &Response, refs: &TypeRefs) -> Option<TokenStream> {
    if let Some(choice) = &response.choice {
        let choice = ident(choice);
        return Some(quote!(#choice));
    }
    let content = response.contents.first()?;
    Some(payload_ty(&content.payload, refs))
}

/// Whether a variant carries the status: it stands for more than one.
pub fn carries_status(response: &Response) -> bool {
    !matches!(response.status, Status::Code(_))
}

fn variant(response: &Response, refs: &TypeRefs) -> TokenStream {
    let doc = doc_attrs(if response.description.is_empty() {
        "No description."
    } else {
        &response.description
    });
    let name = ident(&response.variant);
    let body = body_ty(response, refs);
    let complex = match (
        &response.choice,
        response.contents.first().map(|c| &c.payload),
    ) {
        (None, Some(crate::model::Payload::Json(ty) | crate::model::Payload::Form(ty))) => {
            complexity_allow(ty, 0)
        }
        _ => TokenStream::new(),
    };
    let doc = quote!(#doc #complex);
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

/// What `decode`'s body reads: `status`, `headers` and `body`.
#[derive(Default)]
struct Uses {
    headers: bool,
    body: bool,
}

/// The `decode` function of `op`.
pub fn decode(op: &Operation) -> TokenStream {
    let split = Split::of(op);
    let responses_name = ident(&op.names.responses);
    let errors_name = ident(&op.names.errors);
    // Inside `decode`, `R` and `E` name the two enums: short arms that fit on a line.
    let (success_alias, error_alias) = (ident("R"), ident("E"));
    let mut uses = Uses::default();
    let mut arms: Vec<TokenStream> = Vec::new();
    for response in split.success.iter().chain(&split.errors) {
        let pattern = match response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            Status::Range(hundreds) => {
                let low = Literal::u16_unsuffixed(hundreds * 100);
                let high = Literal::u16_unsuffixed(hundreds * 100 + 99);
                quote!(#low..=#high)
            }
            Status::Default => continue,
        };
        let value = if response.is_success() {
            let value = construct(&success_alias, response, &mut uses);
            quote!(Ok(#value))
        } else {
            let value = construct(&error_alias, response, &mut uses);
            quote!(Err(#value))
        };
        arms.push(quote!(#pattern => #value,));
    }
    if let Some(response) = split.default_success {
        let value = construct(&success_alias, response, &mut uses);
        arms.push(quote!(200..=299 => Ok(#value),));
    } else if split.undocumented_success {
        uses.body = true;
        // A guard, not a range, so the arms of documented 2xx codes do not overlap it.
        arms.push(quote!(_ if status.is_success() => Ok(R::Undocumented { status, body: body.to_vec() }),));
    }
    // Whatever no arm above takes: `default`, else the undocumented fallback.
    let fallback = match split.default {
        Some(response) => {
            let value = construct(&error_alias, response, &mut uses);
            quote!(Err(#value))
        }
        None => {
            uses.body = true;
            quote!(Err(E::Undocumented {
                status,
                body: body.to_vec()
            }))
        }
    };
    let decision = quote!(Ok(match status.as_u16() { #(#arms)* _ => #fallback }));
    let uses_success =
        !split.success.is_empty() || split.default_success.is_some() || split.undocumented_success;
    let use_success = uses_success.then(|| quote!(use #responses_name as R;));
    let headers = if uses.headers {
        quote!(headers)
    } else {
        quote!(_headers)
    };
    let body = if uses.body {
        quote!(body)
    } else {
        quote!(_body)
    };
    quote! {
        fn decode(
            status: http::StatusCode,
            #headers: &http::HeaderMap,
            #body: &[u8],
        ) -> Result<Result<Self::Responses, Self::Errors>, runtime::DecodeError> {
            use #errors_name as E;
            #use_success
            #decision
        }
    }
}

/// The expression that reads a body of `content` from `body`.
fn read(content: &Content, uses: &mut Uses) -> Option<TokenStream> {
    let read = match &content.payload {
        Payload::Empty => return None,
        // A string under a range (`*/*`) comes as JSON or as plain text: the
        // `Content-Type` says which.
        Payload::Json(Ty::String) if content.media_types.iter().any(|m| is_range(m)) => {
            uses.headers = true;
            quote!(runtime::json_or_text(status, headers, body)?)
        }
        Payload::Json(_) => quote!(runtime::json(status, body)?),
        Payload::Text | Payload::Form(_) => quote!(runtime::text(status, body)?),
        Payload::Binary => quote!(body.to_vec()),
        Payload::Events(ty) => {
            let data = event_data(ty);
            quote!(runtime::events::read(body, |data| #data)?)
        }
    };
    uses.body = true;
    Some(read)
}

/// Whether `media_type` is a range (`*/*`, `application/*`) rather than one media type.
fn is_range(media_type: &str) -> bool {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .contains('*')
}

/// The type of each event's data when a success of `op` is a stream of server-sent
/// events.
pub fn event_data_ty(op: &Operation) -> Option<&Ty> {
    op.responses
        .iter()
        .filter(|r| r.is_success())
        .flat_map(|r| &r.contents)
        .find_map(|c| match &c.payload {
            Payload::Events(ty) => Some(ty),
            _ => None,
        })
}

/// `impl runtime::events::EventStream` for an operation whose success is a stream of
/// server-sent events: how one event's data is read, so a client can hand them out one
/// by one as they come.
pub fn event_stream(op: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> Option<TokenStream> {
    let ty = event_data_ty(op)?;
    let marker = ident(&op.names.marker);
    let data_ty = refs.ty(ty);
    let read = event_data(ty);
    let status = match ty {
        Ty::String => quote!(_status),
        _ => quote!(status),
    };
    Some(quote! {
        #cfg
        impl runtime::events::EventStream for #marker {
            type Data = #data_ty;

            fn data(#status: http::StatusCode, data: &str) -> Result<Self::Data, runtime::DecodeError> {
                #read
            }
        }
    })
}

/// The expression that reads one event's `data` (a `&str`) as `ty`: JSON, or the text.
pub fn event_data(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(Ok(data.to_owned())),
        _ => quote!(runtime::json(status, data.as_bytes())),
    }
}

/// The expression that reads a response's body: its one content, or the content its
/// `Content-Type` names (the first when it names none of them).
fn read_body(response: &Response, uses: &mut Uses) -> Option<TokenStream> {
    let Some(choice) = &response.choice else {
        return read(response.contents.first()?, uses);
    };
    uses.headers = true;
    let choice = ident(choice);
    let mut arms = Vec::new();
    let mut fallback = TokenStream::new();
    for (index, content) in response.contents.iter().enumerate() {
        let variant = ident(&content.variant);
        let value = read(content, uses).unwrap_or_else(|| quote!(()));
        let media_types: Vec<String> = content
            .media_types
            .iter()
            .map(|m| m.to_ascii_lowercase())
            .collect();
        arms.push(quote!(Some(#(#media_types)|*) => #choice::#variant(#value),));
        if index == 0 {
            fallback = quote!(_ => #choice::#variant(#value),);
        }
    }
    Some(quote!(match runtime::media_type(headers).as_deref() { #(#arms)* #fallback }))
}

/// The expression that builds `response`'s variant from `status`, `headers` and `body`.
fn construct(enum_name: &syn::Ident, response: &Response, uses: &mut Uses) -> TokenStream {
    let name = ident(&response.variant);
    let body = read_body(response, uses);
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
            uses.headers = true;
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
        match response.contents.is_empty() {
            true => quote!(Self::#name),
            false => quote!(Self::#name(_)),
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
