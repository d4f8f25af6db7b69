//! InitProducerId (API key 22): [`InitProducerIdRequest`] and [`InitProducerIdResponse`].
//!
//! Version 6 is unstable in Kafka 4.4.0: it, and the fields only it has, exist with the
//! `unstable-versions` feature only.
//!
//! Generated from Apache Kafka 4.4.0's `InitProducerIdRequest.json` and
//! `InitProducerIdResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator, not
//! this file.

use crate::codec::{Message, TaggedFields};

/// The InitProducerId request (API key 22), answered by [`InitProducerIdResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 22, request, flexible = "2+", response = InitProducerIdResponse)]
#[cfg_attr(not(feature = "unstable-versions"), kafka(versions = "0-5"))]
#[cfg_attr(feature = "unstable-versions", kafka(versions = "0-6"))]
pub struct InitProducerIdRequest {
    /// The transactional id, or null if the producer is not transactional.
    #[kafka(nullable_versions = "0+", default = "")]
    pub transactional_id: Option<String>,
    /// The time in ms to wait before aborting idle transactions sent by this producer. This is only
    /// relevant if a TransactionalId has been defined.
    pub transaction_timeout_ms: i32,
    /// The producer id. This is used to disambiguate requests if a transactional id is reused
    /// following its expiration.
    #[kafka(versions = "3+", default = -1)]
    pub producer_id: i64,
    /// The producer's current epoch. This will be checked against the producer epoch on the broker,
    /// and the request will return an error if they do not match.
    #[kafka(versions = "3+", default = -1)]
    pub producer_epoch: i16,
    /// True if the client wants to enable two-phase commit (2PC) protocol for transactions.
    #[cfg(feature = "unstable-versions")]
    #[kafka(versions = "6+", default = false)]
    pub enable2_pc: bool,
    /// True if the client wants to keep the currently ongoing transaction instead of aborting it.
    #[cfg(feature = "unstable-versions")]
    #[kafka(versions = "6+", default = false)]
    pub keep_prepared_txn: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The InitProducerId response (API key 22) to [`InitProducerIdRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 22, response, flexible = "2+")]
#[cfg_attr(not(feature = "unstable-versions"), kafka(versions = "0-5"))]
#[cfg_attr(feature = "unstable-versions", kafka(versions = "0-6"))]
pub struct InitProducerIdResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(ignorable)]
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The current producer id.
    #[kafka(default = -1)]
    pub producer_id: i64,
    /// The current epoch associated with the producer id.
    pub producer_epoch: i16,
    /// The producer id for ongoing transaction when KeepPreparedTxn is used, -1 if there is no
    /// transaction ongoing.
    #[cfg(feature = "unstable-versions")]
    #[kafka(versions = "6+", default = -1)]
    pub ongoing_txn_producer_id: i64,
    /// The epoch associated with the producer id for ongoing transaction when KeepPreparedTxn is
    /// used, -1 if there is no transaction ongoing.
    #[cfg(feature = "unstable-versions")]
    #[kafka(versions = "6+", default = -1)]
    pub ongoing_txn_producer_epoch: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
