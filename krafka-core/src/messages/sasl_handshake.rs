//! SaslHandshake (API key 17): [`SaslHandshakeRequest`] and [`SaslHandshakeResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `SaslHandshakeRequest.json` and `SaslHandshakeResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The SaslHandshake request (API key 17), answered by [`SaslHandshakeResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 17,
    request,
    versions = "0-1",
    flexible = "none",
    response = SaslHandshakeResponse,
)]
pub struct SaslHandshakeRequest {
    /// The SASL mechanism chosen by the client.
    pub mechanism: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The SaslHandshake response (API key 17) to [`SaslHandshakeRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 17, response, versions = "0-1", flexible = "none")]
pub struct SaslHandshakeResponse {
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The mechanisms enabled in the server.
    pub mechanisms: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
