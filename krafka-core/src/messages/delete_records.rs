//! DeleteRecords (API key 21): [`DeleteRecordsRequest`] and [`DeleteRecordsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DeleteRecordsRequest.json` and `DeleteRecordsResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The DeleteRecords request (API key 21), answered by [`DeleteRecordsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 21, request, versions = "0-2", flexible = "2+", response = DeleteRecordsResponse)]
pub struct DeleteRecordsRequest {
    /// Each topic that we want to delete records from.
    pub topics: Vec<DeleteRecordsTopic>,
    /// How long to wait for the deletion to complete, in milliseconds.
    pub timeout_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic that we want to delete records from.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteRecordsTopic {
    /// The topic name.
    pub name: String,
    /// Each partition that we want to delete records from.
    pub partitions: Vec<DeleteRecordsPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition that we want to delete records from.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteRecordsPartition {
    /// The partition index.
    pub partition_index: i32,
    /// The deletion offset. -1 means that records should be truncated to the high watermark.
    pub offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DeleteRecords response (API key 21) to [`DeleteRecordsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 21, response, versions = "0-2", flexible = "2+")]
pub struct DeleteRecordsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// Each topic that we wanted to delete records from.
    pub topics: Vec<DeleteRecordsTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic that we wanted to delete records from.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteRecordsTopicResult {
    /// The topic name.
    pub name: String,
    /// Each partition that we wanted to delete records from.
    pub partitions: Vec<DeleteRecordsPartitionResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition that we wanted to delete records from.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DeleteRecordsPartitionResult {
    /// The partition index.
    pub partition_index: i32,
    /// The partition low water mark.
    pub low_watermark: i64,
    /// The deletion error code, or 0 if the deletion succeeded.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
