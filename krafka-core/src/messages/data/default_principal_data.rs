//! `DefaultPrincipalData`: a Kafka principal as the default principal builder serializes it (for
//! forwarded requests).
//!
//! Generated from Apache Kafka 4.4.0's `DefaultPrincipalData.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// A Kafka principal as the default principal builder serializes it (for forwarded requests).
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(data, versions = "0", flexible = "0+")]
pub struct DefaultPrincipalData {
    /// The principal type.
    pub r#type: String,
    /// The principal name.
    pub name: String,
    /// Whether the principal was authenticated by a delegation token on the forwarding broker.
    pub token_authenticated: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
