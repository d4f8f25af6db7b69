//! ShareFetch (API key 78): [`ShareFetchRequest`] and [`ShareFetchResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `ShareFetchRequest.json` and `ShareFetchResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, Records, TaggedFields, Uuid};

/// The ShareFetch request (API key 78), answered by [`ShareFetchResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 78, request, versions = "1-2", flexible = "0+", response = ShareFetchResponse)]
pub struct ShareFetchRequest {
    /// The group identifier.
    #[kafka(nullable_versions = "0+")]
    pub group_id: Option<String>,
    /// The member ID.
    #[kafka(nullable_versions = "0+", default = "")]
    pub member_id: Option<String>,
    /// The current share session epoch: 0 to open a share session; -1 to close it; otherwise
    /// increments for consecutive requests.
    pub share_session_epoch: i32,
    /// The maximum time in milliseconds to wait for the response.
    pub max_wait_ms: i32,
    /// The minimum bytes to accumulate in the response.
    pub min_bytes: i32,
    /// The maximum bytes to fetch. See KIP-74 for cases where this limit may not be honored.
    #[kafka(default = 0x7fffffff)]
    pub max_bytes: i32,
    /// The maximum number of records to fetch. This limit can be exceeded for alignment of batch
    /// boundaries.
    #[kafka(versions = "1+")]
    pub max_records: i32,
    /// The optimal number of records for batches of acquired records and acknowledgements.
    #[kafka(versions = "1+")]
    pub batch_size: i32,
    /// The acquire mode to control the fetch behavior - 0:batch-optimized,1:record-limit.
    #[kafka(versions = "2+", default = 0, ignorable)]
    pub share_acquire_mode: i8,
    /// Whether Renew type acknowledgements present in AcknowledgementBatches.
    #[kafka(versions = "2+", default = false)]
    pub is_renew_ack: bool,
    /// The topics to fetch.
    pub topics: Vec<FetchTopic>,
    /// The partitions to remove from this share session.
    pub forgotten_topics_data: Vec<ForgottenTopic>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to fetch.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct FetchTopic {
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The partitions to fetch.
    pub partitions: Vec<FetchPartition>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The partitions to fetch.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct FetchPartition {
    /// The partition index.
    pub partition_index: i32,
    /// The maximum bytes to fetch from this partition. 0 when only acknowledgement with no fetching
    /// is required. See KIP-74 for cases where this limit may not be honored.
    #[kafka(versions = "0")]
    pub partition_max_bytes: i32,
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

/// The partitions to remove from this share session.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ForgottenTopic {
    /// The unique topic ID.
    pub topic_id: Uuid,
    /// The partitions indexes to forget.
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The ShareFetch response (API key 78) to [`ShareFetchRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 78, response, versions = "1-2", flexible = "0+")]
pub struct ShareFetchResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    pub throttle_time_ms: i32,
    /// The top-level response error code.
    pub error_code: i16,
    /// The top-level error message, or null if there was no error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The time in milliseconds for which the acquired records are locked.
    #[kafka(versions = "1+")]
    pub acquisition_lock_timeout_ms: i32,
    /// The response topics.
    pub responses: Vec<ShareFetchableTopicResponse>,
    /// Endpoints for all current leaders enumerated in PartitionData with error
    /// NOT_LEADER_OR_FOLLOWER.
    pub node_endpoints: Vec<NodeEndpoint>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The response topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ShareFetchableTopicResponse {
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
    /// The fetch error code, or 0 if there was no fetch error.
    pub error_code: i16,
    /// The fetch error message, or null if there was no fetch error.
    #[kafka(nullable_versions = "0+")]
    pub error_message: Option<String>,
    /// The acknowledge error code, or 0 if there was no acknowledge error.
    pub acknowledge_error_code: i16,
    /// The acknowledge error message, or null if there was no acknowledge error.
    #[kafka(nullable_versions = "0+")]
    pub acknowledge_error_message: Option<String>,
    /// The current leader of the partition.
    pub current_leader: LeaderIdAndEpoch,
    /// The record data.
    #[kafka(nullable_versions = "0")]
    pub records: Option<Records>,
    /// The acquired records.
    pub acquired_records: Vec<AcquiredRecords>,
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

/// The acquired records.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AcquiredRecords {
    /// The earliest offset in this batch of acquired records.
    pub first_offset: i64,
    /// The last offset of this batch of acquired records.
    pub last_offset: i64,
    /// The delivery count of this batch of acquired records.
    pub delivery_count: i16,
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
