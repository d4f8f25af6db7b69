//! Fetch (API key 1): [`FetchRequest`] and [`FetchResponse`].
//!
//! Generated from Apache Kafka 4.4.0's `FetchRequest.json` and `FetchResponse.json` by
//! `cargo run -p xtask -- gen-messages`; change the generator, not this file.

use crate::codec::{Message, Records, TaggedFields, Uuid};

/// The Fetch request (API key 1), answered by [`FetchResponse`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 1, request, versions = "4-18", flexible = "12+", response = FetchResponse)]
pub struct FetchRequest {
    /// The clusterId if known. This is used to validate metadata fetches prior to broker
    /// registration.
    #[kafka(
        versions = "12+",
        nullable_versions = "12+",
        tag = 0,
        tagged_versions = "12+",
        ignorable
    )]
    pub cluster_id: Option<String>,
    /// The broker ID of the follower, of -1 if this request is from a consumer.
    #[kafka(versions = "0-14", default = -1)]
    pub replica_id: i32,
    /// The state of the replica in the follower.
    #[kafka(versions = "15+", tag = 1, tagged_versions = "15+")]
    pub replica_state: ReplicaState,
    /// The maximum time in milliseconds to wait for the response.
    pub max_wait_ms: i32,
    /// The minimum bytes to accumulate in the response.
    pub min_bytes: i32,
    /// The maximum bytes to fetch. See KIP-74 for cases where this limit may not be honored.
    #[kafka(versions = "3+", default = 0x7fffffff, ignorable)]
    pub max_bytes: i32,
    /// This setting controls the visibility of transactional records. Using READ_UNCOMMITTED
    /// (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1),
    /// non-transactional and COMMITTED transactional records are visible. To be more concrete,
    /// READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable
    /// offset), and enables the inclusion of the list of aborted transactions in the result, which
    /// allows consumers to discard ABORTED transactional records.
    #[kafka(versions = "4+", default = 0, ignorable)]
    pub isolation_level: i8,
    /// The fetch session ID.
    #[kafka(versions = "7+", default = 0, ignorable)]
    pub session_id: i32,
    /// The fetch session epoch, which is used for ordering requests in a session.
    #[kafka(versions = "7+", default = -1, ignorable)]
    pub session_epoch: i32,
    /// The topics to fetch.
    pub topics: Vec<FetchTopic>,
    /// In an incremental fetch request, the partitions to remove.
    #[kafka(versions = "7+")]
    pub forgotten_topics_data: Vec<ForgottenTopic>,
    /// Rack ID of the consumer making this request.
    #[kafka(versions = "11+", default = "", ignorable)]
    pub rack_id: String,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The state of the replica in the follower.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ReplicaState {
    /// The replica ID of the follower, or -1 if this request is from a consumer.
    #[kafka(versions = "15+", default = -1)]
    pub replica_id: i32,
    /// The epoch of this follower, or -1 if not available.
    #[kafka(versions = "15+", default = -1)]
    pub replica_epoch: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The topics to fetch.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct FetchTopic {
    /// The name of the topic to fetch.
    #[kafka(versions = "0-12", ignorable)]
    pub topic: String,
    /// The unique topic ID.
    #[kafka(versions = "13+", ignorable)]
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
    pub partition: i32,
    /// The current leader epoch of the partition.
    #[kafka(versions = "9+", default = -1, ignorable)]
    pub current_leader_epoch: i32,
    /// The message offset.
    pub fetch_offset: i64,
    /// The epoch of the last fetched record or -1 if there is none.
    #[kafka(versions = "12+", default = -1)]
    pub last_fetched_epoch: i32,
    /// The earliest available offset of the follower replica. The field is only used when the
    /// request is sent by the follower.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub log_start_offset: i64,
    /// The maximum bytes to fetch from this partition. See KIP-74 for cases where this limit may
    /// not be honored.
    pub partition_max_bytes: i32,
    /// The directory id of the follower fetching.
    #[kafka(versions = "17+", tag = 0, tagged_versions = "17+", ignorable)]
    pub replica_directory_id: Uuid,
    /// The high-watermark known by the replica. -1 if the high-watermark is not known and
    /// 9223372036854775807 if the feature is not supported.
    #[kafka(
        versions = "18+",
        tag = 1,
        tagged_versions = "18+",
        default = 9223372036854775807,
        ignorable
    )]
    pub high_watermark: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// In an incremental fetch request, the partitions to remove.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct ForgottenTopic {
    /// The topic name.
    #[kafka(versions = "7-12", ignorable)]
    pub topic: String,
    /// The unique topic ID.
    #[kafka(versions = "13+", ignorable)]
    pub topic_id: Uuid,
    /// The partitions indexes to forget.
    #[kafka(versions = "7+")]
    pub partitions: Vec<i32>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The Fetch response (API key 1) to [`FetchRequest`].
