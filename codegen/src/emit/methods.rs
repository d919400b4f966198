//! The `client` module (with the `client` feature): a method per operation, so that an
//! editor lists what the API can do on a client, each with its operation's docs. One
//! trait per group (`IssuesOperations`), compiled with its group, whose methods are
//! written once over `runtime::client::Caller` and so belong to the asynchronous client
//! and the blocking one alike; each returns the call `client.call::<Op>(…)` sets up.
//! Generic methods with a blanket impl are type-checked once and compiled only when
//! called, which keeps them cheap for a crate of a thousand operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, own_doc_attrs};
use super::features::{any_of, Gates};
use super::operations::summary_and_description;
use super::request::payload_ty;
use super::tokens::{ident, TypeRefs};
use crate::model::{Api, Operation};
use crate::naming::ALL_OPERATIONS;

/// The `client.rs` file of `api`, or `None` when it has no operations.
pub fn client_file(api: &Api, gates: Option<&Gates>) -> Option<TokenStream> {
    if api.operations.is_empty() {
        return None;
    }
    let refs = TypeRefs {
        api,
        from_operations: true,
    };
    // By group, in the order of the groups; all in one trait when there are none.
    let traits: Vec<TokenStream> = match api.groups.as_slice() {
        [] => vec![group_trait(
            ALL_OPERATIONS,
            "",
            api.operations.iter(),
            &refs,
            None,
        )],
        groups => groups
            .iter()
            .filter(|group| api.operations.iter().any(|op| op.group == group.feature))
            .map(|group| {
                let ops = api.operations.iter().filter(|op| op.group == group.feature);
                let cfg = gates.map(|_| any_of([group.feature.as_str()]));
                group_trait(&group.operations_trait, &group.doc, ops, &refs, cfg)
            })
            .collect(),
    };
    let allow_deprecated = api
        .operations
        .iter()
        .any(|op| op.deprecated)
        .then(|| quote!(#![allow(deprecated)]));
    let doc = module_doc(&api.operations[0]);
    Some(quote! {
        #doc
        #allow_deprecated
        pub use crate::runtime::client::{Caller, Client};
        #(#traits)*
    })
}

/// The module's doc, with the first operation for an example.
fn module_doc(op: &Operation) -> TokenStream {
    let args = |params: bool, body: bool| {
        let mut args = Vec::new();
        if params {
            args.push("&params");
        }
        if body {
            args.push("&body");
        }
        args.join(", ")
    };
    let (params, body) = (!op.params.is_empty(), op.body.is_some());
    let method = format!("client.{}({})", op.names.method, args(params, body));
    let call = format!(
        "client.call::<{}>({}, {})",
        op.names.marker,
        if params { "&params" } else { "&()" },
        if body { "&body" } else { "&()" }
    );
    let text = format!(
        "Every operation as a method of the client, one trait per group of operations. With\n\
         the traits in scope (`use` this module's `*`), these two set up the same call, to\n\
         send in any of its ways:\n\
         \n\
         ```text\n\
         {method}\n\
         {call}\n\
         ```\n\
         \n\
         The blocking client has the same methods."
    );
    let lines = text.lines().map(|line| match line {
        "" => String::new(),
        line => format!(" {line}"),
    });
    quote!(#(#![doc = #lines])*)
}

/// The trait `name` of the operations `ops`, and its impl for every client.
fn group_trait<'a>(
    name: &str,
    what: &str,
    ops: impl Iterator<Item = &'a Operation>,
    refs: &TypeRefs,
    cfg: Option<TokenStream>,
) -> TokenStream {
    let name = ident(name);
    let doc = match what {
        "" => "Every operation, as a method of the client.".to_owned(),
        what => format!("{what}\n\nEach is a method of the client."),
    };
    let doc = doc_attrs(&doc);
    let methods = ops.map(|op| method(op, refs));
    quote! {
        #cfg
        #doc
        pub trait #name: Caller {
            #(#methods)*
        }

        #cfg
        impl<T: Caller + ?Sized> #name for T {}
    }
}

/// The method of `op`: its docs, and the call it sets up.
fn method(op: &Operation, refs: &TypeRefs) -> TokenStream {
    let name = ident(&op.names.method);
    let marker = ident(&op.names.marker);
    let mut doc = summary_and_description(op);
    doc.push_str(&format!(
        "{}: sets up a call of\n[`{}`](super::operations::{}).",
        code(&format!("{} {}", op.method, op.path)),
        op.names.marker,
        op.names.marker
    ));
    let doc = doc_attrs(&doc);
    let pages = op
        .pagination
        .as_ref()
        .map(|_| own_doc_attrs("\nIts responses come in pages: `.items(limit)` walks them."));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let (params_arg, params) = match op.params.is_empty() {
        true => (None, quote!(&())),
        false => {
            let params_ty = ident(&op.names.params);
            (
                Some(quote!(params: &'a super::operations::#params_ty,)),
                quote!(params),
            )
        }
    };
    let (body_arg, body) = match body_ty(op, refs) {
        None => (None, quote!(&())),
        Some(ty) => (Some(quote!(body: &'a #ty,)), quote!(body)),
    };
    quote! {
        #doc
        #pages
        #deprecated
        fn #name<'a>(&'a self, #params_arg #body_arg) -> Self::Call<'a, super::operations::#marker> {
            self.call::<super::operations::#marker>(#params, #body)
        }
    }
}

/// The type of `op`'s body as the `client` module names it; `None` without one.
fn body_ty(op: &Operation, refs: &TypeRefs) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let ty = match (&body.choice, body.contents.first()) {
        (Some(choice), _) => {
            let choice = ident(choice);
            quote!(super::operations::#choice)
        }
        (None, Some(content)) => payload_ty(&content.payload, refs),
        (None, None) => return None,
    };
    if ty.to_string() == "()" {
        return None;
    }
    Some(match body.required {
        true => ty,
        false => quote!(Option<#ty>),
    })
}
