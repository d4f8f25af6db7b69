//! DescribeShareGroupOffsets (API key 90): [`DescribeShareGroupOffsetsRequest`] and
//! [`DescribeShareGroupOffsetsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeShareGroupOffsetsRequest.json` and
//! `DescribeShareGroupOffsetsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The DescribeShareGroupOffsets request (API key 90), answered by
/// [`DescribeShareGroupOffsetsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 90,
    request,
    versions = "0-1",
    flexible = "0+",
    response = DescribeShareGroupOffsetsResponse,
)]
pub struct DescribeShareGroupOffsetsRequest {
    /// The groups to describe offsets for.
    pub groups: Vec<DescribeShareGroupOffsetsRequestGroup>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The groups to describe offsets for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeShareGroupOffsetsRequestGroup {
    /// The group identifier.
    pub group_id: String,
    /// The topics to describe offsets for, or null for all topic-partitions.
    #[kafka(nullable_versions = "0+", default = Some(Vec::new()))]
    pub topics: Option<Vec<DescribeShareGroupOffsetsRequestTopic>>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to describe offsets for, or null for all topic-partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeShareGroupOffsetsRequestTopic {
    /// The topic name.
    pub topic_name: String,
    /// The partitions.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeShareGroupOffsets response (API key 90) to [`DescribeShareGroupOffsetsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 90, response, versions = "0-1", flexible = "0+")]
pub struct DescribeShareGroupOffsetsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The results for each group.
    pub groups: Vec<DescribeShareGroupOffsetsResponseGroup>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each group.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeShareGroupOffsetsResponseGroup {
    /// The group identifier.
    pub group_id: String,
    /// The results for each topic.
    pub topics: Vec<DescribeShareGroupOffsetsResponseTopic>,
    /// The group-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The group-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The results for each topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeShareGroupOffsetsResponseTopic {
    /// The topic name.
    pub topic_name: String,
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The partitions.
    pub partitions: Vec<DescribeShareGroupOffsetsResponsePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeShareGroupOffsetsResponsePartition {
    /// The partition index.
    pub partition_index: i32,
    /// The share-partition start offset.
    pub start_offset: i64,
    /// The leader epoch of the partition.
    pub leader_epoch: i32,
    /// The share-partition lag.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub lag: i64,
    /// The partition-level error code, or 0 if there was no error.
    pub error_code: i16,
    /// The partition-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
