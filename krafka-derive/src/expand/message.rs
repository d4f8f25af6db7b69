//! `Message` (and `Request`) for top-level messages.

use proc_macro2::TokenStream;
use quote::quote;

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
    let api_key = match &msg.attrs.api_key {
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
    let request = msg.attrs.response.as_ref().map(|response| {
        let response = &response.value;
        quote! {
            #[automatically_derived]
            impl #core::codec::Request for #ident {
                type Response = #response;
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #core::codec::Message for #ident {
            const NAME: &'static str = #name;
            const KIND: #core::codec::MessageKind = #kind_tokens;
            const API_KEY: ::core::option::Option<i16> = #api_key;
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
                    api_key: #api_key,
                    kind: #kind_tokens,
                    valid_versions: #versions,
                    flexible_versions: #flexible_range,
                    fields: <Self as #core::codec::Describe>::fields(),
                }
            }
        }
        #request
    }
}
