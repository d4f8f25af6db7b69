//! RenewDelegationToken (API key 39): [`RenewDelegationTokenRequest`] and
//! [`RenewDelegationTokenResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `RenewDelegationTokenRequest.json` and
//! `RenewDelegationTokenResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::bytes::Bytes;
use crate::codec::{Message, TaggedFields};

/// The RenewDelegationToken request (API key 39), answered by [`RenewDelegationTokenResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 39,
    request,
    versions = "1-2",
    flexible = "2+",
    response = RenewDelegationTokenResponse,
)]
pub struct RenewDelegationTokenRequest {
    /// The HMAC of the delegation token to be renewed.
    pub hmac: Bytes,
    /// The renewal time period in milliseconds.
    pub renew_period_ms: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The RenewDelegationToken response (API key 39) to [`RenewDelegationTokenRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 39, response, versions = "1-2", flexible = "2+")]
pub struct RenewDelegationTokenResponse {
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
