//! `ToKafkaJson`: the struct in the JSON form of Kafka's `*JsonConverter`s.

use proc_macro2::TokenStream;
use quote::quote;

use super::core;
use super::field::{contains, default_value, tagged_in_version};
use crate::ast::{Field, Message};

/// Kafka's JSON key of a field: its name with a lower-case first letter.
fn json_key(field: &Field<'_>) -> String {
    let name = field.kafka_name();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => name,
    }
}

pub(super) fn impls(msg: &Message<'_>) -> TokenStream {
    let core = core();
    let ident = msg.ident;
    let v = quote!(__v);
    // Fields that exist in the version, in declaration (schema) order; a
    // field that is tagged in the version only when it differs from its
    // default, as Kafka writes both the wire and the JSON form.
    let writes = msg.wire_fields().map(|f| {
        let field = f.ident;
        let key = json_key(f);
        let exists = contains(f.versions(), &v);
        let shown = if f.tag().is_some() {
            let tagged = tagged_in_version(f);
            let default = default_value(f);
            quote!((#exists && !(#tagged && self.#field == #default)))
        } else {
            exists
        };
        quote! {
            if #shown {
                #core::codec::write_json_key(__out, &mut __first, #key);
                #core::codec::ToKafkaJson::write_json(&self.#field, __out, __cx);
            }
        }
    });
    quote! {
        #[automatically_derived]
        #[allow(unused_variables, unused_mut, clippy::all)]
        impl #core::codec::ToKafkaJson for #ident {
            #[inline]
            fn write_json(&self, __out: &mut ::std::string::String, __cx: #core::codec::Ctx) {
                let __v = __cx.version;
                let mut __first = true;
                __out.push('{');
                #(#writes)*
                __out.push('}');
            }
        }
    }
}
