//! OffsetCommit (API key 8): [`OffsetCommitRequest`] and [`OffsetCommitResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `OffsetCommitRequest.json` and `OffsetCommitResponse.json`
//! by `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The OffsetCommit request (API key 8), answered by [`OffsetCommitResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 8, request, versions = "2-10", flexible = "8+", response = OffsetCommitResponse)]
pub struct OffsetCommitRequest {
    /// The unique group identifier.
    pub group_id: String,
    /// The generation of the group if using the classic group protocol or the member epoch if using
    /// the consumer protocol.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub generation_id_or_member_epoch: i32,
    /// The member ID assigned by the group coordinator.
    #[kafka(versions = "1+", ignorable)]
    pub member_id: String,
    /// The unique identifier of the consumer instance provided by end user.
    #[kafka(versions = "7+", nullable_versions = "7+")]
    pub group_instance_id: Option<String>,
    /// The time period in ms to retain the offset.
    #[kafka(versions = "2-4", default = -1, ignorable)]
    pub retention_time_ms: i64,
    /// The topics to commit offsets for.
    pub topics: Vec<OffsetCommitRequestTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to commit offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetCommitRequestTopic {
    /// The topic name.
    #[kafka(versions = "0-9", ignorable)]
    pub name: String,
    /// The topic ID.
    #[kafka(versions = "10+", ignorable)]
    pub topic_id: Uuid,
    /// Each partition to commit offsets for.
    pub partitions: Vec<OffsetCommitRequestPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition to commit offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetCommitRequestPartition {
    /// The partition index.
    pub partition_index: i32,
    /// The message offset to be committed.
    pub committed_offset: i64,
    /// The leader epoch of this partition.
    #[kafka(versions = "6+", default = -1, ignorable)]
    pub committed_leader_epoch: i32,
    /// Any associated metadata the client wants to keep.
    #[kafka(nullable_versions = "0+", default = "")]
    pub committed_metadata: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The OffsetCommit response (API key 8) to [`OffsetCommitRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 8, response, versions = "2-10", flexible = "8+")]
pub struct OffsetCommitResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "3+", ignorable)]
    pub throttle_time_ms: i32,
    /// The responses for each topic.
    pub topics: Vec<OffsetCommitResponseTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetCommitResponseTopic {
    /// The topic name.
    #[kafka(versions = "0-9", ignorable)]
    pub name: String,
    /// The topic ID.
    #[kafka(versions = "10+", ignorable)]
    pub topic_id: Uuid,
    /// The responses for each partition in the topic.
    pub partitions: Vec<OffsetCommitResponsePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses for each partition in the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetCommitResponsePartition {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
