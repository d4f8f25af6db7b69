//! DescribeTransactions (API key 65): [`DescribeTransactionsRequest`] and
//! [`DescribeTransactionsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeTransactionsRequest.json` and
//! `DescribeTransactionsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeTransactions request (API key 65), answered by [`DescribeTransactionsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 65,
    request,
    versions = "0",
    flexible = "0+",
    response = DescribeTransactionsResponse,
)]
pub struct DescribeTransactionsRequest {
    /// Array of transactionalIds to include in describe results. If empty, then no results will be
    /// returned.
    pub transactional_ids: Vec<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeTransactions response (API key 65) to [`DescribeTransactionsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 65, response, versions = "0", flexible = "0+")]
pub struct DescribeTransactionsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The current state of the transaction.
    pub transaction_states: Vec<TransactionState>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current state of the transaction.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TransactionState {
    /// The error code.
    pub error_code: i16,
    /// The transactional id.
    pub transactional_id: String,
    /// The current transaction state of the producer.
    pub transaction_state: String,
    /// The timeout in milliseconds for the transaction.
    pub transaction_timeout_ms: i32,
    /// The start time of the transaction in milliseconds.
    pub transaction_start_time_ms: i64,
    /// The current producer id associated with the transaction.
    pub producer_id: i64,
    /// The current epoch associated with the producer id.
    pub producer_epoch: i16,
    /// The set of partitions included in the current transaction (if active). When a transaction is
    /// preparing to commit or abort, this will include only partitions which do not have markers.
    pub topics: Vec<TopicData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The set of partitions included in the current transaction (if active). When a transaction is
/// preparing to commit or abort, this will include only partitions which do not have markers.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicData {
    /// The topic name.
    pub topic: String,
    /// The partition ids included in the current transaction.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
