//! AddOffsetsToTxn (API key 25): [`AddOffsetsToTxnRequest`] and [`AddOffsetsToTxnResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AddOffsetsToTxnRequest.json` and
//! `AddOffsetsToTxnResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The AddOffsetsToTxn request (API key 25), answered by [`AddOffsetsToTxnResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 25,
    request,
    versions = "0-4",
    flexible = "3+",
    response = AddOffsetsToTxnResponse,
)]
pub struct AddOffsetsToTxnRequest {
    /// The transactional id corresponding to the transaction.
    pub transactional_id: String,
    /// Current producer id in use by the transactional id.
    pub producer_id: i64,
    /// Current epoch associated with the producer id.
    pub producer_epoch: i16,
    /// The unique group identifier.
    pub group_id: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AddOffsetsToTxn response (API key 25) to [`AddOffsetsToTxnRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 25, response, versions = "0-4", flexible = "3+")]
pub struct AddOffsetsToTxnResponse {
    /// Duration in milliseconds for which the request was throttled due to a quota violation, or
    /// zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The response error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
