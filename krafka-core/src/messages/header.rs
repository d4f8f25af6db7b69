//! The request and response headers: [`RequestHeader`] and [`ResponseHeader`].
//!
//! Generated from Apache Kafka 4.4.0's `RequestHeader.json` and `ResponseHeader.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The header that precedes every request body.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(header, versions = "1-2", flexible = "2+")]
pub struct RequestHeader {
    /// The API key of this request.
    pub request_api_key: i16,
    /// The API version of this request.
    pub request_api_version: i16,
    /// The correlation ID of this request.
    pub correlation_id: i32,
    /// The client ID string.
    #[kafka(
        versions = "1+",
        nullable_versions = "1+",
        flexible = "none",
        default = ""
    )]
    pub client_id: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The header that precedes every response body.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(header, versions = "0-1", flexible = "1+")]
pub struct ResponseHeader {
    /// The correlation ID of this response.
    pub correlation_id: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
