//! UnregisterBroker (API key 64): [`UnregisterBrokerRequest`] and [`UnregisterBrokerResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `UnregisterBrokerRequest.json` and
//! `UnregisterBrokerResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The UnregisterBroker request (API key 64), answered by [`UnregisterBrokerResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 64,
    request,
    versions = "0",
    flexible = "0+",
    response = UnregisterBrokerResponse,
)]
pub struct UnregisterBrokerRequest {
    /// The broker ID to unregister.
    pub broker_id: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The UnregisterBroker response (API key 64) to [`UnregisterBrokerRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 64, response, versions = "0", flexible = "0+")]
pub struct UnregisterBrokerResponse {
    /// Duration in milliseconds for which the request was throttled due to a quota violation, or
    /// zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The top-level error message, or `null` if there was no top-level error.
    #[kafka(nullable_versions = "0+", default = "")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
