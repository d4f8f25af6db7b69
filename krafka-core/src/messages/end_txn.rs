//! EndTxn (API key 26): [`EndTxnRequest`] and [`EndTxnResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `EndTxnRequest.json` and `EndTxnResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The EndTxn request (API key 26), answered by [`EndTxnResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 26, request, versions = "0-5", flexible = "3+", response = EndTxnResponse)]
pub struct EndTxnRequest {
    /// The ID of the transaction to end.
    pub transactional_id: String,
    /// The producer ID.
    pub producer_id: i64,
    /// The current epoch associated with the producer.
    pub producer_epoch: i16,
    /// True if the transaction was committed, false if it was aborted.
    pub committed: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The EndTxn response (API key 26) to [`EndTxnRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 26, response, versions = "0-5", flexible = "3+")]
pub struct EndTxnResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The producer ID.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub producer_id: i64,
    /// The current epoch associated with the producer.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub producer_epoch: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
