//! AddPartitionsToTxn (API key 24): [`AddPartitionsToTxnRequest`] and
//! [`AddPartitionsToTxnResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `AddPartitionsToTxnRequest.json` and
//! `AddPartitionsToTxnResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The AddPartitionsToTxn request (API key 24), answered by [`AddPartitionsToTxnResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 24,
    request,
    versions = "0-5",
    flexible = "3+",
    response = AddPartitionsToTxnResponse,
)]
pub struct AddPartitionsToTxnRequest {
    /// List of transactions to add partitions to.
    #[kafka(versions = "4+")]
    pub transactions: Vec<AddPartitionsToTxnTransaction>,
    /// The transactional id corresponding to the transaction.
    #[kafka(versions = "0-3")]
    pub v3_and_below_transactional_id: String,
    /// Current producer id in use by the transactional id.
    #[kafka(versions = "0-3")]
    pub v3_and_below_producer_id: i64,
    /// Current epoch associated with the producer id.
    #[kafka(versions = "0-3")]
    pub v3_and_below_producer_epoch: i16,
    /// The partitions to add to the transaction.
    #[kafka(versions = "0-3")]
    pub v3_and_below_topics: Vec<AddPartitionsToTxnTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// List of transactions to add partitions to.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AddPartitionsToTxnTransaction {
    /// The transactional id corresponding to the transaction.
    #[kafka(versions = "4+")]
    pub transactional_id: String,
    /// Current producer id in use by the transactional id.
    #[kafka(versions = "4+")]
    pub producer_id: i64,
    /// Current epoch associated with the producer id.
    #[kafka(versions = "4+")]
    pub producer_epoch: i16,
    /// Boolean to signify if we want to check if the partition is in the transaction rather than
    /// add it.
    #[kafka(versions = "4+", default = false)]
    pub verify_only: bool,
    /// The partitions to add to the transaction.
    #[kafka(versions = "4+")]
    pub topics: Vec<AddPartitionsToTxnTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions to add to the transaction.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AddPartitionsToTxnTopic {
    /// The name of the topic.
    pub name: String,
    /// The partition indexes to add to the transaction.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The AddPartitionsToTxn response (API key 24) to [`AddPartitionsToTxnRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 24, response, versions = "0-5", flexible = "3+")]
pub struct AddPartitionsToTxnResponse {
    /// Duration in milliseconds for which the request was throttled due to a quota violation, or
    /// zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The response top level error code.
    #[kafka(versions = "4+", ignorable)]
    pub error_code: i16,
    /// Results categorized by transactional ID.
    #[kafka(versions = "4+")]
    pub results_by_transaction: Vec<AddPartitionsToTxnResult>,
    /// The results for each topic.
    #[kafka(versions = "0-3")]
    pub results_by_topic_v3_and_below: Vec<AddPartitionsToTxnTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Results categorized by transactional ID.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AddPartitionsToTxnResult {
    /// The transactional id corresponding to the transaction.
    #[kafka(versions = "4+")]
    pub transactional_id: String,
    /// The results for each topic.
    #[kafka(versions = "4+")]
    pub topic_results: Vec<AddPartitionsToTxnTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AddPartitionsToTxnTopicResult {
    /// The topic name.
    pub name: String,
    /// The results for each partition.
    pub results_by_partition: Vec<AddPartitionsToTxnPartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AddPartitionsToTxnPartitionResult {
    /// The partition indexes.
    pub partition_index: i32,
    /// The response error code.
    pub partition_error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
