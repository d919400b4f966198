//! An operation's request side: `write`, which puts its parameters and body into a
//! request by the rules of its description (each parameter's style, fixed here, calls
//! the runtime helper for that style), the enum of a body offered in several media
//! types, and the credentials the operation needs.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, own_doc_attrs};
use super::tokens::{enum_allows, ident, TypeRefs};
use crate::model::{
    Api, Body, Content, Location, Operation, Param, PathPart, Payload, PropertyEncoding, Security,
    Style,
};

/// The `write` function of `op`.
pub fn write(op: &Operation) -> TokenStream {
    let mut steps = Vec::new();
    for part in &op.template {
        steps.push(match part {
            PathPart::Literal(text) => quote!(r.literal(#text);),
            PathPart::Param(index) => write_param(&op.params[*index]),
            PathPart::Query(pair) => quote!(r.query_pair(#pair);),
            // Written with the other query parameters, below.
            PathPart::QueryParam(_) => continue,
        });
    }
    for param in op.params.iter().filter(|p| p.location != Location::Path) {
        steps.push(write_param(param));
    }
    if !op.accept.is_empty() {
        let accept = accept_header(&op.accept);
        steps.push(quote!(r.accept(#accept);));
    }
    let body = op.body.as_ref().and_then(body);
    // A path parameter the template does not name (one only in a fragment) is not
    // written, so an operation may have parameters and write none of them.
    let sent = op
        .template
        .iter()
        .any(|part| matches!(part, PathPart::Param(_)))
        || op.params.iter().any(|p| p.location != Location::Path);
    let params = if sent {
        quote!(params)
    } else {
        quote!(_params)
    };
    let body_param = if body.is_some() {
        quote!(body)
    } else {
        quote!(_body)
    };
    quote! {
        fn write(
            r: &mut runtime::RequestBuilder,
            #params: &Self::Params,
            #body_param: &Self::Body,
        ) -> Result<(), runtime::EncodeError> {
            #(#steps)*
            #body
            Ok(())
        }
    }
}

/// `Accept`: the media types `decode` reads into the documented types first, the
/// others after them at a lower weight, so a server that can choose sends JSON.
fn accept_header(media_types: &[String]) -> String {
    let first_kind = crate::model::MediaKind::of(&media_types[0]);
    media_types
        .iter()
        .map(|media_type| {
            if crate::model::MediaKind::of(media_type) == first_kind {
                media_type.clone()
            } else {
                format!("{media_type};q=0.5")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How `param` is written, as a constant of the runtime's `Style`: `JSON` for a
/// parameter described by a JSON `content`, else its style with `explode` and
/// `allowReserved` where they differ from it. The server reads it the same way.
pub(super) fn param_style(param: &Param) -> TokenStream {
    let json = param
        .content
        .as_deref()
        .is_some_and(|m| crate::model::MediaKind::of(m) == crate::model::MediaKind::Json);
    if json {
        quote!(runtime::Style::JSON)
    } else {
        style(param.style, param.explode, param.allow_reserved)
    }
}

/// The call that writes one parameter: its place, and its style as a constant of the
/// runtime's `Style`, with `explode` and `allowReserved` where they differ from it.
fn write_param(param: &Param) -> TokenStream {
    let wire = &param.wire;
    let field = ident(&param.name);
    let value = quote!(&params.#field);
    let style = param_style(param);
    match param.location {
        Location::Path => quote!(r.path(#wire, #value, #style)?;),
        Location::Query => quote!(r.query(#wire, #value, #style)?;),
        Location::Header => quote!(r.header(#wire, #value, #style)?;),
        Location::Cookie => quote!(r.cookie(#wire, #value, #style)?;),
    }
}

/// `runtime::Style::FORM.explode(false)`: the constant of `style`, and what differs
/// from it.
pub fn style(style: Style, explode: bool, allow_reserved: bool) -> TokenStream {
    let constant = ident(match style {
        Style::Simple => "SIMPLE",
        Style::Label => "LABEL",
        Style::Matrix => "MATRIX",
        Style::Form => "FORM",
        Style::SpaceDelimited => "SPACE_DELIMITED",
        Style::PipeDelimited => "PIPE_DELIMITED",
        Style::TabDelimited => "TAB_DELIMITED",
        Style::DeepObject => "DEEP_OBJECT",
    });
    let mut tokens = quote!(runtime::Style::#constant);
    // The runtime's `FORM` and `DEEP_OBJECT` explode, the others do not; `deepObject`
    // writes every member as its own pair whatever `explode` says.
    let constant_explodes = matches!(style, Style::Form | Style::DeepObject);
    if explode != constant_explodes && style != Style::DeepObject {
        tokens.extend(quote!(.explode(#explode)));
    }
    if allow_reserved {
        tokens.extend(quote!(.allow_reserved()));
    }
    tokens
}

/// The statements that write the body, `body` in scope; `None` without one.
fn body(body: &Body) -> Option<TokenStream> {
    let write = match &body.choice {
        None => content(body.contents.first()?, quote!(body))?,
        Some(choice) => {
            let choice = ident(choice);
            let arms = body.contents.iter().map(|c| {
                let variant = ident(&c.variant);
                let write = content(c, quote!(body)).unwrap_or_default();
                quote!(#choice::#variant(body) => { #write })
            });
            quote!(match body { #(#arms)* })
        }
    };
    Some(if body.required {
        write
    } else {
        quote!(if let Some(body) = body { #write })
    })
}

/// The statement that writes `value` as `content`.
fn content(content: &Content, value: TokenStream) -> Option<TokenStream> {
    let media_type = crate::model::sent_media_type(&content.media_types[0], &content.payload);
    Some(match &content.payload {
        Payload::Empty => return None,
        Payload::Json(_) => quote!(r.json(#media_type, #value)?;),
        // A stream of events sent is the caller's text.
        Payload::Text | Payload::Events(_) => quote!(r.text(#media_type, #value);),
        Payload::Binary => quote!(r.bytes(#media_type, #value);),
        Payload::Form(_) if media_type.to_ascii_lowercase().starts_with("multipart/") => {
            let parts = content.encoding.iter().map(part);
            quote!(r.multipart(#value, &[#(#parts),*])?;)
        }
        Payload::Form(_) => {
            let fields = content.encoding.iter().map(form_field);
            quote!(r.form_urlencoded(#value, &[#(#fields),*])?;)
        }
    })
}

pub fn form_field(encoding: &PropertyEncoding) -> TokenStream {
    let name = &encoding.property;
    let style = style(encoding.style, encoding.explode, encoding.allow_reserved);
    let content_type = match &encoding.content_type {
        Some(media_type) => quote!(Some(#media_type)),
        None => quote!(None),
    };
    quote! {
        runtime::FormField { name: #name, style: #style, content_type: #content_type }
    }
}

pub fn part(encoding: &PropertyEncoding) -> TokenStream {
    let name = &encoding.property;
    let content_type = encoding.content_type.as_deref().unwrap_or_default();
    let binary = encoding.binary;
    quote! {
        runtime::Part { name: #name, content_type: #content_type, binary: #binary }
    }
}

/// The type of the operation's body: `()`, its one content, the enum of its contents,
/// each in an `Option` when the body may be left out.
pub fn body_ty(op: &Operation, refs: &TypeRefs) -> TokenStream {
    let Some(body) = &op.body else {
        return quote!(());
    };
    let ty = match (&body.choice, body.contents.first()) {
        (Some(choice), _) => {
            let choice = ident(choice);
            quote!(#choice)
        }
        (None, Some(content)) => payload_ty(&content.payload, refs),
        (None, None) => return quote!(()),
    };
    if body.required || ty.to_string() == "()" {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// The Rust type a request body of `payload` is given as.
pub fn payload_ty(payload: &Payload, refs: &TypeRefs) -> TokenStream {
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(ty) | Payload::Form(ty) => refs.ty(ty),
        Payload::Text | Payload::Events(_) => quote!(String),
        Payload::Binary => quote!(Vec<u8>),
    }
}

/// The enum of a body offered in several media types, with `From` for the default one
/// when its type is not also another's.
pub fn body_enum(op: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let name = ident(body.choice.as_ref()?);
    let doc = own_doc_attrs(&format!(
        "The request body of [`{}`], in one of the media types it accepts.",
        op.names.marker
    ));
    let types: Vec<TokenStream> = body
        .contents
        .iter()
        .map(|c| payload_ty(&c.payload, refs))
        .collect();
    let variants = body
        .contents
        .iter()
        .zip(&types)
        .enumerate()
        .map(|(index, (content, ty))| {
            let variant = ident(&content.variant);
            let default = if index == 0 { " (the default)" } else { "" };
            let documented = &content.media_types[0];
            let sent = crate::model::sent_media_type(documented, &content.payload);
            let sent = if sent == documented {
                String::new()
            } else {
                format!(", sent as {}", code(sent))
            };
            let doc = own_doc_attrs(&format!("As {}{sent}{default}.", code(documented)));
            quote!(#doc #variant(#ty),)
        });
    let first = &types[0];
    let unique = types
        .iter()
        .filter(|ty| ty.to_string() == first.to_string())
        .count()
        == 1;
    let from = unique.then(|| {
        let variant = ident(&body.contents[0].variant);
        quote! {
            #cfg
            impl From<#first> for #name {
                fn from(body: #first) -> Self {
                    Self::#variant(body)
                }
            }
        }
    });
    let variant_names: Vec<&str> = body.contents.iter().map(|c| c.variant.as_str()).collect();
    let allows = enum_allows(&name.to_string(), &variant_names, true);
    Some(quote! {
        #cfg
        #doc
        #allows
        #[derive(Debug, Clone)]
        pub enum #name { #(#variants)* }
        #from
    })
}

/// The `SECURITY` constant of `op`: the schemes of the `auth` module it needs.
pub fn security(op: &Operation, api: &Api) -> TokenStream {
    let scheme = |index: &usize| {
        let constant = ident(&api.security_schemes[*index].constant);
        quote!(&super::auth::#constant)
    };
    match &op.security {
        Security::Unspecified => {
            let all = (0..api.security_schemes.len()).map(|index| scheme(&index));
            quote!(runtime::Security::Unspecified(&[#(#all),*]))
        }
        Security::Any(sets) => {
            let sets = sets.iter().map(|set| {
                let schemes = set.iter().map(scheme);
                quote!(&[#(#schemes),*])
            });
            quote!(runtime::Security::Any(&[#(#sets),*]))
        }
    }
}
