//! Code generation. Every function here assumes the checks passed; when
//! they did not, [`stubs`] emits empty impls so that only the real mistakes
//! are reported.

mod codec;
mod describe;
mod facts;
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
        let stubs = in_scope(&msg, stubs::all(&msg));
        let errors = errors.into_compile_errors();
        return quote! { #errors #stubs };
    }
    in_scope(&msg, generate(&msg))
}

fn generate(msg: &Message<'_>) -> TokenStream {
    let codec = codec::impls(msg);
    let describe = describe::impls(msg);
    let message = message::impls(msg);
    let json = json::impls(msg);
    let facts = facts::impls(msg);
    quote! { #codec #describe #message #json #facts }
}

/// Wraps the generated items in an anonymous const that names the runtime
/// once, as [`core`]: `::krafka::__private` by default, so that a crate
/// depending on `krafka` alone needs no attribute (krafka-core calls itself
/// `krafka` for the same reason), or `<path>::__private` for
/// `#[kafka(crate = path)]`.
fn in_scope(msg: &Message<'_>, items: TokenStream) -> TokenStream {
    let krate = match &msg.attrs.krate {
        Some(path) => {
            let path = &path.value;
            quote!(#path)
        }
        None => quote!(::krafka),
    };
    let core = core();
    quote! {
        const _: () = {
            use #krate::__private as #core;
            #items
        };
    }
}

/// The runtime, as [`in_scope`] imports it.
fn core() -> TokenStream {
    quote!(__krafka)
}
