//! The `servers` module (one type per server URL of the description, its variables as
//! fields) and the `auth` module (one constant per security scheme, and the
//! `Credentials` a caller fills in with the secrets it has).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs, own_doc_attrs};
use super::models::string_enum;
use super::tokens::ident;
use crate::model::{Api, Location, SchemeKind, SecurityScheme, Server, ServerVariable};

/// The items of the `servers` module.
pub fn servers(api: &Api) -> TokenStream {
    let servers = api.servers.iter().map(server);
    let default = api.servers.first().map(|first| {
        let name = ident(&first.name);
        let doc = own_doc_attrs(&format!(
            "The URL of the first server, [`{}`], with the defaults of its variables.",
            first.name
        ));
        let all_defaults = first.variables.iter().all(|v| v.default.is_some());
        let value = if first.variables.is_empty() {
            quote!(#name)
        } else {
            quote!(#name::default())
        };
        all_defaults.then(|| {
            quote! {
                #doc
                pub fn default_url() -> String {
                    #value.url()
                }
            }
        })
    });
    quote! {
        //! Where the API is served: a type per server URL of the description, whose
        //! `url()` is the base URL an operation's `request` takes.
        #(#servers)*
        #default
    }
}

fn server(server: &Server) -> TokenStream {
    let name = ident(&server.name);
    let mut doc = server
        .doc
        .clone()
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    doc.push_str(&format!("The server {}.", code(&server.url)));
    let doc = own_doc_attrs(&doc);
    let fields = server.variables.iter().map(variable_field);
    let enums = server.variables.iter().filter_map(|variable| {
        let (enum_name, values) = variable.values.as_ref()?;
        let doc = own_doc_attrs(&format!(
            "The values of {} in [`{}`].",
            code(&variable.wire),
            server.name
        ));
        Some(string_enum(
            &ident(enum_name),
            doc,
            values,
            &TokenStream::new(),
        ))
    });
    let all_defaults = server.variables.iter().all(|v| v.default.is_some());
    let default = (all_defaults && !server.variables.is_empty()).then(|| {
        let values = server.variables.iter().map(|variable| {
            let field = ident(&variable.name);
            let value = variable.default.as_deref().unwrap_or_default();
            match &variable.values {
                Some((enum_name, values)) => {
                    let enum_name = ident(enum_name);
                    match values.variants.iter().find(|v| v.wire == value) {
                        Some(known) => {
                            let variant = ident(&known.name);
                            quote!(#field: #enum_name::#variant)
                        }
                        None => quote!(#field: #enum_name::Unknown(#value.to_owned())),
                    }
                }
                None => quote!(#field: #value.to_owned()),
            }
        });
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    #name { #(#values),* }
                }
            }
        }
    });
    let url = url_expression(server);
    let derive = if server.variables.is_empty() {
        quote!(#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Eq)])
    };
    let body = if server.variables.is_empty() {
        quote!(;)
    } else {
        quote!({ #(#fields)* })
    };
    quote! {
        #doc
        #derive
        pub struct #name #body
        #default
        impl #name {
            /// The server's URL, its variables filled in.
            pub fn url(&self) -> String {
                #url
            }
        }
        #(#enums)*
    }
}

fn variable_field(variable: &ServerVariable) -> TokenStream {
    let mut doc = variable
        .doc
        .clone()
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    match &variable.default {
        Some(default) => doc.push_str(&format!(
            "The {} variable; {} by default.",
            code(&variable.wire),
            code(default)
        )),
        None => doc.push_str(&format!("The {} variable.", code(&variable.wire))),
    }
    let doc = doc_attrs(&doc);
    let name = ident(&variable.name);
    let ty = match &variable.values {
        Some((enum_name, _)) => {
            let enum_name = ident(enum_name);
            quote!(#enum_name)
        }
        None => quote!(String),
    };
    quote!(#doc pub #name: #ty,)
}

/// The expression that fills in the URL template.
fn url_expression(server: &Server) -> TokenStream {
    if server.variables.is_empty() {
        let url = &server.url;
        return quote!(#url.to_owned());
    }
    let mut pieces = Vec::new();
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| open + close) else {
            break;
        };
        pieces.extend(push_literal(&rest[..open]));
        let wire = &rest[open + 1..close];
        match server.variables.iter().find(|v| v.wire == wire) {
            Some(variable) => {
                let field = ident(&variable.name);
                pieces.push(match &variable.values {
                    Some(_) => quote!(url.push_str(self.#field.as_str());),
                    None => quote!(url.push_str(&self.#field);),
                });
            }
            None => {
                let text = &rest[open..=close];
                pieces.push(quote!(url.push_str(#text);));
            }
        }
        rest = &rest[close + 1..];
    }
    pieces.extend(push_literal(rest));
    quote! {
        let mut url = String::new();
        #(#pieces)*
        url
    }
}

/// The statement that appends `text` to `url`, if there is any.
fn push_literal(text: &str) -> Option<TokenStream> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(only), None) => Some(quote!(url.push(#only);)),
        _ => Some(quote!(url.push_str(#text);)),
    }
}

/// The items of the `auth` module.
pub fn auth(api: &Api) -> TokenStream {
    let constants = api.security_schemes.iter().map(scheme_constant);
    let fields = api.security_schemes.iter().map(credential_field);
    let arms = api.security_schemes.iter().map(|scheme| {
        let id = &scheme.id;
        let field = ident(&scheme.field);
        match scheme.kind {
            SchemeKind::Bearer => {
                quote!(#id => self.#field.as_deref().map(runtime::auth::Secret::Token),)
            }
            SchemeKind::Basic => {
                quote!(#id => self.#field.as_ref().map(runtime::auth::Secret::Basic),)
            }
            SchemeKind::ApiKey { .. } => {
                quote!(#id => self.#field.as_ref().map(runtime::auth::Secret::ApiKey),)
            }
        }
    });
    let lookup = if api.security_schemes.is_empty() {
        quote!(None)
    } else {
        quote!(match scheme { #(#arms)* _ => None })
    };
    let scheme = if api.security_schemes.is_empty() {
        quote!(_scheme)
    } else {
        quote!(scheme)
    };
    let redacted = api.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.field);
        let wire = &scheme.field;
        quote!(.field(#wire, &self.#field.as_ref().map(|_| "…")))
    });
    quote! {
        //! How callers prove who they are: a constant per security scheme of the
        //! description, and the [`Credentials`] a caller fills in with the secrets it has.
        //! Operations take what they need from them (`Operation::authorized_request`).
        use crate::runtime;

        #(#constants)*

        /// The caller's secrets, one field per security scheme; leave out those you do
        /// not have. `Debug` never shows a secret.
        #[derive(Clone, Default, PartialEq, Eq)]
        pub struct Credentials {
            #(#fields)*
        }

        impl std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Credentials") #(#redacted)* .finish()
            }
        }

        impl runtime::Credentials for Credentials {
            fn secret(&self, #scheme: &str) -> Option<runtime::auth::Secret<'_>> {
                #lookup
            }
        }
    }
}

fn scheme_doc(scheme: &SecurityScheme) -> String {
    let how = match &scheme.kind {
        SchemeKind::Bearer => "a bearer token, sent as `Authorization: Bearer <token>`".to_owned(),
        SchemeKind::Basic => {
            "a user name and password, sent as `Authorization: Basic …`".to_owned()
        }
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                Location::Header => "header",
                Location::Query => "query parameter",
                _ => "cookie",
            };
            format!("an API key, sent in the {place} {}", code(name))
        }
    };
    format!("The {} scheme: {how}.", code(&scheme.id))
}

fn scheme_constant(scheme: &SecurityScheme) -> TokenStream {
    let name = ident(&scheme.constant);
    let id = &scheme.id;
    let doc = own_doc_attrs(&scheme_doc(scheme));
    let kind = match &scheme.kind {
        SchemeKind::Bearer => quote!(runtime::auth::SchemeKind::Bearer),
        SchemeKind::Basic => quote!(runtime::auth::SchemeKind::Basic),
        SchemeKind::ApiKey { location, name } => {
            let location = ident(match location {
                Location::Header => "Header",
                Location::Query => "Query",
                _ => "Cookie",
            });
            quote!(runtime::auth::SchemeKind::ApiKey {
                location: runtime::auth::KeyLocation::#location,
                name: #name,
            })
        }
    };
    quote! {
        #doc
        pub const #name: runtime::auth::Scheme = runtime::auth::Scheme { id: #id, kind: #kind };
    }
}

fn credential_field(scheme: &SecurityScheme) -> TokenStream {
    let own = own_doc_attrs(&scheme_doc(scheme));
    let doc = match &scheme.doc {
        Some(described) => {
            let described = doc_attrs(described);
            quote!(#described #[doc = ""] #own)
        }
        None => own,
    };
    let name = ident(&scheme.field);
    let ty = match scheme.kind {
        SchemeKind::Bearer => quote!(String),
        SchemeKind::Basic => quote!(runtime::Basic),
        SchemeKind::ApiKey { .. } => quote!(runtime::ApiKey),
    };
    quote!(#doc pub #name: Option<#ty>,)
}