#[derive(Debug, Clone, PartialEq, Message)]
#[kafka(api_key = 1, response, versions = "4-18", flexible = "12+")]
pub struct FetchResponse {
    /// The duration in milliseconds for which the request was throttled due to a quota violation,
    /// or zero if the request did not violate any quota.
    #[kafka(versions = "1+", ignorable)]
    pub throttle_time_ms: i32,
    /// The top level response error code.
    #[kafka(versions = "7+", ignorable)]
    pub error_code: i16,
    /// The fetch session ID, or 0 if this is not part of a fetch session.
    #[kafka(versions = "7+", default = 0)]
    pub session_id: i32,
    /// The response topics.
    pub responses: Vec<FetchableTopicResponse>,
    /// Endpoints for all current-leaders enumerated in PartitionData, with errors
    /// NOT_LEADER_OR_FOLLOWER & FENCED_LEADER_EPOCH.
    #[kafka(versions = "16+", tag = 0, tagged_versions = "16+")]
    pub node_endpoints: Vec<NodeEndpoint>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The response topics.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct FetchableTopicResponse {
    /// The topic name.
    #[kafka(versions = "0-12", ignorable)]
    pub topic: String,
    /// The unique topic ID.
    #[kafka(versions = "13+", ignorable)]
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
    /// The error code, or 0 if there was no fetch error.
    pub error_code: i16,
    /// The current high water mark.
    pub high_watermark: i64,
    /// The last stable offset (or LSO) of the partition. This is the last offset such that the
    /// state of all transactional records prior to this offset have been decided (ABORTED or
    /// COMMITTED).
    #[kafka(versions = "4+", default = -1, ignorable)]
    pub last_stable_offset: i64,
    /// The current log start offset.
    #[kafka(versions = "5+", default = -1, ignorable)]
    pub log_start_offset: i64,
    /// In case divergence is detected based on the `LastFetchedEpoch` and `FetchOffset` in the
    /// request, this field indicates the largest epoch and its end offset such that subsequent
    /// records are known to diverge.
    #[kafka(versions = "12+", tag = 0, tagged_versions = "12+")]
    pub diverging_epoch: EpochEndOffset,
    /// The current leader of the partition.
    #[kafka(versions = "12+", tag = 1, tagged_versions = "12+")]
    pub current_leader: LeaderIdAndEpoch,
    /// In the case of fetching an offset less than the LogStartOffset, this is the end offset and
    /// epoch that should be used in the FetchSnapshot request.
    #[kafka(versions = "12+", tag = 2, tagged_versions = "12+")]
    pub snapshot_id: SnapshotId,
    /// The aborted transactions.
    #[kafka(versions = "4+", nullable_versions = "4+", default = Some(Vec::new()), ignorable)]
    pub aborted_transactions: Option<Vec<AbortedTransaction>>,
    /// The preferred read replica for the consumer to use on its next fetch request.
    #[kafka(versions = "11+", default = -1)]
    pub preferred_read_replica: i32,
    /// The record data.
    #[kafka(nullable_versions = "0+")]
    pub records: Option<Records>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// In case divergence is detected based on the `LastFetchedEpoch` and `FetchOffset` in the request,
/// this field indicates the largest epoch and its end offset such that subsequent records are known
/// to diverge.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct EpochEndOffset {
    /// The largest epoch.
    #[kafka(versions = "12+", default = -1)]
    pub epoch: i32,
    /// The end offset of the epoch.
    #[kafka(versions = "12+", default = -1)]
    pub end_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The current leader of the partition.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct LeaderIdAndEpoch {
    /// The ID of the current leader or -1 if the leader is unknown.
    #[kafka(versions = "12+", default = -1)]
    pub leader_id: i32,
    /// The latest known leader epoch.
    #[kafka(versions = "12+", default = -1)]
    pub leader_epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// In the case of fetching an offset less than the LogStartOffset, this is the end offset and epoch
/// that should be used in the FetchSnapshot request.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct SnapshotId {
    /// The end offset of the epoch.
    #[kafka(default = -1)]
    pub end_offset: i64,
    /// The largest epoch.
    #[kafka(default = -1)]
    pub epoch: i32,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// The aborted transactions.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct AbortedTransaction {
    /// The producer id associated with the aborted transaction.
    #[kafka(versions = "4+")]
    pub producer_id: i64,
    /// The first offset in the aborted transaction.
    #[kafka(versions = "4+")]
    pub first_offset: i64,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}

/// Endpoints for all current-leaders enumerated in PartitionData, with errors
/// NOT_LEADER_OR_FOLLOWER & FENCED_LEADER_EPOCH.
#[derive(Debug, Clone, PartialEq, Message)]
pub struct NodeEndpoint {
    /// The ID of the associated node.
    #[kafka(versions = "16+")]
    pub node_id: i32,
    /// The node's hostname.
    #[kafka(versions = "16+")]
    pub host: String,
    /// The node's port.
    #[kafka(versions = "16+")]
    pub port: i32,
    /// The rack of the node, or null if it has not been assigned to a rack.
    #[kafka(versions = "16+", nullable_versions = "16+")]
    pub rack: Option<String>,
    /// Tagged fields this schema does not define, kept as decoded so that they are encoded again.
    #[kafka(unknown_tagged)]
    pub unknown_tagged_fields: TaggedFields,
}
