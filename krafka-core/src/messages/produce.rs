//! Produce (API key 0): [`ProduceRequest`] and [`ProduceResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ProduceRequest.json` and `ProduceResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, Records, TaggedFields, Uuid};

/// The Produce request (API key 0), answered by [`ProduceResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 0,
    request,
    versions = "3-13",
    flexible = "9+",
    response = ProduceResponse,
    expects_response = self.acks != 0,
)]
pub struct ProduceRequest {
    /// The transactional ID, or null if the producer is not transactional.
    #[kafka(versions = "3+", nullable_versions = "3+")]
    pub transactional_id: Option<String>,
    /// The number of acknowledgments the producer requires the leader to have received before
    /// considering a request complete. Allowed values: 0 for no acknowledgments, 1 for only the
    /// leader and -1 for the full ISR.
    pub acks: i16,
    /// The timeout to await a response in milliseconds.
    pub timeout_ms: i32,
    /// Each topic to produce to.
    pub topic_data: Vec<TopicProduceData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each topic to produce to.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicProduceData {
    /// The topic name.
    #[kafka(versions = "0-12", ignorable)]
    pub name: String,
    /// The unique topic ID
    #[kafka(versions = "13+", ignorable)]
    pub topic_id: Uuid,
    /// Each partition to produce to.
    pub partition_data: Vec<PartitionProduceData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition to produce to.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionProduceData {
    /// The partition index.
    pub index: i32,
    /// The record data to be produced.
    #[kafka(nullable_versions = "0+")]
    pub records: Option<Records>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The Produce response (API key 0) to [`ProduceRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 0, response, versions = "3-13", flexible = "9+")]
pub struct ProduceResponse {
    /// Each produce response.
    pub responses: Vec<TopicProduceResponse>,
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", default = 0, ignorable)]
    pub throttle_time_ms: i32,
    /// Endpoints for all current-leaders enumerated in PartitionProduceResponses, with errors
    /// NOT_LEADER_OR_FOLLOWER.
    #[kafka(versions = "10+", tag = 0, tagged_versions = "10+")]
    pub node_endpoints: Vec<NodeEndpoint>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each produce response.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct TopicProduceResponse {
    /// The topic name.
    #[kafka(versions = "0-12", ignorable)]
    pub name: String,
    /// The unique topic ID
    #[kafka(versions = "13+", ignorable)]
    pub topic_id: Uuid,
    /// Each partition that we produced to within the topic.
    pub partition_responses: Vec<PartitionProduceResponse>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Each partition that we produced to within the topic.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionProduceResponse {
    /// The partition index.
    pub index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The base offset.
    pub base_offset: i64,
    /// The timestamp returned by broker after appending the messages. If CreateTime is used for the
    /// topic, the timestamp will be -1. If LogAppendTime is used for the topic, the timestamp will
    /// be the broker local time when the messages are appended.
    #[kafka(versions = "2+", default = -1, ignorable)]
    pub log_append_time_ms: i64,
    /// The log start offset.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub log_start_offset: i64,
    /// The batch indices of records that caused the batch to be dropped.
    #[kafka(versions = "8+", ignorable)]
    pub record_errors: Vec<BatchIndexAndErrorMessage>,
    /// The global error message summarizing the common root cause of the records that caused the
    /// batch to be dropped.
    #[kafka(versions = "8+", nullable_versions = "8+", ignorable)]
    pub error_message: Option<String>,
    /// The leader broker that the producer should use for future requests.
    #[kafka(versions = "10+", tag = 0, tagged_versions = "10+")]
    pub current_leader: LeaderIdAndEpoch,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The batch indices of records that caused the batch to be dropped.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct BatchIndexAndErrorMessage {
    /// The batch index of the record that caused the batch to be dropped.
    #[kafka(versions = "8+")]
    pub batch_index: i32,
    /// The error message of the record that caused the batch to be dropped.
    #[kafka(versions = "8+", nullable_versions = "8+")]
    pub batch_index_error_message: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The leader broker that the producer should use for future requests.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct LeaderIdAndEpoch {
    /// The ID of the current leader or -1 if the leader is unknown.
    #[kafka(versions = "10+", default = -1)]
    pub leader_id: i32,
    /// The latest known leader epoch.
    #[kafka(versions = "10+", default = -1)]
    pub leader_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Endpoints for all current-leaders enumerated in PartitionProduceResponses, with errors
/// NOT_LEADER_OR_FOLLOWER.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct NodeEndpoint {
    /// The ID of the associated node.
    #[kafka(versions = "10+")]
    pub node_id: i32,
    /// The node's hostname.
    #[kafka(versions = "10+")]
    pub host: String,
    /// The node's port.
    #[kafka(versions = "10+")]
    pub port: i32,
    /// The rack of the node, or null if it has not been assigned to a rack.
    #[kafka(versions = "10+", nullable_versions = "10+")]
    pub rack: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
