//! A paginated operation's `runtime::pages::Paginated`: which items a page holds and the
//! request for the next page, as two plain functions of the page (and of the request
//! that asked for it) that any client can drive.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::models::{wrapping, Wrapping};
use super::responses::{carries_status, success_variants};
use super::tokens::{ident, TypeRefs};
use crate::model::{
    Field, HeaderTy, NextPage, Operation, PageInput, Pagination, PaginationSource, Payload, Ty,
};

/// The sentence of the operation's doc that says how its pages follow one another.
pub fn doc(op: &Operation) -> Option<String> {
    let pagination = op.pagination.as_ref()?;
    let member = |path: &[String]| code(&path.join("."));
    let input = |to: &PageInput| match to {
        PageInput::Param(index) => format!("the parameter {}", code(&op.params[*index].wire)),
        PageInput::Body(path) => format!("the body's {}", member(path)),
    };
    let next = match &pagination.next {
        NextPage::LinkHeader(_) => {
            "the next is at the `Link` header's `rel=\"next\"` URL".to_owned()
        }
        NextPage::Link(path) => format!("the next is at the URL in {}", member(path)),
        NextPage::HeaderUrl(index) => {
            let response = &op.responses[pagination.response];
            format!(
                "the next is at the URL in the {} header",
                code(&response.headers[*index].wire)
            )
        }
        NextPage::Cursor { from, to } => {
            format!(
                "the next is asked for with {} set to {}",
                input(to),
                member(from)
            )
        }
        NextPage::LastItem {
            member: id,
            more,
            to,
        } => {
            let mut text = format!(
                "the next is asked for with {} set to the last item's {}",
                input(to),
                code(id)
            );
            if let Some(more) = more {
                text.push_str(&format!(" while {} is true", member(more)));
            }
            text
        }
        NextPage::Offset { to, by_items } => format!(
            "the next is asked for with {} advanced by {}, until a page has no items",
            input(to),
            if *by_items {
                "the number of items"
            } else {
                "one"
            }
        ),
    };
    let items = if pagination.items.is_empty() {
        "the body".to_owned()
    } else {
        member(&pagination.items)
    };
    let source = match &pagination.source {
        PaginationSource::Extension(name) => format!("as its {} says", code(name)),
        PaginationSource::Shape => "recognised from its parameters and response".to_owned(),
        PaginationSource::Settings => "as the generation settings say".to_owned(),
    };
    let text = format!(
        "Responses come in pages ({source}): the items are {items}; {next}. \
         It is [`Paginated`](crate::runtime::pages::Paginated)."
    );
    // Wrapped as the rest of the generated docs are.
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + 1 + word.len() > 88 {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    Some(lines.join("\n"))
}

/// `impl runtime::pages::Paginated` for a paginated operation.
pub fn paginated(op: &Operation, refs: &TypeRefs, cfg: &TokenStream) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let api = refs.api;
    let response = &op.responses[pagination.response];
    let (content, page_ty) = response.contents.iter().find_map(|c| match &c.payload {
        Payload::Json(ty) => Some((c, ty)),
        _ => None,
    })?;
    let item_fields = api.members(page_ty, &pagination.items)?;
    let list_ty = item_fields.last().map_or(page_ty, |f| &f.ty);
    let Ty::List(item_ty) = api.unaliased(list_ty) else {
        return None;
    };
    let item = refs.ty(item_ty);
    let marker = ident(&op.names.marker);
    let responses = ident(&op.names.responses);
    let variant = ident(&response.variant);
    // The page's pattern: its variant, then the JSON body among several media types.
    let body_pattern = match &response.choice {
        Some(choice) => {
            let choice = ident(choice);
            let json = ident(&content.variant);
            quote!(#choice::#json(page))
        }
        None => quote!(page),
    };
    let header = match &pagination.next {
        NextPage::LinkHeader(index) | NextPage::HeaderUrl(index) => Some(&response.headers[*index]),
        _ => None,
    };
    let tuple = response.headers.is_empty() && !carries_status(response);
    let pattern = if tuple {
        quote!(#responses::#variant(#body_pattern))
    } else {
        quote!(#responses::#variant { body: #body_pattern, .. })
    };
    // `next` reads the `Link` header, or the body.
    let next_pattern = match header {
        Some(header) => {
            let name = ident(&header.name);
            quote!(#responses::#variant { #name, .. })
        }
        None => pattern.clone(),
    };
    let only_variant = success_variants(op) == 1 && response.choice.is_none();
    let items_owned = chain(refs, quote!(page), &item_fields, Ownership::Owned);
    let items = match only_variant {
        true => quote! { let #pattern = page; #items_owned },
        false => quote! {
            match page {
                #pattern => #items_owned,
                _ => Vec::new(),
            }
        },
    };
    let take_page = match only_variant {
        true => quote!(let #next_pattern = page;),
        false => quote!(let #next_pattern = page else { return None; };),
    };
    let next = next_page(op, pagination, refs, &item_fields, header)?;
    let convention = ident(match &pagination.next {
        NextPage::LinkHeader(_) => "LinkHeader",
        NextPage::Link(_) | NextPage::HeaderUrl(_) => "NextLink",
        NextPage::Cursor { .. } | NextPage::LastItem { .. } => "Cursor",
        NextPage::Offset { .. } => "Offset",
    });
    let uses_request = !matches!(
        pagination.next,
        NextPage::LinkHeader(_) | NextPage::Link(_) | NextPage::HeaderUrl(_)
    );
    let params = if uses_request && !op.params.is_empty() {
        quote!(params)
    } else {
        quote!(_params)
    };
    let body = if uses_request && op.body.is_some() {
        quote!(body)
    } else {
        quote!(_body)
    };
    Some(quote! {
        #cfg
        impl runtime::pages::Paginated for #marker {
            type Item = #item;
            const CONVENTION: runtime::pages::Convention = runtime::pages::Convention::#convention;

            fn items(page: Self::Responses) -> Vec<Self::Item> {
                #items
            }

            fn next(
                #params: &Self::Params,
                #body: &Self::Body,
                page: &Self::Responses,
            ) -> Option<runtime::pages::Next<Self::Params, Self::Body>> {
                #take_page
                #next
            }
        }
    })
}

/// The statements of `next` after the page's body is bound to `page` (a reference).
fn next_page(
    op: &Operation,
    pagination: &Pagination,
    refs: &TypeRefs,
    item_fields: &[&Field],
    header: Option<&crate::model::Header>,
) -> Option<TokenStream> {
    let api = refs.api;
    let page_ty = op.responses[pagination.response]
        .contents
        .iter()
        .find_map(|c| match &c.payload {
            Payload::Json(ty) => Some(ty),
            _ => None,
        })?;
    let at = |path: &[String]| -> Option<TokenStream> {
        let fields = api.members(page_ty, path)?;
        Some(chain(refs, quote!(page), &fields, Ownership::Borrowed))
    };
    let items = chain(refs, quote!(page), item_fields, Ownership::Borrowed);
    let request = |to: &PageInput, value: TokenStream| set(op, refs, to, value);
    Some(match &pagination.next {
        NextPage::LinkHeader(_) => {
            let header = header?;
            if !matches!(&header.ty, HeaderTy::Scalar(Ty::String)) {
                return None;
            }
            let name = ident(&header.name);
            let link = if header.required {
                quote!(runtime::pages::link_next(#name))
            } else {
                quote!(runtime::pages::link_next(#name.as_deref()?))
            };
            quote! { #link.map(runtime::pages::Next::Url) }
        }
        NextPage::HeaderUrl(_) => {
            let header = header?;
            if !matches!(&header.ty, HeaderTy::Scalar(Ty::String)) {
                return None;
            }
            let name = ident(&header.name);
            let link = if header.required {
                quote!(Some(#name))
            } else {
                quote!(#name.as_ref())
            };
            quote! {
                let link = #link.filter(|link| !link.is_empty())?;
                Some(runtime::pages::Next::Url(link.clone()))
            }
        }
        NextPage::Link(path) => {
            let link = at(path)?;
            quote! {
                let link = #link.filter(|link| !link.is_empty())?;
                Some(runtime::pages::Next::Url(link.clone()))
            }
        }
        NextPage::Cursor { from, to } => {
            let cursor = at(from)?;
            let request = request(to, quote!(cursor.clone()))?;
            quote! {
                let cursor = #cursor.filter(|cursor| !cursor.is_empty())?.clone();
                #request
            }
        }
        NextPage::LastItem { member, more, to } => {
            let item_ty = match api.unaliased(item_fields.last().map_or(page_ty, |f| &f.ty)) {
                Ty::List(item) => item.as_ref(),
                _ => return None,
            };
            let id = api.members(item_ty, std::slice::from_ref(member))?;
            let id = chain_from(refs, quote!(items.last()), true, &id, Ownership::Borrowed);
            let more = match more {
                Some(more) => {
                    let more = at(more)?;
                    quote! {
                        if #more != Some(&true) {
                            return None;
                        }
                    }
                }
                None => TokenStream::new(),
            };
            let request = request(to, quote!(cursor.clone()))?;
            quote! {
                #more
                let items = #items?;
                let cursor = #id?.clone();
                #request
            }
        }
        NextPage::Offset { to, by_items } => {
            let current = current(op, refs, to, if *by_items { 0 } else { 1 })?;
            let step = if *by_items {
                quote!(count as i64)
            } else {
                quote!(1)
            };
            let request = request(to, quote!(next))?;
            quote! {
                let count = #items.map_or(0, Vec::len);
                if count == 0 {
                    return None;
                }
                let next = #current + #step;
                let cursor = next.to_string();
                #request
            }
        }
    })
}

/// The current value of an offset input, as an `i64`; left out, it is `first`: 0 for an
/// offset, 1 for a page number (the first page of most APIs that number them).
fn current(op: &Operation, refs: &TypeRefs, to: &PageInput, first: i64) -> Option<TokenStream> {
    let first = proc_macro2::Literal::i64_unsuffixed(first);
    match to {
        PageInput::Param(index) => {
            let param = &op.params[*index];
            let name = ident(&param.name);
            Some(if param.required {
                quote!(i64::from(params.#name))
            } else {
                quote!(params.#name.map_or(#first, i64::from))
            })
        }
        PageInput::Body(path) => {
            let body_ty = op.body.as_ref()?.contents.first()?.payload.ty()?;
            let fields = refs.api.members(body_ty, path)?;
            let optional = !op.body.as_ref()?.required;
            let base = if optional {
                quote!(body.as_ref())
            } else {
                quote!(body)
            };
            let value = chain_from(refs, base, optional, &fields, Ownership::Borrowed);
            Some(quote!(#value.map_or(#first, |value| i64::from(*value))))
        }
    }
}

/// The statements that make the next request from `params` and `body` with `value`
/// (named `cursor` as text) set where `to` says, and return it.
fn set(op: &Operation, refs: &TypeRefs, to: &PageInput, value: TokenStream) -> Option<TokenStream> {
    // What stays as it was: a copy, or `()` for an operation without any.
    let keep_params = if op.params.is_empty() {
        quote!(params: ())
    } else {
        quote!(params: params.clone())
    };
    let keep_body = if op.body.is_none() {
        quote!(body: ())
    } else {
        quote!(body: body.clone())
    };
    let offset_ty = |ty: &Ty| match refs.api.unaliased(ty) {
        Ty::I32 => Some(quote!(i32::try_from(#value).ok()?)),
        Ty::I64 => Some(value.clone()),
        _ => None,
    };
    let (set_params, set_body, params, body) = match to {
        PageInput::Param(index) => {
            let param = &op.params[*index];
            let name = ident(&param.name);
            let value = match refs.api.unaliased(&param.ty) {
                Ty::String => value.clone(),
                ty => offset_ty(ty)?,
            };
            let assigned = if param.required {
                value
            } else {
                quote!(Some(#value))
            };
            (
                quote! {
                    let mut params = params.clone();
                    params.#name = #assigned;
                },
                quote!(),
                quote!(params),
                keep_body,
            )
        }
        PageInput::Body(path) => {
            let body_ty = op.body.as_ref()?.contents.first()?.payload.ty()?;
            let fields = refs.api.members(body_ty, path)?;
            let (last, on_the_way) = fields.split_last()?;
            let mut target = if op.body.as_ref()?.required {
                quote!(body)
            } else {
                quote!(body.get_or_insert_with(Default::default))
            };
            for field in on_the_way {
                let name = ident(&field.name);
                target = match wrapping(field, refs) {
                    Wrapping::Plain => quote!(#target.#name),
                    Wrapping::Option => quote!(#target.#name.get_or_insert_with(Default::default)),
                    Wrapping::OptionOption => quote! {
                        #target.#name.get_or_insert_with(|| Some(Default::default())).get_or_insert_with(Default::default)
                    },
                };
            }
            let name = ident(&last.name);
            let value = match refs.api.unaliased(&last.ty) {
                Ty::String => value.clone(),
                ty => offset_ty(ty)?,
            };
            let assigned = match wrapping(last, refs) {
                Wrapping::Plain => value,
                Wrapping::Option => quote!(Some(#value)),
                Wrapping::OptionOption => quote!(Some(Some(#value))),
            };
            (
                quote!(),
                quote! {
                    let mut body = body.clone();
                    #target.#name = #assigned;
                },
                keep_params,
                quote!(body),
            )
        }
    };
    Some(quote! {
        #set_params
        #set_body
        Some(runtime::pages::Next::Request { #params, #body, cursor })
    })
}

/// Whether a chain moves out of the page or borrows from it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ownership {
    /// Gives the value itself: the items, `Vec::new()` when a member on the way is absent.
    Owned,
    /// Gives an `Option<&T>`.
    Borrowed,
}

/// The expression that reads `fields` one after the other from `base`.
fn chain(
    refs: &TypeRefs,
    base: TokenStream,
    fields: &[&Field],
    ownership: Ownership,
) -> TokenStream {
    chain_from(refs, base, false, fields, ownership)
}

/// [`chain`] from a `base` that is already an `Option` when `optional`.
fn chain_from(
    refs: &TypeRefs,
    base: TokenStream,
    optional: bool,
    fields: &[&Field],
    ownership: Ownership,
) -> TokenStream {
    let mut expr = base;
    let mut optional = optional;
    for field in fields {
        let name = ident(&field.name);
        let wrapping = wrapping(field, refs);
        expr = match (ownership, optional, wrapping) {
            (Ownership::Owned, false, Wrapping::Plain | Wrapping::Option) => quote!(#expr.#name),
            (Ownership::Owned, false, Wrapping::OptionOption) => quote!(#expr.#name.flatten()),
            (Ownership::Owned, true, Wrapping::Plain) => quote!(#expr.map(|value| value.#name)),
            (Ownership::Owned, true, Wrapping::Option) => {
                quote!(#expr.and_then(|value| value.#name))
            }
            (Ownership::Owned, true, Wrapping::OptionOption) => {
                quote!(#expr.and_then(|value| value.#name.flatten()))
            }
            (Ownership::Borrowed, false, Wrapping::Plain) => quote!(#expr.#name),
            (Ownership::Borrowed, false, Wrapping::Option) => quote!(#expr.#name.as_ref()),
            (Ownership::Borrowed, false, Wrapping::OptionOption) => {
                quote!(#expr.#name.as_ref().and_then(Option::as_ref))
            }
            (Ownership::Borrowed, true, Wrapping::Plain) => quote!(#expr.map(|value| &value.#name)),
            (Ownership::Borrowed, true, Wrapping::Option) => {
                quote!(#expr.and_then(|value| value.#name.as_ref()))
            }
            (Ownership::Borrowed, true, Wrapping::OptionOption) => {
                quote!(#expr.and_then(|value| value.#name.as_ref().and_then(Option::as_ref)))
            }
        };
        optional |= wrapping != Wrapping::Plain;
    }
    match (ownership, optional) {
        (Ownership::Owned, true) => quote!(#expr.unwrap_or_default()),
        (Ownership::Owned, false) => expr,
        (Ownership::Borrowed, true) => expr,
        // The base itself is a reference.
        (Ownership::Borrowed, false) if fields.is_empty() => quote!(Some(#expr)),
        (Ownership::Borrowed, false) => quote!(Some(&#expr)),
    }
}
