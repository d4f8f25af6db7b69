//! `Encode`, `Decode`, `Nullable` and `Default` for a derived struct.

use proc_macro2::TokenStream;
use quote::quote;

use super::field::{
    contains, decode_value, default_value, encode_value, inline_in_version, local, value_len,
};
use super::{core, tagged};
use crate::ast::Message;

pub(super) fn impls(msg: &Message<'_>) -> TokenStream {
    let encode = encode(msg);
    let decode = decode(msg);
    let nullable = nullable(msg);
    let default = default(msg);
    quote! { #encode #decode #nullable #default }
}

fn encode(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let name = msg.name();
    let v = quote!(__v);

    let writes = msg.wire_fields().map(|f| {
        let field = f.ident;
        let field_name = field.to_string();
        let inline = inline_in_version(f);
        let write = encode_value(f, &quote!(&self.#field), &name);
        let exists = contains(f.versions(), &v);
        let guard = if f.ignorable() {
            quote!()
        } else {
            let default = default_value(f);
            quote! {
                if !#exists && self.#field != #default {
                    return ::core::result::Result::Err(#core::codec::EncodeError::FieldNotInVersion {
                        message: #name,
                        field: #field_name,
                        version: __v,
                    });
                }
            }
        };
        quote! {
            #guard
            if #inline {
                #write
            }
        }
    });
    let tagged_section = tagged::encode(msg, &name);

    let sizes = msg.wire_fields().map(|f| {
        let field = f.ident;
        let inline = inline_in_version(f);
        let len = value_len(f, &quote!(&self.#field));
        quote! {
            if #inline {
                __total += #len;
            }
        }
    });
    let tagged_len = tagged::len(msg);

    quote! {
        #[automatically_derived]
        #[allow(unused_variables, unused_mut, clippy::all)]
        impl #core::codec::Encode for #ident {
            fn encode<__B: #core::codec::EncodeBuf>(
                &self,
                __buf: &mut __B,
                __cx: #core::codec::Ctx,
            ) -> ::core::result::Result<(), #core::codec::EncodeError> {
                let __v = __cx.version;
                #(#writes)*
                #tagged_section
                ::core::result::Result::Ok(())
            }

            #[inline]
            fn encoded_len(&self, __cx: #core::codec::Ctx) -> usize {
                let __v = __cx.version;
                let mut __total = 0usize;
                #(#sizes)*
                #tagged_len
                __total
            }
        }
    }
}

fn decode(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let name = msg.name();

    let reads = msg.wire_fields().map(|f| {
        let local = local(f);
        let ty = f.ty;
        let inline = inline_in_version(f);
        let value = decode_value(f, &quote!(__buf), &name);
        let default = default_value(f);
        quote! {
            let mut #local: #ty = if #inline { #value } else { #default };
        }
    });
    let collect_unknown = msg
        .unknown_tagged()
        .map(|_| quote!(let mut __unknown = #core::codec::TaggedFields::new();));
    let tagged_section = tagged::decode(msg, &name);
    let inits = msg.fields.iter().map(|f| {
        let field = f.ident;
        if f.is_unknown_tagged() {
            quote!(#field: __unknown)
        } else {
            let local = local(f);
            quote!(#field: #local)
        }
    });

    quote! {
        #[automatically_derived]
        #[allow(unused_variables, unused_mut, clippy::all)]
        impl #core::codec::Decode for #ident {
            fn decode<__B: #core::bytes::Buf>(
                __buf: &mut __B,
                __cx: #core::codec::Ctx,
            ) -> ::core::result::Result<Self, #core::codec::DecodeError> {
                let __v = __cx.version;
                #(#reads)*
                #collect_unknown
                #tagged_section
                ::core::result::Result::Ok(#ident { #(#inits),* })
            }
        }
    }
}

/// Structs are nullable with a leading `int8`: -1 for null, 1 for present.
fn nullable(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    quote! {
        #[automatically_derived]
        impl #core::codec::Nullable for #ident {
            fn encode_nullable<__B: #core::codec::EncodeBuf>(
                value: ::core::option::Option<&Self>,
                __buf: &mut __B,
                __cx: #core::codec::Ctx,
            ) -> ::core::result::Result<(), #core::codec::EncodeError> {
                match value {
                    ::core::option::Option::None => {
                        #core::codec::EncodeBuf::put_i8(__buf, -1);
                        ::core::result::Result::Ok(())
                    }
                    ::core::option::Option::Some(value) => {
                        #core::codec::EncodeBuf::put_i8(__buf, 1);
                        #core::codec::Encode::encode(value, __buf, __cx)
                    }
                }
            }

            #[inline]
            fn nullable_len(value: ::core::option::Option<&Self>, __cx: #core::codec::Ctx) -> usize {
                1 + value.map_or(0, |v| #core::codec::Encode::encoded_len(v, __cx))
            }

            fn decode_nullable<__B: #core::bytes::Buf>(
                __buf: &mut __B,
                __cx: #core::codec::Ctx,
            ) -> ::core::result::Result<::core::option::Option<Self>, #core::codec::DecodeError> {
                #core::codec::ensure_remaining(__buf, 1)?;
                if #core::bytes::Buf::get_i8(__buf) < 0 {
                    ::core::result::Result::Ok(::core::option::Option::None)
                } else {
                    <Self as #core::codec::Decode>::decode(__buf, __cx).map(::core::option::Option::Some)
                }
            }
        }
    }
}

fn default(msg: &Message<'_>) -> TokenStream {
    let ident = msg.ident;
    let inits = msg.fields.iter().map(|f| {
        let field = f.ident;
        let value = if f.is_unknown_tagged() {
            quote!(::core::default::Default::default())
        } else {
            default_value(f)
        };
        quote!(#field: #value)
    });
    quote! {
        #[automatically_derived]
        impl ::core::default::Default for #ident {
            #[inline]
            fn default() -> Self {
                #ident { #(#inits),* }
            }
        }
    }
}
