//! `Message`, and `Request` or `Response`, for top-level messages.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::core;
use super::describe::version_range;
use super::field::contains;
use crate::ast::Message;
use crate::attr::Kind;

pub(super) fn impls(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let Some(kind) = msg.kind() else {
        return quote!();
    };
    let ident = msg.ident;
    let name = msg.name();
    let kind_tokens = match kind {
        Kind::Request => quote!(#core::codec::MessageKind::Request),
        Kind::Response => quote!(#core::codec::MessageKind::Response),
        Kind::Header => quote!(#core::codec::MessageKind::Header),
        Kind::Data => quote!(#core::codec::MessageKind::Data),
    };
    let schema_key = match &msg.attrs.api_key {
        Some(k) => {
            let k = k.value;
            quote!(::core::option::Option::Some(#k))
        }
        None => quote!(::core::option::Option::None),
    };
    let flexible = msg.flexible().unwrap_or(crate::version::Versions::NONE);
    let versions = version_range(msg.versions());
    let flexible_range = version_range(flexible);
    let is_flexible = contains(flexible, &quote!(version));
    // Request headers are v2 when flexible, else v1; response headers v1 or
    // v0 — except ApiVersions responses, always v0 so that a client can read
    // them before it knows which versions the broker speaks.
    let header = match kind {
        Kind::Request => quote!(::core::option::Option::Some(if #is_flexible { 2 } else { 1 })),
        Kind::Response if msg.attrs.response_header_v0.is_some() => {
            quote!(::core::option::Option::Some(0))
        }
        Kind::Response => quote!(::core::option::Option::Some(if #is_flexible { 1 } else { 0 })),
        Kind::Header | Kind::Data => quote!(::core::option::Option::None),
    };
    let paired = match kind {
        Kind::Request => request(msg),
        Kind::Response => response(msg),
        Kind::Header | Kind::Data => quote!(),
    };
    quote! {
        #[automatically_derived]
        impl #core::codec::Message for #ident {
            const NAME: &'static str = #name;
            const KIND: #core::codec::MessageKind = #kind_tokens;
            const VERSIONS: #core::codec::VersionRange = #versions;
            const FLEXIBLE_VERSIONS: #core::codec::VersionRange = #flexible_range;

            #[allow(unused_variables)]
            #[inline]
            fn header_version(version: i16) -> ::core::option::Option<i16> {
                #header
            }

            #[inline]
            fn schema() -> #core::codec::MessageSchema {
                #core::codec::MessageSchema {
                    name: #name,
                    api_key: #schema_key,
                    kind: #kind_tokens,
                    valid_versions: #versions,
                    flexible_versions: #flexible_range,
                    fields: <Self as #core::codec::Describe>::fields(),
                }
            }
        }
        #paired
    }
}

/// The typed API key of `api_key = N`. The derive does not know which keys
/// exist (`ApiKey` is generated from Kafka's schemas into krafka-core), so
/// the lookup runs in const evaluation: an unknown key fails the build, at
/// the attribute.
fn api_key(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let Some(key) = &msg.attrs.api_key else {
        return quote!(#core::ApiKey::Produce);
    };
    let k = key.value;
    let message = format!("`api_key = {k}` is not an API key of this Kafka release (see `ApiKey`)");
    // At the number, where the mistake is.
    let span = key
        .tokens
        .clone()
        .into_iter()
        .last()
        .map_or_else(|| key.tokens.span(), |token| token.span());
    quote_spanned! {span=>
        match #core::ApiKey::from_key(#k) {
            ::core::option::Option::Some(__key) => __key,
            ::core::option::Option::None => ::core::panic!(#message),
        }
    }
}

fn request(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let Some(response) = &msg.attrs.response else {
        return quote!();
    };
    let response_path = &response.value;
    let key = api_key(msg);
    let expects_response = msg.attrs.expects_response.as_ref().map(|e| {
        let expr = &e.value;
        quote! {
            #[inline]
            fn expects_response(&self) -> bool {
                #expr
            }
        }
    });
    let mismatch = format!(
        "{} and its response {} must have the same API key and versions",
        msg.name(),
        quote!(#response_path).to_string().replace(' ', "")
    );
    // Evaluated at compile time: both the unknown-key panic above and a
    // pair that disagrees fail the build here.
    let pairing = quote_spanned! {response.tokens.span()=>
        const _: () = {
            let __request = <#ident as #core::codec::Message>::VERSIONS;
            let __response = <#response_path as #core::codec::Message>::VERSIONS;
            if <#ident as #core::codec::Request>::API_KEY.key()
                != <#response_path as #core::codec::Response>::API_KEY.key()
                || __request.min != __response.min
                || __request.max != __response.max
            {
                ::core::panic!(#mismatch);
            }
        };
    };
    quote! {
        #[automatically_derived]
        impl #core::codec::Request for #ident {
            const API_KEY: #core::ApiKey = #key;
            type Response = #response_path;
            #expects_response
        }
        #pairing
    }
}

fn response(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let key = api_key(msg);
    quote! {
        #[automatically_derived]
        impl #core::codec::Response for #ident {
            const API_KEY: #core::ApiKey = #key;
        }
        const _: #core::ApiKey = <#ident as #core::codec::Response>::API_KEY;
    }
}
