//! ExpireDelegationToken (API key 40): [`ExpireDelegationTokenRequest`] and
//! [`ExpireDelegationTokenResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ExpireDelegationTokenRequest.json` and
//! `ExpireDelegationTokenResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The ExpireDelegationToken request (API key 40), answered by [`ExpireDelegationTokenResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 40,
    request,
    versions = "1-2",
    flexible = "2+",
    response = ExpireDelegationTokenResponse,
)]
pub struct ExpireDelegationTokenRequest {
    /// The HMAC of the delegation token to be expired.
    pub hmac: Bytes,
    /// The expiry time period in milliseconds.
    pub expiry_time_period_ms: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ExpireDelegationToken response (API key 40) to [`ExpireDelegationTokenRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 40, response, versions = "1-2", flexible = "2+")]
pub struct ExpireDelegationTokenResponse {
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The timestamp in milliseconds at which this token expires.
    pub expiry_timestamp_ms: i64,
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
