//! `#[derive(Message)]`: Kafka messages as plain, version-annotated structs.
//!
//! The derive reads `#[kafka(...)]` attributes in Kafka's own schema
//! vocabulary, checks them (every mistake reported at once, with spans), and
//! writes version-gated `Encode`, `Decode`, `Default`, `Describe` and, for
//! top-level messages, `Message` (and `Request` or `Response`) impls, plus a
//! `<FIELD>_VERSIONS` const per field. See `krafka_core::codec` for the
//! traits and the crate README for the attribute grammar.
//!
//! The generated code names its runtime `::krafka::__private`, so a crate
//! that depends on the `krafka` facade alone needs no attribute;
//! `#[kafka(crate = path)]` points elsewhere (krafka-core calls itself
//! `krafka` for its own messages).
//!
//! Layout: `attr` parses attributes into slots, `version` parses version
//! specs, `ast` builds the model, `check` holds the cross-field rules and
//! `expand` writes code.

#![warn(missing_docs)]

mod ast;
mod attr;
mod check;
mod errors;
mod expand;
mod version;

use proc_macro::TokenStream;

/// Derives the Kafka codec of a struct. See the crate documentation.
#[proc_macro_derive(Message, attributes(kafka))]
pub fn derive_message(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
