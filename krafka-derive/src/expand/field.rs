//! Per-field building blocks shared by the encoder, decoder and sizer.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, ExprLit, Lit};

use super::core;
use crate::ast::Field;
use crate::version::Versions;

/// An expression testing whether version `v` lies in `range`.
pub(super) fn contains(range: Versions, v: &TokenStream) -> TokenStream {
    let (min, max) = (range.min, range.max);
    if range.is_empty() {
        quote!(false)
    } else if range.min == 0 && range.is_open() {
        quote!(true)
    } else if range.is_open() {
        quote!((#v >= #min))
    } else if min == 0 {
        quote!((#v <= #max))
    } else {
        quote!((#min <= #v && #v <= #max))
    }
}

/// The field's default value, typed as the field: its `default` attribute
/// (string literals become `String`s), else `Default::default()`.
pub(super) fn default_value(field: &Field<'_>) -> TokenStream {
    let ty = field.ty;
    match field.attrs.default.as_ref().map(|d| &d.value) {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        })) => {
            if field.option_inner.is_some() {
                quote!(::core::option::Option::Some(::std::string::String::from(#s)))
            } else {
                quote!(::std::string::String::from(#s))
            }
        }
        Some(expr) => quote!({
            let __default: #ty = #expr;
            __default
        }),
        None => quote!(<#ty as ::core::default::Default>::default()),
    }
}

/// The local holding the field while decoding.
pub(super) fn local(field: &Field<'_>) -> syn::Ident {
    format_ident!("__field_{}", field.ident)
}

/// The context a field's value is coded with: the struct's, unless the
/// field pins its own flexible versions (the request header's client id).
pub(super) fn context(field: &Field<'_>) -> TokenStream {
    let core = core();
    match field.flexible_override() {
        Some(range) => {
            let inside = contains(range, &quote!(__cx.version));
            quote!(#core::codec::Ctx::new(__cx.version, __cx.flexible && #inside))
        }
        None => quote!(__cx),
    }
}

/// Whether the field is written inline (not in the tagged section) in
/// version `__v`.
pub(super) fn inline_in_version(field: &Field<'_>) -> TokenStream {
    let v = quote!(__v);
    let exists = contains(field.versions(), &v);
    if field.tag().is_none() {
        return exists;
    }
    let tagged = contains(field.tagged(), &v);
    quote!((#exists && !(__cx.flexible && #tagged)))
}

/// Whether the field goes into the tagged section in version `__v`.
pub(super) fn tagged_in_version(field: &Field<'_>) -> TokenStream {
    let v = quote!(__v);
    let exists = contains(field.versions(), &v);
    let tagged = contains(field.tagged(), &v);
    quote!((#exists && #tagged))
}

/// Statements encoding `value` (an expression of the field's type, by
/// reference) into `__buf`.
pub(super) fn encode_value(field: &Field<'_>, value: &TokenStream, message: &str) -> TokenStream {
    let core = core();
    let cx = context(field);
    let name = field.ident.to_string();
    match field.option_inner {
        Some(_) => {
            let nullable = contains(field.nullable(), &quote!(__v));
            quote! {
                if #nullable {
                    #core::codec::Encode::encode(#value, __buf, #cx)
                } else {
                    match #value {
                        ::core::option::Option::Some(__inner) => {
                            #core::codec::Encode::encode(__inner, __buf, #cx)
                        }
                        ::core::option::Option::None => ::core::result::Result::Err(
                            #core::codec::EncodeError::NullNotAllowed {
                                message: #message,
                                field: #name,
                                version: __v,
                            },
                        ),
                    }
                }
                .map_err(|e| e.at(#message, #name))?;
            }
        }
        None => quote! {
            #core::codec::Encode::encode(#value, __buf, #cx).map_err(|e| e.at(#message, #name))?;
        },
    }
}

/// An expression of the encoded size of `value`.
pub(super) fn value_len(field: &Field<'_>, value: &TokenStream) -> TokenStream {
    let core = core();
    let cx = context(field);
    match field.option_inner {
        Some(_) => {
            let nullable = contains(field.nullable(), &quote!(__v));
            quote! {
                if #nullable {
                    #core::codec::Encode::encoded_len(#value, #cx)
                } else {
                    match #value {
                        ::core::option::Option::Some(__inner) => {
                            #core::codec::Encode::encoded_len(__inner, #cx)
                        }
                        ::core::option::Option::None => 0,
                    }
                }
            }
        }
        None => quote!(#core::codec::Encode::encoded_len(#value, #cx)),
    }
}

/// An expression decoding the field's value from `buf`.
pub(super) fn decode_value(field: &Field<'_>, buf: &TokenStream, message: &str) -> TokenStream {
    let core = core();
    let cx = context(field);
    let name = field.ident.to_string();
    let ty = field.ty;
    match field.option_inner {
        Some(inner) => {
            let nullable = contains(field.nullable(), &quote!(__v));
            quote! {
                if #nullable {
                    <#ty as #core::codec::Decode>::decode(#buf, #cx)
                } else {
                    <#inner as #core::codec::Decode>::decode(#buf, #cx)
                        .map(::core::option::Option::Some)
                }
                .map_err(|e| e.at(#message, #name))?
            }
        }
        None => quote! {
            <#ty as #core::codec::Decode>::decode(#buf, #cx).map_err(|e| e.at(#message, #name))?
        },
    }
}
