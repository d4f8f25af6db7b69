//! DescribeTopicPartitions (API key 75): [`DescribeTopicPartitionsRequest`] and
//! [`DescribeTopicPartitionsResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeTopicPartitionsRequest.json` and
//! `DescribeTopicPartitionsResponse.json` by `cargo run -p xtask -- gen-messages`; change the
//! generator, not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The DescribeTopicPartitions request (API key 75), answered by
/// [`DescribeTopicPartitionsResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 75,
    request,
    versions = "0",
    flexible = "0+",
    response = DescribeTopicPartitionsResponse,
)]
pub struct DescribeTopicPartitionsRequest {
    /// The topics to fetch details for.
    pub topics: Vec<TopicRequest>,
    /// The maximum number of partitions included in the response.
    #[kafka(default = 2000)]
    pub response_partition_limit: i32,
    /// The first topic and partition index to fetch details for.
    #[kafka(nullable_versions = "0+")]
    pub cursor: Option<RequestCursor>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to fetch details for.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicRequest {
    /// The topic name.
    pub name: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The first topic and partition index to fetch details for.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "Cursor")]
pub struct RequestCursor {
    /// The name for the first topic to process.
    pub topic_name: String,
    /// The partition index to start with.
    pub partition_index: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeTopicPartitions response (API key 75) to [`DescribeTopicPartitionsRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 75, response, versions = "0", flexible = "0+")]
pub struct DescribeTopicPartitionsResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(ignorable)]
    pub throttle_time_ms: i32,
    /// Each topic in the response.
    pub topics: Vec<DescribeTopicPartitionsResponseTopic>,
    /// The next topic and partition index to fetch details for.
    #[kafka(nullable_versions = "0+")]
    pub next_cursor: Option<ResponseCursor>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic in the response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeTopicPartitionsResponseTopic {
    /// The topic error, or 0 if there was no error.
    pub error_code: i16,
    /// The topic name.
    #[kafka(nullable_versions = "0+", default = "")]
    pub name: Option<String>,
    /// The topic id.
    #[kafka(ignorable)]
    pub topic_id: Uuid,
    /// True if the topic is internal.
    #[kafka(default = false, ignorable)]
    pub is_internal: bool,
    /// Each partition in the topic.
    pub partitions: Vec<DescribeTopicPartitionsResponsePartition>,
    /// 32-bit bitfield to represent authorized operations for this topic.
    #[kafka(default = -2147483648)]
    pub topic_authorized_operations: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition in the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct DescribeTopicPartitionsResponsePartition {
    /// The partition error, or 0 if there was no error.
    pub error_code: i16,
    /// The partition index.
    pub partition_index: i32,
    /// The ID of the leader broker.
    pub leader_id: i32,
    /// The leader epoch of this partition.
    #[kafka(default = -1, ignorable)]
    pub leader_epoch: i32,
    /// The set of all nodes that host this partition.
    pub replica_nodes: Vec<i32>,
    /// The set of nodes that are in sync with the leader for this partition.
    pub isr_nodes: Vec<i32>,
    /// The new eligible leader replicas otherwise.
    #[kafka(nullable_versions = "0+")]
    pub eligible_leader_replicas: Option<Vec<i32>>,
    /// The last known ELR.
    #[kafka(nullable_versions = "0+")]
    pub last_known_elr: Option<Vec<i32>>,
    /// The set of offline replicas of this partition.
    #[kafka(ignorable)]
    pub offline_replicas: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The next topic and partition index to fetch details for.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "Cursor")]
pub struct ResponseCursor {
    /// The name for the first topic to process.
    pub topic_name: String,
    /// The partition index to start with.
    pub partition_index: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
