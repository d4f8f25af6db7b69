//! Impls emitted when the checks failed: they make the type usable as far
//! as the compiler is concerned, so that only the attribute mistakes are
//! reported and not a cascade of "trait not implemented" errors. They are
//! never run, because the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::core;
use crate::ast::Message;
use crate::attr::Kind;

pub(super) fn all(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let message = msg.kind().map(|_| {
        quote! {
            impl #core::codec::Message for #ident {
                const NAME: &'static str = "";
                const KIND: #core::codec::MessageKind = #core::codec::MessageKind::Data;
                const VERSIONS: #core::codec::VersionRange = #core::codec::VersionRange::NONE;
                const FLEXIBLE_VERSIONS: #core::codec::VersionRange = #core::codec::VersionRange::NONE;
                fn header_version(_: i16) -> ::core::option::Option<i16> { ::core::option::Option::None }
                fn schema() -> #core::codec::MessageSchema { ::core::unimplemented!() }
            }
        }
    });
    // Any key will do: the crate does not compile, so it is never read.
    let key = quote!(#core::ApiKey::Produce);
    let paired = match msg.kind() {
        Some(Kind::Request) => msg.attrs.response.as_ref().map(|response| {
            let response = &response.value;
            quote! {
                impl #core::codec::Request for #ident {
                    const API_KEY: #core::ApiKey = #key;
                    type Response = #response;
                }
            }
        }),
        Some(Kind::Response) => Some(quote! {
            impl #core::codec::Response for #ident {
                const API_KEY: #core::ApiKey = #key;
            }
        }),
        _ => None,
    };
    let facts = super::facts::impls(msg);
    quote! {
        impl #core::codec::Encode for #ident {
            fn encode<__B: #core::codec::EncodeBuf>(&self, _: &mut __B, _: #core::codec::Ctx)
                -> ::core::result::Result<(), #core::codec::EncodeError> { ::core::unimplemented!() }
            fn encoded_len(&self, _: #core::codec::Ctx) -> usize { ::core::unimplemented!() }
        }
        impl #core::codec::Decode for #ident {
            fn decode<__B: #core::bytes::Buf>(_: &mut __B, _: #core::codec::Ctx)
                -> ::core::result::Result<Self, #core::codec::DecodeError> { ::core::unimplemented!() }
        }
        impl #core::codec::Nullable for #ident {
            fn encode_nullable<__B: #core::codec::EncodeBuf>(_: ::core::option::Option<&Self>, _: &mut __B, _: #core::codec::Ctx)
                -> ::core::result::Result<(), #core::codec::EncodeError> { ::core::unimplemented!() }
            fn nullable_len(_: ::core::option::Option<&Self>, _: #core::codec::Ctx) -> usize { ::core::unimplemented!() }
            fn decode_nullable<__B: #core::bytes::Buf>(_: &mut __B, _: #core::codec::Ctx)
                -> ::core::result::Result<::core::option::Option<Self>, #core::codec::DecodeError> { ::core::unimplemented!() }
        }
        impl #core::codec::Describe for #ident {
            fn kafka_type() -> ::std::string::String { ::core::unimplemented!() }
        }
        impl ::core::default::Default for #ident {
            fn default() -> Self { ::core::unimplemented!() }
        }
        impl #core::codec::ToKafkaJson for #ident {
            fn write_json(&self, _: &mut ::std::string::String, _: #core::codec::Ctx) { ::core::unimplemented!() }
        }
        #message
        #paired
        #facts
    }
}
