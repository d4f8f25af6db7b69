//! OffsetFetch (API key 9): [`OffsetFetchRequest`] and [`OffsetFetchResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `OffsetFetchRequest.json` and `OffsetFetchResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The OffsetFetch request (API key 9), answered by [`OffsetFetchResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 9, request, versions = "1-10", flexible = "6+", response = OffsetFetchResponse)]
pub struct OffsetFetchRequest {
    /// The group to fetch offsets for.
    #[kafka(versions = "0-7")]
    pub group_id: String,
    /// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
    #[kafka(versions = "0-7", nullable_versions = "2-7", default = Some(Vec::new()))]
    pub topics: Option<Vec<OffsetFetchRequestTopic>>,
    /// Each group we would like to fetch offsets for.
    #[kafka(versions = "8+")]
    pub groups: Vec<OffsetFetchRequestGroup>,
    /// Whether broker should hold on returning unstable offsets but set a retriable error code for
    /// the partitions.
    #[kafka(versions = "7+", default = false)]
    pub require_stable: bool,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchRequestTopic {
    /// The topic name.
    #[kafka(versions = "0-7")]
    pub name: String,
    /// The partition indexes we would like to fetch offsets for.
    #[kafka(versions = "0-7")]
    pub partition_indexes: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each group we would like to fetch offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchRequestGroup {
    /// The group ID.
    #[kafka(versions = "8+")]
    pub group_id: String,
    /// The member id.
    #[kafka(versions = "9+", nullable_versions = "9+", ignorable)]
    pub member_id: Option<String>,
    /// The member epoch if using the new consumer protocol (KIP-848).
    #[kafka(versions = "9+", default = -1, ignorable)]
    pub member_epoch: i32,
    /// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
    #[kafka(versions = "8+", nullable_versions = "8+", default = Some(Vec::new()))]
    pub topics: Option<Vec<OffsetFetchRequestTopics>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic we would like to fetch offsets for, or null to fetch offsets for all topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchRequestTopics {
    /// The topic name.
    #[kafka(versions = "8-9", ignorable)]
    pub name: String,
    /// The topic ID.
    #[kafka(versions = "10+", ignorable)]
    pub topic_id: Uuid,
    /// The partition indexes we would like to fetch offsets for.
    #[kafka(versions = "8+")]
    pub partition_indexes: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The OffsetFetch response (API key 9) to [`OffsetFetchRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 9, response, versions = "1-10", flexible = "6+")]
pub struct OffsetFetchResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "3+", ignorable)]
    pub throttle_time_ms: i32,
    /// The responses per topic.
    #[kafka(versions = "0-7")]
    pub topics: Vec<OffsetFetchResponseTopic>,
    /// The top-level error code, or 0 if there was no error.
    #[kafka(versions = "2-7", default = 0, ignorable)]
    pub error_code: i16,
    /// The responses per group id.
    #[kafka(versions = "8+")]
    pub groups: Vec<OffsetFetchResponseGroup>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses per topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchResponseTopic {
    /// The topic name.
    #[kafka(versions = "0-7")]
    pub name: String,
    /// The responses per partition.
    #[kafka(versions = "0-7")]
    pub partitions: Vec<OffsetFetchResponsePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses per partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchResponsePartition {
    /// The partition index.
    #[kafka(versions = "0-7")]
    pub partition_index: i32,
    /// The committed message offset.
    #[kafka(versions = "0-7")]
    pub committed_offset: i64,
    /// The leader epoch.
    #[kafka(versions = "5-7", default = -1, ignorable)]
    pub committed_leader_epoch: i32,
    /// The partition metadata.
    #[kafka(versions = "0-7", nullable_versions = "0-7", default = "")]
    pub metadata: Option<String>,
    /// The error code, or 0 if there was no error.
    #[kafka(versions = "0-7")]
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses per group id.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchResponseGroup {
    /// The group ID.
    #[kafka(versions = "8+")]
    pub group_id: String,
    /// The responses per topic.
    #[kafka(versions = "8+")]
    pub topics: Vec<OffsetFetchResponseTopics>,
    /// The group-level error code, or 0 if there was no error.
    #[kafka(versions = "8+", default = 0)]
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses per topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchResponseTopics {
    /// The topic name.
    #[kafka(versions = "8-9", ignorable)]
    pub name: String,
    /// The topic ID.
    #[kafka(versions = "10+", ignorable)]
    pub topic_id: Uuid,
    /// The responses per partition.
    #[kafka(versions = "8+")]
    pub partitions: Vec<OffsetFetchResponsePartitions>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The responses per partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct OffsetFetchResponsePartitions {
    /// The partition index.
    #[kafka(versions = "8+")]
    pub partition_index: i32,
    /// The committed message offset.
    #[kafka(versions = "8+")]
    pub committed_offset: i64,
    /// The leader epoch.
    #[kafka(versions = "8+", default = -1, ignorable)]
    pub committed_leader_epoch: i32,
    /// The partition metadata.
    #[kafka(versions = "8+", nullable_versions = "8+", default = "")]
    pub metadata: Option<String>,
    /// The partition-level error code, or 0 if there was no error.
    #[kafka(versions = "8+")]
    pub error_code: i16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
