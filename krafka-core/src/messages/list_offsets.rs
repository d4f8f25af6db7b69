//! ListOffsets (API key 2): [`ListOffsetsRequest`] and [`ListOffsetsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ListOffsetsRequest.json` and `ListOffsetsResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The ListOffsets request (API key 2), answered by [`ListOffsetsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 2, request, versions = "1-11", flexible = "6+", response = ListOffsetsResponse)]
pub struct ListOffsetsRequest {
    /// The broker ID of the requester, or -1 if this request is being made by a normal consumer.
    pub replica_id: i32,
    /// This setting controls the visibility of transactional records. Using READ_UNCOMMITTED
    /// (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1),
    /// non-transactional and COMMITTED transactional records are visible. To be more concrete,
    /// READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable
    /// offset), and enables the inclusion of the list of aborted transactions in the result, which
    /// allows consumers to discard ABORTED transactional records.
    #[kafka(versions = "2+")]
    pub isolation_level: i8,
    /// Each topic in the request.
    pub topics: Vec<ListOffsetsTopic>,
    /// The timeout to await a response in milliseconds for requests that require reading from
    /// remote storage for topics enabled with tiered storage.
    #[kafka(versions = "10+", ignorable)]
    pub timeout_ms: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic in the request.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ListOffsetsTopic {
    /// The topic name.
    pub name: String,
    /// Each partition in the request.
    pub partitions: Vec<ListOffsetsPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition in the request.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ListOffsetsPartition {
    /// The partition index.
    pub partition_index: i32,
    /// The current leader epoch.
    #[kafka(versions = "4+", default = -1, ignorable)]
    pub current_leader_epoch: i32,
    /// The current timestamp.
    pub timestamp: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ListOffsets response (API key 2) to [`ListOffsetsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 2, response, versions = "1-11", flexible = "6+")]
pub struct ListOffsetsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "2+", ignorable)]
    pub throttle_time_ms: i32,
    /// Each topic in the response.
    pub topics: Vec<ListOffsetsTopicResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ListOffsetsTopicResponse {
    /// The topic name.
    pub name: String,
    /// Each partition in the response.
    pub partitions: Vec<ListOffsetsPartitionResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ListOffsetsPartitionResponse {
    /// The partition index.
    pub partition_index: i32,
    /// The partition error code, or 0 if there was no error.
    pub error_code: i16,
    /// The timestamp associated with the returned offset.
    #[kafka(versions = "1+", default = -1)]
    pub timestamp: i64,
    /// The returned offset.
    #[kafka(versions = "1+", default = -1)]
    pub offset: i64,
    /// The leader epoch associated with the returned offset.
    #[kafka(versions = "4+", default = -1)]
    pub leader_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
