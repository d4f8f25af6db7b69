//! Protocol facts client code asks the message for instead of writing
//! version numbers: `<FIELD>_VERSIONS`, each field's versions, as
//! associated consts (a misspelt field is a compile error).

use proc_macro2::TokenStream;
use quote::quote;

use super::core;
use super::describe::version_range;
use crate::ast::Message;

pub(super) fn impls(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let consts = msg.wire_fields().map(|f| {
        let name = syn::Ident::new(&f.fact_name(), f.ident.span());
        let vis = f.vis;
        let range = version_range(f.versions());
        let doc = format!(
            "The versions in which field `{}` (Kafka's `{}`) exists: {}.",
            f.ident.to_string().trim_start_matches("r#"),
            f.kafka_name(),
            f.versions()
        );
        quote! {
            #[doc = #doc]
            #vis const #name: #core::codec::VersionRange = #range;
        }
    });
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}
