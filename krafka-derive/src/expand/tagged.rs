//! The tagged-field section written at the end of every struct in flexible
//! versions: known tagged fields and kept unknown ones, in tag order.

use proc_macro2::TokenStream;
use quote::quote;

use super::core;
use super::field::{
    decode_value, default_value, encode_value, local, tagged_in_version, value_len,
};
use crate::ast::Message;

/// Expression: whether tagged `field` is written (exists, is tagged in
/// this version, and differs from its default).
fn present(field: &crate::ast::Field<'_>) -> TokenStream {
    let ident = field.ident;
    let tagged = tagged_in_version(field);
    let default = default_value(field);
    quote!((#tagged && self.#ident != #default))
}

fn unknown_fields(msg: &Message<'_>) -> TokenStream {
    match msg.unknown_tagged() {
        Some(f) => {
            let ident = f.ident;
            quote!((&self.#ident))
        }
        None => {
            let core = core();
            quote!((&#core::codec::TaggedFields::new()))
        }
    }
}

pub(super) fn encode(msg: &Message<'_>, name: &str) -> TokenStream {
    let core = core();
    let unknown = unknown_fields(msg);
    let tagged = msg.tagged_fields();
    let flags: Vec<_> = (0..tagged.len())
        .map(|i| quote::format_ident!("__present_{}", i))
        .collect();
    let presence = tagged.iter().zip(&flags).map(|(f, flag)| {
        let present = present(f);
        quote!(let #flag = #present;)
    });
    let writes = tagged.iter().zip(&flags).map(|(f, flag)| {
        let tag = f.tag().unwrap_or_default();
        let ident = f.ident;
        let value = quote!(&self.#ident);
        let len = value_len(f, &value);
        let write = encode_value(f, &value, name);
        quote! {
            __unknown.write_below(__buf, &mut __next, ::core::option::Option::Some(#tag))?;
            if #flag {
                #core::codec::put_tagged_header(__buf, #tag, #len)?;
                #write
            }
        }
    });
    quote! {
        if __cx.flexible {
            let __unknown = #unknown;
            #(#presence)*
            let __count = __unknown.len() #(+ usize::from(#flags))*;
            #core::codec::varint::put_unsigned_varint(__buf, __count as u32);
            let mut __next = 0usize;
            #(#writes)*
            __unknown.write_below(__buf, &mut __next, ::core::option::Option::None)?;
        }
    }
}

pub(super) fn len(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let unknown = unknown_fields(msg);
    let sizes = msg.tagged_fields().into_iter().map(|f| {
        let tag = f.tag().unwrap_or_default();
        let ident = f.ident;
        let present = present(f);
        let len = value_len(f, &quote!(&self.#ident));
        quote! {
            if #present {
                let __len = #len;
                __count += 1;
                __size += #core::codec::tagged_header_len(#tag, __len) + __len;
            }
        }
    });
    quote! {
        if __cx.flexible {
            let __unknown = #unknown;
            let mut __count = __unknown.len();
            let mut __size = __unknown.encoded_len();
            #(#sizes)*
            __total += #core::codec::varint::unsigned_varint_len(__count as u32) + __size;
        }
    }
}

pub(super) fn decode(msg: &Message<'_>, name: &str) -> TokenStream {
    let core = core();
    let arms = msg.tagged_fields().into_iter().map(|f| {
        let tag = f.tag().unwrap_or_default();
        let local = local(f);
        let field_name = f.ident.to_string();
        let tagged = tagged_in_version(f);
        let value = decode_value(f, &quote!(&mut __data), name);
        quote! {
            #tag if #tagged => {
                let mut __data = __section.data();
                #local = #value;
                if #core::bytes::Buf::has_remaining(&__data) {
                    return ::core::result::Result::Err(#core::codec::DecodeError::TaggedSizeMismatch {
                        message: #name,
                        field: #field_name,
                        extra: #core::bytes::Buf::remaining(&__data),
                    });
                }
            }
        }
    });
    let keep_unknown = if msg.unknown_tagged().is_some() {
        quote!(__section.keep_unknown();)
    } else {
        quote!()
    };
    let finish = msg
        .unknown_tagged()
        .map(|_| quote!(__unknown = __section.finish();));
    quote! {
        if __cx.flexible {
            let mut __section = #core::codec::TaggedSection::read(__buf)
                .map_err(|e| e.at(#name, "_tagged_fields"))?;
            while let ::core::option::Option::Some(__tag) = __section
                .next_field()
                .map_err(|e| e.at(#name, "_tagged_fields"))?
            {
                match __tag {
                    #(#arms)*
                    _ => { #keep_unknown }
                }
            }
            #finish
        }
    }
}
