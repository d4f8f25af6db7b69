//! ShareAcknowledge (API key 79): [`ShareAcknowledgeRequest`] and [`ShareAcknowledgeResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ShareAcknowledgeRequest.json` and
//! `ShareAcknowledgeResponse.json` by `cargo run -p xtask -- gen-messages`; change the generator,
//! not this file.

use crate::codec::{Message, TaggedFields, Uuid};

/// The ShareAcknowledge request (API key 79), answered by [`ShareAcknowledgeResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(
    api_key = 79,
    request,
    versions = "1-2",
    flexible = "0+",
    response = ShareAcknowledgeResponse,
)]
pub struct ShareAcknowledgeRequest {
    /// The group identifier.
    #[kafka(nullable_versions = "0+")]
    pub group_id: Option<String>,
    /// The member ID.
    #[kafka(nullable_versions = "0+", default = "")]
    pub member_id: Option<String>,
    /// The current share session epoch: 0 to open a share session; -1 to close it; otherwise
    /// increments for consecutive requests.
    pub share_session_epoch: i32,
    /// Whether Renew type acknowledgements present in AcknowledgementBatches.
    #[kafka(versions = "2+", default = false)]
    pub is_renew_ack: bool,
    /// The topics containing records to acknowledge.
    pub topics: Vec<AcknowledgeTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics containing records to acknowledge.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AcknowledgeTopic {
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The partitions containing records to acknowledge.
    pub partitions: Vec<AcknowledgePartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions containing records to acknowledge.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AcknowledgePartition {
    /// The partition index.
    pub partition_index: i32,
    /// Record batches to acknowledge.
    pub acknowledgement_batches: Vec<AcknowledgementBatch>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Record batches to acknowledge.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AcknowledgementBatch {
    /// First offset of batch of records to acknowledge.
    pub first_offset: i64,
    /// Last offset (inclusive) of batch of records to acknowledge.
    pub last_offset: i64,
    /// Array of acknowledge types - 0:Gap,1:Accept,2:Release,3:Reject,4:Renew.
    pub acknowledge_types: Vec<i8>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ShareAcknowledge response (API key 79) to [`ShareAcknowledgeRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 79, response, versions = "1-2", flexible = "0+")]
pub struct ShareAcknowledgeResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top level response error code.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The time in milliseconds for which the acquired records are locked.
    #[kafka(versions = "2+", ignorable)]
    pub acquisition_lock_timeout_ms: i32,
    /// The response topics.
    pub responses: Vec<ShareAcknowledgeTopicResponse>,
    /// Endpoints for all current leaders enumerated in PartitionData with error
    /// NOT_LEADER_OR_FOLLOWER.
    pub node_endpoints: Vec<NodeEndpoint>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The response topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ShareAcknowledgeTopicResponse {
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The topic partitions.
    pub partitions: Vec<PartitionData>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topic partitions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct PartitionData {
    /// The partition index.
    pub partition_index: i32,
    /// The error code, or 0 if there was no error.
    pub error_code: i16,
    /// The error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The current leader of the partition.
    pub current_leader: LeaderIdAndEpoch,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current leader of the partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct LeaderIdAndEpoch {
    /// The ID of the current leader or -1 if the leader is unknown.
    pub leader_id: i32,
    /// The latest known leader epoch.
    pub leader_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Endpoints for all current leaders enumerated in PartitionData with error NOT_LEADER_OR_FOLLOWER.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct NodeEndpoint {
    /// The ID of the associated node.
    pub node_id: i32,
    /// The node's hostname.
    pub host: String,
    /// The node's port.
    pub port: i32,
    /// The rack of the node, or null if it has not been assigned to a rack.
    #[kafka(nullable_versions = "0+")]
    pub rack: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
