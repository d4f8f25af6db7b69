//! Code generation. Every function here assumes the checks passed; when
//! they did not, [`stubs`] emits empty impls so that only the real mistakes
//! are reported.

mod codec;
mod describe;
mod field;
mod json;
mod message;
mod stubs;
mod tagged;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::{self, Message};
use crate::check;
use crate::errors::Errors;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let Some(msg) = ast::build(input, &mut errors) else {
        return errors.into_compile_errors();
    };
    check::all(&msg, &mut errors);
    if !errors.is_empty() {
        let stubs = stubs::all(&msg);
        let errors = errors.into_compile_errors();
        return quote! { #errors #stubs };
    }
    generate(&msg)
}

fn generate(msg: &Message<'_>) -> TokenStream {
    let codec = codec::impls(msg);
    let describe = describe::impls(msg);
    let message = message::impls(msg);
    let json = json::impls(msg);
    quote! { #codec #describe #message #json }
}

/// The path of the runtime crate.
fn core() -> TokenStream {
    quote!(::krafka_core)
}
