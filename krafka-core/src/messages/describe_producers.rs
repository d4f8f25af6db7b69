//! DescribeProducers (API key 61): [`DescribeProducersRequest`] and [`DescribeProducersResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeProducersRequest.json` and
//! `DescribeProducersResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields};

/// The DescribeProducers request (API key 61), answered by [`DescribeProducersResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 61,
    request,
    versions = "0",
    flexible = "0+",
    response = DescribeProducersResponse,
)]
pub struct DescribeProducersRequest {
    /// The topics to list producers for.
    pub topics: Vec<TopicRequest>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to list producers for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicRequest {
    /// The topic name.
    pub name: String,
    /// The indexes of the partitions to list producers for.
    pub partition_indexes: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeProducers response (API key 61) to [`DescribeProducersRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 61, response, versions = "0", flexible = "0+")]
pub struct DescribeProducersResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Each topic in the response.
    pub topics: Vec<TopicResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicResponse {
    /// The topic name.
    pub name: String,
    /// Each partition in the response.
    pub partitions: Vec<PartitionResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionResponse {
    /// The partition index.
    pub partition_index: i32,
    /// The partition error code, or 0 if there was no error.
    pub error_code: i16,
    /// The partition error message, which may be null if no additional details are available.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The active producers for the partition.
    pub active_producers: Vec<ProducerState>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The active producers for the partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ProducerState {
    /// The producer id.
    pub producer_id: i64,
    /// The producer epoch.
    pub producer_epoch: i32,
    /// The last sequence number sent by the producer.
    #[kafka(default = -1)]
    pub last_sequence: i32,
    /// The last timestamp sent by the producer.
    #[kafka(default = -1)]
    pub last_timestamp: i64,
    /// The current epoch of the producer group.
    pub coordinator_epoch: i32,
    /// The current transaction start offset of the producer.
    #[kafka(default = -1)]
    pub current_txn_start_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
