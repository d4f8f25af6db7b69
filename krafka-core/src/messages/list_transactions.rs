//! ListTransactions (API key 66): [`ListTransactionsRequest`] and [`ListTransactionsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ListTransactionsRequest.json` and
//! `ListTransactionsResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The ListTransactions request (API key 66), answered by [`ListTransactionsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 66,
    request,
    versions = "0-2",
    flexible = "0+",
    response = ListTransactionsResponse,
)]
pub struct ListTransactionsRequest {
    /// The transaction states to filter by: if empty, all transactions are returned; if non-empty,
    /// then only transactions matching one of the filtered states will be returned.
    pub state_filters: Vec<String>,
    /// The producerIds to filter by: if empty, all transactions will be returned; if non-empty,
    /// only transactions which match one of the filtered producerIds will be returned.
    pub producer_id_filters: Vec<i64>,
    /// Duration (in millis) to filter by: if < 0, all transactions will be returned; otherwise,
    /// only transactions running longer than this duration will be returned.
    #[kafka(versions = "1+", default = -1)]
    pub duration_filter: i64,
    /// The transactional ID regular expression pattern to filter by: if it is empty or null, all
    /// transactions are returned; Otherwise then only the transactions matching the given regular
    /// expression will be returned.
    #[kafka(versions = "2+", nullable_versions = "2+")]
    pub transactional_id_pattern: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ListTransactions response (API key 66) to [`ListTransactionsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 66, response, versions = "0-2", flexible = "0+")]
pub struct ListTransactionsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Set of state filters provided in the request which were unknown to the transaction
    /// coordinator.
    pub unknown_state_filters: Vec<String>,
    /// The current state of the transaction for the transactional id.
    pub transaction_states: Vec<TransactionState>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current state of the transaction for the transactional id.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TransactionState {
    /// The transactional id.
    pub transactional_id: String,
    /// The producer id.
    pub producer_id: i64,
    /// The current transaction state of the producer.
    pub transaction_state: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
