//! `Describe`: the struct's schema in Kafka's JSON vocabulary.

use proc_macro2::TokenStream;
use quote::quote;

use super::core;
use crate::ast::Message;
use crate::version::Versions;

fn range(v: Versions) -> TokenStream {
    let core = core();
    let (min, max) = (v.min, v.max);
    quote!(#core::codec::VersionRange::new(#min, #max))
}

pub(super) fn impls(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let name = msg.name();
    let fields = msg.wire_fields().map(|f| {
        let kafka_name = f.kafka_name();
        let ty = f.ty;
        let versions = range(f.versions());
        let nullable = range(f.nullable());
        let tagged = range(f.tagged());
        let tag = match f.tag() {
            Some(t) => quote!(::core::option::Option::Some(#t)),
            None => quote!(::core::option::Option::None),
        };
        let flexible = match f.flexible_override() {
            Some(v) => {
                let r = range(v);
                quote!(::core::option::Option::Some(#r))
            }
            None => quote!(::core::option::Option::None),
        };
        let ignorable = f.ignorable();
        quote! {
            #core::codec::FieldSchema {
                name: #kafka_name,
                kafka_type: <#ty as #core::codec::Describe>::kafka_type(),
                versions: #versions,
                nullable_versions: #nullable,
                tagged_versions: #tagged,
                tag: #tag,
                flexible_versions: #flexible,
                ignorable: #ignorable,
                fields: <#ty as #core::codec::Describe>::fields(),
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #core::codec::Describe for #ident {
            #[inline]
            fn kafka_type() -> ::std::string::String {
                ::std::string::String::from(#name)
            }

            #[inline]
            fn fields() -> ::std::vec::Vec<#core::codec::FieldSchema> {
                ::std::vec![#(#fields),*]
            }
        }
    }
}

pub(super) fn version_range(v: Versions) -> TokenStream {
    range(v)
}
