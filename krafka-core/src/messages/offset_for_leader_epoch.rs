//! OffsetForLeaderEpoch (API key 23): [`OffsetForLeaderEpochRequest`] and
//! [`OffsetForLeaderEpochResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `OffsetForLeaderEpochRequest.json` and
//! `OffsetForLeaderEpochResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields};

/// The OffsetForLeaderEpoch request (API key 23), answered by [`OffsetForLeaderEpochResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 23,
    request,
    versions = "2-4",
    flexible = "4+",
    response = OffsetForLeaderEpochResponse,
)]
pub struct OffsetForLeaderEpochRequest {
    /// The broker ID of the follower, of -1 if this request is from a consumer.
    #[kafka(versions = "3+", default = -2, ignorable)]
    pub replica_id: i32,
    /// Each topic to get offsets for.
    pub topics: Vec<OffsetForLeaderTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic to get offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetForLeaderTopic {
    /// The topic name.
    pub topic: String,
    /// Each partition to get offsets for.
    pub partitions: Vec<OffsetForLeaderPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition to get offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetForLeaderPartition {
    /// The partition index.
    pub partition: i32,
    /// An epoch used to fence consumers/replicas with old metadata. If the epoch provided by the
    /// client is larger than the current epoch known to the broker, then the UNKNOWN_LEADER_EPOCH
    /// error code will be returned. If the provided epoch is smaller, then the FENCED_LEADER_EPOCH
    /// error code will be returned.
    #[kafka(versions = "2+", default = -1, ignorable)]
    pub current_leader_epoch: i32,
    /// The epoch to look up an offset for.
    pub leader_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The OffsetForLeaderEpoch response (API key 23) to [`OffsetForLeaderEpochRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 23, response, versions = "2-4", flexible = "4+")]
pub struct OffsetForLeaderEpochResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "2+", ignorable)]
    pub throttle_time_ms: i32,
    /// Each topic we fetched offsets for.
    pub topics: Vec<OffsetForLeaderTopicResult>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic we fetched offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetForLeaderTopicResult {
    /// The topic name.
    pub topic: String,
    /// Each partition in the topic we fetched offsets for.
    pub partitions: Vec<EpochEndOffset>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition in the topic we fetched offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct EpochEndOffset {
    /// The error code 0, or if there was no error.
    pub error_code: i16,
    /// The partition index.
    pub partition: i32,
    /// The leader epoch of the partition.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub leader_epoch: i32,
    /// The end offset of the epoch.
    #[kafka(default = -1)]
    pub end_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
