//! DescribeQuorum (API key 55): [`DescribeQuorumRequest`] and [`DescribeQuorumResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `DescribeQuorumRequest.json` and
//! `DescribeQuorumResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator, not
//! this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The DescribeQuorum request (API key 55), answered by [`DescribeQuorumResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 55,
    request,
    versions = "0-2",
    flexible = "0+",
    response = DescribeQuorumResponse,
)]
pub struct DescribeQuorumRequest {
    /// The topics to describe.
    pub topics: Vec<RequestTopicData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to describe.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "TopicData")]
pub struct RequestTopicData {
    /// The topic name.
    pub topic_name: String,
    /// The partitions to describe.
    pub partitions: Vec<RequestPartitionData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions to describe.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "PartitionData")]
pub struct RequestPartitionData {
    /// The partition index.
    pub partition_index: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The DescribeQuorum response (API key 55) to [`DescribeQuorumRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 55, response, versions = "0-2", flexible = "0+")]
pub struct DescribeQuorumResponse {
    /// The top level error code.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "2+", nullable_versions = "2+", default = "", ignorable)]
    pub error_message: Option<String>,
    /// The response from the describe quorum API.
    pub topics: Vec<ResponseTopicData>,
    /// The nodes in the quorum.
    #[kafka(versions = "2+")]
    pub nodes: Vec<Node>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The response from the describe quorum API.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "TopicData")]
pub struct ResponseTopicData {
    /// The topic name.
    pub topic_name: String,
    /// The partition data.
    pub partitions: Vec<ResponsePartitionData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partition data.
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(name = "PartitionData")]
pub struct ResponsePartitionData {
    /// The partition index.
    pub partition_index: i32,
    /// The partition error code.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(versions = "2+", nullable_versions = "2+", default = "", ignorable)]
    pub error_message: Option<String>,
    /// The ID of the current leader or -1 if the leader is unknown.
    pub leader_id: i32,
    /// The latest known leader epoch.
    pub leader_epoch: i32,
    /// The high water mark.
    pub high_watermark: i64,
    /// The current voters of the partition.
    pub current_voters: Vec<ReplicaState>,
    /// The observers of the partition.
    pub observers: Vec<ReplicaState>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The nodes in the quorum.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Node {
    /// The ID of the associated node.
    #[kafka(versions = "2+")]
    pub node_id: i32,
    /// The listeners of this controller.
    #[kafka(versions = "2+")]
    pub listeners: Vec<Listener>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The listeners of this controller.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct Listener {
    /// The name of the endpoint.
    #[kafka(versions = "2+")]
    pub name: String,
    /// The hostname.
    #[kafka(versions = "2+")]
    pub host: String,
    /// The port.
    #[kafka(versions = "2+")]
    pub port: u16,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current voters of the partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReplicaState {
    /// The ID of the replica.
    pub replica_id: i32,
    /// The replica directory ID of the replica.
    #[kafka(versions = "2+")]
    pub replica_directory_id: Uuid,
    /// The last known log end offset of the follower or -1 if it is unknown.
    pub log_end_offset: i64,
    /// The last known leader wall clock time time when a follower fetched from the leader. This is
    /// reported as -1 both for the current leader or if it is unknown for a voter.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub last_fetch_timestamp: i64,
    /// The leader wall clock append time of the offset for which the follower made the most recent
    /// fetch request. This is reported as the current time for the leader and -1 if unknown for a
    /// voter.
    #[kafka(versions = "1+", default = -1, ignorable)]
    pub last_caught_up_timestamp: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
