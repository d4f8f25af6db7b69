//! SaslAuthenticate (API key 36): [`SaslAuthenticateRequest`] and [`SaslAuthenticateResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `SaslAuthenticateRequest.json` and
//! `SaslAuthenticateResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The SaslAuthenticate request (API key 36), answered by [`SaslAuthenticateResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 36,
    request,
    versions = "0-2",
    flexible = "2+",
    response = SaslAuthenticateResponse,
)]
pub struct SaslAuthenticateRequest {
    /// The SASL authentication bytes from the client, as defined by the SASL mechanism.
    pub auth_bytes: Bytes,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The SaslAuthenticate response (API key 36) to [`SaslAuthenticateRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 36, response, versions = "0-2", flexible = "2+")]
pub struct SaslAuthenticateResponse {
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// The SASL authentication bytes from the server, as defined by the SASL mechanism.
    pub auth_bytes: Bytes,
    /// Number of milliseconds after which only re-authentication over the existing connection to
    /// create a new session can occur.
    #[kafka(versions = "1+", default = 0, ignorable)]
    pub session_lifetime_ms: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
